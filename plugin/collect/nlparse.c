/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nlparse: the sock_diag replies of one dump -> socket rows (nlparse.h). */
#include "nlparse.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "packet.h"

/* The state that means "listening" for each protocol: TCP and SCTP listen,
 * UDP and UDP-Lite are unconnected (CLOSE); a raw socket receives in every
 * state (raw_diag ignores the mask). Both the request mask and the filter for
 * rows that come back. Packet sockets have their own dump. */
static const uint32_t listen_states[PROTO_COUNT] = {
	[PROTO_TCP] = 1u << TCP_LISTEN,
	[PROTO_UDP] = 1u << TCP_CLOSE,
	[PROTO_UDPLITE] = 1u << TCP_CLOSE,
	[PROTO_SCTP] = 1u << TCP_LISTEN,
	[PROTO_RAW] = UINT32_MAX,
};

uint32_t nl_listen_states(unsigned proto)
{
	return proto < PROTO_COUNT ? listen_states[proto] : 0;
}

struct parse_ctx {
	struct inventory *inv;
	uint32_t netns;
	uint8_t proto;
	size_t fixups;          /* rows added that need a name or a v6only default */
};

/* The attributes a row may carry that we use, validated. */
struct row_attrs {
	const struct nlattr *tb[INET_DIAG_MAX + 1];
	const char *end;        /* just past the last well-formed attribute */
};

static const enum mnl_attr_data_type attr_types[INET_DIAG_MAX + 1] = {
	[INET_DIAG_SKV6ONLY] = MNL_TYPE_U8,
	[INET_DIAG_PROTOCOL] = MNL_TYPE_U8,
	[INET_DIAG_CGROUP_ID] = MNL_TYPE_U64,
};

static int cb_fail(int err)
{
	errno = err;
	return MNL_CB_ERROR;
}

/* Keeps the attributes we use; others, and types from kernels newer than our
 * headers, are skipped so a newer kernel cannot break the parser. */
static int attr_cb(const struct nlattr *a, void *data)
{
	struct row_attrs *ra = data;
	uint16_t type = mnl_attr_get_type(a);

	ra->end = (const char *)mnl_attr_next(a);
	if (mnl_attr_type_valid(a, INET_DIAG_MAX) < 0 || attr_types[type] == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, attr_types[type]) < 0)
		return cb_fail(EBADMSG);
	ra->tb[type] = a;
	return MNL_CB_OK;
}

/* mnl_attr_parse() stops quietly at an attribute that overruns the message;
 * that is a malformed message, not the end of the list. Returns 0 or -1. */
static int parse_attrs(const struct nlmsghdr *nlh, struct row_attrs *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->end = (const char *)mnl_nlmsg_get_payload_offset(nlh, sizeof(struct inet_diag_msg));
	if (mnl_attr_parse(nlh, sizeof(struct inet_diag_msg), attr_cb, ra) < 0)
		return -1;
	if (ra->end != (const char *)mnl_nlmsg_get_payload_tail(nlh)) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* Address and family, with ::ffff:a.b.c.d turned into the IPv4 socket it is. */
static bool set_addr(struct sock *s, uint8_t family, const uint32_t src[4])
{
	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };
	const uint8_t *b = (const uint8_t *)src;

	if (family == AF_INET6 && memcmp(b, v4mapped, sizeof(v4mapped)) == 0) {
		family = AF_INET;
		b += 12;
	}
	if (family == AF_INET)
		memcpy(s->addr, b, 4);
	else if (family == AF_INET6)
		memcpy(s->addr, b, 16);
	else
		return false;
	s->family = family;
	return true;
}

static void fill_sock(struct sock *s, const struct inet_diag_msg *m,
		const struct row_attrs *ra, const struct parse_ctx *ctx)
{
	const struct nlattr *v6 = ra->tb[INET_DIAG_SKV6ONLY];
	const struct nlattr *cg = ra->tb[INET_DIAG_CGROUP_ID];
	const struct nlattr *ipp = ra->tb[INET_DIAG_PROTOCOL];

	s->proto = ctx->proto;
	s->netns = ctx->netns;
	s->port = ntohs(m->id.idiag_sport);     /* raw: htons(protocol) too */
	if (ctx->proto == PROTO_RAW && ipp)
		s->port = mnl_attr_get_u8(ipp);
	s->ifindex = m->id.idiag_if;
	s->uid = m->idiag_uid;
	s->inode = m->idiag_inode;
	s->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	s->cgroup_id = cg ? mnl_attr_get_u64(cg) : 0;
	s->v6only = -1;
	if (s->family == AF_INET6 && v6)
		s->v6only = mnl_attr_get_u8(v6) ? 1 : 0;
	if (s->family == AF_INET6 && ctx->proto == PROTO_RAW)
		s->v6only = 1;  /* raw6 never receives IPv4 */
}

/* A row's type is its request's: SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK for
 * the dump of TCP in both families (the same inet_diag_msg). */
static bool row_type(uint16_t type, uint8_t proto)
{
	return type == SOCK_DIAG_BY_FAMILY || (type == TCPDIAG_GETSOCK && proto == PROTO_TCP);
}

static int row_cb(const struct nlmsghdr *nlh, void *data)
{
	struct parse_ctx *ctx = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct row_attrs ra;
	struct sock s;

	if (!row_type(nlh->nlmsg_type, ctx->proto))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return cb_fail(EBADMSG);
	if (parse_attrs(nlh, &ra) < 0)
		return MNL_CB_ERROR;
	/* The kernel filters by state already; a row outside the mask is not a
	 * listener whatever the reason (UDP filters in a walk that races). */
	if (m->idiag_state >= 32 || !(listen_states[ctx->proto] & (1u << m->idiag_state)))
		return MNL_CB_OK;
	memset(&s, 0, sizeof(s));
	if (!set_addr(&s, m->idiag_family, m->id.idiag_src))
		return MNL_CB_OK;
	fill_sock(&s, m, &ra, ctx);
	if (inv_add_sock(ctx->inv, &s) < 0)
		return cb_fail(ENOMEM);
	ctx->fixups += s.ifindex != 0 || (s.family == AF_INET6 && s.v6only == -1);
	return MNL_CB_OK;
}

/* A packet_diag row; the payload is packet.c's to read. */
static int packet_row_cb(const struct nlmsghdr *nlh, void *data)
{
	struct parse_ctx *ctx = data;
	struct packet_row r;
	struct sock s;
	int rc;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	rc = packet_parse(mnl_nlmsg_get_payload(nlh), mnl_nlmsg_get_payload_len(nlh), &r);
	if (rc != 0)
		return rc > 0 ? MNL_CB_OK : cb_fail(-rc);
	packet_to_sock(&r, ctx->netns, &s);
	if (inv_add_sock(ctx->inv, &s) < 0)
		return cb_fail(ENOMEM);
	ctx->fixups += s.ifindex != 0;
	return MNL_CB_OK;
}

/* The errno in an NLMSG_ERROR or NLMSG_DONE (the kernel sends -errno).
 * Anything outside 1..4095 is a malformed message, not an errno: negating
 * INT_MIN would overflow, and strerror() of it would only confuse. */
static int kernel_errno(int e)
{
	if (e < 0 && e >= -4095)
		return -e;
	return e > 0 && e <= 4095 ? e : EBADMSG;
}

/* NLMSG_DONE carries the dump's result: -ENOENT when the kernel has no handler
 * for the protocol. libmnl's default callback would call that success. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int e;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(e))
		return MNL_CB_STOP;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	return e < 0 ? cb_fail(kernel_errno(e)) : MNL_CB_STOP;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return cb_fail(EBADMSG);
	if (e->error == 0)
		return MNL_CB_STOP;     /* an ACK ends the exchange */
	return cb_fail(kernel_errno(e->error));
}

static int overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return cb_fail(ENOBUFS);
}

/* mnl_cb_run2() quietly ignores bytes after the last whole message; in a
 * buffer from recvmsg() they mean a truncated message. Returns 0 or -EBADMSG.
 * Walked with size_t rather than mnl_nlmsg_ok(): libmnl 1.0.4 compares
 * (int)nlmsg_len <= len, so a length with the top bit set passes, and
 * mnl_nlmsg_next() then jumps far outside the buffer (or, at 0xfffffffd and
 * above, MNL_ALIGN wraps to 0 and the walk never ends). With every length
 * checked here, mnl_cb_run2() only ever sees lengths within the buffer. */
static int check_framing(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const void *)p;
		size_t n = nlh->nlmsg_len, step = MNL_ALIGN(n);

		if (n < sizeof(*nlh) || step > len)
			return -EBADMSG;
		p += step;
		len -= step;
	}
	return len == 0 ? 0 : -EBADMSG;
}

int nl_parse(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		unsigned proto, uint32_t netns, struct inventory *inv, size_t *fixups)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
		[NLMSG_OVERRUN] = overrun_cb,
	};
	struct parse_ctx ctx = { .inv = inv, .netns = netns, .proto = (uint8_t)proto };
	int rc;

	if (proto >= PROTO_COUNT || len > INT32_MAX)
		return -EINVAL;
	if (check_framing(buf, len) < 0)
		return -EBADMSG;
	errno = 0;
	rc = mnl_cb_run2(buf, len, seq, portid, proto == PROTO_PACKET ? packet_row_cb : row_cb,
		&ctx, ctl, NLMSG_MIN_TYPE);
	if (fixups)
		*fixups = ctx.fixups;
	if (rc < 0)
		return errno ? -errno : -EIO;
	return rc == MNL_CB_STOP ? 0 : 1;
}
