/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for policy: class names, three-valued rule matching, grading,
 * which listeners need an owner, and the decision. Listeners and inventories are built here; no stubs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "abuse.h"
#include "exe_place.h"
#include "holders.h"
#include "owners.h"
#include "packet.h"
#include "policy.h"
#include "registry.h"
#include "rpcbind_xdr.h"
#include "rulematch.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(p) (1u << PROTO_##p)

/* Sockets: S4 for AF_INET, S6 for AF_INET6 (address and more fields in the tail). */
#define S4(pr, p, a, b, c, d, ...) { .proto = PROTO_##pr, .family = AF_INET, .v6only = -1, \
	.port = (p), .addr = { a, b, c, d }, __VA_ARGS__ }
#define S6(pr, p, only, ...) { .proto = PROTO_##pr, .family = AF_INET6, .v6only = (only), \
	.port = (p), __VA_ARGS__ }
#define V6_ANY .addr = { 0 }
#define V6_LO .addr = { [15] = 1 }
#define V6_LL .addr = { 0xfe, 0x80, [15] = 1 }

/* Owners */
#define SSHD { .state = OWNER_PROCESS, .pid = 100, .comm = "sshd", .exe = "/usr/sbin/sshd", \
	.unit_checked = true, .unit = "ssh.service", .user = "root" }
#define NOEXE { .state = OWNER_PROCESS, .pid = 100, .comm = "sshd", .exe = NULL }
#define NOHOLDER { .state = OWNER_NONE, .user = "root" }
#define HELD { .state = OWNER_PROCESS, .pid = 100, .comm = "sshd", .exe = "/usr/sbin/sshd" }
#define UNRESOLVED { .state = OWNER_UNRESOLVED }
#define DENIED { .state = OWNER_DENIED }

/* Rule address lists */
#define ANY_ADDR (struct addr_match[]){ { .kind = ADDR_ANY } }
#define LOOPBACK (struct addr_match[]){ { .kind = ADDR_LOOPBACK } }
#define CIDR4(pfx, a, b, c, d) (struct addr_match[]){ { .kind = ADDR_CIDR, .family = AF_INET, \
	.prefix = (pfx), .addr = { a, b, c, d } } }
#define CIDR6(pfx, ...) (struct addr_match[]){ { .kind = ADDR_CIDR, .family = AF_INET6, \
	.prefix = (pfx), .addr = { __VA_ARGS__ } } }
#define PORTS(lo, hi) (struct port_span[]){ { lo, hi } }

static struct netns test_ns[] = { { .label = "host" }, { .label = "web-1" } };

/* struct sock and struct owner as the tables write them: with the interface
 * name and the user name that the inventory keeps in tables of its own. */
struct tsock {
	uint8_t proto, family;
	int8_t v6only;
	uint16_t port;
	uint8_t addr[16];
	uint32_t ifindex, uid, netns;
	char ifname[IF_NAMESIZE];
	uint64_t cgroup_id;
};

struct towner {
	enum owner_state state;
	pid_t pid;
	char comm[16];
	char *exe;
	bool unit_checked;
	char *unit;
	const char *user;       /* NULL: the uid has no name yet */
	bool partial;           /* the holders found are not all there may be */
	bool cg_user, cg_gone, holder_cg_user;
};

static struct sock sock_of(const struct tsock *t)
{
	struct sock s = { .proto = t->proto, .family = t->family, .v6only = t->v6only,
		.port = t->port, .ifindex = t->ifindex, .uid = t->uid, .netns = t->netns,
		.cgroup_id = t->cgroup_id };

	memcpy(s.addr, t->addr, sizeof(s.addr));
	return s;
}

/* A row's owner: a process is one judged holder (in *h), complete; no holder
 * is a complete scan that found none. The unit goes to *unit. */
static struct owner owner_of(const struct towner *t, struct holder *h, char **unit)
{
	struct owner o = { .state = t->state, .unit_checked = t->unit_checked,
		.complete = (t->state == OWNER_PROCESS || t->state == OWNER_NONE) && !t->partial,
		.unheld = t->state == OWNER_NONE, .cg_user = t->cg_user, .cg_gone = t->cg_gone,
		.holder_cg_user = t->holder_cg_user };

	if (t->state == OWNER_PROCESS) {
		*h = (struct holder){ .pid = t->pid, .exe = t->exe, .judged = true };
		memcpy(h->comm, t->comm, sizeof(h->comm));
		o.holders = h;
		o.nholders = 1;
	}
	if (t->unit) {
		*unit = t->unit;
		o.units = unit;
		o.nunits = 1;
	}
	return o;
}

static void inv_with(struct inventory *inv, struct listener *ls, size_t n)
{
	memset(inv, 0, sizeof(*inv));
	inv->ls = ls;
	inv->nls = n;
	inv->ns = test_ns;
	inv->nns = N(test_ns);
}

/* One listener of one socket in an inventory, with the interface and user
 * names of the table row in the inventory's tables. */
struct one {
	struct sock s;
	struct owner o;
	struct holder h;
	char *unit;
	struct listener l;
	struct ifname ifn;
	struct uid_name user;
	struct inventory inv;
};

static void one_set(struct one *f, const struct tsock *ts, const struct towner *to)
{
	memset(f, 0, sizeof(*f));
	f->s = sock_of(ts);
	f->o = owner_of(to, &f->h, &f->unit);
	f->l = (struct listener){ .s = &f->s, .count = 1, .has_owner = true };
	inv_with(&f->inv, &f->l, 1);
	f->inv.owners = &f->o;
	if (ts->ifname[0]) {
		f->ifn = (struct ifname){ .netns = ts->netns, .ifindex = ts->ifindex };
		snprintf(f->ifn.name, sizeof(f->ifn.name), "%s", ts->ifname);
		f->inv.ifnames = &f->ifn;
		f->inv.nifnames = 1;
	}
	if (to->user) {
		f->user.uid = ts->uid;
		snprintf(f->user.name, sizeof(f->user.name), "%s", to->user);
		f->inv.users = &f->user;
		f->inv.nusers = 1;
	}
}

/* ---- class names ----------------------------------------------------- */

static void test_sev_names(void **state)
{
	static const char *const names[SEV_COUNT] = {
		[SEV_ASSIGNED] = "assigned", [SEV_UNASSIGNED] = "unassigned", [SEV_RESERVED] = "reserved",
		[SEV_DYNAMIC] = "dynamic", [SEV_UDP_EPHEMERAL] = "udp_ephemeral",
		[SEV_SUSPICIOUS] = "suspicious",
		[SEV_PACKET] = "packet", [SEV_PACKET_FILTER] = "packet_filter", [SEV_RAW] = "raw",
		[SEV_PING] = "ping",
	};

	(void)state;
	for (int c = 0; c < SEV_COUNT; c++) {
		assert_string_equal(sev_class_name((enum sev_class)c), names[c]);
		assert_int_equal(sev_class_from_name(names[c]), c);
	}
	assert_int_equal(sev_class_from_name("UDP_Ephemeral"), SEV_UDP_EPHEMERAL);
	assert_int_equal(sev_class_from_name("udp-ephemeral"), -1);
	assert_int_equal(sev_class_from_name(""), -1);
	assert_int_equal(sev_class_from_name(NULL), -1);
}

/* ---- rule_match ------------------------------------------------------ */

struct match_case {
	const char *name;
	struct rule r;
	struct tsock s;
	struct towner o;
	int64_t now;
	enum match want;
};

#define SSH4 S4(TCP, 22, 0, 0, 0, 0)
#define DUAL S6(TCP, 22, 0, V6_ANY)

static const struct match_case matches[] = {
	{ "empty rule", { 0 }, SSH4, SSHD, 0, MATCH_YES },
	{ "empty rule, owner unknown", { 0 }, SSH4, UNRESOLVED, 0, MATCH_YES },
	/* protocols */
	{ "proto tcp", { .protos = BIT(TCP) }, SSH4, SSHD, 0, MATCH_YES },
	{ "proto udp vs tcp", { .protos = BIT(UDP) }, SSH4, SSHD, 0, MATCH_NO },
	{ "proto udp|udplite", { .protos = BIT(UDP) | BIT(UDPLITE) }, S4(UDPLITE, 9, 0, 0, 0, 0), SSHD, 0, MATCH_YES },
	{ "proto sctp", { .protos = BIT(SCTP) }, S4(SCTP, 9, 0, 0, 0, 0), SSHD, 0, MATCH_YES },
	/* families */
	{ "v4 rule, v4", { .families = FAMILY_V4 }, SSH4, SSHD, 0, MATCH_YES },
	{ "v6 rule, v4", { .families = FAMILY_V6 }, SSH4, SSHD, 0, MATCH_NO },
	{ "v4 rule, dual [::]", { .families = FAMILY_V4 }, DUAL, SSHD, 0, MATCH_YES },
	{ "v4 rule, [::] flag unknown", { .families = FAMILY_V4 }, S6(TCP, 22, -1, V6_ANY), SSHD, 0, MATCH_YES },
	{ "v4 rule, [::] v6only", { .families = FAMILY_V4 }, S6(TCP, 22, 1, V6_ANY), SSHD, 0, MATCH_NO },
	{ "v4 rule, [::1] not v6only", { .families = FAMILY_V4 }, S6(TCP, 22, 0, V6_LO), SSHD, 0, MATCH_NO },
	{ "v6 rule, dual [::]", { .families = FAMILY_V6 }, DUAL, SSHD, 0, MATCH_YES },
	{ "v6 rule, [::] v6only", { .families = FAMILY_V6 }, S6(TCP, 22, 1, V6_ANY), SSHD, 0, MATCH_YES },
	{ "v4 rule, normalised v4-mapped", { .families = FAMILY_V4 }, S4(TCP, 22, 127, 0, 0, 1), SSHD, 0, MATCH_YES },
	{ "v6 rule, normalised v4-mapped", { .families = FAMILY_V6 }, S4(TCP, 22, 127, 0, 0, 1), SSHD, 0, MATCH_NO },
	{ "both families", { .families = FAMILY_V4 | FAMILY_V6 }, S6(TCP, 22, 1, V6_LL), SSHD, 0, MATCH_YES },
	/* ports */
	{ "port inside", { .ports = PORTS(20, 25), .nports = 1 }, SSH4, SSHD, 0, MATCH_YES },
	{ "port low edge", { .ports = PORTS(22, 30), .nports = 1 }, SSH4, SSHD, 0, MATCH_YES },
	{ "port high edge", { .ports = PORTS(10, 22), .nports = 1 }, SSH4, SSHD, 0, MATCH_YES },
	{ "port below", { .ports = PORTS(23, 30), .nports = 1 }, SSH4, SSHD, 0, MATCH_NO },
	{ "port above", { .ports = PORTS(10, 21), .nports = 1 }, SSH4, SSHD, 0, MATCH_NO },
	{ "second span", { .ports = (struct port_span[]){ { 80, 80 }, { 22, 22 } }, .nports = 2 },
		SSH4, SSHD, 0, MATCH_YES },
	{ "port 0 and 65535", { .ports = (struct port_span[]){ { 0, 0 }, { 65535, 65535 } }, .nports = 2 },
		S4(UDP, 65535, 0, 0, 0, 0), SSHD, 0, MATCH_YES },
	/* addresses: any */
	{ "any, 0.0.0.0", { .addrs = ANY_ADDR, .naddrs = 1 }, SSH4, SSHD, 0, MATCH_YES },
	{ "any, dual [::]", { .addrs = ANY_ADDR, .naddrs = 1 }, DUAL, SSHD, 0, MATCH_YES },
	{ "any, [::] v6only", { .addrs = ANY_ADDR, .naddrs = 1 }, S6(TCP, 22, 1, V6_ANY), SSHD, 0, MATCH_YES },
	{ "any, v4 rule, dual [::]", { .families = FAMILY_V4, .addrs = ANY_ADDR, .naddrs = 1 },
		DUAL, SSHD, 0, MATCH_YES },
	{ "any, 127.0.0.1", { .addrs = ANY_ADDR, .naddrs = 1 }, S4(TCP, 22, 127, 0, 0, 1), SSHD, 0, MATCH_NO },
	{ "any, ::1", { .addrs = ANY_ADDR, .naddrs = 1 }, S6(TCP, 22, 1, V6_LO), SSHD, 0, MATCH_NO },
	/* addresses: loopback */
	{ "lo, 127.0.0.1", { .addrs = LOOPBACK, .naddrs = 1 }, S4(TCP, 22, 127, 0, 0, 1), SSHD, 0, MATCH_YES },
	{ "lo, 127.255.0.9", { .addrs = LOOPBACK, .naddrs = 1 }, S4(TCP, 22, 127, 255, 0, 9), SSHD, 0, MATCH_YES },
	{ "lo, 128.0.0.1", { .addrs = LOOPBACK, .naddrs = 1 }, S4(TCP, 22, 128, 0, 0, 1), SSHD, 0, MATCH_NO },
	{ "lo, ::1", { .addrs = LOOPBACK, .naddrs = 1 }, S6(TCP, 22, 0, V6_LO), SSHD, 0, MATCH_YES },
	{ "lo, ::2", { .addrs = LOOPBACK, .naddrs = 1 }, S6(TCP, 22, 0, .addr = { [15] = 2 }), SSHD, 0, MATCH_NO },
	{ "lo, 0.0.0.0", { .addrs = LOOPBACK, .naddrs = 1 }, SSH4, SSHD, 0, MATCH_NO },
	{ "lo, dual [::]", { .addrs = LOOPBACK, .naddrs = 1 }, DUAL, SSHD, 0, MATCH_NO },
	/* addresses: CIDR */
	{ "10/8, 10.1.2.3", { .addrs = CIDR4(8, 10, 0, 0, 0), .naddrs = 1 }, S4(TCP, 22, 10, 1, 2, 3), SSHD, 0, MATCH_YES },
	{ "10/8, 11.0.0.1", { .addrs = CIDR4(8, 10, 0, 0, 0), .naddrs = 1 }, S4(TCP, 22, 11, 0, 0, 1), SSHD, 0, MATCH_NO },
	{ "10/8, 0.0.0.0", { .addrs = CIDR4(8, 10, 0, 0, 0), .naddrs = 1 }, SSH4, SSHD, 0, MATCH_NO },
	{ "10/8, dual [::]", { .addrs = CIDR4(8, 10, 0, 0, 0), .naddrs = 1 }, DUAL, SSHD, 0, MATCH_NO },
	{ "0/0, 0.0.0.0", { .addrs = CIDR4(0, 0, 0, 0, 0), .naddrs = 1 }, SSH4, SSHD, 0, MATCH_YES },
	{ "0/0, 192.168.1.1", { .addrs = CIDR4(0, 0, 0, 0, 0), .naddrs = 1 }, S4(TCP, 22, 192, 168, 1, 1), SSHD, 0, MATCH_YES },
	{ "0/0, dual [::]", { .addrs = CIDR4(0, 0, 0, 0, 0), .naddrs = 1 }, DUAL, SSHD, 0, MATCH_YES },
	{ "0/0, [::] v6only", { .addrs = CIDR4(0, 0, 0, 0, 0), .naddrs = 1 }, S6(TCP, 22, 1, V6_ANY), SSHD, 0, MATCH_NO },
	{ "0/0, ::1", { .addrs = CIDR4(0, 0, 0, 0, 0), .naddrs = 1 }, S6(TCP, 22, 0, V6_LO), SSHD, 0, MATCH_NO },
	{ "/25, .127", { .addrs = CIDR4(25, 192, 168, 1, 0), .naddrs = 1 }, S4(TCP, 22, 192, 168, 1, 127), SSHD, 0, MATCH_YES },
	{ "/25, .128", { .addrs = CIDR4(25, 192, 168, 1, 0), .naddrs = 1 }, S4(TCP, 22, 192, 168, 1, 128), SSHD, 0, MATCH_NO },
	{ "/32 exact", { .addrs = CIDR4(32, 10, 0, 0, 1), .naddrs = 1 }, S4(TCP, 22, 10, 0, 0, 1), SSHD, 0, MATCH_YES },
	{ "/32 other", { .addrs = CIDR4(32, 10, 0, 0, 1), .naddrs = 1 }, S4(TCP, 22, 10, 0, 0, 2), SSHD, 0, MATCH_NO },
	{ "fe80::/10, fe80::1", { .addrs = CIDR6(10, 0xfe, 0x80), .naddrs = 1 }, S6(TCP, 22, 1, V6_LL), SSHD, 0, MATCH_YES },
	{ "fe80::/10, febf::1", { .addrs = CIDR6(10, 0xfe, 0x80), .naddrs = 1 },
		S6(TCP, 22, 1, .addr = { 0xfe, 0xbf, [15] = 1 }), SSHD, 0, MATCH_YES },
	{ "fe80::/10, fec0::1", { .addrs = CIDR6(10, 0xfe, 0x80), .naddrs = 1 },
		S6(TCP, 22, 1, .addr = { 0xfe, 0xc0, [15] = 1 }), SSHD, 0, MATCH_NO },
	{ "fe80::/10, v4", { .addrs = CIDR6(10, 0xfe, 0x80), .naddrs = 1 }, S4(TCP, 22, 10, 0, 0, 1), SSHD, 0, MATCH_NO },
	{ "::/0, dual [::]", { .addrs = CIDR6(0, 0), .naddrs = 1 }, DUAL, SSHD, 0, MATCH_YES },
	{ "::/0, 0.0.0.0", { .addrs = CIDR6(0, 0), .naddrs = 1 }, SSH4, SSHD, 0, MATCH_NO },
	{ "::1/128", { .addrs = CIDR6(128, [15] = 1), .naddrs = 1 }, S6(TCP, 22, 1, V6_LO), SSHD, 0, MATCH_YES },
	{ "lo or 10/8", { .addrs = (struct addr_match[]){ { .kind = ADDR_LOOPBACK },
		{ .kind = ADDR_CIDR, .family = AF_INET, .prefix = 8, .addr = { 10 } } }, .naddrs = 2 },
		S4(TCP, 22, 10, 9, 9, 9), SSHD, 0, MATCH_YES },
	/* interface */
	{ "if eth*, eth0", { .interface = "eth*" }, S4(TCP, 22, 0, 0, 0, 0, .ifindex = 2, .ifname = "eth0"),
		SSHD, 0, MATCH_YES },
	{ "if eth*, wlan0", { .interface = "eth*" }, S4(TCP, 22, 0, 0, 0, 0, .ifindex = 3, .ifname = "wlan0"),
		SSHD, 0, MATCH_NO },
	{ "if *, unbound", { .interface = "*" }, SSH4, SSHD, 0, MATCH_NO },
	/* netns */
	{ "netns web-*, web-1", { .netns = "web-*" }, S4(TCP, 22, 0, 0, 0, 0, .netns = 1), SSHD, 0, MATCH_YES },
	{ "netns web-*, host", { .netns = "web-*" }, SSH4, SSHD, 0, MATCH_NO },
	{ "netns host", { .netns = "host" }, SSH4, SSHD, 0, MATCH_YES },
	{ "netns index out of range", { .netns = "*" }, S4(TCP, 22, 0, 0, 0, 0, .netns = 7), SSHD, 0, MATCH_YES },
	{ "netns index out of range, named", { .netns = "host" }, S4(TCP, 22, 0, 0, 0, 0, .netns = 7), SSHD, 0, MATCH_NO },
	/* expiry */
	{ "expires, second before", { .expires = 1000 }, SSH4, SSHD, 999, MATCH_YES },
	{ "expires, at", { .expires = 1000 }, SSH4, SSHD, 1000, MATCH_NO },
	{ "expires, after", { .expires = 1000 }, SSH4, SSHD, 5000, MATCH_NO },
	{ "expires 0 never", { .expires = 0 }, SSH4, SSHD, INT64_MAX, MATCH_YES },
	{ "expired, owner unknown", { .expires = 1000, .process = "x" }, SSH4, UNRESOLVED, 1000, MATCH_NO },
	/* process */
	{ "process ssh*", { .process = "ssh*" }, SSH4, SSHD, 0, MATCH_YES },
	{ "process nginx", { .process = "nginx" }, SSH4, SSHD, 0, MATCH_NO },
	{ "process, unresolved", { .process = "ssh*" }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "process, denied", { .process = "ssh*" }, SSH4, DENIED, 0, MATCH_UNKNOWN },
	{ "process kernel, no holder", { .process = "kernel" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "process *, no holder", { .process = "*" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "process ssh*, no holder", { .process = "ssh*" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "process, holders incomplete", { .process = "ssh*" }, SSH4,
		{ .state = OWNER_PROCESS, .comm = "sshd", .partial = true }, 0, MATCH_UNKNOWN },
	{ "process, holders incomplete, mismatch", { .process = "nginx" }, SSH4,
		{ .state = OWNER_PROCESS, .comm = "sshd", .partial = true }, 0, MATCH_NO },
	/* exe */
	{ "exe /usr/sbin/*", { .exe = "/usr/sbin/*" }, SSH4, SSHD, 0, MATCH_YES },
	{ "exe /opt/*", { .exe = "/opt/*" }, SSH4, SSHD, 0, MATCH_NO },
	{ "exe, unreadable", { .exe = "*" }, SSH4, NOEXE, 0, MATCH_NO },
	{ "exe, no holder", { .exe = "*" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "exe, unresolved", { .exe = "*" }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "exe, denied", { .exe = "*" }, SSH4, DENIED, 0, MATCH_UNKNOWN },
	/* user */
	{ "user root", { .user = "root" }, SSH4, SSHD, 0, MATCH_YES },
	{ "user nobody", { .user = "nobody" }, SSH4, SSHD, 0, MATCH_NO },
	{ "user 0, name known", { .user = "0" }, SSH4, SSHD, 0, MATCH_YES },
	{ "user 1000, name known", { .user = "1000" }, SSH4, SSHD, 0, MATCH_NO },
	{ "user 0, name unknown", { .user = "0" }, SSH4, HELD, 0, MATCH_YES },
	{ "user 0, holder unknown", { .user = "0" }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "user 0, no holder", { .user = "0" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "user root, no holder", { .user = "root" }, SSH4, NOHOLDER, 0, MATCH_NO },
	{ "user 00, name unknown", { .user = "00" }, SSH4, HELD, 0, MATCH_YES },
	{ "user 1000, uid 1000", { .user = "1000" }, S4(TCP, 22, 0, 0, 0, 0, .uid = 1000), HELD, 0, MATCH_YES },
	{ "user 1000, name unknown", { .user = "1000" }, SSH4, UNRESOLVED, 0, MATCH_NO },
	{ "user root, name unknown", { .user = "root" }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "user 2^32, name unknown", { .user = "4294967296" }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "user max uid", { .user = "4294967295" }, S4(TCP, 22, 0, 0, 0, 0, .uid = UINT32_MAX), HELD, 0, MATCH_YES },
	{ "user given as uid", { .user = "1234" }, S4(TCP, 22, 0, 0, 0, 0, .uid = 1234),
		{ .state = OWNER_PROCESS, .comm = "x", .user = "1234" }, 0, MATCH_YES },
	/* unit */
	{ "unit ssh*", { .unit = "ssh*" }, SSH4, SSHD, 0, MATCH_YES },
	{ "unit nginx*", { .unit = "nginx*" }, SSH4, SSHD, 0, MATCH_NO },
	{ "unit, none", { .unit = "*" }, SSH4, { .state = OWNER_PROCESS, .unit_checked = true }, 0, MATCH_NO },
	{ "unit, unchecked", { .unit = "*" }, SSH4, { .state = OWNER_PROCESS, .comm = "x" }, 0, MATCH_UNKNOWN },
	{ "unit, no holder: the socket's own cgroup", { .unit = "ssh*" }, SSH4, { .state = OWNER_NONE,
		.unit_checked = true, .unit = "ssh.service" }, 0, MATCH_YES },
	{ "unit, no holder, other unit", { .unit = "nginx*" }, SSH4, { .state = OWNER_NONE,
		.unit_checked = true, .unit = "ssh.service" }, 0, MATCH_NO },
	{ "unit, holders unreadable: the socket's own cgroup", { .unit = "ssh*" }, SSH4, { .state = OWNER_DENIED,
		.unit_checked = true, .unit = "ssh.service" }, 0, MATCH_YES },
	/* a socket without a cgroup id (packet, /proc/net/raw) gets its units from
	 * its holders: with none, no unit rule matches it (F5) */
	{ "unit, no holder, no cgroup id", { .unit = "*" }, SSH4, { .state = OWNER_NONE }, 0, MATCH_NO },
	{ "unit, holders unreadable, no cgroup id", { .unit = "*" }, SSH4, DENIED, 0, MATCH_UNKNOWN },
	{ "unit from the holder, no cgroup id", { .unit = "ssh*" }, SSH4, SSHD, 0, MATCH_YES },
	/* the creation cgroup was removed (F6): NO unless root controls what is seen */
	{ "unit, cgroup gone, nobody's socket", { .unit = "*" }, S4(TCP, 22, 0, 0, 0, 0, .uid = 65534,
		.cgroup_id = 7), { .state = OWNER_PROCESS, .comm = "x", .user = "nobody", .cg_gone = true }, 0,
		MATCH_NO },
	{ "unit, cgroup gone, a holder in a user's cgroup", { .unit = "*" }, S4(TCP, 22, 0, 0, 0, 0,
		.cgroup_id = 7), { .state = OWNER_PROCESS, .comm = "x", .cg_gone = true, .holder_cg_user = true },
		0, MATCH_NO },
	{ "unit, cgroup gone, root's socket and holders", { .unit = "*" }, S4(TCP, 22, 0, 0, 0, 0,
		.cgroup_id = 7), { .state = OWNER_PROCESS, .comm = "systemd", .cg_gone = true }, 0, MATCH_UNKNOWN },
	{ "unit, cgroup not found, nobody's socket", { .unit = "*" }, S4(TCP, 22, 0, 0, 0, 0, .uid = 65534,
		.cgroup_id = 7), { .state = OWNER_PROCESS, .comm = "x", .user = "nobody" }, 0, MATCH_UNKNOWN },
	/* holder = "none" */
	{ "holder none, no holder", { .holder_none = true }, SSH4, NOHOLDER, 0, MATCH_YES },
	/* ... only for a socket root made, in a cgroup root controls (F2) */
	{ "holder none, nobody's socket", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0, .uid = 65534),
		{ .state = OWNER_NONE, .user = "nobody" }, 0, MATCH_NO },
	{ "holder none, root's cgroup", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0, .cgroup_id = 7),
		{ .state = OWNER_NONE, .unit_checked = true, .unit = "systemd-networkd.service" }, 0, MATCH_YES },
	{ "holder none, root's socket in a user's cgroup", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0,
		.cgroup_id = 7), { .state = OWNER_NONE, .unit_checked = true, .cg_user = true,
		.unit = "user@1000.service/x" }, 0, MATCH_NO },
	{ "holder none, cgroup gone", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0, .cgroup_id = 7),
		{ .state = OWNER_NONE, .cg_gone = true }, 0, MATCH_UNKNOWN },
	{ "holder none, cgroup not looked up", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0, .cgroup_id = 7),
		NOHOLDER, 0, MATCH_UNKNOWN },
	{ "holder none, nobody's socket, holders unreadable", { .holder_none = true }, S4(TCP, 22, 0, 0, 0, 0,
		.uid = 65534), DENIED, 0, MATCH_NO },
	{ "user root beside holder none", { .holder_none = true, .user = "root" }, SSH4, NOHOLDER, 0, MATCH_YES },
	{ "user nobody beside holder none", { .holder_none = true, .user = "nobody" }, S4(TCP, 22, 0, 0, 0, 0,
		.uid = 65534), { .state = OWNER_NONE, .user = "nobody" }, 0, MATCH_NO },
	{ "user root beside holder none, held", { .holder_none = true, .user = "root" }, SSH4, SSHD, 0, MATCH_NO },
	{ "holder none, held", { .holder_none = true }, SSH4, SSHD, 0, MATCH_NO },
	{ "holder none, unresolved", { .holder_none = true }, SSH4, UNRESOLVED, 0, MATCH_UNKNOWN },
	{ "holder none, denied", { .holder_none = true }, SSH4, DENIED, 0, MATCH_UNKNOWN },
	{ "holder none and port", { .holder_none = true, .ports = PORTS(80, 80), .nports = 1 }, SSH4,
		NOHOLDER, 0, MATCH_NO },
	/* combinations: a known mismatch settles the rule */
	{ "owner unknown, port differs", { .ports = PORTS(80, 80), .nports = 1, .process = "ssh*" },
		SSH4, UNRESOLVED, 0, MATCH_NO },
	{ "owner unknown, user differs", { .process = "ssh*", .user = "nobody" },
		SSH4, { .state = OWNER_UNRESOLVED, .user = "root" }, 0, MATCH_NO },
	{ "owner unknown, uid differs", { .exe = "*", .user = "1000" }, SSH4, DENIED, 0, MATCH_NO },
	{ "owner unknown, user same", { .process = "ssh*", .user = "root" },
		SSH4, { .state = OWNER_UNRESOLVED, .user = "root" }, 0, MATCH_UNKNOWN },
	{ "unit known, process unknown", { .unit = "x*", .process = "ssh*" },
		SSH4, { .state = OWNER_UNRESOLVED, .unit_checked = true, .unit = "ssh.service" }, 0, MATCH_NO },
	{ "every field", { .protos = BIT(TCP), .families = FAMILY_V4, .ports = PORTS(22, 22), .nports = 1,
		.addrs = ANY_ADDR, .naddrs = 1, .interface = "eth0", .netns = "host", .process = "sshd",
		.exe = "/usr/sbin/sshd", .user = "root", .unit = "ssh.service", .expires = 10 },
		S4(TCP, 22, 0, 0, 0, 0, .ifindex = 2, .ifname = "eth0"), SSHD, 9, MATCH_YES },
};

static void test_rule_match(void **state)
{
	struct one f;

	(void)state;
	for (size_t i = 0; i < N(matches); i++) {
		const struct match_case *c = &matches[i];
		enum match got;

		one_set(&f, &c->s, &c->o);
		got = rule_match(&c->r, &f.inv, &f.l, c->now);
		if (got != c->want)
			fail_msg("%s: got %d, want %d", c->name, got, c->want);
	}
}

static void test_policy_match(void **state)
{
	struct rule rules[] = {
		{ .ports = PORTS(80, 80), .nports = 1 },        /* no */
		{ .process = "sshd" },                          /* unknown for UNRESOLVED */
		{ .expires = 5, .ports = PORTS(22, 22), .nports = 1 },  /* expired */
		{ .user = "0" },                                /* unknown: no holder known yet */
		{ .ports = PORTS(22, 22), .nports = 1 },        /* yes */
	};
	struct policy pol;
	struct sock s = SSH4;
	struct listener l = { .s = &s, .count = 1 };    /* owner not looked up */
	struct inventory inv;
	size_t rule = 99;

	(void)state;
	policy_init(&pol);
	pol.rules = rules;
	inv_with(&inv, &l, 1);
	pol.nrules = 5;
	assert_int_equal(policy_match(&pol, &inv, &l, 10, &rule), MATCH_YES);
	assert_int_equal(rule, 4);
	assert_int_equal(policy_match(&pol, &inv, &l, 4, &rule), MATCH_YES);
	assert_int_equal(rule, 2);                      /* not yet expired */
	assert_int_equal(policy_match(&pol, &inv, &l, 10, NULL), MATCH_YES);
	pol.nrules = 3;
	rule = 99;
	assert_int_equal(policy_match(&pol, &inv, &l, 10, &rule), MATCH_UNKNOWN);
	assert_int_equal(rule, 99);
	pol.nrules = 1;
	assert_int_equal(policy_match(&pol, &inv, &l, 10, &rule), MATCH_NO);
	pol.nrules = 0;
	assert_int_equal(policy_match(&pol, &inv, &l, 10, &rule), MATCH_NO);
}

/* ---- holder sets ----------------------------------------------------- */

/* A listener of two sockets (uid 0 and uids[1]) and up to three holders,
 * each holding the sockets in its mask; who is judged is holders_judge()'s. */
struct hset_case {
	const char *name;
	struct rule r;
	uint32_t nsocks, uid1;
	struct { const char *comm, *exe; bool manager; unsigned socks; } h[3];
	bool partial;
	enum match want;
};

#define GOODD(m) { "goodd", "/usr/sbin/goodd", false, m }
#define EVIL(m) { "evil", "/tmp/evil", false, m }
#define MGR(m) { "systemd", "/usr/lib/systemd/systemd", true, m }

static const struct hset_case hsets[] = {
	{ "reuseport pair, process of one", { .process = "goodd" }, 2, 0, { GOODD(1), EVIL(2) }, false, MATCH_NO },
	{ "reuseport pair, both match", { .process = "*" }, 2, 0, { GOODD(1), EVIL(2) }, false, MATCH_YES },
	{ "inherited fd, exe of the child", { .exe = "/tmp/evil" }, 1, 0, { GOODD(1), EVIL(1) }, false, MATCH_NO },
	{ "socket activation: the service", { .process = "goodd" }, 1, 0, { MGR(1), GOODD(1) }, false, MATCH_YES },
	{ "socket activation, evil beside", { .process = "goodd" }, 1, 0, { MGR(1), GOODD(1), EVIL(1) }, false,
	  MATCH_NO },
	{ "only the manager holds it", { .process = "goodd" }, 1, 0, { MGR(1) }, false, MATCH_NO },
	{ "only the manager, its name", { .process = "systemd" }, 1, 0, { MGR(1) }, false, MATCH_YES },
	{ "manager keeps one socket alone", { .process = "goodd" }, 2, 0, { MGR(3), GOODD(1) }, false, MATCH_NO },
	{ "a socket unheld", { .process = "goodd" }, 2, 0, { GOODD(1) }, false, MATCH_NO },
	{ "a socket unheld, port rule", { .ports = PORTS(22, 22), .nports = 1 }, 2, 0, { GOODD(1) }, false,
	  MATCH_YES },
	{ "a socket unheld, holder none", { .holder_none = true }, 2, 0, { GOODD(1) }, false, MATCH_NO },
	{ "co-bind root and nobody, user root", { .user = "root" }, 2, 65534, { GOODD(1), EVIL(2) }, false,
	  MATCH_NO },
	{ "co-bind root and nobody, user 0", { .user = "0" }, 2, 65534, { GOODD(1), EVIL(2) }, false, MATCH_NO },
	{ "both root, user root", { .user = "root" }, 2, 0, { GOODD(1), EVIL(2) }, false, MATCH_YES },
	{ "scan cut, the found match", { .process = "goodd" }, 1, 0, { GOODD(1) }, true, MATCH_UNKNOWN },
	{ "scan cut, one found differs", { .process = "goodd" }, 1, 0, { GOODD(1), EVIL(1) }, true, MATCH_NO },
	{ "scan cut, a socket unheld", { .user = "root" }, 2, 0, { GOODD(1) }, true, MATCH_UNKNOWN },
};

static void test_holder_sets(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(hsets); i++) {
		const struct hset_case *c = &hsets[i];
		struct sock socks[2] = { SSH4, SSH4 };
		struct holder h[3] = { { 0 } };
		struct holder_link links[6];
		struct uid_name users[2] = { { 0, "root" }, { 65534, "nobody" } };
		struct listener l = { .s = socks, .count = c->nsocks, .has_owner = true };
		struct owner o = { .state = OWNER_PROCESS, .holders = h, .complete = !c->partial };
		struct inventory inv;
		size_t nl = 0;
		enum match got;

		socks[1].uid = c->uid1;
		for (size_t k = 0; k < 3 && c->h[k].comm; k++, o.nholders++) {
			h[k] = (struct holder){ .pid = (pid_t)(k ? 100 + k : 1), .exe = (char *)c->h[k].exe,
				.manager = c->h[k].manager };
			snprintf(h[k].comm, sizeof(h[k].comm), "%s", c->h[k].comm);
			for (uint32_t sk = 0; sk < 2; sk++)
				if (c->h[k].socks & (1u << sk))
					links[nl++] = (struct holder_link){ sk, (uint32_t)k };
		}
		o.unheld = holders_judge(h, o.nholders, links, nl, c->nsocks);
		inv_with(&inv, &l, 1);
		inv.owners = &o;
		inv.users = users;
		inv.nusers = 2;
		got = rule_match(&c->r, &inv, &l, 0);
		if (got != c->want)
			fail_msg("%s: got %d, want %d", c->name, got, c->want);
	}
}

/* ---- grading --------------------------------------------------------- */

struct sev_case {
	const char *name;
	struct sock s;
	enum port_class cls;
	bool ephemeral;
	enum sev_class want;
};

static const struct sev_case sevs[] = {
	{ "assigned", S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_ASSIGNED },
	{ "unassigned", S4(TCP, 4444, 0, 0, 0, 0), CLASS_UNASSIGNED, false, SEV_UNASSIGNED },
	{ "reserved", S4(TCP, 1023, 0, 0, 0, 0), CLASS_RESERVED, false, SEV_RESERVED },
	{ "dynamic", S4(TCP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, false, SEV_DYNAMIC },
	{ "override tcp", S4(TCP, 8080, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_UNASSIGNED },
	{ "override is tcp only", S4(UDP, 8080, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_ASSIGNED },
	{ "override udp for udplite", S4(UDPLITE, 5353, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_UNASSIGNED },
	{ "override sctp", S4(SCTP, 3868, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_UNASSIGNED },
	{ "override, other port", S4(TCP, 8081, 0, 0, 0, 0), CLASS_ASSIGNED, false, SEV_ASSIGNED },
	{ "udp ephemeral", S4(UDP, 40000, 0, 0, 0, 0), CLASS_UNASSIGNED, true, SEV_UDP_EPHEMERAL },
	{ "udplite ephemeral", S4(UDPLITE, 40000, 0, 0, 0, 0), CLASS_ASSIGNED, true, SEV_UDP_EPHEMERAL },
	{ "udp ephemeral, override", S4(UDP, 5353, 0, 0, 0, 0), CLASS_ASSIGNED, true, SEV_UDP_EPHEMERAL },
	{ "tcp ephemeral", S4(TCP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, true, SEV_DYNAMIC },
	{ "sctp ephemeral", S4(SCTP, 40000, 0, 0, 0, 0), CLASS_UNASSIGNED, true, SEV_UNASSIGNED },
	{ "udp not ephemeral", S4(UDP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, false, SEV_DYNAMIC },
};

static struct port_override overrides[] = {
	{ 8080, REG_TCP }, { 5353, REG_UDP }, { 3868, REG_SCTP },
};

static void test_sev_class(void **state)
{
	struct policy pol;

	(void)state;
	policy_init(&pol);
	pol.unassigned = overrides;
	pol.nunassigned = N(overrides);
	for (size_t i = 0; i < N(sevs); i++) {
		struct sock s = sevs[i].s;
		struct listener l = { .s = &s,
			.reg = { .cls = sevs[i].cls, .ephemeral = sevs[i].ephemeral } };
		enum sev_class got = policy_sev_class(&pol, &l);

		if (got != sevs[i].want)
			fail_msg("%s: got %s", sevs[i].name, sev_class_name(got));
	}
}

/* ---- packet and raw sockets ------------------------------------------ */

/* A packet socket: ETH_P protocol, ifindex, filter. */
static struct sock pkt_sock(uint16_t eth, uint32_t ifindex, enum pkt_filter f, uint16_t len)
{
	struct sock s = { .proto = PROTO_PACKET, .family = AF_PACKET, .v6only = -1, .port = eth,
		.ifindex = ifindex, .inode = 7 };

	s.pkt.type = SOCK_RAW;
	s.pkt.filter = (uint8_t)f;
	s.pkt.filter_len = len;
	return s;
}

struct portless_case {
	const char *name;
	struct rule r;
	struct sock s;
	bool lo_named;          /* ifindex 1 is named "lo" */
	enum match want;
};

#define ETH_ALL 0x0003
#define ETH_IP 0x0800
#define RAW4(p, ...) { .proto = PROTO_RAW, .family = AF_INET, .v6only = -1, .port = (p), __VA_ARGS__ }
#define RAW6(p, ...) { .proto = PROTO_RAW, .family = AF_INET6, .v6only = 1, .port = (p), __VA_ARGS__ }
#define PING4(id, ...) { .proto = PROTO_PING, .family = AF_INET, .v6only = -1, .port = (id), \
	.flags = SOCK_IF_UNKNOWN, __VA_ARGS__ }
#define PING6(id, ...) { .proto = PROTO_PING, .family = AF_INET6, .v6only = 1, .port = (id), \
	.flags = SOCK_IF_UNKNOWN, __VA_ARGS__ }
#define PROTOS(k, lo) .protocol_of = PROTO_##k, .protocols = PORTS(lo, lo), .nprotocols = 1

static void test_portless_match(void **state)
{
	const struct portless_case cases[] = {
		{ "proto packet", { .protos = BIT(PACKET) }, pkt_sock(ETH_ALL, 0, 0, 0), false, MATCH_YES },
		{ "proto raw on a packet socket", { .protos = BIT(RAW) }, pkt_sock(ETH_ALL, 0, 0, 0), false, MATCH_NO },
		{ "protocol all", { .protos = BIT(PACKET), PROTOS(PACKET, ETH_ALL) }, pkt_sock(ETH_ALL, 0, 0, 0),
			false, MATCH_YES },
		{ "protocol ip vs all", { .protos = BIT(PACKET), PROTOS(PACKET, ETH_IP) }, pkt_sock(ETH_ALL, 0, 0, 0),
			false, MATCH_NO },
		{ "ETH_P 3 is not IP protocol 3", { PROTOS(RAW, 3) }, pkt_sock(ETH_ALL, 0, 0, 0), false, MATCH_NO },
		{ "a port rule never matches a packet socket", { .ports = PORTS(0, 65535), .nports = 1 },
			pkt_sock(ETH_ALL, 0, 0, 0), false, MATCH_NO },
		{ "a port rule never matches a raw socket", { .ports = PORTS(1, 1), .nports = 1 },
			RAW4(1), false, MATCH_NO },
		{ "a protocol rule never matches tcp", { PROTOS(RAW, 6) }, S4(TCP, 6, 0, 0, 0, 0), false, MATCH_NO },
		{ "family ipv4 on a packet socket", { .families = FAMILY_V4 }, pkt_sock(ETH_IP, 0, 0, 0), false, MATCH_NO },
		{ "address any on a packet socket", { .addrs = ANY_ADDR, .naddrs = 1 }, pkt_sock(ETH_IP, 0, 0, 0),
			false, MATCH_NO },
		{ "interface lo, bound to lo", { .interface = "lo" }, pkt_sock(ETH_ALL, 1, 0, 0), true, MATCH_YES },
		{ "interface lo, unbound", { .interface = "lo" }, pkt_sock(ETH_ALL, 0, 0, 0), false, MATCH_NO },
		{ "raw icmp", { .protos = BIT(RAW), PROTOS(RAW, 1) }, RAW4(1), false, MATCH_YES },
		{ "raw icmp vs udp", { PROTOS(RAW, 17) }, RAW4(1), false, MATCH_NO },
		{ "raw6 is not ipv4", { .families = FAMILY_V4 }, RAW6(58, V6_ANY), false, MATCH_NO },
		{ "raw6 is ipv6", { .families = FAMILY_V6 }, RAW6(58, V6_ANY), false, MATCH_YES },
		{ "raw, interface not known: cannot tell", { .interface = "lo" },
			RAW4(1, .flags = SOCK_IF_UNKNOWN), false, MATCH_UNKNOWN },
		{ "raw, interface not known, protocol differs: no", { .interface = "lo", PROTOS(RAW, 17) },
			RAW4(1, .flags = SOCK_IF_UNKNOWN), false, MATCH_NO },
		{ "raw, interface not known, user differs: no", { .interface = "lo", .user = "1000" },
			RAW4(1, .flags = SOCK_IF_UNKNOWN), false, MATCH_NO },
		{ "raw, interface not asked", { PROTOS(RAW, 1) }, RAW4(1, .flags = SOCK_IF_UNKNOWN), false, MATCH_YES },
		/* ping sockets: the echo identifier is no port and no protocol */
		{ "proto ping", { .protos = BIT(PING) }, PING4(0x1337), false, MATCH_YES },
		{ "proto raw on a ping socket", { .protos = BIT(RAW) }, PING4(0x1337), false, MATCH_NO },
		{ "proto ping on a raw icmp socket", { .protos = BIT(PING) }, RAW4(1), false, MATCH_NO },
		{ "a port rule never matches a ping socket, not even its id",
			{ .ports = PORTS(0x1337, 0x1337), .nports = 1 }, PING4(0x1337), false, MATCH_NO },
		{ "nor does port ephemeral", { .port_ephemeral = true }, PING4(40000), false, MATCH_NO },
		{ "a raw protocol rule never matches a ping socket", { PROTOS(RAW, 1) }, PING4(1), false, MATCH_NO },
		{ "address any, ping on 0.0.0.0", { .protos = BIT(PING), .addrs = ANY_ADDR, .naddrs = 1 },
			PING4(7), false, MATCH_YES },
		{ "ping6 is not ipv4", { .families = FAMILY_V4 }, PING6(7, V6_ANY), false, MATCH_NO },
		{ "ping6 is ipv6", { .protos = BIT(PING), .families = FAMILY_V6 }, PING6(7, V6_ANY), false, MATCH_YES },
		{ "ping, user root", { .protos = BIT(PING), .user = "root" }, PING4(7), false, MATCH_YES },
		{ "ping, another user", { .protos = BIT(PING), .user = "1000" }, PING4(7), false, MATCH_NO },
		{ "ping, interface not known: cannot tell", { .protos = BIT(PING), .interface = "lo" },
			PING4(7), false, MATCH_UNKNOWN },
	};
	const struct towner to = { .state = OWNER_PROCESS, .pid = 9, .comm = "x", .unit_checked = true,
		.user = "root" };
	struct holder h;
	char *unit = NULL;
	struct owner o = owner_of(&to, &h, &unit);
	struct uid_name root = { .uid = 0, .name = "root" };
	struct ifname lo = { .netns = 0, .ifindex = 1, .name = "lo" };

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct sock s = cases[i].s;
		struct listener l = { .s = &s, .count = 1, .has_owner = true };
		struct inventory inv;
		enum match got;

		inv_with(&inv, &l, 1);
		inv.owners = &o;
		inv.users = &root;
		inv.nusers = 1;
		if (cases[i].lo_named) {
			inv.ifnames = &lo;
			inv.nifnames = 1;
		}
		got = rule_match(&cases[i].r, &inv, &l, 0);
		if (got != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].name, got, cases[i].want);
	}
}

static void test_portless_sev(void **state)
{
	static const struct {
		const char *name;
		enum pkt_filter f;
		enum state packet, filtered;    /* the configured severities */
		enum sev_class want;
	} cases[] = {
		{ "no filter", PKT_FILTER_NONE, STATE_WARNING, STATE_CRITICAL, SEV_PACKET },
		{ "a classic filter: the BPFDoor shape", PKT_FILTER_CLASSIC, STATE_WARNING, STATE_CRITICAL,
			SEV_PACKET_FILTER },
		{ "withheld: graded as the worse (filter)", PKT_FILTER_WITHHELD, STATE_WARNING, STATE_CRITICAL,
			SEV_PACKET_FILTER },
		{ "withheld: graded as the worse (no filter)", PKT_FILTER_WITHHELD, STATE_CRITICAL, STATE_OK,
			SEV_PACKET },
		{ "withheld, equal: filter", PKT_FILTER_WITHHELD, STATE_WARNING, STATE_WARNING, SEV_PACKET_FILTER },
		{ "withheld, unknown beats ok", PKT_FILTER_WITHHELD, STATE_OK, STATE_UNKNOWN, SEV_PACKET_FILTER },
	};
	struct policy pol;
	struct sock raw = RAW4(1);
	struct listener l = { .s = &raw, .count = 1 };

	(void)state;
	policy_init(&pol);
	assert_int_equal(pol.severity[SEV_PACKET], STATE_WARNING);
	assert_int_equal(pol.severity[SEV_PACKET_FILTER], STATE_CRITICAL);
	assert_int_equal(pol.severity[SEV_RAW], STATE_WARNING);
	assert_int_equal(policy_sev_class(&pol, &l), SEV_RAW);
	{
		struct sock ping = PING6(0x1337);

		assert_int_equal(pol.severity[SEV_PING], STATE_WARNING);
		l.s = &ping;
		assert_int_equal(policy_sev_class(&pol, &l), SEV_PING);
		l.s = &raw;
	}
	for (size_t i = 0; i < N(cases); i++) {
		struct sock s = pkt_sock(ETH_ALL, 0, cases[i].f, cases[i].f == PKT_FILTER_CLASSIC ? 4 : 0);
		enum sev_class got;

		l.s = &s;
		pol.severity[SEV_PACKET] = cases[i].packet;
		pol.severity[SEV_PACKET_FILTER] = cases[i].filtered;
		got = policy_sev_class(&pol, &l);
		if (got != cases[i].want)
			fail_msg("%s: got %s", cases[i].name, sev_class_name(got));
	}
}

/* A BPFDoor-style socket is CRITICAL, a raw ICMP listener WARNING, by default. */
static void test_portless_decide(void **state)
{
	struct sock socks[3] = { pkt_sock(ETH_ALL, 0, PKT_FILTER_CLASSIC, 4), RAW4(1, .inode = 8),
		pkt_sock(ETH_IP, 0, PKT_FILTER_NONE, 0) };
	struct listener ls[3] = { { .s = &socks[0], .count = 1 }, { .s = &socks[1], .count = 1 },
		{ .s = &socks[2], .count = 1 } };
	struct policy pol;
	struct inventory inv;
	struct decision d;

	(void)state;
	policy_init(&pol);
	inv_with(&inv, ls, 3);
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.state, STATE_CRITICAL);
	assert_int_equal(d.v[0].state, STATE_CRITICAL);
	assert_int_equal(d.v[1].state, STATE_WARNING);
	assert_int_equal(d.v[2].state, STATE_WARNING);
	assert_int_equal(d.per_sev[SEV_PACKET_FILTER], 1);
	assert_int_equal(d.per_sev[SEV_RAW], 1);
	assert_int_equal(d.per_sev[SEV_PACKET], 1);
	assert_int_equal(d.order[0], 0);                /* the worst first */
	decision_free(&d);
	inv_with(&inv, &ls[1], 1);
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.state, STATE_WARNING);       /* raw ICMP alone */
	decision_free(&d);
}

/* ---- policy_init / policy_free --------------------------------------- */

static void test_policy_defaults(void **state)
{
	struct policy pol;

	(void)state;
	memset(&pol, 0x5a, sizeof(pol));
	policy_init(&pol);
	assert_int_equal(pol.nrules, 0);
	assert_null(pol.rules);
	assert_int_equal(pol.severity[SEV_UNASSIGNED], STATE_CRITICAL);
	assert_int_equal(pol.severity[SEV_RESERVED], STATE_CRITICAL);
	assert_int_equal(pol.severity[SEV_DYNAMIC], STATE_WARNING);
	assert_int_equal(pol.severity[SEV_ASSIGNED], STATE_WARNING);   /* issue 15 */
	assert_int_equal(pol.severity[SEV_UDP_EPHEMERAL], STATE_OK);
	assert_int_equal(pol.severity[SEV_SUSPICIOUS], STATE_CRITICAL);
	assert_null(pol.suspicious);
	assert_null(pol.not_suspicious);
	assert_false(pol.warn.set);
	assert_false(pol.crit.set);
	assert_null(pol.registry_file);
	assert_false(pol.all_netns);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* ASan's leak check fails the test when anything is left behind. */
static void test_policy_free(void **state)
{
	struct policy pol;
	struct rule *r;

	(void)state;
	policy_init(&pol);
	pol.rules = calloc(2, sizeof(*pol.rules));
	assert_non_null(pol.rules);
	pol.nrules = 2;
	r = &pol.rules[0];
	r->origin = xstrdup("f:1");
	r->ports = calloc(1, sizeof(*r->ports));
	r->nports = 1;
	r->addrs = calloc(1, sizeof(*r->addrs));
	r->naddrs = 1;
	r->interface = xstrdup("eth0");
	r->process = xstrdup("p");
	r->exe = xstrdup("/e");
	r->user = xstrdup("u");
	r->unit = xstrdup("x.service");
	r->netns = xstrdup("host");
	r->comment = xstrdup("why");
	pol.rules[1].origin = xstrdup("f:2");
	pol.unassigned = calloc(1, sizeof(*pol.unassigned));
	pol.nunassigned = 1;
	pol.suspicious = calloc(2, sizeof(*pol.suspicious));
	pol.nsuspicious = 2;
	pol.not_suspicious = calloc(1, sizeof(*pol.not_suspicious));
	pol.nnot_suspicious = 1;
	pol.registry_file = xstrdup("/tmp/x.csv");
	pol.severity[SEV_ASSIGNED] = STATE_CRITICAL;
	pol.all_netns = true;
	policy_free(&pol);
	assert_null(pol.rules);
	assert_int_equal(pol.nrules, 0);
	assert_null(pol.unassigned);
	assert_null(pol.suspicious);
	assert_int_equal(pol.nsuspicious, 0);
	assert_null(pol.not_suspicious);
	assert_null(pol.registry_file);
	assert_int_equal(pol.severity[SEV_ASSIGNED], STATE_WARNING);
	assert_false(pol.all_netns);
	policy_free(&pol);              /* again: nothing left to free */
	policy_free(NULL);
}


/* ---- policy_decide --------------------------------------------------- */

struct lspec {
	struct sock s;
	enum port_class cls;
	bool ephemeral;
	struct towner o;        /* no rule of these tests names a user */
};

/* n listeners with their sockets and owners in one block: free() the result.
 * inv_with() does not know the owners: call inv_owned(). */
static struct listener *listeners(const struct lspec *sp, size_t n)
{
	size_t each = sizeof(struct listener) + sizeof(struct sock) + sizeof(struct owner) +
		sizeof(struct holder) + sizeof(char *);
	struct listener *ls = calloc(n ? n : 1, each);
	struct sock *socks = (struct sock *)&ls[n];
	struct owner *owners = (struct owner *)&socks[n];
	struct holder *holders = (struct holder *)&owners[n];
	char **units = (char **)&holders[n];

	assert_non_null(ls);
	for (size_t i = 0; i < n; i++) {
		socks[i] = sp[i].s;
		owners[i] = owner_of(&sp[i].o, &holders[i], &units[i]);
		ls[i].s = &socks[i];
		ls[i].count = 1;
		ls[i].reg.cls = sp[i].cls;
		ls[i].reg.ephemeral = sp[i].ephemeral;
		ls[i].has_owner = true;
	}
	return ls;
}

/* inv_with() for the listeners() block: the owners follow the sockets. */
static void inv_owned(struct inventory *inv, struct listener *ls, size_t n)
{
	inv_with(inv, ls, n);
	inv->owners = (struct owner *)((struct sock *)&ls[n] + n);
}

static void assert_indices(const size_t *got, size_t ngot, const size_t *want, size_t nwant)
{
	assert_int_equal(ngot, nwant);
	for (size_t i = 0; i < nwant; i++)
		if (got[i] != want[i])
			fail_msg("index %zu: got %zu, want %zu", i, got[i], want[i]);
}

static void assert_order(const uint32_t *got, size_t ngot, const size_t *want, size_t nwant)
{
	assert_int_equal(ngot, nwant);
	for (size_t i = 0; i < nwant; i++)
		if (got[i] != want[i])
			fail_msg("order %zu: got %u, want %zu", i, (unsigned)got[i], want[i]);
}

static void test_decide_mixed(void **state)
{
	static const struct lspec sp[] = {
		{ S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, SSHD },                /* recognised */
		{ S4(TCP, 8080, 0, 0, 0, 0), CLASS_ASSIGNED, false, SSHD },              /* WARNING assigned */
		{ S4(TCP, 4444, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED },      /* CRITICAL */
		{ S4(UDP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, false, UNRESOLVED },        /* WARNING */
		{ S4(TCP, 1023, 0, 0, 0, 0), CLASS_RESERVED, false, UNRESOLVED },        /* CRITICAL */
		{ S4(TCP, 9999, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED },      /* unverifiable */
		{ S4(UDP, 40000, 0, 0, 0, 0), CLASS_UNASSIGNED, true, UNRESOLVED },      /* OK udp_ephemeral */
		{ S4(TCP, 5555, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED },      /* CRITICAL */
		{ S6(TCP, 2222, 1, V6_LO), CLASS_ASSIGNED, false, UNRESOLVED },          /* recognised */
	};
	struct rule rules[] = {
		{ .ports = PORTS(22, 22), .nports = 1, .process = "sshd" },
		{ .ports = PORTS(9999, 9999), .nports = 1, .process = "app" },
		{ .addrs = LOOPBACK, .naddrs = 1 },
	};
	static const size_t want_order[] = { 2, 7, 4, 3, 1, 6, 5, 0, 8 };
	struct listener *ls = listeners(sp, N(sp));
	struct inventory inv;
	struct policy pol;
	struct decision d;

	(void)state;
	inv_owned(&inv, ls, N(sp));
	policy_init(&pol);
	pol.rules = rules;
	pol.nrules = N(rules);
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.state, STATE_CRITICAL);
	assert_int_equal(d.recognised, 2);
	assert_int_equal(d.unrecognised, 6);
	assert_int_equal(d.unverifiable, 1);
	assert_int_equal(d.per_sev[SEV_UNASSIGNED], 2);
	assert_int_equal(d.per_sev[SEV_RESERVED], 1);
	assert_int_equal(d.per_sev[SEV_DYNAMIC], 1);
	assert_int_equal(d.per_sev[SEV_UDP_EPHEMERAL], 1);
	assert_int_equal(d.per_sev[SEV_ASSIGNED], 1);
	assert_int_equal(d.v[0].kind, VERDICT_RECOGNISED);
	assert_int_equal(d.v[0].state, STATE_OK);
	assert_int_equal(d.v[0].rule, 0);
	assert_int_equal(d.v[8].rule, 2);
	assert_int_equal(d.v[5].kind, VERDICT_UNVERIFIABLE);
	assert_int_equal(d.v[5].state, STATE_UNKNOWN);
	assert_int_equal(d.v[3].kind, VERDICT_UNRECOGNISED);
	assert_int_equal(d.v[3].state, STATE_WARNING);
	assert_int_equal(d.v[3].sev, SEV_DYNAMIC);
	assert_int_equal(d.v[6].sev, SEV_UDP_EPHEMERAL);
	assert_int_equal(d.v[6].state, STATE_OK);
	assert_int_equal(d.nmissing, 0);
	assert_int_equal(d.nexpired, 0);
	assert_order(d.order, d.norder, want_order, N(want_order));
	decision_free(&d);
	free(ls);
}

/* The configured severity orders first, the class breaks ties. */
static void test_decide_order_by_severity(void **state)
{
	static const struct lspec sp[] = {
		{ S4(TCP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, false, UNRESOLVED },        /* OK */
		{ S4(TCP, 4444, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED },      /* WARNING */
		{ S4(TCP, 80, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },          /* CRITICAL */
		{ S4(TCP, 1023, 0, 0, 0, 0), CLASS_RESERVED, false, UNRESOLVED },        /* WARNING */
		{ S4(UDP, 40000, 0, 0, 0, 0), CLASS_DYNAMIC, true, UNRESOLVED },         /* UNKNOWN */
		{ S4(TCP, 81, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },          /* CRITICAL */
	};
	static const size_t want_order[] = { 2, 5, 1, 3, 4, 0 };
	struct listener *ls = listeners(sp, N(sp));
	struct inventory inv;
	struct policy pol;
	struct decision d;

	(void)state;
	inv_owned(&inv, ls, N(sp));
	policy_init(&pol);
	pol.severity[SEV_ASSIGNED] = STATE_CRITICAL;
	pol.severity[SEV_UNASSIGNED] = STATE_WARNING;
	pol.severity[SEV_RESERVED] = STATE_WARNING;
	pol.severity[SEV_DYNAMIC] = STATE_OK;
	pol.severity[SEV_UDP_EPHEMERAL] = STATE_UNKNOWN;
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.state, STATE_CRITICAL);
	assert_int_equal(d.unrecognised, 6);
	assert_order(d.order, d.norder, want_order, N(want_order));
	decision_free(&d);
	free(ls);
}

struct state_case {
	const char *name;
	size_t recognised, unverifiable, assigned, dynamic, unassigned;
	const char *warn, *crit;
	enum state want;
};

static const struct state_case states[] = {
	{ "nothing", 0, 0, 0, 0, 0, NULL, NULL, STATE_OK },
	{ "recognised", 2, 0, 0, 0, 0, NULL, NULL, STATE_OK },
	{ "unverifiable", 1, 1, 0, 0, 0, NULL, NULL, STATE_UNKNOWN },
	{ "unverifiable, dynamic", 0, 1, 0, 1, 0, NULL, NULL, STATE_WARNING },
	{ "all kinds", 1, 1, 1, 1, 1, NULL, NULL, STATE_CRITICAL },
	{ "assigned graded ok", 0, 0, 2, 0, 0, NULL, NULL, STATE_OK },
	{ "warn raises", 0, 0, 2, 0, 0, "1", NULL, STATE_WARNING },
	{ "crit raises", 0, 0, 2, 0, 0, NULL, "1", STATE_CRITICAL },
	{ "warn only", 0, 0, 2, 0, 0, "1", "5", STATE_WARNING },
	{ "both", 0, 0, 2, 0, 0, "0", "1", STATE_CRITICAL },
	{ "below warn", 0, 0, 2, 0, 0, "5", NULL, STATE_OK },
	{ "at warn edge", 0, 0, 2, 0, 0, "2", NULL, STATE_OK },
	{ "never lowers critical", 0, 0, 0, 0, 1, "5", "5", STATE_CRITICAL },
	{ "warn under critical", 0, 0, 0, 0, 1, "0", NULL, STATE_CRITICAL },
	{ "warn over unknown", 0, 1, 1, 0, 0, "0", NULL, STATE_WARNING },
	{ "inside range, nothing", 0, 0, 0, 0, 0, NULL, "@0", STATE_CRITICAL },
	{ "inside range, missed", 0, 0, 0, 1, 0, NULL, "@0", STATE_WARNING },
	{ "unverifiable not counted", 0, 3, 0, 0, 0, "2", NULL, STATE_UNKNOWN },
	{ "recognised not counted", 3, 0, 0, 0, 0, "2", "2", STATE_OK },
};

static size_t state_listeners(const struct state_case *c, struct lspec *sp)
{
	static const struct lspec kinds[] = {
		{ S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, SSHD },
		{ S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
		{ S4(TCP, 80, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
		{ S4(TCP, 50000, 0, 0, 0, 0), CLASS_DYNAMIC, false, UNRESOLVED },
		{ S4(TCP, 4444, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED },
	};
	const size_t count[] = { c->recognised, c->unverifiable, c->assigned, c->dynamic, c->unassigned };
	size_t n = 0;

	for (size_t k = 0; k < N(kinds); k++)
		for (size_t i = 0; i < count[k]; i++)
			sp[n++] = kinds[k];
	return n;
}

static void test_decide_states(void **state)
{
	struct rule rule = { .ports = PORTS(22, 22), .nports = 1, .process = "sshd" };

	(void)state;
	for (size_t i = 0; i < N(states); i++) {
		const struct state_case *c = &states[i];
		struct lspec sp[16];
		size_t n = state_listeners(c, sp);
		struct listener *ls = listeners(sp, n);
		struct inventory inv;
		struct policy pol;
		struct decision d;

		inv_owned(&inv, ls, n);
		policy_init(&pol);
		/* the thresholds are what is tested: a class graded ok shows them
		 * (the default for assigned is warning, test_policy_defaults) */
		pol.severity[SEV_ASSIGNED] = STATE_OK;
		pol.rules = &rule;
		pol.nrules = 1;
		if (c->warn)
			assert_int_equal(threshold_parse(c->warn, &pol.warn), 0);
		if (c->crit)
			assert_int_equal(threshold_parse(c->crit, &pol.crit), 0);
		assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
		if (d.state != c->want)
			fail_msg("%s: got %s, want %s", c->name, state_name(d.state), state_name(c->want));
		assert_int_equal(d.recognised, c->recognised);
		assert_int_equal(d.unverifiable, c->unverifiable);
		assert_int_equal(d.unrecognised, c->assigned + c->dynamic + c->unassigned);
		assert_int_equal(d.norder, n);
		decision_free(&d);
		free(ls);
	}
}

struct require_case {
	const char *name;
	int64_t now;
	size_t nls;             /* how many of the listeners below exist */
	size_t missing[6], nmissing;
	size_t expired[6], nexpired;
	size_t unverified[6], nunverified;
	enum state want;
};

static const struct require_case requires[] = {
	{ "before expiry", 50, 2, { 2, 3 }, 2, { 0 }, 0, { 5 }, 1, STATE_CRITICAL },
	{ "last second", 99, 2, { 2, 3 }, 2, { 0 }, 0, { 5 }, 1, STATE_CRITICAL },
	{ "expired", 100, 2, { 2 }, 1, { 3, 4 }, 2, { 5 }, 1, STATE_CRITICAL },
	{ "with port 25", 100, 3, { 0 }, 0, { 3, 4 }, 2, { 5 }, 1, STATE_UNKNOWN },
	{ "with named", 100, 4, { 0 }, 0, { 3, 4 }, 2, { 0 }, 0, STATE_UNKNOWN },
	{ "no listeners", 100, 0, { 1, 2, 5 }, 3, { 3, 4 }, 2, { 0 }, 0, STATE_CRITICAL },
};

/* A listener recognised by an earlier rule still meets a later required rule;
 * one that only might match (owner unknown) makes the rule unverified
 * (UNKNOWN), not missing (CRITICAL): a running service must not page. */
static void test_decide_required(void **state)
{
	static const struct lspec sp[] = {
		{ S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, SSHD },
		{ S4(TCP, 53, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
		{ S4(TCP, 25, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
		{ S4(TCP, 53, 0, 0, 0, 1), CLASS_ASSIGNED, false,
			{ .state = OWNER_PROCESS, .comm = "named", .exe = "/usr/sbin/named" } },
	};
	struct rule rules[] = {
		{ .ports = PORTS(22, 22), .nports = 1 },
		{ .ports = PORTS(22, 22), .nports = 1, .process = "sshd", .require = true },
		{ .ports = PORTS(25, 25), .nports = 1, .require = true },
		{ .ports = PORTS(443, 443), .nports = 1, .require = true, .expires = 100 },
		{ .ports = PORTS(8443, 8443), .nports = 1, .expires = 100 },
		{ .ports = PORTS(53, 53), .nports = 1, .process = "named", .require = true },
	};
	struct listener *ls = listeners(sp, N(sp));
	struct policy pol;

	(void)state;
	policy_init(&pol);
	pol.rules = rules;
	pol.nrules = N(rules);
	for (size_t i = 0; i < N(requires); i++) {
		const struct require_case *c = &requires[i];
		struct inventory inv;
		struct decision d;

		inv_owned(&inv, ls, N(sp));
		inv.nls = c->nls;
		assert_int_equal(policy_decide(&pol, &inv, c->now, &d), 0);
		if (d.state != c->want)
			fail_msg("%s: got %s", c->name, state_name(d.state));
		assert_indices(d.missing, d.nmissing, c->missing, c->nmissing);
		assert_indices(d.expired, d.nexpired, c->expired, c->nexpired);
		assert_indices(d.unverified, d.nunverified, c->unverified, c->nunverified);
		decision_free(&d);
	}
	free(ls);
}

/* Which listeners still need an owner: those no rule settles yet, those a
 * required rule might match once the owner is known, or all; refining asks
 * only the ones still marked. */
static void test_want_owners(void **state)
{
	static const struct lspec sp[] = {
		{ S4(TCP, 22, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },  /* settled by port */
		{ S4(TCP, 80, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },  /* needs process */
		{ S4(TCP, 53, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },  /* required, by owner */
		{ S4(TCP, 99, 0, 0, 0, 0), CLASS_UNASSIGNED, false, UNRESOLVED }, /* no rule at all */
		{ S4(TCP, 80, 0, 0, 0, 1), CLASS_ASSIGNED, false,
			{ .state = OWNER_PROCESS, .comm = "nginx", .exe = "/usr/sbin/nginx" } },
		/* no rule, below suspicious: every holder's executable may raise it */
		{ S4(TCP, 8080, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
		{ S4(UDP, 45000, 0, 0, 0, 0), CLASS_ASSIGNED, true, UNRESOLVED },
	};
	struct rule rules[] = {
		{ .ports = PORTS(22, 22), .nports = 1 },
		{ .ports = PORTS(80, 80), .nports = 1, .process = "nginx" },
		{ .ports = PORTS(53, 53), .nports = 1 },
		{ .ports = PORTS(53, 53), .nports = 1, .process = "named", .require = true },
	};
	static const uint8_t want_some[] = { NEED_NONE, NEED_ALL, NEED_ALL, NEED_ANY, NEED_NONE,
		NEED_PLACE, NEED_PLACE };
	struct listener *ls = listeners(sp, N(sp));
	uint8_t want[N(sp)];
	struct inventory inv;
	struct policy pol;

	(void)state;
	policy_init(&pol);
	pol.rules = rules;
	pol.nrules = N(rules);
	inv_owned(&inv, ls, N(sp));
	assert_int_equal(policy_want_owners(&pol, &inv, 0, false, false, want), 5);
	for (size_t i = 0; i < N(sp); i++)
		if (want[i] != want_some[i])
			fail_msg("listener %zu: want %d", i, want[i]);
	assert_int_equal(policy_want_owners(&pol, &inv, 0, true, false, want), N(sp));
	/* refine: only marked listeners are asked again, and all keeps them */
	memset(want, 0, sizeof(want));
	want[1] = NEED_ALL;
	assert_int_equal(policy_want_owners(&pol, &inv, 0, true, true, want), 1);
	assert_int_equal(want[0], NEED_NONE);
	assert_int_equal(want[1], NEED_ALL);            /* the process rule still needs every holder */
	/* the owner of 80 becomes known as nginx: refining drops it */
	inv.owners[1] = inv.owners[4];
	assert_int_equal(policy_want_owners(&pol, &inv, 0, false, true, want), 0);
	assert_false(policy_names_users(&pol));
	rules[2].user = "root";
	assert_true(policy_names_users(&pol));
	free(ls);
}

static void test_decide_expiry(void **state)
{
	static const struct lspec sp[] = { { SSH4, CLASS_UNASSIGNED, false, SSHD } };
	struct rule rule = { .ports = PORTS(22, 22), .nports = 1, .expires = 1000 };
	struct listener *ls = listeners(sp, 1);
	struct inventory inv;
	struct policy pol;
	struct decision d;

	(void)state;
	inv_owned(&inv, ls, 1);
	policy_init(&pol);
	pol.rules = &rule;
	pol.nrules = 1;
	assert_int_equal(policy_decide(&pol, &inv, 999, &d), 0);
	assert_int_equal(d.state, STATE_OK);
	assert_int_equal(d.recognised, 1);
	assert_int_equal(d.nexpired, 0);
	decision_free(&d);
	assert_int_equal(policy_decide(&pol, &inv, 1000, &d), 0);
	assert_int_equal(d.state, STATE_CRITICAL);
	assert_int_equal(d.unrecognised, 1);
	assert_int_equal(d.nexpired, 1);
	assert_int_equal(d.expired[0], 0);
	decision_free(&d);
	free(ls);
}

static void test_decision_free(void **state)
{
	struct inventory inv;
	struct policy pol;
	struct decision d;

	(void)state;
	inv_with(&inv, NULL, 0);
	policy_init(&pol);
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.state, STATE_OK);
	assert_int_equal(d.norder, 0);
	decision_free(&d);
	assert_null(d.v);
	assert_null(d.order);
	assert_int_equal(d.nmissing, 0);
	decision_free(&d);
	decision_free(NULL);
}

/* The incremental required-rule pass against the obvious one: a rule is met
 * when any listener matches it. Deterministic pseudo-random data. */
static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

static void test_decide_required_brute(void **state)
{
	enum { NLS = 300, NRULES = 40 };
	static struct port_span spans[NRULES];
	static char uid0[] = "0", uid1[] = "1";
	char *const users[] = { NULL, uid0, uid1 };
	struct listener *ls = calloc(NLS, sizeof(*ls));
	struct sock *socks = calloc(NLS, sizeof(*socks));
	struct owner *owners = calloc(NLS, sizeof(*owners));
	struct holder held = { .pid = 7, .judged = true };
	struct rule rules[NRULES] = { { 0 } };
	struct inventory inv;
	struct policy pol;
	struct decision d;
	uint32_t x = 12345;
	size_t want[NRULES], nwant = 0;

	(void)state;
	assert_non_null(ls);
	assert_non_null(socks);
	assert_non_null(owners);
	for (size_t i = 0; i < NLS; i++) {
		socks[i] = (struct sock)S4(TCP, (uint16_t)(lcg(&x) % 200), 0, 0, 0, 0, .uid = lcg(&x) % 3);
		/* every socket held by a known process: user rules are decided */
		owners[i] = (struct owner){ .state = OWNER_PROCESS, .holders = &held, .nholders = 1,
			.complete = true };
		ls[i].has_owner = true;
		ls[i].count = 1;
		ls[i].s = &socks[i];
		ls[i].reg.cls = (enum port_class)(lcg(&x) % CLASS_COUNT);
	}
	for (size_t r = 0; r < NRULES; r++) {
		uint16_t lo = (uint16_t)(lcg(&x) % 220);

		spans[r] = (struct port_span){ lo, (uint16_t)(lo + lcg(&x) % 4) };
		rules[r] = (struct rule){ .ports = &spans[r], .nports = 1, .require = lcg(&x) % 2,
			.user = users[lcg(&x) % 3] };
	}
	inv_with(&inv, ls, NLS);
	inv.owners = owners;
	policy_init(&pol);
	pol.rules = rules;
	pol.nrules = NRULES;
	for (size_t r = 0; r < NRULES; r++) {
		bool met = false;

		for (size_t i = 0; i < NLS && !met; i++)
			met = rule_match(&rules[r], &inv, &ls[i], 0) == MATCH_YES;
		if (rules[r].require && !met)
			want[nwant++] = r;
	}
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_indices(d.missing, d.nmissing, want, nwant);
	assert_true(nwant > 0 && nwant < NRULES / 2);   /* the data exercises both */
	decision_free(&d);
	free(ls);
	free(socks);
	free(owners);
}

/* ---- issue 15: suspicious, port info, ephemeral ports, findings -------- */

/* A suspicious listener (known-abuse port or a suspicious executable) is
 * graded suspicious whatever its class; a deleted executable elsewhere is not. */
static void test_sev_suspicious(void **state)
{
	static const struct {
		const char *name;
		struct sock s;
		bool abuse;
		enum exe_place place;
		enum sev_class want;
	} cases[] = {
		{ "abuse port", S4(TCP, 4444, 0, 0, 0, 0), true, EXE_PLACE_NORMAL, SEV_SUSPICIOUS },
		{ "dev shm", S4(TCP, 8080, 0, 0, 0, 0), false, EXE_PLACE_DEV_SHM, SEV_SUSPICIOUS },
		{ "memfd, udp ephemeral", S4(UDP, 40000, 0, 0, 0, 0), false, EXE_PLACE_MEMFD, SEV_SUSPICIOUS },
		{ "deleted elsewhere: its class", S4(TCP, 8080, 0, 0, 0, 0), false, EXE_PLACE_DELETED, SEV_ASSIGNED },
		{ "normal", S4(TCP, 8080, 0, 0, 0, 0), false, EXE_PLACE_NORMAL, SEV_ASSIGNED },
	};
	struct policy pol;

	(void)state;
	policy_init(&pol);
	for (size_t i = 0; i < N(cases); i++) {
		struct sock sk = cases[i].s;
		struct listener l = { .s = &sk, .exe_place = (uint8_t)cases[i].place,
			.reg = { .cls = CLASS_ASSIGNED, .suspicious = cases[i].abuse,
				.ephemeral = sk.proto == PROTO_UDP } };
		enum sev_class got = policy_sev_class(&pol, &l);

		if (got != cases[i].want)
			fail_msg("%s: got %s", cases[i].name, sev_class_name(got));
	}
}

/* Review F1: an unrecognised listener whose executable's place is unknown
 * is UNKNOWN when a suspicious executable would grade it higher and one of
 * its sockets is not root's; suspicious places stay suspicious. */
static void test_place_unknown(void **state)
{
	static const struct {
		const char *name;
		struct sock s;
		enum port_class cls;
		enum exe_place place;
		enum state want;
		bool unplaced;
	} cases[] = {
		{ "udp ephemeral, unknown, nobody's: UNKNOWN", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_UNKNOWN, STATE_UNKNOWN, true },
		{ "udp ephemeral, unverified, nobody's: UNKNOWN", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_UNVERIFIED, STATE_UNKNOWN, true },
		{ "tcp assigned, unknown, daemon's: UNKNOWN", S4(TCP, 5001, 0, 0, 0, 0, .uid = 1),
			CLASS_ASSIGNED, EXE_PLACE_UNKNOWN, STATE_UNKNOWN, true },
		{ "udp ephemeral, unknown, root's: its class (OK)", S4(UDP, 45000, 0, 0, 0, 0, .uid = 0),
			CLASS_ASSIGNED, EXE_PLACE_UNKNOWN, STATE_OK, false },
		{ "tcp unassigned, unknown: critical already", S4(TCP, 5001, 0, 0, 0, 0, .uid = 65534),
			CLASS_UNASSIGNED, EXE_PLACE_UNKNOWN, STATE_CRITICAL, false },
		{ "udp ephemeral, known normal: OK", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_NORMAL, STATE_OK, false },
		{ "udp ephemeral, in /tmp: critical", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_TMP, STATE_CRITICAL, false },
		{ "udp ephemeral, hidden tmpfs: critical", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_HIDDEN_MEMORY, STATE_CRITICAL, false },
		/* review3 F2: no holder although every process was read */
		{ "udp ephemeral, unheld, nobody's: UNKNOWN", S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_UNHELD, STATE_UNKNOWN, true },
		{ "tcp assigned, unheld, nobody's: stays WARNING", S4(TCP, 5001, 0, 0, 0, 0, .uid = 65534),
			CLASS_ASSIGNED, EXE_PLACE_UNHELD, STATE_WARNING, false },
		{ "udp ephemeral, unheld, root's: its class (OK)", S4(UDP, 45000, 0, 0, 0, 0, .uid = 0),
			CLASS_ASSIGNED, EXE_PLACE_UNHELD, STATE_OK, false },
		{ "tcp unassigned, unheld, nobody's: critical already", S4(TCP, 5001, 0, 0, 0, 0, .uid = 65534),
			CLASS_UNASSIGNED, EXE_PLACE_UNHELD, STATE_CRITICAL, false },
	};
	struct policy pol;

	(void)state;
	policy_init(&pol);
	for (size_t i = 0; i < N(cases); i++) {
		struct sock sk = cases[i].s;
		struct listener l = { .s = &sk, .count = 1, .exe_place = (uint8_t)cases[i].place,
			.reg = { .cls = (uint8_t)cases[i].cls, .ephemeral = true } };
		struct inventory inv = { .socks = &sk, .nsocks = 1, .ls = &l, .nls = 1 };
		struct decision d;

		assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
		if (d.v[0].state != cases[i].want || (d.unplaced == 1) != cases[i].unplaced ||
		    policy_place_unknown(&pol, &l) != cases[i].unplaced)
			fail_msg("%s: got %s, unplaced %zu", cases[i].name, state_name(d.v[0].state), d.unplaced);
		assert_int_equal(d.state, cases[i].want);
		decision_free(&d);
	}
	/* suspicious configured as warning: an OK class still needs the place */
	pol.severity[SEV_SUSPICIOUS] = STATE_WARNING;
	{
		struct sock sk = S4(UDP, 45000, 0, 0, 0, 0, .uid = 65534);
		struct listener l = { .s = &sk, .count = 1, .exe_place = EXE_PLACE_UNKNOWN,
			.reg = { .cls = CLASS_ASSIGNED, .ephemeral = true } };

		assert_true(policy_place_unknown(&pol, &l));
		sk.proto = PROTO_TCP;           /* assigned: warning, as suspicious would be */
		assert_false(policy_place_unknown(&pol, &l));
	}
}

/* What the configuration makes of a port: registry.unassigned, the abuse
 * list, registry.suspicious adds, registry.not_suspicious removes. */
static void test_port_info(void **state)
{
	static struct port_override add[] = { { 6667, REG_TCP } }, del[] = { { 9001, REG_TCP } },
		un[] = { { 3206, REG_TCP } };
	static const struct {
		uint16_t port;
		int proto;
		bool with_pol;
		enum port_class want_cls;
		bool overridden, suspicious;
		const char *reason_word;
	} cases[] = {
		{ 4444, REG_TCP, false, CLASS_ASSIGNED, false, true, "Metasploit" },
		{ 4444, REG_UDP, false, CLASS_ASSIGNED, false, false, NULL },
		{ 31337, REG_UDP, true, CLASS_ASSIGNED, false, true, "Back Orifice" },
		{ 9001, REG_TCP, false, CLASS_ASSIGNED, false, true, "Tor" },
		{ 9001, REG_TCP, true, CLASS_ASSIGNED, false, false, NULL },
		{ 6667, REG_TCP, false, CLASS_ASSIGNED, false, false, NULL },
		{ 6667, REG_TCP, true, CLASS_ASSIGNED, false, true, "registry.suspicious" },
		{ 3206, REG_TCP, true, CLASS_UNASSIGNED, true, false, NULL },
		{ 3206, REG_UDP, true, CLASS_ASSIGNED, false, false, NULL },
	};
	struct policy pol;

	(void)state;
	policy_init(&pol);
	pol.suspicious = add;
	pol.nsuspicious = N(add);
	pol.not_suspicious = del;
	pol.nnot_suspicious = N(del);
	pol.unassigned = un;
	pol.nunassigned = N(un);
	for (size_t i = 0; i < N(cases); i++) {
		struct port_info pi = { .cls = CLASS_ASSIGNED, .service = "svc", .suspicious = true };

		policy_port_info(cases[i].with_pol ? &pol : NULL, cases[i].port, cases[i].proto, &pi);
		if (pi.cls != cases[i].want_cls || pi.overridden != cases[i].overridden
				|| pi.suspicious != cases[i].suspicious)
			fail_msg("%u/%d: cls %d overridden %d suspicious %d", cases[i].port, cases[i].proto,
					pi.cls, pi.overridden, pi.suspicious);
		if (cases[i].overridden)
			assert_null(pi.service);
		else
			assert_string_equal(pi.service, "svc");
		if (cases[i].reason_word)
			assert_non_null(strstr(pi.suspicious_reason, cases[i].reason_word));
		else
			assert_null(pi.suspicious_reason);
	}
}

/* port = "ephemeral" matches a port inside the namespace's range only; with
 * numbers beside it, those too; alone it is no wildcard. */
static void test_port_ephemeral(void **state)
{
	static const struct {
		bool eph_rule;
		size_t nports;
		uint16_t port;
		bool in_range;
		enum match want;
	} cases[] = {
		{ true, 0, 40000, true, MATCH_YES },
		{ true, 0, 22, false, MATCH_NO },
		{ true, 0, 40000, false, MATCH_NO },    /* in the range but local-reserved */
		{ true, 1, 22, false, MATCH_YES },      /* ( 22, "ephemeral" ) */
		{ true, 1, 23, false, MATCH_NO },
		{ false, 0, 23, false, MATCH_YES },     /* no port at all: any port */
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct rule r = { .port_ephemeral = cases[i].eph_rule, .ports = PORTS(22, 22),
			.nports = cases[i].nports, .protos = BIT(TCP) };
		struct sock sk = S4(TCP, cases[i].port, 0, 0, 0, 0);
		struct listener l = { .s = &sk, .reg = { .ephemeral = cases[i].in_range } };
		struct inventory inv;

		inv_with(&inv, &l, 1);
		if (rule_match(&r, &inv, &l, 0) != cases[i].want)
			fail_msg("case %zu: got %d", i, rule_match(&r, &inv, &l, 0));
	}
}

/* port = "rpc" matches what root registered with rpcbind in the plugin's own
 * namespace: policy_classify() sets l->reg.rpc from inv->rpc, rule_match()
 * reads it. Nothing when rpcbind was not trusted, in another namespace, for
 * another protocol or port; with numbers beside it, those too. */
static void test_port_rpc(void **state)
{
	static struct rpc_reg regs[] = {        /* sorted, as rpcb_parse_dump() leaves them */
		{ 100024, 1, 813, PROTO_TCP, AF_INET }, { 100021, 4, 40001, PROTO_TCP, AF_INET6 },
		{ 100024, 1, 814, PROTO_UDP, AF_INET },
	};
	static const struct {
		uint8_t map_state;
		uint8_t proto;
		uint16_t port;
		uint32_t netns;
		size_t nports;          /* rule: port = ( "rpc" ) or ( "rpc", 22 ) */
		enum match want;
	} cases[] = {
		{ RPC_TRUSTED, PROTO_TCP, 813, 0, 0, MATCH_YES },
		{ RPC_TRUSTED, PROTO_TCP, 40001, 0, 0, MATCH_YES },     /* IPv6 registration, same port */
		{ RPC_TRUSTED, PROTO_UDP, 814, 0, 0, MATCH_YES },
		{ RPC_TRUSTED, PROTO_UDP, 813, 0, 0, MATCH_NO },        /* tcp/813 only */
		{ RPC_TRUSTED, PROTO_TCP, 815, 0, 0, MATCH_NO },
		{ RPC_TRUSTED, PROTO_UDPLITE, 814, 0, 0, MATCH_NO },
		{ RPC_TRUSTED, PROTO_SCTP, 813, 0, 0, MATCH_NO },
		{ RPC_TRUSTED, PROTO_TCP, 813, 1, 0, MATCH_NO },        /* another namespace */
		{ RPC_UNAVAILABLE, PROTO_TCP, 813, 0, 0, MATCH_NO },    /* not asked, not trusted */
		{ RPC_NOT_ASKED, PROTO_TCP, 813, 0, 0, MATCH_NO },
		{ RPC_UNAVAILABLE, PROTO_TCP, 22, 0, 1, MATCH_YES },    /* ( "rpc", 22 ) */
		{ RPC_TRUSTED, PROTO_TCP, 23, 0, 1, MATCH_NO },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct rule r = { .port_rpc = true, .ports = PORTS(22, 22), .nports = cases[i].nports };
		struct sock sk = { .proto = cases[i].proto, .family = AF_INET, .v6only = -1,
			.port = cases[i].port, .netns = cases[i].netns };
		struct listener l = { .s = &sk, .count = 1 };
		struct inventory inv;
		struct policy pol;
		enum match m;

		inv_with(&inv, &l, 1);
		inv.rpc = (struct rpc_map){ .state = cases[i].map_state, .regs = regs, .nregs = N(regs) };
		policy_init(&pol);
		policy_classify(&pol, &inv, registry_builtin());
		m = rule_match(&r, &inv, &l, 0);
		if (m != cases[i].want || l.reg.rpc != (cases[i].want == MATCH_YES && !cases[i].nports))
			fail_msg("case %zu: match %d, reg.rpc %d", i, m, l.reg.rpc);
	}
	/* a rule without "rpc" is not widened by it; a packet socket has no port */
	{
		struct rule r = { .ports = PORTS(22, 22), .nports = 1 };
		struct rule rr = { .port_rpc = true };
		struct sock sk = S4(TCP, 813, 0, 0, 0, 0);
		struct sock pk = { .proto = PROTO_PACKET, .family = AF_PACKET, .port = 3 };
		struct listener l = { .s = &sk, .reg = { .rpc = true } };
		struct listener lp = { .s = &pk, .reg = { .rpc = true } };
		struct inventory inv;

		inv_with(&inv, &l, 1);
		assert_int_equal(rule_match(&r, &inv, &l, 0), MATCH_NO);
		assert_int_equal(rule_match(&rr, &inv, &lp, 0), MATCH_NO);
	}
}

/* rpcbind is asked only when a rule needs it. */
static void test_uses_rpc(void **state)
{
	struct rule rules[2] = { { .port_ephemeral = true }, { .port_rpc = true } };
	struct policy pol;

	(void)state;
	policy_init(&pol);
	assert_false(policy_uses_rpc(&pol));
	pol.rules = rules;
	pol.nrules = 1;
	assert_false(policy_uses_rpc(&pol));
	pol.nrules = 2;
	assert_true(policy_uses_rpc(&pol));
}

/* -w/-c count findings: UDP clients in the ephemeral range are apart. */
static void test_findings(void **state)
{
	static const struct lspec sp[] = {
		{ S4(UDP, 40000, 0, 0, 0, 0), CLASS_UNASSIGNED, true, UNRESOLVED },
		{ S4(UDP, 40001, 0, 0, 0, 0), CLASS_UNASSIGNED, true, UNRESOLVED },
		{ S4(TCP, 80, 0, 0, 0, 0), CLASS_ASSIGNED, false, UNRESOLVED },
	};
	struct listener *ls = listeners(sp, N(sp));
	struct inventory inv;
	struct policy pol;
	struct decision d;

	(void)state;
	inv_owned(&inv, ls, 2);
	policy_init(&pol);
	assert_int_equal(threshold_parse("0", &pol.warn), 0);
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(d.unrecognised, 2);
	assert_int_equal(decision_findings(&d), 0);
	assert_int_equal(d.state, STATE_OK);            /* -w 0 does not flap on UDP clients */
	decision_free(&d);
	inv_owned(&inv, ls, 3);
	pol.severity[SEV_ASSIGNED] = STATE_OK;
	assert_int_equal(policy_decide(&pol, &inv, 0, &d), 0);
	assert_int_equal(decision_findings(&d), 1);
	assert_int_equal(d.state, STATE_WARNING);       /* but a real finding counts */
	decision_free(&d);
	free(ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sev_names),
		cmocka_unit_test(test_rule_match),
		cmocka_unit_test(test_holder_sets),
		cmocka_unit_test(test_policy_match),
		cmocka_unit_test(test_sev_class),
		cmocka_unit_test(test_portless_match),
		cmocka_unit_test(test_portless_sev),
		cmocka_unit_test(test_portless_decide),
		cmocka_unit_test(test_policy_defaults),
		cmocka_unit_test(test_policy_free),
		cmocka_unit_test(test_decide_mixed),
		cmocka_unit_test(test_decide_order_by_severity),
		cmocka_unit_test(test_decide_states),
		cmocka_unit_test(test_sev_suspicious),
		cmocka_unit_test(test_place_unknown),
		cmocka_unit_test(test_port_info),
		cmocka_unit_test(test_port_ephemeral),
		cmocka_unit_test(test_port_rpc),
		cmocka_unit_test(test_uses_rpc),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_decide_required),
		cmocka_unit_test(test_want_owners),
		cmocka_unit_test(test_decide_expiry),
		cmocka_unit_test(test_decision_free),
		cmocka_unit_test(test_decide_required_brute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
