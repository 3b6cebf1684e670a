/* inventory: the sockets the kernel reported, the namespaces they live in, and
 * the listeners they form.
 *
 * A listener is one (netns, proto, address, port, interface) with one or more
 * sockets (SO_REUSEPORT groups, pre-fork servers). The netlink module adds
 * sockets, inv_group() forms listeners, the registry and owners modules fill in
 * class and owner, the policy module decides. Strings held here that come from
 * the system (comm, exe, unit, ifname) are raw bytes: escape them on output.
 */
#ifndef CHECK_LISTENERS_INVENTORY_H
#define CHECK_LISTENERS_INVENTORY_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "registry.h"

enum proto { PROTO_TCP, PROTO_UDP, PROTO_UDPLITE, PROTO_SCTP, PROTO_COUNT };

/* "tcp", "udp", "udplite", "sctp"; "?" for anything else. */
const char *proto_name(unsigned proto);
/* The enum proto for a lower-case name, or -1. */
int proto_from_name(const char *name);

struct port_span {
	uint16_t lo, hi;        /* inclusive */
};

/* One socket as the kernel reported it, normalised: port in host order, an
 * IPv4-mapped IPv6 address turned into AF_INET. */
struct sock {
	uint8_t proto;          /* enum proto */
	uint8_t family;         /* AF_INET or AF_INET6 */
	int8_t v6only;          /* AF_INET6: 1 v6only, 0 dual-stack, -1 not reported; AF_INET: -1 */
	uint16_t port;
	uint8_t addr[16];       /* network order; AF_INET uses the first 4 bytes, rest zero */
	uint32_t ifindex;       /* 0 = not bound to a device */
	char ifname[IF_NAMESIZE]; /* resolved in the socket's netns; "" when ifindex is 0;
	                             the index in decimal when it cannot be resolved */
	uint32_t uid;
	uint32_t inode;
	uint64_t cookie;
	uint64_t cgroup_id;     /* 0 when the kernel did not send INET_DIAG_CGROUP_ID */
	uint32_t netns;         /* index into inventory.ns; 0 is the plugin's own */
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
	OWNER_PROCESS,          /* holders found: pids, comm, exe are set */
	OWNER_KERNEL,           /* complete privileged scan, no process holds it */
	OWNER_DENIED,           /* not found, and the scan could not see every process
	                           (privilege missing, hidepid) or ran out of time */
};

struct owner {
	enum owner_state state;
	pid_t pid;              /* the holder to show: lowest pid that is not 1 */
	pid_t *pids;            /* every holder, ascending, malloc'd */
	size_t npids;
	char comm[16];          /* /proc/PID/comm of pid, raw */
	char *exe;              /* /proc/PID/exe without " (deleted)"; NULL when unreadable */
	bool exe_deleted;
	bool unit_checked;      /* the unit below has been looked up */
	char *unit;             /* systemd unit or container; NULL = none or unknown */
	char user[33];          /* user name of sock.uid, else the uid in decimal; "" = not yet */
};

struct listener {
	struct sock s;          /* the group's first socket: identity of the listener */
	size_t first, count;    /* its sockets: inv->socks[first .. first + count) */
	struct port_info reg;   /* class from the registry and the netns port settings */
	struct owner owner;
};

struct inventory {
	struct sock *socks;
	size_t nsocks, cap_socks;
	struct listener *ls;
	size_t nls;
	struct netns *ns;
	size_t nns, cap_ns;
	char **notes;           /* diagnostics shown at -vv, e.g. "sctp: no kernel support" */
	size_t nnotes;
};

void inv_init(struct inventory *inv);
/* Frees everything the inventory owns, including owner strings. NULL is allowed. */
void inv_free(struct inventory *inv);

/* Appends a copy of s. Returns 0, or -ENOMEM (nothing changed). */
int inv_add_sock(struct inventory *inv, const struct sock *s);

/* Appends a namespace with the given label (copied, truncated to fit).
 * Returns its index, or -ENOMEM. */
int inv_add_netns(struct inventory *inv, const char *label);

/* Appends a diagnostic line (printf style). Returns 0 or -ENOMEM. */
int inv_note(struct inventory *inv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sorts the sockets by (netns, proto, port, family, address, interface), drops
 * duplicate cookies (a dump is not atomic), and forms one listener per group.
 * May be called once, after all sockets are added. Returns 0 or -ENOMEM. */
int inv_group(struct inventory *inv);

/* True when the listener accepts connections on every address of the family:
 * 0.0.0.0, or [::] (which also covers IPv4 when dual-stack). */
bool listener_is_wildcard(const struct listener *l);
/* True when the listener serves IPv4 (AF_INET, or [::] dual-stack). */
bool listener_has_v4(const struct listener *l);
/* True when bound to 127.0.0.0/8 or ::1. */
bool listener_is_loopback(const struct listener *l);

/* Writes "addr:port" ("0.0.0.0:22", "[::]:22", "[fe80::1]:53") plus "%ifname"
 * when bound to a device. Returns the length written (truncated to size). */
int listener_format_endpoint(const struct listener *l, char *out, size_t size);

#endif
