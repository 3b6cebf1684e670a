/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_mounts: the nsfs network namespace mounts of every mount namespace,
 * for netns_find. A namespace kept alive only by a bind mount is found even
 * when the mount lives in a mount namespace other than the plugin's.
 */
#ifndef CHECK_LISTENERS_NETNS_MOUNTS_H
#define CHECK_LISTENERS_NETNS_MOUNTS_H

#include "netns_find.h"

/* Adds to s the nsfs network namespace mounts listed in
 * proc_root/self/mountinfo (mount points looked up under root, the system
 * root of proc_root) and in the mountinfo of one process of each other mount
 * namespace (mount points reached through proc_root/PID/root; that pid is
 * recorded as the holder, 'm', of a namespace first found there). Returns 0
 * or -ENOMEM. */
int netns_scan_mounts(struct netns_set *s, const char *proc_root, const char *root);

#endif
