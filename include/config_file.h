/* config_file: the file side of the config loader, below config.c.
 *
 * Error collection, reading a config file after vetting its type, owner and
 * mode on the opened fd, and a lexer that follows libconfig 1.5's scanner to
 * vet every @include before libconfig opens it and to catch the integer
 * literals libconfig 1.5 silently wraps. Does not include libconfig.h.
 */
#ifndef CHECK_LISTENERS_CONFIG_FILE_H
#define CHECK_LISTENERS_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* The messages of one load, for config_load() and its callers. */
struct config_errors {
	char **msg;             /* malloc'd lines, in file order */
	size_t n, cap;
};

/* Frees the messages; errs is left empty. NULL is allowed. */
void config_errors_free(struct config_errors *errs);

#define CFG_MAX_DEPTH 10                /* libconfig 1.5's own include limit */

/* The state of one config_load()/config_load_string(). Owned by the caller,
 * usually on the stack; dir is malloc'd by the caller and freed by it. */
struct cfg_loader {
	const char *name;               /* the top file as given, or "<string>" */
	char *dir;                      /* include directory; NULL: @include refused */
	bool strict_owner;
	struct config_errors *errs;     /* where messages go */
	int fatal;                      /* first failure that is not -EINVAL */
	bool oom;                       /* a message or buffer could not be allocated */
	struct stat chain[CFG_MAX_DEPTH + 1];   /* the files being lexed, for loops */
};

/* Appends "FILE:LINE: message" (or "FILE: message" when line is 0) to
 * ld->errs. On allocation failure the message is dropped and ld->oom set. */
void cfg_error(struct cfg_loader *ld, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes to buf the path of a file as libconfig names it in @include (f, which
 * libconfig 1.5 opens as include_dir + "/" + f), or of the top file (f NULL).
 * Truncates to size; never fails. */
void cfg_file_path(const struct cfg_loader *ld, const char *f, char *buf, size_t size);

/* Reads the whole file at path after vetting it: a FIFO, device or directory
 * is never opened; with ld->strict_owner a file not owned by root or writable
 * by group/others is refused. from (" (included from F:N)" or "") ends the
 * messages. Returns 0 with *text (malloc'd, NUL-terminated, no NUL inside;
 * the caller frees it), *len and *st (fstat of the opened fd); or -errno
 * (-EINVAL refused type or NUL byte, -EPERM refused owner/mode, -EFBIG over
 * 64 MiB) with a message in ld->errs and nothing to free. */
int cfg_read_vetted(struct cfg_loader *ld, const char *path, const char *from,
		char **text, size_t *len, struct stat *st);

/* Lexes text (NUL-terminated, from file, at include depth) the way libconfig
 * 1.5 does: every @include is vetted and read with cfg_read_vetted() and lexed
 * in turn (absolute paths, loops, depth over CFG_MAX_DEPTH and includes when
 * ld->dir is NULL are refused), and wrapped integer literals are reported.
 * Problems go to ld->errs; ld->fatal records the first non -EINVAL failure.
 * ld->chain[depth] must hold the stat of file when file is a real file. */
void cfg_lex(struct cfg_loader *ld, const char *file, const char *text, int depth);

#endif
