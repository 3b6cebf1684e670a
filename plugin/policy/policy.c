/* SPDX-License-Identifier: GPL-3.0-or-later */
/* policy: the allowlist's lifetime, the classes and grades of listeners,
 * what is needed of their owners, and the decision. Pure: no I/O, no
 * globals, no clock. Matching a rule is rulematch.c's.
 */
#include "policy.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "abuse.h"
#include "ephemeral.h"
#include "exe_place.h"
#include "numparse.h"
#include "ownermatch.h"
#include "packet.h"
#include "rpcbind_xdr.h"
#include "rulematch.h"
#include "util.h"

/* ---- grading classes ------------------------------------------------ */

static const char *const sev_names[SEV_COUNT] = {
	[SEV_ASSIGNED] = "assigned", [SEV_UNASSIGNED] = "unassigned",
	[SEV_RESERVED] = "reserved", [SEV_DYNAMIC] = "dynamic",
	[SEV_UDP_EPHEMERAL] = "udp_ephemeral", [SEV_SUSPICIOUS] = "suspicious",
	[SEV_PACKET] = "packet", [SEV_PACKET_FILTER] = "packet_filter", [SEV_RAW] = "raw",
	[SEV_PING] = "ping",
};

const char *sev_class_name(enum sev_class c)
{
	return (unsigned)c < SEV_COUNT ? sev_names[c] : "?";
}

int sev_class_from_name(const char *s)
{
	return util_name_index(sev_names, SEV_COUNT, s);
}

/* ---- policy lifetime ------------------------------------------------- */

void policy_init(struct policy *pol)
{
	static const enum state defaults[SEV_COUNT] = {
		/* a port with an IANA entry says nothing of who listens on it:
		 * an impostor on 22 is not OK because 22 is ssh's */
		[SEV_ASSIGNED] = STATE_WARNING, [SEV_UNASSIGNED] = STATE_CRITICAL,
		[SEV_RESERVED] = STATE_CRITICAL, [SEV_DYNAMIC] = STATE_WARNING,
		[SEV_UDP_EPHEMERAL] = STATE_OK, [SEV_SUSPICIOUS] = STATE_CRITICAL,
		[SEV_PACKET] = STATE_WARNING, [SEV_PACKET_FILTER] = STATE_CRITICAL,
		[SEV_RAW] = STATE_WARNING,
		/* bound to an identifier, it takes unsolicited echo replies
		 * from anyone: a command channel without a port */
		[SEV_PING] = STATE_WARNING,
	};

	if (!pol)
		return;
	memset(pol, 0, sizeof(*pol));
	memcpy(pol->severity, defaults, sizeof(defaults));
}

static void rule_free(struct rule *r)
{
	free(r->origin);
	free(r->ports);
	free(r->protocols);
	free(r->addrs);
	free(r->interface);
	free(r->process);
	free(r->exe);
	free(r->user);
	free(r->unit);
	free(r->netns);
	free(r->comment);
}

void policy_free(struct policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->nrules; i++)
		rule_free(&pol->rules[i]);
	free(pol->rules);
	free(pol->unassigned);
	free(pol->suspicious);
	free(pol->not_suspicious);
	free(pol->registry_file);
	policy_init(pol);
}

/* True when l's grade is below what a suspicious executable would give it:
 * then where its holders' executables lie can raise it. */
static bool place_matters(const struct policy *pol, const struct listener *l)
{
	return state_rank(pol->severity[policy_sev_class(pol, l)]) <
		state_rank(pol->severity[SEV_SUSPICIOUS]);
}

/* What l needs of its holders: every holder when a rule that might still
 * recognise it (or a required rule that might match it) asks about
 * processes; the place of every holder's executable when it may stay
 * unrecognised below suspicious; one per socket for user and unit rules or
 * only to show them. */
static uint8_t owner_need_of(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now, bool all)
{
	size_t first;
	enum match m = policy_match(pol, inv, l, now, &first);
	uint8_t need = m != MATCH_YES && place_matters(pol, l) ? NEED_PLACE :
		all || m != MATCH_YES ? NEED_ANY : NEED_NONE;

	for (size_t i = 0; i < pol->nrules && need != NEED_ALL; i++) {
		const struct rule *r = &pol->rules[i];
		uint8_t k;

		if ((m == MATCH_YES && !r->require) || rule_match(r, inv, l, now) != MATCH_UNKNOWN)
			continue;
		k = (uint8_t)ownermatch_need(r);
		need = k > need ? k : need;
	}
	return need;
}

size_t policy_want_owners(const struct policy *pol, const struct inventory *inv, int64_t now,
		bool all, bool refine, uint8_t *need)
{
	size_t n = 0;

	for (size_t i = 0; i < inv->nls; i++) {
		if (refine && need[i] == NEED_NONE)
			continue;
		need[i] = owner_need_of(pol, inv, &inv->ls[i], now, all);
		n += need[i] != NEED_NONE;
	}
	return n;
}

bool policy_names_users(const struct policy *pol)
{
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].user)
			return true;
	return false;
}

bool policy_uses_rpc(const struct policy *pol)
{
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].port_rpc)
			return true;
	return false;
}

/* ---- classes ---------------------------------------------------------- */

void policy_classify(const struct policy *pol, struct inventory *inv, const struct registry *reg)
{
	for (size_t i = 0; i < inv->nls; i++) {
		struct listener *l = &inv->ls[i];
		struct port_info pi;

		if (proto_portless(l->s->proto))
			continue;       /* no port: no IANA class (graded apart) */
		registry_lookup(reg, l->s->port, (enum reg_proto)proto_reg(l->s->proto), &pi);
		ephemeral_classify(&inv->ns[l->s->netns], l->s->port, &pi);
		policy_port_info(pol, l->s->port, proto_reg(l->s->proto), &pi);
		listener_set_reg(l, &pi);
		/* rpcbind was asked in the plugin's own namespace only */
		l->reg.rpc = l->s->netns == 0 && rpc_map_find(&inv->rpc, l->s->proto, l->s->port);
	}
}

/* ---- grading --------------------------------------------------------- */

static bool proto_is_udp(unsigned proto)
{
	return proto == PROTO_UDP || proto == PROTO_UDPLITE;
}

static bool port_listed(const struct port_override *v, size_t n, uint16_t port, int proto)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].port == port && v[i].proto == proto)
			return true;
	return false;
}

void policy_port_info(const struct policy *pol, uint16_t port, int proto, struct port_info *pi)
{
	const struct abuse_entry *e = abuse_lookup(port, (enum reg_proto)proto);

	pi->overridden = false;
	pi->suspicious = false;
	pi->suspicious_reason = pi->suspicious_source = NULL;
	if (pol && port_listed(pol->unassigned, pol->nunassigned, port, proto)) {
		pi->cls = CLASS_UNASSIGNED;
		pi->service = NULL;
		pi->overridden = true;
	}
	if (pol && port_listed(pol->not_suspicious, pol->nnot_suspicious, port, proto))
		e = NULL;
	if (e) {
		pi->suspicious = true;
		pi->suspicious_reason = e->reason;
		pi->suspicious_source = e->source;
	} else if (pol && port_listed(pol->suspicious, pol->nsuspicious, port, proto)) {
		pi->suspicious = true;
		pi->suspicious_reason = "listed in registry.suspicious of the configuration";
	}
}

static enum sev_class portless_class(const struct policy *pol, const struct sock *s)
{
	if (s->proto == PROTO_RAW)
		return SEV_RAW;
	if (s->proto == PROTO_PING)
		return SEV_PING;
	if (s->pkt.filter == PKT_FILTER_CLASSIC)
		return SEV_PACKET_FILTER;
	if (s->pkt.filter == PKT_FILTER_WITHHELD &&
			state_worst(pol->severity[SEV_PACKET], pol->severity[SEV_PACKET_FILTER])
			== pol->severity[SEV_PACKET_FILTER])
		return SEV_PACKET_FILTER;
	return SEV_PACKET;
}

enum sev_class policy_sev_class(const struct policy *pol, const struct listener *l)
{
	enum sev_class c;

	if (exe_place_suspicious((enum exe_place)l->exe_place))
		return SEV_SUSPICIOUS;
	if (proto_portless(l->s->proto))
		return portless_class(pol, l->s);
	c = (unsigned)l->reg.cls < CLASS_COUNT ?
		(enum sev_class)l->reg.cls : SEV_UNASSIGNED;

	/* listener_set_reg() took the class from policy_port_info(); a listener
	 * classified without it still honours registry.unassigned */
	if (port_listed(pol->unassigned, pol->nunassigned, l->s->port, proto_reg(l->s->proto)))
		c = SEV_UNASSIGNED;
	if (proto_is_udp(l->s->proto) && l->reg.ephemeral)
		c = SEV_UDP_EPHEMERAL;
	if (l->reg.suspicious || exe_place_suspicious((enum exe_place)l->exe_place))
		c = SEV_SUSPICIOUS;
	return c;
}

/* All sockets created by uid 0: only root can have made them. */
static bool root_created(const struct listener *l)
{
	for (uint32_t s = 0; s < l->count; s++)
		if (l->s[s].uid != 0)
			return false;
	return true;
}

bool policy_place_unknown(const struct policy *pol, const struct listener *l)
{
	if (!exe_place_unknown((enum exe_place)l->exe_place) || !place_matters(pol, l) || root_created(l))
		return false;
	/* no holder at all: an OK grade becomes UNKNOWN, a warning stays one */
	return l->exe_place != EXE_PLACE_UNHELD ||
		state_rank(pol->severity[policy_sev_class(pol, l)]) < state_rank(STATE_UNKNOWN);
}

/* ---- the decision ---------------------------------------------------- */

/* Buckets of the report order: 4 states x SEV_COUNT classes for the
 * unrecognised, then the unverifiable, then the recognised. */
enum { BUCKET_UNVERIFIABLE = 4 * SEV_COUNT, BUCKET_RECOGNISED, BUCKETS };

static unsigned order_bucket(const struct verdict *v)
{
	static const unsigned sev_pos[SEV_COUNT] = {
		[SEV_SUSPICIOUS] = 0, [SEV_PACKET_FILTER] = 1, [SEV_UNASSIGNED] = 2, [SEV_RESERVED] = 3,
		[SEV_RAW] = 4, [SEV_PING] = 5, [SEV_PACKET] = 6, [SEV_DYNAMIC] = 7, [SEV_UDP_EPHEMERAL] = 8,
		[SEV_ASSIGNED] = 9,
	};

	if (v->kind == VERDICT_UNVERIFIABLE)
		return BUCKET_UNVERIFIABLE;
	if (v->kind == VERDICT_RECOGNISED)
		return BUCKET_RECOGNISED;
	return (unsigned)(3 - state_rank((enum state)v->state)) * SEV_COUNT + sev_pos[v->sev];
}

/* A stable counting sort: ties keep inventory order, and it is O(n). */
static void order_fill(struct decision *d, size_t n)
{
	size_t next[BUCKETS + 1] = { 0 };

	for (size_t i = 0; i < n; i++)
		next[order_bucket(&d->v[i]) + 1]++;
	for (size_t b = 1; b <= BUCKETS; b++)
		next[b] += next[b - 1];
	for (size_t i = 0; i < n; i++)
		d->order[next[order_bucket(&d->v[i])]++] = (uint32_t)i;
	d->norder = n;
}

/* Lists the expired rules, and the live required ones as missing until a
 * listener matches them. */
static void rules_scan(const struct policy *pol, int64_t now, struct decision *d)
{
	for (size_t i = 0; i < pol->nrules; i++) {
		if (rule_expired(&pol->rules[i], now))
			d->expired[d->nexpired++] = i;
		else if (pol->rules[i].require)
			d->missing[d->nmissing++] = i;
	}
}

/* Drops from missing the required rules that l, recognised by rule first,
 * matches. Rules before first did not match l (policy_match stops at the
 * first), so only the later ones are asked, and each only until met. */
static void required_met(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now, size_t first, struct decision *d)
{
	size_t keep = 0;

	for (size_t i = 0; i < d->nmissing; i++) {
		size_t r = d->missing[i];
		bool met = r == first ||
			(r > first && rule_match(&pol->rules[r], inv, l, now) == MATCH_YES);

		if (!met)
			d->missing[keep++] = r;
	}
	d->nmissing = keep;
}

/* Moves from missing to unverified the required rules that a listener might
 * match once its owner is known: without privilege a running service must not
 * page as missing. Only asked for rules still missing, which are few. */
static void required_unverified(const struct policy *pol, const struct inventory *inv,
		int64_t now, struct decision *d)
{
	size_t keep = 0;

	for (size_t i = 0; i < d->nmissing; i++) {
		size_t r = d->missing[i];
		bool maybe = false;

		for (size_t k = 0; k < inv->nls && !maybe; k++)
			maybe = rule_match(&pol->rules[r], inv, &inv->ls[k], now) == MATCH_UNKNOWN;
		if (maybe)
			d->unverified[d->nunverified++] = r;
		else
			d->missing[keep++] = r;
	}
	d->nmissing = keep;
}

static void judge(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now, struct decision *d, struct verdict *v)
{
	size_t rule = SIZE_MAX;

	v->sev = policy_sev_class(pol, l);
	v->rule = UINT32_MAX;
	switch (policy_match(pol, inv, l, now, &rule)) {
	case MATCH_YES:
		*v = (struct verdict){ VERDICT_RECOGNISED, STATE_OK, v->sev, (uint32_t)rule };
		d->recognised++;
		if (d->nmissing)
			required_met(pol, inv, l, now, rule, d);
		break;
	case MATCH_UNKNOWN:
		v->kind = VERDICT_UNVERIFIABLE;
		v->state = STATE_UNKNOWN;
		d->unverifiable++;
		break;
	case MATCH_NO:
		v->kind = VERDICT_UNRECOGNISED;
		v->state = pol->severity[v->sev];
		if (policy_place_unknown(pol, l)) {
			v->state = STATE_UNKNOWN;
			d->unplaced++;
		}
		d->unrecognised++;
		d->per_sev[v->sev]++;
		break;
	}
	d->state = state_worst(d->state, v->state);
}

size_t decision_findings(const struct decision *d)
{
	return d->unrecognised - d->per_sev[SEV_UDP_EPHEMERAL];
}

/* Thresholds on the count of findings only ever raise. */
static enum state apply_thresholds(const struct policy *pol, enum state s, size_t unrecognised)
{
	if (threshold_alerts(&pol->crit, (double)unrecognised))
		s = state_worst(s, STATE_CRITICAL);
	if (threshold_alerts(&pol->warn, (double)unrecognised))
		s = state_worst(s, STATE_WARNING);
	return s;
}

int policy_decide(const struct policy *pol, const struct inventory *inv, int64_t now,
		struct decision *out)
{
	size_t n = inv->nls, nr = pol->nrules;

	memset(out, 0, sizeof(*out));
	/* at least one element each, so that NULL always means failure */
	out->v = calloc(n ? n : 1, sizeof(*out->v));
	out->order = calloc(n ? n : 1, sizeof(*out->order));
	out->expired = calloc(nr ? nr : 1, sizeof(*out->expired));
	out->missing = calloc(nr ? nr : 1, sizeof(*out->missing));
	out->unverified = calloc(nr ? nr : 1, sizeof(*out->unverified));
	if (!out->v || !out->order || !out->expired || !out->missing || !out->unverified) {
		decision_free(out);
		return -ENOMEM;
	}
	out->state = STATE_OK;
	rules_scan(pol, now, out);
	for (size_t i = 0; i < n; i++)
		judge(pol, inv, &inv->ls[i], now, out, &out->v[i]);
	if (out->nmissing)
		required_unverified(pol, inv, now, out);
	if (out->nunverified)
		out->state = state_worst(out->state, STATE_UNKNOWN);
	if (out->nmissing)
		out->state = state_worst(out->state, STATE_CRITICAL);
	out->state = apply_thresholds(pol, out->state, decision_findings(out));
	order_fill(out, n);
	return 0;
}

void decision_free(struct decision *d)
{
	if (!d)
		return;
	free(d->v);
	free(d->order);
	free(d->expired);
	free(d->missing);
	free(d->unverified);
	memset(d, 0, sizeof(*d));
}
