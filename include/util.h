/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util: the few helpers every layer needs, written once: growing an array,
 * reading a file whole, formatting a message that may be cut short,
 * looking a name up in a table without the locale, and the process set-up.
 *
 * Nothing here knows about sockets, rules or output.
 */
#ifndef CHECK_LISTENERS_UTIL_H
#define CHECK_LISTENERS_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Makes room for element n of *arr (elements of sz bytes, *cap of them
 * allocated): nothing when n < *cap, else the capacity (first, >= 1, when
 * nothing is allocated yet) doubles until n fits. Never p = realloc(p, ...):
 * on failure *arr and *cap are unchanged. Returns 0 or -ENOMEM (also when
 * the size would overflow). */
int util_grow(void **arr, size_t *cap, size_t n, size_t sz, size_t first);

/* Reads fd to its end into a malloc'd, NUL-terminated buffer (*text, the
 * caller frees it; *len bytes without the NUL; a NUL inside is kept). EINTR
 * is retried. Returns 0; -EFBIG when the file holds max bytes or more;
 * -ENOMEM; or the -errno of a failed read. Nothing to free on error. */
int util_read_fd(int fd, size_t max, char **text, size_t *len);

/* util_read_fd() of the file at path (opened O_RDONLY | O_CLOEXEC), or the
 * -errno of the failed open. */
int util_read_file(const char *path, size_t max, char **text, size_t *len);

/* Reads at most size-1 (size >= 1) bytes of the small file dirfd/name
 * (AT_FDCWD: name is a path) into buf and NUL-terminates it; a final symlink
 * is not followed. Returns the length, or -errno of the failed open or read
 * (buf then holds what was read, maybe ""). */
ssize_t util_read_at(int dirfd, const char *name, char *buf, size_t size);

/* vsnprintf() into out for a path. Returns false when it does not fit: a
 * path cut short names another file. */
bool util_path(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* vsnprintf() into out for a message, where cutting it short is fine. */
void util_say(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The index of s in names[0 .. n) compared in ASCII without case (strcasecmp
 * would consult the locale); NULL entries are skipped. -1 when s is NULL or
 * not there. */
int util_name_index(const char *const *names, size_t n, const char *s);

/* Sets the process up as the plugin needs it, first thing in main(): large
 * arrays mapped apart from the heap (M_MMAP_THRESHOLD fixed at 128 KiB), no
 * inherited descriptor but stdio, an empty environment, SIGPIPE ignored. */
void util_process_init(void);

#endif
