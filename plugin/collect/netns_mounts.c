/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_mounts: the nsfs network namespace mounts of every mount namespace
 * (see include/netns_find.h, netns_scan_mounts()).
 *
 * An `ip netns add` in a container, a podman sandbox or any bind mount of a
 * /proc/PID/ns/net file keeps a namespace alive with no process in it; the
 * mount may live in a mount namespace other than the plugin's, where
 * /proc/self/mountinfo does not show it. So one process of each mount
 * namespace is asked for its mountinfo, and the mount point is reached
 * through its /proc/PID/root. */
#include "netns_mounts.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "numparse.h"
#include "util.h"

/* One process per mount namespace other than the plugin's, for their
 * mountinfo. */
struct mnt_seen {
	ino_t *ino;
	pid_t *pid;
	size_t n, cap, pcap;
};

static int note_mntns(struct mnt_seen *m, const char *proc_root, const char *pid_name, pid_t pid,
		ino_t own_mnt)
{
	char path[PATH_MAX];
	struct stat sb;

	if (!util_path(path, sizeof(path), "%s/%s/ns/mnt", proc_root, pid_name) || stat(path, &sb) < 0
			|| sb.st_ino == own_mnt)
		return 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->ino[i] == sb.st_ino)
			return 0;
	if (util_grow((void **)&m->ino, &m->cap, m->n, sizeof(*m->ino), 16) < 0
			|| util_grow((void **)&m->pid, &m->pcap, m->n, sizeof(*m->pid), 16) < 0)
		return -ENOMEM;
	m->ino[m->n] = sb.st_ino;
	m->pid[m->n++] = pid;
	return 0;
}

/* One process of each mount namespace but own (inode own_mnt). Returns 0
 * or -ENOMEM. */
static int find_mntns(struct mnt_seen *m, const char *proc_root, ino_t own_mnt)
{
	struct dirent *de;
	uint64_t pid;
	int rc = 0;
	DIR *d = opendir(proc_root);

	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d)))
		if (de->d_name[0] != '0' && parse_u64_str(de->d_name, INT_MAX, &pid) == 0)
			rc = note_mntns(m, proc_root, de->d_name, (pid_t)pid, own_mnt);
	closedir(d);
	return rc;
}

/* Undoes mountinfo's octal escapes (\040 space, \011 tab, \012 newline,
 * \134 backslash) in place. Returns s. */
static char *unescape(char *s)
{
	char *w = s;

	for (const char *r = s; *r; w++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7'
				&& r[3] >= '0' && r[3] <= '7') {
			*w = (char)((r[1] - '0') << 6 | (r[2] - '0') << 3 | (r[3] - '0'));
			r += 4;
		} else {
			*w = *r++;
		}
	}
	*w = '\0';
	return s;
}

/* The mount point of a network namespace bind mount, from one mountinfo line
 * ("42 41 0:4 net:[4026532176] /run/netns/a rw shared:2 - nsfs nsfs rw"):
 * the root field names the namespace type. Modifies line; returns a pointer
 * into it, or NULL for any other line. */
static char *mountinfo_netns(char *line)
{
	char *f[6], *save = NULL, *tok;

	for (int n = 0; n < 6; n++) {
		f[n] = strtok_r(n ? NULL : line, " \n", &save);
		if (!f[n])
			return NULL;
	}
	if (strncmp(f[3], "net:[", 5) != 0)
		return NULL;
	while ((tok = strtok_r(NULL, " \n", &save)) && strcmp(tok, "-") != 0)
		;
	tok = tok ? strtok_r(NULL, " \n", &save) : NULL;
	if (!tok || strcmp(tok, "nsfs") != 0)
		return NULL;
	return unescape(f[4]);
}

/* Adds the nsfs network namespace mounts listed in mountinfo (proc_root +
 * "/self" or "/PID"), their mount points looked up under root: the system
 * root for the own mount namespace, proc_root/PID/root for another. holder:
 * 0 for the own, else the pid whose mount namespace it is. Rootless podman
 * keeps them in /run/user/UID/netns. Returns 0 or -ENOMEM. */
static int scan_mountinfo(struct netns_set *s, const char *mountinfo, const char *root, pid_t holder)
{
	char path[PATH_MAX], *line = NULL, *mp;
	size_t cap = 0;
	struct netns_cand *c;
	int rc = 0;
	FILE *f = fopen(mountinfo, "re");

	if (!f)
		return 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		mp = mountinfo_netns(line);
		if (!mp || !util_path(path, sizeof(path), "%s%s", root, mp))
			continue;
		rc = netns_set_add_path(s, path, &c);
		if (rc == 0 && c && !c->path && !(c->path = strdup(path)))
			rc = -ENOMEM;
		if (rc == 0 && c && holder && !c->holder)
			c->holder = holder, c->held_by = 'm';
	}
	free(line);
	fclose(f);
	return rc;
}

int netns_scan_mounts(struct netns_set *s, const char *proc_root, const char *root)
{
	struct mnt_seen m = { NULL, NULL, 0, 0, 0 };
	char mi[PATH_MAX], r[PATH_MAX];
	struct stat sb;
	int rc;

	if (!util_path(mi, sizeof(mi), "%s/self/mountinfo", proc_root))
		return 0;
	rc = scan_mountinfo(s, mi, root, 0);
	if (!util_path(r, sizeof(r), "%s/self/ns/mnt", proc_root) || stat(r, &sb) < 0)
		sb.st_ino = 0;
	if (rc == 0)
		rc = find_mntns(&m, proc_root, sb.st_ino);
	for (size_t i = 0; rc == 0 && i < m.n; i++) {
		if (!util_path(mi, sizeof(mi), "%s/%d/mountinfo", proc_root, (int)m.pid[i])
				|| !util_path(r, sizeof(r), "%s/%d/root", proc_root, (int)m.pid[i]))
			continue;
		rc = scan_mountinfo(s, mi, r, m.pid[i]);
	}
	free(m.ino);
	free(m.pid);
	return rc;
}
