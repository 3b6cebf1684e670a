/* SPDX-License-Identifier: GPL-3.0-or-later */
/* abuse: the built-in list of known-abuse ports, ports that malware and
 * attack tools use by default (Metasploit's 4444, Back Orifice's 31337, ...).
 *
 * The list is data: plugin/registry/abuse.tsv, turned into
 * plugin/registry/abuse_data.c by plugin/registry/abuse-gen.awk (`make abuse`).
 * An unrecognised listener on one of these ports is graded
 * severity.suspicious; the configuration can add ports
 * (registry.suspicious) and remove entries (registry.not_suspicious), see
 * policy_port_info().
 */
#ifndef CHECK_LISTENERS_ABUSE_H
#define CHECK_LISTENERS_ABUSE_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

struct abuse_entry {
	uint16_t port;
	uint8_t proto;          /* enum reg_proto; REG_UDP also covers UDP-Lite */
	const char *reason;     /* why the port is known, e.g. "Metasploit default handler port ..." */
	const char *source;     /* where that is documented */
};

/* The generated table, ascending by (port, proto), no duplicates. */
extern const struct abuse_entry abuse_data[];
extern const size_t abuse_data_n;

/* The entry for port/proto in table t of n entries sorted like abuse_data,
 * or NULL. Binary search. */
const struct abuse_entry *abuse_find(const struct abuse_entry *t, size_t n, uint16_t port,
		enum reg_proto proto);

/* abuse_find() in the built-in table. */
const struct abuse_entry *abuse_lookup(uint16_t port, enum reg_proto proto);

#endif
