/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rulematch: a rule of the allowlist against a listener. Pure: no I/O.
 *
 * Matching is three-valued. Cheap socket fields are compared first and a
 * known mismatch ends the comparison, so owner fields (which cost a /proc
 * scan) are only consulted for rules that every socket field satisfies.
 */
#include "rulematch.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "ownermatch.h"
#include "pattern.h"

static uint8_t sock_families(const struct sock *s)
{
	if (s->family == AF_INET)
		return FAMILY_V4;
	if (s->family != AF_INET6)
		return 0;       /* a packet socket has no IP family */
	return sock_is_dual_stack(s) ? FAMILY_V4 | FAMILY_V6 : FAMILY_V6;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[whole] ^ b[whole]) & mask) == 0;
}

/* A CIDR compares the bound address. For IPv4, a dual-stack [::] counts as
 * bound to 0.0.0.0, so 0.0.0.0/0 matches it but 10.0.0.0/8 does not, exactly
 * as for a 0.0.0.0 listener: a wildcard is broader than any network. */
static bool cidr_match(const struct addr_match *a, const struct sock *s)
{
	static const uint8_t zero[16];
	unsigned max = a->family == AF_INET ? 32 : 128;
	unsigned bits = a->prefix < max ? a->prefix : max;

	if (a->family == AF_INET && sock_is_dual_stack(s))
		return prefix_equal(zero, a->addr, bits);
	if (a->family != s->family)
		return false;
	return prefix_equal(s->addr, a->addr, bits);
}

static bool addr_match_one(const struct addr_match *a, const struct sock *s)
{
	switch (a->kind) {
	case ADDR_ANY:
		return sock_is_wildcard(s);
	case ADDR_LOOPBACK:
		return sock_is_loopback(s);
	case ADDR_CIDR:
		return cidr_match(a, s);
	}
	return false;
}

static bool spans_match(const struct port_span *sp, size_t n, uint16_t v)
{
	for (size_t i = 0; i < n; i++)
		if (sp[i].lo <= v && v <= sp[i].hi)
			return true;
	return false;
}

/* Ports are for sockets with ports; protocols for packet and raw sockets,
 * whose "port" is the protocol they receive; a ping socket's echo identifier
 * matches neither. "ephemeral" is the listener's
 * own namespace's ip_local_port_range (l->reg.ephemeral, which also leaves
 * out ip_local_reserved_ports); "rpc" a port root registered with rpcbind
 * (l->reg.rpc, never set outside the plugin's own namespace). */
static bool ports_match(const struct rule *r, const struct listener *l)
{
	const struct sock *s = l->s;

	if (proto_portless(s->proto)) {
		if ((r->ports && r->nports) || r->port_ephemeral || r->port_rpc)
			return false;
		return !r->protocols || r->nprotocols == 0 || (s->proto == r->protocol_of &&
			spans_match(r->protocols, r->nprotocols, s->port));
	}
	if (r->protocols && r->nprotocols)
		return false;
	if ((r->port_ephemeral && l->reg.ephemeral) || (r->port_rpc && l->reg.rpc))
		return true;
	if (!r->ports || r->nports == 0)
		return !r->port_ephemeral && !r->port_rpc;
	return spans_match(r->ports, r->nports, s->port);
}

static bool addrs_match(const struct rule *r, const struct sock *s)
{
	if (!r->addrs || r->naddrs == 0)
		return true;
	if (s->family != AF_INET && s->family != AF_INET6)
		return false;   /* a packet socket has no address */
	for (size_t i = 0; i < r->naddrs; i++)
		if (addr_match_one(&r->addrs[i], s))
			return true;
	return false;
}

static const char *netns_label(const struct inventory *inv, uint32_t idx)
{
	return inv && idx < inv->nns ? inv->ns[idx].label : "";
}

bool rule_expired(const struct rule *r, int64_t now)
{
	return r->expires != 0 && now >= r->expires;
}

/* A socket bound to no device matches no interface pattern, not even "*". */
static bool iface_match(const char *pattern, const char *ifname)
{
	return ifname[0] != '\0' && pattern_match(pattern, ifname);
}

/* Every field that needs no owner; true when all of them match. */
static bool socket_fields_match(const struct rule *r, const struct inventory *inv,
		const struct listener *l)
{
	const struct sock *s = l->s;

	if (r->protos && !(s->proto < 32 && (r->protos & (1u << s->proto))))
		return false;
	if (r->families && !(r->families & sock_families(s)))
		return false;
	if (!ports_match(r, l) || !addrs_match(r, s))
		return false;
	if (r->interface && !(s->flags & SOCK_IF_UNKNOWN) && !iface_match(r->interface, inv_ifname(inv, s)))
		return false;
	return !r->netns || pattern_match(r->netns, netns_label(inv, s->netns));
}

enum match rule_match(const struct rule *r, const struct inventory *inv,
		const struct listener *l, int64_t now)
{
	enum match m;

	if (!r || !l || rule_expired(r, now) || !socket_fields_match(r, inv, l))
		return MATCH_NO;
	m = ownermatch(r, inv, l);
	/* /proc/net/raw names no interface: a rule that needs one cannot tell */
	if (m == MATCH_YES && r->interface && (l->s->flags & SOCK_IF_UNKNOWN))
		return MATCH_UNKNOWN;
	return m;
}

enum match policy_match(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now, size_t *rule)
{
	enum match best = MATCH_NO;

	for (size_t i = 0; i < pol->nrules; i++) {
		enum match m = rule_match(&pol->rules[i], inv, l, now);

		if (m == MATCH_YES) {
			if (rule)
				*rule = i;
			return MATCH_YES;
		}
		if (m == MATCH_UNKNOWN)
			best = MATCH_UNKNOWN;
	}
	return best;
}
