/* SPDX-License-Identifier: GPL-3.0-or-later */
/* inventory: the sockets the kernel reported, the namespaces they live in, and
 * the listeners they form.
 *
 * A listener is one (netns, proto, address, port, interface) with one or more
 * sockets (SO_REUSEPORT groups, pre-fork servers). The netlink module adds
 * sockets, inv_group() forms listeners, the registry and owners modules fill in
 * class and owner, the policy module decides. Strings held here that come from
 * the system (comm, exe, unit, interface and user names) are raw bytes: escape
 * them on output.
 */
#ifndef CHECK_LISTENERS_INVENTORY_H
#define CHECK_LISTENERS_INVENTORY_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "holders.h"
#include "registry.h"
#include "rpcbind_xdr.h"

/* Packet, raw and ping sockets listen without a port: their `port` is the
 * protocol they receive (ETH_P_* for packet, the IP protocol for raw) or, for
 * a ping socket (an ICMP or ICMPv6 datagram socket), the echo identifier it is
 * bound to, which is no port either; each such socket is a listener of its own. */
enum proto { PROTO_TCP, PROTO_UDP, PROTO_UDPLITE, PROTO_SCTP, PROTO_PACKET, PROTO_RAW, PROTO_PING,
	PROTO_COUNT };

/* True for PROTO_PACKET, PROTO_RAW and PROTO_PING: no port, no IANA class. */
bool proto_portless(unsigned proto);

/* "tcp", "udp", "udplite", "sctp", "packet", "raw", "ping"; "?" for anything else. */
const char *proto_name(unsigned proto);
/* The enum proto for a lower-case name, or -1. */
int proto_from_name(const char *name);
/* The registry protocol (enum reg_proto) a socket protocol is registered
 * under: UDP-Lite shares UDP's ports. -1 for anything else. */
int proto_reg(unsigned proto);

struct port_span {
	uint16_t lo, hi;        /* inclusive */
};

/* What packet_diag says of a packet socket beyond the common fields: it
 * lives where the address of an IP socket would (a packet socket has none). */
struct sock_packet {
	uint8_t type;           /* SOCK_RAW or SOCK_DGRAM */
	uint8_t filter;         /* enum pkt_filter (packet.h) */
	uint16_t filter_len;    /* classic BPF instructions */
	uint16_t fanout_id;
	uint8_t fanout_mode;
	uint8_t flags;          /* SP_FANOUT | SP_RX_RING | SP_TX_RING */
};
#define SP_FANOUT       1u
#define SP_RX_RING      2u
#define SP_TX_RING      4u

/* struct sock flags */
#define SOCK_IF_UNKNOWN 1u      /* the source (/proc/net/raw, icmp) names no bound interface */

/* One socket as the kernel reported it, normalised: port in host order, an
 * IPv4-mapped IPv6 address turned into AF_INET. 56 bytes: a large host has
 * tens of thousands, and every page of them costs a page fault, so what only
 * a few sockets have (an interface name) lives in the inventory's tables. */
struct sock {
	uint8_t proto;          /* enum proto */
	uint8_t family;         /* AF_INET, AF_INET6, or AF_PACKET */
	int8_t v6only;          /* AF_INET6: 1 v6only, 0 dual-stack, -1 not reported; else -1 */
	uint8_t flags;          /* SOCK_IF_UNKNOWN */
	uint16_t port;          /* packet, raw: the protocol; ping: the echo id (see enum proto) */
	union {
		uint8_t addr[16];       /* network order; AF_INET uses the first 4 bytes, rest zero */
		struct sock_packet pkt; /* AF_PACKET */
	};
	uint32_t ifindex;       /* 0 = not bound to a device; its name: inv_ifname() */
	uint32_t uid;
	uint32_t inode;
	uint32_t netns;         /* index into inventory.ns; 0 is the plugin's own */
	uint64_t cookie;
	uint64_t cgroup_id;     /* 0 when the kernel did not send INET_DIAG_CGROUP_ID */
};

/* A network namespace that was checked. */
struct netns {
	char label[64];         /* "host", an ip-netns name, "init" (the initial namespace), a container, "pid 1234 (comm)" */
	uint16_t eph_lo, eph_hi;        /* ip_local_port_range; both 0 when unreadable */
	struct port_span *reserved;     /* ip_local_reserved_ports, malloc'd */
	size_t nreserved;
};

enum owner_state {
	OWNER_UNRESOLVED,       /* not looked up (not needed, or not yet) */
	OWNER_PROCESS,          /* holders found: holders[] */
	OWNER_NONE,             /* complete privileged scan: no process holds any of its
	                           sockets (a kernel socket, or a descriptor in flight) */
	OWNER_DENIED,           /* none found, and the scan could not see every process
	                           (privilege missing, hidepid) or ran out of time */
};

/* Who holds a listener's sockets (holders.h says which holders a rule
 * judges), and the units of the cgroups its sockets were created in. */
struct owner {
	enum owner_state state;
	struct holder *holders; /* distinct processes, ascending pid, malloc'd */
	size_t nholders;
	uint32_t unheld;        /* sockets for which no holder was found */
	bool complete;          /* every process was read: holders and unheld are exact */
	bool unit_checked;      /* the units below are known for every socket */
	bool unit_none;         /* a socket's cgroup names no unit */
	bool cg_user;           /* a socket's cgroup is at or below a delegation boundary */
	bool cg_gone;           /* a socket's cgroup no longer exists (removed after it was made) */
	bool holder_cg_user;    /* with cg_gone: a holder found sits at or below a delegation boundary */
	char **units;           /* distinct units or containers of the sockets, malloc'd */
	size_t nunits;
};

/* The user name of a socket uid is in the inventory (inv_user), not here:
 * distinct uids are few. */

/* What the registry and the namespace's port settings say of a listener's
 * port: struct port_info in 16 bytes instead of 32, without the description,
 * which only the JSON output shows (a registry_lookup() away). */
struct listener_reg {
	const char *service;    /* NULL when none; lives as long as the registry */
	uint8_t cls;            /* enum port_class */
	uint8_t range;          /* enum port_range */
	bool ephemeral;         /* inside ip_local_port_range and not local-reserved */
	bool local_reserved;    /* listed in ip_local_reserved_ports */
	bool suspicious;        /* a known-abuse port (policy_port_info) */
	bool rpc;               /* root registered (proto, port) with rpcbind (policy_classify) */
};

/* 32 bytes, nothing copied: a large host has tens of thousands of listeners
 * and every page of them costs a page fault. The identity of the listener is
 * its first socket; its owner is in inv->owners at the listener's index,
 * reached (and its memory touched) only for listeners whose owner is looked
 * up: read it with listener_owner(), fill it with inv_owner(). */
struct listener {
	struct sock *s;         /* the group's first socket; its sockets are s[0 .. count),
	                           inside inv->socks, which inv_group() no longer moves */
	struct listener_reg reg;
	uint32_t count;
	bool has_owner;         /* inv->owners[index of this listener] is its owner */
	uint8_t exe_place;      /* enum exe_place of its executable; 0 (normal) until known */
};

/* An interface name, per namespace: an ifindex means nothing outside its netns. */
struct ifname {
	uint32_t netns, ifindex;
	char name[IF_NAMESIZE];
};

/* A user name per uid, sorted by uid. */
struct uid_name {
	uint32_t uid;
	char name[33];          /* the uid in decimal when it has no name */
};

struct inventory {
	struct sock *socks;
	size_t nsocks, cap_socks;
	struct listener *ls;
	size_t nls;
	struct owner *owners;   /* calloc'd on first use, one per listener, untouched
	                           (zero pages) for listeners whose owner is not looked up */
	struct netns *ns;
	size_t nns, cap_ns;
	struct ifname *ifnames;
	size_t nifnames, cap_ifnames;
	struct uid_name *users;
	size_t nusers, cap_users;
	char **notes;           /* diagnostics shown at -vv, e.g. "sctp: no kernel support" */
	size_t nnotes, cap_notes;
	struct rpc_map rpc;     /* root's rpcbind registrations in the plugin's own
	                           namespace (rpcbind.h), when a rule or learning asks */
};

void inv_init(struct inventory *inv);
/* Frees everything the inventory owns, including owner strings. NULL is allowed. */
void inv_free(struct inventory *inv);

/* Appends a copy of s. Returns 0, or -ENOMEM (nothing changed). */
int inv_add_sock(struct inventory *inv, const struct sock *s);

/* Appends a namespace with the given label (copied, truncated to fit).
 * Returns its index, or -ENOMEM. */
int inv_add_netns(struct inventory *inv, const char *label);

/* A point to take back what was added after it: see inv_rollback(). */
struct inv_mark {
	size_t nsocks, nns, nifnames;
};

/* The current counts of sockets, namespaces and interface names. */
struct inv_mark inv_mark(const struct inventory *inv);

/* Removes the sockets, namespaces (with their reserved ports) and interface
 * names added since m, e.g. after a failed dump: a later namespace at the
 * same index must not inherit the names. Notes and user names stay. Only
 * before inv_group(). */
void inv_rollback(struct inventory *inv, const struct inv_mark *m);

/* Appends a diagnostic line (printf style), unless the same line is there
 * already. Returns 0 or -ENOMEM. */
int inv_note(struct inventory *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sorts the sockets by (netns, proto, port, family, address, interface), drops
 * duplicate cookies (a dump is not atomic), and forms one listener per group.
 * May be called once, after all sockets are added: listeners point into
 * inv->socks, so no socket may be added after it. Returns 0 or -ENOMEM. */
int inv_group(struct inventory *inv);

/* The owner of listener i, to fill in: gives it its entry in inv->owners
 * (allocated for all listeners on the first call, zeroed) if it has none yet.
 * Returns NULL when out of memory or i is out of range. */
struct owner *inv_owner(struct inventory *inv, size_t i);

/* The owner of l, one of inv->ls, to read: a zeroed, OWNER_UNRESOLVED one
 * when l has none (or inv is NULL). Never NULL; lives as long as inv. */
const struct owner *listener_owner(const struct inventory *inv, const struct listener *l);

/* Sets l->reg from what registry_lookup() and ephemeral_classify() found. */
void listener_set_reg(struct listener *l, const struct port_info *pi);

/* Records the name of ifindex in namespace netns (copied, truncated to
 * IF_NAMESIZE - 1 bytes; a second call for the same pair replaces it).
 * Returns 0 or -ENOMEM. */
int inv_set_ifname(struct inventory *inv, uint32_t netns, uint32_t ifindex, const char *name);

/* The name of the device s is bound to: "" when s->ifindex is 0 or no name was
 * recorded. Linear in the (small) table: only sockets bound to a device have
 * an ifindex. Lives until the table changes or inv_free(). inv may be NULL. */
const char *inv_ifname(const struct inventory *inv, const struct sock *s);

/* Records the user name of uid (copied, truncated to 32 bytes; replaces an
 * earlier one). Returns 0 or -ENOMEM. */
int inv_set_user(struct inventory *inv, uint32_t uid, const char *name);

/* The user name recorded for uid (the uid in decimal when it has no name), or
 * NULL when none is recorded yet. Binary search. Lives until the table changes
 * or inv_free(). inv may be NULL. */
const char *inv_user(const struct inventory *inv, uint32_t uid);

/* True when s accepts connections on every address of its family: 0.0.0.0,
 * or [::] (which also covers IPv4 when dual-stack). False for a packet socket. */
bool sock_is_wildcard(const struct sock *s);
/* True when s is [::] and not v6only, so that it also accepts IPv4; an
 * unreported flag (-1, old kernels) is taken as the bindv6only=0 default. */
bool sock_is_dual_stack(const struct sock *s);
/* True when bound to 127.0.0.0/8 or ::1. False for a packet socket. */
bool sock_is_loopback(const struct sock *s);

/* Writes "addr:port" ("0.0.0.0:22", "[::]:22", "[fe80::1]:53"; a raw socket
 * shows its IP protocol as the port: "0.0.0.0:icmp", a ping socket its echo
 * identifier: "0.0.0.0:id=4919"; a packet socket only its
 * ETH_P protocol: "all", "0x88b5") plus "%ifname" when bound to a device (its
 * name from inv, which may be NULL). Returns the length written (truncated to
 * size). */
int listener_format_endpoint(const struct inventory *inv, const struct listener *l,
		char *out, size_t size);

#endif
