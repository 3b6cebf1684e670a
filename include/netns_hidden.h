/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_hidden: network namespaces that only a socket keeps alive.
 *
 * A socket stays in the namespace it was created in, whatever its holder
 * does next: a process can create a namespace, open a listener there, go
 * back with setns(2), and then no /proc/PID/ns/net and no mount refers to
 * that namespace any more. Every socket descriptor in /proc whose socket the
 * dumps have not seen is taken with pidfd_getfd(2) and asked for its
 * namespace with the SIOCGSKNS ioctl. Needs ptrace access to the holder
 * (root, or CAP_SYS_PTRACE): without it nothing is found, and the caller has
 * already said that it could not look.
 */
#ifndef CHECK_LISTENERS_NETNS_HIDDEN_H
#define CHECK_LISTENERS_NETNS_HIDDEN_H

#include <stdbool.h>
#include <time.h>

#include "inventory.h"
#include "netns_find.h"

/* How far the search got. */
struct hidden_stats {
	unsigned added;         /* namespaces added to the set */
	unsigned procs, done;   /* processes in proc_root, and searched */
	bool out_of_time;       /* stopped at end: done < procs */
};

/* Adds to s (after netns_find(), labelled) the namespace of every socket in
 * proc_root/PID/fd that is not a UNIX or netlink socket and not one of the
 * sockets in inv, each labelled by the first holder met ("socket of pid N
 * (comm)"). The tables of a process's other threads are read too
 * (proctasks_tables()); a thread's socket that cannot be asked (no
 * thread pidfds before Linux 6.9) counts in s->denied. Stops at end (CLOCK_MONOTONIC; {0, 0}: no limit) and says so in
 * st: the caller must then count the search as incomplete. Returns 0 or
 * -ENOMEM. */
int netns_hidden_sockets(struct netns_set *s, const char *proc_root, const struct inventory *inv,
		struct timespec end, struct hidden_stats *st);

#endif
