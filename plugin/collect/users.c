/* SPDX-License-Identifier: GPL-3.0-or-later */
/* users: the names of the socket uids, each looked up once. */
#include "users.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name of uid, or the uid in decimal when unknown or too long to store. */
static void lookup_user(uint32_t uid, char *out, size_t outlen)
{
	struct passwd pw, *res = NULL;
	size_t blen = 1024;
	char *buf = NULL;
	int rc = ERANGE;

	while (rc == ERANGE && blen <= (1u << 20)) {
		char *nb = realloc(buf, blen);

		if (!nb)
			break;
		buf = nb;
		rc = getpwuid_r((uid_t)uid, &pw, buf, blen, &res);
		blen *= 2;
	}
	if (rc != 0 || !res || strlen(res->pw_name) >= outlen)
		snprintf(out, outlen, "%u", (unsigned)uid);
	else
		memcpy(out, res->pw_name, strlen(res->pw_name) + 1);
	free(buf);
}

/* The inventory's uid table gets the uid of every socket of every listener
 * (of the wanted ones unless all), each looked up once. */
int users_resolve(struct inventory *inv, const uint8_t *need, bool all)
{
	char name[sizeof(((struct uid_name *)0)->name)];
	uint32_t last = 0;
	bool any = false;
	int err = 0;

	for (size_t i = 0; i < inv->nls && !err; i++) {
		const struct listener *l = &inv->ls[i];

		if (!all && need && need[i] == 0)
			continue;
		for (uint32_t s = 0; s < l->count && !err; s++) {
			uint32_t uid = l->s[s].uid;

			if ((any && uid == last) || inv_user(inv, uid)) {
				last = uid;
				continue;
			}
			any = true;
			last = uid;
			lookup_user(uid, name, sizeof(name));
			err = inv_set_user(inv, uid, name);
		}
	}
	return err;
}

