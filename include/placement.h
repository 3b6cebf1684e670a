/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placement: where the executables of a listener's holders lie (exe_place.h),
 * over every holder, not only the one the owner scan stopped at.
 *
 * Any holder of a socket may serve on it: a dropper in /tmp that hands its
 * socket to a child /usr/bin/sleep (or passes it to anyone) must not be
 * judged by the child. A complete holder set costs a read of every
 * process's descriptors, as much as `ss -p`; the question asked here is
 * cheaper: only a holder whose executable is not in a normal place can
 * change the grade, so each process's executable is looked at first (one
 * fstatat of /proc/PID/exe; the verdict per file is kept by device and
 * inode), and only the descriptors of the few that run from a suspicious
 * place, or from a path that cannot be verified, are read.
 *
 * What cannot be looked at (another user's process without privilege, a
 * process hidden by hidepid, the deadline) leaves the place unknown
 * (EXE_PLACE_UNKNOWN) for the listeners asked about: the policy decides what
 * that means (policy.h).
 */
#ifndef CHECK_LISTENERS_PLACEMENT_H
#define CHECK_LISTENERS_PLACEMENT_H

#include <stdint.h>

#include "inventory.h"
#include "owners.h"

/* Sets exe_place of the listeners of inv whose owner was looked up: the
 * worst place among their judged holders' executables (an unverified or
 * unreadable one is EXE_PLACE_UNVERIFIED, or EXE_PLACE_HIDDEN_MEMORY when
 * the file lies on a memory-backed filesystem), EXE_PLACE_UNKNOWN when the
 * holders are not all known. For the listeners whose need[] is NEED_PLACE
 * every process in env->proc_root is asked, as described above, and the
 * holders found that way are added to the owner's holders (shown). The
 * mount table is read from mountinfo ("/proc/self/mountinfo") when an
 * executable needs it. Returns 0 or -ENOMEM. */
int placement_run(struct inventory *inv, const uint8_t *need, const struct owners_env *env,
		const char *mountinfo);

#endif
