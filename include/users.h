/* SPDX-License-Identifier: GPL-3.0-or-later */
/* users: user names for the uids of the sockets (the kernel's sk_uid, the
 * user that created each socket), through NSS. */
#ifndef CHECK_LISTENERS_USERS_H
#define CHECK_LISTENERS_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "inventory.h"

/* Records in inv (inv_user) the name of the uid of every socket of the
 * listeners where need[i] is non-zero, or of every listener when all (need
 * NULL = all): a name costs an NSS lookup, 0.4 ms in a fresh process, and
 * the plain check shows only the owners of listeners it wants. A uid without
 * a name is recorded in decimal. Returns 0 or -ENOMEM. */
int users_resolve(struct inventory *inv, const uint8_t *need, bool all);

#endif
