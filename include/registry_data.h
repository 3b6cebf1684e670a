/* SPDX-License-Identifier: GPL-3.0-or-later */
/* registry_data: the layout of the registry's table and the built-in table.
 *
 * The registry module is three files: plugin/registry/registry.c (lookups,
 * names, the index), plugin/registry/registry_csv.c (the CSV reader) and the
 * generated plugin/registry/registry_data.c (the built-in table, whose symbols
 * are declared here). The rows, the spans and the directory below are what
 * the three share. struct registry itself stays private to registry.c: the
 * reader hands what it built to registry_adopt(). Nothing outside
 * plugin/registry/ needs this file.
 */
#ifndef CHECK_LISTENERS_REGISTRY_DATA_H
#define CHECK_LISTENERS_REGISTRY_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/* The lookup index stores row + 1 in 16 bits; the reader (and the generator,
 * plugin/registry/registry-gen.awk) refuse more rows. */
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
 * plugin/registry/registry_data.c. registry_data_snapshot is "YYYY-MM-DD" or "unknown". */
extern const char registry_data_snapshot[];
extern const size_t registry_data_nrows;
extern const struct reg_row registry_data_rows[];
extern const char registry_data_pool[];
extern const size_t registry_data_nspans;
extern const struct reg_span registry_data_spans[];
extern const uint32_t registry_data_dir[REG_NPROTO][REG_DIR_SIZE];

#endif
