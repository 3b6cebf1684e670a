/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vsock: whether the kernel has AF_VSOCK sockets (vsock.h). */
#include "vsock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define PROTOCOLS_MAX   (1u << 20)

bool vsock_in_protocols(const char *text, size_t len)
{
	static const char name[] = "AF_VSOCK ";
	const char *p = text, *end = text + len;

	while (p && (size_t)(end - p) >= sizeof(name) - 1) {
		const char *nl;

		if (memcmp(p, name, sizeof(name) - 1) == 0)
			return true;
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

int vsock_note(struct inventory *inv, const char *proc_root)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	bool present;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/thread-self/net/protocols", proc_root) >= sizeof(path))
		rc = -ENAMETOOLONG;
	else
		rc = util_read_file(path, PROTOCOLS_MAX, &text, &len);
	if (rc == -ENOMEM)
		return rc;
	if (rc < 0)
		return inv_note(inv, "vsock: /proc/net/protocols unreadable (%s): whether this kernel has "
			"vsock sockets is not known, and vsock listeners are not checked", strerror(-rc));
	present = vsock_in_protocols(text, len);
	free(text);
	if (!present)
		return 0;
	return inv_note(inv, "vsock: this kernel has AF_VSOCK sockets, which check_listeners does not "
		"enumerate yet: vsock listeners (reachable from guests or from the host) are not checked");
}
