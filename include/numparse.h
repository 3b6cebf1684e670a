/* SPDX-License-Identifier: GPL-3.0-or-later */
/* numparse: the one strict decimal parser.
 *
 * Numbers reach the plugin from the command line, the config file, the IANA
 * CSV and kernel files under /proc. strtoul() takes leading spaces, a sign and
 * (base 0) hex, and wraps "-1" to ULONG_MAX, so every module used to write its
 * own digit loop; this is that loop, written once. Rules that differ per source
 * (no leading zeros in the config, at most 5 digits in the CSV) stay in the
 * module that has them, around this call.
 */
#ifndef CHECK_LISTENERS_NUMPARSE_H
#define CHECK_LISTENERS_NUMPARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses exactly the len bytes at s as a decimal number of at most max.
 * Every byte must be '0'-'9': no sign, no space, no "0x", no NUL (a NUL
 * inside the span is an error, so len is never shortened by one). Leading
 * zeros are accepted. Overflow-safe for any len.
 * Returns 0 and sets *out; -EINVAL for an empty span, a NULL s or any
 * non-digit (checked first, so "99999999999999999999x" is -EINVAL); -ERANGE
 * when the digits are a number above max. *out is left alone on error. */
int parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);

/* parse_u64() on the whole NUL-terminated string s. */
int parse_u64_str(const char *s, uint64_t max, uint64_t *out);

#endif
