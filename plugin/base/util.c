/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util: array growth, whole-file reads, messages, name tables. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int util_grow(void **arr, size_t *cap, size_t n, size_t sz, size_t first)
{
	size_t ncap = *cap ? *cap : first;
	void *p;

	if (n < *cap)
		return 0;
	while (ncap <= n) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / sz)
		return -ENOMEM;
	p = realloc(*arr, ncap * sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

int util_read_fd(int fd, size_t max, char **text, size_t *len)
{
	size_t n = 0, cap = 0;
	char *buf = NULL;
	ssize_t got;

	for (;;) {
		if (n >= max) {
			free(buf);
			return -EFBIG;
		}
		/* room for a read and the NUL */
		if (n + 1 >= cap && util_grow((void **)&buf, &cap, n + 1, 1, 4096) < 0) {
			free(buf);
			return -ENOMEM;
		}
		got = read(fd, buf + n, cap - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int util_read_file(const char *path, size_t max, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = util_read_fd(fd, max, text, len);
	close(fd);
	return rc;
}

ssize_t util_read_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	size_t len = 0;
	ssize_t r = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	while (len + 1 < size && (r = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	r = r < 0 ? -errno : (ssize_t)len;
	close(fd);
	buf[len] = '\0';
	return r;
}

bool util_path(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < len;
}

void util_say(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

static unsigned char ascii_lower(char c)
{
	return (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

static bool ascii_ieq(const char *a, const char *b)
{
	for (; ascii_lower(*a) == ascii_lower(*b); a++, b++)
		if (*a == '\0')
			return true;
	return false;
}

int util_name_index(const char *const *names, size_t n, const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (names[i] && ascii_ieq(names[i], s))
			return (int)i;
	return -1;
}

void util_process_init(void)
{
	/* Arrays of sockets and listeners grow by realloc(): mapped apart from the
	 * heap they grow by mremap() instead of copying, and their untouched pages
	 * cost nothing. A fixed threshold also stops glibc from raising it (and
	 * putting them on the heap again) after a large block is freed. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* Often run as root through sudo: hold no inherited descriptor but stdio,
	 * and let no environment variable change behaviour (TZ would move the day
	 * a rule expires; the local time is /etc/localtime's). */
	close_range(3, ~0U, 0);
	clearenv();
	signal(SIGPIPE, SIG_IGN);
}
