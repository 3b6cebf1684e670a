/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: escaping of untrusted strings (sb_put_escaped, sb_put_json).
 *
 * Byte 0 is max for sb_put_escaped (0 = no limit); the rest, up to the first
 * NUL, is the string as a process name or path would reach the plugin.
 * Invariants:
 * - escaped output holds only printable ASCII without '|' (no byte < 0x20,
 *   no 0x7f, no byte >= 0x80), and un-escaping \xHH gives back exactly the
 *   first max bytes of the input: nothing is lost or forged;
 * - JSON output is one valid JSON string literal (RFC 8259: no raw control
 *   character, well-formed UTF-8) whose only escapes are \" and \\; its
 *   decoded text holds no control character (C0, DEL, C1, U+2028, U+2029),
 *   and, un-escaped with the contract's byte-escaped UTF-8 (\\ is a
 *   backslash, \xHH the byte HH >= 0x80, \uHHHH a control character,
 *   nothing else follows a backslash), gives back the input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629, no surrogates,
 * no overlongs, at most U+10FFFF) within n bytes, or 0. */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2
		: s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	uint32_t cp;

	if (len == 0 || len > n)
		return 0;
	cp = len == 1 ? s[0] : s[0] & (0x7fu >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
			|| (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* One escape at s[i] ('\\'), decoded into out: the plugin writes only \"
 * and \\. Returns its length or 0. */
static size_t json_escape(const unsigned char *s, size_t i, size_t end, unsigned char *out)
{
	if (i + 1 >= end || (s[i + 1] != '"' && s[i + 1] != '\\'))
		return 0;
	*out = s[i + 1];
	return 2;
}

/* The characters no decoded string may hold: C0, DEL, C1, U+2028, U+2029 and
 * the bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069
 * (written out here, not shared with strbuf.c: this is the oracle). */
static bool is_control(uint32_t cp)
{
	static const uint32_t lone[] = { 0x061c, 0x200e, 0x200f };

	for (size_t i = 0; i < sizeof lone / sizeof lone[0]; i++)
		if (cp == lone[i])
			return true;
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* The code point of the UTF-8 sequence of length len at s. */
static uint32_t utf8_cp(const unsigned char *s, size_t len)
{
	uint32_t cp = len == 1 ? s[0] : s[0] & (0x7fu >> len);

	for (size_t i = 1; i < len; i++)
		cp = cp << 6 | (s[i] & 0x3fu);
	return cp;
}

/* Validates s[0..n) as one JSON string literal and decodes it into out
 * (at least n bytes). Returns the decoded length, or -1 when invalid. */
static long json_string(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i = 1, o = 0, end = n - 1, k;

	if (n < 2 || s[0] != '"' || s[end] != '"')
		return -1;
	while (i < end) {
		if (s[i] == '"' || s[i] < 0x20)
			return -1;
		if (s[i] == '\\') {
			k = json_escape(s, i, end, &out[o++]);
		} else {
			k = utf8_ok(s + i, end - i);
			if (k && is_control(utf8_cp(s + i, k)))
				return -1;
			memcpy(out + o, s + i, k);
			o += k;
		}
		if (k == 0)
			return -1;
		i += k;
	}
	return (long)o;
}

static void check_escaped(const char *in, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	size_t want = strlen(in), o = 0;
	unsigned char *dec;

	if (max && want > max)
		want = max;
	sb_put_escaped(&sb, in, max);
	dec = malloc(sb.len + 1);
	if (!dec || sb.oom)
		abort();
	for (size_t i = 0; i < sb.len; i++) {
		unsigned char c = (unsigned char)sb.buf[i];

		if (c < 0x20 || c >= 0x7f || c == '|')
			abort();
		if (c == '\\') {
			if (i + 3 >= sb.len || sb.buf[i + 1] != 'x'
					|| hexval((unsigned char)sb.buf[i + 2]) < 0
					|| hexval((unsigned char)sb.buf[i + 3]) < 0)
				abort();
			c = (unsigned char)(hexval((unsigned char)sb.buf[i + 2]) * 16
					+ hexval((unsigned char)sb.buf[i + 3]));
			i += 3;
		}
		dec[o++] = c;
	}
	if (o != want || memcmp(dec, in, want) != 0)
		abort();
	free(dec);
	sb_free(&sb);
}

/* Lower-case hex digits t[0..n) as a number, or -1. */
static long lower_hex(const unsigned char *t, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (hexval(t[i]) < 0 || (t[i] >= 'A' && t[i] <= 'F'))
			return -1;
		v = v * 16 + hexval(t[i]);
	}
	return v;
}

/* The UTF-8 of the control character cp (a code point below U+10000) at
 * out. Returns its length. */
static size_t put_utf8(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (unsigned char)(0xe0 | cp >> 12);
	out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp & 0x3f));
	return 3;
}

/* The contract's byte-escaped text t[0..n) back to bytes, in place (no
 * escape is shorter than what it stands for). Returns the length, or -1
 * when a backslash starts anything else. */
static long unescape_bytes(unsigned char *t, size_t n)
{
	size_t o = 0;
	long v;

	for (size_t i = 0; i < n; i++) {
		if (t[i] != '\\') {
			t[o++] = t[i];
		} else if (i + 1 < n && t[i + 1] == '\\') {
			t[o++] = '\\';
			i++;
		} else if (i + 3 < n && t[i + 1] == 'x' && (v = lower_hex(t + i + 2, 2)) >= 0x80) {
			t[o++] = (unsigned char)v;
			i += 3;
		} else if (i + 5 < n && t[i + 1] == 'u' && (v = lower_hex(t + i + 2, 4)) >= 0
				&& is_control((uint32_t)v)) {
			o += put_utf8((uint32_t)v, t + o);
			i += 5;
		} else {
			return -1;
		}
	}
	return (long)o;
}

static void check_json(const char *in)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char *dec;
	long n;

	sb_put_json(&sb, in);
	dec = malloc(sb.len + 1);
	if (!dec || sb.oom)
		abort();
	n = json_string((const unsigned char *)sb.buf, sb.len, dec);
	if (n >= 0)
		n = unescape_bytes(dec, (size_t)n);
	if (n < 0 || (size_t)n != strlen(in) || memcmp(dec, in, (size_t)n) != 0)
		abort();
	free(dec);
	sb_free(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	check_escaped(s, data[0]);
	check_json(s);
	free(s);
	return 0;
}
