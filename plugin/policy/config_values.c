/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_values: the text values of the allowlist. Pure. */
#include "config_values.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "numparse.h"

/* parse_u64() without leading zeros: people write these, and "010" may mean octal. */
bool cfg_parse_num(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if ((n > 1 && s[0] == '0') || parse_u64(s, n, max, &v) < 0)
		return false;
	*out = (unsigned long)v;
	return true;
}

/* "22" or "8000-8099". */
bool cfg_parse_port(const char *s, struct port_span *sp)
{
	const char *dash = strchr(s, '-'), *high = dash ? dash + 1 : s;      /* "22" is 22-22 */
	unsigned long lo, hi;

	if (!cfg_parse_num(s, dash ? (size_t)(dash - s) : strlen(s), 65535, &lo)
			|| !cfg_parse_num(high, strlen(high), 65535, &hi))
		return false;
	sp->lo = (uint16_t)lo;
	sp->hi = (uint16_t)hi;
	return lo <= hi;
}

static bool host_bits_clear(const uint8_t *a, unsigned prefix, unsigned max)
{
	for (unsigned bit = prefix; bit < max; bit++)
		if (a[bit / 8] & (0x80u >> (bit % 8)))
			return false;
	return true;
}

/* "any", "loopback", an address or a CIDR. Returns NULL or why not. */
const char *cfg_parse_addr(const char *s, struct addr_match *a)
{
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };
	char ip[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long prefix;

	memset(a, 0, sizeof(*a));
	a->kind = strcmp(s, "any") == 0 ? ADDR_ANY : strcmp(s, "loopback") == 0 ? ADDR_LOOPBACK : ADDR_CIDR;
	if (a->kind != ADDR_CIDR)
		return NULL;
	if (n >= sizeof(ip))
		return "is not an address";
	memcpy(ip, s, n);
	ip[n] = '\0';
	a->family = inet_pton(AF_INET, ip, a->addr) == 1 ? AF_INET
		: inet_pton(AF_INET6, ip, a->addr) == 1 ? AF_INET6 : 0;
	if (!a->family)
		return "is not an IPv4/IPv6 address, CIDR, \"any\" or \"loopback\"";
	prefix = a->family == AF_INET ? 32 : 128;
	if (slash && !cfg_parse_num(slash + 1, strlen(slash + 1), prefix, &prefix))
		return "has a bad prefix length";
	if (!host_bits_clear(a->addr, (unsigned)prefix, a->family == AF_INET ? 32 : 128))
		return "has host bits set beyond the prefix";
	a->prefix = (uint8_t)prefix;
	if (a->family == AF_INET6 && prefix >= 96 && memcmp(a->addr, mapped, 12) == 0) {
		/* the inventory turns IPv4-mapped sockets into AF_INET */
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
		a->family = AF_INET;
		a->prefix = (uint8_t)(prefix - 96);
	}
	return NULL;
}

/* "YYYY-MM-DD", a real date; the first second of the next local day. */
bool cfg_parse_date(const char *s, int64_t *expires)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	uint64_t y, m, d;
	struct tm tm = { .tm_isdst = -1 };
	time_t t;

	/* the month and day have their leading zero: parse_u64, not parse_num */
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || parse_u64(s, 4, 9999, &y) < 0 || y < 1970
			|| parse_u64(s + 5, 2, 12, &m) < 0 || parse_u64(s + 8, 2, 31, &d) < 0
			|| m == 0 || d == 0 || (int)d > mdays[m - 1]
			|| (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))))
		return false;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)m - 1;
	tm.tm_mday = (int)d + 1;        /* mktime normalises the 32nd */
	t = mktime(&tm);
	*expires = (int64_t)t;
	return t != (time_t)-1;
}

