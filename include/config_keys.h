/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_keys: walking a libconfig group with a key table, below config.c.
 *
 * One table per group of the configuration: each key's name, the types it
 * accepts, its parser and the field it fills. The walker refuses unknown keys
 * and wrong types, reserves room for every value of a list, and reports each
 * error at its setting ("FILE:LINE: KEY: message", cfg_error() of
 * config_file.h), so that all errors of a file are reported together. Also
 * the parsers every group uses: a string, a glob pattern, a boolean.
 */
#ifndef CHECK_LISTENERS_CONFIG_KEYS_H
#define CHECK_LISTENERS_CONFIG_KEYS_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

#include "config_file.h"

/* The types of a setting, as a mask. */
enum { CFG_T_INT = 1, CFG_T_STR = 2, CFG_T_BOOL = 4, CFG_T_LIST = 8, CFG_T_GROUP = 16, CFG_T_FLOAT = 32 };

struct cfg_key;

/* Parses one value s (one element of a list) into obj. Returns 0, or -1
 * after reporting why (cfg_serr()) or setting ld->oom. */
typedef int cfg_key_parser(struct cfg_loader *ld, const config_setting_t *s, void *obj,
		const struct cfg_key *k);

struct cfg_key {
	const char *name;
	unsigned types;                 /* CFG_T_LIST: also a list of the other types */
	cfg_key_parser *parse;          /* called once per value */
	size_t off;                     /* the field in obj */
	bool selects;                   /* a rule field that narrows what the rule matches */
	size_t each;                    /* > 0: off is an array of this element size,
	                                   allocated for all values before parsing */
};

/* The field of key k in obj, as a type *. */
#define CFG_FIELD(obj, k, type) ((type *)(void *)((char *)(obj) + (k)->off))

/* The CFG_T_ type of s; 0 for a type no key accepts. */
unsigned cfg_type_of(const config_setting_t *s);

/* An error at setting s: "FILE:LINE: KEY: message". Returns -1. */
int cfg_serr(struct cfg_loader *ld, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A warning (warning true) or a note at setting s: "warning: FILE:LINE: KEY:
 * message"; neither makes the configuration invalid. */
void cfg_snote(struct cfg_loader *ld, bool warning, const config_setting_t *s, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Applies keys[0..nkeys) to every member of group, filling obj; what names
 * the group in "unknown key in WHAT". Errors are reported, not returned.
 * Returns how many selecting keys the group has, so that a rule without any
 * is caught. */
int cfg_walk(struct cfg_loader *ld, const config_setting_t *group, const struct cfg_key *keys,
		size_t nkeys, void *obj, const char *what);

/* A non-empty string, copied into the char * field (the old value freed). */
int cfg_p_string(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k);

/* A string that pattern_check() accepts, as cfg_p_string(). */
int cfg_p_glob(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k);

/* A boolean into the bool field. */
int cfg_p_bool(struct cfg_loader *ld, const config_setting_t *s, void *obj, const struct cfg_key *k);

#endif
