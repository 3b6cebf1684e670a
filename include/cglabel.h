/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cglabel: the unit or container label of a cgroup v2 path. Pure: no I/O.
 *
 * A label is identity only as far as root controls the path. Every user owns
 * a delegated subtree (user@UID.service/...) and may create any cgroup below
 * it, named "nginx.service" or "docker-<64 hex>.scope" if they like. So the
 * path is read only down to the first delegation boundary: a component named
 * "user@UID.service", or a cgroup directory not owned by root. Below it the
 * label is the boundary component plus the rest of the path, verbatim
 * ("user@1000.service/app.slice/nginx.service"), which a rule such as
 * unit = "nginx.service" never matches.
 *
 * Label grammar (what an allowlist `unit = ...` is matched against):
 *
 *   label     = container / unit / delegated
 *   container = runtime ":" id        (only from root-owned components)
 *   runtime   = "docker" / "containerd" / "crio" / "podman" / "lxc"
 *   id        = 12 lower-case hex digits (the short id `docker ps` shows),
 *               or for lxc the container name as is
 *   unit      = a systemd unit name ending in ".service" or ".scope", as is
 *   delegated = boundary *( "/" component )
 *
 * Above the boundary, containers win over units and the outermost container
 * wins (a label names what the host's operator manages); without a container
 * the deepest unit wins, except a nested "init.scope" (the enclosing
 * service's own manager). "/" and slices alone name no unit. The label is a
 * copy of raw bytes of the path: escape it on output.
 */
#ifndef CHECK_LISTENERS_CGLABEL_H
#define CHECK_LISTENERS_CGLABEL_H

#include <stddef.h>
#include <stdint.h>

/* One component of a cgroup path below the cgroup2 root, and the uid that
 * owns its directory. */
struct cg_comp {
	const char *name;       /* not NUL-terminated */
	size_t len;
	uint32_t uid;
};

#define CGLABEL_MAX_DEPTH 64    /* deeper paths are not labelled */

/* Splits path ("/system.slice/nginx.service"; empty components skipped) into
 * at most max components pointing into path, each with uid 0. Returns the
 * count, or -E2BIG when there are more than max. */
int cglabel_split(const char *path, struct cg_comp *c, size_t max);

/* The label of the cgroup whose path is c[0..n) (n = 0: the root). Writes a
 * NUL-terminated label to out. Returns 1 when written, 0 when the path names
 * no unit, container or boundary, -ENOSPC when out is too small. */
int cglabel_derive(const struct cg_comp *c, size_t n, char *out, size_t outlen);

/* Index of the first delegation boundary in c[0..n), or n when none. */
size_t cglabel_boundary(const struct cg_comp *c, size_t n);

#endif
