/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf: sb_put_seconds() prints what "%.6f" prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "strbuf.h"

static void test_seconds_as_printf(void **state)
{
	static const double cases[] = {
		0.0, 0.000001, 0.0000004, 0.0000006, 0.002133, 0.0021334, 0.0021336, 0.5, 1.0,
		1.25, 2.9999994, 2.9999996, 9.999999, 12.345678, 59.1234564, 3600.0, 86399.999999,
		123456.654321, 999999999.0, 1e9, 1e12,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		char want[64];

		snprintf(want, sizeof(want), "%.6f", cases[i]);
		sb_put_seconds(&sb, cases[i]);
		assert_false(sb.oom);
		assert_string_equal(sb_cstr(&sb), want);
		sb_free(&sb);
	}
}

static void test_seconds_negative_is_zero(void **state)
{
	static const double cases[] = { -0.0, -0.000001, -1.5, -1e12 };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		sb_puts(&sb, "time=");
		sb_put_seconds(&sb, cases[i]);
		assert_string_equal(sb_cstr(&sb), "time=0.000000");
		sb_free(&sb);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seconds_as_printf),
		cmocka_unit_test(test_seconds_negative_is_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
