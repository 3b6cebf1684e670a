/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for util: array growth, whole-file reads, messages, name tables. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Growth: the capacity starts at first, doubles, and a failed size check
 * leaves the array alone. */
static void test_grow(void **state)
{
	int *a = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(util_grow((void **)&a, &cap, 0, sizeof(*a), 4), 0);
	assert_int_equal(cap, 4);
	for (size_t i = 0; i < 100; i++) {
		assert_int_equal(util_grow((void **)&a, &cap, i, sizeof(*a), 4), 0);
		a[i] = (int)i;
	}
	assert_int_equal(cap, 128);
	assert_int_equal(util_grow((void **)&a, &cap, 1000, sizeof(*a), 4), 0);    /* jumps */
	assert_int_equal(cap, 1024);
	assert_int_equal(util_grow((void **)&a, &cap, SIZE_MAX / 2, sizeof(*a), 4), -ENOMEM);
	assert_int_equal(cap, 1024);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(a[i], (int)i);
	free(a);
}

static int temp_file(const char *text, size_t len, char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/test_util.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return 0;
}

/* Whole-file reads: content and length kept (a NUL inside too), the size
 * limit is -EFBIG, a missing file its errno. */
static void test_read_file(void **state)
{
	static const struct { const char *text; size_t len, max; int rc; } cases[] = {
		{ "", 0, 16, 0 },
		{ "32768\t60999\n", 12, 16, 0 },
		{ "a\0b", 3, 16, 0 },
		{ "0123456789abcdef", 16, 16, -EFBIG },
		{ "0123456789abcde", 15, 16, 0 },
	};
	char path[64], *text;
	size_t len;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		temp_file(cases[i].text, cases[i].len, path, sizeof(path));
		text = NULL;
		int rc = util_read_file(path, cases[i].max, &text, &len);

		unlink(path);
		if (rc != cases[i].rc)
			fail_msg("case %zu: rc %d, want %d", i, rc, cases[i].rc);
		if (rc == 0) {
			assert_int_equal(len, cases[i].len);
			assert_memory_equal(text, cases[i].text, len);
			assert_int_equal(text[len], '\0');
		}
		free(text);
	}
	assert_int_equal(util_read_file("/nonexistent/x", 16, &text, &len), -ENOENT);
}

/* A large file crosses several doublings of the buffer. */
static void test_read_large(void **state)
{
	size_t n = 100000;
	char *big = malloc(n), path[64], *text = NULL;
	size_t len;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	temp_file(big, n, path, sizeof(path));
	assert_int_equal(util_read_file(path, 1u << 20, &text, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(text, big, n);
	assert_int_equal(util_read_file(path, n, &text, &len), -EFBIG);
	unlink(path);
	free(text);
	free(big);
}

static void test_read_at(void **state)
{
	char path[64], buf[8];

	(void)state;
	temp_file("0123456789", 10, path, sizeof(path));
	assert_int_equal(util_read_at(AT_FDCWD, path, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "0123456");
	unlink(path);
	assert_int_equal(util_read_at(AT_FDCWD, path, buf, sizeof(buf)), -ENOENT);
	assert_string_equal(buf, "");
}

static void test_say(void **state)
{
	char out[8];

	(void)state;
	util_say(out, sizeof(out), "%s-%d", "abc", 12345);
	assert_string_equal(out, "abc-123");
}

static void test_name_index(void **state)
{
	static const char *const names[] = { "ok", NULL, "Critical" };

	(void)state;
	assert_int_equal(util_name_index(names, N(names), "OK"), 0);
	assert_int_equal(util_name_index(names, N(names), "critical"), 2);
	assert_int_equal(util_name_index(names, N(names), "crit"), -1);
	assert_int_equal(util_name_index(names, N(names), ""), -1);
	assert_int_equal(util_name_index(names, N(names), NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_large),
		cmocka_unit_test(test_read_at),
		cmocka_unit_test(test_say),
		cmocka_unit_test(test_name_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
