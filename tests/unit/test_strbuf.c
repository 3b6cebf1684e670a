/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for strbuf: the two escapers every untrusted string passes
 * through, the text one (sb_put_escaped) and the JSON one (sb_put_json), and
 * sb_put_seconds(), which prints what "%.6f" prints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "strbuf.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct esc_case {
	const char *in;
	const char *want;       /* the JSON literal as written, or the escaped text */
};

/* The JSON literal, byte for byte. Its decoded text holds a backslash only in
 * \\ (one backslash), \xHH (a byte that is not valid UTF-8) or \uHHHH (a
 * control character): one form per input, and no control character. */
static const struct esc_case json_cases[] = {
	{ "", "\"\"" },
	{ "sshd", "\"sshd\"" },
	{ "a\"b", "\"a\\\"b\"" },
	{ "a\\b", "\"a\\\\\\\\b\"" },                     /* text a\\b */
	{ "caf\xc3\xa9", "\"caf\xc3\xa9\"" },             /* U+00E9 stays */
	{ "caf\xe9", "\"caf\\\\xe9\"" },                  /* the byte 0xE9: text \xe9 */
	{ "caf\\xe9", "\"caf\\\\\\\\xe9\"" },             /* the text \xe9: text \\xe9 */
	/* C0 controls, DEL: the text \u00HH, never a JSON escape of the character */
	{ "\x01", "\"\\\\u0001\"" },
	{ "a\x07" "b", "\"a\\\\u0007b\"" },               /* BEL */
	{ "\t\n\r", "\"\\\\u0009\\\\u000a\\\\u000d\"" },
	{ "\x1b[31mred", "\"\\\\u001b[31mred\"" },        /* ESC: a terminal colour */
	{ "\x1b]0;title\x07", "\"\\\\u001b]0;title\\\\u0007\"" },
	{ "\x1f", "\"\\\\u001f\"" },
	{ " ~", "\" ~\"" },                               /* 0x20 and 0x7e are printable */
	{ "\x7f", "\"\\\\u007f\"" },                      /* DEL */
	/* C1 controls as characters (valid UTF-8) and as bytes: told apart */
	{ "\xc2\x80", "\"\\\\u0080\"" },
	{ "\xc2\x85", "\"\\\\u0085\"" },                  /* NEL */
	{ "\xc2\x9b" "31m", "\"\\\\u009b31m\"" },         /* CSI */
	{ "\xc2\x9f", "\"\\\\u009f\"" },
	{ "\x9b" "31m", "\"\\\\x9b31m\"" },               /* the byte 0x9B: text \x9b */
	{ "\xc2\xa0", "\"\xc2\xa0\"" },                   /* U+00A0 is no control */
	/* the JavaScript line terminators */
	{ "a\xe2\x80\xa8" "b", "\"a\\\\u2028b\"" },
	{ "\xe2\x80\xa9", "\"\\\\u2029\"" },
	{ "\xe2\x80\xa7", "\"\xe2\x80\xa7\"" },          /* U+2027 stays */
	/* the bidi controls that make a name show as another (Trojan Source) */
	{ "\xd8\x9c", "\"\\\\u061c\"" },                   /* ALM */
	{ "\xe2\x80\x8e\xe2\x80\x8f", "\"\\\\u200e\\\\u200f\"" },   /* LRM, RLM */
	{ "\xe2\x80\xaa", "\"\\\\u202a\"" },               /* LRE */
	{ "ab\xe2\x80\xae" "cd", "\"ab\\\\u202ecd\"" },      /* RLO */
	{ "\xe2\x81\xa6\xe2\x81\xa9", "\"\\\\u2066\\\\u2069\"" },   /* LRI, PDI */
	{ "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", "\"\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\"" },   /* ZWJ, U+202F, U+2065, U+206A stay */
	/* the text \u001b in a name is \\u001b: no confusion with ESC */
	{ "\\u001b", "\"\\\\\\\\u001b\"" },
	/* not valid UTF-8: every byte as \xHH */
	{ "\xc2", "\"\\\\xc2\"" },                        /* cut sequence */
	{ "\xc0\x80", "\"\\\\xc0\\\\x80\"" },             /* overlong NUL */
	{ "\xed\xa0\x80", "\"\\\\xed\\\\xa0\\\\x80\"" },  /* a surrogate */
	{ "\xe2\x80", "\"\\\\xe2\\\\x80\"" },             /* cut U+2028 */
	{ "\xf4\x90\x80\x80", "\"\\\\xf4\\\\x90\\\\x80\\\\x80\"" },   /* above U+10FFFF */
	{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },   /* U+1F600 stays */
	{ "\xff", "\"\\\\xff\"" },
};

static void test_json_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(json_cases); i++) {
		struct strbuf sb = STRBUF_INIT;

		sb_put_json(&sb, json_cases[i].in);
		if (strcmp(sb_cstr(&sb), json_cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, sb_cstr(&sb), json_cases[i].want);
		sb_free(&sb);
	}
}

/* Whatever the input, the literal holds no byte below 0x20, no DEL, no C1
 * character and no U+2028/U+2029, raw or as a JSON escape of the character
 * (only \" and \\ follow a backslash). */
static void test_json_no_control(void **state)
{
	unsigned char in[4] = { 0 };

	(void)state;
	for (unsigned a = 1; a < 0x100; a++) {
		for (unsigned b = 0x80; b < 0xc0; b++) {
			struct strbuf sb = STRBUF_INIT;
			const unsigned char *p;

			in[0] = (unsigned char)a;
			in[1] = (unsigned char)(a >= 0xc2 && a <= 0xdf ? b : 0);
			sb_put_json(&sb, (const char *)in);
			for (p = (const unsigned char *)sb_cstr(&sb); *p; p++) {
				assert_true(*p >= 0x20 && *p != 0x7f);
				assert_false(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
				assert_false(p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9));
				if (*p == '\\') {
					assert_true(p[1] == '"' || p[1] == '\\');
					p++;
				}
			}
			sb_free(&sb);
		}
	}
}

/* The text output: every byte outside printable ASCII, '|' and '\' as \xHH. */
static const struct esc_case text_cases[] = {
	{ "", "" },
	{ "sshd", "sshd" },
	{ "a|b", "a\\x7cb" },
	{ "a\\b", "a\\x5cb" },
	{ "a\nb\r", "a\\x0ab\\x0d" },
	{ "\x07", "\\x07" },                              /* BEL */
	{ "\x1b[31m", "\\x1b[31m" },                      /* ESC */
	{ "\x7f", "\\x7f" },                              /* DEL */
	{ "\xc2\x9b" "1m", "\\xc2\\x9b1m" },              /* U+009B, CSI */
	{ "\x9b", "\\x9b" },                              /* the byte 0x9B */
	{ "\xe2\x80\xa8", "\\xe2\\x80\\xa8" },            /* U+2028 */
	{ "\xe2\x80\xa9", "\\xe2\\x80\\xa9" },            /* U+2029 */
	{ "caf\xc3\xa9", "caf\\xc3\\xa9" },
	{ " ~", " ~" },
};

static void test_text_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(text_cases); i++) {
		struct strbuf sb = STRBUF_INIT;

		sb_put_escaped(&sb, text_cases[i].in, 0);
		if (strcmp(sb_cstr(&sb), text_cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, sb_cstr(&sb), text_cases[i].want);
		sb_free(&sb);
	}
}

/* max counts input bytes: an escape is never cut in half. */
static void test_text_max(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	sb_put_escaped(&sb, "ab\x1b" "cd", 3);
	assert_string_equal(sb_cstr(&sb), "ab\\x1b");
	sb_free(&sb);
}

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
		cmocka_unit_test(test_json_table),
		cmocka_unit_test(test_json_no_control),
		cmocka_unit_test(test_text_table),
		cmocka_unit_test(test_text_max),
		cmocka_unit_test(test_seconds_as_printf),
		cmocka_unit_test(test_seconds_negative_is_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
