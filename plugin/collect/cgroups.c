/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroups: cgroup id -> cgroup path -> unit or container label. The label
 * itself is cglabel.c's, from the path's components and their owners. */
#include "cgroups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "cgpath.h"
#include "cglabel.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_MAX_DEPTH CGLABEL_MAX_DEPTH

/* ---- the cgroup2 mount ------------------------------------------------ */

const char *cgroups_find_root(void)
{
	static const char *const candidates[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		struct statfs sf;

		if (statfs(candidates[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
			return candidates[i];
	}
	return NULL;
}

/* ---- id -> path walk -------------------------------------------------- */

struct cg_walk {
	const uint64_t *ids;
	size_t n, left;
	char **paths;
	const struct timespec *deadline;        /* NULL = none */
	unsigned dirs;                          /* directories entered */
	bool out_of_time;
	char path[PATH_MAX];
	int err;
};

/* Any user can create many cgroups below their own: the walk is bounded by
 * the deadline, checked every 32 directories. */
static bool walk_over(struct cg_walk *w)
{
	struct timespec now;

	if (w->out_of_time || !w->deadline || w->dirs++ % 32 != 0)
		return w->out_of_time;
	clock_gettime(CLOCK_MONOTONIC, &now);
	w->out_of_time = now.tv_sec > w->deadline->tv_sec ||
		(now.tv_sec == w->deadline->tv_sec && now.tv_nsec >= w->deadline->tv_nsec);
	return w->out_of_time;
}

/* Records path for every id equal to ino. Linear: the wanted ids are the few
 * distinct cgroups of unrecognised listeners. */
static void record(struct cg_walk *w, uint64_t ino)
{
	for (size_t i = 0; i < w->n; i++) {
		if (w->ids[i] != ino || w->paths[i])
			continue;
		w->paths[i] = strdup(w->path[0] ? w->path : "/");
		if (!w->paths[i]) {
			w->err = -ENOMEM;
			return;
		}
		w->left--;
	}
}

static void walk_dir(struct cg_walk *w, int fd, size_t plen, int depth);

/* Enters child `name` of the directory fd (consumes nothing: fd stays open). */
static void walk_child(struct cg_walk *w, int fd, const char *name, size_t plen, int depth)
{
	size_t nlen = strlen(name);
	struct stat st;
	int cfd;

	if (plen + 1 + nlen >= sizeof(w->path))
		return;
	cfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return;
	w->path[plen] = '/';
	memcpy(w->path + plen + 1, name, nlen + 1);
	if (fstat(cfd, &st) == 0)
		record(w, (uint64_t)st.st_ino);
	walk_dir(w, cfd, plen + 1 + nlen, depth + 1);   /* closes cfd */
	w->path[plen] = '\0';
}

/* Walks the directory fd (and closes it). w->path[0..plen) is its path. */
static void walk_dir(struct cg_walk *w, int fd, size_t plen, int depth)
{
	struct dirent *d;
	DIR *dir;

	if (w->left == 0 || w->err || depth > CG_MAX_DEPTH || walk_over(w) || !(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	while (w->left && !w->err && !w->out_of_time && (d = readdir(dir))) {
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		walk_child(w, dirfd(dir), d->d_name, plen, depth);
	}
	closedir(dir);
}

int cgroups_map_ids(const char *root, const uint64_t *ids, size_t n, char **paths,
		const struct timespec *deadline)
{
	struct cg_walk *w;
	struct stat st;
	int fd, err;

	if (n == 0 || !root)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct cg_walk){ .ids = ids, .n = n, .left = n, .paths = paths, .deadline = deadline };
	for (size_t i = 0; i < n; i++)
		if (ids[i] == 0 || paths[i])
			w->left--;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &st) == 0)
			record(w, (uint64_t)st.st_ino);
		walk_dir(w, fd, 0, 0);
	}
	err = w->err;
	free(w);
	return err;
}

/* ---- listener units ------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int cgroups_add_unit(struct owner *o, const char *label)
{
	char *u, **nu;

	if (!label) {
		o->unit_none = true;
		return 0;
	}
	for (size_t i = 0; i < o->nunits; i++)
		if (strcmp(o->units[i], label) == 0)
			return 0;
	if (!(u = strdup(label)))
		return -ENOMEM;
	if (!(nu = realloc(o->units, (o->nunits + 1) * sizeof(*nu)))) {
		free(u);
		return -ENOMEM;
	}
	o->units = nu;
	o->units[o->nunits++] = u;
	return 0;
}

/* The cgroup2 mount at root (NULL = cgroups_find_root()), opened; -1 when none. */
static int open_root(const char *root)
{
	if (!root && !(root = cgroups_find_root()))
		return -1;
	return open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int cgroups_delegated(const char *root, const char *path)
{
	int fd = open_root(root), rc;

	if (fd < 0)
		return 1;
	rc = cgpath_delegated(fd, path);
	close(fd);
	return rc != 0;
}

int cgroups_label(const char *root, const char *path, char *out, size_t outlen)
{
	int fd = open_root(root), rc;

	if (fd < 0)
		return 0;
	rc = cgpath_label(fd, path, out, outlen);
	close(fd);
	return rc;
}

/* A listener gets its units here only when every socket has a cgroup id. */
static bool needs_unit(const struct inventory *inv, const struct listener *l)
{
	if (listener_owner(inv, l)->unit_checked)
		return false;
	for (uint32_t s = 0; s < l->count; s++)
		if (l->s[s].cgroup_id == 0)
			return false;
	return true;
}

/* The distinct cgroup ids of every socket of the wanted listeners, sorted;
 * NULL on ENOMEM. */
static uint64_t *wanted_ids(const struct inventory *inv, const uint8_t *need, size_t *n)
{
	uint64_t *ids = malloc((inv->nsocks ? inv->nsocks : 1) * sizeof(*ids));
	size_t k = 0, u = 0;

	if (!ids)
		return NULL;
	for (size_t i = 0; i < inv->nls; i++)
		if ((!need || need[i]) && needs_unit(inv, &inv->ls[i]))
			for (uint32_t s = 0; s < inv->ls[i].count; s++)
				ids[k++] = inv->ls[i].s[s].cgroup_id;
	qsort(ids, k, sizeof(*ids), cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	*n = u;
	return ids;
}

/* Paths of ids: by file handle, one call each; the ids that cannot be
 * opened so (no CAP_DAC_READ_SEARCH, a kernel or file system without kernfs
 * handles, a cgroup removed meanwhile) by one walk, bounded by deadline. */
static int map_paths(int mntfd, const char *root, const uint64_t *ids, size_t n, char **paths,
		bool *gone, const struct timespec *deadline)
{
	bool walk = false;
	int err;

	for (size_t i = 0; i < n; i++) {
		int rc = cgpath_by_id(mntfd, root, ids[i], &paths[i]);

		if (rc == -ENOMEM)
			return rc;
		/* kernfs has no node of that id: the cgroup was removed (a
		 * walk still looks: root may be no cgroup2 mount, as in tests) */
		gone[i] = rc == -ESTALE;
		walk |= rc < 0;
		/* without the privilege, none will open: do not try each */
		if (rc == -EPERM)
			break;
	}
	if (!walk)
		return 0;
	err = cgroups_map_ids(root, ids, n, paths, deadline);
	for (size_t i = 0; i < n; i++)
		gone[i] &= !paths[i];
	return err;
}

/* labels[i]: the label of paths[i]; "" when the path names none. deleg[i]:
 * the path lies at or below a delegation boundary. */
static int label_paths(int mntfd, char **paths, size_t n, char **labels, bool *deleg)
{
	char label[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		if (!paths[i])
			continue;
		deleg[i] = cgpath_delegated(mntfd, paths[i]) != 0;
		if (cgpath_label(mntfd, paths[i], label, sizeof(label)) != 1)
			label[0] = '\0';
		if (!(labels[i] = strdup(label)))
			return -ENOMEM;
	}
	return 0;
}

/* What the paths of the wanted ids say, index by index. */
struct id_paths {
	const uint64_t *ids;
	size_t n;
	char **labels;
	bool *deleg, *gone;
};

static size_t id_index(const struct id_paths *p, uint64_t id)
{
	const uint64_t *hit = bsearch(&id, p->ids, p->n, sizeof(*p->ids), cmp_u64);

	return hit ? (size_t)(hit - p->ids) : p->n;
}

/* Units of listener i from the labels of its sockets' cgroups; a socket
 * whose cgroup was not found leaves the units unchecked, and one whose
 * cgroup is gone says so (cg_gone). */
static int set_units(struct inventory *inv, size_t i, const struct id_paths *p)
{
	const struct listener *l = &inv->ls[i];
	struct owner *o;
	bool found = true, gone = false;
	int err = 0;

	for (uint32_t s = 0; s < l->count; s++) {
		size_t k = id_index(p, l->s[s].cgroup_id);

		found &= k < p->n && p->labels[k];
		gone |= k < p->n && p->gone[k];
	}
	if ((found || gone) && !(o = inv_owner(inv, i)))
		return -ENOMEM;
	if (!found) {
		if (gone)
			o->cg_gone = true;
		return 0;
	}
	for (uint32_t s = 0; s < l->count && !err; s++) {
		size_t k = id_index(p, l->s[s].cgroup_id);

		o->cg_user |= p->deleg[k];
		err = cgroups_add_unit(o, p->labels[k][0] ? p->labels[k] : NULL);
	}
	o->unit_checked = !err;
	return err;
}

int cgroups_resolve_units(struct inventory *inv, const uint8_t *need, const char *root,
		const struct timespec *deadline)
{
	char **paths = NULL, **labels = NULL;
	bool *flags = NULL;
	size_t n = 0;
	int err = 0, mntfd = -1;
	uint64_t *ids = wanted_ids(inv, need, &n);

	if (!ids)
		return -ENOMEM;
	if (n == 0 || !(root = root ? root : cgroups_find_root()))
		goto out;
	if ((mntfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto out;
	paths = calloc(n, sizeof(*paths));
	labels = calloc(n, sizeof(*labels));
	flags = calloc(2 * n, sizeof(*flags));
	err = paths && labels && flags ? map_paths(mntfd, root, ids, n, paths, flags + n, deadline) : -ENOMEM;
	if (!err)
		err = label_paths(mntfd, paths, n, labels, flags);
	for (size_t i = 0; i < inv->nls && !err; i++)
		if ((!need || need[i]) && needs_unit(inv, &inv->ls[i]))
			err = set_units(inv, i, &(struct id_paths){ ids, n, labels, flags, flags + n });
out:
	for (size_t i = 0; i < n; i++) {
		free(paths ? paths[i] : NULL);
		free(labels ? labels[i] : NULL);
	}
	free(paths);
	free(labels);
	free(flags);
	free(ids);
	if (mntfd >= 0)
		close(mntfd);
	return err;
}

int cgroups_read_proc(int pidfd, char **path)
{
	int fd = openat(pidfd, "cgroup", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	*path = NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!*path && !err && (n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		*path = strdup(line + 3);
		err = *path ? 0 : -ENOMEM;
	}
	free(line);
	fclose(f);
	return err;
}

static int cmp_pid_desc(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y) - (x > y);
}

/* Appends the pids of one cgroup to *all. */
static int add_procs(int mntfd, const char *root, uint64_t id, pid_t **all, size_t *n)
{
	char *path = NULL;
	pid_t *p = NULL, *grown;
	size_t k = 0;
	int err = cgpath_by_id(mntfd, root, id, &path);

	/* The root cgroup holds every process not placed elsewhere: listing it
	 * costs the kernel a walk of them all and narrows nothing. */
	if (!err && strcmp(path, "/") != 0)
		err = cgpath_procs(mntfd, path, &p, &k);
	free(path);
	if (err || k == 0) {
		free(p);
		return err == -ENOMEM ? err : 0;
	}
	grown = realloc(*all, (*n + k) * sizeof(*grown));
	if (!grown) {
		free(p);
		return -ENOMEM;
	}
	memcpy(grown + *n, p, k * sizeof(*p));
	*all = grown;
	*n += k;
	free(p);
	return 0;
}

int cgroups_procs(const char *root, uint64_t *ids, size_t n, pid_t **pids, size_t *npids)
{
	int mntfd, err = 0;
	size_t k = 0;

	*pids = NULL;
	*npids = 0;
	if (n == 0 || !(root = root ? root : cgroups_find_root()))
		return 0;
	qsort(ids, n, sizeof(*ids), cmp_u64);
	if ((mntfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	for (size_t i = 0; i < n && !err; i++)
		if (i == 0 || ids[i] != ids[i - 1])
			err = add_procs(mntfd, root, ids[i], pids, npids);
	close(mntfd);
	if (*npids)
		qsort(*pids, *npids, sizeof(**pids), cmp_pid_desc);
	for (size_t i = 0; i < *npids; i++)
		if (k == 0 || (*pids)[k - 1] != (*pids)[i])
			(*pids)[k++] = (*pids)[i];
	*npids = k;
	return err;
}
