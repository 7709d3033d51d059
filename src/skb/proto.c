// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet header parsers: Ethernet, 802.1Q/802.1ad, IPv4, IPv6 (extension
 * headers skipped), TCP, UDP, VXLAN, GENEVE, GRE, and IP-in-IP (IPIP, SIT /
 * IPv6-in-IPv4, IPv4/IPv6-in-IPv6).  Pure functions over a byte buffer: no
 * memory access, every length checked against the bytes available.
 *
 * The parse follows what the headers say and stops at a transport payload:
 * a TCP payload that happens to begin like an IPv4 header (the seed case:
 * IPIP records carried inside a TCP stream) stays payload.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define ETH_P_QINQ1 0x9100
#define ETH_P_TEB 0x6558	/* transparent Ethernet bridging (GRE/GENEVE carrying Ethernet) */

#define VXLAN_PORT 4789
#define VXLAN_PORT_LINUX 8472	/* the Linux default before IANA assigned 4789 */
#define GENEVE_PORT 6081

static const char *const kind_names[PROTO_KIND_MAX] = {
	[PROTO_ETH] = "Ethernet", [PROTO_VLAN] = "VLAN", [PROTO_IPV4] = "IPv4", [PROTO_IPV6] = "IPv6",
	[PROTO_TCP] = "TCP", [PROTO_UDP] = "UDP", [PROTO_VXLAN] = "VXLAN", [PROTO_GENEVE] = "GENEVE",
	[PROTO_GRE] = "GRE", [PROTO_ICMP] = "ICMP", [PROTO_ICMPV6] = "ICMPv6",
};

const char *proto_kind_name(enum proto_kind k)
{
	return k < PROTO_KIND_MAX ? kind_names[k] : "?";
}

uint16_t proto_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

struct parser {
	const uint8_t *p;
	size_t len;
	struct proto_stack *ps;
};

static struct proto_layer *layer_new(struct parser *ps, enum proto_kind kind, size_t off)
{
	struct proto_stack *st = ps->ps;
	struct proto_layer *l;

	if (st->n >= PROTO_MAX_LAYERS) {
		snprintf(st->stop, sizeof(st->stop), "more than %d layers", PROTO_MAX_LAYERS);
		return NULL;
	}
	l = &st->l[st->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->off = (uint32_t)off;
	return l;
}

static void stop_trunc(struct parser *ps, struct proto_layer *l, const char *what)
{
	l->truncated = true;
	ps->ps->truncated = true;
	snprintf(ps->ps->stop, sizeof(ps->ps->stop), "%s header truncated", what);
}

enum next { NEXT_NONE = -1 };

/* Next layer from an ethertype; NEXT_NONE (with a stop reason) if not parsed. */
static int next_from_ethertype(struct parser *ps, uint16_t type)
{
	switch (type) {
	case ETH_P_IP: return PROTO_IPV4;
	case ETH_P_IPV6: return PROTO_IPV6;
	case ETH_P_8021Q: case ETH_P_8021AD: case ETH_P_QINQ1: return PROTO_VLAN;
	case ETH_P_TEB: return PROTO_ETH;
	default:
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "ethertype 0x%04x not parsed", type);
		return NEXT_NONE;
	}
}

static int next_from_ipproto(struct parser *ps, uint8_t proto, bool outer_v4, const char **encap)
{
	*encap = NULL;
	switch (proto) {
	case 6: return PROTO_TCP;
	case 17: return PROTO_UDP;
	case 47: return PROTO_GRE;
	case 1: return PROTO_ICMP;
	case 58: return PROTO_ICMPV6;
	case 4: *encap = outer_v4 ? "IPIP" : "IPv4-in-IPv6"; return PROTO_IPV4;
	case 41: *encap = outer_v4 ? "SIT" : "IPv6-in-IPv6"; return PROTO_IPV6;
	default:
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IP protocol %u not parsed", proto);
		return NEXT_NONE;
	}
}

static int parse_eth(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_ETH, off);

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 14) {
		stop_trunc(ps, l, "Ethernet");
		return NEXT_NONE;
	}
	memcpy(l->u.eth.dst, ps->p + off, 6);
	memcpy(l->u.eth.src, ps->p + off + 6, 6);
	l->u.eth.type = ld_be16(ps->p + off + 12);
	l->hlen = 14;
	*next_off = off + 14;
	if (l->u.eth.type < 0x0600) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "802.3 length field %u, not parsed", l->u.eth.type);
		return NEXT_NONE;
	}
	return next_from_ethertype(ps, l->u.eth.type);
}

static int parse_vlan(struct parser *ps, size_t off, size_t *next_off, uint16_t tpid)
{
	struct proto_layer *l = layer_new(ps, PROTO_VLAN, off);

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 4) {
		stop_trunc(ps, l, "VLAN");
		return NEXT_NONE;
	}
	l->u.vlan.tpid = tpid;
	l->u.vlan.tci = ld_be16(ps->p + off);
	l->u.vlan.type = ld_be16(ps->p + off + 2);
	l->hlen = 4;
	*next_off = off + 4;
	return next_from_ethertype(ps, l->u.vlan.type);
}

static int parse_ipv4(struct parser *ps, size_t off, size_t *next_off, const char *encap)
{
	struct proto_layer *l = layer_new(ps, PROTO_IPV4, off);
	const uint8_t *h = ps->p + off;
	size_t ihl;

	if (!l)
		return NEXT_NONE;
	l->encap = encap;
	if (ps->len - off < 20) {
		stop_trunc(ps, l, "IPv4");
		return NEXT_NONE;
	}
	if (h[0] >> 4 != 4) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv4 header has version %u", h[0] >> 4);
		l->hlen = 0;
		return NEXT_NONE;
	}
	ihl = (size_t)(h[0] & 0xf) * 4;
	l->u.ip4.ihl = (uint8_t)(h[0] & 0xf);
	l->u.ip4.tos = h[1];
	l->u.ip4.tot_len = ld_be16(h + 2);
	l->u.ip4.id = ld_be16(h + 4);
	l->u.ip4.frag_off = ld_be16(h + 6);
	l->u.ip4.ttl = h[8];
	l->u.ip4.proto = h[9];
	l->u.ip4.check = ld_be16(h + 10);
	memcpy(l->u.ip4.src, h + 12, 4);
	memcpy(l->u.ip4.dst, h + 16, 4);
	if (ihl < 20) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv4 IHL %zu below 20 bytes", ihl);
		return NEXT_NONE;
	}
	if (ps->len - off < ihl) {
		stop_trunc(ps, l, "IPv4");
		return NEXT_NONE;
	}
	l->hlen = (uint32_t)ihl;
	l->u.ip4.csum_ok = proto_csum_add(0, h, ihl) == 0xffff;
	*next_off = off + ihl;
	/* Only the first fragment carries the next header. */
	if (l->u.ip4.frag_off & 0x1fff) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv4 non-first fragment");
		return NEXT_NONE;
	}
	return next_from_ipproto(ps, h[9], true, &encap);
}

static bool ipv6_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

static int parse_ipv6(struct parser *ps, size_t off, size_t *next_off, const char *encap)
{
	struct proto_layer *l = layer_new(ps, PROTO_IPV6, off);
	const uint8_t *h = ps->p + off;
	size_t hl = 40;
	uint8_t nh;
	int guard = 0;

	if (!l)
		return NEXT_NONE;
	l->encap = encap;
	if (ps->len - off < 40) {
		stop_trunc(ps, l, "IPv6");
		return NEXT_NONE;
	}
	if (h[0] >> 4 != 6) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv6 header has version %u", h[0] >> 4);
		return NEXT_NONE;
	}
	l->u.ip6.tclass = (uint8_t)((ld_be16(h) >> 4) & 0xff);
	l->u.ip6.flow = ld_be32(h) & 0xfffff;
	l->u.ip6.plen = ld_be16(h + 4);
	l->u.ip6.next = h[6];
	l->u.ip6.hop = h[7];
	memcpy(l->u.ip6.src, h + 8, 16);
	memcpy(l->u.ip6.dst, h + 24, 16);
	nh = h[6];
	/* Extension headers belong to this layer's header length. */
	while (ipv6_ext(nh) && guard++ < 8) {
		size_t el;

		if (ps->len - off < hl + 8) {
			stop_trunc(ps, l, "IPv6 extension");
			return NEXT_NONE;
		}
		if (nh == 44) {		/* fragment header: fixed 8 bytes */
			uint16_t fo = ld_be16(h + hl + 2);
			nh = h[hl];
			hl += 8;
			if (fo >> 3) {
				l->hlen = (uint32_t)hl;
				snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv6 non-first fragment");
				return NEXT_NONE;
			}
			continue;
		}
		el = nh == 51 ? ((size_t)h[hl + 1] + 2) * 4 : ((size_t)h[hl + 1] + 1) * 8;
		nh = h[hl];
		hl += el;
		if (ps->len - off < hl) {
			stop_trunc(ps, l, "IPv6 extension");
			return NEXT_NONE;
		}
	}
	l->u.ip6.upper = nh;
	l->hlen = (uint32_t)hl;
	*next_off = off + hl;
	if (nh == 59) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "IPv6 no next header");
		return NEXT_NONE;
	}
	return next_from_ipproto(ps, nh, false, &encap);
}

static int parse_tcp(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_TCP, off);
	const uint8_t *h = ps->p + off;
	size_t doff;

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 20) {
		stop_trunc(ps, l, "TCP");
		return NEXT_NONE;
	}
	l->u.tcp.sport = ld_be16(h);
	l->u.tcp.dport = ld_be16(h + 2);
	l->u.tcp.seq = ld_be32(h + 4);
	l->u.tcp.ack = ld_be32(h + 8);
	l->u.tcp.doff = h[12] >> 4;
	l->u.tcp.flags = h[13];
	l->u.tcp.win = ld_be16(h + 14);
	l->u.tcp.check = ld_be16(h + 16);
	l->u.tcp.urg = ld_be16(h + 18);
	doff = (size_t)l->u.tcp.doff * 4;
	if (doff < 20) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "TCP data offset %zu below 20 bytes", doff);
		return NEXT_NONE;
	}
	if (ps->len - off < doff) {
		stop_trunc(ps, l, "TCP");
		return NEXT_NONE;
	}
	l->hlen = (uint32_t)doff;
	*next_off = off + doff;
	snprintf(ps->ps->stop, sizeof(ps->ps->stop), "TCP payload");
	return NEXT_NONE;
}

static int parse_udp(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_UDP, off);
	const uint8_t *h = ps->p + off;

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 8) {
		stop_trunc(ps, l, "UDP");
		return NEXT_NONE;
	}
	l->u.udp.sport = ld_be16(h);
	l->u.udp.dport = ld_be16(h + 2);
	l->u.udp.len = ld_be16(h + 4);
	l->u.udp.check = ld_be16(h + 6);
	l->hlen = 8;
	*next_off = off + 8;
	if (l->u.udp.dport == VXLAN_PORT || l->u.udp.dport == VXLAN_PORT_LINUX)
		return PROTO_VXLAN;
	if (l->u.udp.dport == GENEVE_PORT)
		return PROTO_GENEVE;
	snprintf(ps->ps->stop, sizeof(ps->ps->stop), "UDP payload");
	return NEXT_NONE;
}

static int parse_vxlan(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_VXLAN, off);
	const uint8_t *h = ps->p + off;

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 8) {
		stop_trunc(ps, l, "VXLAN");
		return NEXT_NONE;
	}
	l->u.vxlan.flags = h[0];
	l->u.vxlan.vni = ld_be32(h + 4) >> 8;
	l->hlen = 8;
	*next_off = off + 8;
	if (!(h[0] & 0x08)) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "VXLAN without the I flag");
		return NEXT_NONE;
	}
	return PROTO_ETH;
}

static int parse_geneve(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_GENEVE, off);
	const uint8_t *h = ps->p + off;
	size_t hl;

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 8) {
		stop_trunc(ps, l, "GENEVE");
		return NEXT_NONE;
	}
	l->u.geneve.ver = h[0] >> 6;
	l->u.geneve.optlen = h[0] & 0x3f;
	l->u.geneve.oam = h[1] & 0x80;
	l->u.geneve.critical = h[1] & 0x40;
	l->u.geneve.type = ld_be16(h + 2);
	l->u.geneve.vni = ld_be32(h + 4) >> 8;
	hl = 8 + (size_t)l->u.geneve.optlen * 4;
	if (ps->len - off < hl) {
		stop_trunc(ps, l, "GENEVE");
		return NEXT_NONE;
	}
	l->hlen = (uint32_t)hl;
	*next_off = off + hl;
	if (l->u.geneve.ver != 0) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "GENEVE version %u", l->u.geneve.ver);
		return NEXT_NONE;
	}
	return next_from_ethertype(ps, l->u.geneve.type);
}

static int parse_gre(struct parser *ps, size_t off, size_t *next_off)
{
	struct proto_layer *l = layer_new(ps, PROTO_GRE, off);
	const uint8_t *h = ps->p + off;
	size_t hl = 4;

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 4) {
		stop_trunc(ps, l, "GRE");
		return NEXT_NONE;
	}
	l->u.gre.flags = ld_be16(h);
	l->u.gre.type = ld_be16(h + 2);
	l->u.gre.has_csum = l->u.gre.flags & 0x8000;
	l->u.gre.has_key = l->u.gre.flags & 0x2000;
	l->u.gre.has_seq = l->u.gre.flags & 0x1000;
	hl += (l->u.gre.has_csum ? 4 : 0) + (l->u.gre.has_key ? 4 : 0) + (l->u.gre.has_seq ? 4 : 0);
	if (ps->len - off < hl) {
		stop_trunc(ps, l, "GRE");
		return NEXT_NONE;
	}
	if (l->u.gre.has_key)
		l->u.gre.key = ld_be32(h + 4 + (l->u.gre.has_csum ? 4 : 0));
	if (l->u.gre.has_seq)
		l->u.gre.seq = ld_be32(h + hl - 4);
	l->hlen = (uint32_t)hl;
	*next_off = off + hl;
	if (l->u.gre.flags & 0x0007) {
		snprintf(ps->ps->stop, sizeof(ps->ps->stop), "GRE version %u not parsed", l->u.gre.flags & 7);
		return NEXT_NONE;
	}
	return next_from_ethertype(ps, l->u.gre.type);
}

static int parse_icmp(struct parser *ps, size_t off, enum proto_kind kind)
{
	struct proto_layer *l = layer_new(ps, kind, off);

	if (!l)
		return NEXT_NONE;
	if (ps->len - off < 4) {
		stop_trunc(ps, l, "ICMP");
		return NEXT_NONE;
	}
	l->u.icmp.type = ps->p[off];
	l->u.icmp.code = ps->p[off + 1];
	l->hlen = 4;
	snprintf(ps->ps->stop, sizeof(ps->ps->stop), "ICMP body");
	return NEXT_NONE;
}

void proto_parse(const uint8_t *p, size_t len, enum proto_kind first, struct proto_stack *ret)
{
	struct parser ps = { p, len, ret };
	size_t off = 0, next_off = 0;
	const char *encap = NULL;
	int kind = first;
	uint16_t vlan_tpid = ETH_P_8021Q;

	memset(ret, 0, sizeof(*ret));
	snprintf(ret->stop, sizeof(ret->stop), "end of data");
	if (kind == PROTO_KIND_MAX) {
		if (len && p[0] >> 4 == 4)
			kind = PROTO_IPV4;
		else if (len && p[0] >> 4 == 6)
			kind = PROTO_IPV6;
		else {
			snprintf(ret->stop, sizeof(ret->stop), "not an IP packet");
			return;
		}
	}
	while (kind != NEXT_NONE && off < len) {
		int prev_kind = kind;
		uint16_t type = 0;

		next_off = off;
		switch (kind) {
		case PROTO_ETH: kind = parse_eth(&ps, off, &next_off); break;
		case PROTO_VLAN: kind = parse_vlan(&ps, off, &next_off, vlan_tpid); break;
		case PROTO_IPV4: kind = parse_ipv4(&ps, off, &next_off, encap); break;
		case PROTO_IPV6: kind = parse_ipv6(&ps, off, &next_off, encap); break;
		case PROTO_TCP: kind = parse_tcp(&ps, off, &next_off); break;
		case PROTO_UDP: kind = parse_udp(&ps, off, &next_off); break;
		case PROTO_VXLAN: kind = parse_vxlan(&ps, off, &next_off); break;
		case PROTO_GENEVE: kind = parse_geneve(&ps, off, &next_off); break;
		case PROTO_GRE: kind = parse_gre(&ps, off, &next_off); break;
		case PROTO_ICMP: case PROTO_ICMPV6: kind = parse_icmp(&ps, off, kind); next_off = off + 4; break;
		default: kind = NEXT_NONE; break;
		}
		if (ret->n > 0 && !ret->l[ret->n - 1].truncated && ret->l[ret->n - 1].hlen)
			ret->payload_off = (uint32_t)(next_off <= len ? next_off : len);
		/* The TPID that introduced a VLAN tag is the previous layer's type. */
		if (kind == PROTO_VLAN && ret->n > 0) {
			const struct proto_layer *l = &ret->l[ret->n - 1];

			type = prev_kind == PROTO_ETH ? l->u.eth.type : prev_kind == PROTO_VLAN ? l->u.vlan.type : 0;
			vlan_tpid = type;
		}
		/* IP-in-IP: the next IP layer is encapsulated by this one. */
		encap = NULL;
		if ((prev_kind == PROTO_IPV4 || prev_kind == PROTO_IPV6) && (kind == PROTO_IPV4 || kind == PROTO_IPV6)) {
			const struct proto_layer *l = &ret->l[ret->n - 1];
			uint8_t proto = prev_kind == PROTO_IPV4 ? l->u.ip4.proto : l->u.ip6.upper;

			next_from_ipproto(&ps, proto, prev_kind == PROTO_IPV4, &encap);
		}
		if (next_off <= off && kind != NEXT_NONE)
			break;	/* no progress: cannot happen with the parsers above, but never loop */
		off = next_off;
	}
	if (kind != NEXT_NONE && off >= len)
		snprintf(ret->stop, sizeof(ret->stop), "end of data before %s", proto_kind_name((enum proto_kind)kind));
}

static void fmt_ip4(const uint8_t *a, char *buf, size_t n)
{
	snprintf(buf, n, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static void fmt_ip6(const uint8_t *a, char *buf, size_t n)
{
	/* RFC 5952 short form: the longest run of zero groups (>= 2) becomes "::". */
	int best = -1, bestlen = 0;
	size_t o = 0;

	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && !a[2 * j] && !a[2 * j + 1])
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = j > i ? j : i + 1;
	}
	buf[0] = 0;
	for (int i = 0; i < 8 && o < n; i++) {
		if (i == best) {
			o += (size_t)snprintf(buf + o, n - o, "::");
			i += bestlen - 1;
			continue;
		}
		o += (size_t)snprintf(buf + o, n - o, "%s%x", (i && i != best + bestlen) ? ":" : "", ld_be16(a + 2 * i));
	}
}

static void fmt_mac(const uint8_t *m, char *buf, size_t n)
{
	snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void tcp_flags(uint8_t f, char *buf, size_t n)
{
	static const char *const names[8] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < 8 && o < n; i++)
		if (f & (1u << i))
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? "," : "", names[i]);
}

void proto_describe(const struct proto_layer *l, char *buf, size_t n)
{
	char a[48], b[48], fl[40];

	switch (l->kind) {
	case PROTO_ETH:
		fmt_mac(l->u.eth.src, a, sizeof(a));
		fmt_mac(l->u.eth.dst, b, sizeof(b));
		snprintf(buf, n, "Ethernet %s -> %s type 0x%04x", a, b, l->u.eth.type);
		break;
	case PROTO_VLAN:
		snprintf(buf, n, "VLAN tpid 0x%04x id %u pcp %u type 0x%04x", l->u.vlan.tpid, l->u.vlan.tci & 0xfff,
			 l->u.vlan.tci >> 13, l->u.vlan.type);
		break;
	case PROTO_IPV4:
		fmt_ip4(l->u.ip4.src, a, sizeof(a));
		fmt_ip4(l->u.ip4.dst, b, sizeof(b));
		snprintf(buf, n, "IPv4%s%s %s -> %s proto %u len %u id 0x%04x ttl %u%s", l->encap ? " " : "",
			 l->encap ? l->encap : "", a, b, l->u.ip4.proto, l->u.ip4.tot_len, l->u.ip4.id, l->u.ip4.ttl,
			 l->hlen && !l->u.ip4.csum_ok ? " (header checksum wrong)" : "");
		break;
	case PROTO_IPV6:
		fmt_ip6(l->u.ip6.src, a, sizeof(a));
		fmt_ip6(l->u.ip6.dst, b, sizeof(b));
		snprintf(buf, n, "IPv6%s%s %s -> %s next %u payload %u hop %u", l->encap ? " " : "",
			 l->encap ? l->encap : "", a, b, l->u.ip6.upper, l->u.ip6.plen, l->u.ip6.hop);
		break;
	case PROTO_TCP:
		tcp_flags(l->u.tcp.flags, fl, sizeof(fl));
		snprintf(buf, n, "TCP %u -> %u seq %u ack %u [%s] win %u hlen %u", l->u.tcp.sport, l->u.tcp.dport,
			 l->u.tcp.seq, l->u.tcp.ack, fl, l->u.tcp.win, l->u.tcp.doff * 4);
		break;
	case PROTO_UDP:
		snprintf(buf, n, "UDP %u -> %u len %u csum 0x%04x", l->u.udp.sport, l->u.udp.dport, l->u.udp.len,
			 l->u.udp.check);
		break;
	case PROTO_VXLAN:
		snprintf(buf, n, "VXLAN vni %u flags 0x%02x", l->u.vxlan.vni, l->u.vxlan.flags);
		break;
	case PROTO_GENEVE:
		snprintf(buf, n, "GENEVE vni %u type 0x%04x options %u bytes%s", l->u.geneve.vni, l->u.geneve.type,
			 l->u.geneve.optlen * 4, l->u.geneve.oam ? " OAM" : "");
		break;
	case PROTO_GRE:
		snprintf(buf, n, "GRE type 0x%04x%s%s%s", l->u.gre.type, l->u.gre.has_csum ? " csum" : "",
			 l->u.gre.has_key ? " key" : "", l->u.gre.has_seq ? " seq" : "");
		break;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		snprintf(buf, n, "%s type %u code %u", proto_kind_name(l->kind), l->u.icmp.type, l->u.icmp.code);
		break;
	default:
		snprintf(buf, n, "?");
		break;
	}
	if (l->truncated) {
		size_t o = strlen(buf);
		snprintf(buf + o, n - o, " (truncated)");
	}
}

void proto_json(struct json *j, const char *key, const struct proto_stack *ps)
{
	char a[48], b[48];

	json_arr_begin(j, key);
	for (int i = 0; i < ps->n; i++) {
		const struct proto_layer *l = &ps->l[i];

		json_obj_begin(j, NULL);
		json_str(j, "proto", proto_kind_name(l->kind));
		json_u64(j, "offset", l->off);
		json_u64(j, "hlen", l->hlen);
		if (l->truncated)
			json_bool(j, "truncated", true);
		switch (l->kind) {
		case PROTO_ETH:
			fmt_mac(l->u.eth.src, a, sizeof(a));
			fmt_mac(l->u.eth.dst, b, sizeof(b));
			json_str(j, "src", a);
			json_str(j, "dst", b);
			json_u64(j, "type", l->u.eth.type);
			break;
		case PROTO_VLAN:
			json_u64(j, "tpid", l->u.vlan.tpid);
			json_u64(j, "vid", l->u.vlan.tci & 0xfff);
			json_u64(j, "pcp", l->u.vlan.tci >> 13);
			json_u64(j, "type", l->u.vlan.type);
			break;
		case PROTO_IPV4:
			if (l->encap)
				json_str(j, "encap", l->encap);
			fmt_ip4(l->u.ip4.src, a, sizeof(a));
			fmt_ip4(l->u.ip4.dst, b, sizeof(b));
			json_str(j, "src", a);
			json_str(j, "dst", b);
			json_u64(j, "protocol", l->u.ip4.proto);
			json_u64(j, "tot_len", l->u.ip4.tot_len);
			json_u64(j, "id", l->u.ip4.id);
			json_u64(j, "frag_off", l->u.ip4.frag_off);
			json_u64(j, "ttl", l->u.ip4.ttl);
			json_u64(j, "tos", l->u.ip4.tos);
			if (l->hlen)
				json_bool(j, "header_checksum_ok", l->u.ip4.csum_ok);
			break;
		case PROTO_IPV6:
			if (l->encap)
				json_str(j, "encap", l->encap);
			fmt_ip6(l->u.ip6.src, a, sizeof(a));
			fmt_ip6(l->u.ip6.dst, b, sizeof(b));
			json_str(j, "src", a);
			json_str(j, "dst", b);
			json_u64(j, "next_header", l->u.ip6.next);
			json_u64(j, "upper_protocol", l->u.ip6.upper);
			json_u64(j, "payload_len", l->u.ip6.plen);
			json_u64(j, "hop_limit", l->u.ip6.hop);
			json_u64(j, "flow_label", l->u.ip6.flow);
			break;
		case PROTO_TCP:
			json_u64(j, "sport", l->u.tcp.sport);
			json_u64(j, "dport", l->u.tcp.dport);
			json_u64(j, "seq", l->u.tcp.seq);
			json_u64(j, "ack", l->u.tcp.ack);
			json_u64(j, "flags", l->u.tcp.flags);
			json_u64(j, "window", l->u.tcp.win);
			json_u64(j, "doff", l->u.tcp.doff);
			json_u64(j, "check", l->u.tcp.check);
			break;
		case PROTO_UDP:
			json_u64(j, "sport", l->u.udp.sport);
			json_u64(j, "dport", l->u.udp.dport);
			json_u64(j, "len", l->u.udp.len);
			json_u64(j, "check", l->u.udp.check);
			break;
		case PROTO_VXLAN:
			json_u64(j, "vni", l->u.vxlan.vni);
			json_u64(j, "flags", l->u.vxlan.flags);
			break;
		case PROTO_GENEVE:
			json_u64(j, "vni", l->u.geneve.vni);
			json_u64(j, "type", l->u.geneve.type);
			json_u64(j, "opt_len", l->u.geneve.optlen * 4u);
			break;
		case PROTO_GRE:
			json_u64(j, "type", l->u.gre.type);
			json_u64(j, "flags", l->u.gre.flags);
			if (l->u.gre.has_key)
				json_u64(j, "key", l->u.gre.key);
			break;
		case PROTO_ICMP:
		case PROTO_ICMPV6:
			json_u64(j, "type", l->u.icmp.type);
			json_u64(j, "code", l->u.icmp.code);
			break;
		default:
			break;
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}
