/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memfd_exec: runs a program from an anonymous memory file, as fileless
 * malware does. Test helper, not part of the plugin.
 *
 * usage: memfd_exec PROG [ARG...]
 * Copies PROG into memfd_create("payload") and fexecve()s it with argv
 * PROG ARG...; /proc/PID/exe then reads "/memfd:payload (deleted)". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	char buf[65536];
	ssize_t n;
	int in, mem;

	if (argc < 2) {
		fprintf(stderr, "usage: memfd_exec PROG [ARG...]\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	mem = memfd_create("payload", MFD_CLOEXEC);
	if (in < 0 || mem < 0) {
		fprintf(stderr, "memfd_exec: %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mem, buf, (size_t)n) != n)
			return 2;
	close(in);
	fexecve(mem, argv + 1, environ);
	fprintf(stderr, "memfd_exec: fexecve: %s\n", strerror(errno));
	return 2;
}
