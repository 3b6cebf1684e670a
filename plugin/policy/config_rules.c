/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_rules: the allow list of the configuration, one rule per group
 * (config_rules.h). */
#include "config_rules.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_values.h"
#include "pattern.h"
#include "protoname.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The kernel keeps 15 bytes of a command name (TASK_COMM_LEN - 1): a pattern
 * that needs more can never match ("systemd-resolved" is "systemd-resolve"). */
static int p_process(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	size_t need = pattern_check(v) ? 0 : pattern_min_len(v);

	if (need > 15)
		return cfg_serr(ld, s, "\"%s\" is %zu bytes, but a command name holds at most 15, so it can "
				"never match; use exe (or unit) instead", v, need);
	return cfg_p_glob(ld, s, obj, k);
}

static int p_proto(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	int p = proto_from_name(config_setting_get_string(s));

	if (p < 0)
		return cfg_serr(ld, s, "\"%s\" is not tcp, udp, udplite, sctp, packet, raw or ping",
				config_setting_get_string(s));
	*CFG_FIELD(obj, k, uint32_t) |= 1u << p;
	return 0;
}

static int p_family(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	uint8_t f = strcmp(v, "ipv4") == 0 ? FAMILY_V4 : strcmp(v, "ipv6") == 0 ? FAMILY_V6 : 0;

	if (!f)
		return cfg_serr(ld, s, "\"%s\" is not ipv4 or ipv6", v);
	*CFG_FIELD(obj, k, uint8_t) |= f;
	return 0;
}

static int p_port(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct rule *r = obj;
	struct port_span sp;

	(void)k;
	if (cfg_type_of(s) == CFG_T_STR && strcmp(config_setting_get_string(s), "ephemeral") == 0) {
		r->port_ephemeral = true;
		return 0;
	}
	if (cfg_type_of(s) == CFG_T_STR && strcmp(config_setting_get_string(s), "rpc") == 0) {
		r->port_rpc = true;
		return 0;
	}
	if (cfg_type_of(s) == CFG_T_INT) {
		long long v = config_setting_get_int64(s);

		if (v < 0 || v > 65535)
			return cfg_serr(ld, s, "%lld is out of range (0-65535)", v);
		sp.lo = sp.hi = (uint16_t)v;
	} else if (!cfg_parse_port(config_setting_get_string(s), &sp)) {
		return cfg_serr(ld, s, "\"%s\" is not a port, a range (0-65535, LOW-HIGH with LOW <= HIGH), "
				"\"ephemeral\" or \"rpc\"",
				config_setting_get_string(s));
	}
	r->ports[r->nports++] = sp;
	return 0;
}

/* An ETH_P (proto "packet") or IP (proto "raw") protocol, by name or number;
 * rule_setting() has set protocol_of from the rule's proto. */
static int p_protocol(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct rule *r = obj;
	bool packet = r->protocol_of == PROTO_PACKET;
	long long max = packet ? 65535 : 255, v;
	const char *t;

	(void)k;
	if (r->protocol_of != PROTO_PACKET && r->protocol_of != PROTO_RAW)
		return cfg_serr(ld, s, "protocol needs proto = \"packet\" or proto = \"raw\" (one of them)");
	if (cfg_type_of(s) == CFG_T_INT) {
		v = config_setting_get_int64(s);
		if (v < 0 || v > max)
			return cfg_serr(ld, s, "%lld is out of range (0-%lld)", v, max);
	} else {
		t = config_setting_get_string(s);
		v = packet ? eth_proto_parse(t) : ip_proto_parse(t);
		if (v < 0)
			return cfg_serr(ld, s, "\"%s\" is not %s", t, packet ?
				"an ETH_P protocol (all, ip, arp, ipv6, lldp, ..., a number or 0xHHHH)" :
				"an IP protocol (icmp, udp, ipv6-icmp, vrrp, raw, ..., or 0-255)");
	}
	r->protocols[r->nprotocols].lo = r->protocols[r->nprotocols].hi = (uint16_t)v;
	r->nprotocols++;
	return 0;
}

static int p_address(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct rule *r = obj;
	const char *v = config_setting_get_string(s), *why = cfg_parse_addr(v, &r->addrs[r->naddrs]);

	(void)k;
	if (why)
		return cfg_serr(ld, s, "\"%s\" %s", v, why);
	r->naddrs++;
	return 0;
}

static int p_user(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	char uid[16];
	unsigned long v;
	long long i;

	if (cfg_type_of(s) == CFG_T_STR) {
		const char *t = config_setting_get_string(s);

		if (*t >= '0' && *t <= '9' && !cfg_parse_num(t, strlen(t), UINT32_MAX - 1, &v))
			return cfg_serr(ld, s, "\"%s\" is not a uid (0-4294967294) or a user name", t);
		if (!(*t >= '0' && *t <= '9') && *t && !getpwnam(t))
			cfg_snote(ld, true, s, "\"%s\" is not a user on this host: the rule matches nothing here", t);
		return cfg_p_string(ld, s, obj, k);
	}
	i = config_setting_get_int64(s);
	if (i < 0 || i >= (long long)UINT32_MAX)
		return cfg_serr(ld, s, "uid %lld is out of range (0-4294967294)", i);
	snprintf(uid, sizeof(uid), "%lld", i);
	free(*CFG_FIELD(obj, k, char *));
	*CFG_FIELD(obj, k, char *) = strdup(uid);
	return *CFG_FIELD(obj, k, char *) ? 0 : (ld->oom = true, -1);
}

static int p_expires(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct rule *r = obj;
	const char *v = config_setting_get_string(s);

	(void)k;
	if (!cfg_parse_date(v, &r->expires))
		return cfg_serr(ld, s, "\"%s\" is not a date YYYY-MM-DD", v);
	memcpy(r->expires_text, v, sizeof(r->expires_text));
	return 0;
}

/* holder = "none": the only value. A socket that no process holds (a kernel
 * socket, or a descriptor in flight in an SCM_RIGHTS message) is recognised
 * only by a rule that says so. */
static int p_holder(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (strcmp(v, "none") != 0)
		return cfg_serr(ld, s, "\"%s\" is not \"none\" (the only value: held by no process)", v);
	*CFG_FIELD(obj, k, bool) = true;
	return 0;
}

static const struct cfg_key rule_keys[] = {
	{ "proto", CFG_T_STR | CFG_T_LIST, p_proto, offsetof(struct rule, protos), true, 0 },
	{ "family", CFG_T_STR | CFG_T_LIST, p_family, offsetof(struct rule, families), true, 0 },
	{ "port", CFG_T_INT | CFG_T_STR | CFG_T_LIST, p_port, offsetof(struct rule, ports), true,
		sizeof(struct port_span) },
	{ "protocol", CFG_T_INT | CFG_T_STR | CFG_T_LIST, p_protocol, offsetof(struct rule, protocols), true,
		sizeof(struct port_span) },
	{ "address", CFG_T_STR | CFG_T_LIST, p_address, offsetof(struct rule, addrs), true,
		sizeof(struct addr_match) },
	{ "interface", CFG_T_STR, cfg_p_glob, offsetof(struct rule, interface), true, 0 },
	{ "process", CFG_T_STR, p_process, offsetof(struct rule, process), true, 0 },
	{ "exe", CFG_T_STR, cfg_p_glob, offsetof(struct rule, exe), true, 0 },
	{ "user", CFG_T_STR | CFG_T_INT, p_user, offsetof(struct rule, user), true, 0 },
	{ "unit", CFG_T_STR, cfg_p_glob, offsetof(struct rule, unit), true, 0 },
	{ "holder", CFG_T_STR, p_holder, offsetof(struct rule, holder_none), true, 0 },
	{ "netns", CFG_T_STR, cfg_p_glob, offsetof(struct rule, netns), true, 0 },
	{ "expires", CFG_T_STR, p_expires, 0, false, 0 },
	{ "require", CFG_T_BOOL, cfg_p_bool, offsetof(struct rule, require), false, 0 },
	{ "comment", CFG_T_STR, cfg_p_string, offsetof(struct rule, comment), false, 0 },
};

/* PROTO_PACKET or PROTO_RAW when the rule's proto is exactly that one, so
 * that `protocol` knows which numbers it names (keys come in any order). */
static uint8_t protocol_kind(const config_setting_t *g)
{
	const config_setting_t *p = config_setting_get_member(g, "proto");
	const char *v;

	if (p && cfg_type_of(p) == CFG_T_LIST && config_setting_length(p) == 1)
		p = config_setting_get_elem(p, 0);
	v = p && cfg_type_of(p) == CFG_T_STR ? config_setting_get_string(p) : NULL;
	if (v && strcmp(v, "packet") == 0)
		return PROTO_PACKET;
	return v && strcmp(v, "raw") == 0 ? PROTO_RAW : PROTO_COUNT;
}

/* Packet, raw and ping sockets have no port: a rule only for them with a
 * port would never match anything (a ping socket's echo identifier is not
 * one: ping(8) gets a new one on every run). */
static void check_portless(struct cfg_loader *ld, const config_setting_t *g, const struct rule *r)
{
	uint32_t portless = 1u << PROTO_PACKET | 1u << PROTO_RAW | 1u << PROTO_PING;

	if ((r->nports || r->port_ephemeral || r->port_rpc) && r->protos && !(r->protos & ~portless))
		cfg_serr(ld, g, r->protos & (1u << PROTO_PING) ?
			"ping sockets have no port (their echo identifier is none): match them by owner, address or interface" :
			"packet and raw sockets have no port: use protocol (e.g. protocol = \"all\")");
	else if (r->port_rpc && r->protos && !(r->protos & (1u << PROTO_TCP | 1u << PROTO_UDP)))
		cfg_serr(ld, g, "port = \"rpc\" is a TCP or UDP port that rpcbind lists: proto must "
				"include tcp or udp");
}

static int rule_setting(struct cfg_loader *ld, const config_setting_t *g, struct rule *r)
{
	int n = config_setting_length(g);
	const char *file;
	unsigned line;

	cfg_locate(ld, config_setting_source_line(g), &file, &line);
	if (asprintf(&r->origin, "%s:%u", file, line) < 0)
		return r->origin = NULL, ld->oom = true, -1;
	if (n == 0)
		return cfg_serr(ld, g, "empty rule { } would match every listener");
	r->protocol_of = protocol_kind(g);
	if (cfg_walk(ld, g, rule_keys, NELEM(rule_keys), r, "rule") == 0)
		return cfg_serr(ld, g, "rule has only comment/require/expires and would match every "
				"listener: give proto, port, address, process, unit, ...");
	if (r->process && !r->exe && !r->unit && !r->user)
		cfg_snote(ld, false, g, "rule matches on process alone: the command name is chosen by the "
				"process itself (prctl); add unit, exe or user");
	if (r->port_rpc && !r->exe && !r->unit && !r->holder_none)
		cfg_snote(ld, false, g, "port = \"rpc\" without unit, exe or holder = \"none\" recognises "
				"whatever program root registers with rpcbind; add its owner");
	if (r->exe && !r->user && !r->unit)
		cfg_snote(ld, false, g, "rule matches on exe without user: an executable says which file "
				"runs, not which code (an interpreter runs any script) nor for whom; add user (or unit)");
	check_portless(ld, g, r);
	return 0;
}

int cfg_p_allow(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct policy *pol = obj;
	unsigned n = (unsigned)config_setting_length(s);
	struct rule *rules;

	(void)k;
	/* appended: drop-in files add their rules to the main file's */
	if (n && !(rules = realloc(pol->rules, (pol->nrules + n) * sizeof(*pol->rules))))
		return ld->oom = true, -1;
	if (n) {
		pol->rules = rules;
		memset(rules + pol->nrules, 0, n * sizeof(*rules));
	}
	for (unsigned i = 0; i < n; i++) {
		const config_setting_t *g = config_setting_get_elem(s, i);

		if (cfg_type_of(g) != CFG_T_GROUP)
			cfg_serr(ld, g, "each rule must be a group { ... }");
		else
			rule_setting(ld, g, &pol->rules[pol->nrules++]);
	}
	return 0;
}
