/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_values: the text values of the allowlist (numbers, ports and
 * ranges, addresses and CIDRs, dates) -> their meaning. Pure, no libconfig. */
#ifndef CHECK_LISTENERS_CONFIG_VALUES_H
#define CHECK_LISTENERS_CONFIG_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

/* The decimal s[0 .. n) without leading zeros (people write these, and "010"
 * may mean octal) and at most max into *out. */
bool cfg_parse_num(const char *s, size_t n, unsigned long max, unsigned long *out);

/* "22" or "8000-8099" (low <= high) into *sp. */
bool cfg_parse_port(const char *s, struct port_span *sp);

/* "any", "loopback", an address or a CIDR (host bits clear; an IPv4-mapped
 * IPv6 one becomes IPv4) into *a. Returns NULL, or why not in words. */
const char *cfg_parse_addr(const char *s, struct addr_match *a);

/* "YYYY-MM-DD", a real date, into *expires: the first second of the next
 * local day. */
bool cfg_parse_date(const char *s, int64_t *expires);

#endif
