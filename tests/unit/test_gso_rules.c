// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * GSO finding rules (src/skb/gso.c) over plain structs: the healthy VXLAN
 * skb gets no error, the seed's skb gets the tunnel-without-encapsulation and
 * inner-equals-outer errors, and each rule fires on its own.
 */
#include "harness.h"
#include "pktbuild.h"

#include "skbfilter/skb.h"

struct fx {
	uint8_t lin[512];
	struct skb_fields f;
	struct gso_names g;
	struct finding_list fl;
	struct gso_check_input in;
};

/* tx-vxlan-tcp as the kernel held it: outer IPv4/UDP/VXLAN at 218, inner frame at 254. */
static void healthy(struct fx *x)
{
	uint8_t *h = x->lin;

	memset(x, 0, sizeof(*x));
	pb_gso_names(&x->g);
	pb_ipv4(h + 218, 17, 4296, 0x0ed7, PB_IP_A, PB_IP_B);
	pb_udp(h + 238, 56513, 4789, 4276);
	pb_vxlan(h + 246, 4242);
	pb_eth(h + 254, PB_MAC_B, PB_MAC_A, 0x0800);
	pb_ipv4(h + 268, 6, 4246, 0x96df, PB_IP_C, PB_IP_D);
	pb_tcp(h + 288, 59834, 5001, 1, 8);
	x->f.head = 0xffff888000100000ull;
	x->f.data = x->f.head + 218;
	x->f.len = 4296;
	x->f.data_len = 4194;
	x->f.tail = 320;
	x->f.end = 448;
	x->f.mac_header = 254;
	x->f.network_header = 218;
	x->f.transport_header = 238;
	x->f.inner_mac_header = 254;
	x->f.inner_network_header = 268;
	x->f.inner_transport_header = 288;
	x->f.encapsulation = 1;
	x->f.gso_size = 1398;
	x->f.gso_segs = 3;
	x->f.gso_type = 1 | 1 << 11;	/* TCPV4 | UDP_TUNNEL_CSUM */
	x->f.nr_frags = 1;
	x->f.ip_summed = 3;
	x->f.csum_start = 288;
	x->f.csum_offset = 16;
	x->f.protocol = 0x0800;
	x->in.f = &x->f;
	x->in.linear = x->lin;
	x->in.linear_len = 320;
	x->in.names = &x->g;
	x->in.max_frags = 17;
	x->in.frag_bytes = 4194;
	x->in.frag_bytes_known = true;
}

/* The seed: forwarded TCP rewritten to TCPV4|DODGY|UDP_TUNNEL, inner == outer, zero MACs. */
static void seed(struct fx *x)
{
	uint8_t *h = x->lin;

	memset(x, 0, sizeof(*x));
	pb_gso_names(&x->g);
	pb_eth(h + 266, PB_MAC_ZERO, PB_MAC_ZERO, 0x0800);
	pb_ipv4(h + 280, 6, 5432, 0x45c7, PB_IP_A, PB_IP_B);
	pb_tcp(h + 300, 54610, 8443, 1, 5);
	x->f.head = 0xffff888000200000ull;
	x->f.data = x->f.head + 280;
	x->f.len = 5432;
	x->f.data_len = 5392;
	x->f.tail = 320;
	x->f.end = 448;
	x->f.mac_header = 266;
	x->f.network_header = 280;
	x->f.transport_header = 300;
	x->f.inner_mac_header = 266;
	x->f.inner_network_header = 280;
	x->f.inner_transport_header = 300;
	x->f.encapsulation = 0;
	x->f.gso_size = 1348;
	x->f.gso_segs = 0;
	x->f.gso_type = 1 | 2 | 1 << 10;	/* TCPV4 | DODGY | UDP_TUNNEL = 0x403 */
	x->f.nr_frags = 1;
	x->f.ip_summed = 3;
	x->f.csum_start = 300;
	x->f.csum_offset = 16;
	x->in.f = &x->f;
	x->in.linear = x->lin;
	x->in.linear_len = 320;
	x->in.names = &x->g;
	x->in.max_frags = 17;
	x->in.frag_bytes = 5392;
	x->in.frag_bytes_known = true;
}

static void dump_findings(const struct finding_list *fl)
{
	for (int i = 0; i < fl->n; i++)
		fprintf(stderr, "  [%s] %s: %s\n", finding_severity_name(fl->f[i].severity), fl->f[i].id,
			fl->f[i].message);
}

TEST(healthy_vxlan_has_no_errors)
{
	static struct fx x;

	healthy(&x);
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_EQ(findings_count(&x.fl, SEV_ERROR), 0);
	ASSERT_EQ(findings_count(&x.fl, SEV_WARNING), 0);
	ASSERT_TRUE(findings_has(&x.fl, "mac-after-network"));
}

TEST(seed_errors)
{
	static struct fx x;

	seed(&x);
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-tunnel-without-encapsulation"));
	ASSERT_TRUE(findings_has(&x.fl, "inner-headers-equal-outer"));
	ASSERT_TRUE(findings_has(&x.fl, "gso-tunnel-not-in-headers"));
	ASSERT_TRUE(findings_has(&x.fl, "gso-dodgy"));
	ASSERT_TRUE(findings_has(&x.fl, "gso-segs-mismatch"));
	ASSERT_TRUE(findings_has(&x.fl, "zero-mac-addresses"));
	/* TCPV4 agrees with the outer IPv4/TCP headers: no type mismatch. */
	ASSERT_TRUE(!findings_has(&x.fl, "gso-type-mismatch-headers"));
	ASSERT_TRUE(!findings_has(&x.fl, "ip-length-mismatch"));
	for (int i = 0; i < x.fl.n; i++)
		if (!strcmp(x.fl.f[i].id, "gso-segs-mismatch"))
			ASSERT_CONTAINS(x.fl.f[i].message, "is 4");
}

TEST(gso_type_without_size_and_reverse)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_size = 0;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-type-without-size"));
	healthy(&x);
	x.f.gso_type = 0;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-size-without-type"));
	ASSERT_TRUE(findings_count(&x.fl, SEV_ERROR) >= 1);
}

TEST(tcpv6_on_ipv4_mismatch)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_type = 1 << 4 | 1 << 11;	/* TCPV6 | UDP_TUNNEL_CSUM, inner is IPv4 */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-type-mismatch-headers"));
}

TEST(tcpv4_on_udp_mismatch)
{
	static struct fx x;

	healthy(&x);
	x.f.encapsulation = 0;
	x.f.gso_type = 1;	/* TCPV4 over the outer IPv4/UDP */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-type-mismatch-headers"));
	ASSERT_TRUE(!findings_has(&x.fl, "gso-tunnel-without-encapsulation"));
}

TEST(encapsulation_without_tunnel_bit)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_type = 1;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "encapsulation-without-tunnel-gso"));
}

TEST(gre_bit_without_gre)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_type = 1 | 1 << 6;	/* TCPV4 | GRE over UDP */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-tunnel-not-in-headers"));
}

TEST(gso_segs_wrong)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_segs = 7;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-segs-mismatch"));
}

TEST(ip_length)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_size = 0;
	x.f.gso_type = 0;
	x.f.len = 4000;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "ip-length-mismatch"));
	ASSERT_TRUE(findings_count(&x.fl, SEV_ERROR) >= 1);
}

TEST(header_offsets_out_of_bounds)
{
	static struct fx x;

	healthy(&x);
	x.f.inner_transport_header = 900;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "header-offset-out-of-bounds"));
	ASSERT_TRUE(findings_count(&x.fl, SEV_ERROR) >= 1);
}

TEST(csum_partial_outside)
{
	static struct fx x;

	healthy(&x);
	x.f.csum_start = 10;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "csum-partial-out-of-bounds"));
	healthy(&x);
	x.f.csum_offset = 60000;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "csum-partial-out-of-bounds"));
}

TEST(too_many_frags_and_data_len)
{
	static struct fx x;

	healthy(&x);
	x.f.nr_frags = 255;
	x.in.frag_bytes = 100;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "too-many-frags"));
	ASSERT_TRUE(findings_has(&x.fl, "data-len-mismatch"));
}

TEST(incomplete_packet_and_vlan)
{
	static struct fx x;
	struct skb_packet p;

	healthy(&x);
	memset(&p, 0, sizeof(p));
	p.complete = false;
	p.nmissing = 1;
	p.missing_bytes = 4096;
	p.vlan_inserted = true;
	p.l3_off = UINT32_MAX;
	x.in.pkt = &p;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "packet-incomplete"));
	ASSERT_TRUE(findings_has(&x.fl, "vlan-tag-from-metadata"));
}

TEST(payload_looks_like_ip)
{
	static struct fx x;
	static uint8_t bytes[200];
	struct skb_packet p;
	size_t o = 0;

	seed(&x);
	o += pb_eth(bytes + o, PB_MAC_ZERO, PB_MAC_ZERO, 0x0800);
	o += pb_ipv4(bytes + o, 6, 186, 1, PB_IP_A, PB_IP_B);
	o += pb_tcp(bytes + o, 1, 2, 3, 5);
	o += pb_ipv4(bytes + o, 4, 100, 2, PB_IP_C, PB_IP_D);
	memset(&p, 0, sizeof(p));
	p.bytes = bytes;
	p.len = (uint32_t)o;
	p.complete = true;
	p.l3_off = 14;
	x.in.pkt = &p;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "payload-looks-like-ip"));
}

TEST(non_gso_skb_with_stale_inner_offsets_is_quiet)
{
	static struct fx x;

	seed(&x);
	x.f.gso_size = 0;
	x.f.gso_type = 0;
	x.f.gso_segs = 0;
	x.f.len = 5432;
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_EQ(findings_count(&x.fl, SEV_ERROR), 0);
	ASSERT_TRUE(!findings_has(&x.fl, "inner-headers-equal-outer"));
}

/* Receive side: data pulled past the IP header (at the TCP header); lengths still line up. */
TEST(rx_data_past_network_header)
{
	static struct fx x;

	seed(&x);
	x.f.gso_type = 1;
	x.f.gso_segs = 4;
	x.f.data = x.f.head + 300;
	x.f.len = 5432 - 20;
	memset(x.lin + 266, 0x11, 12);	/* real MACs */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_EQ(x.fl.n, 0);
	x.f.gso_segs = 2;
	x.f.len = 5432;	/* IP header says 20 bytes fewer than the skb holds */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-segs-mismatch"));
	ASSERT_TRUE(findings_has(&x.fl, "ip-length-mismatch"));
}

/*
 * A small received frame still carries the sender's Ethernet padding in a
 * softnet queue (before ip_rcv() trims it): a 40-byte ACK in a 60-byte frame
 * is not a length error; the same 6 extra bytes on a larger frame are.
 */
static void rx_ack(struct fx *x, uint32_t ip_len, uint32_t skb_len)
{
	uint8_t *h = x->lin;

	memset(x, 0, sizeof(*x));
	pb_gso_names(&x->g);
	pb_eth(h + 64, PB_MAC_A, PB_MAC_B, 0x0800);
	pb_ipv4(h + 78, 6, (uint16_t)ip_len, 1, PB_IP_A, PB_IP_B);
	pb_tcp(h + 98, 5001, 40000, 1, 5);
	x->f.head = 0xffff888000300000ull;
	x->f.data = x->f.head + 78;	/* eth_type_trans() pulled the MAC header */
	x->f.len = skb_len;
	x->f.tail = 78 + skb_len;
	x->f.end = 448;
	x->f.mac_header = 64;
	x->f.network_header = 78;
	x->f.transport_header = 98;
	x->f.inner_mac_header = x->f.inner_network_header = x->f.inner_transport_header = 0;
	x->f.protocol = 0x0800;
	x->in.f = &x->f;
	x->in.linear = x->lin;
	x->in.linear_len = 78 + skb_len;
	x->in.names = &x->g;
	x->in.max_frags = 17;
	x->in.frag_bytes_known = true;
}

TEST(rx_ethernet_padding_is_not_a_length_error)
{
	static struct fx x;

	rx_ack(&x, 40, 46);	/* 14 + 46 = ETH_ZLEN */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "ip-length-mismatch"));
	ASSERT_EQ(findings_count(&x.fl, SEV_ERROR), 0);
	rx_ack(&x, 100, 106);	/* a 120-byte frame has no padding: 6 bytes too many */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "ip-length-mismatch"));
	rx_ack(&x, 40, 38);	/* shorter than the header says: never padding */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "ip-length-mismatch"));
}

/* IPv6 BIG TCP (5.19+): payload_len 0 on a GSO super-packet above 64 KiB. */
TEST(ipv6_big_tcp_length)
{
	static struct fx x;
	uint8_t *h = x.lin;

	rx_ack(&x, 40, 46);
	memset(h + 64, 0, 100);
	pb_eth(h + 64, PB_MAC_A, PB_MAC_B, 0x86dd);
	pb_ipv6(h + 78, 6, 0, 1, 2);
	pb_tcp(h + 118, 40000, 5001, 1, 5);
	x.f.network_header = 78;
	x.f.transport_header = 118;
	x.f.data = x.f.head + 64;
	x.f.len = 14 + 40 + 20 + 100000;
	x.f.data_len = 100000;
	x.f.tail = 138;
	x.in.linear_len = 138;
	x.in.frag_bytes = 100000;
	x.f.nr_frags = 3;
	x.f.gso_size = 1440;
	x.f.gso_segs = (100000 + 1439) / 1440;
	x.f.gso_type = 1 << 4;	/* TCPV6 */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "ip-length-mismatch"));
	ASSERT_EQ(findings_count(&x.fl, SEV_ERROR), 0);
	x.f.gso_size = 0;	/* not GSO: payload_len 0 is wrong */
	x.f.gso_type = 0;
	x.f.gso_segs = 0;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "ip-length-mismatch"));
}

/* Before 4.7 the enum says SKB_GSO_IPIP and SKB_GSO_SIT, both IP in IPv4 (sit is IPv6 in IPv4). */
TEST(pre_4_7_sit_is_ip_in_ipv4)
{
	static struct fx x;
	uint8_t *h = x.lin;

	healthy(&x);
	strcpy(x.g.e[8].name, "SKB_GSO_IPIP");	/* 1 << 8 */
	strcpy(x.g.e[9].name, "SKB_GSO_SIT");	/* 1 << 9 */
	/* outer IPv4 proto 41 carrying IPv6/TCP */
	memset(h + 218, 0, 100);
	pb_ipv4(h + 218, 41, 20 + 40 + 20 + 4194, 7, PB_IP_A, PB_IP_B);
	pb_ipv6(h + 238, 6, 20 + 4194, 1, 2);
	pb_tcp(h + 278, 40000, 5001, 1, 5);
	x.f.data = x.f.head + 218;
	x.f.len = 20 + 40 + 20 + 4194;
	x.f.mac_header = 204;
	x.f.network_header = 218;
	x.f.transport_header = 238;
	x.f.inner_mac_header = 238;
	x.f.inner_network_header = 238;
	x.f.inner_transport_header = 278;
	x.f.tail = 298;
	x.in.linear_len = 298;
	x.f.csum_start = 278;
	x.f.gso_type = 1 << 4 | 1 << 9;	/* TCPV6 | SIT */
	x.f.gso_segs = (4194 + 1397) / 1398;
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "gso-tunnel-not-in-headers"));
	/* 4.7+: the same bit is SKB_GSO_IPXIP6, IP in IPv6: an outer IPv4 header contradicts it */
	strcpy(x.g.e[9].name, "SKB_GSO_IPXIP6");
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-tunnel-not-in-headers"));
}

/* loopback_xmit() leaves the Ethernet addresses zero: no finding on lo. */
TEST(zero_mac_on_loopback_is_quiet)
{
	static struct fx x;

	seed(&x);
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "zero-mac-addresses"));
	seed(&x);
	x.in.dev_type = 772;	/* ARPHRD_LOOPBACK */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "zero-mac-addresses"));
}

/* Receive: the stack pulled data past the TCP header; csum_start (the TCP header) is before data: fine. */
TEST(csum_partial_before_data_on_receive)
{
	static struct fx x;

	rx_ack(&x, 40, 40);
	x.f.ip_summed = 3;
	x.f.csum_start = 98;
	x.f.csum_offset = 16;
	x.f.data = x.f.head + 118;	/* tcp_v4_rcv pulled the TCP header */
	x.f.len = 0;
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "csum-partial-out-of-bounds"));
	x.f.csum_start = 40;	/* before every header: outside */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "csum-partial-out-of-bounds"));
}

/* IPsec GSO: TCPV4|ESP over an IPv4 header whose protocol is ESP (50): the TCP is inside, encrypted. */
TEST(esp_gso_is_not_a_type_mismatch)
{
	static struct fx x;
	uint8_t *h = x.lin;

	rx_ack(&x, 40, 40);
	pb_ipv4(h + 78, 50, 20 + 8 + 4000, 9, PB_IP_A, PB_IP_B);
	x.f.data = x.f.head + 64;
	x.f.len = 14 + 20 + 8 + 4000;
	x.f.data_len = 3900;
	x.f.nr_frags = 1;
	x.in.frag_bytes = 3900;
	x.f.transport_header = 98;
	x.f.gso_size = 1400;
	x.f.gso_segs = 3;
	x.f.gso_type = 1 | 1 << 15;	/* TCPV4 | ESP */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "gso-type-mismatch-headers"));
	x.f.gso_type = 1;	/* without the ESP bit the same headers contradict TCPV4 */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "gso-type-mismatch-headers"));
}

/* GRE in UDP (FOU): GRE|UDP_TUNNEL with an outer IPv4/UDP header is what fou_build_header makes. */
TEST(gre_in_udp_is_not_a_tunnel_mismatch)
{
	static struct fx x;

	healthy(&x);
	x.f.gso_type = 1 | 1 << 6 | 1 << 10;	/* TCPV4 | GRE | UDP_TUNNEL over the outer IPv4/UDP */
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "gso-tunnel-not-in-headers"));
	x.f.gso_type = 1 | 1 << 8 | 1 << 10;	/* TCPV4 | IPXIP4 | UDP_TUNNEL: IPIP in FOU */
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(!findings_has(&x.fl, "gso-tunnel-not-in-headers"));
}

/*
 * TCP/IPv6 through SIT (IPv6-in-IPv4) as the kernel transmits it: the outer
 * IPv4 header has no L4 header after it, so transport_header still points at
 * the inner TCP (== inner_transport_header, 288) while the network headers
 * differ: an inner packet exists, no inner-headers-equal-outer error.
 */
TEST(sit_tx_transport_equal_is_normal)
{
	static struct fx x;
	uint8_t *h = x.lin;

	memset(&x, 0, sizeof(x));
	pb_gso_names(&x.g);
	pb_ipv4(h + 228, 41, 2908, 0xd23f, PB_IP_A, PB_IP_B);
	pb_ipv6(h + 248, 6, 2848, 1, 2);
	pb_tcp(h + 288, 39072, 5001, 1, 8);
	x.f.head = 0xffff888000100000ull;
	x.f.data = x.f.head + 228;
	x.f.len = 2908;
	x.f.data_len = 2816;
	x.f.tail = 320;
	x.f.end = 704;
	x.f.mac_header = 248;
	x.f.network_header = 228;
	x.f.transport_header = 288;
	x.f.inner_mac_header = 248;
	x.f.inner_network_header = 248;
	x.f.inner_transport_header = 288;
	x.f.encapsulation = 1;
	x.f.gso_size = 1408;
	x.f.gso_segs = 2;
	x.f.gso_type = 1 << 4 | 1 << 8;	/* TCPV6 | IPXIP4 */
	x.f.nr_frags = 1;
	x.f.ip_summed = 3;
	x.f.csum_start = 288;
	x.f.csum_offset = 16;
	x.f.protocol = 0x0800;
	x.in.f = &x.f;
	x.in.linear = x.lin;
	x.in.linear_len = 320;
	x.in.names = &x.g;
	x.in.max_frags = 17;
	x.in.frag_bytes = 2816;
	x.in.frag_bytes_known = true;
	gso_check(&x.in, &x.fl);
	dump_findings(&x.fl);
	ASSERT_EQ(findings_count(&x.fl, SEV_ERROR), 0);
	ASSERT_EQ(findings_count(&x.fl, SEV_WARNING), 0);
	/* the same skb with the network headers equal too is the broken one */
	x.f.inner_network_header = 228;
	x.fl.n = 0;
	gso_check(&x.in, &x.fl);
	ASSERT_TRUE(findings_has(&x.fl, "inner-headers-equal-outer"));
}

TEST(gso_decode_names)
{
	struct gso_names g;
	const char *names[8];
	uint64_t unk;
	int n;

	pb_gso_names(&g);
	n = gso_decode(&g, 0x403 | 1u << 25, names, 8, &unk);
	ASSERT_EQ(n, 3);
	ASSERT_STREQ(names[0], "SKB_GSO_TCPV4");
	ASSERT_STREQ(names[1], "SKB_GSO_DODGY");
	ASSERT_STREQ(names[2], "SKB_GSO_UDP_TUNNEL");
	ASSERT_U64(unk, 1u << 25);
	ASSERT_U64(gso_bit(&g, "SKB_GSO_UDP_TUNNEL_CSUM"), 0x800);
	ASSERT_U64(gso_bit(&g, "SKB_GSO_NOPE"), 0);
}

TEST(findings_are_bounded)
{
	struct finding_list fl = { 0 };

	for (int i = 0; i < 100; i++)
		findings_add(&fl, "x", SEV_INFO, "%d", i);
	ASSERT_EQ(fl.n, SKB_MAX_FINDINGS);
}

TEST_MAIN()
