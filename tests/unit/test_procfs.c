/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for procfs: the strict parsers of /proc text, and each reader
 * on a fake tree in a temp dir (status, mountinfo, comm, exe, fd, the pid
 * list), so no test depends on what the real /proc holds. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "procfs.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the fake tree ------------------------------------------------------ */

/* A temp dir and an open fd on it, as procfs functions take them. */
struct tree {
	char root[64];
	int fd;
};

static void tree_new(struct tree *t)
{
	snprintf(t->root, sizeof(t->root), "/tmp/test_procfs.XXXXXX");
	assert_non_null(mkdtemp(t->root));
	t->fd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(t->fd >= 0);
}

static void tree_drop(struct tree *t)
{
	close(t->fd);
	fx_rm_tree(t->root);
}

/* ---- parsers ------------------------------------------------------------ */

struct link_case {
	const char *link;
	int ret;
	uint32_t inode;
};

static const struct link_case link_cases[] = {
	{ "socket:[12345]", 0, 12345 },
	{ "socket:[0]", 0, 0 },
	{ "socket:[4294967295]", 0, 4294967295u },
	{ "socket:[4294967296]", -EINVAL, 0 },
	{ "socket:[18446744073709551617]", -EINVAL, 0 },
	{ "socket:[99999999999999999999999999]", -EINVAL, 0 },
	{ "socket:[]", -EINVAL, 0 },
	{ "socket:[12x]", -EINVAL, 0 },
	{ "socket:[12", -EINVAL, 0 },
	{ "socket:[12]x", -EINVAL, 0 },
	{ "socket:[-1]", -EINVAL, 0 },
	{ "socket:[+1]", -EINVAL, 0 },
	{ "socket:[ 1]", -EINVAL, 0 },
	{ "socket:[1 ]", -EINVAL, 0 },
	{ "socket:12", -EINVAL, 0 },
	{ "pipe:[1]", -EINVAL, 0 },
	{ "anon_inode:[eventpoll]", -EINVAL, 0 },
	{ "/dev/null", -EINVAL, 0 },
	{ "", -EINVAL, 0 },
	{ NULL, -EINVAL, 0 },
};

static void test_parse_socket_link(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		uint32_t ino = 77;
		int r = procfs_parse_socket_link(link_cases[i].link, &ino);

		if (r != link_cases[i].ret)
			fail_msg("\"%s\": %d", link_cases[i].link ? link_cases[i].link : "(null)", r);
		assert_int_equal(ino, r == 0 ? link_cases[i].inode : 77);
	}
}

/* A stat line: pid, (comm), state, fields 4-21 = 1, starttime, 30 more. */
static void make_stat(char *buf, size_t size, const char *comm, const char *start)
{
	int n = snprintf(buf, size, "42 (%s) S", comm);

	for (int f = 4; f <= 21; f++)
		n += snprintf(buf + n, size - (size_t)n, " %d", f);
	n += snprintf(buf + n, size - (size_t)n, " %s", start);
	for (int f = 23; f <= 52; f++)
		n += snprintf(buf + n, size - (size_t)n, " %d", f);
	snprintf(buf + n, size - (size_t)n, "\n");
}

struct stat_case {
	const char *comm;
	const char *start;
	int ret;
	unsigned long long want;
};

static const struct stat_case stat_cases[] = {
	{ "bash", "52664", 0, 52664 },
	{ "a b", "1", 0, 1 },
	{ ") S 1 2 3 4", "99", 0, 99 },
	{ "x) 9 9 (y", "7", 0, 7 },
	{ ")))", "18446744073709551615", 0, 18446744073709551615ull },
	{ "new\nline", "5", 0, 5 },
	{ "", "0", 0, 0 },
	{ "bash", "18446744073709551616", -EINVAL, 0 },
	{ "bash", "12a", -EINVAL, 0 },
	{ "bash", "-1", -EINVAL, 0 },
	{ "bash", "", -EINVAL, 0 },
};

static void test_parse_starttime(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(stat_cases) / sizeof(stat_cases[0]); i++) {
		const struct stat_case *c = &stat_cases[i];
		unsigned long long st = 0;
		char buf[1024];

		make_stat(buf, sizeof(buf), c->comm, c->start);
		if (procfs_parse_starttime(buf, &st) != c->ret)
			fail_msg("comm \"%s\" start \"%s\"", c->comm, c->start);
		if (c->ret == 0)
			assert_true(st == c->want);
	}
}

static const char *const bad_stats[] = {
	"", "42 bash S 1", "42 (bash)", "42 (bash) S 1 2 3", "42 (bash) S  1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
	"42 (bash)S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20",
};

static void test_parse_starttime_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_stats) / sizeof(bad_stats[0]); i++) {
		unsigned long long st;

		if (procfs_parse_starttime(bad_stats[i], &st) != -EINVAL)
			fail_msg("\"%s\" accepted", bad_stats[i]);
	}
	assert_int_equal(procfs_parse_starttime(NULL, &(unsigned long long){ 0 }), -EINVAL);
}

/* ---- CapEff ---------------------------------------------------------------- */

struct cap_case {
	const char *status;     /* NULL: no self/status */
	int ret;
	uint64_t caps;
};

static const struct cap_case cap_cases[] = {
	{ "Name:\tx\nCapPrm:\t0000000000000000\nCapEff:\t000001ffffffffff\nCapBnd:\t0\n", 0, 0x1ffffffffffull },
	{ "Name:\tx\nCapEff:\t0000000000080004\n", 0, 0x80004 },
	{ "Name:\tx\nCapEff:  \t0000000000000000\n", 0, 0 },
	{ "Name:\tx\nCapEff:\tffffffffffffffff", 0, UINT64_MAX },            /* no newline */
	{ "Name:\tx\nCapEff:\t1ffffffffffffffff\n", -EINVAL, 0 },              /* 17 digits */
	{ "Name:\tx\nCapEff:\t\n", -EINVAL, 0 },
	{ "Name:\tx\nCapEff:\t00000000000000zz\n", -EINVAL, 0 },
	{ "Name:\tx\nCapEff:\t000000000000FFFF\n", -EINVAL, 0 },              /* the kernel prints lower case */
	{ "Name:\tx\nCapEff:\t-1\n", -EINVAL, 0 },
	{ "Name:\tx\nCapEff:\t0000000000000001 x\n", -EINVAL, 0 },
	{ "CapEff:\t0000000000000001\n", -EINVAL, 0 },   /* first line: never "\nCapEff:" */
	{ "Name:\tx\nXCapEff:\t0000000000000001\n", -EINVAL, 0 },
	{ "Name:\tx\n", -EINVAL, 0 },
	{ NULL, -ENOENT, 0 },
};

static void test_cap_eff(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cap_cases); i++) {
		const struct cap_case *c = &cap_cases[i];
		struct tree t;
		char self[PATH_MAX];
		uint64_t caps = 77;
		int r;

		tree_new(&t);
		fx_put_dir(self, sizeof(self), t.root, "self");
		if (c->status)
			fx_put_file(self, "status", c->status);
		r = procfs_cap_eff(t.fd, &caps);
		if (r != c->ret || caps != (r == 0 ? c->caps : 77))
			fail_msg("case %zu: returned %d caps %llx", i, r, (unsigned long long)caps);
		tree_drop(&t);
	}
}

/* ---- hidepid ------------------------------------------------------------------- */

struct hide_case {
	const char *opts;       /* super options of the last mount at the root */
	bool hides;
};

static const struct hide_case hide_cases[] = {
	{ "rw,hidepid=2", true },
	{ "rw,hidepid=invisible", true },
	{ "rw,hidepid=4", true },
	{ "rw,hidepid=ptraceable", true },
	{ "hidepid=2,gid=5", true },
	{ "rw,hidepid=0", false },
	{ "rw,hidepid=1", false },
	{ "rw,hidepid=noaccess", false },
	{ "rw,hidepid=22", false },
	{ "rw,nohidepid=2", false },
	{ "rw,subset=pid", false },
	{ "rw", false },
};

static void test_hidepid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(hide_cases); i++) {
		struct tree t;
		char self[PATH_MAX], info[1024];

		tree_new(&t);
		fx_put_dir(self, sizeof(self), t.root, "self");
		/* another mount hides, an earlier mount at the root is overridden */
		snprintf(info, sizeof(info), "21 26 0:20 / /elsewhere rw - proc proc rw,hidepid=2\n"
			"22 26 0:21 / %s rw - proc proc %s\n"
			"23 26 0:22 / %s rw,relatime - proc proc %s\n",
			t.root, hide_cases[i].hides ? "rw" : "rw,hidepid=2", t.root, hide_cases[i].opts);
		fx_put_file(self, "mountinfo", info);
		if (procfs_hidepid_hides(t.fd, t.root) != hide_cases[i].hides)
			fail_msg("\"%s\"", hide_cases[i].opts);
		/* a trailing slash in proc_root names the same mount */
		snprintf(info, sizeof(info), "%s/", t.root);
		assert_true(procfs_hidepid_hides(t.fd, info) == hide_cases[i].hides);
		tree_drop(&t);
	}
}

static void test_hidepid_no_mountinfo(void **state)
{
	struct tree t;

	(void)state;
	tree_new(&t);
	assert_false(procfs_hidepid_hides(t.fd, t.root));
	tree_drop(&t);
}

/* ---- fd links ------------------------------------------------------------------ */

struct sock_seen {
	uint32_t inode[16];
	size_t n;
	size_t stop_after;      /* fail with -ENOMEM on this call (0 = never) */
};

static int see_sock(uint32_t inode, void *arg)
{
	struct sock_seen *s = arg;

	if (s->stop_after && s->n + 1 == s->stop_after)
		return -ENOMEM;
	assert_true(s->n < N(s->inode));
	s->inode[s->n++] = inode;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Only all-digit names are fds: a socket link under any other name is not one. */
static void test_fd_sockets(void **state)
{
	static const char *const links[][2] = {
		{ "0", "/dev/null" }, { "3", "socket:[11]" }, { "4", "pipe:[12]" }, { "5", "socket:[13]" },
		{ "17", "socket:[x]" }, { "20", "socket:[4294967295]" },
		{ "abc", "socket:[91]" }, { ".x", "socket:[92]" }, { "3a", "socket:[93]" }, { "-1", "socket:[94]" },
	};
	struct sock_seen seen = { .n = 0 };
	char fd[PATH_MAX];
	struct tree t;
	int fdfd;

	(void)state;
	tree_new(&t);
	fx_put_dir(fd, sizeof(fd), t.root, "fd");
	for (size_t i = 0; i < N(links); i++)
		fx_put_link(fd, links[i][0], links[i][1]);
	fdfd = openat(t.fd, "fd", O_RDONLY | O_DIRECTORY);
	assert_true(fdfd >= 0);
	assert_int_equal(procfs_fd_sockets(fdfd, NULL, see_sock, &seen), 0);
	assert_int_equal(seen.n, 3);
	qsort(seen.inode, seen.n, sizeof(seen.inode[0]), cmp_u32);
	assert_int_equal(seen.inode[0], 11);
	assert_int_equal(seen.inode[1], 13);
	assert_int_equal(seen.inode[2], 4294967295u);

	/* the callback's error ends the walk and is returned */
	seen = (struct sock_seen){ .stop_after = 2 };
	fdfd = openat(t.fd, "fd", O_RDONLY | O_DIRECTORY);
	assert_int_equal(procfs_fd_sockets(fdfd, NULL, see_sock, &seen), -ENOMEM);
	assert_int_equal(seen.n, 1);
	tree_drop(&t);
}

/* Not a directory: "denied" (1), and the fd is closed either way. */
static void test_fd_sockets_unreadable(void **state)
{
	struct sock_seen seen = { .n = 0 };
	struct tree t;
	int fd;

	(void)state;
	tree_new(&t);
	fx_put_file(t.root, "fd", "");
	fd = openat(t.fd, "fd", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(procfs_fd_sockets(fd, NULL, see_sock, &seen), PROCFS_FD_DENIED);
	assert_int_equal(fcntl(fd, F_GETFD), -1);       /* closed */
	assert_int_equal(seen.n, 0);
	assert_int_equal(procfs_open_fds(t.fd), -ENOTDIR);
	tree_drop(&t);
}

/* io_uring fdinfo as kernel 6.x prints it: the registered files after
 * UserFiles, each "%5u: path"; the list ends at the next key. */
#define URING_HEAD "pos:\t0\nflags:\t02000002\nSqThread:\t-1\n"
#define URING_TAIL "UserBufs:\t0\nPollList:\nCqOverflowList:\n"

struct uring_case {
	const char *name, *fdinfo;
	int rc;
	size_t n;
	uint32_t inode[3];
};

static const struct uring_case uring_cases[] = {
	{ "one socket", URING_HEAD "UserFiles:\t1\n    0: socket:[40071956]\n" URING_TAIL, 0, 1, { 40071956 } },
	{ "sparse, mixed", URING_HEAD "UserFiles:\t9\n    0: /dev/null\n    3: socket:[7]\n"
	  "    8: socket:[4294967295]\n" URING_TAIL, 0, 2, { 7, 4294967295u } },
	{ "a file named like a socket", URING_HEAD "UserFiles:\t2\n    0: /tmp/socket:[5]\n"
	  "    1: socket:[6]\n" URING_TAIL, 0, 1, { 6 } },
	{ "none registered", URING_HEAD "UserFiles:\t0\n" URING_TAIL, 0, 0, { 0 } },
	{ "no UserFiles line", URING_HEAD URING_TAIL, 0, 0, { 0 } },
	{ "registered, not listed (lock busy)", URING_HEAD "UserFiles:\t4\n" URING_TAIL, PROCFS_FD_DENIED, 0, { 0 } },
	{ "count not a number", URING_HEAD "UserFiles:\tx\n    0: socket:[1]\n", PROCFS_FD_DENIED, 0, { 0 } },
	{ "list at the end of the text", "UserFiles:\t1\n    0: socket:[12]", 0, 1, { 12 } },
	{ "a key after the list ends it", "UserFiles:\t2\n    0: socket:[1]\nUserBufs:\t1\n    1: socket:[2]\n",
	  0, 1, { 1 } },
};

static void test_parse_uring_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(uring_cases); i++) {
		const struct uring_case *c = &uring_cases[i];
		struct sock_seen seen = { .n = 0 };

		print_message("%s\n", c->name);
		assert_int_equal(procfs_parse_uring_files(c->fdinfo, see_sock, &seen), c->rc);
		assert_int_equal(seen.n, c->n);
		for (size_t k = 0; k < c->n; k++)
			assert_int_equal(seen.inode[k], c->inode[k]);
	}
}

/* A socket registered in an io_uring has no fd of its own: the ring's
 * fdinfo names it. An unlisted table denies, after every other fd. */
static void test_fd_sockets_uring(void **state)
{
	struct sock_seen seen = { .n = 0 };
	char fd[PATH_MAX], info[PATH_MAX];
	struct tree t;
	int fdfd;

	(void)state;
	tree_new(&t);
	fx_put_dir(fd, sizeof(fd), t.root, "fd");
	fx_put_dir(info, sizeof(info), t.root, "fdinfo");
	fx_put_link(fd, "4", "anon_inode:[io_uring]");
	fx_put_file(info, "4", URING_HEAD "UserFiles:\t1\n    0: socket:[555]\n" URING_TAIL);
	fx_put_link(fd, "5", "socket:[556]");
	fdfd = openat(t.fd, "fd", O_RDONLY | O_DIRECTORY);
	assert_int_equal(procfs_fd_sockets(fdfd, NULL, see_sock, &seen), 0);
	assert_int_equal(seen.n, 2);
	qsort(seen.inode, seen.n, sizeof(seen.inode[0]), cmp_u32);
	assert_int_equal(seen.inode[0], 555);
	assert_int_equal(seen.inode[1], 556);

	fx_put_link(fd, "6", "anon_inode:[io_uring]");
	fx_put_file(info, "6", URING_HEAD "UserFiles:\t3\n" URING_TAIL);
	seen = (struct sock_seen){ .n = 0 };
	fdfd = openat(t.fd, "fd", O_RDONLY | O_DIRECTORY);
	assert_int_equal(procfs_fd_sockets(fdfd, NULL, see_sock, &seen), PROCFS_FD_DENIED);
	assert_int_equal(seen.n, 2);
	tree_drop(&t);
}

/* ---- comm, exe, starttime ---------------------------------------------------- */

struct comm_case {
	const char *file;       /* NULL: no comm file */
	size_t size;
	int ret;
	const char *want;
};

static const struct comm_case comm_cases[] = {
	{ "nginx\n", 16, 0, "nginx" },
	{ "nginx", 16, 0, "nginx" },
	{ "a b\n\n", 16, 0, "a b\n" },              /* only the kernel's newline is cut */
	{ "0123456789abcdefXYZ\n", 16, 0, "0123456789abcde" },
	{ "nginx\n", 4, 0, "ngi" },
	{ "\n", 16, 0, "" },
	{ "", 16, 0, "" },
	{ NULL, 16, -ENOENT, "" },
};

static void test_read_comm(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(comm_cases); i++) {
		const struct comm_case *c = &comm_cases[i];
		char out[16] = "untouched";
		struct tree t;
		int r;

		tree_new(&t);
		if (c->file)
			fx_put_file(t.root, "comm", c->file);
		r = procfs_read_comm(t.fd, out, c->size);
		if (r != c->ret || strcmp(out, c->want) != 0)
			fail_msg("case %zu: returned %d \"%s\"", i, r, out);
		tree_drop(&t);
	}
}

struct exe_case {
	const char *link;       /* NULL: no exe link */
	const char *want;       /* NULL: no exe */
	bool deleted;
};

static const struct exe_case exe_cases[] = {
	{ "/usr/sbin/nginx", "/usr/sbin/nginx", false },
	{ "/usr/sbin/nginx (deleted)", "/usr/sbin/nginx", true },
	{ " (deleted)", " (deleted)", false },         /* nothing before the suffix: a name */
	{ "/x (deleted) (deleted)", "/x (deleted)", true },
	{ "/x (deleted)y", "/x (deleted)y", false },
	{ NULL, NULL, false },
};

static void test_read_exe(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(exe_cases); i++) {
		const struct exe_case *c = &exe_cases[i];
		bool deleted = !c->deleted;
		char *exe = (char *)"untouched";
		struct tree t;

		tree_new(&t);
		if (c->link)
			fx_put_link(t.root, "exe", c->link);
		assert_int_equal(procfs_read_exe(t.fd, &exe, &deleted), 0);
		if (c->want ? !exe || strcmp(exe, c->want) != 0 : exe != NULL)
			fail_msg("case %zu: \"%s\"", i, exe ? exe : "(null)");
		assert_true(deleted == c->deleted);
		free(exe);
		tree_drop(&t);
	}
}

/* procfs_exe_verified: the exe link must reach the file its path names here,
 * and the process must share the plugin's user namespace (review3 F1: in one
 * of its own a process may point its exe link at any file). "self" of the
 * fake /proc is the plugin; its ns links lead to the test's own. */
struct verify_case {
	const char *user;       /* target of PID/ns/user; NULL: none */
	bool other_path;        /* the path names another file than the link reaches */
	bool deleted;
	int want;               /* 1, 0 or PROCFS_EXE_FOREIGN */
};

static const struct verify_case verify_cases[] = {
	{ "/proc/self/ns/user", false, false, 1 },
	{ "/proc/self/ns/net", false, false, PROCFS_EXE_FOREIGN },      /* another user namespace */
	{ NULL, false, false, PROCFS_EXE_FOREIGN },     /* unreadable: not ours */
	{ "/proc/self/ns/user", true, false, 0 },
	{ "/proc/self/ns/net", true, false, 0 },
	{ "/proc/self/ns/user", false, true, 1 },       /* deleted, our mount namespace */
	{ "/proc/self/ns/net", false, true, 0 },
};

static void test_exe_verified(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(verify_cases); i++) {
		const struct verify_case *c = &verify_cases[i];
		char self[PATH_MAX], pid[PATH_MAX], ns[PATH_MAX], bin[PATH_MAX + 8], other[PATH_MAX + 8];
		struct tree t;
		int pidfd;

		tree_new(&t);
		fx_put_dir(self, sizeof(self), t.root, "self");
		fx_put_dir(ns, sizeof(ns), self, "ns");
		fx_put_link(ns, "user", "/proc/self/ns/user");
		fx_put_link(ns, "mnt", "/proc/self/ns/mnt");
		fx_put_file(t.root, "bin", "");
		fx_put_file(t.root, "other", "");
		snprintf(bin, sizeof(bin), "%s/bin", t.root);
		snprintf(other, sizeof(other), "%s/other", t.root);
		fx_put_dir(pid, sizeof(pid), t.root, "42");
		fx_put_link(pid, "exe", bin);
		fx_put_dir(ns, sizeof(ns), pid, "ns");
		fx_put_link(ns, "mnt", "/proc/self/ns/mnt");
		if (c->user)
			fx_put_link(ns, "user", c->user);
		pidfd = procfs_open_pid(t.fd, 42);
		assert_true(pidfd >= 0);
		if (procfs_exe_verified(t.fd, pidfd, c->other_path ? other : bin, c->deleted) != c->want)
			fail_msg("case %zu: want %d", i, c->want);
		assert_int_equal(procfs_own_userns(t.fd, pidfd, "ns/user"),
				 c->user && strcmp(c->user, "/proc/self/ns/user") == 0);
		close(pidfd);
		tree_drop(&t);
	}
}

static void test_read_starttime(void **state)
{
	unsigned long long st = 0;
	struct tree t;

	(void)state;
	tree_new(&t);
	assert_int_equal(procfs_read_starttime(t.fd, &st), -ENOENT);
	fx_put_file(t.root, "stat", "7 (a) b) S 1 1 1 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 52664 3133440 377\n");
	assert_int_equal(procfs_read_starttime(t.fd, &st), 0);
	assert_true(st == 52664);
	fx_put_file(t.root, "stat", "7 (a) S 1\n");
	assert_int_equal(procfs_read_starttime(t.fd, &st), -EINVAL);
	tree_drop(&t);
}

/* ---- the pid list ------------------------------------------------------------- */

static void test_list_pids(void **state)
{
	static const char *const dirs[] = { "1", "42", "7", "0", "0123", "abc", "self", "12x",
		"2147483647", "2147483648", "99999999999999999999" };
	static const pid_t want[] = { 2147483647, 42, 7, 1 };
	char dir[PATH_MAX];
	struct tree t;
	pid_t *pids;
	size_t n;

	(void)state;
	tree_new(&t);
	assert_int_equal(procfs_list_pids(t.fd, &pids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(pids);
	for (size_t i = 0; i < N(dirs); i++)
		fx_put_dir(dir, sizeof(dir), t.root, dirs[i]);
	assert_int_equal(procfs_list_pids(t.fd, &pids, &n), 0);
	assert_int_equal(n, N(want));
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pids[i], want[i]);
	free(pids);
	assert_int_equal(procfs_list_pids(-1, &pids, &n), 1);
	assert_int_equal(procfs_open_pid(t.fd, 42) >= 0, 1);
	assert_int_equal(procfs_open_pid(t.fd, 43), -ENOENT);
	tree_drop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_socket_link),
		cmocka_unit_test(test_parse_starttime),
		cmocka_unit_test(test_parse_starttime_bad),
		cmocka_unit_test(test_cap_eff),
		cmocka_unit_test(test_hidepid),
		cmocka_unit_test(test_hidepid_no_mountinfo),
		cmocka_unit_test(test_fd_sockets),
		cmocka_unit_test(test_fd_sockets_unreadable),
		cmocka_unit_test(test_parse_uring_files),
		cmocka_unit_test(test_fd_sockets_uring),
		cmocka_unit_test(test_read_comm),
		cmocka_unit_test(test_read_exe),
		cmocka_unit_test(test_exe_verified),
		cmocka_unit_test(test_read_starttime),
		cmocka_unit_test(test_list_pids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
