/* SPDX-License-Identifier: GPL-3.0-or-later */
/* options: the command line, parsed from one table. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"
#include "registry.h"

enum long_only {
	OPT_REGISTRY = 256, OPT_PORT_INFO, OPT_CHECK_CONFIG, OPT_GENERATE_CONFIG,
	OPT_SEVERITY, OPT_FORMAT, OPT_MAX_OUTPUT,
};

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "timeout", required_argument, NULL, 't' },
	{ "config", required_argument, NULL, 'C' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "list", no_argument, NULL, 'l' },
	{ "all-netns", no_argument, NULL, 'n' },
	{ "registry", required_argument, NULL, OPT_REGISTRY },
	{ "port-info", required_argument, NULL, OPT_PORT_INFO },
	{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
	{ "generate-config", no_argument, NULL, OPT_GENERATE_CONFIG },
	{ "severity", required_argument, NULL, OPT_SEVERITY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
	{ NULL, 0, NULL, 0 },
};
static const char short_opts[] = ":hVvt:C:w:c:ln";

/* The whole string, decimal, within [min, max]; leading zeros are fine. */
static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (parse_u64_str(s, max, &v) < 0 || v < min)
		return -EINVAL;
	*out = (unsigned long)v;
	return 0;
}

#define ARG_LEN 32                      /* the longest -t, --port-info, --severity value + 1 */

/* Copies arg into buf and cuts it at the first sep: *rest is what follows
 * sep, or NULL when arg has none. Returns 0, or -EINVAL when arg does not fit. */
static int split_arg(const char *arg, char sep, char buf[ARG_LEN], const char **rest)
{
	char *p;

	if (strlen(arg) >= ARG_LEN)
		return -EINVAL;
	strcpy(buf, arg);
	p = strchr(buf, sep);
	if (p)
		*p++ = '\0';
	*rest = p;
	return 0;
}

/* "SECONDS" or "SECONDS:STATE". */
static int parse_timeout(const char *arg, struct options *o)
{
	char buf[ARG_LEN];
	const char *state;
	unsigned long v;
	int st;

	if (split_arg(arg, ':', buf, &state) < 0)
		return -EINVAL;
	if (state) {
		/* a name, or its number as check_nrpe and check_http take it */
		st = state[0] >= '0' && state[0] <= '3' && state[1] == '\0' ? state[0] - '0'
			: state_from_name(state);
		if (st < 0)
			return -EINVAL;
		o->timeout_state = (enum state)st;
	}
	if (parse_uint(buf, 1, 3600, &v) < 0)
		return -EINVAL;
	o->timeout = (unsigned)v;
	return 0;
}

/* "PORT" or "PORT/PROTO" (tcp, udp, udplite, sctp, dccp). */
static int parse_port_info(const char *arg, struct options *o)
{
	char buf[ARG_LEN];
	const char *proto;
	unsigned long v;

	if (split_arg(arg, '/', buf, &proto) < 0)
		return -EINVAL;
	o->info_proto = -1;
	if (proto && (o->info_proto = reg_proto_from_name(proto)) < 0)
		return -EINVAL;
	if (parse_uint(buf, 0, 65535, &v) < 0)
		return -EINVAL;
	o->info_port = (uint16_t)v;
	return 0;
}

/* "CLASS=STATE". */
static int parse_severity(const char *arg, struct options *o)
{
	char buf[ARG_LEN];
	const char *state;
	int cls, st;

	if (o->nsev >= sizeof(o->sev) / sizeof(o->sev[0]) || split_arg(arg, '=', buf, &state) < 0 ||
	    !state)
		return -EINVAL;
	cls = sev_class_from_name(buf);
	st = state_from_name(state);
	if (cls < 0 || st < 0)
		return -EINVAL;
	o->sev[o->nsev].cls = (enum sev_class)cls;
	o->sev[o->nsev].state = (enum state)st;
	o->nsev++;
	return 0;
}

/* Sets a mode option (--list, --port-info, ...); two different modes are a usage error. */
static int set_mode(struct options *o, enum mode m, const char *name, char *err, size_t errlen)
{
	if (o->mode != MODE_CHECK && o->mode != m) {
		snprintf(err, errlen, "%s cannot be combined with another mode", name);
		return -EINVAL;
	}
	o->mode = m;
	return 0;
}

/* Applies one option. Returns 0 or -EINVAL with err set. */
static int apply(int c, const char *arg, struct options *o, char *err, size_t errlen)
{
	unsigned long v;

	switch (c) {
	case 'h': o->mode = MODE_HELP; return 0;
	case 'V': o->mode = MODE_VERSION; return 0;
	case 'v': if (o->verbose < 3) o->verbose++; return 0;
	case 'l': return set_mode(o, MODE_LIST, "--list", err, errlen);
	case 'n': o->all_netns = true; return 0;
	case 'C': o->config = arg; o->config_given = true; return 0;
	case OPT_REGISTRY: o->registry = arg; return 0;
	case 't':
		if (parse_timeout(arg, o) == 0)
			return 0;
		snprintf(err, errlen, "invalid timeout '%.40s' (SECONDS 1-3600, optionally :STATE, "
				"a name or 0-3)", arg);
		return -EINVAL;
	case 'w':
	case 'c':
		if (threshold_parse(arg, c == 'w' ? &o->warn : &o->crit) == 0)
			return 0;
		snprintf(err, errlen, "invalid %s range '%.40s' (expected [@][START:][END])",
				c == 'w' ? "warning" : "critical", arg);
		return -EINVAL;
	case OPT_PORT_INFO:
		if (parse_port_info(arg, o) < 0) {
			snprintf(err, errlen, "invalid --port-info '%.40s' (PORT or PORT/PROTO, e.g. 3206/tcp)", arg);
			return -EINVAL;
		}
		return set_mode(o, MODE_PORT_INFO, "--port-info", err, errlen);
	case OPT_CHECK_CONFIG:
		return set_mode(o, MODE_CHECK_CONFIG, "--check-config", err, errlen);
	case OPT_GENERATE_CONFIG:
		return set_mode(o, MODE_GENERATE_CONFIG, "--generate-config", err, errlen);
	case OPT_SEVERITY:
		if (parse_severity(arg, o) == 0)
			return 0;
		snprintf(err, errlen, "invalid --severity '%.40s' (CLASS=STATE, e.g. dynamic=critical)", arg);
		return -EINVAL;
	case OPT_FORMAT:
		if (strcmp(arg, "text") == 0 || strcmp(arg, "json") == 0) {
			o->format = arg[0] == 'j' ? FORMAT_JSON : FORMAT_TEXT;
			return 0;
		}
		snprintf(err, errlen, "invalid --format '%.40s' (text or json)", arg);
		return -EINVAL;
	case OPT_MAX_OUTPUT:
		if (parse_uint(arg, 512, 1 << 20, &v) == 0) {
			o->max_output = v;
			return 0;
		}
		snprintf(err, errlen, "invalid --max-output '%.40s' (BYTES 512-1048576)", arg);
		return -EINVAL;
	}
	return -EINVAL;
}

/* Keeps the first error: parsing goes on so that --format json counts
 * wherever it stands (a usage error is then a JSON document too). */
static int fail(int rc, char *err, size_t errlen, const char *msg)
{
	if (rc == 0)
		snprintf(err, errlen, "%s", msg);
	return -EINVAL;
}

int options_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	char msg[256];
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->timeout = 10;
	o->timeout_state = STATE_UNKNOWN;
	o->config = DEFAULT_CONFIG;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *what = optopt ? NULL : argv[optind - 1];

			if (what)
				snprintf(msg, sizeof(msg), "%s '%.40s'",
						c == '?' ? "unknown option" : "missing argument for", what);
			else
				snprintf(msg, sizeof(msg), "%s '-%c'",
						c == '?' ? "unknown option" : "missing argument for", optopt);
			rc = fail(rc, err, errlen, msg);
		} else if (apply(c, optarg, o, msg, sizeof(msg)) < 0) {
			rc = fail(rc, err, errlen, msg);
		}
	}
	if (optind < argc) {
		snprintf(msg, sizeof(msg), "unexpected argument '%.40s' (this plugin takes options only)",
				argv[optind]);
		rc = fail(rc, err, errlen, msg);
	}
	return rc;
}

void options_apply(const struct options *o, struct policy *pol)
{
	for (size_t i = 0; i < o->nsev; i++)
		pol->severity[o->sev[i].cls] = o->sev[i].state;
	if (o->warn.set)
		pol->warn = o->warn;
	if (o->crit.set)
		pol->crit = o->crit;
	if (o->all_netns)
		pol->all_netns = true;
}

bool options_show_users(const struct options *o)
{
	return o->format == FORMAT_JSON || o->verbose > 0;
}

bool options_all_owners(const struct options *o)
{
	return o->mode == MODE_LIST || o->mode == MODE_GENERATE_CONFIG;
}

bool options_json_owed(const struct options *o)
{
	return o->format == FORMAT_JSON && (o->mode == MODE_CHECK || o->mode == MODE_LIST);
}

bool options_config_optional(const struct options *o)
{
	return !o->config_given && o->mode != MODE_CHECK_CONFIG;
}
