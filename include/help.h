/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help: the texts about the plugin itself - --help, --version and the usage
 * printed with a usage error - per the Monitoring Plugins guidelines: the
 * version first, then the usage, then the options; every line fits in 80
 * columns and none holds a '|', which Nagios and Icinga would take for the
 * start of perfdata. */
#ifndef CHECK_LISTENERS_HELP_H
#define CHECK_LISTENERS_HELP_H

#include <stdbool.h>

#include "strbuf.h"

struct options;

/* "check_listeners 0.1.0 (IANA port registry snapshot 2025-01-07)\n":
 * -V, and the first line of --help. */
void help_version(const char *snapshot, struct strbuf *out);

/* --help: the version line, "Usage:", then the options by group. */
void help_full(const char *snapshot, struct strbuf *out);

/* --help (help_full()) or -V/--version (help_version()) when o asks for
 * one: writes it and returns true; false, writing nothing, otherwise. */
bool help_answer(const struct options *o, const char *snapshot, struct strbuf *out);

/* The short usage printed after a usage error (two lines). */
const char *help_usage(void);

#endif
