/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trust: the file-trust rule of a privileged run (see include/trust.h).
 *
 * The path is walked one component at a time with openat(O_PATH|O_NOFOLLOW),
 * each directory judged by fstat() on the descriptor that the next step opens
 * from, so what was checked is what is used. A symbolic link is followed only
 * when root owns it (it lives in a directory already found trustworthy, so
 * nobody else can change it) and its target is walked by the same rules.
 * ".." opens the real parent, which is the directory the walk came from (or,
 * at a mount's root, the one it is mounted on): judged again, it is safe.
 */
#include "trust.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#define MAX_HOPS 16             /* symbolic links followed in one walk */
#define DIR_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define FILE_FLAGS (O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

static const char why_dir[] = "a privileged process only reads files whose every directory is "
	"owned by root and not writable by group or others";
static const char why_file[] = "as root the plugin only reads config files owned by root and not "
	"writable by group or others";

/* ---- is this run privileged? ---------------------------------------- */

/* Any effective capability. Read with the raw syscall: libcap would be a
 * dependency for one call. Unreadable counts as privileged (fail closed). */
static bool any_effective_cap(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return true;
	for (size_t i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		if (d[i].effective)
			return true;
	return false;
}

struct trust trust_of_process(void)
{
	struct trust t;

	t.secure = getauxval(AT_SECURE) != 0;
	t.strict = geteuid() == 0 || t.secure || any_effective_cap();
	return t;
}

bool trust_privileged(const struct trust *t)
{
	return t->strict || t->secure;
}

/* ---- messages --------------------------------------------------------- */

/* "cannot open: <strerror(e)>". Returns -e. */
static int fail_errno(char *err, size_t errlen, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "cannot open: %s", strerror(e));
	return -e;
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *kind_of(mode_t m)
{
	static const struct { mode_t type; const char *name; } kinds[] = {
		{ S_IFDIR, "a directory" }, { S_IFIFO, "a FIFO" }, { S_IFCHR, "a character device" },
		{ S_IFBLK, "a block device" }, { S_IFSOCK, "a socket" }, { S_IFLNK, "a symbolic link" },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((m & S_IFMT) == kinds[i].type)
			return kinds[i].name;
	return "not a regular file";
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
	const struct trust *t;
	bool includes;          /* an include: ".." and absolute paths refused */
	int cur;                /* O_PATH of the directory reached so far */
	char where[PATH_MAX];   /* its path, for messages */
	char rest[PATH_MAX];    /* what is left to walk */
	int hops;
	char *err;
	size_t errlen;
};

static void where_add(struct walk *w, const char *name)
{
	size_t n = strlen(w->where);

	snprintf(w->where + n, sizeof(w->where) - n, "%s%s",
			n && w->where[n - 1] != '/' ? "/" : "", name);
}

/* A directory on the path of a file a privileged run reads. Sticky and
 * root-owned (/tmp) is accepted: nobody else can rename what root owns there. */
static int vet_dir(struct walk *w, const struct stat *st)
{
	if (!w->t->strict)
		return 0;
	if (st->st_uid != 0)
		return fail(w->err, w->errlen, "refused: directory %s is owned by uid %u; %s (chown root %s)",
				w->where, (unsigned)st->st_uid, why_dir, w->where), -EPERM;
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX))
		return fail(w->err, w->errlen, "refused: directory %s is writable by %s; %s (chmod go-w %s)",
				w->where, st->st_mode & S_IWOTH ? "others" : "group", why_dir, w->where), -EPERM;
	return 0;
}

/* The rule for the file itself, on the descriptor's fstat(). */
static int vet_file(const struct trust *t, const struct stat *st, const char *path,
		char *err, size_t errlen)
{
	if (!S_ISREG(st->st_mode))
		return fail(err, errlen, "refused: %s, not a regular file", kind_of(st->st_mode)), -EINVAL;
	if (!t->strict)
		return 0;
	if (st->st_uid != 0)
		return fail(err, errlen, "refused: owned by uid %u; %s (chown root %s)",
				(unsigned)st->st_uid, why_file, path), -EPERM;
	if (st->st_mode & (S_IWGRP | S_IWOTH))
		return fail(err, errlen, "refused: writable by %s; %s (chmod go-w %s)",
				st->st_mode & S_IWOTH ? "others" : "group", why_file, path), -EPERM;
	return 0;
}

/* Under AT_SECURE: could the real user do this? faccessat() without
 * AT_EACCESS checks with the real uid and gid, ACLs included. */
static int real_user_may(struct walk *w, const char *name, int mode)
{
	if (!w->t->secure || faccessat(w->cur, name, mode, 0) == 0)
		return 0;
	return fail(w->err, w->errlen, "refused: the user running the plugin (uid %u) cannot %s %s%s%s, "
			"so it may not read it through the plugin's privilege", (unsigned)getuid(),
			mode == X_OK ? "search" : "read", w->where, w->where[0] ? "/" : "", name), -EACCES;
}

static int enter(struct walk *w, int fd, const char *name)
{
	close(w->cur);
	w->cur = fd;
	where_add(w, name);
	return 0;
}

/* Restarts the walk at "/" (absolute target or path). */
static int to_root(struct walk *w)
{
	int fd = open("/", DIR_FLAGS);
	struct stat st;

	if (fd < 0)
		return fail_errno(w->err, w->errlen, errno);
	close(w->cur);
	w->cur = fd;
	snprintf(w->where, sizeof(w->where), "/");
	if (fstat(fd, &st) < 0)
		return -errno;
	return vet_dir(w, &st);
}

/* name (in w->cur) is a symbolic link: root's are followed, by the same
 * rules; rest is what followed it. */
static int follow(struct walk *w, const char *name, const struct stat *lst, const char *rest)
{
	char target[PATH_MAX];
	ssize_t n;

	if (w->t->strict && lst->st_uid != 0)
		return fail(w->err, w->errlen, "refused: %s%s%s is a symbolic link owned by uid %u",
				w->where, w->where[0] ? "/" : "", name, (unsigned)lst->st_uid), -ELOOP;
	if (++w->hops > MAX_HOPS)
		return fail_errno(w->err, w->errlen, ELOOP);
	n = readlinkat(w->cur, name, target, sizeof(target));
	if (n < 0 || (size_t)n >= sizeof(target))
		return fail_errno(w->err, w->errlen, n < 0 ? errno : ENAMETOOLONG);
	target[n] = '\0';
	if (snprintf(w->rest, sizeof(w->rest), "%s%s%s", target, *rest ? "/" : "", rest)
			>= (int)sizeof(w->rest))
		return fail_errno(w->err, w->errlen, ENAMETOOLONG);
	return target[0] == '/' ? to_root(w) : 0;
}

/* Splits the next component off w->rest into name; empty and "." are
 * skipped. Returns 1 with a component, 0 at the end. *last: nothing follows. */
static int next_name(struct walk *w, char *name, size_t size, char *rest, bool *last)
{
	char *p = w->rest;
	size_t n;

	for (;;) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (n == 0)
			return 0;
		if (!(n == 1 && p[0] == '.'))
			break;
		p += n;
	}
	snprintf(name, size, "%.*s", (int)n, p);
	p += n + strspn(p + n, "/");
	snprintf(rest, PATH_MAX, "%s", p);
	*last = true;
	for (const char *q = rest; *q; q += strspn(q, "/")) {
		n = strcspn(q, "/");
		if (!(n == 1 && q[0] == '.'))
			*last = false;
		q += n;
	}
	return 1;
}

/* One directory component. Returns 0, or -errno. */
static int step_dir(struct walk *w, const char *name, const char *rest)
{
	struct stat st;
	int fd, rc;

	if (fstatat(w->cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail_errno(w->err, w->errlen, errno);
	if (S_ISLNK(st.st_mode))
		return follow(w, name, &st, rest);
	if ((rc = real_user_may(w, name, X_OK)) < 0)
		return rc;
	fd = openat(w->cur, name, DIR_FLAGS);
	if (fd < 0)
		return fail_errno(w->err, w->errlen, errno);
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	enter(w, fd, name);
	snprintf(w->rest, sizeof(w->rest), "%s", rest);
	return vet_dir(w, &st);
}

/* The file itself: looked at before it is opened, so a device or FIFO is
 * never opened, then judged again on the opened descriptor. */
static int step_file(struct walk *w, const char *name, const char *path, struct trust_file *f)
{
	struct stat st;
	int rc;

	if (fstatat(w->cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return fail_errno(w->err, w->errlen, errno);
	if (S_ISLNK(st.st_mode))
		return follow(w, name, &st, "");
	if ((rc = vet_file(w->t, &st, path, w->err, w->errlen)) < 0)
		return rc;
	if ((rc = real_user_may(w, name, R_OK)) < 0)
		return rc;
	f->fd = openat(w->cur, name, FILE_FLAGS);
	if (f->fd < 0)
		return fail_errno(w->err, w->errlen, errno);
	if (fstat(f->fd, &f->st) < 0)
		return -errno;
	if ((rc = vet_file(w->t, &f->st, path, w->err, w->errlen)) < 0)
		return rc;
	f->dirfd = w->cur;
	w->cur = -1;
	return 1;
}

/* Walks w->rest from w->cur. Returns 0 with f open, or -errno. */
static int walk_path(struct walk *w, const char *path, struct trust_file *f)
{
	char name[NAME_MAX + 1], rest[PATH_MAX];
	bool last;
	int rc = 0;

	while (rc == 0) {
		if (!next_name(w, name, sizeof(name), rest, &last))
			return fail(w->err, w->errlen, "refused: %s, not a regular file",
					kind_of(S_IFDIR)), -EINVAL;
		if (strcmp(name, "..") == 0 && w->includes)
			return fail(w->err, w->errlen, "refused: \"..\" in the path; give a path "
					"without it"), -EINVAL;
		rc = last ? step_file(w, name, path, f) : step_dir(w, name, rest);
	}
	return rc < 0 ? rc : 0;
}

/* The path of the includer's directory, for messages only. */
static void where_of_fd(struct walk *w)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", w->cur);
	n = readlink(link, w->where, sizeof(w->where) - 1);
	w->where[n > 0 ? n : 0] = '\0';
}

/* Where the walk starts: "/", the working directory (as its path, walked
 * from "/", when strict) or the includer's directory. */
static int start(struct walk *w, int at, const char *path)
{
	char cwd[PATH_MAX];

	if (at != AT_FDCWD) {
		if (path[0] == '/')
			return fail(w->err, w->errlen, "refused: give a path relative to the including "
					"file's directory"), -EINVAL;
		w->cur = fcntl(at, F_DUPFD_CLOEXEC, 0);
		snprintf(w->rest, sizeof(w->rest), "%s", path);
		where_of_fd(w);
		return w->cur < 0 ? -errno : 0;
	}
	if (path[0] != '/' && !w->t->strict) {
		w->cur = open(".", DIR_FLAGS);
		snprintf(w->rest, sizeof(w->rest), "%s", path);
		return w->cur < 0 ? fail_errno(w->err, w->errlen, errno) : 0;
	}
	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return fail_errno(w->err, w->errlen, errno);
	if (snprintf(w->rest, sizeof(w->rest), "%s%s%s", path[0] == '/' ? "" : cwd,
			path[0] == '/' ? "" : "/", path) >= (int)sizeof(w->rest))
		return fail_errno(w->err, w->errlen, ENAMETOOLONG);
	return to_root(w);
}

int trust_open(const struct trust *t, int at, const char *path, struct trust_file *f,
		char *err, size_t errlen)
{
	/* Field by field: an initializer would zero both path buffers (8 KiB, two
	 * fresh stack pages on every run); each is a string from its first byte. */
	struct walk w;
	int rc;

	w.t = t;
	w.includes = at != AT_FDCWD;
	w.cur = -1;
	w.where[0] = w.rest[0] = '\0';
	w.hops = 0;
	w.err = err;
	w.errlen = errlen;

	*f = (struct trust_file)TRUST_FILE_INIT;
	if (err && errlen)
		err[0] = '\0';
	if (!path[0] || strlen(path) >= PATH_MAX)
		return fail_errno(err, errlen, path[0] ? ENAMETOOLONG : ENOENT);
	rc = start(&w, at, path);
	if (rc == 0)
		rc = walk_path(&w, path, f);
	if (w.cur >= 0)
		close(w.cur);
	if (rc < 0) {
		if (err && errlen && !err[0])
			fail_errno(err, errlen, -rc);
		trust_file_close(f);
	}
	return rc;
}

void trust_file_close(struct trust_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);
	f->fd = f->dirfd = -1;
}
