/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf: a growing text buffer and the escaping of untrusted strings.
 *
 * Every text the plugin prints is built in a strbuf first, so that output can be
 * bounded (--max-output) and written to stdout once. Process names, paths, unit
 * names and registry descriptions are untrusted: they pass through sb_put_escaped()
 * or sb_put_json() and can never forge a line, perfdata or a JSON field.
 */
#ifndef CHECK_LISTENERS_STRBUF_H
#define CHECK_LISTENERS_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;      /* NUL-terminated when len > 0 or after sb_cstr() */
	size_t len;
	size_t cap;
	bool oom;       /* an allocation failed: the content is truncated */
};

#define STRBUF_INIT { NULL, 0, 0, false }

/* Appends; on allocation failure sets sb->oom and keeps what fits. Never fails loudly. */
void sb_put(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends seconds (>= 0; less counts as 0) as "%.6f" would, in integers:
 * glibc's floating-point printf is a few cold pages of code on every run. */
void sb_put_seconds(struct strbuf *sb, double seconds);

/* Appends at most max bytes of s (max 0 = no limit) with every byte outside
 * printable ASCII 0x20-0x7e, and '|' and '\\', written as \xHH. The result holds
 * no control character, no newline and no '|'. */
void sb_put_escaped(struct strbuf *sb, const char *s, size_t max);

/* Appends s as a JSON string literal with quotes, in the byte-escaped UTF-8
 * of the JSON contract (schema_version 2): valid UTF-8 stays as it is, a
 * backslash becomes the text \\, every byte that is not valid UTF-8 the text
 * \xHH (JSON "\\xe9") and every control character (C0, DEL, C1, U+2028,
 * U+2029) the text \uHHHH (JSON "\\u001b"). So the byte 0xE9 and the
 * character U+00E9 never look alike, the byte 0x9B (\x9b) and the character
 * U+009B (\u009b) neither, and no decoded string holds a control character
 * a terminal or a JavaScript parser would act on. The document is always
 * valid JSON and holds no control character itself. */
void sb_put_json(struct strbuf *sb, const char *s);

/* Returns the content as a C string ("" when empty); valid until the next change. */
const char *sb_cstr(struct strbuf *sb);

/* Writes the content to fd, retrying short writes and EINTR. Other errors
 * are ignored: a closed stdout is not the plugin's failure to report. */
void sb_write(const struct strbuf *sb, int fd);

/* Empties the buffer, keeping its memory. */
void sb_reset(struct strbuf *sb);

/* Frees the memory; the buffer is empty and usable again. NULL is allowed. */
void sb_free(struct strbuf *sb);

#endif
