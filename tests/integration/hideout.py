#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# hideout: a listening socket that no /proc/PID/fd shows (the holder tests).
# Test helper, not part of the plugin. Prints "ready" once set up, then holds
# until killed.
#
# usage: hideout.py MODE SOCKET [CGROUP]
#   MODE    plain     keep the socket's descriptor
#           uring     register it in an io_uring's fixed-file table, close it
#           inflight  send it over an AF_UNIX pair (SCM_RIGHTS) nobody reads, close it
#   SOCKET  tcp:PORT | udp:PORT (127.0.0.1, or 0.0.0.0 for udp) | packet-filter
#           (a packet socket with a classic BPF filter of 1 instruction)
#   CGROUP  create this cgroup, move into it to open the socket, move back to
#           its parent and remove it: the socket outlives its creation cgroup
import ctypes
import os
import signal
import socket
import struct
import sys

SYS_IO_URING_SETUP = 425
SYS_IO_URING_REGISTER = 427
IORING_REGISTER_FILES = 2
SO_ATTACH_FILTER = 26

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def die(what):
    print("hideout: %s: %s" % (what, os.strerror(ctypes.get_errno())), file=sys.stderr)
    sys.exit(2)


def packet_filter():
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    insn = ctypes.create_string_buffer(struct.pack("HBBI", 0x06, 0, 0, 0x40000))  # ret #0x40000
    prog = struct.pack("HxxxxxxQ", 1, ctypes.addressof(insn))
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)
    return s


def open_socket(spec):
    if spec == "packet-filter":
        return packet_filter()
    proto, port = spec.split(":")
    if proto == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", int(port)))
        s.listen(8)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", int(port)))
    return s


def in_cgroup(path, spec):
    parent = os.path.dirname(path)
    os.mkdir(path)
    with open(os.path.join(path, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))
    s = open_socket(spec)
    with open(os.path.join(parent, "cgroup.procs"), "w") as f:
        f.write(str(os.getpid()))
    os.rmdir(path)
    return s


def main():
    mode, spec = sys.argv[1], sys.argv[2]
    s = in_cgroup(sys.argv[3], spec) if len(sys.argv) > 3 else open_socket(spec)
    keep = [s]
    if mode == "uring":
        params = (ctypes.c_ubyte * 120)()
        ring = libc.syscall(SYS_IO_URING_SETUP, 4, ctypes.byref(params))
        if ring < 0:
            die("io_uring_setup")
        fds = (ctypes.c_int * 1)(s.fileno())
        if libc.syscall(SYS_IO_URING_REGISTER, ring, IORING_REGISTER_FILES, fds, 1) < 0:
            die("IORING_REGISTER_FILES")
        s.close()
        keep = [ring]
    elif mode == "inflight":
        a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        socket.send_fds(a, [b"x"], [s.fileno()])
        s.close()
        keep = [a, b]
    print("ready", flush=True)
    signal.pause()
    return keep


if __name__ == "__main__":
    main()
