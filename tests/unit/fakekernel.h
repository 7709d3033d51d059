/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake in-memory kernel for the skb tests and fuzzers: a small physical
 * memory behind a direct map, a vmemmap of struct pages, a hand-written
 * struct layout (not any real kernel's: the code under test must work from
 * whatever skb_layout says), slab pages with a kmem_cache, and pages that can
 * be marked missing from the "dump".
 */
#ifndef SKBFILTER_TEST_FAKEKERNEL_H
#define SKBFILTER_TEST_FAKEKERNEL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

#define FK_PAGE 4096u
#define FK_NPAGES 64u
#define FK_DIRECT 0xffff888000000000ull
#define FK_VMEMMAP 0xffffea0000000000ull
#define FK_PAGE_STRUCT 64u
#define FK_PG_SLAB 9

struct fakekernel {
	uint8_t phys[FK_NPAGES * FK_PAGE];
	uint8_t pages[FK_NPAGES * FK_PAGE_STRUCT];
	bool missing[FK_NPAGES];
	struct skb_layout L;
	struct skb_mem m;
	uint64_t cache;			/* kmem_cache of the skbuff slab */
	uint64_t other_cache;		/* kmem_cache named kmalloc-512 */
};

static inline uint64_t fk_va(uint64_t pa) { return FK_DIRECT + pa; }

static int fk_read(void *priv, uint64_t vaddr, void *buf, size_t len, enum read_reason why, const char *what,
		   struct sf_err *err)
{
	struct fakekernel *fk = priv;

	if (vaddr >= FK_DIRECT && vaddr - FK_DIRECT < sizeof(fk->phys) && len <= sizeof(fk->phys) - (vaddr - FK_DIRECT)) {
		uint64_t pa = vaddr - FK_DIRECT;

		for (uint64_t p = pa / FK_PAGE; p <= (pa + (len ? len - 1 : 0)) / FK_PAGE; p++)
			if (fk->missing[p])
				return sf_err_set(err, SF_ENODATA, "%s at 0x%llx: page excluded", what,
						  (unsigned long long)vaddr);
		memcpy(buf, fk->phys + pa, len);
		return 0;
	}
	if (vaddr >= FK_VMEMMAP && vaddr - FK_VMEMMAP < sizeof(fk->pages) &&
	    len <= sizeof(fk->pages) - (vaddr - FK_VMEMMAP)) {
		memcpy(buf, fk->pages + (vaddr - FK_VMEMMAP), len);
		return 0;
	}
	return sf_err_set(err, SF_ERANGE, "%s at 0x%llx: not mapped", what, (unsigned long long)vaddr);
}

static int fk_vtop(void *priv, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	struct fakekernel *fk = priv;

	if (vaddr >= FK_DIRECT && vaddr - FK_DIRECT < sizeof(fk->phys)) {
		*paddr = vaddr - FK_DIRECT;
		return 0;
	}
	return sf_err_set(err, SF_ERANGE, "0x%llx not mapped", (unsigned long long)vaddr);
}

static int fk_ptov(void *priv, uint64_t paddr, uint64_t *vaddr, struct sf_err *err)
{
	struct fakekernel *fk = priv;

	if (paddr < sizeof(fk->phys)) {
		*vaddr = FK_DIRECT + paddr;
		return 0;
	}
	return sf_err_set(err, SF_ERANGE, "pa 0x%llx outside memory", (unsigned long long)paddr);
}

static inline void fk_fld(struct skb_fld *f, uint32_t off, uint32_t size)
{
	memset(f, 0, sizeof(*f));
	f->ok = true;
	f->off = off;
	f->size = size;
}

static inline void fk_bits(struct skb_fld *f, uint32_t bit_off, uint32_t bits)
{
	memset(f, 0, sizeof(*f));
	f->ok = true;
	f->off = bit_off / 8;
	f->size = 1;
	f->bit_off = bit_off;
	f->bit_size = bits;
}

/* Stores v into the field of an object at obj (little-endian, bitfields too). */
static inline void fk_set(struct fakekernel *fk, uint64_t obj, const struct skb_fld *f, uint64_t v)
{
	uint8_t *p = fk->phys + (obj - FK_DIRECT);

	if (f->bit_size) {
		uint32_t byte = f->bit_off / 8, shift = f->bit_off % 8;
		uint8_t mask = (uint8_t)(((1u << f->bit_size) - 1) << shift);

		p[byte] = (uint8_t)((p[byte] & ~mask) | ((v << shift) & mask));
		return;
	}
	for (uint32_t i = 0; i < f->size; i++)
		p[f->off + i] = (uint8_t)(v >> (8 * i));
}

static inline void fk_set_be16(struct fakekernel *fk, uint64_t obj, const struct skb_fld *f, uint16_t v)
{
	st_be16(fk->phys + (obj - FK_DIRECT) + f->off, v);
}

static inline void fk_layout(struct skb_layout *L)
{
	memset(L, 0, sizeof(*L));
	L->ptr_size = 8;
	L->skb_size = 256;
	fk_fld(&L->next, 0, 8);
	fk_fld(&L->prev, 8, 8);
	fk_fld(&L->dev, 16, 8);
	fk_fld(&L->sk, 24, 8);
	fk_fld(&L->tstamp, 32, 8);
	fk_fld(&L->len, 40, 4);
	fk_fld(&L->data_len, 44, 4);
	fk_fld(&L->mac_len, 48, 2);
	fk_fld(&L->hdr_len, 50, 2);
	fk_bits(&L->cloned, 52 * 8, 1);
	fk_bits(&L->fclone, 52 * 8 + 2, 2);
	fk_bits(&L->pkt_type, 53 * 8, 3);
	fk_bits(&L->ip_summed, 53 * 8 + 5, 2);
	fk_bits(&L->encapsulation, 54 * 8, 1);
	fk_bits(&L->vlan_present, 54 * 8 + 1, 1);
	fk_bits(&L->mono_delivery_time, 54 * 8 + 2, 1);
	fk_fld(&L->csum_start, 56, 2);
	fk_fld(&L->csum_offset, 58, 2);
	fk_fld(&L->skb_iif, 60, 4);
	fk_fld(&L->hash, 64, 4);
	fk_fld(&L->vlan_proto, 68, 2);
	fk_fld(&L->vlan_tci, 70, 2);
	fk_fld(&L->mark, 72, 4);
	fk_fld(&L->inner_protocol, 76, 2);
	fk_fld(&L->inner_transport_header, 78, 2);
	fk_fld(&L->inner_network_header, 80, 2);
	fk_fld(&L->inner_mac_header, 82, 2);
	fk_fld(&L->protocol, 84, 2);
	fk_fld(&L->transport_header, 86, 2);
	fk_fld(&L->network_header, 88, 2);
	fk_fld(&L->mac_header, 90, 2);
	fk_fld(&L->tail, 92, 4);
	fk_fld(&L->end, 96, 4);
	fk_fld(&L->head, 104, 8);
	fk_fld(&L->data, 112, 8);
	fk_fld(&L->truesize, 120, 4);
	fk_fld(&L->users, 124, 4);
	L->data_uses_offset = true;
	fk_fld(&L->sh_nr_frags, 2, 1);
	fk_fld(&L->sh_tx_flags, 3, 1);
	fk_fld(&L->sh_gso_size, 4, 2);
	fk_fld(&L->sh_gso_segs, 6, 2);
	fk_fld(&L->sh_frag_list, 8, 8);
	fk_fld(&L->sh_gso_type, 24, 4);
	fk_fld(&L->sh_dataref, 32, 4);
	fk_fld(&L->sh_frags, 48, 17 * 16);
	L->sh_frags.nelems = 17;
	L->sh_frags.elem_size = 16;
	L->max_frags = 17;
	L->frag_size = 16;
	L->frag_kind = SKB_FRAG_BIO_VEC;
	fk_fld(&L->fr_page, 0, 8);
	fk_fld(&L->fr_len, 8, 4);
	fk_fld(&L->fr_off, 12, 4);
	L->page_struct_size = FK_PAGE_STRUCT;
	fk_fld(&L->pg_flags, 0, 8);
	fk_fld(&L->pg_compound_head, 8, 8);
	fk_fld(&L->slab_cache, 24, 8);
	fk_fld(&L->slab_freelist, 32, 8);
	fk_fld(&L->kc_size, 24, 4);
	fk_fld(&L->kc_object_size, 28, 4);
	fk_fld(&L->kc_offset, 40, 4);
	fk_fld(&L->kc_red_left_pad, 88, 4);
	fk_fld(&L->kc_name, 96, 8);
	L->pg_slab_bit = FK_PG_SLAB;
	L->slab_mark = SLAB_MARK_FLAG;
	fk_fld(&L->pg_type, 48, 4);
	fk_fld(&L->kc_refcount, 16, 4);
	fk_fld(&L->kc_align, 36, 4);
	fk_fld(&L->fc_skb2, 256, 256);
	fk_fld(&L->fc_ref, 512, 4);
	L->fclone_orig = 1;
	L->fclone_clone = 2;
	L->clock_monotonic = 1;
	L->fclones_size = 516;		/* 2 x 256 + fclone_ref: the fake cache's object_size */
}

static inline uint64_t fk_page_struct(uint64_t pfn)
{
	return FK_VMEMMAP + pfn * FK_PAGE_STRUCT;
}

static inline void fk_page_set(struct fakekernel *fk, uint64_t pfn, uint32_t off, uint64_t v)
{
	st_le64(fk->pages + pfn * FK_PAGE_STRUCT + off, v);
}

/*
 * Memory map (pfn):
 *   0       kmem_cache objects and their names
 *   1..2    slab of the skbuff cache (order 1, object size 512)
 *   3       slab of kmalloc-512 (not an skbuff cache)
 *   4..7    data buffers (heads), not slab-checked
 *   8..15   frag pages (8..9 a compound page)
 */
static inline void fk_init(struct fakekernel *fk)
{
	memset(fk, 0, sizeof(*fk));
	fk_layout(&fk->L);
	fk->m.priv = fk;
	fk->m.read = fk_read;
	fk->m.vtop = fk_vtop;
	fk->m.ptov = fk_ptov;
	fk->m.big_endian = false;
	fk->m.page_size = FK_PAGE;
	fk->m.vmemmap_base = FK_VMEMMAP;
	fk->cache = fk_va(0x100);
	fk->other_cache = fk_va(0x300);
	memcpy(fk->phys + 0x800, "skbuff_fclone_cache", 20);
	memcpy(fk->phys + 0x840, "kmalloc-512", 12);
	st_le64(fk->phys + 0x100 + 96, fk_va(0x800));
	st_le32(fk->phys + 0x100 + 24, 520);	/* sk_buff_fclones: 2 x 256 + ref */
	st_le32(fk->phys + 0x100 + 28, 516);
	st_le32(fk->phys + 0x100 + 36, 8);	/* align */
	st_le32(fk->phys + 0x100 + 40, 128);	/* free pointer offset */
	st_le64(fk->phys + 0x300 + 96, fk_va(0x840));
	st_le32(fk->phys + 0x300 + 24, 512);
	st_le32(fk->phys + 0x300 + 28, 512);
	/* skbuff slab: head page 1, tail page 2 */
	fk_page_set(fk, 1, 0, 1ull << FK_PG_SLAB);
	fk_page_set(fk, 1, 24, fk->cache);
	fk_page_set(fk, 2, 8, fk_page_struct(1) | 1);
	fk_page_set(fk, 3, 0, 1ull << FK_PG_SLAB);
	fk_page_set(fk, 3, 24, fk->other_cache);
	/* compound frag page 8..9 */
	fk_page_set(fk, 9, 8, fk_page_struct(8) | 1);
}

/* The address of slab object i of the skbuff slab. */
static inline uint64_t fk_obj(unsigned i)
{
	return fk_va(1 * FK_PAGE + (uint64_t)i * 520);
}

/*
 * Writes a consistent sk_buff at skb (an fk_obj(), fclone orig with
 * fclone_ref 1) whose buffer is at head_pa: IPv4/UDP headers from net_off,
 * hdr bytes linear, the rest in nfrags frags of frag_len bytes on pfns 8...
 */
static inline void fk_make_skb(struct fakekernel *fk, uint64_t skb, uint64_t head_pa, const uint8_t *hdr,
			       uint32_t hdrlen, uint32_t data_off, int nfrags, uint32_t frag_len)
{
	const struct skb_layout *L = &fk->L;
	uint64_t head = fk_va(head_pa), sh;
	uint32_t end = 512;

	memset(fk->phys + (skb - FK_DIRECT), 0, 256);
	memcpy(fk->phys + head_pa + data_off, hdr, hdrlen);
	fk_set(fk, skb, &L->len, hdrlen + (uint64_t)nfrags * frag_len);
	fk_set(fk, skb, &L->data_len, (uint64_t)nfrags * frag_len);
	fk_set(fk, skb, &L->head, head);
	fk_set(fk, skb, &L->data, head + data_off);
	fk_set(fk, skb, &L->tail, data_off + hdrlen);
	fk_set(fk, skb, &L->end, end);
	fk_set(fk, skb, &L->mac_header, SKB_HDR_UNSET);
	fk_set(fk, skb, &L->network_header, data_off);
	fk_set(fk, skb, &L->transport_header, data_off + 20);
	fk_set(fk, skb, &L->inner_mac_header, 0);
	fk_set(fk, skb, &L->inner_network_header, 0);
	fk_set(fk, skb, &L->inner_transport_header, 0);
	fk_set_be16(fk, skb, &L->protocol, 0x0800);
	fk_set(fk, skb, &L->users, 1);
	fk_set(fk, skb, &L->fclone, 1);
	st_le32(fk->phys + (skb - FK_DIRECT) + 512, 1);	/* fclone_ref */
	sh = head + end;
	memset(fk->phys + (sh - FK_DIRECT), 0, 48 + 17 * 16);
	fk_set(fk, sh, &L->sh_nr_frags, (uint64_t)nfrags);
	fk_set(fk, sh, &L->sh_dataref, 1);
	for (int i = 0; i < nfrags; i++) {
		uint64_t e = sh + L->sh_frags.off + (uint64_t)i * 16;
		uint64_t pfn = 8 + (uint64_t)i * 2;

		st_le64(fk->phys + (e - FK_DIRECT), fk_page_struct(pfn));
		st_le32(fk->phys + (e - FK_DIRECT) + 8, frag_len);
		st_le32(fk->phys + (e - FK_DIRECT) + 12, 100);
		for (uint32_t b = 0; b < frag_len; b++)
			fk->phys[pfn * FK_PAGE + 100 + b] = (uint8_t)(i * 16 + b);
	}
}

#endif
