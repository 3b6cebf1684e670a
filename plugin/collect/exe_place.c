/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exe_place: is a listener's executable somewhere droppers put things?
 * Pure: a path and a mount table in, a place out. */
#include "exe_place.h"

#include <string.h>

static const struct {
	const char *name;
	const char *reason;
} places[EXE_PLACE_COUNT] = {
	[EXE_PLACE_NORMAL] = { "normal", "" },
	[EXE_PLACE_DELETED] = { "deleted", "executable deleted (upgraded, not yet restarted?)" },
	[EXE_PLACE_UNKNOWN] = { "unknown", "executable not verifiable: not every process could be read "
		"(run with privilege: CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE)" },
	[EXE_PLACE_UNVERIFIED] = { "unverified", "executable not verifiable: it runs in another user "
		"namespace (which can name any file as its executable), or its path names another file "
		"here, or none (a private mount namespace?)" },
	[EXE_PLACE_UNHELD] = { "unheld", "no holder found: a descriptor in flight (SCM_RIGHTS) "
		"or a holder hidden from /proc" },
	[EXE_PLACE_TMP] = { "tmp", "executable in /tmp (writable by all)" },
	[EXE_PLACE_VAR_TMP] = { "var_tmp", "executable in /var/tmp (writable by all)" },
	[EXE_PLACE_DEV_SHM] = { "dev_shm", "executable in /dev/shm (memory-backed, writable by all)" },
	[EXE_PLACE_TMPFS_NOEXEC] = { "tmpfs_noexec",
		"executable on a tmpfs mounted noexec (memory-backed; it cannot be run normally)" },
	[EXE_PLACE_TMPFS_WORLD] = { "tmpfs_world_writable",
		"executable on a tmpfs writable by all (memory-backed)" },
	[EXE_PLACE_TMPFS_USER] = { "tmpfs_user_writable",
		"executable on a tmpfs writable by a user other than root (memory-backed, such as /run/user/UID)" },
	[EXE_PLACE_MEMFD] = { "memfd", "executable is an anonymous memory file (memfd), never on disk" },
	[EXE_PLACE_HIDDEN_MEMORY] = { "hidden_memory", "executable on a memory-backed filesystem "
		"that the plugin cannot see (a private mount namespace)" },
};

/* True when path is dir or lies below it, component-wise: /tmpx is not in /tmp. */
static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The mount that holds path: the longest mount point above it; among equal
 * ones the latest, which hides the others. NULL when none. */
static const struct mount_entry *mount_of(const char *path, const struct mount_table *mt)
{
	const struct mount_entry *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; mt && i < mt->n; i++) {
		size_t len = mt->m[i].dir ? strlen(mt->m[i].dir) : 0;

		if (len && below(path, mt->m[i].dir) && (!best || len >= best_len)) {
			best = &mt->m[i];
			best_len = len;
		}
	}
	return best;
}

enum exe_place exe_place(const char *exe, bool deleted, const struct mount_table *mt)
{
	static const struct {
		const char *dir;
		enum exe_place place;
	} fixed[] = {
		{ "/tmp", EXE_PLACE_TMP }, { "/var/tmp", EXE_PLACE_VAR_TMP },
		{ "/dev/shm", EXE_PLACE_DEV_SHM },
	};
	const struct mount_entry *m;

	if (!exe || exe[0] == '\0')
		return EXE_PLACE_NORMAL;
	/* memfd_create(2) files read as "/memfd:NAME (deleted)" */
	if (strncmp(exe, "/memfd:", 7) == 0)
		return EXE_PLACE_MEMFD;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (below(exe, fixed[i].dir))
			return fixed[i].place;
	m = mount_of(exe, mt);
	if (m && m->tmpfs && m->noexec)
		return EXE_PLACE_TMPFS_NOEXEC;
	if (m && m->tmpfs && m->world_writable)
		return EXE_PLACE_TMPFS_WORLD;
	if (m && m->tmpfs && m->user_writable)
		return EXE_PLACE_TMPFS_USER;
	return deleted ? EXE_PLACE_DELETED : EXE_PLACE_NORMAL;
}

bool exe_place_suspicious(enum exe_place p)
{
	return p >= EXE_PLACE_TMP && p < EXE_PLACE_COUNT;
}

bool exe_place_unknown(enum exe_place p)
{
	return p == EXE_PLACE_UNKNOWN || p == EXE_PLACE_UNVERIFIED || p == EXE_PLACE_UNHELD;
}

const char *exe_place_reason(enum exe_place p)
{
	return (unsigned)p < EXE_PLACE_COUNT ? places[p].reason : "";
}

const char *exe_place_name(enum exe_place p)
{
	return (unsigned)p < EXE_PLACE_COUNT ? places[p].name : "normal";
}
