/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vsock: whether the kernel has AF_VSOCK sockets, which this version does
 * not enumerate.
 *
 * A vsock listener (a hypervisor host's port that guests reach, or a guest's
 * port the host reaches) has no IP address and no entry in any /proc/net
 * table; only sock_diag's vsock_diag lists it, and its rows carry neither
 * the creator's uid nor a cgroup. Until the plugin enumerates them, -vv says
 * that they are not checked wherever the kernel has AF_VSOCK at all (the
 * "AF_VSOCK" line of /proc/net/protocols, present once the vsock core is
 * built in or loaded: reading it loads nothing). */
#ifndef CHECK_LISTENERS_VSOCK_H
#define CHECK_LISTENERS_VSOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "inventory.h"

/* True when the text of /proc/net/protocols has a line for AF_VSOCK. Pure. */
bool vsock_in_protocols(const char *text, size_t len);

/* Reads proc_root/thread-self/net/protocols and adds an inventory note when
 * the kernel has AF_VSOCK (vsock listeners are not checked), or when the file
 * cannot be read (whether there are any is not known). Returns 0 or -ENOMEM. */
int vsock_note(struct inventory *inv, const char *proc_root);

#endif
