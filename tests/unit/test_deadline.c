/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for deadline: the alarm ends a run that overstays with the chosen
 * state, writing the message set with deadline_message() with the stage
 * between its parts, and deadline_stop() disarms it once the result is
 * written. Each case runs in a child, so an alarm can only end the child. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "deadline.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct alarm_case {
	const char *name;
	enum state state;
	bool stop;              /* call deadline_stop() before overstaying */
	const char *parts[3];   /* the message around the stage */
	size_t nparts;
	int want_exit;          /* the child's exit code */
	const char *want_out;   /* start of what the child printed, "" for nothing */
};

static const struct alarm_case cases[] = {
	{ "overstays", STATE_CRITICAL, false,
	  { "LISTENERS CRITICAL - plugin timed out after 1 s while ", " (raise -t)\n" }, 2, STATE_CRITICAL,
	  "LISTENERS CRITICAL - plugin timed out after 1 s while testing (raise -t)\n" },
	{ "three parts (JSON)", STATE_WARNING, false, { "{\"stage\":\"", "\",\"output\":\"while ", "\"}\n" }, 3,
	  STATE_WARNING, "{\"stage\":\"testing\",\"output\":\"while testing\"}\n" },
	{ "one part", STATE_UNKNOWN, false, { "timed out\n" }, 1, STATE_UNKNOWN, "timed out\n" },
	{ "stopped", STATE_CRITICAL, true, { "x" }, 1, 0, "" },
};

/* Child: arm 1 s, maybe stop, then wait 3 s. No timing is asserted: an armed
 * alarm always fires within the wait, a stopped one never does. */
static void child(int wfd, const struct alarm_case *c)
{
	dup2(wfd, STDOUT_FILENO);
	deadline_message(c->parts, c->nparts);
	deadline_start(1, c->state);
	deadline_stage("testing");
	if (c->stop)
		deadline_stop();
	for (int i = 0; i < 3; i++)
		sleep(1);
	_exit(0);
}

static void test_deadline_alarm(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		const struct alarm_case *c = &cases[i];
		char buf[512] = "";
		int fds[2], status;
		ssize_t n;
		pid_t pid;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			child(fds[1], c);
		close(fds[1]);
		n = read(fds[0], buf, sizeof(buf) - 1);
		close(fds[0]);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), c->want_exit);
		assert_true(n >= 0);
		buf[n] = '\0';
		if (!*c->want_out)
			assert_string_equal(buf, "");
		else
			assert_string_equal(buf, c->want_out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadline_alarm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
