/* SPDX-License-Identifier: GPL-3.0-or-later */
/* namespaces: enter each network namespace, dump it, leave.
 *
 * netns_find() says which namespaces there are and what they are called;
 * this file opens each one once, checks that it is still the namespace that
 * was found, enters it with setns(2), dumps it and returns.
 *
 * The own namespace is "<proc_root>/self/ns/net": a test tree must make that
 * the caller's own.
 *
 * A namespace whose dump fails is dropped: its sockets and its inventory.ns
 * entry are removed, so every entry of inventory.ns has been checked. A
 * namespace that vanished, or turned out not to be a network namespace, is not
 * counted at all (found == checked + skipped). "Vanished" is only what can
 * be told: a namespace found by a pid that exited before it was entered may
 * live on in other processes or in a socket, so it is looked for again, once
 * in every process (netns_refind) and in the socket search (netns_add_fd
 * adopts a socket's fd for it), and entered when found.
 */
#include "namespaces.h"

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
#include "netns_find.h"
#include "netns_hidden.h"
#include "deadline.h"
#include "util.h"

#define PRIV_REASON "no privilege to enter other network namespaces " \
	"(needs CAP_SYS_ADMIN and ptrace access; run via sudo or grant capabilities)"

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
static enum outcome entry_failed(int e, const struct netns_cand *c, char *why, size_t whylen)
{
	if (e == ENOENT || e == ESRCH || e == EINVAL)
		return NS_GONE;         /* vanished, or not a network namespace */
	if (e == EPERM || e == EACCES)
		util_say(why, whylen, "%s", PRIV_REASON);
	else
		util_say(why, whylen, "cannot enter %s: %s", c->label, strerror(e));
	return NS_SKIPPED;
}

/* Dumps the namespace behind fd. Returns NS_CHECKED or NS_SKIPPED (why set),
 * or -errno when we could not get back home (x->err set) or ran out of memory. */
static int dump_in(struct inventory *inv, const struct netns_cand *c, int fd, const struct ctx *x,
		char *why, size_t whylen)
{
	struct inv_mark before = inv_mark(inv);
	int idx, rc, erc = 0;
	char e[256];

	idx = inv_add_netns(inv, c->label);
	if (idx < 0)
		goto nomem;
	if (setns(fd, CLONE_NEWNET) < 0) {
		rc = errno;
		inv_rollback(inv, &before);
		return (int)entry_failed(rc, c, why, whylen);
	}
	rc = nl_collect(inv, (uint32_t)idx, x->proc_root, x->timeout_ms, e, sizeof(e));
	if (rc == 0)
		erc = ephemeral_read(x->proc_root, &inv->ns[idx]);
	if (rc == 0 && erc == 0)
		ephemeral_clamp(&inv->ns[idx], &inv->ns[0]);
	if (setns(x->own_fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		util_say(x->err, x->errlen, "cannot return to the own network namespace after "
				"entering %s: %s", c->label, strerror(-rc));
		return rc;
	}
	if (rc < 0 || erc < 0)
		inv_rollback(inv, &before);
	if (erc < 0)
		goto nomem;
	if (rc < 0) {
		util_say(why, whylen, "%s: %s", c->label, e);
		return NS_SKIPPED;
	}
	return NS_CHECKED;
nomem:
	util_say(x->err, x->errlen, "out of memory checking network namespace %s", c->label);
	return -ENOMEM;
}

/* Opens, checks and dumps one namespace. Returns an outcome or -errno (fatal). */
static int visit(struct inventory *inv, const struct netns_cand *c, const struct ctx *x,
		char *why, size_t whylen)
{
	struct stat sb;
	int rc, fd = netns_open(c, x->proc_root);

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
			util_say(st->skipped_reason, sizeof(st->skipped_reason), "%s", why);
	} else {
		st->found--;
	}
}

/* Processes whose namespace we could not even see: say so, since a namespace
 * used only by them was neither found nor skipped. Returns 0 or -ENOMEM. */
static int report_denied(struct inventory *inv, struct ns_stats *st, unsigned denied)
{
	if (!denied)
		return 0;
	/* Each place counts as one namespace not checked: how many namespaces
	 * hide behind it nobody can tell, and it is at least one. */
	st->found += denied;
	st->skipped += denied;
	if (!st->skipped_reason[0])
		util_say(st->skipped_reason, sizeof(st->skipped_reason), "no privilege to see the "
				"network namespaces of %u process%s or director%s (needs ptrace access; run "
				"via sudo)", denied, denied == 1 ? "" : "es", denied == 1 ? "y" : "ies");
	return inv_note(inv, "namespaces: the network namespaces of %u process%s or director%s "
			"could not be seen (no privilege); each counts as one not checked", denied,
			denied == 1 ? "" : "es", denied == 1 ? "y" : "ies");
}

/* Opens proc_root/self/ns/net, its path written to path. Returns the fd, or
 * -1 with errno set. */
static int open_own(const char *proc_root, char *path, size_t len)
{
	int n = snprintf(path, len, "%s/self/ns/net", proc_root);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The socket search may use half of the time left for collecting: the
 * owner scan still needs its share. {0, 0} when no timeout is armed. */
static struct timespec hidden_end(void)
{
	struct timespec end = deadline_work_end(), now;
	long long left;

	if (end.tv_sec == 0 && end.tv_nsec == 0)
		return end;
	clock_gettime(CLOCK_MONOTONIC, &now);
	left = (end.tv_sec - now.tv_sec) * 1000000000LL + (end.tv_nsec - now.tv_nsec);
	left = left > 0 ? left / 2 : 0;
	now.tv_sec += (time_t)(left / 1000000000LL);
	now.tv_nsec += (long)(left % 1000000000LL);
	if (now.tv_nsec >= 1000000000L)
		now.tv_sec++, now.tv_nsec -= 1000000000L;
	return now;
}

/* The search ran out of time: a namespace only a socket keeps may be among
 * the processes not searched, and nobody can tell; it counts as one not
 * checked. Returns 0 or -ENOMEM. */
static int hidden_incomplete(struct inventory *inv, struct ns_stats *st, const struct hidden_stats *hs)
{
	st->found++;
	st->skipped++;
	if (!st->skipped_reason[0])
		util_say(st->skipped_reason, sizeof(st->skipped_reason), "the search for namespaces "
				"that only a socket keeps ran out of time after %u of %u processes (raise -t)",
				hs->done, hs->procs);
	return inv_note(inv, "namespaces: the search for namespaces that only a socket keeps ran "
			"out of time after %u of %u processes; counted as one not checked",
			hs->done, hs->procs);
}

/* Visits every pending namespace of s but the own. Returns how many were
 * gone, or -errno (fatal). */
static int visit_pending(struct inventory *inv, struct netns_set *s, const struct ctx *x,
		struct ns_stats *st)
{
	char why[sizeof(st->skipped_reason)];
	int rc, gone = 0;

	for (size_t i = 1; i < s->n; i++) {
		if (s->v[i].state != NETNS_PENDING)
			continue;
		why[0] = '\0';
		rc = visit(inv, &s->v[i], x, why, sizeof(why));
		if (rc < 0)
			return rc;
		tally(st, (enum outcome)rc, why);
		s->v[i].state = rc == NS_GONE ? NETNS_GONE : NETNS_VISITED;
		gone += rc == NS_GONE;
	}
	return gone;
}

/* Visits what netns_find() found; then, when some were gone, what a process
 * still in them leads back to. Returns 0 or -errno (fatal). */
static int visit_found(struct inventory *inv, struct netns_set *s, const struct ctx *x,
		struct ns_stats *st)
{
	int rc = visit_pending(inv, s, x, st);

	if (rc > 0) {
		rc = netns_refind(s, x->proc_root);
		st->found += (unsigned)rc;
		rc = visit_pending(inv, s, x, st);
	}
	return rc < 0 ? rc : 0;
}

static int collect_others(struct inventory *inv, struct ctx *x, struct ns_stats *st)
{
	struct netns_set s = { 0 };
	struct hidden_stats hs;
	char path[PATH_MAX];
	int rc;

	x->own_fd = open_own(x->proc_root, path, sizeof(path));
	if (x->own_fd < 0) {
		util_say(st->skipped_reason, sizeof(st->skipped_reason),
				"cannot open %s: %s", path, strerror(errno));
		st->found = st->skipped = 1;    /* at least one, unseen */
		rc = inv_note(inv, "namespaces: other network namespaces not searched: %s",
				st->skipped_reason);
		return rc < 0 ? rc : 0;
	}
	rc = netns_find(&s, x->proc_root, x->own_fd, st->skipped_reason, sizeof(st->skipped_reason));
	if (rc < 0) {
		util_say(x->err, x->errlen, "cannot list network namespaces: %s", strerror(-rc));
		goto out;
	}
	st->found = (unsigned)(s.n - 1);
	rc = visit_found(inv, &s, x, st);
	if (rc < 0)
		goto out;
	/* then the namespaces that only a socket keeps, which the dumps of all
	 * the others tell apart from the sockets already seen, and those found
	 * gone that a socket leads back to */
	rc = netns_hidden_sockets(&s, x->proc_root, inv, hidden_end(), &hs);
	if (rc < 0) {
		util_say(x->err, x->errlen, "out of memory");
		goto out;
	}
	st->found += hs.added;
	rc = visit_pending(inv, &s, x, st);
	if (rc > 0)
		rc = 0;         /* gone again: nothing leads back to it */
	if (rc == 0 && hs.out_of_time)
		rc = hidden_incomplete(inv, st, &hs);
	if (rc < 0)
		goto out;
	rc = report_denied(inv, st, s.denied);
	if (rc < 0)
		util_say(x->err, x->errlen, "out of memory");
out:
	close(x->own_fd);
	netns_set_free(&s);
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
		util_say(err, errlen, "out of memory");
		return idx;
	}
	rc = nl_collect(inv, (uint32_t)idx, proc_root, timeout_ms, err, errlen);
	if (rc < 0)
		return rc;
	if (ephemeral_read(proc_root, &inv->ns[idx]) < 0) {
		util_say(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return all ? collect_others(inv, &x, st) : 0;
}
