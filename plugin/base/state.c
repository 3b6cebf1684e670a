/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state: the plugin contract's states. */
#include "state.h"

#include "util.h"

static const char *const state_names[] = {
	[STATE_OK] = "OK", [STATE_WARNING] = "WARNING",
	[STATE_CRITICAL] = "CRITICAL", [STATE_UNKNOWN] = "UNKNOWN",
};

#define NSTATES (sizeof(state_names) / sizeof(state_names[0]))

int state_rank(enum state s)
{
	static const int rank[] = {
		[STATE_OK] = 0, [STATE_UNKNOWN] = 1, [STATE_WARNING] = 2, [STATE_CRITICAL] = 3,
	};

	return (unsigned)s < NSTATES ? rank[s] : 1;
}

enum state state_worst(enum state a, enum state b)
{
	return state_rank(b) > state_rank(a) ? b : a;
}

const char *state_name(enum state s)
{
	return (unsigned)s < NSTATES ? state_names[s] : "UNKNOWN";
}

int state_from_name(const char *s)
{
	return util_name_index(state_names, NSTATES, s);
}
