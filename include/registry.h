/* SPDX-License-Identifier: GPL-3.0-or-later */
/* registry: the IANA Service Name and Transport Protocol Port Number Registry.
 *
 * The built-in table is generated from the IANA CSV by
 * plugin/registry/registry-gen.awk (`make registry CSV=...`) into
 * plugin/registry/registry_data.c. A newer CSV can be loaded at run time
 * (--registry FILE, registry_csv.h). Lookups are bounded and touch a few pages:
 * per protocol, sorted spans of ports with the same entry and a 257-entry
 * directory by 256-port bucket (one jump, then at most 9 binary-search steps),
 * computed by the generator, or when a CSV is loaded.
 */
#ifndef CHECK_LISTENERS_REGISTRY_H
#define CHECK_LISTENERS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reg_row;

/* The registry's transport protocols. UDP-Lite uses REG_UDP. */
enum reg_proto { REG_TCP, REG_UDP, REG_SCTP, REG_DCCP, REG_NPROTO };

enum port_class {
	CLASS_ASSIGNED,         /* has a service name for this protocol */
	CLASS_UNASSIGNED,       /* Unassigned, De-registered, Removed, or not listed */
	CLASS_RESERVED,         /* Reserved */
	CLASS_DYNAMIC,          /* 49152-65535 */
	CLASS_COUNT
};

enum port_range { RANGE_SYSTEM, RANGE_USER, RANGE_DYNAMIC };   /* 0-1023, 1024-49151, 49152- */

/* What is known of one (port, protocol) in one network namespace. */
struct port_info {
	enum port_class cls;
	enum port_range range;
	const char *service;    /* NULL when none; lives as long as the registry */
	const char *description;/* NULL when none; lives as long as the registry */
	bool ephemeral;         /* inside ip_local_port_range and not local-reserved */
	bool local_reserved;    /* listed in ip_local_reserved_ports */
	bool overridden;        /* the configuration made it unassigned (registry.unassigned) */
	bool suspicious;        /* a known-abuse port (abuse.h, registry.suspicious) */
	const char *suspicious_reason;  /* why, when suspicious; static or the policy's */
	const char *suspicious_source;  /* where that is documented; NULL for the config's own */
};

struct registry;

/* The table compiled into the plugin. Never NULL, never freed. */
const struct registry *registry_builtin(void);

/* A new registry that takes ownership of rows (nrows of them, at most
 * REG_MAX_ROWS) and pool, both from malloc(), and builds its index (spans and
 * directory as registry_data.h describes; about 256 KiB of scratch while it runs); snapshot is
 * "YYYY-MM-DD", or "" when the data has no date ("unknown"). Returns NULL when
 * out of memory, and then rows and pool are still the caller's. Freed with
 * registry_free(). For registry_csv.c; rows are laid out as in
 * registry_data.h. */
struct registry *registry_adopt(struct reg_row *rows, size_t nrows, char *pool,
		const char *snapshot);

/* Frees a loaded registry. NULL and the built-in table are ignored. */
void registry_free(struct registry *r);

/* The snapshot date of the data, "YYYY-MM-DD" (newest registration or
 * modification date in the CSV); "unknown" when the CSV has none. Lives as long as r. */
const char *registry_snapshot(const struct registry *r);

/* Class, service name and description of port/proto into out: sets cls,
 * range, service (only when assigned) and description (NULL when the registry
 * has none). The ephemeral and local_reserved flags are the caller's
 * (see ephemeral.h). */
void registry_lookup(const struct registry *r, uint16_t port, enum reg_proto proto,
		struct port_info *out);

/* "tcp", "udp", "sctp", "dccp". */
const char *reg_proto_name(enum reg_proto p);
/* -1 when unknown. "udplite" maps to REG_UDP. */
int reg_proto_from_name(const char *name);
/* "assigned", "unassigned", "reserved", "dynamic". */
const char *port_class_name(enum port_class c);
/* "system", "user", "dynamic". */
const char *port_range_name(enum port_range r);
/* The range of port: system 0-1023, user 1024-49151, dynamic 49152-65535. */
enum port_range port_range_of(uint16_t port);

#endif
