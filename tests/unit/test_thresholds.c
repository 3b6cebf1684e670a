/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for thresholds: parsing [@][start:][end] and when a value alerts. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "thresholds.h"

#define INF_LO (-HUGE_VAL)
#define INF_HI HUGE_VAL

struct parse_case {
	const char *text;
	bool inside;
	double lo, hi;          /* INF_LO / INF_HI for the infinities */
};

static const struct parse_case valid[] = {
	{ "10", false, 0, 10 },
	{ "10:", false, 10, INF_HI },
	{ "~:10", false, INF_LO, 10 },
	{ "10:20", false, 10, 20 },
	{ "@10:20", true, 10, 20 },
	{ "0", false, 0, 0 },
	{ "5:5", false, 5, 5 },
	{ "~:", false, INF_LO, INF_HI },
	{ "@~:", true, INF_LO, INF_HI },
	{ "-10:-5", false, -10, -5 },
	{ "~:-1", false, INF_LO, -1 },
	{ "+3", false, 0, 3 },
	{ "1.5:2.25", false, 1.5, 2.25 },
	{ ".5", false, 0, 0.5 },
	{ "1e2", false, 0, 100 },
	{ "@0", true, 0, 0 },
	{ "1234567890123456789012345678901", false, 0, 1234567890123456789012345678901.0 },
};

static void test_parse_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct parse_case *c = &valid[i];
		struct threshold t;

		memset(&t, 0xa5, sizeof(t));
		if (threshold_parse(c->text, &t) != 0)
			fail_msg("\"%s\" rejected", c->text);
		assert_true(t.set);
		assert_int_equal(t.inside, c->inside);
		assert_int_equal(t.lo_inf, c->lo == INF_LO);
		assert_int_equal(t.hi_inf, c->hi == INF_HI);
		if (c->lo != INF_LO)
			assert_true(t.lo == c->lo);
		if (c->hi != INF_HI)
			assert_true(t.hi == c->hi);
		assert_string_equal(t.text, c->text);
	}
}

static const char *const invalid[] = {
	"", "@", ":", "@:", "10:x", "x", "1:2:3", "20:10", "@20:10", "nan", "inf", "-inf",
	"infinity", "NaN", "0x10", "0x10:20", " 10", "10 ", "1 0", "10: 20", "10 :20", "~",
	"~~:1", ":10", "10:~", "1e", "1e+", ".", "-", "+", "--1", "1..2", "1e400", "-1e400",
	"@@10", "10@", "10:20x", "1,5", "\t5", "12345678901234567890123456789012",
};

static void test_parse_invalid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		struct threshold t = { .set = false, .lo = 42, .text = "keep" };

		if (threshold_parse(invalid[i], &t) != -EINVAL)
			fail_msg("\"%s\" accepted", invalid[i]);
		/* t unchanged on error */
		assert_false(t.set);
		assert_true(t.lo == 42);
		assert_string_equal(t.text, "keep");
	}
	assert_int_equal(threshold_parse(NULL, &(struct threshold){ 0 }), -EINVAL);
}

struct alert_case {
	const char *range;
	double v;
	bool alerts;
};

/* The table of conventions.md with the boundaries on both sides. */
static const struct alert_case alerts[] = {
	{ "10", -1, true }, { "10", 0, false }, { "10", 5, false }, { "10", 10, false },
	{ "10", 10.5, true }, { "10", 11, true },
	{ "10:", 9, true }, { "10:", 9.99, true }, { "10:", 10, false }, { "10:", 1e9, false },
	{ "~:10", -1e9, false }, { "~:10", 10, false }, { "~:10", 11, true },
	{ "10:20", 9, true }, { "10:20", 10, false }, { "10:20", 20, false }, { "10:20", 21, true },
	{ "@10:20", 9, false }, { "@10:20", 10, true }, { "@10:20", 15, true },
	{ "@10:20", 20, true }, { "@10:20", 21, false },
	{ "~:", -1e300, false }, { "~:", 1e300, false }, { "@~:", 0, true },
	{ "0", 0, false }, { "0", 1, true }, { "@0", 0, true }, { "@0", 1, false },
	{ "-10:-5", -7, false }, { "-10:-5", -4, true }, { "-10:-5", -11, true },
};

static void test_alerts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++) {
		const struct alert_case *c = &alerts[i];
		struct threshold t;

		assert_int_equal(threshold_parse(c->range, &t), 0);
		if (threshold_alerts(&t, c->v) != c->alerts)
			fail_msg("%s with %g: want %d", c->range, c->v, c->alerts);
	}
}

static void test_unset_never_alerts(void **state)
{
	struct threshold t = { 0 };

	(void)state;
	assert_false(threshold_alerts(&t, 0));
	assert_false(threshold_alerts(&t, 1e9));
	assert_false(threshold_alerts(&t, -1e9));
	assert_false(threshold_alerts(NULL, 5));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_invalid),
		cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_unset_never_alerts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
