/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownermatch: the owner fields of a rule (user, unit, process, exe, holder)
 * against a listener's sockets and holder set. Pure: no I/O.
 *
 * Every socket of the listener and every judged holder of any of them must
 * satisfy each owner field the rule gives (holders.h says which holders are
 * judged). A socket that no process holds satisfies holder = "none" only
 * when root created it (uid 0, in a root-controlled cgroup); user, process
 * and exe never match it but beside holder = "none" (user: the sockets'
 * uids), and unit only by the cgroup the socket was created in (a packet or
 * raw socket has none: no unit then). Matching is three-valued: a
 * known mismatch settles the rule (MATCH_NO) even while the holder set is
 * still incomplete; MATCH_YES needs every socket's holder known, and for
 * process and exe the complete set.
 */
#ifndef CHECK_LISTENERS_OWNERMATCH_H
#define CHECK_LISTENERS_OWNERMATCH_H

#include "inventory.h"
#include "owners.h"
#include "policy.h"

/* What a rule needs to know of the holders to be decided (enum owner_need
 * is owners.h's): NEED_ALL for process, exe and holder = "none", NEED_ANY
 * for user and unit, else NEED_NONE. */
enum owner_need ownermatch_need(const struct rule *r);

/* The owner fields of r against listener l of inv (a rule without owner
 * fields gives MATCH_YES). */
enum match ownermatch(const struct rule *r, const struct inventory *inv, const struct listener *l);

#endif
