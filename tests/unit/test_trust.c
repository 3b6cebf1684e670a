/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for trust: the file-trust rule, one table of cases on a temp
 * tree built with chown/chmod (the tests run as root), the AT_SECURE rule in
 * a child whose real uid is nobody, and trust_of_process(). */
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
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "trust.h"
#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define NOBODY 65534

static char root[64];

/* What to create: kind 'f' file, 'd' directory, 'l' symlink (content is
 * the target), 'p' FIFO; then owner and mode. */
struct node {
	const char *path;
	char kind;
	uid_t uid;
	mode_t mode;
	const char *content;
};

static const struct node tree[] = {
	{ "ok", 'd', 0, 0755, NULL },
	{ "ok/good.conf", 'f', 0, 0644, "allow = ( );\n" },
	{ "ok/secret.conf", 'f', 0, 0600, "password = \"hunter2\";\n" },
	{ "ok/ww.conf", 'f', 0, 0666, "x" },
	{ "ok/gw.conf", 'f', 0, 0664, "x" },
	{ "ok/nobody.conf", 'f', NOBODY, 0644, "x" },
	{ "ok/fifo", 'p', 0, 0644, NULL },
	{ "ok/sub", 'd', 0, 0755, NULL },
	{ "ok/sub/inc.conf", 'f', 0, 0644, "y" },
	{ "ok/link.conf", 'l', 0, 0, "good.conf" },
	{ "ok/abslink.conf", 'l', 0, 0, "/dev/null" },
	{ "ok/userlink.conf", 'l', NOBODY, 0, "good.conf" },
	{ "ok/dirlink", 'l', 0, 0, "sub" },
	{ "ok/userdirlink", 'l', NOBODY, 0, "sub" },
	{ "gwdir", 'd', 0, 0775, NULL },
	{ "gwdir/good.conf", 'f', 0, 0644, "x" },
	{ "wwdir", 'd', 0, 0777, NULL },
	{ "wwdir/good.conf", 'f', 0, 0644, "x" },
	{ "sticky", 'd', 0, 01777, NULL },
	{ "sticky/good.conf", 'f', 0, 0644, "x" },
	{ "userdir", 'd', NOBODY, 0755, NULL },
	{ "userdir/good.conf", 'f', 0, 0644, "x" },
	{ "private", 'd', 0, 0700, NULL },
	{ "private/good.conf", 'f', 0, 0644, "x" },
};

static void build(const struct node *n)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, n->path);
	switch (n->kind) {
	case 'd':
		assert_int_equal(mkdir(path, 0700), 0);
		break;
	case 'f':
		fx_put_file(root, n->path, n->content);
		break;
	case 'p':
		assert_int_equal(mkfifo(path, 0600), 0);
		break;
	case 'l':
		assert_int_equal(symlink(n->content, path), 0);
		assert_int_equal(lchown(path, n->uid, n->uid), 0);
		return;
	}
	assert_int_equal(chown(path, n->uid, n->uid), 0);
	assert_int_equal(chmod(path, n->mode), 0);
}

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	snprintf(root, sizeof(root), "/tmp/test_trust.XXXXXX");
	if (!mkdtemp(root) || chmod(root, 0755) < 0)
		return -1;
	for (size_t i = 0; i < N(tree); i++)
		build(&tree[i]);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (root[0])
		fx_rm_tree(root);
	return 0;
}

/* One case: path under root ("@" = relative to root as the working
 * directory; "^" = an include relative to root/ok). */
struct tcase {
	const char *path;
	bool strict;
	int rc;
	const char *msg;        /* a substring of the error, or NULL */
};

#define CANT_OPEN "cannot open: "
static const struct tcase cases[] = {
	{ "ok/good.conf", true, 0, NULL },
	{ "ok/good.conf", false, 0, NULL },
	{ "ok/ww.conf", true, -EPERM, "refused: writable by others; as root the plugin only reads" },
	{ "ok/ww.conf", false, 0, NULL },
	{ "ok/gw.conf", true, -EPERM, "refused: writable by group" },
	{ "ok/nobody.conf", true, -EPERM, "refused: owned by uid 65534" },
	{ "ok/nobody.conf", false, 0, NULL },
	{ "ok/fifo", true, -EINVAL, "refused: a FIFO, not a regular file" },
	{ "ok/fifo", false, -EINVAL, "refused: a FIFO, not a regular file" },
	{ "ok", true, -EINVAL, "refused: a directory, not a regular file" },
	{ "ok/sub/", true, -EINVAL, "refused: a directory" },
	{ "ok/link.conf", true, 0, NULL },
	{ "ok/abslink.conf", true, -EINVAL, "refused: a character device" },
	{ "ok/userlink.conf", true, -ELOOP, "is a symbolic link owned by uid 65534" },
	{ "ok/userlink.conf", false, 0, NULL },
	{ "ok/dirlink/inc.conf", true, 0, NULL },
	{ "ok/userdirlink/inc.conf", true, -ELOOP, "userdirlink is a symbolic link owned by uid 65534" },
	{ "gwdir/good.conf", true, -EPERM, "gwdir is writable by group; a privileged process only reads" },
	{ "gwdir/good.conf", false, 0, NULL },
	{ "wwdir/good.conf", true, -EPERM, "wwdir is writable by others" },
	{ "sticky/good.conf", true, 0, NULL },
	{ "userdir/good.conf", true, -EPERM, "userdir is owned by uid 65534" },
	{ "ok/../ok/good.conf", true, 0, NULL },
	{ "ok/../ok/good.conf", false, 0, NULL },
	{ "ok/../gwdir/good.conf", true, -EPERM, "gwdir is writable by group" },
	{ "@gwdir/../ok/good.conf", true, -EPERM, "gwdir is writable by group" },
	{ "ok/./good.conf", true, 0, NULL },
	{ "ok//good.conf", true, 0, NULL },
	{ "ok/missing.conf", true, -ENOENT, CANT_OPEN "No such file or directory" },
	{ "@ok/good.conf", true, 0, NULL },
	{ "@gwdir/good.conf", true, -EPERM, "gwdir is writable by group" },
	{ "@ok/good.conf", false, 0, NULL },
	{ "^good.conf", true, 0, NULL },
	{ "^sub/inc.conf", true, 0, NULL },
	{ "^../gwdir/good.conf", false, -EINVAL, "refused: \"..\" in the path" },
	{ "^sub/../good.conf", true, -EINVAL, "refused: \"..\" in the path" },
	{ "^/etc/passwd", false, -EINVAL, "give a path relative to the including file's directory" },
	{ "^fifo", false, -EINVAL, "refused: a FIFO" },
	{ "^ww.conf", true, -EPERM, "refused: writable by others" },
	{ "^dirlink/inc.conf", true, 0, NULL },
};

/* Opens c's path the way the case says. Returns the rc of trust_open(). */
static int open_case(const struct tcase *c, struct trust_file *f, char *err, size_t errlen)
{
	struct trust t = { .strict = c->strict, .secure = false };
	char path[PATH_MAX], cwd[PATH_MAX], dir[PATH_MAX];
	struct trust_file inc = TRUST_FILE_INIT;
	int rc;

	if (c->path[0] == '@') {
		assert_non_null(getcwd(cwd, sizeof(cwd)));
		assert_int_equal(chdir(root), 0);
		rc = trust_open(&t, AT_FDCWD, c->path + 1, f, err, errlen);
		assert_int_equal(chdir(cwd), 0);
		return rc;
	}
	if (c->path[0] == '^') {
		snprintf(dir, sizeof(dir), "%s/ok/good.conf", root);
		assert_int_equal(trust_open(&t, AT_FDCWD, dir, &inc, err, errlen), 0);
		rc = trust_open(&t, inc.dirfd, c->path + 1, f, err, errlen);
		trust_file_close(&inc);
		return rc;
	}
	snprintf(path, sizeof(path), "%s/%s", root, c->path);
	return trust_open(&t, AT_FDCWD, path, f, err, errlen);
}

static void test_table(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	for (size_t i = 0; i < N(cases); i++) {
		const struct tcase *c = &cases[i];
		struct trust_file f;
		char err[512];
		int rc = open_case(c, &f, err, sizeof(err));

		print_message("%-28s strict=%d -> %d %s\n", c->path, c->strict, rc, err);
		assert_int_equal(rc, c->rc);
		if (rc == 0) {
			assert_true(f.fd >= 0);
			assert_true(f.dirfd >= 0);
			assert_true(S_ISREG(f.st.st_mode));
		} else {
			assert_int_equal(f.fd, -1);
			assert_int_equal(f.dirfd, -1);
		}
		if (c->msg)
			assert_non_null(strstr(err, c->msg));
		trust_file_close(&f);
	}
}

/* What was opened is what was vetted, and it reads whole. */
static void test_read(void **state)
{
	struct trust t = { .strict = true };
	struct trust_file f;
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;

	(void)state;
	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s/ok/good.conf", root);
	assert_int_equal(trust_open(&t, AT_FDCWD, path, &f, NULL, 0), 0);
	assert_int_equal(util_read_fd(f.fd, 1 << 20, &text, &len), 0);
	assert_string_equal(text, "allow = ( );\n");
	assert_int_equal(len, 13);
	free(text);
	assert_int_equal(lseek(f.fd, 0, SEEK_SET), 0);
	assert_int_equal(util_read_fd(f.fd, 4, &text, &len), -EFBIG);
	trust_file_close(&f);
	trust_file_close(&f);           /* twice is fine */
	trust_file_close(NULL);
}

/* In a child with real uid nobody and effective uid 0 (what a setuid or
 * setcap binary run by nobody looks like to faccessat()): opens path with
 * secure set, returns 0 when it opened, 1 when refused with msg, 2 else. */
static int secure_child(const char *rel, const char *msg)
{
	char path[PATH_MAX], err[512];
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct trust t = { .strict = true, .secure = true };
		struct trust_file f;
		int rc;

		if (setresgid(NOBODY, 0, 0) < 0 || setgroups(0, NULL) < 0 || setresuid(NOBODY, 0, 0) < 0)
			_exit(3);
		snprintf(path, sizeof(path), "%s/%s", root, rel);
		rc = trust_open(&t, AT_FDCWD, path, &f, err, sizeof(err));
		trust_file_close(&f);
		_exit(rc == 0 ? 0 : rc == -EACCES && strstr(err, msg) ? 1 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_secure(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(secure_child("ok/good.conf", ""), 0);
	assert_int_equal(secure_child("ok/secret.conf", "(uid 65534) cannot read"), 1);
	assert_int_equal(secure_child("private/good.conf", "cannot search"), 1);
}

/* Root is strict; nobody without capabilities is not. */
static void test_of_process(void **state)
{
	struct trust t = trust_of_process();
	int status;
	pid_t pid;

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_true(t.strict);
	assert_false(t.secure);
	assert_true(trust_privileged(&t));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0
				|| setresuid(NOBODY, NOBODY, NOBODY) < 0)
			_exit(3);
		t = trust_of_process();
		_exit(!t.strict && !t.secure && !trust_privileged(&t) ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_secure),
		cmocka_unit_test(test_of_process),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
