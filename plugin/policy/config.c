/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config: the libconfig allowlist file -> struct policy.
 *
 * Pass 3 of three (passes 1 and 2, reading vetted files and lexing @include
 * lines, are in config_file.c, so that libconfig never opens a file we have
 * not vetted): hand the text to libconfig and walk the tree with key tables
 * (config_keys.c), one per group: the top level, registry, netns,
 * thresholds and severity here, the allow rules in config_rules.c. */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_dropins.h"
#include "config_file.h"
#include "config_keys.h"
#include "config_rules.h"
#include "config_values.h"
#include "registry.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the groups of the top level ------------------------------------ */

/* A "PORT/PROTO" list of struct policy: the array at k->off, its count right after. */
static int p_port_list(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct port_override *v = *CFG_FIELD(obj, k, struct port_override *);
	size_t *n = (size_t *)(void *)((char *)obj + k->off + sizeof(struct port_override *));
	const char *t = config_setting_get_string(s), *slash = strrchr(t, '/');
	unsigned long port;
	int proto = slash ? reg_proto_from_name(slash + 1) : -1;

	if (!slash || !cfg_parse_num(t, (size_t)(slash - t), 65535, &port) || proto < 0)
		return cfg_serr(ld, s, "\"%s\" is not PORT/PROTO, e.g. \"3206/tcp\"", t);
	v[*n].port = (uint16_t)port;
	v[(*n)++].proto = (uint8_t)proto;
	return 0;
}

_Static_assert(offsetof(struct policy, nunassigned) == offsetof(struct policy, unassigned) + sizeof(void *)
		&& offsetof(struct policy, nsuspicious) == offsetof(struct policy, suspicious) + sizeof(void *)
		&& offsetof(struct policy, nnot_suspicious) == offsetof(struct policy, not_suspicious) + sizeof(void *),
		"p_port_list: each port list is followed by its count");

/* registry.file: relative to the directory of the file that names it, as
 * @include is, and readable now: else every check run would be UNKNOWN
 * although --check-config said the file is valid. */
static int p_registry_file(struct cfg_loader *ld, const config_setting_t *s, void *obj,
		const struct cfg_key *k)
{
	struct policy *pol = obj;
	const char *v = config_setting_get_string(s), *file;
	unsigned line;
	int err;

	(void)k;
	if (*v == '\0')
		return cfg_serr(ld, s, "must not be empty");
	cfg_locate(ld, config_setting_source_line(s), &file, &line);
	free(pol->registry_file);
	err = cfg_file_beside(file, v, strcmp(ld->name, "<string>") != 0, &pol->registry_file);
	if (err == -ENOMEM)
		return ld->oom = true, -1;
	if (err < 0)
		return cfg_serr(ld, s, "\"%s\" cannot be used: %s", pol->registry_file,
				err == -EINVAL ? "not a regular file" : strerror(-err));
	return 0;
}

/* A threshold range: "RANGE" as -w/-c take it, or a number N (the range N). */
static int p_range(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	char num[24];
	const char *v = num;

	if (cfg_type_of(s) == CFG_T_INT)
		snprintf(num, sizeof(num), "%lld", config_setting_get_int64(s));
	else
		v = config_setting_get_string(s);
	if (threshold_parse(v, CFG_FIELD(obj, k, struct threshold)) < 0)
		return cfg_serr(ld, s, "\"%s\" is not a range [@][START:][END] (e.g. 0, 5:, @1:3, ~:10)", v);
	return 0;
}

static const struct cfg_key registry_keys[] = {
	{ "file", CFG_T_STR, p_registry_file, 0, false, 0 },
	{ "unassigned", CFG_T_STR | CFG_T_LIST, p_port_list, offsetof(struct policy, unassigned), false,
		sizeof(struct port_override) },
	{ "suspicious", CFG_T_STR | CFG_T_LIST, p_port_list, offsetof(struct policy, suspicious), false,
		sizeof(struct port_override) },
	{ "not_suspicious", CFG_T_STR | CFG_T_LIST, p_port_list, offsetof(struct policy, not_suspicious), false,
		sizeof(struct port_override) },
};
static const struct cfg_key netns_keys[] = {
	{ "all", CFG_T_BOOL, cfg_p_bool, offsetof(struct policy, all_netns), false, 0 },
};
static const struct cfg_key threshold_keys[] = {
	{ "warning", CFG_T_STR | CFG_T_INT, p_range, offsetof(struct policy, warn), false, 0 },
	{ "critical", CFG_T_STR | CFG_T_INT, p_range, offsetof(struct policy, crit), false, 0 },
};

static int p_registry(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	(void)k;
	cfg_walk(ld, s, registry_keys, NELEM(registry_keys), obj, "registry");
	return 0;
}

static int p_netns(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	(void)k;
	cfg_walk(ld, s, netns_keys, NELEM(netns_keys), obj, "netns");
	return 0;
}

static int p_thresholds(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	(void)k;
	cfg_walk(ld, s, threshold_keys, NELEM(threshold_keys), obj, "thresholds");
	return 0;
}

/* The keys are the policy module's class names. */
static int p_severity(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	struct policy *pol = obj;

	(void)k;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *v = config_setting_get_string(e);
		int cls = sev_class_from_name(config_setting_name(e)), st = v ? state_from_name(v) : -1;

		if (cls < 0) {
			char known[192];
			size_t n = 0;

			for (int c = 0; c < SEV_COUNT && n < sizeof(known); c++)
				n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s", c ? ", " : "",
						sev_class_name((enum sev_class)c));
			cfg_serr(ld, e, "unknown key in severity (known: %s)", known);
		} else if (!v)
			cfg_serr(ld, e, "must be a string: \"ok\", \"warning\", \"critical\" or \"unknown\"");
		else if (st < 0)
			cfg_serr(ld, e, "\"%s\" is not \"ok\", \"warning\", \"critical\" or \"unknown\"", v);
		else
			pol->severity[cls] = (enum state)st;
	}
	return 0;
}

static const struct cfg_key top_keys[] = {
	{ "severity", CFG_T_GROUP, p_severity, 0, false, 0 },
	{ "registry", CFG_T_GROUP, p_registry, 0, false, 0 },
	{ "netns", CFG_T_GROUP, p_netns, 0, false, 0 },
	{ "thresholds", CFG_T_GROUP, p_thresholds, 0, false, 0 },
	{ "allow", CFG_T_LIST, cfg_p_allow, 0, false, 0 },
};

/* A drop-in adds rules; settings that hold one value stay in the main file,
 * so that no file order decides them. */
static const struct cfg_key dropin_keys[] = {
	{ "allow", CFG_T_LIST, cfg_p_allow, 0, false, 0 },
};

/* ---- loading --------------------------------------------------------- */

/* libconfig's own words, and what to do about the one people meet most. */
static void syntax_error(struct cfg_loader *ld, config_t *cf)
{
	const char *text = config_error_text(cf), *file;
	unsigned line;

	cfg_locate(ld, (unsigned)config_error_line(cf), &file, &line);
	if (strstr(text, "mismatched element type"))
		cfg_error(ld, file, line, "%s: an array [ ] holds values of one type: "
				"write a list ( 22, \"80-90\" ) to mix numbers and ranges", text);
	else
		cfg_error(ld, file, line, "%s", text);
}

/* libconfig parses the spliced text from memory; its include directory
 * "/dev/null" can never open, should it ever see an @include the lexer
 * missed. */
static void parse_text(struct cfg_loader *ld, struct policy *tmp, const struct cfg_key *keys, size_t nkeys,
		const char *what)
{
	config_t cf;

	config_init(&cf);
	config_set_include_dir(&cf, "/dev/null");
	if (config_read_string(&cf, ld->text) == CONFIG_TRUE)
		cfg_walk(ld, config_root_setting(&cf), keys, nkeys, tmp, what);
	else
		syntax_error(ld, &cf);
	config_destroy(&cf);
}

/* A copy of pol's settings that the command line may have set already. */
static void tmp_from(struct policy *tmp, const struct policy *pol)
{
	policy_init(tmp);
	memcpy(tmp->severity, pol->severity, sizeof(tmp->severity));
	tmp->all_netns = pol->all_netns;
	tmp->warn = pol->warn;
	tmp->crit = pol->crit;
}

/* tmp replaces pol only when there is no error. */
static int commit(struct cfg_loader *ld, struct policy *tmp, struct policy *pol)
{
	int rc;

	if (ld->oom)
		cfg_error(ld, ld->name, 0, "out of memory");
	rc = ld->oom ? -ENOMEM : ld->fatal ? ld->fatal : ld->errs->n ? -EINVAL : 0;
	if (rc == 0) {
		policy_free(pol);
		*pol = *tmp;
	} else {
		policy_free(tmp);
	}
	cfg_loader_free(ld);
	return rc;
}

/* The drop-in files of path's directory (config_dropins.h), each spliced
 * under the same trust rule as the main file and read for allow only. Not
 * inlined: its 14 KiB of buffers in config_load()'s frame would put the main
 * file's splice and trust walk that much deeper on the stack (fresh pages). */
__attribute__((noinline))
static void load_dropins(struct cfg_loader *top, const char *path, struct policy *tmp)
{
	char dir[PATH_MAX], file[PATH_MAX + 256], err[PATH_MAX + 256];
	char **names = NULL;
	size_t n = 0;
	int rc;

	if (cfg_dropin_dir(path, dir, sizeof(dir)) < 0)
		return;
	rc = cfg_dropin_names(dir, top->trust.strict, &names, &n, err, sizeof(err));
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct cfg_loader ld = { .name = file, .includes = true, .trust = top->trust, .errs = top->errs };
		size_t errors = top->errs->n;

		snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
		if (cfg_splice_file(&ld) == 0 && top->errs->n == errors && !ld.oom)
			parse_text(&ld, tmp, dropin_keys, NELEM(dropin_keys), "a drop-in file (rules go in allow)");
		if (ld.fatal && !top->fatal)
			top->fatal = ld.fatal;
		top->oom |= ld.oom;
		cfg_loader_free(&ld);
	}
	if (rc < 0 && rc != -ENOENT) {
		struct cfg_loader ld = { .name = dir, .errs = top->errs };

		cfg_error(&ld, dir, 0, "%s", err);
		top->oom |= ld.oom || rc == -ENOMEM;
		if (!top->fatal && rc != -ENOMEM)
			top->fatal = rc;
	}
	cfg_dropin_free(names, n);
}

int config_load(const char *path, const struct trust *t, struct policy *pol,
		struct config_errors *errs)
{
	struct cfg_loader ld = { .name = path, .errs = errs };
	struct policy tmp;
	int rc;

	*errs = (struct config_errors){ 0 };
	if (t)
		ld.trust = *t;
	rc = cfg_splice_file(&ld);
	if (rc < 0) {
		cfg_loader_free(&ld);
		return rc;
	}
	tmp_from(&tmp, pol);
	if (ld.errs->n == 0 && !ld.oom)
		parse_text(&ld, &tmp, top_keys, NELEM(top_keys), "the configuration");
	load_dropins(&ld, path, &tmp);
	return commit(&ld, &tmp, pol);
}

int config_load_string(const char *text, struct policy *pol, struct config_errors *errs)
{
	struct cfg_loader ld = { .name = "<string>", .errs = errs };
	struct policy tmp;

	*errs = (struct config_errors){ 0 };
	cfg_splice_string(&ld, text);
	tmp_from(&tmp, pol);
	if (ld.errs->n == 0 && !ld.oom)
		parse_text(&ld, &tmp, top_keys, NELEM(top_keys), "the configuration");
	return commit(&ld, &tmp, pol);
}
