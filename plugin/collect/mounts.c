/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mounts: /proc/self/mountinfo -> struct mount_table. */
#include "mounts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

#define MAX_BYTES (16u << 20)

/* The n-th space-separated field of line (0-based) as [*start, *end). */
static bool field(const char *line, const char *eol, unsigned n, const char **start, const char **end)
{
	const char *p = line;

	for (unsigned i = 0;; i++) {
		const char *e = p;

		while (e < eol && *e != ' ')
			e++;
		if (i == n) {
			*start = p;
			*end = e;
			return e > p;
		}
		if (e >= eol)
			return false;
		p = e + 1;
	}
}

/* Undoes the kernel's \ooo escapes of space, tab, newline and backslash. */
static char *unescape(const char *s, const char *e)
{
	char *out = malloc((size_t)(e - s) + 1), *o = out;

	if (!out)
		return NULL;
	while (s < e) {
		if (s[0] == '\\' && e - s >= 4 && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7'
				&& s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* True when the comma-separated options [s, e) contain opt. */
static bool has_option(const char *s, const char *e, const char *opt)
{
	size_t n = strlen(opt);

	while (s < e) {
		const char *c = memchr(s, ',', (size_t)(e - s));
		const char *end = c ? c : e;

		if ((size_t)(end - s) == n && memcmp(s, opt, n) == 0)
			return true;
		s = end + 1;
	}
	return false;
}

/* One line: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER". */
static int parse_line(const char *line, const char *eol, struct mount_table *mt)
{
	const char *dir, *dir_end, *opt, *opt_end, *sep, *fs, *fs_end;
	struct mount_entry *m;

	if (!field(line, eol, 4, &dir, &dir_end) || !field(line, eol, 5, &opt, &opt_end) || *dir != '/')
		return 0;
	for (sep = opt_end; sep + 3 <= eol && memcmp(sep, " - ", 3) != 0; sep++)
		;
	if (sep + 3 > eol || !field(sep + 3, eol, 0, &fs, &fs_end))
		return 0;
	if ((mt->n & (mt->n + 1)) == 0 || !mt->m) {
		/* capacity: the next power of two minus one, grown when n reaches it */
		m = realloc(mt->m, 2 * (mt->n + 1) * sizeof(*m));
		if (!m)
			return -ENOMEM;
		mt->m = m;
	}
	m = &mt->m[mt->n];
	memset(m, 0, sizeof(*m));
	if (!(m->dir = unescape(dir, dir_end)))
		return -ENOMEM;
	m->tmpfs = ((size_t)(fs_end - fs) == 5 && memcmp(fs, "tmpfs", 5) == 0) ||
		((size_t)(fs_end - fs) == 5 && memcmp(fs, "ramfs", 5) == 0);
	m->noexec = has_option(opt, opt_end, "noexec");
	mt->n++;
	return 0;
}

int mounts_parse(const char *text, struct mount_table *mt)
{
	while (text && *text) {
		const char *eol = strchr(text, '\n');

		if (!eol)
			eol = text + strlen(text);
		if (parse_line(text, eol, mt) < 0)
			return -ENOMEM;
		text = *eol ? eol + 1 : eol;
	}
	return 0;
}

bool mounts_user_writable(uid_t uid, gid_t gid, mode_t mode)
{
	return (uid != 0 && (mode & S_IWUSR)) || (gid != 0 && (mode & S_IWGRP)) || (mode & S_IWOTH);
}

int mounts_read(const char *path, struct mount_table *mt)
{
	char *text = NULL;
	size_t len;
	int rc = util_read_file(path, MAX_BYTES, &text, &len);

	if (rc == 0)
		rc = mounts_parse(text, mt);
	free(text);
	if (rc < 0) {
		mounts_free(mt);
		return rc;
	}
	for (size_t i = 0; i < mt->n; i++) {
		struct stat st;

		if (mt->m[i].tmpfs && stat(mt->m[i].dir, &st) == 0) {
			mt->m[i].world_writable = (st.st_mode & S_IWOTH) != 0;
			mt->m[i].user_writable = mounts_user_writable(st.st_uid, st.st_gid, st.st_mode);
		}
	}
	return 0;
}

void mounts_free(struct mount_table *mt)
{
	if (!mt)
		return;
	for (size_t i = 0; i < mt->n; i++)
		free(mt->m[i].dir);
	free(mt->m);
	mt->m = NULL;
	mt->n = 0;
}
