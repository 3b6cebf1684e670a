/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of rpcbind_xdr: the DUMP call, record marking, universal
 * addresses and the reply parser, on replies built here the way rpcbind 1.2.6
 * writes them (and broken in every way a table can list). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "inventory.h"
#include "rpcbind_xdr.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define XID 0x1234abcdu

/* ---- building replies ---------------------------------------------------- */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static void put32(struct buf *b, uint32_t v)
{
	assert_true(b->n + 4 <= sizeof(b->b));
	b->b[b->n++] = (uint8_t)(v >> 24);
	b->b[b->n++] = (uint8_t)(v >> 16);
	b->b[b->n++] = (uint8_t)(v >> 8);
	b->b[b->n++] = (uint8_t)v;
}

static void putstr(struct buf *b, const char *s)
{
	size_t n = strlen(s);

	put32(b, (uint32_t)n);
	memcpy(b->b + b->n, s, n);
	b->n += n;
	while (b->n % 4)
		b->b[b->n++] = 0;
}

struct ent {
	uint32_t prog, vers;
	const char *netid, *addr, *owner;
};

/* The payload of a successful DUMP reply listing e[0..n). */
static void reply(struct buf *b, const struct ent *e, size_t n)
{
	b->n = 0;
	put32(b, XID);
	put32(b, 1);            /* REPLY */
	put32(b, 0);            /* MSG_ACCEPTED */
	put32(b, 0);            /* verifier AUTH_NONE, empty */
	put32(b, 0);
	put32(b, 0);            /* SUCCESS */
	for (size_t i = 0; i < n; i++) {
		put32(b, 1);
		put32(b, e[i].prog);
		put32(b, e[i].vers);
		putstr(b, e[i].netid);
		putstr(b, e[i].addr);
		putstr(b, e[i].owner);
	}
	put32(b, 0);
}

/* The payload framed in fragments of at most frag bytes (0: one fragment). */
static void frame(const struct buf *p, size_t frag, struct buf *out)
{
	size_t off = 0;

	out->n = 0;
	do {
		size_t n = frag && p->n - off > frag ? frag : p->n - off;

		put32(out, (uint32_t)n | (off + n == p->n ? 0x80000000u : 0));
		memcpy(out->b + out->n, p->b + off, n);
		out->n += n;
		off += n;
	} while (off < p->n);
}

static int parse(const struct buf *stream, struct rpc_map *m)
{
	char err[160];

	memset(m, 0, sizeof(*m));
	return rpcb_parse_dump(stream->b, stream->n, XID, m, err, sizeof(err));
}

/* What Debian 12's rpcbind lists with rpc.statd and lockd registered, plus
 * entries of other users and transports. */
static const struct ent debian[] = {
	{ 100000, 4, "tcp6", "::.0.111", "superuser" },
	{ 100000, 2, "tcp", "0.0.0.0.0.111", "superuser" },
	{ 100000, 4, "udp", "0.0.0.0.0.111", "superuser" },
	{ 100000, 4, "local", "/run/rpcbind.sock", "superuser" },
	{ 100024, 1, "udp", "0.0.0.0.3.46", "superuser" },       /* status: udp/814 */
	{ 100024, 1, "tcp", "0.0.0.0.3.45", "superuser" },       /* status: tcp/813 */
	{ 100024, 1, "tcp6", "::.167.14", "superuser" },         /* tcp6/42766 */
	{ 100021, 4, "udp6", "fe80::1.200.1", "superuser" },     /* nlockmgr udp6/51201 */
	{ 100099, 1, "tcp", "0.0.0.0.4.1", "65534" },            /* nobody's: ignored */
	{ 100098, 1, "udp", "0.0.0.0.4.2", "unknown" },          /* ignored */
	{ 100097, 1, "rdma", "0.0.0.0.78.80", "superuser" },     /* no port of ours */
};

static void test_dump_call(void **state)
{
	uint8_t c[RPCB_DUMP_CALL];
	static const uint8_t want[RPCB_DUMP_CALL] = {
		0x80, 0, 0, 40, 0x12, 0x34, 0xab, 0xcd, 0, 0, 0, 0, 0, 0, 0, 2,
		0, 0x01, 0x86, 0xa0, 0, 0, 0, 4, 0, 0, 0, 4,
	};

	(void)state;
	assert_int_equal(rpcb_dump_call(XID, c), RPCB_DUMP_CALL);
	assert_memory_equal(c, want, sizeof(want));
	assert_int_equal(rpcb_record_end(c, sizeof(c)), RPCB_DUMP_CALL);
}

static void test_valid_dump(void **state)
{
	static const struct { uint8_t proto; uint16_t port; uint32_t prog; uint8_t family; } want[] = {
		{ PROTO_TCP, 111, 100000, AF_INET6 }, { PROTO_TCP, 111, 100000, AF_INET },
		{ PROTO_TCP, 813, 100024, AF_INET }, { PROTO_TCP, 42766, 100024, AF_INET6 },
		{ PROTO_UDP, 111, 100000, AF_INET }, { PROTO_UDP, 814, 100024, AF_INET },
		{ PROTO_UDP, 51201, 100021, AF_INET6 },
	};
	struct buf p, s;
	struct rpc_map m;

	(void)state;
	reply(&p, debian, N(debian));
	/* one fragment, and fragments of 1, 3, 4, 7 and 100 bytes: the same */
	for (size_t f = 0; f <= 100; f = f ? f * 2 + 1 : 1) {
		frame(&p, f, &s);
		assert_int_equal(rpcb_record_end(s.b, s.n), (long)s.n);
		assert_int_equal(parse(&s, &m), 0);
		assert_int_equal(m.entries, N(debian));
		assert_int_equal(m.not_root, 2);
		assert_int_equal(m.bad_addr, 0);
		assert_int_equal(m.nregs, N(want));
		for (size_t i = 0; i < N(want); i++)
			if (m.regs[i].proto != want[i].proto || m.regs[i].port != want[i].port ||
			    m.regs[i].prog != want[i].prog)
				fail_msg("fragments of %zu: reg %zu is %u/%u prog %u", f, i, m.regs[i].proto,
						m.regs[i].port, m.regs[i].prog);
		assert_int_equal(m.state, RPC_NOT_ASKED);       /* the caller sets it */
		rpc_map_free(&m);
	}
}

static void test_empty_dump(void **state)
{
	struct buf p, s;
	struct rpc_map m;

	(void)state;
	reply(&p, NULL, 0);
	frame(&p, 0, &s);
	assert_int_equal(parse(&s, &m), 0);
	assert_int_equal(m.entries, 0);
	assert_int_equal(m.nregs, 0);
	assert_null(m.regs);
}

/* Every cut of a valid reply: incomplete for the framing, and when the
 * record mark is made to fit the cut, a malformed reply. */
static void test_truncated(void **state)
{
	struct buf p, s, cut;
	struct rpc_map m;

	(void)state;
	reply(&p, debian, 3);
	frame(&p, 0, &s);
	for (size_t n = 0; n < s.n; n++)
		if (rpcb_record_end(s.b, n) != 0)
			fail_msg("cut at %zu: record_end %ld", n, rpcb_record_end(s.b, n));
	for (size_t n = 0; n < p.n; n++) {
		struct buf q = p;

		q.n = n;
		frame(&q, 0, &cut);
		if (parse(&cut, &m) != -EBADMSG || m.regs || m.nregs)
			fail_msg("payload cut at %zu of %zu: accepted", n, p.n);
	}
	/* and the stream cut short is not one complete record */
	s.n -= 1;
	assert_int_equal(parse(&s, &m), -EBADMSG);
}

/* Replies that are wrong in one field each. */
static void test_bad_replies(void **state)
{
	static const struct {
		const char *what;
		size_t word;            /* the 32-bit word of the payload to change */
		uint32_t value;
	} cases[] = {
		{ "another xid", 0, XID + 1 },
		{ "a call, not a reply", 1, 0 },
		{ "denied", 2, 1 },
		{ "verifier longer than 400", 4, 401 },
		{ "verifier longer than the reply", 4, 0x7ffffff0 },
		{ "PROG_MISMATCH", 5, 2 },
		{ "SYSTEM_ERR", 5, 5 },
		{ "list marker 2", 6, 2 },
		{ "netid length past the end", 9, 0xffffffff },
		{ "netid length just past the end", 9, 1000 },
	};
	struct buf p, s;
	struct rpc_map m;
	char err[160];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		reply(&p, debian, 2);
		p.b[4 * cases[i].word] = (uint8_t)(cases[i].value >> 24);
		p.b[4 * cases[i].word + 1] = (uint8_t)(cases[i].value >> 16);
		p.b[4 * cases[i].word + 2] = (uint8_t)(cases[i].value >> 8);
		p.b[4 * cases[i].word + 3] = (uint8_t)cases[i].value;
		frame(&p, 0, &s);
		memset(&m, 0, sizeof(m));
		err[0] = '\0';
		if (rpcb_parse_dump(s.b, s.n, XID, &m, err, sizeof(err)) != -EBADMSG || m.regs)
			fail_msg("%s: accepted", cases[i].what);
		if (!err[0])
			fail_msg("%s: no reason given", cases[i].what);
	}
	/* bytes after the end of the list */
	reply(&p, debian, 2);
	put32(&p, 0);
	frame(&p, 0, &s);
	assert_int_equal(parse(&s, &m), -EBADMSG);
	/* bytes after the record */
	reply(&p, debian, 2);
	frame(&p, 0, &s);
	put32(&s, 0);
	assert_int_equal(parse(&s, &m), -EBADMSG);
}

/* Record marks: complete, incomplete, and larger than the bound. */
static void test_record_end(void **state)
{
	static const struct {
		uint8_t b[12];
		size_t n;
		long want;
	} cases[] = {
		{ { 0x80, 0, 0, 0 }, 4, 4 },                            /* empty last fragment */
		{ { 0, 0, 0, 0, 0x80, 0, 0, 1, 7 }, 9, 9 },             /* empty, then one byte */
		{ { 0x80, 0, 0, 2, 7 }, 5, 0 },                         /* one byte of two */
		{ { 0, 0, 0, 1, 7 }, 5, 0 },                            /* no last fragment yet */
		{ { 0x80, 0 }, 2, 0 },                                  /* half a mark */
		{ { 0xff, 0xff, 0xff, 0xff }, 4, -EMSGSIZE },           /* 2 GiB */
		{ { 0x80, 0x80, 0, 0 }, 4, -EMSGSIZE },                 /* 8 MiB: the mark does not fit */
		{ { 0x80, 0x7f, 0xff, 0xfc }, 4, 0 },                   /* 8 MiB less the mark: fits */
		{ { 0, 0x7f, 0xff, 0xf8, }, 4, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		if (rpcb_record_end(cases[i].b, cases[i].n) != cases[i].want)
			fail_msg("case %zu: %ld, want %ld", i, rpcb_record_end(cases[i].b, cases[i].n),
					cases[i].want);
	/* a stream of empty fragments that never ends reaches the bound */
	{
		uint8_t *zeros = calloc(RPCB_MAX_REPLY + 4, 1);

		assert_non_null(zeros);
		assert_int_equal(rpcb_record_end(zeros, RPCB_MAX_REPLY + 4), -EMSGSIZE);
		assert_int_equal(rpcb_record_end(zeros, RPCB_MAX_REPLY), 0);
		free(zeros);
	}
}

static void test_uaddr(void **state)
{
	static const struct {
		const char *s;
		int family;
		int rc;
		uint16_t port;
	} cases[] = {
		{ "0.0.0.0.3.45", AF_INET, 0, 813 },
		{ "127.0.0.2.0.111", AF_INET, 0, 111 },
		{ "10.1.2.3.255.255", AF_INET, 0, 65535 },
		{ "0.0.0.0.0.0", AF_INET, 0, 0 },
		{ "::.3.45", AF_INET6, 0, 813 },
		{ "::1.8.1", AF_INET6, 0, 2049 },
		{ "fe80::1.200.1", AF_INET6, 0, 51201 },
		{ "::ffff:1.2.3.4.0.22", AF_INET6, 0, 22 },
		{ "2001:db8::42.19.137", AF_INET6, 0, 5001 },
		{ "::.3.45", AF_INET, -EINVAL, 0 },             /* the family the netid says */
		{ "0.0.0.0.3.45", AF_INET6, -EINVAL, 0 },
		{ "0.0.0.0.3", AF_INET, -EINVAL, 0 },           /* one port byte */
		{ "0.0.0.0.256.1", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.1.256", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.03.1", AF_INET, -EINVAL, 0 },        /* leading zero */
		{ "0.0.0.0.2.0001", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0..1", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.1.", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.-1.1", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.+1.1", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.1.1 ", AF_INET, -EINVAL, 0 },
		{ "1.2.3.4.5.6.7", AF_INET, -EINVAL, 0 },       /* host 1.2.3.4.5 */
		{ "1.2.3.6.7", AF_INET, -EINVAL, 0 },
		{ "01.2.3.4.5.6", AF_INET, -EINVAL, 0 },
		{ ".3.45", AF_INET, -EINVAL, 0 },               /* no host */
		{ "", AF_INET, -EINVAL, 0 },
		{ ".", AF_INET, -EINVAL, 0 },
		{ "..", AF_INET, -EINVAL, 0 },
		{ "fe80::1%eth0.3.45", AF_INET6, -EINVAL, 0 },
		{ "/run/rpcbind.sock", AF_INET, -EINVAL, 0 },
		{ "0.0.0.0.3.45", AF_UNIX, -EINVAL, 0 },
		{ "1111:2222:3333:4444:5555:6666:7777:8888:9999.3.45", AF_INET6, -EINVAL, 0 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255.3.45", AF_INET6, 0, 813 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		uint16_t port = 7;
		int rc = rpcb_uaddr_port(cases[i].s, strlen(cases[i].s), cases[i].family, &port);

		if (rc != cases[i].rc || (rc == 0 && port != cases[i].port) || (rc != 0 && port != 7))
			fail_msg("\"%s\": rc %d port %u", cases[i].s, rc, port);
	}
	/* exactly n bytes: a NUL inside, or a longer string cut to n */
	assert_int_equal(rpcb_uaddr_port("0.0.0.0\0.3.45", 13, AF_INET, &(uint16_t){ 0 }), -EINVAL);
	assert_int_equal(rpcb_uaddr_port("0.0.0.0.3.45", 10, AF_INET, &(uint16_t){ 0 }), -EINVAL);
	assert_int_equal(rpcb_uaddr_port("0.0.0.0.3.45xyz", 12, AF_INET, &(uint16_t){ 0 }), 0);
	assert_int_equal(rpcb_uaddr_port(NULL, 0, AF_INET, &(uint16_t){ 0 }), -EINVAL);
}

/* A root entry with a malformed address is counted, not kept, and does not
 * spoil the others. */
static void test_bad_address_entry(void **state)
{
	static const struct ent e[] = {
		{ 100024, 1, "tcp", "0.0.0.0.3.300", "superuser" },
		{ 100024, 1, "udp6", "0.0.0.0.3.45", "superuser" },
		{ 100021, 1, "tcp", "0.0.0.0.3.45", "superuser" },
		{ 100021, 1, "tcp", "0.0.0.0.3.47", "superuser " },
		{ 100021, 1, "tcp", "0.0.0.0.3.48", "Superuser" },
	};
	struct buf p, s;
	struct rpc_map m;

	(void)state;
	reply(&p, e, N(e));
	frame(&p, 0, &s);
	assert_int_equal(parse(&s, &m), 0);
	assert_int_equal(m.bad_addr, 2);
	assert_int_equal(m.not_root, 2);
	assert_int_equal(m.nregs, 1);
	assert_int_equal(m.regs[0].port, 813);
	rpc_map_free(&m);
}

static void test_find(void **state)
{
	static const struct ent e[] = {
		{ 100227, 3, "tcp", "0.0.0.0.8.1", "superuser" },
		{ 100003, 4, "tcp", "0.0.0.0.8.1", "superuser" },
		{ 100003, 3, "udp", "0.0.0.0.8.1", "superuser" },
		{ 100024, 1, "tcp", "0.0.0.0.3.45", "superuser" },
	};
	struct buf p, s;
	struct rpc_map m;
	const struct rpc_reg *r;

	(void)state;
	reply(&p, e, N(e));
	frame(&p, 0, &s);
	assert_int_equal(parse(&s, &m), 0);
	assert_null(rpc_map_find(&m, PROTO_TCP, 2049));         /* not trusted yet */
	m.state = RPC_TRUSTED;
	r = rpc_map_find(&m, PROTO_TCP, 2049);
	assert_non_null(r);
	assert_int_equal(r->prog, 100003);                      /* the lowest program */
	assert_int_equal(rpc_map_find(&m, PROTO_UDP, 2049)->prog, 100003);
	assert_int_equal(rpc_map_find(&m, PROTO_TCP, 813)->prog, 100024);
	assert_null(rpc_map_find(&m, PROTO_UDP, 813));
	assert_null(rpc_map_find(&m, PROTO_TCP, 814));
	assert_null(rpc_map_find(&m, PROTO_UDPLITE, 2049));
	assert_null(rpc_map_find(&m, PROTO_SCTP, 813));
	assert_null(rpc_map_find(NULL, PROTO_TCP, 813));
	rpc_map_free(&m);
	assert_int_equal(m.state, RPC_NOT_ASKED);
	assert_null(rpc_map_find(&m, PROTO_TCP, 813));
	rpc_map_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_call),
		cmocka_unit_test(test_valid_dump),
		cmocka_unit_test(test_empty_dump),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_replies),
		cmocka_unit_test(test_record_end),
		cmocka_unit_test(test_uaddr),
		cmocka_unit_test(test_bad_address_entry),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
