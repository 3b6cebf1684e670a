/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packet: AF_PACKET sockets as packet_diag reports them (their protocol
 * names are in protoname.h).
 *
 * A packet socket listens without a port: it sees every frame of its protocol
 * on its interface (or on all of them). With a classic BPF filter attached it
 * is also the shape of the BPFDoor implant, which waits for a magic packet.
 * This module is pure: it reads one packet_diag reply payload from a buffer;
 * the netlink module runs the dump.
 */
#ifndef CHECK_LISTENERS_PACKET_H
#define CHECK_LISTENERS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

/* What the kernel said of the socket's filter. */
enum pkt_filter {
	PKT_FILTER_NONE,        /* asked for, not sent: no classic BPF filter */
	PKT_FILTER_CLASSIC,     /* a classic BPF filter of filter_len instructions */
	PKT_FILTER_WITHHELD,    /* sent empty: the reader lacks CAP_NET_ADMIN */
	PKT_FILTER_COUNT
};

/* One packet socket. */
struct packet_row {
	uint8_t type;           /* SOCK_RAW or SOCK_DGRAM (as the kernel sent it) */
	uint16_t protocol;      /* ETH_P_* in host order; 0 = receives nothing */
	uint32_t inode;
	uint64_t cookie;
	uint32_t ifindex;       /* bound interface, 0 = every interface */
	uint32_t uid;           /* the creator's uid */
	uint8_t filter;         /* enum pkt_filter */
	uint16_t filter_len;    /* PKT_FILTER_CLASSIC: instructions (at most 4096) */
	bool fanout;            /* member of a PACKET_FANOUT group */
	uint16_t fanout_id;
	uint8_t fanout_mode;    /* PACKET_FANOUT_HASH, _LB, ... */
	bool rx_ring, tx_ring;  /* a PACKET_RX_RING / PACKET_TX_RING is mapped */
};

/* Parses the payload of one SOCK_DIAG_BY_FAMILY reply to a packet_diag dump
 * asked with PACKET_SHOW_INFO | PACKET_SHOW_FANOUT | PACKET_SHOW_RING_CFG |
 * PACKET_SHOW_FILTER: struct packet_diag_msg, then attributes. Attributes of
 * unknown types are skipped; a repeated one replaces the earlier.
 * Returns 0 and fills *out; 1 when the row is not AF_PACKET (skip it);
 * -EBADMSG when the payload or an attribute is truncated or malformed, or when
 * PACKET_DIAG_INFO or PACKET_DIAG_UID is missing (the interface and the user
 * would be unknown). */
int packet_parse(const void *payload, size_t len, struct packet_row *out);

/* The inventory's socket for row r in namespace netns: proto PROTO_PACKET,
 * family AF_PACKET, port = the ETH_P protocol, the rest in out->pkt. */
void packet_to_sock(const struct packet_row *r, uint32_t netns, struct sock *out);

/* "raw", "dgram", or "?" for another socket type. */
const char *packet_type_name(uint8_t type);

/* "none", "classic", "withheld". */
const char *packet_filter_name(enum pkt_filter f);

#endif
