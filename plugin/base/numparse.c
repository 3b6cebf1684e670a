/* SPDX-License-Identifier: GPL-3.0-or-later */
/* numparse: the one strict decimal parser (see include/numparse.h). */
#include "numparse.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

int parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	bool over = false;

	if (!s || len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - (unsigned)'0';

		if (d > 9)
			return -EINVAL;
		/* v * 10 + d <= max, asked without computing v * 10 + d */
		if (over || d > max || v > (max - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u64_str(const char *s, uint64_t max, uint64_t *out)
{
	return parse_u64(s, s ? strlen(s) : 0, max, out);
}
