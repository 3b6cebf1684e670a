/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json: the result as one JSON document (--format json) for SIEMs and
 * scripts, schema_version 2 - conf/check_listeners.schema.json documents
 * every field. One shape for every result: "outcome" says whether the
 * listeners were checked, the run stopped on an error, or it timed out; lists
 * are empty where nothing was collected. Strings are byte-escaped UTF-8
 * (sb_put_json). A field added here goes into the schema file too. */
#ifndef CHECK_LISTENERS_JSON_H
#define CHECK_LISTENERS_JSON_H

#include "report.h"

/* What a document says besides the result itself. */
struct json_meta {
	const char *outcome;            /* "checked", "error" or "timeout" */
	const char *stage;              /* timeout: the stage; else NULL */
	const char *snapshot;           /* the registry's snapshot date, NULL when not loaded */
	double seconds;
};

/* The check (outcome "checked"): line 1 and the long output, counts, every
 * listener with class, service, owner, namespace, verdict and matching rule,
 * missing and expired rules, notes. */
void json_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out);

/* A result that is only text (a usage error, or an UNKNOWN before any
 * listener was decided: bad config, failed dump): line 1 as "output", the
 * other lines as "details", counts 0 and empty lists. */
void json_text(enum state state, const char *text, const struct json_meta *m, struct strbuf *out);

/* Replaces the text result in out with its json_text() document: --format
 * json promises one JSON document, also for an early UNKNOWN. */
void json_wrap(enum state state, const struct json_meta *m, struct strbuf *out);

/* json_wrap() of a result that ended before a JSON document was written
 * (outcome "error"); snapshot is NULL when no registry was loaded. */
void json_wrap_error(enum state state, const char *snapshot, double seconds, struct strbuf *out);

/* The timeout document, cut where the stage name goes: parts[0], stage,
 * parts[1], stage, parts[2] (for deadline_message()). before and after are
 * line 1 around the stage, without newline. Returns the number of parts. */
size_t json_timeout(enum state state, unsigned seconds, const char *before, const char *after,
		struct strbuf parts[3]);

/* --port-info --format json: {"schema_version":1,"port":N,"protocols":[{"proto","class",
 * "service","iana_service","overridden","description","range","ephemeral","local_reserved",
 * "suspicious":{"reason","source"}|null}],"ephemeral_range":[LO,HI]|null,
 * "registry_snapshot":"YYYY-MM-DD"}, one line; conf/check_listeners.port-info.schema.json
 * documents every field (a field added here goes there too). */
void json_port_info(uint16_t port, int proto, const struct registry *reg,
		const struct policy *pol, const struct netns *local, struct strbuf *out);

#endif
