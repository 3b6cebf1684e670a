/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for rawsock: lines and files of /proc/net/raw and raw6, and of
 * /proc/net/icmp and icmp6 for ping sockets (as this kernel writes them, and
 * malformed). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "rawsock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HDR4 "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
#define HDR6 "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
#define ZERO6 "00000000000000000000000000000000"

struct line_case {
	const char *line;
	int family;
	int ret;
	const char *addr;       /* when ret is 0 */
	uint16_t protocol, state;
	uint32_t uid, inode;
	enum rawsock_table table;
};

#define RAW RAWSOCK_RAW
#define PING RAWSOCK_PING

/* The little-endian words are what this (x86, arm64) test machine prints. */
static const struct line_case lines[] = {
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 00000000e24bd79e 0",
	  AF_INET, 0, "0.0.0.0", 255, 7, 0, 63058, RAW },
	{ " 236: 0100007F:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 63062 2 0000000000000000 0",
	  AF_INET, 0, "127.0.0.1", 1, 7, 104, 63062, RAW },
	{ " 208: 0100007f:0011 0200000A:0000 01 00000000:00000000 00:00000000 00000000 65534        0 4294967295 2 0 0",
	  AF_INET, 0, "127.0.0.1", 17, 1, 65534, 4294967295u, RAW },
	{ "  181: " ZERO6 ":003A " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 63059 2 0000000093090403 0",
	  AF_INET6, 0, "::", 58, 7, 0, 63059, RAW },
	{ "   12: 00000000000000000000000001000000:0011 " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000  1000        0 7 2 0 0",
	  AF_INET6, 0, "::1", 17, 7, 1000, 7, RAW },
	{ "    1: 000080FE00000000FF005452120000FE:00FF " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 9 2 0 0",
	  AF_INET6, 0, "fe80::5254:ff:fe00:12", 255, 7, 0, 9, RAW },
	/* malformed */
	{ "", AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "garbage", AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0", /* no inode */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 0000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* 7 digits */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 0000000G:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:0100 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* protocol 256 */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000    -1        0 1 2 0 0", /* uid -1 */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000 4294967296 0 1 2 0 0", /* uid > 32 bits */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12x 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 7 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* state 1 digit */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* no colon after sl */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000-00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	/* a v6 line read as v4 and the other way round */
	{ "  181: " ZERO6 ":003A " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 63059 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 0 0",
	  AF_INET6, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 0 0",
	  AF_UNIX, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	/* icmp and icmp6: ping sockets, the column is the echo identifier
	 * (lines as Linux 6.18 writes them, trailing blanks included) */
	{ "   27: 00000000:1337 00000000:0000 07 00000000:00000000 00:00000000 00000000 65534        0 39916864 2 0000000054455869 0      ",
	  AF_INET, 0, "0.0.0.0", 0x1337, 7, 65534, 39916864, PING },
	{ "   28: 00000000000000000000000000000000:1338 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 39916865 2 0000000019a1e156 0",
	  AF_INET6, 0, "::", 0x1338, 7, 0, 39916865, PING },
	{ "    3: 0100007F:FFFF 0100007F:0000 01 00000000:00000000 00:00000000 00000000  1000        0 77 2 0 0", /* connected */
	  AF_INET, 0, "127.0.0.1", 65535, 1, 1000, 77, PING },
	{ "    4: 00000000000000000000000001000000:0000 " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 78 2 0 0",
	  AF_INET6, 0, "::1", 0, 7, 0, 78, PING },
	/* an identifier above 255 is no IP protocol: not a raw line */
	{ "   27: 00000000:1337 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 39916864 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, RAW },
	{ "   27: 00000000:13370 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* 5 digits */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, PING },
	{ "   27: 00000000:133G 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, PING },
	{ "   27: 00000000:1337 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* no such table */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0, (enum rawsock_table)7 },
};

static void test_line_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(lines); i++) {
		const struct line_case *c = &lines[i];
		struct raw_row r;
		uint8_t want[16] = { 0 };
		int rc = rawsock_parse_line(c->line, strlen(c->line), c->family, c->table, &r);

		if (rc != c->ret)
			fail_msg("line %zu: returned %d, expected %d", i, rc, c->ret);
		if (rc != 0)
			continue;
		assert_int_equal(inet_pton(c->family, c->addr, want), 1);
		if (memcmp(r.addr, want, sizeof(want)) != 0 || r.family != c->family
				|| r.protocol != c->protocol || r.state != c->state
				|| r.uid != c->uid || r.inode != c->inode)
			fail_msg("line %zu: family %u protocol %u state %u uid %u inode %u", i,
				r.family, r.protocol, r.state, r.uid, r.inode);
	}
}

/* Only the given length is read: a line is not NUL-terminated in the file. */
static void test_line_length_bounds(void **state)
{
	const char *l = lines[0].line, *ino = strstr(l, "63058");
	struct raw_row r;

	(void)state;
	assert_non_null(ino);
	assert_int_equal(rawsock_parse_line(l, strlen(l), AF_INET, RAWSOCK_RAW, &r), 0);
	/* cut inside the inode column: still a number, but a different one */
	assert_int_equal(rawsock_parse_line(l, (size_t)(ino - l) + 4, AF_INET, RAWSOCK_RAW, &r), 0);
	assert_int_equal(r.inode, 6305);
	/* cut before the inode */
	assert_int_equal(rawsock_parse_line(l, (size_t)(ino - l), AF_INET, RAWSOCK_RAW, &r), -EINVAL);
	assert_int_equal(rawsock_parse_line(NULL, 0, AF_INET, RAWSOCK_RAW, &r), -EINVAL);
}

struct collect {
	struct raw_row rows[8];
	size_t n;
	int fail_at;            /* return -ECANCELED at this row (1-based), 0 = never */
};

static int collect_row(const struct raw_row *row, void *arg)
{
	struct collect *c = arg;

	if (c->n >= N(c->rows))
		return -E2BIG;
	c->rows[c->n++] = *row;
	return c->fail_at && (int)c->n == c->fail_at ? -ECANCELED : 0;
}

struct file_case {
	const char *name;
	const char *text;
	int family;
	int ret;
	size_t rows;
	unsigned badline;
};

static const struct file_case files[] = {
	{ "v4, two sockets", HDR4 "A\nB\n", AF_INET, 0, 2, 0 },
	{ "v4, no final newline", HDR4 "A\nB", AF_INET, 0, 2, 0 },
	{ "only the header", HDR4, AF_INET, 0, 0, 0 },
	{ "v6 header and a v6 line", HDR6 "A\n", AF_INET6, 0, 1, 0 },
	{ "empty file", "", AF_INET, -EBADMSG, 0, 1 },
	{ "no header", "A\n", AF_INET, -EBADMSG, 0, 1 },
	{ "a malformed third line", HDR4 "A\nbroken line\n", AF_INET, -EBADMSG, 1, 3 },
	{ "an empty line", HDR4 "\nA\n", AF_INET, -EBADMSG, 0, 2 },
};

/* The template with each "A" replaced by line a, "B" by line b (the headers
 * have no upper-case letter). */
static void expand(char *out, size_t size, const char *tmpl, const char *a, const char *b)
{
	size_t n = 0;

	for (const char *p = tmpl; *p && n + 1 < size; p++) {
		const char *put = *p == 'A' ? a : *p == 'B' ? b : NULL;
		size_t k = put ? strlen(put) : 1;

		assert_true(n + k < size);
		memcpy(out + n, put ? put : p, k);
		n += k;
	}
	out[n] = '\0';
}

static void test_file_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(files); i++) {
		const struct file_case *c = &files[i];
		const char *l = c->family == AF_INET ? lines[0].line : lines[3].line;
		char text[2048];
		struct collect col = { .n = 0 };
		unsigned bad = 99;
		int rc;

		expand(text, sizeof(text), c->text, l, lines[1].line);
		rc = rawsock_parse(text, strlen(text), c->family, RAWSOCK_RAW, collect_row, &col, &bad);
		if (rc != c->ret || col.n != c->rows || bad != c->badline)
			fail_msg("%s: returned %d, %zu rows, bad line %u", c->name, rc, col.n, bad);
	}
}

static void test_callback_error_stops(void **state)
{
	char text[1024];
	struct collect col = { .fail_at = 1 };

	(void)state;
	snprintf(text, sizeof(text), HDR4 "%s\n%s\n", lines[0].line, lines[1].line);
	assert_int_equal(rawsock_parse(text, strlen(text), AF_INET, RAWSOCK_RAW, collect_row, &col, NULL), -ECANCELED);
	assert_int_equal(col.n, 1);
}

static void test_read_file(void **state)
{
	char dir[] = "/tmp/cl-rawsock.XXXXXX", path[64], text[1024];
	struct collect col = { .n = 0 };
	unsigned bad = 99;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(text, sizeof(text), HDR6 "%s\n%s\n", lines[3].line, lines[4].line);
	fx_put_file(dir, "raw6", text);
	snprintf(path, sizeof(path), "%s/raw6", dir);
	assert_int_equal(rawsock_read(path, AF_INET6, RAWSOCK_RAW, collect_row, &col, &bad), 0);
	assert_int_equal(col.n, 2);
	assert_int_equal(col.rows[1].protocol, 17);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(rawsock_read(path, AF_INET6, RAWSOCK_RAW, collect_row, &col, &bad), -ENOENT);
	fx_rm_tree(dir);
}

/* rawsock_collect(): both files into the inventory, flagged "interface not
 * known"; no raw6 is no error; a malformed file adds nothing. */
static void test_collect(void **state)
{
	char dir[] = "/tmp/cl-rawsock.XXXXXX", text[1024];
	struct inventory inv;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(text, sizeof(text), HDR4 "%s\n%s\n", lines[0].line, lines[1].line);
	fx_put_file(dir, "raw", text);
	inv_init(&inv);
	assert_int_equal(rawsock_collect(&inv, 2, dir), 0);     /* no raw6: a kernel without IPv6 */
	assert_int_equal(inv.nsocks, 2);
	assert_int_equal(inv.socks[0].proto, PROTO_RAW);
	assert_int_equal(inv.socks[0].port, 255);
	assert_int_equal(inv.socks[0].netns, 2);
	assert_int_equal(inv.socks[0].flags, SOCK_IF_UNKNOWN);
	assert_int_equal(inv.socks[1].inode, 63062);
	snprintf(text, sizeof(text), HDR6 "%s\n", lines[3].line);
	fx_put_file(dir, "raw6", text);
	assert_int_equal(rawsock_collect(&inv, 2, dir), 0);
	assert_int_equal(inv.nsocks, 5);
	assert_int_equal(inv.socks[4].family, AF_INET6);
	assert_int_equal(inv.socks[4].v6only, 1);
	fx_put_file(dir, "raw6", HDR6 "garbage\n");
	assert_int_equal(rawsock_collect(&inv, 2, dir), -EBADMSG);
	assert_int_equal(inv.nsocks, 5);                /* all or nothing */
	inv_free(&inv);
	fx_rm_tree(dir);
}

/* The real file of the test's own namespace parses, whatever it holds. */
static void test_read_live(void **state)
{
	struct collect col = { .n = 0 };
	int rc;

	(void)state;
	rc = rawsock_read("/proc/thread-self/net/raw", AF_INET, RAWSOCK_RAW, collect_row, &col, NULL);
	assert_true(rc == 0 || rc == -E2BIG);
	col.n = 0;
	rc = rawsock_read("/proc/thread-self/net/icmp", AF_INET, RAWSOCK_PING, collect_row, &col, NULL);
	assert_true(rc == 0 || rc == -E2BIG);
}

/* The k-th (from 0) well-formed ping line of the table. */
static const char *ping_line(size_t k)
{
	for (size_t i = 0; i < N(lines); i++)
		if (lines[i].table == RAWSOCK_PING && lines[i].ret == 0 && k-- == 0)
			return lines[i].line;
	fail_msg("no ping line %zu", k);
	return NULL;
}

/* rawsock_collect_ping(): icmp and icmp6 as PROTO_PING sockets whose port is
 * the identifier, interface not known, ICMPv6 ones v6only; the raw file is
 * not read. All or nothing. */
static void test_collect_ping(void **state)
{
	char dir[] = "/tmp/cl-rawsock.XXXXXX", text[1024];
	struct inventory inv;

	(void)state;
	assert_non_null(mkdtemp(dir));
	inv_init(&inv);
	assert_int_equal(rawsock_collect_ping(&inv, 1, dir), -ENOENT);  /* no icmp */
	snprintf(text, sizeof(text), HDR4 "%s\n%s\n", ping_line(0), ping_line(2));
	fx_put_file(dir, "icmp", text);
	snprintf(text, sizeof(text), HDR6 "%s\n", ping_line(1));
	fx_put_file(dir, "icmp6", text);
	fx_put_file(dir, "raw", HDR4 "garbage\n");      /* not read */
	assert_int_equal(rawsock_collect_ping(&inv, 1, dir), 0);
	assert_int_equal(inv.nsocks, 3);
	assert_int_equal(inv.socks[0].proto, PROTO_PING);
	assert_int_equal(inv.socks[0].port, 0x1337);
	assert_int_equal(inv.socks[0].uid, 65534);
	assert_int_equal(inv.socks[0].inode, 39916864);
	assert_int_equal(inv.socks[0].netns, 1);
	assert_int_equal(inv.socks[0].flags, SOCK_IF_UNKNOWN);
	assert_int_equal(inv.socks[0].v6only, -1);
	assert_int_equal(inv.socks[1].port, 65535);
	assert_int_equal(inv.socks[1].addr[0], 127);
	assert_int_equal(inv.socks[2].proto, PROTO_PING);
	assert_int_equal(inv.socks[2].family, AF_INET6);
	assert_int_equal(inv.socks[2].port, 0x1338);
	assert_int_equal(inv.socks[2].v6only, 1);
	fx_put_file(dir, "icmp6", HDR6 "garbage\n");
	assert_int_equal(rawsock_collect_ping(&inv, 1, dir), -EBADMSG);
	assert_int_equal(inv.nsocks, 3);                /* all or nothing */
	inv_free(&inv);
	fx_rm_tree(dir);
}

/* rawsock_ping(): proc_root/thread-self/net and a -vv note naming the
 * source; a file it cannot parse fails with a reason, adding nothing; a
 * kernel without the file is a note. */
static void test_ping_proc_root(void **state)
{
	char root[] = "/tmp/cl-rawsock.XXXXXX", net[256], text[1024], err[256] = "";
	struct inventory inv;

	(void)state;
	assert_non_null(mkdtemp(root));
	inv_init(&inv);
	assert_int_equal(rawsock_ping(&inv, 0, root, err, sizeof(err)), 0);
	assert_int_equal(fx_notes_with(&inv, "ping: this kernel has no ping sockets"), 1);
	assert_int_equal(inv.nsocks, 0);
	fx_put_dir(net, sizeof(net), root, "thread-self");
	fx_put_dir(net, sizeof(net), root, "thread-self/net");
	snprintf(text, sizeof(text), HDR4 "%s\n", ping_line(0));
	fx_put_file(net, "icmp", text);
	assert_int_equal(rawsock_ping(&inv, 0, root, err, sizeof(err)), 0);
	assert_int_equal(inv.nsocks, 1);
	assert_int_equal(fx_notes_with(&inv, "ping: read from /proc/net/icmp and icmp6 (Linux has no sock_diag"), 1);
	fx_put_file(net, "icmp", HDR4 "broken\n");
	assert_int_equal(rawsock_ping(&inv, 0, root, err, sizeof(err)), -EBADMSG);
	assert_non_null(strstr(err, "cannot read the ping sockets from"));
	assert_non_null(strstr(err, "format this plugin does not know"));
	assert_int_equal(inv.nsocks, 1);
	inv_free(&inv);
	fx_rm_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_table),
		cmocka_unit_test(test_line_length_bounds),
		cmocka_unit_test(test_file_table),
		cmocka_unit_test(test_callback_error_stops),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_read_live),
		cmocka_unit_test(test_collect_ping),
		cmocka_unit_test(test_ping_proc_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
