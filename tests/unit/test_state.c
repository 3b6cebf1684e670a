/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for state: the order OK < UNKNOWN < WARNING < CRITICAL and the
 * names (moved here from test_policy.c with the code). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "state.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_state_worst(void **state)
{
	static const enum state order[] = { STATE_OK, STATE_UNKNOWN, STATE_WARNING, STATE_CRITICAL };

	(void)state;
	for (size_t i = 0; i < N(order); i++)
		for (size_t j = 0; j < N(order); j++) {
			enum state want = order[i > j ? i : j];

			assert_int_equal(state_worst(order[i], order[j]), want);
		}
}

static void test_state_names(void **state)
{
	static const struct { const char *name; int want; } cases[] = {
		{ "OK", STATE_OK }, { "ok", STATE_OK }, { "Warning", STATE_WARNING },
		{ "critical", STATE_CRITICAL }, { "UNKNOWN", STATE_UNKNOWN }, { "unknown", STATE_UNKNOWN },
		{ "", -1 }, { "crit", -1 }, { "okay", -1 }, { "o", -1 }, { " ok", -1 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		if (state_from_name(cases[i].name) != cases[i].want)
			fail_msg("state_from_name(\"%s\")", cases[i].name);
	assert_int_equal(state_from_name(NULL), -1);
	assert_string_equal(state_name(STATE_OK), "OK");
	assert_string_equal(state_name(STATE_WARNING), "WARNING");
	assert_string_equal(state_name(STATE_CRITICAL), "CRITICAL");
	assert_string_equal(state_name(STATE_UNKNOWN), "UNKNOWN");
	assert_string_equal(state_name((enum state)42), "UNKNOWN");
}

static void test_state_rank(void **state)
{
	(void)state;
	assert_int_equal(state_rank(STATE_OK), 0);
	assert_int_equal(state_rank(STATE_UNKNOWN), 1);
	assert_int_equal(state_rank(STATE_WARNING), 2);
	assert_int_equal(state_rank(STATE_CRITICAL), 3);
	assert_int_equal(state_rank((enum state)42), 1);      /* out of range ranks as UNKNOWN */
	assert_int_equal(state_worst((enum state)42, STATE_WARNING), STATE_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_worst),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_state_rank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
