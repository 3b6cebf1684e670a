/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for exe_place (where an executable lies) and mounts (mountinfo). */
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

#include "exe_place.h"
#include "fixture.h"
#include "mounts.h"

/* A mountinfo like Debian 12's, with a few additions: a tmpfs mounted
 * noexec (/run), a world-writable tmpfs (/srv/scratch, root 1777), a mount
 * point with a space, a disk mounted over part of a tmpfs, a user's runtime
 * tmpfs (/run/user/1000, 0700 of uid 1000, as systemd-logind mounts it). */
static const char mountinfo[] =
	"26 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,mode=755\n"
	"24 23 0:22 / /dev/shm rw,nosuid,nodev - tmpfs tmpfs rw\n"
	"27 26 0:24 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,mode=755\n"
	"28 26 0:25 / /srv/scratch rw,relatime - tmpfs tmpfs rw\n"
	"29 26 0:26 / /srv/my\\040disk rw,relatime - tmpfs none rw,mode=755\n"
	"30 28 254:1 / /srv/scratch/disk rw,relatime - ext4 /dev/vdb rw\n"
	"31 26 0:27 / /opt/ram rw - ramfs ramfs rw\n"
	"33 27 0:29 / /run/user/1000 rw,nosuid,nodev,relatime - tmpfs tmpfs rw,mode=700,uid=1000\n"
	"garbage without fields\n"
	"32 26 0:28 / relative rw - tmpfs tmpfs rw\n";

static struct mount_table table(void)
{
	struct mount_table mt = { 0 };

	assert_int_equal(mounts_parse(mountinfo, &mt), 0);
	for (size_t i = 0; i < mt.n; i++) {
		mt.m[i].world_writable = strcmp(mt.m[i].dir, "/srv/scratch") == 0 ||
			strcmp(mt.m[i].dir, "/dev/shm") == 0;
		mt.m[i].user_writable = mt.m[i].world_writable || strcmp(mt.m[i].dir, "/run/user/1000") == 0;
	}
	return mt;
}

static void test_parse(void **state)
{
	static const struct {
		const char *dir;
		bool tmpfs, noexec;
	} want[] = {
		{ "/", false, false }, { "/dev", false, false }, { "/dev/shm", true, false },
		{ "/run", true, true }, { "/srv/scratch", true, false }, { "/srv/my disk", true, false },
		{ "/srv/scratch/disk", false, false }, { "/opt/ram", true, false },
		{ "/run/user/1000", true, false },
	};
	struct mount_table mt = { 0 };

	(void)state;
	assert_int_equal(mounts_parse(mountinfo, &mt), 0);
	assert_int_equal(mt.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < mt.n; i++) {
		assert_string_equal(mt.m[i].dir, want[i].dir);
		assert_int_equal(mt.m[i].tmpfs, want[i].tmpfs);
		assert_int_equal(mt.m[i].noexec, want[i].noexec);
		assert_false(mt.m[i].world_writable);
		assert_false(mt.m[i].user_writable);
	}
	mounts_free(&mt);
	assert_null(mt.m);
	assert_int_equal(mt.n, 0);
}

static const struct place_case {
	const char *exe;
	bool deleted;
	enum exe_place want;
} places[] = {
	{ NULL, false, EXE_PLACE_NORMAL },
	{ "", true, EXE_PLACE_NORMAL },
	{ "/usr/sbin/sshd", false, EXE_PLACE_NORMAL },
	{ "/usr/sbin/sshd", true, EXE_PLACE_DELETED },
	{ "/tmp/x", false, EXE_PLACE_TMP },
	{ "/tmp/.hidden/x", true, EXE_PLACE_TMP },
	{ "/tmpx/bin", false, EXE_PLACE_NORMAL },
	{ "/var/tmp/evil", false, EXE_PLACE_VAR_TMP },
	{ "/var/tmpfoo", false, EXE_PLACE_NORMAL },
	{ "/dev/shm/x", false, EXE_PLACE_DEV_SHM },
	{ "/dev/shm/x", true, EXE_PLACE_DEV_SHM },
	{ "/memfd:payload", true, EXE_PLACE_MEMFD },
	{ "/memfd: (deleted)", false, EXE_PLACE_MEMFD },
	{ "/run/x", false, EXE_PLACE_TMPFS_NOEXEC },
	{ "/srv/scratch/x", false, EXE_PLACE_TMPFS_WORLD },
	{ "/srv/scratch/disk/x", false, EXE_PLACE_NORMAL },     /* a disk mounted over it */
	{ "/srv/scratch/disk/x", true, EXE_PLACE_DELETED },
	{ "/srv/my disk/x", false, EXE_PLACE_NORMAL },          /* tmpfs, 0755, exec */
	{ "/srv/my", false, EXE_PLACE_NORMAL },
	{ "/opt/ram/x", false, EXE_PLACE_NORMAL },              /* ramfs, not world-writable */
	{ "/run/user/1000/.x", false, EXE_PLACE_TMPFS_USER },   /* a user's runtime tmpfs (review3 F8) */
	{ "/run/user/1000/.x", true, EXE_PLACE_TMPFS_USER },
	{ "/run/user/1000", false, EXE_PLACE_TMPFS_USER },
	{ "/run/user/10000/x", false, EXE_PLACE_TMPFS_NOEXEC }, /* not that mount: /run's */
	{ "/run/x", true, EXE_PLACE_TMPFS_NOEXEC },
};

static void test_places(void **state)
{
	struct mount_table mt = table();

	(void)state;
	for (size_t i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		const struct place_case *c = &places[i];
		enum exe_place p = exe_place(c->exe, c->deleted, &mt);

		if (p != c->want)
			fail_msg("%s%s: %s, expected %s", c->exe ? c->exe : "(null)", c->deleted ? " (deleted)" : "",
					exe_place_name(p), exe_place_name(c->want));
	}
	mounts_free(&mt);
}

/* Who may write a memory-backed mount's root directory (review3 F8). */
static const struct writable_case {
	uid_t uid;
	gid_t gid;
	mode_t mode;
	bool want;
} writable[] = {
	{ 0, 0, 0755, false },          /* /run */
	{ 0, 0, 0775, false },          /* group root: root's */
	{ 0, 0, 01777, true },          /* /dev/shm, /tmp */
	{ 0, 0, 0757, true },
	{ 65534, 65534, 0700, true },   /* /run/user/65534 */
	{ 1000, 1000, 0500, false },    /* the owner may chmod it first, but the file is there already */
	{ 1000, 0, 0555, false },
	{ 0, 50, 0775, true },          /* group staff */
	{ 0, 50, 0755, false },
	{ 0, 50, 0705, false },
};

static void test_user_writable(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(writable) / sizeof(writable[0]); i++) {
		const struct writable_case *c = &writable[i];

		if (mounts_user_writable(c->uid, c->gid, c->mode) != c->want)
			fail_msg("uid %u gid %u mode %o: expected %d", (unsigned)c->uid, (unsigned)c->gid,
					(unsigned)c->mode, c->want);
	}
}

/* Without a mount table only the fixed places are known. */
static void test_no_table(void **state)
{
	(void)state;
	assert_int_equal(exe_place("/dev/shm/x", false, NULL), EXE_PLACE_DEV_SHM);
	assert_int_equal(exe_place("/run/x", false, NULL), EXE_PLACE_NORMAL);
	assert_int_equal(exe_place("/opt/x", true, NULL), EXE_PLACE_DELETED);
}

static void test_suspicious_and_reasons(void **state)
{
	(void)state;
	assert_false(exe_place_suspicious(EXE_PLACE_NORMAL));
	assert_false(exe_place_suspicious(EXE_PLACE_DELETED));
	for (int p = EXE_PLACE_TMP; p < EXE_PLACE_COUNT; p++) {
		assert_true(exe_place_suspicious((enum exe_place)p));
		assert_true(strlen(exe_place_reason((enum exe_place)p)) > 10);
	}
	assert_false(exe_place_suspicious(EXE_PLACE_COUNT));
	/* not known is not suspicious, and suspicious is not unknown */
	for (int p = 0; p <= EXE_PLACE_COUNT; p++)
		assert_int_equal(exe_place_unknown((enum exe_place)p),
				p == EXE_PLACE_UNKNOWN || p == EXE_PLACE_UNVERIFIED || p == EXE_PLACE_UNHELD);
	assert_false(exe_place_suspicious(EXE_PLACE_UNKNOWN));
	assert_false(exe_place_suspicious(EXE_PLACE_UNVERIFIED));
	/* no holder at all (review3 F2): unknown, worse than unverified, below suspicious */
	assert_false(exe_place_suspicious(EXE_PLACE_UNHELD));
	assert_true(EXE_PLACE_UNHELD > EXE_PLACE_UNVERIFIED && EXE_PLACE_TMP > EXE_PLACE_UNHELD);
	assert_string_equal(exe_place_name(EXE_PLACE_UNHELD), "unheld");
	assert_non_null(strstr(exe_place_reason(EXE_PLACE_UNHELD), "no holder found"));
	assert_true(exe_place_suspicious(EXE_PLACE_HIDDEN_MEMORY));
	assert_true(EXE_PLACE_UNVERIFIED > EXE_PLACE_UNKNOWN && EXE_PLACE_TMP > EXE_PLACE_UNVERIFIED);
	assert_string_equal(exe_place_name(EXE_PLACE_UNKNOWN), "unknown");
	assert_string_equal(exe_place_name(EXE_PLACE_UNVERIFIED), "unverified");
	assert_string_equal(exe_place_name(EXE_PLACE_HIDDEN_MEMORY), "hidden_memory");
	assert_non_null(strstr(exe_place_reason(EXE_PLACE_UNKNOWN), "not verifiable"));
	assert_string_equal(exe_place_reason(EXE_PLACE_NORMAL), "");
	assert_string_equal(exe_place_reason(EXE_PLACE_COUNT), "");
	assert_string_equal(exe_place_name(EXE_PLACE_DEV_SHM), "dev_shm");
	assert_non_null(strstr(exe_place_reason(EXE_PLACE_DEV_SHM), "/dev/shm"));
}

/* mounts_read() stats memory-backed mount points for their mode. */
static void test_read(void **state)
{
	char dir[] = "/tmp/cl-mounts.XXXXXX", path[64], *text = NULL;
	struct mount_table mt = { 0 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&text, "1 0 0:1 / %s rw - tmpfs tmpfs rw\n2 0 0:2 / / rw - ext4 x rw\n", dir) > 0);
	fx_put_file(dir, "mountinfo", text);
	snprintf(path, sizeof(path), "%s/mountinfo", dir);
	assert_int_equal(chmod(dir, 01777), 0);
	assert_int_equal(mounts_read(path, &mt), 0);
	assert_int_equal(mt.n, 2);
	assert_true(mt.m[0].world_writable);
	assert_true(mt.m[0].user_writable);
	assert_false(mt.m[1].world_writable);   /* not tmpfs: not asked */
	assert_false(mt.m[1].user_writable);
	mounts_free(&mt);
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(mounts_read(path, &mt), 0);
	assert_false(mt.m[0].world_writable);
	assert_int_equal(mt.m[0].user_writable, geteuid() != 0);        /* the dir is ours */
	mounts_free(&mt);
	assert_true(mounts_read("/nonexistent/mountinfo", &mt) < 0);
	assert_int_equal(mt.n, 0);
	free(text);
	fx_rm_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_places),
		cmocka_unit_test(test_user_writable),
		cmocka_unit_test(test_no_table),
		cmocka_unit_test(test_suspicious_and_reasons),
		cmocka_unit_test(test_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
