/* SPDX-License-Identifier: GPL-3.0-or-later */
/* thresholds: the standard plugin range syntax [@][start:][end]. */
#ifndef CHECK_LISTENERS_THRESHOLDS_H
#define CHECK_LISTENERS_THRESHOLDS_H

#include <stdbool.h>

struct threshold {
	bool set;
	bool inside;            /* '@': alert when inside [lo, hi] */
	bool lo_inf;            /* '~' */
	bool hi_inf;            /* end left out */
	double lo, hi;
	char text[32];          /* the range as given, for perfdata */
};

/* Parses s strictly (whole string, start <= end). Returns 0, or -EINVAL with t unchanged. */
int threshold_parse(const char *s, struct threshold *t);

/* True when t is set and value v alerts. */
bool threshold_alerts(const struct threshold *t, double v);

#endif
