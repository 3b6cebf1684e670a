/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idle: the benchmark's crowd of idle processes. Not part of the plugin.
 *
 * usage: idle PROCS FDS
 *
 * Forks PROCS children that each open FDS descriptors on /dev/null (so an
 * owner scan has fds to read in every process) and sleep. Prints "ready" once
 * every child has opened its fds and holds them until killed; the children
 * die with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static int parse_count(const char *s, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Each child closes its copy of the pipe's write end once set up; the parent
 * reads EOF when the last child is ready. */
static void idle_child(long fds, pid_t parent, const int pipefd[2])
{
	close(pipefd[0]);
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* The parent may have died between fork() and prctl(). */
	if (getppid() != parent)
		_exit(0);
	for (long i = 0; i < fds; i++)
		if (open("/dev/null", O_RDONLY) < 0)
			_exit(1);
	close(pipefd[1]);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	long procs, fds;
	pid_t self = getpid();
	int pipefd[2];
	char c;

	if (argc != 3 || parse_count(argv[1], 100000, &procs) < 0 ||
	    parse_count(argv[2], 1000, &fds) < 0) {
		fprintf(stderr, "usage: idle PROCS FDS\n");
		return 2;
	}
	if (pipe(pipefd) < 0) {
		perror("idle: pipe");
		return 2;
	}
	for (long i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "idle: fork %ld: %s\n", i, strerror(errno));
			return 2;
		}
		if (pid == 0)
			idle_child(fds, self, pipefd);
	}
	close(pipefd[1]);
	for (;;) {
		ssize_t n = read(pipefd[0], &c, 1);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	close(pipefd[0]);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
