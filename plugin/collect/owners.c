/* SPDX-License-Identifier: GPL-3.0-or-later */
/* owners: who holds each listener.
 *
 * Cheap first (owners_resolve_cheap): the user from the socket uids, the units
 * from the sockets' cgroup ids. Then (owners_scan) the holders, from
 * /proc/PID/fd, of only the wanted listeners' socket inodes. A listener whose
 * verdict depends on its owner (NEED_ALL) needs its complete holder set: the
 * walk then reads every process. One whose owner is only shown, or needs one
 * holder per socket (NEED_ANY), is looked for first among the processes of
 * its sockets' own cgroups (cgroup.procs), then newest pid first, and the
 * walk ends as soon as each of its sockets has a holder. The deadline is
 * checked for every process and inside each process's descriptor list, so
 * a crowd of descriptors cannot hold the scan past it: whatever is not found
 * by then stays unknown (OWNER_DENIED), which only the listeners whose rules
 * need it turn into UNKNOWN.
 * Everything read from /proc is kept as raw bytes; the report escapes it.
 * The reads themselves (fd links, comm, exe, our capabilities) are procfs.c's;
 * turning what the scan found into each listener's owner is ownerlinks.c's.
 */
#include "owners.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "deadline.h"
#include "holders.h"
#include "ownerlinks.h"
#include "procfs.h"
#include "proctasks.h"
#include "users.h"
#include "util.h"

static bool wanted(const uint8_t *need, size_t i)
{
	return !need || need[i] != NEED_NONE;
}

int owners_resolve_cheap(struct inventory *inv, const uint8_t *need, bool all_users,
		const struct owners_env *env)
{
	int err = users_resolve(inv, need, all_users);
	const struct timespec *dl = env && (env->deadline.tv_sec || env->deadline.tv_nsec) ?
		&env->deadline : NULL;

	return err ? err : cgroups_resolve_units(inv, need, env ? env->cgroup_root : NULL, dl);
}

/* ---- the wanted-inode set: open addressing, linear probing ------------ */

struct islot {
	uint32_t inode;         /* 0 = empty: sock_diag never reports inode 0 for a holder */
	uint32_t holders;       /* processes seen holding it */
	uint32_t li;            /* its listener */
	uint32_t sock;          /* its index among the listener's sockets */
	uint32_t seen;          /* the process (scan.gen) that last held it */
	bool all;               /* its listener needs every holder (NEED_ALL) */
};

struct iset {
	struct islot *slot;
	size_t mask, n;
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

/* Adds an inode; one already present keeps its first listener. Returns the
 * new slot, or NULL when not added. */
static struct islot *iset_add(struct iset *s, uint32_t inode, uint32_t li, uint32_t sock, bool all)
{
	size_t i = ihash(inode) & s->mask;

	if (inode == 0)
		return NULL;
	while (s->slot[i].inode != 0 && s->slot[i].inode != inode)
		i = (i + 1) & s->mask;
	if (s->slot[i].inode != 0)
		return NULL;
	s->slot[i] = (struct islot){ inode, 0, li, sock, 0, all };
	s->n++;
	return &s->slot[i];
}

/* Capacity: a power of two at least twice the sockets, so probes stay short. */
static int iset_init(struct iset *s, size_t nsocks)
{
	size_t cap = 16;

	while (cap < 2 * nsocks)
		cap *= 2;
	*s = (struct iset){ calloc(cap, sizeof(struct islot)), cap - 1, 0 };
	return s->slot ? 0 : -ENOMEM;
}

/* ---- scan state --------------------------------------------------------- */

struct scan {
	struct inventory *inv;
	const uint8_t *need;
	const struct owners_env *env;
	struct owners_stats st;
	struct iset set;
	size_t any_left;        /* NEED_ANY inodes without a holder yet */
	size_t nall;            /* NEED_ALL inodes: while any, every process is read */
	int procfd;
	bool kcmp;              /* proctasks_kcmp_usable() */
	uint32_t gen;           /* counts the processes read, from 1 */
	int fdfd, pidfd;        /* this pid's fd directory (while walked) and directory */
	pid_t live;             /* a thread of it other than the leader, 0 = none */
	struct islot **hits;    /* this pid's wanted sockets (scratch) */
	size_t nhits, caphits;
	struct owner_link *links;
	size_t nl, capl;
	struct owner_proc *procs;
	size_t nprocs, capprocs;
	pid_t *pre;             /* pids read from the sockets' cgroups first, highest first */
	size_t npre;
	bool walked_all;        /* the walk read every process in /proc */
};

static void scan_free(struct scan *sc)
{
	for (size_t i = 0; i < sc->nprocs; i++) {
		free(sc->procs[i].h.exe);
		free(sc->procs[i].h.exe_claimed);
		free(sc->procs[i].cgpath);
	}
	free(sc->procs);
	free(sc->links);
	free(sc->hits);
	free(sc->pre);
	free(sc->set.slot);
	if (sc->procfd >= 0)
		close(sc->procfd);
}

static bool scan_done(const struct scan *sc)
{
	return sc->nall == 0 && sc->any_left == 0;
}

/* ---- reading one process ---------------------------------------------- */

int owners_read_exe(int procfd, int pidfd, struct holder *h)
{
	int err = procfs_read_exe(pidfd, &h->exe, &h->exe_deleted), v;

	if (err || !h->exe || (v = procfs_exe_verified(procfd, pidfd, h->exe, h->exe_deleted)) == 1)
		return err;
	h->exe_claimed = h->exe;        /* a path we cannot vouch for is no exe: shown only */
	h->exe = NULL;
	h->exe_memory = procfs_exe_on_memory(pidfd) == 1;
	h->exe_named = v == PROCFS_EXE_FOREIGN;
	return 0;
}

static bool hits_need_unit(const struct scan *sc)
{
	for (size_t i = 0; i < sc->nhits; i++)
		if (!listener_owner(sc->inv, &sc->inv->ls[sc->hits[i]->li])->unit_checked)
			return true;
	return false;
}

/* The executable of the process behind pidfd. A leader that ended
 * (pthread_exit) has none, while its threads run the program: then it is
 * read through the live thread the walk met. Returns 0 or -ENOMEM. */
static int read_exe(const struct scan *sc, int pidfd, struct holder *h)
{
	char rel[32];
	int dir, err = owners_read_exe(sc->procfd, pidfd, h);

	if (err || h->exe || h->exe_claimed || sc->live <= 0)
		return err;
	snprintf(rel, sizeof(rel), "task/%d", (int)sc->live);
	if ((dir = openat(pidfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	err = owners_read_exe(sc->procfd, dir, h);
	close(dir);
	return err;
}

/* Reads the identity of a process that holds wanted sockets. starttime is
 * read before and after: a change (or a vanished process) means the pid was
 * reused meanwhile and what we read may be another process's. Returns 1 to
 * keep, 0 to drop, -ENOMEM. */
static int read_identity(struct scan *sc, int pidfd, struct owner_proc *p)
{
	unsigned long long t0, t1;
	int err;

	if (procfs_read_starttime(pidfd, &t0) < 0)
		return 0;
	procfs_read_comm(pidfd, p->h.comm, sizeof(p->h.comm));
	p->h.manager = p->h.pid == 1 || procfs_trusted_init(sc->procfd, pidfd) == 1;
	err = read_exe(sc, pidfd, &p->h);
	if (!err && hits_need_unit(sc))
		err = cgroups_read_proc(pidfd, &p->cgpath);
	if (err)
		return err;
	return procfs_read_starttime(pidfd, &t1) == 0 && t0 == t1;
}

/* Records the pid's hits as links. Returns 0 or -ENOMEM. */
static int commit_pid(struct scan *sc, int pidfd, pid_t pid)
{
	struct owner_proc p = { .h.pid = pid };
	int keep = read_identity(sc, pidfd, &p);

	if (keep == 1 && util_grow((void **)&sc->procs, &sc->capprocs, sc->nprocs, sizeof(p), 16) < 0)
		keep = -ENOMEM;
	if (keep != 1) {
		free(p.h.exe);
		free(p.h.exe_claimed);
		free(p.cgpath);
		return keep < 0 ? keep : 0;
	}
	sc->procs[sc->nprocs++] = p;
	for (size_t i = 0; i < sc->nhits; i++) {
		struct islot *s = sc->hits[i];

		if (util_grow((void **)&sc->links, &sc->capl, sc->nl, sizeof(*sc->links), 16) < 0)
			return -ENOMEM;
		sc->links[sc->nl++] = (struct owner_link){ s->li, s->sock, sc->nprocs - 1 };
		if (s->holders++ == 0 && !s->all)
			sc->any_left--;
	}
	return 0;
}

/* procfs_sock_fn: keeps the wanted sockets among this pid's fds as hits,
 * each once (a socket may be in several of its descriptors and tables).
 * The process's directory is opened at the first, through its fd
 * directory: the same process, whatever happened to its pid meanwhile. */
static int add_hit(uint32_t inode, void *arg)
{
	struct scan *sc = arg;
	struct islot *s = iset_find(&sc->set, inode);

	if (!s || s->seen == sc->gen)
		return 0;
	s->seen = sc->gen;
	if (sc->pidfd < 0 && sc->fdfd >= 0)
		sc->pidfd = procfs_open_parent(sc->fdfd);
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
	int fd = pidfd >= 0 ? pidfd : procfs_open_pid(sc->procfd, pid);

	sc->st.procs_denied++;
	if (sc->st.denied_pid == 0) {
		sc->st.denied_pid = pid;
		if (fd >= 0)
			procfs_read_comm(fd, sc->st.denied_comm, sizeof(sc->st.denied_comm));
	}
	if (fd >= 0 && fd != pidfd)
		close(fd);
}

/* The tables of a process's other threads, when it has any (see
 * proctasks_sockets()): a thread may keep a socket that the leader's
 * table does not show. A single-threaded process costs nothing more. */
static int scan_threads(struct scan *sc, pid_t pid, int threads)
{
	if (threads <= 1)
		return 0;
	if (sc->pidfd < 0 && (sc->pidfd = procfs_open_parent(sc->fdfd)) < 0)
		return gone(sc->pidfd) ? 0 : PROCFS_FD_DENIED;
	return proctasks_sockets(sc->pidfd, pid, sc->kcmp, &sc->env->deadline, add_hit, sc, &sc->live);
}

/* Scans one pid: its fd directory, opened in one step (what the process
 * directory costs is paid only by a process holding a wanted socket, or
 * with more threads than one), then its threads' tables. A descriptor list
 * cut by the deadline counts for nothing: the process may hold a wanted
 * socket further on. Returns 0 or -ENOMEM. */
static int scan_pid(struct scan *sc, pid_t pid)
{
	int fdfd = procfs_open_pid_fds(sc->procfd, pid), threads, rc;

	if (fdfd < 0) {
		if (!gone(fdfd))
			note_denied(sc, -1, pid);
		return 0;
	}
	threads = proctasks_count(fdfd, "../task");
	sc->st.procs_scanned++;
	sc->nhits = 0;
	sc->gen++;
	sc->fdfd = fdfd;
	sc->pidfd = -1;
	sc->live = 0;
	if (threads > 1)
		sc->pidfd = procfs_open_parent(fdfd);
	rc = procfs_fd_sockets(fdfd, &sc->env->deadline, add_hit, sc);
	sc->fdfd = -1;
	if (rc >= 0 && rc != PROCFS_FD_OUT_OF_TIME) {
		int more = scan_threads(sc, pid, threads);

		rc = more < 0 || more == PROCFS_FD_OUT_OF_TIME || rc == 0 ? more : rc;
	}
	if (rc == PROCFS_FD_DENIED)
		note_denied(sc, sc->pidfd, pid);
	if (rc == PROCFS_FD_OUT_OF_TIME)
		sc->st.out_of_time = true;
	if (rc >= 0 && rc != PROCFS_FD_OUT_OF_TIME && sc->nhits)
		rc = sc->pidfd >= 0 ? commit_pid(sc, sc->pidfd, pid) : 0;
	if (sc->pidfd >= 0)
		close(sc->pidfd);
	sc->pidfd = -1;
	return rc < 0 ? rc : 0;
}

/* ---- the walk ----------------------------------------------------------- */

static int cmp_pid_desc(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y) - (x > y);
}

/* Reads pids[0..n) (highest first) until done or out of time, skipping
 * those the cgroup pass read already. Sets *all when it read to the end.
 * Our own process comes last: it is the newest, yet holds no listener but one
 * it inherited on 0-2, so a scan that finds every wanted holder elsewhere
 * never reads it, and a complete one still does. */
static int scan_list(struct scan *sc, const pid_t *pids, size_t n, bool skip_pre, bool *all)
{
	const pid_t self = getpid();
	bool self_listed = false;

	*all = false;
	for (size_t i = 0; i <= n; i++) {
		const pid_t *pid = i < n ? &pids[i] : &self;
		int err;

		if (i < n && *pid == self) {
			self_listed = true;
			continue;
		}
		if (i == n && !self_listed)
			break;
		if (scan_done(sc))
			return 0;
		if (deadline_reached(&sc->env->deadline)) {
			sc->st.out_of_time = true;
			return 0;
		}
		if (skip_pre && sc->npre &&
		    bsearch(pid, sc->pre, sc->npre, sizeof(*sc->pre), cmp_pid_desc))
			continue;
		if ((err = scan_pid(sc, *pid)) < 0 || sc->st.out_of_time)
			return err;
	}
	*all = true;
	return 0;
}

/* The cgroups of the sockets that only need one holder, ascending. */
static uint64_t *any_cgroups(const struct scan *sc, size_t *n)
{
	const struct inventory *inv = sc->inv;
	uint64_t *ids = malloc((inv->nsocks ? inv->nsocks : 1) * sizeof(*ids));
	size_t k = 0;

	*n = 0;
	if (!ids)
		return NULL;
	for (size_t i = 0; i < inv->nls; i++) {
		const struct listener *l = &inv->ls[i];

		if (sc->need && (sc->need[i] == NEED_NONE || sc->need[i] == NEED_ALL))
			continue;
		for (uint32_t s = 0; s < l->count; s++)
			if (l->s[s].cgroup_id)
				ids[k++] = l->s[s].cgroup_id;
	}
	*n = k;
	return ids;
}

/* When only single holders are needed, the processes of the sockets' own
 * cgroups come first: there a listener's holder usually is. */
static int scan_cgroups_first(struct scan *sc)
{
	size_t n = 0;
	uint64_t *ids;
	bool all;
	int err;

	if (sc->nall > 0 || sc->any_left == 0)
		return 0;
	if (!(ids = any_cgroups(sc, &n)))
		return -ENOMEM;
	err = cgroups_procs(sc->env->cgroup_root, ids, n, &sc->pre, &sc->npre);
	free(ids);
	sc->st.procs_cgroup = (unsigned)sc->npre;
	return err ? err : scan_list(sc, sc->pre, sc->npre, false, &all);
}

static int walk_procs(struct scan *sc)
{
	pid_t *pids;
	size_t n;
	int err = scan_cgroups_first(sc);

	if (err || scan_done(sc) || sc->st.out_of_time)
		return err;
	err = procfs_list_pids(sc->procfd, &pids, &n);
	if (err == 1) {
		sc->st.procs_denied++;
		return 0;
	}
	if (!err)
		err = scan_list(sc, pids, n, true, &sc->walked_all);
	free(pids);
	return err;
}

static bool has_cap(uint64_t caps, unsigned bit)
{
	return (caps >> bit) & 1;
}

/* Unreadable capabilities count as none. hidepid hides nothing from
 * CAP_SYS_PTRACE. A gid= exemption is not honoured: we may say "hidden" when
 * we can see everything, which only turns NONE into DENIED. */
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

/* The links as owners: complete when every process was read and none hidden. */
static int finish(struct scan *sc)
{
	const struct owners_stats *st = &sc->st;
	struct owner_found f = { sc->procs, sc->links, sc->nl, sc->env->cgroup_root,
		sc->walked_all && !st->out_of_time && st->procs_denied == 0 && !st->hidden_procs };

	return ownerlinks_assign(sc->inv, sc->need, &f, &sc->st.found);
}

/* Puts every socket of the wanted unresolved listeners in the set. */
static int want_inodes(struct scan *sc)
{
	const struct inventory *inv = sc->inv;
	size_t nsocks = 0;
	int err;

	for (size_t i = 0; i < inv->nls; i++)
		if (wanted(sc->need, i) && listener_owner(inv, &inv->ls[i])->state == OWNER_UNRESOLVED) {
			nsocks += inv->ls[i].count;
			sc->st.wanted++;
		}
	if ((err = iset_init(&sc->set, nsocks)) < 0)
		return err;
	for (size_t i = 0; i < inv->nls; i++) {
		const struct listener *l = &inv->ls[i];
		bool all = sc->need && sc->need[i] == NEED_ALL;

		if (!wanted(sc->need, i) || listener_owner(inv, l)->state != OWNER_UNRESOLVED)
			continue;
		for (uint32_t s = 0; s < l->count; s++)
			if (iset_add(&sc->set, l->s[s].inode, (uint32_t)i, s, all)) {
				sc->nall += all;
				sc->any_left += !all;
			}
	}
	return 0;
}

/* A /proc that cannot be opened counts as one denied process. */
int owners_scan(struct inventory *inv, const uint8_t *need, const struct owners_env *env,
		struct owners_stats *st)
{
	static const struct owners_env defaults = { "/proc", NULL, { 0, 0 } };
	struct scan sc = { .inv = inv, .need = need, .env = env ? env : &defaults, .procfd = -1,
		.fdfd = -1, .pidfd = -1 };
	const char *proc_root = sc.env->proc_root ? sc.env->proc_root : "/proc";
	int err = want_inodes(&sc);

	if (err || sc.st.wanted == 0)
		goto out;
	sc.procfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc.procfd < 0) {
		sc.st.procs_denied++;
	} else {
		read_privilege(&sc, proc_root);
		sc.kcmp = proctasks_kcmp_usable(sc.procfd);
		err = walk_procs(&sc);
	}
	if (!err)
		err = finish(&sc);
out:
	if (st)
		*st = sc.st;
	scan_free(&sc);
	return err;
}
