/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgpath: one cgroup v2 directory at a time, by id or by path.
 *
 * The id that comes with a socket (INET_DIAG_CGROUP_ID) is a kernfs file
 * handle on the cgroup2 mount: open_by_handle_at() opens that cgroup in one
 * call, where a walk of the whole tree would cost a directory read per cgroup
 * (and any user can create many). It needs CAP_DAC_READ_SEARCH; without it
 * the caller walks the tree instead (cgroups.c). The path's components are
 * then stat'ed for their owners, which decide where the delegation boundary
 * is (cglabel.h), and the cgroup's own processes can be listed
 * (cgroup.procs) to find a socket's holder without scanning all of /proc.
 */
#ifndef CHECK_LISTENERS_CGPATH_H
#define CHECK_LISTENERS_CGPATH_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The path below the mount of the cgroup with this id ("/" for the mount's
 * root, "/system.slice/nginx.service" below it). mntfd is an open directory
 * of the cgroup2 mount at root (its path as opened, e.g.
 * "/sys/fs/cgroup/unified"). *path is malloc'd raw bytes. Returns 0, -EPERM
 * without CAP_DAC_READ_SEARCH, -ESTALE/-ENOENT when no such cgroup exists,
 * -ENOMEM, or another -errno (e.g. the kernel has no handles on cgroupfs);
 * *path is NULL on error. */
int cgpath_by_id(int mntfd, const char *root, uint64_t id, char **path);

/* The label (cglabel_derive()) of path below the mount at mntfd: each of its
 * components is stat'ed, without following symlinks, for the uid owning it.
 * A component that cannot be stat'ed counts as not owned by root (a user
 * may have renamed their own cgroup meanwhile): a boundary, never trust.
 * Returns 1 with a label in out, 0 when the path names no unit, or -errno
 * (-ENOSPC: out too small, -E2BIG: too deep). */
int cgpath_label(int mntfd, const char *path, char *out, size_t outlen);

/* 1 when path below the mount at mntfd lies at or below a delegation
 * boundary (cglabel_boundary(): a component not owned by root, one that
 * cannot be stat'ed, or a user manager), so that a user may have put a
 * process there; 0 when root controls every component. Returns -errno
 * (-E2BIG: too deep, which counts as delegated for the caller). */
int cgpath_delegated(int mntfd, const char *path);

/* The pids in the cgroup.procs file of path below the mount at mntfd, in
 * *pids (malloc'd, the caller frees it; NULL when *n is 0), highest first.
 * Returns 0, -errno when unreadable, -ENOMEM. */
int cgpath_procs(int mntfd, const char *path, pid_t **pids, size_t *n);

#endif
