/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the netlink module: the parser seam on synthetic kernel replies,
 * and one live dump of the test's own network namespace (no privilege). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/inet_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory.h"
#include "netlink.h"
#include "nlparse.h"
#include "packet.h"

#define SEQ     4242u
#define PORTID  777u
#define NETNS   3u

/* ---- building kernel replies ---- */

enum extra {
	X_NONE,
	X_UNKNOWN_200,          /* an attribute type newer than our headers */
	X_V6ONLY_LEN2,          /* SKV6ONLY with a 2-byte payload */
	X_CGROUP_LEN4,          /* CGROUP_ID with a 4-byte payload */
	X_OVERRUN,              /* last attribute claims more bytes than the message has */
	X_SHORT,                /* payload shorter than struct inet_diag_msg */
	X_UNIX,                 /* idiag_family AF_UNIX */
	X_TCPDIAG,              /* nlmsg_type TCPDIAG_GETSOCK: the reply to the dump of TCP in both families */
};

struct row {
	uint8_t family, state;
	uint16_t port;
	const char *addr;       /* text, parsed with inet_pton(family); NULL = 127.0.0.1 or :: */
	uint32_t ifindex, uid, inode;
	uint64_t cookie;
	enum { V6_ABSENT, V6_DUAL, V6_ONLY } v6only;
	uint64_t cgroup;        /* 0: attribute absent */
	enum extra extra;
};

enum op_kind { OP_END, OP_ROW, OP_DONE, OP_ERROR };

struct op {
	enum op_kind kind;
	int err;                /* payload of DONE and ERROR */
	struct row row;
};

struct mbuf {
	_Alignas(8) unsigned char b[4096];
	size_t len;
};

static struct nlmsghdr *mb_msg(struct mbuf *mb, uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mb->b + mb->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static void put_row_attrs(struct nlmsghdr *nlh, const struct row *r)
{
	uint16_t two = 1;
	uint32_t four = 1;

	if (r->extra == X_UNKNOWN_200)
		mnl_attr_put_u32(nlh, 200, 0xdeadbeef);
	if (r->extra == X_V6ONLY_LEN2)
		mnl_attr_put(nlh, INET_DIAG_SKV6ONLY, sizeof(two), &two);
	else if (r->v6only != V6_ABSENT)
		mnl_attr_put_u8(nlh, INET_DIAG_SKV6ONLY, r->v6only == V6_ONLY);
	mnl_attr_put_u8(nlh, INET_DIAG_SHUTDOWN, 0);
	if (r->extra == X_CGROUP_LEN4)
		mnl_attr_put(nlh, INET_DIAG_CGROUP_ID, sizeof(four), &four);
	else if (r->cgroup)
		mnl_attr_put_u64(nlh, INET_DIAG_CGROUP_ID, r->cgroup);
	if (r->extra == X_OVERRUN) {
		struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

		mnl_attr_put_u32(nlh, INET_DIAG_MARK, 1);
		a->nla_len += 16;
	}
}

static void put_row(struct mbuf *mb, const struct row *r)
{
	struct nlmsghdr *nlh = mb_msg(mb, r->extra == X_TCPDIAG ? TCPDIAG_GETSOCK : SOCK_DIAG_BY_FAMILY);
	struct inet_diag_msg *m;

	if (r->extra == X_SHORT) {
		mnl_nlmsg_put_extra_header(nlh, sizeof(*m) - 8);
		mb->len += nlh->nlmsg_len;
		return;
	}
	m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	m->idiag_family = r->family;
	m->idiag_state = r->state;
	m->id.idiag_sport = htons(r->port);
	if (r->addr)
		assert_int_equal(inet_pton(r->family, r->addr, m->id.idiag_src), 1);
	else if (r->family == AF_INET)
		m->id.idiag_src[0] = htonl(INADDR_LOOPBACK);
	m->id.idiag_if = r->ifindex;
	m->id.idiag_cookie[0] = (uint32_t)r->cookie;
	m->id.idiag_cookie[1] = (uint32_t)(r->cookie >> 32);
	m->idiag_uid = r->uid;
	m->idiag_inode = r->inode;
	if (r->extra == X_UNIX)
		m->idiag_family = AF_UNIX;
	put_row_attrs(nlh, r);
	mb->len += nlh->nlmsg_len;
}

static void put_int_msg(struct mbuf *mb, uint16_t type, int err)
{
	struct nlmsghdr *nlh = mb_msg(mb, type);

	if (type == NLMSG_ERROR) {
		struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));

		e->error = err;
	} else {
		int *p = mnl_nlmsg_put_extra_header(nlh, sizeof(int));

		*p = err;
	}
	mb->len += nlh->nlmsg_len;
}

static void build(struct mbuf *mb, const struct op *ops)
{
	memset(mb, 0, sizeof(*mb));
	for (; ops->kind != OP_END; ops++) {
		if (ops->kind == OP_ROW)
			put_row(mb, &ops->row);
		else
			put_int_msg(mb, ops->kind == OP_DONE ? NLMSG_DONE : NLMSG_ERROR, ops->err);
	}
}

/* ---- the parser table ---- */

struct want {
	uint8_t proto, family;
	int8_t v6only;
	uint16_t port;
	const char *addr;       /* text in family */
	uint32_t ifindex, uid, inode;
	uint64_t cookie, cgroup;
};

struct pcase {
	const char *name;
	unsigned proto;
	struct op ops[4];
	size_t cut;             /* bytes removed from the end of the buffer */
	uint32_t seq, portid;   /* passed to nl_parse; 0 = SEQ, PORTID */
	int rc;
	size_t nsocks;
	struct want first;      /* checked when nsocks > 0 */
	uint16_t last_port;     /* checked when nsocks > 1 */
};

#define ROW(...) { .kind = OP_ROW, .row = { __VA_ARGS__ } }
#define DONE(e) { .kind = OP_DONE, .err = (e) }
#define NLERR(e) { .kind = OP_ERROR, .err = (e) }

#define V4(st, p, ...) ROW(.family = AF_INET, .state = (st), .port = (p), __VA_ARGS__)
#define V6(st, p, ...) ROW(.family = AF_INET6, .state = (st), .port = (p), __VA_ARGS__)
#define L TCP_LISTEN
#define C TCP_CLOSE

static const struct pcase pcases[] = {
	{ "ipv4 tcp row, all fields, DONE in the same buffer", PROTO_TCP,
	  { V4(L, 22, .ifindex = 3, .uid = 1000, .inode = 98765,
	       .cookie = 0x0000000500000007ull, .cgroup = 0x1122334455667788ull),
	    DONE(0) }, 0, 0, 0, 0, 1,
	  { PROTO_TCP, AF_INET, -1, 22, "127.0.0.1", 3, 1000, 98765,
	    0x0000000500000007ull, 0x1122334455667788ull }, 0 },
	{ "ipv6 v6only=0, more to come", PROTO_TCP,
	  { V6(L, 80, .v6only = V6_DUAL, .inode = 5) }, 0, 0, 0, 1, 1,
	  { PROTO_TCP, AF_INET6, 0, 80, "::", 0, 0, 5, 0, 0 }, 0 },
	{ "ipv6 v6only=1", PROTO_TCP,
	  { V6(L, 443, .addr = "::1", .v6only = V6_ONLY) }, 0, 0, 0, 1, 1,
	  { PROTO_TCP, AF_INET6, 1, 443, "::1", 0, 0, 0, 0, 0 }, 0 },
	{ "ipv6 v6only absent", PROTO_TCP,
	  { V6(L, 80, .v6only = V6_ABSENT) }, 0, 0, 0, 1, 1,
	  { PROTO_TCP, AF_INET6, -1, 80, "::", 0, 0, 0, 0, 0 }, 0 },
	{ "v4-mapped address becomes AF_INET", PROTO_UDP,
	  { V6(C, 53, .addr = "::ffff:10.1.2.3", .v6only = V6_DUAL) }, 0, 0, 0, 1, 1,
	  { PROTO_UDP, AF_INET, -1, 53, "10.1.2.3", 0, 0, 0, 0, 0 }, 0 },
	{ "cgroup id absent is 0", PROTO_SCTP,
	  { V4(L, 38412, .addr = "0.0.0.0", .cgroup = 0) }, 0, 0, 0, 1, 1,
	  { PROTO_SCTP, AF_INET, -1, 38412, "0.0.0.0", 0, 0, 0, 0, 0 }, 0 },
	{ "multi-message buffer", PROTO_UDPLITE,
	  { V4(C, 5000, .uid = 1), V6(C, 5001, .v6only = V6_ONLY), V4(C, 5002, .uid = 2),
	    DONE(0) }, 0, 0, 0, 0, 3,
	  { PROTO_UDPLITE, AF_INET, -1, 5000, "127.0.0.1", 0, 1, 0, 0, 0 }, 5002 },
	{ "row in another state is ignored", PROTO_TCP,
	  { V4(TCP_ESTABLISHED, 22, .uid = 0), V4(C, 22, .uid = 0) }, 0, 0, 0, 1, 0, { 0 }, 0 },
	{ "udp row in LISTEN is ignored", PROTO_UDP,
	  { V4(L, 53, .uid = 0), DONE(0) }, 0, 0, 0, 0, 0, { 0 }, 0 },
	{ "TCPDIAG_GETSOCK rows: tcp of both families in one dump", PROTO_TCP,
	  { V4(L, 22, .uid = 7, .extra = X_TCPDIAG), V6(L, 2222, .v6only = V6_ONLY, .extra = X_TCPDIAG),
	    DONE(0) }, 0, 0, 0, 0, 2,
	  { PROTO_TCP, AF_INET, -1, 22, "127.0.0.1", 0, 7, 0, 0, 0 }, 2222 },
	{ "TCPDIAG_GETSOCK rows are not udp's", PROTO_UDP,
	  { V4(C, 53, .uid = 0, .extra = X_TCPDIAG), V4(C, 54, .uid = 0), DONE(0) }, 0, 0, 0, 0, 1,
	  { PROTO_UDP, AF_INET, -1, 54, "127.0.0.1", 0, 0, 0, 0, 0 }, 0 },
	{ "row of an unknown family is ignored", PROTO_TCP,
	  { V4(L, 1, .uid = 0), V4(L, 2, .extra = X_UNIX) }, 0, 0, 0, 1, 1,
	  { PROTO_TCP, AF_INET, -1, 1, "127.0.0.1", 0, 0, 0, 0, 0 }, 0 },
	{ "unknown attribute type 200 skipped", PROTO_TCP,
	  { V6(L, 80, .v6only = V6_ONLY, .cgroup = 9, .extra = X_UNKNOWN_200) }, 0, 0, 0, 1, 1,
	  { PROTO_TCP, AF_INET6, 1, 80, "::", 0, 0, 0, 0, 9 }, 0 },
	{ "truncated message", PROTO_TCP,
	  { V4(L, 1, .uid = 0), V4(L, 2, .uid = 0) }, 10, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "payload shorter than inet_diag_msg", PROTO_TCP,
	  { V4(L, 1, .extra = X_SHORT) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "v6only attribute of 2 bytes", PROTO_TCP,
	  { V6(L, 1, .extra = X_V6ONLY_LEN2) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "cgroup id attribute of 4 bytes", PROTO_TCP,
	  { V4(L, 1, .extra = X_CGROUP_LEN4) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "attribute overruns the message", PROTO_TCP,
	  { V4(L, 1, .extra = X_OVERRUN) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "NLMSG_ERROR -EPERM", PROTO_TCP, { NLERR(-EPERM) }, 0, 0, 0, -EPERM, 0, { 0 }, 0 },
	{ "NLMSG_DONE carrying -ENOENT", PROTO_SCTP, { DONE(-ENOENT) }, 0, 0, 0, -ENOENT, 0,
	  { 0 }, 0 },
	/* regressions found by tests/fuzz/fuzz_netlink: not errnos */
	{ "NLMSG_ERROR INT_MIN", PROTO_TCP, { NLERR(INT32_MIN) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "NLMSG_ERROR 0x00ffffdf", PROTO_TCP, { NLERR(0x00ffffdf) }, 0, 0, 0, -EBADMSG, 0,
	  { 0 }, 0 },
	{ "NLMSG_DONE carrying INT_MIN", PROTO_TCP, { DONE(INT32_MIN) }, 0, 0, 0, -EBADMSG, 0,
	  { 0 }, 0 },
	{ "NLMSG_DONE carrying -4096", PROTO_TCP, { DONE(-4096) }, 0, 0, 0, -EBADMSG, 0, { 0 }, 0 },
	{ "plain NLMSG_DONE", PROTO_TCP, { DONE(0) }, 0, 0, 0, 0, 0, { 0 }, 0 },
	{ "wrong seq", PROTO_TCP, { V4(L, 1, .uid = 0), DONE(0) }, 0, SEQ + 1, 0, -EPROTO, 0,
	  { 0 }, 0 },
	{ "wrong portid", PROTO_TCP, { DONE(0) }, 0, 0, PORTID + 1, -ESRCH, 0, { 0 }, 0 },
	{ "unknown proto", PROTO_COUNT, { DONE(0) }, 0, 0, 0, -EINVAL, 0, { 0 }, 0 },
};

static void assert_sock(const struct sock *s, const struct want *w)
{
	uint8_t addr[16] = { 0 };

	assert_int_equal(inet_pton(w->family, w->addr, addr), 1);
	assert_int_equal(s->proto, w->proto);
	assert_int_equal(s->family, w->family);
	assert_int_equal(s->v6only, w->v6only);
	assert_int_equal(s->port, w->port);
	assert_memory_equal(s->addr, addr, sizeof(addr));
	assert_int_equal(s->ifindex, w->ifindex);
	assert_int_equal(s->uid, w->uid);
	assert_int_equal(s->inode, w->inode);
	assert_int_equal(s->cookie, w->cookie);
	assert_int_equal(s->cgroup_id, w->cgroup);
	assert_int_equal(s->netns, NETNS);
}

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		const struct pcase *c = &pcases[i];
		struct inventory inv;
		struct mbuf mb;
		size_t fixups = 0, want = 0;
		int rc;

		print_message("case: %s\n", c->name);
		build(&mb, c->ops);
		assert_true(mb.len > c->cut);
		inv_init(&inv);
		rc = nl_parse(mb.b, mb.len - c->cut, c->seq ? c->seq : SEQ,
			c->portid ? c->portid : PORTID, c->proto, NETNS, &inv, &fixups);
		assert_int_equal(rc, c->rc);
		if (rc >= 0)
			assert_int_equal(inv.nsocks, c->nsocks);
		assert_int_equal(inv.nifnames, 0);      /* names are nl_collect's */
		/* what nl_collect must complete: a device name, or a v6only default */
		for (size_t k = 0; rc >= 0 && k < inv.nsocks; k++)
			want += inv.socks[k].ifindex != 0 ||
				(inv.socks[k].family == AF_INET6 && inv.socks[k].v6only == -1);
		if (rc >= 0)
			assert_int_equal(fixups, want);
		if (c->nsocks > 0)
			assert_sock(&inv.socks[0], &c->first);
		if (c->nsocks > 1)
			assert_int_equal(inv.socks[c->nsocks - 1].port, c->last_port);
		inv_free(&inv);
	}
}

/* Regression (found by tests/fuzz/fuzz_netlink): a second message whose
 * nlmsg_len has the top bit set passed libmnl's (int) comparison, and the
 * framing walk jumped outside the buffer (SEGV) or, at 0xfffffffd and above,
 * stood still forever. Every such length must be a clean -EBADMSG. */
static void test_parse_huge_nlmsg_len(void **state)
{
	static const uint32_t lens[] = { 0x8b8b8b8bu, 0x80000000u, 0xfffffffcu, 0xfffffffdu,
		0xfffffffeu, 0xffffffffu };
	static const struct op one_row[] = { V4(L, 22, .uid = 0), { .kind = OP_END } };

	(void)state;
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct inventory inv;
		struct mbuf mb;
		struct nlmsghdr *nlh;

		build(&mb, one_row);
		nlh = mb_msg(&mb, SOCK_DIAG_BY_FAMILY);
		nlh->nlmsg_len = lens[i];
		mb.len += sizeof(*nlh) + 64;    /* zeroed payload by build() */
		inv_init(&inv);
		print_message("nlmsg_len 0x%08x\n", (unsigned)lens[i]);
		assert_int_equal(nl_parse(mb.b, mb.len, SEQ, PORTID, PROTO_TCP, NETNS, &inv, NULL), -EBADMSG);
		assert_int_equal(inv.nsocks, 0);
		inv_free(&inv);
	}
}

/* ---- live: the test's own netns ---- */

static int open_sock(int type, int *port, uint32_t *inode)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);
	struct stat st;
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	assert_int_equal(fstat(fd, &st), 0);
	*port = ntohs(sa.sin_port);
	*inode = (uint32_t)st.st_ino;
	return fd;
}

/* Connected UDP is not a listener: it must stay out of the dump. */
static int open_connected_udp(int peer_port, int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons((uint16_t)peer_port) };
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static const struct sock *find(const struct inventory *inv, unsigned proto, int port)
{
	for (size_t i = 0; i < inv->nsocks; i++)
		if (inv->socks[i].proto == proto && inv->socks[i].port == port)
			return &inv->socks[i];
	return NULL;
}

static void test_live_collect(void **state)
{
	static const uint8_t lo[4] = { 127, 0, 0, 1 };
	struct inventory inv;
	uint32_t tino, uino;
	int tport, uport, cport;
	int tfd = open_sock(SOCK_STREAM, &tport, &tino);
	int ufd = open_sock(SOCK_DGRAM, &uport, &uino);
	int cfd = open_connected_udp(uport, &cport);
	const struct sock *t, *u;
	char err[256] = "untouched";

	(void)state;
	inv_init(&inv);
	assert_int_equal(nl_collect(&inv, NETNS, "/proc", 2000, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	t = find(&inv, PROTO_TCP, tport);
	u = find(&inv, PROTO_UDP, uport);
	assert_non_null(t);
	assert_non_null(u);
	assert_int_equal(t->family, AF_INET);
	assert_int_equal(u->family, AF_INET);
	assert_memory_equal(t->addr, lo, 4);
	assert_memory_equal(u->addr, lo, 4);
	assert_int_equal(t->inode, tino);
	assert_int_equal(u->inode, uino);
	assert_int_equal(t->uid, getuid());
	assert_int_equal(t->netns, NETNS);
	assert_true(t->cookie != 0);
	assert_null(find(&inv, PROTO_UDP, cport));
	for (size_t i = 0; i < inv.nsocks; i++) {
		if (inv.socks[i].family == AF_INET6)
			assert_in_range(inv.socks[i].v6only, 0, 1);
		if (inv.socks[i].ifindex != 0)
			assert_true(inv_ifname(&inv, &inv.socks[i])[0] != '\0');
	}
	inv_free(&inv);
	close(cfd);
	close(ufd);
	close(tfd);
}

/* ---- packet_diag and raw_diag replies through the same seam ---- */

static void put_packet_row(struct mbuf *mb, uint32_t ino, uint32_t ifindex, size_t filter_insns, bool uid)
{
	struct nlmsghdr *nlh = mb_msg(mb, SOCK_DIAG_BY_FAMILY);
	struct packet_diag_msg *m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
	struct packet_diag_info info = { .pdi_index = ifindex };
	struct sock_filter f[4] = { BPF_STMT(BPF_RET | BPF_K, 0) };

	m->pdiag_family = AF_PACKET;
	m->pdiag_type = SOCK_RAW;
	m->pdiag_num = ETH_P_ALL;
	m->pdiag_ino = ino;
	m->pdiag_cookie[0] = ino;
	mnl_attr_put(nlh, PACKET_DIAG_INFO, sizeof(info), &info);
	if (uid)
		mnl_attr_put_u32(nlh, PACKET_DIAG_UID, 0);
	mnl_attr_put(nlh, PACKET_DIAG_FILTER, filter_insns * sizeof(f[0]), f);
	mb->len += nlh->nlmsg_len;
}

static void test_parse_packet(void **state)
{
	struct mbuf mb;
	struct inventory inv;

	(void)state;
	memset(&mb, 0, sizeof(mb));
	put_packet_row(&mb, 77, 2, 4, true);
	put_packet_row(&mb, 78, 0, 0, true);           /* filter withheld */
	put_int_msg(&mb, NLMSG_DONE, 0);
	inv_init(&inv);
	assert_int_equal(nl_parse(mb.b, mb.len, SEQ, PORTID, PROTO_PACKET, NETNS, &inv, NULL), 0);
	assert_int_equal(inv.nsocks, 2);
	assert_int_equal(inv.socks[0].proto, PROTO_PACKET);
	assert_int_equal(inv.socks[0].family, AF_PACKET);
	assert_int_equal(inv.socks[0].port, ETH_P_ALL);
	assert_int_equal(inv.socks[0].inode, 77);
	assert_int_equal(inv.socks[0].ifindex, 2);
	assert_int_equal(inv.socks[0].netns, NETNS);
	assert_int_equal(inv.socks[0].pkt.filter, PKT_FILTER_CLASSIC);
	assert_int_equal(inv.socks[0].pkt.filter_len, 4);
	assert_int_equal(inv.socks[1].pkt.filter, PKT_FILTER_WITHHELD);
	inv_free(&inv);

	/* a row without PACKET_DIAG_UID: the user would be a guess */
	memset(&mb, 0, sizeof(mb));
	put_packet_row(&mb, 79, 0, 1, false);
	inv_init(&inv);
	assert_int_equal(nl_parse(mb.b, mb.len, SEQ, PORTID, PROTO_PACKET, NETNS, &inv, NULL), -EBADMSG);
	inv_free(&inv);

	/* no packet_diag in the kernel: the error inside DONE */
	memset(&mb, 0, sizeof(mb));
	put_int_msg(&mb, NLMSG_DONE, -ENOENT);
	inv_init(&inv);
	assert_int_equal(nl_parse(mb.b, mb.len, SEQ, PORTID, PROTO_PACKET, NETNS, &inv, NULL), -ENOENT);
	assert_int_equal(inv.nsocks, 0);
	inv_free(&inv);
}

/* raw_diag: any state; the IP protocol from INET_DIAG_PROTOCOL; raw6 is IPv6 only. */
static void test_parse_raw_diag(void **state)
{
	struct mbuf mb;
	struct inventory inv;
	struct nlmsghdr *nlh;
	struct inet_diag_msg *m;

	(void)state;
	memset(&mb, 0, sizeof(mb));
	for (int i = 0; i < 2; i++) {
		nlh = mb_msg(&mb, SOCK_DIAG_BY_FAMILY);
		m = mnl_nlmsg_put_extra_header(nlh, sizeof(*m));
		m->idiag_family = i ? AF_INET : AF_INET6;
		m->idiag_state = i ? TCP_ESTABLISHED : TCP_CLOSE;
		m->id.idiag_sport = htons(i ? 1 : 58);
		m->idiag_inode = 90u + (unsigned)i;
		m->id.idiag_if = 0;
		if (i == 0)
			mnl_attr_put_u8(nlh, INET_DIAG_PROTOCOL, 58);
		mb.len += nlh->nlmsg_len;
	}
	put_int_msg(&mb, NLMSG_DONE, 0);
	inv_init(&inv);
	assert_int_equal(nl_parse(mb.b, mb.len, SEQ, PORTID, PROTO_RAW, NETNS, &inv, NULL), 0);
	assert_int_equal(inv.nsocks, 2);
	assert_int_equal(inv.socks[0].proto, PROTO_RAW);
	assert_int_equal(inv.socks[0].port, 58);
	assert_int_equal(inv.socks[0].v6only, 1);
	assert_int_equal(inv.socks[0].flags & SOCK_IF_UNKNOWN, 0);
	assert_int_equal(inv.socks[1].port, 1);        /* from sport when the attribute is absent */
	assert_int_equal(inv.socks[1].inode, 91);
	inv_free(&inv);
}

static const struct sock *find_inode(const struct inventory *inv, unsigned proto, uint32_t ino)
{
	for (size_t i = 0; i < inv->nsocks; i++)
		if (inv->socks[i].proto == proto && inv->socks[i].inode == ino)
			return &inv->socks[i];
	return NULL;
}

/* A packet and a raw socket of the test's own: both found, whatever the
 * source of raw sockets is (raw_diag or /proc/net/raw). Needs CAP_NET_RAW. */
static void test_live_packet_raw(void **state)
{
	int pfd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ARP));
	int rfd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	struct stat ps, rs;
	struct inventory inv;
	const struct sock *p, *r;
	char err[256];

	(void)state;
	if (pfd < 0 || rfd < 0) {
		if (pfd >= 0)
			close(pfd);
		if (rfd >= 0)
			close(rfd);
		skip();
	}
	assert_int_equal(fstat(pfd, &ps), 0);
	assert_int_equal(fstat(rfd, &rs), 0);
	inv_init(&inv);
	assert_int_equal(nl_collect(&inv, 0, "/proc", 2000, err, sizeof(err)), 0);
	p = find_inode(&inv, PROTO_PACKET, (uint32_t)ps.st_ino);
	r = find_inode(&inv, PROTO_RAW, (uint32_t)rs.st_ino);
	assert_non_null(p);
	assert_non_null(r);
	assert_int_equal(p->port, ETH_P_ARP);
	assert_int_equal(p->pkt.type, SOCK_DGRAM);
	assert_int_equal(p->uid, getuid());
	assert_int_equal(r->port, IPPROTO_ICMP);
	assert_int_equal(r->family, AF_INET);
	inv_free(&inv);
	close(pfd);
	close(rfd);
}

/* SO_BINDTODEVICE needs CAP_NET_RAW; without it there is nothing to test. */
static void test_live_ifname(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	struct inventory inv;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const struct sock *s;
	char err[256];

	(void)state;
	assert_true(fd >= 0);
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) < 0) {
		close(fd);
		skip();
	}
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	inv_init(&inv);
	assert_int_equal(nl_collect(&inv, 0, "/proc", 2000, err, sizeof(err)), 0);
	s = find(&inv, PROTO_UDP, ntohs(sa.sin_port));
	assert_non_null(s);
	assert_true(s->ifindex != 0);
	assert_string_equal(inv_ifname(&inv, s), "lo");
	inv_free(&inv);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_huge_nlmsg_len),
		cmocka_unit_test(test_live_collect),
		cmocka_unit_test(test_live_ifname),
		cmocka_unit_test(test_parse_packet),
		cmocka_unit_test(test_parse_raw_diag),
		cmocka_unit_test(test_live_packet_raw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
