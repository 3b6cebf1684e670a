/* json: the result as one JSON document (--format json) for SIEMs and scripts:
 * state, exit code, line 1, every listener with class, service, owner,
 * namespace, verdict and matching rule, missing and expired rules, notes. */
#ifndef CHECK_LISTENERS_JSON_H
#define CHECK_LISTENERS_JSON_H

#include "report.h"

void json_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out);

/* A result that is only text (an UNKNOWN before any listener was decided:
 * bad config, failed dump) as a JSON document: state, exit code, line 1 as
 * "output" and the other lines as "details". */
void json_text(enum state state, const char *text, struct strbuf *out);

/* Replaces the text in out (a result written before any listener was
 * decided) with its JSON document, json_text() of it: --format json promises
 * one JSON document, also for an early UNKNOWN. */
void json_wrap(enum state state, struct strbuf *out);

#endif
