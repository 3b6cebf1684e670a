/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for the known-abuse port table (abuse_data.c, generated) and its lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "abuse.h"

/* The ports issue 15 names, each with the word that must be in its reason. */
static const struct {
	uint16_t port;
	enum reg_proto proto;
	const char *word;
} listed[] = {
	{ 4444, REG_TCP, "Metasploit" }, { 31337, REG_TCP, "Back Orifice" },
	{ 31337, REG_UDP, "Back Orifice" }, { 12345, REG_TCP, "NetBus" }, { 12346, REG_TCP, "NetBus" },
	{ 2375, REG_TCP, "Docker" }, { 9001, REG_TCP, "Tor" }, { 9030, REG_TCP, "Tor" },
	{ 1337, REG_TCP, "leet" },
};

static void test_listed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++) {
		const struct abuse_entry *e = abuse_lookup(listed[i].port, listed[i].proto);

		if (!e)
			fail_msg("%u/%s is not listed", listed[i].port, reg_proto_name(listed[i].proto));
		assert_int_equal(e->port, listed[i].port);
		assert_int_equal(e->proto, listed[i].proto);
		assert_non_null(strstr(e->reason, listed[i].word));
		assert_true(strlen(e->source) > 5);
	}
}

static void test_not_listed(void **state)
{
	static const struct { uint16_t port; enum reg_proto proto; } no[] = {
		{ 22, REG_TCP }, { 4444, REG_UDP }, { 4445, REG_TCP }, { 0, REG_TCP }, { 65535, REG_SCTP },
		{ 12345, REG_SCTP }, { 1336, REG_TCP },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (abuse_lookup(no[i].port, no[i].proto))
			fail_msg("%u/%s is listed", no[i].port, reg_proto_name(no[i].proto));
}

/* Sorted without duplicates (the generator checks; so does this), every
 * field filled: abuse_find() relies on the order. */
static void test_table_shape(void **state)
{
	(void)state;
	assert_true(abuse_data_n >= 9);
	for (size_t i = 0; i < abuse_data_n; i++) {
		const struct abuse_entry *e = &abuse_data[i];

		assert_true(e->port > 0);
		assert_true(e->proto < REG_NPROTO);
		assert_true(e->reason[0] && e->source[0]);
		if (i > 0)
			assert_true(abuse_data[i - 1].port < e->port ||
					(abuse_data[i - 1].port == e->port && abuse_data[i - 1].proto < e->proto));
		assert_ptr_equal(abuse_lookup(e->port, (enum reg_proto)e->proto), e);
	}
}

static void test_find_small_tables(void **state)
{
	static const struct abuse_entry t[] = {
		{ 10, REG_TCP, "a", "s" }, { 10, REG_UDP, "b", "s" }, { 20, REG_SCTP, "c", "s" },
	};

	(void)state;
	assert_null(abuse_find(NULL, 0, 10, REG_TCP));
	assert_null(abuse_find(t, 0, 10, REG_TCP));
	assert_ptr_equal(abuse_find(t, 3, 10, REG_TCP), &t[0]);
	assert_ptr_equal(abuse_find(t, 3, 10, REG_UDP), &t[1]);
	assert_ptr_equal(abuse_find(t, 3, 20, REG_SCTP), &t[2]);
	assert_null(abuse_find(t, 3, 20, REG_TCP));
	assert_null(abuse_find(t, 3, 5, REG_TCP));
	assert_null(abuse_find(t, 3, 30, REG_TCP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_listed),
		cmocka_unit_test(test_not_listed),
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_find_small_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
