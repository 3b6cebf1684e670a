/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deadline: the plugin's own timeout and the clock of its stages. The only
 * module with a signal handler; the handler uses nothing but write(2) and
 * _exit(2), and copies a message its caller rendered before. */
#include "deadline.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const char *volatile stage = "starting";
static unsigned armed_seconds;
static enum state exit_state = STATE_UNKNOWN;
static const char *const *volatile parts;      /* the message around the stage */
static volatile size_t nparts;
static struct timespec end;
static struct deadline_stage_time times[DEADLINE_MAX_STAGES];
static size_t ntimes;

static void on_alarm(int sig)
{
	char msg[4096];
	size_t n = 0;
	ssize_t w;
	int flags;

	(void)sig;
	/* Part, stage, part, stage, ..., part. */
	for (size_t i = 0; i < nparts; i++) {
		for (const char *p = parts[i]; *p && n < sizeof(msg); p++)
			msg[n++] = *p;
		for (const char *p = stage; i + 1 < nparts && *p && n < sizeof(msg); p++)
			msg[n++] = *p;
	}
	/* stdout may be a full pipe that nobody reads: never block here. */
	flags = fcntl(STDOUT_FILENO, F_GETFL);
	if (flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK);
	w = write(STDOUT_FILENO, msg, n);
	(void)w;
	_exit(exit_state);
}

void deadline_message(const char *const *message, size_t n)
{
	nparts = 0;
	parts = message;
	nparts = n;
}

void deadline_start(unsigned seconds, enum state state)
{
	struct sigaction sa;

	armed_seconds = seconds;
	exit_state = (unsigned)state <= STATE_UNKNOWN ? state : STATE_UNKNOWN;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += seconds;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

void deadline_stop(void)
{
	alarm(0);
	signal(SIGALRM, SIG_IGN);
}

void deadline_stage(const char *s)
{
	stage = s;
	if (ntimes < DEADLINE_MAX_STAGES) {
		times[ntimes].name = s;
		clock_gettime(CLOCK_MONOTONIC, &times[ntimes].start);
		ntimes++;
	}
}

size_t deadline_stages(const struct deadline_stage_time **out)
{
	*out = times;
	return ntimes;
}

struct timespec deadline_work_end(void)
{
	long long keep, ns;

	if (end.tv_sec == 0 && end.tv_nsec == 0)
		return end;
	keep = armed_seconds >= 10 ? 1000000000LL : (long long)armed_seconds * 100000000LL;
	ns = (long long)end.tv_sec * 1000000000LL + end.tv_nsec - keep;
	return (struct timespec){ .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
}

bool deadline_reached(const struct timespec *t)
{
	struct timespec now;

	if (!t || (t->tv_sec == 0 && t->tv_nsec == 0))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

int deadline_left_ms(void)
{
	struct timespec now;
	long long ms;

	if (end.tv_sec == 0 && end.tv_nsec == 0)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 1 ? 1 : ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

double deadline_ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

double deadline_seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return deadline_ms_between(t0, &t) / 1e3;
}
