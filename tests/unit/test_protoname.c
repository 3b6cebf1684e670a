/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for protoname: ETH_P and IP protocol names and numbers, both
 * ways, and the hex parser they share with rawsock. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "protoname.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct name_case {
	const char *s;
	int want;
};

static void test_eth_names(void **state)
{
	static const struct name_case parse[] = {
		{ "all", 3 }, { "ip", 0x0800 }, { "arp", 0x0806 }, { "ipv6", 0x86dd }, { "lldp", 0x88cc },
		{ "3", 3 }, { "2048", 0x0800 }, { "0x88cc", 0x88cc }, { "0X88CC", 0x88cc }, { "0x0", 0 },
		{ "65535", 65535 }, { "0xffff", 65535 },
		{ "65536", -1 }, { "0x10000", -1 }, { "0x", -1 }, { "0xg", -1 }, { "ALL", -1 },
		{ "-1", -1 }, { "", -1 }, { " 3", -1 }, { "eth", -1 },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < N(parse); i++)
		if (eth_proto_parse(parse[i].s) != parse[i].want)
			fail_msg("eth_proto_parse(\"%s\") = %d, expected %d", parse[i].s,
				eth_proto_parse(parse[i].s), parse[i].want);
	assert_int_equal(eth_proto_parse(NULL), -1);
	assert_string_equal(eth_proto_format(3, buf, sizeof(buf)), "all");
	assert_string_equal(eth_proto_format(0x88b5, buf, sizeof(buf)), "0x88b5");
	assert_string_equal(eth_proto_format(0, buf, sizeof(buf)), "0x0000");
	assert_null(eth_proto_name(0x1234));
	/* every name reads back as its number */
	for (unsigned v = 0; v <= 0xffff; v++) {
		const char *n = eth_proto_name((uint16_t)v);

		if (n && eth_proto_parse(n) != (int)v)
			fail_msg("%s does not read back as 0x%04x", n, v);
	}
}

static void test_ip_names(void **state)
{
	static const struct { const char *s; int want; } parse[] = {
		{ "icmp", 1 }, { "udp", 17 }, { "raw", 255 }, { "ipv6-icmp", 58 }, { "icmpv6", 58 },
		{ "vrrp", 112 }, { "ip", 0 }, { "0", 0 }, { "255", 255 }, { "112", 112 },
		{ "256", -1 }, { "-1", -1 }, { "", -1 }, { "ICMP", -1 }, { "0x11", -1 }, { "17 ", -1 },
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < N(parse); i++)
		if (ip_proto_parse(parse[i].s) != parse[i].want)
			fail_msg("ip_proto_parse(\"%s\") = %d, expected %d", parse[i].s,
				ip_proto_parse(parse[i].s), parse[i].want);
	assert_int_equal(ip_proto_parse(NULL), -1);
	for (unsigned v = 0; v < 256; v++) {
		const char *n = ip_proto_name((uint8_t)v);

		if (n && ip_proto_parse(n) != (int)v)
			fail_msg("%s does not read back as %u", n, v);
	}
	assert_string_equal(ip_proto_format(1, buf, sizeof(buf)), "icmp");
	assert_string_equal(ip_proto_format(58, buf, sizeof(buf)), "ipv6-icmp");     /* not its alias */
	assert_string_equal(ip_proto_format(253, buf, sizeof(buf)), "253");
}

static void test_hex(void **state)
{
	static const struct { const char *s; size_t n; int ret; uint32_t want; } cases[] = {
		{ "0", 1, 0, 0 }, { "ff", 2, 0, 255 }, { "FFFFFFFF", 8, 0, UINT32_MAX },
		{ "0100007F", 8, 0, 0x0100007f }, { "123456789", 9, -EINVAL, 0 }, { "", 0, -EINVAL, 0 },
		{ "g", 1, -EINVAL, 0 }, { " 1", 2, -EINVAL, 0 }, { "1x", 2, -EINVAL, 0 }, { "12", 1, 0, 1 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		uint32_t v = 77;
		int rc = parse_hex_u32(cases[i].s, cases[i].n, &v);

		if (rc != cases[i].ret || (rc == 0 && v != cases[i].want) || (rc != 0 && v != 77))
			fail_msg("parse_hex_u32(\"%s\", %zu) = %d, %u", cases[i].s, cases[i].n, rc, v);
	}
	assert_int_equal(parse_hex_u32(NULL, 1, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_names),
		cmocka_unit_test(test_ip_names),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
