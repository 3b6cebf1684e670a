/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for ownerlinks: the links a /proc scan found, as each wanted
 * listener's owner - holders one per process in pid order, unheld sockets,
 * NONE or DENIED without a link, listeners not wanted or already resolved
 * left alone, units from the holders' cgroups only without a cgroup id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ownerlinks.h"
#include "owners.h"

#define MAXLS 3
#define MAXP 4
#define MAXLINK 8

struct proc_row {
	pid_t pid;
	const char *comm;
	const char *cgpath;     /* NULL: not read */
};

struct link_case {
	const char *name;
	size_t nls;
	uint32_t nsocks[MAXLS];         /* sockets per listener */
	uint64_t cgroup_id[MAXLS];      /* of every socket of the listener; 0 = none */
	uint8_t need[MAXLS];            /* enum owner_need */
	bool resolved[MAXLS];           /* owner already OWNER_NONE before */
	size_t nprocs;
	struct proc_row procs[MAXP];
	size_t nl;
	struct owner_link links[MAXLINK];       /* li, sock, proc: in scan order */
	bool complete;
	/* expected */
	enum owner_state state[MAXLS];
	pid_t pids[MAXLS][MAXP];        /* holders in order, 0-terminated */
	uint32_t unheld[MAXLS];
	bool unit_checked[MAXLS];
	bool unit_none[MAXLS];
	unsigned found;
};

#define ALL1 { 1, 1, 1 }
#define NEED3(x) { x, x, x }

static const struct link_case cases[] = {
	{ "one process holds the only socket", 1, ALL1, { 7 }, NEED3(NEED_ANY), { false }, 1,
	  { { 300, "webd", NULL } }, 1, { { 0, 0, 0 } }, true,
	  { OWNER_PROCESS }, { { 300 } }, { 0 }, { false }, { false }, 1 },
	{ "holders are shown by pid, not in scan order", 1, { 2 }, { 7 }, NEED3(NEED_ALL), { false }, 2,
	  { { 900, "late", NULL }, { 100, "early", NULL } }, 2, { { 0, 0, 0 }, { 0, 1, 1 } }, true,
	  { OWNER_PROCESS }, { { 100, 900 } }, { 0 }, { false }, { false }, 1 },
	{ "a process holding two sockets is one holder", 1, { 2 }, { 7 }, NEED3(NEED_ALL), { false }, 1,
	  { { 42, "both", NULL } }, 2, { { 0, 0, 0 }, { 0, 1, 0 } }, true,
	  { OWNER_PROCESS }, { { 42 } }, { 0 }, { false }, { false }, 1 },
	{ "a socket nobody holds is counted unheld", 1, { 3 }, { 7 }, NEED3(NEED_ANY), { false }, 1,
	  { { 42, "one", NULL } }, 1, { { 0, 2, 0 } }, true,
	  { OWNER_PROCESS }, { { 42 } }, { 2 }, { false }, { false }, 1 },
	{ "no link after a complete scan: NONE", 1, { 2 }, { 7 }, NEED3(NEED_ALL), { false }, 0,
	  { { 0 } }, 0, { { 0 } }, true,
	  { OWNER_NONE }, { { 0 } }, { 2 }, { false }, { false }, 0 },
	{ "no link after an incomplete scan: DENIED", 1, ALL1, { 7 }, NEED3(NEED_ANY), { false }, 0,
	  { { 0 } }, 0, { { 0 } }, false,
	  { OWNER_DENIED }, { { 0 } }, { 1 }, { false }, { false }, 0 },
	{ "not wanted, or resolved before: left alone", 3, ALL1, { 7, 7, 7 }, { NEED_NONE, NEED_ANY, NEED_ANY },
	  { false, true, false }, 1, { { 5, "d", NULL } }, 3, { { 0, 0, 0 }, { 1, 0, 0 }, { 2, 0, 0 } }, true,
	  { OWNER_UNRESOLVED, OWNER_NONE, OWNER_PROCESS }, { { 0 }, { 0 }, { 5 } }, { 0, 0, 0 },
	  { false }, { false }, 1 },
	{ "links of several listeners in any order", 3, ALL1, { 7, 7, 7 }, NEED3(NEED_ANY), { false }, 3,
	  { { 30, "c", NULL }, { 10, "a", NULL }, { 20, "b", NULL } }, 3,
	  { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 2 } }, true,
	  { OWNER_PROCESS, OWNER_PROCESS, OWNER_PROCESS }, { { 10 }, { 20 }, { 30 } }, { 0, 0, 0 },
	  { false }, { false }, 3 },
	/* no cgroup id: the units come from the holders' cgroups; one without
	 * a label (no such cgroup2 mount here) makes the unit none, checked */
	{ "no cgroup id: a holder's cgroup without a label", 1, ALL1, { 0 }, NEED3(NEED_ANY), { false }, 1,
	  { { 42, "x", "/system.slice/x.service" } }, 1, { { 0, 0, 0 } }, true,
	  { OWNER_PROCESS }, { { 42 } }, { 0 }, { true }, { true }, 1 },
	{ "no cgroup id, the holder's cgroup not read: units stay unknown", 1, ALL1, { 0 }, NEED3(NEED_ANY),
	  { false }, 1, { { 42, "x", NULL } }, 1, { { 0, 0, 0 } }, true,
	  { OWNER_PROCESS }, { { 42 } }, { 0 }, { false }, { false }, 1 },
	{ "a cgroup id: the holders' cgroups are not asked", 1, ALL1, { 7 }, NEED3(NEED_ANY), { false }, 1,
	  { { 42, "x", "/system.slice/x.service" } }, 1, { { 0, 0, 0 } }, true,
	  { OWNER_PROCESS }, { { 42 } }, { 0 }, { false }, { false }, 1 },
};

/* A cgroup2 root that does not exist: no path gets a label. */
#define NO_ROOT "/nonexistent/cl-test-cgroup2"

static void build(const struct link_case *c, struct inventory *inv, struct sock *socks,
		struct owner_proc *procs)
{
	size_t k = 0;

	inv_init(inv);
	inv->ls = calloc(c->nls, sizeof(*inv->ls));
	assert_non_null(inv->ls);
	inv->socks = socks;
	inv->nls = c->nls;      /* before inv_owner() */
	for (size_t i = 0; i < c->nls; i++) {
		inv->ls[i].s = &socks[k];
		inv->ls[i].count = c->nsocks[i];
		for (uint32_t s = 0; s < c->nsocks[i]; s++, k++) {
			socks[k].inode = (uint32_t)(1000 + k);
			socks[k].cgroup_id = c->cgroup_id[i];
		}
		if (c->resolved[i]) {
			struct owner *o = inv_owner(inv, i);

			assert_non_null(o);
			o->state = OWNER_NONE;
		}
	}
	inv->nsocks = k;
	for (size_t p = 0; p < c->nprocs; p++) {
		procs[p] = (struct owner_proc){ .h.pid = c->procs[p].pid };
		strncpy(procs[p].h.comm, c->procs[p].comm, sizeof(procs[p].h.comm) - 1);
		procs[p].cgpath = (char *)(uintptr_t)c->procs[p].cgpath;
	}
}

static void check(const struct link_case *c, const struct inventory *inv, unsigned found)
{
	assert_int_equal(found, c->found);
	for (size_t i = 0; i < c->nls; i++) {
		const struct owner *o = listener_owner(inv, &inv->ls[i]);
		size_t n = 0;

		assert_int_equal(o->state, c->state[i]);
		while (n < MAXP && c->pids[i][n])
			n++;
		assert_int_equal(o->nholders, n);
		for (size_t h = 0; h < n; h++)
			assert_int_equal(o->holders[h].pid, c->pids[i][h]);
		if (o->state == OWNER_UNRESOLVED || c->resolved[i])
			continue;
		assert_int_equal(o->unheld, c->unheld[i]);
		assert_int_equal(o->complete, c->complete);
		assert_int_equal(o->unit_checked, c->unit_checked[i]);
		assert_int_equal(o->unit_none, c->unit_none[i]);
	}
}

/* Runs case c with need (c->need, or NULL for every listener) and checks it. */
static void run_case(const struct link_case *c, const uint8_t *need)
{
	struct sock socks[MAXLS * 4] = { 0 };
	struct owner_proc procs[MAXP];
	struct owner_link links[MAXLINK];
	struct inventory inv;
	struct owner_found f = { procs, links, c->nl, NO_ROOT, c->complete };
	unsigned found = 0;

	print_message("case: %s%s\n", c->name, need ? "" : " (need NULL)");
	build(c, &inv, socks, procs);
	memcpy(links, c->links, sizeof(links));
	assert_int_equal(ownerlinks_assign(&inv, need, &f, &found), 0);
	check(c, &inv, found);
	inv.socks = NULL;       /* on the stack */
	inv_free(&inv);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t t = 0; t < sizeof(cases) / sizeof(cases[0]); t++)
		run_case(&cases[t], cases[t].need);
}

/* need NULL: every listener is wanted. */
static void test_need_null(void **state)
{
	(void)state;
	run_case(&cases[0], NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_need_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
