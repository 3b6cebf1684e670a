/* cgroups: cgroup id -> cgroup path -> unit or container label. */
#include "cgroups.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_MAX_DEPTH 64
#define CG_ID_LEN 64            /* container ids: 64 lower-case hex digits */
#define CG_SHORT_ID 12          /* shown as their first 12, as `docker ps` does */

/* ---- path -> label ---------------------------------------------------- */

enum id_kind { ID_HEX64, ID_NAME };

/* A container is recognised on one path component: prefix + id + suffix,
 * optionally only below a parent component of a given name. */
struct container_rule {
	const char *parent;     /* NULL = any parent */
	const char *prefix;
	const char *suffix;
	enum id_kind kind;
	const char *label;
};

static const struct container_rule container_rules[] = {
	{ NULL,     "docker-",         ".scope", ID_HEX64, "docker" },     /* systemd driver */
	{ "docker", "",                "",       ID_HEX64, "docker" },     /* cgroupfs driver */
	{ NULL,     "cri-containerd-", ".scope", ID_HEX64, "containerd" },
	{ NULL,     "crio-",           ".scope", ID_HEX64, "crio" },
	{ NULL,     "libpod-",         ".scope", ID_HEX64, "podman" },
	{ NULL,     "libpod-",         "",       ID_HEX64, "podman" },     /* cgroupfs manager */
	{ NULL,     "lxc.payload.",    "",       ID_NAME,  "lxc" },        /* LXC 4+ */
	{ "lxc",    "",                "",       ID_NAME,  "lxc" },        /* older LXC */
};

/* The systemd unit types that can hold processes. */
static const char *const unit_suffixes[] = { ".service", ".scope" };

struct comp {
	const char *p;
	size_t len;
};

static bool comp_is(struct comp c, const char *s)
{
	return c.p && strlen(s) == c.len && memcmp(c.p, s, c.len) == 0;
}

static bool has_prefix(struct comp c, const char *pre)
{
	size_t n = strlen(pre);

	return c.len >= n && memcmp(c.p, pre, n) == 0;
}

static bool has_suffix(struct comp c, const char *suf)
{
	size_t n = strlen(suf);

	return c.len >= n && memcmp(c.p + c.len - n, suf, n) == 0;
}

static bool id_ok(const char *p, size_t len, enum id_kind kind)
{
	if (kind == ID_NAME)
		return len > 0;
	if (len != CG_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* The id part of c when the rule matches, else {NULL, 0}. */
static struct comp rule_match(const struct container_rule *r, struct comp parent, struct comp c)
{
	struct comp none = { NULL, 0 };
	size_t pre, suf;

	if (r->parent && !comp_is(parent, r->parent))
		return none;
	if (!has_prefix(c, r->prefix) || !has_suffix(c, r->suffix))
		return none;
	pre = strlen(r->prefix);
	suf = strlen(r->suffix);
	if (c.len < pre + suf || !id_ok(c.p + pre, c.len - pre - suf, r->kind))
		return none;
	return (struct comp){ c.p + pre, c.len - pre - suf };
}

static bool is_unit(struct comp c)
{
	for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		if (c.len > strlen(unit_suffixes[i]) && has_suffix(c, unit_suffixes[i]))
			return true;
	return false;
}

/* The next non-empty component after *pos, or {NULL, 0} at the end. */
static struct comp next_comp(const char **pos)
{
	const char *s = *pos;
	size_t n;

	while (*s == '/')
		s++;
	n = strcspn(s, "/");
	*pos = s + n;
	return n ? (struct comp){ s, n } : (struct comp){ NULL, 0 };
}

static int put_label(char *out, size_t outlen, const char *label, struct comp id, enum id_kind kind)
{
	size_t idlen = kind == ID_HEX64 ? CG_SHORT_ID : id.len;
	int n = snprintf(out, outlen, "%s:%.*s", label, (int)idlen, id.p);

	return n < 0 || (size_t)n >= outlen ? -ENOSPC : 1;
}

static int put_unit(char *out, size_t outlen, struct comp u)
{
	if (u.len + 1 > outlen)
		return -ENOSPC;
	memcpy(out, u.p, u.len);
	out[u.len] = '\0';
	return 1;
}

/* Label grammar (what an allowlist `unit = ...` is matched against):
 *
 *   label     = container / unit
 *   container = runtime ":" id
 *   runtime   = "docker" / "containerd" / "crio" / "podman" / "lxc"
 *   id        = 12 lower-case hex digits (the short id `docker ps` shows),
 *               or for lxc the container name as is
 *   unit      = a systemd unit name ending in ".service" or ".scope", as is
 *               (no unescaping: "run-u123.service", "getty@tty1.service")
 *
 * Containers win over units, and the outermost container wins: a label
 * names what the host's operator manages, so a unit running inside a
 * container (".../docker-<id>.scope/system.slice/nginx.service") is
 * "docker:<id>", and a docker inside an LXC container is "lxc:<name>".
 * Without a container the deepest unit wins (a user manager's
 * ".../user@1000.service/app.slice/foo.service" is "foo.service"), except a
 * nested "init.scope", which is the enclosing service's own manager process.
 * "/" and slices alone name no unit. The input is untrusted raw bytes; the
 * label is a copy of a part of it (escape on output).
 */
int cgroups_unit_from_path(const char *path, char *out, size_t outlen)
{
	const size_t nrules = sizeof(container_rules) / sizeof(container_rules[0]);
	struct comp parent = { NULL, 0 }, unit = { NULL, 0 }, c;
	const char *pos = path ? path : "";

	while ((c = next_comp(&pos)).p) {
		for (size_t i = 0; i < nrules; i++) {
			struct comp id = rule_match(&container_rules[i], parent, c);

			if (id.p)
				return put_label(out, outlen, container_rules[i].label, id,
						container_rules[i].kind);
		}
		if (is_unit(c) && !(unit.p && comp_is(c, "init.scope")))
			unit = c;
		parent = c;
	}
	if (!unit.p)
		return 0;
	return put_unit(out, outlen, unit);
}

/* ---- the cgroup2 mount ------------------------------------------------ */

const char *cgroups_find_root(void)
{
	static const char *const candidates[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		struct statfs sf;

		if (statfs(candidates[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
			return candidates[i];
	}
	return NULL;
}

/* ---- id -> path walk -------------------------------------------------- */

struct cg_walk {
	const uint64_t *ids;
	size_t n, left;
	char **paths;
	char path[PATH_MAX];
	int err;
};

/* Records path for every id equal to ino. Linear: the wanted ids are the few
 * distinct cgroups of unrecognised listeners. */
static void record(struct cg_walk *w, uint64_t ino)
{
	for (size_t i = 0; i < w->n; i++) {
		if (w->ids[i] != ino || w->paths[i])
			continue;
		w->paths[i] = strdup(w->path[0] ? w->path : "/");
		if (!w->paths[i]) {
			w->err = -ENOMEM;
			return;
		}
		w->left--;
	}
}

static void walk_dir(struct cg_walk *w, int fd, size_t plen, int depth);

/* Enters child `name` of the directory fd (consumes nothing: fd stays open). */
static void walk_child(struct cg_walk *w, int fd, const char *name, size_t plen, int depth)
{
	size_t nlen = strlen(name);
	struct stat st;
	int cfd;

	if (plen + 1 + nlen >= sizeof(w->path))
		return;
	cfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return;
	w->path[plen] = '/';
	memcpy(w->path + plen + 1, name, nlen + 1);
	if (fstat(cfd, &st) == 0)
		record(w, (uint64_t)st.st_ino);
	walk_dir(w, cfd, plen + 1 + nlen, depth + 1);   /* closes cfd */
	w->path[plen] = '\0';
}

/* Walks the directory fd (and closes it). w->path[0..plen) is its path. */
static void walk_dir(struct cg_walk *w, int fd, size_t plen, int depth)
{
	struct dirent *d;
	DIR *dir;

	if (w->left == 0 || w->err || depth > CG_MAX_DEPTH || !(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	while (w->left && !w->err && (d = readdir(dir))) {
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		walk_child(w, dirfd(dir), d->d_name, plen, depth);
	}
	closedir(dir);
}

int cgroups_map_ids(const char *root, const uint64_t *ids, size_t n, char **paths)
{
	struct cg_walk *w;
	struct stat st;
	int fd, err;

	if (n == 0 || !root)
		return 0;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct cg_walk){ .ids = ids, .n = n, .left = n, .paths = paths };
	for (size_t i = 0; i < n; i++)
		if (ids[i] == 0)
			w->left--;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &st) == 0)
			record(w, (uint64_t)st.st_ino);
		walk_dir(w, fd, 0, 0);
	}
	err = w->err;
	free(w);
	return err;
}

/* ---- listener units ------------------------------------------------------- */

static bool wanted(const bool *want, size_t i)
{
	return !want || want[i];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int cgroups_set_unit(struct owner *o, const char *cgpath)
{
	char label[PATH_MAX];
	char *u = NULL;

	if (cgroups_unit_from_path(cgpath, label, sizeof(label)) == 1 && !(u = strdup(label)))
		return -ENOMEM;
	free(o->unit);
	o->unit = u;
	o->unit_checked = true;
	return 0;
}

static bool needs_unit(const struct inventory *inv, const struct listener *l)
{
	return l->s->cgroup_id != 0 && !listener_owner(inv, l)->unit_checked;
}

/* The distinct cgroup ids of the wanted listeners, sorted; NULL on ENOMEM. */
static uint64_t *wanted_ids(const struct inventory *inv, const bool *want, size_t *n)
{
	uint64_t *ids = malloc((inv->nls ? inv->nls : 1) * sizeof(*ids));
	size_t k = 0, u = 0;

	if (!ids)
		return NULL;
	for (size_t i = 0; i < inv->nls; i++)
		if (wanted(want, i) && needs_unit(inv, &inv->ls[i]))
			ids[k++] = inv->ls[i].s->cgroup_id;
	qsort(ids, k, sizeof(*ids), cmp_u64);
	for (size_t i = 0; i < k; i++)
		if (u == 0 || ids[u - 1] != ids[i])
			ids[u++] = ids[i];
	*n = u;
	return ids;
}

int cgroups_resolve_units(struct inventory *inv, const bool *want, const char *root)
{
	char **paths = NULL;
	size_t n = 0;
	int err = 0;
	uint64_t *ids = wanted_ids(inv, want, &n);

	if (!ids)
		return -ENOMEM;
	if (n == 0 || !(root = root ? root : cgroups_find_root()))
		goto out;
	paths = calloc(n, sizeof(*paths));
	err = paths ? cgroups_map_ids(root, ids, n, paths) : -ENOMEM;
	for (size_t i = 0; i < inv->nls && !err; i++) {
		struct listener *l = &inv->ls[i];
		struct owner *o;
		uint64_t *hit;

		if (!wanted(want, i) || !needs_unit(inv, l))
			continue;
		hit = bsearch(&l->s->cgroup_id, ids, n, sizeof(*ids), cmp_u64);
		if (!hit || !paths[hit - ids])
			continue;
		o = inv_owner(inv, i);
		err = o ? cgroups_set_unit(o, paths[hit - ids]) : -ENOMEM;
	}
out:
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
	free(ids);
	return err;
}

int cgroups_read_proc(int pidfd, char **path)
{
	int fd = openat(pidfd, "cgroup", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	*path = NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (!*path && !err && (n = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		*path = strdup(line + 3);
		err = *path ? 0 : -ENOMEM;
	}
	free(line);
	fclose(f);
	return err;
}
