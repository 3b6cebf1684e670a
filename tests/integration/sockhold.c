/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sockhold: opens the listening sockets the integration tests ask for, prints
 * "ready", and holds them until killed. Test helper, not part of the plugin.
 *
 * usage: sockhold [--fork] [--comm NAME] SPEC...
 *   SPEC  proto:addr:port[:opt,opt...]   proto tcp|udp|udplite|sctp
 *         addr 127.0.0.1, 0.0.0.0, ::, ::1 or [::1]
 *   opts  v6only, dual, reuseport=N (N sockets in one SO_REUSEPORT group),
 *         dev=IFNAME (SO_BINDTODEVICE), n=COUNT (COUNT consecutive ports)
 *   --fork      fork once after opening: two processes hold every socket
 *   --forks N   fork N times after opening: N + 1 processes hold every socket
 *   --comm NAME set the process name (prctl PR_SET_NAME), may be hostile
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

struct spec {
	int type, proto;
	struct sockaddr_storage ss;
	socklen_t len;
	int v6only;             /* -1 leave default */
	int reuseport;          /* sockets in the group, 0 = no SO_REUSEPORT */
	int count;
	char dev[32];
};

static int die(const char *what, const char *arg)
{
	fprintf(stderr, "sockhold: %s: %s (%s)\n", what, arg, strerror(errno));
	exit(2);
}

static void parse_proto(const char *p, struct spec *s, const char *arg)
{
	if (strcmp(p, "tcp") == 0)
		s->type = SOCK_STREAM, s->proto = IPPROTO_TCP;
	else if (strcmp(p, "udp") == 0)
		s->type = SOCK_DGRAM, s->proto = IPPROTO_UDP;
	else if (strcmp(p, "udplite") == 0)
		s->type = SOCK_DGRAM, s->proto = IPPROTO_UDPLITE;
	else if (strcmp(p, "sctp") == 0)
		s->type = SOCK_STREAM, s->proto = IPPROTO_SCTP;
	else
		errno = EINVAL, die("bad protocol", arg);
}

static void parse_addr(char *a, unsigned port, struct spec *s, const char *arg)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&s->ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&s->ss;
	size_t n = strlen(a);

	if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
		a[n - 1] = '\0';
		a++;
	}
	if (strcmp(a, ":") == 0)
		a = "::";
	memset(&s->ss, 0, sizeof(s->ss));
	if (inet_pton(AF_INET, a, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		s->len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, a, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		s->len = sizeof(*v6);
	} else {
		errno = EINVAL;
		die("bad address", arg);
	}
}

static void parse_opts(char *o, struct spec *s)
{
	for (char *t = strtok(o, ","); t; t = strtok(NULL, ",")) {
		if (strcmp(t, "v6only") == 0)
			s->v6only = 1;
		else if (strcmp(t, "dual") == 0)
			s->v6only = 0;
		else if (strncmp(t, "reuseport=", 10) == 0)
			s->reuseport = atoi(t + 10);
		else if (strcmp(t, "reuseport") == 0)
			s->reuseport = 2;
		else if (strncmp(t, "dev=", 4) == 0)
			snprintf(s->dev, sizeof(s->dev), "%s", t + 4);
		else if (strncmp(t, "n=", 2) == 0)
			s->count = atoi(t + 2);
		else
			errno = EINVAL, die("bad option", t);
	}
}

/* proto:addr:port[:opts]; the address may itself hold colons. */
static void parse_spec(const char *arg, struct spec *s)
{
	char buf[256], *rest, *last, *opts = NULL;

	memset(s, 0, sizeof(*s));
	s->v6only = -1;
	s->count = 1;
	snprintf(buf, sizeof(buf), "%s", arg);
	rest = strchr(buf, ':');
	if (!rest)
		errno = EINVAL, die("bad spec", arg);
	*rest++ = '\0';
	parse_proto(buf, s, arg);
	last = strrchr(rest, ':');
	if (last && strspn(last + 1, "0123456789") != strlen(last + 1)) {
		opts = last + 1;
		*last = '\0';
		last = strrchr(rest, ':');
	}
	if (!last || !last[1])
		errno = EINVAL, die("bad spec", arg);
	*last = '\0';
	parse_addr(rest, (unsigned)atoi(last + 1), s, arg);
	if (opts)
		parse_opts(opts, s);
}

static void open_one(const struct spec *s, const char *arg)
{
	int one = 1, fd = socket(s->ss.ss_family, s->type, s->proto);

	if (fd < 0)
		die("socket", arg);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0)
		die("SO_REUSEPORT", arg);
	if (s->v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &s->v6only, sizeof(s->v6only)) < 0)
		die("IPV6_V6ONLY", arg);
	if (s->dev[0] && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->dev, (socklen_t)strlen(s->dev)) < 0)
		die("SO_BINDTODEVICE", arg);
	if (bind(fd, (const struct sockaddr *)&s->ss, s->len) < 0)
		die("bind", arg);
	if (s->type == SOCK_STREAM && listen(fd, 16) < 0)
		die("listen", arg);
}

static void open_spec(const char *arg)
{
	struct spec s;

	parse_spec(arg, &s);
	for (int i = 0; i < s.count; i++) {
		struct sockaddr_in *v4 = (struct sockaddr_in *)&s.ss;
		struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&s.ss;
		int group = s.reuseport ? s.reuseport : 1;

		for (int k = 0; k < group; k++)
			open_one(&s, arg);
		if (s.ss.ss_family == AF_INET)
			v4->sin_port = htons((uint16_t)(ntohs(v4->sin_port) + 1));
		else
			v6->sin6_port = htons((uint16_t)(ntohs(v6->sin6_port) + 1));
	}
}

int main(int argc, char **argv)
{
	int i = 1, forking = 0;

	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--fork") == 0)
			forking = 1;
		else if (strcmp(argv[i], "--forks") == 0 && i + 1 < argc)
			forking = atoi(argv[++i]);
		else if (strcmp(argv[i], "--comm") == 0 && i + 1 < argc)
			prctl(PR_SET_NAME, argv[++i], 0, 0, 0);
		else
			errno = EINVAL, die("bad option", argv[i]);
	}
	for (; i < argc; i++)
		open_spec(argv[i]);
	for (; forking > 0; forking--) {
		pid_t child = fork();

		if (child < 0)
			die("fork", "");
		if (child == 0) {
			/* The child only holds the sockets; it dies with its parent. */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			for (;;)
				pause();
		}
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
