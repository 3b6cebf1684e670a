/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the owner note (ownertext.c, once report.c's): when it is
 * written, and which cause it names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "owners.h"
#include "ownertext.h"

struct note_case {
	const char *name;
	enum owner_state state;
	bool complete;
	bool out_of_time;
	bool privileged;
	const char *want;               /* a part of the note; NULL = no note */
};

static const struct note_case cases[] = {
	{ "every holder read", OWNER_PROCESS, true, false, true, NULL },
	{ "no owner needed", OWNER_UNRESOLVED, false, false, true, NULL },
	{ "kernel socket, complete scan", OWNER_NONE, true, false, true, NULL },
	{ "nothing found, out of time", OWNER_DENIED, false, true, true,
	  "holders of 1 listener are not all known: the /proc scan ran out of time" },
	{ "some holders found, out of time", OWNER_PROCESS, false, true, true,
	  "holders of 1 listener are not all known: the /proc scan ran out of time" },
	{ "some holders found, in time but unprivileged", OWNER_PROCESS, false, false, false, NULL },
	{ "nothing found, unprivileged", OWNER_DENIED, false, false, false,
	  "needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE" },
};

static void test_owner_note_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct note_case *c = &cases[i];
		struct sock s = { 0 };
		struct listener l = { .s = &s, .count = 1, .has_owner = true };
		struct owner o = { .state = c->state, .complete = c->complete };
		struct inventory inv = { .ls = &l, .nls = 1, .owners = &o };
		struct owners_stats st = { .out_of_time = c->out_of_time, .privileged = c->privileged };
		char out[512] = "";
		bool got = ownertext_denied_note(&inv, &st, out, sizeof(out));

		if (got != (c->want != NULL))
			fail_msg("%s: note %s, want %s", c->name, got ? out : "none", c->want ? c->want : "none");
		if (c->want && !strstr(out, c->want))
			fail_msg("%s: note \"%s\" lacks \"%s\"", c->name, out, c->want);
		if (!got && out[0])
			fail_msg("%s: no note, but wrote \"%s\"", c->name, out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_note_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
