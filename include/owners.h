/* owners: who holds each listener - process, user, systemd unit or container.
 *
 * Cheapest first: user names from the socket uid and units from the socket's
 * cgroup id (no privilege needed), then a /proc/PID/fd scan for only the
 * listeners that still need a process, stopping as soon as all are found.
 */
#ifndef CHECK_LISTENERS_OWNERS_H
#define CHECK_LISTENERS_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "inventory.h"

struct owners_env {
	const char *proc_root;          /* "/proc" */
	const char *cgroup_root;        /* cgroup2 mount, "/sys/fs/cgroup" or
	                                   "/sys/fs/cgroup/unified"; NULL = find it */
	struct timespec deadline;       /* CLOCK_MONOTONIC; {0,0} = none */
};

struct owners_stats {
	unsigned procs_scanned;
	unsigned procs_denied;          /* /proc/PID/fd we could not read */
	unsigned wanted, found;         /* listeners wanted / found a holder for */
	bool out_of_time;               /* the deadline ended the scan */
	bool hidden_procs;              /* /proc hides processes (hidepid) */
	bool privileged;                /* CapEff has CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE */
	pid_t denied_pid;               /* first process whose fds could not be read, 0 = none */
	char denied_comm[16];           /* its comm, raw */
};

/* Records in inv (inv_user) the user names of the uids of the listeners where
 * want[i] is true, or of every listener when all_users: a name costs an NSS
 * lookup, 0.4 ms in a fresh process, and the plain check shows only the
 * owners of listeners it wants. Fills owner.unit (unit_checked = true) for
 * the listeners where want[i] is true (want NULL = all) from their cgroup id.
 * Returns 0 or -ENOMEM. */
int owners_resolve_cheap(struct inventory *inv, const bool *want, bool all_users,
		const struct owners_env *env);

/* Scans /proc for the holders of the listeners where want[i] is true and sets
 * their owner state, pids, comm, exe, and the unit from /proc/PID/cgroup when
 * the cgroup id gave none. Listeners not found: OWNER_KERNEL when every process
 * could be read and the scan completed, otherwise OWNER_DENIED.
 * Returns 0 or -ENOMEM; st may be NULL. */
int owners_scan(struct inventory *inv, const bool *want, const struct owners_env *env,
		struct owners_stats *st);

#endif
