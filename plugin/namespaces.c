/* namespaces: find every network namespace, enter each one, dump it, leave.
 *
 * One pass over /proc stat()s every /proc/PID/ns/net: stat() alone gives the
 * nsfs identity (st_dev, st_ino) and is cheap, so nothing is opened while
 * enumerating. ip netns names, Docker sandboxes and nsfs bind mounts are merged
 * in by the same identity, and each distinct namespace is opened once, when it
 * is entered.
 *
 * Paths: proc_root is "/proc" in production. Its parent directory is taken as
 * the system root, so a test tree "<dir>/proc" has its own "<dir>/run/netns"
 * and "<dir>/var/run/docker/netns", and the mount points in
 * "<dir>/proc/self/mountinfo" are looked up under "<dir>". The own namespace is
 * "<proc_root>/self/ns/net": a test tree must make that the caller's own.
 *
 * A namespace whose dump fails is dropped: its sockets and its inventory.ns
 * entry are removed, so every entry of inventory.ns has been checked. A
 * namespace that vanished, or turned out not to be a network namespace, is not
 * counted at all (found == checked + skipped).
 */
#include "namespaces.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/nsfs.h>

#include "ephemeral.h"
#include "netlink.h"
#include "owners.h"

#define LABEL_LEN sizeof(((struct netns *)0)->label)

#define PRIV_REASON "no privilege to enter other network namespaces " \
	"(needs CAP_SYS_ADMIN and ptrace access; run via sudo or grant capabilities)"

/* One distinct namespace found while enumerating. */
struct cand {
	dev_t dev;
	ino_t ino;
	pid_t pid;              /* lowest pid living in it; 0 = none seen */
	char *path;             /* a mount to open it by; NULL = /proc/PID/ns/net */
	char *name;             /* ip netns name; NULL = none */
	unsigned dup;           /* 1 = first holder of its label, 2.. = clashes */
	char label[LABEL_LEN];
};

/* The candidates, index 0 being the own namespace, with a hash index on
 * (dev, ino) so the /proc pass stays O(processes). */
struct nsset {
	struct cand *v;
	size_t n, cap;
	size_t *slot;           /* open addressing: index + 1, 0 = empty */
	size_t nslot;           /* a power of two, at least 2 * n */
	dev_t nsfs_dev;         /* every namespace inode lives on this one device */
	unsigned denied;        /* processes whose ns/net could not be stat()ed */
};

/* What happened to one namespace. */
enum outcome { NS_CHECKED, NS_SKIPPED, NS_GONE };

/* Fixed context of one ns_collect() call. */
struct ctx {
	const char *proc_root;
	int own_fd;
	int timeout_ms;
	char *err;
	size_t errlen;
};

/* Formats a message; cutting it short is fine. */
__attribute__((format(printf, 3, 4)))
static void say(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

/* Formats a path. Returns false when it does not fit: a cut path names
 * another file. */
__attribute__((format(printf, 3, 4)))
static bool path_fmt(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

static void set_free(struct nsset *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].path);
		free(s->v[i].name);
	}
	free(s->v);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static size_t hash_id(dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)ino ^ ((uint64_t)dev << 40)) * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20);
}

/* Rebuilds the index with nslot slots. Returns 0 or -ENOMEM (index unchanged). */
static int set_rehash(struct nsset *s, size_t nslot)
{
	size_t *slot = calloc(nslot, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		size_t j = hash_id(s->v[i].dev, s->v[i].ino) & (nslot - 1);

		while (slot[j])
			j = (j + 1) & (nslot - 1);
		slot[j] = i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->nslot = nslot;
	return 0;
}

/* Makes room for one more candidate. Returns 0 or -ENOMEM. */
static int set_reserve(struct nsset *s)
{
	struct cand *v;
	size_t ncap;

	if ((s->n + 1) * 2 > s->nslot && set_rehash(s, s->nslot ? s->nslot * 2 : 64) < 0)
		return -ENOMEM;
	if (s->n < s->cap)
		return 0;
	ncap = s->cap ? s->cap * 2 : 16;
	v = realloc(s->v, ncap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = ncap;
	return 0;
}

/* Points *out at the candidate for (dev, ino), added when new. The pointer
 * lives until the next call. Returns 0 or -ENOMEM. */
static int set_get(struct nsset *s, dev_t dev, ino_t ino, struct cand **out)
{
	size_t j;

	if (set_reserve(s) < 0)
		return -ENOMEM;
	for (j = hash_id(dev, ino) & (s->nslot - 1); s->slot[j]; j = (j + 1) & (s->nslot - 1)) {
		struct cand *c = &s->v[s->slot[j] - 1];

		if (c->dev == dev && c->ino == ino) {
			*out = c;
			return 0;
		}
	}
	*out = &s->v[s->n];
	memset(*out, 0, sizeof(**out));
	(*out)->dev = dev;
	(*out)->ino = ino;
	s->slot[j] = ++s->n;
	return 0;
}

/* Adds the nsfs inode that path leads to (anything else is ignored: a stale
 * /run/netns file left by a crash is a plain file). Returns 0 with *out NULL
 * when ignored, or -ENOMEM. */
static int set_add_path(struct nsset *s, const char *path, struct cand **out)
{
	struct stat sb;

	*out = NULL;
	if (stat(path, &sb) < 0) {
		if (errno == EACCES || errno == EPERM)
			s->denied++;
		return 0;
	}
	if (sb.st_dev != s->nsfs_dev)
		return 0;
	return set_get(s, sb.st_dev, sb.st_ino, out);
}

/* A /proc directory name -> pid: digits only, no leading zero, fits pid_t.
 * Returns 0 or -EINVAL. */
static int parse_pid(const char *name, pid_t *pid)
{
	long v = 0;

	if (name[0] < '1' || name[0] > '9')
		return -EINVAL;
	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	*pid = (pid_t)v;
	return 0;
}

/* The /proc pass: every process's namespace and the lowest pid in each.
 * Returns 0, -ENOMEM, or the -errno of opening proc_root. */
static int scan_procs(struct nsset *s, const char *proc_root)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct cand *c;
	int rc = 0;
	pid_t pid;
	DIR *d = opendir(proc_root);

	if (!d)
		return -errno;
	while (rc == 0 && (de = readdir(d))) {
		if (parse_pid(de->d_name, &pid) < 0)
			continue;
		if (!path_fmt(path, sizeof(path), "%s/%s/ns/net", proc_root, de->d_name))
			continue;
		rc = set_add_path(s, path, &c);
		if (rc == 0 && c && (c->pid == 0 || pid < c->pid))
			c->pid = pid;
	}
	closedir(d);
	return rc;
}

/* Replaces *dst by a copy of src. Returns 0 or -ENOMEM. */
static int set_string(char **dst, const char *src)
{
	char *p = strdup(src);

	if (!p)
		return -ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

/* Directories of namespace bind mounts. */
static const struct ns_dir {
	const char *dir;
	bool names;             /* the file name is what users call the namespace */
} ns_dirs[] = {
	{ "/run/netns", true },                 /* ip netns, podman/netavark, CNI */
	{ "/var/run/docker/netns", false },     /* Docker sandboxes */
};

/* Adds the namespaces mounted in root + dir. Returns 0 or -ENOMEM. */
static int scan_dir(struct nsset *s, const char *root, const struct ns_dir *nd)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	struct cand *c;
	int rc = 0;
	DIR *d;

	if (!path_fmt(dir, sizeof(dir), "%s%s", root, nd->dir))
		return 0;
	d = opendir(dir);
	if (!d)
		return 0;
	while (rc == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !path_fmt(path, sizeof(path), "%s/%s", dir, de->d_name))
			continue;
		rc = set_add_path(s, path, &c);
		if (rc < 0 || !c)
			continue;
		if (!c->path)
			rc = set_string(&c->path, path);
		/* Several names for one namespace: the smallest, so runs agree. */
		if (rc == 0 && nd->names && (!c->name || strcmp(de->d_name, c->name) < 0))
			rc = set_string(&c->name, de->d_name);
	}
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

/* Adds the nsfs network namespace mounts of the own mount namespace (rootless
 * podman keeps them in /run/user/UID/netns). Returns 0 or -ENOMEM. */
static int scan_mountinfo(struct nsset *s, const char *proc_root, const char *root)
{
	char path[PATH_MAX], *line = NULL, *mp;
	size_t cap = 0;
	struct cand *c;
	int rc = 0;
	FILE *f;

	if (!path_fmt(path, sizeof(path), "%s/self/mountinfo", proc_root))
		return 0;
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (rc == 0 && getline(&line, &cap, f) > 0) {
		mp = mountinfo_netns(line);
		if (!mp || !path_fmt(path, sizeof(path), "%s%s", root, mp))
			continue;
		rc = set_add_path(s, path, &c);
		if (rc == 0 && c && !c->path)
			rc = set_string(&c->path, path);
	}
	free(line);
	fclose(f);
	return rc;
}

/* Reads up to size - 1 bytes of a small file, NUL-terminated.
 * Returns the length or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Labels come from file names and process names: keep them printable ASCII. */
static void sanitize(char *s)
{
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
}

/* A unit or container is a useful label; a login session or a slice says
 * nothing about why the process has its own namespace. */
static bool unit_names_netns(const char *unit)
{
	size_t n = strlen(unit);

	return strchr(unit, ':') || (n > 8 && strcmp(unit + n - 8, ".service") == 0);
}

/* The container or service of pid, from the "0::" line of its cgroup file.
 * Returns 1 with out set, or 0. */
static int label_from_cgroup(const char *proc_root, pid_t pid, char *out, size_t len)
{
	char path[PATH_MAX], buf[4096], *line, *end;

	if (!path_fmt(path, sizeof(path), "%s/%d/cgroup", proc_root, (int)pid)
			|| read_small(path, buf, sizeof(buf)) < 0)
		return 0;
	for (line = buf; line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		if (strncmp(line, "0::", 3) == 0)
			return owners_unit_from_cgroup(line + 3, out, len) == 1 && unit_names_netns(out);
	}
	return 0;
}

/* "pid 1234 (comm)". Returns 1 with out set, or 0 when comm is unreadable. */
static int label_from_comm(const char *proc_root, pid_t pid, char *out, size_t len)
{
	char path[PATH_MAX], comm[17];
	ssize_t n = -1;

	if (path_fmt(path, sizeof(path), "%s/%d/comm", proc_root, (int)pid))
		n = read_small(path, comm, sizeof(comm));
	if (n < 0)
		return 0;
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = '\0';
	say(out, len, "pid %d (%s)", (int)pid, comm);
	return 1;
}

static void label_of(struct cand *c, const char *proc_root)
{
	if (c->name)
		say(c->label, sizeof(c->label), "%s", c->name);
	else if (!(c->pid > 0 && label_from_cgroup(proc_root, c->pid, c->label, sizeof(c->label)))
			&& !(c->pid > 0 && label_from_comm(proc_root, c->pid, c->label, sizeof(c->label))))
		say(c->label, sizeof(c->label), "net:[%ju]", (uintmax_t)c->ino);
	sanitize(c->label);
}

static int cand_cmp(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	int c = strcmp(a->label, b->label);

	if (c)
		return c;
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static bool label_taken(const struct cand *v, size_t n, const char *label)
{
	if (strcmp(label, "host") == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].label, label) == 0)
			return true;
	return false;
}

/* Makes the labels of v (sorted, own namespace excluded) unique: the second
 * "x" becomes "x#2", "host" is the own namespace's. Clashes are rare, so the
 * linear check per clash is fine. */
static void make_unique(struct cand *v, size_t n)
{
	char base[LABEL_LEN], next[LABEL_LEN];

	for (size_t i = 0; i < n; i++) {
		if (i > 0 && strcmp(v[i].label, v[i - 1].label) == 0)
			v[i].dup = v[i - 1].dup + 1;
		else
			v[i].dup = strcmp(v[i].label, "host") == 0 ? 2 : 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].dup == 1)
			continue;
		say(base, sizeof(base), "%s", v[i].label);
		for (unsigned k = v[i].dup;; k++) {
			int room = (int)sizeof(next) - snprintf(NULL, 0, "#%u", k) - 1;

			say(next, sizeof(next), "%.*s#%u", room, base, k);
			if (!label_taken(v, n, next))
				break;
		}
		memcpy(v[i].label, next, sizeof(next));
	}
}

/* Labels the candidates after the own one and sorts them by label. */
static void label_all(struct nsset *s, const char *proc_root)
{
	for (size_t i = 1; i < s->n; i++)
		label_of(&s->v[i], proc_root);
	qsort(s->v + 1, s->n - 1, sizeof(*s->v), cand_cmp);
	make_unique(s->v + 1, s->n - 1);
	/* The index no longer matches the sorted order. */
	free(s->slot);
	s->slot = NULL;
	s->nslot = 0;
}

/* The system root that holds proc_root: "/proc" -> "", "/tmp/t/proc" -> "/tmp/t". */
static void root_of(const char *proc_root, char *out, size_t len)
{
	size_t n = strlen(proc_root);

	while (n > 1 && proc_root[n - 1] == '/')
		n--;
	while (n > 0 && proc_root[n - 1] != '/')
		n--;
	while (n > 0 && proc_root[n - 1] == '/')
		n--;
	say(out, len, "%.*s", (int)n, proc_root);
}

/* Fills s with the own namespace (own_fd) at index 0 and every other one.
 * Returns 0 or -ENOMEM; a /proc that cannot be listed is put in why. */
static int enumerate(struct nsset *s, const char *proc_root, int own_fd, char *why, size_t whylen)
{
	char root[PATH_MAX];
	struct stat sb;
	struct cand *c;
	int rc;

	if (fstat(own_fd, &sb) < 0)
		return -errno;
	s->nsfs_dev = sb.st_dev;
	if (set_get(s, sb.st_dev, sb.st_ino, &c) < 0)
		return -ENOMEM;
	rc = scan_procs(s, proc_root);
	if (rc < 0 && rc != -ENOMEM) {
		say(why, whylen, "cannot list %s: %s", proc_root, strerror(-rc));
		rc = 0;
	}
	root_of(proc_root, root, sizeof(root));
	for (size_t i = 0; rc == 0 && i < sizeof(ns_dirs) / sizeof(ns_dirs[0]); i++)
		rc = scan_dir(s, root, &ns_dirs[i]);
	return rc ? rc : scan_mountinfo(s, proc_root, root);
}

static int open_cand(const struct cand *c, const char *proc_root)
{
	char path[PATH_MAX];

	if (c->path)
		return open(c->path, O_RDONLY | O_CLOEXEC);
	if (!path_fmt(path, sizeof(path), "%s/%d/ns/net", proc_root, (int)c->pid)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* False when fd is known to be another kind of namespace; kernels without
 * NS_GET_NSTYPE (before 4.11) leave it to setns() to fail with EINVAL. */
static bool is_netns(int fd)
{
#ifdef NS_GET_NSTYPE
	int t = ioctl(fd, NS_GET_NSTYPE);

	return t < 0 || t == CLONE_NEWNET;
#else
	(void)fd;
	return true;
#endif
}

/* Classifies the errno of open() or setns() on a namespace. */
static enum outcome entry_failed(int e, const struct cand *c, char *why, size_t whylen)
{
	if (e == ENOENT || e == ESRCH || e == EINVAL)
		return NS_GONE;         /* vanished, or not a network namespace */
	if (e == EPERM || e == EACCES)
		say(why, whylen, "%s", PRIV_REASON);
	else
		say(why, whylen, "cannot enter %s: %s", c->label, strerror(e));
	return NS_SKIPPED;
}

/* Removes the namespace idx (the last one) and the sockets added since before. */
static void drop_netns(struct inventory *inv, size_t idx, size_t before)
{
	inv->nsocks = before;
	free(inv->ns[idx].reserved);
	inv->ns[idx].reserved = NULL;
	inv->nns = idx;
}

/* Dumps the namespace behind fd. Returns NS_CHECKED or NS_SKIPPED (why set),
 * or -errno when we could not get back home (x->err set) or ran out of memory. */
static int dump_in(struct inventory *inv, const struct cand *c, int fd, const struct ctx *x,
		char *why, size_t whylen)
{
	size_t before = inv->nsocks;
	int idx, rc, erc = 0;
	char e[256];

	idx = inv_add_netns(inv, c->label);
	if (idx < 0)
		goto nomem;
	if (setns(fd, CLONE_NEWNET) < 0) {
		rc = errno;
		drop_netns(inv, (size_t)idx, before);
		return (int)entry_failed(rc, c, why, whylen);
	}
	rc = nl_collect(inv, (uint32_t)idx, x->timeout_ms, e, sizeof(e));
	if (rc == 0)
		erc = ephemeral_read(x->proc_root, &inv->ns[idx]);
	if (setns(x->own_fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		say(x->err, x->errlen, "cannot return to the own network namespace after "
				"entering %s: %s", c->label, strerror(-rc));
		return rc;
	}
	if (rc < 0 || erc < 0)
		drop_netns(inv, (size_t)idx, before);
	if (erc < 0)
		goto nomem;
	if (rc < 0) {
		say(why, whylen, "%s: %s", c->label, e);
		return NS_SKIPPED;
	}
	return NS_CHECKED;
nomem:
	say(x->err, x->errlen, "out of memory checking network namespace %s", c->label);
	return -ENOMEM;
}

/* Opens, checks and dumps one namespace. Returns an outcome or -errno (fatal). */
static int visit(struct inventory *inv, const struct cand *c, const struct ctx *x,
		char *why, size_t whylen)
{
	struct stat sb;
	int rc, fd = open_cand(c, x->proc_root);

	if (fd < 0)
		return (int)entry_failed(errno, c, why, whylen);
	/* The pid may have been reused by a process living elsewhere. */
	if (fstat(fd, &sb) < 0 || sb.st_dev != c->dev || sb.st_ino != c->ino || !is_netns(fd))
		rc = NS_GONE;
	else
		rc = dump_in(inv, c, fd, x, why, whylen);
	close(fd);
	return rc;
}

/* Counts one outcome; the first reason for a skip is kept. */
static void tally(struct ns_stats *st, enum outcome o, const char *why)
{
	if (o == NS_CHECKED) {
		st->checked++;
	} else if (o == NS_SKIPPED) {
		st->skipped++;
		if (!st->skipped_reason[0])
			say(st->skipped_reason, sizeof(st->skipped_reason), "%s", why);
	} else {
		st->found--;
	}
}

/* Processes whose namespace we could not even see: say so, since a namespace
 * used only by them was neither found nor skipped. Returns 0 or -ENOMEM. */
static int report_denied(struct inventory *inv, struct ns_stats *st, unsigned denied)
{
	const char *es = denied == 1 ? "" : "es";

	if (!denied)
		return 0;
	if (!st->skipped_reason[0])
		say(st->skipped_reason, sizeof(st->skipped_reason), "no privilege to see the "
				"network namespace of %u process%s (needs ptrace access; run via sudo)",
				denied, es);
	return inv_note(inv, "namespaces: the network namespace of %u process%s could not be "
			"read (no privilege)", denied, es);
}

static int collect_others(struct inventory *inv, struct ctx *x, struct ns_stats *st)
{
	struct nsset s = { 0 };
	char path[PATH_MAX], why[sizeof(st->skipped_reason)] = "";
	int rc;

	x->own_fd = -1;
	if (path_fmt(path, sizeof(path), "%s/self/ns/net", x->proc_root))
		x->own_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (x->own_fd < 0) {
		say(st->skipped_reason, sizeof(st->skipped_reason),
				"cannot open %s: %s", path, strerror(errno));
		rc = inv_note(inv, "namespaces: other network namespaces not searched: %s",
				st->skipped_reason);
		return rc < 0 ? rc : 0;
	}
	rc = enumerate(&s, x->proc_root, x->own_fd, st->skipped_reason, sizeof(st->skipped_reason));
	if (rc < 0) {
		say(x->err, x->errlen, "cannot list network namespaces: %s", strerror(-rc));
		goto out;
	}
	label_all(&s, x->proc_root);
	st->found = (unsigned)(s.n - 1);
	for (size_t i = 1; i < s.n; i++) {
		why[0] = '\0';
		rc = visit(inv, &s.v[i], x, why, sizeof(why));
		if (rc < 0)
			goto out;
		tally(st, (enum outcome)rc, why);
	}
	rc = report_denied(inv, st, s.denied);
	if (rc < 0)
		say(x->err, x->errlen, "out of memory");
out:
	close(x->own_fd);
	set_free(&s);
	return rc < 0 ? rc : 0;
}

int ns_collect(struct inventory *inv, bool all, const char *proc_root, int timeout_ms,
		struct ns_stats *st, char *err, size_t errlen)
{
	struct ctx x = { proc_root, -1, timeout_ms, err, errlen };
	struct ns_stats local;
	int idx, rc;

	if (!st)
		st = &local;
	memset(st, 0, sizeof(*st));
	if (errlen)
		err[0] = '\0';
	idx = inv_add_netns(inv, "host");
	if (idx < 0) {
		say(err, errlen, "out of memory");
		return idx;
	}
	rc = nl_collect(inv, (uint32_t)idx, timeout_ms, err, errlen);
	if (rc < 0)
		return rc;
	if (ephemeral_read(proc_root, &inv->ns[idx]) < 0) {
		say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return all ? collect_others(inv, &x, st) : 0;
}
