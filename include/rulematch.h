/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rulematch: a rule of the allowlist against a listener - its socket fields
 * (proto, family, port or protocols, address, interface, netns) here, its
 * owner fields by ownermatch.h - and the rules of a policy in order. Pure:
 * no I/O, no clock (the time is an argument).
 *
 * A rule matches a listener when every field it gives matches. Owner fields
 * (process, exe, user, unit) may not be known yet: matching is three-valued so
 * that owners are looked up only for listeners no rule settles without them.
 */
#ifndef CHECK_LISTENERS_RULEMATCH_H
#define CHECK_LISTENERS_RULEMATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inventory.h"
#include "policy.h"

/* True when r has an expiry date and now is at or past it. */
bool rule_expired(const struct rule *r, int64_t now);

/* Whether rule r matches listener l of inv at time now. MATCH_UNKNOWN when
 * every known field matches but an owner field the rule needs is not known. */
enum match rule_match(const struct rule *r, const struct inventory *inv,
		const struct listener *l, int64_t now);

/* Over all live rules: MATCH_YES (and *rule = its index) when one matches,
 * MATCH_UNKNOWN when none matches but one might, else MATCH_NO. */
enum match policy_match(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now, size_t *rule);

#endif
