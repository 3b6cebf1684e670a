/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcbind: asks the local rpcbind which RPC programs root registered on which
 * ports (RPCBPROC_DUMP over its unix socket; rpcbind_xdr.h parses the reply),
 * for the port = "rpc" rules and for --generate-config.
 *
 * Trust: the answer counts only when the process that listens on the socket
 * runs as root (SO_PEERCRED, which the kernel fills in at listen()) and, when
 * its network namespace can be read, in the plugin's own. Of the answer only
 * root's own registrations count (rpcbind_xdr.h). Nothing here may make a
 * listener OK that would not be without it: when rpcbind cannot be asked or
 * trusted, port = "rpc" recognises nothing and a note says why.
 */
#ifndef CHECK_LISTENERS_RPCBIND_H
#define CHECK_LISTENERS_RPCBIND_H

#include <time.h>

#include "inventory.h"
#include "rpcbind_xdr.h"

/* Debian's rpcbind (and the kernel's rpcbind client) use this path. */
#define RPCBIND_SOCKET  "/run/rpcbind.sock"
/* The longest the plugin waits for rpcbind, however far away its deadline. */
#define RPCBIND_WAIT_MS 3000

/* Asks the rpcbind at path for its registrations, giving up at end
 * (CLOCK_MONOTONIC; {0,0} = RPCBIND_WAIT_MS from now, and never later than
 * that). Sets m: RPC_TRUSTED with what root registered, or RPC_UNAVAILABLE
 * with the reason in m->why. m is rpc_map_free()d first. */
void rpcbind_read(const char *path, struct timespec end, struct rpc_map *m);

/* rpcbind_read() into inv->rpc, plus the -vv notes: how many registrations
 * count, and that port = "rpc" covers only the plugin's own namespace when
 * inv has others. Call after the namespaces are collected. */
void rpcbind_collect(struct inventory *inv, const char *path, struct timespec end);

#endif
