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
