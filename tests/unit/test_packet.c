/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for packet: the packet_diag payload parser on synthetic replies
 * (truncated, unknown attributes, filter present, withheld or missing). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/packet_diag.h>
#include <sys/socket.h>

#include "packet.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- building payloads ---- */

struct pbuf {
	_Alignas(8) unsigned char b[1024];
	size_t len;
};

static void put(struct pbuf *p, const void *data, size_t n)
{
	assert_true(p->len + n <= sizeof(p->b));
	memcpy(p->b + p->len, data, n);
	p->len += n;
}

static void pad(struct pbuf *p)
{
	static const unsigned char zero[4];

	put(p, zero, NLA_ALIGN(p->len) - p->len);
}

static void msg(struct pbuf *p, uint8_t family, uint8_t type, uint16_t num, uint32_t ino, uint64_t cookie)
{
	struct packet_diag_msg m = {
		.pdiag_family = family, .pdiag_type = type, .pdiag_num = num, .pdiag_ino = ino,
		.pdiag_cookie = { (uint32_t)cookie, (uint32_t)(cookie >> 32) },
	};

	p->len = 0;
	put(p, &m, sizeof(m));
}

/* An attribute claiming len_extra more bytes than it carries (overrun tests). */
static void attr_x(struct pbuf *p, uint16_t type, const void *data, size_t n, size_t len_extra, int padded)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n + len_extra), .nla_type = type };

	put(p, &a, sizeof(a));
	if (n)
		put(p, data, n);
	if (padded)
		pad(p);
}

static void attr(struct pbuf *p, uint16_t type, const void *data, size_t n)
{
	attr_x(p, type, data, n, 0, 1);
}

static void info(struct pbuf *p, uint32_t ifindex)
{
	struct packet_diag_info i = { .pdi_index = ifindex, .pdi_flags = PDI_RUNNING };

	attr(p, PACKET_DIAG_INFO, &i, sizeof(i));
}

static void uid(struct pbuf *p, uint32_t u)
{
	attr(p, PACKET_DIAG_UID, &u, sizeof(u));
}

static void filter(struct pbuf *p, size_t insns)
{
	struct sock_filter f[8] = { BPF_STMT(BPF_RET | BPF_K, 0xffff) };

	assert_true(insns <= N(f));
	attr(p, PACKET_DIAG_FILTER, f, insns * sizeof(f[0]));
}

/* ---- cases ---- */

enum shape {
	S_BASIC,                /* INFO + UID, no filter attribute */
	S_FILTER4,              /* a 4-instruction classic filter */
	S_WITHHELD,             /* FILTER with no payload */
	S_FULL,                 /* every attribute we read, plus MCLIST and MEMINFO */
	S_UNKNOWN_ATTR,         /* a type newer than our headers between the others */
	S_NESTED_FLAG,          /* UID with NLA_F_NESTED set in the type */
	S_UNPADDED_LAST,        /* the last attribute without its padding */
	S_NO_INFO,
	S_NO_UID,
	S_SHORT_MSG,            /* payload shorter than struct packet_diag_msg */
	S_ATTR_OVERRUN,         /* an attribute longer than what is left */
	S_ATTR_TINY,            /* nla_len below the attribute header */
	S_HALF_HEADER,          /* two bytes of an attribute header at the end */
	S_INFO_SHORT,
	S_UID_LONG,
	S_FILTER_ODD,           /* 12 bytes: not a whole number of instructions */
	S_FANOUT_SHORT,
	S_RING_SHORT,
	S_NOT_PACKET,           /* pdiag_family AF_INET */
	S_REPEATED_UID,         /* the later one wins */
};

struct pcase {
	const char *name;
	enum shape shape;
	int ret;
	uint32_t ifindex, uid;
	enum pkt_filter filter;
	uint16_t filter_len;
	int fanout, rx, tx;
};

static const struct pcase cases[] = {
	{ "basic, filter attribute missing", S_BASIC, 0, 2, 0, PKT_FILTER_NONE, 0, 0, 0, 0 },
	{ "classic filter", S_FILTER4, 0, 0, 0, PKT_FILTER_CLASSIC, 4, 0, 0, 0 },
	{ "filter withheld", S_WITHHELD, 0, 0, 1000, PKT_FILTER_WITHHELD, 0, 0, 0, 0 },
	{ "every attribute", S_FULL, 0, 7, 106, PKT_FILTER_CLASSIC, 1, 1, 1, 1 },
	{ "unknown attribute skipped", S_UNKNOWN_ATTR, 0, 3, 0, PKT_FILTER_NONE, 0, 0, 0, 0 },
	{ "nested flag ignored in the type", S_NESTED_FLAG, 0, 0, 33, PKT_FILTER_NONE, 0, 0, 0, 0 },
	{ "last attribute unpadded", S_UNPADDED_LAST, 0, 0, 0, PKT_FILTER_NONE, 0, 0, 0, 0 },
	{ "repeated attribute: the later wins", S_REPEATED_UID, 0, 0, 2, PKT_FILTER_NONE, 0, 0, 0, 0 },
	{ "INFO missing", S_NO_INFO, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "UID missing", S_NO_UID, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "message truncated", S_SHORT_MSG, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "attribute overruns the message", S_ATTR_OVERRUN, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "attribute length below its header", S_ATTR_TINY, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "half an attribute header", S_HALF_HEADER, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "INFO truncated", S_INFO_SHORT, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "UID of 8 bytes", S_UID_LONG, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "filter of 12 bytes", S_FILTER_ODD, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "FANOUT truncated", S_FANOUT_SHORT, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "RX_RING truncated", S_RING_SHORT, -EBADMSG, 0, 0, 0, 0, 0, 0, 0 },
	{ "not AF_PACKET", S_NOT_PACKET, 1, 0, 0, 0, 0, 0, 0, 0 },
};

static void build(struct pbuf *p, enum shape s)
{
	struct packet_diag_ring ring = { .pdr_block_size = 4096, .pdr_block_nr = 4 };
	uint32_t fan = 7u | (uint32_t)(PACKET_FANOUT_CPU | PACKET_FANOUT_FLAG_ROLLOVER) << 16;
	uint32_t u = 33, big[2] = { 1, 2 };
	unsigned char junk[12] = { 0 };

	msg(p, s == S_NOT_PACKET ? AF_INET : AF_PACKET, SOCK_RAW, 3, 4242, 0x100000002ull);
	switch (s) {
	case S_BASIC:
		info(p, 2), uid(p, 0);
		break;
	case S_FILTER4:
		info(p, 0), uid(p, 0), filter(p, 4);
		break;
	case S_WITHHELD:
		info(p, 0), uid(p, 1000), filter(p, 0);
		break;
	case S_FULL:
		info(p, 7);
		attr(p, PACKET_DIAG_MCLIST, junk, sizeof(junk));
		attr(p, PACKET_DIAG_RX_RING, &ring, sizeof(ring));
		attr(p, PACKET_DIAG_TX_RING, &ring, sizeof(ring));
		attr(p, PACKET_DIAG_FANOUT, &fan, sizeof(fan));
		attr(p, PACKET_DIAG_MEMINFO, junk, sizeof(junk));
		filter(p, 1);
		uid(p, 106);            /* last: every shorter prefix lacks it */
		break;
	case S_UNKNOWN_ATTR:
		info(p, 3), attr(p, 200, junk, 5), uid(p, 0);
		break;
	case S_NESTED_FLAG:
		info(p, 0), attr(p, NLA_F_NESTED | PACKET_DIAG_UID, &u, sizeof(u));
		break;
	case S_UNPADDED_LAST:
		info(p, 0), uid(p, 0), attr_x(p, 201, junk, 3, 0, 0);
		break;
	case S_REPEATED_UID:
		info(p, 0), uid(p, 1), uid(p, 2);
		break;
	case S_NO_INFO:
		uid(p, 0), filter(p, 1);
		break;
	case S_NO_UID:
		info(p, 0), filter(p, 1);
		break;
	case S_SHORT_MSG:
		p->len = sizeof(struct packet_diag_msg) - 1;
		break;
	case S_ATTR_OVERRUN:
		info(p, 0), uid(p, 0), attr_x(p, PACKET_DIAG_FILTER, junk, 8, 16, 1);
		break;
	case S_ATTR_TINY:
		info(p, 0), uid(p, 0), attr_x(p, 1, NULL, 0, 0, 1);
		((struct nlattr *)(p->b + p->len - NLA_HDRLEN))->nla_len = 2;
		break;
	case S_HALF_HEADER:
		info(p, 0), uid(p, 0), put(p, junk, 2);
		break;
	case S_INFO_SHORT:
		attr(p, PACKET_DIAG_INFO, junk, 8), uid(p, 0);
		break;
	case S_UID_LONG:
		info(p, 0), attr(p, PACKET_DIAG_UID, big, sizeof(big));
		break;
	case S_FILTER_ODD:
		info(p, 0), uid(p, 0), attr(p, PACKET_DIAG_FILTER, junk, 12);
		break;
	case S_FANOUT_SHORT:
		info(p, 0), uid(p, 0), attr(p, PACKET_DIAG_FANOUT, junk, 2);
		break;
	case S_RING_SHORT:
		info(p, 0), uid(p, 0), attr(p, PACKET_DIAG_RX_RING, junk, 12);
		break;
	case S_NOT_PACKET:
		info(p, 0), uid(p, 0);
		break;
	}
}

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		const struct pcase *c = &cases[i];
		struct pbuf p;
		struct packet_row r;
		int rc;

		memset(&r, 0xa5, sizeof(r));
		build(&p, c->shape);
		rc = packet_parse(p.b, p.len, &r);
		if (rc != c->ret)
			fail_msg("%s: returned %d, expected %d", c->name, rc, c->ret);
		if (rc != 0)
			continue;
		if (r.ifindex != c->ifindex || r.uid != c->uid || r.filter != c->filter
				|| r.filter_len != c->filter_len || r.fanout != (c->fanout != 0)
				|| r.rx_ring != (c->rx != 0) || r.tx_ring != (c->tx != 0))
			fail_msg("%s: ifindex %u uid %u filter %d/%u fanout %d rx %d tx %d", c->name,
				r.ifindex, r.uid, r.filter, r.filter_len, r.fanout, r.rx_ring, r.tx_ring);
		assert_int_equal(r.type, SOCK_RAW);
		assert_int_equal(r.protocol, 3);
		assert_int_equal(r.inode, 4242);
		assert_true(r.cookie == 0x100000002ull);
	}
}

static void test_fanout_fields(void **state)
{
	struct pbuf p;
	struct packet_row r;

	(void)state;
	build(&p, S_FULL);
	assert_int_equal(packet_parse(p.b, p.len, &r), 0);
	assert_int_equal(r.fanout_id, 7);
	assert_int_equal(r.fanout_mode, PACKET_FANOUT_CPU);
}

/* Every prefix of a well-formed reply is either a whole reply or refused:
 * never read past the end (ASan watches), never accepted with a missing UID. */
static void test_every_truncation(void **state)
{
	struct pbuf p;
	struct packet_row r;

	(void)state;
	build(&p, S_FULL);
	for (size_t n = 0; n < p.len; n++) {
		unsigned char *copy = test_malloc(n ? n : 1);
		int rc;

		memcpy(copy, p.b, n);
		rc = packet_parse(copy, n, &r);
		test_free(copy);
		if (rc != -EBADMSG)
			fail_msg("prefix of %zu of %zu bytes: returned %d", n, p.len, rc);
	}
	assert_int_equal(packet_parse(NULL, 0, &r), -EBADMSG);
}

static void test_type_and_filter_names(void **state)
{
	(void)state;
	assert_string_equal(packet_type_name(SOCK_RAW), "raw");
	assert_string_equal(packet_type_name(SOCK_DGRAM), "dgram");
	assert_string_equal(packet_type_name(SOCK_STREAM), "?");
	assert_string_equal(packet_filter_name(PKT_FILTER_NONE), "none");
	assert_string_equal(packet_filter_name(PKT_FILTER_CLASSIC), "classic");
	assert_string_equal(packet_filter_name(PKT_FILTER_WITHHELD), "withheld");
	assert_string_equal(packet_filter_name(PKT_FILTER_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_fanout_fields),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_type_and_filter_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
