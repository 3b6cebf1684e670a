/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_dropins: which files of the drop-in directory to read, in order. */
#include "config_dropins.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int cfg_dropin_dir(const char *config_path, char *out, size_t size)
{
	size_t n = strlen(config_path);
	int w;

	if (n > 5 && strcmp(config_path + n - 5, ".conf") == 0 && config_path[n - 6] != '/')
		n -= 5;
	w = snprintf(out, size, "%.*s.d", (int)n, config_path);
	return w < 0 || (size_t)w >= size ? -ENAMETOOLONG : 0;
}

static bool wanted(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".conf") == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* As root, a directory others can write lets them add or swap drop-ins. */
static int vet_dir(int fd, bool strict_owner, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "refused: not a directory");
		return -ENOTDIR;
	}
	if (strict_owner && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))) {
		snprintf(err, errlen, "refused: %s; as root the plugin only reads drop-in directories "
				"owned by root and not writable by group or others",
				st.st_uid != 0 ? "not owned by root" : "writable by group or others");
		return -EPERM;
	}
	return 0;
}

int cfg_dropin_names(const char *dir, bool strict_owner, char ***names, size_t *n,
		char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	*names = NULL;
	*n = 0;
	if (fd < 0) {
		rc = -errno;
		if (rc != -ENOENT)
			snprintf(err, errlen, "cannot open the drop-in directory: %s", strerror(errno));
		return rc;
	}
	if ((rc = vet_dir(fd, strict_owner, err, errlen)) < 0 || !(d = fdopendir(fd))) {
		if (rc == 0) {
			rc = -errno;
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
		}
		close(fd);
		return rc;
	}
	while ((e = readdir(d))) {
		char *copy;

		if (!wanted(e->d_name))
			continue;
		if (util_grow((void **)names, &cap, *n, sizeof(**names), 8) < 0 || !(copy = strdup(e->d_name)))
			break;
		(*names)[(*n)++] = copy;
	}
	rc = e ? -ENOMEM : 0;
	closedir(d);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		cfg_dropin_free(*names, *n);
		*names = NULL;
		*n = 0;
		return rc;
	}
	if (*n)
		qsort(*names, *n, sizeof(**names), by_name);
	return 0;
}

void cfg_dropin_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

