// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct page.compound_head (before 7.1) / compound_info (7.1+): a tail
 * page's head from either encoding (include/skbfilter/page.h).
 */
#include "harness.h"
#include "skbfilter/page.h"

#define VMEMMAP 0xffffea0000000000ull	/* x86_64 4-level vmemmap base (KASLR moves it in 1 GiB steps) */

static uint64_t pg(uint64_t pfn, uint32_t psize) { return VMEMMAP + pfn * psize; }

/* GENMASK(63, order + log2(64)) | 1: what 7.1+ set_compound_head() stores with HVO and a 64-byte struct page */
static uint64_t mask_info(unsigned order) { return (~0ull << (order + 6)) | 1; }

TEST(order0_and_head_pages_are_their_own_head)
{
	uint64_t h;

	ASSERT_EQ(page_compound_head(pg(0x1234, 64), 0, 64, &h), 0);
	ASSERT_U64(h, pg(0x1234, 64));
	/* a head page's word is a list pointer (lru.next), even */
	ASSERT_EQ(page_compound_head(pg(0x1234, 64), 0xffff8e8381234560ull, 64, &h), 0);
	ASSERT_U64(h, pg(0x1234, 64));
}

TEST(pointer_encoding_before_71)
{
	uint64_t h;

	/* tail 3 of an order-2 slab at pfn 0x2614 */
	ASSERT_EQ(page_compound_head(pg(0x2617, 64), pg(0x2614, 64) | 1, 64, &h), 1);
	ASSERT_U64(h, pg(0x2614, 64));
	/* 72-byte struct page (no power of 2: 7.1+ keeps the pointer too) */
	ASSERT_EQ(page_compound_head(pg(0x2617, 72), pg(0x2614, 72) | 1, 72, &h), 1);
	ASSERT_U64(h, pg(0x2614, 72));
}

TEST(mask_encoding_71)
{
	uint64_t h;

	/* the k72 dump's slab tails: order-3 slab at pfn 0x2610 */
	ASSERT_TRUE(page_compound_is_mask(mask_info(3)));
	ASSERT_U64(mask_info(3), 0xfffffffffffffe01ull);
	for (uint64_t pfn = 0x2611; pfn < 0x2618; pfn++) {
		ASSERT_EQ(page_compound_head(pg(pfn, 64), mask_info(3), 64, &h), 1);
		ASSERT_U64(h, pg(0x2610, 64));
	}
	/* order 9 (2 MiB folio): 512 struct pages, 32 KiB of vmemmap */
	ASSERT_EQ(page_compound_head(pg(0x40000 + 511, 64), mask_info(9), 64, &h), 1);
	ASSERT_U64(h, pg(0x40000, 64));
	/* read as a pointer, the same word would give a head far above the tail */
	ASSERT_TRUE(mask_info(3) - 1 > pg(0x2617, 64));
}

TEST(pointer_shaped_like_a_mask_gives_the_same_head)
{
	/* a head whose address is all ones then zeros: both readings agree */
	uint64_t head = 0xffffffffc0000000ull, tail = head + 5 * 64, h;

	ASSERT_TRUE(page_compound_is_mask(head | 1));
	ASSERT_EQ(page_compound_head(tail, head | 1, 64, &h), 1);
	ASSERT_U64(h, head);
}

TEST(implausible_heads_are_refused)
{
	uint64_t h;

	/* a "head" above the tail */
	ASSERT_EQ(page_compound_head(pg(0x100, 64), pg(0x200, 64) | 1, 64, &h), -1);
	ASSERT_U64(h, pg(0x100, 64));
	/* not a whole number of struct pages away */
	ASSERT_EQ(page_compound_head(pg(0x100, 64), (pg(0xf0, 64) + 8) | 1, 64, &h), -1);
	/* bit 0 alone, or ones only in low bits: no mask, and 0 is no head */
	ASSERT_TRUE(!page_compound_is_mask(1));
	ASSERT_TRUE(!page_compound_is_mask(0x1f));
	ASSERT_TRUE(!page_compound_is_mask(0xfffffffffffffffeull));	/* bit 0 clear: not a tail */
}

TEST_MAIN()
