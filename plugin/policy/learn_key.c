/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learn_key: what a learned rule keys on (see learn_key.h). Pure. */
#include "learn_key.h"

#include <string.h>

#include "holders.h"
#include "rpcprog.h"

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

bool learn_unit_stable(const char *unit)
{
	if (!unit || !unit[0] || strchr(unit, '/'))
		return false;
	if (starts(unit, "user@") || (starts(unit, "session-") && ends(unit, ".scope")))
		return false;
	return true;
}

bool learn_netns_stable(const char *label)
{
	return label && label[0] && !starts(label, "pid ") && !starts(label, "net:[");
}

/* The exe (or, without one, the comm) that every judged holder shares: a
 * rule recognises a listener only when all of them satisfy it. NULL when
 * they differ or none is known. */
static const char *shared(const struct owner *o, bool exe)
{
	const char *v = NULL;

	for (size_t i = 0; i < o->nholders; i++) {
		const struct holder *h = &o->holders[i];
		const char *x = exe ? h->exe : h->comm;

		if (!h->judged)
			continue;
		if (!x || !x[0] || (v && strcmp(v, x) != 0))
			return NULL;
		v = x;
	}
	return v;
}

static void key_owner(const struct owner *o, struct learn_key *k)
{
	const char *unit = o->nunits == 1 && !o->unit_none ? o->units[0] : NULL;

	if (learn_unit_stable(unit)) {
		k->owner = LEARN_UNIT;
		k->value = unit;
	} else if (o->state == OWNER_PROCESS && (k->value = shared(o, true))) {
		k->owner = LEARN_EXE;
	} else if (o->state == OWNER_PROCESS && (k->value = shared(o, false))) {
		k->owner = LEARN_COMM;
	} else if (o->state == OWNER_NONE) {
		k->owner = LEARN_KERNEL;
	} else {
		k->owner = LEARN_NO_OWNER;
		k->missing = o->state == OWNER_DENIED ? LEARN_DENIED :
			o->state == OWNER_PROCESS ? LEARN_MIXED : LEARN_UNRESOLVED;
	}
}

/* Root's rpcbind registration of l's port, when it has one (rpcbind is
 * asked in the plugin's own namespace only). */
static const struct rpc_reg *rpc_of(const struct inventory *inv, const struct listener *l)
{
	return inv && l->s->netns == 0 ? rpc_map_find(&inv->rpc, l->s->proto, l->s->port) : NULL;
}

/* What holder = "none" asks of a socket no process holds (ownermatch.c):
 * uid 0, in a cgroup root controls. */
static bool root_made(const struct listener *l, const struct owner *o)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (l->s[i].uid != 0 || (l->s[i].cgroup_id && !o->unit_checked))
			return false;
	return !o->cg_user;
}

/* True when a user other than root created one of l's sockets. */
static bool user_made(const struct listener *l)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (l->s[i].uid != 0)
			return true;
	return false;
}

/* The user name of the uid that every socket of l shares (the kernel's
 * sk_uid: who created it), NULL when they differ or it has no name yet. */
static const char *shared_user(const struct inventory *inv, const struct listener *l)
{
	for (uint32_t s = 1; s < l->count; s++)
		if (l->s[s].uid != l->s[0].uid)
			return NULL;
	return inv_user(inv, l->s[0].uid);
}

void learn_key_of(const struct inventory *inv, const struct listener *l, struct learn_key *k)
{
	const char *label = inv && l->s->netns < inv->nns ? inv->ns[l->s->netns].label : "";
	const struct rpc_reg *g = rpc_of(inv, l);
	const struct owner *o = listener_owner(inv, l);
	bool pinned;

	memset(k, 0, sizeof(*k));
	key_owner(o, k);
	pinned = k->owner == LEARN_UNIT || k->owner == LEARN_EXE;
	if (k->owner == LEARN_KERNEL)
		k->not_root = !root_made(l, o);
	k->kernel_port = l->reg.ephemeral;
	k->rpc_prog = g ? g->prog : 0;
	/* a fixed port (111 portmapper, 2049 nfs) stays exact; lockd's sockets
	 * are the kernel's, held by no process */
	k->rpc = g && g->port != rpcprog_port(g->prog) && (pinned || k->owner == LEARN_KERNEL);
	/* Only an unconnected UDP socket has a port the kernel chose (bound to
	 * 0, or autobound by a first send): a TCP listener's port is its
	 * service's choice, and "ephemeral" would widen it to the whole range.
	 * A comm is the process's own choice: it must not stretch over a range. */
	k->udp = l->s->proto == PROTO_UDP || l->s->proto == PROTO_UDPLITE;
	k->ephemeral = !k->rpc && k->kernel_port && k->udp && pinned;
	/* an exe says which file runs, not which code (an interpreter, LD_PRELOAD)
	 * nor for whom: the socket's creator pins it. So does a user's socket in
	 * a unit: cron.service and atd.service run every user's jobs (Debian's
	 * pam cron stack has no pam_systemd), a mail daemon runs .forward pipes
	 * as their users. Root's sockets in a unit need none. */
	k->user_needed = k->owner == LEARN_EXE || k->owner == LEARN_COMM ||
		(k->owner == LEARN_UNIT && user_made(l));
	if (k->user_needed)
		k->user = shared_user(inv, l);
	if (l->s->netns != 0) {
		k->netns = learn_netns_stable(label);
		k->netns_unstable = !k->netns;
	}
}
