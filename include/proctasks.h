/* SPDX-License-Identifier: GPL-3.0-or-later */
/* proctasks: the threads of a process, for the scans of /proc.
 *
 * A thread may take a descriptor table of its own (unshare(CLONE_FILES)),
 * shown only in /proc/PID/task/TID/fd, and a network namespace of its own,
 * shown only in /proc/PID/task/TID/ns/net; a leader that ended
 * (pthread_exit) leaves its threads' table there only. A single-threaded
 * process costs one fstatat (proctasks_count()), nothing more.
 */
#ifndef CHECK_LISTENERS_PROCTASKS_H
#define CHECK_LISTENERS_PROCTASKS_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "procfs.h"

/* The threads of a process, from the link count of its task directory
 * (dirfd/task: "task" from /proc/PID, "../task" from /proc/PID/fd), which
 * is 2 + threads. Returns at least 1, or -errno. One fstatat. */
int proctasks_count(int dirfd, const char *task);

/* True when procfd/self is the plugin's own pid: then pids read in procfd
 * are the plugin's, which kcmp(2) takes. */
bool proctasks_kcmp_usable(int procfd);

/* The first thread other than pid listed in taskfd (an open
 * /proc/PID/task), or 0 when none. */
pid_t proctasks_first(int taskfd, pid_t pid);

/* Called for a thread's table: fdfd its open fd directory (fn owns it and
 * closes it), or -1 when the table is one already met (kcmp). Returns 0 to
 * go on, PROCFS_FD_DENIED to note and go on, a negative errno or
 * PROCFS_FD_OUT_OF_TIME to stop. */
typedef int (*proctasks_table_fn)(pid_t tid, int fdfd, void *arg);

/* Calls fn for each thread of the process whose /proc/PID is pidfd, other
 * than the leader pid: with its fd directory when its descriptor table is
 * neither the leader's nor one met before (with kcmp, see below; without it
 * every table counts as new). Returns the worst of fn's results as
 * procfs_fd_sockets() does, PROCFS_FD_DENIED also for a table or task
 * directory that could not be opened. */
int proctasks_tables(int pidfd, pid_t pid, bool kcmp, proctasks_table_fn fn, void *arg);

/* The descriptor tables of the threads of a process (its /proc/PID is
 * pidfd) other than the leader's: a thread that called unshare(CLONE_FILES)
 * has a table of its own, seen only in /proc/PID/task/TID/fd, and a leader
 * that ended (pthread_exit) leaves its threads' table there only. With kcmp
 * (proctasks_kcmp_usable()) a thread whose table is the leader's, or one walked
 * already, is skipped (one kcmp each); without it every thread's table is
 * walked. fn may see a socket more than once. *live is set to a thread other
 * than the leader that was there (0 = none): the leader may be a zombie
 * whose exe is gone while its threads run. Returns as procfs_fd_sockets()
 * (DENIED when a thread's table could not be read). */
int proctasks_sockets(int pidfd, pid_t pid, bool kcmp, const struct timespec *deadline,
		procfs_sock_fn fn, void *arg, pid_t *live);

#endif
