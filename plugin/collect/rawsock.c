/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawsock: /proc/net/raw and raw6. */
#include "rawsock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "numparse.h"
#include "protoname.h"

#define RAW_FILE_MAX    (64u << 20)
#define RAW_COLUMNS     10      /* sl local remote st tx:rx tr:when retrnsmt uid timeout inode */

/* ---- one line ---- */

struct span {
	const char *p;
	size_t n;
};

/* Splits at spaces into at most max tokens. Returns the number found. */
static size_t tokens(const char *s, size_t len, struct span *t, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		t[n].p = s + i;
		while (i < len && s[i] != ' ')
			i++;
		t[n].n = (size_t)(s + i - t[n].p);
		n++;
	}
	return n;
}

/* "ADDR:PROTO". The kernel prints each 32-bit word of the address as the
 * number its bytes make in this machine's order (%08X of the __be32), so
 * storing the parsed word back gives the bytes in network order. */
static int parse_local(struct span t, int family, struct raw_row *out)
{
	size_t words = family == AF_INET ? 1 : 4;
	uint32_t w, proto;

	if (t.n != words * 8 + 5 || t.p[words * 8] != ':')
		return -EINVAL;
	for (size_t i = 0; i < words; i++) {
		if (parse_hex_u32(t.p + i * 8, 8, &w) < 0)
			return -EINVAL;
		memcpy(out->addr + i * 4, &w, sizeof(w));
	}
	if (parse_hex_u32(t.p + words * 8 + 1, 4, &proto) < 0 || proto > 255)
		return -EINVAL;
	out->protocol = (uint8_t)proto;
	return 0;
}

int rawsock_parse_line(const char *line, size_t len, int family, struct raw_row *out)
{
	struct span t[RAW_COLUMNS];
	uint32_t st;
	uint64_t uid, inode;

	if (!line || (family != AF_INET && family != AF_INET6))
		return -EINVAL;
	if (tokens(line, len, t, RAW_COLUMNS) < RAW_COLUMNS)
		return -EINVAL;
	if (t[0].n < 2 || t[0].p[t[0].n - 1] != ':' || parse_u64(t[0].p, t[0].n - 1, UINT32_MAX, &uid) < 0)
		return -EINVAL;         /* "  12:" slot number; uid is only scratch here */
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	if (parse_local(t[1], family, out) < 0)
		return -EINVAL;
	if (t[3].n != 2 || parse_hex_u32(t[3].p, 2, &st) < 0)
		return -EINVAL;
	if (parse_u64(t[7].p, t[7].n, UINT32_MAX, &uid) < 0
			|| parse_u64(t[9].p, t[9].n, UINT32_MAX, &inode) < 0)
		return -EINVAL;
	out->state = (uint8_t)st;
	out->uid = (uint32_t)uid;
	out->inode = (uint32_t)inode;
	return 0;
}

/* ---- a whole file ---- */

int rawsock_parse(const char *buf, size_t len, int family, rawsock_row_fn fn, void *arg,
		unsigned *badline)
{
	const char *p = buf, *end = buf + len;
	unsigned lineno = 0;

	if (badline)
		*badline = 0;
	if (!buf)
		return -EINVAL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct raw_row row;
		int rc;

		lineno++;
		if (lineno > 1) {
			if (rawsock_parse_line(p, n, family, &row) < 0) {
				if (badline)
					*badline = lineno;
				return -EBADMSG;
			}
			rc = fn(&row, arg);
			if (rc < 0)
				return rc;
		} else if (n < 4 || memcmp(p, "  sl", 4) != 0) {
			if (badline)
				*badline = 1;
			return -EBADMSG;        /* not the header we know */
		}
		p += n + (nl != NULL);
	}
	if (lineno == 0) {
		if (badline)
			*badline = 1;
		return -EBADMSG;                /* even an empty table has its header */
	}
	return 0;
}

/* Reads a /proc file, whose stat size is 0, to its end. Returns 0 with *out
 * (malloc'd) and *len, or -errno. */
static int read_whole(int fd, char **out, size_t *len)
{
	size_t cap = 16384, n = 0;
	char *b = malloc(cap), *nb;
	ssize_t r;

	if (!b)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap >= RAW_FILE_MAX) {
				free(b);
				return -EFBIG;
			}
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*out = b;
	*len = n;
	return 0;
}

int rawsock_read(const char *path, int family, rawsock_row_fn fn, void *arg, unsigned *badline)
{
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	if (badline)
		*badline = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = read_whole(fd, &buf, &len);
	close(fd);
	if (rc < 0)
		return rc;
	rc = rawsock_parse(buf, len, family, fn, arg, badline);
	free(buf);
	return rc;
}
