/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroups: the cgroup v2 side of owner attribution, used by owners.c and netns_find.c.
 *
 * The kernel's cgroup id (INET_DIAG_CGROUP_ID, "0::" line of /proc/PID/cgroup)
 * is the cgroup's kernfs id: with CAP_DAC_READ_SEARCH it opens the cgroup
 * directly (cgpath.c); without, a walk of the cgroup2 mount, bounded by the
 * deadline, finds the directory with that inode number. The path is then
 * labelled only down to the first delegation boundary (cglabel.h), from the
 * owners of its directories.
 */
#ifndef CHECK_LISTENERS_CGROUPS_H
#define CHECK_LISTENERS_CGROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "inventory.h"

/* The cgroup2 mount: "/sys/fs/cgroup" when that is cgroup2 (unified host),
 * else "/sys/fs/cgroup/unified" when that is (hybrid host). Returns a string
 * literal, or NULL when neither is a cgroup2 mount (v1-only host). */
const char *cgroups_find_root(void);

/* Walks the directory tree under root and, for each ids[i] equal to the inode
 * of a directory, sets paths[i] to that directory's path relative to root
 * ("/" for root itself, "/system.slice/nginx.service" below it). Entries of
 * paths[] that are set already are kept and not looked for; entries not
 * found stay NULL. Id 0 is never matched.
 * Stops as soon as every id is found, or at deadline (CLOCK_MONOTONIC; NULL =
 * none). Symlinks are not followed and trees deeper than 64 levels are not
 * entered. The caller frees each paths[i]. Returns 0 (also when root cannot
 * be opened: nothing found), or -ENOMEM. */
int cgroups_map_ids(const char *root, const uint64_t *ids, size_t n, char **paths,
		const struct timespec *deadline);

/* Sets the units of every listener where need[i] is non-zero (need NULL =
 * all) whose units are not checked yet and whose every socket has a cgroup
 * id: owner.units gets the distinct labels of its sockets' cgroups,
 * owner.unit_none is set when one of them names no unit, owner.cg_user when
 * one lies at or below a delegation boundary, and owner.unit_checked = true.
 * Done only when some such listener exists; root NULL = cgroups_find_root().
 * A cgroup not found (or not within the deadline) leaves the listener
 * unchecked; one the kernel no longer has (removed while the socket lives
 * on: open_by_handle_at() says ESTALE) also sets owner.cg_gone. Returns 0 or -ENOMEM. */
int cgroups_resolve_units(struct inventory *inv, const uint8_t *need, const char *root,
		const struct timespec *deadline);

/* The label of a cgroup path on the cgroup2 mount at root (NULL =
 * cgroups_find_root()), from the owners of its directories (cgpath_label()).
 * Returns 1 with a label in out, 0 when none (or no cgroup2 mount), -errno. */
int cgroups_label(const char *root, const char *path, char *out, size_t outlen);

/* 1 when the cgroup path on the cgroup2 mount at root (NULL =
 * cgroups_find_root()) lies at or below a delegation boundary
 * (cgpath_delegated()), or cannot be judged (no mount, an error); 0 when
 * root controls every component. */
int cgroups_delegated(const char *root, const char *path);

/* Adds label (copied) to o->units unless there; NULL sets o->unit_none.
 * Returns 0 or -ENOMEM. */
int cgroups_add_unit(struct owner *o, const char *label);

/* The processes of the cgroups ids[0..n) (sorted here; duplicates allowed)
 * under root (NULL = cgroups_find_root()), from their cgroup.procs
 * files, highest pid first, each once, in *pids (malloc'd; NULL when none).
 * Needs CAP_DAC_READ_SEARCH (cgpath_by_id()); a cgroup that cannot be opened,
 * and the root cgroup (every process not placed elsewhere), add nothing.
 * Returns 0 or -ENOMEM. */
int cgroups_procs(const char *root, uint64_t *ids, size_t n, pid_t **pids, size_t *npids);

/* The cgroup v2 path of a process, from the "0::" line of its cgroup file
 * read relative to pidfd (an open /proc/PID directory); on hybrid hosts the
 * v1 lines come first. *path is malloc'd raw bytes, or NULL when the file is
 * unreadable or has no v2 line. Returns 0 or -ENOMEM. */
int cgroups_read_proc(int pidfd, char **path);

#endif
