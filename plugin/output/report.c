/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report: the plugin contract (line 1 + perfdata, detail lines) and the
 * results that are only a line or two (UNKNOWN, usage, --check-config, the
 * timeout). Every string from the system goes through sb_put_escaped(). */
#include "report.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config_file.h"
#include "exe_place.h"
#include "help.h"
#include "holders.h"
#include "ownertext.h"
#include "packet.h"
#include "policy.h"
#include "protoname.h"

#define MAX_DETAIL_LINES 40
#define SUMMARY_WIDTH 72      /* bytes of line 1 for the worst listeners */

static const char *const sev_phrase[SEV_COUNT] = {
	[SEV_ASSIGNED] = "on an assigned port",
	[SEV_UNASSIGNED] = "on an unassigned port",
	[SEV_RESERVED] = "on a reserved port",
	[SEV_DYNAMIC] = "on a dynamic port",
	[SEV_UDP_EPHEMERAL] = "on an ephemeral UDP port",
	[SEV_SUSPICIOUS] = "on a known-abuse port",     /* or with a suspicious executable */
	[SEV_PACKET] = "on a packet socket",
	[SEV_PACKET_FILTER] = "on a packet socket with a BPF filter",
	[SEV_RAW] = "on a raw socket",
	[SEV_PING] = "on a ping socket",
};

/* The phrase of a class for listener l: a suspicious one says which kind. */
static const char *phrase_of(const struct listener *l, enum sev_class c)
{
	if (c == SEV_SUSPICIOUS && !l->reg.suspicious)
		return "with a suspicious executable";
	return sev_phrase[c];
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

static void put_endpoint(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	listener_format_endpoint(inv, l, ep, sizeof(ep));
	sb_put_escaped(sb, ep, 0);
}

static void put_netns(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	if (l->s->netns == 0)
		return;
	sb_puts(sb, " netns ");
	sb_put_escaped(sb, inv->ns[l->s->netns].label, sizeof(inv->ns[0].label));
}

/* "tcp/27374 nc" (in netns x): names a listener on line 1. */
static void put_short_name(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	const char *comm = ownertext_shown_comm(inv, l);

	char num[16];

	if (l->s->proto == PROTO_PACKET)
		sb_printf(sb, "packet/%s", eth_proto_format(l->s->port, num, sizeof(num)));
	else if (l->s->proto == PROTO_RAW)
		sb_printf(sb, "raw/%s", ip_proto_format((uint8_t)l->s->port, num, sizeof(num)));
	else if (l->s->proto == PROTO_PING)
		sb_printf(sb, "ping/id=%u", (unsigned)l->s->port);
	else
		sb_printf(sb, "%s/%u", proto_name(l->s->proto), (unsigned)l->s->port);
	if (comm) {
		sb_putc(sb, ' ');
		sb_put_escaped(sb, comm, 16);
	}
	if (l->s->netns != 0) {
		sb_puts(sb, " in ");
		sb_put_escaped(sb, inv->ns[l->s->netns].label, 32);
	}
}

static void put_rule_ref(struct strbuf *sb, const struct rule *r)
{
	sb_put_escaped(sb, r->origin ? r->origin : "?", 256);
	if (r->comment) {
		sb_puts(sb, " (");
		sb_put_escaped(sb, r->comment, 80);
		sb_putc(sb, ')');
	}
}

/* "2 unrecognised listeners on an unassigned port (tcp/27374 nc, +1)": the
 * worst listeners by name, as many as fit in SUMMARY_WIDTH (at least one). */
static void put_worst_names(struct strbuf *sb, const struct inventory *inv, const struct decision *d)
{
	const struct verdict *w = &d->v[d->order[0]];
	struct strbuf name = STRBUF_INIT;
	size_t start = sb->len, named = 0;

	sb_printf(sb, "%zu unrecognised listener%s", d->unrecognised, plural(d->unrecognised));
	if (d->per_sev[w->sev] == d->unrecognised)
		sb_printf(sb, " %s", phrase_of(&inv->ls[d->order[0]], (enum sev_class)w->sev));
	sb_puts(sb, " (");
	for (; named < d->unrecognised; named++) {
		sb_reset(&name);
		put_short_name(&name, inv, &inv->ls[d->order[named]]);
		if (named > 0 && sb->len - start + name.len + 2 > SUMMARY_WIDTH)
			break;
		if (named > 0)
			sb_puts(sb, ", ");
		sb_put(sb, name.buf, name.len);
	}
	if (d->unrecognised > named)
		sb_printf(sb, ", +%zu", d->unrecognised - named);
	sb_putc(sb, ')');
	sb_free(&name);
}

/* The summary of line 1, kept short: pagers show only that line. */
static void put_summary(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri)
{
	bool any = false;

	if (ri->ns_skipped > 0 && ri->ns_explicit) {
		sb_printf(sb, "%u of %u network namespaces not checked", ri->ns_skipped, ri->ns_found);
		any = true;
	}
	if (d->unrecognised > 0) {
		if (any)
			sb_puts(sb, ", ");
		put_worst_names(sb, inv, d);
		if (d->unplaced > 0)
			sb_printf(sb, ", %zu of them with an executable not verifiable", d->unplaced);
		any = true;
	}
	if (d->nmissing > 0) {
		const struct rule *r = &pol->rules[d->missing[0]];

		sb_printf(sb, "%s%zu required listener%s missing", any ? ", " : "", d->nmissing, plural(d->nmissing));
		if (r->comment) {
			sb_puts(sb, " (");
			sb_put_escaped(sb, r->comment, 40);
			sb_putc(sb, ')');
		}
		any = true;
	}
	if (d->nunverified > 0) {
		sb_printf(sb, "%s%zu required listener%s not verifiable", any ? ", " : "",
				d->nunverified, plural(d->nunverified));
		any = true;
	}
	if (d->unverifiable > 0) {
		sb_printf(sb, "%s%zu not verifiable (owner unknown)", any ? ", " : "", d->unverifiable);
		any = true;
	}
	if (any)
		sb_printf(sb, ", %zu recognised", d->recognised);
	else
		sb_printf(sb, "%zu listener%s, all recognised", inv->nls, plural(inv->nls));
	if (d->nexpired > 0)
		sb_printf(sb, ", %zu rule%s expired", d->nexpired, plural(d->nexpired));
}

static void put_threshold(struct strbuf *sb, const struct threshold *t)
{
	sb_putc(sb, ';');
	if (t->set)
		sb_puts(sb, t->text);
}

static void put_perfdata(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, double seconds)
{
	size_t per_proto[PROTO_COUNT] = { 0 };

	for (size_t i = 0; i < inv->nls; i++)
		per_proto[inv->ls[i].s->proto]++;
	/* unrecognised= is what -w/-c count: UDP clients are apart, in
	 * unrecognised_udp_ephemeral, so that -w 0 cannot flap on them */
	sb_printf(sb, "listeners=%zu;;;0 unrecognised=%zu", inv->nls, decision_findings(d));
	put_threshold(sb, &pol->warn);
	put_threshold(sb, &pol->crit);
	sb_puts(sb, ";0");
	for (int c = 0; c < SEV_COUNT; c++)
		sb_printf(sb, " unrecognised_%s=%zu;;;0", sev_class_name((enum sev_class)c), d->per_sev[c]);
	sb_printf(sb, " unverifiable=%zu;;;0 missing=%zu;;;0", d->unverifiable, d->nmissing);
	for (int p = 0; p < PROTO_COUNT; p++)
		sb_printf(sb, " %s=%zu;;;0", proto_name((unsigned)p), per_proto[p]);
	sb_puts(sb, " time=");
	sb_put_seconds(sb, seconds);
	sb_puts(sb, "s;;;0");
}

static void put_first_line(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri)
{
	sb_printf(sb, "LISTENERS %s - ", state_name(d->state));
	put_summary(sb, pol, inv, d, ri);
	sb_puts(sb, " | ");
	put_perfdata(sb, pol, inv, d, ri->seconds);
	sb_putc(sb, '\n');
}

/* "type raw, BPF filter of 4 instructions, fanout group 7, rx ring" */
static void put_packet_info(struct strbuf *sb, const struct sock_packet *p)
{
	sb_printf(sb, "type %s, ", packet_type_name(p->type));
	if (p->filter == PKT_FILTER_CLASSIC)
		sb_printf(sb, "BPF filter of %u instruction%s", (unsigned)p->filter_len,
				plural(p->filter_len));
	else if (p->filter == PKT_FILTER_WITHHELD)
		sb_puts(sb, "BPF filter withheld by the kernel: needs CAP_NET_ADMIN");
	else
		sb_puts(sb, "no classic BPF filter");
	if (p->flags & SP_FANOUT)
		sb_printf(sb, ", fanout group %u", (unsigned)p->fanout_id);
	if (p->flags & SP_RX_RING)
		sb_puts(sb, ", rx ring");
	if (p->flags & SP_TX_RING)
		sb_puts(sb, ", tx ring");
}

static void put_class(struct strbuf *sb, const struct listener *l)
{
	if (l->s->proto == PROTO_PACKET) {
		sb_putc(sb, '(');
		put_packet_info(sb, &l->s->pkt);
		sb_putc(sb, ')');
		return;
	}
	if (l->s->proto == PROTO_RAW) {
		sb_puts(sb, "(raw socket)");
		return;
	}
	if (l->s->proto == PROTO_PING) {
		sb_printf(sb, "(ping socket: takes every %s echo reply with id %u)",
			l->s->family == AF_INET6 ? "ICMPv6" : "ICMP", (unsigned)l->s->port);
		return;
	}
	sb_puts(sb, port_class_name(l->reg.cls));
	if (l->reg.service) {
		sb_putc(sb, ' ');
		sb_put_escaped(sb, l->reg.service, 40);
	}
	if (l->reg.ephemeral)
		sb_puts(sb, " ephemeral");
	if (l->reg.local_reserved)
		sb_puts(sb, " local-reserved");
	if (l->reg.suspicious)
		sb_puts(sb, " known-abuse");
}

/* Why an unrecognised listener is suspicious: "Metasploit default ...; ". */
static void put_suspicion(struct strbuf *sb, const struct policy *pol, const struct listener *l)
{
	struct port_info pi = { 0 };

	if (l->reg.suspicious) {
		policy_port_info(pol, l->s->port, proto_reg(l->s->proto), &pi);
		sb_put_escaped(sb, pi.suspicious_reason ? pi.suspicious_reason : "known-abuse port", 0);
		sb_puts(sb, "; ");
	}
	if (exe_place_suspicious((enum exe_place)l->exe_place) || policy_place_unknown(pol, l)) {
		sb_puts(sb, exe_place_reason((enum exe_place)l->exe_place));
		sb_puts(sb, "; ");
	}
}

/* One detail line for a listener: "CRITICAL: tcp 0.0.0.0:27374 unassigned - pid ..." */
static void put_listener_line(struct strbuf *sb, const struct policy *pol, const struct inventory *inv,
		const struct listener *l, const struct verdict *v)
{
	sb_printf(sb, "%s: %s ", state_name(v->state), proto_name(l->s->proto));
	put_endpoint(sb, inv, l);
	if (sock_is_dual_stack(l->s))
		sb_puts(sb, " (dual-stack)");
	sb_putc(sb, ' ');
	put_class(sb, l);
	sb_puts(sb, " - ");
	if (v->kind == VERDICT_UNVERIFIABLE)
		sb_puts(sb, "owner unknown: cannot verify rule; ");
	else if (v->kind == VERDICT_UNRECOGNISED)
		put_suspicion(sb, pol, l);
	else if (v->kind == VERDICT_RECOGNISED) {
		sb_puts(sb, "recognised by ");
		put_rule_ref(sb, &pol->rules[v->rule]);
		sb_puts(sb, "; ");
	}
	ownertext_put(sb, inv, l);
	put_netns(sb, inv, l);
	sb_putc(sb, '\n');
}

/* Appends line to out unless it would pass the byte limit; counts what was cut. */
struct details {
	struct strbuf *out;
	size_t limit;           /* 0 = none */
	size_t reserve;         /* bytes kept for the "... more" line */
	size_t lines, cut;
};

static void detail(struct details *dt, struct strbuf *line)
{
	if (dt->lines >= MAX_DETAIL_LINES ||
	    (dt->limit && dt->out->len + line->len + dt->reserve > dt->limit)) {
		dt->cut++;
	} else {
		sb_put(dt->out, line->buf, line->len);
		dt->lines++;
	}
	sb_reset(line);
}

/* -vvv: the sources used and the time of each stage that has ended. */
static void put_debug(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct run_info *ri, struct details *dt, struct strbuf *line)
{
	const char *regfile = o->registry ? o->registry : pol->registry_file;

	sb_puts(line, "debug: config ");
	sb_put_escaped(line, ri->config_note ? "none" : o->config, 256);
	if (ri->config_note)
		sb_puts(line, " (built-in defaults)\n");
	else
		sb_printf(line, " (%zu rule%s)\n", pol->nrules, plural(pol->nrules));
	detail(dt, line);
	sb_puts(line, "debug: registry ");
	sb_put_escaped(line, regfile ? regfile : "built-in", 256);
	sb_puts(line, " (IANA snapshot ");
	sb_put_escaped(line, registry_snapshot(ri->reg), 16);
	sb_puts(line, ")\n");
	detail(dt, line);
	sb_printf(line, "debug: sockets from netlink sock_diag: %zu socket%s in %zu network namespace%s\n",
			inv->nsocks, plural(inv->nsocks), inv->nns, plural(inv->nns));
	detail(dt, line);
	if (ri->nstages < 2)
		return;
	sb_puts(line, "debug: stages:");
	for (size_t i = 0; i + 1 < ri->nstages; i++)
		sb_printf(line, "%s %s %.3f ms", i ? "," : "", ri->stages[i].name,
				deadline_ms_between(&ri->stages[i].start, &ri->stages[i + 1].start));
	sb_putc(line, '\n');
	detail(dt, line);
}

/* A deleted executable that is not in a suspicious place is most likely an
 * upgrade whose service was not restarted: a note, not a state. */
static void put_deleted_notes(const struct inventory *inv, const struct decision *d,
		struct details *dt, struct strbuf *line)
{
	for (size_t i = 0; i < d->norder; i++) {
		const struct listener *l = &inv->ls[d->order[i]];
		const struct owner *ow = listener_owner(inv, l);

		for (size_t k = 0; !exe_place_suspicious((enum exe_place)l->exe_place) && k < ow->nholders; k++) {
			const struct holder *h = &ow->holders[k];

			if (!h->judged || !h->exe || !h->exe_deleted)
				continue;
			sb_printf(line, "note: pid %d ", (int)h->pid);
			sb_put_escaped(line, h->comm, sizeof(h->comm));
			sb_puts(line, " runs a deleted executable (");
			sb_put_escaped(line, h->exe, 256);
			sb_puts(line, "): restart it if it was upgraded\n");
			detail(dt, line);
		}
	}
}

static void put_details(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct details *dt)
{
	struct strbuf line = STRBUF_INIT;

	for (size_t i = 0; i < d->nmissing; i++) {
		sb_puts(&line, "CRITICAL: required listener missing: rule ");
		put_rule_ref(&line, &pol->rules[d->missing[i]]);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	for (size_t i = 0; i < d->nunverified; i++) {
		sb_puts(&line, "UNKNOWN: required listener not verifiable (owner unknown): rule ");
		put_rule_ref(&line, &pol->rules[d->unverified[i]]);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	for (size_t i = 0; i < d->norder; i++) {
		const struct verdict *v = &d->v[d->order[i]];

		if (v->kind == VERDICT_RECOGNISED && o->verbose < 1)
			break;
		put_listener_line(&line, pol, inv, &inv->ls[d->order[i]], v);
		detail(dt, &line);
	}
	for (size_t i = 0; i < d->nexpired; i++) {
		const struct rule *r = &pol->rules[d->expired[i]];

		sb_puts(&line, "expired rule: ");
		sb_put_escaped(&line, r->origin ? r->origin : "?", 256);
		sb_printf(&line, " (expired %s) no longer recognises anything", r->expires_text);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	if (ri->ns_skipped > 0) {
		sb_printf(&line, "%s%u of %u other network namespaces not checked: ",
				ri->ns_explicit ? "UNKNOWN: " : "note: ", ri->ns_skipped, ri->ns_found);
		sb_put_escaped(&line, ri->ns_reason ? ri->ns_reason : "?", 160);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	put_deleted_notes(inv, d, dt, &line);
	if (ri->owner_note) {
		sb_puts(&line, "note: ");
		sb_put_escaped(&line, ri->owner_note, 0);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	if (inv->rpc.state == RPC_UNAVAILABLE) {
		sb_puts(&line, "note: port = \"rpc\" recognises nothing: ");
		sb_put_escaped(&line, inv->rpc.why, sizeof(inv->rpc.why));
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	if (ri->config_note) {
		sb_puts(&line, "note: ");
		sb_put_escaped(&line, ri->config_note, 0);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	for (size_t i = 0; i < inv->nnotes && o->verbose >= 2; i++) {
		sb_puts(&line, "note: ");
		sb_put_escaped(&line, inv->notes[i], 512);
		sb_putc(&line, '\n');
		detail(dt, &line);
	}
	if (o->verbose >= 3)
		put_debug(o, pol, inv, ri, dt, &line);
	sb_free(&line);
}

void report_check(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out)
{
	struct details dt = { out, o->max_output, 48, 0, 0 };

	put_first_line(out, pol, inv, d, ri);
	put_details(o, pol, inv, d, ri, &dt);
	if (dt.cut > 0)
		sb_printf(out, "... and %zu more line%s (see --list)\n", dt.cut, plural(dt.cut));
}

void report_timeout(enum state s, unsigned seconds, struct strbuf *before, struct strbuf *after)
{
	sb_printf(before, "LISTENERS %s - plugin timed out after %u s while ", state_name(s), seconds);
	sb_puts(after, " (raise -t/--timeout)");
}

void report_unknown(const char *reason, char **details, size_t ndetails, struct strbuf *out)
{
	sb_puts(out, "LISTENERS UNKNOWN - ");
	sb_put_escaped(out, reason, 512);
	sb_putc(out, '\n');
	for (size_t i = 0; i < ndetails && i < MAX_DETAIL_LINES; i++) {
		sb_put_escaped(out, details[i], 512);
		sb_putc(out, '\n');
	}
	if (ndetails > MAX_DETAIL_LINES)
		sb_printf(out, "... and %zu more\n", ndetails - MAX_DETAIL_LINES);
}

enum state report_unknownf(struct strbuf *out, char **details, size_t ndetails, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_unknown(reason, details, ndetails, out);
	return STATE_UNKNOWN;
}

void report_config_ok(const char *path, size_t nrules, const struct config_errors *e,
		struct strbuf *out)
{
	size_t nnotes = e->nnotes - e->nwarnings;

	sb_puts(out, "LISTENERS OK - configuration ");
	sb_put_escaped(out, path, 0);
	sb_printf(out, " is valid (%zu rule%s", nrules, plural(nrules));
	if (e->nwarnings)
		sb_printf(out, "; %zu warning%s", e->nwarnings, plural(e->nwarnings));
	if (nnotes)
		sb_printf(out, "%s %zu note%s", e->nwarnings ? "," : ";", nnotes, plural(nnotes));
	sb_puts(out, ")\n");
	for (size_t i = 0; i < e->nnotes && i < MAX_DETAIL_LINES; i++) {
		sb_put_escaped(out, e->notes[i], 512);
		sb_putc(out, '\n');
	}
	if (e->nnotes > MAX_DETAIL_LINES)
		sb_printf(out, "... and %zu more\n", e->nnotes - MAX_DETAIL_LINES);
}

enum state report_config_failed(const char *path, int rc, const struct config_errors *e,
		struct strbuf *out)
{
	if (e->n > 0)
		return report_unknownf(out, e->msg, e->n, "%s (%zu error%s)", e->msg[0], e->n, plural(e->n));
	return report_unknownf(out, NULL, 0, "configuration %s is %s", path,
			rc == -EINVAL ? "invalid" : "unusable");
}

void report_usage(const char *err, struct strbuf *out)
{
	sb_puts(out, "LISTENERS UNKNOWN - ");
	sb_put_escaped(out, err, 0);
	sb_putc(out, '\n');
	sb_puts(out, help_usage());
}
