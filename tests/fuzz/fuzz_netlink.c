/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the sock_diag reply parser (nl_parse) on arbitrary bytes.
 *
 * Byte 0 chooses the dump: bits 0-1 the protocol, bit 2 whether sequence and
 * port id are checked (4242/777, as in the seeds) or left to libmnl's
 * "0 matches anything". The rest is one receive buffer, copied into an
 * 8-byte aligned buffer as recv() into malloc'd memory would give.
 * Invariants: the result is 1, 0 or a negative errno; the rows added are
 * normalised (AF_INET or AF_INET6, the dumped protocol); inv_group() copes. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "inventory.h"
#include "nlparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rows(const struct inventory *inv, unsigned proto)
{
	for (size_t i = 0; i < inv->nsocks; i++) {
		const struct sock *s = &inv->socks[i];

		if (s->proto != proto || (s->family != AF_INET && s->family != AF_INET6))
			abort();
		if (s->family == AF_INET && s->v6only != -1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inventory inv;
	unsigned proto;
	uint32_t seq, portid;
	void *buf;
	int rc;

	if (size < 1)
		return 0;
	proto = data[0] & 3u;
	seq = data[0] & 4u ? 4242u : 0;
	portid = data[0] & 4u ? 777u : 0;
	buf = aligned_alloc(8, ((size - 1) | 7u) + 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	inv_init(&inv);
	if (inv_add_netns(&inv, "host") < 0)
		goto out;
	rc = nl_parse(buf, size - 1, seq, portid, proto, 0, &inv, NULL);
	if (rc > 1 || rc < -4095)
		abort();
	check_rows(&inv, proto);
	if (inv_group(&inv) == 0 && inv.nls > inv.nsocks)
		abort();
out:
	inv_free(&inv);
	free(buf);
	return 0;
}
