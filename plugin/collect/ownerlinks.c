/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownerlinks: the links the /proc scan found, as each listener's owner. */
#include "ownerlinks.h"

#include <errno.h>
#include <stdlib.h>

#include "cgroups.h"
#include "owners.h"

static bool wanted(const uint8_t *need, size_t i)
{
	return !need || need[i] != NEED_NONE;
}

static int cmp_link(const void *a, const void *b)
{
	const struct owner_link *x = a, *y = b;

	if (x->li != y->li)
		return (x->li > y->li) - (x->li < y->li);
	return (x->proc > y->proc) - (x->proc < y->proc);
}

static int cmp_holder_pid(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The units of a listener whose sockets came without a cgroup id: the
 * cgroups of its judged holders (a service manager that passes a socket on
 * is not judged, and its cgroup is not the service's). */
static int units_from_holders(const struct owner_found *f, struct owner *o, const struct owner_link *r,
		size_t n)
{
	char label[4096];
	int err = 0;

	for (size_t i = 0; i < o->nholders && !err; i++) {
		const struct owner_proc *p = NULL;

		for (size_t k = 0; k < n && !p; k++)
			if (f->procs[r[k].proc].h.pid == o->holders[i].pid)
				p = &f->procs[r[k].proc];
		if (!o->holders[i].judged)
			continue;
		if (!p || !p->cgpath)
			return 0;
		err = cgroups_add_unit(o, cgroups_label(f->cgroup_root, p->cgpath, label,
				sizeof(label)) == 1 ? label : NULL);
	}
	o->unit_checked = !err;
	return err;
}

/* A socket whose creation cgroup is gone has no unit; but a holder in a
 * cgroup that a user controls shows that the socket is not root's to vouch
 * for (ownermatch.c answers a unit rule NO then, not UNKNOWN). */
static void holders_in_user_cgroup(const struct owner_found *f, struct owner *o, const struct owner_link *r,
		size_t n)
{
	for (size_t k = 0; k < n && !o->holder_cg_user; k++) {
		const char *cg = f->procs[r[k].proc].cgpath;

		o->holder_cg_user = cg && cgroups_delegated(f->cgroup_root, cg) == 1;
	}
}

/* 1 when the kernel gave some socket of l a cgroup id. */
static bool has_cgroup_id(const struct listener *l)
{
	for (uint32_t s = 0; s < l->count; s++)
		if (l->s[s].cgroup_id)
			return true;
	return false;
}

/* r[0..n) are the links of listener l, sorted by process (one per socket). */
static int assign_holders(const struct owner_found *f, struct owner *o, const struct listener *l,
		const struct owner_link *r, size_t n)
{
	uint32_t nsocks = l->count;
	struct holder *h = calloc(n, sizeof(*h));
	struct holder_link *hl = calloc(n, sizeof(*hl));
	size_t k = 0;
	int err = 0;

	if (!h || !hl) {
		free(h);
		free(hl);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n && !err; i++) {
		if (k == 0 || h[k - 1].pid != f->procs[r[i].proc].h.pid) {
			h[k] = f->procs[r[i].proc].h;
			err = holder_copy_exe(&h[k], &f->procs[r[i].proc].h);
			k++;
		}
		hl[i] = (struct holder_link){ r[i].sock, (uint32_t)(k - 1) };
	}
	/* procs are in scan order; holders are shown by pid */
	o->holders = h;
	o->nholders = k;
	o->unheld = holders_judge(h, k, hl, n, nsocks);
	qsort(h, k, sizeof(*h), cmp_holder_pid);
	o->state = OWNER_PROCESS;
	free(hl);
	/* A socket's unit is the cgroup it was created in. When that cgroup
	 * is gone (removed after the socket was passed on), the unit stays
	 * unknown: the holders' cgroups would let a user move the label. */
	if (!err && !o->unit_checked && !has_cgroup_id(l))
		err = units_from_holders(f, o, r, n);
	if (!err && o->cg_gone)
		holders_in_user_cgroup(f, o, r, n);
	return err;
}

int ownerlinks_assign(struct inventory *inv, const uint8_t *need, struct owner_found *f,
		unsigned *found)
{
	size_t j = 0;
	int err = 0;

	if (f->nl)
		qsort(f->links, f->nl, sizeof(*f->links), cmp_link);
	for (size_t i = 0; i < inv->nls && !err; i++) {
		const struct listener *l = &inv->ls[i];
		struct owner *o;
		size_t k;

		if (!wanted(need, i) || listener_owner(inv, l)->state != OWNER_UNRESOLVED)
			continue;
		if (!(o = inv_owner(inv, i)))
			return -ENOMEM;
		while (j < f->nl && f->links[j].li < i)
			j++;
		for (k = j; k < f->nl && f->links[k].li == i; k++)
			;
		o->complete = f->complete;
		if (k > j) {
			err = assign_holders(f, o, l, &f->links[j], k - j);
			(*found)++;
		} else {
			o->unheld = l->count;
			o->state = f->complete ? OWNER_NONE : OWNER_DENIED;
		}
		j = k;
	}
	return err;
}
