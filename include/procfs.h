/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procfs: the plain /proc reads behind the owners scan.
 *
 * Everything reads relative to an open directory (proc_root, or one
 * proc_root/PID), so a fake tree in a temp dir stands in for /proc in tests
 * and a process directory opened once is not swapped for another process's
 * between two reads. No state is kept; strings are raw bytes.
 */
#ifndef CHECK_LISTENERS_PROCFS_H
#define CHECK_LISTENERS_PROCFS_H

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* Capability bits as CapEff in /proc/PID/status numbers them. */
#define PROCFS_CAP_DAC_READ_SEARCH 2
#define PROCFS_CAP_SYS_PTRACE 19

/* The pure parsers, exposed for tests. */

/* "socket:[12345]" -> 12345. Returns 0, or -EINVAL for anything else. */
int procfs_parse_socket_link(const char *link, uint32_t *inode);

/* Field 22 (starttime) of a /proc/PID/stat line; the comm field may hold
 * spaces and parentheses. Returns 0 or -EINVAL. */
int procfs_parse_starttime(const char *stat, unsigned long long *starttime);

/* Opens the directory of pid under procfd. Returns the fd (the caller closes
 * it), or -errno: -ENOENT/-ESRCH when the process is gone. */
int procfs_open_pid(int procfd, pid_t pid);

/* Opens the fd directory of an open /proc/PID. Returns the fd (the caller
 * closes it, or hands it to procfs_fd_sockets), or -errno: -ENOENT/-ESRCH
 * when the process is gone, -EACCES when it is not ours to read. */
int procfs_open_fds(int pidfd);

/* Opens procfd/PID/fd in one step (the process's directory itself is
 * opened only when needed, through procfs_open_parent(): the same process).
 * Returns the fd or -errno as procfs_open_fds(). */
int procfs_open_pid_fds(int procfd, pid_t pid);

/* A directory stream of at/rel (O_NOFOLLOW), or NULL with errno set. */
DIR *procfs_opendir_at(int at, const char *rel);

/* Opens ".." of an open /proc directory (of PID/fd: PID, the same process
 * even when its pid has been reused since). Returns the fd or -errno. */
int procfs_open_parent(int fdfd);

/* Called for each socket fd: 0 to go on, a negative errno to stop the walk. */
typedef int (*procfs_sock_fn)(uint32_t inode, void *arg);

#define PROCFS_FD_DENIED 1         /* the directory or a link could not be read */
#define PROCFS_FD_OUT_OF_TIME 2    /* the deadline came first */
#define PROCFS_FD_CLOCK_EVERY 64   /* descriptors between two looks at the clock */

/* The files registered in an io_uring (IORING_REGISTER_FILES, or sockets
 * that io_uring opened into its table), from the ring's fdinfo text: fn is
 * called with the inode of every "socket:[N]" entry of its UserFiles list.
 * Such a socket needs no descriptor of its own: the process holding the ring
 * holds it. Returns 0 (also when the text has no UserFiles line), fn's
 * negative value, or PROCFS_FD_DENIED when files are registered but none is
 * listed (the kernel lists them only when it gets the ring's lock at once),
 * or the count is not a number. */
int procfs_parse_uring_files(const char *fdinfo, procfs_sock_fn fn, void *arg);

/* Walks the fd directory fdfd (closed here, also on error) and calls fn with
 * the inode of every "socket:[N]" link, and of every socket registered in an
 * io_uring ("anon_inode:[io_uring]" links: procfs_parse_uring_files() of
 * ../fdinfo/N; an unreadable or unlisted table makes the result
 * PROCFS_FD_DENIED once every descriptor is walked). Entries whose name is not all digits
 * ("." and "..") are skipped without a syscall; an fd closed meanwhile is
 * skipped. Stops at deadline (CLOCK_MONOTONIC; NULL or {0,0} = none), which
 * is checked every PROCFS_FD_CLOCK_EVERY descriptors. Returns 0 when every
 * descriptor was seen; PROCFS_FD_DENIED when the directory or a link could
 * not be read (EACCES: no ptrace access; fn has seen the fds before it);
 * PROCFS_FD_OUT_OF_TIME; or fn's negative value. */
int procfs_fd_sockets(int fdfd, const struct timespec *deadline, procfs_sock_fn fn, void *arg);

/* 1 when rel (below dirfd: "ns/user" of an open /proc/PID, or "PID/ns/user"
 * of the /proc directory) is the plugin's own user namespace
 * (procfd/self/ns/user, same device and inode); 0 when not, or when either
 * cannot be read. */
int procfs_own_userns(int procfd, int dirfd, const char *rel);

/* 1 when rel (below dirfd) is the namespace ns (an fstatat of it: same
 * device and inode); 0 when not, or when rel cannot be read. For a walk
 * that compares many processes with one namespace of its own. */
int procfs_same_ns(int dirfd, const char *rel, const struct stat *ns);

/* 1 when the process of pidfd may act as a service manager: PID 1 of its
 * own pid namespace (the last field of NSpid is 1), running as uid 0 (real
 * and effective) in the same user namespace as the plugin. Anyone can be PID 1
 * and uid 0 of a pid namespace inside a user namespace of their own, so those
 * never count. 0 when not, or when status has no NSpid line (kernels before
 * 4.1) or the namespace cannot be read; -errno when status is unreadable.
 * procfd is the /proc directory (its self/ns/user is the plugin's). */
int procfs_trusted_init(int procfd, int pidfd);

/* Field 22 (starttime) of pidfd/stat, which changes when a pid is reused.
 * Returns 0, -errno when unreadable (e.g. the process exited), -EINVAL. */
int procfs_read_starttime(int pidfd, unsigned long long *start);

/* pidfd/comm without the kernel's trailing newline, truncated to size-1
 * bytes (size >= 1) and NUL-terminated; out = "" when unreadable or empty.
 * Returns 0 or -errno. */
int procfs_read_comm(int pidfd, char *out, size_t size);

/* The target of pidfd/exe. A target ending in " (deleted)" (an unlinked
 * binary, e.g. upgraded but not restarted) has the suffix cut and *deleted
 * set. *exe is malloc'd (the caller frees it), or NULL when unreadable (a
 * kernel thread, no ptrace access). Returns 0 or -ENOMEM. */
int procfs_read_exe(int pidfd, char **exe, bool *deleted);

/* 1 when exe (from procfs_read_exe) names, in the plugin's own view, the file
 * the process runs. The process must run in the plugin's own user namespace:
 * in a user namespace of its own (any user can make one) a process holds
 * CAP_SYS_ADMIN, which is all prctl(PR_SET_MM, PR_SET_MM_MAP) asks to point
 * its exe link at any file it can open, /usr/bin/ping included; so the exe of
 * a process in any other user namespace is never vouched for (its memory
 * layout, hence cmdline and environ, is set the same way: none is used).
 * /proc/PID/exe is a path in the holder's mount namespace,
 * where a user with a namespace of their own can bind-mount any file over
 * /usr/bin/sleep. So the path must resolve here to the same device and inode.
 * A deleted executable cannot be compared; it counts only when the holder
 * shares the plugin's mount namespace (where only root can mount). 0 when
 * not verified: the caller must not use exe for a rule; 0 also when the exe
 * link cannot be followed at all (a process gone meanwhile, a file system
 * the plugin cannot reach): nothing can be compared then, so nothing is
 * vouched for; PROCFS_EXE_FOREIGN (below). procfd is the /proc directory. */
int procfs_exe_verified(int procfd, int pidfd, const char *exe, bool deleted);

/* procfs_exe_verified(): exe (not deleted) names here the file the link
 * reaches, but the process runs in another user namespace. Not an identity;
 * still a place: the process either runs that file or chose to name it. */
#define PROCFS_EXE_FOREIGN 2

/* 1 when the file pidfd/exe runs lies on a memory-backed filesystem (tmpfs,
 * ramfs; memfd files too): the kernel's answer, whatever path the link
 * claims. 0 when not, -errno when the link cannot be opened. */
int procfs_exe_on_memory(int pidfd);

/* The numeric entries of procfd (no leading zero, at most INT_MAX), highest
 * first, in *pids (malloc'd, the caller frees it; NULL when *n is 0).
 * Returns 0, 1 when the directory cannot be listed, or -ENOMEM. */
int procfs_list_pids(int procfd, pid_t **pids, size_t *n);

/* The CapEff mask of procfd/self/status: the plugin's own effective
 * capabilities as that /proc sees them. Returns 0, -errno when unreadable,
 * -EINVAL when the line is missing or not 1-16 hex digits (*caps unchanged). */
int procfs_cap_eff(int procfd, uint64_t *caps);

/* True when the last mount at proc_root in procfd/self/mountinfo has
 * hidepid=2/invisible/4/ptraceable, which makes other users' processes
 * invisible (hidepid=1/noaccess keeps them listed: they show up as denied).
 * A gid= exemption and CAP_SYS_PTRACE, which lift the hiding, are not looked
 * at here. False when mountinfo is unreadable. */
bool procfs_hidepid_hides(int procfd, const char *proc_root);

#endif
