/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fixture: files and trees for unit tests (see fixture.h). */
#include "fixture.h"

#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

void fx_put_file(const char *dir, const char *name, const char *content)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	assert_int_equal(fclose(f), 0);
}

void fx_put_link(const char *dir, const char *name, const char *target)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(symlink(target, path), 0);
}

void fx_put_dir(char *out, size_t size, const char *root, const char *name)
{
	snprintf(out, size, "%s/%s", root, name);
	assert_int_equal(mkdir(out, 0755), 0);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_rm_tree(const char *root)
{
	assert_int_equal(nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

size_t fx_notes_with(const struct inventory *inv, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < inv->nnotes; i++)
		n += strncmp(inv->notes[i], prefix, strlen(prefix)) == 0;
	return n;
}
