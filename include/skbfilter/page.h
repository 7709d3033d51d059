/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * struct page facts shared by the slab lookups (src/skb/validate.c,
 * src/skb/find.c, src/kernel/percpu_slub.c).
 *
 * The word at page + 8 tells a tail page of a compound page (a slab, a folio)
 * from a head or order-0 page, and where the head is.  Its name and encoding
 * changed:
 *
 *   before 7.1   page.compound_head = head address | 1 on tail pages, bit 0
 *                clear otherwise (VMCOREINFO OFFSET(page.compound_head)).
 *   7.1+         renamed page.compound_info (d50569612c29 "mm: rename the
 *                'compound_head' field in the 'struct page' to
 *                'compound_info'"; VMCOREINFO OFFSET(page.compound_info)).
 *                With CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP and a power-of-2
 *                sizeof(struct page) ("mm: rework compound_head() for
 *                power-of-2 sizeof(struct page)", compound_info_has_mask())
 *                a tail holds a mask instead of a pointer:
 *
 *                  GENMASK(63, order + log2(sizeof(struct page))) | 1
 *                  head = tail address & compound_info
 *
 *                otherwise still head | 1.
 *
 * Which of the two a kernel uses is not in BTF or VMCOREINFO (it depends on
 * a config option), so the value decides: a mask is all ones from bit 63 down
 * to some bit s >= 6, then zeros, then bit 0.  A head pointer of that very
 * shape is aligned to 2^s and its tails lie within 2^s bytes of it, so
 * "tail & value" gives the same head either way.
 */
#ifndef SKBFILTER_PAGE_H
#define SKBFILTER_PAGE_H

#include <stdbool.h>
#include <stdint.h>

/* Smallest mask shift: sizeof(struct page) is at least 64 bytes when it is a power of 2. */
#define PAGE_COMPOUND_MIN_SHIFT 6

/* True if v (bit 0 set) is a compound_info mask rather than head | 1. */
static inline bool page_compound_is_mask(uint64_t v)
{
	uint64_t m = v & ~1ull, low = ~m + 1;	/* m = -(2^s) exactly when low = 2^s */

	return (v & 1) && m && (low & (low - 1)) == 0 && low >= (1ull << PAGE_COMPOUND_MIN_SHIFT);
}

/*
 * The head page of the struct page at page, whose compound_head/compound_info
 * word is info.  Returns 0 (*head = page) for a head or order-0 page, 1 for a
 * tail (*head = its head), -1 if info names no plausible head (not below the
 * tail, or not a whole number of struct pages of size psize away; psize 0
 * skips that test).
 */
static inline int page_compound_head(uint64_t page, uint64_t info, uint32_t psize, uint64_t *head)
{
	uint64_t h;

	*head = page;
	if (!(info & 1))
		return 0;
	h = page_compound_is_mask(info) ? page & info : info - 1;
	if (h > page || (psize && (page - h) % psize))
		return -1;
	*head = h;
	return 1;
}

#endif
