/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_dropins: the drop-in directory of a config file.
 *
 * /etc/check_listeners.conf has /etc/check_listeners.d: the config file's
 * path without ".conf", plus ".d" (so the directory follows -C and
 * SYSCONFDIR, and its name is derived in this one place). Its files named
 * *.conf are read in byte order of their names, each vetted like the main
 * file; their allow rules are appended to the main file's (config.c). */
#ifndef CHECK_LISTENERS_CONFIG_DROPINS_H
#define CHECK_LISTENERS_CONFIG_DROPINS_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the drop-in directory of config_path to out. Returns 0, or
 * -ENAMETOOLONG when it does not fit. */
int cfg_dropin_dir(const char *config_path, char *out, size_t size);

/* The names (not paths) of the regular-looking entries "*.conf" of dir that do
 * not start with '.', sorted with strcmp. strict_owner (running as root): the
 * directory must be owned by root and not writable by group or others, as
 * the config file itself. Returns 0 with *names (malloc'd; free with
 * cfg_dropin_free) and *n; -ENOENT when dir does not exist (no drop-ins,
 * *n = 0); or -errno / -EPERM with the reason in err (without the directory). */
int cfg_dropin_names(const char *dir, bool strict_owner, char ***names, size_t *n,
		char *err, size_t errlen);

void cfg_dropin_free(char **names, size_t n);

#endif
