/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listing: the --list table, one row per listener, then the plugin result.
 * Every string from the system goes through sb_put_escaped(). */
#include "listing.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include "ownertext.h"
#include "packet.h"
#include "policy.h"
#include "protoname.h"

static const char *stack_name(const struct listener *l)
{
	if (l->s->family == AF_PACKET)
		return "-";
	if (l->s->family == AF_INET)
		return "v4";
	if (!sock_is_wildcard(l->s))
		return "v6";    /* the kernel sets v6only on any specific IPv6 address */
	return sock_is_dual_stack(l->s) ? "dual" : "v6only";
}

/* The CLASS cell of --list: the port class, or for a packet socket its
 * filter ("packet,bpf=4", "packet,bpf=?" when withheld), or "raw". */
static void put_list_class(struct strbuf *cell, const struct listener *l)
{
	if (l->s->proto == PROTO_PACKET) {
		sb_puts(cell, "packet");
		if (l->s->pkt.filter == PKT_FILTER_CLASSIC)
			sb_printf(cell, ",bpf=%u", (unsigned)l->s->pkt.filter_len);
		else if (l->s->pkt.filter == PKT_FILTER_WITHHELD)
			sb_puts(cell, ",bpf=?");
		return;
	}
	if (l->s->proto == PROTO_RAW || l->s->proto == PROTO_PING) {
		sb_puts(cell, proto_name(l->s->proto));
		return;
	}
	sb_puts(cell, port_class_name(l->reg.cls));
	if (l->reg.ephemeral)
		sb_puts(cell, ",ephemeral");
	if (l->reg.local_reserved)
		sb_puts(cell, ",local-reserved");
	if (l->reg.suspicious)
		sb_puts(cell, ",known-abuse");
}

static void put_padded(struct strbuf *sb, struct strbuf *cell, size_t width)
{
	sb_put(sb, sb_cstr(cell), cell->len);
	for (size_t i = cell->len; i < width; i++)
		sb_putc(sb, ' ');
	sb_putc(sb, ' ');
	sb_reset(cell);
}

void listing_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out)
{
	struct strbuf cell = STRBUF_INIT;
	struct options full = *o;
	char ep[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];

	sb_puts(out, "NETNS        PROTO   LOCAL                          STACK  IF       UID    SOCKS "
			"CLASS                SERVICE          STATE    OWNER\n");
	for (size_t i = 0; i < inv->nls; i++) {
		const struct listener *l = &inv->ls[i];
		const struct verdict *v = &d->v[i];

		sb_put_escaped(&cell, inv->ns[l->s->netns].label, 32);
		put_padded(out, &cell, 12);
		sb_puts(&cell, proto_name(l->s->proto));
		put_padded(out, &cell, 7);
		listener_format_endpoint(inv, l, ep, sizeof(ep));
		sb_put_escaped(&cell, ep, 0);
		put_padded(out, &cell, 30);
		sb_puts(&cell, stack_name(l));
		put_padded(out, &cell, 6);
		sb_put_escaped(&cell, inv_ifname(inv, l->s)[0] ? inv_ifname(inv, l->s) :
				l->s->flags & SOCK_IF_UNKNOWN ? "?" : "-", 0);
		put_padded(out, &cell, 8);
		sb_printf(&cell, "%u", (unsigned)l->s->uid);
		put_padded(out, &cell, 6);
		sb_printf(&cell, "%u", (unsigned)l->count);
		put_padded(out, &cell, 5);
		put_list_class(&cell, l);
		put_padded(out, &cell, 20);
		if (l->s->proto == PROTO_PACKET)
			sb_puts(&cell, packet_type_name(l->s->pkt.type));
		else
			sb_put_escaped(&cell, l->reg.service ? l->reg.service : "-", 16);
		put_padded(out, &cell, 16);
		sb_puts(&cell, v->kind == VERDICT_RECOGNISED ? "ok" :
				v->kind == VERDICT_UNVERIFIABLE ? "unverif" : state_name(v->state));
		put_padded(out, &cell, 8);
		ownertext_put(out, inv, l);
		if (v->kind == VERDICT_RECOGNISED && pol->rules[v->rule].comment) {
			sb_puts(out, " # ");
			sb_put_escaped(out, pol->rules[v->rule].comment, 80);
		}
		sb_putc(out, '\n');
	}
	sb_free(&cell);
	sb_putc(out, '\n');
	full.max_output = 0;
	report_check(&full, pol, inv, d, ri, out);
}
