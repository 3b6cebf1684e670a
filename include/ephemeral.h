/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ephemeral: the kernel's own port settings of a network namespace
 * (net.ipv4.ip_local_port_range, net.ipv4.ip_local_reserved_ports). */
#ifndef CHECK_LISTENERS_EPHEMERAL_H
#define CHECK_LISTENERS_EPHEMERAL_H

#include <stdbool.h>
#include <stdint.h>

#include "inventory.h"

/* Reads both sysctls of the CURRENT network namespace (call it while inside
 * the namespace) from proc_root ("/proc" in production) into ns. A sysctl that
 * cannot be read leaves the range 0,0 / no reserved ports. Returns 0 or -ENOMEM. */
int ephemeral_read(const char *proc_root, struct netns *ns);

/* "32768\t60999\n" -> lo, hi. Returns 0, or -EINVAL (lo > hi, garbage). */
int ephemeral_parse_range(const char *text, uint16_t *lo, uint16_t *hi);

/* "8080,9000-9010\n" (may be empty) -> malloc'd spans. Returns 0 or -EINVAL/-ENOMEM. */
int ephemeral_parse_reserved(const char *text, struct port_span **spans, size_t *n);

/* Narrows the range of another namespace to the part that the host's range
 * (root's setting) also holds: whoever owns a namespace sets its range, and a
 * user who widens it in a namespace of their own must not turn their UDP
 * server into an "ephemeral" client that is graded ok. An empty overlap, or
 * an unknown host range, leaves no range (nothing is ephemeral). */
void ephemeral_clamp(struct netns *ns, const struct netns *host);

/* Sets out->range, out->ephemeral and out->local_reserved for port in ns. */
void ephemeral_classify(const struct netns *ns, uint16_t port, struct port_info *out);

#endif
