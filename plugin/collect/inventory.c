/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inventory: the sockets the kernel reported, their namespaces, their listeners. */
#include "inventory.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "protoname.h"
#include "util.h"

static const char *const proto_names[PROTO_COUNT] = {
	[PROTO_TCP] = "tcp",
	[PROTO_UDP] = "udp",
	[PROTO_UDPLITE] = "udplite",
	[PROTO_SCTP] = "sctp",
	[PROTO_PACKET] = "packet",
	[PROTO_RAW] = "raw",
	[PROTO_PING] = "ping",
};

_Static_assert(sizeof(struct sock) == 56, "struct sock is sized for large hosts");
_Static_assert(sizeof(struct sock_packet) <= 16, "struct sock_packet lives in the address");

bool proto_portless(unsigned proto)
{
	return proto == PROTO_PACKET || proto == PROTO_RAW || proto == PROTO_PING;
}

const char *proto_name(unsigned proto)
{
	return proto < PROTO_COUNT ? proto_names[proto] : "?";
}

int proto_from_name(const char *name)
{
	for (int i = 0; i < PROTO_COUNT; i++)
		if (strcmp(name, proto_names[i]) == 0)
			return i;
	return -1;
}

int proto_reg(unsigned proto)
{
	static const int map[PROTO_COUNT] = {
		[PROTO_TCP] = REG_TCP, [PROTO_UDP] = REG_UDP,
		[PROTO_UDPLITE] = REG_UDP, [PROTO_SCTP] = REG_SCTP,
		[PROTO_PACKET] = -1, [PROTO_RAW] = -1,   /* no port, no registry */
		[PROTO_PING] = -1,
	};

	return proto < PROTO_COUNT ? map[proto] : -1;
}

void inv_init(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

static void owner_free(struct owner *o)
{
	holders_free(o->holders, o->nholders);
	for (size_t i = 0; i < o->nunits; i++)
		free(o->units[i]);
	free(o->units);
}

/* Only the owners listeners were given: reading the others would fault in
 * their zero pages. */
static void owners_free(struct inventory *inv)
{
	for (size_t i = 0; inv->owners && i < inv->nls; i++)
		if (inv->ls[i].has_owner)
			owner_free(&inv->owners[i]);
	free(inv->owners);
	inv->owners = NULL;
}

void inv_free(struct inventory *inv)
{
	if (!inv)
		return;
	owners_free(inv);
	for (size_t i = 0; i < inv->nns; i++)
		free(inv->ns[i].reserved);
	for (size_t i = 0; i < inv->nnotes; i++)
		free(inv->notes[i]);
	free(inv->socks);
	free(inv->ls);
	free(inv->ns);
	free(inv->ifnames);
	free(inv->users);
	free(inv->notes);
	rpc_map_free(&inv->rpc);
	inv_init(inv);
}

int inv_add_sock(struct inventory *inv, const struct sock *s)
{
	/* A small host's sockets fit in 4 KiB of the heap, in pages that loading
	 * the configuration touched already; past that straight to 128 KiB,
	 * glibc's mmap threshold (main.c fixes it there): mapped, the array's
	 * untouched pages cost nothing and each doubling is an mremap(), where on
	 * the heap each would copy everything so far into fresh pages. */
	enum { SMALL = 4096 / sizeof(*s), MAPPED = (128 * 1024 + sizeof(*s) - 1) / sizeof(*s) };

	if (inv->nsocks == SMALL && inv->cap_socks == SMALL) {
		struct sock *p = realloc(inv->socks, MAPPED * sizeof(*s));

		if (!p)
			return -ENOMEM;
		inv->socks = p;
		inv->cap_socks = MAPPED;
	}
	if (util_grow((void **)&inv->socks, &inv->cap_socks, inv->nsocks, sizeof(*s), SMALL) < 0)
		return -ENOMEM;
	inv->socks[inv->nsocks++] = *s;
	return 0;
}

int inv_add_netns(struct inventory *inv, const char *label)
{
	struct netns *ns;

	if (util_grow((void **)&inv->ns, &inv->cap_ns, inv->nns, sizeof(*ns), 16) < 0)
		return -ENOMEM;
	ns = &inv->ns[inv->nns];
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->label, sizeof(ns->label), "%s", label);
	return (int)inv->nns++;
}

struct inv_mark inv_mark(const struct inventory *inv)
{
	return (struct inv_mark){ inv->nsocks, inv->nns, inv->nifnames };
}

void inv_rollback(struct inventory *inv, const struct inv_mark *m)
{
	if (m->nsocks < inv->nsocks)
		inv->nsocks = m->nsocks;
	for (; inv->nns > m->nns; inv->nns--) {
		free(inv->ns[inv->nns - 1].reserved);
		inv->ns[inv->nns - 1].reserved = NULL;
	}
	if (m->nifnames < inv->nifnames)
		inv->nifnames = m->nifnames;
}

int inv_note(struct inventory *inv, const char *fmt, ...)
{
	char *line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	for (size_t i = 0; i < inv->nnotes; i++) {
		if (strcmp(inv->notes[i], line) == 0) {
			free(line);     /* the same kernel says the same of every namespace */
			return 0;
		}
	}
	if (util_grow((void **)&inv->notes, &inv->cap_notes, inv->nnotes, sizeof(*inv->notes), 8) < 0) {
		free(line);
		return -ENOMEM;
	}
	inv->notes[inv->nnotes++] = line;
	return 0;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* (netns, proto, port, family) in one integer that orders like the fields. */
static uint64_t key_head(const struct sock *s)
{
	return (uint64_t)s->netns << 32 | (uint64_t)s->proto << 24 | (uint64_t)s->port << 8 |
		s->family;
}

/* Eight address bytes as a number that orders like memcmp() of them. */
static uint64_t addr_word(const uint8_t *a)
{
	uint64_t w;

	memcpy(&w, a, sizeof(w));
	return be64toh(w);
}

/* The listener key: equal keys form one listener. Called n log n times by
 * the sort, so it compares words rather than fields and bytes. */
static int key_cmp(const struct sock *a, const struct sock *b)
{
	CMP(key_head(a), key_head(b));
	CMP(addr_word(a->addr), addr_word(b->addr));
	CMP(addr_word(a->addr + 8), addr_word(b->addr + 8));
	CMP(a->ifindex, b->ifindex);
	if (proto_portless(a->proto))
		CMP(a->inode, b->inode);        /* one listener per socket */
	return 0;
}

/* The sort order: the key, then the cookie, so that duplicates meet. */
static int sock_cmp(const struct sock *a, const struct sock *b)
{
	int c = key_cmp(a, b);

	if (c)
		return c;
	CMP(a->cookie, b->cookie);
	return 0;
}

static void sock_swap(struct sock *a, struct sock *b)
{
	struct sock t = *a;

	*a = *b;
	*b = t;
}

static void insertion_sort(struct sock *s, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sock t = s[i];
		size_t j = i;

		for (; j > 0 && sock_cmp(&s[j - 1], &t) > 0; j--)
			s[j] = s[j - 1];
		s[j] = t;
	}
}

static void sift_down(struct sock *s, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && sock_cmp(&s[child], &s[child + 1]) < 0)
			child++;
		if (sock_cmp(&s[root], &s[child]) >= 0)
			return;
		sock_swap(&s[root], &s[child]);
	}
}

/* The fallback that bounds the quicksort below at O(n log n). */
static void heap_sort(struct sock *s, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(s, i, n);
	for (size_t i = n; i-- > 1;) {
		sock_swap(&s[0], &s[i]);
		sift_down(s, 0, i);
	}
}

/* Hoare partition around the median of three. Returns k: s[0..k] <= pivot
 * <= s[k+1..n), both parts non-empty (n >= 3). */
static size_t partition(struct sock *s, size_t n)
{
	size_t m = n / 2, i = 0, j = n - 1;
	struct sock p;

	if (sock_cmp(&s[m], &s[0]) < 0)
		sock_swap(&s[m], &s[0]);
	if (sock_cmp(&s[n - 1], &s[0]) < 0)
		sock_swap(&s[n - 1], &s[0]);
	if (sock_cmp(&s[n - 1], &s[m]) < 0)
		sock_swap(&s[n - 1], &s[m]);
	p = s[m];
	for (;;) {
		while (sock_cmp(&s[i], &p) < 0)
			i++;
		while (sock_cmp(&s[j], &p) > 0)
			j--;
		if (i >= j)
			return j;
		sock_swap(&s[i++], &s[j--]);
	}
}

/* Sorts the sockets in place: glibc's qsort() of elements this size sorts
 * pointers in a temporary array of 16 bytes per element, and every page of
 * it costs a fault. Quicksort on the smaller part first (O(log n) stack),
 * heapsort when the depth says the pivots are going wrong. */
static void sort_socks(struct sock *s, size_t n, unsigned depth)
{
	while (n > 16) {
		size_t k;

		if (depth-- == 0) {
			heap_sort(s, n);
			return;
		}
		k = partition(s, n) + 1;
		if (k < n - k) {
			sort_socks(s, k, depth);
			s += k;
			n -= k;
		} else {
			sort_socks(s + k, n - k, depth);
			n = k;
		}
	}
	insertion_sort(s, n);
}

static unsigned depth_limit(size_t n)
{
	unsigned d = 0;

	while (n >>= 1)
		d++;
	return 2 * d + 2;
}

/* Drops rows whose cookie was already seen in the same group: a dump is not
 * atomic and may return a socket twice (/proc/net/raw rows have no cookie:
 * their key has the inode). Returns the new count. */
static size_t dedupe(struct sock *s, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out > 0 && ((s[i].cookie != 0 && s[i].cookie == s[out - 1].cookie) ||
		    proto_portless(s[i].proto)) && key_cmp(&s[i], &s[out - 1]) == 0)
			continue;       /* a packet or raw key holds the inode */
		if (out != i)
			s[out] = s[i];
		out++;
	}
	return out;
}

/* One listener per run of equal keys in the sorted sockets. Returns how many. */
static size_t group_runs(struct sock *socks, size_t n, struct listener *ls)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k > 0 && key_cmp(&socks[i], ls[k - 1].s) == 0) {
			ls[k - 1].count++;
			continue;
		}
		ls[k++] = (struct listener){ .s = &socks[i], .count = 1 };
	}
	return k;
}

int inv_group(struct inventory *inv)
{
	sort_socks(inv->socks, inv->nsocks, depth_limit(inv->nsocks));
	inv->nsocks = dedupe(inv->socks, inv->nsocks);
	owners_free(inv);
	free(inv->ls);
	inv->ls = NULL;
	inv->nls = 0;
	if (inv->nsocks == 0)
		return 0;
	/* malloc: group_runs() writes every listener it forms, once; the pages
	 * past the last one (duplicates, SO_REUSEPORT groups) stay untouched. */
	inv->ls = malloc(inv->nsocks * sizeof(*inv->ls));
	if (!inv->ls)
		return -ENOMEM;
	inv->nls = group_runs(inv->socks, inv->nsocks, inv->ls);
	return 0;
}

struct owner *inv_owner(struct inventory *inv, size_t i)
{
	if (i >= inv->nls)
		return NULL;
	if (!inv->owners && !(inv->owners = calloc(inv->nls, sizeof(*inv->owners))))
		return NULL;
	inv->ls[i].has_owner = true;
	return &inv->owners[i];
}

const struct owner *listener_owner(const struct inventory *inv, const struct listener *l)
{
	static const struct owner none = { .state = OWNER_UNRESOLVED };

	if (!inv || !l->has_owner || !inv->owners || l < inv->ls || l >= inv->ls + inv->nls)
		return &none;
	return &inv->owners[l - inv->ls];
}

void listener_set_reg(struct listener *l, const struct port_info *pi)
{
	l->reg = (struct listener_reg){ .service = pi->service, .cls = (uint8_t)pi->cls,
		.range = (uint8_t)pi->range, .ephemeral = pi->ephemeral,
		.local_reserved = pi->local_reserved, .suspicious = pi->suspicious };
}

/* ---- interface and user names ---- */

int inv_set_ifname(struct inventory *inv, uint32_t netns, uint32_t ifindex, const char *name)
{
	struct ifname *p = NULL;

	for (size_t i = 0; i < inv->nifnames && !p; i++)
		if (inv->ifnames[i].netns == netns && inv->ifnames[i].ifindex == ifindex)
			p = &inv->ifnames[i];
	if (!p) {
		if (util_grow((void **)&inv->ifnames, &inv->cap_ifnames, inv->nifnames,
				sizeof(*inv->ifnames), 8) < 0)
			return -ENOMEM;
		p = &inv->ifnames[inv->nifnames++];
		p->netns = netns;
		p->ifindex = ifindex;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	return 0;
}

const char *inv_ifname(const struct inventory *inv, const struct sock *s)
{
	if (!inv || s->ifindex == 0)
		return "";
	for (size_t i = 0; i < inv->nifnames; i++)
		if (inv->ifnames[i].netns == s->netns && inv->ifnames[i].ifindex == s->ifindex)
			return inv->ifnames[i].name;
	return "";
}

/* Index of the first user entry with uid >= uid. */
static size_t user_pos(const struct inventory *inv, uint32_t uid)
{
	size_t lo = 0, hi = inv->nusers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (inv->users[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int inv_set_user(struct inventory *inv, uint32_t uid, const char *name)
{
	size_t at = user_pos(inv, uid);
	struct uid_name *p;

	if (at == inv->nusers || inv->users[at].uid != uid) {
		if (util_grow((void **)&inv->users, &inv->cap_users, inv->nusers, sizeof(*inv->users), 8) < 0)
			return -ENOMEM;
		p = inv->users;
		memmove(&p[at + 1], &p[at], (inv->nusers - at) * sizeof(*p));
		inv->nusers++;
		p[at].uid = uid;
	}
	snprintf(inv->users[at].name, sizeof(inv->users[at].name), "%s", name);
	return 0;
}

const char *inv_user(const struct inventory *inv, uint32_t uid)
{
	size_t at;

	if (!inv || inv->nusers == 0)
		return NULL;
	at = user_pos(inv, uid);
	return at < inv->nusers && inv->users[at].uid == uid ? inv->users[at].name : NULL;
}

/* ---- addresses ---- */

bool sock_is_wildcard(const struct sock *s)
{
	static const uint8_t zero[16];

	if (s->family == AF_PACKET)
		return false;   /* a packet socket has no address */
	return memcmp(s->addr, zero, s->family == AF_INET ? 4 : 16) == 0;
}

bool sock_is_dual_stack(const struct sock *s)
{
	return s->family == AF_INET6 && s->v6only != 1 && sock_is_wildcard(s);
}

bool sock_is_loopback(const struct sock *s)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (s->family == AF_PACKET)
		return false;
	if (s->family == AF_INET)
		return s->addr[0] == 127;
	return memcmp(s->addr, v6lo, sizeof(v6lo)) == 0;
}

int listener_format_endpoint(const struct inventory *inv, const struct listener *l,
		char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN] = "?", port[16];
	const char *ifname = inv_ifname(inv, l->s);
	int n;

	if (l->s->proto == PROTO_PACKET)
		snprintf(addr, sizeof(addr), "%s", eth_proto_format(l->s->port, port, sizeof(port)));
	else
		inet_ntop(l->s->family == AF_INET ? AF_INET : AF_INET6, l->s->addr, addr, sizeof(addr));
	if (l->s->proto == PROTO_RAW)
		ip_proto_format((uint8_t)l->s->port, port, sizeof(port));
	else if (l->s->proto == PROTO_PING)
		snprintf(port, sizeof(port), "id=%u", (unsigned)l->s->port);
	else
		snprintf(port, sizeof(port), "%u", (unsigned)l->s->port);
	if (l->s->proto == PROTO_PACKET)
		n = snprintf(out, size, "%s", addr);
	else if (l->s->family == AF_INET)
		n = snprintf(out, size, "%s:%s", addr, port);
	else
		n = snprintf(out, size, "[%s]:%s", addr, port);
	if (n >= 0 && (size_t)n < size && ifname[0])
		n += snprintf(out + n, size - (size_t)n, "%%%s", ifname);
	if (n < 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}
