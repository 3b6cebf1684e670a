/* deadline: the plugin's own timeout (-t SECONDS[:STATE]).
 *
 * A stage name is kept up to date; when time runs out a SIGALRM handler
 * writes one UNKNOWN (or the chosen state) line naming the stage with
 * write(2) and leaves with _exit(). Between stages code checks
 * deadline_expired() and returns an error value instead.
 */
#ifndef CHECK_LISTENERS_DEADLINE_H
#define CHECK_LISTENERS_DEADLINE_H

#include <stdbool.h>
#include <time.h>

/* Arms the timer: seconds (> 0) from now, exit code state (0-3) on expiry. */
void deadline_start(unsigned seconds, int state);
/* Writes the timeout line as a JSON document (--format json). */
void deadline_json(bool json);
/* Names the running stage, e.g. "dumping sockets". s must be a string literal. */
void deadline_stage(const char *s);
/* The monotonic time at which the deadline ends ({0,0} when not armed). */
struct timespec deadline_at(void);
/* Milliseconds left, at least 1 while armed; 0 when not armed. */
int deadline_left_ms(void);
bool deadline_expired(void);

#endif
