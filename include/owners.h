/* SPDX-License-Identifier: GPL-3.0-or-later */
/* owners: who holds each listener - processes, users, systemd units or containers.
 *
 * Cheapest first: user names from the socket uids and units from the
 * sockets' cgroup ids, then a /proc/PID/fd scan for only the listeners that
 * still need their holders: every holder where a verdict depends on them,
 * else one per socket (the processes of the socket's own cgroup first).
 */
#ifndef CHECK_LISTENERS_OWNERS_H
#define CHECK_LISTENERS_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "holders.h"
#include "inventory.h"

/* What is needed of a listener's holders (one uint8_t per listener). */
enum owner_need {
	NEED_NONE,              /* nothing: not looked up */
	NEED_ANY,               /* a holder per socket: to show it, or for user and unit rules */
	NEED_PLACE,             /* NEED_ANY, and where every holder's executable lies
	                           (placement.h): unrecognised, graded below suspicious */
	NEED_ALL,               /* every holder: process, exe and holder = "none" rules */
};

struct owners_env {
	const char *proc_root;          /* "/proc" */
	const char *cgroup_root;        /* cgroup2 mount, "/sys/fs/cgroup" or
	                                   "/sys/fs/cgroup/unified"; NULL = find it */
	struct timespec deadline;       /* CLOCK_MONOTONIC; {0,0} = none */
};

struct owners_stats {
	unsigned procs_scanned;
	unsigned procs_cgroup;          /* of which listed by the sockets' cgroups first */
	unsigned procs_denied;          /* /proc/PID/fd we could not read */
	unsigned wanted, found;         /* listeners wanted / found a holder for */
	bool out_of_time;               /* the deadline ended the scan */
	bool hidden_procs;              /* /proc hides processes (hidepid) */
	bool privileged;                /* CapEff has CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE */
	pid_t denied_pid;               /* first process whose fds could not be read, 0 = none */
	char denied_comm[16];           /* its comm, raw */
};

/* Reads the executable of the process of pidfd (procfd: the /proc
 * directory) into h->exe when procfs_exe_verified() vouches for it, else
 * into h->exe_claimed with exe_memory and exe_named. Returns 0 or -ENOMEM. */
int owners_read_exe(int procfd, int pidfd, struct holder *h);

/* Records in inv the user names of the socket uids of the listeners where
 * need[i] is not NEED_NONE, or of every listener when all_users (users.h),
 * and fills their owner units from the sockets' cgroup ids (cgroups.h),
 * within env->deadline. need NULL = all. Returns 0 or -ENOMEM. */
int owners_resolve_cheap(struct inventory *inv, const uint8_t *need, bool all_users,
		const struct owners_env *env);

/* Scans /proc for the holders of the listeners where need[i] is not
 * NEED_NONE (need NULL = every holder of every listener) and sets their
 * owner: state, holders (judged as holders.h says), unheld, complete, and
 * the units from /proc/PID/cgroup when the cgroup ids gave none. The walk
 * reads every process while a NEED_ALL listener is wanted; otherwise it
 * stops once each wanted socket has a holder. It stops at env->deadline
 * in any case, also inside a process's descriptor list. A listener without
 * any holder found is OWNER_NONE when every process was read, OWNER_DENIED
 * when not (privilege, hidepid, time). Returns 0 or -ENOMEM; st may be NULL. */
int owners_scan(struct inventory *inv, const uint8_t *need, const struct owners_env *env,
		struct owners_stats *st);

#endif
