/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the receive checks (nlrecv_filter), then the parser on
 * what they kept.
 *
 * Byte 0 chooses the sender: 0 the kernel, 1 a user socket (nl_pid 4321),
 * 2 a multicast group, 3 a short address; bits 2-3 the protocol. The rest is
 * one datagram, copied into an 8-byte aligned buffer. The request is seq 4242
 * to port id 777.
 * Invariants: from anyone but the kernel nothing is kept and one datagram is
 * counted; what is kept is whole messages of exactly (4242, 777), no more
 * bytes than came in, and every message is either kept or counted; the
 * parser copes with the result. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include "inventory.h"
#include "nlparse.h"
#include "nlrecv.h"

#define SEQ 4242u
#define PORTID 777u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whole messages of (SEQ, PORTID); returns how many, or aborts. */
static size_t check_kept(const unsigned char *p, size_t n)
{
	size_t count = 0;

	while (n > 0) {
		struct nlmsghdr h;

		if (n < sizeof(h))
			abort();
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_seq != SEQ || h.nlmsg_pid != PORTID || h.nlmsg_len < sizeof(h)
				|| NLMSG_ALIGN(h.nlmsg_len) > n)
			abort();
		p += NLMSG_ALIGN(h.nlmsg_len);
		n -= NLMSG_ALIGN(h.nlmsg_len);
		count++;
	}
	return count;
}

/* Messages in the datagram when its framing is sound. */
static size_t count_msgs(const unsigned char *p, size_t n)
{
	size_t count = 0;

	while (n >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;

		memcpy(&h, p, sizeof(h));
		p += NLMSG_ALIGN(h.nlmsg_len);
		n -= NLMSG_ALIGN(h.nlmsg_len);
		count++;
	}
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_nl from = { .nl_family = AF_NETLINK };
	struct nl_ignored ign = { 0, 0, 0 };
	struct inventory inv;
	unsigned who, proto;
	unsigned char *buf;
	size_t len, kept;
	ssize_t rc;

	if (size < 1)
		return 0;
	who = data[0] & 3u;
	proto = (data[0] >> 2) & 3u;
	from.nl_pid = who == 1 ? 4321u : 0;
	from.nl_groups = who == 2 ? 1u : 0;
	len = size - 1;
	buf = aligned_alloc(8, (len | 7u) + 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	rc = nlrecv_filter(buf, len, &from, who == 3 ? 4 : sizeof(from), SEQ, PORTID, &ign);
	if (rc > (ssize_t)len || (rc < 0 && rc != -EBADMSG))
		abort();
	if (who != 0 && (rc != 0 || ign.not_kernel != 1 || ign.wrong_seq || ign.wrong_portid))
		abort();
	if (who == 0 && ign.not_kernel)
		abort();
	if (rc >= 0) {
		kept = check_kept(buf, (size_t)rc);
		if (who == 0 && kept + ign.wrong_seq + ign.wrong_portid != count_msgs(data + 1, len))
			abort();
		inv_init(&inv);
		if (inv_add_netns(&inv, "host") >= 0)
			nl_parse(buf, (size_t)rc, SEQ, PORTID, proto, 0, &inv, NULL);
		inv_free(&inv);
	}
	free(buf);
	return 0;
}
