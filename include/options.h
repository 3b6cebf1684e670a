/* SPDX-License-Identifier: GPL-3.0-or-later */
/* options: the command line. */
#ifndef CHECK_LISTENERS_OPTIONS_H
#define CHECK_LISTENERS_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "thresholds.h"

/* SYSCONFDIR comes from the build (make SYSCONFDIR=..., default /etc). */
#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define DEFAULT_CONFIG SYSCONFDIR "/check_listeners.conf"

enum mode { MODE_CHECK, MODE_LIST, MODE_HELP, MODE_VERSION, MODE_PORT_INFO,
	MODE_CHECK_CONFIG, MODE_GENERATE_CONFIG };
enum format { FORMAT_TEXT, FORMAT_JSON };

struct sev_override {
	enum sev_class cls;
	enum state state;
};

struct options {
	enum mode mode;
	int verbose;                    /* 0-3 */
	unsigned timeout;               /* seconds, default 10 */
	enum state timeout_state;       /* default UNKNOWN */
	const char *config;             /* DEFAULT_CONFIG unless -C */
	bool config_given;
	struct threshold warn, crit;
	const char *registry;           /* --registry FILE */
	uint16_t info_port;             /* --port-info PORT[/PROTO] */
	int info_proto;                 /* its enum reg_proto, -1 = every protocol */
	enum format format;
	size_t max_output;              /* 0 = no limit */
	bool all_netns;
	struct sev_override sev[SEV_COUNT * 2];
	size_t nsev;
};

/* Parses argv. Returns 0, or -EINVAL with err holding a one-line reason (the
 * first error); every other option is still applied, e.g. --format. */
int options_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

/* True when the output shows every listener's user, recognised ones too
 * (--format json, -v), not only the wanted listeners'. */
bool options_show_users(const struct options *o);

/* True when a missing configuration file means the built-in defaults: the
 * default path (no -C), and not for --check-config. */
bool options_config_optional(const struct options *o);

/* True when the run looks up every listener's owner, not only where a
 * verdict needs it or it is shown: --list and --generate-config. */
bool options_all_owners(const struct options *o);

/* True when --format json promises one JSON document for this mode, so
 * that a text result (an early UNKNOWN) is wrapped: the check and --list. */
bool options_json_owed(const struct options *o);

/* Applies what the command line sets over what the config file set:
 * severities, thresholds and --all-netns win over the file. */
void options_apply(const struct options *o, struct policy *pol);


#endif
