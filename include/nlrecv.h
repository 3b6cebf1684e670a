/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nlrecv: receiving the replies to one netlink dump, and only those.
 *
 * Anyone with CAP_NET_ADMIN over a network namespace (root in a container, or
 * any user after `unshare -Urn`) can send netlink messages to the plugin's
 * dump socket there, and libmnl neither checks the sender nor refuses seq 0 or
 * port id 0. So every datagram is received with recvmsg() and its sender
 * checked: the kernel, nl_pid 0 and no multicast group. Every message in it
 * must carry exactly the request's sequence number and our port id. What
 * fails either test is dropped and counted: the caller turns any count into
 * UNKNOWN, since somebody tried to change the answer.
 */
#ifndef CHECK_LISTENERS_NLRECV_H
#define CHECK_LISTENERS_NLRECV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>

/* Messages dropped, by reason. */
struct nl_ignored {
	unsigned not_kernel;    /* datagrams whose sender is not the kernel */
	unsigned wrong_seq;     /* kernel messages for another request */
	unsigned wrong_portid;  /* kernel messages for another socket */
};

/* Keeps, moved to the front of buf, the messages of one datagram (len bytes,
 * from sender, fromlen bytes of it) that belong to the dump (seq, portid):
 * a sender that is not the kernel (nl_pid != 0, nl_groups != 0, not
 * AF_NETLINK, short address) drops the whole datagram. buf must be 4-byte
 * aligned. Returns the bytes kept (0: nothing of ours), or -EBADMSG when a
 * kernel datagram's framing is broken (a length below the header or past the
 * end). Adds to ign what was dropped. */
ssize_t nlrecv_filter(void *buf, size_t len, const void *sender, socklen_t fromlen,
		uint32_t seq, uint32_t portid, struct nl_ignored *ign);

/* Receives one datagram on fd (recvmsg) and filters it as above. Returns the
 * bytes kept, or -errno: -ENOSPC when the datagram did not fit (MSG_TRUNC),
 * -EPROTO for an empty one, the errno of recvmsg(). */
ssize_t nlrecv(int fd, void *buf, size_t len, uint32_t seq, uint32_t portid,
		struct nl_ignored *ign);

/* Connects fd, a bound netlink socket, to the kernel: the kernel then refuses
 * (ECONNREFUSED to the sender) unicast from any other socket. Returns 0 or
 * -errno. */
int nlrecv_connect_kernel(int fd);

/* The number of dropped messages. */
unsigned nl_ignored_total(const struct nl_ignored *ign);

#endif
