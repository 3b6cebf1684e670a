/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placement: where the executables of a listener's holders lie (see placement.h). */
#include "placement.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deadline.h"
#include "exe_place.h"
#include "holders.h"
#include "mounts.h"
#include "procfs.h"
#include "proctasks.h"
#include "util.h"

/* A wanted socket: sorted by inode. */
struct want {
	uint32_t inode;
	uint32_t li;
};

/* The place of one executable file in the plugin's view, by device and inode. */
struct seen {
	dev_t dev;
	ino_t ino;
	uint8_t place;
};

struct pscan {
	struct inventory *inv;
	const struct owners_env *env;
	const char *mountinfo;
	int procfd;
	bool kcmp;              /* proctasks_kcmp_usable() */
	bool own_user_known;    /* own_user holds the plugin's user namespace */
	struct stat own_user;
	struct want *w;
	size_t nw;
	uint8_t *place;         /* per listener: the worst place found by the walk */
	struct seen *seen;
	size_t nseen, capseen;
	struct mount_table mt;
	bool mt_read;
	bool incomplete;        /* a process could not be looked at */
	struct holder cur;      /* the candidate being read */
	uint8_t cur_place;
};

static int cmp_want(const void *a, const void *b)
{
	const struct want *x = a, *y = b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

static uint8_t worst(uint8_t a, uint8_t b)
{
	return a > b ? a : b;
}

static const struct mount_table *mounts(struct pscan *ps)
{
	if (!ps->mt_read)
		mounts_read(ps->mountinfo, &ps->mt);
	ps->mt_read = true;
	return &ps->mt;
}

/* The place of a holder's executable as the owner scan read it. A path
 * named by a process of another user namespace is no identity, but a
 * suspicious place it names stays suspicious (it runs that file, or chose
 * to name it); any other place is not known. */
static uint8_t holder_place(struct pscan *ps, const struct holder *h)
{
	enum exe_place p;

	if (h->exe)
		return (uint8_t)exe_place(h->exe, h->exe_deleted, mounts(ps));
	if (h->exe_claimed && h->exe_memory)
		return EXE_PLACE_HIDDEN_MEMORY;
	p = h->exe_claimed && h->exe_named ? exe_place(h->exe_claimed, false, mounts(ps)) : EXE_PLACE_NORMAL;
	return exe_place_suspicious(p) ? (uint8_t)p : EXE_PLACE_UNVERIFIED;
}

/* ---- the walk ------------------------------------------------------------ */

static const struct seen *seen_find(const struct pscan *ps, const struct stat *st)
{
	for (size_t i = 0; i < ps->nseen; i++)
		if (ps->seen[i].dev == st->st_dev && ps->seen[i].ino == st->st_ino)
			return &ps->seen[i];
	return NULL;
}

/* Reads the executable of exedir (the process's directory, or a live
 * thread's when the leader has ended) into ps->cur and its place. A verified
 * path that is not deleted is remembered by its file: another process
 * running the same file runs it from the same place. Returns 0 or -ENOMEM. */
static int classify(struct pscan *ps, int exedir, const struct stat *st)
{
	struct holder *h = &ps->cur;
	int err = owners_read_exe(ps->procfd, exedir, h);

	if (err)
		return err;
	ps->cur_place = holder_place(ps, h);
	if (!h->exe || h->exe_deleted)
		return 0;
	if (util_grow((void **)&ps->seen, &ps->capseen, ps->nseen, sizeof(*ps->seen), 64) < 0)
		return -ENOMEM;
	ps->seen[ps->nseen++] = (struct seen){ st->st_dev, st->st_ino, ps->cur_place };
	return 0;
}

static bool has_pid(const struct owner *o, pid_t pid)
{
	for (size_t i = 0; i < o->nholders; i++)
		if (o->holders[i].pid == pid)
			return true;
	return false;
}

static int cmp_holder_pid(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Adds the candidate to the holders shown for listener li, when the owner
 * scan found some but not this one. Returns 0 or -ENOMEM. */
static int add_holder(struct pscan *ps, uint32_t li)
{
	struct owner *o = inv_owner(ps->inv, li);
	struct holder *h;

	if (!o)
		return -ENOMEM;
	if (o->state != OWNER_PROCESS || has_pid(o, ps->cur.pid))
		return 0;
	if (!(h = realloc(o->holders, (o->nholders + 1) * sizeof(*h))))
		return -ENOMEM;
	o->holders = h;
	h[o->nholders] = ps->cur;
	h[o->nholders].judged = true;
	if (holder_copy_exe(&h[o->nholders], &ps->cur) < 0)
		return -ENOMEM;
	o->nholders++;
	qsort(o->holders, o->nholders, sizeof(*h), cmp_holder_pid);
	return 0;
}

/* procfs_sock_fn: a wanted socket among the candidate's descriptors. */
static int hit(uint32_t inode, void *arg)
{
	struct pscan *ps = arg;
	struct want key = { inode, 0 };
	const struct want *w = bsearch(&key, ps->w, ps->nw, sizeof(*ps->w), cmp_want);

	if (!w)
		return 0;
	ps->place[w->li] = worst(ps->place[w->li], ps->cur_place);
	return add_holder(ps, w->li);
}

/* Reads the descriptors of a candidate (an executable not in a normal
 * place): the leader's table, and those of its other threads. */
static int read_candidate(struct pscan *ps, int pidfd)
{
	int fdfd = procfs_open_fds(pidfd), rc;
	pid_t live;

	if (fdfd < 0) {
		ps->incomplete |= fdfd != -ENOENT && fdfd != -ESRCH;
		return 0;
	}
	procfs_read_comm(pidfd, ps->cur.comm, sizeof(ps->cur.comm));
	rc = procfs_fd_sockets(fdfd, &ps->env->deadline, hit, ps);
	if (rc >= 0 && rc != PROCFS_FD_OUT_OF_TIME && proctasks_count(pidfd, "task") > 1) {
		int more = proctasks_sockets(pidfd, ps->cur.pid, ps->kcmp, &ps->env->deadline, hit, ps, &live);

		rc = rc == 0 || more < 0 || more == PROCFS_FD_OUT_OF_TIME ? more : rc;
	}
	if (rc == PROCFS_FD_DENIED || rc == PROCFS_FD_OUT_OF_TIME)
		ps->incomplete = true;
	return rc < 0 ? rc : 0;
}

/* A process whose exe could not be followed (ENOENT): a kernel thread, a
 * process gone, or a leader that ended (pthread_exit) while its threads run
 * on, whose /proc/PID/exe is gone with it. Only the last is still a holder:
 * its executable is read through a thread (*exedir, opened here). The caller
 * has seen more threads than one. Returns 1
 * for that (st set), 0 to skip the process; the place is left unknown when
 * a thread that is there cannot be read. */
static int ended_leader(struct pscan *ps, pid_t pid, int pidfd, int *exedir, struct stat *st)
{
	char rel[32];
	pid_t live = 0;
	int taskfd;

	if ((taskfd = openat(pidfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		live = proctasks_first(taskfd, pid);
		close(taskfd);
	}
	snprintf(rel, sizeof(rel), "task/%d", (int)live);
	if (live <= 0 || (*exedir = openat(pidfd, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
			fstatat(*exedir, "exe", st, 0) < 0) {
		ps->incomplete = true;  /* unreadable, not gone */
		return 0;
	}
	return 1;
}

/* One process: its executable first (a kernel thread has none, and no
 * descriptors), its descriptors only when that is not in a normal place. */
static int visit(struct pscan *ps, pid_t pid)
{
	char name[32];
	struct stat st;
	const struct seen *s;
	int pidfd, exedir = -1, err = 0;

	snprintf(name, sizeof(name), "%d/exe", (int)pid);
	if (fstatat(ps->procfd, name, &st, 0) < 0) {
		if (errno != ENOENT && errno != ESRCH) {
			ps->incomplete = true;
			return 0;
		}
		/* one fstatat more, for kernel threads and the dead only */
		snprintf(name, sizeof(name), "%d/task", (int)pid);
		if (proctasks_count(ps->procfd, name) <= 1 ||
				(pidfd = procfs_open_pid(ps->procfd, pid)) < 0)
			return 0;
		if (!ended_leader(ps, pid, pidfd, &exedir, &st)) {
			if (exedir >= 0)
				close(exedir);
			close(pidfd);
			return 0;
		}
	} else {
		/* The file alone does not vouch for a process outside our user
		 * namespace: it may have pointed its exe link at it (procfs.h). */
		snprintf(name, sizeof(name), "%d/ns/user", (int)pid);
		if ((s = seen_find(ps, &st)) && s->place <= EXE_PLACE_DELETED && ps->own_user_known &&
		    procfs_same_ns(ps->procfd, name, &ps->own_user))
			return 0;
		if ((pidfd = procfs_open_pid(ps->procfd, pid)) < 0) {
			ps->incomplete |= pidfd != -ENOENT && pidfd != -ESRCH;
			return 0;
		}
	}
	ps->cur = (struct holder){ .pid = pid };
	err = classify(ps, exedir >= 0 ? exedir : pidfd, &st);
	if (!err && ps->cur_place > EXE_PLACE_DELETED)
		err = read_candidate(ps, pidfd);
	free(ps->cur.exe);
	free(ps->cur.exe_claimed);
	if (exedir >= 0)
		close(exedir);
	close(pidfd);
	return err;
}

static bool hidden_procs(struct pscan *ps, const char *proc_root)
{
	uint64_t caps = 0;

	if (procfs_cap_eff(ps->procfd, &caps) < 0)
		caps = 0;
	return !((caps >> PROCFS_CAP_SYS_PTRACE) & 1) && procfs_hidepid_hides(ps->procfd, proc_root);
}

static int walk(struct pscan *ps)
{
	const char *root = ps->env->proc_root ? ps->env->proc_root : "/proc";
	pid_t *pids = NULL;
	size_t n = 0;
	int err;

	ps->procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ps->procfd < 0 || hidden_procs(ps, root) || procfs_list_pids(ps->procfd, &pids, &n) == 1) {
		ps->incomplete = true;
		return 0;
	}
	ps->kcmp = proctasks_kcmp_usable(ps->procfd);
	ps->own_user_known = fstatat(ps->procfd, "self/ns/user", &ps->own_user, 0) == 0;
	/* on after a process that cannot be read: a readable one may still be
	 * shown to run from /tmp */
	for (size_t i = 0; i < n; i++) {
		if (deadline_reached(&ps->env->deadline)) {
			ps->incomplete = true;
			break;
		}
		if ((err = visit(ps, pids[i])) < 0) {
			free(pids);
			return err;
		}
	}
	free(pids);
	return 0;
}

/* The sockets of the NEED_PLACE listeners, sorted. */
static int collect_wanted(struct pscan *ps, const uint8_t *need)
{
	const struct inventory *inv = ps->inv;
	size_t n = 0;

	for (size_t i = 0; need && i < inv->nls; i++)
		n += need[i] == NEED_PLACE ? inv->ls[i].count : 0;
	if (n == 0)
		return 0;
	if (!(ps->w = malloc(n * sizeof(*ps->w))) || !(ps->place = calloc(inv->nls, 1)))
		return -ENOMEM;
	for (size_t i = 0; i < inv->nls; i++)
		for (uint32_t s = 0; need[i] == NEED_PLACE && s < inv->ls[i].count; s++)
			ps->w[ps->nw++] = (struct want){ inv->ls[i].s[s].inode, (uint32_t)i };
	qsort(ps->w, ps->nw, sizeof(*ps->w), cmp_want);
	return 0;
}

/* ---- the places ------------------------------------------------------------ */

/* The place of listener i from its owner, and from the walk when it was asked. */
static void place_listener(struct pscan *ps, const uint8_t *need, size_t i)
{
	struct listener *l = &ps->inv->ls[i];
	const struct owner *o = listener_owner(ps->inv, l);
	uint8_t p = l->exe_place;
	bool asked = need && need[i] == NEED_PLACE && ps->place;

	for (size_t k = 0; o->state == OWNER_PROCESS && k < o->nholders; k++)
		if (o->holders[k].judged)
			p = worst(p, holder_place(ps, &o->holders[k]));
	if (asked)
		p = worst(worst(p, ps->place[i]), ps->incomplete ? EXE_PLACE_UNKNOWN : EXE_PLACE_NORMAL);
	else if (o->state == OWNER_DENIED || (o->state == OWNER_PROCESS && !o->complete))
		p = worst(p, EXE_PLACE_UNKNOWN);
	/* every process read and still no holder: nothing vouches for the socket */
	if (o->state == OWNER_NONE || (o->state == OWNER_PROCESS && o->complete && o->unheld))
		p = worst(p, EXE_PLACE_UNHELD);
	l->exe_place = p;
}

int placement_run(struct inventory *inv, const uint8_t *need, const struct owners_env *env,
		const char *mountinfo)
{
	static const struct owners_env defaults = { "/proc", NULL, { 0, 0 } };
	struct pscan ps = { .inv = inv, .env = env ? env : &defaults, .mountinfo = mountinfo,
		.procfd = -1 };
	int err = collect_wanted(&ps, need);

	if (!err && ps.nw)
		err = walk(&ps);
	for (size_t i = 0; !err && i < inv->nls; i++)
		if (listener_owner(inv, &inv->ls[i])->state != OWNER_UNRESOLVED || (need && need[i] == NEED_PLACE))
			place_listener(&ps, need, i);
	if (ps.procfd >= 0)
		close(ps.procfd);
	mounts_free(&ps.mt);
	free(ps.w);
	free(ps.place);
	free(ps.seen);
	return err;
}
