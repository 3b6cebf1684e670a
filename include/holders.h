/* SPDX-License-Identifier: GPL-3.0-or-later */
/* holders: the processes that hold a listener's sockets, and which of them
 * a rule must judge.
 *
 * A listener can be several sockets (SO_REUSEPORT/SO_REUSEADDR groups), each
 * held by several processes (pre-fork workers, inherited or passed fds). Any
 * of them may serve, so a rule recognises the listener only when every
 * judged holder satisfies it. The one exception is the service manager:
 * PID 1 of its pid namespace, holding a socket that it passes on to a
 * service (socket activation). It is not judged for a socket that another
 * process holds too; a socket that only the manager holds is judged by the
 * manager itself and shown as held by the service manager. Pure: no I/O.
 */
#ifndef CHECK_LISTENERS_HOLDERS_H
#define CHECK_LISTENERS_HOLDERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One process holding one or more sockets of a listener. Strings are raw
 * bytes from /proc: escape them on output. */
struct holder {
	pid_t pid;
	char comm[16];          /* /proc/PID/comm, chosen by the process itself */
	char *exe;              /* /proc/PID/exe without " (deleted)"; NULL when unreadable
	                           or not verified (procfs_exe_verified) */
	char *exe_claimed;      /* exe NULL: the path the link claimed, to show as
	                           unverified; never matched by a rule. NULL otherwise */
	bool exe_deleted;
	bool exe_memory;        /* exe_claimed: the file lies on tmpfs or ramfs */
	bool exe_named;         /* exe_claimed: the path names here the file the link
	                           reaches, in another user namespace (PROCFS_EXE_FOREIGN):
	                           a place to grade, never an identity */
	bool manager;           /* PID 1 of its pid namespace, root in the plugin's user namespace */
	bool judged;            /* set by holders_judge() */
};

/* Socket `sock` (index into the listener's sockets) is held by holder
 * `holder` (index into the holder array). */
struct holder_link {
	uint32_t sock;
	uint32_t holder;
};

/* Sets h[i].judged for the n holders from the links of a listener with
 * nsocks sockets: every holder that is not a manager, and a manager only for
 * a socket no other kind of holder holds. Links out of range are ignored.
 * Returns the number of sockets that no holder holds. Sorts links by socket. */
uint32_t holders_judge(struct holder *h, size_t n, struct holder_link *links, size_t nlinks,
		uint32_t nsocks);

/* The holder to name first: the judged non-manager with the lowest pid, else
 * the judged manager with the lowest pid, else h[0]. n must be > 0. */
size_t holders_shown(const struct holder *h, size_t n);

/* True when every holder in h[0..n) is a manager (socket activation, before
 * the service took the socket). False when n is 0. */
bool holders_only_manager(const struct holder *h, size_t n);

/* Gives dst its own copies of src's exe and exe_claimed (dst's are
 * overwritten, not freed). Returns 0 or -ENOMEM (then both NULL). */
int holder_copy_exe(struct holder *dst, const struct holder *src);

/* Frees the exe strings and the array; NULL is allowed. */
void holders_free(struct holder *h, size_t n);

#endif
