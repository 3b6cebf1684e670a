/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcprog: the ONC RPC programs a learned rule names, and the port IANA gave
 * the few of them that have one (those stay exact when learned). */
#ifndef CHECK_LISTENERS_RPCPROG_H
#define CHECK_LISTENERS_RPCPROG_H

#include <stdint.h>

/* The common name of program prog ("status", "nlockmgr"), or NULL when the
 * built-in table does not know it. Static storage. */
const char *rpcprog_name(uint32_t prog);

/* The IANA port of program prog (111 portmapper, 2049 nfs and nfs_acl,
 * 20048 mountd), or 0 when it has none and binds wherever it is given. */
uint16_t rpcprog_port(uint32_t prog);

#endif
