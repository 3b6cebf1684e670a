/* SPDX-License-Identifier: GPL-3.0-or-later */
/* procfs: plain reads of /proc/PID files, the pid list, our capabilities and
 * the hidepid mount option. */
#include "procfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "numparse.h"
#include "util.h"

#define SOCK_PREFIX "socket:["
#define URING_LINK "anon_inode:[io_uring]"
#define URING_KEY "\nUserFiles:"
#define URING_MAX (16u << 20)   /* bytes of an io_uring fdinfo read at most */
#define DELETED_SUFFIX " (deleted)"
#define STAT_MAX 4096           /* a /proc/PID/stat line is about 1 KiB at most */
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* ---- strict parsers --------------------------------------------------- */

/* parse_u64() in the type and with the one error (-EINVAL) that the
 * procfs_parse_*() contracts promise. */
static int parse_dec(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	uint64_t v;

	if (parse_u64(s, len, max, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* Lower-case hex digits only (as the kernel prints them), 1-16 of them. */
static int parse_hex64(const char *s, size_t len, uint64_t *out)
{
	static const char digits[] = "0123456789abcdef";
	uint64_t v = 0;

	if (len == 0 || len > 16)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		const char *d = memchr(digits, s[i], sizeof(digits) - 1);

		if (!d)
			return -EINVAL;
		v = v << 4 | (uint64_t)(d - digits);
	}
	*out = v;
	return 0;
}

int procfs_parse_socket_link(const char *link, uint32_t *inode)
{
	const size_t pre = strlen(SOCK_PREFIX);
	unsigned long long v;
	size_t len;

	if (!link || strncmp(link, SOCK_PREFIX, pre) != 0)
		return -EINVAL;
	len = strlen(link + pre);
	if (len < 2 || link[pre + len - 1] != ']')
		return -EINVAL;
	if (parse_dec(link + pre, len - 1, UINT32_MAX, &v) < 0)
		return -EINVAL;
	*inode = (uint32_t)v;
	return 0;
}

/* The comm field (2) may hold anything, but nothing after it holds a ')'. */
int procfs_parse_starttime(const char *stat, unsigned long long *starttime)
{
	const char *p = stat ? strrchr(stat, ')') : NULL;

	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= 22; field++) {
		size_t n;

		if (*p != ' ')
			return -EINVAL;
		p++;
		n = strcspn(p, " \n");
		if (field == 22)
			return parse_dec(p, n, ULLONG_MAX, starttime);
		if (n == 0)
			return -EINVAL;
		p += n;
	}
	return -EINVAL;
}

/* ---- one process -------------------------------------------------------- */

DIR *procfs_opendir_at(int at, const char *rel)
{
	int fd = openat(at, rel, DIR_FLAGS), err;
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d && fd >= 0) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

/* procfd/PID, or procfd/PID/sub: an open directory, or -errno. */
static int open_pid_dir(int procfd, pid_t pid, const char *sub)
{
	char name[32];
	int fd;

	snprintf(name, sizeof(name), "%d%s", (int)pid, sub);
	fd = openat(procfd, name, DIR_FLAGS);
	return fd < 0 ? -errno : fd;
}

int procfs_open_pid(int procfd, pid_t pid)
{
	return open_pid_dir(procfd, pid, "");
}

int procfs_open_fds(int pidfd)
{
	int fd = openat(pidfd, "fd", DIR_FLAGS);

	return fd < 0 ? -errno : fd;
}

int procfs_open_pid_fds(int procfd, pid_t pid)
{
	return open_pid_dir(procfd, pid, "/fd");
}

int procfs_open_parent(int fdfd)
{
	int fd = openat(fdfd, "..", DIR_FLAGS);

	return fd < 0 ? -errno : fd;
}

/* fd numbers are all digits; this also skips "." and "..". */
static bool is_fd_name(const char *name)
{
	return name[0] != '\0' && strspn(name, "0123456789") == strlen(name);
}

/* Where the count of the UserFiles line starts, or NULL. */
static const char *uring_count(const char *fdinfo)
{
	const size_t klen = strlen(URING_KEY);
	const char *p;

	if (!fdinfo)
		return NULL;
	if (strncmp(fdinfo, &URING_KEY[1], klen - 1) == 0)
		return fdinfo + klen - 1;
	p = strstr(fdinfo, URING_KEY);
	return p ? p + klen : NULL;
}

/* Each line after "UserFiles:\tN" is "%5u: path", the path escaped as
 * seq_file_path() does; the list ends at the next "Key:" line. */
int procfs_parse_uring_files(const char *fdinfo, procfs_sock_fn fn, void *arg)
{
	const char *p = uring_count(fdinfo);
	unsigned long long nfiles;
	unsigned listed = 0;
	size_t n;
	int rc = 0;

	if (!p)
		return 0;               /* a kernel that does not say: nothing registered we can see */
	p += strspn(p, " \t");
	n = strcspn(p, "\n");
	if (parse_dec(p, n, UINT32_MAX, &nfiles) < 0)
		return PROCFS_FD_DENIED;
	for (p += n; rc == 0 && *p == '\n'; p += n) {
		const char *line = ++p, *colon;
		char path[64];
		uint32_t ino;

		n = strcspn(p, "\n");
		line += strspn(line, " ");
		colon = memchr(line, ':', (size_t)(p + n - line));
		if (!colon || colon == line || strspn(line, "0123456789") != (size_t)(colon - line) ||
		    colon[1] != ' ')
			break;
		listed++;
		snprintf(path, sizeof(path), "%.*s", (int)(p + n - colon - 2), colon + 2);
		if (procfs_parse_socket_link(path, &ino) == 0)
			rc = fn(ino, arg);
	}
	/* The kernel lists the files only when it gets the ring's lock at once;
	 * files registered but not listed may be anything, sockets included. */
	return rc == 0 && nfiles > 0 && listed == 0 ? PROCFS_FD_DENIED : rc;
}

/* The sockets registered in the io_uring of descriptor name: fdinfo is a
 * sibling of the fd directory. An unreadable fdinfo counts as denied. */
static int uring_sockets(int fdfd, const char *name, procfs_sock_fn fn, void *arg)
{
	char rel[32 + 256];
	char *text = NULL;
	size_t len;
	int fd, rc;

	snprintf(rel, sizeof(rel), "../fdinfo/%s", name);
	fd = openat(fdfd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : PROCFS_FD_DENIED;
	rc = util_read_fd(fd, URING_MAX, &text, &len);
	close(fd);
	if (rc == -ENOMEM)
		return rc;
	rc = rc < 0 ? PROCFS_FD_DENIED : procfs_parse_uring_files(text, fn, arg);
	free(text);
	return rc;
}

int procfs_fd_sockets(int fdfd, const struct timespec *deadline, procfs_sock_fn fn, void *arg)
{
	DIR *d = fdopendir(fdfd);
	struct dirent *e;
	unsigned seen = 0;
	bool uring_denied = false;
	int rc = 0;

	if (!d) {
		close(fdfd);
		return PROCFS_FD_DENIED;
	}
	while (rc == 0 && (e = readdir(d))) {
		char link[64];
		ssize_t n;
		uint32_t ino;

		if (!is_fd_name(e->d_name))
			continue;
		/* Any process may hold a million descriptors: look at the clock
		 * inside the list too, not only between processes. */
		if (++seen % PROCFS_FD_CLOCK_EVERY == 0 && deadline_reached(deadline)) {
			rc = PROCFS_FD_OUT_OF_TIME;
			break;
		}
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n < 0) {
			/* ENOENT: the fd closed meanwhile; EACCES: no ptrace access. */
			rc = errno == EACCES ? PROCFS_FD_DENIED : 0;
			continue;
		}
		link[n] = '\0';
		if (procfs_parse_socket_link(link, &ino) == 0)
			rc = fn(ino, arg);
		else if (strcmp(link, URING_LINK) == 0 &&
			 (rc = uring_sockets(dirfd(d), e->d_name, fn, arg)) == PROCFS_FD_DENIED) {
			uring_denied = true;    /* the other descriptors still count */
			rc = 0;
		}
	}
	closedir(d);
	return rc == 0 && uring_denied ? PROCFS_FD_DENIED : rc;
}

/* The last field of the "key" line of a status buffer, NULL when absent. */
static const char *status_last(const char *buf, const char *key, const char **end)
{
	const char *p = strstr(buf, key);

	if (!p)
		return NULL;
	p += strlen(key);
	*end = p + strcspn(p, "\n");
	while (*end > p && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
	return p;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int procfs_same_ns(int dirfd, const char *rel, const struct stat *ns)
{
	struct stat theirs;

	return fstatat(dirfd, rel, &theirs, 0) == 0 && same_file(ns, &theirs);
}

int procfs_own_userns(int procfd, int dirfd, const char *rel)
{
	struct stat mine;

	return fstatat(procfd, "self/ns/user", &mine, 0) == 0 && procfs_same_ns(dirfd, rel, &mine);
}

/* NSpid lists the pid in each pid namespace, outermost first; Uid lists the
 * real, effective, saved and filesystem uids. */
int procfs_trusted_init(int procfd, int pidfd)
{
	char buf[STAT_MAX];
	ssize_t n = util_read_at(pidfd, "status", buf, sizeof(buf));
	const char *p, *end;
	unsigned long ruid, euid;

	if (n < 0)
		return (int)n;
	if (!(p = status_last(buf, "\nNSpid:", &end)) ||
	    !(end - p >= 2 && end[-1] == '1' && (end[-2] == '\t' || end[-2] == ' ')))
		return 0;
	if (!(p = strstr(buf, "\nUid:")) || sscanf(p + 5, "%lu %lu", &ruid, &euid) != 2 || ruid || euid)
		return 0;
	/* Root of a user namespace that someone else created is anyone. */
	return procfs_own_userns(procfd, pidfd, "ns/user");
}

int procfs_read_starttime(int pidfd, unsigned long long *start)
{
	char buf[STAT_MAX];
	ssize_t n = util_read_at(pidfd, "stat", buf, sizeof(buf));

	return n < 0 ? (int)n : procfs_parse_starttime(buf, start);
}

int procfs_read_comm(int pidfd, char *out, size_t size)
{
	char buf[64];
	ssize_t n = util_read_at(pidfd, "comm", buf, sizeof(buf));
	size_t len = n > 0 ? (size_t)n : 0;

	if (len > 0 && buf[len - 1] == '\n')    /* the kernel's terminator, not the name's */
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(out, buf, len);
	out[len] = '\0';
	return n < 0 ? (int)n : 0;
}

/* A binary really named "x (deleted)" reads the same as a deleted "x". */
int procfs_read_exe(int pidfd, char **exe, bool *deleted)
{
	char buf[PATH_MAX + sizeof(DELETED_SUFFIX)];
	size_t sl = strlen(DELETED_SUFFIX);
	ssize_t n = readlinkat(pidfd, "exe", buf, sizeof(buf) - 1);

	*exe = NULL;
	*deleted = false;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((size_t)n > sl && strcmp(buf + n - sl, DELETED_SUFFIX) == 0) {
		buf[n - sl] = '\0';
		*deleted = true;
	}
	*exe = strdup(buf);
	return *exe ? 0 : -ENOMEM;
}

int procfs_exe_verified(int procfd, int pidfd, const char *exe, bool deleted)
{
	struct stat real, seen, mine, theirs;

	bool named;

	if (fstatat(pidfd, "exe", &real, 0) < 0)
		return 0;               /* nothing to compare: not vouched for */
	if (deleted)
		named = fstatat(procfd, "self/ns/mnt", &mine, 0) == 0 &&
			fstatat(pidfd, "ns/mnt", &theirs, 0) == 0 && same_file(&mine, &theirs);
	else
		named = stat(exe, &seen) == 0 && same_file(&seen, &real);
	/* With CAP_SYS_ADMIN in a user namespace of its own, which any user
	 * gets, a process can point its exe link at any file it can open
	 * (prctl PR_SET_MM_MAP with exe_fd). */
	if (named && !procfs_own_userns(procfd, pidfd, "ns/user"))
		return deleted ? 0 : PROCFS_EXE_FOREIGN;
	return named;
}

int procfs_exe_on_memory(int pidfd)
{
	int fd = openat(pidfd, "exe", O_PATH | O_CLOEXEC);
	struct statfs sf;
	int rc;

	if (fd < 0)
		return -errno;
	rc = fstatfs(fd, &sf) < 0 ? -errno :
		(sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC);
	close(fd);
	return rc;
}

/* ---- the process list ----------------------------------------------------- */

static int cmp_pid_desc(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y) - (x > y);
}

/* A fresh open of ".", not dup(): a dup shares procfd's directory offset, so
 * a second listing would start where the first ended. */
int procfs_list_pids(int procfd, pid_t **pids, size_t *n)
{
	DIR *d = procfs_opendir_at(procfd, ".");
	size_t cap = 0;
	struct dirent *e;
	int err = 0;

	*pids = NULL;
	*n = 0;
	if (!d)
		return 1;
	while (!err && (e = readdir(d))) {
		unsigned long long v;

		if (e->d_name[0] == '0' || parse_dec(e->d_name, strlen(e->d_name), INT_MAX, &v) < 0)
			continue;
		err = util_grow((void **)pids, &cap, *n, sizeof(**pids), 64);
		if (!err)
			(*pids)[(*n)++] = (pid_t)v;
	}
	closedir(d);
	if (!err && *n)
		qsort(*pids, *n, sizeof(**pids), cmp_pid_desc);
	if (err || *n == 0) {
		free(*pids);
		*pids = NULL;
		*n = 0;
	}
	return err;
}

/* ---- our privilege -------------------------------------------------------- */

int procfs_cap_eff(int procfd, uint64_t *caps)
{
	static const char key[] = "\nCapEff:";
	char buf[STAT_MAX];
	ssize_t n = util_read_at(procfd, "self/status", buf, sizeof(buf));
	const char *p;

	if (n < 0)
		return (int)n;
	if (!(p = strstr(buf, key)))
		return -EINVAL;
	p += strlen(key);
	p += strspn(p, " \t");
	return parse_hex64(p, strcspn(p, "\n"), caps);
}

/* ---- hidepid -------------------------------------------------------------- */

/* hidepid values that make processes invisible (2/invisible, 4/ptraceable).
 * 1/noaccess keeps them listed and shows up as procs_denied instead. */
static const char *const hiding_values[] = { "2", "invisible", "4", "ptraceable" };

static bool opts_hide(const char *opts)
{
	const char *p = strstr(opts, "hidepid=");

	/* Options are comma-separated; match the value up to the next comma. */
	while (p && p != opts && p[-1] != ',')
		p = strstr(p + 1, "hidepid=");
	if (!p)
		return false;
	p += strlen("hidepid=");
	for (size_t i = 0; i < sizeof(hiding_values) / sizeof(hiding_values[0]); i++) {
		size_t n = strlen(hiding_values[i]);

		if (strncmp(p, hiding_values[i], n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* For a mountinfo line of the mount at root: 1 when its hidepid hides
 * processes, else 0; -1 for a line of another mount point. The mount point
 * is compared as mountinfo prints it (octal escapes not undone). */
static int line_hides(char *line, const char *root)
{
	char *save = NULL, *sep = strstr(line, " - "), *tok, *opts = NULL;

	if (!sep)
		return -1;
	*sep = '\0';
	tok = strtok_r(line, " ", &save);
	for (int i = 1; tok && i < 5; i++)
		tok = strtok_r(NULL, " ", &save);
	if (!tok || strcmp(tok, root) != 0)
		return -1;
	save = NULL;
	tok = strtok_r(sep + 3, " \n", &save);         /* fstype */
	if (tok && strtok_r(NULL, " \n", &save))       /* source */
		opts = strtok_r(NULL, " \n", &save);
	return opts && opts_hide(opts);
}

bool procfs_hidepid_hides(int procfd, const char *proc_root)
{
	char root[PATH_MAX];
	size_t len = strlen(proc_root);
	int fd = openat(procfd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	bool hides = false;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (len > 1 && proc_root[len - 1] == '/')
		len--;
	snprintf(root, sizeof(root), "%.*s", (int)len, proc_root);
	while (getline(&line, &cap, f) > 0) {
		int h = line_hides(line, root);

		hides = h < 0 ? hides : h == 1;
	}
	free(line);
	fclose(f);
	return hides;
}
