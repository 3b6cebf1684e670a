/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pkthold: opens the packet and raw sockets the integration tests and the
 * bench ask for, prints one "inode KIND N" line per socket and then "ready",
 * and holds them until killed. Test helper, not part of the plugin.
 *
 * usage: pkthold [--comm NAME] SPEC...
 *   packet:PROTO[:opt,...]   PROTO all|ip|arp|ipv6|0xNNNN|decimal
 *       opts  filter (attach a 4-instruction classic BPF filter, SO_ATTACH_FILTER),
 *             dgram (SOCK_DGRAM instead of SOCK_RAW), dev=IFNAME (bind to it),
 *             n=COUNT (COUNT such sockets)
 *   raw4:PROTO[:opt,...], raw6:PROTO[:opt,...]   PROTO icmp|udp|raw|ipv6-icmp|decimal
 *       opts  addr=ADDRESS (bind), dev=IFNAME (SO_BINDTODEVICE), n=COUNT
 *   --comm NAME  set the process name (prctl PR_SET_NAME), e.g. to pose as dhclient
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct spec {
	char kind[8];           /* packet, raw4, raw6 */
	int proto;
	int type;
	int filter;
	int count;
	char dev[IF_NAMESIZE];
	char addr[64];
};

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "pkthold: %s: %s (%s)\n", what, arg, strerror(errno));
	exit(2);
}

static int parse_num(const char *s, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < 0 || v > 65535)
		errno = EINVAL, die("bad number", arg);
	return (int)v;
}

static int parse_proto(const struct spec *s, const char *p, const char *arg)
{
	static const struct { const char *name; int eth, ip; } names[] = {
		{ "all", ETH_P_ALL, -1 }, { "ip", ETH_P_IP, -1 }, { "arp", ETH_P_ARP, -1 },
		{ "ipv6", ETH_P_IPV6, -1 }, { "icmp", -1, IPPROTO_ICMP }, { "udp", -1, IPPROTO_UDP },
		{ "raw", -1, IPPROTO_RAW }, { "ipv6-icmp", -1, IPPROTO_ICMPV6 }, { "vrrp", -1, 112 },
	};
	int packet = strcmp(s->kind, "packet") == 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int v = packet ? names[i].eth : names[i].ip;

		if (strcmp(p, names[i].name) == 0 && v >= 0)
			return v;
	}
	return parse_num(p, arg);
}

static void parse_spec(char *arg, struct spec *s)
{
	char *copy = strdup(arg), *kind, *proto, *opts, *o, *save = NULL;

	if (!copy)
		die("out of memory", arg);
	memset(s, 0, sizeof(*s));
	s->count = 1;
	kind = strtok_r(copy, ":", &save);
	proto = strtok_r(NULL, ":", &save);
	opts = strtok_r(NULL, "", &save);
	if (!kind || !proto || (strcmp(kind, "packet") && strcmp(kind, "raw4") && strcmp(kind, "raw6")))
		errno = EINVAL, die("bad spec", arg);
	snprintf(s->kind, sizeof(s->kind), "%s", kind);
	s->type = SOCK_RAW;
	s->proto = parse_proto(s, proto, arg);
	for (o = opts ? strtok_r(opts, ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
		if (strcmp(o, "filter") == 0)
			s->filter = 1;
		else if (strcmp(o, "dgram") == 0)
			s->type = SOCK_DGRAM;
		else if (strncmp(o, "dev=", 4) == 0)
			snprintf(s->dev, sizeof(s->dev), "%s", o + 4);
		else if (strncmp(o, "addr=", 5) == 0)
			snprintf(s->addr, sizeof(s->addr), "%s", o + 5);
		else if (strncmp(o, "n=", 2) == 0)
			s->count = parse_num(o + 2, arg);
		else
			errno = EINVAL, die("bad option", o);
	}
	free(copy);
}

/* A filter shaped like the ones implants use: look at the EtherType, keep IPv4. */
static void attach_filter(int fd, const char *arg)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		die("SO_ATTACH_FILTER", arg);
}

static int open_packet(const struct spec *s, const char *arg)
{
	int fd = socket(AF_PACKET, s->type, htons((uint16_t)s->proto));

	if (fd < 0)
		die("socket(AF_PACKET)", arg);
	if (s->filter)
		attach_filter(fd, arg);
	if (s->dev[0]) {
		struct sockaddr_ll sll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons((uint16_t)s->proto),
			.sll_ifindex = (int)if_nametoindex(s->dev),
		};

		if (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
			die("bind(AF_PACKET)", arg);
	}
	return fd;
}

static int open_raw(const struct spec *s, const char *arg)
{
	int family = strcmp(s->kind, "raw4") == 0 ? AF_INET : AF_INET6;
	int fd = socket(family, SOCK_RAW, s->proto);

	if (fd < 0)
		die("socket(SOCK_RAW)", arg);
	if (s->dev[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->dev,
			(socklen_t)strlen(s->dev) + 1) < 0)
		die("SO_BINDTODEVICE", arg);
	if (s->addr[0]) {
		struct sockaddr_storage ss = { 0 };
		struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
		socklen_t len = family == AF_INET ? sizeof(*v4) : sizeof(*v6);
		int ok = family == AF_INET ? inet_pton(AF_INET, s->addr, &v4->sin_addr)
			: inet_pton(AF_INET6, s->addr, &v6->sin6_addr);

		ss.ss_family = (sa_family_t)family;
		if (ok != 1 || bind(fd, (struct sockaddr *)&ss, len) < 0)
			die("bind(SOCK_RAW)", arg);
	}
	return fd;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 2 && strcmp(argv[1], "--comm") == 0) {
		if (prctl(PR_SET_NAME, argv[2], 0, 0, 0) < 0)
			die("prctl", argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: pkthold [--comm NAME] packet:PROTO[:opts]|raw4:PROTO[:opts]|raw6:PROTO[:opts]...\n");
		return 2;
	}
	for (; i < argc; i++) {
		struct spec s;

		parse_spec(argv[i], &s);
		for (int k = 0; k < s.count; k++) {
			int fd = strcmp(s.kind, "packet") == 0 ? open_packet(&s, argv[i]) : open_raw(&s, argv[i]);
			struct stat st;

			if (fstat(fd, &st) < 0)
				die("fstat", argv[i]);
			if (s.count == 1)
				printf("inode %s %lu\n", argv[i], (unsigned long)st.st_ino);
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
