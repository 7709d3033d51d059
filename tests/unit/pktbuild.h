/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Packet builders for the skb unit tests: headers written byte by byte. */
#ifndef SKBFILTER_TEST_PKTBUILD_H
#define SKBFILTER_TEST_PKTBUILD_H

#include <stdint.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

static inline size_t pb_eth(uint8_t *p, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	st_be16(p + 12, type);
	return 14;
}

static inline size_t pb_vlan(uint8_t *p, uint16_t tci, uint16_t type)
{
	st_be16(p, tci);
	st_be16(p + 2, type);
	return 4;
}

/* IPv4 header (20 bytes) with a correct checksum. */
static inline size_t pb_ipv4(uint8_t *p, uint8_t proto, uint16_t tot_len, uint16_t id, const uint8_t src[4],
			     const uint8_t dst[4])
{
	uint16_t c;

	memset(p, 0, 20);
	p[0] = 0x45;
	st_be16(p + 2, tot_len);
	st_be16(p + 4, id);
	st_be16(p + 6, 0x4000);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	c = proto_csum_add(0, p, 20);
	st_be16(p + 10, (uint16_t)~c);
	return 20;
}

static inline size_t pb_ipv6(uint8_t *p, uint8_t next, uint16_t plen, uint8_t last_src, uint8_t last_dst)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	st_be16(p + 4, plen);
	p[6] = next;
	p[7] = 64;
	p[8] = 0x20;
	p[9] = 0x01;
	p[10] = 0x0d;
	p[11] = 0xb8;
	p[23] = last_src;
	p[24] = 0x20;
	p[25] = 0x01;
	p[26] = 0x0d;
	p[27] = 0xb8;
	p[39] = last_dst;
	return 40;
}

static inline size_t pb_tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t doff_words)
{
	memset(p, 0, (size_t)doff_words * 4);
	st_be16(p, sport);
	st_be16(p + 2, dport);
	st_be32(p + 4, seq);
	st_be32(p + 8, 1);
	p[12] = (uint8_t)(doff_words << 4);
	p[13] = 0x18;	/* PSH, ACK */
	st_be16(p + 14, 502);
	return (size_t)doff_words * 4;
}

static inline size_t pb_udp(uint8_t *p, uint16_t sport, uint16_t dport, uint16_t len)
{
	st_be16(p, sport);
	st_be16(p + 2, dport);
	st_be16(p + 4, len);
	st_be16(p + 6, 0);
	return 8;
}

static inline size_t pb_vxlan(uint8_t *p, uint32_t vni)
{
	memset(p, 0, 8);
	p[0] = 0x08;
	st_be32(p + 4, vni << 8);
	return 8;
}

static const uint8_t PB_MAC_A[6] = { 0x02, 0, 0, 0, 0, 1 }, PB_MAC_B[6] = { 0x02, 0, 0, 0, 0, 2 };
static const uint8_t PB_MAC_ZERO[6] = { 0 };
static const uint8_t PB_IP_A[4] = { 192, 0, 2, 1 }, PB_IP_B[4] = { 192, 0, 2, 2 };
static const uint8_t PB_IP_C[4] = { 198, 51, 100, 1 }, PB_IP_D[4] = { 198, 51, 100, 2 };

/* A GSO name table with the >= 4.14 values (what the 6.1 BTF enum holds). */
static inline void pb_gso_names(struct gso_names *g)
{
	static const char *const names[] = { "SKB_GSO_TCPV4", "SKB_GSO_DODGY", "SKB_GSO_TCP_ECN",
		"SKB_GSO_TCP_FIXEDID", "SKB_GSO_TCPV6", "SKB_GSO_FCOE", "SKB_GSO_GRE", "SKB_GSO_GRE_CSUM",
		"SKB_GSO_IPXIP4", "SKB_GSO_IPXIP6", "SKB_GSO_UDP_TUNNEL", "SKB_GSO_UDP_TUNNEL_CSUM",
		"SKB_GSO_PARTIAL", "SKB_GSO_TUNNEL_REMCSUM", "SKB_GSO_SCTP", "SKB_GSO_ESP", "SKB_GSO_UDP",
		"SKB_GSO_UDP_L4", "SKB_GSO_FRAGLIST" };

	memset(g, 0, sizeof(*g));
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		strcpy(g->e[i].name, names[i]);
		g->e[i].value = 1ull << i;
		g->n++;
	}
}

#endif
