/* SPDX-License-Identifier: GPL-3.0-or-later */
/* timeout: the -t message, rendered now so that the signal handler only copies it. */
#include "timeout.h"

#include "deadline.h"
#include "json.h"
#include "report.h"

void timeout_arm(const struct options *o, struct timeout_msg *t)
{
	struct strbuf *m = t->msg;
	size_t n = 2;

	report_timeout(o->timeout_state, o->timeout, &m[0], &m[1]);
	if (o->format == FORMAT_JSON) {
		struct strbuf before = m[0], after = m[1];

		m[0] = m[1] = (struct strbuf)STRBUF_INIT;
		n = json_timeout(o->timeout_state, o->timeout, sb_cstr(&before), sb_cstr(&after), m);
		sb_free(&before);
		sb_free(&after);
	} else {
		sb_putc(&m[1], '\n');
	}
	for (size_t i = 0; i < n; i++)
		t->parts[i] = sb_cstr(&m[i]);
	deadline_message(t->parts, n);
	deadline_start(o->timeout, o->timeout_state);
}

void timeout_free(struct timeout_msg *t)
{
	for (size_t i = 0; i < sizeof(t->msg) / sizeof(t->msg[0]); i++)
		sb_free(&t->msg[i]);
}
