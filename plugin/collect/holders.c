/* SPDX-License-Identifier: GPL-3.0-or-later */
/* holders: which holders of a listener's sockets a rule judges. */
#include "holders.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cmp_link_sock(const void *a, const void *b)
{
	const struct holder_link *x = a, *y = b;

	return (x->sock > y->sock) - (x->sock < y->sock);
}

/* links[0..n) all hold one socket: judges its manager holders when no other
 * kind of holder holds it. Returns whether any holder in range holds it. */
static bool judge_socket(struct holder *h, size_t nh, const struct holder_link *links, size_t n)
{
	bool held = false, service = false;

	for (size_t i = 0; i < n; i++)
		if (links[i].holder < nh) {
			held = true;
			service |= !h[links[i].holder].manager;
		}
	for (size_t i = 0; i < n && !service; i++)
		if (links[i].holder < nh)
			h[links[i].holder].judged = true;   /* the manager alone holds it */
	return held;
}

/* Sorting the links by socket makes this O(n log n): an attacker can make
 * both the sockets of one listener and their holders many. */
uint32_t holders_judge(struct holder *h, size_t n, struct holder_link *links, size_t nlinks,
		uint32_t nsocks)
{
	uint32_t held = 0;

	for (size_t i = 0; i < n; i++)
		h[i].judged = !h[i].manager;
	qsort(links, nlinks, sizeof(*links), cmp_link_sock);
	for (size_t i = 0, j; i < nlinks; i = j) {
		for (j = i + 1; j < nlinks && links[j].sock == links[i].sock; j++)
			;
		if (links[i].sock < nsocks)
			held += judge_socket(h, n, &links[i], j - i);
	}
	return nsocks - held;
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
