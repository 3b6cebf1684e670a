/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learn: an allowlist from an inventory.
 *
 * Process, unit, interface and namespace names come from the system and are
 * untrusted: a process can name itself `x"; require = true; #`. Every string
 * goes through put_str(), which escapes for libconfig's string syntax and,
 * for glob fields, for the policy's glob matcher, so a name can neither end
 * the string nor widen the pattern. */
#include "learn.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "holders.h"
#include "learn_key.h"
#include "protoname.h"
#include "registry.h"
#include "rpcprog.h"
#include "strbuf.h"

/* A libconfig string literal. glob: also backslash-escape * ? [ \ so the
 * policy's pattern_match() takes them literally. */
static void put_str(struct strbuf *sb, const char *s, size_t n, bool glob)
{
	sb_putc(sb, '"');
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (glob && strchr("*?[\\", c))
			sb_puts(sb, "\\\\");
		if (c == '"' || c == '\\')
			sb_putc(sb, '\\');
		if (c < 0x20 || c >= 0x7f)
			sb_printf(sb, "\\x%02x", c);
		else
			sb_putc(sb, (char)c);
	}
	sb_putc(sb, '"');
}

static void put_field(struct strbuf *sb, const char *key, const char *s, size_t n, bool glob)
{
	sb_printf(sb, " %s = ", key);
	put_str(sb, s, n, glob);
	sb_putc(sb, ';');
}

static void put_address(struct strbuf *sb, const struct listener *l)
{
	char addr[INET6_ADDRSTRLEN] = "";

	if (sock_is_wildcard(l->s))
		snprintf(addr, sizeof(addr), "any");
	else if (sock_is_loopback(l->s))
		snprintf(addr, sizeof(addr), "loopback");
	else
		inet_ntop(l->s->family == AF_INET ? AF_INET : AF_INET6, l->s->addr, addr, sizeof(addr));
	put_field(sb, "address", addr, sizeof(addr), false);
}

/* The owner the key names (learn_key.h): unit, else exe, else the comm,
 * with the user that created the sockets where the key needs one. */
static void put_owner(struct strbuf *sb, const struct learn_key *k)
{
	switch (k->owner) {
	case LEARN_UNIT:
		put_field(sb, "unit", k->value, strlen(k->value), true);
		break;
	case LEARN_EXE:
		put_field(sb, "exe", k->value, strlen(k->value), true);
		break;
	case LEARN_COMM:
		put_field(sb, "process", k->value, 16, true);
		break;
	case LEARN_KERNEL:      /* a socket no process holds: root's, without a holder */
		put_field(sb, "user", "root", 4, false);
		put_field(sb, "holder", "none", 4, false);
		break;
	case LEARN_NO_OWNER:
		break;
	}
	if (k->user)
		put_field(sb, "user", k->user, strlen(k->user), false);
}

/* Comment lines above a rule that is weaker than it looks, saying why. */
static void put_why(struct strbuf *sb, const struct inventory *inv, const struct listener *l,
		const struct learn_key *k)
{
	if (k->owner == LEARN_NO_OWNER)
		sb_printf(sb, "  # no owner: %s\n", k->missing == LEARN_DENIED ?
				"its process could not be read without privilege (CAP_DAC_READ_SEARCH and "
				"CAP_SYS_PTRACE) and its cgroup names no unit; learn as root to key it on "
				"its executable" : k->missing == LEARN_MIXED ? "its processes run different executables"
				: "its process was not looked up");
	if (k->owner == LEARN_KERNEL && k->not_root)
		sb_puts(sb, "  # no process holds it, but root did not create it (a descriptor in flight?): "
				"this rule will not recognise it\n");
	if (k->owner == LEARN_COMM)
		sb_puts(sb, "  # keyed on the command name, which a process chooses itself: neither "
				"its unit nor its executable is known\n");
	if (k->user_needed && !k->user)
		sb_puts(sb, k->owner == LEARN_UNIT ?
				"  # its sockets were created by different users: no user written, so any user "
				"running in this unit matches\n" :
				"  # its sockets were created by different users: no user written, so any user "
				"running this program matches\n");
	if (k->netns_unstable) {
		sb_puts(sb, "  # its network namespace is named ");
		sb_put_escaped(sb, inv->ns[l->s->netns].label, sizeof(inv->ns[0].label));
		sb_puts(sb, ", which changes on restart: not written, the owner identifies it\n");
	}
}

/* The interface a socket is bound to and its namespace, when it has them and
 * the namespace's label survives a restart (learn_key.h). */
static void put_where(struct strbuf *sb, const struct inventory *inv, const struct listener *l,
		const struct learn_key *k)
{
	if (inv_ifname(inv, l->s)[0])
		put_field(sb, "interface", inv_ifname(inv, l->s), IF_NAMESIZE, true);
	if (k->netns)
		put_field(sb, "netns", inv->ns[l->s->netns].label, sizeof(inv->ns[0].label), true);
}

/* A packet or raw socket: by its protocol, bound interface and owner; a
 * ping socket by its address and owner (its echo identifier changes with
 * every ping(8) run, so it is not written). */
static void put_portless_rule(struct strbuf *sb, const struct inventory *inv, const struct listener *l,
		const struct learn_key *k)
{
	char name[16];

	sb_printf(sb, "  { proto = \"%s\";", proto_name(l->s->proto));
	if (l->s->proto != PROTO_PING)
		sb_printf(sb, " protocol = \"%s\";", l->s->proto == PROTO_PACKET ?
			eth_proto_format(l->s->port, name, sizeof(name)) :
			ip_proto_format((uint8_t)l->s->port, name, sizeof(name)));
	if (l->s->proto != PROTO_PACKET)
		put_address(sb, l);
	put_where(sb, inv, l, k);
	put_owner(sb, k);
	sb_puts(sb, " }");
}

/* "status (100024)", or "program 300019"; before an exact port's IANA
 * text, "RPC status (100024) registered by root; ". */
static void put_rpc_prog(struct strbuf *c, uint32_t prog, bool exact)
{
	const char *name = rpcprog_name(prog);

	if (exact)
		sb_puts(c, "RPC ");
	if (name)
		sb_printf(c, "%s (%u)", name, (unsigned)prog);
	else
		sb_printf(c, "program %u", (unsigned)prog);
	if (exact)
		sb_puts(c, " registered by root; ");
}

/* One rule, without a separator, after its comment lines. A port root
 * registered with rpcbind is "rpc", a UDP port the kernel chose (in
 * ip_local_port_range) "ephemeral", when an owner pins the rule (learn_key.h);
 * without one it stays exact, and the comment says it will change. A TCP or
 * SCTP port is never "ephemeral". */
static void put_rule(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	const char *svc = l->reg.service;
	struct strbuf c = STRBUF_INIT;
	struct learn_key k;

	learn_key_of(inv, l, &k);
	put_why(sb, inv, l, &k);
	if (proto_portless(l->s->proto)) {
		put_portless_rule(sb, inv, l, &k);
		return;
	}
	sb_printf(sb, "  { proto = \"%s\";", proto_name(l->s->proto));
	if (k.rpc)
		sb_puts(sb, " port = \"rpc\";");
	else if (k.ephemeral)
		sb_puts(sb, " port = \"ephemeral\";");
	else
		sb_printf(sb, " port = %u;", (unsigned)l->s->port);
	put_address(sb, l);
	put_where(sb, inv, l, &k);
	put_owner(sb, &k);
	if (k.rpc)
		sb_puts(&c, "RPC ");
	if (k.rpc_prog)
		put_rpc_prog(&c, k.rpc_prog, !k.rpc);
	if (k.rpc)
		sb_puts(&c, ": any port root registered with rpcbind");
	else if (k.ephemeral)
		sb_puts(&c, "kernel-chosen port (any in ip_local_port_range)");
	else
		sb_printf(&c, "IANA %s %u: %s (%s)%s", reg_proto_name(l->s->proto == PROTO_TCP ? REG_TCP
				: l->s->proto == PROTO_SCTP ? REG_SCTP : REG_UDP), (unsigned)l->s->port,
				svc ? svc : "no service", port_class_name(l->reg.cls),
				!k.kernel_port ? "" : k.udp ? "; kernel-chosen port: it changes on restart" :
				"; inside ip_local_port_range, learned exact: a listener's port is its service's choice");
	put_field(sb, "comment", sb_cstr(&c), c.len, false);
	sb_puts(sb, " }");
	sb_free(&c);
}

struct text {
	char *s;
	size_t i;
};

static int text_cmp(const void *a, const void *b)
{
	const struct text *x = a, *y = b;
	int d = strcmp(x->s, y->s);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static int index_cmp(const void *a, const void *b)
{
	const struct text *x = a, *y = b;

	return (x->i > y->i) - (x->i < y->i);
}

static void put_header(struct strbuf *sb)
{
	char host[256] = "", when[32] = "";
	time_t now = time(NULL);
	struct tm tm;

	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "?");
	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	sb_puts(sb, "# check_listeners allowlist, generated on ");
	sb_put_escaped(sb, host, 0);
	sb_printf(sb, " at %s by check_listeners --generate-config.\n", when);
	sb_puts(sb, "# REVIEW BEFORE USE: it allows every listener that was found, including\n"
			"# ones that should not be there. Remove what you do not expect.\n");
}

/* Why RPC services were learned by their exact ports. Without rpcbind
 * running (most hosts) there are none to say this of. */
static void put_rpc_header(struct strbuf *sb, const struct rpc_map *m)
{
	if (m->state != RPC_UNAVAILABLE || m->absent)
		return;
	sb_puts(sb, "# rpcbind could not be asked (");
	sb_put_escaped(sb, m->why, sizeof(m->why));
	sb_puts(sb, "): RPC services keep their exact ports,\n# which change when they restart.\n");
}

/* Rules are built one by one, sorted to drop duplicates, and written in
 * the inventory's order. Without memory for that, duplicates stay. */
void learn_generate(const struct inventory *inv, struct strbuf *out)
{
	struct text *t = calloc(inv->nls ? inv->nls : 1, sizeof(*t));
	size_t n = 0, kept = 0;

	put_header(out);
	put_rpc_header(out, &inv->rpc);
	sb_puts(out, "allow = (\n");
	for (size_t i = 0; t && i < inv->nls; i++, n++) {
		struct strbuf sb = STRBUF_INIT;

		put_rule(&sb, inv, &inv->ls[i]);
		t[n] = (struct text){ .s = sb.oom ? NULL : sb.buf, .i = i };
		if (!t[n].s) {
			sb_free(&sb);
			break;
		}
	}
	if (!t || n < inv->nls) {
		for (size_t i = 0; i < inv->nls; i++) {
			put_rule(out, inv, &inv->ls[i]);
			sb_puts(out, i + 1 < inv->nls ? ",\n" : "\n");
		}
	} else {
		qsort(t, n, sizeof(*t), text_cmp);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || strcmp(t[i].s, t[kept - 1].s) != 0)
				t[kept++] = t[i];
			else
				free(t[i].s);
		qsort(t, kept, sizeof(*t), index_cmp);
		for (size_t i = 0; i < kept; i++) {
			sb_puts(out, t[i].s);
			sb_puts(out, i + 1 < kept ? ",\n" : "\n");
		}
	}
	sb_puts(out, ");\n");
	for (size_t i = 0; t && i < (n < inv->nls ? n : kept); i++)
		free(t[i].s);
	free(t);
}
