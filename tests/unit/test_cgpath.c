/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for cgpath.c on fake cgroup trees in temp dirs: labels with
 * the owners read from the file system, and cgroup.procs. */
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
#include <unistd.h>

#include <cmocka.h>

#include "cgpath.h"
#include "fixture.h"

struct tree {
	char root[64];
	int fd;
};

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));
	char d[PATH_MAX];

	assert_non_null(t);
	snprintf(t->root, sizeof(t->root), "/tmp/cl-cgpath.XXXXXX");
	assert_non_null(mkdtemp(t->root));
	fx_put_dir(d, sizeof(d), t->root, "system.slice");
	fx_put_dir(d, sizeof(d), t->root, "system.slice/nginx.service");
	fx_put_dir(d, sizeof(d), t->root, "deleg");
	fx_put_dir(d, sizeof(d), t->root, "deleg/nginx.service");
	t->fd = open(t->root, O_RDONLY | O_DIRECTORY);
	assert_true(t->fd >= 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tree *t = *state;

	close(t->fd);
	fx_rm_tree(t->root);
	free(t);
	return 0;
}

/* Ownership decides: a directory not owned by root is a boundary, and so is
 * one that cannot be stat'ed (renamed meanwhile). Owners are only set when
 * the test runs as root; as another user every directory is a boundary. */
static void test_label_owners(void **state)
{
	struct tree *t = *state;
	char out[256], d[PATH_MAX];

	if (geteuid() != 0)
		skip();
	snprintf(d, sizeof(d), "%s/deleg", t->root);
	assert_int_equal(chown(d, 65534, 65534), 0);
	assert_int_equal(cgpath_label(t->fd, "/system.slice/nginx.service", out, sizeof(out)), 1);
	assert_string_equal(out, "nginx.service");
	assert_int_equal(cgpath_label(t->fd, "/deleg/nginx.service", out, sizeof(out)), 1);
	assert_string_equal(out, "deleg/nginx.service");
	assert_int_equal(cgpath_label(t->fd, "/system.slice/gone/x.service", out, sizeof(out)), 1);
	assert_string_equal(out, "gone/x.service");
	assert_int_equal(cgpath_label(t->fd, "/", out, sizeof(out)), 0);
	assert_int_equal(cgpath_label(t->fd, "/system.slice", out, sizeof(out)), 0);
}

static void test_procs(void **state)
{
	struct tree *t = *state;
	char d[PATH_MAX];
	pid_t *pids;
	size_t n;

	snprintf(d, sizeof(d), "%s/system.slice/nginx.service", t->root);
	fx_put_file(d, "cgroup.procs", "12\n5\n300\nx1\n0\n77");
	assert_int_equal(cgpath_procs(t->fd, "/system.slice/nginx.service", &pids, &n), 0);
	assert_int_equal(n, 3);                 /* "x1", "0" and the cut last line dropped */
	assert_int_equal(pids[0], 300);
	assert_int_equal(pids[1], 12);
	assert_int_equal(pids[2], 5);
	free(pids);
	fx_put_file(t->root, "cgroup.procs", "");
	assert_int_equal(cgpath_procs(t->fd, "/", &pids, &n), 0);
	assert_int_equal(n, 0);
	assert_null(pids);
	assert_int_equal(cgpath_procs(t->fd, "/deleg", &pids, &n), -ENOENT);
}

/* A temp dir is no kernfs: a handle of type kernfs is refused there. */
static void test_by_id_not_cgroupfs(void **state)
{
	struct tree *t = *state;
	char *path = (char *)"untouched";

	assert_true(cgpath_by_id(t->fd, t->root, 12345, &path) < 0);
	assert_null(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_label_owners, setup, teardown),
		cmocka_unit_test_setup_teardown(test_procs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_id_not_cgroupfs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
