/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exeforge FAKE_EXE tcp|udp|ping PORT: an unprivileged listener that makes
 * /proc/self/exe name FAKE_EXE (any file it can open, e.g. /usr/bin/ping),
 * for t_exe_forge.sh (review3 F1). exeforge FAKE_EXE fd N: the same, holding
 * the inherited socket N instead of opening one.
 *
 * In a user namespace of its own a process holds CAP_SYS_ADMIN, which is all
 * prctl(PR_SET_MM, PR_SET_MM_MAP) asks to replace the exe link. The kernel
 * refuses while the current executable is still mapped, so each mapping of
 * our own file is first swapped for anonymous memory with the same bytes (one
 * mremap over the old range: this code may run from it). Then comm is set to
 * the fake name too. Prints "ready exe=PATH" once listening; runs until killed.
 * Stays in the network namespace it was started in. */
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/prctl.h>

#define MAX_MAPS 32

/* [lo,hi) with the same bytes, backed by anonymous memory. */
static int swap(unsigned long lo, unsigned long hi, int prot)
{
	size_t n = hi - lo;
	void *tmp = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (tmp == MAP_FAILED)
		return -1;
	memcpy(tmp, (void *)lo, n);
	if (mprotect(tmp, n, prot) < 0)
		return -1;
	return mremap(tmp, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)lo) == (void *)lo ? 0 : -1;
}

/* Swaps every mapping of the file self. */
static int unmap_self(const char *self)
{
	unsigned long lo[MAX_MAPS], hi[MAX_MAPS];
	int prot[MAX_MAPS], n = 0;
	char line[8192];
	FILE *m = fopen("/proc/self/maps", "r");

	while (m && n < MAX_MAPS && fgets(line, sizeof(line), m)) {
		char perm[8], path[4096] = "";

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095[^\n]", &lo[n], &hi[n], perm, path) >= 3 &&
		    strcmp(path, self) == 0) {
			prot[n] = (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) |
				  (perm[2] == 'x' ? PROT_EXEC : 0);
			n++;
		}
	}
	if (m)
		fclose(m);
	for (int i = 0; i < n; i++)
		if (swap(lo[i], hi[i], prot[i]) < 0)
			return -1;
	return 0;
}

/* The layout PR_SET_MM_MAP must be given, from /proc/self/stat (fields 26-28,
 * 45-51), with exe_fd the fake executable. */
static int set_exe(const char *fake)
{
	char stat[4096], *s, *save = NULL;
	unsigned long long f[64] = { 0 };
	int fd = open("/proc/self/stat", O_RDONLY), k = 3;
	ssize_t l = fd < 0 ? -1 : read(fd, stat, sizeof(stat) - 1);
	struct prctl_mm_map mm;

	if (fd >= 0)
		close(fd);
	if (l <= 0 || !(s = strrchr((stat[l] = '\0', stat), ')')))
		return -1;
	for (char *t = strtok_r(s + 2, " ", &save); t && k < 64; t = strtok_r(NULL, " ", &save))
		f[k++] = strtoull(t, NULL, 10);
	mm = (struct prctl_mm_map){
		.start_code = f[26], .end_code = f[27], .start_stack = f[28],
		.start_data = f[45], .end_data = f[46], .start_brk = f[47], .brk = (unsigned long)sbrk(0),
		.arg_start = f[48], .arg_end = f[49], .env_start = f[50], .env_end = f[51],
		.exe_fd = (unsigned)open(fake, O_RDONLY),
	};
	return prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&mm, sizeof(mm), 0);
}

static int listen_on(const char *kind, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	int tcp = strcmp(kind, "tcp") == 0;
	int sk = tcp ? socket(AF_INET, SOCK_STREAM, 0) :
		 strcmp(kind, "udp") == 0 ? socket(AF_INET, SOCK_DGRAM, 0) :
		 socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);

	if (sk < 0 || bind(sk, (struct sockaddr *)&a, sizeof(a)) < 0 || (tcp && listen(sk, 8) < 0))
		return -1;
	return sk;
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t l;
	const char *base;

	if (argc != 4) {
		fprintf(stderr, "usage: exeforge FAKE_EXE tcp|udp|ping|fd PORT|N\n");
		return 2;
	}
	l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[l < 0 ? 0 : l] = '\0';
	if (unshare(CLONE_NEWUSER) < 0 || unmap_self(self) < 0 || set_exe(argv[1]) < 0) {
		perror("exeforge: user namespace, remap or PR_SET_MM_MAP");
		return 1;
	}
	l = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[l < 0 ? 0 : l] = '\0';
	base = strrchr(self, '/') ? strrchr(self, '/') + 1 : self;
	prctl(PR_SET_NAME, base, 0, 0, 0);
	if (strcmp(argv[2], "fd") != 0 && listen_on(argv[2], atoi(argv[3])) < 0) {
		perror("exeforge: socket");
		return 1;
	}
	printf("ready exe=%s\n", self);
	fflush(stdout);
	for (;;)
		pause();
}
