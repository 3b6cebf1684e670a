/* deadline: the plugin's own timeout. The only module with a signal handler;
 * the handler uses nothing but write(2), _exit(2) and state_name(), a table
 * lookup. */
#include "deadline.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "state.h"

static const char *volatile stage = "starting";
static unsigned armed_seconds;
static enum state exit_state = STATE_UNKNOWN;
static bool as_json;
static struct timespec end;

static void put(char *buf, size_t *n, size_t cap, const char *s)
{
	while (*s && *n < cap)
		buf[(*n)++] = *s++;
}

/* Formats an unsigned number without stdio (async-signal-safe). */
static void put_uint(char *buf, size_t *n, size_t cap, unsigned v)
{
	char digits[12];
	size_t k = 0;

	do {
		digits[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k < sizeof(digits));
	while (k && *n < cap)
		buf[(*n)++] = digits[--k];
}

static void on_alarm(int sig)
{
	char msg[256];
	size_t n = 0, cap = sizeof(msg) - 1;
	ssize_t w;
	int flags;

	(void)sig;
	if (as_json) {
		put(msg, &n, cap, "{\"state\":\"");
		put(msg, &n, cap, state_name(exit_state));
		put(msg, &n, cap, "\",\"exit_code\":");
		put_uint(msg, &n, cap, (unsigned)exit_state);
		put(msg, &n, cap, ",\"output\":\"");
	}
	put(msg, &n, cap, "LISTENERS ");
	put(msg, &n, cap, state_name(exit_state));
	put(msg, &n, cap, " - plugin timed out after ");
	put_uint(msg, &n, cap, armed_seconds);
	put(msg, &n, cap, " s while ");
	put(msg, &n, cap, stage);
	put(msg, &n, cap, " (raise -t/--timeout)");
	put(msg, &n, cap, as_json ? "\",\"details\":[]}\n" : "\n");
	/* stdout may be a full pipe that nobody reads: never block here. */
	flags = fcntl(STDOUT_FILENO, F_GETFL);
	if (flags >= 0)
		fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK);
	w = write(STDOUT_FILENO, msg, n);
	(void)w;
	_exit(exit_state);
}

void deadline_json(bool json)
{
	as_json = json;
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

double deadline_seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}
