/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawsock: /proc/net/raw and raw6, and the ping sockets of icmp and icmp6. */
#include "rawsock.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "numparse.h"
#include "protoname.h"
#include "util.h"

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

/* "ADDR:NUM": NUM is the IP protocol in raw and raw6, the echo identifier in
 * icmp and icmp6. The kernel prints each 32-bit word of the address as the
 * number its bytes make in this machine's order (%08X of the __be32), so
 * storing the parsed word back gives the bytes in network order. */
static int parse_local(struct span t, int family, enum rawsock_table table, struct raw_row *out)
{
	size_t words = family == AF_INET ? 1 : 4;
	uint32_t w, num, max = table == RAWSOCK_PING ? 65535 : 255;

	if (t.n != words * 8 + 5 || t.p[words * 8] != ':')
		return -EINVAL;
	for (size_t i = 0; i < words; i++) {
		if (parse_hex_u32(t.p + i * 8, 8, &w) < 0)
			return -EINVAL;
		memcpy(out->addr + i * 4, &w, sizeof(w));
	}
	if (parse_hex_u32(t.p + words * 8 + 1, 4, &num) < 0 || num > max)
		return -EINVAL;
	out->protocol = (uint16_t)num;
	return 0;
}

int rawsock_parse_line(const char *line, size_t len, int family, enum rawsock_table table,
		struct raw_row *out)
{
	struct span t[RAW_COLUMNS];
	uint32_t st;
	uint64_t uid, inode;

	if (!line || (family != AF_INET && family != AF_INET6) ||
			(table != RAWSOCK_RAW && table != RAWSOCK_PING))
		return -EINVAL;
	if (tokens(line, len, t, RAW_COLUMNS) < RAW_COLUMNS)
		return -EINVAL;
	if (t[0].n < 2 || t[0].p[t[0].n - 1] != ':' || parse_u64(t[0].p, t[0].n - 1, UINT32_MAX, &uid) < 0)
		return -EINVAL;         /* "  12:" slot number; uid is only scratch here */
	memset(out, 0, sizeof(*out));
	out->family = (uint8_t)family;
	if (parse_local(t[1], family, table, out) < 0)
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

int rawsock_parse(const char *buf, size_t len, int family, enum rawsock_table table,
		rawsock_row_fn fn, void *arg, unsigned *badline)
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
			if (rawsock_parse_line(p, n, family, table, &row) < 0) {
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

int rawsock_read(const char *path, int family, enum rawsock_table table, rawsock_row_fn fn,
		void *arg, unsigned *badline)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (badline)
		*badline = 0;
	rc = util_read_file(path, RAW_FILE_MAX, &buf, &len);
	if (rc < 0)
		return rc;
	rc = rawsock_parse(buf, len, family, table, fn, arg, badline);
	free(buf);
	return rc;
}

struct add_ctx {
	struct inventory *inv;
	uint32_t netns;
	uint8_t proto;          /* PROTO_RAW or PROTO_PING */
};

/* Both kinds receive in any state: a ping socket, even connect()ed, takes
 * every echo reply that carries its identifier (the kernel matches on it and
 * on the bound address and device, not on the peer). Only sockets with an
 * identifier (bound, or autobound by a first send) are in icmp and icmp6. */
static int add_row(const struct raw_row *row, void *arg)
{
	const struct add_ctx *a = arg;
	struct sock s;

	memset(&s, 0, sizeof(s));
	s.proto = a->proto;
	s.family = row->family;
	/* raw6 never receives IPv4, nor does an ICMPv6 ping socket */
	s.v6only = row->family == AF_INET6 ? 1 : -1;
	s.flags = SOCK_IF_UNKNOWN;
	s.port = row->protocol;
	memcpy(s.addr, row->addr, sizeof(s.addr));
	s.uid = row->uid;
	s.inode = row->inode;
	s.netns = a->netns;
	return inv_add_sock(a->inv, &s);
}

/* dir/name4 and dir/name6 into inv, all or nothing. A missing name6 (a kernel
 * without IPv6) is no error. */
static int collect_pair(struct inventory *inv, uint32_t netns, const char *dir,
		enum rawsock_table table)
{
	static const char *const names[][2] = {
		[RAWSOCK_RAW] = { "raw", "raw6" }, [RAWSOCK_PING] = { "icmp", "icmp6" },
	};
	static const int families[2] = { AF_INET, AF_INET6 };
	struct add_ctx a = { inv, netns, table == RAWSOCK_PING ? PROTO_PING : PROTO_RAW };
	struct inv_mark mark = inv_mark(inv);
	char path[256];
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < 2; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, names[table][i]) >= sizeof(path))
			rc = -ENAMETOOLONG;
		else
			rc = rawsock_read(path, families[i], table, add_row, &a, NULL);
		if (rc == -ENOENT && families[i] == AF_INET6)
			rc = 0;
	}
	if (rc < 0)
		inv_rollback(inv, &mark);
	return rc;
}

int rawsock_collect(struct inventory *inv, uint32_t netns, const char *dir)
{
	return collect_pair(inv, netns, dir, RAWSOCK_RAW);
}

int rawsock_collect_ping(struct inventory *inv, uint32_t netns, const char *dir)
{
	return collect_pair(inv, netns, dir, RAWSOCK_PING);
}

/* proc_root/thread-self/net: the calling thread's namespace. */
static int thread_net(const char *proc_root, char *dir, size_t size)
{
	return (size_t)snprintf(dir, size, "%s/thread-self/net", proc_root) >= size ? -ENAMETOOLONG : 0;
}

int rawsock_fallback(struct inventory *inv, uint32_t netns, const char *proc_root)
{
	char dir[256];
	int rc = thread_net(proc_root, dir, sizeof(dir));

	if (rc == 0)
		rc = rawsock_collect(inv, netns, dir);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		return inv_note(inv, "raw: no raw_diag in this kernel and /proc/net/raw unusable (%s); "
			"raw sockets are not checked", strerror(-rc));
	return inv_note(inv, "raw: read from /proc/net/raw and raw6 (this kernel has no raw_diag, "
		"CONFIG_INET_RAW_DIAG); they do not name the interface a raw socket is bound to");
}

int rawsock_ping(struct inventory *inv, uint32_t netns, const char *proc_root, char *err, size_t errlen)
{
	char dir[256];
	int rc = thread_net(proc_root, dir, sizeof(dir));

	if (rc == 0)
		rc = rawsock_collect_ping(inv, netns, dir);
	if (rc == -ENOENT)      /* before Linux 3.0: no ping sockets at all */
		return inv_note(inv, "ping: this kernel has no ping sockets (no /proc/net/icmp)");
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0) {
		if (err && errlen)
			snprintf(err, errlen, "cannot read the ping sockets from %s/icmp: %s%s", dir,
				strerror(-rc), rc == -EBADMSG ? " (a line of a format this plugin does not know)" : "");
		return rc;
	}
	return inv_note(inv, "ping: read from /proc/net/icmp and icmp6 (Linux has no sock_diag handler "
		"for ping sockets); they do not name the interface a ping socket is bound to");
}
