/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nsholder: a network namespace that only a socket keeps alive (issue 14).
 * Test helper, not the plugin.
 *
 * usage: nsholder PORT
 * Creates a network namespace, opens a TCP listener on 0.0.0.0:PORT in it,
 * returns to the namespace it came from and holds the socket: no process and
 * no mount refers to that namespace, only the socket does. Prints "ready".
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int home, s;

	if (argc != 2) {
		fprintf(stderr, "usage: nsholder PORT\n");
		return 2;
	}
	a.sin_port = htons((unsigned short)atoi(argv[1]));
	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0 || unshare(CLONE_NEWNET) < 0) {
		perror("nsholder: unshare");
		return 2;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 8) < 0) {
		perror("nsholder: listen");
		return 2;
	}
	if (setns(home, CLONE_NEWNET) < 0) {
		perror("nsholder: setns");
		return 2;
	}
	close(home);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
