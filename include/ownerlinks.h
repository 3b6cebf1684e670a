/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownerlinks: the owners of the listeners from what the /proc scan found
 * (owners.c): links "process P holds socket S of listener L" become each
 * wanted listener's holders (one per process, in pid order, judged as
 * holders.h says), and where the kernel gave no cgroup id its units come
 * from the judged holders' cgroups. A listener without any link is
 * OWNER_NONE after a complete scan, else OWNER_DENIED. No I/O: the cgroup
 * paths were read by the scan, cgroups.h turns them into labels.
 */
#ifndef CHECK_LISTENERS_OWNERLINKS_H
#define CHECK_LISTENERS_OWNERLINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "holders.h"
#include "inventory.h"

/* A process the scan kept: it holds wanted sockets. */
struct owner_proc {
	struct holder h;        /* pid, comm, exe, manager */
	char *cgpath;           /* "0::" path; NULL when not read or unreadable */
};

/* Process proc holds socket sock of listener li. */
struct owner_link {
	uint32_t li, sock;
	size_t proc;            /* index into the procs */
};

/* What a scan found. */
struct owner_found {
	const struct owner_proc *procs;
	struct owner_link *links;       /* any order; sorted by ownerlinks_assign() */
	size_t nl;
	const char *cgroup_root;        /* as owners_env's: NULL = find it */
	bool complete;                  /* every process was read: no link means no holder */
};

/* Sets the owner of every listener i of inv where need[i] is not NEED_NONE
 * (need NULL = all) and whose owner is still OWNER_UNRESOLVED, from f: state,
 * holders (their exe copied), unheld, complete, and the units from the
 * holders' cgroups when the kernel gave its sockets none. Adds to *found the
 * listeners that got a holder. Returns 0 or -ENOMEM. */
int ownerlinks_assign(struct inventory *inv, const uint8_t *need, struct owner_found *f,
		unsigned *found);

#endif
