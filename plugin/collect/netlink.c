/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netlink: the listening sockets of the current network namespace, through
 * NETLINK_SOCK_DIAG: running the dumps. Their replies are received by
 * nlrecv.c and parsed by nlparse.c. */
#include "netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "nlparse.h"
#include "nlrecv.h"
#include "rawsock.h"
#include "vsock.h"

#include "util.h"

#define NL_BUF_SIZE	32768		/* one recv carries ~240 sockets of 136 bytes */
#define NL_BUF_MAX	(1u << 20)	/* ENOSPC doubling stops here */
#define NL_ATTEMPTS	3		/* a dump and at most two retries */

/* One (protocol, family) dump. required: a failure fails the check. */
struct dump {
	uint8_t proto;          /* enum proto */
	uint8_t ipproto;
	bool required;
	const char *module;     /* the kernel module to blame for ENOENT */
	const char *note;       /* inventory note when the kernel lacks the handler */
};

static const struct dump dumps[] = {
	{ PROTO_TCP, IPPROTO_TCP, true, "tcp_diag", NULL },
	{ PROTO_UDP, IPPROTO_UDP, true, "udp_diag", NULL },
	{ PROTO_UDPLITE, IPPROTO_UDPLITE, false, "udp_diag",
	  "udplite: not supported by this kernel (no UDP-Lite sock_diag handler); "
	  "UDP-Lite listeners are not checked" },
	{ PROTO_SCTP, IPPROTO_SCTP, false, "sctp_diag",
	  "sctp: not supported by this kernel (no sctp_diag handler); "
	  "SCTP listeners are not checked" },
	{ PROTO_PACKET, 0, false, "af_packet_diag",
	  "packet: not supported by this kernel (no packet_diag handler, CONFIG_PACKET_DIAG); "
	  "packet sockets are not checked" },
	{ PROTO_RAW, IPPROTO_RAW, false, "raw_diag",      /* no handler at all: /proc */
	  "raw/ipv6: raw_diag answered for IPv4 only; IPv6 raw sockets are not checked" },
};

static const uint8_t families[] = { AF_INET, AF_INET6 };

struct collector {
	struct inventory *inv;
	uint32_t netns;
	const char *proc_root;
	int timeout_ms;
	struct mnl_socket *nl;  /* NULL after an error: the next dump opens a fresh one */
	uint32_t portid;        /* of nl */
	struct nl_ignored ign;  /* messages dropped: not the kernel's replies to us */
	char *buf;
	size_t buflen;
	uint32_t seq;
	bool opening;           /* the last failure happened while opening the socket */
	int v6def;              /* net.ipv6.bindv6only: 0, 1, -1 unreadable, -2 not read yet */
};

static void coll_close(struct collector *c)
{
	if (c->nl)
		mnl_socket_close(c->nl);
	c->nl = NULL;
}

/* Returns 0 or -errno with c->opening set. */
static int coll_open(struct collector *c)
{
	struct timeval tv = {
		.tv_sec = c->timeout_ms / 1000,
		.tv_usec = (c->timeout_ms % 1000) * 1000,
	};
	int rc = 0;

	struct sockaddr_nl a;
	socklen_t alen = sizeof(a);

	/* Connected to the kernel (which binds a port id): the kernel then
	 * refuses unicast to it from any other socket. */
	c->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!c->nl)
		rc = -errno;
	else if ((rc = nlrecv_connect_kernel(mnl_socket_get_fd(c->nl))) < 0)
		;
	else if (getsockname(mnl_socket_get_fd(c->nl), (struct sockaddr *)&a, &alen) < 0)
		rc = -errno;
	else if ((c->portid = a.nl_pid) == 0)
		rc = -EPROTO;
	else if (c->timeout_ms > 0 && setsockopt(mnl_socket_get_fd(c->nl), SOL_SOCKET,
			SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		rc = -errno;
	if (rc < 0) {
		coll_close(c);
		c->opening = true;
	}
	return rc;
}

static uint32_t next_seq(struct collector *c)
{
	if (++c->seq == 0)      /* seq 0 would switch off libmnl's check */
		c->seq = 1;
	return c->seq;
}

/* Packet sockets: everything packet.c reads. The filter comes only to a
 * reader with CAP_NET_ADMIN (an empty attribute otherwise). */
static void put_packet_req(struct nlmsghdr *nlh)
{
	struct packet_diag_req *p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));

	p->sdiag_family = AF_PACKET;
	p->pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_FANOUT | PACKET_SHOW_RING_CFG |
		PACKET_SHOW_FILTER;
}

/* TCP of both families in one dump: the compatibility request
 * (TCPDIAG_GETSOCK) asks for AF_UNSPEC, so the kernel walks its table of
 * listeners, which all namespaces share, once instead of once per family. */
static void put_tcp_both_req(struct nlmsghdr *nlh)
{
	struct inet_diag_req *r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));

	nlh->nlmsg_type = TCPDIAG_GETSOCK;
	r->idiag_family = AF_UNSPEC;
	r->idiag_states = nl_listen_states(PROTO_TCP);
}

/* family AF_UNSPEC: TCP of both families (put_tcp_both_req). */
static int send_request(struct collector *c, uint8_t family, const struct dump *d, uint32_t seq)
{
	_Alignas(struct nlmsghdr) char req[MNL_NLMSG_HDRLEN + 128];
	struct inet_diag_req_v2 *r;
	struct nlmsghdr *nlh;

	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	if (d->proto == PROTO_PACKET)
		put_packet_req(nlh);
	else if (family == AF_UNSPEC)
		put_tcp_both_req(nlh);
	else {
		r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
		r->sdiag_family = family;
		r->sdiag_protocol = d->ipproto;        /* raw: struct inet_diag_req_raw, raw protocol 0 = all */
		r->idiag_states = nl_listen_states(d->proto);
	}
	return mnl_socket_sendto(c->nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

/* net.ipv6.bindv6only of the current netns (proc_root/sys is the reader's
 * netns): 0 or 1, or -1 when unreadable. */
static int read_bindv6only(const char *proc_root)
{
	char path[4096], b[8];

	if ((size_t)snprintf(path, sizeof(path), "%s/sys/net/ipv6/bindv6only", proc_root) >= sizeof(path)
			|| util_read_at(AT_FDCWD, path, b, sizeof(b)) != 2)
		return -1;
	if (b[1] == '\n' && (b[0] == '0' || b[0] == '1'))
		return b[0] - '0';
	return -1;
}

/* Names the device s is bound to, once per (netns, ifindex): the index
 * belongs to this netns, so the name is looked up here, now; the index in
 * decimal when it has none. Returns 0 or -ENOMEM. */
static int name_ifindex(struct inventory *inv, const struct sock *s)
{
	char name[IF_NAMESIZE];

	if (inv_ifname(inv, s)[0])
		return 0;
	if (!if_indextoname(s->ifindex, name))
		snprintf(name, sizeof(name), "%u", s->ifindex);
	return inv_set_ifname(inv, s->netns, s->ifindex, name);
}

/* Completes the rows from index from on, while they are still in the cache:
 * interface names, and the v6only that kernels before 4.2 do not report (the
 * socket then most likely took the netns default, which only this netns can
 * tell). Only called for a buffer that has such rows: usually none does.
 * Returns 0 or -ENOMEM. */
static int fix_rows(struct collector *c, size_t from)
{
	for (size_t i = from; i < c->inv->nsocks; i++) {
		struct sock *s = &c->inv->socks[i];

		if (s->ifindex != 0 && name_ifindex(c->inv, s) < 0)
			return -ENOMEM;
		if (s->family != AF_INET6 || s->v6only != -1)
			continue;
		if (c->v6def == -2)
			c->v6def = read_bindv6only(c->proc_root);
		s->v6only = (int8_t)c->v6def;
	}
	return 0;
}

/* One attempt on the current socket. Returns 0 or -errno. */
static int dump_once(struct collector *c, uint8_t family, const struct dump *d)
{
	uint32_t seq = next_seq(c);
	size_t fixups;
	ssize_t n;
	int rc = send_request(c, family, d, seq);

	while (rc == 0) {
		size_t from = c->inv->nsocks;

		n = nlrecv(mnl_socket_get_fd(c->nl), c->buf, c->buflen, seq, c->portid, &c->ign);
		if (n < 0)
			return (int)n;
		if (n == 0)
			continue;       /* nothing of ours: dropped and counted */
		rc = nl_parse(c->buf, (size_t)n, seq, c->portid, d->proto, c->netns, c->inv, &fixups);
		if (rc >= 0 && fixups && fix_rows(c, from) < 0)
			return -ENOMEM;
		if (rc == 1)
			rc = 0;
		else if (rc == 0)
			return 0;
	}
	return rc;
}

/* An optional protocol the kernel cannot dump is a note, not a failure. Only
 * the kernel's NLMSG_ERROR or NLMSG_DONE carries these: its answer is over. */
static bool unsupported(int e)
{
	return e == ENOENT || e == EINVAL || e == EOPNOTSUPP;
}

static bool retryable(int rc)
{
	return rc == -EINTR || rc == -ENOBUFS || rc == -ENOSPC;
}

/* Returns 0 or -ENOMEM; the old buffer stays valid on failure. */
static int grow_buf(struct collector *c)
{
	size_t n = c->buflen * 2;
	char *p;

	if (n > NL_BUF_MAX)
		return 0;
	p = malloc(n);
	if (!p)
		return -ENOMEM;
	free(c->buf);
	c->buf = p;
	c->buflen = n;
	return 0;
}

/* Runs one dump with its retries. Rows of a failed attempt are taken back, and
 * the socket is replaced after any error because the kernel may still be in
 * the middle of the old dump. Returns 0 or -errno. */
static int dump_retry(struct collector *c, uint8_t family, const struct dump *d)
{
	struct inv_mark mark = inv_mark(c->inv);
	int rc = -EIO;

	c->opening = false;
	for (int i = 0; i < NL_ATTEMPTS; i++) {
		if (!c->nl && (rc = coll_open(c)) < 0)
			return rc;
		rc = dump_once(c, family, d);
		if (rc == 0)
			return 0;
		inv_rollback(c->inv, &mark);
		if (unsupported(-rc))
			return rc;      /* the kernel's answer ended the exchange: the socket is clean */
		coll_close(c);
		if (!retryable(rc))
			return rc;
		if (rc == -ENOSPC && grow_buf(c) < 0)
			return -ENOMEM;
	}
	return rc;
}

static const char *family_name(uint8_t family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" :
		family == AF_UNSPEC ? "ipv4+ipv6" : "link layer";
}

/* Why a dump failed, in words for the on-call person. Hints name the usual
 * cause of an errno; the list is a guide, not a diagnosis. */
static void describe_error(char *err, size_t errlen, const struct collector *c,
		uint8_t family, const struct dump *d, int e)
{
	static const struct { int e; const char *hint; } hints[] = {
		{ EPROTONOSUPPORT, "kernel without sock_diag support (CONFIG_INET_DIAG)?" },
		{ EPERM, "blocked by a security policy such as seccomp or SELinux?" },
		{ EACCES, "blocked by a security policy such as seccomp or SELinux?" },
		{ ENOBUFS, "gave up after 3 attempts" },
		{ ENOSPC, "gave up after 3 attempts" },
		{ EINTR, "gave up after 3 attempts" },
		{ EBADMSG, "malformed reply from the kernel" },
		{ EPROTO, "reply does not belong to the request" },
		{ ESRCH, "reply does not belong to the request" },
	};
	const char *hint = NULL, *what = c->opening ? "cannot open a netlink socket: " : "";
	char mod[64];

	if (!err || errlen == 0)
		return;
	if (e == EAGAIN || e == EWOULDBLOCK) {
		snprintf(err, errlen, "netlink dump of %s/%s listeners timed out: "
			"no reply from the kernel within %d ms", proto_name(d->proto),
			family_name(family), c->timeout_ms);
		return;
	}
	if (e == ENOENT && !c->opening) {
		snprintf(mod, sizeof(mod), "%s kernel module missing?", d->module);
		hint = mod;
	}
	for (size_t i = 0; !hint && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (hints[i].e == e)
			hint = hints[i].hint;
	snprintf(err, errlen, "netlink dump of %s/%s listeners failed: %s%s%s%s%s",
		proto_name(d->proto), family_name(family), what, strerror(e),
		hint ? " (" : "", hint ? hint : "", hint ? ")" : "");
}

/* Runs every dump of one protocol. Returns 0, or -errno: a failed dump of any
 * protocol fails the namespace, except that an optional protocol the kernel
 * lacks (no sock_diag handler) is a note. */
static int collect_proto(struct collector *c, const struct dump *d, char *err, size_t errlen)
{
	static const uint8_t link[] = { AF_PACKET };
	const uint8_t *fams = d->proto == PROTO_PACKET ? link : families;
	size_t nfams = d->proto == PROTO_PACKET ? sizeof(link) : sizeof(families);
	int rc;

	/* TCP in one dump; a kernel that refuses the request (or a policy that
	 * blocks it) gets the dump per family, which judges as before. */
	if (d->proto == PROTO_TCP) {
		rc = dump_retry(c, AF_UNSPEC, d);
		if (rc == 0 || rc == -ENOMEM || rc == -EAGAIN || rc == -EWOULDBLOCK) {
			if (rc < 0)
				describe_error(err, errlen, c, AF_UNSPEC, d, -rc);
			return rc;
		}
	}
	for (size_t f = 0; f < nfams; f++) {
		rc = dump_retry(c, fams[f], d);
		if (rc == 0)
			continue;
		if (!d->required && unsupported(-rc) && !c->opening)
			return d->proto == PROTO_RAW && f == 0 ?
				rawsock_fallback(c->inv, c->netns, c->proc_root) : inv_note(c->inv, "%s", d->note);
		describe_error(err, errlen, c, fams[f], d, -rc);
		return rc;
	}
	return d->proto == PROTO_RAW ? inv_note(c->inv, "raw: from sock_diag (raw_diag)") : 0;
}

/* Messages that were not the kernel's replies to our requests: somebody who
 * can send netlink messages in this namespace tried to answer for the kernel.
 * The dumps may well be complete, but nothing proves it. Returns 0 or -EPROTO. */
static int check_ignored(const struct collector *c, char *err, size_t errlen)
{
	unsigned n = nl_ignored_total(&c->ign);

	if (n == 0)
		return 0;
	if (err && errlen)
		util_say(err, errlen, "%u netlink message%s did not come from the kernel as replies "
			"to this plugin's requests (%u from another sender, %u with another sequence "
			"number, %u for another socket) and %s ignored: somebody with CAP_NET_ADMIN in "
			"this namespace may be forging replies", n, n == 1 ? "" : "s",
			c->ign.not_kernel, c->ign.wrong_seq, c->ign.wrong_portid, n == 1 ? "was" : "were");
	return -EPROTO;
}

int nl_collect(struct inventory *inv, uint32_t netns, const char *proc_root, int timeout_ms,
		char *err, size_t errlen)
{
	struct collector c = {
		.inv = inv, .netns = netns, .proc_root = proc_root,
		.timeout_ms = timeout_ms > 0 ? timeout_ms : 0,
		.seq = (uint32_t)time(NULL), .buflen = NL_BUF_SIZE, .v6def = -2,
	};
	struct inv_mark from = inv_mark(inv);
	int rc = 0;

	if (err && errlen)
		err[0] = '\0';
	c.buf = malloc(c.buflen);
	if (!c.buf)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < sizeof(dumps) / sizeof(dumps[0]); i++)
		rc = collect_proto(&c, &dumps[i], err, errlen);
	if (rc == 0)    /* no sock_diag handler in any kernel: /proc/net/icmp{,6} */
		rc = rawsock_ping(inv, netns, proc_root, err, errlen);
	if (rc == 0)
		rc = vsock_note(inv, proc_root);
	if (rc == 0)
		rc = check_ignored(&c, err, errlen);
	if (rc < 0)
		inv_rollback(inv, &from);       /* all or nothing */
	if (rc == -ENOMEM && err && errlen && !err[0])
		snprintf(err, errlen, "netlink dump of listeners failed: out of memory");
	coll_close(&c);
	free(c.buf);
	return rc;
}
