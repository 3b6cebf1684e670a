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

#include "inventory.h"
#include "netns_find.h"

/* Adds to s (after netns_find(), labelled) the namespace of every socket in
 * proc_root/PID/fd that is not a UNIX or netlink socket and not one of the
 * sockets in inv, each labelled by the first holder met ("socket of pid N
 * (comm)"). Returns how many namespaces were added, or -ENOMEM. */
int netns_hidden_sockets(struct netns_set *s, const char *proc_root, const struct inventory *inv);

#endif
