/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proctasks: the threads of a process as the owner scans need them (see
 * include/proctasks.h). */
#include "proctasks.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <linux/kcmp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "numparse.h"

#define TASK_DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* A task directory links "." and ".." and one directory per thread. */
int proctasks_count(int dirfd, const char *task)
{
	struct stat st;

	if (fstatat(dirfd, task, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return st.st_nlink > 2 ? (int)(st.st_nlink - 2 > INT_MAX ? INT_MAX : st.st_nlink - 2) : 1;
}

bool proctasks_kcmp_usable(int procfd)
{
	char link[32], mine[32];
	ssize_t n = readlinkat(procfd, "self", link, sizeof(link) - 1);

	if (n <= 0)
		return false;
	link[n] = '\0';
	snprintf(mine, sizeof(mine), "%d", (int)getpid());
	return strcmp(link, mine) == 0;
}

#define TABLES_KEPT 8           /* distinct tables remembered for kcmp; more are walked */

/* 1 when threads a and b share one descriptor table, 0 when not or unknown. */
static bool same_table(pid_t a, pid_t b)
{
	return syscall(SYS_kcmp, a, b, KCMP_FILES, 0, 0) == 0;
}

/* True when tid's table is one already walked: the leader's, or one of kept[]. */
static bool table_walked(pid_t pid, pid_t tid, const pid_t *kept, size_t n)
{
	if (same_table(pid, tid))
		return true;
	for (size_t i = 0; i < n; i++)
		if (same_table(kept[i], tid))
			return true;
	return false;
}

/* Merges the result of one more table into rc: a stop (negative, out of
 * time) wins, DENIED is kept while the walk goes on. */
static int merge_rc(int rc, int more)
{
	if (rc < 0 || rc == PROCFS_FD_OUT_OF_TIME)
		return rc;
	return more == 0 ? rc : more;
}

pid_t proctasks_first(int taskfd, pid_t pid)
{
	DIR *d = procfs_opendir_at(taskfd, ".");
	struct dirent *e;
	pid_t tid = 0;

	if (!d)
		return 0;
	while (tid == 0 && (e = readdir(d))) {
		uint64_t v;

		if (parse_u64(e->d_name, strlen(e->d_name), INT_MAX, &v) == 0 && (pid_t)v != pid)
			tid = (pid_t)v;
	}
	closedir(d);
	return tid;
}

int proctasks_tables(int pidfd, pid_t pid, bool kcmp, proctasks_table_fn fn, void *arg)
{
	DIR *d = procfs_opendir_at(pidfd, "task");
	pid_t kept[TABLES_KEPT];
	size_t nkept = 0;
	struct dirent *e;
	int rc = 0;

	if (!d)
		return errno == ENOENT || errno == ESRCH ? 0 : PROCFS_FD_DENIED;
	while (rc >= 0 && rc != PROCFS_FD_OUT_OF_TIME && (e = readdir(d))) {
		uint64_t v;
		char rel[32];
		int fdfd;

		if (parse_u64(e->d_name, strlen(e->d_name), INT_MAX, &v) < 0 || (pid_t)v == pid)
			continue;
		if (kcmp && table_walked(pid, (pid_t)v, kept, nkept)) {
			rc = merge_rc(rc, fn((pid_t)v, -1, arg));
			continue;
		}
		/* the parsed number, not d_name: -Werror=format-truncation (make check) */
		snprintf(rel, sizeof(rel), "%d/fd", (int)v);
		if ((fdfd = openat(dirfd(d), rel, TASK_DIR_FLAGS)) < 0) {
			rc = merge_rc(rc, errno == ENOENT || errno == ESRCH ? 0 : PROCFS_FD_DENIED);
			continue;
		}
		if (nkept < TABLES_KEPT)
			kept[nkept++] = (pid_t)v;
		rc = merge_rc(rc, fn((pid_t)v, fdfd, arg));
	}
	closedir(d);
	return rc;
}

struct sock_walk {
	const struct timespec *deadline;
	procfs_sock_fn fn;
	void *arg;
	pid_t live;
};

/* proctasks_table_fn: the sockets of one thread's table. */
static int table_sockets(pid_t tid, int fdfd, void *arg)
{
	struct sock_walk *w = arg;

	w->live = w->live ? w->live : tid;
	return fdfd < 0 ? 0 : procfs_fd_sockets(fdfd, w->deadline, w->fn, w->arg);
}

int proctasks_sockets(int pidfd, pid_t pid, bool kcmp, const struct timespec *deadline,
		procfs_sock_fn fn, void *arg, pid_t *live)
{
	struct sock_walk w = { deadline, fn, arg, 0 };
	int rc = proctasks_tables(pidfd, pid, kcmp, table_sockets, &w);

	*live = w.live;
	return rc;
}

