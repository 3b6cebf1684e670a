/* SPDX-License-Identifier: GPL-3.0-or-later */
/* holders: which holders of a listener's sockets a rule judges. */
#include "holders.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* For each socket: does a holder other than a manager hold it? The caller's
 * scratch is avoided by two passes over the links, which are few. */
static bool sock_has_service(const struct holder *h, size_t n, const struct holder_link *links,
		size_t nlinks, uint32_t sock)
{
	for (size_t i = 0; i < nlinks; i++)
		if (links[i].sock == sock && links[i].holder < n && !h[links[i].holder].manager)
			return true;
	return false;
}

uint32_t holders_judge(struct holder *h, size_t n, const struct holder_link *links, size_t nlinks,
		uint32_t nsocks)
{
	uint32_t unheld = 0;

	for (size_t i = 0; i < n; i++)
		h[i].judged = !h[i].manager;
	for (uint32_t s = 0; s < nsocks; s++) {
		bool held = false, service = sock_has_service(h, n, links, nlinks, s);

		for (size_t i = 0; i < nlinks; i++) {
			if (links[i].sock != s || links[i].holder >= n)
				continue;
			held = true;
			if (!service)
				h[links[i].holder].judged = true;   /* the manager alone holds it */
		}
		unheld += !held;
	}
	return unheld;
}

size_t holders_shown(const struct holder *h, size_t n)
{
	size_t best = n;

	for (size_t i = 0; i < n; i++) {
		if (!h[i].judged)
			continue;
		if (best == n || (h[best].manager && !h[i].manager) ||
		    (h[best].manager == h[i].manager && h[i].pid < h[best].pid))
			best = i;
	}
	return best == n ? 0 : best;
}

bool holders_only_manager(const struct holder *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!h[i].manager)
			return false;
	return n > 0;
}

int holder_copy_exe(struct holder *dst, const struct holder *src)
{
	dst->exe = src->exe ? strdup(src->exe) : NULL;
	dst->exe_claimed = src->exe_claimed ? strdup(src->exe_claimed) : NULL;
	if ((src->exe && !dst->exe) || (src->exe_claimed && !dst->exe_claimed)) {
		free(dst->exe);
		free(dst->exe_claimed);
		dst->exe = dst->exe_claimed = NULL;
		return -ENOMEM;
	}
	return 0;
}

void holders_free(struct holder *h, size_t n)
{
	for (size_t i = 0; h && i < n; i++) {
		free(h[i].exe);
		free(h[i].exe_claimed);
	}
	free(h);
}
