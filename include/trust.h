/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trust: which files a privileged run may read, and reading them safely.
 *
 * The config, every @include, the registry CSV and the drop-in files decide
 * what may listen: whoever can write them can silence the check. A run is
 * privileged when its effective uid is 0, when the kernel set AT_SECURE (a
 * setuid or setcap binary started by a user), or when any capability is
 * effective. A privileged run reads a file only when:
 *   - every directory from "/" down to it is owned by root and not writable by
 *     group or others (OpenSSH's StrictModes), except a root-owned directory
 *     with the sticky bit (/tmp): there nobody but root can rename or remove
 *     what root owns;
 *   - a symbolic link is followed only when root owns it; ".." goes to the
 *     directory's real parent, judged like any other (an include may not
 *     use ".." at all);
 *   - the file is a regular file owned by root, not writable by group or
 *     others, opened with O_NOFOLLOW|O_NONBLOCK|O_NOCTTY (a FIFO never
 *     blocks) and judged with fstat() on that descriptor;
 *   - under AT_SECURE, the real user could search every directory and read
 *     the file (faccessat() with the real ids), so a user cannot make the
 *     plugin read, and echo in an error, a file they could not read.
 * Any run, privileged or not, refuses a file that is not a regular file.
 * The walk holds a descriptor for each directory, so a name swapped after it
 * was checked is never opened, and includes are opened relative to the
 * directory descriptor of the file that includes them.
 */
#ifndef CHECK_LISTENERS_TRUST_H
#define CHECK_LISTENERS_TRUST_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The rule of one run. */
struct trust {
	bool strict;            /* privileged: the ownership rules above apply */
	bool secure;            /* AT_SECURE: the real user must be able to read it */
};

/* An opened, vetted file. */
struct trust_file {
	int fd;                 /* O_RDONLY, or -1 */
	int dirfd;              /* O_PATH of its directory (for relative includes), or -1 */
	struct stat st;         /* fstat() of fd */
};

#define TRUST_FILE_INIT { -1, -1, { 0 } }

/* The rule of the calling process: euid 0, AT_SECURE or any effective
 * capability make it strict; AT_SECURE makes it secure. Never fails: when the
 * capabilities cannot be read the run counts as privileged. */
struct trust trust_of_process(void);

/* True when the rule asks anything beyond "a regular file". */
bool trust_privileged(const struct trust *t);

/* Opens path and vets it under t. at is AT_FDCWD for a path given by the user
 * (absolute, or relative to the working directory, whose own path is then
 * walked from "/"), or the dirfd of a vetted file for an include (path must be
 * relative). Returns 0 with f filled (close it with trust_file_close()), or
 * -errno: -ELOOP symlink, -EINVAL not a regular file or ".." in an include, -EPERM refused
 * owner or mode, -EACCES the real user could not read it, or the errno of a
 * failed open; err (errlen bytes) then says what and why, naming the path
 * as given (raw: escape it when printing). */
int trust_open(const struct trust *t, int at, const char *path, struct trust_file *f,
		char *err, size_t errlen);

/* Closes both descriptors and resets f. NULL and closed files are fine. */
void trust_file_close(struct trust_file *f);

#endif
