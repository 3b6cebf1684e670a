/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for config_dropins: the drop-in directory and which files it gives, in order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "config_dropins.h"
#include "fixture.h"

static void test_dir(void **state)
{
	static const struct { const char *conf, *dir; } cases[] = {
		{ "/etc/check_listeners.conf", "/etc/check_listeners.d" },
		{ "check_listeners.conf", "check_listeners.d" },
		{ "/srv/x/listeners", "/srv/x/listeners.d" },
		{ "/a/.conf", "/a/.conf.d" },
		{ "/a/b.conf.conf", "/a/b.conf.d" },
	};
	char out[64], small[8];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cfg_dropin_dir(cases[i].conf, out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].dir);
	}
	assert_int_equal(cfg_dropin_dir("/etc/check_listeners.conf", small, sizeof(small)), -ENAMETOOLONG);
}

static void test_names(void **state)
{
	static const char *const files[] = { "20-host.conf", "10-base.conf", "notes.txt", ".hidden.conf",
		"9-late.conf", "a.conf~", ".conf" };
	static const char *const want[] = { "10-base.conf", "20-host.conf", "9-late.conf" };
	char root[] = "/tmp/cl-dropins.XXXXXX", dir[256], err[256] = "";
	char **names;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(root));
	fx_put_dir(dir, sizeof(dir), root, "x.d");
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		fx_put_file(dir, files[i], "allow = ();\n");
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(cfg_dropin_names(dir, false, &names, &n, err, sizeof(err)), 0);
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(names[i], want[i]);
	cfg_dropin_free(names, n);

	/* as root: a directory others can write is refused */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(cfg_dropin_names(dir, true, &names, &n, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "writable by group or others"));
	assert_int_equal(n, 0);
	assert_int_equal(cfg_dropin_names(dir, false, &names, &n, err, sizeof(err)), 0);
	cfg_dropin_free(names, n);

	/* no directory: no drop-ins, not an error */
	snprintf(dir, sizeof(dir), "%s/none.d", root);
	assert_int_equal(cfg_dropin_names(dir, true, &names, &n, err, sizeof(err)), -ENOENT);
	assert_int_equal(n, 0);
	/* a file where the directory should be */
	fx_put_file(root, "file.d", "x");
	snprintf(dir, sizeof(dir), "%s/file.d", root);
	assert_true(cfg_dropin_names(dir, false, &names, &n, err, sizeof(err)) < 0);
	assert_int_equal(n, 0);
	fx_rm_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
