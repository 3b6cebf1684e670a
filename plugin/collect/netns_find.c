/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_find: enumerates the network namespaces and labels them.
 *
 * One pass over /proc stat()s every /proc/PID/ns/net: stat() alone gives the
 * nsfs identity (st_dev, st_ino) and is cheap, so nothing is opened while
 * enumerating. ip netns names, Docker sandboxes and nsfs bind mounts are merged
 * in by the same identity. The label rules are listed in netns_find.h.
 */
#include "netns_find.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"
#include "netns_mounts.h"
#include "numparse.h"
#include "procfs.h"
#include "proctasks.h"
#include "util.h"

/* include/linux/sched.h, not exported to user space: "I am a kernel thread". */
#define PF_KTHREAD      0x00200000ul
#define KTHREADD_PID    2

void netns_set_free(struct netns_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].name);
		if (s->v[i].fd >= 0)
			close(s->v[i].fd);
	}
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static size_t hash_id(dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)ino ^ ((uint64_t)dev << 40)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20);
}

/* Rebuilds the index with nslot slots. Returns 0 or -ENOMEM (index unchanged). */
static int set_rehash(struct netns_set *s, size_t nslot)
{
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		size_t j = hash_id(s->v[i].dev, s->v[i].ino) & (nslot - 1);

		while (slot[j])
			j = (j + 1) & (nslot - 1);
		slot[j] = i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslot = nslot;
	return 0;
}

/* Makes room for one more candidate. Returns 0 or -ENOMEM. */
static int set_reserve(struct netns_set *s)
{
	if ((s->n + 1) * 2 > s->nslot && set_rehash(s, s->nslot ? s->nslot * 2 : 64) < 0)
		return -ENOMEM;
	return util_grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v), 16);
}

/* Points *out at the candidate for (dev, ino), added when new. The pointer
 * lives until the next call. Returns 0 or -ENOMEM. */
static int set_get(struct netns_set *s, dev_t dev, ino_t ino, struct netns_cand **out)
{
	size_t j;

	if (set_reserve(s) < 0)
		return -ENOMEM;
	for (j = hash_id(dev, ino) & (s->nslot - 1); s->slot[j]; j = (j + 1) & (s->nslot - 1)) {
		struct netns_cand *c = &s->v[s->slot[j] - 1];

		if (c->dev == dev && c->ino == ino) {
			*out = c;
			return 0;
		}
	}
	*out = &s->v[s->n];
	memset(*out, 0, sizeof(**out));
	(*out)->fd = -1;
	(*out)->dev = dev;
	(*out)->ino = ino;
	s->slot[j] = ++s->n;
	return 0;
}

/* Adds the nsfs inode that path leads to (anything else is ignored: a stale
 * /run/netns file left by a crash is a plain file). Returns 0 with *out NULL
 * when ignored, or -ENOMEM. */
int netns_set_add_path(struct netns_set *s, const char *path, struct netns_cand **out)
{
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno == EACCES || errno == EPERM)
			s->denied++;
		return 0;
	}
	if (sb.st_dev != s->nsfs_dev)
		return 0;
	return set_get(s, sb.st_dev, sb.st_ino, out);
}

/* A /proc directory name -> pid: digits only, no leading zero, fits pid_t.
 * Returns 0 or -EINVAL. */
static int parse_pid(const char *name, pid_t *pid)
{
	uint64_t v;

	if (name[0] == '0' || parse_u64_str(name, INT_MAX, &v) < 0)
		return -EINVAL;
	*pid = (pid_t)v;
	return 0;
}

/* Replaces *dst by a copy of src. Returns 0 or -ENOMEM. */
static int set_string(char **dst, const char *src)
{
	char *p = strdup(src);

	if (!p)
		return -ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

/* Is pid a kernel thread? From the flags, the 9th field of its stat file;
 * the 2nd (comm) may hold spaces and parentheses, so fields are counted from
 * the last ')'. False when unreadable. */
static bool is_kthread(const char *proc_root, pid_t pid)
{
	char path[PATH_MAX], buf[1024], *p, *end;
	unsigned long flags;

	if (!util_path(path, sizeof(path), "%s/%d/stat", proc_root, (int)pid)
			|| util_read_at(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return false;
	p++;
	for (int field = 3; field < 9; field++) {       /* state .. tpgid */
		p += strspn(p, " ");
		p += strcspn(p, " ");
	}
	p += strspn(p, " ");
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	flags = strtoul(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return false;
	return (flags & PF_KTHREAD) != 0;
}

/* The namespaces of pid's other threads (the network namespace is per
 * thread: one may unshare(CLONE_NEWNET) alone), when it has more than one:
 * one more stat per process, and one per thread of those that have threads.
 * A namespace only a thread is in is opened by that thread's path; it is
 * labelled by the process. Returns 0 or -ENOMEM. */
static int scan_threads(struct netns_set *s, const char *proc_root, pid_t pid)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct netns_cand *c;
	pid_t tid;
	int rc = 0;
	DIR *d;

	if (!util_path(path, sizeof(path), "%s/%d/task", proc_root, (int)pid) ||
			proctasks_count(AT_FDCWD, path) <= 1 || !(d = opendir(path)))
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (parse_pid(de->d_name, &tid) < 0 || tid == pid ||
				!util_path(path, sizeof(path), "%s/%d/task/%d/ns/net", proc_root, (int)pid, (int)tid))
			continue;
		rc = netns_set_add_path(s, path, &c);
		if (rc != 0 || !c)
			continue;
		if (c->pid == 0) {      /* no leader lives in it: open it by the thread */
			c->pid = pid;
			rc = c->path ? 0 : set_string(&c->path, path);
		}
	}
	closedir(d);
	return rc;
}

/* The /proc pass: every process's namespace (and its threads'), the lowest
 * pid in each, and which one holds kthreadd. Returns 0, -ENOMEM, or the
 * -errno of opening proc_root. */
static int scan_procs(struct netns_set *s, const char *proc_root)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct netns_cand *c;
	int rc = 0;
	pid_t pid;
	DIR *d = opendir(proc_root);

	if (!d)
		return -errno;
	while (rc == 0 && (de = readdir(d))) {
		if (parse_pid(de->d_name, &pid) < 0)
			continue;
		if (!util_path(path, sizeof(path), "%s/%s/ns/net", proc_root, de->d_name))
			continue;
		rc = netns_set_add_path(s, path, &c);
		if (rc != 0 || !c)
			continue;
		if (c->pid == 0 || pid < c->pid)
			c->pid = pid;
		if (pid == KTHREADD_PID && is_kthread(proc_root, pid))
			c->init = true;
		rc = scan_threads(s, proc_root, pid);
	}
	closedir(d);
	return rc;
}


/* Directories of namespace bind mounts. */
static const struct ns_dir {
	const char *dir;
	bool names;             /* the file name is what users call the namespace */
} ns_dirs[] = {
	{ "/run/netns", true },                 /* ip netns, podman/netavark, CNI */
	{ "/var/run/docker/netns", false },     /* Docker sandboxes */
};

/* Adds the namespaces mounted in root + dir. Returns 0 or -ENOMEM. */
static int scan_dir(struct netns_set *s, const char *root, const struct ns_dir *nd)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	struct netns_cand *c;
	int rc = 0;
	DIR *d;

	if (!util_path(dir, sizeof(dir), "%s%s", root, nd->dir))
		return 0;
	d = opendir(dir);
	if (!d) {
		/* missing is fine; unreadable hides namespaces that exist */
		s->denied += errno != ENOENT && errno != ENOTDIR;
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !util_path(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		rc = netns_set_add_path(s, path, &c);
		if (rc < 0 || !c)
			continue;
		if (!c->path)
			rc = set_string(&c->path, path);
		/* Several names for one namespace: the smallest, so runs agree. */
		if (rc == 0 && nd->names && (!c->name || strcmp(de->d_name, c->name) < 0))
			rc = set_string(&c->name, de->d_name);
	}
	closedir(d);
	return rc;
}

/* Labels come from file names and process names: keep them printable ASCII. */
static void sanitize(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
}

/* A unit or container is a useful label; a login session or a slice says
 * nothing about why the process has its own namespace. */
static bool unit_names_netns(const char *unit)
{
	size_t n = strlen(unit);

	return strchr(unit, ':') || (n > 8 && strcmp(unit + n - 8, ".service") == 0);
}

/* The container or service of the process behind pidfd, from the "0::" line
 * of its cgroup file, labelled on the cgroup2 mount cgroot (NULL: none)
 * from the owners of its directories. Returns 1 with out set, or 0. */
static int label_from_cgroup(int pidfd, const char *cgroot, char *out, size_t len)
{
	char *cg = NULL;
	int found = 0;

	if (cgroot && cgroups_read_proc(pidfd, &cg) == 0 && cg)
		found = cgroups_label(cgroot, cg, out, len) == 1 && unit_names_netns(out);
	free(cg);
	return found;
}

/* "pid 1234 (comm)". Returns 1 with out set, or 0 when comm is unreadable. */
static int label_from_comm(int pidfd, pid_t pid, char *out, size_t len)
{
	char comm[17];

	if (procfs_read_comm(pidfd, comm, sizeof(comm)) < 0)
		return 0;
	util_say(out, len, "pid %d (%s)", (int)pid, comm);
	return 1;
}

/* A label from what proc_root/pid says: its unit or container, else its
 * comm. Returns 1 with out set, or 0. */
static int label_from_pid(const char *proc_root, const char *cgroot, pid_t pid, char *out, size_t len)
{
	char path[PATH_MAX];
	int fd, found;

	if (pid <= 0 || !util_path(path, sizeof(path), "%s/%d", proc_root, (int)pid))
		return 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	found = label_from_cgroup(fd, cgroot, out, len) || label_from_comm(fd, pid, out, len);
	close(fd);
	return found;
}

/* "mount of pid 1234 (comm)", "socket of ...": what keeps a namespace in
 * which no process lives. Returns 1 with out set, or 0. */
static int label_from_holder(const struct netns_cand *c, const char *proc_root, char *out, size_t len)
{
	char who[NETNS_LABEL_LEN], path[PATH_MAX];
	int fd, found = 0;

	if (c->holder <= 0 || !util_path(path, sizeof(path), "%s/%d", proc_root, (int)c->holder))
		return 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (label_from_comm(fd, c->holder, who, sizeof(who))) {
		util_say(out, len, "%s of %s", c->held_by == 's' ? "socket" : "mount", who);
		found = 1;
	}
	close(fd);
	return found;
}

static void label_of(struct netns_cand *c, const char *proc_root, const char *cgroot)
{
	if (c->name)
		util_say(c->label, sizeof(c->label), "%s", c->name);
	else if (c->init)
		util_say(c->label, sizeof(c->label), "init");
	else if (!label_from_pid(proc_root, cgroot, c->pid, c->label, sizeof(c->label))
			&& !label_from_holder(c, proc_root, c->label, sizeof(c->label)))
		util_say(c->label, sizeof(c->label), "net:[%ju]", (uintmax_t)c->ino);
	sanitize(c->label);
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct netns_cand *a = pa, *b = pb;
	int c = strcmp(a->label, b->label);

	if (c)
		return c;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static bool label_taken(const struct netns_cand *v, size_t n, const char *label)
{
	if (strcmp(label, "host") == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].label, label) == 0)
			return true;
	return false;
}

/* Makes the labels of v (sorted, own namespace excluded) unique: the second
 * "x" becomes "x#2", "host" is the own namespace's. Clashes are rare, so the
 * linear check per clash is fine. */
static void make_unique(struct netns_cand *v, size_t n)
{
	char base[NETNS_LABEL_LEN], next[NETNS_LABEL_LEN];

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i].label, v[i - 1].label) == 0)
			v[i].dup = v[i - 1].dup + 1;
		else
			v[i].dup = strcmp(v[i].label, "host") == 0 ? 2 : 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].dup == 1)
			continue;
		util_say(base, sizeof(base), "%s", v[i].label);
		for (unsigned k = v[i].dup;; k++) {
			int room = (int)sizeof(next) - snprintf(NULL, 0, "#%u", k) - 1;

			util_say(next, sizeof(next), "%.*s#%u", room, base, k);
			if (!label_taken(v, n, next))
				break;
		}
		memcpy(v[i].label, next, sizeof(next));
	}
}

static void root_of(const char *proc_root, char *out, size_t len);

/* Labels the candidates after the own one and sorts them by label. The
 * cgroup2 mount is taken below the system root that holds proc_root. */
static void label_all(struct netns_set *s, const char *proc_root)
{
	const char *mnt = cgroups_find_root();
	char sys[PATH_MAX], cgroot[PATH_MAX];

	root_of(proc_root, sys, sizeof(sys));
	if (mnt)
		util_say(cgroot, sizeof(cgroot), "%s%s", sys, mnt);
	for (size_t i = 1; i < s->n; i++)
		label_of(&s->v[i], proc_root, mnt ? cgroot : NULL);
	qsort(s->v + 1, s->n - 1, sizeof(*s->v), cand_cmp);
	make_unique(s->v + 1, s->n - 1);
	/* The index no longer matches the sorted order. */
	free(s->slot);
	s->slot = NULL;
	s->nslot = 0;
}

/* The system root that holds proc_root: "/proc" -> "", "/tmp/t/proc" -> "/tmp/t". */
static void root_of(const char *proc_root, char *out, size_t len)
{
	size_t n = strlen(proc_root);

	while (n > 1 && proc_root[n - 1] == '/')
		n--;
	while (n > 0 && proc_root[n - 1] != '/')
		n--;
	while (n > 0 && proc_root[n - 1] == '/')
		n--;
	util_say(out, len, "%.*s", (int)n, proc_root);
}

/* The sources in turn: processes, the bind mount directories, mountinfo. */
static int enumerate(struct netns_set *s, const char *proc_root, int own_fd, char *why, size_t whylen)
{
	char root[PATH_MAX];
	struct stat sb;
	struct netns_cand *c;
	int rc;

	if (fstat(own_fd, &sb) < 0)
		return -errno;
	s->nsfs_dev = sb.st_dev;
	if (set_get(s, sb.st_dev, sb.st_ino, &c) < 0)
		return -ENOMEM;
	rc = scan_procs(s, proc_root);
	if (rc < 0 && rc != -ENOMEM) {
		util_say(why, whylen, "cannot list %s: %s", proc_root, strerror(-rc));
		s->denied++;
		rc = 0;
	}
	root_of(proc_root, root, sizeof(root));
	for (size_t i = 0; rc == 0 && i < sizeof(ns_dirs) / sizeof(ns_dirs[0]); i++)
		rc = scan_dir(s, root, &ns_dirs[i]);
	return rc ? rc : netns_scan_mounts(s, proc_root, root);
}

int netns_find(struct netns_set *s, const char *proc_root, int own_fd, char *why, size_t whylen)
{
	int rc = enumerate(s, proc_root, own_fd, why, whylen);

	if (rc == 0)
		label_all(s, proc_root);
	return rc;
}

int netns_open(const struct netns_cand *c, const char *proc_root)
{
	char path[PATH_MAX];

	if (c->fd >= 0)
		return fcntl(c->fd, F_DUPFD_CLOEXEC, 0);
	if (c->path)
		return open(c->path, O_RDONLY | O_CLOEXEC);
	if (!util_path(path, sizeof(path), "%s/%d/ns/net", proc_root, (int)c->pid)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* fd (an nsfs fd) refers to c: a candidate that was gone when it was to be
 * entered takes it and is pending again. Returns 1 when adopted, else 0 with
 * fd closed. */
static int adopt(struct netns_cand *c, int fd)
{
	if (c->state != NETNS_GONE) {
		close(fd);
		return 0;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = fd;
	c->state = NETNS_PENDING;
	return 1;
}

/* The GONE candidate of s with c's identity (linear: there are few). */
static struct netns_cand *gone_cand(struct netns_set *s, const struct stat *sb)
{
	for (size_t i = 1; i < s->n; i++)
		if (s->v[i].state == NETNS_GONE && s->v[i].dev == sb->st_dev && s->v[i].ino == sb->st_ino)
			return &s->v[i];
	return NULL;
}

int netns_refind(struct netns_set *s, const char *proc_root)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat sb;
	struct netns_cand *c;
	int n = 0, fd;
	pid_t pid;
	DIR *d = opendir(proc_root);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (parse_pid(de->d_name, &pid) < 0
				|| !util_path(path, sizeof(path), "%s/%s/ns/net", proc_root, de->d_name))
			continue;
		/* opened, not stat()ed: the fd keeps it whatever its process does */
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (fstat(fd, &sb) == 0 && (c = gone_cand(s, &sb)) && adopt(c, fd)) {
			n++;
			continue;
		}
		close(fd);
	}
	closedir(d);
	return n;
}

int netns_add_fd(struct netns_set *s, int fd, pid_t holder, const char *proc_root)
{
	struct netns_cand *c;
	struct stat sb;
	char base[NETNS_LABEL_LEN];

	if (fstat(fd, &sb) < 0 || sb.st_dev != s->nsfs_dev) {
		close(fd);
		return 0;
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].dev == sb.st_dev && s->v[i].ino == sb.st_ino)
			return adopt(&s->v[i], fd);
	/* the index was dropped when the set was sorted: append by hand */
	if (util_grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v), 16) < 0) {
		close(fd);
		return -ENOMEM;
	}
	c = &s->v[s->n++];
	*c = (struct netns_cand){ .dev = sb.st_dev, .ino = sb.st_ino, .fd = fd, .holder = holder,
		.held_by = 's', .dup = 1 };
	label_of(c, proc_root, NULL);   /* no process lives in it: no cgroup */
	util_say(base, sizeof(base), "%s", c->label);
	for (unsigned k = 2; label_taken(s->v + 1, s->n - 2, c->label); k++) {
		int room = (int)sizeof(base) - snprintf(NULL, 0, "#%u", k) - 1;

		util_say(c->label, sizeof(c->label), "%.*s#%u", room, base, k);
	}
	return 1;
}
