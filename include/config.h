/* config: the libconfig allowlist file -> struct policy.
 *
 * Every error carries its location ("FILE:LINE: message") and all errors of a
 * file are reported together. Only this module includes libconfig.h.
 */
#ifndef CHECK_LISTENERS_CONFIG_H
#define CHECK_LISTENERS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config_file.h"
#include "policy.h"

/* Loads path into pol (initialised by the caller with policy_init()).
 * strict_owner: refuse the file and every included file unless owned by root
 * and not writable by group or others (set when running as root).
 * Returns 0; -ENOENT when path does not exist; -EACCES / -EPERM when it cannot
 * be read or is refused; -EINVAL when invalid. On failure errs holds the
 * reasons and pol holds nothing new. The caller frees errs. */
int config_load(const char *path, bool strict_owner, struct policy *pol,
		struct config_errors *errs);

/* Same from memory (no @include). The fuzz and unit-test seam. */
int config_load_string(const char *text, struct policy *pol, struct config_errors *errs);

#endif
