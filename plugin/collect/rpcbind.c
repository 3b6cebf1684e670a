/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rpcbind: one RPCBPROC_DUMP call over rpcbind's unix socket, bounded in time
 * and size, with the peer's credentials checked before a byte is read. */
#include "rpcbind.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "util.h"

static long long ms_until(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(end->tv_sec - now.tv_sec) * 1000 + (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* The sooner of end and RPCBIND_WAIT_MS from now. */
static struct timespec limit(struct timespec end)
{
	struct timespec cap;

	clock_gettime(CLOCK_MONOTONIC, &cap);
	cap.tv_sec += RPCBIND_WAIT_MS / 1000;
	if ((end.tv_sec == 0 && end.tv_nsec == 0) || end.tv_sec > cap.tv_sec ||
	    (end.tv_sec == cap.tv_sec && end.tv_nsec > cap.tv_nsec))
		return cap;
	return end;
}

/* Waits for events on fd until end. Returns 0, or -ETIMEDOUT. */
static int wait_for(int fd, short events, const struct timespec *end)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long ms;
	int rc;

	do {
		ms = ms_until(end);
		if (ms <= 0)
			return -ETIMEDOUT;
		rc = poll(&p, 1, ms > 60000 ? 60000 : (int)ms);
	} while (rc < 0 && errno == EINTR);
	return rc > 0 ? 0 : -ETIMEDOUT;
}

static int connect_to(const char *path, struct rpc_map *m)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(a.sun_path)) {
		util_say(m->why, sizeof(m->why), "socket path %s is too long", path);
		return -1;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		int e = errno;

		m->absent = e == ENOENT || e == ECONNREFUSED;
		util_say(m->why, sizeof(m->why), "cannot connect to %s: %s%s", path, strerror(e),
				m->absent ? " (rpcbind is not running)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Same namespace file: same device and inode. */
static bool same_ns(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* The listener of the socket must be root's, and in our network namespace
 * when its namespace can be read (a pid 0 or an unreadable link: the uid is
 * all there is). */
static int peer_trusted(int fd, const char *path, struct rpc_map *m)
{
	struct ucred c;
	socklen_t n = sizeof(c);
	char ns[64];
	struct stat st;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &n) < 0 || n != sizeof(c)) {
		util_say(m->why, sizeof(m->why), "cannot tell who listens on %s: %s", path, strerror(errno));
		return -1;
	}
	if (c.uid != 0) {
		util_say(m->why, sizeof(m->why), "%s is served by uid %u, not root: not trusted", path,
				(unsigned)c.uid);
		return -1;
	}
	if (c.pid > 0 && util_path(ns, sizeof(ns), "/proc/%d/ns/net", (int)c.pid) && stat(ns, &st) == 0 &&
	    !same_ns(ns, "/proc/self/ns/net")) {
		util_say(m->why, sizeof(m->why), "%s is served by pid %d in another network namespace: "
				"not this namespace's registrations", path, (int)c.pid);
		return -1;
	}
	return 0;
}

static int send_call(int fd, uint32_t xid, const struct timespec *end, struct rpc_map *m)
{
	uint8_t call[RPCB_DUMP_CALL];
	size_t off = 0, n = rpcb_dump_call(xid, call);

	while (off < n) {
		ssize_t w = send(fd, call + off, n - off, MSG_NOSIGNAL);

		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			util_say(m->why, sizeof(m->why), "cannot send to rpcbind: %s", strerror(errno));
			return -1;
		}
		if (wait_for(fd, POLLOUT, end) < 0) {
			util_say(m->why, sizeof(m->why), "rpcbind took no call within %d ms", RPCBIND_WAIT_MS);
			return -1;
		}
	}
	return 0;
}

/* Reads one complete record into *buf (malloc'd). Returns its length or -1. */
static long recv_record(int fd, const struct timespec *end, uint8_t **buf, struct rpc_map *m)
{
	size_t len = 0, cap = 0;
	long rec = 0;

	*buf = NULL;
	while (rec == 0) {
		ssize_t r;

		if (len == cap && util_grow((void **)buf, &cap, len + 1, 1, 16384) < 0) {
			util_say(m->why, sizeof(m->why), "out of memory reading rpcbind's reply");
			return -1;
		}
		r = recv(fd, *buf + len, (cap < RPCB_MAX_REPLY ? cap : RPCB_MAX_REPLY) - len, 0);
		if (r > 0) {
			len += (size_t)r;
			rec = rpcb_record_end(*buf, len);
		} else if (r == 0) {
			util_say(m->why, sizeof(m->why), "rpcbind closed the connection after %zu bytes", len);
			return -1;
		} else if (errno != EAGAIN && errno != EINTR) {
			util_say(m->why, sizeof(m->why), "cannot read rpcbind's reply: %s", strerror(errno));
			return -1;
		} else if (wait_for(fd, POLLIN, end) < 0) {
			util_say(m->why, sizeof(m->why), "rpcbind did not answer within %d ms", RPCBIND_WAIT_MS);
			return -1;
		}
		if (rec == 0 && len >= RPCB_MAX_REPLY)
			rec = -EMSGSIZE;
	}
	if (rec < 0) {
		util_say(m->why, sizeof(m->why), "rpcbind's reply is larger than %u bytes", RPCB_MAX_REPLY);
		return -1;
	}
	return rec;
}

void rpcbind_read(const char *path, struct timespec end, struct rpc_map *m)
{
	struct timespec until = limit(end), t;
	uint8_t *buf = NULL;
	char err[160] = "";
	long n = -1;
	uint32_t xid;
	int fd;

	rpc_map_free(m);
	m->state = RPC_UNAVAILABLE;
	clock_gettime(CLOCK_MONOTONIC, &t);
	xid = (uint32_t)getpid() ^ (uint32_t)t.tv_nsec;

	fd = connect_to(path, m);
	if (fd >= 0 && peer_trusted(fd, path, m) == 0 && send_call(fd, xid, &until, m) == 0)
		n = recv_record(fd, &until, &buf, m);
	if (n > 0) {
		int rc = rpcb_parse_dump(buf, (size_t)n, xid, m, err, sizeof(err));

		if (rc == 0)
			m->state = RPC_TRUSTED;
		else
			util_say(m->why, sizeof(m->why), "rpcbind's reply: %s",
					rc == -ENOMEM ? "out of memory" : err);
	}
	free(buf);
	if (fd >= 0)
		close(fd);
}

void rpcbind_collect(struct inventory *inv, const char *path, struct timespec end)
{
	struct rpc_map *m = &inv->rpc;

	rpcbind_read(path, end, m);
	if (m->state == RPC_TRUSTED)
		inv_note(inv, "rpcbind (%s): %zu of %zu registrations on TCP/UDP ports by root count "
				"for port = \"rpc\"; %zu by other users do not", path, m->nregs, m->entries,
				m->not_root);
	if (inv->nns > 1)
		inv_note(inv, "port = \"rpc\" recognises listeners only in the plugin's own network "
				"namespace: rpcbind is asked there only");
}
