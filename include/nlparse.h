/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nlparse: the replies of one sock_diag dump -> socket rows, below netlink.c.
 *
 * The record/replay seam: it works on a buffer as received, so that unit tests
 * and the fuzzer feed it synthetic or recorded messages without a kernel.
 * Every message length is checked before libmnl walks the buffer, every
 * attribute we use is validated and unknown ones are skipped (a newer kernel
 * cannot break it), and the error carried inside NLMSG_DONE counts, which
 * libmnl's default callback ignores. Rows in a state that is not listening
 * are dropped; packet_diag rows are read by packet.h.
 */
#ifndef CHECK_LISTENERS_NLPARSE_H
#define CHECK_LISTENERS_NLPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "inventory.h"

/* The states that mean "listening" for proto (enum proto), as a mask of
 * 1 << TCP_state: the request's idiag_states, and the filter for the rows
 * that come back. TCP and SCTP listen, UDP and UDP-Lite are unconnected
 * (CLOSE), a raw socket receives in every state; 0 for packet sockets,
 * whose dump has no states. */
uint32_t nl_listen_states(unsigned proto);

/* One buffer as received from the kernel for a dump of proto (enum proto)
 * sent with seq to portid. Adds each socket row to inv, tagged with netns.
 * Rows are SOCK_DIAG_BY_FAMILY messages, or for TCP also TCPDIAG_GETSOCK (the
 * reply to the request for both families at once); other types are skipped.
 * Returns 1 when more messages are expected, 0 at NLMSG_DONE, -errno on an
 * error (NLMSG_ERROR, NLMSG_DONE carrying an error such as -ENOENT, a
 * truncated message or attribute: -EBADMSG, a wrong seq/portid). Interface
 * names are not resolved here: fixups (NULL allowed) counts the rows added
 * that need a device name or, from kernels before 4.2, a v6only default. */
int nl_parse(const void *buf, size_t len, uint32_t seq, uint32_t portid,
		unsigned proto, uint32_t netns, struct inventory *inv, size_t *fixups);

#endif
