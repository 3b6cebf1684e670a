/* SPDX-License-Identifier: GPL-3.0-or-later */
/* port_info: --port-info as text. Strings from the registry or the
 * configuration are escaped like every other output. */
#include "port_info.h"

#include "ephemeral.h"
#include "policy.h"

void port_info_each(uint16_t port, int proto, const struct registry *reg, const struct policy *pol,
		const struct netns *local, port_info_fn *fn, void *ctx)
{
	for (int p = 0; p < REG_NPROTO; p++) {
		struct port_info pi;
		const char *iana;

		if (proto >= 0 && p != proto)
			continue;
		registry_lookup(reg, port, (enum reg_proto)p, &pi);
		ephemeral_classify(local, port, &pi);
		iana = pi.service;
		policy_port_info(pol, port, p, &pi);
		fn(p, &pi, iana, ctx);
	}
}

struct text {
	struct strbuf *out;
	uint16_t port;
	const struct netns *local;
};

/* " (TEXT)" after prefix, escaped and cut at max bytes; nothing for NULL. */
static void put_paren(struct strbuf *out, const char *prefix, const char *text, size_t max)
{
	if (!text)
		return;
	sb_puts(out, prefix);
	sb_put_escaped(out, text, max);
	sb_putc(out, ')');
}

static void put_line(int p, const struct port_info *pi, const char *iana, void *ctx)
{
	static const char *const range_text[] = { "system port (0-1023)", "user port (1024-49151)",
		"dynamic port (49152-65535)" };
	struct text *t = ctx;
	struct strbuf *out = t->out;

	sb_printf(out, "%u/%s: %s", (unsigned)t->port, reg_proto_name((enum reg_proto)p),
			port_class_name(pi->cls));
	if (pi->overridden)
		put_paren(out, " (registry.unassigned in the configuration; IANA: ", iana ? iana : "no service", 64);
	if (pi->service) {
		sb_puts(out, ", service ");
		sb_put_escaped(out, pi->service, 64);
	}
	put_paren(out, " (", pi->description, 128);
	sb_printf(out, "; %s", range_text[pi->range]);
	if (t->local->eph_lo || t->local->eph_hi)
		sb_printf(out, "; %s the ephemeral range %u-%u of this host", pi->ephemeral ? "inside" : "outside",
				(unsigned)t->local->eph_lo, (unsigned)t->local->eph_hi);
	sb_printf(out, "; %s", pi->local_reserved ? "listed in ip_local_reserved_ports" :
			"not in ip_local_reserved_ports");
	if (pi->suspicious) {
		sb_puts(out, "; known-abuse port: ");
		sb_put_escaped(out, pi->suspicious_reason, 0);
		put_paren(out, " (source: ", pi->suspicious_source, 0);
	}
	sb_putc(out, '\n');
}

void report_port_info(uint16_t port, int proto, const struct registry *reg, const struct policy *pol,
		const struct netns *local, struct strbuf *out)
{
	struct text t = { out, port, local };

	port_info_each(port, proto, reg, pol, local, put_line, &t);
	sb_printf(out, "(IANA registry snapshot %s)\n", registry_snapshot(reg));
}
