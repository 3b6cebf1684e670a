/* SPDX-License-Identifier: GPL-3.0-or-later */
/* thresholds: the standard plugin range syntax [@][start:][end].
 *
 * Grammar accepted (strict; anything else is -EINVAL):
 *   range  = ["@"] [start ":"] [end]     with at least one of start or end
 *   start  = "~" | number                ("~" is -infinity)
 *   end    = number | ""                 ("" is +infinity, only after ":")
 *   number = ["+"|"-"] digits ["." digits] [("e"|"E") ["+"|"-"] digits]
 * "10" means 0:10. Bounds are inclusive.
 */
#include "thresholds.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_digits(const char *p)
{
	while (is_digit(*p))
		p++;
	return p;
}

/* True when [s, e) has the shape of a plain decimal number. Checked before
 * strtod because strtod also takes leading spaces, "inf", "nan" and hex. */
static bool number_shape(const char *s, const char *e)
{
	const char *p = s, *q;

	if (p < e && (*p == '+' || *p == '-'))
		p++;
	q = skip_digits(p);
	if (q < e && *q == '.') {
		const char *frac = skip_digits(q + 1);

		if (q == p && frac == q + 1)
			return false;           /* "." alone */
		q = frac;
	} else if (q == p) {
		return false;                   /* no digits */
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		const char *x = q + 1;

		if (x < e && (*x == '+' || *x == '-'))
			x++;
		q = skip_digits(x);
		if (q == x)
			return false;
	}
	return q == e;
}

/* Parses [s, e) as a finite number. strtod honours LC_NUMERIC; the plugin
 * never calls setlocale(), so the C locale and its '.' are in force. */
static int parse_number(const char *s, const char *e, double *out)
{
	char buf[32], *end;
	size_t n = (size_t)(e - s);
	double d;

	if (n == 0 || n >= sizeof(buf) || !number_shape(s, e))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	d = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d))
		return -EINVAL;
	*out = d;
	return 0;
}

/* start part: "~" or a number; never empty (":10" is not in the grammar). */
static int parse_start(const char *s, const char *e, struct threshold *t)
{
	if (e - s == 1 && *s == '~') {
		t->lo_inf = true;
		return 0;
	}
	return parse_number(s, e, &t->lo);
}

/* end part: a number, or empty for +infinity when allow_empty. */
static int parse_end(const char *s, bool allow_empty, struct threshold *t)
{
	if (*s == '\0') {
		if (!allow_empty)
			return -EINVAL;
		t->hi_inf = true;
		return 0;
	}
	return parse_number(s, s + strlen(s), &t->hi);
}

int threshold_parse(const char *s, struct threshold *t)
{
	struct threshold n = { .set = true };
	const char *p, *colon;

	if (!s || !t || strlen(s) >= sizeof(n.text))
		return -EINVAL;
	p = s;
	if (*p == '@') {
		n.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon) {
		if (strchr(colon + 1, ':'))
			return -EINVAL;
		if (parse_start(p, colon, &n) < 0 || parse_end(colon + 1, true, &n) < 0)
			return -EINVAL;
	} else if (parse_end(p, false, &n) < 0) {
		return -EINVAL;
	}
	if (!n.lo_inf && !n.hi_inf && n.lo > n.hi)
		return -EINVAL;
	strcpy(n.text, s);
	*t = n;
	return 0;
}

bool threshold_alerts(const struct threshold *t, double v)
{
	bool in;

	if (!t || !t->set)
		return false;
	in = (t->lo_inf || v >= t->lo) && (t->hi_inf || v <= t->hi);
	return t->inside ? in : !in;
}
