/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pattern: fnmatch(3)-style patterns for rule fields (process, exe, unit,
 * interface, netns), pure and locale-free. */
#include "pattern.h"

#include <stddef.h>

/* One byte of a pattern, honouring a backslash escape. Advances *p. */
static unsigned char pat_byte(const char **p)
{
	if (**p == '\\' && (*p)[1] != '\0')
		(*p)++;
	return (unsigned char)*(*p)++;
}

/* p points just past '['. Sets *hit for byte c and returns the pattern after
 * the closing ']', or NULL when there is none (the '[' is then literal).
 * A ']' right after '[' or '[!' is a member; '-' first or last is literal. */
static const char *pat_class(const char *p, unsigned char c, bool *hit)
{
	bool neg = false, in = false;
	const char *first;

	if (*p == '!' || *p == '^') {
		neg = true;
		p++;
	}
	first = p;
	while (*p != ']' || p == first) {
		unsigned char lo, hi;

		if (*p == '\0')
			return NULL;
		lo = hi = pat_byte(&p);
		if (p[0] == '-' && p[1] != ']' && p[1] != '\0') {
			p++;
			hi = pat_byte(&p);
		}
		if (lo <= c && c <= hi)
			in = true;
	}
	*hit = in != neg;
	return p + 1;
}

/* Matches one pattern element (not '*') against byte c. Returns the pattern
 * after the element, or NULL when it does not match. */
static const char *pat_step(const char *p, unsigned char c)
{
	if (*p == '\0')
		return NULL;
	if (*p == '?')
		return p + 1;
	if (*p == '[') {
		bool hit = false;
		const char *after = pat_class(p + 1, c, &hit);

		if (after)
			return hit ? after : NULL;
	}
	return pat_byte(&p) == c ? p : NULL;
}

/* Iterative with one backtrack point, the last '*': a later '*' can absorb
 * whatever an earlier one would have, so older stars never need retrying.
 * O(len(pattern) * len(s)) whatever the pattern, e.g. "*a*a*a*a*b". */
bool pattern_match(const char *pattern, const char *s)
{
	const char *p = pattern, *star = NULL, *retry = NULL;

	if (!pattern || !s)
		return false;
	while (*s != '\0') {
		const char *next;

		if (*p == '*') {
			while (*p == '*')
				p++;
			star = p;
			retry = s;
			continue;
		}
		next = pat_step(p, (unsigned char)*s);
		if (next) {
			p = next;
			s++;
		} else if (star) {
			p = star;
			s = ++retry;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

const char *pattern_check(const char *pattern)
{
	const char *p = pattern;
	bool hit;

	while (*p) {
		if (*p == '\\' && p[1] == '\0')
			return "ends in a lone backslash";
		if (*p == '[') {
			const char *after = pat_class(p + 1, 0, &hit);

			if (!after)
				return "has a '[' without its ']'";
			p = after;
			continue;
		}
		pat_byte(&p);
	}
	return NULL;
}

size_t pattern_min_len(const char *pattern)
{
	const char *p = pattern;
	size_t n = 0;
	bool hit;

	while (p && *p) {
		const char *after;

		if (*p == '*') {
			p++;
			continue;
		}
		if (*p == '[' && (after = pat_class(p + 1, 0, &hit))) {
			p = after;
			n++;
			continue;
		}
		pat_byte(&p);
		n++;
	}
	return n;
}
