#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# threadhide: a listener that only one thread's view of /proc shows (the
# thread tests, review3 F2/F3). Test helper, not part of the plugin. Prints
# "ready PID [TID]" once set up, then serves until killed ("backdoor here"
# to each TCP connection).
#
# usage: threadhide.py MODE KIND PORT [CHILD ARGS...]
#   MODE  thread  a second thread takes a private descriptor table
#                 (unshare(CLONE_FILES)) and serves the socket; the main thread
#                 closes it: only /proc/PID/task/TID/fd shows it. With CHILD, the
#                 socket is also inherited by that program (a decoy holder).
#         zombie  a second thread serves the socket, the main thread ends
#                 (pthread_exit): the leader is a zombie, /proc/PID/fd empty and
#                 /proc/PID/exe gone
#         netns   a second thread takes a private table and a network namespace
#                 of its own (run it under "unshare -Ur") and listens there: only
#                 /proc/PID/task/TID/ns/net names that namespace
#         netns-back  the same, then the thread goes back to the process's
#                 namespace (run it under "unshare -Urn"): only the socket in
#                 the thread's table keeps the new namespace
#   KIND  tcp | udp | ping (an ICMP datagram socket, PORT its id)
import ctypes
import os
import socket
import subprocess
import sys
import threading
import time

CLONE_FILES = 0x400
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def listener(kind, port):
    if kind == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(8)
    elif kind == "udp":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", port))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
        s.bind(("0.0.0.0", port))
    return s


def serve(kind, fd):
    while True:
        if kind == "tcp":
            c = socket.socket(fileno=os.dup(fd)).accept()[0]
            c.sendall(b"backdoor here\n")
            c.close()
        else:
            os.read(fd, 2048)


def unshare(flags):
    if libc.unshare(flags) != 0:
        print("threadhide: unshare: %s" % os.strerror(ctypes.get_errno()), flush=True)
        os._exit(2)


def main():
    mode, kind, port = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
    ready = threading.Event()
    tid = []
    if mode in ("netns", "netns-back"):
        def worker():
            unshare(CLONE_FILES)
            back = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
            unshare(CLONE_NEWNET)
            os.system("ip link set lo up 2>/dev/null")
            s = listener(kind, port)
            if mode == "netns-back" and libc.setns(back, CLONE_NEWNET) != 0:
                print("threadhide: setns: %s" % os.strerror(ctypes.get_errno()), flush=True)
                os._exit(2)
            os.close(back)
            tid.append(threading.get_native_id())
            ready.set()
            serve(kind, s.detach())
        threading.Thread(target=worker, daemon=True).start()
        ready.wait()
        print("ready", os.getpid(), tid[0], flush=True)
        time.sleep(1e9)
    s = listener(kind, port)
    fd = s.detach()
    if mode == "zombie":
        threading.Thread(target=serve, args=(kind, fd)).start()
        print("ready", os.getpid(), flush=True)
        libc.pthread_exit(None)

    def worker():
        unshare(CLONE_FILES)
        ready.set()
        serve(kind, fd)
    threading.Thread(target=worker, daemon=True).start()
    ready.wait()
    if len(sys.argv) > 4:
        subprocess.Popen(sys.argv[4:], pass_fds=(fd,), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    os.close(fd)
    print("ready", os.getpid(), flush=True)
    time.sleep(1e9)


main()
