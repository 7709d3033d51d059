// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Validation and packet rebuild over a fake in-memory kernel
 * (fakekernel.h), including hostile skbs: cyclic frag_list, nr_frags 255,
 * offsets past the end, free slab objects, missing frag pages.
 */
#include <zlib.h>

#include "harness.h"
#include "fakekernel.h"
#include "pktbuild.h"

#include "skbfilter/skb.h"

static struct fakekernel fk;

static uint32_t make_default(uint64_t skb, uint64_t head_pa, int nfrags, uint32_t frag_len)
{
	uint8_t hdr[28];

	pb_ipv4(hdr, 17, (uint16_t)(28 + nfrags * frag_len), 1, PB_IP_A, PB_IP_B);
	pb_udp(hdr + 20, 1000, 2000, (uint16_t)(8 + nfrags * frag_len));
	fk_make_skb(&fk, skb, head_pa, hdr, 28, 64, nfrags, frag_len);
	return 28 + (uint32_t)nfrags * frag_len;
}

static int validate(uint64_t addr, struct skb_record *r, struct sf_err *err)
{
	struct skb_validate_opts vo = { 0 };

	return skb_validate(&fk.m, &fk.L, &vo, addr, r, err);
}

TEST(valid_skb_with_frags)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };
	uint32_t len;

	fk_init(&fk);
	len = make_default(fk_obj(0), 4 * FK_PAGE, 2, 5000);
	ASSERT_OK(validate(fk_obj(0), &r, &err), &err);
	ASSERT_EQ(r.f.len, len);
	ASSERT_EQ(r.f.network_header, 64);
	ASSERT_EQ(r.f.protocol, 0x0800);
	ASSERT_EQ(r.f.nr_frags, 2);
	ASSERT_STREQ(r.cache, "skbuff_fclone_cache");
	ASSERT_EQ(r.frags[0].len, 5000);
	ASSERT_U64(r.frags[0].head_page, fk_page_struct(8));
	ASSERT_U64(r.frags[0].phys, 8 * FK_PAGE + 100);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, NULL, &err), &err);
	ASSERT_TRUE(r.pkt.complete);
	ASSERT_TRUE(!r.pkt.from_mac);
	ASSERT_EQ(r.pkt.len, len);
	ASSERT_EQ(r.pkt.bytes[0], 0x45);
	ASSERT_EQ(r.pkt.bytes[28], 0);
	ASSERT_EQ(r.pkt.bytes[28 + 5000], 16);
	ASSERT_EQ(r.pkt.crc32, (uint32_t)crc32(0, r.pkt.bytes, r.pkt.len));
	ASSERT_TRUE(r.pkt.nsegs >= 3);
	skb_record_release(&r);
}

TEST(missing_frag_page_is_listed_not_padded)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 2, 3000);
	fk.missing[10] = true;	/* frag 1's page */
	ASSERT_OK(validate(fk_obj(0), &r, &err), &err);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, NULL, &err), &err);
	ASSERT_TRUE(!r.pkt.complete);
	ASSERT_EQ(r.pkt.nmissing, 1);
	ASSERT_EQ(r.pkt.missing[0].off, 28 + 3000);
	ASSERT_EQ(r.pkt.missing[0].len, 3000);
	ASSERT_EQ(r.pkt.missing_bytes, 3000);
	skb_record_release(&r);
}

TEST(nr_frags_255_rejected)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	uint64_t sh;

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 1, 100);
	sh = fk_va(4 * FK_PAGE) + 512;
	fk_set(&fk, sh, &fk.L.sh_nr_frags, 255);
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "nr_frags 255");
}

TEST(offsets_past_end_rejected)
{
	static struct skb_record r;
	struct sf_err err = { 0 };

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 0, 0);
	fk_set(&fk, fk_obj(0), &fk.L.mac_header, 9000);
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "header offset");
	make_default(fk_obj(0), 4 * FK_PAGE, 0, 0);
	fk_set(&fk, fk_obj(0), &fk.L.tail, 600);	/* tail past end 512 */
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "out of order");
	make_default(fk_obj(0), 4 * FK_PAGE, 0, 0);
	fk_set(&fk, fk_obj(0), &fk.L.data, fk_va(3 * FK_PAGE));	/* data below head */
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
	make_default(fk_obj(0), 4 * FK_PAGE, 1, 100);
	fk_set(&fk, fk_obj(0), &fk.L.data_len, 5000);	/* len < data_len */
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
}

TEST(slab_checks)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	uint64_t in_other = fk_va(3 * FK_PAGE);

	fk_init(&fk);
	make_default(fk_obj(1), 4 * FK_PAGE, 0, 0);
	/* Inside an object, not at its start. */
	ASSERT_TRUE(validate(fk_obj(1) + 8, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "object start");
	/* A copy in a kmalloc slab is not an skb. */
	memcpy(fk.phys + 3 * FK_PAGE, fk.phys + (fk_obj(1) - FK_DIRECT), 520);
	ASSERT_TRUE(validate(in_other, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "kmalloc-512");
	/* Not a slab page at all. */
	memcpy(fk.phys + 5 * FK_PAGE, fk.phys + (fk_obj(1) - FK_DIRECT), 520);
	ASSERT_TRUE(validate(fk_va(5 * FK_PAGE), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "slab page");
	/* The tail page of the compound slab resolves to the head page's cache. */
	make_default(fk_obj(8), 4 * FK_PAGE + 1024, 0, 0);
	ASSERT_TRUE(fk_obj(8) >= fk_va(2 * FK_PAGE));
	ASSERT_OK(validate(fk_obj(8), &r, &err), &err);
	skb_record_release(&r);
}

/* Linux 7.1+ with HVO: a tail's page.compound_info is a mask; the frag's head page is the compound's first. */
TEST(frag_head_page_through_71_compound_info_mask)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	uint64_t e;

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 1, 100);
	e = fk_va(4 * FK_PAGE) + 512 + fk.L.sh_frags.off;	/* frag 0 of skb_shared_info at head + end */
	st_le64(fk.phys + (e - FK_DIRECT), fk_page_struct(9));
	fk_page_set(&fk, 9, 8, (~0ull << 7) | 1);	/* GENMASK(63, order 1 + log2(64)) | 1 */
	ASSERT_OK(validate(fk_obj(0), &r, &err), &err);
	ASSERT_U64(r.frags[0].page, fk_page_struct(9));
	ASSERT_U64(r.frags[0].head_page, fk_page_struct(8));
	skb_record_release(&r);
}

TEST(free_object_rejected)
{
	static struct skb_record r;
	struct sf_err err = { 0 };

	fk_init(&fk);
	make_default(fk_obj(2), 4 * FK_PAGE, 0, 0);
	/* slab freelist: obj 5 -> obj 2 -> NULL (free pointer at offset 128). */
	fk_page_set(&fk, 1, 32, fk_obj(5));
	st_le64(fk.phys + (fk_obj(5) - FK_DIRECT) + 128, fk_obj(2));
	st_le64(fk.phys + (fk_obj(2) - FK_DIRECT) + 128, 0);
	ASSERT_TRUE(validate(fk_obj(2), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "free object");
	/* A freelist that loops does not hang the check. */
	st_le64(fk.phys + (fk_obj(2) - FK_DIRECT) + 128, fk_obj(5));
	make_default(fk_obj(3), 4 * FK_PAGE + 1024, 0, 0);
	ASSERT_OK(validate(fk_obj(3), &r, &err), &err);
	skb_record_release(&r);
}

TEST(fclone_clone_not_in_use_rejected)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	uint64_t skb2 = fk_obj(4) + 256;

	fk_init(&fk);
	make_default(fk_obj(4), 4 * FK_PAGE, 0, 0);
	memcpy(fk.phys + (skb2 - FK_DIRECT), fk.phys + (fk_obj(4) - FK_DIRECT), 256);
	fk_set(&fk, skb2, &fk.L.fclone, 2);
	st_le32(fk.phys + (fk_obj(4) - FK_DIRECT) + 512, 1);
	ASSERT_TRUE(validate(skb2, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "fclone");
	st_le32(fk.phys + (fk_obj(4) - FK_DIRECT) + 512, 2);
	ASSERT_OK(validate(skb2, &r, &err), &err);
	skb_record_release(&r);
}

TEST(freed_object_len_word_rejected)
{
	static struct skb_record r;
	struct sf_err err = { 0 };

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 1, 100);
	/* A freelist pointer written over len/data_len (SLUB's mid-object free pointer). */
	st_le64(fk.phys + (fk_obj(0) - FK_DIRECT) + 40, 0x9fc65400ffff8d3dull);
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
}

/* frag_list A -> members B, C; and a cycle C -> B. */
TEST(frag_list_and_cycle)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };
	struct warnlist w;
	uint64_t a = fk_obj(0), b = fk_obj(1), c = fk_obj(2);
	uint8_t pay[100];

	fk_init(&fk);
	warnlist_init(&w);
	memset(pay, 0xab, sizeof(pay));
	make_default(a, 4 * FK_PAGE, 0, 0);
	fk_make_skb(&fk, b, 4 * FK_PAGE + 1024, pay, 100, 64, 0, 0);
	fk_make_skb(&fk, c, 4 * FK_PAGE + 2048, pay, 60, 64, 0, 0);
	fk_set(&fk, a, &fk.L.len, 28 + 160);
	fk_set(&fk, a, &fk.L.data_len, 160);
	fk_set(&fk, fk_va(4 * FK_PAGE) + 512, &fk.L.sh_frag_list, b);
	fk_set(&fk, b, &fk.L.next, c);
	fk_set(&fk, c, &fk.L.next, 0);
	ASSERT_OK(validate(a, &r, &err), &err);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, &w, &err), &err);
	ASSERT_TRUE(r.pkt.complete);
	ASSERT_EQ(r.pkt.len, 188);
	ASSERT_EQ(r.nfrag_list, 2);
	ASSERT_EQ(r.pkt.bytes[28], 0xab);
	ASSERT_EQ(r.pkt.bytes[187], 0xab);
	skb_record_release(&r);

	/* Cycle: C -> B -> C ... and A's own address in the list. */
	fk_set(&fk, c, &fk.L.next, b);
	fk_set(&fk, a, &fk.L.len, 28 + 60000);
	fk_set(&fk, a, &fk.L.data_len, 60000);
	ASSERT_OK(validate(a, &r, &err), &err);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, &w, &err), &err);
	ASSERT_TRUE(!r.pkt.complete);
	ASSERT_TRUE(w.count > 0);
	skb_record_release(&r);
	{
		uint64_t out[8];
		int n;

		ASSERT_TRUE(skb_frag_list_walk(&fk.m, &fk.L, b, out, 8, &n, &err) < 0);
		ASSERT_EQ(err.code, SF_ELOOP);
	}
	warnlist_release(&w);
}

/*
 * A frag_list pointing back at its own skb while the page frags already hold
 * data_len: the packet is full before the list is reached, and the loop must
 * still be named (it was silently ignored).
 */
TEST(frag_list_self_loop_named_when_packet_full)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };
	struct warnlist w;
	uint64_t a = fk_obj(0);
	bool named = false;

	fk_init(&fk);
	warnlist_init(&w);
	make_default(a, 4 * FK_PAGE, 1, 500);
	fk_set(&fk, fk_va(4 * FK_PAGE) + 512, &fk.L.sh_frag_list, a);
	ASSERT_OK(validate(a, &r, &err), &err);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, &w, &err), &err);
	ASSERT_TRUE(r.pkt.complete);
	for (size_t i = 0; i < w.kept; i++)
		named |= strstr(w.msgs[i], "frag_list revisits") != NULL;
	ASSERT_TRUE(named);
	skb_record_release(&r);
	warnlist_release(&w);
}

TEST(vlan_tag_inserted_from_metadata)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };
	uint8_t hdr[42];

	fk_init(&fk);
	pb_eth(hdr, PB_MAC_B, PB_MAC_A, 0x0800);
	pb_ipv4(hdr + 14, 17, 28, 1, PB_IP_A, PB_IP_B);
	pb_udp(hdr + 34, 1, 2, 8);
	fk_make_skb(&fk, fk_obj(0), 4 * FK_PAGE, hdr, 42, 64, 0, 0);
	fk_set(&fk, fk_obj(0), &fk.L.mac_header, 64);
	fk_set(&fk, fk_obj(0), &fk.L.network_header, 78);
	fk_set(&fk, fk_obj(0), &fk.L.transport_header, 98);
	fk_set(&fk, fk_obj(0), &fk.L.vlan_present, 1);
	fk_set_be16(&fk, fk_obj(0), &fk.L.vlan_proto, 0x8100);
	fk_set(&fk, fk_obj(0), &fk.L.vlan_tci, 42);
	ASSERT_OK(validate(fk_obj(0), &r, &err), &err);
	ASSERT_TRUE(r.f.vlan_present);
	ASSERT_OK(skb_rebuild(&fk.m, &fk.L, &vo, &r, NULL, &err), &err);
	ASSERT_TRUE(r.pkt.from_mac);
	ASSERT_TRUE(r.pkt.vlan_inserted);
	ASSERT_EQ(r.pkt.len, 46);
	ASSERT_EQ(r.pkt.bytes[12], 0x81);
	ASSERT_EQ(r.pkt.bytes[13], 0x00);
	ASSERT_EQ(r.pkt.bytes[15], 42);
	ASSERT_EQ(r.pkt.bytes[16], 0x08);
	ASSERT_EQ(r.pkt.l3_off, 18);
	skb_record_release(&r);
}

TEST(unreadable_skb_rejected_cleanly)
{
	static struct skb_record r;
	struct sf_err err = { 0 };

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE, 0, 0);
	fk.missing[1] = true;
	ASSERT_TRUE(validate(fk_obj(0), &r, &err) < 0);
	ASSERT_TRUE(validate(0xdead0000, &r, &err) < 0);
	ASSERT_TRUE(validate(fk_obj(0) + 4, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "aligned");
}

TEST(bitfield_extraction_both_endians)
{
	struct skb_fld f;
	uint8_t buf[4] = { 0xa0, 0x05, 0, 0 };

	fk_bits(&f, 5, 2);
	ASSERT_EQ(skb_fld_get(&f, buf, 4, false), 1);	/* bits 5..6 of 0xa0 = 01 */
	fk_bits(&f, 8, 4);
	ASSERT_EQ(skb_fld_get(&f, buf, 4, false), 5);
	fk_bits(&f, 0, 3);
	ASSERT_EQ(skb_fld_get(&f, buf, 4, true), 5);	/* big-endian: top 3 bits of 0xa0 = 101 */
	fk_fld(&f, 2, 2);
	ASSERT_EQ(skb_fld_get(&f, buf, 3, false), 0);	/* runs past the buffer: 0, no read */
}

TEST_MAIN()
