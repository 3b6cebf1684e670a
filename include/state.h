/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state: the four results of the plugin contract, their names and their order. */
#ifndef CHECK_LISTENERS_STATE_H
#define CHECK_LISTENERS_STATE_H

/* The values are the exit codes. */
enum state { STATE_OK = 0, STATE_WARNING = 1, STATE_CRITICAL = 2, STATE_UNKNOWN = 3 };

/* The position of s in OK < UNKNOWN < WARNING < CRITICAL: 0 to 3; a value
 * outside the enum ranks as UNKNOWN. */
int state_rank(enum state s);
/* The worse of a and b in that order. */
enum state state_worst(enum state a, enum state b);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN" (also for a value outside the enum).
 * A static string: safe to call in a signal handler. */
const char *state_name(enum state s);
/* "ok"/"OK"/... (ASCII, any case) -> the state, or -1. */
int state_from_name(const char *s);

#endif
