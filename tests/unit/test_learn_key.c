/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for learn_key: what a learned rule keys on (owner, ephemeral port, namespace). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "holders.h"
#include "learn_key.h"

static struct netns nss[] = {
	{ .label = "host" }, { .label = "pid 3006 (unshare)" }, { .label = "cl-test-a" },
	{ .label = "docker:0123456789ab" }, { .label = "net:[4026532281]" },
};

struct towner {
	enum owner_state state;
	char *unit;
	char *exe;
	const char *comm;
};

struct kcase {
	const char *what;
	struct towner o;
	uint32_t netns;
	bool ephemeral_port;
	enum learn_owner want_owner;
	const char *want_value;
	bool want_ephemeral, want_netns, want_unstable;
	enum learn_missing want_missing;
	uint8_t proto;          /* enum proto; 0 is TCP */
};

#define PROC(u, e, c) { OWNER_PROCESS, u, e, c }

static const struct kcase cases[] = {
	{ "unit wins", PROC("ssh.service", "/usr/sbin/sshd", "sshd"), 0, false,
		LEARN_UNIT, "ssh.service", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "unit + kernel UDP port: ephemeral", PROC("avahi-daemon.service", "/usr/sbin/avahi-daemon", "avahi-daemon"), 0, true,
		LEARN_UNIT, "avahi-daemon.service", true, false, false, LEARN_HAVE_OWNER, PROTO_UDP },
	{ "unit + TCP port in the range: exact", PROC("avahi-daemon.service", "/usr/sbin/avahi-daemon", "avahi-daemon"), 0, true,
		LEARN_UNIT, "avahi-daemon.service", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "no unit, TCP in the range: exe, exact port", PROC(NULL, "/usr/sbin/rpc.statd", "rpc.statd"), 0, true,
		LEARN_EXE, "/usr/sbin/rpc.statd", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "no unit, UDP: exe, ephemeral", PROC(NULL, "/usr/sbin/rpc.statd", "rpc.statd"), 0, true,
		LEARN_EXE, "/usr/sbin/rpc.statd", true, false, false, LEARN_HAVE_OWNER, PROTO_UDP },
	{ "no unit, UDP-Lite: exe, ephemeral", PROC(NULL, "/usr/bin/x", "x"), 0, true,
		LEARN_EXE, "/usr/bin/x", true, false, false, LEARN_HAVE_OWNER, PROTO_UDPLITE },
	{ "no unit, SCTP in the range: exact", PROC(NULL, "/usr/bin/x", "x"), 0, true,
		LEARN_EXE, "/usr/bin/x", false, false, false, LEARN_HAVE_OWNER, PROTO_SCTP },
	{ "delegated unit label: exe", PROC("user@1000.service/app.slice/nginx.service", "/usr/sbin/nginx", "nginx"), 0, false,
		LEARN_EXE, "/usr/sbin/nginx", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	/* issue F4: python3 on TCP 40000 must not become 28,000 ports */
	{ "login session, TCP 40000: exe, exact", PROC("session-4.scope", "/usr/bin/python3.11", "python3"), 0, true,
		LEARN_EXE, "/usr/bin/python3.11", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "user manager: exe", PROC("user@1000.service", "/usr/bin/x", "x"), 0, false,
		LEARN_EXE, "/usr/bin/x", false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "comm only: never ephemeral", PROC(NULL, NULL, "weird"), 0, true,
		LEARN_COMM, "weird", false, false, false, LEARN_HAVE_OWNER, PROTO_UDP },
	{ "no holder", { OWNER_NONE, NULL, NULL, NULL }, 0, true,
		LEARN_KERNEL, NULL, false, false, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "denied, unit known: unit, ephemeral", { OWNER_DENIED, "rpc-statd.service", NULL, NULL }, 0, true,
		LEARN_UNIT, "rpc-statd.service", true, false, false, LEARN_HAVE_OWNER, PROTO_UDP },
	{ "denied, no unit: no owner, exact port", { OWNER_DENIED, NULL, NULL, NULL }, 0, true,
		LEARN_NO_OWNER, NULL, false, false, false, LEARN_DENIED, PROTO_UDP },
	{ "unresolved", { OWNER_UNRESOLVED, NULL, NULL, NULL }, 0, false,
		LEARN_NO_OWNER, NULL, false, false, false, LEARN_UNRESOLVED, PROTO_TCP },
	{ "pid label: netns left out", PROC("cl-ctr.scope", "/bin/x", "x"), 1, false,
		LEARN_UNIT, "cl-ctr.scope", false, false, true, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "ip netns name: kept", PROC(NULL, "/bin/x", "x"), 2, false,
		LEARN_EXE, "/bin/x", false, true, false, LEARN_HAVE_OWNER, PROTO_TCP },
	{ "container label: kept", PROC("docker:0123456789ab", "/bin/x", "x"), 3, true,
		LEARN_UNIT, "docker:0123456789ab", true, true, false, LEARN_HAVE_OWNER, PROTO_UDP },
	{ "inode label: left out", PROC(NULL, "/bin/x", "x"), 4, false,
		LEARN_EXE, "/bin/x", false, false, true, LEARN_HAVE_OWNER, PROTO_TCP },
};

static void test_keys(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct kcase *c = &cases[i];
		struct sock s = { .proto = c->proto, .family = AF_INET, .port = 40000, .netns = c->netns };
		struct listener l = { .s = &s, .count = 1, .has_owner = true };
		struct holder h = { .pid = 42, .exe = c->o.exe, .judged = true };
		char *units[1] = { c->o.unit };
		struct owner o = { .state = c->o.state, .unit_checked = true, .units = units,
			.nunits = c->o.unit ? 1 : 0, .unit_none = !c->o.unit };
		struct inventory inv = { .socks = &s, .nsocks = 1, .ls = &l, .nls = 1, .owners = &o,
			.ns = nss, .nns = sizeof(nss) / sizeof(nss[0]) };
		struct learn_key k;

		if (c->o.state == OWNER_PROCESS) {
			snprintf(h.comm, sizeof(h.comm), "%s", c->o.comm ? c->o.comm : "");
			o.holders = &h;
			o.nholders = 1;
		}
		l.reg.ephemeral = c->ephemeral_port;
		learn_key_of(&inv, &l, &k);
		if (k.owner != c->want_owner || k.ephemeral != c->want_ephemeral || k.netns != c->want_netns
				|| k.netns_unstable != c->want_unstable || k.missing != c->want_missing
				|| k.kernel_port != c->ephemeral_port
				|| (c->want_value ? !k.value || strcmp(k.value, c->want_value) : k.value != NULL))
			fail_msg("%s: owner %d value %s ephemeral %d netns %d unstable %d missing %d", c->what,
					k.owner, k.value ? k.value : "(null)", k.ephemeral, k.netns,
					k.netns_unstable, k.missing);
	}
}

/* Holders that run different executables: no exe fits them all. */
static void test_mixed_holders(void **state)
{
	struct holder h[2] = { { .pid = 10, .comm = "a", .exe = "/usr/bin/a", .judged = true },
		{ .pid = 11, .comm = "a", .exe = "/tmp/b", .judged = true } };
	struct owner o = { .state = OWNER_PROCESS, .holders = h, .nholders = 2, .unit_checked = true,
		.unit_none = true };
	struct sock sk = { .proto = PROTO_TCP, .family = AF_INET, .port = 40000 };
	struct listener l = { .s = &sk, .count = 1, .has_owner = true, .reg = { .ephemeral = true } };
	struct inventory inv = { .socks = &sk, .nsocks = 1, .ls = &l, .nls = 1, .owners = &o,
		.ns = nss, .nns = 1 };
	struct learn_key k;

	(void)state;
	learn_key_of(&inv, &l, &k);
	assert_int_equal(k.owner, LEARN_COMM);          /* the same comm, different exes */
	assert_string_equal(k.value, "a");
	assert_false(k.ephemeral);
	h[1].judged = false;                            /* not judged: not asked */
	learn_key_of(&inv, &l, &k);
	assert_int_equal(k.owner, LEARN_EXE);
	assert_string_equal(k.value, "/usr/bin/a");
	h[1].judged = true;
	snprintf(h[1].comm, sizeof(h[1].comm), "b");
	learn_key_of(&inv, &l, &k);
	assert_int_equal(k.owner, LEARN_NO_OWNER);
	assert_int_equal(k.missing, LEARN_MIXED);
}

/* An exe or comm is learned with the user that created the sockets; sockets
 * of different users give none (and learn.c says so). */
static void test_user(void **state)
{
	struct uid_name users[] = { { 0, "root" }, { 65534, "nobody" } };
	struct holder h = { .pid = 10, .comm = "python3", .exe = "/usr/bin/python3.11", .judged = true };
	struct owner o = { .state = OWNER_PROCESS, .holders = &h, .nholders = 1, .unit_checked = true,
		.unit_none = true };
	struct sock sk[2] = { { .proto = PROTO_TCP, .family = AF_INET, .port = 40000, .uid = 65534 },
		{ .proto = PROTO_TCP, .family = AF_INET, .port = 40000, .uid = 65534 } };
	struct listener l = { .s = sk, .count = 2, .has_owner = true };
	struct inventory inv = { .socks = sk, .nsocks = 2, .ls = &l, .nls = 1, .owners = &o,
		.ns = nss, .nns = 1, .users = users, .nusers = 2 };
	struct learn_key k;

	(void)state;
	learn_key_of(&inv, &l, &k);
	assert_int_equal(k.owner, LEARN_EXE);
	assert_non_null(k.user);
	assert_string_equal(k.user, "nobody");
	h.exe = NULL;                                   /* comm: the same */
	learn_key_of(&inv, &l, &k);
	assert_int_equal(k.owner, LEARN_COMM);
	assert_string_equal(k.user, "nobody");
	sk[1].uid = 0;                                  /* two users: none fits both */
	learn_key_of(&inv, &l, &k);
	assert_null(k.user);
}

/* review3 F7: a unit with a user's socket is learned with that user (cron.service
 * and atd.service run every user's jobs); root's sockets in a unit need none. */
struct ucase {
	const char *what;
	bool unit;              /* the owner is a unit (else an exe) */
	uint32_t uid[2];        /* the two sockets' creators */
	bool want_needed;
	const char *want_user;
};

static const struct ucase ucases[] = {
	{ "unit, root's sockets: no user", true, { 0, 0 }, false, NULL },
	{ "unit, nobody's sockets: user", true, { 65534, 65534 }, true, "nobody" },
	{ "unit, uid without a name: the number", true, { 4242, 4242 }, true, "4242" },
	{ "unit, two users: needed, none fits", true, { 65534, 4242 }, true, NULL },
	{ "unit, root and a user: needed, none fits", true, { 0, 65534 }, true, NULL },
	{ "exe, root's sockets: user root", false, { 0, 0 }, true, "root" },
	{ "exe, nobody's sockets: user", false, { 65534, 65534 }, true, "nobody" },
	{ "exe, two users: needed, none fits", false, { 65534, 0 }, true, NULL },
};

static void test_unit_user(void **state)
{
	struct uid_name users[] = { { 0, "root" }, { 4242, "4242" }, { 65534, "nobody" } };

	(void)state;
	for (size_t i = 0; i < sizeof(ucases) / sizeof(ucases[0]); i++) {
		const struct ucase *c = &ucases[i];
		struct holder h = { .pid = 10, .comm = "python3", .exe = "/usr/bin/python3.11", .judged = true };
		char *units[1] = { "cron.service" };
		struct owner o = { .state = OWNER_PROCESS, .holders = &h, .nholders = 1, .unit_checked = true,
			.units = c->unit ? units : NULL, .nunits = c->unit, .unit_none = !c->unit };
		struct sock sk[2] = { { .proto = PROTO_TCP, .family = AF_INET, .port = 8080, .uid = c->uid[0] },
			{ .proto = PROTO_TCP, .family = AF_INET, .port = 8080, .uid = c->uid[1] } };
		struct listener l = { .s = sk, .count = 2, .has_owner = true };
		struct inventory inv = { .socks = sk, .nsocks = 2, .ls = &l, .nls = 1, .owners = &o,
			.ns = nss, .nns = 1, .users = users, .nusers = 3 };
		struct learn_key k;

		learn_key_of(&inv, &l, &k);
		if (k.owner != (c->unit ? LEARN_UNIT : LEARN_EXE) || k.user_needed != c->want_needed ||
				(c->want_user ? !k.user || strcmp(k.user, c->want_user) : k.user != NULL))
			fail_msg("%s: owner %d needed %d user %s", c->what, k.owner, k.user_needed,
					k.user ? k.user : "(null)");
	}
}

static void test_stable_labels(void **state)
{
	(void)state;
	assert_true(learn_unit_stable("ssh.service"));
	assert_true(learn_unit_stable("docker:0123456789ab"));
	assert_true(learn_unit_stable("init.scope"));
	assert_false(learn_unit_stable(NULL));
	assert_false(learn_unit_stable(""));
	assert_false(learn_unit_stable("session-12.scope"));
	assert_false(learn_unit_stable("user@0.service"));
	assert_false(learn_unit_stable("user@1000.service/app.slice/nginx.service"));
	assert_true(learn_netns_stable("host"));
	assert_true(learn_netns_stable("init"));
	assert_true(learn_netns_stable("cl-test-a"));
	assert_false(learn_netns_stable("pid 3006 (unshare)"));
	assert_false(learn_netns_stable("net:[4026532281]"));
	assert_false(learn_netns_stable(""));
	assert_false(learn_netns_stable(NULL));
}

/* port = "rpc": root registered the port with rpcbind in the plugin's own
 * namespace, it is not the program's IANA port, and an owner pins the rule
 * (unit, exe, or no holder: lockd). It wins over "ephemeral". */
static void test_rpc_keys(void **state)
{
	static struct rpc_reg regs[] = {
		{ 100000, 4, 111, PROTO_TCP, AF_INET }, { 100024, 1, 813, PROTO_TCP, AF_INET },
		{ 100003, 3, 2049, PROTO_TCP, AF_INET }, { 100005, 3, 20048, PROTO_TCP, AF_INET },
		{ 100005, 3, 20049, PROTO_TCP, AF_INET }, { 100021, 4, 40001, PROTO_TCP, AF_INET },
	};      /* sorted, as rpcb_parse_dump() leaves them */
	static const struct {
		const char *what;
		struct towner o;
		uint16_t port;
		uint32_t netns;
		bool in_range;
		uint8_t map_state;
		bool want_rpc, want_ephemeral;
		uint32_t want_prog;
	} rcases[] = {
		{ "statd by exe", PROC(NULL, "/usr/sbin/rpc.statd", "rpc.statd"), 813, 0, false, RPC_TRUSTED,
			true, false, 100024 },
		{ "statd by unit", PROC("rpc-statd.service", "/usr/sbin/rpc.statd", "rpc.statd"), 813, 0, false,
			RPC_TRUSTED, true, false, 100024 },
		{ "lockd: no holder", { OWNER_NONE, NULL, NULL, NULL }, 40001, 0, true, RPC_TRUSTED,
			true, false, 100021 },
		{ "in the range too: rpc wins", PROC(NULL, "/usr/sbin/rpc.mountd", "x"), 40001, 0, true,
			RPC_TRUSTED, true, false, 100021 },
		{ "portmapper on 111 stays exact", PROC("rpcbind.service", "/sbin/rpcbind", "rpcbind"), 111, 0,
			false, RPC_TRUSTED, false, false, 100000 },
		{ "nfs on 2049 stays exact", { OWNER_NONE, NULL, NULL, NULL }, 2049, 0, false, RPC_TRUSTED,
			false, false, 100003 },
		{ "mountd on its IANA port stays exact", PROC(NULL, "/usr/sbin/rpc.mountd", "x"), 20048, 0,
			false, RPC_TRUSTED, false, false, 100005 },
		{ "mountd elsewhere", PROC(NULL, "/usr/sbin/rpc.mountd", "x"), 20049, 0, false, RPC_TRUSTED,
			true, false, 100005 },
		{ "comm only: exact", PROC(NULL, NULL, "rpc.statd"), 813, 0, false, RPC_TRUSTED,
			false, false, 100024 },
		{ "no owner: exact", { OWNER_DENIED, NULL, NULL, NULL }, 813, 0, false, RPC_TRUSTED,
			false, false, 100024 },
		{ "another namespace: not rpcbind's", PROC(NULL, "/bin/x", "x"), 813, 2, false, RPC_TRUSTED,
			false, false, 0 },
		/* TCP: a listener's port is its service's choice, never "ephemeral" (F4) */
		{ "not registered, TCP in the range: exact", PROC(NULL, "/bin/x", "x"), 40002, 0, true, RPC_TRUSTED,
			false, false, 0 },
		{ "rpcbind unavailable, TCP in the range: exact", PROC(NULL, "/bin/x", "x"), 40001, 0, true,
			RPC_UNAVAILABLE, false, false, 0 },
		{ "rpcbind unavailable, below the range: exact", PROC(NULL, "/bin/x", "x"), 813, 0, false,
			RPC_UNAVAILABLE, false, false, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		struct sock s = { .proto = PROTO_TCP, .family = AF_INET, .port = rcases[i].port,
			.netns = rcases[i].netns };
		struct listener l = { .s = &s, .count = 1, .has_owner = true,
			.reg = { .ephemeral = rcases[i].in_range } };
		struct holder h = { .pid = 42, .exe = rcases[i].o.exe, .judged = true };
		char *units[1] = { rcases[i].o.unit };
		struct owner o = { .state = rcases[i].o.state, .unit_checked = true, .units = units,
			.nunits = rcases[i].o.unit ? 1 : 0, .unit_none = !rcases[i].o.unit };
		struct inventory inv = { .socks = &s, .nsocks = 1, .ls = &l, .nls = 1, .owners = &o,
			.ns = nss, .nns = sizeof(nss) / sizeof(nss[0]),
			.rpc = { .state = rcases[i].map_state, .regs = regs,
				.nregs = sizeof(regs) / sizeof(regs[0]) } };
		struct learn_key k;

		if (rcases[i].o.state == OWNER_PROCESS) {
			snprintf(h.comm, sizeof(h.comm), "%s", rcases[i].o.comm);
			o.holders = &h;
			o.nholders = 1;
		}
		learn_key_of(&inv, &l, &k);
		if (k.rpc != rcases[i].want_rpc || k.ephemeral != rcases[i].want_ephemeral ||
		    k.rpc_prog != rcases[i].want_prog)
			fail_msg("%s: rpc %d ephemeral %d prog %u", rcases[i].what, k.rpc, k.ephemeral,
					(unsigned)k.rpc_prog);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_rpc_keys),
		cmocka_unit_test(test_mixed_holders),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_unit_user),
		cmocka_unit_test(test_stable_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
