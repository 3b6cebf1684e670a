/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the registry: the built-in table on real IANA rows, the CSV
 * reader on small fixtures, and both compared port by port on the real CSV
 * (env CSV, default the in-tree plugin/registry/service-names-port-numbers.csv).
 * Run from the top of the tree: fixtures are found under tests/fixtures/registry/. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry.h"
#include "registry_csv.h"

#define FIXTURES "tests/fixtures/registry/"
#define DEFAULT_CSV "plugin/registry/service-names-port-numbers.csv"

struct want {
	uint16_t port;
	enum reg_proto proto;
	enum port_class cls;
	enum port_range range;
	const char *service;            /* NULL: none */
	const char *desc;               /* NULL: none */
	const char *why;
};

static void check_str(const char *got, const char *want, const struct want *w)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want) != 0)
		fail_msg("%u/%s (%s): got \"%s\", want \"%s\"", w->port,
			 reg_proto_name(w->proto), w->why, got ? got : "(null)",
			 want ? want : "(null)");
}

static void check_table(const struct registry *r, const struct want *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct port_info pi;

		memset(&pi, 0xa5, sizeof(pi));
		registry_lookup(r, t[i].port, t[i].proto, &pi);
		if (pi.cls != t[i].cls || pi.range != t[i].range)
			fail_msg("%u/%s (%s): class %s range %s, want %s %s", t[i].port,
				 reg_proto_name(t[i].proto), t[i].why,
				 port_class_name(pi.cls), port_range_name(pi.range),
				 port_class_name(t[i].cls), port_range_name(t[i].range));
		check_str(pi.service, t[i].service, &t[i]);
		check_str(pi.description, t[i].desc, &t[i]);
	}
}

/* Real rows of the IANA file (checked against the CSV by hand). */
static const struct want builtin_cases[] = {
	{ 22, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "ssh", "The Secure Shell (SSH) Protocol", "well known" },
	{ 22, REG_SCTP, CLASS_ASSIGNED, RANGE_SYSTEM, "ssh", "SSH", "sctp row of its own" },
	{ 3206, REG_TCP, CLASS_ASSIGNED, RANGE_USER, "ironmail", "IronMail POP Proxy", "user port" },
	{ 27374, REG_TCP, CLASS_UNASSIGNED, RANGE_USER, NULL, "Unassigned", "in 27346-27441 Unassigned" },
	{ 1023, REG_TCP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "Reserved", "reserved" },
	{ 0, REG_UDP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "Reserved", "port 0" },
	{ 49152, REG_TCP, CLASS_DYNAMIC, RANGE_DYNAMIC, NULL, NULL, "first dynamic" },
	{ 65535, REG_UDP, CLASS_DYNAMIC, RANGE_DYNAMIC, NULL, NULL, "last dynamic" },
	{ 49151, REG_TCP, CLASS_RESERVED, RANGE_USER, NULL, "Reserved", "last user port" },
	{ 716, REG_UDP, CLASS_ASSIGNED, RANGE_SYSTEM, "pana", "PANA Messages", "udp only" },
	{ 716, REG_TCP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, NULL, "udp only: tcp not listed" },
	{ 914, REG_UDP, CLASS_ASSIGNED, RANGE_SYSTEM, "rift-lies",
	  "Routing in Fat Trees Link Information Element", "udp only" },
	{ 914, REG_TCP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "Reserved", "udp only: tcp reserved" },
	{ 6010, REG_TCP, CLASS_ASSIGNED, RANGE_USER, "x11", "X Window System", "range 6000-6063" },
	{ 6063, REG_UDP, CLASS_ASSIGNED, RANGE_USER, "x11", "X Window System", "range end" },
	{ 6667, REG_TCP, CLASS_ASSIGNED, RANGE_USER, "ircu", "IRCU", "range, tcp" },
	{ 6667, REG_UDP, CLASS_RESERVED, RANGE_USER, NULL, "Reserved", "range, udp reserved" },
	{ 3323, REG_SCTP, CLASS_ASSIGNED, RANGE_USER, "active-net", "Active Networks",
	  "empty protocol and a range" },
	{ 3325, REG_DCCP, CLASS_ASSIGNED, RANGE_USER, "active-net", "Active Networks",
	  "empty protocol covers dccp" },
	{ 225, REG_SCTP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "Reserved", "empty protocol, reserved" },
	{ 63, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "whoispp",
	  "whois++ IANA assigned this well-formed service name as a...",
	  "multi-line description, first of two names" },
	{ 585, REG_TCP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, "De-registered", "De-registered" },
	{ 659, REG_UDP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, "Removed", "Removed" },
	{ 14001, REG_UDP, CLASS_UNASSIGNED, RANGE_USER, NULL, "De-Registered",
	  "named but de-registered for udp" },
	{ 14001, REG_TCP, CLASS_ASSIGNED, RANGE_USER, "sua", "SUA", "still assigned for tcp" },
	{ 24, REG_TCP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "any private mail system", "private use" },
	{ 4413, REG_TCP, CLASS_ASSIGNED, RANGE_USER, "vision-mon",
	  "FORT\303\211 Vision Monitoring platform", "UTF-8 kept" },
};

static void test_builtin(void **state)
{
	(void)state;
	check_table(registry_builtin(), builtin_cases,
		    sizeof(builtin_cases) / sizeof(builtin_cases[0]));
}

static void test_builtin_snapshot(void **state)
{
	const char *s = registry_snapshot(registry_builtin());

	(void)state;
	assert_non_null(s);
	assert_int_equal(strlen(s), 10);
	assert_true(s[4] == '-' && s[7] == '-');
	assert_true(strcmp(s, "2024-01-01") > 0);
	assert_ptr_equal(registry_builtin(), registry_builtin());
}

/* tests/fixtures/registry/valid.csv: every rule once. */
static const struct want fixture_cases[] = {
	{ 0, REG_TCP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "Reserved", "reserved" },
	{ 0, REG_UDP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, NULL, "tcp only" },
	{ 22, REG_UDP, CLASS_ASSIGNED, RANGE_SYSTEM, "ssh", "The Secure Shell (SSH) Protocol", "merged twin" },
	{ 22, REG_SCTP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, NULL, "not in the twin" },
	{ 100, REG_UDP, CLASS_ASSIGNED, RANGE_SYSTEM, "late", "Listed after the unassigned row",
	  "assigned beats earlier unassigned and later reserved" },
	{ 100, REG_TCP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, "Unassigned", "empty protocol" },
	{ 200, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "first", "Quoted, with \"quotes\" and a second line",
	  "multi-line, first name wins" },
	{ 301, REG_DCCP, CLASS_ASSIGNED, RANGE_SYSTEM, "rng", "A range for every protocol", "range" },
	{ 303, REG_TCP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, NULL, "after the range" },
	{ 400, REG_UDP, CLASS_UNASSIGNED, RANGE_SYSTEM, NULL, "De-registered", "named, de-registered" },
	{ 401, REG_SCTP, CLASS_RESERVED, RANGE_SYSTEM, NULL, "any private thing", "private use" },
	{ 500, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "long",
	  "A description that goes on and on well past sixty bytes...", "cut at a space" },
	{ 501, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "utf",
	  "utf8-no-spaces-Caf\303\251-service-name-Caf\303\251-service-name-Caf...",
	  "cut before a UTF-8 sequence" },
	{ 502, REG_DCCP, CLASS_ASSIGNED, RANGE_SYSTEM, "blankdesc", NULL, "no description" },
	{ 503, REG_TCP, CLASS_ASSIGNED, RANGE_SYSTEM, "ctl", "tabs here and spaces", "control chars" },
	{ 65535, REG_SCTP, CLASS_DYNAMIC, RANGE_DYNAMIC, "tail", "Last line without a line end",
	  "no final line end" },
};

static void test_fixture(void **state)
{
	struct registry *r = NULL;
	char err[256] = "";

	(void)state;
	int rc = registry_load_csv(FIXTURES "valid.csv", NULL, &r, err, sizeof(err));
	if (rc != 0)
		fail_msg("load: %d %s", rc, err);
	check_table(r, fixture_cases, sizeof(fixture_cases) / sizeof(fixture_cases[0]));
	/* the newest date, even of a row without a port; "2040-13" is no date */
	assert_string_equal(registry_snapshot(r), "2031-05-05");
	registry_free(r);
}

static const struct {
	const char *file;
	const char *where;              /* expected start of err */
} malformed[] = {
	{ "unterminated.csv", FIXTURES "unterminated.csv:3: unterminated" },
	{ "bad_port.csv", FIXTURES "bad_port.csv:5: bad port number" },
	{ "bad_range.csv", FIXTURES "bad_range.csv:2: bad port range" },
	{ "missing_columns.csv", FIXTURES "missing_columns.csv:3: 4 fields, expected 12" },
	{ "bad_proto.csv", FIXTURES "bad_proto.csv:3: unknown transport protocol" },
	{ "quote_in_field.csv", FIXTURES "quote_in_field.csv:2: quote inside" },
	{ "after_quote.csv", FIXTURES "after_quote.csv:2: character after closing quote" },
	{ "bad_header.csv", FIXTURES "bad_header.csv:1: not an IANA" },
	{ "port_garbage.csv", FIXTURES "port_garbage.csv:2: bad port number" },
};

static void test_malformed_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		char path[256], err[256] = "";
		struct registry *r = NULL;

		snprintf(path, sizeof(path), FIXTURES "%s", malformed[i].file);
		int rc = registry_load_csv(path, NULL, &r, err, sizeof(err));
		if (rc != -EINVAL || r != NULL ||
		    strncmp(err, malformed[i].where, strlen(malformed[i].where)) != 0)
			fail_msg("%s: rc %d err \"%s\", want -EINVAL \"%s...\"",
				 malformed[i].file, rc, err, malformed[i].where);
	}
}

#define HDR "Service Name,Port Number,Transport Protocol,Description,Registration Date\n"
#define WITH_NUL HDR "a,1,tcp,x,2020-01-01\nb,2,tcp,y\0z,\n"

/* Builds HDR + a row whose description is dlen bytes of 'x', + tail. */
static char *long_row(size_t dlen, const char *tail, size_t *len)
{
	size_t h = strlen(HDR), pre = strlen("a,1,tcp,"), t = strlen(tail);
	size_t n = h + pre + dlen + 2 + t;
	char *buf = malloc(n + 1);

	assert_non_null(buf);
	memcpy(buf, HDR "a,1,tcp,", h + pre);
	memset(buf + h + pre, 'x', dlen);
	memcpy(buf + h + pre + dlen, ",\n", 2);
	memcpy(buf + h + pre + dlen + 2, tail, t + 1);
	*len = n;
	return buf;
}

static const struct {
	const char *text;
	size_t len;                     /* 0: strlen(text) */
	int rc;
	const char *err;                /* expected err, or NULL */
} memory_cases[] = {
	{ "", 0, -EINVAL, "mem: empty file, no header" },
	{ HDR, 0, 0, NULL },
	{ HDR "\n\r\n", 0, 0, NULL },
	{ WITH_NUL, sizeof(WITH_NUL) - 1, -EINVAL, "mem:3: NUL byte" },
	{ HDR "a,-1,tcp,x,\n", 0, -EINVAL, "mem:2: bad port number" },
	{ HDR "a,1-,tcp,x,\n", 0, -EINVAL, "mem:2: bad port number" },
	{ HDR "a,65536,tcp,x,\n", 0, -EINVAL, "mem:2: bad port number" },
	{ HDR "a,000022,tcp,x,\n", 0, -EINVAL, "mem:2: bad port number" },
	{ HDR "a,1,TCP,x,\n", 0, -EINVAL, "mem:2: unknown transport protocol" },
	{ HDR "a,1,tcp,x,,\n", 0, -EINVAL, "mem:2: 6 fields, expected 5" },
	{ HDR "a,1,tcp,\"x\n\ny\n", 0, -EINVAL, "mem:2: unterminated quoted field" },
	{ HDR "\"a\"\"\",1,tcp,\"x\r\ny\",\r\nb,2", 0, -EINVAL, "mem:4: 2 fields, expected 5" },
	{ HDR "a,1,tcp,x,\r", 0, 0, NULL },
};

static void test_malformed_memory(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(memory_cases) / sizeof(memory_cases[0]); i++) {
		const char *text = memory_cases[i].text;
		size_t len = memory_cases[i].len ? memory_cases[i].len : strlen(text);
		struct registry *r = NULL;
		char err[256] = "";

		int rc = registry_parse_csv(text, len, "mem", &r, err, sizeof(err));
		if (rc != memory_cases[i].rc ||
		    (memory_cases[i].err && strcmp(err, memory_cases[i].err) != 0))
			fail_msg("case %zu: rc %d err \"%s\", want %d \"%s\"", i, rc, err,
				 memory_cases[i].rc, memory_cases[i].err ? memory_cases[i].err : "");
		assert_true(rc == 0 ? r != NULL : r == NULL);
		registry_free(r);
	}
}

/* A line may hold 64 KiB, not one byte more; the limit is per line, so a
 * long line before it does not count. */
static void test_line_limit(void **state)
{
	static const struct {
		size_t line_len;
		int rc;
	} cases[] = {
		{ 65536, 0 }, { 65537, -EINVAL }, { 200000, -EINVAL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len, dlen = cases[i].line_len - strlen("a,1,tcp,,");
		char *buf = long_row(dlen, "b,2,udp,y,\n", &len);
		struct registry *r = NULL;
		char err[256] = "";

		int rc = registry_parse_csv(buf, len, "big", &r, err, sizeof(err));
		if (rc != cases[i].rc || (rc && strcmp(err, "big:2: line longer than 64 KiB") != 0))
			fail_msg("line of %zu: rc %d err \"%s\"", cases[i].line_len, rc, err);
		registry_free(r);
		free(buf);
	}
}

static void test_load_errors(void **state)
{
	struct registry *r = NULL;
	char err[256] = "";

	(void)state;
	assert_int_equal(registry_load_csv(FIXTURES "no-such-file.csv", NULL, &r, err, sizeof(err)), -ENOENT);
	assert_null(r);
	assert_string_equal(err, FIXTURES "no-such-file.csv: cannot open: No such file or directory");
	assert_int_equal(registry_load_csv(FIXTURES, NULL, &r, err, sizeof(err)), -EINVAL);
	/* no err buffer is fine */
	assert_int_equal(registry_load_csv(FIXTURES "bad_port.csv", NULL, &r, NULL, 0), -EINVAL);
	registry_free(NULL);
	registry_free((struct registry *)registry_builtin());
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The awk generator and the C reader, written apart, agree everywhere. */
static void test_round_trip(void **state)
{
	const char *csv = getenv("CSV");
	const struct registry *b = registry_builtin();
	struct registry *r = NULL;
	char err[512] = "";
	unsigned long diffs = 0, assigned = 0;

	(void)state;
	if (!csv || !*csv)
		csv = DEFAULT_CSV;
	int rc = registry_load_csv(csv, NULL, &r, err, sizeof(err));
	if (rc != 0)
		fail_msg("cannot load the IANA CSV (set CSV=path): %s", err);
	assert_string_equal(registry_snapshot(r), registry_snapshot(b));
	for (unsigned p = 0; p < REG_NPROTO; p++) {
		for (unsigned port = 0; port < 65536; port++) {
			struct port_info x, y;

			registry_lookup(b, (uint16_t)port, (enum reg_proto)p, &x);
			registry_lookup(r, (uint16_t)port, (enum reg_proto)p, &y);
			assigned += x.cls == CLASS_ASSIGNED;
			if (x.cls == y.cls && x.range == y.range && same_str(x.service, y.service) &&
			    same_str(x.description, y.description))
				continue;
			if (diffs++ < 10)
				print_error("%u/%s: built-in %s %s, CSV %s %s\n", port,
					    reg_proto_name(p), port_class_name(x.cls),
					    x.service ? x.service : "-", port_class_name(y.cls),
					    y.service ? y.service : "-");
		}
	}
	registry_free(r);
	assert_int_equal(diffs, 0);
	assert_true(assigned > 10000);         /* the table is not empty */
}

static const struct {
	const char *name;
	int proto;
} proto_cases[] = {
	{ "tcp", REG_TCP }, { "udp", REG_UDP }, { "udplite", REG_UDP },
	{ "sctp", REG_SCTP }, { "dccp", REG_DCCP }, { "TCP", -1 }, { "", -1 }, { "icmp", -1 },
};

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(proto_cases) / sizeof(proto_cases[0]); i++)
		if (reg_proto_from_name(proto_cases[i].name) != proto_cases[i].proto)
			fail_msg("reg_proto_from_name(\"%s\")", proto_cases[i].name);
	assert_int_equal(reg_proto_from_name(NULL), -1);
	assert_string_equal(reg_proto_name(REG_TCP), "tcp");
	assert_string_equal(reg_proto_name(REG_DCCP), "dccp");
	assert_string_equal(reg_proto_name(REG_NPROTO), "?");
	assert_string_equal(port_class_name(CLASS_ASSIGNED), "assigned");
	assert_string_equal(port_class_name(CLASS_UNASSIGNED), "unassigned");
	assert_string_equal(port_class_name(CLASS_RESERVED), "reserved");
	assert_string_equal(port_class_name(CLASS_DYNAMIC), "dynamic");
	assert_string_equal(port_class_name(CLASS_COUNT), "?");
	assert_string_equal(port_range_name(RANGE_SYSTEM), "system");
	assert_string_equal(port_range_name(RANGE_USER), "user");
	assert_string_equal(port_range_name(RANGE_DYNAMIC), "dynamic");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_builtin_snapshot),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_malformed_memory),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
