/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownermatch: a rule's owner fields against every socket and judged holder. */
#include "ownermatch.h"

#include <string.h>

#include "numparse.h"
#include "pattern.h"

/* What the owner fields are matched against. */
struct ctx {
	const struct inventory *inv;
	const struct listener *l;
	const struct owner *o;
	enum match held;        /* does a process hold every socket? */
};

static enum match known(bool b)
{
	return b ? MATCH_YES : MATCH_NO;
}

/* NO wins, then UNKNOWN. */
static enum match both(enum match a, enum match b)
{
	if (a == MATCH_NO || b == MATCH_NO)
		return MATCH_NO;
	return a == MATCH_UNKNOWN || b == MATCH_UNKNOWN ? MATCH_UNKNOWN : MATCH_YES;
}

/* Holders are exact only after a complete scan; a holder found is a holder. */
static enum match all_held(const struct owner *o)
{
	if (o->state == OWNER_NONE)
		return MATCH_NO;
	if (o->state == OWNER_PROCESS && o->unheld == 0)
		return MATCH_YES;
	if (o->state == OWNER_PROCESS && o->complete)
		return MATCH_NO;
	return MATCH_UNKNOWN;
}

/* A uid written in decimal, as a user field may be. */
static bool parse_uid(const char *s, uint32_t *uid)
{
	uint64_t v;

	if (parse_u64_str(s, UINT32_MAX, &v) < 0)
		return false;
	*uid = (uint32_t)v;
	return true;
}

/* A uid in the rule is answerable without the name lookup. */
static enum match uid_match(const char *user, const struct inventory *inv, uint32_t uid)
{
	const char *name = inv_user(inv, uid);
	uint32_t want;
	bool by_uid = parse_uid(user, &want) && want == uid;

	if (name && name[0] != '\0')
		return known(by_uid || strcmp(user, name) == 0);
	if (parse_uid(user, &want))
		return known(by_uid);
	return MATCH_UNKNOWN;
}

/* The uid of every socket (the kernel's sk_uid: who created it). A socket
 * without a holder satisfies a user only beside holder = "none" (none_match
 * decides about the holders then). */
static enum match user_match(const char *user, const struct ctx *c, bool holder_none)
{
	enum match m = MATCH_YES;

	for (uint32_t i = 0; i < c->l->count && m != MATCH_NO; i++)
		if (i == 0 || c->l->s[i].uid != c->l->s[i - 1].uid)
			m = both(m, uid_match(user, c->inv, c->l->s[i].uid));
	return holder_none ? m : both(m, c->held);
}

/* Whether root created every socket: uid 0 in the plugin's user namespace. */
static bool root_created(const struct listener *l)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (l->s[i].uid != 0)
			return false;
	return true;
}

static bool has_cgroup_id(const struct listener *l)
{
	for (uint32_t i = 0; i < l->count; i++)
		if (l->s[i].cgroup_id)
			return true;
	return false;
}

/* A unit rule when the socket's cgroup is unknown. Without a cgroup id (packet
 * sockets, /proc/net/raw) the units come from the holders: a socket without
 * one satisfies no unit. A creation cgroup that is gone answers NO when
 * someone other than root created the socket or a holder sits in a cgroup a
 * user controls; only when root controls all that is seen does it stay
 * UNKNOWN (the service manager's fd store). */
static enum match unit_unchecked(const struct ctx *c)
{
	const struct owner *o = c->o;

	if (!has_cgroup_id(c->l))
		return c->held == MATCH_NO ? MATCH_NO : MATCH_UNKNOWN;
	if (o->cg_gone && (!root_created(c->l) || o->holder_cg_user))
		return MATCH_NO;
	return MATCH_UNKNOWN;
}

/* The label of every socket's cgroup: the one it was created in, which the
 * kernel records and only root can put a process in (above a delegation
 * boundary). Unlike user, process and exe it needs no holder: whoever holds
 * such a socket, or keeps it in flight, got it from a process of that unit.
 * So a unit rule is decided without privilege, as NRPE runs. */
static enum match unit_match(const char *unit, const struct ctx *c)
{
	const struct owner *o = c->o;
	enum match m = o->unit_checked ? known(!o->unit_none && o->nunits > 0) : unit_unchecked(c);

	for (size_t i = 0; i < o->nunits && m != MATCH_NO; i++)
		if (!pattern_match(unit, o->units[i]))
			m = MATCH_NO;
	return m;
}

/* Every judged holder's comm (exe false) or executable (exe true). */
static enum match holders_match(const char *pattern, const struct ctx *c, bool exe)
{
	const struct owner *o = c->o;

	if (c->held == MATCH_NO)
		return MATCH_NO;
	for (size_t i = 0; i < o->nholders; i++) {
		const struct holder *h = &o->holders[i];
		bool ok = exe ? h->exe && pattern_match(pattern, h->exe) : pattern_match(pattern, h->comm);

		if (h->judged && !ok)
			return MATCH_NO;
	}
	return o->complete && c->held == MATCH_YES ? MATCH_YES : MATCH_UNKNOWN;
}

/* holder = "none": no process holds any of the sockets, and root made them.
 * Not seeing a holder is no proof of a kernel socket: a descriptor in flight
 * or one a process hid elsewhere looks the same, so the kernel's record of
 * the creator must be root's too: uid 0, and a creation cgroup (where the
 * socket has one) that root controls, above any delegation boundary. */
static enum match none_match(const struct ctx *c)
{
	const struct owner *o = c->o;

	if (o->state == OWNER_PROCESS || !root_created(c->l) || o->cg_user)
		return MATCH_NO;
	if (o->state != OWNER_NONE || (has_cgroup_id(c->l) && !o->unit_checked))
		return MATCH_UNKNOWN;
	return MATCH_YES;
}

enum owner_need ownermatch_need(const struct rule *r)
{
	if (r->process || r->exe || r->holder_none)
		return NEED_ALL;
	return r->user || r->unit ? NEED_ANY : NEED_NONE;
}

/* The user comes first: a uid in the rule is answerable without a scan. */
enum match ownermatch(const struct rule *r, const struct inventory *inv, const struct listener *l)
{
	struct ctx c = { inv, l, listener_owner(inv, l), MATCH_UNKNOWN };
	enum match m = MATCH_YES;

	if (ownermatch_need(r) == NEED_NONE)
		return MATCH_YES;
	c.held = all_held(c.o);
	if (r->user)
		m = both(m, user_match(r->user, &c, r->holder_none));
	if (r->unit && m != MATCH_NO)
		m = both(m, unit_match(r->unit, &c));
	if (r->process && m != MATCH_NO)
		m = both(m, holders_match(r->process, &c, false));
	if (r->exe && m != MATCH_NO)
		m = both(m, holders_match(r->exe, &c, true));
	if (r->holder_none && m != MATCH_NO)
		m = both(m, none_match(&c));
	return m;
}
