// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --segment: the wire segments software GSO would make of a GSO packet, as
 * tcp_gso_segment/inet_gso_segment/skb_udp_tunnel_segment would write them:
 * every header copied, IPv4 tot_len/id/header checksum and IPv6 payload
 * length per segment, TCP seq advanced by gso_size, FIN/PSH only on the last
 * segment and CWR only on the first, TCP checksum complete, UDP tunnel length
 * per segment and its checksum with SKB_GSO_UDP_TUNNEL_CSUM (or over IPv6).
 *
 * Handled: TCP over IPv4/IPv6, plain or inside UDP tunnels (VXLAN, GENEVE)
 * and IP-in-IP/GRE where the parsed headers show the way to the TCP header.
 * Anything else (UDP_L4, SCTP, ESP, incomplete packets) is refused with a reason.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

#define SEG_MAX 4096		/* a 512 KiB BIG TCP packet at gso_size 128 */

static uint16_t l4_csum(const uint8_t *pkt, const struct proto_layer *ip, uint32_t l4_off, uint32_t l4_len,
			uint8_t proto)
{
	uint32_t sum = 0;
	uint8_t ph[40];

	if (ip->kind == PROTO_IPV4) {
		memcpy(ph, ip->u.ip4.src, 4);
		memcpy(ph + 4, ip->u.ip4.dst, 4);
		ph[8] = 0;
		ph[9] = proto;
		st_be16(ph + 10, (uint16_t)l4_len);
		sum = proto_csum_add(0, ph, 12);
	} else {
		memcpy(ph, ip->u.ip6.src, 16);
		memcpy(ph + 16, ip->u.ip6.dst, 16);
		st_be32(ph + 32, l4_len);
		ph[36] = ph[37] = ph[38] = 0;
		ph[39] = proto;
		sum = proto_csum_add(0, ph, 40);
	}
	return (uint16_t)~proto_csum_add(sum, pkt + l4_off, l4_len);
}

int skb_segment_packet(const struct skb_record *r, const struct gso_names *g, struct skb_segment **ret, int *n,
		       char *why, size_t whylen)
{
	const struct skb_packet *p = &r->pkt;
	const struct proto_stack *ps = &r->layers;
	const struct skb_fields *f = &r->f;
	uint64_t fixedid = gso_bit(g, "SKB_GSO_TCP_FIXEDID"), tun_csum = gso_bit(g, "SKB_GSO_UDP_TUNNEL_CSUM");
	uint32_t hdr_len, payload, nseg, mss = f->gso_size;
	int t = -1;
	struct skb_segment *segs;

	*ret = NULL;
	*n = 0;
	if (!mss || !f->gso_type) {
		snprintf(why, whylen, "not a GSO skb");
		return -1;
	}
	if (!p->bytes || !p->complete || p->from_data) {
		snprintf(why, whylen, "packet incomplete or without headers");
		return -1;
	}
	for (int i = 0; i < ps->n; i++)
		if (ps->l[i].kind == PROTO_TCP)
			t = i;
	if (t < 1 || ps->l[t].truncated || (ps->l[t - 1].kind != PROTO_IPV4 && ps->l[t - 1].kind != PROTO_IPV6)) {
		snprintf(why, whylen, "no TCP header under an IP header: only TCP segmentation is done");
		return -1;
	}
	hdr_len = ps->l[t].off + ps->l[t].hlen;
	if (hdr_len >= p->len) {
		snprintf(why, whylen, "no payload after the headers");
		return -1;
	}
	payload = p->len - hdr_len;
	nseg = (payload + mss - 1) / mss;
	if (nseg > SEG_MAX) {
		snprintf(why, whylen, "%u segments, more than %d", nseg, SEG_MAX);
		return -1;
	}
	segs = calloc(nseg, sizeof(*segs));
	if (!segs) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	for (uint32_t i = 0; i < nseg; i++) {
		uint32_t seglen = payload - i * mss < mss ? payload - i * mss : mss, len = hdr_len + seglen;
		uint8_t *b = malloc(len);

		if (!b) {
			for (uint32_t j = 0; j < i; j++)
				free(segs[j].bytes);
			free(segs);
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		memcpy(b, p->bytes, hdr_len);
		memcpy(b + hdr_len, p->bytes + hdr_len + i * mss, seglen);
		/* Inner to outer, so each checksum covers the final bytes of what it encloses. */
		for (int k = t; k >= 0; k--) {
			const struct proto_layer *l = &ps->l[k];
			uint8_t *h = b + l->off;
			const struct proto_layer *ip = NULL;

			for (int q = k - 1; q >= 0 && !ip; q--)
				if (ps->l[q].kind == PROTO_IPV4 || ps->l[q].kind == PROTO_IPV6)
					ip = &ps->l[q];
			switch (l->kind) {
			case PROTO_TCP: {
				uint32_t seq = l->u.tcp.seq + i * mss;
				uint8_t flags = l->u.tcp.flags;

				if (i + 1 < nseg)
					flags &= (uint8_t)~0x09;	/* FIN, PSH: last segment only */
				if (i > 0)
					flags &= (uint8_t)~0x80;	/* CWR: first segment only */
				st_be32(h + 4, seq);
				h[13] = flags;
				st_be16(h + 16, 0);
				st_be16(h + 16, l4_csum(b, ip, l->off, len - l->off, 6));
				break;
			}
			case PROTO_UDP:
				st_be16(h + 4, (uint16_t)(len - l->off));
				st_be16(h + 6, 0);
				if ((tun_csum && (f->gso_type & tun_csum)) || (ip && ip->kind == PROTO_IPV6) || l->u.udp.check) {
					uint16_t c = l4_csum(b, ip, l->off, len - l->off, 17);

					st_be16(h + 6, c ? c : 0xffff);
				}
				break;
			case PROTO_IPV4: {
				uint16_t c;

				st_be16(h + 2, (uint16_t)(len - l->off));
				if (!(fixedid && (f->gso_type & fixedid)))
					st_be16(h + 4, (uint16_t)(l->u.ip4.id + i));
				st_be16(h + 10, 0);
				c = proto_csum_add(0, h, l->hlen);
				st_be16(h + 10, (uint16_t)~c);
				break;
			}
			case PROTO_IPV6:
				st_be16(h + 4, (uint16_t)(len - l->off - 40));
				break;
			default:
				break;
			}
		}
		segs[i].bytes = b;
		segs[i].len = len;
	}
	*ret = segs;
	*n = (int)nseg;
	return 0;
}

void skb_segments_free(struct skb_segment *s, int n)
{
	for (int i = 0; s && i < n; i++)
		free(s[i].bytes);
	free(s);
}
