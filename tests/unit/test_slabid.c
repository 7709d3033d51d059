// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Slab identity over the fake kernel (fakekernel.h): the skbuff caches are
 * the kmem_caches the kernel's pointers hold, whatever they are called
 * (SLUB merges same-size caches under the first one's name: Debian 6.12's
 * skbuff_fclone_cache is "pool_workqueue"); same-size objects of other
 * types in a merged cache are rejected with a reason; slab pages are told
 * by PG_slab (..6.9) or by the slab page type (6.10/6.11 bit, 6.12+ byte).
 */
#include "harness.h"
#include "fakekernel.h"
#include "pktbuild.h"

#include "skbfilter/skb.h"

static struct fakekernel fk;

#define OTHER_SKB_CACHE fk_va(0x200)	/* a kmem_cache standing for skbuff_cache */

static void make_default(uint64_t skb, uint64_t head_pa)
{
	uint8_t hdr[28];

	pb_ipv4(hdr, 17, 28, 1, PB_IP_A, PB_IP_B);
	pb_udp(hdr + 20, 1000, 2000, 8);
	fk_make_skb(&fk, skb, head_pa, hdr, 28, 64, 0, 0);
}

/* fk's skbuff slab cache renamed as a merged cache would be. */
static void rename_cache(const char *name)
{
	memset(fk.phys + 0x800, 0, 32);
	memcpy(fk.phys + 0x800, name, strlen(name) + 1);
}

static int validate_vo(const struct skb_validate_opts *vo, uint64_t addr, struct skb_record *r, struct sf_err *err)
{
	sf_err_clear(err);
	return skb_validate(&fk.m, &fk.L, vo, addr, r, err);
}

static void init_merged(struct skb_validate_opts *vo)
{
	fk_init(&fk);
	rename_cache("pool_workqueue");
	st_le32(fk.phys + 0x100 + 16, 3);	/* refcount: two caches alias it */
	st_le32(fk.phys + 0x200 + 24, 256);
	memset(vo, 0, sizeof(*vo));
	vo->skb_cache = OTHER_SKB_CACHE;
	vo->fclone_cache = fk.cache;
}

TEST(merged_renamed_fclone_cache_found_by_pointer)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo, none = { 0 };
	uint64_t skb2 = fk_obj(1) + 256;

	init_merged(&vo);
	make_default(fk_obj(0), 4 * FK_PAGE);
	ASSERT_OK(validate_vo(&vo, fk_obj(0), &r, &err), &err);
	ASSERT_STREQ(r.cache, "pool_workqueue");	/* shown, not used */
	skb_record_release(&r);
	/* The second skb of a pair in use (fclone CLONE, fclone_ref 2), as the k612 primary skb. */
	make_default(fk_obj(1), 5 * FK_PAGE);
	memcpy(fk.phys + (skb2 - FK_DIRECT), fk.phys + (fk_obj(1) - FK_DIRECT), 256);
	fk_set(&fk, skb2, &fk.L.fclone, 2);
	st_le32(fk.phys + (fk_obj(1) - FK_DIRECT) + 512, 2);
	ASSERT_OK(validate_vo(&vo, skb2, &r, &err), &err);
	skb_record_release(&r);
	/* Without the pointers, the cache's layout (size == ALIGN(sizeof(struct sk_buff_fclones), align)) tells it, */
	ASSERT_OK(validate_vo(&none, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
	/* also when an alias raised object_size (arm64 Debian 6.1: 512 for 472) ... */
	st_le32(fk.phys + 0x100 + 28, 520);
	ASSERT_OK(validate_vo(&none, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
	/* ... but not a cache of another size: not recognised, and says why. */
	st_le32(fk.phys + 0x100 + 36, 64);	/* ALIGN(516, 64) == 576 != 520 */
	ASSERT_TRUE(validate_vo(&none, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "\"pool_workqueue\", whose layout is not an skbuff cache's");
}

TEST(layout_fingerprint_of_skbuff_cache)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts none = { 0 };

	fk_init(&fk);
	rename_cache("kmalloc-256");
	fk_fld(&fk.L.kc_useroffset, 80, 4);
	fk_fld(&fk.L.kc_usersize, 84, 4);
	fk_fld(&fk.L.cb, 136, 48);
	make_default(fk_obj(0), 4 * FK_PAGE);
	fk_set(&fk, fk_obj(0), &fk.L.fclone, 0);
	/* object_size sizeof(struct sk_buff) but no usercopy region cb: some other 256-byte cache. */
	st_le32(fk.phys + 0x100 + 28, 256);
	ASSERT_EQ(skb_cache_kind(&fk.m, &fk.L, &none, fk.cache), SKB_CACHE_NONE);
	ASSERT_TRUE(validate_vo(&none, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "whose layout is not an skbuff cache's");
	/* usercopy region == sk_buff.cb: skbuff_cache (unmergeable with CONFIG_HARDENED_USERCOPY). */
	st_le32(fk.phys + 0x100 + 80, 136);
	st_le32(fk.phys + 0x100 + 84, 48);
	ASSERT_EQ(skb_cache_kind(&fk.m, &fk.L, &none, fk.cache), SKB_CACHE_SKB);
	ASSERT_OK(validate_vo(&none, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
	/* The pointers, when known, overrule the layout. */
	none.skb_cache = OTHER_SKB_CACHE;
	none.fclone_cache = fk_va(0x280);
	ASSERT_EQ(skb_cache_kind(&fk.m, &fk.L, &none, fk.cache), SKB_CACHE_NONE);
}

TEST(pointer_decides_not_name)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };

	fk_init(&fk);	/* the slab's cache is named "skbuff_fclone_cache" */
	make_default(fk_obj(0), 4 * FK_PAGE);
	vo.skb_cache = OTHER_SKB_CACHE;
	vo.fclone_cache = fk_va(0x280);
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "\"skbuff_fclone_cache\", which is neither skbuff_cache");
}

/*
 * An sk_buff in a CPU's napi_alloc_cache.skb_cache is free (NAPI keeps it for
 * its next allocation; a GRO-merged segment lands there with its fields
 * intact, its head now a frag of the merged skb), though on no SLUB freelist.
 */
TEST(napi_cached_skb_is_free)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };
	uint64_t cached[2];

	fk_init(&fk);
	make_default(fk_obj(0), 4 * FK_PAGE);
	make_default(fk_obj(1), 5 * FK_PAGE);
	ASSERT_EQ(validate_vo(&vo, fk_obj(0), &r, &err), 0);
	skb_record_release(&r);
	cached[0] = fk_obj(1);
	cached[1] = fk_obj(2);
	vo.napi_cached = cached;
	vo.n_napi_cached = 2;
	ASSERT_EQ(validate_vo(&vo, fk_obj(0), &r, &err), 0);	/* not cached: live */
	skb_record_release(&r);
	ASSERT_TRUE(validate_vo(&vo, fk_obj(1), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "napi_alloc_cache.skb_cache");
}

TEST(decoys_in_merged_cache_rejected_with_reason)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo;
	uint64_t d = fk_obj(2);

	init_merged(&vo);
	/* A same-size object of another type: pointers and small counts, no fclone ORIG. */
	make_default(d, 4 * FK_PAGE);
	fk_set(&fk, d, &fk.L.fclone, 0);
	ASSERT_TRUE(validate_vo(&vo, d, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "fclone 0 at sk_buff_fclones.skb1");
	/* ... whose "head" is no direct-map address. */
	make_default(d, 4 * FK_PAGE);
	fk_set(&fk, d, &fk.L.head, FK_VMEMMAP + 0x40);
	fk_set(&fk, d, &fk.L.data, FK_VMEMMAP + 0x80);
	ASSERT_TRUE(validate_vo(&vo, d, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "head 0xffffea0000000040 is not mapped");
	/* ... whose buffer has no user. */
	make_default(d, 4 * FK_PAGE);
	fk_set(&fk, fk_va(4 * FK_PAGE) + 512, &fk.L.sh_dataref, 0);
	ASSERT_TRUE(validate_vo(&vo, d, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "dataref 0x0");
	/* ... found through a pointer into the middle of an object. */
	make_default(d, 4 * FK_PAGE);
	ASSERT_TRUE(validate_vo(&vo, d + 64, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "not at an object start: offset 64 into a 520-byte object");
	/* ... with skb2's offset but not a clone in use. */
	ASSERT_TRUE(validate_vo(&vo, d + 256, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "fclone 0 at sk_buff_fclones.skb2");
	/* The untouched object still passes. */
	ASSERT_OK(validate_vo(&vo, d, &r, &err), &err);
	skb_record_release(&r);
}

TEST(skbuff_cache_objects_are_not_fclones)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo = { 0 };

	fk_init(&fk);
	rename_cache("kmalloc-rnd-07-256");	/* merged under a kmalloc name */
	vo.skb_cache = fk.cache;
	vo.fclone_cache = fk_va(0x280);
	make_default(fk_obj(0), 4 * FK_PAGE);
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);	/* fk_make_skb writes fclone ORIG */
	ASSERT_CONTAINS(err.msg, "fclone 1 at an skbuff_cache object (expected 0)");
	fk_set(&fk, fk_obj(0), &fk.L.fclone, 0);
	ASSERT_OK(validate_vo(&vo, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
	/* No skb2 in a plain skbuff_cache object. */
	memcpy(fk.phys + (fk_obj(0) + 256 - FK_DIRECT), fk.phys + (fk_obj(0) - FK_DIRECT), 256);
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0) + 256, &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "not at an object start: offset 256");
}

TEST(slab_page_type_6_12_byte)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo;

	init_merged(&vo);
	make_default(fk_obj(0), 4 * FK_PAGE);
	/* 6.12: no PG_slab; page_type top byte PGTY_slab (VMCOREINFO PAGE_SLAB_MAPCOUNT_VALUE -184549376). */
	skb_layout_set_slab_type(&fk.L, (uint32_t)-184549376);
	ASSERT_EQ(fk.L.slab_mark, SLAB_MARK_TYPE_BYTE);
	fk_page_set(&fk, 1, 0, 0);
	fk_page_set(&fk, 1, 48, 0xffffffffull);	/* _mapcount -1: an ordinary page */
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "not in a slab page");
	ASSERT_CONTAINS(err.msg, "page_type top byte 0xf5");
	fk_page_set(&fk, 1, 48, 0xf0000000ull);	/* PGTY_buddy */
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);
	fk_page_set(&fk, 1, 48, 0xf5000000ull);
	ASSERT_OK(validate_vo(&vo, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
}

TEST(slab_page_type_6_10_bit)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo;

	init_merged(&vo);
	make_default(fk_obj(0), 4 * FK_PAGE);
	/* 6.10/6.11: PAGE_SLAB_MAPCOUNT_VALUE = ~PG_slab (0x1000) under PAGE_TYPE_BASE. */
	skb_layout_set_slab_type(&fk.L, ~0x1000u);
	ASSERT_EQ(fk.L.slab_mark, SLAB_MARK_TYPE_BITS);
	fk_page_set(&fk, 1, 0, 0);
	fk_page_set(&fk, 1, 48, ~0x80u);	/* PG_buddy */
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "not in a slab page");
	fk_page_set(&fk, 1, 48, ~0x1000u);
	ASSERT_OK(validate_vo(&vo, fk_obj(0), &r, &err), &err);
	skb_record_release(&r);
}

TEST(slab_mark_unknown_is_named)
{
	static struct skb_record r;
	struct sf_err err = { 0 };
	struct skb_validate_opts vo;

	init_merged(&vo);
	make_default(fk_obj(0), 4 * FK_PAGE);
	fk.L.slab_mark = SLAB_MARK_NONE;
	ASSERT_TRUE(validate_vo(&vo, fk_obj(0), &r, &err) < 0);
	ASSERT_CONTAINS(err.msg, "slab pages cannot be told apart");
}

TEST(page_is_slab_flag_and_types)
{
	struct skb_layout L;
	uint8_t pg[64] = { 0 };

	fk_layout(&L);
	st_le64(pg, 1ull << FK_PG_SLAB);
	ASSERT_TRUE(skb_page_is_slab(&L, pg, sizeof(pg), false));
	st_le64(pg, 0);
	ASSERT_TRUE(!skb_page_is_slab(&L, pg, sizeof(pg), false));
	skb_layout_set_slab_type(&L, 0xf5000000u);
	st_le32(pg + 48, 0xf5000000u);
	ASSERT_TRUE(skb_page_is_slab(&L, pg, sizeof(pg), false));
	st_le32(pg + 48, 0xf6000000u);	/* PGTY_zsmalloc */
	ASSERT_TRUE(!skb_page_is_slab(&L, pg, sizeof(pg), false));
	/* Big-endian struct pages (s390x-like): the same word. */
	st_be32(pg + 48, 0xf5000000u);
	ASSERT_TRUE(skb_page_is_slab(&L, pg, sizeof(pg), true));
}

TEST_MAIN()
