/* owners: who holds each listener.
 *
 * Cheap first (owners_resolve_cheap): the user from the socket uid, the unit
 * from the socket's cgroup id. Then (owners_scan) a walk of /proc/PID/fd for
 * only the wanted listeners' socket inodes, newest pid first, ending as soon
 * as every wanted inode has a holder: a full walk costs 4-13 us per fd.
 * Everything read from /proc is kept as raw bytes; the report escapes it.
 * The reads themselves (fd links, comm, exe, our capabilities) are procfs.c's.
 */
#include "owners.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "procfs.h"
#include "util.h"

#define CLOCK_EVERY 64          /* procs between deadline checks */

/* ---- user names ------------------------------------------------------- */

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

static bool wanted(const bool *want, size_t i)
{
	return !want || want[i];
}

/* The inventory's uid table gets the uid of every listener (of the wanted
 * ones unless all), each looked up once. */
static int resolve_users(struct inventory *inv, const bool *want, bool all)
{
	char name[sizeof(((struct uid_name *)0)->name)];
	uint32_t last = 0;
	bool any = false;
	int err = 0;

	for (size_t i = 0; i < inv->nls && !err; i++) {
		uint32_t uid = inv->ls[i].s->uid;

		if (!all && !wanted(want, i))
			continue;
		if (any && uid == last)
			continue;
		any = true;
		last = uid;
		if (inv_user(inv, uid))
			continue;
		lookup_user(uid, name, sizeof(name));
		err = inv_set_user(inv, uid, name);
	}
	return err;
}

int owners_resolve_cheap(struct inventory *inv, const bool *want, bool all_users,
		const struct owners_env *env)
{
	int err = resolve_users(inv, want, all_users);

	return err ? err : cgroups_resolve_units(inv, want, env ? env->cgroup_root : NULL);
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

static bool hits_need_unit(const struct scan *sc)
{
	for (size_t i = 0; i < sc->nhits; i++)
		if (!listener_owner(sc->inv, &sc->inv->ls[sc->hits[i]->li])->unit_checked)
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

	if (procfs_read_starttime(pidfd, &t0) < 0)
		return 0;
	procfs_read_comm(pidfd, p->comm, sizeof(p->comm));
	err = procfs_read_exe(pidfd, &p->exe, &p->exe_deleted);
	if (!err && hits_need_unit(sc))
		err = cgroups_read_proc(pidfd, &p->cgpath);
	if (err)
		return err;
	return procfs_read_starttime(pidfd, &t1) == 0 && t0 == t1;
}

/* Records the pid's hits as holders. Returns 0 or -ENOMEM. */
static int commit_pid(struct scan *sc, int pidfd, pid_t pid)
{
	struct proc_info p = { .pid = pid };
	int keep = read_identity(sc, pidfd, &p);

	if (keep == 1 && util_grow((void **)&sc->procs, &sc->capprocs, sc->nprocs, sizeof(p), 16) < 0)
		keep = -ENOMEM;
	if (keep != 1) {
		free(p.exe);
		free(p.cgpath);
		return keep < 0 ? keep : 0;
	}
	sc->procs[sc->nprocs++] = p;
	for (size_t i = 0; i < sc->nhits; i++) {
		if (util_grow((void **)&sc->h, &sc->caph, sc->nh, sizeof(*sc->h), 16) < 0)
			return -ENOMEM;
		sc->h[sc->nh++] = (struct holder){ sc->hits[i]->li, pid, sc->nprocs - 1 };
		if (sc->hits[i]->holders++ == 0)
			sc->set.found++;
	}
	return 0;
}

/* procfs_sock_fn: keeps the wanted sockets among this pid's fds as hits. */
static int add_hit(uint32_t inode, void *arg)
{
	struct scan *sc = arg;
	struct islot *s = iset_find(&sc->set, inode);

	if (!s)
		return 0;
	if (util_grow((void **)&sc->hits, &sc->caphits, sc->nhits, sizeof(*sc->hits), 16) < 0)
		return -ENOMEM;
	sc->hits[sc->nhits++] = s;
	return 0;
}

static bool gone(int err)
{
	return err == -ENOENT || err == -ESRCH;
}

/* Counts a process whose fds we could not read and remembers the first one,
 * so that the message can name it (pidfd -1: its directory was unreadable). */
static void note_denied(struct scan *sc, int pidfd, pid_t pid)
{
	sc->st.procs_denied++;
	if (sc->st.denied_pid != 0)
		return;
	sc->st.denied_pid = pid;
	if (pidfd >= 0)
		procfs_read_comm(pidfd, sc->st.denied_comm, sizeof(sc->st.denied_comm));
}

/* Scans one pid. Returns 0 or -ENOMEM. */
static int scan_pid(struct scan *sc, pid_t pid)
{
	int pidfd = procfs_open_pid(sc->procfd, pid), fdfd, rc;

	if (pidfd < 0) {
		if (!gone(pidfd))
			note_denied(sc, -1, pid);
		return 0;
	}
	fdfd = procfs_open_fds(pidfd);
	if (fdfd < 0) {
		if (!gone(fdfd))
			note_denied(sc, pidfd, pid);
		close(pidfd);
		return 0;
	}
	sc->st.procs_scanned++;
	sc->nhits = 0;
	rc = procfs_fd_sockets(fdfd, add_hit, sc);
	if (rc == 1)
		note_denied(sc, pidfd, pid);
	if (rc >= 0 && sc->nhits)
		rc = commit_pid(sc, pidfd, pid);
	close(pidfd);
	return rc < 0 ? rc : 0;
}

/* ---- the walk ----------------------------------------------------------- */

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
	int err = procfs_list_pids(sc->procfd, &pids, &n);

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

static bool has_cap(uint64_t caps, unsigned bit)
{
	return (caps >> bit) & 1;
}

/* Unreadable capabilities count as none. hidepid hides nothing from
 * CAP_SYS_PTRACE. A gid= exemption is not honoured: we may say "hidden" when
 * we can see everything, which only turns KERNEL into DENIED. */
static void read_privilege(struct scan *sc, const char *proc_root)
{
	uint64_t caps = 0;

	if (procfs_cap_eff(sc->procfd, &caps) < 0)
		caps = 0;
	sc->st.privileged = has_cap(caps, PROCFS_CAP_DAC_READ_SEARCH) &&
		has_cap(caps, PROCFS_CAP_SYS_PTRACE);
	sc->st.hidden_procs = !has_cap(caps, PROCFS_CAP_SYS_PTRACE) &&
		procfs_hidepid_hides(sc->procfd, proc_root);
}

/* ---- results -------------------------------------------------------------- */

static int cmp_holder(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->li != y->li)
		return (x->li > y->li) - (x->li < y->li);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* h[0..n) are o's holders sorted by pid, possibly repeated (one per socket). */
static int assign_holders(const struct scan *sc, struct owner *o, const struct holder *h, size_t n)
{
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
		struct owner *o;
		size_t k;

		if (!wanted(want, i) || listener_owner(sc->inv, &sc->inv->ls[i])->state != OWNER_UNRESOLVED)
			continue;
		if (!(o = inv_owner(sc->inv, i)))
			return -ENOMEM;
		while (j < sc->nh && sc->h[j].li < i)
			j++;
		for (k = j; k < sc->nh && sc->h[k].li == i; k++)
			;
		if (k > j) {
			err = assign_holders(sc, o, &sc->h[j], k - j);
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
		if (wanted(want, i) && listener_owner(inv, &inv->ls[i])->state == OWNER_UNRESOLVED) {
			nsocks += inv->ls[i].count;
			sc->st.wanted++;
		}
	if ((err = iset_init(&sc->set, nsocks)) < 0)
		return err;
	for (size_t i = 0; i < inv->nls; i++) {
		const struct listener *l = &inv->ls[i];

		if (!wanted(want, i) || listener_owner(inv, l)->state != OWNER_UNRESOLVED)
			continue;
		for (size_t s = 0; s < l->count; s++)
			iset_add(&sc->set, l->s[s].inode, i);
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
	if (sc.procfd < 0) {
		sc.st.procs_denied++;
	} else {
		read_privilege(&sc, proc_root);
		err = walk_procs(&sc);
	}
	if (!err)
		err = finish(&sc, want);
out:
	if (st)
		*st = sc.st;
	scan_free(&sc);
	return err;
}
