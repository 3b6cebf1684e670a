/* deadline: the plugin's own timeout (-t SECONDS[:STATE]).
 *
 * A stage name is kept up to date; when time runs out a SIGALRM handler
 * writes one UNKNOWN (or the chosen state) line naming the stage with
 * write(2) and leaves with _exit(). Work that can stop early by itself (the
 * /proc scan) is given deadline_work_end() and returns partial results instead.
 */
#ifndef CHECK_LISTENERS_DEADLINE_H
#define CHECK_LISTENERS_DEADLINE_H

#include <stdbool.h>
#include <time.h>

#include "state.h"

/* Arms the timer: seconds (> 0) from now, exit code state on expiry. */
void deadline_start(unsigned seconds, enum state state);
/* Disarms the timer once the result is written: a SIGALRM that arrived while
 * the process exits (slow teardown, a sanitizer's leak check) would print a
 * second, contradicting result and change the exit code. */
void deadline_stop(void);
/* Writes the timeout line as a JSON document (--format json). */
void deadline_json(bool json);
/* Names the running stage, e.g. "dumping sockets". s must be a string literal. */
void deadline_stage(const char *s);
/* The monotonic time at which collecting should end: the deadline less a
 * tenth of the time (at most a second) kept to decide and report. {0,0} when
 * not armed. */
struct timespec deadline_work_end(void);
/* Milliseconds left, at least 1 while armed; 0 when not armed. */
int deadline_left_ms(void);
/* Seconds from t0 (CLOCK_MONOTONIC) to now. */
double deadline_seconds_since(const struct timespec *t0);

#endif
