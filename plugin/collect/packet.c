/* SPDX-License-Identifier: GPL-3.0-or-later */
/* packet: packet_diag reply payloads. Pure: plain buffers,
 * no libmnl (the netlink module runs the dump and checks the framing). */
#include "packet.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/packet_diag.h>
#include <string.h>
#include <sys/socket.h>

#ifndef BPF_MAXINSNS
#define BPF_MAXINSNS 4096
#endif

const char *packet_type_name(uint8_t type)
{
	if (type == SOCK_RAW)
		return "raw";
	if (type == SOCK_DGRAM)
		return "dgram";
	return "?";
}

const char *packet_filter_name(enum pkt_filter f)
{
	static const char *const names[PKT_FILTER_COUNT] = {
		[PKT_FILTER_NONE] = "none",
		[PKT_FILTER_CLASSIC] = "classic",
		[PKT_FILTER_WITHHELD] = "withheld",
	};

	return (unsigned)f < PKT_FILTER_COUNT ? names[f] : "?";
}

/* ---- the reply ---- */

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* One attribute (type without the nested/byte-order flags, payload). */
static int put_attr(struct packet_row *out, unsigned type, const unsigned char *p,
		size_t n, bool *have_info, bool *have_uid)
{
	uint32_t v;

	switch (type) {
	case PACKET_DIAG_INFO:
		if (n < sizeof(struct packet_diag_info))
			return -EBADMSG;
		out->ifindex = get_u32(p + offsetof(struct packet_diag_info, pdi_index));
		*have_info = true;
		return 0;
	case PACKET_DIAG_UID:
		if (n != sizeof(uint32_t))
			return -EBADMSG;
		out->uid = get_u32(p);
		*have_uid = true;
		return 0;
	case PACKET_DIAG_FANOUT:
		if (n != sizeof(uint32_t))
			return -EBADMSG;
		v = get_u32(p);         /* id | (mode | flags) << 16 */
		out->fanout = true;
		out->fanout_id = (uint16_t)(v & 0xffff);
		out->fanout_mode = (uint8_t)(v >> 16 & 0xff);
		return 0;
	case PACKET_DIAG_RX_RING:
	case PACKET_DIAG_TX_RING:
		if (n < sizeof(struct packet_diag_ring))
			return -EBADMSG;
		*(type == PACKET_DIAG_RX_RING ? &out->rx_ring : &out->tx_ring) = true;
		return 0;
	case PACKET_DIAG_FILTER:
		/* sock_diag_put_filterinfo(): an empty attribute when the reader
		 * may not see filters, else the program itself. */
		if (n == 0) {
			out->filter = PKT_FILTER_WITHHELD;
			out->filter_len = 0;
			return 0;
		}
		if (n % sizeof(struct sock_filter) || n / sizeof(struct sock_filter) > BPF_MAXINSNS)
			return -EBADMSG;
		out->filter = PKT_FILTER_CLASSIC;
		out->filter_len = (uint16_t)(n / sizeof(struct sock_filter));
		return 0;
	default:
		return 0;       /* MCLIST, MEMINFO, and types newer than our headers */
	}
}

int packet_parse(const void *payload, size_t len, struct packet_row *out)
{
	const unsigned char *p = payload;
	struct packet_diag_msg m;
	bool have_info = false, have_uid = false;
	size_t off = NLMSG_ALIGN(sizeof(m));

	if (!p || len < sizeof(m))
		return -EBADMSG;
	memcpy(&m, p, sizeof(m));
	if (m.pdiag_family != AF_PACKET)
		return 1;
	memset(out, 0, sizeof(*out));
	out->type = m.pdiag_type;
	out->protocol = m.pdiag_num;    /* ntohs(po->num): host order already */
	out->inode = m.pdiag_ino;
	out->cookie = (uint64_t)m.pdiag_cookie[1] << 32 | m.pdiag_cookie[0];
	out->filter = PKT_FILTER_NONE;
	if (off > len)
		off = len;
	while (off < len) {
		struct nlattr a;
		size_t alen, step;
		int rc;

		if (len - off < sizeof(a))
			return -EBADMSG;
		memcpy(&a, p + off, sizeof(a));
		alen = a.nla_len;
		if (alen < NLA_HDRLEN || alen > len - off)
			return -EBADMSG;
		rc = put_attr(out, a.nla_type & NLA_TYPE_MASK, p + off + NLA_HDRLEN,
			alen - NLA_HDRLEN, &have_info, &have_uid);
		if (rc < 0)
			return rc;
		step = NLA_ALIGN(alen);
		off = step < len - off ? off + step : len;
	}
	return have_info && have_uid ? 0 : -EBADMSG;
}

void packet_to_sock(const struct packet_row *r, uint32_t netns, struct sock *out)
{
	memset(out, 0, sizeof(*out));
	out->proto = PROTO_PACKET;
	out->family = AF_PACKET;
	out->v6only = -1;
	out->port = r->protocol;
	out->ifindex = r->ifindex;
	out->uid = r->uid;
	out->inode = r->inode;
	out->netns = netns;
	out->cookie = r->cookie;
	out->pkt = (struct sock_packet){
		.type = r->type, .filter = r->filter, .filter_len = r->filter_len,
		.fanout_id = r->fanout_id, .fanout_mode = r->fanout_mode,
		.flags = (uint8_t)((r->fanout ? SP_FANOUT : 0) | (r->rx_ring ? SP_RX_RING : 0) |
			(r->tx_ring ? SP_TX_RING : 0)),
	};
}
