#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""rpcreg.py: a small rpcbind client and a fake rpcbind for t_rpc.sh (ONC RPC
over rpcbind's unix socket, record marking, rpcbind version 4). Test helper,
not part of the plugin.

  rpcreg.py set PROG VERS NETID UADDR     register (RPCBPROC_SET); prints 1 or 0
  rpcreg.py unset PROG VERS NETID UADDR   unregister (RPCBPROC_UNSET)
  rpcreg.py dump                          one line per registration
  rpcreg.py serve PATH NETID,UADDR,OWNER...   a fake rpcbind at PATH that
                                          answers every DUMP with these entries
RPCBIND_SOCK overrides the socket path (default /run/rpcbind.sock)."""
import os
import socket
import struct
import sys

PATH = os.environ.get('RPCBIND_SOCK', '/run/rpcbind.sock')
SET, UNSET, DUMP = 1, 2, 4


def xstr(s):
    b = s.encode()
    return struct.pack('!I', len(b)) + b + b'\0' * (-len(b) % 4)


def recv_exact(s, n):
    out = b''
    while len(out) < n:
        chunk = s.recv(n - len(out))
        if not chunk:
            raise EOFError('connection closed')
        out += chunk
    return out


def recv_record(s):
    out = b''
    while True:
        mark = struct.unpack('!I', recv_exact(s, 4))[0]
        out += recv_exact(s, mark & 0x7fffffff)
        if mark & 0x80000000:
            return out


def send_record(s, body):
    s.sendall(struct.pack('!I', 0x80000000 | len(body)) + body)


def call(proc, args):
    body = struct.pack('!IIIIII', 0x5eed, 0, 2, 100000, 4, proc) + struct.pack('!IIII', 0, 0, 0, 0) + args
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(PATH)
    send_record(s, body)
    return recv_record(s)


def rstr(b, o):
    n = struct.unpack_from('!I', b, o)[0]
    return b[o + 4:o + 4 + n].decode(), o + 4 + n + (-n % 4)


def dump():
    r = call(DUMP, b'')
    o = 24
    while struct.unpack_from('!I', r, o)[0]:
        prog, vers = struct.unpack_from('!II', r, o + 4)
        netid, o = rstr(r, o + 12)
        addr, o = rstr(r, o)
        owner, o = rstr(r, o)
        print(prog, vers, netid, addr, owner)


def serve(path, entries):
    reply = b''
    for e in entries:
        netid, addr, owner = e.split(',')
        reply += struct.pack('!III', 1, 100024, 1) + xstr(netid) + xstr(addr) + xstr(owner)
    reply += struct.pack('!I', 0)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(8)
    print('ready', flush=True)
    while True:
        c, _ = srv.accept()
        try:
            xid = struct.unpack_from('!I', recv_record(c))[0]
            send_record(c, struct.pack('!IIIIII', xid, 1, 0, 0, 0, 0) + reply)
        except (EOFError, OSError):
            pass
        c.close()


def main():
    cmd = sys.argv[1]
    if cmd in ('set', 'unset'):
        prog, vers, netid, addr = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
        r = call(SET if cmd == 'set' else UNSET,
                 struct.pack('!II', prog, vers) + xstr(netid) + xstr(addr) + xstr(''))
        print(struct.unpack_from('!I', r, len(r) - 4)[0])
    elif cmd == 'dump':
        dump()
    elif cmd == 'serve':
        serve(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)


main()
