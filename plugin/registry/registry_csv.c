/* SPDX-License-Identifier: GPL-3.0-or-later */
/* registry_csv: reads an IANA service-names-port-numbers CSV into a registry.
 *
 * Written independently of plugin/registry-gen.awk, which applies the same
 * rules (see the comment at its top); the unit tests compare the two. The rows
 * and string pool built here are handed to registry_adopt() (registry.c).
 */
#include "registry_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "numparse.h"
#include "registry_data.h"
#include "trust.h"
#include "util.h"

#define MAX_LINE        65536u          /* bytes per physical line */
#define MAX_FIELDS      64u
#define MAX_DESC        60u
#define MAX_FILE        (16u << 20)

struct csv {
	const char *p, *end;
	const char *name;               /* for messages */
	char *err;
	size_t errlen;
	unsigned line;                  /* physical line of p, from 1 */
	unsigned recline;               /* line where the current record starts */
	char *fbuf;                     /* the record's fields, unquoted, NUL-separated */
	size_t flen, fcap;
	size_t foff[MAX_FIELDS];
	size_t nf;
};

/* What a registry under construction owns. */
struct build {
	struct reg_row *rows;
	size_t nrows, cap_rows;
	char *pool;
	size_t plen, pcap;
	int hdr_nf, regcol, modcol;     /* -1: column absent */
	char snapshot[11];
};

/* Sets "NAME:LINE: why" (line 0: "NAME: why") and returns -EINVAL. */
__attribute__((format(printf, 3, 4)))
static int fail(struct csv *c, unsigned line, const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!c->err || !c->errlen)
		return -EINVAL;
	if (line)
		snprintf(c->err, c->errlen, "%s:%u: %s", c->name, line, why);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->name, why);
	return -EINVAL;
}

static int field_byte(struct csv *c, char b)
{
	if (util_grow((void **)&c->fbuf, &c->fcap, c->flen, 1, 64) < 0)
		return -ENOMEM;
	c->fbuf[c->flen++] = b;
	return 0;
}

static int field_end(struct csv *c)
{
	if (c->nf == MAX_FIELDS)
		return fail(c, c->line, "more than %u fields", MAX_FIELDS);
	if (field_byte(c, '\0') < 0)
		return -ENOMEM;
	c->nf++;
	if (c->nf < MAX_FIELDS)
		c->foff[c->nf] = c->flen;
	return 0;
}

/* Ends a field; returns 1 when it also ends the record, 0, or -errno. */
static int field_done(struct csv *c, int eol)
{
	int rc = field_end(c);

	return rc < 0 ? rc : eol;
}

static const char *field(const struct csv *c, size_t i)
{
	return c->fbuf + c->foff[i];
}

enum cstate { AT_START, UNQUOTED, QUOTED, AFTER_QUOTE };

/* A CR just before LF or the end of input belongs to the line end. */
static int at_line_end(const struct csv *c, const char *q)
{
	return *q == '\n' || (*q == '\r' && (q + 1 == c->end || q[1] == '\n'));
}

/* Handles one byte b in state *st. Returns 1 at the end of the record, 0 to
 * go on, or -errno. */
static int csv_step(struct csv *c, enum cstate *st, char b, int eol)
{
	switch (*st) {
	case AT_START:
		if (b == '"') {
			*st = QUOTED;
			return 0;
		}
		*st = UNQUOTED;
		/* fall through */
	case UNQUOTED:
		if (eol || b == ',') {
			*st = AT_START;
			return field_done(c, eol);
		}
		if (b == '"')
			return fail(c, c->line, "quote inside an unquoted field");
		return field_byte(c, b);
	case QUOTED:
		if (b == '"') {
			*st = AFTER_QUOTE;
			return 0;
		}
		return field_byte(c, b);
	case AFTER_QUOTE:
		if (b == '"') {
			*st = QUOTED;
			return field_byte(c, b);
		}
		if (eol || b == ',') {
			*st = AT_START;
			return field_done(c, eol);
		}
		return fail(c, c->line, "character after closing quote");
	}
	return -EINVAL;
}

/* Reads the next record into c's fields. Returns 1, 0 at the end of input, or
 * -errno with the message set. */
static int csv_record(struct csv *c)
{
	enum cstate st = AT_START;
	size_t col = 0;

	c->nf = 0;
	c->flen = 0;
	c->foff[0] = 0;
	c->recline = c->line;
	if (c->p == c->end)
		return 0;
	while (c->p < c->end) {
		const char *q = c->p;
		int term = (*q == '\n' || *q == '\r') && at_line_end(c, q);
		int eol = term && st != QUOTED;

		if (*q == '\0')
			return fail(c, c->line, "NUL byte");
		if (eol && *q == '\r' && q + 1 < c->end) {
			c->p++;         /* the CR of CRLF: the LF ends the record */
			continue;
		}
		if (!term && ++col > MAX_LINE)
			return fail(c, c->line, "line longer than 64 KiB");
		int rc = csv_step(c, &st, *q, eol);
		c->p++;
		if (*q == '\n' || (*q == '\r' && c->p == c->end)) {
			c->line++;
			col = 0;
		}
		if (rc != 0)
			return rc;
	}
	if (st == QUOTED)
		return fail(c, c->recline, "unterminated quoted field");
	/* input ends without a line end */
	int rc = csv_step(c, &st, '\n', 1);
	return rc < 0 ? rc : 1;
}

/* ---- CSV rows to registry rows ---- */

/* Control characters become spaces, runs of spaces collapse, ends are
 * trimmed; in place (it only shrinks). Returns the new length. */
static size_t clean(char *s)
{
	size_t n = 0;

	for (const char *p = s; *p; p++) {
		unsigned char b = (unsigned char)*p;
		char ch = (b < 0x20 || b == 0x7f) ? ' ' : *p;

		if (ch == ' ' && (n == 0 || s[n - 1] == ' '))
			continue;
		s[n++] = ch;
	}
	if (n && s[n - 1] == ' ')
		n--;
	s[n] = '\0';
	return n;
}

/* Keeps a description on one short line: cut at a word boundary if there is
 * one late enough, never inside a UTF-8 sequence, and mark the cut. */
static void shorten(char *s, size_t len)
{
	size_t cut = MAX_DESC - 3;

	if (len <= MAX_DESC)
		return;
	while (cut >= 30 && s[cut] != ' ')
		cut--;
	if (cut < 30) {
		cut = MAX_DESC - 3;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	memcpy(s + cut, "...", 4);
}

static int ascii_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Does s start with lower (all lower case), ignoring ASCII case? */
static int starts_nocase(const char *s, const char *lower)
{
	for (; *lower; s++, lower++)
		if (ascii_lower((unsigned char)*s) != *lower)
			return 0;
	return 1;
}

static int equals_nocase(const char *s, const char *lower)
{
	return starts_nocase(s, lower) && s[strlen(lower)] == '\0';
}

/* A description that, alone, states the status of a named row. */
static const struct {
	const char *text;
	enum port_class cls;
} named_status[] = {
	{ "unassigned", CLASS_UNASSIGNED },
	{ "de-registered", CLASS_UNASSIGNED },
	{ "removed", CLASS_UNASSIGNED },
	{ "reserved", CLASS_RESERVED },
};

/* The rules are spelled out at the top of plugin/registry-gen.awk. */
static enum port_class row_class(const char *name, const char *desc)
{
	if (!*name)
		return starts_nocase(desc, "reserved") || starts_nocase(desc, "any private")
			? CLASS_RESERVED : CLASS_UNASSIGNED;
	for (size_t i = 0; i < sizeof(named_status) / sizeof(named_status[0]); i++)
		if (equals_nocase(desc, named_status[i].text))
			return named_status[i].cls;
	return CLASS_ASSIGNED;
}

/* "0".."65535": 1-5 digits, nothing else. */
static int parse_port(const char *s, size_t n, uint16_t *out)
{
	uint64_t v;

	if (n > 5 || parse_u64(s, n, 65535, &v) < 0)
		return -EINVAL;
	*out = (uint16_t)v;
	return 0;
}

/* "22" or "6000-6063". */
static int parse_ports(struct csv *c, const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');
	size_t n = strlen(s);

	if (!dash) {
		if (parse_port(s, n, lo) < 0)
			return fail(c, c->recline, "bad port number");
		*hi = *lo;
		return 0;
	}
	if (parse_port(s, (size_t)(dash - s), lo) < 0 ||
	    parse_port(dash + 1, n - (size_t)(dash - s) - 1, hi) < 0)
		return fail(c, c->recline, "bad port number");
	if (*lo > *hi)
		return fail(c, c->recline, "bad port range");
	return 0;
}

/* Protocol mask of the Transport Protocol column; empty means all. */
static int parse_protos(struct csv *c, const char *s, uint8_t *mask)
{
	if (!*s) {
		*mask = (1u << REG_NPROTO) - 1;
		return 0;
	}
	for (unsigned p = 0; p < REG_NPROTO; p++) {
		if (strcmp(s, reg_proto_name((enum reg_proto)p)) == 0) {
			*mask = (uint8_t)(1u << p);
			return 0;
		}
	}
	return fail(c, c->recline, "unknown transport protocol");
}

/* Offset of s in the pool: the previous row's when equal (rows for tcp, udp
 * and sctp repeat their strings), else appended. 0 or -ENOMEM. */
static int pool_add(struct build *b, const char *s, uint32_t prev, uint32_t *off)
{
	size_t n = strlen(s);

	if (!*s) {
		*off = 0;
		return 0;
	}
	if (prev && strcmp(b->pool + prev, s) == 0) {
		*off = prev;
		return 0;
	}
	if (b->plen + n + 1 > UINT32_MAX ||
	    util_grow((void **)&b->pool, &b->pcap, b->plen + n, 1, 64) < 0)
		return -ENOMEM;
	memcpy(b->pool + b->plen, s, n + 1);
	*off = (uint32_t)b->plen;
	b->plen += n + 1;
	return 0;
}

static const char *pool_at(const struct build *b, uint32_t off)
{
	return off ? b->pool + off : "";
}

/* Merges into the previous row when only the protocol differs, so that
 * "tcp" and "udp" twins take one row. */
static int add_row(struct csv *c, struct build *b, const struct reg_row *row,
		const char *name, const char *desc)
{
	struct reg_row *last = b->nrows ? &b->rows[b->nrows - 1] : NULL;
	struct reg_row r = *row;

	if (last && last->lo == r.lo && last->hi == r.hi && last->cls == r.cls &&
	    strcmp(pool_at(b, last->name), name) == 0 &&
	    strcmp(pool_at(b, last->desc), desc) == 0) {
		last->protos |= r.protos;
		return 0;
	}
	if (b->nrows == REG_MAX_ROWS)
		return fail(c, c->recline, "more than %u rows", REG_MAX_ROWS);
	if (pool_add(b, name, last ? last->name : 0, &r.name) < 0 ||
	    pool_add(b, desc, last ? last->desc : 0, &r.desc) < 0)
		return -ENOMEM;
	if (util_grow((void **)&b->rows, &b->cap_rows, b->nrows, sizeof(*b->rows), 64) < 0)
		return -ENOMEM;
	b->rows[b->nrows++] = r;
	return 0;
}

static int is_date(const char *s)
{
	for (int i = 0; i < 10; i++) {
		int dash = (i == 4 || i == 7);
		if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return 0;
	}
	return s[10] == '\0';
}

static void see_date(const struct csv *c, struct build *b, int col)
{
	if (col < 0)
		return;
	const char *d = field(c, (size_t)col);
	if (is_date(d) && strcmp(d, b->snapshot) > 0)
		memcpy(b->snapshot, d, sizeof(b->snapshot));
}

static const char *const header_names[] = {
	"Service Name", "Port Number", "Transport Protocol", "Description",
};

static int header(struct csv *c, struct build *b)
{
	if (c->nf < 4)
		return fail(c, c->recline, "not an IANA service-names-port-numbers header");
	for (size_t i = 0; i < 4; i++)
		if (strcmp(field(c, i), header_names[i]) != 0)
			return fail(c, c->recline, "not an IANA service-names-port-numbers header");
	b->hdr_nf = (int)c->nf;
	for (size_t i = 0; i < c->nf; i++) {
		if (strcmp(field(c, i), "Registration Date") == 0)
			b->regcol = (int)i;
		else if (strcmp(field(c, i), "Modification Date") == 0)
			b->modcol = (int)i;
	}
	return 0;
}

static int data_record(struct csv *c, struct build *b)
{
	struct reg_row row = { 0 };

	if (c->nf == 1 && !*field(c, 0))
		return 0;       /* blank line */
	if ((int)c->nf != b->hdr_nf)
		return fail(c, c->recline, "%zu fields, expected %d", c->nf, b->hdr_nf);
	see_date(c, b, b->regcol);
	see_date(c, b, b->modcol);
	if (!*field(c, 1))
		return 0;       /* a service name without a port */
	int rc = parse_ports(c, field(c, 1), &row.lo, &row.hi);
	if (rc == 0)
		rc = parse_protos(c, field(c, 2), &row.protos);
	if (rc < 0)
		return rc;
	char *name = c->fbuf + c->foff[0];
	char *desc = c->fbuf + c->foff[3];
	clean(name);
	size_t dlen = clean(desc);
	row.cls = (uint8_t)row_class(name, desc);
	shorten(desc, dlen);
	return add_row(c, b, &row, name, desc);
}

/* Moves what b built into a new registry. 0 or -ENOMEM. */
static int finish(struct build *b, struct registry **out)
{
	*out = registry_adopt(b->rows, b->nrows, b->pool, b->snapshot);
	if (!*out)
		return -ENOMEM;
	b->rows = NULL;
	b->pool = NULL;
	return 0;
}

static int parse_all(struct csv *c, struct build *b)
{
	int rc, have_header = 0;

	while ((rc = csv_record(c)) > 0) {
		rc = have_header ? data_record(c, b) : header(c, b);
		if (rc < 0)
			return rc;
		have_header = 1;
	}
	if (rc == 0 && !have_header)
		return fail(c, 0, "empty file, no header");
	return rc;
}

int registry_parse_csv(const char *buf, size_t len, const char *name,
		struct registry **out, char *err, size_t errlen)
{
	struct csv c = {
		.p = buf ? buf : "", .name = name ? name : "registry",
		.err = err, .errlen = errlen, .line = 1,
	};
	struct build b = { .regcol = -1, .modcol = -1 };
	int rc;

	*out = NULL;
	c.end = c.p + (buf ? len : 0);
	if (err && errlen)
		err[0] = '\0';
	/* offset 0 of the pool is the empty string: "no name" */
	rc = util_grow((void **)&b.pool, &b.pcap, 0, 1, 64);
	if (rc == 0) {
		b.pool[0] = '\0';
		b.plen = 1;
		rc = parse_all(&c, &b);
	}
	if (rc == 0)
		rc = finish(&b, out);
	if (rc == -ENOMEM && err && errlen)
		snprintf(err, errlen, "%s: out of memory", c.name);
	free(c.fbuf);
	free(b.rows);
	free(b.pool);
	return rc;
}

int registry_load_csv(const char *path, const struct trust *t, struct registry **out,
		char *err, size_t errlen)
{
	static const struct trust unprivileged = { false, false };
	struct trust_file f = TRUST_FILE_INIT;
	char why[512], *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = trust_open(t ? t : &unprivileged, AT_FDCWD, path, &f, why, sizeof(why));
	if (rc == 0) {
		rc = util_read_fd(f.fd, MAX_FILE, &buf, &len);
		snprintf(why, sizeof(why), "%s", rc == -EFBIG ? "larger than 16 MiB" : strerror(-rc));
	}
	trust_file_close(&f);
	if (rc < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, why);
		return rc;
	}
	rc = registry_parse_csv(buf, len, path, out, err, errlen);
	free(buf);
	return rc;
}
