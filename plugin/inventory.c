/* inventory: the sockets the kernel reported, their namespaces, their listeners. */
#include "inventory.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *const proto_names[PROTO_COUNT] = {
	[PROTO_TCP] = "tcp",
	[PROTO_UDP] = "udp",
	[PROTO_UDPLITE] = "udplite",
	[PROTO_SCTP] = "sctp",
};

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

void inv_init(struct inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

static void owner_free(struct owner *o)
{
	free(o->pids);
	free(o->exe);
	free(o->unit);
}

void inv_free(struct inventory *inv)
{
	if (!inv)
		return;
	for (size_t i = 0; i < inv->nls; i++)
		owner_free(&inv->ls[i].owner);
	for (size_t i = 0; i < inv->nns; i++)
		free(inv->ns[i].reserved);
	for (size_t i = 0; i < inv->nnotes; i++)
		free(inv->notes[i]);
	free(inv->socks);
	free(inv->ls);
	free(inv->ns);
	free(inv->notes);
	inv_init(inv);
}

/* Makes room for one more element of size sz in *arr. Returns 0 or -ENOMEM. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / sz)
		return -ENOMEM;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int inv_add_sock(struct inventory *inv, const struct sock *s)
{
	if (grow((void **)&inv->socks, &inv->cap_socks, inv->nsocks, sizeof(*s)) < 0)
		return -ENOMEM;
	inv->socks[inv->nsocks++] = *s;
	return 0;
}

int inv_add_netns(struct inventory *inv, const char *label)
{
	struct netns *ns;

	if (grow((void **)&inv->ns, &inv->cap_ns, inv->nns, sizeof(*ns)) < 0)
		return -ENOMEM;
	ns = &inv->ns[inv->nns];
	memset(ns, 0, sizeof(*ns));
	snprintf(ns->label, sizeof(ns->label), "%s", label);
	return (int)inv->nns++;
}

int inv_note(struct inventory *inv, const char *fmt, ...)
{
	char **p, *line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	p = realloc(inv->notes, (inv->nnotes + 1) * sizeof(*p));
	if (!p) {
		free(line);
		return -ENOMEM;
	}
	p[inv->nnotes++] = line;
	inv->notes = p;
	return 0;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* The listener key: equal keys form one listener. */
static int key_cmp(const struct sock *a, const struct sock *b)
{
	int c;

	CMP(a->netns, b->netns);
	CMP(a->proto, b->proto);
	CMP(a->port, b->port);
	CMP(a->family, b->family);
	c = memcmp(a->addr, b->addr, sizeof(a->addr));
	if (c)
		return c;
	CMP(a->ifindex, b->ifindex);
	return 0;
}

static int sock_cmp(const void *pa, const void *pb)
{
	const struct sock *a = pa, *b = pb;
	int c = key_cmp(a, b);

	if (c)
		return c;
	CMP(a->cookie, b->cookie);
	return 0;
}

/* Drops rows whose cookie was already seen in the same group: a dump is not
 * atomic and may return a socket twice. Returns the new count. */
static size_t dedupe(struct sock *s, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		if (out > 0 && s[i].cookie != 0 && s[i].cookie == s[out - 1].cookie &&
		    key_cmp(&s[i], &s[out - 1]) == 0)
			continue;
		s[out++] = s[i];
	}
	return out;
}

int inv_group(struct inventory *inv)
{
	size_t n = 0;

	if (inv->nsocks > 1)
		qsort(inv->socks, inv->nsocks, sizeof(*inv->socks), sock_cmp);
	inv->nsocks = dedupe(inv->socks, inv->nsocks);
	free(inv->ls);
	inv->ls = NULL;
	inv->nls = 0;
	if (inv->nsocks == 0)
		return 0;
	inv->ls = calloc(inv->nsocks, sizeof(*inv->ls));
	if (!inv->ls)
		return -ENOMEM;
	for (size_t i = 0; i < inv->nsocks; i++) {
		if (n > 0 && key_cmp(&inv->socks[i], &inv->ls[n - 1].s) == 0) {
			inv->ls[n - 1].count++;
			continue;
		}
		inv->ls[n].s = inv->socks[i];
		inv->ls[n].first = i;
		inv->ls[n].count = 1;
		n++;
	}
	inv->nls = n;
	return 0;
}

static bool addr_is_zero(const uint8_t *a, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i])
			return false;
	return true;
}

bool listener_is_wildcard(const struct listener *l)
{
	return addr_is_zero(l->s.addr, l->s.family == AF_INET ? 4 : 16);
}

bool listener_has_v4(const struct listener *l)
{
	return l->s.family == AF_INET || (listener_is_wildcard(l) && l->s.v6only != 1);
}

bool listener_is_loopback(const struct listener *l)
{
	static const uint8_t v6lo[16] = { [15] = 1 };

	if (l->s.family == AF_INET)
		return l->s.addr[0] == 127;
	return memcmp(l->s.addr, v6lo, sizeof(v6lo)) == 0;
}

int listener_format_endpoint(const struct listener *l, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN] = "?";
	int n;

	inet_ntop(l->s.family == AF_INET ? AF_INET : AF_INET6, l->s.addr, addr, sizeof(addr));
	if (l->s.family == AF_INET)
		n = snprintf(out, size, "%s:%u", addr, (unsigned)l->s.port);
	else
		n = snprintf(out, size, "[%s]:%u", addr, (unsigned)l->s.port);
	if (n >= 0 && (size_t)n < size && l->s.ifname[0])
		n += snprintf(out + n, size - (size_t)n, "%%%s", l->s.ifname);
	if (n < 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}
