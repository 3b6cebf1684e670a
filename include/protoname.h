/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protoname: the names of the protocols packet and raw sockets ask for:
 * link-layer (ETH_P_*, packet sockets) and IP (raw sockets). Used to show
 * them and to read the `protocol` key of rules. Pure tables. */
#ifndef CHECK_LISTENERS_PROTONAME_H
#define CHECK_LISTENERS_PROTONAME_H

#include <stddef.h>
#include <stdint.h>

/* "all", "ip", "arp", "ipv6", "lldp", ... for an ETH_P number in host order
 * (linux/if_ether.h without ETH_P_, lower case); NULL when it has no name. */
const char *eth_proto_name(uint16_t protocol);

/* The name, or "0x%04x" for a number without one, into out (at least 8
 * bytes). Returns out. */
const char *eth_proto_format(uint16_t protocol, char *out, size_t outlen);

/* An ETH_P name, a decimal number or 0x followed by 1-4 hex digits.
 * Returns the number (0-65535) or -1. */
int eth_proto_parse(const char *s);

/* "icmp", "udp", "ipv6-icmp", "raw", ... (as /etc/protocols names them) for
 * an IP protocol number; NULL when it has no name here. */
const char *ip_proto_name(uint8_t protocol);

/* The name, or the number in decimal, into out (at least 4 bytes). Returns out. */
const char *ip_proto_format(uint8_t protocol, char *out, size_t outlen);

/* An IP protocol name (or the alias "icmpv6") or a decimal number 0-255.
 * Returns the number or -1. */
int ip_proto_parse(const char *s);

/* Exactly n (1-8) hex digits, either case, at p. Returns 0 and *out, or
 * -EINVAL. */
int parse_hex_u32(const char *p, size_t n, uint32_t *out);

#endif
