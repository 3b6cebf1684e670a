/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for proctasks: the threads of a process (review3 F2, F3). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "proctasks.h"

/* A task directory links "." , ".." and one directory per thread. */
static void test_thread_count(void **state)
{
	static const struct {
		int threads;            /* subdirectories made; -1: no task directory */
		int want;
	} cases[] = { { -1, -ENOENT }, { 0, 1 }, { 1, 1 }, { 2, 2 }, { 5, 5 } };

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char root[] = "/tmp/test_procfs_tc.XXXXXX", task[PATH_MAX], t[PATH_MAX];
		int fd;

		assert_non_null(mkdtemp(root));
		if (cases[c].threads >= 0)
			fx_put_dir(task, sizeof(task), root, "task");
		for (int k = 0; k < cases[c].threads; k++) {
			char name[16];

			snprintf(name, sizeof(name), "%d", 100 + k);
			fx_put_dir(t, sizeof(t), task, name);
		}
		fd = open(root, O_RDONLY | O_DIRECTORY);
		assert_true(fd >= 0);
		assert_int_equal(proctasks_count(fd, "task"), cases[c].want);
		close(fd);
		fx_rm_tree(root);
	}
}

/* procfs_sock_fn: counts the sockets met, by inode sum. */
static int count_sock(uint32_t inode, void *arg)
{
	uint32_t *sum = arg;

	*sum += inode;
	return 0;
}

/* Without kcmp (a fake tree) every thread's table but the leader's is
 * walked; *live is the first other thread met. */
static void test_thread_sockets(void **state)
{
	static const struct {
		const char *tids[3];            /* task/TID, the first the leader's */
		const char *links[3];           /* fd/3 of each, NULL = no fd directory */
		uint32_t want;                  /* inode sum of the threads' sockets */
		int rc;
	} cases[] = {
		{ { "7", NULL }, { "socket:[1]" }, 0, 0 },
		{ { "7", "8", NULL }, { "socket:[1]", "socket:[20]" }, 20, 0 },
		{ { "7", "8", "9" }, { "socket:[1]", "pipe:[3]", "socket:[300]" }, 300, 0 },
		{ { "7", "8", "x" }, { "socket:[1]", "socket:[20]", "socket:[4000]" }, 20, 0 },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char root[] = "/tmp/test_proctasks.XXXXXX", task[PATH_MAX], t[PATH_MAX], fd[PATH_MAX];
		uint32_t sum = 0;
		pid_t live = -1;
		int dirfd;

		assert_non_null(mkdtemp(root));
		fx_put_dir(task, sizeof(task), root, "task");
		for (int k = 0; k < 3 && cases[c].tids[k]; k++) {
			fx_put_dir(t, sizeof(t), task, cases[c].tids[k]);
			fx_put_dir(fd, sizeof(fd), t, "fd");
			fx_put_link(fd, "3", cases[c].links[k]);
		}
		dirfd = open(root, O_RDONLY | O_DIRECTORY);
		assert_true(dirfd >= 0);
		assert_int_equal(proctasks_sockets(dirfd, 7, false, NULL, count_sock, &sum, &live), cases[c].rc);
		assert_int_equal(sum, cases[c].want);
		assert_int_equal(live, cases[c].tids[1] ? 8 : 0);
		close(dirfd);
		fx_rm_tree(root);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thread_count),
		cmocka_unit_test(test_thread_sockets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
