/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dumpcount: the floor for the benchmark. Not part of the plugin.
 *
 * usage: dumpcount
 *
 * Runs the four sock_diag dumps the plugin needs at least (TCP LISTEN and UDP
 * CLOSE, IPv4 and IPv6) with a 32 KiB buffer and only counts the rows: no
 * allocation, no parsing, no output beyond the count. Its time is the cost of
 * process start plus the kernel's own dump, which no checker can go below.
 * Raw netlink, so that it needs no library. Exits 1 when a dump fails.
 */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TCP_LISTEN_STATE 10
#define TCP_CLOSE_STATE 7

struct req {
	struct nlmsghdr h;
	struct inet_diag_req_v2 r;
};

static char buf[32768];

/* One dump. Returns the number of rows, or -1. */
static long dump(int fd, unsigned seq, int family, int proto, unsigned state)
{
	struct req q;
	long rows = 0;

	memset(&q, 0, sizeof(q));
	q.h.nlmsg_len = sizeof(q);
	q.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	q.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	q.h.nlmsg_seq = seq;
	q.r.sdiag_family = (unsigned char)family;
	q.r.sdiag_protocol = (unsigned char)proto;
	q.r.idiag_states = 1u << state;
	if (send(fd, &q, sizeof(q), 0) < 0)
		return -1;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), 0);
		int left = (int)len;

		if (len <= 0)
			return -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (h->nlmsg_type == NLMSG_DONE)
				return rows;
			rows++;
		}
	}
}

int main(void)
{
	static const struct { int family, proto; unsigned state; } dumps[] = {
		{ AF_INET, IPPROTO_TCP, TCP_LISTEN_STATE },
		{ AF_INET6, IPPROTO_TCP, TCP_LISTEN_STATE },
		{ AF_INET, IPPROTO_UDP, TCP_CLOSE_STATE },
		{ AF_INET6, IPPROTO_UDP, TCP_CLOSE_STATE },
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	long total = 0;

	if (fd < 0) {
		perror("dumpcount: socket");
		return 1;
	}
	for (unsigned i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		long n = dump(fd, i + 1, dumps[i].family, dumps[i].proto, dumps[i].state);

		if (n < 0) {
			perror("dumpcount: dump");
			return 1;
		}
		total += n;
	}
	close(fd);
	printf("%ld\n", total);
	return 0;
}
