#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seeds of tests/fuzz/corpus/{packet,rawsock}.

Run from the repository root: python3 tests/fuzz/mkseeds_packet.py. The packet
seeds are packet_diag reply payloads (struct packet_diag_msg, then attributes)
shaped like the kernel's; the rawsock seeds are /proc/net/raw, raw6, icmp and icmp6 files
as this kernel writes them, prefixed by the target's family and table byte."""
import os
import struct

INFO, MCLIST, RX_RING, TX_RING, FANOUT, UID, MEMINFO, FILTER = range(8)
AF_PACKET, AF_INET, SOCK_RAW, SOCK_DGRAM = 17, 2, 3, 2


def pad4(b):
    return b + b'\0' * (-len(b) % 4)


def attr(t, payload, extra_len=0):
    return pad4(struct.pack('=HH', 4 + len(payload) + extra_len, t) + payload)


def pmsg(proto=3, typ=SOCK_RAW, ino=4242, cookie=1, family=AF_PACKET):
    return struct.pack('=BBHIII', family, typ, proto, ino, cookie & 0xffffffff, cookie >> 32)


def info(ifindex=0):
    return attr(INFO, struct.pack('=6I', ifindex, 0, 0, 0, 0, 1))


def uid(u=0):
    return attr(UID, struct.pack('=I', u))


bpf4 = struct.pack('=HBBI', 0x28, 0, 0, 12) + struct.pack('=HBBI', 0x15, 0, 1, 0x800) \
    + struct.pack('=HBBI', 0x06, 0, 0, 0xffff) + struct.pack('=HBBI', 0x06, 0, 0, 0)
ring = struct.pack('=7I', 4096, 4, 2048, 8, 0, 0, 0)
packet = {
    'all_unbound': pmsg() + info() + uid(),
    'bpfdoor_filter': pmsg(proto=0x800) + info() + uid() + attr(FILTER, bpf4),
    'filter_withheld': pmsg() + info(2) + uid(1000) + attr(FILTER, b''),
    'dgram_arp_bound': pmsg(proto=0x806, typ=SOCK_DGRAM) + info(3) + uid(0),
    'fanout_rings': pmsg() + info(1) + attr(RX_RING, ring) + attr(TX_RING, ring)
    + attr(FANOUT, struct.pack('=I', 5 | (2 << 16))) + uid() + attr(MEMINFO, b'\0' * 36),
    'unknown_attr': pmsg() + info() + attr(200, b'\xde\xad\xbe\xef\x01') + uid(),
    'no_uid': pmsg() + info(),
    'attr_overrun': pmsg() + info() + uid() + attr(FILTER, bpf4, 16),
    'filter_odd': pmsg() + info() + uid() + attr(FILTER, bpf4[:12]),
    'short': pmsg()[:10],
    'not_packet': pmsg(family=AF_INET) + info() + uid(),
}

HDR4 = b'  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n'
HDR6 = (b'  sl  local_address                         remote_address                        st tx_queue rx_queue'
        b' tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n')
Z6 = b'0' * 32
TAIL = b' 07 00000000:00000000 00:00000000 00000000     0        0 %d 2 0000000000000000 0\n'
rawsock = {
    'raw4': b'\0' + HDR4 + b'  49: 00000000:00FF 00000000:0000' + TAIL % 63058
    + b' 236: 0100007F:0001 00000000:0000' + TAIL % 63062,
    'raw6': b'\1' + HDR6 + b'  181: ' + Z6 + b':003A ' + Z6 + b':0000' + TAIL % 63059,
    'header_only': b'\0' + HDR4,
    'malformed_line': b'\0' + HDR4 + b'  49: 0000000G:00FF 00000000:0000' + TAIL % 1,
    'v6_as_v4': b'\0' + HDR6 + b'  181: ' + Z6 + b':003A ' + Z6 + b':0000' + TAIL % 63059,
    'empty': b'\1',
    # byte 0 bit 1: /proc/net/icmp and icmp6 (ping sockets), the column is the echo identifier
    'icmp4': b'\2' + HDR4 + b'   27: 00000000:1337 00000000:0000' + TAIL % 39916864
    + b'    3: 0100007F:FFFF 0100007F:0000' + TAIL % 77,
    'icmp6': b'\3' + HDR6 + b'   28: ' + Z6 + b':1338 ' + Z6 + b':0000' + TAIL % 39916865,
    'ident_as_raw': b'\0' + HDR4 + b'   27: 00000000:1337 00000000:0000' + TAIL % 39916864,
}

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
for d, seeds in (('packet', packet), ('rawsock', rawsock)):
    os.makedirs(os.path.join(root, d), exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(root, d, name), 'wb') as f:
            f.write(data)
