/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the holder sets (holders.c): which holders are judged,
 * including socket activation by a pid namespace's PID 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "holders.h"

#define MAXH 4
#define MAXL 8

struct judge_case {
	const char *name;
	uint32_t nsocks;
	size_t nh;
	bool manager[MAXH];             /* per holder */
	size_t nl;
	struct holder_link links[MAXL];
	bool judged[MAXH];              /* expected */
	uint32_t unheld;                /* expected */
	size_t shown;                   /* expected holders_shown() */
};

static const struct judge_case cases[] = {
	{ "one socket, one process", 1, 1, { false }, 1, { { 0, 0 } }, { true }, 0, 0 },
	{ "SO_REUSEPORT pair, one process each", 2, 2, { false, false }, 2, { { 0, 0 }, { 1, 1 } },
	  { true, true }, 0, 0 },
	{ "inherited fd: parent and child", 1, 2, { false, false }, 2, { { 0, 0 }, { 0, 1 } },
	  { true, true }, 0, 0 },
	{ "socket activation: pid 1 passes it on", 1, 2, { true, false }, 2, { { 0, 0 }, { 0, 1 } },
	  { false, true }, 0, 1 },
	{ "only the service manager holds it", 1, 1, { true }, 1, { { 0, 0 } }, { true }, 0, 0 },
	{ "manager passes one socket, keeps another alone", 2, 2, { true, false }, 3,
	  { { 0, 0 }, { 0, 1 }, { 1, 0 } }, { true, true }, 0, 1 },
	{ "two managers share a socket: both judged", 1, 2, { true, true }, 2, { { 0, 0 }, { 0, 1 } },
	  { true, true }, 0, 0 },
	{ "no holder at all", 1, 0, { false }, 0, { { 0, 0 } }, { false }, 1, 0 },
	{ "one of three sockets unheld", 3, 1, { false }, 2, { { 0, 0 }, { 2, 0 } }, { true }, 1, 0 },
	{ "links in any order, with duplicates", 3, 2, { true, false }, 5,
	  { { 2, 1 }, { 0, 0 }, { 2, 0 }, { 0, 0 }, { 1, 0 } }, { true, true }, 0, 1 },
	{ "manager passes every socket on, links unsorted", 2, 2, { true, false }, 4,
	  { { 1, 1 }, { 0, 0 }, { 1, 0 }, { 0, 1 } }, { false, true }, 0, 1 },
	{ "a link out of range is ignored", 1, 1, { false }, 2, { { 0, 0 }, { 5, 7 } }, { true }, 0, 0 },
};

static void test_judge_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct judge_case *c = &cases[i];
		struct holder h[MAXH] = { { 0 } };
		struct holder_link links[MAXL];
		uint32_t unheld;

		for (size_t k = 0; k < c->nh; k++) {
			h[k].pid = (pid_t)(100 + k);
			h[k].manager = c->manager[k];
		}
		memcpy(links, c->links, sizeof(links));
		unheld = holders_judge(h, c->nh, links, c->nl, c->nsocks);
		if (unheld != c->unheld)
			fail_msg("%s: %u unheld, want %u", c->name, unheld, c->unheld);
		for (size_t k = 0; k < c->nh; k++)
			if (h[k].judged != c->judged[k])
				fail_msg("%s: holder %zu judged %d, want %d", c->name, k, h[k].judged, c->judged[k]);
		if (c->nh && holders_shown(h, c->nh) != c->shown)
			fail_msg("%s: shows holder %zu, want %zu", c->name, holders_shown(h, c->nh), c->shown);
	}
}

static void test_only_manager(void **state)
{
	struct holder h[2] = { { .pid = 1, .manager = true }, { .pid = 7 } };

	(void)state;
	assert_true(holders_only_manager(h, 1));
	assert_false(holders_only_manager(h, 2));
	assert_false(holders_only_manager(h, 0));
	holders_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge_table),
		cmocka_unit_test(test_only_manager),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
