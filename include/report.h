/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report: the plugin result in text, and the results that are only a line or two
 * (--list is listing.h's, --port-info port_info.h's, JSON json.h's).
 * Builds text in a strbuf; main writes it to stdout once. */
#ifndef CHECK_LISTENERS_REPORT_H
#define CHECK_LISTENERS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "inventory.h"
#include "options.h"
#include "state.h"
#include "strbuf.h"

struct config_errors;
struct decision;
struct policy;

struct run_info {
	double seconds;                 /* the check's own run time */
	const char *config_note;        /* e.g. "no /etc/check_listeners.conf: built-in defaults", or NULL */
	const char *owner_note;         /* missing privilege, in words, or NULL */
	const struct registry *reg;
	unsigned ns_found, ns_skipped;  /* other network namespaces found / not checked */
	const char *ns_reason;          /* why they were skipped, in words */
	bool ns_explicit;               /* --all-netns was asked for: skipping is UNKNOWN */
	const struct deadline_stage_time *stages;       /* -vvv: the stages so far */
	size_t nstages;
};

/* The plugin result: first line with perfdata, then detail lines worst first,
 * bounded by o->max_output (detail lines cut, never line 1 or perfdata). */
void report_check(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out);

/* Line 1 of the timeout, around the stage's name (no newline). */
void report_timeout(enum state s, unsigned seconds, struct strbuf *before, struct strbuf *after);

/* An UNKNOWN result with a reason (escaped) and optional detail lines. */
void report_unknown(const char *reason, char **details, size_t ndetails, struct strbuf *out);

/* report_unknown() with the reason formatted printf-style (cut at 1 KiB).
 * Returns STATE_UNKNOWN, the state of what it wrote. */
enum state report_unknownf(struct strbuf *out, char **details, size_t ndetails, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* --check-config: the OK line for a valid file with nrules rules and the
 * count of its warnings and notes, then those lines (from config_load()). */
void report_config_ok(const char *path, size_t nrules, const struct config_errors *e,
		struct strbuf *out);

/* --check-config and every run: the UNKNOWN of a configuration that
 * config_load() refused with rc (< 0). Line 1 is what a pager shows: the
 * first error itself (file:line), then every error as a detail line; with no
 * error listed, the file is "invalid" (-EINVAL) or "unusable". Returns
 * STATE_UNKNOWN. */
enum state report_config_failed(const char *path, int rc, const struct config_errors *e,
		struct strbuf *out);

/* A command-line error: UNKNOWN with err (escaped), then the short usage. */
void report_usage(const char *err, struct strbuf *out);

#endif
