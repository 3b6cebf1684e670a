/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exe_place: where a listener's executable lies, and whether that place is
 * suspicious: writable by everybody or backed by memory only, where droppers
 * put what they run (/tmp, /var/tmp, /dev/shm, a tmpfs mounted noexec or
 * writable by all or by any user but root, an anonymous memfd). Pure: the mount table is the
 * caller's (mounts.h reads it). */
#ifndef CHECK_LISTENERS_EXE_PLACE_H
#define CHECK_LISTENERS_EXE_PLACE_H

#include <stdbool.h>
#include <stddef.h>

enum exe_place {
	EXE_PLACE_NORMAL,       /* nothing to say, or not looked at */
	EXE_PLACE_DELETED,      /* deleted, elsewhere: an upgrade not yet restarted (a note) */
	EXE_PLACE_UNKNOWN,      /* not every process could be read (privilege, hidepid, time):
	                           one unseen may run from anywhere */
	EXE_PLACE_UNVERIFIED,   /* a holder's executable could not be read, or its path names
	                           another file in the plugin's view (a mount namespace of its own) */
	EXE_PLACE_UNHELD,       /* a socket of it has no holder in /proc although every process
	                           was read: a descriptor in flight (SCM_RIGHTS), or a holder
	                           hidden from the scan; no executable to vouch for */
	EXE_PLACE_TMP,          /* below /tmp */
	EXE_PLACE_VAR_TMP,      /* below /var/tmp */
	EXE_PLACE_DEV_SHM,      /* below /dev/shm */
	EXE_PLACE_TMPFS_NOEXEC, /* on a tmpfs mounted noexec: it cannot have been exec'd normally */
	EXE_PLACE_TMPFS_WORLD,  /* on a tmpfs whose root is writable by all */
	EXE_PLACE_TMPFS_USER,   /* on a tmpfs whose root a user other than root may write
	                           (a /run/user/UID of systemd-logind) */
	EXE_PLACE_MEMFD,        /* an anonymous memory file (memfd_create), never on disk */
	EXE_PLACE_HIDDEN_MEMORY,/* unverified path, but the file lies on a memory-backed
	                           filesystem (tmpfs, ramfs): one the plugin cannot see */
	EXE_PLACE_COUNT
};

/* One mount point as far as exe_place() cares. */
struct mount_entry {
	char *dir;              /* the mount point, unescaped, absolute */
	bool tmpfs;             /* fstype tmpfs or ramfs (memory-backed) */
	bool noexec;            /* mounted noexec */
	bool world_writable;    /* its root directory is writable by others */
	bool user_writable;     /* its root directory is writable by a user other than root
	                           (owner or group not 0 with the write bit) */
};

struct mount_table {
	struct mount_entry *m;  /* in mountinfo order: a later mount hides an earlier one */
	size_t n;
};

/* Where exe (the path of /proc/PID/exe without " (deleted)"; NULL when
 * unknown) lies. deleted: the link said " (deleted)". mt may be NULL or empty:
 * then only the fixed places (/tmp, /var/tmp, /dev/shm, memfd) are known. */
enum exe_place exe_place(const char *exe, bool deleted, const struct mount_table *mt);

/* True for the places that make an unrecognised listener suspicious. */
bool exe_place_suspicious(enum exe_place p);

/* True for EXE_PLACE_UNKNOWN, EXE_PLACE_UNVERIFIED and EXE_PLACE_UNHELD: the
 * place is not known. */
bool exe_place_unknown(enum exe_place p);

/* Why, in words for the detail line, e.g. "executable in /dev/shm (memory-backed,
 * writable by all)"; "" for EXE_PLACE_NORMAL. Never NULL. */
const char *exe_place_reason(enum exe_place p);

/* A short name for JSON: "normal", "deleted", "tmp", "var_tmp", "dev_shm",
 * "tmpfs_noexec", "tmpfs_world_writable", "tmpfs_user_writable", "memfd", "unknown", "unverified",
 * "unheld", "hidden_memory". */
const char *exe_place_name(enum exe_place p);

#endif
