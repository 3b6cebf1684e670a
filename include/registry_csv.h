/* registry_csv: what the registry's three files share, and nothing else.
 *
 * The registry is one module split over three files: plugin/registry.c
 * (lookups, names, the index), plugin/registry_csv.c (the CSV reader) and the
 * generated plugin/registry_data.c (the built-in table). They share the row
 * layout, the generated table's symbols and one builder; this header holds
 * exactly those. It is named after the reader because the reader is why it
 * exists: before the split all of it was private to registry.c. A separate
 * registry_table.h would be a header without a .c of its own name.
 *
 * struct registry itself stays private to registry.c: the reader never looks
 * inside one, it hands what it built to registry_adopt(). The public API,
 * registry_parse_csv() and registry_load_csv() included, is in registry.h;
 * nothing outside plugin/registry*.c should include this file.
 */
#ifndef CHECK_LISTENERS_REGISTRY_CSV_H
#define CHECK_LISTENERS_REGISTRY_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/* The lookup index stores row + 1 in 16 bits; the reader (and the generator,
 * plugin/registry-gen.awk) refuse more rows. */
#define REG_MAX_ROWS    65535u

/* The lookup index, per protocol: the ports where the row a port resolves to
 * changes (assigned beats reserved beats unassigned; among equals the first
 * row in file order), in port order, the first span of each protocol at port
 * 0. A span runs up to the next one's lo. The directory holds, per protocol,
 * the index in the span array of the span holding port b * 256 for b < 256,
 * and at 256 the protocol's last span: a lookup jumps to its 256-port bucket
 * and searches at most 257 spans, about 1 KiB, so it touches a page or two
 * instead of building 512 KiB of slots as the first index did. */
#define REG_DIR_SIZE    257

struct reg_span {
	uint16_t lo;            /* first port of the span */
	uint16_t row;           /* row + 1, 0 = not listed */
};

/* One row of the table. Offsets, not pointers, into the string pool: the
 * 8,000-row built-in table then needs no relocations and stays in read-only
 * memory. Offset 0 of every pool is the empty string. */
struct reg_row {
	uint16_t lo, hi;        /* port range, inclusive */
	uint8_t protos;         /* bit (1 << enum reg_proto) per protocol */
	uint8_t cls;            /* enum port_class */
	uint32_t name, desc;    /* offsets into the pool, 0 = none */
};

/* The built-in table and its index, defined in the generated
 * plugin/registry_data.c. registry_data_snapshot is "YYYY-MM-DD" or "unknown". */
extern const char registry_data_snapshot[];
extern const size_t registry_data_nrows;
extern const struct reg_row registry_data_rows[];
extern const char registry_data_pool[];
extern const size_t registry_data_nspans;
extern const struct reg_span registry_data_spans[];
extern const uint32_t registry_data_dir[REG_NPROTO][REG_DIR_SIZE];

/* A new registry that takes ownership of rows (nrows of them, at most
 * REG_MAX_ROWS) and pool, both from malloc(), and builds its index (spans and
 * directory as above; about 256 KiB of scratch while it runs); snapshot is
 * "YYYY-MM-DD", or "" when the data has no date ("unknown"). Returns NULL when
 * out of memory, and then rows and pool are still the caller's. Freed with
 * registry_free(). */
struct registry *registry_adopt(struct reg_row *rows, size_t nrows, char *pool,
		const char *snapshot);

#endif
