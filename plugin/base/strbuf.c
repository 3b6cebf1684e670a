/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf: a growing text buffer and the escaping of untrusted strings. */
#include "strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* Makes room for n more bytes plus a NUL. Returns 0, or -1 with sb->oom set. */
static int sb_grow(struct strbuf *sb, size_t n)
{
	if (sb->oom)
		return -1;
	if (n > SIZE_MAX / 2 - sb->len - 1 ||
	    util_grow((void **)&sb->buf, &sb->cap, sb->len + n, 1, 256) < 0) {
		sb->oom = true;
		return -1;
	}
	return 0;
}

void sb_put(struct strbuf *sb, const char *s, size_t n)
{
	if (n == 0 || sb_grow(sb, n) < 0)
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_put(sb, &c, 1);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || sb_grow(sb, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void sb_put_seconds(struct strbuf *sb, double seconds)
{
	unsigned long long us;

	if (seconds >= 1e9) {   /* beyond any run: as printf has it */
		sb_printf(sb, "%.6f", seconds);
		return;
	}
	us = seconds > 0 ? (unsigned long long)(seconds * 1e6 + 0.5) : 0;
	sb_printf(sb, "%llu.%06llu", us / 1000000, us % 1000000);
}

static void sb_put_hex(struct strbuf *sb, const char *prefix, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char out[8];
	size_t n = strlen(prefix);

	memcpy(out, prefix, n);
	out[n++] = hex[c >> 4];
	out[n++] = hex[c & 15];
	sb_put(sb, out, n);
}

void sb_put_escaped(struct strbuf *sb, const char *s, size_t max)
{
	size_t i, run = 0;

	for (i = 0; s[i] && (max == 0 || i < max); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c <= 0x7e && c != '|' && c != '\\') {
			run++;
			continue;
		}
		sb_put(sb, s + i - run, run);
		run = 0;
		sb_put_hex(sb, "\\x", c);
	}
	sb_put(sb, s + i - run, run);
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one; its
 * code point in *cp. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, *cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, *cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (*cp < 0x800 || (*cp >= 0xd800 && *cp <= 0xdfff))) ||
	    (n == 4 && (*cp < 0x10000 || *cp > 0x10ffff)))
		return 0;
	return n;
}

/* The characters a terminal, a JavaScript parser or a bidirectional display
 * acts on: C0, DEL, C1, the line and paragraph separators U+2028 and U+2029,
 * and the bidi marks, embeddings, overrides and isolates (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069), which reorder the text around them
 * so that a name can show as another ("Trojan Source"). */
static bool json_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* The byte-escaped UTF-8 of the JSON contract (conf/check_listeners.schema.json):
 * a backslash is the text \\, a byte outside valid UTF-8 the text \xHH and a
 * control character the text \uHHHH, so that no decoded string holds a
 * control character and a byte and a character can always be told apart. */
void sb_put_json(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	uint32_t cp;
	size_t n;

	sb_putc(sb, '"');
	for (; *p; p += n) {
		n = utf8_decode(p, &cp);
		if (n > 0 && cp != '"' && cp != '\\' && !json_control(cp))
			continue;
		sb_put(sb, (const char *)run, (size_t)(p - run));
		if (n == 0) {
			sb_put_hex(sb, "\\\\x", *p);        /* JSON for the text \xHH */
			n = 1;
		} else if (cp == '"') {
			sb_put(sb, "\\\"", 2);
		} else if (cp == '\\') {
			sb_put(sb, "\\\\\\\\", 4);      /* JSON for the text \\ */
		} else {
			sb_printf(sb, "\\\\u%04x", (unsigned)cp);   /* JSON for the text \uHHHH */
		}
		run = p + n;
	}
	sb_put(sb, (const char *)run, (size_t)(p - run));
	sb_putc(sb, '"');
}

const char *sb_cstr(struct strbuf *sb)
{
	return sb->len ? sb->buf : "";
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	if (!sb)
		return;
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->oom = false;
}

void sb_write(const struct strbuf *sb, int fd)
{
	const char *p = sb->buf;
	size_t n = sb->buf ? sb->len : 0;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}
