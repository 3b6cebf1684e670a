/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the libconfig allowlist file -> struct policy.
 *
 * Every error carries its location ("FILE:LINE: message") and all errors of a
 * file are reported together. Only config.c and the modules below it,
 * config_keys.c and config_rules.c, include libconfig.h.
 */
#ifndef CHECK_LISTENERS_CONFIG_H
#define CHECK_LISTENERS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config_file.h"
#include "policy.h"

/* Loads path into pol (initialised by the caller with policy_init()), then
 * the drop-in files of its directory (config_dropins.h), each held to the same
 * trust rule, whose allow rules are appended to the main file's. A relative
 * registry.file is taken from the directory of the file that names it; one
 * that cannot be opened is an error.
 * t: the trust rule the file and every included file are held to (see
 * trust.h; trust_of_process() in production, NULL: only "a regular file").
 * Includes are read from vetted descriptors and spliced in; libconfig never
 * opens a file. Returns 0; -ENOENT when path does not exist; -EACCES / -EPERM
 * when it cannot be read or is refused; -EINVAL when invalid. On failure errs
 * holds the reasons and pol holds nothing new. The caller frees errs. */
int config_load(const char *path, const struct trust *t, struct policy *pol,
		struct config_errors *errs);

/* Same from memory (no @include). The fuzz and unit-test seam. */
int config_load_string(const char *text, struct policy *pol, struct config_errors *errs);

#endif
