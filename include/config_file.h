/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config_file: the file side of the config loader, below config.c.
 *
 * Error collection, and the splicer: the top file is opened and vetted with
 * the trust module, lexed the way libconfig 1.5's scanner lexes it, and each
 * @include is opened relative to the vetted directory of the file that
 * includes it, vetted, read from that descriptor and spliced into one text in
 * its place. libconfig then parses that text from memory: it never opens a
 * file by name (libconfig 1.5 has no include hook; config_set_include_func
 * came in 1.7). A line map turns a line of the spliced text back into the
 * FILE:LINE it came from. The lexer also catches the integer literals
 * libconfig 1.5 silently wraps. Does not include libconfig.h.
 */
#ifndef CHECK_LISTENERS_CONFIG_FILE_H
#define CHECK_LISTENERS_CONFIG_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "trust.h"

/* The messages of one load, for config_load() and its callers. */
struct config_errors {
	char **msg;             /* malloc'd lines, in file order */
	size_t n, cap;
	/* What is valid but will not do what it seems to: malloc'd lines
	 * "warning: FILE:LINE: ..." (a rule that can never match here) and
	 * "note: FILE:LINE: ..." (a rule weaker than it looks). They never make
	 * a configuration invalid. */
	char **notes;
	size_t nnotes, notes_cap;
	size_t nwarnings;       /* how many of the notes are warnings */
};

/* Frees the messages; errs is left empty. NULL is allowed. */
void config_errors_free(struct config_errors *errs);

#define CFG_MAX_DEPTH 10                /* libconfig 1.5's own include limit */

/* From line out of the spliced text on, the lines of file from line on. */
struct cfg_seg {
	unsigned out;
	unsigned file;                  /* index into cfg_loader.files */
	unsigned line;
};

/* The state of one config_load()/config_load_string(). Owned by the caller,
 * usually on the stack; release with cfg_loader_free(). */
struct cfg_loader {
	const char *name;               /* the top file as given, or "<string>" */
	bool includes;                  /* @include allowed (false for a string) */
	struct trust trust;             /* the rule every file is held to */
	struct config_errors *errs;     /* where messages go */
	int fatal;                      /* first failure that is not -EINVAL */
	bool oom;                       /* a message or buffer could not be allocated */
	struct stat chain[CFG_MAX_DEPTH + 1];   /* the files being lexed, for loops */
	/* the spliced text, NUL-terminated, and its line map */
	char *text;
	size_t len, cap;
	unsigned lines;                 /* newlines in text so far */
	struct cfg_seg *segs;
	size_t nsegs, capsegs;
	char **files;                   /* display names: [0] the top file */
	size_t nfiles, capfiles;
};

/* Appends "FILE:LINE: message" (or "FILE: message" when line is 0) to
 * ld->errs. On allocation failure the message is dropped and ld->oom set. */
void cfg_error(struct cfg_loader *ld, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Opens the top file (ld->name) under ld->trust and splices it and its
 * includes into ld->text. Returns 0 (problems inside the files, such as a
 * refused include, are in ld->errs and ld->fatal), or -errno when the top
 * file itself cannot be used (-ENOENT missing, -EINVAL not a regular file,
 * -EPERM refused owner or mode, -EACCES not readable by the real user) with
 * the reason in ld->errs. */
int cfg_splice_file(struct cfg_loader *ld);

/* Appends "warning: FILE:LINE: message" (warning) or "note: FILE:LINE:
 * message" to ld->errs->notes. On allocation failure the note is dropped. */
void cfg_note(struct cfg_loader *ld, bool warning, const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Splices text (NUL-terminated, no @include allowed: a string is no file)
 * into ld->text under the name ld->name. */
void cfg_splice_string(struct cfg_loader *ld, const char *text);

/* The file and line that line out of the spliced text came from; *file is
 * "?" and *line 0 when out is 0 or beyond the text. */
void cfg_locate(const struct cfg_loader *ld, unsigned out, const char **file, unsigned *line);

/* Frees the spliced text, the map and the names; the errors stay. */
void cfg_loader_free(struct cfg_loader *ld);

/* The path of v, a file named in the config file file: v itself when
 * absolute, else relative to the directory of file, as @include is; into
 * *path (malloc'd, the caller frees it; also on error). Unchecked (0) when
 * check is false (a configuration from a string). Returns 0 when it opens as
 * a regular file; -ENOMEM (*path NULL); -EINVAL (not a regular file) or the
 * -errno of the failed open. */
int cfg_file_beside(const char *file, const char *v, bool check, char **path);

#endif
