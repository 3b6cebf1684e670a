/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ephemeral: the kernel's port settings of the current network namespace.
 *
 * A listener inside ip_local_port_range may be a client's port that happens
 * to listen (FTP data, RPC callbacks) rather than a service; a port in
 * ip_local_reserved_ports was set aside by the admin. Both files are written
 * by the kernel, so the parsers are strict: anything unexpected means the
 * setting is treated as unknown rather than guessed.
 */
#include "ephemeral.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numparse.h"
#include "registry.h"
#include "util.h"

#define MAX_SYSCTL      (1u << 20)      /* 65536 single ports fit in 400 KiB */

/* Parses the decimal digits at *s into a port and advances *s past them. */
static int port_at(const char **s, uint16_t *out)
{
	size_t n = strspn(*s, "0123456789");
	uint64_t v;

	if (parse_u64(*s, n, 65535, &v) < 0)
		return -EINVAL;
	*out = (uint16_t)v;
	*s += n;
	return 0;
}

/* The kernel ends the file with one newline; accept it and nothing else. */
static int at_end(const char *s)
{
	return s[0] == '\0' || (s[0] == '\n' && s[1] == '\0');
}

int ephemeral_parse_range(const char *text, uint16_t *lo, uint16_t *hi)
{
	const char *s = text;
	uint16_t a, b;

	if (!s || port_at(&s, &a) < 0)
		return -EINVAL;
	if (*s != '\t' && *s != ' ')
		return -EINVAL;
	while (*s == '\t' || *s == ' ')
		s++;
	if (port_at(&s, &b) < 0 || !at_end(s) || a > b)
		return -EINVAL;
	*lo = a;
	*hi = b;
	return 0;
}

/* One "8080" or "9000-9010" item; advances *s. */
static int span_at(const char **s, struct port_span *sp)
{
	if (port_at(s, &sp->lo) < 0)
		return -EINVAL;
	sp->hi = sp->lo;
	if (**s != '-')
		return 0;
	(*s)++;
	if (port_at(s, &sp->hi) < 0 || sp->lo > sp->hi)
		return -EINVAL;
	return 0;
}

/* Items in "a,b-c,d": commas + 1, or 0 for an empty list. */
static size_t count_items(const char *s)
{
	size_t n = 1;

	if (at_end(s))
		return 0;
	for (; *s; s++)
		n += *s == ',';
	return n;
}

int ephemeral_parse_reserved(const char *text, struct port_span **spans, size_t *n)
{
	const char *s = text;
	struct port_span *v;
	size_t count, i;

	if (!s)
		return -EINVAL;
	*spans = NULL;
	*n = 0;
	count = count_items(s);
	if (count == 0)
		return 0;
	v = calloc(count, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		if (span_at(&s, &v[i]) < 0 || (i + 1 < count ? *s++ != ',' : !at_end(s))) {
			free(v);
			return -EINVAL;
		}
	}
	*spans = v;
	*n = count;
	return 0;
}

/* Reads proc_root/sys/net/ipv4/name into a NUL-terminated malloc'd string.
 * Returns 0, -ENOMEM, or another -errno when it cannot be read. */
static int read_text(const char *proc_root, const char *name, char **out)
{
	char path[4096];
	size_t len;

	if ((size_t)snprintf(path, sizeof(path), "%s/sys/net/ipv4/%s", proc_root, name) >= sizeof(path))
		return -ENAMETOOLONG;
	return util_read_file(path, MAX_SYSCTL, out, &len);
}

int ephemeral_read(const char *proc_root, struct netns *ns)
{
	struct port_span *spans = NULL;
	size_t n = 0;
	char *text = NULL;
	int rc;

	ns->eph_lo = ns->eph_hi = 0;
	rc = read_text(proc_root, "ip_local_port_range", &text);
	if (rc == -ENOMEM)
		return rc;
	if (rc == 0 && ephemeral_parse_range(text, &ns->eph_lo, &ns->eph_hi) < 0)
		ns->eph_lo = ns->eph_hi = 0;
	free(text);
	text = NULL;

	rc = read_text(proc_root, "ip_local_reserved_ports", &text);
	if (rc == -ENOMEM)
		return rc;
	if (rc == 0)
		rc = ephemeral_parse_reserved(text, &spans, &n);
	free(text);
	if (rc == -ENOMEM)
		return rc;
	/* replaced, not appended: reading a namespace twice must not leak */
	free(ns->reserved);
	ns->reserved = rc == 0 ? spans : NULL;
	ns->nreserved = rc == 0 ? n : 0;
	return 0;
}

static bool is_reserved(const struct netns *ns, uint16_t port)
{
	for (size_t i = 0; i < ns->nreserved; i++)
		if (port >= ns->reserved[i].lo && port <= ns->reserved[i].hi)
			return true;
	return false;
}

void ephemeral_clamp(struct netns *ns, const struct netns *host)
{
	uint16_t lo = ns->eph_lo > host->eph_lo ? ns->eph_lo : host->eph_lo;
	uint16_t hi = ns->eph_hi < host->eph_hi ? ns->eph_hi : host->eph_hi;

	if (lo > hi || !(host->eph_lo || host->eph_hi))
		lo = hi = 0;
	ns->eph_lo = lo;
	ns->eph_hi = hi;
}

void ephemeral_classify(const struct netns *ns, uint16_t port, struct port_info *out)
{
	bool known = ns->eph_lo || ns->eph_hi;

	out->range = port_range_of(port);
	out->local_reserved = is_reserved(ns, port);
	out->ephemeral = known && port >= ns->eph_lo && port <= ns->eph_hi &&
			 !out->local_reserved;
}
