/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the config loader from memory (config_load_string).
 * Invariants: no crash, no leak, no sanitizer report; 0 exactly when there
 * is no message; on failure the caller's policy is left unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors errs;
	struct policy pol;
	char *text = malloc(size + 1);
	int rc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	policy_init(&pol);
	rc = config_load_string(text, &pol, &errs);
	if ((rc == 0) != (errs.n == 0))
		abort();
	if (rc != 0 && (pol.nrules != 0 || pol.rules))
		abort();
	for (size_t i = 0; i < errs.n; i++)
		if (!errs.msg[i] || strncmp(errs.msg[i], "<string>", 8) != 0)
			abort();
	config_errors_free(&errs);
	policy_free(&pol);
	free(text);
	return 0;
}
