// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GSO/offload checks over plain structs: the SKB_GSO_* bits of the dumped
 * kernel (read from its BTF: the values moved in 4.14, see REFERENCE.md) and
 * the finding rules.  Each rule has a stable id (docs/report-schema.md) and
 * says in its message why it matters.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

/* ip_summed values (include/linux/skbuff.h, unchanged since 2.6). */
#define CHECKSUM_NONE 0
#define CHECKSUM_UNNECESSARY 1
#define CHECKSUM_COMPLETE 2
#define CHECKSUM_PARTIAL 3
/* include/uapi/linux/if_arp.h: the loopback device's dev->type (a user ABI value) */
#define ARPHRD_LOOPBACK_ 772

const char *finding_severity_name(enum finding_severity s)
{
	switch (s) {
	case SEV_ERROR: return "error";
	case SEV_WARNING: return "warning";
	default: return "info";
	}
}

void findings_add(struct finding_list *fl, const char *id, enum finding_severity sev, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (fl->n >= SKB_MAX_FINDINGS)
		return;
	f = &fl->f[fl->n++];
	f->id = id;
	f->severity = sev;
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

bool findings_has(const struct finding_list *fl, const char *id)
{
	for (int i = 0; i < fl->n; i++)
		if (!strcmp(fl->f[i].id, id))
			return true;
	return false;
}

int findings_count(const struct finding_list *fl, enum finding_severity sev)
{
	int n = 0;

	for (int i = 0; i < fl->n; i++)
		n += fl->f[i].severity == sev;
	return n;
}

/* ---------------------------------------------------------------- names */

uint64_t gso_bit(const struct gso_names *g, const char *name)
{
	for (int i = 0; g && i < g->n; i++)
		if (!strcmp(g->e[i].name, name))
			return g->e[i].value;
	return 0;
}

int gso_decode(const struct gso_names *g, uint64_t type, const char **names, int max, uint64_t *unknown)
{
	int n = 0;
	uint64_t left = type;

	for (int i = 0; g && i < g->n; i++) {
		if (!(type & g->e[i].value))
			continue;
		left &= ~g->e[i].value;
		if (n < max)
			names[n] = g->e[i].name;
		n++;
	}
	if (unknown)
		*unknown = left;
	return n < max ? n : max;
}

/* ---------------------------------------------------------------- header views */

struct l3 {
	int ver;		/* 4, 6, 0 unknown */
	uint8_t proto;		/* upper-layer protocol */
	uint16_t tot_len;	/* IPv4 tot_len / IPv6 payload_len + 40 */
	uint32_t hlen;
};

static bool hdr_set(uint16_t off)
{
	return off != SKB_HDR_UNSET;
}

/* The IP header at a head offset, if it lies in the linear bytes we have. */
static bool l3_at(const struct gso_check_input *in, uint16_t off, struct l3 *ret)
{
	struct proto_stack ps;

	memset(ret, 0, sizeof(*ret));
	if (!hdr_set(off) || !in->linear || off >= in->linear_len)
		return false;
	proto_parse(in->linear + off, in->linear_len - off, PROTO_KIND_MAX, &ps);
	if (ps.n < 1 || ps.l[0].hlen == 0)
		return false;
	if (ps.l[0].kind == PROTO_IPV4) {
		ret->ver = 4;
		ret->proto = ps.l[0].u.ip4.proto;
		ret->tot_len = ps.l[0].u.ip4.tot_len;
	} else if (ps.l[0].kind == PROTO_IPV6) {
		ret->ver = 6;
		ret->proto = ps.l[0].u.ip6.upper;
		ret->tot_len = (uint16_t)(ps.l[0].u.ip6.plen + 40);
	} else {
		return false;
	}
	ret->hlen = ps.l[0].hlen;
	return true;
}

/* Length of the L4 header at off: TCP data offset, 8 for UDP; 0 if unreadable. */
static uint32_t l4_hlen(const struct gso_check_input *in, uint16_t off, uint8_t proto)
{
	if (!hdr_set(off) || !in->linear)
		return 0;
	if (proto == 6 && (uint32_t)off + 20 <= in->linear_len)
		return (uint32_t)(in->linear[off + 12] >> 4) * 4;
	if (proto == 17 && (uint32_t)off + 8 <= in->linear_len)
		return 8;
	return 0;
}

static const char *ipproto_name(uint8_t p)
{
	switch (p) {
	case 6: return "TCP";
	case 17: return "UDP";
	case 47: return "GRE";
	case 4: return "IPv4 (IPIP)";
	case 41: return "IPv6 (SIT)";
	case 1: return "ICMP";
	case 58: return "ICMPv6";
	case 132: return "SCTP";
	case 50: return "ESP";
	default: return "another protocol";
	}
}

/* ---------------------------------------------------------------- rules */

static const char *const tunnel_bits[] = {
	"SKB_GSO_GRE", "SKB_GSO_GRE_CSUM", "SKB_GSO_IPXIP4", "SKB_GSO_IPXIP6", "SKB_GSO_UDP_TUNNEL",
	"SKB_GSO_UDP_TUNNEL_CSUM", "SKB_GSO_IPIP", "SKB_GSO_SIT", "SKB_GSO_TUNNEL_REMCSUM",
};

static uint64_t tunnel_mask(const struct gso_names *g)
{
	uint64_t m = 0;

	for (size_t i = 0; i < sizeof(tunnel_bits) / sizeof(tunnel_bits[0]); i++)
		m |= gso_bit(g, tunnel_bits[i]);
	return m;
}

static void names_of(const struct gso_names *g, uint64_t bits, char *buf, size_t n)
{
	const char *names[GSO_MAX_NAMES];
	int k = gso_decode(g, bits, names, GSO_MAX_NAMES, NULL);
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < k && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%s%s", i ? "|" : "", names[i]);
}

static void rule_gso_meta(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;

	if (f->gso_type && !f->gso_size)
		findings_add(fl, "gso-type-without-size", SEV_WARNING,
			     "gso_type is 0x%x but gso_size is 0: skb_is_gso() is false, so the type bits are stale "
			     "metadata that a later path may trust", f->gso_type);
	if (f->gso_size && !f->gso_type)
		findings_add(fl, "gso-size-without-type", SEV_ERROR,
			     "gso_size is %u but gso_type is 0: the skb is GSO yet names no protocol, so segmentation "
			     "(skb_mac_gso_segment) has no handler and the packet is dropped or mis-segmented", f->gso_size);
}

static void rule_tunnel_encap(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	uint64_t tun = f->gso_type & tunnel_mask(in->names);
	char names[256];

	if (!f->gso_size)
		return;
	names_of(in->names, tun, names, sizeof(names));
	if (tun && !f->encapsulation)
		findings_add(fl, "gso-tunnel-without-encapsulation", SEV_ERROR,
			     "gso_type has tunnel bit(s) %s but skb->encapsulation is 0: the tunnel GSO handlers "
			     "(e.g. skb_udp_tunnel_segment) then use inner header offsets that were never set",
			     names);
	if (!tun && f->encapsulation)
		findings_add(fl, "encapsulation-without-tunnel-gso", SEV_WARNING,
			     "skb->encapsulation is 1 on a GSO skb whose gso_type has no tunnel bit: segmentation "
			     "will treat it as plain TCP/UDP while checksum offload uses the inner headers");
}

static void rule_inner_equals_outer(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	bool tunnel = f->encapsulation || (f->gso_size && (f->gso_type & tunnel_mask(in->names)));
	char which[256];
	size_t o = 0;

	if (!tunnel)
		return;	/* without a tunnel the inner offsets are unused leftovers */
	which[0] = 0;
	if (hdr_set(f->network_header) && f->inner_network_header == f->network_header)
		o += (size_t)snprintf(which + o, sizeof(which) - o, "inner_network_header == network_header (%u)",
				      f->network_header);
	/*
	 * Without the network header equal there is an inner packet: equal
	 * transport offsets alone are normal for IP-in-IP (SIT/IPIP/ip6tnl
	 * push an outer IP header and no L4 one, so transport_header still
	 * points at the inner TCP: tx-sit-tcp6, 288 both), and equal MAC
	 * offsets alone on transmit through a UDP tunnel (mac_header still on
	 * the inner frame until the outer Ethernet header is pushed:
	 * tx-vxlan-tcp, 254 both).
	 */
	if (!o)
		return;
	if (hdr_set(f->transport_header) && f->inner_transport_header == f->transport_header && o < sizeof(which))
		o += (size_t)snprintf(which + o, sizeof(which) - o, ", inner_transport_header == transport_header (%u)",
				      f->transport_header);
	if (f->inner_mac_header == f->mac_header && hdr_set(f->mac_header) && o < sizeof(which))
		snprintf(which + o, sizeof(which) - o, ", inner_mac_header == mac_header (%u)", f->mac_header);
	findings_add(fl, "inner-headers-equal-outer", SEV_ERROR,
		     "the skb claims a tunnel but %s: there is no inner packet where the offsets point, so tunnel "
		     "segmentation and checksum offload work on the outer headers as if they were inner ones", which);
}

static void rule_zero_mac(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	const uint8_t *m;

	if (!hdr_set(f->mac_header) || !in->linear || (uint32_t)f->mac_header + 14 > in->linear_len)
		return;
	if (in->dev_type == ARPHRD_LOOPBACK_)
		return;	/* loopback_xmit() never fills the addresses in */
	if (hdr_set(f->network_header) && f->mac_header + 14u > f->network_header)
		return;	/* not an Ethernet header before the network header */
	m = in->linear + f->mac_header;
	for (int i = 0; i < 12; i++)
		if (m[i])
			return;
	findings_add(fl, "zero-mac-addresses", SEV_WARNING,
		     "the Ethernet header has all-zero source and destination addresses: normal only on loopback; "
		     "elsewhere the header was never filled in or was overwritten");
}

static void rule_dodgy(const struct gso_check_input *in, struct finding_list *fl)
{
	uint64_t dodgy = gso_bit(in->names, "SKB_GSO_DODGY");

	if (dodgy && (in->f->gso_type & dodgy))
		findings_add(fl, "gso-dodgy", SEV_WARNING,
			     "SKB_GSO_DODGY: the GSO metadata came from an untrusted source (virtio-net, tap, packet "
			     "socket) and the kernel must re-validate it before segmenting");
}

struct view {
	bool use_inner;
	struct l3 l3;
	bool have_l3;
	uint16_t l3_off, l4_off;
};

/* The headers GSO segments on: inner ones for a tunnel GSO skb with encapsulation. */
static void gso_view(const struct gso_check_input *in, struct view *v)
{
	const struct skb_fields *f = in->f;

	memset(v, 0, sizeof(*v));
	v->use_inner = f->encapsulation && (f->gso_type & tunnel_mask(in->names));
	v->l3_off = v->use_inner ? f->inner_network_header : f->network_header;
	v->l4_off = v->use_inner ? f->inner_transport_header : f->transport_header;
	v->have_l3 = l3_at(in, v->l3_off, &v->l3);
}

static void rule_type_vs_headers(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	const struct gso_names *g = in->names;
	uint64_t tcp4 = gso_bit(g, "SKB_GSO_TCPV4"), tcp6 = gso_bit(g, "SKB_GSO_TCPV6");
	uint64_t udpl4 = gso_bit(g, "SKB_GSO_UDP_L4"), udp = gso_bit(g, "SKB_GSO_UDP");
	uint64_t esp = gso_bit(g, "SKB_GSO_ESP");
	struct view v;
	struct l3 outer;
	bool have_outer;
	const char *which;

	if (!f->gso_size || !f->gso_type)
		return;
	gso_view(in, &v);
	which = v.use_inner ? "inner" : "outer";
	/*
	 * IPsec GSO (SKB_GSO_ESP, 4.11+): the transport bits describe the packet
	 * inside the ESP payload, which is encrypted; the headers show ESP.
	 */
	if (v.have_l3 && esp && (f->gso_type & esp) && v.l3.proto == 50) {
		/* nothing to compare the transport bits with */
	} else if (v.have_l3) {
		if (tcp4 && (f->gso_type & tcp4) && (v.l3.ver != 4 || v.l3.proto != 6))
			findings_add(fl, "gso-type-mismatch-headers", SEV_ERROR,
				     "gso_type has SKB_GSO_TCPV4 but the %s headers are IPv%d/%s: tcp4_gso_segment "
				     "would segment a packet that is not TCP over IPv4", which, v.l3.ver,
				     ipproto_name(v.l3.proto));
		if (tcp6 && (f->gso_type & tcp6) && (v.l3.ver != 6 || v.l3.proto != 6))
			findings_add(fl, "gso-type-mismatch-headers", SEV_ERROR,
				     "gso_type has SKB_GSO_TCPV6 but the %s headers are IPv%d/%s: tcp6_gso_segment "
				     "would segment a packet that is not TCP over IPv6", which, v.l3.ver,
				     ipproto_name(v.l3.proto));
		if (((udpl4 && (f->gso_type & udpl4)) || (udp && (f->gso_type & udp))) && v.l3.proto != 17)
			findings_add(fl, "gso-type-mismatch-headers", SEV_ERROR,
				     "gso_type asks for UDP segmentation but the %s transport protocol is %s", which,
				     ipproto_name(v.l3.proto));
	} else if (hdr_set(v.l3_off)) {
		findings_add(fl, "gso-headers-unreadable", SEV_WARNING,
			     "the %s network header at offset %u is not an IPv4/IPv6 header in the linear data, so "
			     "gso_type cannot be checked against it", which, v.l3_off);
	}

	/* Tunnel bits against what the outer headers show. */
	have_outer = l3_at(in, f->network_header, &outer);
	if (!have_outer)
		return;
	{
		uint64_t udp_tun = gso_bit(g, "SKB_GSO_UDP_TUNNEL") | gso_bit(g, "SKB_GSO_UDP_TUNNEL_CSUM");
		uint64_t gre = gso_bit(g, "SKB_GSO_GRE") | gso_bit(g, "SKB_GSO_GRE_CSUM");
		/*
		 * Before 4.7 the IP-in-IP bits were SKB_GSO_IPIP (IPv4 in IPv4) and
		 * SKB_GSO_SIT (IPv6 in IPv4, the sit device): both have an outer
		 * IPv4 header.  4.7 named them by the outer header instead:
		 * SKB_GSO_IPXIP4 (sit and ipip use it since) and SKB_GSO_IPXIP6
		 * (ip6_tunnel).  The kernel's own enum says which names it has.
		 */
		uint64_t ipx4 = gso_bit(g, "SKB_GSO_IPXIP4") | gso_bit(g, "SKB_GSO_IPIP") | gso_bit(g, "SKB_GSO_SIT");
		uint64_t ipx6 = gso_bit(g, "SKB_GSO_IPXIP6");

		/*
		 * FOU and GUE put GRE or IP-in-IP inside UDP: the GRE/IPXIP bits then
		 * come with a UDP tunnel bit (fou_build_header) and the outer header
		 * shows UDP, not the inner tunnel's protocol.
		 */
		bool in_udp = (f->gso_type & udp_tun) && outer.proto == 17;

		if ((f->gso_type & udp_tun) && outer.proto != 17)
			findings_add(fl, "gso-tunnel-not-in-headers", SEV_ERROR,
				     "gso_type says UDP tunnel but the outer transport protocol is %s, not UDP: there "
				     "is no UDP tunnel header to segment around", ipproto_name(outer.proto));
		if (in_udp)
			return;
		if ((f->gso_type & gre) && outer.proto != 47)
			findings_add(fl, "gso-tunnel-not-in-headers", SEV_ERROR,
				     "gso_type says GRE but the outer IP protocol is %s, not GRE",
				     ipproto_name(outer.proto));
		/* IPXIP4: outer IPv4 carrying IP; IPXIP6: outer IPv6 carrying IP (skbuff.h). */
		if ((f->gso_type & ipx4) && (outer.ver != 4 || (outer.proto != 4 && outer.proto != 41)))
			findings_add(fl, "gso-tunnel-not-in-headers", SEV_ERROR,
				     "gso_type says IP-in-IPv4 but the outer header is IPv%d carrying %s", outer.ver,
				     ipproto_name(outer.proto));
		if ((f->gso_type & ipx6) && (outer.ver != 6 || (outer.proto != 4 && outer.proto != 41)))
			findings_add(fl, "gso-tunnel-not-in-headers", SEV_ERROR,
				     "gso_type says IP-in-IPv6 but the outer header is IPv%d carrying %s", outer.ver,
				     ipproto_name(outer.proto));
	}
}

static void rule_gso_segs(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	struct view v;
	uint32_t l4, hdr_end, data_off, payload, want;

	if (!f->gso_size || !f->gso_type)
		return;
	gso_view(in, &v);
	if (!v.have_l3 || !hdr_set(v.l4_off))
		return;
	l4 = l4_hlen(in, v.l4_off, v.l3.proto);
	data_off = (uint32_t)(f->data - f->head);
	if (!l4 || f->data < f->head)
		return;
	/* The packet ends at data + len, whether data is before the headers (tx) or pulled past them (rx). */
	hdr_end = (uint32_t)v.l4_off + l4;
	if (hdr_end > data_off + (uint64_t)f->len)
		return;
	payload = data_off + f->len - hdr_end;
	want = (payload + f->gso_size - 1) / f->gso_size;
	if (f->gso_segs == want)
		return;
	if (f->gso_segs == 0)
		findings_add(fl, "gso-segs-mismatch", SEV_WARNING,
			     "gso_segs is 0 on a GSO skb; DIV_ROUND_UP(payload %u, gso_size %u) is %u: qdisc and "
			     "driver accounting that trusts gso_segs sees no segments", payload, f->gso_size, want);
	else
		findings_add(fl, "gso-segs-mismatch", SEV_WARNING,
			     "gso_segs is %u but DIV_ROUND_UP(payload %u, gso_size %u) is %u: segment accounting "
			     "disagrees with the data", f->gso_segs, payload, f->gso_size, want);
}

static void rule_ip_len(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	struct l3 l3;
	uint32_t data_off, from_l3;

	if (!l3_at(in, f->network_header, &l3) || f->data < f->head)
		return;
	data_off = (uint32_t)(f->data - f->head);
	if (f->network_header > data_off + (uint64_t)f->len)
		return;
	from_l3 = data_off + f->len - f->network_header;
	if (l3.tot_len == from_l3)
		return;
	/* BIG TCP: IPv4 tot_len 0 (6.3+), IPv6 payload_len 0 (5.19+) on a super-packet above 64 KiB */
	if (f->gso_size && from_l3 > 0xffff && l3.tot_len == (l3.ver == 4 ? 0 : 40))
		return;
	/*
	 * A received frame shorter than the Ethernet minimum comes with the
	 * sender's padding (ETH_ZLEN 60, 64 with an 802.1Q tag) until ip_rcv()
	 * trims it to tot_len: a small packet in a softnet queue is longer than
	 * its IP header says, and that is normal.
	 */
	if (l3.tot_len < from_l3 && hdr_set(f->mac_header) && f->mac_header < f->network_header &&
	    from_l3 + (uint32_t)(f->network_header - f->mac_header) <= 64)
		return;
	if (f->gso_size)
		findings_add(fl, "ip-length-mismatch", SEV_WARNING,
			     "the outer IP header says %u bytes but the skb holds %u from the network header: GSO "
			     "rewrites lengths per segment, but a super-packet whose header disagrees with skb->len "
			     "points at a length edit that missed one of them", l3.tot_len, from_l3);
	else
		findings_add(fl, "ip-length-mismatch", SEV_ERROR,
			     "the IP header says %u bytes but the skb holds %u from the network header: the packet "
			     "would be trimmed or dropped as truncated", l3.tot_len, from_l3);
}

static void rule_offsets(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	static const char *const names[] = { "mac_header", "network_header", "transport_header",
		"inner_mac_header", "inner_network_header", "inner_transport_header" };
	uint16_t offs[6] = { f->mac_header, f->network_header, f->transport_header, f->inner_mac_header,
		f->inner_network_header, f->inner_transport_header };

	for (int i = 0; i < 6; i++) {
		if (!hdr_set(offs[i]))
			continue;
		if (offs[i] > f->end)
			findings_add(fl, "header-offset-out-of-bounds", SEV_ERROR,
				     "%s is %u, past the end of the buffer (end %u): reading that header reads "
				     "skb_shared_info or the next object", names[i], offs[i], f->end);
		else if (offs[i] > f->tail && (i < 3 || f->encapsulation))
			findings_add(fl, "header-offset-out-of-bounds", SEV_WARNING,
				     "%s is %u, beyond the linear data (tail %u): headers must be in the linear "
				     "part for the stack to read them", names[i], offs[i], f->tail);
	}
	if (hdr_set(f->network_header) && hdr_set(f->transport_header) && f->transport_header < f->network_header)
		findings_add(fl, "header-order", SEV_WARNING,
			     "transport_header (%u) lies before network_header (%u)", f->transport_header,
			     f->network_header);
	if (hdr_set(f->mac_header) && hdr_set(f->network_header) && f->mac_header > f->network_header)
		findings_add(fl, "mac-after-network", SEV_INFO,
			     "mac_header (%u) lies after network_header (%u): on transmit through a tunnel it still "
			     "points at the inner frame, so the packet is written from the network header",
			     f->mac_header, f->network_header);
}

static void rule_csum(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;
	uint32_t data_off, field_end, headlen, first;

	if (f->ip_summed != CHECKSUM_PARTIAL || f->data < f->head)
		return;
	data_off = (uint32_t)(f->data - f->head);
	field_end = (uint32_t)f->csum_start + f->csum_offset + 2;
	headlen = f->len - f->data_len;
	/*
	 * The packet starts at its first header: a received skb keeps
	 * CHECKSUM_PARTIAL from a local sender (veth) while the stack pulls data
	 * past the headers (ip_rcv, tcp_v4_rcv), so csum_start may lie before data.
	 */
	first = data_off;
	if (hdr_set(f->network_header) && f->network_header < first)
		first = f->network_header;
	if (hdr_set(f->mac_header) && f->mac_header < first)
		first = f->mac_header;
	if (f->csum_start < first || field_end > data_off + f->len)
		findings_add(fl, "csum-partial-out-of-bounds", SEV_ERROR,
			     "CHECKSUM_PARTIAL with csum_start %u + csum_offset %u outside the packet (headers from "
			     "%u, data at %u, len %u): the device or skb_checksum_help() writes the checksum outside "
			     "the packet", f->csum_start, f->csum_offset, first, data_off, f->len);
	else if (f->csum_start >= data_off && field_end > data_off + headlen)
		findings_add(fl, "csum-partial-out-of-bounds", SEV_WARNING,
			     "CHECKSUM_PARTIAL checksum field (csum_start %u + csum_offset %u) lies beyond the linear "
			     "part (headlen %u): skb_checksum_help() refuses it", f->csum_start, f->csum_offset, headlen);
}

static void rule_frags(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_fields *f = in->f;

	if (in->max_frags && f->nr_frags > in->max_frags)
		findings_add(fl, "too-many-frags", SEV_ERROR,
			     "nr_frags is %u, above MAX_SKB_FRAGS (%u) of this kernel: the frags array overflows "
			     "into whatever follows skb_shared_info", f->nr_frags, in->max_frags);
	if (f->len < f->data_len)
		findings_add(fl, "len-below-data-len", SEV_ERROR, "len %u is below data_len %u: headlen underflows",
			     f->len, f->data_len);
	if (in->frag_bytes_known && in->frag_bytes != f->data_len)
		findings_add(fl, "data-len-mismatch", SEV_ERROR,
			     "data_len is %u but the page frags and frag_list hold %u bytes: the packet length "
			     "and its data disagree", f->data_len, in->frag_bytes);
}

static void rule_packet(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_packet *p = in->pkt;
	const struct skb_fields *f = in->f;

	if (!p)
		return;
	if (!p->complete)
		findings_add(fl, "packet-incomplete", SEV_WARNING,
			     "%u byte(s) of the packet are in pages missing from the dump (%d range(s)); the pcap "
			     "holds the rest and the report lists the holes", p->missing_bytes, p->nmissing);
	if (p->vlan_inserted)
		findings_add(fl, "vlan-tag-from-metadata", SEV_INFO,
			     "the VLAN tag (vlan_proto 0x%04x, tci 0x%04x) was held in skb metadata "
			     "(hardware acceleration) and was put back into the frame", f->vlan_proto, f->vlan_tci);
}

/*
 * A TCP/UDP payload that begins like an IPv4 header: not a tunnel (the
 * headers say TCP), but worth saying, since it is what makes such a packet
 * look like IPIP in a hex dump (the seed case).
 */
static void rule_payload_ip(const struct gso_check_input *in, struct finding_list *fl)
{
	const struct skb_packet *p = in->pkt;
	struct proto_stack ps;
	const struct proto_layer *last;

	if (!p || !p->bytes || p->l3_off == UINT32_MAX || p->l3_off >= p->len)
		return;
	proto_parse(p->bytes + p->l3_off, p->len - p->l3_off, PROTO_KIND_MAX, &ps);
	if (ps.n < 2)
		return;
	last = &ps.l[ps.n - 1];
	if ((last->kind != PROTO_TCP && last->kind != PROTO_UDP) || last->truncated)
		return;
	if (ps.payload_off + 20 <= p->len - p->l3_off) {
		struct proto_stack inner;

		proto_parse(p->bytes + p->l3_off + ps.payload_off, p->len - p->l3_off - ps.payload_off, PROTO_IPV4,
			    &inner);
		if (inner.n >= 1 && inner.l[0].kind == PROTO_IPV4 && inner.l[0].hlen && inner.l[0].u.ip4.csum_ok)
			findings_add(fl, "payload-looks-like-ip", SEV_INFO,
				     "the %s payload begins with a valid IPv4 header (protocol %u): that is data "
				     "carried by %s, not a tunnel header the skb metadata describes",
				     proto_kind_name(last->kind), inner.l[0].u.ip4.proto, proto_kind_name(last->kind));
	}
}

bool skb_headers_set(const struct skb_fields *f)
{
	uint32_t data_off = f->data >= f->head ? (uint32_t)(f->data - f->head) : 0;

	if (f->network_header == SKB_HDR_UNSET)
		return false;
	return !(f->network_header < data_off && f->mac_header == SKB_HDR_UNSET &&
		 f->transport_header == SKB_HDR_UNSET);
}

void gso_check(const struct gso_check_input *in, struct finding_list *fl)
{
	if (!skb_headers_set(in->f)) {
		findings_add(fl, "headers-not-set", SEV_INFO,
			     "no network header is set (network_header %u, mac and transport unset): the skb holds "
			     "payload only, as in a socket's write queue, so header and GSO checks do not apply and "
			     "it is not written to the pcap", in->f->network_header);
		rule_frags(in, fl);
		rule_packet(in, fl);
		return;
	}
	rule_gso_meta(in, fl);
	rule_tunnel_encap(in, fl);
	rule_inner_equals_outer(in, fl);
	rule_type_vs_headers(in, fl);
	rule_gso_segs(in, fl);
	rule_dodgy(in, fl);
	rule_zero_mac(in, fl);
	rule_ip_len(in, fl);
	rule_offsets(in, fl);
	rule_csum(in, fl);
	rule_frags(in, fl);
	rule_packet(in, fl);
	rule_payload_ip(in, fl);
}
