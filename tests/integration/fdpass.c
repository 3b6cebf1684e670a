/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fdpass: the descriptor tricks of the identity tests (issue 13). Test helper,
 * not part of the plugin. Prints "ready" once set up, then holds until killed.
 *
 * usage: fdpass inherit PORT PROG [ARG...]
 *          listens on TCP 127.0.0.1:PORT, starts PROG with the listening fd
 *          inherited (fd 3), and keeps holding it too: the parent is the one
 *          that could serve, the child only carries the name.
 *        fdpass inflight PORT
 *          listens on TCP 127.0.0.1:PORT, sends the fd over an AF_UNIX pair
 *          (SCM_RIGHTS) that nobody reads, and closes it: the socket is held
 *          by no process, only by the message in flight.
 *        fdpass flood PROCS FDS UID
 *          forks PROCS children that raise their descriptor limit, become
 *          UID and hold FDS descriptors each (dups of /dev/null).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "fdpass: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long number(const char *s, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > hi) {
		errno = EINVAL;
		die(s);
	}
	return v;
}

static int tcp_listener(const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_port = htons((uint16_t)number(port, 65535));
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 16) < 0)
		die("bind/listen");
	return fd;
}

static void hold(void)
{
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}

/* The child gets the listener as fd 3 and execs prog; a close-on-exec pipe
 * tells the parent that the exec happened. */
static int inherit(char **argv)
{
	int fd = tcp_listener(argv[0]), p[2];
	char c;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (dup2(fd, 3) < 0)
			_exit(1);
		execv(argv[1], argv + 1);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 0)
		die("exec");
	hold();
	return 0;
}

static int inflight(char **argv)
{
	int fd = tcp_listener(argv[0]), sv[2];
	char byte = 'x', ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
		.msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0)
		die("socketpair");
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) != 1)
		die("sendmsg");
	close(fd);
	hold();
	return 0;
}

static void flood_child(long fds, uid_t uid, pid_t parent, int done)
{
	struct rlimit rl = { (rlim_t)fds + 64, (rlim_t)fds + 64 };
	int null = open("/dev/null", O_RDONLY);

	prctl(PR_SET_NAME, "fdflood", 0, 0, 0);
	if (null < 0 || setrlimit(RLIMIT_NOFILE, &rl) < 0 || setgroups(0, NULL) < 0 ||
	    setgid((gid_t)uid) < 0 || setuid(uid) < 0)
		_exit(1);
	/* After setuid: a change of credentials clears the parent-death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(0);
	for (long i = 0; i < fds; i++)
		if (fcntl(null, F_DUPFD, 0) < 0)
			_exit(1);
	close(done);
	for (;;)
		pause();
}

static int flood(char **argv)
{
	long procs = number(argv[0], 1000), fds = number(argv[1], 1000000);
	uid_t uid = (uid_t)number(argv[2], 0x7fffffff);
	pid_t self = getpid();
	int p[2];
	char c;

	if (pipe(p) < 0)
		die("pipe");
	for (long i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(p[0]);
			flood_child(fds, uid, self, p[1]);
		}
	}
	close(p[1]);
	/* EOF once every child has closed its write end: all fds are open. */
	if (read(p[0], &c, 1) != 0)
		die("flood child");
	hold();
	return 0;
}

int main(int argc, char **argv)
{
	signal(SIGTERM, SIG_DFL);
	if (argc >= 4 && strcmp(argv[1], "inherit") == 0)
		return inherit(argv + 2);
	if (argc == 3 && strcmp(argv[1], "inflight") == 0)
		return inflight(argv + 2);
	if (argc == 5 && strcmp(argv[1], "flood") == 0)
		return flood(argv + 2);
	fprintf(stderr, "usage: fdpass inherit PORT PROG [ARG...] | inflight PORT | flood PROCS FDS UID\n");
	return 2;
}
