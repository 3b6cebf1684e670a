/* SPDX-License-Identifier: GPL-3.0-or-later */
/* policy: the allowlist and the decision. Pure: no I/O, no globals, no clock.
 * Whether a rule matches a listener is rulematch.h's.
 */
#ifndef CHECK_LISTENERS_POLICY_H
#define CHECK_LISTENERS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "inventory.h"
#include "state.h"
#include "thresholds.h"

/* What an unrecognised listener is graded by. */
enum sev_class {
	SEV_ASSIGNED = CLASS_ASSIGNED,
	SEV_UNASSIGNED = CLASS_UNASSIGNED,
	SEV_RESERVED = CLASS_RESERVED,
	SEV_DYNAMIC = CLASS_DYNAMIC,
	SEV_UDP_EPHEMERAL,      /* unconnected UDP/UDP-Lite on an ephemeral port */
	SEV_SUSPICIOUS,         /* a known-abuse port, or an executable in a place
	                           writable by all or backed by memory (exe_place.h) */
	SEV_PACKET,             /* a packet socket without a BPF filter */
	SEV_PACKET_FILTER,      /* a packet socket with a classic BPF filter: the BPFDoor shape */
	SEV_RAW,                /* a raw IP socket */
	SEV_PING,               /* a ping socket (ICMP echo identifier) */
	SEV_COUNT
};
/* "assigned", ..., "udp_ephemeral", "suspicious", "packet", "packet_filter", "raw", "ping" */
const char *sev_class_name(enum sev_class c);
int sev_class_from_name(const char *s);          /* or -1 */

enum addr_kind { ADDR_ANY, ADDR_LOOPBACK, ADDR_CIDR };
struct addr_match {
	enum addr_kind kind;
	uint8_t family;         /* ADDR_CIDR: AF_INET or AF_INET6 */
	uint8_t prefix;         /* ADDR_CIDR: prefix length */
	uint8_t addr[16];       /* ADDR_CIDR: network order */
};

#define FAMILY_V4 1u
#define FAMILY_V6 2u

struct rule {
	char *origin;           /* "FILE:LINE" of the rule, for messages */
	uint32_t protos;        /* bit (1u << enum proto); 0 = any */
	uint8_t families;       /* FAMILY_V4 | FAMILY_V6; 0 = any */
	struct port_span *ports;/* NULL/0 = any port (unless port_ephemeral or port_rpc); never matches a
	                           packet, raw or ping socket */
	size_t nports;
	bool port_ephemeral;    /* port = "ephemeral": any port inside the namespace's
	                           ip_local_port_range, i.e. one the kernel chose */
	bool port_rpc;          /* port = "rpc": a TCP or UDP port that root registered
	                           with rpcbind, in the plugin's own namespace (rpcbind.h) */
	struct port_span *protocols;    /* packet/raw: ETH_P or IP protocols; NULL/0 = any */
	size_t nprotocols;
	uint8_t protocol_of;    /* PROTO_PACKET or PROTO_RAW: what protocols are numbers of */
	struct addr_match *addrs;
	size_t naddrs;
	char *interface;        /* glob; NULL = any */
	char *process;          /* glob on comm */
	char *exe;              /* glob on the executable path */
	char *user;             /* user name, or uid in decimal */
	char *unit;             /* glob on unit or container */
	char *netns;            /* glob on the namespace label */
	int64_t expires;        /* first second at which the rule stops matching; 0 = never */
	char expires_text[11];  /* "YYYY-MM-DD" as written */
	bool require;           /* CRITICAL when no listener matches */
	bool holder_none;       /* holder = "none": held by no process */
	char *comment;
};

struct port_override {
	uint16_t port;
	uint8_t proto;          /* enum reg_proto */
};

struct policy {
	struct rule *rules;
	size_t nrules;
	enum state severity[SEV_COUNT];         /* for unrecognised listeners */
	/* Port lists; each pointer is followed by its count (config.c relies on it). */
	struct port_override *unassigned;       /* registry.unassigned: treat as unassigned */
	size_t nunassigned;
	struct port_override *suspicious;       /* registry.suspicious: known-abuse ports added */
	size_t nsuspicious;
	struct port_override *not_suspicious;   /* registry.not_suspicious: built-in entries removed */
	size_t nnot_suspicious;
	char *registry_file;                    /* registry.file, NULL = built-in */
	bool all_netns;                         /* netns.all */
	struct threshold warn, crit;            /* on the number of unrecognised listeners */
};

/* Built-in defaults: no rules; unassigned, reserved, suspicious critical;
 * assigned, dynamic warning; udp_ephemeral ok; packet_filter critical;
 * packet, raw, ping warning. */
void policy_init(struct policy *pol);
/* Frees rules and strings; pol is left as after policy_init(). NULL is allowed. */
void policy_free(struct policy *pol);

/* Three-valued: an owner field a rule needs may not be known yet (rulematch.h). */
enum match { MATCH_NO, MATCH_YES, MATCH_UNKNOWN };

/* Sets need[] (one enum owner_need per listener, owners.h) to what is still
 * needed of each listener's holders: NEED_ALL when a rule that might still
 * recognise it (or a required rule that might match it) names a process, an
 * exe or holder = "none"; else NEED_PLACE when no rule settles it yet and
 * its class grades it below severity.suspicious (placement.h: a holder's
 * executable in /tmp would raise it); else NEED_ANY when no rule settles it yet (its
 * owner is shown), a user or unit rule might, or all is set (--list,
 * --generate-config); else NEED_NONE. With refine, only listeners still
 * marked are asked again: learning owner fields can settle a listener, never
 * unsettle one. Returns how many are marked. */
size_t policy_want_owners(const struct policy *pol, const struct inventory *inv, int64_t now,
		bool all, bool refine, uint8_t *need);

/* True when a rule names a user: then which rule recognises a listener may
 * depend on any listener's user name. */
bool policy_names_users(const struct policy *pol);

/* True when a rule has port = "rpc": only then is rpcbind asked (and for
 * --generate-config). */
bool policy_uses_rpc(const struct policy *pol);

/* Sets every listener's class (l->reg) from reg, from its namespace's port
 * settings (ephemeral_classify()), from pol (policy_port_info()) and, for
 * TCP and UDP listeners of the plugin's own namespace, from root's rpcbind
 * registrations in inv->rpc (l->reg.rpc). Pure, like the rest of this module. */
void policy_classify(const struct policy *pol, struct inventory *inv, const struct registry *reg);


/* What the configuration makes of a port that registry_lookup() and
 * ephemeral_classify() described in pi: registry.unassigned turns it into
 * unassigned (no service; pi->overridden), the known-abuse list (abuse.h)
 * with registry.suspicious added and registry.not_suspicious removed sets
 * pi->suspicious and its reason. proto is an enum reg_proto. pol may be NULL
 * (built-in list only). Every output shows the class this gives. */
void policy_port_info(const struct policy *pol, uint16_t port, int proto, struct port_info *pi);

/* The grade of an unrecognised listener: suspicious (a known-abuse port, an
 * executable in a suspicious place) before its class; an unconnected UDP
 * socket in the ephemeral range is udp_ephemeral. l->reg comes from
 * policy_port_info(). A packet socket whose filter the kernel withheld (no
 * CAP_NET_ADMIN) gets the worse of packet and packet_filter: the filter is
 * unknown, not absent. */
enum sev_class policy_sev_class(const struct policy *pol, const struct listener *l);

/* True when an unrecognised l is graded UNKNOWN for want of its executable's
 * place: the place is unknown (exe_place_unknown: not every process could be
 * read, or a holder's executable could not be verified), its class grades
 * it below severity.suspicious, so a dropper in /tmp would be graded higher,
 * and a socket of it was created by a user other than root. A socket only
 * root could create keeps its class grade: root can hide a listener from
 * any check, and an unprivileged run (nagios) cannot read root's processes,
 * so that every stock host would page on a root daemon's UDP port. A
 * socket of another user that no process holds although every process was
 * read (EXE_PLACE_UNHELD: a descriptor in flight, or a holder hidden from
 * /proc) is UNKNOWN only where its class grades it OK: a warning stays one.
 * Nothing but root vouches for a socket without a holder. */
bool policy_place_unknown(const struct policy *pol, const struct listener *l);

enum verdict_kind { VERDICT_RECOGNISED, VERDICT_UNRECOGNISED, VERDICT_UNVERIFIABLE };

/* 8 bytes: there is one per listener, and a large host has tens of thousands. */
struct verdict {
	uint8_t kind;           /* enum verdict_kind */
	uint8_t state;          /* enum state: OK for recognised; severity otherwise */
	uint8_t sev;            /* enum sev_class */
	uint32_t rule;          /* recognised: the index of the matching rule */
};

struct decision {
	enum state state;
	struct verdict *v;      /* one per listener, same order as inv->ls */
	size_t recognised, unrecognised, unverifiable;
	size_t unplaced;                /* unrecognised, graded UNKNOWN by policy_place_unknown() */
	size_t per_sev[SEV_COUNT];      /* unrecognised listeners per class */
	size_t *expired;                /* indices of expired rules */
	size_t nexpired;
	size_t *missing;                /* indices of required rules nothing matched */
	size_t nmissing;
	size_t *unverified;             /* required rules that only listeners whose
	                                   owner is unknown might match: UNKNOWN */
	size_t nunverified;
	uint32_t *order;                /* listener indices: unrecognised worst first,
	                                   then unverifiable, then recognised */
	size_t norder;
};

/* What -w/-c count: the unrecognised listeners but unconnected UDP sockets in
 * the ephemeral range (clients, mostly: their port changes on every run, so
 * counting them would flap; perfdata counts them apart). */
size_t decision_findings(const struct decision *d);

/* Decides. Returns 0, or -ENOMEM (out is then empty). */
int policy_decide(const struct policy *pol, const struct inventory *inv, int64_t now,
		struct decision *out);
void decision_free(struct decision *d);

#endif
