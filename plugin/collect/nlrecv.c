/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nlrecv: only the kernel's replies to our request (see include/nlrecv.h). */
#include "nlrecv.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>

#include <linux/netlink.h>

/* From the kernel, unicast: nl_pid 0 is the kernel's own socket, and no user
 * socket can bind it (binding port id 0 asks for an automatic one). */
static int from_kernel(const void *sender, socklen_t fromlen)
{
	struct sockaddr_nl a;

	if (fromlen < (socklen_t)sizeof(a))
		return 0;
	memcpy(&a, sender, sizeof(a));
	return a.nl_family == AF_NETLINK && a.nl_pid == 0 && a.nl_groups == 0;
}

/* Walked with size_t: a length with the top bit set must not pass as
 * negative (see netlink.c, check_framing). */
ssize_t nlrecv_filter(void *buf, size_t len, const void *sender, socklen_t fromlen,
		uint32_t seq, uint32_t portid, struct nl_ignored *ign)
{
	unsigned char *p = buf, *keep = buf;
	size_t left = len;

	if (!from_kernel(sender, fromlen)) {
		ign->not_kernel++;
		return 0;
	}
	while (left >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		size_t n, step;

		memcpy(&h, p, sizeof(h));
		n = h.nlmsg_len;
		step = NLMSG_ALIGN(n);
		if (n < sizeof(h) || step < n || step > left)
			return -EBADMSG;
		if (h.nlmsg_seq != seq)
			ign->wrong_seq++;
		else if (h.nlmsg_pid != portid)
			ign->wrong_portid++;
		else {
			if (keep != p)
				memmove(keep, p, step);
			keep += step;
		}
		p += step;
		left -= step;
	}
	if (left != 0)
		return -EBADMSG;
	return (ssize_t)(keep - (unsigned char *)buf);
}

ssize_t nlrecv(int fd, void *buf, size_t len, uint32_t seq, uint32_t portid,
		struct nl_ignored *ign)
{
	struct sockaddr_nl from;
	struct iovec iov = { buf, len };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1,
	};
	ssize_t n;

	memset(&from, 0, sizeof(from));
	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -ENOSPC;
	if (n == 0)
		return -EPROTO;
	return nlrecv_filter(buf, (size_t)n, &from, mh.msg_namelen, seq, portid, ign);
}

int nlrecv_connect_kernel(int fd)
{
	struct sockaddr_nl k;

	memset(&k, 0, sizeof(k));
	k.nl_family = AF_NETLINK;
	return connect(fd, (const struct sockaddr *)&k, sizeof(k)) < 0 ? -errno : 0;
}

unsigned nl_ignored_total(const struct nl_ignored *ign)
{
	return ign->not_kernel + ign->wrong_seq + ign->wrong_portid;
}
