/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for vsock: the AF_VSOCK line of /proc/net/protocols, and the
 * note that says vsock listeners are not checked. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "vsock.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HDR "protocol  size sockets  memory press maxhdr  slab module     cl co di ac io in de sh ss gs se re bi br ha uh gp em\n"
#define VSOCK "AF_VSOCK  1240      0      -1   NI       0   yes  kernel      y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n\n"
#define PING "PING      1016      0      -1   NI       0   yes  kernel      y  y  y  n  n  y  n  n  y  y  y  y  y  y  n  y  y  n\n"

static const struct {
	const char *name, *text;
	bool want;
} cases[] = {
	{ "Linux 6.18 with vsock built in", HDR VSOCK PING, true },
	{ "vsock last, no final newline", HDR PING "AF_VSOCK  1240      0", true },
	{ "no vsock", HDR PING, false },
	{ "empty", "", false },
	{ "a name that only starts alike", HDR "AF_VSOCKX 1 0\n", false },
	{ "AF_VSOCK inside a line is not a line", HDR "PING AF_VSOCK 1\n", false },
	{ "the name alone, no column", "AF_VSOCK", false },
};

static void test_in_protocols(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		if (vsock_in_protocols(cases[i].text, strlen(cases[i].text)) != cases[i].want)
			fail_msg("%s: expected %d", cases[i].name, cases[i].want);
}

/* Only the given length is read. */
static void test_length_bound(void **state)
{
	const char *t = HDR VSOCK;

	(void)state;
	assert_true(vsock_in_protocols(t, strlen(t)));
	assert_false(vsock_in_protocols(t, strlen(HDR) + 4));
}

/* proc_root/thread-self/net/protocols: a note when vsock is there, none when
 * not, and one saying it is not known when the file cannot be read. */
static void test_note(void **state)
{
	char root[] = "/tmp/cl-vsock.XXXXXX", net[256];
	struct inventory inv;

	(void)state;
	assert_non_null(mkdtemp(root));
	inv_init(&inv);
	assert_int_equal(vsock_note(&inv, root), 0);
	assert_int_equal(fx_notes_with(&inv, "vsock: /proc/net/protocols unreadable"), 1);
	fx_put_dir(net, sizeof(net), root, "thread-self");
	fx_put_dir(net, sizeof(net), root, "thread-self/net");
	fx_put_file(net, "protocols", HDR PING);
	assert_int_equal(vsock_note(&inv, root), 0);
	assert_int_equal(inv.nnotes, 1);
	fx_put_file(net, "protocols", HDR VSOCK PING);
	assert_int_equal(vsock_note(&inv, root), 0);
	assert_int_equal(vsock_note(&inv, root), 0);    /* once per run, not per namespace */
	assert_int_equal(fx_notes_with(&inv, "vsock: this kernel has AF_VSOCK sockets"), 1);
	assert_int_equal(inv.nsocks, 0);
	inv_free(&inv);
	fx_rm_tree(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_protocols),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
