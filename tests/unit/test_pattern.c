/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for pattern: matching tables, a pathological pattern, and the
 * patterns pattern_check refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pattern.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct { const char *pat, *s; bool want; } globs[] = {
	{ "", "", true }, { "", "a", false }, { "a", "", false }, { "*", "", true },
	{ "*", "anything/at/all", true }, { "ssh*", "sshd", true }, { "ssh*", "ssh", true },
	{ "ssh*", "xsshd", false }, { "*d", "sshd", true }, { "*.service", "ssh.service", true },
	{ "?", "a", true }, { "?", "", false }, { "??", "a", false }, { "s?hd", "sshd", true },
	{ "a*b*c", "aXbYc", true }, { "a*b*c", "aXbY", false }, { "a**b", "ab", true },
	{ "/usr/*/sshd", "/usr/local/sbin/sshd", true },  /* no FNM_PATHNAME */
	{ "*", ".hidden", true },                          /* no FNM_PERIOD */
	{ "[abc]", "b", true }, { "[abc]", "d", false }, { "[a-c]x", "bx", true },
	{ "[a-c]", "-", false }, { "[-a]", "-", true }, { "[a-]", "-", true },
	{ "[!a-c]", "d", true }, { "[!a-c]", "b", false }, { "[^a]", "b", true },
	{ "[]]", "]", true }, { "[]a]", "a", true }, { "[!]]", "]", false }, { "[!]]", "x", true },
	{ "[z-a]", "m", false }, { "[", "[", true }, { "[ab", "[ab", true }, { "[ab", "a", false },
	{ "\\*", "*", true }, { "\\*", "a", false }, { "\\?", "?", true }, { "a\\", "a\\", true },
	{ "[\\]]", "]", true }, { "eth[0-9]", "eth7", true }, { "eth[0-9]", "eth10", false },
	{ "eth[0-9]*", "eth10", true }, { "*[0-9]", "veth3", true },
	{ "\xc3\xa9*", "\xc3\xa9t\xc3\xa9", true }, { "[\x80-\xff]", "\xe9", true },
	{ "*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	{ "*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true },
	{ "*?*?*?*?*?*?*?*?*?*?x", "??????????????????????????????????????????????????", false },
};

static void test_pattern_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(globs); i++)
		if (pattern_match(globs[i].pat, globs[i].s) != globs[i].want)
			fail_msg("glob \"%s\" on \"%s\": want %d", globs[i].pat, globs[i].s, globs[i].want);
	assert_false(pattern_match(NULL, "a"));
	assert_false(pattern_match("a", NULL));
}

/* A backtracking matcher takes exponential time here; ours is O(m * n). */
/* pattern_check: which patterns the config loader refuses. */
static const struct { const char *pat; bool ok; } pattern_checks[] = {
	{ "", true }, { "sshd", true }, { "docker:*", true }, { "[abc]d", true },
	{ "[!a-z]*", true }, { "[]]", true }, { "\\[literal", true }, { "a\\\\", true },
	{ "[abc", false }, { "x[", false }, { "[!", false }, { "a\\", false }, { "[a-z]*[", false },
};

static void test_pattern_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(pattern_checks); i++)
		if ((pattern_check(pattern_checks[i].pat) == NULL) != pattern_checks[i].ok)
			fail_msg("pattern_check(\"%s\"): want %s", pattern_checks[i].pat,
					pattern_checks[i].ok ? "valid" : "invalid");
}

static void test_pattern_pathological(void **state)
{
	size_t n = 20000;
	char *s = malloc(n + 1), *pat = malloc(2 * 30 + 2);

	(void)state;
	assert_non_null(s);
	assert_non_null(pat);
	memset(s, 'a', n);
	s[n] = '\0';
	for (size_t i = 0; i < 30; i++)
		memcpy(pat + 2 * i, "*a", 2);
	strcpy(pat + 60, "b");
	assert_false(pattern_match(pat, s));
	s[n - 1] = 'b';
	assert_true(pattern_match(pat, s));
	free(s);
	free(pat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_table),
		cmocka_unit_test(test_pattern_pathological),
		cmocka_unit_test(test_pattern_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
