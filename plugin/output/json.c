/* json: the --format json document. Valid JSON whatever bytes process names hold. */
#include "json.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "policy.h"

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
	[OWNER_UNRESOLVED] = "not looked up", [OWNER_PROCESS] = "process",
	[OWNER_KERNEL] = "kernel", [OWNER_DENIED] = "unknown (no privilege or time)",
};

static const char *const verdict_name[] = {
	[VERDICT_RECOGNISED] = "recognised", [VERDICT_UNRECOGNISED] = "unrecognised",
	[VERDICT_UNVERIFIABLE] = "unverifiable",
};

static void put_owner(struct strbuf *sb, const struct owner *o, const char *user)
{
	bool first = true;

	sb_putc(sb, '{');
	kv_str(sb, "state", owner_state_name[o->state], &first);
	kv_str(sb, "user", user && user[0] ? user : NULL, &first);
	kv_str(sb, "unit", o->unit, &first);
	if (o->state == OWNER_PROCESS) {
		kv_num(sb, "pid", (unsigned long long)o->pid, &first);
		key(sb, "pids", &first);
		sb_putc(sb, '[');
		for (size_t i = 0; i < o->npids; i++)
			sb_printf(sb, "%s%d", i ? "," : "", (int)o->pids[i]);
		sb_putc(sb, ']');
		kv_str(sb, "comm", o->comm, &first);
		kv_str(sb, "exe", o->exe, &first);
		kv_bool(sb, "exe_deleted", o->exe_deleted, &first);
	}
	sb_putc(sb, '}');
}

static void put_rule(struct strbuf *sb, const struct rule *r)
{
	bool first = true;

	sb_putc(sb, '{');
	kv_str(sb, "origin", r->origin, &first);
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

	registry_lookup(reg, l->s->port, l->s->proto == PROTO_TCP ? REG_TCP :
			l->s->proto == PROTO_SCTP ? REG_SCTP : REG_UDP, &pi);
	return pi.description;
}

static void put_listener(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct registry *reg, const struct listener *l, const struct verdict *v)
{
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
	const char *ifname = inv_ifname(inv, l->s);
	bool first = true;

	listener_format_endpoint(inv, l, ep, sizeof(ep));
	sb_putc(sb, '{');
	kv_str(sb, "netns", inv->ns[l->s->netns].label, &first);
	kv_str(sb, "proto", proto_name(l->s->proto), &first);
	kv_str(sb, "family", l->s->family == AF_INET ? "ipv4" : "ipv6", &first);
	kv_str(sb, "endpoint", ep, &first);
	kv_num(sb, "port", l->s->port, &first);
	kv_str(sb, "interface", ifname[0] ? ifname : NULL, &first);
	kv_bool(sb, "dual_stack", sock_is_dual_stack(l->s), &first);
	kv_num(sb, "uid", l->s->uid, &first);
	kv_num(sb, "sockets", l->count, &first);
	kv_str(sb, "class", port_class_name(l->reg.cls), &first);
	kv_str(sb, "range", port_range_name(l->reg.range), &first);
	kv_str(sb, "service", l->reg.service, &first);
	kv_str(sb, "description", description(reg, l), &first);
	kv_bool(sb, "ephemeral", l->reg.ephemeral, &first);
	kv_bool(sb, "local_reserved", l->reg.local_reserved, &first);
	kv_str(sb, "verdict", verdict_name[v->kind], &first);
	kv_str(sb, "state", state_name(v->state), &first);
	kv_str(sb, "graded_as", sev_class_name(v->sev), &first);
	key(sb, "rule", &first);
	if (v->kind == VERDICT_RECOGNISED)
		put_rule(sb, &pol->rules[v->rule]);
	else
		sb_puts(sb, "null");
	key(sb, "owner", &first);
	put_owner(sb, listener_owner(inv, l), inv_user(inv, l->s->uid));
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

void json_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT;
	struct options plain = *o;
	bool first = true;
	char *nl;

	plain.max_output = 0;
	report_check(&plain, pol, inv, d, ri, &text);
	nl = text.buf ? strchr(text.buf, '\n') : NULL;
	if (nl)
		*nl = '\0';
	sb_putc(out, '{');
	kv_str(out, "state", state_name(d->state), &first);
	kv_num(out, "exit_code", (unsigned long long)d->state, &first);
	kv_str(out, "output", sb_cstr(&text), &first);
	kv_num(out, "listeners", inv->nls, &first);
	kv_num(out, "recognised", d->recognised, &first);
	kv_num(out, "unrecognised", d->unrecognised, &first);
	kv_num(out, "unverifiable", d->unverifiable, &first);
	key(out, "seconds", &first);
	sb_printf(out, "%.6f", ri->seconds);
	key(out, "listener_list", &first);
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
	sb_puts(out, "]}\n");
	sb_free(&text);
}

void json_text(enum state state, const char *text, struct strbuf *out)
{
	struct strbuf line = STRBUF_INIT;
	bool first = true;
	size_t n = 0;

	sb_putc(out, '{');
	kv_str(out, "state", state_name(state), &first);
	kv_num(out, "exit_code", (unsigned long long)state, &first);
	for (const char *p = text; *p; n++) {
		const char *end = strchrnul(p, '\n');

		sb_reset(&line);
		sb_put(&line, p, (size_t)(end - p));
		if (n == 0) {
			kv_str(out, "output", sb_cstr(&line), &first);
			key(out, "details", &first);
			sb_putc(out, '[');
		} else {
			if (n > 1)
				sb_putc(out, ',');
			sb_put_json(out, sb_cstr(&line));
		}
		p = *end ? end + 1 : end;
	}
	if (n == 0) {
		kv_str(out, "output", "", &first);
		key(out, "details", &first);
		sb_putc(out, '[');
	}
	sb_puts(out, "]}\n");
	sb_free(&line);
}

void json_wrap(enum state state, struct strbuf *out)
{
	struct strbuf doc = STRBUF_INIT;

	json_text(state, sb_cstr(out), &doc);
	sb_free(out);
	*out = doc;
}
