/* SPDX-License-Identifier: GPL-3.0-or-later */
/* abuse: lookups in the known-abuse port table (abuse_data.c, generated). */
#include "abuse.h"

static int key_cmp(uint16_t port, unsigned proto, const struct abuse_entry *e)
{
	if (port != e->port)
		return port < e->port ? -1 : 1;
	return proto < e->proto ? -1 : proto > e->proto;
}

const struct abuse_entry *abuse_find(const struct abuse_entry *t, size_t n, uint16_t port,
		enum reg_proto proto)
{
	size_t lo = 0, hi = n;

	while (t && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(port, (unsigned)proto, &t[mid]);

		if (c == 0)
			return &t[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct abuse_entry *abuse_lookup(uint16_t port, enum reg_proto proto)
{
	return abuse_find(abuse_data, abuse_data_n, port, proto);
}
