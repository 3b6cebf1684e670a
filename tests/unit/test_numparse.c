/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for numparse: the strict decimal parser every module shares. */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "numparse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define U64 UINT64_MAX
#define SENTINEL UINT64_C(0xdeadbeef)
#define SPAN(lit) lit, sizeof(lit) - 1         /* a literal with its length, NULs included */

struct span_case {
	const char *s;
	size_t len;
	uint64_t max;
	int ret;
	uint64_t want;          /* when ret is 0 */
};

static const struct span_case spans[] = {
	{ SPAN(""), U64, -EINVAL, 0 },
	{ SPAN("0"), U64, 0, 0 },
	{ SPAN("7"), U64, 0, 7 },
	{ SPAN("65535"), 65535, 0, 65535 },
	{ SPAN("65536"), 65535, -ERANGE, 0 },
	{ SPAN("99999"), 65535, -ERANGE, 0 },
	{ SPAN("0"), 0, 0, 0 },
	{ SPAN("1"), 0, -ERANGE, 0 },
	{ SPAN("9"), 5, -ERANGE, 0 },           /* a digit above max on its own */
	{ SPAN("10"), 9, -ERANGE, 0 },
	{ SPAN("-1"), U64, -EINVAL, 0 },
	{ SPAN("-0"), U64, -EINVAL, 0 },
	{ SPAN("+1"), U64, -EINVAL, 0 },
	{ SPAN(" 1"), U64, -EINVAL, 0 },
	{ SPAN("1 "), U64, -EINVAL, 0 },
	{ SPAN("\t1"), U64, -EINVAL, 0 },
	{ SPAN("1\n"), U64, -EINVAL, 0 },
	{ SPAN("0x10"), U64, -EINVAL, 0 },
	{ SPAN("1e3"), U64, -EINVAL, 0 },
	{ SPAN("1.0"), U64, -EINVAL, 0 },
	{ SPAN("1,000"), U64, -EINVAL, 0 },
	{ SPAN("/"), U64, -EINVAL, 0 },         /* '0' - 1 */
	{ SPAN(":"), U64, -EINVAL, 0 },         /* '9' + 1 */
	{ SPAN("\xd9\xa1"), U64, -EINVAL, 0 },  /* ARABIC-INDIC DIGIT ONE */
	{ SPAN("\xb9"), U64, -EINVAL, 0 },      /* Latin-1 superscript one */
	{ SPAN("007"), U64, 0, 7 },             /* leading zeros: the callers' rule */
	{ SPAN("000000000000000000000000000001"), 1, 0, 1 },
	{ SPAN("4294967295"), UINT32_MAX, 0, UINT32_MAX },
	{ SPAN("4294967296"), UINT32_MAX, -ERANGE, 0 },
	{ SPAN("18446744073709551615"), U64, 0, U64 },
	{ SPAN("18446744073709551616"), U64, -ERANGE, 0 },
	{ SPAN("18446744073709551620"), U64, -ERANGE, 0 },
	{ SPAN("99999999999999999999999999"), U64, -ERANGE, 0 },
	{ SPAN("99999999999999999999x"), U64, -EINVAL, 0 },     /* syntax before range */
	{ SPAN("x99999999999999999999"), U64, -EINVAL, 0 },
	/* the span is len bytes: a NUL inside it is an error, bytes after it are not read */
	{ SPAN("12\0"), U64, -EINVAL, 0 },
	{ SPAN("\0" "12"), U64, -EINVAL, 0 },
	{ SPAN("1\0" "2"), U64, -EINVAL, 0 },
	{ "12\0" "34", 2, U64, 0, 12 },
	{ "1234", 2, U64, 0, 12 },
	{ "12x", 2, U64, 0, 12 },
	{ "65536", 4, 65535, 0, 6553 },
	{ "5", 0, U64, -EINVAL, 0 },
};

static void test_span_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(spans); i++) {
		const struct span_case *c = &spans[i];
		uint64_t v = SENTINEL;
		int rc = parse_u64(c->s, c->len, c->max, &v);

		if (rc != c->ret)
			fail_msg("case %zu (len %zu, max %" PRIu64 "): got %d, want %d", i, c->len, c->max,
					rc, c->ret);
		if (rc == 0 && v != c->want)
			fail_msg("case %zu: got %" PRIu64 ", want %" PRIu64, i, v, c->want);
		if (rc != 0 && v != SENTINEL)
			fail_msg("case %zu: *out changed on error", i);
	}
}

static const struct { const char *s; uint64_t max; int ret; uint64_t want; } strs[] = {
	{ NULL, U64, -EINVAL, 0 },
	{ "", U64, -EINVAL, 0 },
	{ "42", U64, 0, 42 },
	{ "42", 41, -ERANGE, 0 },
	{ "4\0" "2", U64, 0, 4 },               /* a C string ends at its NUL */
	{ "42 ", U64, -EINVAL, 0 },
	{ "18446744073709551615", U64, 0, U64 },
	{ "18446744073709551616", U64, -ERANGE, 0 },
};

static void test_str_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(strs); i++) {
		uint64_t v = SENTINEL;
		int rc = parse_u64_str(strs[i].s, strs[i].max, &v);

		if (rc != strs[i].ret || v != (rc == 0 ? strs[i].want : SENTINEL))
			fail_msg("case %zu: got %d / %" PRIu64, i, rc, v);
	}
	assert_int_equal(parse_u64(NULL, 3, U64, &(uint64_t){ 0 }), -EINVAL);
}

/* Every value around a bound, printed by snprintf: accepted iff <= max. */
static void check_around(uint64_t max, uint64_t from, uint64_t to)
{
	char buf[32];

	for (uint64_t x = from;; x++) {
		uint64_t v = SENTINEL;
		int n = snprintf(buf, sizeof(buf), "%" PRIu64, x);
		int rc = parse_u64(buf, (size_t)n, max, &v);

		if (x <= max ? rc != 0 || v != x : rc != -ERANGE)
			fail_msg("\"%s\" with max %" PRIu64 ": got %d / %" PRIu64, buf, max, rc, v);
		if (x == to)
			break;
	}
}

static void test_bounds(void **state)
{
	static const uint64_t maxes[] = { 0, 1, 9, 10, 99, 100, 255, 65535, INT32_MAX, UINT32_MAX,
		U64 / 10, U64 / 10 + 1, U64 - 10, U64 - 1, U64 };

	(void)state;
	check_around(65535, 0, 200000);
	for (size_t i = 0; i < N(maxes); i++) {
		uint64_t m = maxes[i];

		check_around(m, m < 20 ? 0 : m - 20, m > U64 - 20 ? U64 : m + 20);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_span_table),
		cmocka_unit_test(test_str_table),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
