/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pattern: the patterns of rule fields. Supports * ? [...] [!...] [^...], ranges
 * and backslash escapes; no FNM_PATHNAME ('*' crosses '/'), no locale, no
 * character classes. An unclosed '[' is refused by pattern_check(). */
#ifndef CHECK_LISTENERS_PATTERN_H
#define CHECK_LISTENERS_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

/* True when s matches pattern; false when either is NULL.
 * O(len(pattern) * len(s)) whatever the pattern. */
bool pattern_match(const char *pattern, const char *s);

/* NULL when pattern is a well-formed glob, else why not, in words
 * ("has a '[' without its ']' ..."); a static string. */
const char *pattern_check(const char *pattern);

/* The length of the shortest string pattern (well-formed) can match: every
 * element but '*' takes one byte. 0 for NULL. */
size_t pattern_min_len(const char *pattern);

#endif
