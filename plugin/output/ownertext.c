/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ownertext: holders, users and units of a listener, in words, and why
 * some are unknown. */
#include "ownertext.h"

#include <stdio.h>
#include <string.h>

#include "holders.h"

#define MAX_SHOWN 3             /* holder groups, users, units named before "+N more" */
#define MAX_PATH_SHOWN 256      /* bytes of an executable path (JSON has all) */
#define MAX_UNIT_SHOWN 256

static bool same_group(const struct holder *a, const struct holder *b)
{
	if (a->manager != b->manager || a->exe_deleted != b->exe_deleted)
		return false;
	if (strncmp(a->comm, b->comm, sizeof(a->comm)) != 0)
		return false;
	if (!a->exe != !b->exe || !a->exe_claimed != !b->exe_claimed)
		return false;
	if (a->exe_claimed && strcmp(a->exe_claimed, b->exe_claimed) != 0)
		return false;
	return !a->exe || strcmp(a->exe, b->exe) == 0;
}

/* "pid 812 nginx (/usr/sbin/nginx)", and " +N more processes" for the
 * others of its group (holders with the same name and executable). */
static void put_holder(struct strbuf *sb, const struct holder *h, size_t others)
{
	sb_printf(sb, "pid %d ", (int)h->pid);
	sb_put_escaped(sb, h->comm, sizeof(h->comm));
	if (h->exe || h->exe_claimed) {
		sb_puts(sb, " (");
		sb_put_escaped(sb, h->exe ? h->exe : h->exe_claimed, MAX_PATH_SHOWN);
		sb_puts(sb, h->exe_deleted ? ", deleted" : "");
		sb_puts(sb, h->exe ? ")" : ", unverified)");
	}
	if (others)
		sb_printf(sb, " +%zu more process%s", others, others == 1 ? "" : "es");
	if (h->manager && !h->judged)
		sb_puts(sb, " as service manager");
}

/* True when no holder before i shares i's group. */
static bool group_first(const struct owner *o, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (same_group(&o->holders[k], &o->holders[i]))
			return false;
	return true;
}

/* Holders in pid order, grouped; a group is named by its lowest pid. */
static void put_holders(struct strbuf *sb, const struct owner *o)
{
	size_t groups = 0;

	if (holders_only_manager(o->holders, o->nholders))
		sb_puts(sb, "held by the service manager: ");
	for (size_t i = 0; i < o->nholders; i++) {
		size_t others = 0;

		if (!group_first(o, i))
			continue;
		if (groups++ >= MAX_SHOWN)
			continue;
		for (size_t k = i + 1; k < o->nholders; k++)
			others += same_group(&o->holders[i], &o->holders[k]);
		if (groups > 1)
			sb_puts(sb, ", ");
		put_holder(sb, &o->holders[i], others);
	}
	if (groups > MAX_SHOWN)
		sb_printf(sb, ", +%zu more holders", groups - MAX_SHOWN);
}

static void put_holder_part(struct strbuf *sb, const struct owner *o)
{
	switch (o->state) {
	case OWNER_PROCESS:
		put_holders(sb, o);
		if (o->complete && o->unheld)
			sb_printf(sb, "; %u socket%s: " OWNERTEXT_NO_HOLDER, o->unheld, o->unheld == 1 ? "" : "s");
		break;
	case OWNER_NONE:
		sb_puts(sb, OWNERTEXT_NO_HOLDER);
		break;
	case OWNER_DENIED:
		sb_puts(sb, "pid ?");
		break;
	case OWNER_UNRESOLVED:
		break;
	}
}

/* The distinct uids of the sockets, in the order met, as names. */
static void put_users(struct strbuf *sb, const struct inventory *inv, const struct listener *l, bool sp)
{
	size_t n = 0;

	for (uint32_t s = 0; s < l->count; s++) {
		const char *name = inv_user(inv, l->s[s].uid);
		bool seen = false;

		for (uint32_t k = 0; k < s && !seen; k++)
			seen = l->s[k].uid == l->s[s].uid;
		if (seen || !name || !name[0])
			continue;
		if (n == 0) {
			size_t more = 0;

			for (uint32_t k = s + 1; k < l->count && !more; k++)
				more = l->s[k].uid != l->s[s].uid;
			sb_puts(sb, sp ? " " : "");
			sb_puts(sb, more ? "users " : "user ");
		} else if (n < MAX_SHOWN) {
			sb_puts(sb, ", ");
		}
		if (n++ < MAX_SHOWN)
			sb_put_escaped(sb, name, sizeof(((struct uid_name *)0)->name));
	}
	if (n > MAX_SHOWN)
		sb_printf(sb, " +%zu more", n - MAX_SHOWN);
}

static void put_units(struct strbuf *sb, const struct owner *o, bool sp)
{
	if (o->nunits == 0)
		return;
	sb_puts(sb, sp ? " " : "");
	sb_puts(sb, o->nunits > 1 ? "units " : "unit ");
	for (size_t i = 0; i < o->nunits && i < MAX_SHOWN; i++) {
		if (i)
			sb_puts(sb, ", ");
		sb_put_escaped(sb, o->units[i], MAX_UNIT_SHOWN);
	}
	if (o->nunits > MAX_SHOWN)
		sb_printf(sb, " +%zu more", o->nunits - MAX_SHOWN);
}

void ownertext_put(struct strbuf *sb, const struct inventory *inv, const struct listener *l)
{
	const struct owner *o = listener_owner(inv, l);
	size_t start = sb->len;

	put_holder_part(sb, o);
	put_users(sb, inv, l, sb->len > start);
	put_units(sb, o, sb->len > start);
}

const char *ownertext_shown_comm(const struct inventory *inv, const struct listener *l)
{
	const struct owner *o = listener_owner(inv, l);

	if (o->state != OWNER_PROCESS || o->nholders == 0)
		return NULL;
	return o->holders[holders_shown(o->holders, o->nholders)].comm;
}

bool ownertext_denied_note(const struct inventory *inv, const struct owners_stats *st,
		char *out, size_t len)
{
	size_t denied = 0;
	const char *s;

	for (size_t i = 0; i < inv->nls; i++) {
		const struct owner *o = listener_owner(inv, &inv->ls[i]);

		/* cut short, a scan may also have found only some holders */
		denied += o->state == OWNER_DENIED ||
			(st->out_of_time && o->state == OWNER_PROCESS && !o->complete);
	}
	if (denied == 0)
		return false;
	s = denied == 1 ? "" : "s";
	if (st->out_of_time)
		snprintf(out, len, "the holders of %zu listener%s are not all known: the /proc scan ran "
			"out of time (raise -t); listeners whose rules need no owner are decided without "
			"them", denied, s);
	else if (st->privileged && st->denied_pid > 0)
		snprintf(out, len, "process of %zu listener%s unknown: the open files of %u process%s "
			"(e.g. pid %d %.15s) could not be read even with CAP_DAC_READ_SEARCH and "
			"CAP_SYS_PTRACE (another user namespace or a more privileged process)", denied, s,
			st->procs_denied, st->procs_denied == 1 ? "" : "es", (int)st->denied_pid,
			st->denied_comm);
	else
		snprintf(out, len, "process of %zu listener%s unknown: reading other users' /proc/PID/fd "
			"needs CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE%s; run the plugin through sudo or "
			"grant those capabilities (see README, Privileges)",
			denied, s, st->hidden_procs ? " and /proc without hidepid" : "");
	return true;
}
