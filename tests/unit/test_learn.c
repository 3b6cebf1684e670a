/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of learn_generate() for RPC services: the rules it writes for
 * listeners that root registered with rpcbind, and the round trip: the
 * generated text loads and recognises every listener it was learned from,
 * also after the services came back on other ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "config.h"
#include "config_file.h"
#include "holders.h"
#include "learn.h"
#include "policy.h"
#include "registry.h"
#include "rulematch.h"
#include "strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct netns nss[] = { { .label = "host" } };

/* The listeners: statd (exe, tcp and udp), lockd (kernel), portmapper on
 * 111, an unknown program held by a unit, a comm-only holder of a registered
 * port, and an unregistered exe. */
struct row {
	uint8_t proto;
	uint16_t port;
	const char *exe, *comm, *unit;
	bool kernel;
	const char *want;       /* a substring of its rule */
};

static const struct row rows[] = {
	{ PROTO_TCP, 813, "/usr/sbin/rpc.statd", "rpc.statd", NULL, false,
		"{ proto = \"tcp\"; port = \"rpc\"; address = \"any\"; exe = \"/usr/sbin/rpc.statd\"; user = \"root\"; "
		"comment = \"RPC status (100024): any port root registered with rpcbind\"; }" },
	{ PROTO_UDP, 814, "/usr/sbin/rpc.statd", "rpc.statd", NULL, false,
		"{ proto = \"udp\"; port = \"rpc\"; address = \"any\"; exe = \"/usr/sbin/rpc.statd\";" },
	{ PROTO_TCP, 40001, NULL, NULL, NULL, true,
		"{ proto = \"tcp\"; port = \"rpc\"; address = \"any\"; user = \"root\"; holder = \"none\"; "
		"comment = \"RPC nlockmgr (100021): any port root registered with rpcbind\"; }" },
	{ PROTO_TCP, 111, "/sbin/rpcbind", "rpcbind", "rpcbind.service", false,
		"{ proto = \"tcp\"; port = 111; address = \"any\"; unit = \"rpcbind.service\"; "
		"comment = \"RPC portmapper (100000) registered by root; IANA tcp 111: sunrpc (assigned)\"; }" },
	{ PROTO_TCP, 900, "/usr/sbin/x", "x", "x.service", false,
		"port = \"rpc\"; address = \"any\"; unit = \"x.service\"; comment = \"RPC program 300019: " },
	{ PROTO_TCP, 901, NULL, "fake", NULL, false,
		"port = 901; address = \"any\"; process = \"fake\"; user = \"root\"; comment = \"RPC status (100024) registered by root; IANA" },
	{ PROTO_TCP, 902, "/usr/sbin/y", "y", NULL, false, "port = 902; address = \"any\"; exe = \"/usr/sbin/y\"; user = \"root\"; comment = \"IANA" },
};

static struct rpc_reg regs[] = {        /* sorted by (proto, port, prog) */
	{ 100000, 4, 111, PROTO_TCP, AF_INET }, { 100024, 1, 813, PROTO_TCP, AF_INET },
	{ 300019, 1, 900, PROTO_TCP, AF_INET }, { 100024, 1, 901, PROTO_TCP, AF_INET },
	{ 100021, 4, 40001, PROTO_TCP, AF_INET6 }, { 100024, 1, 814, PROTO_UDP, AF_INET },
};

struct world {
	struct sock s[N(rows)];
	struct listener l[N(rows)];
	struct owner o[N(rows)];
	struct holder h[N(rows)];
	char *units[N(rows)][1];
	struct uid_name root;   /* the sockets' uid 0, named as users_resolve() does */
	struct inventory inv;
};

/* The inventory of rows; shift moves every port (a restart) and the
 * registrations with it. */
static void build(struct world *w, uint8_t map_state, uint16_t shift, struct rpc_reg *rg)
{
	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < N(rows); i++) {
		bool moves = i != 3 && i != 6;  /* the portmapper and the unregistered one stay */

		w->s[i] = (struct sock){ .proto = rows[i].proto, .family = AF_INET, .v6only = -1,
			.port = (uint16_t)(rows[i].port + (moves ? shift : 0)) };
		w->l[i] = (struct listener){ .s = &w->s[i], .count = 1, .has_owner = true };
		w->o[i] = (struct owner){ .state = rows[i].kernel ? OWNER_NONE : OWNER_PROCESS,
			.complete = true, .unit_checked = true, .unit_none = !rows[i].unit,
			.unheld = rows[i].kernel };
		if (!rows[i].kernel) {
			w->h[i] = (struct holder){ .pid = (pid_t)(100 + i), .exe = (char *)rows[i].exe,
				.judged = true };
			snprintf(w->h[i].comm, sizeof(w->h[i].comm), "%s", rows[i].comm);
			w->o[i].holders = &w->h[i];
			w->o[i].nholders = 1;
		}
		if (rows[i].unit) {
			w->units[i][0] = (char *)rows[i].unit;
			w->o[i].units = w->units[i];
			w->o[i].nunits = 1;
		}
	}
	for (size_t i = 0; i < N(regs); i++) {
		rg[i] = regs[i];
		if (rg[i].port != 111)
			rg[i].port = (uint16_t)(rg[i].port + shift);
	}
	w->inv = (struct inventory){ .socks = w->s, .nsocks = N(rows), .ls = w->l, .nls = N(rows),
		.owners = w->o, .ns = nss, .nns = 1, .users = &w->root, .nusers = 1,
		.rpc = { .state = map_state, .regs = rg, .nregs = N(regs) } };
	w->root = (struct uid_name){ 0, "root" };
	snprintf(w->inv.rpc.why, sizeof(w->inv.rpc.why), "cannot connect to /run/rpcbind.sock");
}

/* learn_generate() after the classes are set, as main does. */
static void generate(struct world *w, struct strbuf *out)
{
	struct policy none;

	policy_init(&none);
	policy_classify(&none, &w->inv, registry_builtin());
	learn_generate(&w->inv, out);
}

static void test_rpc_rules(void **state)
{
	static struct world w;
	struct rpc_reg rg[N(regs)];
	struct strbuf out = STRBUF_INIT;
	const char *text;

	(void)state;
	build(&w, RPC_TRUSTED, 0, rg);
	generate(&w, &out);
	text = sb_cstr(&out);
	for (size_t i = 0; i < N(rows); i++)
		if (!strstr(text, rows[i].want))
			fail_msg("row %zu: no \"%s\" in\n%s", i, rows[i].want, text);
	assert_null(strstr(text, "rpcbind could not be asked"));
	sb_free(&out);
	/* rpcbind not reached: every port exact, and the header says why */
	build(&w, RPC_UNAVAILABLE, 0, rg);
	generate(&w, &out);
	text = sb_cstr(&out);
	assert_null(strstr(text, "\"rpc\""));
	assert_non_null(strstr(text, "# rpcbind could not be asked (cannot connect to /run/rpcbind.sock)"));
	assert_non_null(strstr(text, "port = 813;"));
	sb_free(&out);
	/* no rpcbind running at all (most hosts): nothing to say */
	build(&w, RPC_UNAVAILABLE, 0, rg);
	w.inv.rpc.absent = true;
	generate(&w, &out);
	assert_null(strstr(sb_cstr(&out), "rpcbind could not be asked"));
	sb_free(&out);
}

/* Learn, restart on other ports (re-registered), check: all recognised. A
 * restart without rpcbind's registration is not. */
static void test_round_trip(void **state)
{
	static struct world w;
	struct rpc_reg rg[N(regs)];
	struct strbuf out = STRBUF_INIT;
	struct config_errors errs = { 0 };
	struct policy pol;

	(void)state;
	build(&w, RPC_TRUSTED, 0, rg);
	generate(&w, &out);
	policy_init(&pol);
	if (config_load_string(sb_cstr(&out), &pol, &errs) < 0)
		fail_msg("the learned config does not load:\n%s", sb_cstr(&out));
	for (uint16_t shift = 0; shift <= 7; shift += 7) {
		build(&w, RPC_TRUSTED, shift, rg);
		policy_classify(&pol, &w.inv, registry_builtin());
		for (size_t i = 0; i < N(rows); i++) {
			enum match m = policy_match(&pol, &w.inv, &w.l[i], 0, NULL);
			/* the comm-only one keeps its exact port: it pages after a move */
			enum match want = shift && i == 5 ? MATCH_NO : MATCH_YES;

			if (m != want)
				fail_msg("shift %u, row %zu (port %u): %d", shift, i, w.s[i].port, m);
		}
	}
	/* moved, but rpcbind did not answer: the rpc rules recognise nothing */
	build(&w, RPC_UNAVAILABLE, 7, rg);
	policy_classify(&pol, &w.inv, registry_builtin());
	for (size_t i = 0; i < N(rows); i++)
		if (strstr(rows[i].want, "\"rpc\"") && policy_match(&pol, &w.inv, &w.l[i], 0, NULL) != MATCH_NO)
			fail_msg("row %zu recognised without rpcbind", i);
	config_errors_free(&errs);
	policy_free(&pol);
	sb_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpc_rules),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
