/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the /proc/net/raw, raw6, icmp and icmp6 parser
 * (rawsock_parse) on arbitrary bytes. Byte 0 bit 0 chooses the family (0
 * IPv4, 1 IPv6), bit 1 the table (0 raw, 1 icmp: ping sockets); the rest is
 * the file. Invariants: the result is 0 or -EBADMSG, a failure names a line
 * within the file, every row has the family asked for, and a raw row's
 * protocol is an IP protocol (0-255). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rawsock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int family;
	enum rawsock_table table;
	size_t rows;
};

static int row(const struct raw_row *r, void *arg)
{
	struct seen *s = arg;

	if (r->family != s->family || (s->table == RAWSOCK_RAW && r->protocol > 255))
		abort();
	s->rows++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s;
	unsigned bad = 0, lines = 1;
	char *buf;
	int rc;

	if (size < 1)
		return 0;
	s.family = data[0] & 1 ? AF_INET6 : AF_INET;
	s.table = data[0] & 2 ? RAWSOCK_PING : RAWSOCK_RAW;
	s.rows = 0;
	buf = malloc(size);             /* exactly the file: no NUL after it */
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	for (size_t i = 0; i < size - 1; i++)
		lines += buf[i] == '\n';
	rc = rawsock_parse(buf, size - 1, s.family, s.table, row, &s, &bad);
	if (rc != 0 && rc != -EBADMSG)
		abort();
	if ((rc == 0) != (bad == 0) || bad > lines || s.rows >= lines)
		abort();
	free(buf);
	return 0;
}
