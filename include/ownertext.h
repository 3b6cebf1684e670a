/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownertext: a listener's owner in words, for the detail lines and --list:
 * every distinct holder (pid, comm, exe), grouped when they share name and
 * executable, the socket uids and the units, each list abbreviated past a
 * few with a count. Every string from the system is escaped.
 *
 *   pid 812 nginx (/usr/sbin/nginx) +4 more processes user root unit nginx.service
 *   pid 901 goodd (/opt/goodd), pid 977 evil (/tmp/evil) user root
 *   held by the service manager: pid 1 systemd (/usr/lib/systemd/systemd) user root
 *   no holder (kernel socket, or a descriptor in flight) user root
 *   pid ? users root, nobody
 */
#ifndef CHECK_LISTENERS_OWNERTEXT_H
#define CHECK_LISTENERS_OWNERTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"
#include "owners.h"
#include "strbuf.h"

#define OWNERTEXT_NO_HOLDER "no holder (kernel socket, or a descriptor in flight)"

/* Appends the owner of l (one of inv->ls) to sb: holders, users, units. */
void ownertext_put(struct strbuf *sb, const struct inventory *inv, const struct listener *l);

/* The comm of the holder to name first (holders_shown()), or NULL when no
 * holder is known. Raw bytes. */
const char *ownertext_shown_comm(const struct inventory *inv, const struct listener *l);

/* Writes to out (len bytes) why the process of some listeners is unknown
 * (OWNER_DENIED after the scan st describes, or, when the scan ran out of
 * time, holders found only in part), in words with the remedy.
 * Returns false, and writes nothing, when every owner is known. */
bool ownertext_denied_note(const struct inventory *inv, const struct owners_stats *st,
		char *out, size_t len);

#endif
