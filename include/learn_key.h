/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learn_key: what a learned rule keys on, so that it holds across restarts
 * and cannot be claimed by a process for itself. Pure.
 *
 * - The owner: the unit (or container) when root controls that label, else
 *   the executable, and the command name only when neither is known (any
 *   process can set its own comm with prctl, so such a rule says why).
 *   An exe or comm comes with the user that created the sockets (the kernel's
 *   socket uid): an exe names a file that any user may run, and an
 *   interpreter runs any code. A unit comes with that user too when it is not
 *   root: only root puts processes into a unit, but some units run other
 *   users' code (cron.service and atd.service hold every user's jobs on
 *   Debian, whose pam cron stack has no pam_systemd). Root's sockets in a
 *   unit need no user, so that such a rule stays decidable unprivileged.
 * - The port: "rpc" when root registered it with rpcbind (in the plugin's
 *   own namespace) and it is not the program's IANA port (111, 2049 stay
 *   exact), an owner (unit, exe, or holder none for the kernel's lockd)
 *   pinning the rule; this wins over "ephemeral" for a port in both, as the
 *   narrower of the two. Else "ephemeral" when the kernel chose it (an
 *   unconnected UDP socket inside the namespace's ip_local_port_range) and
 *   an owner (unit or exe) pins the rule: a TCP listener's port is its
 *   service's choice even inside that range. Exact otherwise: without an
 *   owner such a rule would allow anything on the port it names, so the
 *   exact port stays, with a comment.
 * - The namespace: its label when it is stable (an ip-netns name, "init", a
 *   container, a service); never "pid N (comm)" or "net:[inode]", which change
 *   on every restart: such a listener is keyed by its owner alone.
 */
#ifndef CHECK_LISTENERS_LEARN_KEY_H
#define CHECK_LISTENERS_LEARN_KEY_H

#include <stdbool.h>
#include <stdint.h>

#include "inventory.h"

enum learn_owner {
	LEARN_NO_OWNER,         /* nothing known: port (and address) only */
	LEARN_UNIT,
	LEARN_EXE,
	LEARN_COMM,             /* neither unit nor exe known */
	LEARN_KERNEL,           /* a socket that no process holds: user = "root"; holder = "none" */
};

enum learn_missing {
	LEARN_HAVE_OWNER,
	LEARN_DENIED,           /* the process could not be read: no privilege */
	LEARN_UNRESOLVED,       /* not looked up */
	LEARN_MIXED,            /* its holders run different executables */
};

struct learn_key {
	enum learn_owner owner;
	const char *value;      /* the unit, exe or comm to write (raw: escape it); NULL otherwise */
	bool user_needed;       /* LEARN_EXE, LEARN_COMM, or LEARN_UNIT of a socket a user
	                           other than root created: the rule needs a user */
	const char *user;       /* when user_needed: the user every socket shares (raw);
	                           NULL when they differ, or not needed */
	bool ephemeral;         /* port = "ephemeral": UDP only */
	bool rpc;               /* port = "rpc" */
	uint32_t rpc_prog;      /* the RPC program root registered on the port; 0 = none */
	bool kernel_port;       /* the port is inside ip_local_port_range (chosen by the kernel?) */
	bool udp;               /* UDP or UDP-Lite: only these have kernel-chosen ports that listen */
	bool netns;             /* write netns = label */
	bool netns_unstable;    /* the label names a pid or an inode: left out */
	bool not_root;          /* LEARN_KERNEL, but not a socket root made (uid 0, in a
	                           cgroup root controls): holder = "none" will not match */
	enum learn_missing missing;
};

/* True when a unit label is one root controls and that survives a restart:
 * not below a delegation boundary (a label with a '/', e.g.
 * "user@1000.service/app.slice/x.service"), not a user manager or a login
 * session (session-N.scope changes with every login). */
bool learn_unit_stable(const char *unit);

/* True when a namespace label survives a restart (not "pid N (...)", not "net:[N]"). */
bool learn_netns_stable(const char *label);

/* The key of listener l of inv. */
void learn_key_of(const struct inventory *inv, const struct listener *l, struct learn_key *k);

#endif
