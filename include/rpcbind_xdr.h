/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcbind_xdr: the ONC RPC messages of an RPCBPROC_DUMP (RFC 1833, rpcbind
 * version 4, program 100000) over a stream: the call to send, and a strict
 * parser of the reply (RFC 5531 record marking, the reply header, the rpcb
 * list). Pure: bytes in, a table out; no I/O.
 *
 * Only what root registered counts. rpcbind writes r_owner itself from the
 * registrant's credentials, whatever the registrant sends: "superuser" for
 * uid 0 over its unix socket (and for a privileged source port on loopback,
 * the v2 portmapper's rule), the decimal uid for any other local user, and
 * "unknown" when it cannot tell. Any local user may register a program that
 * is not registered yet, so only "superuser" entries are kept.
 */
#ifndef CHECK_LISTENERS_RPCBIND_XDR_H
#define CHECK_LISTENERS_RPCBIND_XDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RPCBIND_PROG    100000u
#define RPCBIND_VERS    4u
#define RPCB_MAX_REPLY  (8u << 20)      /* bytes of a reply, framing included */
#define RPCB_DUMP_CALL  44u             /* bytes of the call, record mark included */

/* One (program, version, transport) that root registered on a TCP or UDP
 * port. */
struct rpc_reg {
	uint32_t prog, vers;
	uint16_t port;
	uint8_t proto;          /* enum proto (inventory.h): PROTO_TCP or PROTO_UDP */
	uint8_t family;         /* AF_INET (netid tcp, udp) or AF_INET6 (tcp6, udp6) */
};

enum rpc_map_state {
	RPC_NOT_ASKED,          /* no rule needs it */
	RPC_TRUSTED,            /* regs holds what root registered */
	RPC_UNAVAILABLE,        /* not reached, not trusted or not understood: why */
};

/* rpcbind's registrations, as far as they count. */
struct rpc_map {
	uint8_t state;          /* enum rpc_map_state */
	struct rpc_reg *regs;   /* malloc'd, sorted by (proto, port, prog, vers) */
	size_t nregs;
	size_t entries;         /* every entry of the reply */
	size_t not_root;        /* entries a user other than root registered ("unknown" too) */
	size_t bad_addr;        /* root's tcp/udp entries whose universal address is malformed */
	bool absent;            /* RPC_UNAVAILABLE because no rpcbind runs (no socket,
	                           or nothing listens on it) */
	char why[200];          /* RPC_UNAVAILABLE: the reason, in words */
};

/* Frees m->regs; m is left as zeroed (RPC_NOT_ASKED). NULL is allowed. */
void rpc_map_free(struct rpc_map *m);

/* Writes the record-marked DUMP call with transaction id xid into out, which
 * has room for RPCB_DUMP_CALL bytes. Returns RPCB_DUMP_CALL. */
size_t rpcb_dump_call(uint32_t xid, uint8_t *out);

/* How much of a record-marked stream in buf (len bytes) forms the first
 * complete record: the offset just past its last fragment; 0 while it is
 * incomplete; -EMSGSIZE when the record would pass RPCB_MAX_REPLY. */
long rpcb_record_end(const uint8_t *buf, size_t len);

/* The port of a universal address of family AF_INET ("h1.h2.h3.h4.p1.p2") or
 * AF_INET6 ("ipv6-address.p1.p2"): the host part must be a valid address of
 * that family and p1, p2 decimal numbers 0-255 without leading zeros.
 * Exactly n bytes at s (no NUL needed). Returns 0 and sets *port, or -EINVAL. */
int rpcb_uaddr_port(const char *s, size_t n, int family, uint16_t *port);

/* Parses the stream in buf (len bytes: one complete record as
 * rpcb_record_end() found it, and nothing after it) as the DUMP reply to xid
 * and fills m: regs (root's tcp, udp, tcp6 and udp6 entries), the counts.
 * Returns 0; -EBADMSG with err set (the record is not such a reply, or
 * something in it runs past its end); -ENOMEM. On error m->regs is NULL and
 * m->nregs 0. m->state is not touched. */
int rpcb_parse_dump(const uint8_t *buf, size_t len, uint32_t xid, struct rpc_map *m,
		char *err, size_t errsize);

/* The first of root's registrations (lowest program) on (proto, port), or
 * NULL: also when m is NULL or not RPC_TRUSTED. Binary search. */
const struct rpc_reg *rpc_map_find(const struct rpc_map *m, unsigned proto, uint16_t port);

#endif
