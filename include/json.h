/* json: the result as one JSON document (--format json) for SIEMs and scripts:
 * state, exit code, line 1, every listener with class, service, owner,
 * namespace, verdict and matching rule, missing and expired rules, notes. */
#ifndef CHECK_LISTENERS_JSON_H
#define CHECK_LISTENERS_JSON_H

#include "report.h"

void report_json(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out);

/* A result that is only text (an UNKNOWN before any listener was decided:
 * bad config, failed dump) as a JSON document: state, exit code, line 1 as
 * "output" and the other lines as "details". */
void report_json_text(enum state state, const char *text, struct strbuf *out);

#endif
