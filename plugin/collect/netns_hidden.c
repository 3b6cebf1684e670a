/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_hidden: the namespaces only a socket keeps (see include/netns_hidden.h).
 *
 * Cost: one fstatat() per descriptor (as the owner scan), and for a socket
 * not seen before a getxattr() to skip UNIX and netlink sockets, then
 * pidfd_getfd() + ioctl(SIOCGSKNS) + fstat(). Each socket inode is asked once,
 * however many processes share it. */
#include "netns_hidden.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <linux/sockios.h>

#include "numparse.h"
#include "procfs.h"
#include "proctasks.h"
#include "util.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL     /* Linux 6.9: a pidfd of one thread, its own table */
#endif

/* Socket inodes, open addressing; 0 marks an empty slot (no socket has
 * inode 0 in /proc). */
struct ino_set {
	uint32_t *slot;
	size_t n, size;         /* size: a power of two */
};

static size_t ino_hash(uint32_t ino)
{
	return (size_t)(((uint64_t)ino * 0x9e3779b97f4a7c15ull) >> 24);
}

/* Adds ino. Returns 1 when new, 0 when already there, -ENOMEM. */
static int ino_add(struct ino_set *h, uint32_t ino)
{
	size_t j;

	if (ino == 0)
		return 0;
	if ((h->n + 1) * 2 > h->size) {
		struct ino_set g = { NULL, 0, h->size ? h->size * 2 : 1024 };

		g.slot = calloc(g.size, sizeof(*g.slot));
		if (!g.slot)
			return -ENOMEM;
		for (size_t i = 0; i < h->size; i++)
			if (h->slot[i])
				ino_add(&g, h->slot[i]);
		free(h->slot);
		*h = g;
	}
	for (j = ino_hash(ino) & (h->size - 1); h->slot[j]; j = (j + 1) & (h->size - 1))
		if (h->slot[j] == ino)
			return 0;
	h->slot[j] = ino;
	h->n++;
	return 1;
}

/* UNIX and netlink sockets have no port to listen on. When the protocol
 * name cannot be read the socket is asked anyway. */
static bool portless(const char *fdpath, const char *name)
{
	char proto[32], path[PATH_MAX];
	ssize_t n;

	if (snprintf(path, sizeof(path), "%s/%s", fdpath, name) >= (int)sizeof(path))
		return false;
	n = getxattr(path, "system.sockprotoname", proto, sizeof(proto) - 1);
	if (n <= 0)
		return false;
	proto[n] = '\0';
	return strcmp(proto, "UNIX") == 0 || strcmp(proto, "NETLINK") == 0;
}

/* The namespace of socket fd number num of the process behind pidfd, as an
 * nsfs fd, or -1. */
static int socket_netns(int pidfd, int num)
{
	int sfd = (int)syscall(SYS_pidfd_getfd, pidfd, num, 0), nsfd;

	if (sfd < 0)
		return -1;
	nsfd = ioctl(sfd, SIOCGSKNS);
	close(sfd);
	if (nsfd >= 0)
		fcntl(nsfd, F_SETFD, FD_CLOEXEC);
	return nsfd;
}

struct scan {
	struct netns_set *s;
	const char *proc_root;
	struct ino_set seen;    /* sockets dumped or already asked */
	struct timespec end;
	struct hidden_stats *st;
	bool kcmp;              /* proctasks_kcmp_usable() */
	pid_t pid;              /* the process being searched */
};

/* Past end? A processes with 16,000 descriptors takes a tenth of a second,
 * so the clock is read for every one. */
static bool late(const struct scan *x)
{
	struct timespec now;

	if (x->end.tv_sec == 0 && x->end.tv_nsec == 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > x->end.tv_sec || (now.tv_sec == x->end.tv_sec && now.tv_nsec >= x->end.tv_nsec);
}

/* Every socket descriptor of one table: fdfd (closed here) is the fd
 * directory fdpath of task tid of process x->pid, whose descriptors a pidfd
 * of tid reaches (of the thread itself, PIDFD_THREAD, when tid is not the
 * leader). A thread's socket that cannot be asked (a kernel before 6.9 has
 * no thread pidfds) counts in s->denied. Returns 0, 1 when out of time, or
 * -ENOMEM. */
static int scan_table(struct scan *x, int fdfd, const char *fdpath, pid_t tid)
{
	DIR *d = fdopendir(fdfd);
	struct dirent *de;
	struct stat st;
	int pidfd = -1, rc = 0;
	uint64_t num;

	if (!d) {
		close(fdfd);
		return 0;
	}
	while (rc == 0 && (de = readdir(d))) {
		int nsfd, r;

		if (late(x)) {
			rc = 1;
			break;
		}
		if (parse_u64_str(de->d_name, INT_MAX, &num) < 0
				|| fstatat(fdfd, de->d_name, &st, 0) < 0 || !S_ISSOCK(st.st_mode))
			continue;
		if ((r = ino_add(&x->seen, (uint32_t)st.st_ino)) <= 0) {
			rc = r;
			continue;
		}
		if (portless(fdpath, de->d_name))
			continue;
		if (pidfd < 0 && (pidfd = (int)syscall(SYS_pidfd_open, tid,
				tid == x->pid ? 0 : PIDFD_THREAD)) < 0) {
			x->s->denied += tid != x->pid;
			break;
		}
		nsfd = socket_netns(pidfd, (int)num);
		if (nsfd >= 0 && (r = netns_add_fd(x->s, nsfd, x->pid, x->proc_root)) != 0)
			r < 0 ? (void)(rc = r) : (void)x->st->added++;
	}
	if (pidfd >= 0)
		close(pidfd);
	closedir(d);
	return rc;
}

/* proctasks_table_fn: the table of one more thread of x->pid. */
static int thread_table(pid_t tid, int fdfd, void *arg)
{
	struct scan *x = arg;
	char fdpath[PATH_MAX];

	if (fdfd < 0)
		return 0;
	if (!util_path(fdpath, sizeof(fdpath), "%s/%d/task/%d/fd", x->proc_root, (int)x->pid, (int)tid)) {
		close(fdfd);
		return 0;
	}
	return scan_table(x, fdfd, fdpath, tid) == 1 ? PROCFS_FD_OUT_OF_TIME : 0;
}

/* Every socket descriptor of one process: the leader's table, then those
 * of its other threads (see proctasks_tables()). Returns 0, 1 when out
 * of time, or -ENOMEM. */
static int scan_pid(struct scan *x, pid_t pid)
{
	char fdpath[PATH_MAX];
	int fdfd, pidfd, rc;

	if (!util_path(fdpath, sizeof(fdpath), "%s/%d/fd", x->proc_root, (int)pid)
			|| (fdfd = open(fdpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	x->pid = pid;
	if (proctasks_count(fdfd, "../task") <= 1)
		return scan_table(x, fdfd, fdpath, pid);
	pidfd = procfs_open_parent(fdfd);
	rc = scan_table(x, fdfd, fdpath, pid);
	if (rc == 0 && pidfd >= 0) {
		rc = proctasks_tables(pidfd, pid, x->kcmp, thread_table, x);
		rc = rc == PROCFS_FD_OUT_OF_TIME ? 1 : rc < 0 ? rc : 0;
	}
	if (pidfd >= 0)
		close(pidfd);
	return rc;
}

int netns_hidden_sockets(struct netns_set *s, const char *proc_root, const struct inventory *inv,
		struct timespec end, struct hidden_stats *st)
{
	struct scan x = { s, proc_root, { NULL, 0, 0 }, end, st, false, 0 };
	struct dirent *de;
	uint64_t pid;
	int rc = 0;
	DIR *d;

	*st = (struct hidden_stats){ 0, 0, 0, false };
	for (size_t i = 0; rc == 0 && i < inv->nsocks; i++)
		rc = ino_add(&x.seen, inv->socks[i].inode) < 0 ? -ENOMEM : 0;
	d = rc == 0 ? opendir(proc_root) : NULL;
	if (d)
		x.kcmp = proctasks_kcmp_usable(dirfd(d));
	while (d && rc >= 0 && (de = readdir(d))) {
		if (de->d_name[0] == '0' || parse_u64_str(de->d_name, INT_MAX, &pid) < 0)
			continue;
		st->procs++;
		if (rc == 0 && (rc = scan_pid(&x, (pid_t)pid)) == 0)
			st->done++;
	}
	if (d)
		closedir(d);
	st->out_of_time = rc == 1;
	free(x.seen.slot);
	return rc < 0 ? rc : 0;
}
