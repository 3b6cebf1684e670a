/* SPDX-License-Identifier: GPL-3.0-or-later */
/* namespaces: the network namespaces to check, entered one at a time.
 *
 * Index 0 of inventory.ns is always the plugin's own namespace, labelled "host".
 * With all = true every other network namespace of the host is found
 * (/proc/PID/ns/net de-duplicated by device and inode, /run/netns, /var/run/docker/netns,
 * nsfs mounts in /proc/self/mountinfo), entered with setns(2) (the plugin is
 * single-threaded), dumped with nl_collect(), its port sysctls read with
 * ephemeral_read(), and left again.
 */
#ifndef CHECK_LISTENERS_NAMESPACES_H
#define CHECK_LISTENERS_NAMESPACES_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"

struct ns_stats {
	unsigned found;                 /* distinct namespaces besides the own one */
	unsigned checked;               /* of those, dumped */
	unsigned skipped;               /* could not be entered or dumped */
	char skipped_reason[160];       /* the first reason, in words ("no CAP_SYS_ADMIN: ...") */
};

/* Collects the own namespace and, with all, every other one into inv.
 * timeout_ms bounds each netlink receive. Returns 0, or -errno when the own
 * namespace could not be dumped (err says why). A namespace that vanishes or
 * cannot be entered is counted in st, never fatal. */
int ns_collect(struct inventory *inv, bool all, const char *proc_root, int timeout_ms,
		struct ns_stats *st, char *err, size_t errlen);

#endif
