// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap / pcapng writers (src/report/pcap.c, pcapng.c) and the JSON report over
 * hand-made records: link type choice, SLL2 headers, snaplen, nanosecond
 * timestamps read back through libpcap, pcapng block structure.
 */
#include <pcap/pcap.h>
#include <zlib.h>

#include "harness.h"
#include "pktbuild.h"

#include "skbfilter/report.h"
#include "skbfilter/skb.h"

static uint8_t pkt_eth[74], pkt_ip[60];

static void mk_record(struct skb_record *r, bool from_mac, uint64_t addr)
{
	memset(r, 0, sizeof(*r));
	r->f.addr = addr;
	r->f.protocol = 0x0800;
	r->f.pkt_type = 4;
	r->dev.valid = true;
	r->f.dev = 0xffff888000001000ull;
	snprintf(r->dev.name, sizeof(r->dev.name), "eth7");
	r->dev.ifindex = 7;
	r->dev.type = 1;
	r->wall_ns = 1700000000123456789ull;
	r->nplaces = 1;
	r->places[0].kind = PLACE_REGISTER;
	snprintf(r->places[0].reg, sizeof(r->places[0].reg), "rdi");
	if (from_mac) {
		size_t o = pb_eth(pkt_eth, PB_MAC_B, PB_MAC_A, 0x0800);
		o += pb_ipv4(pkt_eth + o, 6, 60, 1, PB_IP_A, PB_IP_B);
		pb_tcp(pkt_eth + o, 1, 2, 3, 10);
		r->pkt.bytes = malloc(sizeof(pkt_eth));
		memcpy(r->pkt.bytes, pkt_eth, sizeof(pkt_eth));
		r->pkt.len = sizeof(pkt_eth);
		r->pkt.from_mac = true;
		r->pkt.l3_off = 14;
	} else {
		pb_ipv4(pkt_ip, 6, 60, 1, PB_IP_A, PB_IP_B);
		pb_tcp(pkt_ip + 20, 1, 2, 3, 10);
		r->pkt.bytes = malloc(sizeof(pkt_ip));
		memcpy(r->pkt.bytes, pkt_ip, sizeof(pkt_ip));
		r->pkt.len = sizeof(pkt_ip);
		r->pkt.l3_off = 0;
	}
	r->pkt.complete = true;
	r->pkt.crc32 = (uint32_t)crc32(0, r->pkt.bytes, r->pkt.len);
	findings_add(&r->findings, "gso-dodgy", SEV_WARNING, "test finding");
}

static struct skb_scan *mk_scan(int n, const bool *from_mac)
{
	struct skb_scan *s = calloc(1, sizeof(*s));

	s->records = calloc((size_t)n, sizeof(*s->records));
	s->nrecords = n;
	for (int i = 0; i < n; i++)
		mk_record(&s->records[i], from_mac[i], 0xffff888000100000ull + 0x100u * (unsigned)i);
	pb_gso_names(&s->gso);
	return s;
}

static pcap_t *open_back(const char *path, char *errbuf)
{
	return pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
}

TEST(linktype_choice)
{
	bool mm[2] = { true, true }, nn[2] = { false, false }, mn[2] = { true, false };
	struct skb_scan *a = mk_scan(2, mm), *b = mk_scan(2, nn), *c = mk_scan(2, mn);

	ASSERT_EQ(skb_pcap_linktype(a), LINKTYPE_ETHERNET);
	ASSERT_EQ(skb_pcap_linktype(b), LINKTYPE_RAW);
	ASSERT_EQ(skb_pcap_linktype(c), LINKTYPE_LINUX_SLL2);
	/* payload-only skbs do not count */
	c->records[0].pkt.from_data = true;
	ASSERT_EQ(skb_pcap_linktype(c), LINKTYPE_RAW);
	skb_scan_destroy(a);
	skb_scan_destroy(b);
	skb_scan_destroy(c);
}

TEST(sll2_frame)
{
	bool mn[2] = { true, false };
	struct skb_scan *s = mk_scan(2, mn);
	struct sf_err err = { 0 };
	uint8_t *buf;
	uint32_t len;

	ASSERT_OK(skb_pcap_frame(&s->records[0], LINKTYPE_LINUX_SLL2, &buf, &len, &err), &err);
	ASSERT_EQ(len, 20 + 60);
	ASSERT_EQ(ld_be16(buf), 0x0800);
	ASSERT_EQ(ld_be32(buf + 4), 7);
	ASSERT_EQ(ld_be16(buf + 8), 1);
	ASSERT_EQ(buf[10], 4);
	ASSERT_EQ(buf[11], 6);
	ASSERT_TRUE(!memcmp(buf + 12, PB_MAC_A, 6));
	ASSERT_EQ(buf[20], 0x45);
	free(buf);
	ASSERT_OK(skb_pcap_frame(&s->records[1], LINKTYPE_LINUX_SLL2, &buf, &len, &err), &err);
	ASSERT_EQ(len, 20 + 60);
	ASSERT_EQ(buf[11], 0);
	free(buf);
	skb_scan_destroy(s);
}

TEST(pcap_roundtrip_through_libpcap)
{
	bool mn[2] = { true, false };
	struct skb_scan *s = mk_scan(2, mn);
	struct sf_err err = { 0 };
	char path[] = "/tmp/skbf-test-pcap.XXXXXX", errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int fd = mkstemp(path);

	ASSERT_TRUE(fd >= 0);
	close(fd);
	ASSERT_OK(skb_pcap_write(path, s, 40, false, &err), &err);
	p = open_back(path, errbuf);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(pcap_datalink(p), DLT_LINUX_SLL2);
	ASSERT_EQ(pcap_next_ex(p, &h, &data), 1);
	ASSERT_EQ(h->caplen, 40);
	ASSERT_EQ(h->len, 80);
	ASSERT_EQ(h->ts.tv_sec, 1700000000);
	ASSERT_EQ(h->ts.tv_usec, 123456789);
	ASSERT_EQ(pcap_next_ex(p, &h, &data), 1);
	ASSERT_EQ(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	unlink(path);
	skb_scan_destroy(s);
}

TEST(pcapng_blocks)
{
	bool mm[3] = { true, true, true };
	struct skb_scan *s = mk_scan(3, mm);
	struct sf_err err = { 0 };
	char path[] = "/tmp/skbf-test-pcapng.XXXXXX";
	uint8_t buf[8192];
	size_t n, off = 0;
	int fd = mkstemp(path), idb = 0, epb = 0, comments = 0;
	FILE *f;

	ASSERT_TRUE(fd >= 0);
	close(fd);
	s->records[2].f.dev = 0;
	s->records[2].dev.valid = false;
	s->records[1].depth = 1;	/* frag_list members are not written */
	ASSERT_OK(skb_pcapng_write(path, s, 0, false, &err), &err);
	f = fopen(path, "rb");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (off + 12 <= n) {
		uint32_t type = ld_le32(buf + off), len = ld_le32(buf + off + 4);

		ASSERT_TRUE(len >= 12 && len % 4 == 0 && off + len <= n);
		ASSERT_EQ(ld_le32(buf + off + len - 4), len);
		if (type == 1)
			idb++;
		if (type == 6) {
			epb++;
			comments += memmem(buf + off, len, "skb 0xffff888000100", 19) != NULL;
		}
		off += len;
	}
	ASSERT_EQ(off, n);
	ASSERT_EQ(idb, 2);	/* eth7 and "unknown" */
	ASSERT_EQ(epb, 2);
	ASSERT_EQ(comments, 2);
	unlink(path);
	skb_scan_destroy(s);
}

TEST(json_report_contract)
{
	bool mm[1] = { true };
	struct skb_scan *s = mk_scan(1, mm);
	struct report_ctx rc = { 0 };
	struct warnlist w;
	struct strbuf sb;

	warnlist_init(&w);
	warn_add(&w, "a \"quoted\" warning");
	s->records[0].f.gso_type = 0x403;
	s->records[0].f.gso_size = 1348;
	rc.s = s;
	rc.w = &w;
	rc.dump_path = "vmcore";
	strbuf_init(&sb);
	report_json(&rc, &sb);
	ASSERT_CONTAINS(sb.buf, "\"skbs\": [");
	ASSERT_CONTAINS(sb.buf, "\"addr\": \"ffff888000100000\"");
	ASSERT_CONTAINS(sb.buf, "\"SKB_GSO_UDP_TUNNEL\"");
	ASSERT_CONTAINS(sb.buf, "\"crc32\": \"");
	ASSERT_CONTAINS(sb.buf, "\"complete\": true");
	ASSERT_CONTAINS(sb.buf, "\"severity\": \"warning\"");
	ASSERT_CONTAINS(sb.buf, "\"panic\": null");
	ASSERT_CONTAINS(sb.buf, "a \\\"quoted\\\" warning");
	strbuf_release(&sb);
	strbuf_init(&sb);
	report_text(&rc, &sb);
	ASSERT_CONTAINS(sb.buf, "sk_buff ffff888000100000");
	ASSERT_CONTAINS(sb.buf, "SKB_GSO_TCPV4|SKB_GSO_DODGY|SKB_GSO_UDP_TUNNEL");
	strbuf_release(&sb);
	warnlist_release(&w);
	skb_scan_destroy(s);
}

/*
 * An unset header offset (the kernel's u16 ~0: mac_header of a locally
 * generated UDP GSO skb at POST_ROUTING) is -1 in JSON and text, as in
 * truth.json; 65535 would read as an offset.
 */
TEST(unset_header_offsets)
{
	bool nn[1] = { false };
	struct skb_scan *s = mk_scan(1, nn);
	struct report_ctx rc = { 0 };
	struct warnlist w;
	struct strbuf sb;

	warnlist_init(&w);
	s->records[0].f.mac_header = SKB_HDR_UNSET;
	s->records[0].f.network_header = 16;
	s->records[0].f.transport_header = SKB_HDR_UNSET;
	s->records[0].f.inner_network_header = 0;
	rc.s = s;
	rc.w = &w;
	rc.dump_path = "vmcore";
	strbuf_init(&sb);
	report_json(&rc, &sb);
	ASSERT_CONTAINS(sb.buf, "\"mac_header\": -1,");
	ASSERT_CONTAINS(sb.buf, "\"network_header\": 16,");
	ASSERT_CONTAINS(sb.buf, "\"transport_header\": -1,");
	ASSERT_CONTAINS(sb.buf, "\"inner_network_header\": 0,");
	ASSERT_TRUE(strstr(sb.buf, "65535") == NULL);
	strbuf_release(&sb);
	strbuf_init(&sb);
	report_text(&rc, &sb);
	ASSERT_CONTAINS(sb.buf, "headers: mac -1 network 16 transport -1");
	strbuf_release(&sb);
	warnlist_release(&w);
	skb_scan_destroy(s);
}

/* --segment: TCP over IPv4, 250 bytes of payload at gso_size 100. */
TEST(software_gso_segments)
{
	static struct skb_record r;
	static uint8_t b[14 + 20 + 32 + 250];
	struct gso_names g;
	struct skb_segment *segs;
	char why[128];
	int n;
	size_t o = 0;

	memset(&r, 0, sizeof(r));
	pb_gso_names(&g);
	o += pb_eth(b, PB_MAC_B, PB_MAC_A, 0x0800);
	o += pb_ipv4(b + o, 6, 20 + 32 + 250, 0x1000, PB_IP_A, PB_IP_B);
	o += pb_tcp(b + o, 1, 2, 1000, 8);
	b[14 + 20 + 13] = 0x19;	/* FIN PSH ACK */
	for (int i = 0; i < 250; i++)
		b[o + i] = (uint8_t)i;
	r.pkt.bytes = b;
	r.pkt.len = sizeof(b);
	r.pkt.complete = true;
	r.pkt.from_mac = true;
	r.f.gso_size = 100;
	r.f.gso_type = 1;
	proto_parse(b, sizeof(b), PROTO_ETH, &r.layers);
	ASSERT_EQ(skb_segment_packet(&r, &g, &segs, &n, why, sizeof(why)), 0);
	ASSERT_EQ(n, 3);
	for (int i = 0; i < n; i++) {
		const uint8_t *s = segs[i].bytes, *ip = s + 14, *tcp = s + 34;
		uint32_t plen = i < 2 ? 100 : 50, sum;
		uint8_t ph[12];

		ASSERT_EQ(segs[i].len, 66 + plen);
		ASSERT_EQ(ld_be16(ip + 2), 52 + plen);
		ASSERT_EQ(ld_be16(ip + 4), 0x1000 + i);
		ASSERT_EQ(proto_csum_add(0, ip, 20), 0xffff);
		ASSERT_EQ(ld_be32(tcp + 4), 1000 + 100 * (uint32_t)i);
		ASSERT_EQ(tcp[13], i < 2 ? 0x10 : 0x19);
		memcpy(ph, ip + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		st_be16(ph + 10, (uint16_t)(32 + plen));
		sum = proto_csum_add(0, ph, 12);
		ASSERT_EQ(proto_csum_add(sum, tcp, 32 + plen), 0xffff);
		ASSERT_EQ(s[66], (uint8_t)(100 * i));
	}
	skb_segments_free(segs, n);
	/* Not GSO, or incomplete: refused with a reason. */
	r.pkt.complete = false;
	ASSERT_TRUE(skb_segment_packet(&r, &g, &segs, &n, why, sizeof(why)) < 0);
	ASSERT_CONTAINS(why, "incomplete");
}

TEST_MAIN()
