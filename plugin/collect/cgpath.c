/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgpath: a cgroup by its id (file handle), its owners, its processes. */
#include "cgpath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cglabel.h"
#include "numparse.h"
#include "util.h"

#define FILEID_KERNFS 0xfe      /* include/linux/exportfs.h: a kernfs node id */
#define PROCS_MAX (4u << 20)    /* bytes of cgroup.procs read at most (about 500,000 pids) */

int cgpath_by_id(int mntfd, const char *root, uint64_t id, char **path)
{
	struct {
		struct file_handle fh;
		unsigned char id[sizeof(uint64_t)];
	} h;
	char link[64], target[PATH_MAX];
	size_t rlen = strlen(root);
	ssize_t n;
	int fd, err = 0;

	*path = NULL;
	h.fh.handle_bytes = sizeof(id);
	h.fh.handle_type = FILEID_KERNFS;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(mntfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	target[n] = '\0';
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	/* The kernel names it from the mount we opened it through; anything else
	 * (another mount, a cgroup outside our cgroup namespace) is not ours. */
	if (strncmp(target, root, rlen) != 0 || (target[rlen] != '/' && target[rlen] != '\0'))
		return -ENOENT;
	*path = strdup(target[rlen] ? target + rlen : "/");
	return *path ? 0 : -ENOMEM;
}

/* Splits path into c[] with the owner of each component. Returns the count
 * or -errno. */
static int stat_comps(int mntfd, const char *path, struct cg_comp *c)
{
	char prefix[PATH_MAX];
	int n = cglabel_split(path, c, CGLABEL_MAX_DEPTH);
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		struct stat st;

		if (len + c[i].len + 2 > sizeof(prefix))
			return -ENAMETOOLONG;
		if (len)
			prefix[len++] = '/';
		memcpy(prefix + len, c[i].name, c[i].len);
		len += c[i].len;
		prefix[len] = '\0';
		c[i].uid = fstatat(mntfd, prefix, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) ?
			(uint32_t)st.st_uid : UINT32_MAX;
	}
	return n;
}

int cgpath_label(int mntfd, const char *path, char *out, size_t outlen)
{
	struct cg_comp c[CGLABEL_MAX_DEPTH];
	int n = stat_comps(mntfd, path, c);

	return n < 0 ? n : cglabel_derive(c, (size_t)n, out, outlen);
}

int cgpath_delegated(int mntfd, const char *path)
{
	struct cg_comp c[CGLABEL_MAX_DEPTH];
	int n = stat_comps(mntfd, path, c);

	return n < 0 ? n : cglabel_boundary(c, (size_t)n) < (size_t)n;
}

static int cmp_pid_desc(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y) - (x > y);
}

/* Parses the newline-separated pids of buf[0..len) into *pids. */
static int parse_procs(const char *buf, size_t len, pid_t **pids, size_t *n)
{
	size_t cap = 0, k = 0;

	for (size_t i = 0; i < len; i++)
		cap += buf[i] == '\n';
	*pids = cap ? malloc(cap * sizeof(**pids)) : NULL;
	if (cap && !*pids)
		return -ENOMEM;
	for (const char *p = buf, *end = buf + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		uint64_t v;

		if (!nl)
			break;          /* a cut last line: ignore it */
		if (k < cap && parse_u64(p, (size_t)(nl - p), INT_MAX, &v) == 0 && v > 0)
			(*pids)[k++] = (pid_t)v;
		p = nl + 1;
	}
	if (k)
		qsort(*pids, k, sizeof(**pids), cmp_pid_desc);
	*n = k;
	return 0;
}

int cgpath_procs(int mntfd, const char *path, pid_t **pids, size_t *n)
{
	char name[PATH_MAX];
	const char *rel = path + strspn(path, "/");
	char *buf = NULL;
	size_t len = 0;
	int fd, err;

	*pids = NULL;
	*n = 0;
	if (snprintf(name, sizeof(name), "%s%scgroup.procs", rel, *rel ? "/" : "") >= (int)sizeof(name))
		return -ENAMETOOLONG;
	fd = openat(mntfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = util_read_fd(fd, PROCS_MAX, &buf, &len);
	close(fd);
	if (err == 0)
		err = parse_procs(buf, len, pids, n);
	free(buf);
	return err;
}
