/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcbind_xdr: the DUMP call and a strict parser of its reply (see
 * rpcbind_xdr.h). The reply comes from a daemon, so every length is checked
 * against what is left before it is used, and nothing is read twice. */
#include "rpcbind_xdr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "inventory.h"
#include "util.h"

#define RPC_CALL        0u
#define RPC_REPLY       1u
#define MSG_ACCEPTED    0u
#define RPCBPROC_DUMP   4u
#define LAST_FRAGMENT   0x80000000u
#define MAX_AUTH        400u    /* RFC 5531: opaque_auth body */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void rpc_map_free(struct rpc_map *m)
{
	if (!m)
		return;
	free(m->regs);
	memset(m, 0, sizeof(*m));
}

size_t rpcb_dump_call(uint32_t xid, uint8_t *out)
{
	/* xid, CALL, rpcvers 2, prog, vers, proc, cred AUTH_NONE, verf AUTH_NONE */
	const uint32_t w[] = { LAST_FRAGMENT | (RPCB_DUMP_CALL - 4), xid, RPC_CALL, 2, RPCBIND_PROG,
		RPCBIND_VERS, RPCBPROC_DUMP, 0, 0, 0, 0 };

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		put32(out + 4 * i, w[i]);
	return RPCB_DUMP_CALL;
}

long rpcb_record_end(const uint8_t *buf, size_t len)
{
	size_t off = 0;

	while (off + 4 <= len) {
		uint32_t mark = get32(buf + off);
		size_t n = mark & ~LAST_FRAGMENT;

		if (off + 4 > RPCB_MAX_REPLY || n > RPCB_MAX_REPLY - off - 4)
			return -EMSGSIZE;
		if (n > len - off - 4)
			return 0;
		off += 4 + n;
		if (mark & LAST_FRAGMENT)
			return (long)off;
	}
	return 0;
}

/* ---- the XDR reader --------------------------------------------------- */

struct xdr {
	const uint8_t *p;
	size_t n, off;
	bool bad;       /* something ran past the end: every later read fails too */
};

static uint32_t x_u32(struct xdr *x)
{
	uint32_t v;

	if (x->bad || x->n - x->off < 4) {
		x->bad = true;
		return 0;
	}
	v = get32(x->p + x->off);
	x->off += 4;
	return v;
}

/* An opaque or string of at most max bytes: its bytes stay in the buffer. */
static const char *x_bytes(struct xdr *x, size_t max, size_t *len)
{
	uint32_t n = x_u32(x);
	size_t padded = ((size_t)n + 3) & ~(size_t)3;
	const char *s;

	*len = 0;
	if (x->bad || n > max || padded > x->n - x->off) {
		x->bad = true;
		return NULL;
	}
	s = (const char *)x->p + x->off;
	x->off += padded;
	*len = n;
	return s;
}

static bool span_is(const char *s, size_t n, const char *lit)
{
	return s && n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* ---- universal addresses ----------------------------------------------- */

/* A byte of the port: 1-3 digits, no leading zero, at most 255. */
static int port_byte(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 255)
		return -EINVAL;
	*out = v;
	return 0;
}

static const char *last_dot(const char *s, size_t n)
{
	while (n > 0 && s[n - 1] != '.')
		n--;
	return n ? s + n - 1 : NULL;
}

int rpcb_uaddr_port(const char *s, size_t n, int family, uint16_t *port)
{
	const char *d2, *d1;
	char host[INET6_ADDRSTRLEN];
	uint8_t addr[16];
	unsigned hi, lo;
	size_t hn;

	if (!s || (family != AF_INET && family != AF_INET6) || !(d2 = last_dot(s, n)) ||
	    !(d1 = last_dot(s, (size_t)(d2 - s))))
		return -EINVAL;
	hn = (size_t)(d1 - s);
	if (port_byte(d1 + 1, (size_t)(d2 - d1 - 1), &hi) < 0 ||
	    port_byte(d2 + 1, n - (size_t)(d2 + 1 - s), &lo) < 0 || hn == 0 || hn >= sizeof(host) ||
	    memchr(s, '\0', hn))
		return -EINVAL;
	memcpy(host, s, hn);
	host[hn] = '\0';
	if (inet_pton(family, host, addr) != 1)
		return -EINVAL;
	*port = (uint16_t)(hi << 8 | lo);
	return 0;
}

/* ---- the reply ---------------------------------------------------------- */

/* Writes the reason into err; returns -EBADMSG. */
#define fail(err, size, ...) (util_say((err), (size), __VA_ARGS__), -EBADMSG)

/* The record's fragments, joined. Returns the payload's length, or -1 when the
 * stream is not exactly one complete record (rpcb_record_end() says so). */
static long unframe(const uint8_t *buf, size_t len, uint8_t *out)
{
	size_t off = 0, n = 0;
	long end = rpcb_record_end(buf, len);

	if (end <= 0 || (size_t)end != len)
		return -1;
	while (off < len) {
		size_t f = get32(buf + off) & ~LAST_FRAGMENT;

		memcpy(out + n, buf + off + 4, f);
		n += f;
		off += 4 + f;
	}
	return (long)n;
}

/* Checks the header of a successful reply to xid; x is left at the result. */
static int reply_header(struct xdr *x, uint32_t xid, char *err, size_t errsize)
{
	uint32_t v, stat;
	size_t n;

	if ((v = x_u32(x)) != xid)
		return fail(err, errsize, "reply to another call (xid %u, sent %u)", v, xid);
	if (x_u32(x) != RPC_REPLY)
		return fail(err, errsize, "not an RPC reply");
	if ((stat = x_u32(x)) != MSG_ACCEPTED)
		return fail(err, errsize, "the call was denied (reply_stat %u)", stat);
	x_u32(x);                       /* verifier flavour */
	x_bytes(x, MAX_AUTH, &n);
	stat = x_u32(x);
	if (x->bad)
		return fail(err, errsize, "truncated reply header");
	if (stat != 0)
		return fail(err, errsize, "the call was not accepted (accept_stat %u%s)", stat,
				stat == 2 ? ": no rpcbind version 4" : "");
	return 0;
}

static int reg_cmp(const void *a, const void *b)
{
	const struct rpc_reg *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->prog != y->prog)
		return x->prog < y->prog ? -1 : 1;
	return (x->vers > y->vers) - (x->vers < y->vers);
}

struct entry {
	uint32_t prog, vers;
	const char *netid, *addr, *owner;
	size_t netid_len, addr_len, owner_len;
};

/* The transport of a netid this module knows, or false. */
static bool netid_transport(const struct entry *e, uint8_t *proto, uint8_t *family)
{
	static const struct { const char *id; uint8_t proto, family; } ids[] = {
		{ "tcp", PROTO_TCP, AF_INET }, { "udp", PROTO_UDP, AF_INET },
		{ "tcp6", PROTO_TCP, AF_INET6 }, { "udp6", PROTO_UDP, AF_INET6 },
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (span_is(e->netid, e->netid_len, ids[i].id)) {
			*proto = ids[i].proto;
			*family = ids[i].family;
			return true;
		}
	return false;
}

/* Keeps e in m when root registered it on a TCP or UDP port. */
static int take(struct rpc_map *m, const struct entry *e, size_t *cap)
{
	struct rpc_reg r = { .prog = e->prog, .vers = e->vers };

	m->entries++;
	if (!span_is(e->owner, e->owner_len, "superuser")) {
		m->not_root++;
		return 0;
	}
	if (!netid_transport(e, &r.proto, &r.family))
		return 0;       /* "local" (a unix path), "rdma", ...: no port of ours */
	if (rpcb_uaddr_port(e->addr, e->addr_len, r.family, &r.port) < 0) {
		m->bad_addr++;
		return 0;
	}
	if (util_grow((void **)&m->regs, cap, m->nregs, sizeof(r), 32) < 0)
		return -ENOMEM;
	m->regs[m->nregs++] = r;
	return 0;
}

/* The rpcblist: a bool before each entry, FALSE at the end, nothing after. */
static int entries(struct xdr *x, struct rpc_map *m, char *err, size_t errsize)
{
	size_t cap = 0;
	uint32_t more;

	while ((more = x_u32(x)) == 1) {
		struct entry e;

		e.prog = x_u32(x);
		e.vers = x_u32(x);
		e.netid = x_bytes(x, x->n, &e.netid_len);
		e.addr = x_bytes(x, x->n, &e.addr_len);
		e.owner = x_bytes(x, x->n, &e.owner_len);
		if (x->bad)
			break;
		if (take(m, &e, &cap) < 0)
			return -ENOMEM;
	}
	if (x->bad)
		return fail(err, errsize, "truncated list after %zu entries", m->entries);
	if (more != 0)
		return fail(err, errsize, "bad list marker %u after %zu entries", more, m->entries);
	if (x->off != x->n)
		return fail(err, errsize, "%zu bytes after the list", x->n - x->off);
	return 0;
}

int rpcb_parse_dump(const uint8_t *buf, size_t len, uint32_t xid, struct rpc_map *m,
		char *err, size_t errsize)
{
	uint8_t *rec = malloc(len ? len : 1);
	struct xdr x = { rec, 0, 0, false };
	long n;
	int rc;

	m->regs = NULL;
	m->nregs = m->entries = m->not_root = m->bad_addr = 0;
	if (!rec)
		return -ENOMEM;
	n = unframe(buf, len, rec);
	if (n < 0)
		rc = fail(err, errsize, "not one complete RPC record (%zu bytes)", len);
	else {
		x.n = (size_t)n;
		rc = reply_header(&x, xid, err, errsize);
		if (rc == 0)
			rc = entries(&x, m, err, errsize);
	}
	free(rec);
	if (rc < 0) {
		free(m->regs);
		m->regs = NULL;
		m->nregs = 0;
		return rc;
	}
	if (m->nregs > 1)
		qsort(m->regs, m->nregs, sizeof(*m->regs), reg_cmp);
	return 0;
}

const struct rpc_reg *rpc_map_find(const struct rpc_map *m, unsigned proto, uint16_t port)
{
	size_t lo = 0, hi;

	if (!m || m->state != RPC_TRUSTED)
		return NULL;
	hi = m->nregs;
	while (lo < hi) {       /* the first entry not below (proto, port) */
		size_t mid = lo + (hi - lo) / 2;
		const struct rpc_reg *r = &m->regs[mid];

		if (r->proto < proto || (r->proto == proto && r->port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->nregs && m->regs[lo].proto == proto && m->regs[lo].port == port)
		return &m->regs[lo];
	return NULL;
}
