/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netlink: every listening socket of the current network namespace, through
 * NETLINK_SOCK_DIAG: the requests, the dumps and their retries, the names
 * of the devices sockets are bound to, the errors in words.
 *
 * Per family (IPv4, IPv6): TCP in LISTEN, UDP and UDP-Lite unconnected (CLOSE),
 * SCTP listening endpoints; raw sockets in any state; packet sockets (one
 * dump, AF_PACKET). Every dump must succeed, except that a kernel without a
 * UDP-Lite, SCTP or packet sock_diag handler is an inventory note, and one
 * without raw_diag has its raw sockets read from /proc. Ping sockets, which
 * no sock_diag handler reports, are read from /proc/net/icmp and icmp6
 * (rawsock.h). The dump socket is
 * connected to the kernel and only the kernel's replies to our requests are
 * read (nlrecv.h), and parsed by nlparse.h.
 */
#ifndef CHECK_LISTENERS_NETLINK_H
#define CHECK_LISTENERS_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

/* Dumps the current network namespace into inv, each socket tagged with netns
 * and with the names of the devices sockets are bound to recorded in inv
 * (inv_ifname), looked up here: TCP, UDP, UDP-Lite, SCTP listeners, packet
 * sockets (packet_diag), raw sockets (raw_diag, else proc_root's
 * thread-self/net/raw and raw6, said in a note) and ping sockets (its
 * thread-self/net/icmp and icmp6; a failure to read them fails the dump too).
 * proc_root ("/proc") is also
 * where the netns's bindv6only is read when the kernel does not report v6only
 * (before 4.2).
 * timeout_ms bounds each receive
 * (SO_RCVTIMEO; 0 = none). Retries a dump at most twice on EINTR, ENOBUFS or
 * ENOSPC with a fresh socket. Returns 0, or -errno when a dump failed (a
 * timeout, EPROTO, ... also for UDP-Lite and SCTP), or -EPROTO when any
 * received message was not the kernel's reply to our request (dropped, but
 * then the dumps prove nothing), with err saying which dump and why in words
 * for on-call staff; then nothing is added (inv_rollback()). */
int nl_collect(struct inventory *inv, uint32_t netns, const char *proc_root, int timeout_ms,
		char *err, size_t errlen);

#endif
