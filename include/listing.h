/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listing: --list, every listener as a row of a table (namespace, protocol,
 * endpoint, stack, interface, uid, sockets, class, service, state, owner and
 * the comment of the rule that recognises it), followed by the result of
 * report_check() without the output limit. */
#ifndef CHECK_LISTENERS_LISTING_H
#define CHECK_LISTENERS_LISTING_H

#include "report.h"

/* The --list table, followed by the same result line and details. */
void listing_report(const struct options *o, const struct policy *pol, const struct inventory *inv,
		const struct decision *d, const struct run_info *ri, struct strbuf *out);

#endif
