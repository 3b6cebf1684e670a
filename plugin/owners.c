/* owners: who holds each listener.
 *
 * Cheap first (owners_resolve_cheap): the user from the socket uid, the unit
 * from the socket's cgroup id. Then (owners_scan) a walk of /proc/PID/fd for
 * only the wanted listeners' socket inodes, newest pid first, ending as soon
 * as every wanted inode has a holder: a full walk costs 4-13 us per fd.
 * Everything read from /proc is kept as raw bytes; the report escapes it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "owners.h"

#define SOCK_PREFIX "socket:["
#define DELETED_SUFFIX " (deleted)"
#define CLOCK_EVERY 64          /* procs between deadline checks */
#define STAT_MAX 4096           /* a /proc/PID/stat line is about 1 KiB at most */
#define CAP_SYS_PTRACE_BIT 19

/* ---- strict parsers --------------------------------------------------- */

/* Decimal digits only, whole span, no sign, at most max. */
static int parse_dec(const char *s, size_t len, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int owners_parse_socket_link(const char *link, uint32_t *inode)
{
	const size_t pre = strlen(SOCK_PREFIX);
	unsigned long long v;
	size_t len;

	if (!link || strncmp(link, SOCK_PREFIX, pre) != 0)
		return -EINVAL;
	len = strlen(link + pre);
	if (len < 2 || link[pre + len - 1] != ']')
		return -EINVAL;
	if (parse_dec(link + pre, len - 1, UINT32_MAX, &v) < 0)
		return -EINVAL;
	*inode = (uint32_t)v;
	return 0;
}

/* The comm field (2) may hold anything, but nothing after it holds a ')'. */
int owners_parse_starttime(const char *stat, unsigned long long *starttime)
{
	const char *p = stat ? strrchr(stat, ')') : NULL;

	if (!p)
		return -EINVAL;
	p++;
	for (int field = 3; field <= 22; field++) {
		size_t n;

		if (*p != ' ')
			return -EINVAL;
		p++;
		n = strcspn(p, " \n");
		if (field == 22)
			return parse_dec(p, n, ULLONG_MAX, starttime);
		if (n == 0)
			return -EINVAL;
		p += n;
	}
	return -EINVAL;
}

/* ---- user names ------------------------------------------------------- */

struct user_ent {
	uint32_t uid;
	char name[sizeof(((struct owner *)0)->user)];
};

struct user_cache {
	struct user_ent *e;
	size_t n, cap;
};

/* The name of uid, or the uid in decimal when unknown or too long to store. */
static void lookup_user(uint32_t uid, char *out, size_t outlen)
{
	struct passwd pw, *res = NULL;
	size_t blen = 1024;
	char *buf = NULL;
	int rc = ERANGE;

	while (rc == ERANGE && blen <= (1u << 20)) {
		char *nb = realloc(buf, blen);

		if (!nb)
			break;
		buf = nb;
		rc = getpwuid_r((uid_t)uid, &pw, buf, blen, &res);
		blen *= 2;
	}
	if (rc != 0 || !res || strlen(res->pw_name) >= outlen)
		snprintf(out, outlen, "%u", (unsigned)uid);
	else
		memcpy(out, res->pw_name, strlen(res->pw_name) + 1);
	free(buf);
}

/* Returns the cached name of uid, looking it up once; NULL on ENOMEM. */
static const char *user_cached(struct user_cache *c, uint32_t uid)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i].uid == uid)
			return c->e[i].name;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct user_ent *e = realloc(c->e, cap * sizeof(*e));

		if (!e)
			return NULL;
		c->e = e;
		c->cap = cap;
	}
	c->e[c->n].uid = uid;
	lookup_user(uid, c->e[c->n].name, sizeof(c->e[c->n].name));
	return c->e[c->n++].name;
}

static int resolve_users(struct inventory *inv)
{
	struct user_cache c = { NULL, 0, 0 };
	int err = 0;

	for (size_t i = 0; i < inv->nls && !err; i++) {
		struct owner *o = &inv->ls[i].owner;
		const char *name = user_cached(&c, inv->ls[i].s.uid);

		if (!name)
			err = -ENOMEM;
		else
			memcpy(o->user, name, strlen(name) + 1);
	}
	free(c.e);
	return err;
}

int owners_resolve_cheap(struct inventory *inv, const bool *want, const struct owners_env *env)
{
	int err = resolve_users(inv);

	return err ? err : cgroups_resolve_units(inv, want, env ? env->cgroup_root : NULL);
}

static bool wanted(const bool *want, size_t i)
{
	return !want || want[i];
}

/* ---- the wanted-inode set: open addressing, linear probing ------------ */

struct islot {
	uint32_t inode;         /* 0 = empty: sock_diag never reports inode 0 for a holder */
	uint32_t holders;       /* processes seen holding it */
	size_t li;              /* its listener */
};

struct iset {
	struct islot *slot;
	size_t mask, n, found;
};

static size_t ihash(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

static struct islot *iset_find(const struct iset *s, uint32_t inode)
{
	for (size_t i = ihash(inode) & s->mask;; i = (i + 1) & s->mask) {
		if (s->slot[i].inode == inode)
			return &s->slot[i];
		if (s->slot[i].inode == 0)
			return NULL;
	}
}

/* Adds inode for listener li; an inode already present keeps its first listener. */
static void iset_add(struct iset *s, uint32_t inode, size_t li)
{
	size_t i = ihash(inode) & s->mask;

	if (inode == 0)
		return;
	while (s->slot[i].inode != 0 && s->slot[i].inode != inode)
		i = (i + 1) & s->mask;
	if (s->slot[i].inode == 0) {
		s->slot[i] = (struct islot){ inode, 0, li };
		s->n++;
	}
}

/* Capacity: a power of two at least twice the sockets, so probes stay short. */
static int iset_init(struct iset *s, size_t nsocks)
{
	size_t cap = 16;

	while (cap < 2 * nsocks)
		cap *= 2;
	*s = (struct iset){ calloc(cap, sizeof(struct islot)), cap - 1, 0, 0 };
	return s->slot ? 0 : -ENOMEM;
}

/* ---- scan state --------------------------------------------------------- */

struct proc_info {
	pid_t pid;
	char comm[sizeof(((struct owner *)0)->comm)];
	char *exe;
	bool exe_deleted;
	char *cgpath;           /* "0::" path; NULL when not read or unreadable */
};

struct holder {
	size_t li;
	pid_t pid;
	size_t proc;            /* index into scan.procs */
};

struct scan {
	struct inventory *inv;
	const struct owners_env *env;
	struct owners_stats st;
	struct iset set;
	int procfd;
	struct islot **hits;    /* this pid's wanted sockets (scratch) */
	size_t nhits, caphits;
	struct holder *h;
	size_t nh, caph;
	struct proc_info *procs;
	size_t nprocs, capprocs;
};

/* Makes room for one more element in *arr (never p = realloc(p, n)). */
static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static void scan_free(struct scan *sc)
{
	for (size_t i = 0; i < sc->nprocs; i++) {
		free(sc->procs[i].exe);
		free(sc->procs[i].cgpath);
	}
	free(sc->procs);
	free(sc->h);
	free(sc->hits);
	free(sc->set.slot);
	if (sc->procfd >= 0)
		close(sc->procfd);
}

/* ---- reading one process ---------------------------------------------- */

/* Reads at most size-1 bytes of dirfd/name, NUL-terminated. Length or -errno. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t len = 0;
	ssize_t r = 0;

	if (fd < 0)
		return -errno;
	while (len + 1 < size && (r = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	r = r < 0 ? -errno : (ssize_t)len;
	close(fd);
	buf[len] = '\0';
	return r;
}

static int read_starttime(int pidfd, unsigned long long *start)
{
	char buf[STAT_MAX];
	ssize_t n = read_at(pidfd, "stat", buf, sizeof(buf));

	return n < 0 ? (int)n : owners_parse_starttime(buf, start);
}

static void read_comm(int pidfd, struct proc_info *p)
{
	char buf[64];
	ssize_t n = read_at(pidfd, "comm", buf, sizeof(buf));
	size_t len;

	if (n <= 0)
		return;
	len = (size_t)n;
	if (buf[len - 1] == '\n')       /* the kernel's terminator, not the name's */
		len--;
	if (len >= sizeof(p->comm))
		len = sizeof(p->comm) - 1;
	memcpy(p->comm, buf, len);
	p->comm[len] = '\0';
}

/* " (deleted)" is how the kernel marks an unlinked binary (an upgrade not yet
 * restarted into). A binary really named "x (deleted)" reads the same. */
static int read_exe(int pidfd, struct proc_info *p)
{
	char buf[PATH_MAX + sizeof(DELETED_SUFFIX)];
	size_t sl = strlen(DELETED_SUFFIX);
	ssize_t n = readlinkat(pidfd, "exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;               /* kernel thread, or no ptrace access */
	buf[n] = '\0';
	if ((size_t)n > sl && strcmp(buf + n - sl, DELETED_SUFFIX) == 0) {
		buf[n - sl] = '\0';
		p->exe_deleted = true;
	}
	p->exe = strdup(buf);
	return p->exe ? 0 : -ENOMEM;
}

static bool hits_need_unit(const struct scan *sc)
{
	for (size_t i = 0; i < sc->nhits; i++)
		if (!sc->inv->ls[sc->hits[i]->li].owner.unit_checked)
			return true;
	return false;
}

/* Reads the identity of a process that holds wanted sockets. starttime is
 * read before and after: a change (or a vanished process) means the pid was
 * reused meanwhile and what we read may be another process's. Returns 1 to
 * keep, 0 to drop, -ENOMEM. */
static int read_identity(struct scan *sc, int pidfd, struct proc_info *p)
{
	unsigned long long t0, t1;
	int err;

	if (read_starttime(pidfd, &t0) < 0)
		return 0;
	read_comm(pidfd, p);
	err = read_exe(pidfd, p);
	if (!err && hits_need_unit(sc))
		err = cgroups_read_proc(pidfd, &p->cgpath);
	if (err)
		return err;
	return read_starttime(pidfd, &t1) == 0 && t0 == t1;
}

/* Records the pid's hits as holders. Returns 0 or -ENOMEM. */
static int commit_pid(struct scan *sc, int pidfd, pid_t pid)
{
	struct proc_info p = { .pid = pid };
	int keep = read_identity(sc, pidfd, &p);

	if (keep == 1 && grow((void **)&sc->procs, &sc->capprocs, sc->nprocs, sizeof(p)) < 0)
		keep = -ENOMEM;
	if (keep != 1) {
		free(p.exe);
		free(p.cgpath);
		return keep < 0 ? keep : 0;
	}
	sc->procs[sc->nprocs++] = p;
	for (size_t i = 0; i < sc->nhits; i++) {
		if (grow((void **)&sc->h, &sc->caph, sc->nh, sizeof(*sc->h)) < 0)
			return -ENOMEM;
		sc->h[sc->nh++] = (struct holder){ sc->hits[i]->li, pid, sc->nprocs - 1 };
		if (sc->hits[i]->holders++ == 0)
			sc->set.found++;
	}
	return 0;
}

/* Collects the wanted sockets among the open fds of fdfd (closed here).
 * Returns 0, 1 when the fds could not be read (denied), or -ENOMEM. */
static int collect_hits(struct scan *sc, int fdfd)
{
	DIR *d = fdopendir(fdfd);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		close(fdfd);
		return 1;
	}
	while (rc == 0 && (e = readdir(d))) {
		char link[64];
		ssize_t n;
		struct islot *s;
		uint32_t ino;

		if (e->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (n < 0) {
			/* ENOENT: the fd closed meanwhile; EACCES: no ptrace access. */
			rc = errno == EACCES ? 1 : 0;
			continue;
		}
		link[n] = '\0';
		if (owners_parse_socket_link(link, &ino) < 0 || !(s = iset_find(&sc->set, ino)))
			continue;
		if (grow((void **)&sc->hits, &sc->caphits, sc->nhits, sizeof(*sc->hits)) < 0)
			rc = -ENOMEM;
		else
			sc->hits[sc->nhits++] = s;
	}
	closedir(d);
	return rc;
}

static bool gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* Scans one pid. Returns 0 or -ENOMEM. */
static int scan_pid(struct scan *sc, pid_t pid)
{
	char name[16];
	int pidfd, fdfd, rc = 0;

	snprintf(name, sizeof(name), "%d", (int)pid);
	pidfd = openat(sc->procfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (pidfd < 0) {
		sc->st.procs_denied += !gone(errno);
		return 0;
	}
	fdfd = openat(pidfd, "fd", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fdfd < 0) {
		sc->st.procs_denied += !gone(errno);
		close(pidfd);
		return 0;
	}
	sc->st.procs_scanned++;
	sc->nhits = 0;
	rc = collect_hits(sc, fdfd);
	if (rc == 1)
		sc->st.procs_denied++;
	if (rc >= 0 && sc->nhits)
		rc = commit_pid(sc, pidfd, pid);
	close(pidfd);
	return rc < 0 ? rc : 0;
}

/* ---- the walk ----------------------------------------------------------- */

static int cmp_pid_desc(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y) - (x > y);
}

/* The numeric entries of proc_root, highest first. Returns 0, 1 when the
 * directory cannot be listed, or -ENOMEM. */
static int list_pids(int procfd, pid_t **out, size_t *n)
{
	int fd = dup(procfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	size_t cap = 0;
	struct dirent *e;
	int err = 0;

	*out = NULL;
	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	while (!err && (e = readdir(d))) {
		unsigned long long v;

		if (e->d_name[0] == '0' || parse_dec(e->d_name, strlen(e->d_name), INT_MAX, &v) < 0)
			continue;
		err = grow((void **)out, &cap, *n, sizeof(**out));
		if (!err)
			(*out)[(*n)++] = (pid_t)v;
	}
	closedir(d);
	if (!err && *n)
		qsort(*out, *n, sizeof(**out), cmp_pid_desc);
	return err;
}

static bool past_deadline(const struct owners_env *env)
{
	struct timespec now;

	if (env->deadline.tv_sec == 0 && env->deadline.tv_nsec == 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > env->deadline.tv_sec ||
		(now.tv_sec == env->deadline.tv_sec && now.tv_nsec >= env->deadline.tv_nsec);
}

static int walk_procs(struct scan *sc)
{
	pid_t *pids;
	size_t n;
	int err = list_pids(sc->procfd, &pids, &n);

	if (err == 1) {
		sc->st.procs_denied++;
		return 0;
	}
	for (size_t i = 0; !err && i < n && sc->set.found < sc->set.n; i++) {
		if (i % CLOCK_EVERY == 0 && past_deadline(sc->env)) {
			sc->st.out_of_time = true;
			break;
		}
		err = scan_pid(sc, pids[i]);
	}
	free(pids);
	return err;
}

/* ---- hidepid -------------------------------------------------------------- */

/* hidepid values that make processes invisible (2/invisible, 4/ptraceable).
 * 1/noaccess keeps them listed and shows up as procs_denied instead. */
static const char *const hiding_values[] = { "2", "invisible", "4", "ptraceable" };

static bool opts_hide(const char *opts)
{
	const char *p = strstr(opts, "hidepid=");

	/* Options are comma-separated; match the value up to the next comma. */
	while (p && p != opts && p[-1] != ',')
		p = strstr(p + 1, "hidepid=");
	if (!p)
		return false;
	p += strlen("hidepid=");
	for (size_t i = 0; i < sizeof(hiding_values) / sizeof(hiding_values[0]); i++) {
		size_t n = strlen(hiding_values[i]);

		if (strncmp(p, hiding_values[i], n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* For a mountinfo line of the mount at root: 1 when its hidepid hides
 * processes, else 0; -1 for a line of another mount point. The mount point
 * is compared as mountinfo prints it (octal escapes not undone). */
static int line_hides(char *line, const char *root)
{
	char *save = NULL, *sep = strstr(line, " - "), *tok, *opts = NULL;

	if (!sep)
		return -1;
	*sep = '\0';
	tok = strtok_r(line, " ", &save);
	for (int i = 1; tok && i < 5; i++)
		tok = strtok_r(NULL, " ", &save);
	if (!tok || strcmp(tok, root) != 0)
		return -1;
	save = NULL;
	tok = strtok_r(sep + 3, " \n", &save);         /* fstype */
	if (tok && strtok_r(NULL, " \n", &save))       /* source */
		opts = strtok_r(NULL, " \n", &save);
	return opts && opts_hide(opts);
}

/* CapEff of this process (as proc_root/self sees it) has CAP_SYS_PTRACE,
 * which makes hidepid hide nothing from us. Unreadable: assume not. */
static bool have_ptrace_cap(int procfd)
{
	char buf[STAT_MAX], *p;
	unsigned long long caps;
	size_t n;

	if (read_at(procfd, "self/status", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, "\nCapEff:")))
		return false;
	p += strlen("\nCapEff:");
	p += strspn(p, " \t");
	n = strspn(p, "0123456789abcdef");
	if (n == 0 || n > 16)
		return false;
	caps = strtoull(p, NULL, 16);
	return (caps >> CAP_SYS_PTRACE_BIT) & 1;
}

/* Simple and documented: hidden when the last mount at proc_root in
 * proc_root/self/mountinfo has hidepid=2/invisible/4/ptraceable and we lack
 * CAP_SYS_PTRACE. A gid= exemption is not honoured: we may say "hidden" when
 * we can see everything, which only turns KERNEL into DENIED. */
static bool proc_hides(int procfd, const char *proc_root)
{
	char root[PATH_MAX];
	size_t len = strlen(proc_root);
	int fd = openat(procfd, "self/mountinfo", O_RDONLY | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	bool hides = false;

	if (!f) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (len > 1 && proc_root[len - 1] == '/')
		len--;
	snprintf(root, sizeof(root), "%.*s", (int)len, proc_root);
	while (getline(&line, &cap, f) > 0) {
		int h = line_hides(line, root);

		hides = h < 0 ? hides : h == 1;
	}
	free(line);
	fclose(f);
	return hides && !have_ptrace_cap(procfd);
}

/* ---- results -------------------------------------------------------------- */

static int cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->li != y->li)
		return (x->li > y->li) - (x->li < y->li);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* h[0..n) are l's holders sorted by pid, possibly repeated (one per socket). */
static int assign_holders(const struct scan *sc, struct listener *l, const struct holder *h, size_t n)
{
	struct owner *o = &l->owner;
	const struct holder *show = &h[0];
	const struct proc_info *p;
	size_t k = 0;
	pid_t *pids = malloc(n * sizeof(*pids));

	if (!pids)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (k == 0 || pids[k - 1] != h[i].pid)
			pids[k++] = h[i].pid;
		if (show->pid == 1 && h[i].pid != 1)
			show = &h[i];   /* systemd socket activation keeps it in pid 1 too */
	}
	p = &sc->procs[show->proc];
	free(o->pids);
	free(o->exe);
	o->state = OWNER_PROCESS;
	o->pid = show->pid;
	o->pids = pids;
	o->npids = k;
	o->exe = NULL;
	o->exe_deleted = p->exe_deleted;
	memcpy(o->comm, p->comm, sizeof(o->comm));
	if (p->exe && !(o->exe = strdup(p->exe)))
		return -ENOMEM;
	return !o->unit_checked && p->cgpath ? cgroups_set_unit(o, p->cgpath) : 0;
}

static int finish(struct scan *sc, const bool *want)
{
	struct owners_stats *st = &sc->st;
	bool all_seen = !st->out_of_time && st->procs_denied == 0 && !st->hidden_procs;
	size_t j = 0;
	int err = 0;

	if (sc->nh)
		qsort(sc->h, sc->nh, sizeof(*sc->h), cmp_holder);
	for (size_t i = 0; i < sc->inv->nls && !err; i++) {
		struct owner *o = &sc->inv->ls[i].owner;
		size_t k;

		if (!wanted(want, i) || o->state != OWNER_UNRESOLVED)
			continue;
		while (j < sc->nh && sc->h[j].li < i)
			j++;
		for (k = j; k < sc->nh && sc->h[k].li == i; k++)
			;
		if (k > j) {
			err = assign_holders(sc, &sc->inv->ls[i], &sc->h[j], k - j);
			st->found++;
		} else {
			o->state = all_seen ? OWNER_KERNEL : OWNER_DENIED;
		}
		j = k;
	}
	return err;
}

/* Puts every socket of the wanted unresolved listeners in the set. */
static int want_inodes(struct scan *sc, const bool *want)
{
	const struct inventory *inv = sc->inv;
	size_t nsocks = 0;
	int err;

	for (size_t i = 0; i < inv->nls; i++)
		if (wanted(want, i) && inv->ls[i].owner.state == OWNER_UNRESOLVED) {
			nsocks += inv->ls[i].count;
			sc->st.wanted++;
		}
	if ((err = iset_init(&sc->set, nsocks)) < 0)
		return err;
	for (size_t i = 0; i < inv->nls; i++) {
		const struct listener *l = &inv->ls[i];

		if (!wanted(want, i) || l->owner.state != OWNER_UNRESOLVED)
			continue;
		for (size_t s = l->first; s < l->first + l->count && s < inv->nsocks; s++)
			iset_add(&sc->set, inv->socks[s].inode, i);
	}
	return 0;
}

/* Holders found before the early stop are all listed; a holder the walk had
 * not reached yet (e.g. pid 1 of a socket-activated service, reached last)
 * is not. A /proc that cannot be opened counts as one denied process. */
int owners_scan(struct inventory *inv, const bool *want, const struct owners_env *env,
		struct owners_stats *st)
{
	static const struct owners_env defaults = { "/proc", NULL, { 0, 0 } };
	struct scan sc = { .inv = inv, .env = env ? env : &defaults, .procfd = -1 };
	const char *proc_root = sc.env->proc_root ? sc.env->proc_root : "/proc";
	int err = want_inodes(&sc, want);

	if (err || sc.st.wanted == 0)
		goto out;
	sc.procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc.procfd < 0)
		sc.st.procs_denied++;
	else
		sc.st.hidden_procs = proc_hides(sc.procfd, proc_root);
	if (sc.procfd >= 0)
		err = walk_procs(&sc);
	if (!err)
		err = finish(&sc, want);
out:
	if (st)
		*st = sc.st;
	scan_free(&sc);
	return err;
}
