/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the inventory: grouping sockets into listeners (order,
 * duplicates, pointers into the socket array), owners given on demand, and
 * the interface and user name tables. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "inventory.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- inv_group on small tables ---------------------------------------- */

struct row {
	uint32_t netns;
	uint8_t proto;
	uint16_t port;
	const char *addr;       /* "127.0.0.1" or "::1" style */
	uint32_t ifindex;
	uint64_t cookie;
};

struct group_case {
	const char *name;
	struct row in[8];
	size_t nin;
	uint16_t ports[8];      /* the listeners' ports, in order */
	size_t counts[8];       /* and their socket counts */
	size_t nls;
	size_t nsocks;          /* after dropping duplicates */
};

#define V4 "10.0.0.1"
#define V4B "10.0.0.2"
#define V6 "fe80::1"

static const struct group_case groups[] = {
	{ "empty", { { 0 } }, 0, { 0 }, { 0 }, 0, 0 },
	{ "one", { { 0, PROTO_TCP, 22, V4, 0, 1 } }, 1, { 22 }, { 1 }, 1, 1 },
	{ "sorted by port", { { 0, PROTO_TCP, 80, V4, 0, 1 }, { 0, PROTO_TCP, 22, V4, 0, 2 },
	  { 0, PROTO_TCP, 443, V4, 0, 3 } }, 3, { 22, 80, 443 }, { 1, 1, 1 }, 3, 3 },
	{ "reuseport group", { { 0, PROTO_TCP, 80, V4, 0, 7 }, { 0, PROTO_TCP, 22, V4, 0, 2 },
	  { 0, PROTO_TCP, 80, V4, 0, 5 }, { 0, PROTO_TCP, 80, V4, 0, 6 } }, 4,
	  { 22, 80 }, { 1, 3 }, 2, 4 },
	{ "duplicate cookie dropped", { { 0, PROTO_TCP, 80, V4, 0, 9 }, { 0, PROTO_TCP, 80, V4, 0, 9 },
	  { 0, PROTO_TCP, 80, V4, 0, 8 } }, 3, { 80 }, { 2 }, 1, 2 },
	{ "cookie 0 never a duplicate", { { 0, PROTO_TCP, 80, V4, 0, 0 }, { 0, PROTO_TCP, 80, V4, 0, 0 } },
	  2, { 80 }, { 2 }, 1, 2 },
	{ "same cookie, other key kept", { { 0, PROTO_TCP, 80, V4, 0, 9 }, { 0, PROTO_UDP, 80, V4, 0, 9 } },
	  2, { 80, 80 }, { 1, 1 }, 2, 2 },
	{ "address, family, device, netns split", { { 0, PROTO_TCP, 80, V4B, 0, 1 },
	  { 0, PROTO_TCP, 80, V4, 0, 2 }, { 0, PROTO_TCP, 80, V6, 0, 3 }, { 0, PROTO_TCP, 80, V4, 2, 4 },
	  { 1, PROTO_TCP, 80, V4, 0, 5 }, { 0, PROTO_TCP, 80, V4, 0, 6 } }, 6,
	  { 80, 80, 80, 80, 80 }, { 2, 1, 1, 1, 1 }, 5, 6 },
};

static struct sock sock_of(const struct row *r)
{
	struct sock s = { .proto = r->proto, .port = r->port, .v6only = -1, .ifindex = r->ifindex,
		.netns = r->netns, .cookie = r->cookie };

	s.family = strchr(r->addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(s.family, r->addr, s.addr), 1);
	return s;
}

static void test_group_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(groups); i++) {
		const struct group_case *c = &groups[i];
		struct inventory inv;
		size_t total = 0;

		inv_init(&inv);
		for (size_t k = 0; k < c->nin; k++) {
			struct sock s = sock_of(&c->in[k]);

			assert_int_equal(inv_add_sock(&inv, &s), 0);
		}
		assert_int_equal(inv_group(&inv), 0);
		if (inv.nls != c->nls || inv.nsocks != c->nsocks)
			fail_msg("%s: %zu listeners, %zu sockets", c->name, inv.nls, inv.nsocks);
		for (size_t k = 0; k < inv.nls; k++) {
			const struct listener *l = &inv.ls[k];

			if (l->s->port != c->ports[k] || l->count != c->counts[k])
				fail_msg("%s: listener %zu: port %u count %zu", c->name, k,
					 (unsigned)l->s->port, l->count);
			assert_ptr_equal(l->s, &inv.socks[total]);      /* runs, in order */
			assert_false(l->has_owner);
			total += l->count;
		}
		assert_int_equal(total, inv.nsocks);
		inv_free(&inv);
	}
}

/* ---- inv_group against a reference sort ------------------------------ */

static int ref_cmp(const void *pa, const void *pb)
{
	const struct sock *a = pa, *b = pb;
	int c;

	if (a->netns != b->netns)
		return a->netns < b->netns ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->cookie != b->cookie)
		return a->cookie < b->cookie ? -1 : 1;
	return 0;
}

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1664525u + 1013904223u;
	return *x >> 8;
}

/* Every field of the key varies, bytes with the high bit set included;
 * every seventh socket is a duplicate (a dump is not atomic), the others have
 * cookies of their own: the order must be the reference's. Sorted and
 * reversed input too, the usual worst cases of a quicksort. */
static void check_random(size_t ns, int shape)
{
	struct sock *ref = calloc(ns, sizeof(*ref));
	struct inventory inv;
	uint32_t x = 4242;
	size_t nref = 0;

	assert_non_null(ref);
	inv_init(&inv);
	for (size_t i = 0; i < ns; i++) {
		struct sock s = { .netns = lcg(&x) % 3, .proto = (uint8_t)(lcg(&x) % PROTO_COUNT),
			.port = (uint16_t)(lcg(&x) % 40), .family = lcg(&x) % 2 ? AF_INET : AF_INET6,
			.ifindex = lcg(&x) % 3, .cookie = i + 1, .inode = (uint32_t)i };

		s.addr[0] = (uint8_t)(lcg(&x) % 2 ? 0x80 : 0x0a);
		s.addr[9] = (uint8_t)(lcg(&x) % 3 * 0x70);
		s.addr[15] = (uint8_t)(lcg(&x) % 2);
		ref[i] = i % 7 == 6 ? ref[lcg(&x) % i] : s;
	}
	qsort(ref, ns, sizeof(*ref), ref_cmp);
	for (size_t i = 0; i < ns; i++) {
		size_t k = shape == 0 ? i : shape == 1 ? ns - 1 - i : (i * 7919) % ns;

		assert_int_equal(inv_add_sock(&inv, &ref[k]), 0);
	}
	for (size_t i = 0; i < ns; i++)
		if (nref == 0 || ref_cmp(&ref[i], &ref[nref - 1]) != 0)
			ref[nref++] = ref[i];
	assert_int_equal(inv_group(&inv), 0);
	assert_int_equal(inv.nsocks, nref);
	for (size_t i = 0; i < nref; i++)
		if (memcmp(&inv.socks[i], &ref[i], sizeof(ref[i])) != 0)
			fail_msg("socket %zu: cookie %llu, want %llu", i,
				 (unsigned long long)inv.socks[i].cookie, (unsigned long long)ref[i].cookie);
	assert_true(inv.nls > 100 && inv.nls < nref);   /* groups of several and of one */
	assert_true(nref < ns);                         /* duplicates were dropped */
	inv_free(&inv);
	free(ref);
}

static void test_group_random(void **state)
{
	(void)state;
	for (int shape = 0; shape < 3; shape++) {
		check_random(5000, shape);
		check_random(997, shape);
	}
}

/* ---- owners ----------------------------------------------------------- */

static void test_owners(void **state)
{
	static const struct row rows[] = { { 0, PROTO_TCP, 22, V4, 0, 1 }, { 0, PROTO_TCP, 80, V4, 0, 2 } };
	struct inventory inv;
	struct owner *o;

	(void)state;
	inv_init(&inv);
	for (size_t i = 0; i < N(rows); i++) {
		struct sock s = sock_of(&rows[i]);

		assert_int_equal(inv_add_sock(&inv, &s), 0);
	}
	assert_int_equal(inv_group(&inv), 0);
	assert_int_equal(listener_owner(&inv, &inv.ls[0])->state, OWNER_UNRESOLVED);
	assert_false(listener_owner(&inv, &inv.ls[0])->unit_checked);
	assert_null(inv.owners);                        /* nothing given yet */
	assert_null(inv_owner(&inv, 2));                /* out of range */
	o = inv_owner(&inv, 1);
	assert_non_null(o);
	assert_ptr_equal(o, inv_owner(&inv, 1));
	assert_ptr_equal(listener_owner(&inv, &inv.ls[1]), o);
	assert_true(inv.ls[1].has_owner);
	assert_false(inv.ls[0].has_owner);
	assert_ptr_not_equal(listener_owner(&inv, &inv.ls[0]), o);
	assert_ptr_not_equal(listener_owner(NULL, &inv.ls[1]), o);
	o->state = OWNER_PROCESS;
	assert_non_null(o->holders = calloc(1, sizeof(*o->holders)));
	o->nholders = 1;
	assert_non_null(o->holders[0].exe = strdup("/usr/sbin/sshd"));
	assert_non_null(o->units = calloc(1, sizeof(*o->units)));
	o->nunits = 1;
	assert_non_null(o->units[0] = strdup("ssh.service"));
	inv_free(&inv);                                 /* frees the strings (ASan) */
	inv_free(NULL);
}

/* ---- names ------------------------------------------------------------ */

static void test_ifnames(void **state)
{
	struct inventory inv;
	struct sock s = { .ifindex = 2, .netns = 1 };
	struct sock other_ns = { .ifindex = 2, .netns = 0 };
	struct sock unbound = { .netns = 1 };

	(void)state;
	inv_init(&inv);
	assert_string_equal(inv_ifname(&inv, &s), "");
	assert_string_equal(inv_ifname(NULL, &s), "");
	assert_int_equal(inv_set_ifname(&inv, 1, 2, "eth0"), 0);
	assert_int_equal(inv_set_ifname(&inv, 0, 2, "veth9"), 0);
	assert_string_equal(inv_ifname(&inv, &s), "eth0");
	assert_string_equal(inv_ifname(&inv, &other_ns), "veth9");
	assert_string_equal(inv_ifname(&inv, &unbound), "");
	assert_int_equal(inv_set_ifname(&inv, 1, 2, "a-name-longer-than-ifnamsiz"), 0);
	assert_int_equal(inv.nifnames, 2);              /* replaced, not added */
	assert_int_equal(strlen(inv_ifname(&inv, &s)), IF_NAMESIZE - 1);
	inv_free(&inv);
}

/* A failed dump takes back its sockets, its namespace (with its reserved
 * ports) and the interface names it recorded: the next namespace, given the
 * same index, must not show the dropped one's device names. */
static void test_rollback(void **state)
{
	struct inventory inv;
	struct sock s = { .ifindex = 7, .netns = 1 };
	struct inv_mark m;

	(void)state;
	inv_init(&inv);
	assert_int_equal(inv_add_netns(&inv, "host"), 0);
	assert_int_equal(inv_add_sock(&inv, &(struct sock){ .port = 22 }), 0);
	assert_int_equal(inv_set_ifname(&inv, 0, 3, "eth0"), 0);
	m = inv_mark(&inv);
	assert_int_equal(inv_add_netns(&inv, "dropped"), 1);
	inv.ns[1].reserved = calloc(1, sizeof(*inv.ns[1].reserved));
	inv.ns[1].nreserved = 1;
	assert_int_equal(inv_add_sock(&inv, &s), 0);
	assert_int_equal(inv_set_ifname(&inv, 1, 7, "veth-dropped"), 0);
	inv_rollback(&inv, &m);
	assert_int_equal(inv.nsocks, 1);
	assert_int_equal(inv.nns, 1);
	assert_int_equal(inv.nifnames, 1);
	assert_int_equal(inv_add_netns(&inv, "next"), 1);
	assert_null(inv.ns[1].reserved);
	assert_string_equal(inv_ifname(&inv, &s), "");
	assert_string_equal(inv_ifname(&inv, &(struct sock){ .ifindex = 3 }), "eth0");
	inv_rollback(&inv, &m);                 /* twice is the same */
	assert_int_equal(inv.nns, 1);
	inv_free(&inv);
}

/* The address tests every layer shares: wildcard, dual-stack, loopback. */
static const struct {
	const char *addr;
	int8_t v6only;
	bool wildcard, dual, loopback;
} addrs[] = {
	{ "0.0.0.0", -1, true, false, false },
	{ "127.0.0.1", -1, false, false, true },
	{ "127.255.0.9", -1, false, false, true },
	{ "10.0.0.1", -1, false, false, false },
	{ "::", 0, true, true, false },
	{ "::", -1, true, true, false },        /* not reported: the bindv6only=0 default */
	{ "::", 1, true, false, false },
	{ "::1", 1, false, false, true },
	{ "::2", 0, false, false, false },
	{ "::ffff:0.0.0.0", 0, false, false, false },
	{ "fe80::1", 0, false, false, false },
};

static void test_addr_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(addrs); i++) {
		struct sock s = { .v6only = addrs[i].v6only };

		s.family = strchr(addrs[i].addr, ':') ? AF_INET6 : AF_INET;
		assert_int_equal(inet_pton(s.family, addrs[i].addr, s.addr), 1);
		if (sock_is_wildcard(&s) != addrs[i].wildcard || sock_is_dual_stack(&s) != addrs[i].dual ||
		    sock_is_loopback(&s) != addrs[i].loopback)
			fail_msg("%s v6only %d: wildcard %d dual %d loopback %d", addrs[i].addr,
					addrs[i].v6only, sock_is_wildcard(&s), sock_is_dual_stack(&s),
					sock_is_loopback(&s));
	}
}

static void test_proto_reg(void **state)
{
	(void)state;
	assert_int_equal(proto_reg(PROTO_TCP), REG_TCP);
	assert_int_equal(proto_reg(PROTO_UDP), REG_UDP);
	assert_int_equal(proto_reg(PROTO_UDPLITE), REG_UDP);
	assert_int_equal(proto_reg(PROTO_SCTP), REG_SCTP);
	assert_int_equal(proto_reg(PROTO_COUNT), -1);
}

static void test_users(void **state)
{
	static const struct { uint32_t uid; const char *name; } set[] = {
		{ 1000, "alice" }, { 0, "root" }, { 4000000000u, "4000000000" }, { 33, "www-data" },
		{ 0, "toor" },
	};
	struct inventory inv;

	(void)state;
	inv_init(&inv);
	assert_null(inv_user(&inv, 0));
	assert_null(inv_user(NULL, 0));
	for (size_t i = 0; i < N(set); i++)
		assert_int_equal(inv_set_user(&inv, set[i].uid, set[i].name), 0);
	assert_int_equal(inv.nusers, 4);
	for (size_t i = 1; i < inv.nusers; i++)
		assert_true(inv.users[i - 1].uid < inv.users[i].uid);  /* sorted */
	assert_string_equal(inv_user(&inv, 0), "toor");
	assert_string_equal(inv_user(&inv, 33), "www-data");
	assert_string_equal(inv_user(&inv, 1000), "alice");
	assert_string_equal(inv_user(&inv, 4000000000u), "4000000000");
	assert_null(inv_user(&inv, 34));
	assert_null(inv_user(&inv, UINT32_MAX));
	inv_free(&inv);
}

static void test_endpoint(void **state)
{
	struct inventory inv;
	struct sock s = sock_of(&(struct row){ 0, PROTO_UDP, 53, V6, 3, 1 });
	struct listener l = { .s = &s, .count = 1 };
	char out[64];

	(void)state;
	inv_init(&inv);
	listener_format_endpoint(&inv, &l, out, sizeof(out));
	assert_string_equal(out, "[fe80::1]:53");       /* no name recorded */
	assert_int_equal(inv_set_ifname(&inv, 0, 3, "eth1"), 0);
	listener_format_endpoint(&inv, &l, out, sizeof(out));
	assert_string_equal(out, "[fe80::1]:53%eth1");
	assert_int_equal(listener_format_endpoint(&inv, &l, out, 8), 7);
	assert_string_equal(out, "[fe80::");
	inv_free(&inv);
}

/* The registry's answer, packed. */
/* Packet and raw sockets: one listener per socket, however alike; a port
 * made of the protocol's name; no address, family or wildcard for packet. */
static void test_portless(void **state)
{
	struct sock p = { .proto = PROTO_PACKET, .family = AF_PACKET, .v6only = -1, .port = 0x0003,
		.inode = 10, .cookie = 1 };
	struct sock r = { .proto = PROTO_RAW, .family = AF_INET6, .v6only = 1, .port = 58, .inode = 20 };
	struct inventory inv;
	char ep[64];

	(void)state;
	inv_init(&inv);
	assert_int_equal(inv_add_netns(&inv, "host"), 0);
	assert_int_equal(inv_add_sock(&inv, &p), 0);
	p.inode = 11, p.cookie = 2;
	assert_int_equal(inv_add_sock(&inv, &p), 0);
	p.inode = 12, p.cookie = 3, p.ifindex = 1, p.port = 0x88b5;
	assert_int_equal(inv_add_sock(&inv, &p), 0);
	assert_int_equal(inv_add_sock(&inv, &r), 0);
	r.inode = 21;                   /* /proc/net/raw rows have no cookie */
	assert_int_equal(inv_add_sock(&inv, &r), 0);
	assert_int_equal(inv_add_sock(&inv, &r), 0);   /* the same socket twice: one listener */
	assert_int_equal(inv_set_ifname(&inv, 0, 1, "eth0"), 0);
	assert_int_equal(inv_group(&inv), 0);
	assert_int_equal(inv.nls, 5);
	for (size_t i = 0; i < inv.nls; i++)
		assert_int_equal(inv.ls[i].count, 1);
	assert_true(proto_portless(PROTO_PACKET) && proto_portless(PROTO_RAW) && !proto_portless(PROTO_UDP));
	assert_string_equal(proto_name(PROTO_PACKET), "packet");
	assert_int_equal(proto_from_name("raw"), PROTO_RAW);
	listener_format_endpoint(&inv, &inv.ls[0], ep, sizeof(ep));
	assert_string_equal(ep, "all");
	assert_false(sock_is_wildcard(inv.ls[0].s));
	assert_false(sock_is_loopback(inv.ls[0].s));
	listener_format_endpoint(&inv, &inv.ls[2], ep, sizeof(ep));
	assert_string_equal(ep, "0x88b5%eth0");
	listener_format_endpoint(&inv, &inv.ls[3], ep, sizeof(ep));
	assert_string_equal(ep, "[::]:ipv6-icmp");
	assert_false(sock_is_dual_stack(inv.ls[3].s));
	inv_free(&inv);
}

static void test_set_reg(void **state)
{
	struct port_info pi = { .cls = CLASS_RESERVED, .range = RANGE_DYNAMIC, .service = "svc",
		.description = "Service", .ephemeral = true, .local_reserved = false };
	struct listener l = { .count = 1 };

	(void)state;
	listener_set_reg(&l, &pi);
	assert_int_equal(l.reg.cls, CLASS_RESERVED);
	assert_int_equal(l.reg.range, RANGE_DYNAMIC);
	assert_string_equal(l.reg.service, "svc");
	assert_true(l.reg.ephemeral);
	assert_false(l.reg.local_reserved);
	pi = (struct port_info){ .cls = CLASS_ASSIGNED, .local_reserved = true };
	listener_set_reg(&l, &pi);
	assert_null(l.reg.service);
	assert_true(l.reg.local_reserved);
	assert_false(l.reg.ephemeral);
	assert_int_equal(l.count, 1);                   /* the rest untouched */
	assert_true(sizeof(struct listener) <= 32);     /* the point of packing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_table),
		cmocka_unit_test(test_group_random),
		cmocka_unit_test(test_owners),
		cmocka_unit_test(test_ifnames),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_addr_table),
		cmocka_unit_test(test_proto_reg),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_set_reg),
		cmocka_unit_test(test_portless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
