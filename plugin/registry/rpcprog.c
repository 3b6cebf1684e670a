/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcprog: a short table of ONC RPC program numbers (from the programs' own
 * sources and Debian's /etc/rpc), and the IANA port of those that have one. */
#include "rpcprog.h"

#include <stddef.h>

static const struct {
	uint32_t prog;
	const char *name;
	uint16_t port;          /* IANA: sunrpc 111, nfs 2049, mountd 20048 */
} progs[] = {
	{ 100000, "portmapper", 111 },
	{ 100001, "rstatd", 0 },
	{ 100002, "rusersd", 0 },
	{ 100003, "nfs", 2049 },
	{ 100004, "ypserv", 0 },
	{ 100005, "mountd", 20048 },
	{ 100007, "ypbind", 0 },
	{ 100008, "walld", 0 },
	{ 100009, "yppasswdd", 0 },
	{ 100011, "rquotad", 0 },
	{ 100012, "sprayd", 0 },
	{ 100021, "nlockmgr", 0 },
	{ 100024, "status", 0 },
	{ 100026, "bootparam", 0 },
	{ 100069, "ypxfrd", 0 },
	{ 100227, "nfs_acl", 2049 },
	{ 150001, "pcnfsd", 0 },
	{ 391002, "sgi_fam", 0 },
};

static size_t find(uint32_t prog)
{
	size_t i = 0;

	while (i < sizeof(progs) / sizeof(progs[0]) && progs[i].prog != prog)
		i++;
	return i;
}

const char *rpcprog_name(uint32_t prog)
{
	size_t i = find(prog);

	return i < sizeof(progs) / sizeof(progs[0]) ? progs[i].name : NULL;
}

uint16_t rpcprog_port(uint32_t prog)
{
	size_t i = find(prog);

	return i < sizeof(progs) / sizeof(progs[0]) ? progs[i].port : 0;
}
