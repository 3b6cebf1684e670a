/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learn: writes an allowlist that recognises what is listening now
 * (--generate-config). The output is configuration text for config_load(). */
#ifndef CHECK_LISTENERS_LEARN_H
#define CHECK_LISTENERS_LEARN_H

#include "inventory.h"

struct strbuf;

/* Appends to out a valid configuration with one rule per distinct listener of
 * inv: proto, port, address ("any" for a wildcard, "loopback", else the exact
 * address), interface and netns when not the defaults, and the owner (unit,
 * else process) when known, with a comment naming the registry's service.
 * Untrusted names are escaped for libconfig and for glob matching, so that
 * config_load_string() of the output recognises every listener of inv.
 * Allocation failures show as out->oom. */
void learn_generate(const struct inventory *inv, struct strbuf *out);

#endif
