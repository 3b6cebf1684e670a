/* SPDX-License-Identifier: GPL-3.0-or-later */
/* runner: times commands against each other for the benchmark. Not part of
 * the plugin.
 *
 * usage: runner RUNS WARMUP CMD [ARG...] [:: CMD [ARG...]]...
 *
 * Runs every command WARMUP times, then RUNS rounds in which each command runs
 * once; the starting command rotates from round to round so that neither one
 * always profits from the other's warm caches. Commands are exec'd directly
 * (no shell, whose start-up would blur a few-millisecond command) with stdin,
 * stdout and stderr on /dev/null. Peak RSS comes from wait4(), which reports
 * the larger of the child's own and its waited-for descendants' peaks.
 *
 * Prints one line per command, tab-separated:
 *   median_us  min_us  max_us  maxrss_kib  last_exit_status  cpu_median_us  argv[0]
 * where cpu is user + system time of the command and its descendants: less
 * disturbed than wall time when other work shares the machine.
 * Exits 0, or 2 when a command could not be run at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_RUNS 1000

struct cmd {
	char **argv;
	long us[MAX_RUNS];
	long cpu[MAX_RUNS];     /* user + system, microseconds */
	int n;
	long maxrss;            /* KiB */
	int status;             /* exit code, or 128 + signal */
};

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Parses a count in [lo, hi]; the whole string must be a number. */
static int parse_count(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Splits argv at "::" into cmds. Returns the number of commands or -1. */
static int split_cmds(int argc, char **argv, struct cmd *cmds)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "::") == 0) {
			argv[i] = NULL;
			continue;
		}
		if (i > 0 && argv[i - 1] != NULL)
			continue;
		if (n == MAX_CMDS)
			return -1;
		memset(&cmds[n], 0, sizeof(cmds[n]));
		cmds[n++].argv = &argv[i];
	}
	return n;
}

static void child(char **argv)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		_exit(127);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	execvp(argv[0], argv);
	_exit(127);
}

/* Runs one command once. Returns the wall time in microseconds or -1. */
static long tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

/* Runs one command once; records its CPU time in c->cpu[c->n] (not yet
 * counted). Returns the wall time in microseconds or -1. */
static long run_once(struct cmd *c)
{
	struct rusage ru;
	int status;
	long t0 = now_us(), t1;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child(c->argv);
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	t1 = now_us();
	c->cpu[c->n] = tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
	if (ru.ru_maxrss > c->maxrss)
		c->maxrss = ru.ru_maxrss;
	c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return c->status == 127 ? -1 : t1 - t0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* Sorts v; even counts take the mean of the two middle values. */
static long median(long *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_long);
	return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

static void report(struct cmd *c)
{
	long med = median(c->us, c->n);

	printf("%ld\t%ld\t%ld\t%ld\t%d\t%ld\t%s\n", med, c->us[0], c->us[c->n - 1],
	       c->maxrss, c->status, median(c->cpu, c->n), c->argv[0]);
}

static int measure(struct cmd *cmds, int ncmd, long runs, long warmup)
{
	for (long w = 0; w < warmup; w++)
		for (int i = 0; i < ncmd; i++)
			if (run_once(&cmds[i]) < 0)
				return -1;
	for (int i = 0; i < ncmd; i++)
		cmds[i].maxrss = 0;
	for (long r = 0; r < runs; r++) {
		for (int k = 0; k < ncmd; k++) {
			struct cmd *c = &cmds[(r + k) % ncmd];
			long us = run_once(c);

			if (us < 0)
				return -1;
			c->us[c->n++] = us;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct cmd cmds[MAX_CMDS];
	long runs, warmup;
	int ncmd;

	if (argc < 4 || parse_count(argv[1], 1, MAX_RUNS, &runs) < 0 ||
	    parse_count(argv[2], 0, MAX_RUNS, &warmup) < 0) {
		fprintf(stderr, "usage: runner RUNS WARMUP CMD [ARG...] [:: CMD [ARG...]]...\n");
		return 2;
	}
	ncmd = split_cmds(argc - 3, argv + 3, cmds);
	if (ncmd <= 0) {
		fprintf(stderr, "runner: between 1 and %d commands\n", MAX_CMDS);
		return 2;
	}
	if (measure(cmds, ncmd, runs, warmup) < 0) {
		fprintf(stderr, "runner: a command could not be run (fork, exec or wait failed)\n");
		return 2;
	}
	for (int i = 0; i < ncmd; i++)
		report(&cmds[i]);
	return 0;
}
