/* config_file: errors, vetted reading of config files and the @include lexer.
 *
 * The first two of the config loader's three passes, so that libconfig never
 * opens a file we have not vetted:
 * 1. read the file ourselves, checking type, owner and mode on the opened fd;
 * 2. lex the text the way libconfig 1.5's scanner does, to find @include lines
 *    (vetted, read and lexed the same way, loops and depth refused) and the
 *    integer literals libconfig 1.5 silently wraps (99999999999, 0x100000016).
 * libconfig 1.5 has no include hook (config_set_include_func came in 1.7) and
 * reopens included files by name: pass 2 cannot close the window in which
 * someone who can write their directory swaps one. */
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
	free(errs->msg);
	errs->msg = NULL;
	errs->n = errs->cap = 0;
}

static void add_msg(struct cfg_loader *ld, char *msg)
{
	struct config_errors *e = ld->errs;

	if (msg && util_grow((void **)&e->msg, &e->cap, e->n, sizeof(*e->msg), 8) < 0)
		free(msg), msg = NULL;
	if (!msg) {
		ld->oom = true;
		return;
	}
	e->msg[e->n++] = msg;
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

void cfg_file_path(const struct cfg_loader *ld, const char *f, char *buf, size_t size)
{
	if (!f) {
		snprintf(buf, size, "%s", ld->name);
		return;
	}
	while (*f == '/')
		f++;
	if (!ld->dir || strcmp(ld->dir, ".") == 0)
		snprintf(buf, size, "%s", f);
	else
		snprintf(buf, size, "%s%s%s", ld->dir, strcmp(ld->dir, "/") ? "/" : "", f);
}

/* ---- files ----------------------------------------------------------- */

static const char *file_kind(mode_t m)
{
	static const struct { mode_t type; const char *name; } kinds[] = {
		{ S_IFDIR, "a directory" }, { S_IFIFO, "a FIFO" }, { S_IFCHR, "a character device" },
		{ S_IFBLK, "a block device" }, { S_IFSOCK, "a socket" }, { S_IFLNK, "a symbolic link" },
	};

	for (size_t i = 0; i < NELEM(kinds); i++)
		if ((m & S_IFMT) == kinds[i].type)
			return kinds[i].name;
	return "not a regular file";
}

/* Like doas: as root, a config file anyone else can change is a privilege
 * escalation, so it is refused rather than read. from: " (included from ...)". */
static int vet(struct cfg_loader *ld, const char *path, const struct stat *st, const char *from)
{
	static const char why[] = "as root the plugin only reads config files owned by root "
		"and not writable by group or others";

	if (!S_ISREG(st->st_mode)) {
		cfg_error(ld, path, 0, "refused: %s, not a regular file%s", file_kind(st->st_mode), from);
		return -EINVAL;
	}
	if (!ld->strict_owner)
		return 0;
	if (st->st_uid != 0) {
		cfg_error(ld, path, 0, "refused: owned by uid %u; %s (chown root %s)%s",
				(unsigned)st->st_uid, why, path, from);
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		cfg_error(ld, path, 0, "refused: writable by %s; %s (chmod go-w %s)%s",
				st->st_mode & S_IWOTH ? "others" : "group", why, path, from);
		return -EPERM;
	}
	return 0;
}

/* Reads a whole file after vetting it: stat first, so a FIFO or a device is
 * never opened, then fstat on the opened fd, which is what counts. */
int cfg_read_vetted(struct cfg_loader *ld, const char *path, const char *from,
		char **text, size_t *len, struct stat *st)
{
	int fd = -1, rc;

	if (stat(path, st) == 0 && (rc = vet(ld, path, st, from)) < 0)
		return rc;
	if (errno = 0, (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0) {
		rc = -errno;
		cfg_error(ld, path, 0, "cannot open: %s%s", strerror(errno), from);
		return rc;
	}
	rc = fstat(fd, st) < 0 ? -errno : vet(ld, path, st, from);
	if (rc == 0 && (rc = util_read_fd(fd, MAX_BYTES, text, len)) < 0)
		cfg_error(ld, path, 0, "cannot read: %s%s", rc == -EFBIG ? "larger than 64 MiB" : strerror(-rc), from);
	close(fd);
	if (rc == 0 && memchr(*text, '\0', *len)) {
		cfg_error(ld, path, 0, "contains a NUL byte%s", from);
		free(*text);
		rc = -EINVAL;
	}
	return rc;
}

/* ---- the lexer -------------------------------------------------------- */

struct lexer {
	const char *p;                  /* NUL-terminated */
	const char *file;
	unsigned line;
	int depth;
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

static void lex_include(struct cfg_loader *ld, struct lexer *lx)
{
	char raw[PATH_MAX], path[PATH_MAX], from[PATH_MAX + 32];
	unsigned line = lx->line;
	struct stat st;
	char *text;
	size_t len;
	int rc;

	if (lex_include_path(ld, lx, raw, sizeof(raw)) < 0)
		return;
	if (!ld->dir || raw[0] == '/' || lx->depth >= CFG_MAX_DEPTH) {
		cfg_error(ld, lx->file, line, "@include \"%s\": %s", raw, !ld->dir ? "not allowed here" :
				raw[0] == '/' ? "give a path relative to the config file's directory"
				: "nested more than 10 deep");
		return;
	}
	cfg_file_path(ld, raw, path, sizeof(path));
	snprintf(from, sizeof(from), " (included from %s:%u)", lx->file, line);
	rc = cfg_read_vetted(ld, path, from, &text, &len, &st);
	note_rc(ld, rc == -ENOENT ? -EINVAL : rc);
	if (rc < 0)
		return;
	for (int i = 0; i <= lx->depth; i++)
		if (ld->chain[i].st_dev == st.st_dev && ld->chain[i].st_ino == st.st_ino)
			rc = -ELOOP;
	if (rc == 0) {
		ld->chain[lx->depth + 1] = st;
		cfg_lex(ld, path, text, lx->depth + 1);
	} else {
		cfg_error(ld, lx->file, line, "@include \"%s\": an include loop, that file is already being read", raw);
	}
	free(text);
}

/* Walks text in libconfig's lexer states (INITIAL, COMMENT, STRING, INCLUDE). */
void cfg_lex(struct cfg_loader *ld, const char *file, const char *text, int depth)
{
	struct lexer lx = { .p = text, .file = file, .line = 1, .depth = depth };
	bool bol = true;
	char c;

	while ((c = *lx.p) != '\0') {
		if (bol && lex_include_open(&lx)) {
			lex_include(ld, &lx);
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
}
