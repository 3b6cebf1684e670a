/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for config: every rule field good and bad, unknown keys, wrong
 * types, locations in messages, @include, strict owner, learn-mode round trip.
 * Run from the repository root (fixtures in tests/fixtures/config). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "learn.h"
#include "policy.h"
#include "rulematch.h"
#include "strbuf.h"

#define FIX "tests/fixtures/config/"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers --------------------------------------------------------- */

static int load_str(const char *text, struct policy *pol, struct config_errors *e)
{
	policy_init(pol);
	return config_load_string(text, pol, e);
}

/* Fails the test, printing every message, when none contains want. */
static void assert_has_msg(const struct config_errors *e, const char *want)
{
	for (size_t i = 0; i < e->n; i++)
		if (strstr(e->msg[i], want))
			return;
	for (size_t i = 0; i < e->n; i++)
		print_message("  got: %s\n", e->msg[i]);
	fail_msg("no message contains \"%s\"", want);
}

static int64_t local_midnight(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1 };

	return (int64_t)mktime(&tm);
}

/* ---- good values ----------------------------------------------------- */

struct good_case {
	const char *rule;               /* the text inside allow = ( ... ); */
	void (*check)(const struct rule *r);
};

static void c_proto(const struct rule *r) { assert_int_equal(r->protos, 1u << PROTO_UDPLITE); }
static void c_protos(const struct rule *r)
{
	assert_int_equal(r->protos, (1u << PROTO_TCP) | (1u << PROTO_SCTP));
}
static void c_family(const struct rule *r) { assert_int_equal(r->families, FAMILY_V6); }
static void c_families(const struct rule *r) { assert_int_equal(r->families, FAMILY_V4 | FAMILY_V6); }

static void c_port0(const struct rule *r)
{
	assert_int_equal(r->nports, 1);
	assert_int_equal(r->ports[0].lo, 0);
	assert_int_equal(r->ports[0].hi, 0);
}

static void c_port_max(const struct rule *r)
{
	assert_int_equal(r->nports, 1);
	assert_int_equal(r->ports[0].lo, 65535);
}

static void c_range(const struct rule *r)
{
	assert_int_equal(r->nports, 1);
	assert_int_equal(r->ports[0].lo, 8000);
	assert_int_equal(r->ports[0].hi, 8099);
}

static void c_port_list(const struct rule *r)
{
	assert_int_equal(r->nports, 3);
	assert_int_equal(r->ports[0].lo, 22);
	assert_int_equal(r->ports[1].lo, 80);
	assert_int_equal(r->ports[1].hi, 81);
	assert_int_equal(r->ports[2].hi, 443);
}

static void c_port_array(const struct rule *r)
{
	assert_int_equal(r->nports, 2);
	assert_int_equal(r->ports[0].lo, 67);
	assert_int_equal(r->ports[1].lo, 68);
}

static void c_port_str(const struct rule *r) { assert_int_equal(r->ports[0].hi, 22); }

static void c_any(const struct rule *r)
{
	assert_int_equal(r->naddrs, 1);
	assert_int_equal(r->addrs[0].kind, ADDR_ANY);
}

static void c_loopback(const struct rule *r) { assert_int_equal(r->addrs[0].kind, ADDR_LOOPBACK); }

static void c_cidr4(const struct rule *r)
{
	const uint8_t want[4] = { 10, 0, 0, 0 };

	assert_int_equal(r->addrs[0].kind, ADDR_CIDR);
	assert_int_equal(r->addrs[0].family, AF_INET);
	assert_int_equal(r->addrs[0].prefix, 8);
	assert_memory_equal(r->addrs[0].addr, want, 4);
}

static void c_cidr6(const struct rule *r)
{
	assert_int_equal(r->addrs[0].family, AF_INET6);
	assert_int_equal(r->addrs[0].prefix, 10);
	assert_int_equal(r->addrs[0].addr[0], 0xfe);
	assert_int_equal(r->addrs[0].addr[1], 0x80);
}

static void c_host4(const struct rule *r)
{
	assert_int_equal(r->addrs[0].family, AF_INET);
	assert_int_equal(r->addrs[0].prefix, 32);
	assert_int_equal(r->addrs[0].addr[3], 1);
}

static void c_host6(const struct rule *r)
{
	assert_int_equal(r->addrs[0].family, AF_INET6);
	assert_int_equal(r->addrs[0].prefix, 128);
}

static void c_mapped(const struct rule *r)
{
	assert_int_equal(r->addrs[0].family, AF_INET);
	assert_int_equal(r->addrs[0].prefix, 24);
	assert_int_equal(r->addrs[0].addr[0], 192);
}

static void c_addr_list(const struct rule *r)
{
	assert_int_equal(r->naddrs, 3);
	assert_int_equal(r->addrs[0].kind, ADDR_LOOPBACK);
	assert_int_equal(r->addrs[2].kind, ADDR_CIDR);
}

static void c_strings(const struct rule *r)
{
	assert_string_equal(r->interface, "eth*");
	assert_string_equal(r->process, "ng?nx");
	assert_string_equal(r->exe, "/usr/sbin/*");
	assert_string_equal(r->unit, "docker-*.scope");
	assert_string_equal(r->netns, "pid *");
	assert_string_equal(r->comment, "a \"quoted\" comment");
}

static void c_user(const struct rule *r) { assert_string_equal(r->user, "www-data"); }
static void c_uid_str(const struct rule *r) { assert_string_equal(r->user, "0"); }
static void c_uid_int(const struct rule *r) { assert_string_equal(r->user, "33"); }

static void c_expires(const struct rule *r)
{
	assert_int_equal(r->expires, local_midnight(2024, 3, 1));
	assert_string_equal(r->expires_text, "2024-02-29");
}

static void c_expires_year(const struct rule *r)
{
	assert_int_equal(r->expires, local_midnight(2027, 1, 1));
}

static void c_packet_all(const struct rule *r)
{
	assert_int_equal(r->protos, 1u << PROTO_PACKET);
	assert_int_equal(r->protocol_of, PROTO_PACKET);
	assert_int_equal(r->nprotocols, 1);
	assert_int_equal(r->protocols[0].lo, 0x0003);
	assert_int_equal(r->protocols[0].hi, 0x0003);
}
static void c_packet_list(const struct rule *r)
{
	assert_int_equal(r->nprotocols, 3);
	assert_int_equal(r->protocols[0].lo, 0x0806);   /* "arp" */
	assert_int_equal(r->protocols[1].lo, 0x88cc);   /* 0x88cc, written as hex */
	assert_int_equal(r->protocols[2].lo, 2048);     /* "2048" */
}
static void c_raw_icmp(const struct rule *r)
{
	assert_int_equal(r->protocol_of, PROTO_RAW);
	assert_int_equal(r->nprotocols, 2);
	assert_int_equal(r->protocols[0].lo, 1);
	assert_int_equal(r->protocols[1].lo, 112);
}
static void c_portless_any(const struct rule *r)
{
	assert_int_equal(r->protos, (1u << PROTO_PACKET) | (1u << PROTO_RAW));
	assert_int_equal(r->nprotocols, 0);
	assert_string_equal(r->unit, "systemd-networkd.service");
}

static void c_require(const struct rule *r)
{
	assert_true(r->require);
	assert_int_equal(r->expires, 0);
	assert_null(r->comment);
}

static void c_ephemeral(const struct rule *r)
{
	assert_true(r->port_ephemeral);
	assert_int_equal(r->nports, 0);
}

static void c_ephemeral_mixed(const struct rule *r)
{
	assert_true(r->port_ephemeral);
	assert_int_equal(r->nports, 2);
	assert_int_equal(r->ports[0].lo, 22);
	assert_int_equal(r->ports[1].lo, 80);
	assert_int_equal(r->ports[1].hi, 90);
}

static void c_rpc(const struct rule *r)
{
	assert_true(r->port_rpc);
	assert_false(r->port_ephemeral);
	assert_int_equal(r->nports, 0);
	assert_string_equal(r->exe, "/usr/sbin/rpc.statd");
}

static void c_rpc_mixed(const struct rule *r)
{
	assert_true(r->port_rpc);
	assert_int_equal(r->nports, 1);
	assert_int_equal(r->ports[0].lo, 2049);
}

static void c_comm15(const struct rule *r) { assert_string_equal(r->process, "systemd-resolve*"); }

static const struct good_case good[] = {
	{ "{ port = \"ephemeral\"; unit = \"avahi-daemon.service\"; }", c_ephemeral },
	{ "{ port = ( 22, \"ephemeral\", \"80-90\" ); }", c_ephemeral_mixed },
	{ "{ proto = \"tcp\"; port = \"rpc\"; exe = \"/usr/sbin/rpc.statd\"; }", c_rpc },
	{ "{ proto = ( \"tcp\", \"sctp\" ); port = ( \"rpc\", 2049 ); holder = \"none\"; }", c_rpc_mixed },
	{ "{ process = \"systemd-resolve*\"; }", c_comm15 },         /* 15 bytes and a star */
	{ "{ proto = \"udplite\"; }", c_proto },
	{ "{ proto = [ \"tcp\", \"sctp\" ]; }", c_protos },
	{ "{ family = \"ipv6\"; }", c_family },
	{ "{ family = ( \"ipv4\", \"ipv6\" ); }", c_families },
	{ "{ port = 0; }", c_port0 },
	{ "{ port = 65535; }", c_port_max },
	{ "{ port = \"8000-8099\"; }", c_range },
	{ "{ port = ( 22, \"80-81\", 443 ); }", c_port_list },
	{ "{ port = [ 67, 68 ]; }", c_port_array },
	{ "{ port = \"22\"; }", c_port_str },
	{ "{ port = 22L; }", c_port_str },
	{ "{ port = 0x16; }", c_port_str },
	{ "{ address = \"any\"; }", c_any },
	{ "{ address = \"loopback\"; }", c_loopback },
	{ "{ address = \"10.0.0.0/8\"; }", c_cidr4 },
	{ "{ address = \"fe80::/10\"; }", c_cidr6 },
	{ "{ address = \"192.0.2.1\"; }", c_host4 },
	{ "{ address = \"2001:db8::1\"; }", c_host6 },
	{ "{ address = \"::ffff:192.0.2.0/120\"; }", c_mapped },
	{ "{ address = [ \"loopback\", \"any\", \"10.1.0.0/16\" ]; }", c_addr_list },
	{ "{ interface = \"eth*\"; process = \"ng?nx\"; exe = \"/usr/sbin/*\"; unit = \"docker-*.scope\";"
		" netns = \"pid *\"; comment = \"a \\\"quoted\\\" comment\"; }", c_strings },
	{ "{ user = \"www-data\"; }", c_user },
	{ "{ user = \"0\"; }", c_uid_str },
	{ "{ user = 33; }", c_uid_int },
	{ "{ port = 1; expires = \"2024-02-29\"; }", c_expires },
	{ "{ port = 1; expires = \"2026-12-31\"; }", c_expires_year },
	{ "{ port = 1; require = true; }", c_require },
	{ "{ protocol = \"all\"; proto = \"packet\"; }", c_packet_all },
	{ "{ proto = [ \"packet\" ]; protocol = ( \"arp\", 0x88cc, \"2048\" ); }", c_packet_list },
	{ "{ proto = \"raw\"; protocol = ( \"icmp\", 112 ); }", c_raw_icmp },
	{ "{ proto = [ \"packet\", \"raw\" ]; unit = \"systemd-networkd.service\"; }", c_portless_any },
};

static void test_good_fields(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(good); i++) {
		struct policy pol;
		struct config_errors e;
		char text[512];
		int rc;

		snprintf(text, sizeof(text), "allow = (\n  %s\n);\n", good[i].rule);
		rc = load_str(text, &pol, &e);
		if (rc != 0)
			assert_has_msg(&e, "(no error expected)");
		assert_int_equal(pol.nrules, 1);
		assert_string_equal(pol.rules[0].origin, "<string>:2");
		good[i].check(&pol.rules[0]);
		policy_free(&pol);
		config_errors_free(&e);
	}
}

/* ---- bad values: one error each, at a known line --------------------- */

struct bad_case {
	const char *text;
	const char *want;               /* a substring of one message */
};

#define R(rule) "# a rule\nallow = (\n  " rule "\n);\n"     /* the rule is on line 3 */

static const struct bad_case bad[] = {
	{ R("{ process = \"systemd-resolved\"; }"),
		"<string>:3: process: \"systemd-resolved\" is 16 bytes, but a command name holds at most 15" },
	{ R("{ process = \"[abc]123456789012345*\"; }"), "is 16 bytes" },
	{ R("{ port = [ 22, \"80-90\" ]; }"), "an array [ ] holds values of one type: write a list ( 22, \"80-90\" )" },
	{ R("{ port = \"ephem\"; }"), "<string>:3: port: \"ephem\" is not a port, a range" },
	{ R("{ port = \"RPC\"; }"), "<string>:3: port: \"RPC\" is not a port, a range (0-65535, LOW-HIGH with LOW <= HIGH), \"ephemeral\" or \"rpc\"" },
	{ R("{ proto = \"sctp\"; port = \"rpc\"; }"), "<string>:3: allow: port = \"rpc\" is a TCP or UDP port that rpcbind lists: proto must include tcp or udp" },
	{ R("{ proto = \"raw\"; port = \"rpc\"; }"), "<string>:3: allow: packet and raw sockets have no port" },
	{ "registry = { suspicious = [ \"6667\" ]; };", "<string>:1: suspicious: \"6667\" is not PORT/PROTO" },
	{ "registry = { not_suspicious = \"x/tcp\"; };", "<string>:1: not_suspicious: \"x/tcp\" is not PORT/PROTO" },
	{ "registry = { file = \"\"; };", "<string>:1: file: must not be empty" },
	{ "severity = { suspicious = \"loud\"; };", "<string>:1: suspicious: \"loud\" is not" },
	{ R("{ port = \"0x16\"; }"), "<string>:3: port: \"0x16\" is not a port" },
	{ R("{ port = \"-1\"; }"), "<string>:3: port: \"-1\" is not a port" },
	{ R("{ port = \"22-21\"; }"), "<string>:3: port: \"22-21\"" },
	{ R("{ port = \"22a\"; }"), "<string>:3: port: \"22a\"" },
	{ R("{ port = \"022\"; }"), "<string>:3: port: \"022\"" },
	{ R("{ port = \" 22\"; }"), "<string>:3: port: \" 22\"" },
	{ R("{ port = \"80-\"; }"), "<string>:3: port: \"80-\"" },
	{ R("{ port = \"\"; }"), "<string>:3: port: \"\"" },
	{ R("{ port = 65536; }"), "<string>:3: port: 65536 is out of range (0-65535)" },
	{ R("{ port = -1; }"), "<string>:3: port: -1 is out of range" },
	{ R("{ port = 4294967318; }"), "<string>:3: integer 4294967318 is out of range" },
	{ R("{ port = 0x100000016; }"), "<string>:3: integer 0x100000016 is out of range" },
	{ R("{ port = -2147483649; }"), "<string>:3: integer -2147483649 is out of range" },
	{ R("{ port = 70000L; }"), "<string>:3: port: 70000 is out of range" },
	{ R("{ port = 22.0; }"), "<string>:3: port: must be an integer, a string or a list of these" },
	{ R("{ port = true; }"), "<string>:3: port: must be an integer" },
	{ R("{ port = [ ]; }"), "<string>:3: port: empty list" },
	{ R("{ port = ( 22, ( 23 ) ); }"), "<string>:3: port: each element must be an integer or a string" },
	{ R("{ port = ( 22,\n 70000 ); }"), "<string>:4: port: 70000 is out of range" },
	{ R("{ proto = \"tcp6\"; }"), "<string>:3: proto: \"tcp6\" is not tcp, udp, udplite, sctp, packet, raw or ping" },
	{ R("{ proto = \"TCP\"; }"), "<string>:3: proto: \"TCP\"" },
	{ R("{ proto = \"tcp\"; protocol = \"all\"; }"),
		"<string>:3: protocol: protocol needs proto = \"packet\" or proto = \"raw\"" },
	{ R("{ protocol = 1; }"), "<string>:3: protocol: protocol needs proto" },
	{ R("{ proto = [ \"packet\", \"raw\" ]; protocol = 1; }"), "<string>:3: protocol: protocol needs proto" },
	{ R("{ proto = \"packet\"; protocol = \"ALL\"; }"), "<string>:3: protocol: \"ALL\" is not an ETH_P protocol" },
	{ R("{ proto = \"packet\"; protocol = \"0x10000\"; }"), "<string>:3: protocol: \"0x10000\" is not an ETH_P" },
	{ R("{ proto = \"packet\"; protocol = 65536; }"), "<string>:3: protocol: 65536 is out of range (0-65535)" },
	{ R("{ proto = \"raw\"; protocol = 256; }"), "<string>:3: protocol: 256 is out of range (0-255)" },
	{ R("{ proto = \"raw\"; protocol = -1; }"), "<string>:3: protocol: -1 is out of range (0-255)" },
	{ R("{ proto = \"raw\"; protocol = \"arp\"; }"), "<string>:3: protocol: \"arp\" is not an IP protocol" },
	{ R("{ proto = \"raw\"; protocol = true; }"), "<string>:3: protocol: must be an integer, a string" },
	{ R("{ proto = \"packet\"; port = 3; }"), "<string>:3: allow: packet and raw sockets have no port: use protocol" },
	{ R("{ proto = [ \"raw\", \"packet\" ]; port = 1; }"), "packet and raw sockets have no port" },
	{ R("{ proto = \"ping\"; port = 4919; }"), "<string>:3: allow: ping sockets have no port (their echo identifier is none)" },
	{ R("{ proto = [ \"ping\", \"raw\" ]; port = \"ephemeral\"; }"), "ping sockets have no port" },
	{ R("{ proto = \"ping\"; protocol = \"icmp\"; }"), "protocol needs proto = \"packet\" or proto = \"raw\"" },
	{ R("{ proto = 6; }"), "<string>:3: proto: must be a string or a list of these" },
	{ R("{ family = \"inet\"; }"), "<string>:3: family: \"inet\" is not ipv4 or ipv6" },
	{ R("{ address = \"10.0.0.0/33\"; }"), "<string>:3: address: \"10.0.0.0/33\" has a bad prefix" },
	{ R("{ address = \"10.0.0.0/08\"; }"), "<string>:3: address: \"10.0.0.0/08\" has a bad prefix" },
	{ R("{ address = \"10.0.0.0/\"; }"), "<string>:3: address: \"10.0.0.0/\" has a bad prefix" },
	{ R("{ address = \"10.0.0.1/8\"; }"), "<string>:3: address: \"10.0.0.1/8\" has host bits set" },
	{ R("{ address = \"fe80::/129\"; }"), "<string>:3: address: \"fe80::/129\" has a bad prefix" },
	{ R("{ address = \"300.1.1.1\"; }"), "<string>:3: address: \"300.1.1.1\" is not an IPv4/IPv6" },
	{ R("{ address = \"localhost\"; }"), "<string>:3: address: \"localhost\" is not" },
	{ R("{ address = \"10.0.0.0/8x\"; }"), "<string>:3: address: \"10.0.0.0/8x\" has a bad prefix" },
	{ R("{ interface = 1; }"), "<string>:3: interface: must be a string" },
	{ R("{ process = \"\"; }"), "<string>:3: process: must not be empty" },
	{ R("{ process = \"[ab\"; }"), "<string>:3: process: pattern \"[ab\" has a '[' without its ']'" },
	{ R("{ unit = \"x\\\\\"; }"), "<string>:3: unit: pattern \"x\\\" ends in a lone backslash" },
	{ R("{ netns = \"a[\"; }"), "<string>:3: netns: pattern \"a[\" has a '[' without its ']'" },
	{ R("{ exe = [ \"/bin/x\" ]; }"), "<string>:3: exe: must be a string" },
	{ R("{ user = -1; }"), "<string>:3: user: uid -1 is out of range" },
	{ R("{ user = \"4294967295\"; }"), "<string>:3: user: \"4294967295\" is not a uid" },
	{ R("{ user = 1.5; }"), "<string>:3: user: must be an integer or a string" },
	{ R("{ unit = true; }"), "<string>:3: unit: must be a string" },
	{ R("{ netns = 0; }"), "<string>:3: netns: must be a string" },
	{ R("{ port = 1; expires = \"2026-02-30\"; }"), "<string>:3: expires: \"2026-02-30\" is not a date" },
	{ R("{ port = 1; expires = \"2025-02-29\"; }"), "<string>:3: expires: \"2025-02-29\"" },
	{ R("{ port = 1; expires = \"2100-02-29\"; }"), "<string>:3: expires: \"2100-02-29\"" },
	{ R("{ port = 1; expires = \"2026-13-01\"; }"), "<string>:3: expires: \"2026-13-01\"" },
	{ R("{ port = 1; expires = \"2026-04-31\"; }"), "<string>:3: expires: \"2026-04-31\"" },
	{ R("{ port = 1; expires = \"2026-00-10\"; }"), "<string>:3: expires: \"2026-00-10\"" },
	{ R("{ port = 1; expires = \"2026-1-01\"; }"), "<string>:3: expires: \"2026-1-01\"" },
	{ R("{ port = 1; expires = \"2026-01-01 \"; }"), "<string>:3: expires: \"2026-01-01 \"" },
	{ R("{ port = 1; expires = \"31.12.2026\"; }"), "<string>:3: expires: \"31.12.2026\"" },
	{ R("{ port = 1; expires = 20261231; }"), "<string>:3: expires: must be a string" },
	{ R("{ port = 1; require = \"yes\"; }"), "<string>:3: require: must be a boolean" },
	{ R("{ port = 1; comment = 1; }"), "<string>:3: comment: must be a string" },
	{ R("{ }"), "<string>:3: allow: empty rule { } would match every listener" },
	{ R("{ comment = \"x\"; require = true; }"), "<string>:3: allow: rule has only comment" },
	{ R("{ port = 1; owner = \"root\"; }"), "<string>:3: owner: unknown key in rule (known: proto, family" },
	{ R("1"), "<string>:3: allow: each rule must be a group" },
	{ "allow = { };", "<string>:1: allow: must be a list" },
	{ "colour = \"blue\";", "<string>:1: colour: unknown key in the configuration (known: severity, "
		"registry, netns, thresholds, allow)" },
	{ "severity = { dynamic = \"warn\"; };", "<string>:1: dynamic: \"warn\" is not \"ok\"" },
	{ "severity = { dynamic = 1; };", "<string>:1: dynamic: must be a string" },
	{ "severity = {\n  ephemeral = \"ok\"; };", "<string>:2: ephemeral: unknown key in severity (known: assigned, unassigned, reserved, dynamic, udp_ephemeral, suspicious, packet, packet_filter, raw, ping)" },
	{ "severity = \"ok\";", "<string>:1: severity: must be a group { }" },
	{ "registry = { file = 1; };", "<string>:1: file: must be a string" },
	{ "registry = { url = \"x\"; };", "<string>:1: url: unknown key in registry (known: file, unassigned, suspicious, not_suspicious)" },
	{ "registry = { unassigned = [ \"3206\" ]; };", "<string>:1: unassigned: \"3206\" is not PORT/PROTO" },
	{ "registry = { unassigned = [ \"3206/foo\" ]; };", "<string>:1: unassigned: \"3206/foo\"" },
	{ "registry = { unassigned = [ \"70000/tcp\" ]; };", "<string>:1: unassigned: \"70000/tcp\"" },
	{ "netns = { all = 1; };", "<string>:1: all: must be a boolean" },
	{ "netns = { some = true; };", "<string>:1: some: unknown key in netns (known: all)" },
	{ "thresholds = { warning = \"5:1\"; };", "<string>:1: warning: \"5:1\" is not a range [@][START:][END]" },
	{ "thresholds = { critical = \"x\"; };", "<string>:1: critical: \"x\" is not a range" },
	{ "thresholds = { critical = -1; };", "<string>:1: critical: \"-1\" is not a range" },
	{ "thresholds = { warning = \"\"; };", "<string>:1: warning: \"\" is not a range" },
	{ "thresholds = { warning = true; };", "<string>:1: warning: must be an integer or a string" },
	{ "thresholds = { warn = \"1\"; };", "<string>:1: warn: unknown key in thresholds (known: warning, critical)" },
	{ "thresholds = \"1\";", "<string>:1: thresholds: must be a group { }" },
	{ "allow = (\n  { proto = \"tcp\"; },\n  { proto = ; }\n);", "<string>:3: syntax error" },
	{ "allow = ( );\nallow = ( );", "<string>:2: duplicate setting name" },
	{ "# x\n@include \"other.conf\"\n", "<string>:2: @include \"other.conf\": not allowed here" },
	{ "a = 1; @include \"x\"\n", "<string>:1: syntax error" },
	/* libconfig 1.5 accepts a file ending inside a comment or string (truncated) */
	{ "allow = ( { port = 1; } );\n/* the rest\nallow = ( );", "<string>:2: unterminated /* comment" },
	{ "allow = ( { port = 1; } );\n\"\n", "<string>:2: unterminated string: the file ends" },
	{ "allow = ( { port = 1; comment = \"a\\\"; } );", "<string>:1: unterminated string" },
};

static void test_bad_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(bad); i++) {
		struct policy pol;
		struct config_errors e;
		int rc = load_str(bad[i].text, &pol, &e);

		if (rc != -EINVAL)
			print_message("case %zu: %s\n", i, bad[i].text);
		assert_int_equal(rc, -EINVAL);
		assert_has_msg(&e, bad[i].want);
		assert_int_equal(pol.nrules, 0);        /* nothing moved in */
		policy_free(&pol);
		config_errors_free(&e);
	}
}

/* thresholds = { warning = "RANGE"; critical = "RANGE"; }: as -w and -c. */
static void test_thresholds(void **state)
{
	static const struct {
		const char *text;
		bool warn_set, crit_set;
		double value;           /* a count to judge */
		bool warn_alerts, crit_alerts;
		const char *warn_text, *crit_text;
	} cases[] = {
		{ "", false, false, 100, false, false, "", "" },
		{ "thresholds = { warning = \"2\"; };", true, false, 3, true, false, "2", "" },
		{ "thresholds = { warning = \"2\"; };", true, false, 2, false, false, "2", "" },
		{ "thresholds = { critical = 4; };", false, true, 5, false, true, "", "4" },
		{ "thresholds = { warning = \"1\"; critical = \"@3:5\"; };", true, true, 3, true, true, "1", "@3:5" },
		{ "thresholds = { warning = \"1\"; critical = \"@3:5\"; };", true, true, 6, true, false, "1", "@3:5" },
		{ "thresholds = { warning = \"~:10\"; };", true, false, 11, true, false, "~:10", "" },
		{ "thresholds = { };", false, false, 100, false, false, "", "" },
	};

	(void)state;
	for (size_t i = 0; i < NELEM(cases); i++) {
		struct policy pol;
		struct config_errors e;

		print_message("case %zu: %s\n", i, cases[i].text);
		if (load_str(cases[i].text, &pol, &e) != 0)
			assert_has_msg(&e, "(no error expected)");
		assert_int_equal(pol.warn.set, cases[i].warn_set);
		assert_int_equal(pol.crit.set, cases[i].crit_set);
		assert_int_equal(threshold_alerts(&pol.warn, cases[i].value), cases[i].warn_alerts);
		assert_int_equal(threshold_alerts(&pol.crit, cases[i].value), cases[i].crit_alerts);
		if (cases[i].warn_set)
			assert_string_equal(pol.warn.text, cases[i].warn_text);
		if (cases[i].crit_set)
			assert_string_equal(pol.crit.text, cases[i].crit_text);
		policy_free(&pol);
		config_errors_free(&e);
	}
}

/* Text libconfig does not treat as @include must not be refused. */
static void test_include_lookalikes(void **state)
{
	static const char *const ok[] = {
		"/*\n@include \"x.conf\"\n*/ allow = ( );",
		"# @include \"x.conf\"\nallow = ( );",
		"// @include \"x.conf\"\nallow = ( { comment = \"\n@include \\\"x\\\"\"; port = 1; } );",
		"allow = ( { port = 1; comment = \"99999999999 0x100000016\"; } ); # 99999999999",
		"allow = ( { port = 1L; } );",
		"allow = ( { port = 1; } ); # no newline at the end",
	};

	(void)state;
	for (size_t i = 0; i < NELEM(ok); i++) {
		struct policy pol;
		struct config_errors e;

		if (load_str(ok[i], &pol, &e) != 0)
			assert_has_msg(&e, "(no error expected)");
		policy_free(&pol);
		config_errors_free(&e);
	}
}

/* ---- several errors, reported together, in file order ---------------- */

static void test_all_errors_reported(void **state)
{
	static const char *const want[] = {
		FIX "bad_rules.conf:2: colour: unknown key",
		FIX "bad_rules.conf:3: dynamic: \"warn\"",
		FIX "bad_rules.conf:5: port: \"0x16\"",
		FIX "bad_rules.conf:6: address: \"10.0.0.0/33\"",
		FIX "bad_rules.conf:7: allow: empty rule",
		FIX "bad_rules.conf:8: expires: \"2026-02-30\"",
		FIX "bad_rules.conf:9: owner: unknown key",
	};
	struct policy pol;
	struct config_errors e;

	(void)state;
	policy_init(&pol);
	assert_int_equal(config_load(FIX "bad_rules.conf", NULL, &pol, &e), -EINVAL);
	assert_int_equal(e.n, NELEM(want));
	for (size_t i = 0; i < NELEM(want); i++)
		assert_non_null(strstr(e.msg[i], want[i]));
	config_errors_free(&e);
	policy_free(&pol);
}

/* A failed load leaves the policy as it was. */
static void test_failure_keeps_policy(void **state)
{
	struct policy pol;
	struct config_errors e;

	(void)state;
	assert_int_equal(load_str("allow = ( { port = 22; } );", &pol, &e), 0);
	config_errors_free(&e);
	pol.severity[SEV_DYNAMIC] = STATE_CRITICAL;
	assert_int_equal(config_load_string("allow = ( { port = 1; }, { port = 2; }, { port = -3; } );",
			&pol, &e), -EINVAL);
	assert_int_equal(pol.nrules, 1);
	assert_int_equal(pol.rules[0].ports[0].lo, 22);
	config_errors_free(&e);
	/* and a good load keeps what the file does not set */
	assert_int_equal(config_load_string("severity = { reserved = \"warning\"; };", &pol, &e), 0);
	assert_int_equal(pol.nrules, 0);
	assert_int_equal(pol.severity[SEV_DYNAMIC], STATE_CRITICAL);
	assert_int_equal(pol.severity[SEV_RESERVED], STATE_WARNING);
	config_errors_free(&e);
	policy_free(&pol);
}

/* port = "rpc" without an owner is valid, with a note; with one, no note. */
static void test_rpc_note(void **state)
{
	struct policy pol;
	struct config_errors e;

	(void)state;
	policy_init(&pol);
	assert_int_equal(load_str("allow = (\n  { port = \"rpc\"; },\n  { port = \"rpc\"; user = \"root\"; },\n"
			"  { port = \"rpc\"; unit = \"rpc-statd.service\"; },\n"
			"  { port = \"rpc\"; exe = \"/usr/sbin/rpc.mountd\"; user = \"root\"; },\n"
			"  { proto = \"tcp\"; port = \"rpc\"; holder = \"none\"; }\n);\n", &pol, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(e.nwarnings, 0);
	assert_int_equal(e.nnotes, 2);
	assert_string_equal(e.notes[0], "note: <string>:2: allow: port = \"rpc\" without unit, exe or "
			"holder = \"none\" recognises whatever program root registers with rpcbind; add its owner");
	assert_non_null(strstr(e.notes[1], "<string>:3: allow: port = \"rpc\" without"));
	assert_int_equal(pol.nrules, 5);
	config_errors_free(&e);
	policy_free(&pol);
}

/* Warnings and notes leave a configuration valid. */
static void test_notes(void **state)
{
	struct policy pol;
	struct config_errors e;

	(void)state;
	policy_init(&pol);
	assert_int_equal(load_str("allow = (\n  { port = 25; process = \"exim4\"; },\n"
			"  { port = 26; process = \"exim4\"; user = \"root\"; },\n"
			"  { port = 27; user = \"no-such-user-cl15\"; }, { port = 28; user = 0; }\n);\n"
			"registry = { suspicious = [ \"6667/tcp\", \"6697/tcp\" ]; not_suspicious = \"9001/tcp\"; };\n",
			&pol, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(e.nnotes, 2);
	assert_int_equal(e.nwarnings, 1);
	assert_string_equal(e.notes[0], "note: <string>:2: allow: rule matches on process alone: the command "
			"name is chosen by the process itself (prctl); add unit, exe or user");
	assert_string_equal(e.notes[1], "warning: <string>:4: user: \"no-such-user-cl15\" is not a user on "
			"this host: the rule matches nothing here");
	assert_int_equal(pol.nsuspicious, 2);
	assert_int_equal(pol.suspicious[1].port, 6697);
	assert_int_equal(pol.nnot_suspicious, 1);
	assert_int_equal(pol.not_suspicious[0].port, 9001);
	config_errors_free(&e);
	assert_int_equal(e.nnotes, 0);
	assert_null(e.notes);
	policy_free(&pol);
	/* exe without user is noted (issue F4); with user or unit it is not */
	policy_init(&pol);
	assert_int_equal(load_str("allow = (\n  { port = 25; exe = \"/usr/bin/python3.11\"; },\n"
			"  { port = 26; exe = \"/usr/bin/python3.11\"; user = \"root\"; },\n"
			"  { port = 27; exe = \"/usr/sbin/x\"; unit = \"x.service\"; }\n);\n", &pol, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(e.nnotes, 1);
	assert_string_equal(e.notes[0], "note: <string>:2: allow: rule matches on exe without user: an "
			"executable says which file runs, not which code (an interpreter runs any script) nor "
			"for whom; add user (or unit)");
	config_errors_free(&e);
	policy_free(&pol);
}

/* ---- files ----------------------------------------------------------- */

static void test_good_file(void **state)
{
	struct policy pol;
	struct config_errors e;

	(void)state;
	policy_init(&pol);
	pol.all_netns = true;           /* the file says false: the file wins */
	assert_int_equal(config_load(FIX "good.conf", NULL, &pol, &e), 0);
	assert_int_equal(e.n, 0);
	assert_int_equal(pol.nrules, 5);
	assert_string_equal(pol.rules[0].origin, FIX "good.conf:8");
	assert_string_equal(pol.rules[0].process, "sshd");
	assert_true(pol.rules[0].require);
	assert_string_equal(pol.rules[2].user, "www-data");
	assert_string_equal(pol.rules[4].expires_text, "2026-12-31");
	assert_string_equal(pol.registry_file, FIX "../registry/valid.csv");     /* from the file's directory */
	assert_int_equal(pol.nunassigned, 1);
	assert_int_equal(pol.unassigned[0].port, 3206);
	assert_int_equal(pol.unassigned[0].proto, REG_TCP);
	assert_false(pol.all_netns);
	assert_int_equal(pol.severity[SEV_UNASSIGNED], STATE_CRITICAL);
	assert_int_equal(pol.severity[SEV_DYNAMIC], STATE_WARNING);
	assert_int_equal(e.nnotes, 1);          /* process = "sshd" alone */
	assert_int_equal(e.nwarnings, 0);
	assert_non_null(strstr(e.notes[0], "note: " FIX "good.conf:8: "));
	assert_non_null(strstr(e.notes[0], "the command name is chosen by the process itself"));
	config_errors_free(&e);
	policy_free(&pol);
}

struct file_case {
	const char *file;
	int rc;
	const char *want;               /* substring of a message, NULL: no error */
};

static const struct file_case files[] = {
	{ FIX "include_main.conf", 0, NULL },
	{ FIX "include_bad.conf", -EINVAL, FIX "parts/bad.conf:3: port: 70000 is out of range" },
	{ FIX "loop_a.conf", -EINVAL, FIX "loop_b.conf:2: @include \"loop_a.conf\": an include loop" },
	{ FIX "include_abs.conf", -EINVAL, FIX "include_abs.conf:1: @include \"/etc/check_listeners.conf\": "
		"give a path relative" },
	{ FIX "include_missing.conf", -EINVAL, FIX "parts/does-not-exist.conf: cannot open: No such file "
		"or directory (included from " FIX "include_missing.conf:3)" },
	{ FIX "syntax.conf", -EINVAL, FIX "syntax.conf:3: syntax error" },
	{ FIX "does-not-exist.conf", -ENOENT, FIX "does-not-exist.conf: cannot open: No such file" },
	{ "tests/fixtures/config", -EINVAL, "tests/fixtures/config: refused: a directory, not a regular file" },
	{ "/dev/null", -EINVAL, "/dev/null: refused: a character device" },
};

static void test_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(files); i++) {
		struct policy pol;
		struct config_errors e;
		int rc;

		policy_init(&pol);
		rc = config_load(files[i].file, NULL, &pol, &e);
		if (files[i].want)
			assert_has_msg(&e, files[i].want);
		else if (e.n)
			assert_has_msg(&e, "(no error expected)");
		assert_int_equal(rc, files[i].rc);
		policy_free(&pol);
		config_errors_free(&e);
	}
}

static void test_include_content(void **state)
{
	struct policy pol;
	struct config_errors e;

	(void)state;
	policy_init(&pol);
	assert_int_equal(config_load(FIX "include_main.conf", NULL, &pol, &e), 0);
	assert_int_equal(pol.nrules, 2);
	assert_string_equal(pol.rules[0].origin, FIX "parts/rules.conf:3");
	assert_int_equal(pol.severity[SEV_DYNAMIC], STATE_CRITICAL);
	assert_true(pol.all_netns);
	policy_free(&pol);
	config_errors_free(&e);
}

/* ---- files made at run time: modes, owners, FIFOs, depth -------------- */

struct tmp {
	char dir[64];
	char path[128];
};

static const char *tmp_file(struct tmp *t, const char *name, const char *text, mode_t mode)
{
	FILE *f;

	snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
	f = fopen(t->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(t->path, mode), 0);
	return t->path;
}

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "/tmp/test_config.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static int load_file(const char *path, bool strict, struct config_errors *e)
{
	struct trust t = { .strict = strict, .secure = false };
	struct policy pol;
	int rc;

	policy_init(&pol);
	rc = config_load(path, &t, &pol, e);
	policy_free(&pol);
	return rc;
}

static void test_strict_owner(void **state)
{
	struct tmp *t = *state;
	struct config_errors e;
	const char *p;
	char want[256];

	p = tmp_file(t, "others.conf", "allow = ( );\n", 0666);
	assert_int_equal(load_file(p, true, &e), -EPERM);
	snprintf(want, sizeof(want), "%s: refused: writable by others; as root the plugin only reads "
			"config files owned by root and not writable by group or others (chmod go-w %s)", p, p);
	assert_has_msg(&e, want);
	config_errors_free(&e);
	assert_int_equal(load_file(p, false, &e), 0);   /* not as root: no owner check */
	config_errors_free(&e);

	p = tmp_file(t, "group.conf", "allow = ( );\n", 0620);
	assert_int_equal(load_file(p, true, &e), -EPERM);
	assert_has_msg(&e, "refused: writable by group");
	config_errors_free(&e);

	p = tmp_file(t, "mine.conf", "allow = ( );\n", 0644);
	if (geteuid() == 0) {
		assert_int_equal(load_file(p, true, &e), 0);
		config_errors_free(&e);
		assert_int_equal(chown(p, 65534, 65534), 0);   /* nobody */
		assert_int_equal(load_file(p, true, &e), -EPERM);
		assert_has_msg(&e, "refused: owned by uid 65534");
	} else {
		assert_int_equal(load_file(p, true, &e), -EPERM);
		assert_has_msg(&e, "refused: owned by uid");
	}
	config_errors_free(&e);
}

/* An included file is held to the same rules as the file itself. */
static void test_strict_owner_include(void **state)
{
	struct tmp *t = *state;
	struct config_errors e;
	char top[160];

	if (geteuid() != 0)
		skip();
	tmp_file(t, "inc.conf", "allow = ( );\n", 0646);
	snprintf(top, sizeof(top), "%s", tmp_file(t, "top.conf", "\n@include \"inc.conf\"\n", 0600));
	assert_int_equal(load_file(top, true, &e), -EPERM);
	assert_has_msg(&e, "/inc.conf: refused: writable by others");
	assert_has_msg(&e, "(included from ");
	assert_has_msg(&e, "top.conf:2)");
	config_errors_free(&e);
	tmp_file(t, "inc.conf", "allow = ( );\n", 0644);
	assert_int_equal(load_file(top, true, &e), 0);
	config_errors_free(&e);
}

static void test_special_files(void **state)
{
	struct tmp *t = *state;
	struct config_errors e;
	char path[160], link[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fifo", t->dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(load_file(path, false, &e), -EINVAL);  /* and does not hang */
	assert_has_msg(&e, "fifo: refused: a FIFO, not a regular file");
	config_errors_free(&e);

	tmp_file(t, "inc-fifo.conf", "@include \"fifo\"\n", 0644);
	assert_int_equal(load_file(t->path, false, &e), -EINVAL);
	assert_has_msg(&e, "refused: a FIFO");
	config_errors_free(&e);

	tmp_file(t, "target.conf", "allow = ( { port = 1; } );\n", 0644);
	snprintf(link, sizeof(link), "%s/link.conf", t->dir);
	assert_int_equal(symlink("target.conf", link), 0);
	assert_int_equal(load_file(link, geteuid() == 0, &e), 0);       /* the target is vetted */
	config_errors_free(&e);

	snprintf(path, sizeof(path), "%s/nul.conf", t->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite("allow = ( );\n\0x", 1, 15, f), 15);
	fclose(f);
	assert_int_equal(load_file(path, false, &e), -EINVAL);
	assert_has_msg(&e, "nul.conf: contains a NUL byte");
	config_errors_free(&e);
}

/* libconfig 1.5 stops at 10 nested includes; so do we, with a message. */
static void test_include_depth(void **state)
{
	struct tmp *t = *state;
	struct config_errors e;
	char name[32], text[64], top[160];

	for (int depth = 10; depth <= 11; depth++) {
		for (int i = 0; i < depth; i++) {
			snprintf(name, sizeof(name), "d%d.conf", i);
			snprintf(text, sizeof(text), "@include \"d%d.conf\"\n", i + 1);
			tmp_file(t, name, text, 0644);
		}
		snprintf(name, sizeof(name), "d%d.conf", depth);
		tmp_file(t, name, "allow = ( { port = 7; } );\n", 0644);
		snprintf(top, sizeof(top), "%s/d0.conf", t->dir);
		if (depth == 10) {
			assert_int_equal(load_file(top, false, &e), 0);
		} else {
			assert_int_equal(load_file(top, false, &e), -EINVAL);
			assert_has_msg(&e, "d10.conf:1: @include \"d11.conf\": nested more than 10 deep");
		}
		config_errors_free(&e);
	}
}

/* ---- learn mode ------------------------------------------------------ */

/* A listener of the one socket *s, whose owner is the inventory's owners[i]. */
static struct listener mk(struct sock *s, unsigned proto, int family, const char *addr, uint16_t port)
{
	struct listener l = { .s = s, .count = 1, .has_owner = true };

	*s = (struct sock){ .proto = (uint8_t)proto, .family = (uint8_t)family,
		.v6only = family == AF_INET6 ? 1 : -1, .port = port };
	assert_int_equal(inet_pton(family, addr, s->addr), 1);
	l.reg.cls = CLASS_UNASSIGNED;
	return l;
}

/* One holder per listener, kept here: owners point to them. */
static struct holder holders[16];
static size_t holders_used;

static void set_process(struct owner *o, const char *comm)
{
	if (!o->holders)
		o->holders = &holders[holders_used++];
	o->state = OWNER_PROCESS;
	o->unit_checked = true;
	o->complete = true;
	o->nholders = 1;
	o->holders->pid = 42;
	o->holders->judged = true;
	snprintf(o->holders->comm, sizeof(o->holders->comm), "%s", comm);
}

static void test_generate_round_trip(void **state)
{
	static char unit[] = "cups-x\"; require=true; #.service";
	static char *unitv[] = { unit };
	struct netns ns[3] = { { .label = "host" }, { .label = "ns-x*\"y" }, { .label = "pid 7 (x)" } };
	struct listener ls[11];
	struct sock socks[NELEM(ls)];
	struct owner owners[NELEM(ls)] = { { 0 } };
	struct ifname ifn = { .netns = 0, .ifindex = 2, .name = "eth[0]" };
	struct uid_name root = { 0, "root" };
	struct inventory inv = { .ls = ls, .nls = NELEM(ls), .ns = ns, .nns = 3, .owners = owners,
		.ifnames = &ifn, .nifnames = 1, .users = &root, .nusers = 1 };
	struct strbuf sb = STRBUF_INIT;
	struct policy pol;
	struct config_errors e;
	size_t n = 0, rule;

	(void)state;
	ls[n] = mk(&socks[n], PROTO_TCP, AF_INET, "0.0.0.0", 22);
	ls[n].reg = (struct listener_reg){ .cls = CLASS_ASSIGNED, .service = "ssh" };
	set_process(&owners[n++], "sshd");
	ls[n] = ls[n - 1];                                      /* a duplicate */
	owners[n] = owners[n - 1];
	n++;
	ls[n] = mk(&socks[n], PROTO_TCP, AF_INET6, "::", 22);
	set_process(&owners[n++], "sshd");
	ls[n] = mk(&socks[n], PROTO_TCP, AF_INET, "127.0.0.1", 631);
	set_process(&owners[n], "cupsd");
	owners[n].units = unitv;
	owners[n++].nunits = 1;
	ls[n] = mk(&socks[n], PROTO_UDP, AF_INET6, "fe80::1", 5353);
	socks[n].ifindex = ifn.ifindex;
	set_process(&owners[n++], "x\";require=true");         /* hostile, 15 bytes */
	ls[n] = mk(&socks[n], PROTO_UDPLITE, AF_INET, "192.0.2.7", 9);
	set_process(&owners[n++], "a*b?c[d\\e\n\x01\xff");
	ls[n] = mk(&socks[n], PROTO_SCTP, AF_INET6, "::1", 3868);
	owners[n].complete = true;
	owners[n].unheld = 1;
	owners[n++].state = OWNER_NONE;
	ls[n] = mk(&socks[n], PROTO_TCP, AF_INET, "10.1.2.3", 8080);
	socks[n].netns = 1;
	owners[n++].state = OWNER_DENIED;
	ls[n] = mk(&socks[n], PROTO_UDP, AF_INET, "0.0.0.0", 0);
	set_process(&owners[n++], "");
	ls[n] = mk(&socks[n], PROTO_TCP, AF_INET, "0.0.0.0", 8766);       /* a namespace named by a pid */
	socks[n].netns = 2;
	set_process(&owners[n], "ctr");
	owners[n++].holders->exe = "/usr/bin/ctr";
	ls[n] = mk(&socks[n], PROTO_UDP, AF_INET, "0.0.0.0", 40000);      /* a port the kernel chose */
	ls[n].reg.ephemeral = true;
	set_process(&owners[n], "statd");
	owners[n++].holders->exe = "/usr/sbin/rpc.statd";
	assert_int_equal(n, NELEM(ls));

	learn_generate(&inv, &sb);
	assert_false(sb.oom);
	assert_non_null(strstr(sb_cstr(&sb), "# check_listeners allowlist, generated on "));
	assert_non_null(strstr(sb_cstr(&sb), "REVIEW BEFORE USE"));
	assert_non_null(strstr(sb_cstr(&sb), "comment = \"IANA tcp 22: ssh (assigned)\""));
	if (load_str(sb_cstr(&sb), &pol, &e) != 0) {
		print_message("%s", sb_cstr(&sb));
		assert_has_msg(&e, "(no error expected)");
	}
	assert_int_equal(pol.nrules, NELEM(ls) - 1);            /* the duplicate is dropped */
	for (size_t i = 0; i < pol.nrules; i++)
		assert_false(pol.rules[i].require);
	assert_string_equal(pol.rules[2].unit, unit);
	assert_string_equal(pol.rules[3].process, "x\";require=true");
	assert_string_equal(pol.rules[3].interface, "eth\\[0]");
	assert_string_equal(pol.rules[4].process, "a\\*b\\?c\\[d\\\\e\n\x01\xff");
	assert_true(pol.rules[5].holder_none);                          /* no holder: root's, none */
	assert_string_equal(pol.rules[5].user, "root");
	assert_string_equal(pol.rules[6].netns, "ns-x\\*\"y");      /* a stable label, escaped */
	assert_non_null(strstr(sb_cstr(&sb), "  # no owner: its process could not be read without privilege"));
	assert_non_null(strstr(sb_cstr(&sb), "  # keyed on the command name, which a process chooses itself"));
	assert_null(pol.rules[8].netns);                                /* never a pid */
	assert_string_equal(pol.rules[8].exe, "/usr/bin/ctr");
	assert_null(pol.rules[8].process);
	assert_non_null(strstr(sb_cstr(&sb), "  # its network namespace is named pid 7 (x), which changes"));
	assert_true(pol.rules[9].port_ephemeral);                       /* kernel-chosen: any in range */
	assert_int_equal(pol.rules[9].nports, 0);
	assert_string_equal(pol.rules[9].exe, "/usr/sbin/rpc.statd");
	assert_string_equal(pol.rules[9].user, "root");                 /* an exe comes with its user */
	assert_string_equal(pol.rules[8].user, "root");
	assert_string_equal(pol.rules[0].user, "root");                 /* so does a comm */
	assert_null(pol.rules[2].user);                                 /* a unit needs none */
	for (size_t i = 0; i < NELEM(ls); i++) {
		if (policy_match(&pol, &inv, &ls[i], 0, &rule) != MATCH_YES)
			fail_msg("listener %zu is not recognised by:\n%s", i, sb_cstr(&sb));
		assert_true(rule < pol.nrules);
	}
	/* after a restart the kernel chooses another port: still recognised */
	socks[10].port = 40001;
	assert_int_equal(policy_match(&pol, &inv, &ls[10], 0, &rule), MATCH_YES);
	/* exactness: another process on the learnt port is not recognised */
	set_process(&owners[0], "nc");
	assert_int_equal(policy_match(&pol, &inv, &ls[0], 0, &rule), MATCH_NO);
	owners[10].holders->exe = "/tmp/other";
	assert_int_equal(policy_match(&pol, &inv, &ls[10], 0, &rule), MATCH_NO);
	policy_free(&pol);
	config_errors_free(&e);
	sb_free(&sb);
}

static void test_generate_empty(void **state)
{
	struct inventory inv = { 0 };
	struct strbuf sb = STRBUF_INIT;
	struct policy pol;
	struct config_errors e;

	(void)state;
	learn_generate(&inv, &sb);
	assert_int_equal(load_str(sb_cstr(&sb), &pol, &e), 0);
	assert_int_equal(pol.nrules, 0);
	policy_free(&pol);
	config_errors_free(&e);
	sb_free(&sb);
}

/* ---- size ------------------------------------------------------------ */

static void test_large_config(void **state)
{
	enum { N = 20000 };     /* 100,000 takes 2 s at -O2 but ~1 min under ASan */
	struct strbuf sb = STRBUF_INIT;
	struct policy pol;
	struct config_errors e;
	struct timespec a, b;
	double secs;

	(void)state;
	sb_puts(&sb, "allow = (\n");
	for (unsigned i = 0; i < N; i++)
		sb_printf(&sb, "  { proto = \"tcp\"; port = %u; address = \"10.%u.%u.0/24\"; process = \"p%u\"; }%s\n",
				i % 65536, (i >> 8) & 255, i & 255, i, i + 1 < N ? "," : "");
	sb_puts(&sb, ");\n");
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(load_str(sb_cstr(&sb), &pol, &e), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	print_message("      %d rules, %zu bytes: loaded in %.2f s\n", N, sb.len, secs);
	assert_int_equal(pol.nrules, N);
	assert_true(secs < 30.0);       /* generous: sanitizers, a slow CI machine */
	policy_free(&pol);
	config_errors_free(&e);
	sb_free(&sb);
}

/* Includes are spliced into one text: they work anywhere libconfig's own
 * would (before an allow list, inside one), are relative to the file that
 * includes them, refuse "..", and every message and rule origin still names
 * the right FILE:LINE. Each case: files to write (name, text; "sub/" made),
 * the top file, the result, a message or "origin N = FILE:LINE". */
struct splice_case {
	const char *files[3][2];
	int rc;
	size_t nrules;
	const char *want;               /* message substring, or NULL */
	const char *origin;             /* "N FILE:LINE" relative to the dir, or NULL */
};

static const struct splice_case splices[] = {
	{ { { "top.conf", "allow = (\n  @include \"sub/rules.conf\"\n  { port = 22; }\n);\n" },
	    { "sub/rules.conf", "{ port = 80; },\n{ port = 443; },\n" } },
	  0, 3, NULL, "2 top.conf:3" },
	{ { { "top.conf", "allow = (\n  @include \"sub/rules.conf\"\n  { port = 22; }\n);\n" },
	    { "sub/rules.conf", "{ port = 80; },\n{ port = 443; },\n" } },
	  0, 3, NULL, "1 sub/rules.conf:2" },
	{ { { "top.conf", "# a base, then the host's own\n@include \"sub/base.conf\"\nallow = ( { port = 22; } );\n" },
	    { "sub/base.conf", "severity = { dynamic = \"critical\"; };\n" } },
	  0, 1, NULL, "0 top.conf:3" },
	/* nested: relative to the including file's own directory */
	{ { { "top.conf", "@include \"sub/a.conf\"\n" }, { "sub/a.conf", "@include \"b.conf\"\n" },
	    { "sub/b.conf", "allow = (\n\n { port = 7; } );" } },
	  0, 1, NULL, "0 sub/b.conf:3" },
	{ { { "top.conf", "@include \"sub/a.conf\"\nallow = ( { port = 70000; } );\n" },
	    { "sub/a.conf", "# nothing\n\n\n" } },
	  -EINVAL, 0, "top.conf:2: port: 70000 is out of range", NULL },
	{ { { "top.conf", "\n@include \"sub/a.conf\"\n" }, { "sub/a.conf", "\n\nallow = ( { port = ; } );\n" } },
	  -EINVAL, 0, "sub/a.conf:3: syntax error", NULL },
	{ { { "top.conf", "@include \"sub/../top.conf\"\n" } },
	  -EINVAL, 0, "refused: \"..\" in the path", NULL },
	{ { { "top.conf", "@include \"sub/a.conf\" allow = ( );\n" }, { "sub/a.conf", "# x\n" } },
	  0, 0, NULL, NULL },
};

static void test_splice(void **state)
{
	struct tmp *t = *state;

	for (size_t i = 0; i < NELEM(splices); i++) {
		const struct splice_case *c = &splices[i];
		char top[160], sub[160], want[256];
		struct config_errors e;
		struct policy pol;
		int rc;

		snprintf(sub, sizeof(sub), "%s/sub", t->dir);
		mkdir(sub, 0755);
		for (size_t f = 0; f < 3 && c->files[f][0]; f++)
			tmp_file(t, c->files[f][0], c->files[f][1], 0644);
		snprintf(top, sizeof(top), "%s/top.conf", t->dir);
		policy_init(&pol);
		rc = config_load(top, NULL, &pol, &e);
		print_message("splice case %zu: rc %d, %zu rules%s%s\n", i, rc, pol.nrules,
				e.n ? ", " : "", e.n ? e.msg[0] : "");
		assert_int_equal(rc, c->rc);
		if (c->want)
			assert_has_msg(&e, c->want);
		if (rc == 0)
			assert_int_equal(pol.nrules, c->nrules);
		if (c->origin) {
			unsigned n = (unsigned)(c->origin[0] - '0');

			snprintf(want, sizeof(want), "%s/%s", t->dir, c->origin + 2);
			assert_true(n < pol.nrules);
			assert_string_equal(pol.rules[n].origin, want);
		}
		policy_free(&pol);
		config_errors_free(&e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_fields),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_include_lookalikes),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_failure_keeps_policy),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_rpc_note),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_include_content),
		cmocka_unit_test_setup_teardown(test_strict_owner, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_strict_owner_include, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_special_files, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_depth, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_splice, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_generate_round_trip),
		cmocka_unit_test(test_generate_empty),
		cmocka_unit_test(test_large_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
