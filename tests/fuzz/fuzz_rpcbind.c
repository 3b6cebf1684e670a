/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the rpcbind DUMP reply parser (rpcb_record_end,
 * rpcb_parse_dump, rpcb_uaddr_port) on arbitrary bytes. Bytes 0-3 are the
 * xid expected, the rest is the stream as read from the socket.
 * Invariants: the result is 0, -EBADMSG or -ENOMEM; a parsed stream is one
 * complete record; on success every kept registration is root's TCP or UDP
 * one, sorted, and no more than the entries; on failure nothing is kept. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "inventory.h"
#include "rpcbind_xdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_regs(const struct rpc_map *m)
{
	if (m->nregs + m->not_root + m->bad_addr > m->entries)
		abort();
	for (size_t i = 0; i < m->nregs; i++) {
		const struct rpc_reg *r = &m->regs[i];

		if ((r->proto != PROTO_TCP && r->proto != PROTO_UDP) ||
		    (r->family != AF_INET && r->family != AF_INET6))
			abort();
		if (i && (r[-1].proto > r->proto || (r[-1].proto == r->proto && r[-1].port > r->port)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpc_map m = { 0 };
	char err[160];
	uint32_t xid;
	uint8_t *buf;
	uint16_t port;
	long end;
	int rc;

	if (size < 4)
		return 0;
	xid = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	buf = malloc(size - 4 ? size - 4 : 1);  /* exactly the stream: nothing after it */
	if (!buf)
		return 0;
	memcpy(buf, data + 4, size - 4);
	end = rpcb_record_end(buf, size - 4);
	if (end < -EMSGSIZE || end > (long)(size - 4) || (end > 0 && end < 4))
		abort();
	rc = rpcb_parse_dump(buf, size - 4, xid, &m, err, sizeof(err));
	if (rc == 0) {
		if (end != (long)(size - 4))
			abort();
		check_regs(&m);
	} else if ((rc != -EBADMSG && rc != -ENOMEM) || m.regs || m.nregs) {
		abort();
	}
	rpc_map_free(&m);
	/* the universal address parser alone, on the same bytes */
	if (rpcb_uaddr_port((const char *)buf, size - 4, AF_INET, &port) == 0 &&
	    rpcb_uaddr_port((const char *)buf, size - 4, AF_INET6, &port) == 0)
		abort();        /* no text is an address of both families */
	free(buf);
	return 0;
}
