/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_keys: a libconfig group walked with a key table (config_keys.h). */
#include "config_keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors at settings ---------------------------------------------- */

static const char *key_of(const config_setting_t *s)
{
	const char *name = config_setting_name(s);

	if (!name && config_setting_parent(s))
		name = config_setting_name(config_setting_parent(s));
	return name ? name : "value";
}

enum { AT_ERROR, AT_WARNING, AT_NOTE };

/* A message at a setting: "FILE:LINE: KEY: message", as an error, a warning
 * or a note. */
static void at_setting(struct cfg_loader *ld, int kind, const config_setting_t *s, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static void at_setting(struct cfg_loader *ld, int kind, const config_setting_t *s, const char *fmt, va_list ap)
{
	const char *file;
	unsigned line;
	char text[900];

	vsnprintf(text, sizeof(text), fmt, ap);
	cfg_locate(ld, config_setting_source_line(s), &file, &line);
	if (kind == AT_ERROR)
		cfg_error(ld, file, line, "%s: %s", key_of(s), text);
	else
		cfg_note(ld, kind == AT_WARNING, file, line, "%s: %s", key_of(s), text);
}

/* An error at a setting. Returns -1. */
int cfg_serr(struct cfg_loader *ld, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at_setting(ld, AT_ERROR, s, fmt, ap);
	va_end(ap);
	return -1;
}

/* A warning or a note at a setting: "warning: FILE:LINE: KEY: message". */
void cfg_snote(struct cfg_loader *ld, bool warning, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at_setting(ld, warning ? AT_WARNING : AT_NOTE, s, fmt, ap);
	va_end(ap);
}

/* ---- the walk ---------------------------------------------------------- */

unsigned cfg_type_of(const config_setting_t *s)
{
	static const unsigned types[] = {
		[CONFIG_TYPE_GROUP] = CFG_T_GROUP, [CONFIG_TYPE_INT] = CFG_T_INT,
		[CONFIG_TYPE_INT64] = CFG_T_INT, [CONFIG_TYPE_FLOAT] = CFG_T_FLOAT,
		[CONFIG_TYPE_STRING] = CFG_T_STR, [CONFIG_TYPE_BOOL] = CFG_T_BOOL,
		[CONFIG_TYPE_ARRAY] = CFG_T_LIST, [CONFIG_TYPE_LIST] = CFG_T_LIST,
	};
	int t = config_setting_type(s);

	return t >= 0 && (size_t)t < NELEM(types) ? types[t] : 0;
}

/* "an integer, a string or a list of these" */
static void type_text(unsigned mask, char *buf, size_t size)
{
	static const char *const names[] = { "an integer", "a string", "a boolean", "a list",
		"a group { }", "a float" };
	size_t n = 0, k = 0, total = (size_t)__builtin_popcount(mask);

	buf[0] = '\0';
	for (size_t i = 0; i < NELEM(names) && n < size; i++) {
		const char *name = names[i];

		if (!(mask & (1u << i)))
			continue;
		if (1u << i == CFG_T_LIST && total > 1)
			name = "a list of these";
		k++;
		n += (size_t)snprintf(buf + n, size - n, "%s%s",
				k == 1 ? "" : k == total ? " or " : ", ", name);
	}
}

static void key_names(const struct cfg_key *keys, size_t n, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", keys[i].name);
}

/* Room for every value of a list key, so parsers only append. */
static int reserve(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	size_t n = cfg_type_of(s) == CFG_T_LIST ? (size_t)config_setting_length(s) : 1;
	void **arr = CFG_FIELD(obj, k, void *);

	if (!k->each || *arr)
		return 0;
	*arr = calloc(n, k->each);
	return *arr ? 0 : (ld->oom = true, -1);
}

/* Checks the type of s (each element of a list) before calling the parser.
 * The wanted types are put in words only for a message: every setting of
 * every run passes here. */
static int apply(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	unsigned t = cfg_type_of(s), scalars = k->types & ~(unsigned)CFG_T_LIST;
	char want[128];
	int n, rc = 0;

	if (!(t & k->types)) {
		type_text(k->types, want, sizeof(want));
		return cfg_serr(ld, s, "must be %s", want);
	}
	if (t != CFG_T_LIST || k->types == CFG_T_LIST)
		return reserve(ld, s, obj, k) < 0 ? -1 : k->parse(ld, s, obj, k);
	if ((n = config_setting_length(s)) == 0)
		return cfg_serr(ld, s, "empty list");
	if (reserve(ld, s, obj, k) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);

		if (!(cfg_type_of(e) & scalars)) {
			type_text(scalars, want, sizeof(want));
			rc = cfg_serr(ld, e, "each element must be %s", want);
		} else if (k->parse(ld, e, obj, k) < 0) {
			rc = -1;
		}
	}
	return rc;
}

/* Applies the table to every member of group. Returns how many selecting
 * keys it has (used or not), so a rule without any is caught. */
int cfg_walk(struct cfg_loader *ld, const config_setting_t *group, const struct cfg_key *keys,
		size_t nkeys, void *obj, const char *what)
{
	int selects = 0;

	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(s);
		size_t k = 0;
		char known[256];

		while (k < nkeys && strcmp(keys[k].name, name) != 0)
			k++;
		if (k == nkeys) {
			key_names(keys, nkeys, known, sizeof(known));
			cfg_serr(ld, s, "unknown key in %s (known: %s)", what, known);
			continue;
		}
		selects += keys[k].selects;
		apply(ld, s, obj, &keys[k]);
	}
	return selects;
}

/* ---- the parsers every group uses ------------------------------------- */

int cfg_p_string(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);

	if (*v == '\0')
		return cfg_serr(ld, s, "must not be empty");
	free(*CFG_FIELD(obj, k, char *));
	*CFG_FIELD(obj, k, char *) = strdup(v);
	return *CFG_FIELD(obj, k, char *) ? 0 : (ld->oom = true, -1);
}

/* A glob field: a string that pattern_check() accepts. */
int cfg_p_glob(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	const char *v = config_setting_get_string(s);
	const char *why = pattern_check(v);

	if (why)
		return cfg_serr(ld, s, "pattern \"%s\" %s", v, why);
	return cfg_p_string(ld, s, obj, k);
}

int cfg_p_bool(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k)
{
	(void)ld;
	*CFG_FIELD(obj, k, bool) = config_setting_get_bool(s) != 0;
	return 0;
}
