/* SPDX-License-Identifier: GPL-3.0-or-later */
/* registry_csv: an IANA service-names-port-numbers CSV read into a registry
 * (--registry FILE, registry.file), checked as strictly as the generator
 * plugin/registry/registry-gen.awk checks the built-in one. */
#ifndef CHECK_LISTENERS_REGISTRY_CSV_H
#define CHECK_LISTENERS_REGISTRY_CSV_H

#include <stddef.h>

#include "registry.h"
#include "trust.h"

/* Loads an IANA CSV (same shape as the published file), opened and vetted
 * under the trust rule t (trust.h; NULL: only "a regular file": a FIFO or
 * device is refused, never opened). Returns 0 and *out, or -errno (-EINVAL
 * for malformed content or not a regular file, -EPERM refused owner or mode,
 * -EACCES not readable by the real user) with err holding "FILE:LINE: reason"
 * or "FILE: reason". The caller frees *out with registry_free(). */
int registry_load_csv(const char *path, const struct trust *t, struct registry **out,
		char *err, size_t errlen);

/* Same from memory; name is used in error messages. The fuzz seam. */
int registry_parse_csv(const char *buf, size_t len, const char *name,
		struct registry **out, char *err, size_t errlen);

#endif
