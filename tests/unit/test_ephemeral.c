/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the ephemeral module: the sysctl parsers on tables of texts,
 * the reader on a fake proc tree, and the classification. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ephemeral.h"

static const struct {
	const char *text;
	int rc;
	uint16_t lo, hi;
} range_cases[] = {
	{ "32768\t60999\n", 0, 32768, 60999 },
	{ "32768\t60999", 0, 32768, 60999 },
	{ "1024 65535\n", 0, 1024, 65535 },
	{ "40000\t40000\n", 0, 40000, 40000 },
	{ "0\t0\n", 0, 0, 0 },
	{ "60999\t32768\n", -EINVAL, 0, 0 },           /* lo > hi */
	{ "32768\t65536\n", -EINVAL, 0, 0 },           /* out of range */
	{ "32768\t99999999999999999999\n", -EINVAL, 0, 0 },
	{ "32768\n", -EINVAL, 0, 0 },
	{ "32768\t60999\t1\n", -EINVAL, 0, 0 },
	{ "32768\t60999\n\n", -EINVAL, 0, 0 },
	{ "-1\t60999\n", -EINVAL, 0, 0 },
	{ "+1\t60999\n", -EINVAL, 0, 0 },
	{ " 32768\t60999\n", -EINVAL, 0, 0 },
	{ "32768\t60999x\n", -EINVAL, 0, 0 },
	{ "32768,60999\n", -EINVAL, 0, 0 },
	{ "", -EINVAL, 0, 0 },
	{ "\n", -EINVAL, 0, 0 },
};

static void test_parse_range(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(range_cases) / sizeof(range_cases[0]); i++) {
		uint16_t lo = 7, hi = 7;
		int rc = ephemeral_parse_range(range_cases[i].text, &lo, &hi);

		if (rc != range_cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", range_cases[i].text, rc, range_cases[i].rc);
		if (rc == 0 && (lo != range_cases[i].lo || hi != range_cases[i].hi))
			fail_msg("\"%s\": %u-%u", range_cases[i].text, lo, hi);
		if (rc != 0 && (lo != 7 || hi != 7))
			fail_msg("\"%s\": outputs changed on error", range_cases[i].text);
	}
	assert_int_equal(ephemeral_parse_range(NULL, &(uint16_t){ 0 }, &(uint16_t){ 0 }), -EINVAL);
}

static const struct {
	const char *text;
	int rc;
	size_t n;
	struct port_span spans[3];
} reserved_cases[] = {
	{ "\n", 0, 0, { { 0, 0 } } },
	{ "", 0, 0, { { 0, 0 } } },
	{ "8080\n", 0, 1, { { 8080, 8080 } } },
	{ "8080,9000-9010\n", 0, 2, { { 8080, 8080 }, { 9000, 9010 } } },
	{ "0,1-2,65535", 0, 3, { { 0, 0 }, { 1, 2 }, { 65535, 65535 } } },
	{ "9010-9000\n", -EINVAL, 0, { { 0, 0 } } },
	{ "8080,\n", -EINVAL, 0, { { 0, 0 } } },
	{ ",8080\n", -EINVAL, 0, { { 0, 0 } } },
	{ "8080,,9000\n", -EINVAL, 0, { { 0, 0 } } },
	{ "8080 9000\n", -EINVAL, 0, { { 0, 0 } } },
	{ "70000\n", -EINVAL, 0, { { 0, 0 } } },
	{ "1-\n", -EINVAL, 0, { { 0, 0 } } },
	{ "1-2-3\n", -EINVAL, 0, { { 0, 0 } } },
	{ "abc\n", -EINVAL, 0, { { 0, 0 } } },
	{ "8080\n\n", -EINVAL, 0, { { 0, 0 } } },
};

static void test_parse_reserved(void **state)
{
	static struct port_span sentinel;

	(void)state;
	for (size_t i = 0; i < sizeof(reserved_cases) / sizeof(reserved_cases[0]); i++) {
		struct port_span *sp = &sentinel;       /* must be replaced */
		size_t n = 99;
		int rc = ephemeral_parse_reserved(reserved_cases[i].text, &sp, &n);

		if (rc != reserved_cases[i].rc)
			fail_msg("\"%s\": rc %d, want %d", reserved_cases[i].text, rc,
				 reserved_cases[i].rc);
		if (sp == &sentinel || (rc != 0 && (sp != NULL || n != 0)))
			fail_msg("\"%s\": outputs not cleared on error", reserved_cases[i].text);
		if (rc == 0 && n != reserved_cases[i].n)
			fail_msg("\"%s\": %zu spans, want %zu", reserved_cases[i].text, n,
				 reserved_cases[i].n);
		for (size_t k = 0; rc == 0 && k < n; k++)
			if (sp[k].lo != reserved_cases[i].spans[k].lo ||
			    sp[k].hi != reserved_cases[i].spans[k].hi)
				fail_msg("\"%s\": span %zu is %u-%u", reserved_cases[i].text, k,
					 sp[k].lo, sp[k].hi);
		free(sp);
	}
}

/* A fake proc tree: dir/sys/net/ipv4/{ip_local_port_range,ip_local_reserved_ports}. */
static void fake_proc(char *dir, const char *range, const char *reserved)
{
	char path[512];
	static const char *const files[] = { "ip_local_port_range", "ip_local_reserved_ports" };
	const char *text[] = { range, reserved };

	strcpy(dir, "/tmp/test_ephemeral.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sys", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sys/net", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sys/net/ipv4", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	for (int i = 0; i < 2; i++) {
		if (!text[i])
			continue;
		snprintf(path, sizeof(path), "%s/sys/net/ipv4/%s", dir, files[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		assert_int_equal(fputs(text[i], f) >= 0, 1);
		assert_int_equal(fclose(f), 0);
	}
}

static void rm_proc(const char *dir)
{
	static const char *const tail[] = {
		"/sys/net/ipv4/ip_local_port_range", "/sys/net/ipv4/ip_local_reserved_ports",
		"/sys/net/ipv4", "/sys/net", "/sys", "",
	};
	char path[512];

	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, tail[i]);
		(void)remove(path);
	}
}

static const struct {
	const char *range, *reserved;   /* NULL: file missing */
	uint16_t lo, hi;
	size_t nreserved;
} read_cases[] = {
	{ "32768\t60999\n", "8080,9000-9010\n", 32768, 60999, 2 },
	{ "32768\t60999\n", "\n", 32768, 60999, 0 },
	{ NULL, NULL, 0, 0, 0 },
	{ "garbage\n", "8080\n", 0, 0, 1 },
	{ "1024\t2048\n", "bad,\n", 1024, 2048, 0 },
};

static void test_read(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		char dir[64];
		struct netns ns = { .label = "test", .eph_lo = 5, .eph_hi = 6 };

		fake_proc(dir, read_cases[i].range, read_cases[i].reserved);
		/* twice: the second read replaces the first without leaking */
		assert_int_equal(ephemeral_read(dir, &ns), 0);
		assert_int_equal(ephemeral_read(dir, &ns), 0);
		rm_proc(dir);
		if (ns.eph_lo != read_cases[i].lo || ns.eph_hi != read_cases[i].hi ||
		    ns.nreserved != read_cases[i].nreserved)
			fail_msg("case %zu: %u-%u, %zu reserved", i, ns.eph_lo, ns.eph_hi,
				 ns.nreserved);
		assert_true(ns.nreserved ? ns.reserved != NULL : ns.reserved == NULL);
		free(ns.reserved);
	}
}

/* The real /proc, when there is one: it must parse. */
static void test_read_proc(void **state)
{
	struct netns ns = { .label = "host" };

	(void)state;
	if (access("/proc/sys/net/ipv4/ip_local_port_range", R_OK) != 0)
		skip();
	assert_int_equal(ephemeral_read("/proc", &ns), 0);
	assert_true(ns.eph_lo > 0 && ns.eph_lo <= ns.eph_hi);
	free(ns.reserved);
}

static void test_classify(void **state)
{
	struct port_span spans[] = { { 40000, 40000 }, { 50000, 50010 }, { 80, 80 } };
	struct netns ns = { .label = "t", .eph_lo = 32768, .eph_hi = 60999,
			    .reserved = spans, .nreserved = 3 };
	struct netns unknown = { .label = "u" };
	static const struct {
		int which;              /* 0: ns, 1: unknown */
		uint16_t port;
		enum port_range range;
		bool ephemeral, local_reserved;
	} cases[] = {
		{ 0, 22, RANGE_SYSTEM, false, false },
		{ 0, 80, RANGE_SYSTEM, false, true },
		{ 0, 32767, RANGE_USER, false, false },
		{ 0, 32768, RANGE_USER, true, false },
		{ 0, 40000, RANGE_USER, false, true },
		{ 0, 40001, RANGE_USER, true, false },
		{ 0, 49152, RANGE_DYNAMIC, true, false },
		{ 0, 50005, RANGE_DYNAMIC, false, true },
		{ 0, 60999, RANGE_DYNAMIC, true, false },
		{ 0, 61000, RANGE_DYNAMIC, false, false },
		{ 0, 1023, RANGE_SYSTEM, false, false },
		{ 0, 1024, RANGE_USER, false, false },
		{ 1, 40000, RANGE_USER, false, false },
		{ 1, 0, RANGE_SYSTEM, false, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct port_info pi = { .cls = CLASS_RESERVED, .service = "keep" };

		ephemeral_classify(cases[i].which ? &unknown : &ns, cases[i].port, &pi);
		if (pi.range != cases[i].range || pi.ephemeral != cases[i].ephemeral ||
		    pi.local_reserved != cases[i].local_reserved)
			fail_msg("port %u: range %d ephemeral %d reserved %d", cases[i].port,
				 pi.range, pi.ephemeral, pi.local_reserved);
		/* the registry's fields are left alone */
		assert_int_equal(pi.cls, CLASS_RESERVED);
		assert_string_equal(pi.service, "keep");
	}
}

/* A namespace's own range is narrowed to the host's: its owner may widen it. */
static void test_clamp(void **state)
{
	static const struct {
		uint16_t host_lo, host_hi, lo, hi, want_lo, want_hi;
	} cases[] = {
		{ 32768, 60999, 32768, 60999, 32768, 60999 },   /* the same */
		{ 32768, 60999, 1024, 65000, 32768, 60999 },    /* widened by its owner */
		{ 32768, 60999, 40000, 40100, 40000, 40100 },   /* narrowed: kept */
		{ 32768, 60999, 20000, 40000, 32768, 40000 },   /* overlap below */
		{ 32768, 60999, 1024, 2000, 0, 0 },             /* no overlap: nothing */
		{ 0, 0, 32768, 60999, 0, 0 },                   /* host range unknown */
		{ 32768, 60999, 0, 0, 0, 0 },                   /* own range unknown */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netns host = { .label = "host", .eph_lo = cases[i].host_lo, .eph_hi = cases[i].host_hi };
		struct netns ns = { .label = "x", .eph_lo = cases[i].lo, .eph_hi = cases[i].hi };

		ephemeral_clamp(&ns, &host);
		if (ns.eph_lo != cases[i].want_lo || ns.eph_hi != cases[i].want_hi)
			fail_msg("case %zu: %u-%u, want %u-%u", i, ns.eph_lo, ns.eph_hi,
				 cases[i].want_lo, cases[i].want_hi);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_range),
		cmocka_unit_test(test_parse_reserved),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_proc),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
