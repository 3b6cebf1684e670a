/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: the --format json document, schema_version 2
 * (conf/check_listeners.schema.json). One shape for every result: a check,
 * an early UNKNOWN and the timeout. Valid JSON whatever bytes names hold. */
#include "json.h"

#include <arpa/inet.h>
#include <string.h>

#include "holders.h"
#include <sys/socket.h>

#include "exe_place.h"
#include "packet.h"
#include "policy.h"
#include "port_info.h"
#include "protoname.h"

#define SCHEMA_VERSION 2
#define PORT_INFO_SCHEMA_VERSION 1     /* conf/check_listeners.port-info.schema.json */

static void key(struct strbuf *sb, const char *k, bool *first)
{
	if (!*first)
		sb_putc(sb, ',');
	*first = false;
	sb_put_json(sb, k);
	sb_putc(sb, ':');
}

static void kv_str(struct strbuf *sb, const char *k, const char *v, bool *first)
{
	key(sb, k, first);
	if (v)
		sb_put_json(sb, v);
	else
		sb_puts(sb, "null");
}

static void kv_num(struct strbuf *sb, const char *k, unsigned long long v, bool *first)
{
	key(sb, k, first);
	sb_printf(sb, "%llu", v);
}

static void kv_bool(struct strbuf *sb, const char *k, bool v, bool *first)
{
	key(sb, k, first);
	sb_puts(sb, v ? "true" : "false");
}

static const char *const owner_state_name[] = {
	[OWNER_UNRESOLVED] = "unresolved", [OWNER_PROCESS] = "process",
	[OWNER_NONE] = "none", [OWNER_DENIED] = "denied",
};

static const char *const verdict_name[] = {
	[VERDICT_RECOGNISED] = "recognised", [VERDICT_UNRECOGNISED] = "unrecognised",
	[VERDICT_UNVERIFIABLE] = "unverifiable",
};

static void put_holder(struct strbuf *sb, const struct holder *h)
{
	bool first = true;

	sb_putc(sb, '{');
	kv_num(sb, "pid", (unsigned long long)h->pid, &first);
	kv_str(sb, "comm", h->comm, &first);
	kv_str(sb, "exe", h->exe, &first);
	kv_bool(sb, "exe_deleted", h->exe_deleted, &first);
	kv_bool(sb, "service_manager", h->manager, &first);
	kv_bool(sb, "judged", h->judged, &first);
	sb_putc(sb, '}');
}

/* The distinct socket uids and their names, in the order met. */
static void put_users(struct strbuf *sb, const struct inventory *inv, const struct listener *l, bool *first)
{
	key(sb, "users", first);
	sb_putc(sb, '[');
	for (uint32_t s = 0, n = 0; s < l->count; s++) {
		const char *name = inv_user(inv, l->s[s].uid);
		bool seen = false, f = true;

		for (uint32_t k = 0; k < s && !seen; k++)
			seen = l->s[k].uid == l->s[s].uid;
		if (seen)
			continue;
		sb_puts(sb, n++ ? ",{" : "{");
		kv_num(sb, "uid", l->s[s].uid, &f);
		kv_str(sb, "name", name && name[0] ? name : NULL, &f);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}

/* state, user, unit, and the holder named first (pid, comm, exe; null unless
 * a process holds it) with every pid, as schema 1.0 has them; then every
 * holder, socket uid and unit. */
static void put_owner(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	const struct owner *o = listener_owner(inv, l);
	const struct holder *h = o->state == OWNER_PROCESS && o->nholders ?
		&o->holders[holders_shown(o->holders, o->nholders)] : NULL;
	const char *user = inv_user(inv, l->s->uid);
	bool first = true;

	sb_putc(sb, '{');
	kv_str(sb, "state", owner_state_name[o->state], &first);
	kv_str(sb, "user", user && user[0] ? user : NULL, &first);
	kv_str(sb, "unit", o->nunits ? o->units[0] : NULL, &first);
	key(sb, "pid", &first);
	if (h)
		sb_printf(sb, "%d", (int)h->pid);
	else
		sb_puts(sb, "null");
	key(sb, "pids", &first);
	sb_putc(sb, '[');
	for (size_t i = 0; h && i < o->nholders; i++)
		sb_printf(sb, "%s%d", i ? "," : "", (int)o->holders[i].pid);
	sb_putc(sb, ']');
	kv_str(sb, "comm", h ? h->comm : NULL, &first);
	kv_str(sb, "exe", h ? h->exe : NULL, &first);
	kv_bool(sb, "exe_deleted", h && h->exe_deleted, &first);
	key(sb, "holders", &first);
	sb_putc(sb, '[');
	for (size_t i = 0; i < o->nholders; i++) {
		if (i)
			sb_putc(sb, ',');
		put_holder(sb, &o->holders[i]);
	}
	sb_putc(sb, ']');
	kv_bool(sb, "holders_complete", o->complete, &first);
	kv_num(sb, "unheld_sockets", o->state == OWNER_UNRESOLVED ? 0 : o->unheld, &first);
	put_users(sb, inv, l, &first);
	key(sb, "units", &first);
	sb_putc(sb, '[');
	for (size_t i = 0; i < o->nunits; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_put_json(sb, o->units[i]);
	}
	sb_putc(sb, ']');
	sb_putc(sb, '}');
}

static void put_rule(struct strbuf *sb, const struct rule *r)
{
	bool first = true;

	sb_putc(sb, '{');
	kv_str(sb, "origin", r->origin ? r->origin : "?", &first);
	kv_str(sb, "comment", r->comment, &first);
	kv_str(sb, "expires", r->expires ? r->expires_text : NULL, &first);
	kv_bool(sb, "require", r->require, &first);
	sb_putc(sb, '}');
}

/* The listener keeps no description (memory per listener is the cost on a
 * large host): it is looked up again here, for the one output that shows it. */
static const char *description(const struct registry *reg, const struct listener *l)
{
	struct port_info pi;

	if (proto_portless(l->s->proto))
		return NULL;
	registry_lookup(reg, l->s->port, l->s->proto == PROTO_TCP ? REG_TCP :
			l->s->proto == PROTO_SCTP ? REG_SCTP : REG_UDP, &pi);
	return pi.description;
}

/* Packet, raw and ping sockets: the protocol they receive, by name (icmp or
 * ipv6-icmp for a ping socket, whose port is its echo identifier), and for a
 * packet socket what packet_diag said (the filter is "withheld" when the
 * kernel would not tell: never a guess). */
static void put_portless(struct strbuf *sb, const struct listener *l, bool *first)
{
	const struct sock_packet *p = &l->s->pkt;
	char name[16];
	bool f = true;

	if (l->s->proto == PROTO_PING)
		kv_str(sb, "protocol", l->s->family == AF_INET6 ? "ipv6-icmp" : "icmp", first);
	else
		kv_str(sb, "protocol", l->s->proto == PROTO_PACKET ?
			eth_proto_format(l->s->port, name, sizeof(name)) :
			ip_proto_format((uint8_t)l->s->port, name, sizeof(name)), first);
	kv_bool(sb, "interface_known", !(l->s->flags & SOCK_IF_UNKNOWN), first);
	kv_num(sb, "inode", l->s->inode, first);        /* one socket per listener */
	if (l->s->proto != PROTO_PACKET)
		return;
	key(sb, "packet", first);
	sb_putc(sb, '{');
	kv_str(sb, "type", packet_type_name(p->type), &f);
	kv_str(sb, "filter", packet_filter_name((enum pkt_filter)p->filter), &f);
	kv_num(sb, "filter_instructions", p->filter_len, &f);
	key(sb, "fanout_group", &f);
	if (p->flags & SP_FANOUT)
		sb_printf(sb, "%u", (unsigned)p->fanout_id);
	else
		sb_puts(sb, "null");
	kv_bool(sb, "rx_ring", p->flags & SP_RX_RING, &f);
	kv_bool(sb, "tx_ring", p->flags & SP_TX_RING, &f);
	sb_putc(sb, '}');
}

static const char *family_name(const struct sock *s)
{
	return s->family == AF_INET ? "ipv4" : s->family == AF_INET6 ? "ipv6" : "packet";
}

static void put_listener(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct registry *reg, const struct listener *l, const struct verdict *v)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	const char *ifname = inv_ifname(inv, l->s);
	bool first = true;

	if (l->s->family != AF_PACKET)
		inet_ntop(l->s->family == AF_INET ? AF_INET : AF_INET6, l->s->addr, addr, sizeof(addr));
	sb_putc(sb, '{');
	kv_str(sb, "netns", inv->ns[l->s->netns].label, &first);
	kv_str(sb, "proto", proto_name(l->s->proto), &first);
	kv_str(sb, "family", family_name(l->s), &first);
	kv_str(sb, "address", l->s->family == AF_PACKET ? NULL : addr, &first);
	kv_num(sb, "port", l->s->port, &first);
	kv_str(sb, "interface", ifname[0] ? ifname : NULL, &first);
	kv_bool(sb, "dual_stack", sock_is_dual_stack(l->s), &first);
	kv_num(sb, "uid", l->s->uid, &first);
	kv_num(sb, "sockets", l->count, &first);
	if (proto_portless(l->s->proto))
		put_portless(sb, l, &first);
	kv_str(sb, "class", proto_portless(l->s->proto) ? proto_name(l->s->proto) :
		port_class_name(l->reg.cls), &first);
	kv_str(sb, "range", proto_portless(l->s->proto) ? NULL : port_range_name(l->reg.range), &first);
	kv_str(sb, "service", l->reg.service, &first);
	kv_str(sb, "description", description(reg, l), &first);
	kv_bool(sb, "ephemeral", l->reg.ephemeral, &first);
	kv_bool(sb, "local_reserved", l->reg.local_reserved, &first);
	kv_bool(sb, "known_abuse", l->reg.suspicious, &first);
	kv_str(sb, "exe_place", exe_place_name((enum exe_place)l->exe_place), &first);
	kv_str(sb, "verdict", verdict_name[v->kind], &first);
	kv_str(sb, "state", state_name(v->state), &first);
	kv_str(sb, "graded_as", sev_class_name(v->sev), &first);
	key(sb, "rule", &first);
	if (v->kind == VERDICT_RECOGNISED)
		put_rule(sb, &pol->rules[v->rule]);
	else
		sb_puts(sb, "null");
	key(sb, "owner", &first);
	put_owner(sb, inv, l);
	sb_putc(sb, '}');
}

static void put_rule_list(struct strbuf *sb, const char *k, const struct policy *pol,
		const size_t *idx, size_t n, bool *first)
{
	key(sb, k, first);
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		put_rule(sb, &pol->rules[idx[i]]);
	}
	sb_putc(sb, ']');
}

/* What every document starts with, up to "details" (included): text is the
 * text result, line 1 becomes "output", the other lines "details". */
static void put_head(struct strbuf *out, const struct json_meta *m, enum state state, const char *text,
		bool *first)
{
	struct strbuf line = STRBUF_INIT;
	const char *nl = strchrnul(text, '\n');

	sb_putc(out, '{');
	kv_num(out, "schema_version", SCHEMA_VERSION, first);
	key(out, "plugin", first);
	sb_puts(out, "{\"name\":\"check_listeners\",\"version\":");
	sb_put_json(out, VERSION);
	sb_puts(out, ",\"registry_snapshot\":");
	if (m->snapshot)
		sb_put_json(out, m->snapshot);
	else
		sb_puts(out, "null");
	sb_putc(out, '}');
	kv_str(out, "outcome", m->outcome, first);
	kv_str(out, "stage", m->stage, first);
	kv_str(out, "state", state_name(state), first);
	kv_num(out, "exit_code", (unsigned long long)state, first);
	sb_put(&line, text, (size_t)(nl - text));
	kv_str(out, "output", sb_cstr(&line), first);
	key(out, "details", first);
	sb_putc(out, '[');
	for (const char *p = *nl ? nl + 1 : nl; *p; ) {
		const char *end = strchrnul(p, '\n');

		sb_reset(&line);
		sb_put(&line, p, (size_t)(end - p));
		if (p != nl + 1)
			sb_putc(out, ',');
		sb_put_json(out, sb_cstr(&line));
		p = *end ? end + 1 : end;
	}
	sb_putc(out, ']');
	key(out, "seconds", first);
	sb_put_seconds(out, m->seconds);
	sb_free(&line);
}

static void put_counts(struct strbuf *out, const size_t n[7], bool *first)
{
	static const char *const names[7] = { "listeners", "recognised", "unrecognised", "unverifiable",
		"missing_required", "unverified_required", "expired_rules" };
	bool f = true;

	key(out, "counts", first);
	sb_putc(out, '{');
	for (size_t i = 0; i < 7; i++)
		kv_num(out, names[i], n[i], &f);
	sb_putc(out, '}');
}

void json_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out)
{
	struct json_meta m = { "checked", NULL, registry_snapshot(ri->reg), ri->seconds };
	size_t counts[7] = { inv->nls, d->recognised, d->unrecognised, d->unverifiable,
		d->nmissing, d->nunverified, d->nexpired };
	struct strbuf text = STRBUF_INIT;
	struct options plain = *o;
	bool first = true;

	plain.max_output = 0;
	report_check(&plain, pol, inv, d, ri, &text);
	put_head(out, &m, d->state, sb_cstr(&text), &first);
	put_counts(out, counts, &first);
	key(out, "listeners", &first);
	sb_putc(out, '[');
	for (size_t i = 0; i < d->norder; i++) {
		if (i)
			sb_putc(out, ',');
		put_listener(out, pol, inv, ri->reg, &inv->ls[d->order[i]], &d->v[d->order[i]]);
	}
	sb_putc(out, ']');
	put_rule_list(out, "missing_required", pol, d->missing, d->nmissing, &first);
	put_rule_list(out, "unverified_required", pol, d->unverified, d->nunverified, &first);
	put_rule_list(out, "expired_rules", pol, d->expired, d->nexpired, &first);
	key(out, "notes", &first);
	sb_putc(out, '[');
	for (size_t i = 0; i < inv->nnotes; i++) {
		if (i)
			sb_putc(out, ',');
		sb_put_json(out, inv->notes[i]);
	}
	if (ri->owner_note) {
		if (inv->nnotes)
			sb_putc(out, ',');
		sb_put_json(out, ri->owner_note);
	}
	if (inv->rpc.state == RPC_UNAVAILABLE) {
		struct strbuf why = STRBUF_INIT;

		if (inv->nnotes || ri->owner_note)
			sb_putc(out, ',');
		sb_printf(&why, "port = \"rpc\" recognises nothing: %s", inv->rpc.why);
		sb_put_json(out, sb_cstr(&why));
		sb_free(&why);
	}
	sb_puts(out, "]}\n");
	sb_free(&text);
}

void json_text(enum state state, const char *text, const struct json_meta *m, struct strbuf *out)
{
	static const size_t none[7];
	bool first = true;

	put_head(out, m, state, text, &first);
	put_counts(out, none, &first);
	sb_puts(out, ",\"listeners\":[],\"missing_required\":[],\"unverified_required\":[],"
			"\"expired_rules\":[],\"notes\":[]}\n");
}

void json_wrap(enum state state, const struct json_meta *m, struct strbuf *out)
{
	struct strbuf doc = STRBUF_INIT;

	json_text(state, sb_cstr(out), m, &doc);
	sb_free(out);
	*out = doc;
}

void json_wrap_error(enum state state, const char *snapshot, double seconds, struct strbuf *out)
{
	struct json_meta m = { "error", NULL, snapshot, seconds };

	json_wrap(state, &m, out);
}

/* Rendered with a control character where the stage goes (the contract
 * writes it as the text \u0001, JSON "\\u0001"), then cut there: the handler
 * only puts the stage in between. */
size_t json_timeout(enum state state, unsigned seconds, const char *before, const char *after,
		struct strbuf parts[3])
{
	static const char mark[] = "\\\\u0001";
	struct json_meta m = { "timeout", "\001", NULL, (double)seconds };
	struct strbuf text = STRBUF_INIT, doc = STRBUF_INIT;
	const char *p;
	size_t n = 0;

	sb_puts(&text, before);
	sb_putc(&text, '\001');
	sb_puts(&text, after);
	json_text(state, sb_cstr(&text), &m, &doc);
	for (p = sb_cstr(&doc); n < 2; n++) {
		const char *cut = strstr(p, mark);

		if (!cut)
			break;
		sb_put(&parts[n], p, (size_t)(cut - p));
		p = cut + strlen(mark);
	}
	sb_puts(&parts[n++], p);
	sb_free(&text);
	sb_free(&doc);
	return n;
}

struct port_json {
	struct strbuf *out;
	bool first;
};

static void put_port_proto(int p, const struct port_info *pi, const char *iana, void *ctx)
{
	struct port_json *pj = ctx;
	struct strbuf *out = pj->out;
	bool one = true;

	sb_puts(out, pj->first ? "{" : ",{");
	pj->first = false;
	kv_str(out, "proto", reg_proto_name((enum reg_proto)p), &one);
	kv_str(out, "class", port_class_name(pi->cls), &one);
	kv_str(out, "service", pi->service, &one);
	kv_str(out, "iana_service", iana, &one);
	kv_bool(out, "overridden", pi->overridden, &one);
	kv_str(out, "description", pi->description, &one);
	kv_str(out, "range", port_range_name(pi->range), &one);
	kv_bool(out, "ephemeral", pi->ephemeral, &one);
	kv_bool(out, "local_reserved", pi->local_reserved, &one);
	key(out, "suspicious", &one);
	if (pi->suspicious) {
		bool inner = true;

		sb_putc(out, '{');
		kv_str(out, "reason", pi->suspicious_reason, &inner);
		kv_str(out, "source", pi->suspicious_source, &inner);
		sb_putc(out, '}');
	} else {
		sb_puts(out, "null");
	}
	sb_putc(out, '}');
}

void json_port_info(uint16_t port, int proto, const struct registry *reg,
		const struct policy *pol, const struct netns *local, struct strbuf *out)
{
	struct port_json pj = { out, true };

	sb_printf(out, "{\"schema_version\":%d,\"port\":%u,\"protocols\":[", PORT_INFO_SCHEMA_VERSION,
			(unsigned)port);
	port_info_each(port, proto, reg, pol, local, put_port_proto, &pj);
	sb_puts(out, "],\"ephemeral_range\":");
	if (local->eph_lo || local->eph_hi)
		sb_printf(out, "[%u,%u]", (unsigned)local->eph_lo, (unsigned)local->eph_hi);
	else
		sb_puts(out, "null");
	sb_puts(out, ",\"registry_snapshot\":");
	sb_put_json(out, registry_snapshot(reg));
	sb_puts(out, "}\n");
}
