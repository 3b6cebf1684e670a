/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the IANA CSV loader from memory (registry_parse_csv).
 * Invariants: 0 gives a registry that answers lookups, a snapshot date and
 * frees cleanly; an error gives no registry and a message naming the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"
#include "registry_csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void probe(const struct registry *r)
{
	static const uint16_t ports[] = { 0, 1, 22, 80, 443, 1023, 1024, 49151, 49152, 65535 };
	struct port_info pi;

	if (!registry_snapshot(r))
		abort();
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		for (int p = 0; p < REG_NPROTO; p++) {
			registry_lookup(r, ports[i], (enum reg_proto)p, &pi);
			if ((unsigned)pi.cls >= CLASS_COUNT)
				abort();
			if (pi.service)
				(void)strlen(pi.service);
			if (pi.description)
				(void)strlen(pi.description);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry *r = (struct registry *)1;
	char err[256];
	char *buf = malloc(size ? size : 1);    /* exactly size: overreads are caught */
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	rc = registry_parse_csv(buf, size, "fuzz.csv", &r, err, sizeof(err));
	if (rc == 0) {
		if (!r)
			abort();
		probe(r);
		registry_free(r);
	} else if (r || rc > 0 || strncmp(err, "fuzz.csv", 8) != 0) {
		abort();
	}
	free(buf);
	return 0;
}
