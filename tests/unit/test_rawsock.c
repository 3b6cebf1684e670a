/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for rawsock: lines and files of /proc/net/raw and raw6 (as this
 * kernel writes them, and malformed). */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
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
	uint8_t protocol, state;
	uint32_t uid, inode;
};

/* The little-endian words are what this (x86, arm64) test machine prints. */
static const struct line_case lines[] = {
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 00000000e24bd79e 0",
	  AF_INET, 0, "0.0.0.0", 255, 7, 0, 63058 },
	{ " 236: 0100007F:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000   104        0 63062 2 0000000000000000 0",
	  AF_INET, 0, "127.0.0.1", 1, 7, 104, 63062 },
	{ " 208: 0100007f:0011 0200000A:0000 01 00000000:00000000 00:00000000 00000000 65534        0 4294967295 2 0 0",
	  AF_INET, 0, "127.0.0.1", 17, 1, 65534, 4294967295u },
	{ "  181: " ZERO6 ":003A " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 63059 2 0000000093090403 0",
	  AF_INET6, 0, "::", 58, 7, 0, 63059 },
	{ "   12: 00000000000000000000000001000000:0011 " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000  1000        0 7 2 0 0",
	  AF_INET6, 0, "::1", 17, 7, 1000, 7 },
	{ "    1: 000080FE00000000FF005452120000FE:00FF " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 9 2 0 0",
	  AF_INET6, 0, "fe80::5254:ff:fe00:12", 255, 7, 0, 9 },
	/* malformed */
	{ "", AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "garbage", AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0", /* no inode */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 0000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* 7 digits */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 0000000G:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:0100 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* protocol 256 */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000    -1        0 1 2 0 0", /* uid -1 */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000 4294967296 0 1 2 0 0", /* uid > 32 bits */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12x 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 7 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* state 1 digit */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0", /* no colon after sl */
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000-00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	/* a v6 line read as v4 and the other way round */
	{ "  181: " ZERO6 ":003A " ZERO6 ":0000 07 00000000:00000000 00:00000000 00000000     0        0 63059 2 0 0",
	  AF_INET, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 0 0",
	  AF_INET6, -EINVAL, NULL, 0, 0, 0, 0 },
	{ "  49: 00000000:00FF 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 63058 2 0 0",
	  AF_UNIX, -EINVAL, NULL, 0, 0, 0, 0 },
};

static void test_line_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(lines); i++) {
		const struct line_case *c = &lines[i];
		struct raw_row r;
		uint8_t want[16] = { 0 };
		int rc = rawsock_parse_line(c->line, strlen(c->line), c->family, &r);

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
	assert_int_equal(rawsock_parse_line(l, strlen(l), AF_INET, &r), 0);
	/* cut inside the inode column: still a number, but a different one */
	assert_int_equal(rawsock_parse_line(l, (size_t)(ino - l) + 4, AF_INET, &r), 0);
	assert_int_equal(r.inode, 6305);
	/* cut before the inode */
	assert_int_equal(rawsock_parse_line(l, (size_t)(ino - l), AF_INET, &r), -EINVAL);
	assert_int_equal(rawsock_parse_line(NULL, 0, AF_INET, &r), -EINVAL);
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
		rc = rawsock_parse(text, strlen(text), c->family, collect_row, &col, &bad);
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
	assert_int_equal(rawsock_parse(text, strlen(text), AF_INET, collect_row, &col, NULL), -ECANCELED);
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
	assert_int_equal(rawsock_read(path, AF_INET6, collect_row, &col, &bad), 0);
	assert_int_equal(col.n, 2);
	assert_int_equal(col.rows[1].protocol, 17);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(rawsock_read(path, AF_INET6, collect_row, &col, &bad), -ENOENT);
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
	rc = rawsock_read("/proc/thread-self/net/raw", AF_INET, collect_row, &col, NULL);
	assert_true(rc == 0 || rc == -E2BIG);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
