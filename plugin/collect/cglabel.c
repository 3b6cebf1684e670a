/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cglabel: cgroup path components (with their owners) -> unit or container. */
#include "cglabel.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CG_ID_LEN 64            /* container ids: 64 lower-case hex digits */
#define CG_SHORT_ID 12          /* shown as their first 12, as `docker ps` does */

enum id_kind { ID_HEX64, ID_NAME };

/* A container is recognised on one path component: prefix + id + suffix,
 * optionally only below a parent component of a given name. */
struct container_rule {
	const char *parent;     /* NULL = any parent */
	const char *prefix;
	const char *suffix;
	enum id_kind kind;
	const char *label;
};

static const struct container_rule container_rules[] = {
	{ NULL,     "docker-",         ".scope", ID_HEX64, "docker" },     /* systemd driver */
	{ "docker", "",                "",       ID_HEX64, "docker" },     /* cgroupfs driver */
	{ NULL,     "cri-containerd-", ".scope", ID_HEX64, "containerd" },
	{ NULL,     "crio-",           ".scope", ID_HEX64, "crio" },
	{ NULL,     "libpod-",         ".scope", ID_HEX64, "podman" },
	{ NULL,     "libpod-",         "",       ID_HEX64, "podman" },     /* cgroupfs manager */
	{ NULL,     "lxc.payload.",    "",       ID_NAME,  "lxc" },        /* LXC 4+ */
	{ "lxc",    "",                "",       ID_NAME,  "lxc" },        /* older LXC */
};

/* The systemd unit types that can hold processes. A socket unit's cgroup
 * holds its Exec*= commands and, where systemd supports BPF firewalling
 * (cgroup v2: Debian 12), the helper that creates its AF_INET/AF_INET6
 * sockets: rpcbind's port 111 is created in rpcbind.socket, as root. */
static const char *const unit_suffixes[] = { ".service", ".scope", ".socket" };

static bool comp_is(const struct cg_comp *c, const char *s)
{
	return c && strlen(s) == c->len && memcmp(c->name, s, c->len) == 0;
}

static bool has_prefix(const struct cg_comp *c, const char *pre)
{
	size_t n = strlen(pre);

	return c->len >= n && memcmp(c->name, pre, n) == 0;
}

static bool has_suffix(const struct cg_comp *c, const char *suf)
{
	size_t n = strlen(suf);

	return c->len >= n && memcmp(c->name + c->len - n, suf, n) == 0;
}

static bool id_ok(const char *p, size_t len, enum id_kind kind)
{
	if (kind == ID_NAME)
		return len > 0;
	if (len != CG_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* Writes "runtime:id" when rule r recognises c (below parent, may be NULL).
 * Returns 1 written, 0 not a match, -ENOSPC. */
static int container_label(const struct container_rule *r, const struct cg_comp *parent,
		const struct cg_comp *c, char *out, size_t outlen)
{
	size_t pre = strlen(r->prefix), suf = strlen(r->suffix), idlen;
	int n;

	if (r->parent && !comp_is(parent, r->parent))
		return 0;
	if (c->len < pre + suf || !has_prefix(c, r->prefix) || !has_suffix(c, r->suffix))
		return 0;
	idlen = c->len - pre - suf;
	if (!id_ok(c->name + pre, idlen, r->kind))
		return 0;
	if (r->kind == ID_HEX64)
		idlen = CG_SHORT_ID;
	n = snprintf(out, outlen, "%s:%.*s", r->label, (int)idlen, c->name + pre);
	return n < 0 || (size_t)n >= outlen ? -ENOSPC : 1;
}

static bool is_unit(const struct cg_comp *c)
{
	for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		if (c->len > strlen(unit_suffixes[i]) && has_suffix(c, unit_suffixes[i]))
			return true;
	return false;
}

/* "user@" 1*DIGIT ".service": a user's service manager, whose subtree
 * systemd delegates to that user even where the directory is root-owned. */
static bool is_user_manager(const struct cg_comp *c)
{
	static const char pre[] = "user@", suf[] = ".service";
	size_t np = sizeof(pre) - 1, ns = sizeof(suf) - 1;

	if (c->len <= np + ns || !has_prefix(c, pre) || !has_suffix(c, suf))
		return false;
	for (size_t i = np; i < c->len - ns; i++)
		if (c->name[i] < '0' || c->name[i] > '9')
			return false;
	return true;
}

size_t cglabel_boundary(const struct cg_comp *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].uid != 0 || is_user_manager(&c[i]))
			return i;
	return n;
}

int cglabel_split(const char *path, struct cg_comp *c, size_t max)
{
	const char *s = path ? path : "";
	size_t n = 0;

	for (;;) {
		size_t len;

		s += strspn(s, "/");
		if (*s == '\0')
			return (int)n;
		len = strcspn(s, "/");
		if (n == max)
			return -E2BIG;
		c[n++] = (struct cg_comp){ s, len, 0 };
		s += len;
	}
}

/* The boundary and everything below it, joined with '/'. */
static int delegated_label(const struct cg_comp *c, size_t n, char *out, size_t outlen)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (len + (i > 0) + c[i].len + 1 > outlen)
			return -ENOSPC;
		if (i > 0)
			out[len++] = '/';
		memcpy(out + len, c[i].name, c[i].len);
		len += c[i].len;
	}
	out[len] = '\0';
	return 1;
}

static int unit_label(const struct cg_comp *u, char *out, size_t outlen)
{
	if (u->len + 1 > outlen)
		return -ENOSPC;
	memcpy(out, u->name, u->len);
	out[u->len] = '\0';
	return 1;
}

int cglabel_derive(const struct cg_comp *c, size_t n, char *out, size_t outlen)
{
	const size_t nrules = sizeof(container_rules) / sizeof(container_rules[0]);
	size_t b = cglabel_boundary(c, n);
	const struct cg_comp *unit = NULL;

	for (size_t i = 0; i < b; i++) {
		for (size_t r = 0; r < nrules; r++) {
			int rc = container_label(&container_rules[r], i ? &c[i - 1] : NULL, &c[i], out, outlen);

			if (rc != 0)
				return rc;
		}
		if (is_unit(&c[i]) && !(unit && comp_is(&c[i], "init.scope")))
			unit = &c[i];
	}
	if (b < n)
		return delegated_label(c + b, n - b, out, outlen);
	return unit ? unit_label(unit, out, outlen) : 0;
}
