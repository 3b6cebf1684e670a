/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mounts: the plugin's mount table as exe_place() needs it (mount point,
 * tmpfs or not, noexec, root writable by all or by a user other than root),
 * from /proc/self/mountinfo. */
#ifndef CHECK_LISTENERS_MOUNTS_H
#define CHECK_LISTENERS_MOUNTS_H

#include <stdbool.h>
#include <sys/types.h>

#include "exe_place.h"

/* Parses mountinfo text (proc(5)) into mt (zeroed by the caller): mount
 * point (octal escapes such as \040 undone), fstype tmpfs/ramfs, noexec among
 * the per-mount options. world_writable and user_writable are left false:
 * see mounts_read().
 * Malformed lines are skipped. Returns 0 or -ENOMEM (mt then holds what was
 * parsed so far; free it with mounts_free()). */
int mounts_parse(const char *text, struct mount_table *mt);

/* Reads path ("/proc/self/mountinfo" in production) with mounts_parse() and
 * sets world_writable and user_writable of each memory-backed mount from a
 * stat() of its mount point. Returns 0, or -errno (mt then empty). */
int mounts_read(const char *path, struct mount_table *mt);

/* True when a directory of owner uid, group gid and mode can be written by a
 * user other than root: its owner is not root and has the write bit, its
 * group is not root's and has it, or others have it. Pure. */
bool mounts_user_writable(uid_t uid, gid_t gid, mode_t mode);

/* Frees the entries; mt is left empty. NULL is allowed. */
void mounts_free(struct mount_table *mt);

#endif
