/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for cgroups.c on a fake cgroup tree in a temp dir: the id ->
 * path walk (bounded by the deadline) and the units of an owner. The labels
 * themselves are test_cglabel.c's. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroups.h"
#include "fixture.h"

static uint64_t ino_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

/* root/a/b/c and root/x: ids are the directories' inode numbers. */
static void test_map_ids(void **state)
{
	char root[] = "/tmp/cl-cgroups.XXXXXX", d[PATH_MAX];
	uint64_t ids[3];
	char *paths[3] = { NULL };
	struct timespec past = { 1, 0 };

	(void)state;
	assert_non_null(mkdtemp(root));
	fx_put_dir(d, sizeof(d), root, "a");
	fx_put_dir(d, sizeof(d), root, "a/b");
	fx_put_dir(d, sizeof(d), root, "a/b/c");
	ids[0] = ino_of(d);
	fx_put_dir(d, sizeof(d), root, "x");
	ids[1] = ino_of(d);
	ids[2] = ino_of(root);
	assert_int_equal(cgroups_map_ids(root, ids, 3, paths, NULL), 0);
	assert_string_equal(paths[0], "/a/b/c");
	assert_string_equal(paths[1], "/x");
	assert_string_equal(paths[2], "/");
	for (size_t i = 0; i < 3; i++) {
		free(paths[i]);
		paths[i] = NULL;
	}
	/* past the deadline the walk enters nothing: below the root, nothing found */
	assert_int_equal(cgroups_map_ids(root, ids, 3, paths, &past), 0);
	assert_null(paths[0]);
	assert_null(paths[1]);
	assert_string_equal(paths[2], "/");
	free(paths[2]);
	fx_rm_tree(root);
}

static void test_add_unit(void **state)
{
	struct owner o = { 0 };

	(void)state;
	assert_int_equal(cgroups_add_unit(&o, "nginx.service"), 0);
	assert_int_equal(cgroups_add_unit(&o, "nginx.service"), 0);
	assert_int_equal(cgroups_add_unit(&o, "user@1000.service/app.slice/nginx.service"), 0);
	assert_int_equal(o.nunits, 2);
	assert_false(o.unit_none);
	assert_int_equal(cgroups_add_unit(&o, NULL), 0);
	assert_true(o.unit_none);
	assert_int_equal(o.nunits, 2);
	for (size_t i = 0; i < o.nunits; i++)
		free(o.units[i]);
	free(o.units);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_ids),
		cmocka_unit_test(test_add_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
