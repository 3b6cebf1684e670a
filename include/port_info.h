/* SPDX-License-Identifier: GPL-3.0-or-later */
/* port_info: --port-info PORT[/PROTO], what the registry, the known-abuse
 * list, the configuration and this host say about a port, as text (here)
 * or JSON (json_port_info() in json.h). */
#ifndef CHECK_LISTENERS_PORT_INFO_H
#define CHECK_LISTENERS_PORT_INFO_H

#include <stdint.h>

#include "inventory.h"
#include "registry.h"
#include "strbuf.h"

struct policy;

/* Called once per protocol p (an enum reg_proto) with what policy_port_info()
 * made of the port; iana is the registry's own service, which pi no longer
 * has when the configuration made the port unassigned. */
typedef void port_info_fn(int p, const struct port_info *pi, const char *iana, void *ctx);

/* Calls fn for proto (enum reg_proto), or for every protocol when proto is
 * -1, in protocol order. pol may be NULL (no configuration). */
void port_info_each(uint16_t port, int proto, const struct registry *reg, const struct policy *pol,
		const struct netns *local, port_info_fn *fn, void *ctx);

/* The --port-info text: one line per protocol, then the snapshot date. */
void report_port_info(uint16_t port, int proto, const struct registry *reg, const struct policy *pol,
		const struct netns *local, struct strbuf *out);

#endif
