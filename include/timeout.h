/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeout: the -t message, rendered before the run (text, or a JSON document
 * with --format json) and handed to the deadline module, whose signal handler
 * then only copies it around the running stage's name. */
#ifndef CHECK_LISTENERS_TIMEOUT_H
#define CHECK_LISTENERS_TIMEOUT_H

#include "options.h"
#include "strbuf.h"

struct timeout_msg {
	struct strbuf msg[3];
	const char *parts[3];
};

/* Renders the message for o (timeout, timeout_state, format) into t and arms
 * the deadline with it. t must live until deadline_stop() or the exit. */
void timeout_arm(const struct options *o, struct timeout_msg *t);

/* Frees what t holds. */
void timeout_free(struct timeout_msg *t);

#endif
