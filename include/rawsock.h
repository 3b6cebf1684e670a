/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawsock: raw IP sockets from /proc/net/raw and /proc/net/raw6 (their
 * protocol names are in protoname.h), and ping sockets from /proc/net/icmp and
 * /proc/net/icmp6, which the kernel writes in the same format.
 *
 * A raw socket has no port: it receives every packet of its IP protocol
 * (ICMP, UDP, VRRP, ...) addressed to the host. Kernels with raw_diag
 * (CONFIG_INET_RAW_DIAG) report them through sock_diag; the others only
 * through these files, which ss reads too. The files are per network
 * namespace and name no bound interface.
 *
 * A ping socket (socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP), or AF_INET6 with
 * IPPROTO_ICMPV6: what ping(8) uses where net.ipv4.ping_group_range lets
 * every user open one, as systemd sets it) is bound to an echo identifier and
 * receives every echo reply that carries it, solicited or not: a channel
 * without a port. Linux has no sock_diag handler for them; icmp and icmp6 are
 * the only source. The parser is pure (a buffer in, rows out); rawsock_read()
 * is the one function here that touches a file.
 */
#ifndef CHECK_LISTENERS_RAWSOCK_H
#define CHECK_LISTENERS_RAWSOCK_H

#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

/* Which file a line comes from: what its "local port" column means. */
enum rawsock_table {
	RAWSOCK_RAW,            /* raw, raw6: the IP protocol, 0-255 */
	RAWSOCK_PING,           /* icmp, icmp6: the echo identifier, 0-65535 */
};

/* One line of /proc/net/raw, raw6, icmp or icmp6. */
struct raw_row {
	uint8_t family;         /* AF_INET or AF_INET6 */
	uint16_t protocol;      /* the "local port" column: IP protocol or echo identifier */
	uint8_t state;          /* TCP_CLOSE (7) unless connect()ed */
	uint8_t addr[16];       /* bound address, network order; AF_INET: first 4 bytes */
	uint32_t uid;
	uint32_t inode;
};

/* Parses one line (without its newline) of /proc/net/raw or icmp (family
 * AF_INET), raw6 or icmp6 (AF_INET6), as table says. Returns 0 and fills
 * *out, or -EINVAL for a line of another shape: wrong address width, a
 * non-hex digit, a protocol above 255 in a raw table, a missing uid or inode
 * column, an unknown table. */
int rawsock_parse_line(const char *line, size_t len, int family, enum rawsock_table table,
		struct raw_row *out);

/* Called for each row; a negative return stops the parse and is returned. */
typedef int (*rawsock_row_fn)(const struct raw_row *row, void *arg);

/* Parses a whole file: a header line, then one line per socket. Returns 0;
 * the callback's negative value; -EBADMSG when the header is missing or a
 * line is malformed (*badline, when not NULL, is then its 1-based number:
 * the kernel changed the format, and guessing would hide sockets). */
int rawsock_parse(const char *buf, size_t len, int family, enum rawsock_table table,
		rawsock_row_fn fn, void *arg, unsigned *badline);

/* Reads path (e.g. "/proc/thread-self/net/raw") whole and parses it. Returns
 * what rawsock_parse() returns, or -errno when the file cannot be read
 * (-ENOENT: a kernel without IPv6 has no raw6), -EFBIG above 64 MiB. */
int rawsock_read(const char *path, int family, enum rawsock_table table, rawsock_row_fn fn,
		void *arg, unsigned *badline);

/* Adds the raw sockets of dir/raw and dir/raw6 (dir: "/proc/thread-self/net",
 * the calling thread's namespace) to inv as PROTO_RAW sockets of namespace
 * netns, flagged SOCK_IF_UNKNOWN. A missing raw6 (no IPv6) is no error.
 * Returns 0, or -errno with nothing added (-EBADMSG: a line of a shape we do
 * not know; -ENOMEM). */
int rawsock_collect(struct inventory *inv, uint32_t netns, const char *dir);

/* The same for the ping sockets of dir/icmp and dir/icmp6: PROTO_PING
 * sockets whose port is the echo identifier (IPv6 ones v6only). */
int rawsock_collect_ping(struct inventory *inv, uint32_t netns, const char *dir);

/* What the netlink module does where the kernel has no raw_diag: the calling
 * thread's namespace under proc_root (rawsock_collect() of
 * proc_root/thread-self/net), and an inventory note saying so, or saying why
 * raw sockets are not checked. Returns 0 or -ENOMEM. */
int rawsock_fallback(struct inventory *inv, uint32_t netns, const char *proc_root);

/* What the netlink module does for ping sockets in every namespace:
 * rawsock_collect_ping() of proc_root/thread-self/net, and a -vv note saying
 * where they came from. A kernel without /proc/net/icmp (before 3.0, no ping
 * sockets) is a note. Returns 0, -ENOMEM, or -errno with err saying why the
 * files could not be read (the namespace's check then fails: its ping sockets
 * would be unseen). */
int rawsock_ping(struct inventory *inv, uint32_t netns, const char *proc_root, char *err, size_t errlen);

#endif
