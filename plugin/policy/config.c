/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the libconfig allowlist file -> struct policy.
 *
 * Pass 3 of three (passes 1 and 2, reading vetted files and lexing @include
 * lines, are in config_file.c, so that libconfig never opens a file we have
 * not vetted): hand the text to libconfig and walk the tree with key tables,
 * one per group: name, accepted types, parser, field. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_dropins.h"
#include "config_file.h"
#include "config_values.h"
#include "numparse.h"
#include "pattern.h"
#include "protoname.h"
#include "registry.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors at settings ---------------------------------------------- */

static const char *key_of(const config_setting_t *s)
{
	const char *name = config_setting_name(s);

	if (!name && config_setting_parent(s))
		name = config_setting_name(config_setting_parent(s));
	return name ? name : "value";
}

enum { AT_ERROR, AT_WARNING, AT_NOTE };

/* A message at a setting: "FILE:LINE: KEY: message", as an error, a warning
 * or a note. */
static void at_setting(struct cfg_loader *ld, int kind, const config_setting_t *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void at_setting(struct cfg_loader *ld, int kind, const config_setting_t *s, const char *fmt, va_list ap)
{
	const char *file;
	unsigned line;
	char text[900];

	vsnprintf(text, sizeof(text), fmt, ap);
	cfg_locate(ld, config_setting_source_line(s), &file, &line);
	if (kind == AT_ERROR)
		cfg_error(ld, file, line, "%s: %s", key_of(s), text);
	else
		cfg_note(ld, kind == AT_WARNING, file, line, "%s: %s", key_of(s), text);
}

/* An error at a setting. Returns -1. */
static int serr(struct cfg_loader *ld, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int serr(struct cfg_loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at_setting(ld, AT_ERROR, s, fmt, ap);
	va_end(ap);
	return -1;
}

/* A warning or a note at a setting: "warning: FILE:LINE: KEY: message". */
static void snote(struct cfg_loader *ld, bool warning, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void snote(struct cfg_loader *ld, bool warning, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at_setting(ld, warning ? AT_WARNING : AT_NOTE, s, fmt, ap);
	va_end(ap);
}

/* ---- pass 3: the tree ------------------------------------------------ */

enum { T_INT = 1, T_STR = 2, T_BOOL = 4, T_LIST = 8, T_GROUP = 16, T_FLOAT = 32 };

static unsigned type_of(const config_setting_t *s)
{
	static const unsigned types[] = {
		[CONFIG_TYPE_GROUP] = T_GROUP, [CONFIG_TYPE_INT] = T_INT, [CONFIG_TYPE_INT64] = T_INT,
		[CONFIG_TYPE_FLOAT] = T_FLOAT, [CONFIG_TYPE_STRING] = T_STR, [CONFIG_TYPE_BOOL] = T_BOOL,
		[CONFIG_TYPE_ARRAY] = T_LIST, [CONFIG_TYPE_LIST] = T_LIST,
	};
	int t = config_setting_type(s);

	return t >= 0 && (size_t)t < NELEM(types) ? types[t] : 0;
}

/* "an integer, a string or a list of these" */
static void type_text(unsigned mask, char *buf, size_t size)
{
	static const char *const names[] = { "an integer", "a string", "a boolean", "a list",
		"a group { }", "a float" };
	size_t n = 0, k = 0, total = (size_t)__builtin_popcount(mask);

	buf[0] = '\0';
	for (size_t i = 0; i < NELEM(names) && n < size; i++) {
		const char *name = names[i];

		if (!(mask & (1u << i)))
			continue;
		if (1u << i == T_LIST && total > 1)
			name = "a list of these";
		k++;
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				k == 1 ? "" : k == total ? " or " : ", ", name);
	}
}

struct key;
typedef int key_parser(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k);

struct key {
	const char *name;
	unsigned types;                 /* T_LIST: also a list of the other types */
	key_parser *parse;              /* called once per value */
	size_t off;                     /* the field in obj */
	bool selects;                   /* a rule field that narrows what the rule matches */
	size_t each;                    /* > 0: off is an array of this element size,
	                                   allocated for all values before parsing */
};

#define FIELD(obj, k, type) ((type *)(void *)((char *)(obj) + (k)->off))

static void key_names(const struct key *keys, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", keys[i].name);
}

/* Room for every value of a list key, so parsers only append. */
static int reserve(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	size_t n = type_of(s) == T_LIST ? (size_t)config_setting_length(s) : 1;
	void **arr = FIELD(obj, k, void *);

	if (!k->each || *arr)
		return 0;
	*arr = calloc(n, k->each);
	return *arr ? 0 : (ld->oom = true, -1);
}

/* Checks the type of s (each element of a list) before calling the parser.
 * The wanted types are put in words only for a message: every setting of
 * every run passes here. */
static int apply(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	unsigned t = type_of(s), scalars = k->types & ~(unsigned)T_LIST;
	char want[128];
	int n, rc = 0;

	if (!(t & k->types)) {
		type_text(k->types, want, sizeof(want));
		return serr(ld, s, "must be %s", want);
	}
	if (t != T_LIST || k->types == T_LIST)
		return reserve(ld, s, obj, k) < 0 ? -1 : k->parse(ld, s, obj, k);
	if ((n = config_setting_length(s)) == 0)
		return serr(ld, s, "empty list");
	if (reserve(ld, s, obj, k) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (!(type_of(e) & scalars)) {
			type_text(scalars, want, sizeof(want));
			rc = serr(ld, e, "each element must be %s", want);
		} else if (k->parse(ld, e, obj, k) < 0) {
			rc = -1;
		}
	}
	return rc;
}

/* Applies the table to every member of group. Returns how many selecting
 * keys it has (used or not), so a rule without any is caught. */
static int walk(struct cfg_loader *ld, const config_setting_t *group, const struct key *keys,
		size_t nkeys, void *obj, const char *what)
{
	int selects = 0;

	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k = 0;
		char known[256];

		while (k < nkeys && strcmp(keys[k].name, name) != 0)
			k++;
		if (k == nkeys) {
			key_names(keys, nkeys, known, sizeof(known));
			serr(ld, s, "unknown key in %s (known: %s)", what, known);
			continue;
		}
		selects += keys[k].selects;
		apply(ld, s, obj, &keys[k]);
	}
	return selects;
}

static int p_string(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	const char *v = config_setting_get_string(s);

	if (*v == '\0')
		return serr(ld, s, "must not be empty");
	free(*FIELD(obj, k, char *));
	*FIELD(obj, k, char *) = strdup(v);
	return *FIELD(obj, k, char *) ? 0 : (ld->oom = true, -1);
}

/* A glob field: a string that pattern_check() accepts. */
static int p_glob(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	const char *v = config_setting_get_string(s);
	const char *why = pattern_check(v);

	if (why)
		return serr(ld, s, "pattern \"%s\" %s", v, why);
	return p_string(ld, s, obj, k);
}

/* The kernel keeps 15 bytes of a command name (TASK_COMM_LEN - 1): a pattern
 * that needs more can never match ("systemd-resolved" is "systemd-resolve"). */
static int p_process(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	const char *v = config_setting_get_string(s);
	size_t need = pattern_check(v) ? 0 : pattern_min_len(v);

	if (need > 15)
		return serr(ld, s, "\"%s\" is %zu bytes, but a command name holds at most 15, so it can "
				"never match; use exe (or unit) instead", v, need);
	return p_glob(ld, s, obj, k);
}

static int p_bool(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	(void)ld;
	*FIELD(obj, k, bool) = config_setting_get_bool(s) != 0;
	return 0;
}

static int p_proto(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	int p = proto_from_name(config_setting_get_string(s));

	if (p < 0)
		return serr(ld, s, "\"%s\" is not tcp, udp, udplite, sctp, packet or raw",
				config_setting_get_string(s));
	*FIELD(obj, k, uint32_t) |= 1u << p;
	return 0;
}

static int p_family(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	const char *v = config_setting_get_string(s);
	uint8_t f = strcmp(v, "ipv4") == 0 ? FAMILY_V4 : strcmp(v, "ipv6") == 0 ? FAMILY_V6 : 0;

	if (!f)
		return serr(ld, s, "\"%s\" is not ipv4 or ipv6", v);
	*FIELD(obj, k, uint8_t) |= f;
	return 0;
}

static int p_port(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct rule *r = obj;
	struct port_span sp;

	(void)k;
	if (type_of(s) == T_STR && strcmp(config_setting_get_string(s), "ephemeral") == 0) {
		r->port_ephemeral = true;
		return 0;
	}
	if (type_of(s) == T_STR && strcmp(config_setting_get_string(s), "rpc") == 0) {
		r->port_rpc = true;
		return 0;
	}
	if (type_of(s) == T_INT) {
		long long v = config_setting_get_int64(s);

		if (v < 0 || v > 65535)
			return serr(ld, s, "%lld is out of range (0-65535)", v);
		sp.lo = sp.hi = (uint16_t)v;
	} else if (!cfg_parse_port(config_setting_get_string(s), &sp)) {
		return serr(ld, s, "\"%s\" is not a port, a range (0-65535, LOW-HIGH with LOW <= HIGH), "
				"\"ephemeral\" or \"rpc\"",
				config_setting_get_string(s));
	}
	r->ports[r->nports++] = sp;
	return 0;
}

/* An ETH_P (proto "packet") or IP (proto "raw") protocol, by name or number;
 * rule_setting() has set protocol_of from the rule's proto. */
static int p_protocol(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct rule *r = obj;
	bool packet = r->protocol_of == PROTO_PACKET;
	long long max = packet ? 65535 : 255, v;
	const char *t;

	(void)k;
	if (r->protocol_of != PROTO_PACKET && r->protocol_of != PROTO_RAW)
		return serr(ld, s, "protocol needs proto = \"packet\" or proto = \"raw\" (one of them)");
	if (type_of(s) == T_INT) {
		v = config_setting_get_int64(s);
		if (v < 0 || v > max)
			return serr(ld, s, "%lld is out of range (0-%lld)", v, max);
	} else {
		t = config_setting_get_string(s);
		v = packet ? eth_proto_parse(t) : ip_proto_parse(t);
		if (v < 0)
			return serr(ld, s, "\"%s\" is not %s", t, packet ?
				"an ETH_P protocol (all, ip, arp, ipv6, lldp, ..., a number or 0xHHHH)" :
				"an IP protocol (icmp, udp, ipv6-icmp, vrrp, raw, ..., or 0-255)");
	}
	r->protocols[r->nprotocols].lo = r->protocols[r->nprotocols].hi = (uint16_t)v;
	r->nprotocols++;
	return 0;
}

static int p_address(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct rule *r = obj;
	const char *v = config_setting_get_string(s), *why = cfg_parse_addr(v, &r->addrs[r->naddrs]);

	(void)k;
	if (why)
		return serr(ld, s, "\"%s\" %s", v, why);
	r->naddrs++;
	return 0;
}

static int p_user(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	char uid[16];
	unsigned long v;
	long long i;

	if (type_of(s) == T_STR) {
		const char *t = config_setting_get_string(s);

		if (*t >= '0' && *t <= '9' && !cfg_parse_num(t, strlen(t), UINT32_MAX - 1, &v))
			return serr(ld, s, "\"%s\" is not a uid (0-4294967294) or a user name", t);
		if (!(*t >= '0' && *t <= '9') && *t && !getpwnam(t))
			snote(ld, true, s, "\"%s\" is not a user on this host: the rule matches nothing here", t);
		return p_string(ld, s, obj, k);
	}
	i = config_setting_get_int64(s);
	if (i < 0 || i >= (long long)UINT32_MAX)
		return serr(ld, s, "uid %lld is out of range (0-4294967294)", i);
	snprintf(uid, sizeof(uid), "%lld", i);
	free(*FIELD(obj, k, char *));
	*FIELD(obj, k, char *) = strdup(uid);
	return *FIELD(obj, k, char *) ? 0 : (ld->oom = true, -1);
}

static int p_expires(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct rule *r = obj;
	const char *v = config_setting_get_string(s);

	(void)k;
	if (!cfg_parse_date(v, &r->expires))
		return serr(ld, s, "\"%s\" is not a date YYYY-MM-DD", v);
	memcpy(r->expires_text, v, sizeof(r->expires_text));
	return 0;
}

/* holder = "none": the only value. A socket that no process holds (a kernel
 * socket, or a descriptor in flight in an SCM_RIGHTS message) is recognised
 * only by a rule that says so. */
static int p_holder(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	const char *v = config_setting_get_string(s);

	if (strcmp(v, "none") != 0)
		return serr(ld, s, "\"%s\" is not \"none\" (the only value: held by no process)", v);
	*FIELD(obj, k, bool) = true;
	return 0;
}

static const struct key rule_keys[] = {
	{ "proto", T_STR | T_LIST, p_proto, offsetof(struct rule, protos), true, 0 },
	{ "family", T_STR | T_LIST, p_family, offsetof(struct rule, families), true, 0 },
	{ "port", T_INT | T_STR | T_LIST, p_port, offsetof(struct rule, ports), true,
		sizeof(struct port_span) },
	{ "protocol", T_INT | T_STR | T_LIST, p_protocol, offsetof(struct rule, protocols), true,
		sizeof(struct port_span) },
	{ "address", T_STR | T_LIST, p_address, offsetof(struct rule, addrs), true,
		sizeof(struct addr_match) },
	{ "interface", T_STR, p_glob, offsetof(struct rule, interface), true, 0 },
	{ "process", T_STR, p_process, offsetof(struct rule, process), true, 0 },
	{ "exe", T_STR, p_glob, offsetof(struct rule, exe), true, 0 },
	{ "user", T_STR | T_INT, p_user, offsetof(struct rule, user), true, 0 },
	{ "unit", T_STR, p_glob, offsetof(struct rule, unit), true, 0 },
	{ "holder", T_STR, p_holder, offsetof(struct rule, holder_none), true, 0 },
	{ "netns", T_STR, p_glob, offsetof(struct rule, netns), true, 0 },
	{ "expires", T_STR, p_expires, 0, false, 0 },
	{ "require", T_BOOL, p_bool, offsetof(struct rule, require), false, 0 },
	{ "comment", T_STR, p_string, offsetof(struct rule, comment), false, 0 },
};

/* A "PORT/PROTO" list of struct policy: the array at k->off, its count right after. */
static int p_port_list(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct port_override *v = *FIELD(obj, k, struct port_override *);
	size_t *n = (size_t *)(void *)((char *)obj + k->off + sizeof(struct port_override *));
	const char *t = config_setting_get_string(s), *slash = strrchr(t, '/');
	unsigned long port;
	int proto = slash ? reg_proto_from_name(slash + 1) : -1;

	if (!slash || !cfg_parse_num(t, (size_t)(slash - t), 65535, &port) || proto < 0)
		return serr(ld, s, "\"%s\" is not PORT/PROTO, e.g. \"3206/tcp\"", t);
	v[*n].port = (uint16_t)port;
	v[(*n)++].proto = (uint8_t)proto;
	return 0;
}

_Static_assert(offsetof(struct policy, nunassigned) == offsetof(struct policy, unassigned) + sizeof(void *)
		&& offsetof(struct policy, nsuspicious) == offsetof(struct policy, suspicious) + sizeof(void *)
		&& offsetof(struct policy, nnot_suspicious) == offsetof(struct policy, not_suspicious) + sizeof(void *),
		"p_port_list: each port list is followed by its count");

/* registry.file: relative to the directory of the file that names it, as
 * @include is, and readable now: else every check run would be UNKNOWN
 * although --check-config said the file is valid. */
static int p_registry_file(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct policy *pol = obj;
	const char *v = config_setting_get_string(s), *file;
	unsigned line;
	int err;

	(void)k;
	if (*v == '\0')
		return serr(ld, s, "must not be empty");
	cfg_locate(ld, config_setting_source_line(s), &file, &line);
	free(pol->registry_file);
	err = cfg_file_beside(file, v, strcmp(ld->name, "<string>") != 0, &pol->registry_file);
	if (err == -ENOMEM)
		return ld->oom = true, -1;
	if (err < 0)
		return serr(ld, s, "\"%s\" cannot be used: %s", pol->registry_file,
				err == -EINVAL ? "not a regular file" : strerror(-err));
	return 0;
}

/* A threshold range: "RANGE" as -w/-c take it, or a number N (the range N). */
static int p_range(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	char num[24];
	const char *v = num;

	if (type_of(s) == T_INT)
		snprintf(num, sizeof(num), "%lld", config_setting_get_int64(s));
	else
		v = config_setting_get_string(s);
	if (threshold_parse(v, FIELD(obj, k, struct threshold)) < 0)
		return serr(ld, s, "\"%s\" is not a range [@][START:][END] (e.g. 0, 5:, @1:3, ~:10)", v);
	return 0;
}

static const struct key registry_keys[] = {
	{ "file", T_STR, p_registry_file, 0, false, 0 },
	{ "unassigned", T_STR | T_LIST, p_port_list, offsetof(struct policy, unassigned), false,
		sizeof(struct port_override) },
	{ "suspicious", T_STR | T_LIST, p_port_list, offsetof(struct policy, suspicious), false,
		sizeof(struct port_override) },
	{ "not_suspicious", T_STR | T_LIST, p_port_list, offsetof(struct policy, not_suspicious), false,
		sizeof(struct port_override) },
};
static const struct key netns_keys[] = {
	{ "all", T_BOOL, p_bool, offsetof(struct policy, all_netns), false, 0 },
};
static const struct key threshold_keys[] = {
	{ "warning", T_STR | T_INT, p_range, offsetof(struct policy, warn), false, 0 },
	{ "critical", T_STR | T_INT, p_range, offsetof(struct policy, crit), false, 0 },
};

static int p_registry(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	(void)k;
	walk(ld, s, registry_keys, NELEM(registry_keys), obj, "registry");
	return 0;
}

static int p_netns(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	(void)k;
	walk(ld, s, netns_keys, NELEM(netns_keys), obj, "netns");
	return 0;
}

static int p_thresholds(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	(void)k;
	walk(ld, s, threshold_keys, NELEM(threshold_keys), obj, "thresholds");
	return 0;
}

/* The keys are the policy module's class names. */
static int p_severity(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
{
	struct policy *pol = obj;

	(void)k;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *v = config_setting_get_string(e);
		int cls = sev_class_from_name(config_setting_name(e)), st = v ? state_from_name(v) : -1;

		if (cls < 0) {
			char known[128];
			size_t n = 0;

			for (int c = 0; c < SEV_COUNT && n < sizeof(known); c++)
				n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", c ? ", " : "",
						sev_class_name((enum sev_class)c));
			serr(ld, e, "unknown key in severity (known: %s)", known);
		} else if (!v)
			serr(ld, e, "must be a string: \"ok\", \"warning\", \"critical\" or \"unknown\"");
		else if (st < 0)
			serr(ld, e, "\"%s\" is not \"ok\", \"warning\", \"critical\" or \"unknown\"", v);
		else
			pol->severity[cls] = (enum state)st;
	}
	return 0;
}

/* PROTO_PACKET or PROTO_RAW when the rule's proto is exactly that one, so
 * that `protocol` knows which numbers it names (keys come in any order). */
static uint8_t protocol_kind(const config_setting_t *g)
{
	const config_setting_t *p = config_setting_get_member(g, "proto");
	const char *v;

	if (p && type_of(p) == T_LIST && config_setting_length(p) == 1)
		p = config_setting_get_elem(p, 0);
	v = p && type_of(p) == T_STR ? config_setting_get_string(p) : NULL;
	if (v && strcmp(v, "packet") == 0)
		return PROTO_PACKET;
	return v && strcmp(v, "raw") == 0 ? PROTO_RAW : PROTO_COUNT;
}

/* Packet and raw sockets have no port: a rule only for them with a port
 * would never match anything. */
static void check_portless(struct cfg_loader *ld, const config_setting_t *g, const struct rule *r)
{
	uint32_t portless = 1u << PROTO_PACKET | 1u << PROTO_RAW;

	if ((r->nports || r->port_ephemeral || r->port_rpc) && r->protos && !(r->protos & ~portless))
		serr(ld, g, "packet and raw sockets have no port: use protocol (e.g. protocol = \"all\")");
	else if (r->port_rpc && r->protos && !(r->protos & (1u << PROTO_TCP | 1u << PROTO_UDP)))
		serr(ld, g, "port = \"rpc\" is a TCP or UDP port that rpcbind lists: proto must include tcp or udp");
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
		return serr(ld, g, "empty rule { } would match every listener");
	r->protocol_of = protocol_kind(g);
	if (walk(ld, g, rule_keys, NELEM(rule_keys), r, "rule") == 0)
		return serr(ld, g, "rule has only comment/require/expires and would match every "
				"listener: give proto, port, address, process, unit, ...");
	if (r->process && !r->exe && !r->unit && !r->user)
		snote(ld, false, g, "rule matches on process alone: the command name is chosen by the "
				"process itself (prctl); add unit, exe or user");
	if (r->port_rpc && !r->exe && !r->unit && !r->holder_none)
		snote(ld, false, g, "port = \"rpc\" without unit, exe or holder = \"none\" recognises "
				"whatever program root registers with rpcbind; add its owner");
	check_portless(ld, g, r);
	return 0;
}

static int p_allow(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct key *k)
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

		if (type_of(g) != T_GROUP)
			serr(ld, g, "each rule must be a group { ... }");
		else
			rule_setting(ld, g, &pol->rules[pol->nrules++]);
	}
	return 0;
}

static const struct key top_keys[] = {
	{ "severity", T_GROUP, p_severity, 0, false, 0 },
	{ "registry", T_GROUP, p_registry, 0, false, 0 },
	{ "netns", T_GROUP, p_netns, 0, false, 0 },
	{ "thresholds", T_GROUP, p_thresholds, 0, false, 0 },
	{ "allow", T_LIST, p_allow, 0, false, 0 },
};

/* A drop-in adds rules; settings that hold one value stay in the main file,
 * so that no file order decides them. */
static const struct key dropin_keys[] = {
	{ "allow", T_LIST, p_allow, 0, false, 0 },
};

/* ---- loading --------------------------------------------------------- */

/* libconfig's own words, and what to do about the one people meet most. */
static void syntax_error(struct cfg_loader *ld, config_t *cf)
{
	const char *text = config_error_text(cf), *file;
	unsigned line;

	cfg_locate(ld, (unsigned)config_error_line(cf), &file, &line);
	if (strstr(text, "mismatched element type"))
		cfg_error(ld, file, line, "%s: an array [ ] holds values of one type: "
				"write a list ( 22, \"80-90\" ) to mix numbers and ranges", text);
	else
		cfg_error(ld, file, line, "%s", text);
}

/* libconfig parses the spliced text from memory; its include directory
 * "/dev/null" can never open, should it ever see an @include the lexer
 * missed. */
static void parse_text(struct cfg_loader *ld, struct policy *tmp, const struct key *keys, size_t nkeys,
		const char *what)
{
	config_t cf;

	config_init(&cf);
	config_set_include_dir(&cf, "/dev/null");
	if (config_read_string(&cf, ld->text) == CONFIG_TRUE)
		walk(ld, config_root_setting(&cf), keys, nkeys, tmp, what);
	else
		syntax_error(ld, &cf);
	config_destroy(&cf);
}

/* A copy of pol's settings that the command line may have set already. */
static void tmp_from(struct policy *tmp, const struct policy *pol)
{
	policy_init(tmp);
	memcpy(tmp->severity, pol->severity, sizeof(tmp->severity));
	tmp->all_netns = pol->all_netns;
	tmp->warn = pol->warn;
	tmp->crit = pol->crit;
}

/* tmp replaces pol only when there is no error. */
static int commit(struct cfg_loader *ld, struct policy *tmp, struct policy *pol)
{
	int rc;

	if (ld->oom)
		cfg_error(ld, ld->name, 0, "out of memory");
	rc = ld->oom ? -ENOMEM : ld->fatal ? ld->fatal : ld->errs->n ? -EINVAL : 0;
	if (rc == 0) {
		policy_free(pol);
		*pol = *tmp;
	} else {
		policy_free(tmp);
	}
	cfg_loader_free(ld);
	return rc;
}

/* The drop-in files of path's directory (config_dropins.h), each spliced
 * under the same trust rule as the main file and read for allow only. Not
 * inlined: its 14 KiB of buffers in config_load()'s frame would put the main
 * file's splice and trust walk that much deeper on the stack (fresh pages). */
__attribute__((noinline))
static void load_dropins(struct cfg_loader *top, const char *path, struct policy *tmp)
{
	char dir[PATH_MAX], file[PATH_MAX + 256], err[PATH_MAX + 256];
	char **names = NULL;
	size_t n = 0;
	int rc;

	if (cfg_dropin_dir(path, dir, sizeof(dir)) < 0)
		return;
	rc = cfg_dropin_names(dir, top->trust.strict, &names, &n, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct cfg_loader ld = { .name = file, .includes = true, .trust = top->trust, .errs = top->errs };
		size_t errors = top->errs->n;

		snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
		if (cfg_splice_file(&ld) == 0 && top->errs->n == errors && !ld.oom)
			parse_text(&ld, tmp, dropin_keys, NELEM(dropin_keys), "a drop-in file (rules go in allow)");
		if (ld.fatal && !top->fatal)
			top->fatal = ld.fatal;
		top->oom |= ld.oom;
		cfg_loader_free(&ld);
	}
	if (rc < 0 && rc != -ENOENT) {
		struct cfg_loader ld = { .name = dir, .errs = top->errs };

		cfg_error(&ld, dir, 0, "%s", err);
		top->oom |= ld.oom || rc == -ENOMEM;
		if (!top->fatal && rc != -ENOMEM)
			top->fatal = rc;
	}
	cfg_dropin_free(names, n);
}

int config_load(const char *path, const struct trust *t, struct policy *pol,
		struct config_errors *errs)
{
	struct cfg_loader ld = { .name = path, .errs = errs };
	struct policy tmp;
	int rc;

	*errs = (struct config_errors){ 0 };
	if (t)
		ld.trust = *t;
	rc = cfg_splice_file(&ld);
	if (rc < 0) {
		cfg_loader_free(&ld);
		return rc;
	}
	tmp_from(&tmp, pol);
	if (ld.errs->n == 0 && !ld.oom)
		parse_text(&ld, &tmp, top_keys, NELEM(top_keys), "the configuration");
	load_dropins(&ld, path, &tmp);
	return commit(&ld, &tmp, pol);
}

int config_load_string(const char *text, struct policy *pol, struct config_errors *errs)
{
	struct cfg_loader ld = { .name = "<string>", .errs = errs };
	struct policy tmp;

	*errs = (struct config_errors){ 0 };
	cfg_splice_string(&ld, text);
	tmp_from(&tmp, pol);
	if (ld.errs->n == 0 && !ld.oom)
		parse_text(&ld, &tmp, top_keys, NELEM(top_keys), "the configuration");
	return commit(&ld, &tmp, pol);
}
