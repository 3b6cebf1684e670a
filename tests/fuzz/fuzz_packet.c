/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the packet_diag payload parser (packet_parse) on arbitrary
 * bytes, copied into an 8-byte aligned buffer as a netlink receive buffer is.
 * Invariants: the result is 0, 1 or -EBADMSG; a parsed row has a known filter
 * state, and a filter length only with a classic filter, never above 4096. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct packet_row r;
	void *buf = aligned_alloc(8, (size | 7u) + 1);
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = packet_parse(buf, size, &r);
	if (rc != 0 && rc != 1 && rc != -EBADMSG)
		abort();
	if (rc == 0 && (r.filter >= PKT_FILTER_COUNT || r.filter_len > 4096
			|| (r.filter != PKT_FILTER_CLASSIC && r.filter_len != 0)
			|| (r.filter == PKT_FILTER_CLASSIC && r.filter_len == 0)))
		abort();
	free(buf);
	return 0;
}
