/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_rules: the allow list of the configuration, below config.c.
 *
 * Each element of allow is one rule, a group read with the rule key table:
 * proto, family, port, protocol, address, interface, process, exe, user,
 * unit, holder, netns, expires, require, comment. A rule must select
 * something; one that matches on process alone gets a note, a port on a
 * packet- or raw-only rule an error.
 */
#ifndef CHECK_LISTENERS_CONFIG_RULES_H
#define CHECK_LISTENERS_CONFIG_RULES_H

#include "config_keys.h"

/* The cfg_key_parser of allow (a list) for a struct policy obj: its rules
 * are appended to obj's (drop-in files add theirs to the main file's), each
 * with its origin "FILE:LINE". Errors are reported; returns -1 only when out
 * of memory. */
int cfg_p_allow(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k);

#endif
