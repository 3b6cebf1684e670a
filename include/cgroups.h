/* cgroups: the cgroup v2 side of owner attribution, used by owners.c and netns_find.c.
 *
 * The kernel's cgroup id (INET_DIAG_CGROUP_ID, "0::" line of /proc/PID/cgroup)
 * equals the inode number of the cgroup's directory on the cgroup2 mount, so a
 * walk of that mount turns ids into paths without any privilege. The path is
 * then reduced to a unit or container label by cgroups_unit_from_path().
 */
#ifndef CHECK_LISTENERS_CGROUPS_H
#define CHECK_LISTENERS_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

/* The cgroup2 mount: "/sys/fs/cgroup" when that is cgroup2 (unified host),
 * else "/sys/fs/cgroup/unified" when that is (hybrid host). Returns a string
 * literal, or NULL when neither is a cgroup2 mount (v1-only host). */
const char *cgroups_find_root(void);

/* Walks the directory tree under root and, for each ids[i] equal to the inode
 * of a directory, sets paths[i] to that directory's path relative to root
 * ("/" for root itself, "/system.slice/nginx.service" below it). paths[] must
 * come in as NULLs; entries not found stay NULL. Id 0 is never matched.
 * Stops as soon as every id is found. Symlinks are not followed and trees
 * deeper than 64 levels are not entered. The caller frees each paths[i].
 * Returns 0 (also when root cannot be opened: nothing found), or -ENOMEM. */
int cgroups_map_ids(const char *root, const uint64_t *ids, size_t n, char **paths);

/* Sets owner.unit (strdup'd label; NULL when the path names no unit) and
 * owner.unit_checked = true for every listener where want[i] (want NULL =
 * all) whose unit is not checked yet and whose cgroup id is non-zero, from a
 * single walk of root (NULL = cgroups_find_root()), done only when some such
 * listener exists. An id not found under root leaves unit_checked false.
 * Returns 0 or -ENOMEM. */
int cgroups_resolve_units(struct inventory *inv, const bool *want, const char *root);

/* Unit or container from a cgroup v2 path ("/system.slice/nginx.service",
 * ".../docker-<id>.scope", ".../cri-containerd-<id>.scope", "libpod-<id>.scope",
 * "lxc.payload.<name>", "/user.slice/user-1000.slice/session-3.scope").
 * Writes a short label (container ids shortened to 12 characters, e.g.
 * "docker:0123456789ab"). Returns 1 when found, 0 when the path names no unit
 * (e.g. "/"), -ENOSPC when out is too small. Pure. */
int cgroups_unit_from_path(const char *path, char *out, size_t outlen);

/* Sets o->unit from the cgroup path (replacing and freeing an old one; NULL
 * when the path names no unit) and o->unit_checked = true. 0 or -ENOMEM. */
int cgroups_set_unit(struct owner *o, const char *cgpath);

/* The cgroup v2 path of a process, from the "0::" line of its cgroup file
 * read relative to pidfd (an open /proc/PID directory); on hybrid hosts the
 * v1 lines come first. *path is malloc'd raw bytes, or NULL when the file is
 * unreadable or has no v2 line. Returns 0 or -ENOMEM. */
int cgroups_read_proc(int pidfd, char **path);

#endif
