/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for nlrecv: the sender, sequence and port id checks on a table
 * of datagrams, and on real sockets that a forged unicast is refused by the
 * kernel once the dump socket is connected to it (and dropped by the filter
 * when it is not). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "nlrecv.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SEQ 4242u
#define PORTID 777u

/* A message: its seq and pid; len 0 = a well-formed 20-byte DONE. */
struct m {
	uint32_t seq, pid, len;
};

struct fcase {
	const char *name;
	uint32_t from_pid, from_groups;
	socklen_t fromlen;      /* 0 = sizeof(struct sockaddr_nl) */
	struct m msgs[3];
	size_t nmsgs;
	size_t extra;           /* trailing bytes after the messages */
	ssize_t kept;           /* messages kept, or -EBADMSG */
	struct nl_ignored ign;
};

static const struct fcase fcases[] = {
	{ "ours", 0, 0, 0, { { SEQ, PORTID, 0 }, { SEQ, PORTID, 0 } }, 2, 0, 2, { 0, 0, 0 } },
	{ "another request", 0, 0, 0, { { SEQ - 1, PORTID, 0 }, { SEQ, PORTID, 0 } }, 2, 0, 1, { 0, 1, 0 } },
	{ "seq 0 is no wildcard", 0, 0, 0, { { 0, PORTID, 0 } }, 1, 0, 0, { 0, 1, 0 } },
	{ "portid 0 is no wildcard", 0, 0, 0, { { SEQ, 0, 0 } }, 1, 0, 0, { 0, 0, 1 } },
	{ "another socket", 0, 0, 0, { { SEQ, PORTID + 1, 0 }, { SEQ, PORTID, 0 } }, 2, 0, 1, { 0, 0, 1 } },
	{ "a user's socket", 4321, 0, 0, { { SEQ, PORTID, 0 }, { SEQ, PORTID, 0 } }, 2, 0, 0, { 1, 0, 0 } },
	{ "a multicast group", 0, 1, 0, { { SEQ, PORTID, 0 } }, 1, 0, 0, { 1, 0, 0 } },
	{ "a short address", 0, 0, 4, { { SEQ, PORTID, 0 } }, 1, 0, 0, { 1, 0, 0 } },
	{ "length below the header", 0, 0, 0, { { SEQ, PORTID, 8 } }, 1, 0, -EBADMSG, { 0, 0, 0 } },
	{ "length past the end", 0, 0, 0, { { SEQ, PORTID, 4000 } }, 1, 0, -EBADMSG, { 0, 0, 0 } },
	{ "length with the top bit", 0, 0, 0, { { SEQ, PORTID, 0xfffffff0u } }, 1, 0, -EBADMSG, { 0, 0, 0 } },
	{ "trailing bytes", 0, 0, 0, { { SEQ, PORTID, 0 } }, 1, 6, -EBADMSG, { 0, 0, 0 } },
	{ "empty", 0, 0, 0, { { 0, 0, 0 } }, 0, 0, 0, { 0, 0, 0 } },
};

#define MSG_BYTES 20u   /* header + int */

static size_t put(unsigned char *buf, const struct fcase *c)
{
	size_t off = 0;

	for (size_t i = 0; i < c->nmsgs; i++) {
		struct nlmsghdr h = {
			.nlmsg_len = c->msgs[i].len ? c->msgs[i].len : MSG_BYTES,
			.nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI,
			.nlmsg_seq = c->msgs[i].seq, .nlmsg_pid = c->msgs[i].pid,
		};

		memcpy(buf + off, &h, sizeof(h));
		memset(buf + off + sizeof(h), 0, MSG_BYTES - sizeof(h));
		off += MSG_BYTES;
	}
	memset(buf + off, 0x5a, c->extra);
	return off + c->extra;
}

static void test_filter_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(fcases); i++) {
		const struct fcase *c = &fcases[i];
		_Alignas(8) unsigned char buf[256];
		struct sockaddr_nl from = { .nl_family = AF_NETLINK, .nl_pid = c->from_pid,
			.nl_groups = c->from_groups };
		struct nl_ignored ign = { 0, 0, 0 };
		size_t len = put(buf, c);
		ssize_t rc = nlrecv_filter(buf, len, &from, c->fromlen ? c->fromlen : sizeof(from),
				SEQ, PORTID, &ign);

		print_message("%-26s -> %zd (%u %u %u)\n", c->name, rc, ign.not_kernel,
				ign.wrong_seq, ign.wrong_portid);
		assert_int_equal(rc, c->kept < 0 ? c->kept : c->kept * (ssize_t)MSG_BYTES);
		assert_int_equal(ign.not_kernel, c->ign.not_kernel);
		assert_int_equal(ign.wrong_seq, c->ign.wrong_seq);
		assert_int_equal(ign.wrong_portid, c->ign.wrong_portid);
		assert_int_equal(nl_ignored_total(&ign), c->ign.not_kernel + c->ign.wrong_seq
				+ c->ign.wrong_portid);
		for (ssize_t off = 0; off < rc; off += MSG_BYTES) {
			struct nlmsghdr h;

			memcpy(&h, buf + off, sizeof(h));
			assert_int_equal(h.nlmsg_seq, SEQ);
			assert_int_equal(h.nlmsg_pid, PORTID);
		}
	}
}

/* A bound NETLINK_SOCK_DIAG socket; its port id in *portid. */
static int nl_socket(uint32_t *portid)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*portid = a.nl_pid;
	return fd;
}

/* A forged NLMSG_DONE for (SEQ, victim) sent from another socket. */
static ssize_t forge(int from, uint32_t victim)
{
	struct { struct nlmsghdr h; int err; } m = {
		{ sizeof(m), NLMSG_DONE, NLM_F_MULTI, SEQ, victim }, 0,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = victim };

	return sendto(from, &m, sizeof(m), 0, (struct sockaddr *)&to, sizeof(to));
}

static void test_forged_unicast(void **state)
{
	_Alignas(8) unsigned char buf[256];
	struct nl_ignored ign = { 0, 0, 0 };
	uint32_t victim, attacker;
	int v = nl_socket(&victim), a = nl_socket(&attacker);

	(void)state;
	/* Not connected: the forgery arrives, and the filter drops it. */
	assert_int_equal(forge(a, victim), 20);
	assert_int_equal(nlrecv(v, buf, sizeof(buf), SEQ, victim, &ign), 0);
	assert_int_equal(ign.not_kernel, 1);
	/* Connected to the kernel: the kernel refuses it. */
	assert_int_equal(nlrecv_connect_kernel(v), 0);
	assert_int_equal(forge(a, victim), -1);
	assert_int_equal(errno, ECONNREFUSED);
	close(a);
	close(v);
}

/* A real dump on a connected socket passes: the replies come from nl_pid 0. */
static void test_kernel_reply_kept(void **state)
{
	struct {
		struct nlmsghdr h;
		struct { uint8_t family, protocol, ext, pad; uint32_t states; uint8_t id[48]; } r;
	} req;
	_Alignas(8) unsigned char buf[32768];
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct nl_ignored ign = { 0, 0, 0 };
	uint32_t portid;
	int fd = nl_socket(&portid);
	ssize_t n;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = SEQ;
	req.r.family = AF_INET;
	req.r.protocol = 6;
	req.r.states = 1u << 10;
	assert_int_equal(nlrecv_connect_kernel(fd), 0);
	assert_int_equal(sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&k, sizeof(k)),
			(ssize_t)sizeof(req));
	do {
		n = nlrecv(fd, buf, sizeof(buf), SEQ, portid, &ign);
		assert_true(n > 0);
	} while (((struct nlmsghdr *)(void *)buf)->nlmsg_type != NLMSG_DONE &&
			((struct nlmsghdr *)(void *)(buf + n - 20))->nlmsg_type != NLMSG_DONE);
	assert_int_equal(nl_ignored_total(&ign), 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_table),
		cmocka_unit_test(test_forged_unicast),
		cmocka_unit_test(test_kernel_reply_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
