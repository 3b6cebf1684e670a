/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_file: errors, the splicer of vetted files and the lexer.
 *
 * The first two of the config loader's three passes, so that libconfig never
 * opens a file at all:
 * 1. open the file with the trust module (every directory and the file
 *    itself vetted on descriptors) and read it from that descriptor;
 * 2. lex the text the way libconfig 1.5's scanner does, to find @include
 *    lines (opened relative to the vetted directory of the including file,
 *    vetted, read and lexed the same way, loops and depth refused) and the
 *    integer literals libconfig 1.5 silently wraps (99999999999,
 *    0x100000016), copying everything but the @include lines into one text
 *    and each included file in place of its line, with a map back to
 *    FILE:LINE. Pass 3 (config.c) parses that text from memory. */
#include "config_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define MAX_BYTES (64u << 20)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ---------------------------------------------------------- */

void config_errors_free(struct config_errors *errs)
{
	if (!errs)
		return;
	for (size_t i = 0; i < errs->n; i++)
		free(errs->msg[i]);
	for (size_t i = 0; i < errs->nnotes; i++)
		free(errs->notes[i]);
	free(errs->msg);
	free(errs->notes);
	memset(errs, 0, sizeof(*errs));
}

/* Appends msg to the lines *v (*n of them, *cap allocated). Returns false
 * (msg freed) without memory. */
static bool add_line(char ***v, size_t *n, size_t *cap, char *msg)
{
	if (msg && util_grow((void **)v, cap, *n, sizeof(**v), 8) < 0)
		free(msg), msg = NULL;
	if (!msg)
		return false;
	(*v)[(*n)++] = msg;
	return true;
}

static void add_msg(struct cfg_loader *ld, char *msg)
{
	if (!add_line(&ld->errs->msg, &ld->errs->n, &ld->errs->cap, msg))
		ld->oom = true;
}

void cfg_note(struct cfg_loader *ld, bool warning, const char *file, unsigned line, const char *fmt, ...)
{
	char text[1024], *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (asprintf(&msg, "%s: %s:%u: %s", warning ? "warning" : "note", file, line, text) < 0)
		return;
	if (add_line(&ld->errs->notes, &ld->errs->nnotes, &ld->errs->notes_cap, msg))
		ld->errs->nwarnings += warning;
}

void cfg_error(struct cfg_loader *ld, const char *file, unsigned line, const char *fmt, ...)
{
	char text[1024], *msg = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (line)
		n = asprintf(&msg, "%s:%u: %s", file, line, text);
	else
		n = asprintf(&msg, "%s: %s", file, text);
	add_msg(ld, n < 0 ? NULL : msg);
}

static void note_rc(struct cfg_loader *ld, int rc)
{
	if (rc == -ENOMEM)
		ld->oom = true;
	else if (rc < 0 && rc != -EINVAL && !ld->fatal)
		ld->fatal = rc;
}

/* ---- the spliced text and its map -------------------------------------- */

/* Appends n bytes of p to the spliced text, counting lines. */
static void emit(struct cfg_loader *ld, const char *p, size_t n)
{
	if (ld->oom)
		return;
	if (ld->len + n >= MAX_BYTES
			|| util_grow((void **)&ld->text, &ld->cap, ld->len + n, 1, 4096) < 0) {
		ld->oom = true;
		return;
	}
	memcpy(ld->text + ld->len, p, n);
	ld->len += n;
	ld->text[ld->len] = '\0';
	for (size_t i = 0; i < n; i++)
		ld->lines += p[i] == '\n';
}

/* From the next line of the spliced text on: file's lines from line on. */
static void seg(struct cfg_loader *ld, unsigned file, unsigned line)
{
	if (util_grow((void **)&ld->segs, &ld->capsegs, ld->nsegs, sizeof(*ld->segs), 16) < 0) {
		ld->oom = true;
		return;
	}
	ld->segs[ld->nsegs++] = (struct cfg_seg){ ld->lines + 1, file, line };
}

/* Adds a display name. Returns its index, or -1 when out of memory. */
static int add_file(struct cfg_loader *ld, const char *name)
{
	char *copy = strdup(name);

	if (!copy || util_grow((void **)&ld->files, &ld->capfiles, ld->nfiles, sizeof(*ld->files), 4) < 0) {
		free(copy);
		ld->oom = true;
		return -1;
	}
	ld->files[ld->nfiles] = copy;
	return (int)ld->nfiles++;
}

void cfg_locate(const struct cfg_loader *ld, unsigned out, const char **file, unsigned *line)
{
	size_t lo = 0, hi = ld->nsegs;

	*file = "?";
	*line = 0;
	if (out == 0 || out > ld->lines + 1 || ld->nsegs == 0)
		return;
	while (hi - lo > 1) {           /* the last segment starting at or before out */
		size_t mid = (lo + hi) / 2;

		if (ld->segs[mid].out <= out)
			lo = mid;
		else
			hi = mid;
	}
	*file = ld->files[ld->segs[lo].file];
	*line = ld->segs[lo].line + (out - ld->segs[lo].out);
}

void cfg_loader_free(struct cfg_loader *ld)
{
	for (size_t i = 0; i < ld->nfiles; i++)
		free(ld->files[i]);
	free(ld->files);
	free(ld->segs);
	free(ld->text);
	ld->files = NULL;
	ld->segs = NULL;
	ld->text = NULL;
	ld->nfiles = ld->capfiles = ld->nsegs = ld->capsegs = ld->len = ld->cap = 0;
	ld->lines = 0;
}

/* ---- files ----------------------------------------------------------- */

/* Reads a vetted file whole. Returns 0 with *text (malloc'd, no NUL inside),
 * or -errno with a message for file. */
static int read_vetted(struct cfg_loader *ld, const struct trust_file *f, const char *file,
		const char *from, char **text)
{
	size_t len;
	int rc = util_read_fd(f->fd, MAX_BYTES, text, &len);

	if (rc < 0) {
		cfg_error(ld, file, 0, "cannot read: %s%s", rc == -EFBIG ? "larger than 64 MiB"
				: strerror(-rc), from);
		return rc;
	}
	if (memchr(*text, '\0', len)) {
		cfg_error(ld, file, 0, "contains a NUL byte%s", from);
		free(*text);
		*text = NULL;
		return -EINVAL;
	}
	return 0;
}

/* ---- the lexer -------------------------------------------------------- */

struct lexer {
	const char *p;                  /* NUL-terminated */
	const char *file;               /* display name */
	unsigned line;
	int depth;
	int dirfd;                      /* the vetted directory of file, or -1 */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_xdigit(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
static bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_name(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '*'; }

/* Skips up to and including the terminator; counts lines. libconfig 1.5
 * quietly accepts a file that ends inside a block comment or a string, so a
 * truncated file could lose its last rules unnoticed: that is an error. */
static void lex_skip(struct cfg_loader *ld, struct lexer *lx, const char *end, bool escapes,
		const char *what)
{
	size_t n = strlen(end);
	unsigned line = lx->line;

	while (*lx->p && strncmp(lx->p, end, n) != 0) {
		if (escapes && *lx->p == '\\' && (lx->p[1] == '"' || lx->p[1] == '\\'))
			lx->p++;
		lx->line += *lx->p++ == '\n';
	}
	if (*lx->p)
		lx->p += n;
	else
		cfg_error(ld, lx->file, line, "unterminated %s: the file ends inside it (truncated?)", what);
}

/* libconfig 1.5 wraps an int literal modulo 2^32 unless it ends in L. */
static void lex_number(struct cfg_loader *ld, struct lexer *lx)
{
	const char *s = lx->p + (*lx->p == '+' || *lx->p == '-'), *d;
	size_t n;

	if (s[0] == '0' && (s[1] | 0x20) == 'x' && is_xdigit(s[2])) {
		for (s += 2; *s == '0'; s++)
			;
		for (d = s; is_xdigit(*s); s++)
			;
		n = (size_t)(s - d) > 8 ? 11 : 0;
	} else {
		for (; *s == '0' && is_digit(s[1]); s++)
			;
		for (d = s; is_digit(*s); s++)
			;
		n = (size_t)(s - d);
		if (*s == '.' || (*s | 0x20) == 'e')
			n = 0;
		while (*s == '.' || (*s | 0x20) == 'e' || is_digit(*s) || ((s[-1] | 0x20) == 'e' && (*s == '-' || *s == '+')))
			s++;
	}
	if (*s != 'L' && (n > 10 || (n == 10 && strncmp(d, *lx->p == '-' ? "2147483648" : "2147483647", 10) > 0)))
		cfg_error(ld, lx->file, lx->line, "integer %.*s is out of range: libconfig would silently truncate it",
				(int)(s - lx->p), lx->p);
	lx->p = s;
}

/* libconfig's include_open: ^[ \t]*@include[ \t]+\" */
static bool lex_include_open(struct lexer *lx)
{
	const char *s = lx->p + strspn(lx->p, " \t");

	if (strncmp(s, "@include", 8) != 0 || !strchr(" \t", s[8]) || s[8] == '\0')
		return false;
	s += 8 + strspn(s + 8, " \t");
	if (*s != '"')
		return false;
	lx->p = s + 1;
	return true;
}

/* The path of an @include: libconfig unescapes \\ and \" and echoes a lone
 * backslash to stdout (our output!), so that is refused. */
static int lex_include_path(struct cfg_loader *ld, struct lexer *lx, char *buf, size_t size)
{
	size_t n = 0;

	for (; *lx->p && *lx->p != '"' && *lx->p != '\n'; lx->p++) {
		if (*lx->p == '\\' && lx->p[1] != '"' && lx->p[1] != '\\') {
			cfg_error(ld, lx->file, lx->line, "@include: only \\\\ and \\\" may be escaped in a path");
			return -1;
		}
		lx->p += *lx->p == '\\';
		if (n + 1 < size)
			buf[n++] = *lx->p;
	}
	buf[n] = '\0';
	if (*lx->p != '"' || n + 1 >= size || n == 0) {
		cfg_error(ld, lx->file, lx->line, "@include: %s", n ? "unterminated or too long path" : "empty path");
		return -1;
	}
	lx->p++;
	return 0;
}

/* The display name of an include: the includer's directory + path. */
static void include_name(const char *includer, const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(includer, '/');

	if (!slash)
		util_say(buf, size, "%s", path);
	else
		util_say(buf, size, "%.*s/%s", (int)(slash - includer), includer, path);
}

static void splice_text(struct cfg_loader *ld, unsigned file, const char *text, int depth, int dirfd);

/* Opens, vets, reads and splices one include. */
static void lex_include(struct cfg_loader *ld, struct lexer *lx)
{
	char raw[PATH_MAX], path[PATH_MAX], from[PATH_MAX + 32], why[PATH_MAX + 256];
	struct trust_file f = TRUST_FILE_INIT;
	unsigned line = lx->line;
	char *text = NULL;
	int rc, idx;

	if (lex_include_path(ld, lx, raw, sizeof(raw)) < 0)
		return;
	if (!ld->includes || raw[0] == '/' || lx->depth >= CFG_MAX_DEPTH) {
		cfg_error(ld, lx->file, line, "@include \"%s\": %s", raw, !ld->includes ? "not allowed here" :
				raw[0] == '/' ? "give a path relative to the config file's directory"
				: "nested more than 10 deep");
		return;
	}
	include_name(lx->file, raw, path, sizeof(path));
	snprintf(from, sizeof(from), " (included from %s:%u)", lx->file, line);
	rc = trust_open(&ld->trust, lx->dirfd, raw, &f, why, sizeof(why));
	if (rc < 0)
		cfg_error(ld, path, 0, "%s%s", why, from);
	else
		rc = read_vetted(ld, &f, path, from, &text);
	note_rc(ld, rc == -ENOENT ? -EINVAL : rc);
	for (int i = 0; rc == 0 && i <= lx->depth; i++)
		if (ld->chain[i].st_dev == f.st.st_dev && ld->chain[i].st_ino == f.st.st_ino) {
			cfg_error(ld, lx->file, line, "@include \"%s\": an include loop, that file is "
					"already being read", raw);
			rc = -ELOOP;
		}
	if (rc == 0 && (idx = add_file(ld, path)) >= 0) {
		ld->chain[lx->depth + 1] = f.st;
		splice_text(ld, (unsigned)idx, text, lx->depth + 1, f.dirfd);
	}
	free(text);
	trust_file_close(&f);
}

/* Walks text in libconfig's lexer states (INITIAL, COMMENT, STRING, INCLUDE),
 * copying it to the spliced text with each @include line replaced by the
 * file it names. The text of every file ends with a newline there: libconfig
 * 1.5 takes a final "# comment" without one for garbage. */
static void splice_text(struct cfg_loader *ld, unsigned file, const char *text, int depth, int dirfd)
{
	struct lexer lx = { .p = text, .file = ld->files[file], .line = 1, .depth = depth, .dirfd = dirfd };
	const char *copied = text, *at;
	bool bol = true;
	char c;

	seg(ld, file, 1);
	while ((c = *lx.p) != '\0') {
		at = lx.p;
		if (bol && lex_include_open(&lx)) {
			emit(ld, copied, (size_t)(at - copied));
			lex_include(ld, &lx);
			seg(ld, file, lx.line);         /* the rest of the @include line */
			copied = lx.p;
			bol = false;
			continue;
		}
		bol = c == '\n';
		if (c == '\n')
			lx.line++, lx.p++;
		else if (c == '/' && lx.p[1] == '*')
			lx.p += 2, lex_skip(ld, &lx, "*/", false, "/* comment");
		else if (c == '#' || (c == '/' && lx.p[1] == '/'))
			lx.p += strcspn(lx.p, "\n");
		else if (c == '"')
			lx.p++, lex_skip(ld, &lx, "\"", true, "string");
		else if (is_alpha(c) || c == '*')
			while (is_name(*lx.p))
				lx.p++;
		else if (is_digit(c) || ((c == '+' || c == '-') && is_digit(lx.p[1])))
			lex_number(ld, &lx);
		else
			lx.p++;
	}
	emit(ld, copied, (size_t)(lx.p - copied));
	if (ld->len == 0 || ld->text[ld->len - 1] != '\n')
		emit(ld, "\n", 1);
}

int cfg_splice_file(struct cfg_loader *ld)
{
	char why[PATH_MAX + 256], *text = NULL;
	struct trust_file f = TRUST_FILE_INIT;
	int rc = trust_open(&ld->trust, AT_FDCWD, ld->name, &f, why, sizeof(why));

	if (rc < 0)
		cfg_error(ld, ld->name, 0, "%s", why);
	else
		rc = read_vetted(ld, &f, ld->name, "", &text);
	if (rc == 0 && add_file(ld, ld->name) == 0) {
		ld->includes = true;
		ld->chain[0] = f.st;
		splice_text(ld, 0, text, 0, f.dirfd);
	}
	free(text);
	trust_file_close(&f);
	return rc;
}

void cfg_splice_string(struct cfg_loader *ld, const char *text)
{
	ld->includes = false;
	if (add_file(ld, ld->name) == 0)
		splice_text(ld, 0, text, 0, -1);
}

int cfg_file_beside(const char *file, const char *v, bool check, char **path)
{
	const char *slash = strrchr(file, '/');
	struct stat st;
	int fd, err;

	if (v[0] == '/')
		*path = strdup(v);
	else if (asprintf(path, "%.*s/%s", slash ? (int)(slash - file) : 1, slash ? file : ".", v) < 0)
		*path = NULL;
	if (!*path)
		return -ENOMEM;
	if (!check)
		return 0;
	fd = open(*path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	err = fd < 0 ? -errno : fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EINVAL;
	if (fd >= 0)
		close(fd);
	return err;
}
