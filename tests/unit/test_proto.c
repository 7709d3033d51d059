// SPDX-License-Identifier: GPL-2.0-or-later
/* Header parsers (src/skb/proto.c): one test per protocol, plus hostile input. */
#include "harness.h"
#include "pktbuild.h"

#include "skbfilter/skb.h"

TEST(ethernet_ipv4_tcp)
{
	uint8_t p[128];
	size_t o = 0;
	struct proto_stack ps;
	char d[256];

	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x0800);
	o += pb_ipv4(p + o, 6, 52, 0x1234, PB_IP_A, PB_IP_B);
	o += pb_tcp(p + o, 40000, 5001, 1000, 8);
	proto_parse(p, o, PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 3);
	ASSERT_EQ(ps.l[0].kind, PROTO_ETH);
	ASSERT_EQ(ps.l[0].u.eth.type, 0x0800);
	ASSERT_EQ(ps.l[1].kind, PROTO_IPV4);
	ASSERT_EQ(ps.l[1].off, 14);
	ASSERT_EQ(ps.l[1].hlen, 20);
	ASSERT_EQ(ps.l[1].u.ip4.proto, 6);
	ASSERT_TRUE(ps.l[1].u.ip4.csum_ok);
	ASSERT_EQ(ps.l[2].kind, PROTO_TCP);
	ASSERT_EQ(ps.l[2].hlen, 32);
	ASSERT_EQ(ps.l[2].u.tcp.dport, 5001);
	ASSERT_EQ(ps.payload_off, 14 + 20 + 32);
	ASSERT_TRUE(!ps.truncated);
	proto_describe(&ps.l[1], d, sizeof(d));
	ASSERT_CONTAINS(d, "192.0.2.1 -> 192.0.2.2 proto 6");
	proto_describe(&ps.l[2], d, sizeof(d));
	ASSERT_CONTAINS(d, "40000 -> 5001");
	ASSERT_CONTAINS(d, "PSH,ACK");
}

TEST(vlan_qinq)
{
	uint8_t p[128];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x88a8);
	o += pb_vlan(p + o, 0x2064, 0x8100);
	o += pb_vlan(p + o, 0x0005, 0x0800);
	o += pb_ipv4(p + o, 17, 28, 1, PB_IP_A, PB_IP_B);
	o += pb_udp(p + o, 1, 53, 8);
	proto_parse(p, o, PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 5);
	ASSERT_EQ(ps.l[1].kind, PROTO_VLAN);
	ASSERT_EQ(ps.l[1].u.vlan.tpid, 0x88a8);
	ASSERT_EQ(ps.l[1].u.vlan.tci & 0xfff, 100);
	ASSERT_EQ(ps.l[2].u.vlan.tpid, 0x8100);
	ASSERT_EQ(ps.l[2].u.vlan.tci, 5);
	ASSERT_EQ(ps.l[3].kind, PROTO_IPV4);
	ASSERT_EQ(ps.l[4].kind, PROTO_UDP);
	ASSERT_EQ(ps.l[4].u.udp.dport, 53);
}

TEST(vxlan_inner_tcp)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_ipv4(p + o, 17, 200, 7, PB_IP_A, PB_IP_B);
	o += pb_udp(p + o, 50000, 4789, 180);
	o += pb_vxlan(p + o, 4242);
	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x0800);
	o += pb_ipv4(p + o, 6, 100, 9, PB_IP_C, PB_IP_D);
	o += pb_tcp(p + o, 1234, 5001, 5, 5);
	proto_parse(p, o, PROTO_KIND_MAX, &ps);
	ASSERT_EQ(ps.n, 6);
	ASSERT_EQ(ps.l[2].kind, PROTO_VXLAN);
	ASSERT_EQ(ps.l[2].u.vxlan.vni, 4242);
	ASSERT_EQ(ps.l[3].kind, PROTO_ETH);
	ASSERT_EQ(ps.l[4].kind, PROTO_IPV4);
	ASSERT_EQ(ps.l[4].off, 20 + 8 + 8 + 14);
	ASSERT_EQ(ps.l[5].kind, PROTO_TCP);
}

TEST(geneve_with_options)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_ipv4(p + o, 17, 200, 7, PB_IP_A, PB_IP_B);
	o += pb_udp(p + o, 50000, 6081, 180);
	memset(p + o, 0, 16);
	p[o] = 2;		/* ver 0, optlen 2 words */
	st_be16(p + o + 2, 0x6558);
	st_be32(p + o + 4, 77u << 8);
	o += 16;
	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x86dd);
	o += pb_ipv6(p + o, 17, 8, 1, 2);
	o += pb_udp(p + o, 1, 2, 8);
	proto_parse(p, o, PROTO_IPV4, &ps);
	ASSERT_EQ(ps.n, 6);
	ASSERT_EQ(ps.l[2].kind, PROTO_GENEVE);
	ASSERT_EQ(ps.l[2].hlen, 16);
	ASSERT_EQ(ps.l[2].u.geneve.vni, 77);
	ASSERT_EQ(ps.l[4].kind, PROTO_IPV6);
	ASSERT_EQ(ps.l[5].kind, PROTO_UDP);
}

TEST(gre_key_ipv4)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_ipv4(p + o, 47, 100, 7, PB_IP_A, PB_IP_B);
	st_be16(p + o, 0x2000);	/* K */
	st_be16(p + o + 2, 0x0800);
	st_be32(p + o + 4, 0xabcdef01);
	o += 8;
	o += pb_ipv4(p + o, 1, 28, 1, PB_IP_C, PB_IP_D);
	p[o] = 8;
	p[o + 1] = 0;
	o += 8;
	proto_parse(p, o, PROTO_IPV4, &ps);
	ASSERT_EQ(ps.n, 4);
	ASSERT_EQ(ps.l[1].kind, PROTO_GRE);
	ASSERT_EQ(ps.l[1].hlen, 8);
	ASSERT_U64(ps.l[1].u.gre.key, 0xabcdef01);
	ASSERT_EQ(ps.l[2].kind, PROTO_IPV4);
	ASSERT_EQ(ps.l[3].kind, PROTO_ICMP);
	ASSERT_EQ(ps.l[3].u.icmp.type, 8);
}

TEST(ipip_sit_and_6in6)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_ipv4(p + o, 4, 60, 1, PB_IP_A, PB_IP_B);
	o += pb_ipv4(p + o, 41, 40, 2, PB_IP_C, PB_IP_D);
	o += pb_ipv6(p + o, 41, 48, 1, 2);
	o += pb_ipv6(p + o, 6, 20, 3, 4);
	o += pb_tcp(p + o, 1, 2, 3, 5);
	proto_parse(p, o, PROTO_IPV4, &ps);
	ASSERT_EQ(ps.n, 5);
	ASSERT_TRUE(ps.l[0].encap == NULL);
	ASSERT_STREQ(ps.l[1].encap, "IPIP");
	ASSERT_STREQ(ps.l[2].encap, "SIT");
	ASSERT_STREQ(ps.l[3].encap, "IPv6-in-IPv6");
	ASSERT_EQ(ps.l[4].kind, PROTO_TCP);
}

TEST(ipv6_extension_headers)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_ipv6(p + o, 0, 36, 1, 2);	/* hop-by-hop */
	memset(p + o, 0, 8);
	p[o] = 60;				/* -> destination options */
	o += 8;
	memset(p + o, 0, 16);
	p[o] = 17;
	p[o + 1] = 1;				/* 16 bytes */
	o += 16;
	o += pb_udp(p + o, 5, 6, 8);
	proto_parse(p, o, PROTO_IPV6, &ps);
	ASSERT_EQ(ps.n, 2);
	ASSERT_EQ(ps.l[0].hlen, 64);
	ASSERT_EQ(ps.l[0].u.ip6.next, 0);
	ASSERT_EQ(ps.l[0].u.ip6.upper, 17);
	ASSERT_EQ(ps.l[1].kind, PROTO_UDP);
	ASSERT_EQ(ps.l[1].off, 64);
}

/* The seed: a TCP payload that looks like IPIP stays payload. */
TEST(tcp_payload_is_not_parsed)
{
	uint8_t p[256];
	size_t o = 0;
	struct proto_stack ps;

	o += pb_eth(p + o, PB_MAC_ZERO, PB_MAC_ZERO, 0x0800);
	o += pb_ipv4(p + o, 6, 200, 1, PB_IP_A, PB_IP_B);
	o += pb_tcp(p + o, 24173, 80, 1, 5);
	o += pb_ipv4(p + o, 4, 100, 2, PB_IP_C, PB_IP_D);
	o += pb_ipv4(p + o, 6, 80, 3, PB_IP_C, PB_IP_D);
	proto_parse(p, o, PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 3);
	ASSERT_EQ(ps.l[2].kind, PROTO_TCP);
	ASSERT_STREQ(ps.stop, "TCP payload");
}

TEST(truncated_headers)
{
	uint8_t p[128];
	size_t o = 0, full;
	struct proto_stack ps;

	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x0800);
	o += pb_ipv4(p + o, 6, 52, 0x1234, PB_IP_A, PB_IP_B);
	full = o + pb_tcp(p + o, 1, 2, 3, 8);
	for (size_t cut = 0; cut < full; cut++) {
		proto_parse(p, cut, PROTO_ETH, &ps);
		ASSERT_TRUE(ps.n <= 3);
		ASSERT_TRUE(ps.payload_off <= cut);
		if (cut > 14 && cut < 34)
			ASSERT_TRUE(ps.truncated);
	}
	/* IHL below 5 and TCP doff below 5 stop the parse. */
	p[14] = 0x43;
	proto_parse(p, full, PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 2);
	ASSERT_CONTAINS(ps.stop, "IHL");
}

TEST(unknown_ethertype_and_garbage)
{
	uint8_t p[64];
	struct proto_stack ps;

	memset(p, 0xff, sizeof(p));
	proto_parse(p, sizeof(p), PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 1);
	ASSERT_CONTAINS(ps.stop, "ethertype 0xffff");
	proto_parse(p, sizeof(p), PROTO_KIND_MAX, &ps);
	ASSERT_EQ(ps.n, 0);
	proto_parse(p, 0, PROTO_ETH, &ps);
	ASSERT_EQ(ps.n, 0);
}

TEST(deep_nesting_is_bounded)
{
	uint8_t p[20 * 40];
	size_t o = 0;
	struct proto_stack ps;

	for (int i = 0; i < 40; i++)
		o += pb_ipv4(p + o, 4, 100, (uint16_t)i, PB_IP_A, PB_IP_B);
	proto_parse(p, o, PROTO_IPV4, &ps);
	ASSERT_EQ(ps.n, PROTO_MAX_LAYERS);
	ASSERT_CONTAINS(ps.stop, "layers");
}

TEST(checksum)
{
	uint8_t p[20];

	pb_ipv4(p, 6, 40, 1, PB_IP_A, PB_IP_B);
	ASSERT_EQ(proto_csum_add(0, p, 20), 0xffff);
	p[8] = 1;
	ASSERT_TRUE(proto_csum_add(0, p, 20) != 0xffff);
}

TEST(json_output)
{
	uint8_t p[128];
	size_t o = 0;
	struct proto_stack ps;
	struct strbuf sb;
	struct json j;

	o += pb_eth(p + o, PB_MAC_B, PB_MAC_A, 0x86dd);
	o += pb_ipv6(p + o, 6, 20, 1, 2);
	o += pb_tcp(p + o, 1, 2, 3, 5);
	proto_parse(p, o, PROTO_ETH, &ps);
	strbuf_init(&sb);
	json_init(&j, &sb, false);
	json_obj_begin(&j, NULL);
	proto_json(&j, "headers", &ps);
	json_obj_end(&j);
	ASSERT_CONTAINS(sb.buf, "\"proto\":\"IPv6\"");
	ASSERT_CONTAINS(sb.buf, "\"src\":\"2001:db8::1\"");
	ASSERT_CONTAINS(sb.buf, "\"proto\":\"TCP\"");
	strbuf_release(&sb);
}

TEST_MAIN()
