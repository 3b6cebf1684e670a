/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the threshold range parser (threshold_parse).
 * Invariants: on error t is unchanged; on success the range is ordered,
 * the text is kept and threshold_alerts() agrees with the range. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "thresholds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_range(const struct threshold *t, const char *s)
{
	if (!t->set || strcmp(t->text, s) != 0 || t->inside != (s[0] == '@'))
		abort();
	if (!t->lo_inf && !t->hi_inf && t->lo > t->hi)
		abort();
	if (!t->lo_inf && !t->hi_inf && threshold_alerts(t, t->lo) == !t->inside)
		abort();
	if (!t->lo_inf && threshold_alerts(t, t->lo - 1.0 - (t->lo < 0 ? -t->lo : t->lo)) != !t->inside)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct threshold t, before;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&t, 0xa5, sizeof(t));
	before = t;
	if (threshold_parse(s, &t) == 0)
		check_range(&t, s);
	else if (memcmp(&t, &before, sizeof(t)) != 0)
		abort();
	free(s);
	return 0;
}
