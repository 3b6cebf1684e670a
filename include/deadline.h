/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deadline: the plugin's own timeout (-t SECONDS[:STATE]) and the clock of
 * its stages (-vvv).
 *
 * A stage name is kept up to date; when time runs out a SIGALRM handler
 * writes the message set with deadline_message(), the running stage's name
 * between its parts, with write(2), and leaves with _exit(). The message is
 * rendered before the timer is armed (text or JSON), so that the handler only
 * copies bytes. Work that can stop early by itself (the /proc scan) is given
 * deadline_work_end() and returns partial results instead.
 */
#ifndef CHECK_LISTENERS_DEADLINE_H
#define CHECK_LISTENERS_DEADLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "state.h"

#define DEADLINE_MAX_STAGES 16

struct deadline_stage_time {
	const char *name;               /* as given to deadline_stage() */
	struct timespec start;          /* CLOCK_MONOTONIC */
};

/* Arms the timer: seconds (> 0) from now, exit code state on expiry. */
void deadline_start(unsigned seconds, enum state state);
/* Disarms the timer once the result is written: a SIGALRM that arrived while
 * the process exits (slow teardown, a sanitizer's leak check) would print a
 * second, contradicting result and change the exit code. */
void deadline_stop(void);
/* The timeout message: parts[0], the stage, parts[1], the stage, ...,
 * parts[n - 1]. The parts must live until exit. */
void deadline_message(const char *const *parts, size_t n);
/* Names the running stage, e.g. "dumping sockets", and notes when it began.
 * s must be a string literal of plain ASCII without quotes or backslashes
 * (it goes into the JSON timeout document as it is). */
void deadline_stage(const char *s);
/* The stages so far, in order (at most DEADLINE_MAX_STAGES). */
size_t deadline_stages(const struct deadline_stage_time **out);
/* The monotonic time at which collecting should end: the deadline less a
 * tenth of the time (at most a second) kept to decide and report. {0,0} when
 * not armed. */
struct timespec deadline_work_end(void);
/* Milliseconds left, at least 1 while armed; 0 when not armed. */
int deadline_left_ms(void);
/* True once CLOCK_MONOTONIC has reached t; never for NULL or {0,0}. */
bool deadline_reached(const struct timespec *t);
/* Seconds from t0 (CLOCK_MONOTONIC) to now. */
double deadline_seconds_since(const struct timespec *t0);
/* Milliseconds from a to b (CLOCK_MONOTONIC). */
double deadline_ms_between(const struct timespec *a, const struct timespec *b);

#endif
