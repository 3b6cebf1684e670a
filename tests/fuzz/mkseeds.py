#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the binary seeds of tests/fuzz/corpus/{netlink,nlrecv,escape,thresholds}.

Run from the repository root: python3 tests/fuzz/mkseeds.py. The netlink seeds
are sock_diag replies shaped like the kernel's (and like test_netlink.c's),
prefixed by the fuzz target's control byte (bits 0-1 protocol, bit 2: check
seq 4242 / port id 777)."""
import os
import socket
import struct

SEQ, PORTID = 4242, 777
SOCK_DIAG_BY_FAMILY, NLMSG_ERROR, NLMSG_DONE = 20, 2, 3
NLM_F_MULTI, NLM_F_DUMP_INTR = 2, 0x10
A_SHUTDOWN, A_MARK, A_SKV6ONLY, A_CGROUP_ID = 8, 15, 11, 21


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def attr(t, payload, extra_len=0):
    return pad4(struct.pack('=HH', 4 + len(payload) + extra_len, t) + payload)


def msg(mtype, payload, flags=NLM_F_MULTI, seq=SEQ, pid=PORTID):
    return pad4(struct.pack('=IHHII', 16 + len(payload), mtype, flags, seq, pid) + payload)


def diag(family, port, addr, state=10, ifindex=0, uid=0, inode=1000, cookie=1):
    a = socket.inet_pton(family, addr).ljust(16, b'\0')
    return (struct.pack('=BBBB', family, state, 0, 0) + struct.pack('!HH', port, 0) + a
            + b'\0' * 16 + struct.pack('=III', ifindex, cookie & 0xffffffff, cookie >> 32)
            + struct.pack('=IIIII', 0, 0, 0, uid, inode))


def done(err=0, flags=NLM_F_MULTI):
    return msg(NLMSG_DONE, struct.pack('=i', err), flags)


def error(err):
    return msg(NLMSG_ERROR, struct.pack('=i', err) + struct.pack('=IHHII', 16, 20, 0x301, SEQ, PORTID), 0)


v4 = socket.AF_INET
v6 = socket.AF_INET6
row4 = msg(SOCK_DIAG_BY_FAMILY, diag(v4, 22, '0.0.0.0') + attr(A_SHUTDOWN, b'\0'))
row6 = msg(SOCK_DIAG_BY_FAMILY, diag(v6, 443, '::', cookie=2) + attr(A_SKV6ONLY, b'\0')
           + attr(A_SHUTDOWN, b'\0') + attr(A_CGROUP_ID, struct.pack('=Q', 77)))
mapped = msg(SOCK_DIAG_BY_FAMILY, diag(v6, 53, '::ffff:127.0.0.1', state=7, ifindex=1, cookie=3))
netlink = {
    'tcp_v4_done': (4, row4 + done()),
    'tcp_v6_more': (4, row6),
    'udp_mapped_unchecked_seq': (1, mapped + done()),
    'two_rows_same_cookie': (4, row4 + row4 + done()),
    'unknown_attr': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 80, '10.0.0.1') + attr(200, b'\xef\xbe\xad\xde')) + done()),
    'v6only_len2': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v6, 22, '::1') + attr(A_SKV6ONLY, b'\1\0')) + done()),
    'cgroup_len4': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v6, 22, '::1') + attr(A_CGROUP_ID, b'\1\0\0\0')) + done()),
    'attr_overrun': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 25, '127.0.0.1') + attr(A_MARK, b'\1\0\0\0', 16))),
    'short_payload': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 25, '127.0.0.1')[:64])),
    'af_unix_row': (4, msg(SOCK_DIAG_BY_FAMILY, b'\x01' + diag(v4, 1, '0.0.0.0')[1:]) + done()),
    'done_enoent_sctp': (7, done(-2)),
    'error_eperm': (4, error(-1)),
    'dump_intr': (5, done(0, NLM_F_MULTI | NLM_F_DUMP_INTR)),
    'wrong_seq': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 22, '0.0.0.0'), seq=1) + done()),
    'len_past_end': (4, row4[:-8]),
    'empty': (0, b''),
}
escape = {
    'plain': (0, b'sshd'),
    'controls': (0, b'a\nb\rc\td\x1b[31mred\x1b[0m\x7f'),
    'pipe_equals_quotes': (0, b"x|perf=1;2;3 'q' \"dq\" \\back"),
    'utf8': (0, 'naïve-日本-😀'.encode()),
    'bad_utf8': (0, b'\xc3(\xed\xa0\x80\xf4\x90\x80\x80\xc0\xaf\xff\xe2\x82'),
    'max_cut_in_escape': (3, b'ab\ncd'),
    'max_15': (15, b'0123456789abcdefghij'),
    'long_path': (0, b'/tmp/' + b'd|x\n/' * 100 + b'sockhold'),
}
thresholds = ['10', '@10:20', '~:5', '5:', '1e3', '-1.5:2.25', '+3:4e-1', '10:5', ':', '',
              '@', '~', '1:2:3', 'abc', '0x10', ' 5', '1e999', '.5', '5.', 'nan', '@~:']


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


for name, (ctl, data) in netlink.items():
    write('tests/fuzz/corpus/netlink', name, bytes([ctl]) + data)
for name, (mx, data) in escape.items():
    write('tests/fuzz/corpus/escape', name, bytes([mx]) + data)
for i, t in enumerate(thresholds):
    write('tests/fuzz/corpus/thresholds', 't%02d' % i, t.encode())


# seeds for fuzz_nlrecv: byte 0 = sender (0 kernel, 1 user socket, 2 multicast,
# 3 short address) | protocol << 2; the datagram is seq 4242 to port id 777.
nlrecv = {
    'kernel_rows_done': (0, row4 + row6 + done()),
    'kernel_wrong_seq_then_ours': (0, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 22, '0.0.0.0'), seq=1) + row4 + done()),
    'kernel_seq0_portid0': (0, msg(NLMSG_DONE, struct.pack('=i', 0), seq=0, pid=0)),
    'kernel_other_portid': (4, msg(SOCK_DIAG_BY_FAMILY, diag(v4, 53, '0.0.0.0', state=7), pid=778) + done()),
    'forged_done_from_user': (1, done()),
    'forged_rows_multicast': (2, row4 + done()),
    'short_sender_address': (3, row4),
    'kernel_len_past_end': (0, row4[:-8]),
    'kernel_sctp_enoent': (12, done(-2)),
}
for name, (ctl, data) in nlrecv.items():
    write('tests/fuzz/corpus/nlrecv', name, bytes([ctl]) + data)


# rpcbind: 4 bytes of xid, then a record-marked RPCBPROC_DUMP reply.
def xdr_str(s):
    b = s.encode()
    return struct.pack('!I', len(b)) + b + b'\0' * (-len(b) % 4)


def rpcb_reply(xid, entries, frag=0):
    body = struct.pack('!IIIIII', xid, 1, 0, 0, 0, 0)
    for prog, vers, netid, addr, owner in entries:
        body += struct.pack('!III', 1, prog, vers) + xdr_str(netid) + xdr_str(addr) + xdr_str(owner)
    body += struct.pack('!I', 0)
    out, off = b'', 0
    while True:
        n = min(frag, len(body) - off) if frag else len(body) - off
        last = off + n == len(body)
        out += struct.pack('!I', n | (0x80000000 if last else 0)) + body[off:off + n]
        off += n
        if last:
            return struct.pack('!I', xid) + out


debian = [(100000, 4, 'tcp6', '::.0.111', 'superuser'), (100000, 2, 'tcp', '0.0.0.0.0.111', 'superuser'),
          (100000, 4, 'local', '/run/rpcbind.sock', 'superuser'),
          (100024, 1, 'udp', '0.0.0.0.3.46', 'superuser'), (100024, 1, 'tcp6', '::.167.14', 'superuser'),
          (100099, 1, 'tcp', '0.0.0.0.4.1', '65534'), (100098, 1, 'udp', '0.0.0.0.4.2', 'unknown')]
rpcbind = {
    'debian': rpcb_reply(7, debian),
    'fragments': rpcb_reply(7, debian, 13),
    'empty': rpcb_reply(7, []),
    'bad_uaddr': rpcb_reply(7, [(100024, 1, 'tcp', '0.0.0.0.3.300', 'superuser'),
                                (100021, 4, 'udp6', 'fe80::1%eth0.1.1', 'superuser')]),
    'uaddr_v6': b'\0\0\0\0' + b'2001:db8::42.19.137',
}
for name, data in rpcbind.items():
    write('tests/fuzz/corpus/rpcbind', name, data)
