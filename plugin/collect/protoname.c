/* SPDX-License-Identifier: GPL-3.0-or-later */
/* protoname: ETH_P and IP protocol names. */
#include "protoname.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "numparse.h"

struct num_name {
	uint16_t num;
	const char *name;
};

/* The link-layer protocols a server's packet sockets usually ask for. */
static const struct num_name eth_names[] = {
	{ 0x0001, "802_3" },
	{ 0x0003, "all" },
	{ 0x0004, "802_2" },
	{ 0x0060, "loop" },
	{ 0x0800, "ip" },
	{ 0x0806, "arp" },
	{ 0x8035, "rarp" },
	{ 0x8100, "8021q" },
	{ 0x8137, "ipx" },
	{ 0x86dd, "ipv6" },
	{ 0x8809, "slow" },     /* LACP, marker */
	{ 0x8847, "mpls_uc" },
	{ 0x8848, "mpls_mc" },
	{ 0x8863, "ppp_disc" },
	{ 0x8864, "ppp_ses" },
	{ 0x888e, "pae" },      /* 802.1X, EAPOL */
	{ 0x88a2, "aoe" },
	{ 0x88a8, "8021ad" },
	{ 0x88ca, "tipc" },
	{ 0x88cc, "lldp" },
	{ 0x88e5, "macsec" },
	{ 0x88f7, "1588" },     /* PTP */
	{ 0x8902, "cfm" },
	{ 0x8906, "fcoe" },
	{ 0x8914, "fip" },
};

static const struct num_name ip_names[] = {
	{ 0, "ip" },            /* in a raw6 row: IPPROTO_HOPOPTS */
	{ 1, "icmp" },
	{ 2, "igmp" },
	{ 4, "ipencap" },
	{ 6, "tcp" },
	{ 8, "egp" },
	{ 17, "udp" },
	{ 33, "dccp" },
	{ 41, "ipv6" },
	{ 46, "rsvp" },
	{ 47, "gre" },
	{ 50, "esp" },
	{ 51, "ah" },
	{ 58, "ipv6-icmp" },
	{ 58, "icmpv6" },       /* an alias read from rules: by_num() finds the name above */
	{ 89, "ospf" },
	{ 103, "pim" },
	{ 112, "vrrp" },
	{ 115, "l2tp" },
	{ 132, "sctp" },
	{ 136, "udplite" },
	{ 137, "mpls-in-ip" },
	{ 255, "raw" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* One numbering of protocols: its names, the largest number, and how its
 * numbers are written: in hex, 0x and hex_digits digits (read with fewer
 * too), or in decimal when hex_digits is 0. */
struct numbering {
	const struct num_name *names;
	size_t n;
	unsigned max;
	int hex_digits;
};

static const struct numbering eth = { eth_names, NELEM(eth_names), 65535, 4 };
static const struct numbering ip = { ip_names, NELEM(ip_names), 255, 0 };

static const char *by_num(const struct numbering *nb, unsigned num)
{
	for (size_t i = 0; i < nb->n; i++)
		if (nb->names[i].num == num)
			return nb->names[i].name;
	return NULL;
}

static const char *format(const struct numbering *nb, unsigned num, char *out, size_t outlen)
{
	const char *name = by_num(nb, num);

	if (name)
		snprintf(out, outlen, "%s", name);
	else if (nb->hex_digits)
		snprintf(out, outlen, "0x%0*x", nb->hex_digits, num);
	else
		snprintf(out, outlen, "%u", num);
	return out;
}

/* A name, 0x and hex digits where the numbering takes them, or a decimal
 * number; at most nb->max. Returns the number or -1. */
static int parse(const struct numbering *nb, const char *s)
{
	uint64_t v;
	uint32_t x;
	size_t n;

	if (!s)
		return -1;
	for (size_t i = 0; i < nb->n; i++)
		if (strcmp(nb->names[i].name, s) == 0)
			return nb->names[i].num;
	n = strlen(s);
	if (nb->hex_digits && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return n - 2 <= (size_t)nb->hex_digits && parse_hex_u32(s + 2, n - 2, &x) == 0 &&
			x <= nb->max ? (int)x : -1;
	return parse_u64_str(s, nb->max, &v) == 0 ? (int)v : -1;
}

int parse_hex_u32(const char *p, size_t n, uint32_t *out)
{
	uint32_t v = 0;

	if (!p || n == 0 || n > 8)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

const char *eth_proto_name(uint16_t protocol)
{
	return by_num(&eth, protocol);
}

const char *eth_proto_format(uint16_t protocol, char *out, size_t outlen)
{
	return format(&eth, protocol, out, outlen);
}

int eth_proto_parse(const char *s)
{
	return parse(&eth, s);
}

const char *ip_proto_name(uint8_t protocol)
{
	return by_num(&ip, protocol);
}

const char *ip_proto_format(uint8_t protocol, char *out, size_t outlen)
{
	return format(&ip, protocol, out, outlen);
}

int ip_proto_parse(const char *s)
{
	return parse(&ip, s);
}
