/* SPDX-License-Identifier: GPL-3.0-or-later */
/* netns_find: every network namespace of the host, found and labelled.
 *
 * Sources: /proc/PID/ns/net of every process (and /proc/PID/task/TID/ns/net
 * of every thread of a process with more than one: the namespace is per
 * thread), /run/netns (ip netns names),
 * /var/run/docker/netns (Docker sandboxes) and the nsfs mounts listed in the
 * mountinfo of every mount namespace (/proc/self/mountinfo, and
 * /proc/PID/mountinfo of one process per other mount namespace, its mount
 * points reached through /proc/PID/root), de-duplicated by nsfs identity
 * (device, inode). netns_hidden.c adds those only a socket keeps.
 * Nothing is opened while enumerating; netns_open() opens one namespace when
 * the caller (namespaces.c) is ready to enter it.
 *
 * Paths: proc_root is "/proc" in production. Its parent directory is taken as
 * the system root, so a test tree "<dir>/proc" has its own "<dir>/run/netns"
 * and "<dir>/var/run/docker/netns", and the mount points in
 * "<dir>/proc/self/mountinfo" are looked up under "<dir>".
 *
 * Labels, first rule that applies:
 *   1. the ip netns name (the smallest, when it has several);
 *   2. "init": the machine's initial namespace, the one holding the kernel
 *      threads. Known by pid 2 alone (kthreadd, parent of every kernel thread;
 *      they all live in the initial namespaces, so one stat read suffices
 *      where checking every process would cost one per process), when its
 *      /proc/2/stat flags say it is a kernel thread (PF_KTHREAD): in a /proc
 *      of another pid namespace (the plugin in a container) pid 2 is an
 *      ordinary process and no namespace is "init";
 *   3. the container or service of its lowest pid ("docker:0123456789ab",
 *      "nginx.service"; a login session or slice is no label);
 *   4. "pid N (comm)" of its lowest pid;
 *   5. when no process lives in it, what keeps it: "mount of pid N (comm)"
 *      (a bind mount in another mount namespace) or "socket of pid N (comm)";
 *   6. "net:[INODE]" otherwise.
 * Labels are made printable ASCII and unique: the second "x" becomes "x#2";
 * "host" is reserved for the own namespace.
 */
#ifndef CHECK_LISTENERS_NETNS_FIND_H
#define CHECK_LISTENERS_NETNS_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "inventory.h"

#define NETNS_LABEL_LEN sizeof(((struct netns *)0)->label)

/* Where the caller (namespaces.c) is with a candidate. */
enum netns_state {
	NETNS_PENDING,          /* not visited yet (or re-found after NETNS_GONE) */
	NETNS_VISITED,          /* checked or counted as not checked */
	NETNS_GONE,             /* could not be opened as found: its pid had exited,
	                           its mount was gone; not checked */
};

/* One distinct namespace. */
struct netns_cand {
	dev_t dev;
	ino_t ino;
	pid_t pid;              /* lowest pid living in it; 0 = none seen */
	bool init;              /* holds kthreadd: the machine's initial namespace */
	char *path;             /* a mount to open it by; NULL = /proc/PID/ns/net */
	char *name;             /* ip netns name; NULL = none */
	int fd;                 /* an open fd of it (a socket's namespace), or -1 */
	pid_t holder;           /* no process lives in it: the pid whose mount or
	                           socket keeps it (0 = none known) */
	char held_by;           /* what of holder keeps it: 'm' a mount, 's' a socket */
	unsigned dup;           /* 1 = first holder of its label, 2.. = clashes */
	enum netns_state state;
	char label[NETNS_LABEL_LEN];
};

/* The namespaces found. Zero-initialise before netns_find(). */
struct netns_set {
	struct netns_cand *v;   /* v[0] the own namespace (not labelled), then by label */
	size_t n;
	unsigned denied;        /* places whose namespaces could not be seen: processes
	                           whose ns/net could not be stat()ed, bind-mount
	                           directories that could not be listed, a proc_root
	                           that could not be listed */
	/* internal to netns_find.c */
	size_t cap;
	size_t *slot;           /* hash index on (dev, ino): index + 1, 0 = empty */
	size_t nslot;           /* a power of two, at least 2 * n */
	dev_t nsfs_dev;         /* every namespace inode lives on this one device */
};

/* Fills s (zero-initialised) with the own namespace, the one own_fd refers
 * to, at index 0 and every other one after it, labelled and sorted by label.
 * Returns 0, -ENOMEM, or -errno when own_fd cannot be fstat()ed; a proc_root
 * that cannot be listed is not an error: why (whylen bytes) says so and the
 * other sources are still searched. On error s holds what was found so far:
 * free it with netns_set_free() either way. */
int netns_find(struct netns_set *s, const char *proc_root, int own_fd, char *why, size_t whylen);

/* Frees what s holds and zeroes it. NULL is ignored. */
void netns_set_free(struct netns_set *s);

/* Adds the namespace that fd (an nsfs fd, now owned by s) refers to, kept
 * alive by a socket of holder, and labels it (rule 5, made unique). A
 * candidate s already has but that was NETNS_GONE adopts fd and is pending
 * again: its pid exited before it could be entered, and the socket proves it
 * lives. Returns 1 when added or adopted, 0 when s already has it (fd
 * closed), -ENOMEM (fd closed). */
int netns_add_fd(struct netns_set *s, int fd, pid_t holder, const char *proc_root);

/* One pass over proc_root for the NETNS_GONE candidates of s: a process
 * still living in one (its enumerated pid exited, a namespace others share)
 * gives it an open fd, which keeps it until it is entered, and makes it
 * pending again. Returns how many were re-found. */
int netns_refind(struct netns_set *s, const char *proc_root);

/* Adds the nsfs inode that path leads to (anything else is ignored: a stale
 * /run/netns file left by a crash is a plain file; a path whose namespace
 * cannot be seen counts in s->denied). Returns 0 with *out the candidate, or
 * NULL when ignored; or -ENOMEM. The pointer lives until the next addition. */
int netns_set_add_path(struct netns_set *s, const char *path, struct netns_cand **out);

/* Opens the namespace c (O_RDONLY | O_CLOEXEC): a dup of its fd, else by its
 * mount, else by proc_root/PID/ns/net. Returns the fd, or -1 with errno set. The caller
 * must check the fd's identity against c->dev and c->ino: the pid may have
 * been reused by a process living elsewhere. */
int netns_open(const struct netns_cand *c, const char *proc_root);

#endif
