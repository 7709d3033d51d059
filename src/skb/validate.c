// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sk_buff layouts from BTF, and the checks a candidate address must pass
 * before anything it points to is trusted:
 *
 *   1. it lies in a slab page (PG_slab or the slab page type, see
 *      skb_page_is_slab) whose slab.slab_cache is one of the kmem_caches the
 *      kernel's skbuff_cache / skbuff_fclone_cache pointers hold (identity
 *      by pointer: SLUB merges same-size caches and a merged cache carries
 *      the name of the first one, e.g. "pool_workqueue" on Debian 6.12;
 *      without the pointers, by the cache's layout: skb_cache_kind), at
 *      an object boundary ((addr - slab start - red_left_pad) %
 *      kmem_cache.size == 0), or at sk_buff_fclones.skb2 of an fclone
 *      object, and not on a SLUB freelist nor in a CPU's
 *      napi_alloc_cache.skb_cache (freed by NAPI, kept for reuse);
 *   2. the fclone value fits the place: SKB_FCLONE_UNAVAILABLE in
 *      skbuff_cache, ORIG at an fclone object's start, CLONE at its skb2
 *      (with fclone_ref 2);
 *   3. head is a direct-map address, head <= data <= tail <= end (tail/end
 *      are offsets from head on 64-bit: NET_SKBUFF_DATA_USES_OFFSET),
 *      len >= data_len, tail - data == len - data_len, users and
 *      skb_shared_info.dataref are live counts;
 *   4. nr_frags <= MAX_SKB_FRAGS (the BTF size of skb_shared_info.frags);
 *   5. every header offset is unset (0xffff) or inside the buffer.
 * A merged cache also holds objects of other types: 2..5 are what keeps
 * them out, so none of them is skipped for a merged cache.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/page.h"
#include "skbfilter/skb.h"

#define SKB_MAX_END (4u << 20)		/* largest linear buffer we believe (kmalloc max is 4 MiB on 4K pages) */
#define SLAB_MAX_SPAN (1u << 24)	/* an object this far from its slab start is not in that slab */

/* ---------------------------------------------------------------- kmem glue */

static int km_read(void *priv, uint64_t vaddr, void *buf, size_t len, enum read_reason why, const char *what,
		   struct sf_err *err)
{
	return kmem_read(kmem_as(priv, why), vaddr, buf, len, what, err);
}

static int km_vtop(void *priv, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	return kmem_vtop(priv, vaddr, paddr, err);
}

static int km_ptov(void *priv, uint64_t paddr, uint64_t *vaddr, struct sf_err *err)
{
	return kmem_ptov(priv, paddr, vaddr, err);
}

static void km_record_pfn(void *priv, uint64_t pfn, enum read_reason r)
{
	kmem_record_pfn(kmem_as(priv, r), pfn);
}

static bool km_is_kernel(void *priv, uint64_t addr)
{
	const struct arch_ops *a = kmem_arch(priv);

	return a && a->is_kernel_addr ? a->is_kernel_addr(kmem_arch_env(priv), addr) : true;
}

void skb_mem_from_kmem(struct skb_mem *m, struct kmem *k)
{
	const struct arch_ops *a = kmem_arch(k);

	memset(m, 0, sizeof(*m));
	m->priv = k;
	m->read = km_read;
	m->vtop = km_vtop;
	m->ptov = km_ptov;
	m->record_pfn = km_record_pfn;
	m->is_kernel_addr = km_is_kernel;
	m->big_endian = kmem_big_endian(k);
	m->page_size = kmem_page_size(k);
	m->vmemmap_base = a && a->vmemmap_base ? a->vmemmap_base(kmem_arch_env(k)) : 0;
}

static void fld(const struct ktypes *kt, const char *path, struct skb_fld *ret)
{
	struct kfield kf;
	struct sf_err e = { 0 };

	memset(ret, 0, sizeof(*ret));
	if (ktypes_field(kt, path, &kf, &e) < 0)
		return;
	ret->ok = true;
	ret->off = (uint32_t)kf.offset;
	ret->size = kf.size;
	ret->bit_off = kf.bit_offset;
	ret->bit_size = kf.bit_size;
	ret->nelems = kf.nelems;
	ret->elem_size = kf.elem_size;
}

/* The first of several historical names that exists. */
static void fld_any(const struct ktypes *kt, struct skb_fld *ret, const char *const *paths)
{
	for (; *paths; paths++) {
		fld(kt, *paths, ret);
		if (ret->ok)
			return;
	}
}

static int64_t enum_or(const struct ktypes *kt, const char *name, int64_t dflt)
{
	int64_t v;
	struct sf_err e = { 0 };

	return ktypes_enum_value(kt, name, &v, &e) < 0 ? dflt : v;
}

/*
 * The slab mark from BTF alone (VMCOREINFO, when it has the number, is
 * applied later by skb_layout_set_slab_type):
 *   ..6.9   PG_slab in enum pageflags, a bit number < 64;
 *   6.10    PG_slab = 0x1000 in enum pagetype ("mm: free
 *           up PG_slab"): a page-type bit, cleared when set, under
 *           PAGE_TYPE_BASE;
 *   6.12+   PGTY_slab = 0xf5 in enum pagetype, stored in page_type's top byte.
 */
static void slab_mark_from_btf(const struct ktypes *kt, struct skb_layout *L)
{
	int64_t pgty = enum_or(kt, "PGTY_slab", -1), pg = enum_or(kt, "PG_slab", -1);
	int64_t base = enum_or(kt, "PAGE_TYPE_BASE", 0xf0000000ll);

	L->pg_slab_bit = -1;
	L->page_type_base = (uint32_t)base;
	if (pgty > 0 && pgty < 256 && L->pg_type.ok)
		skb_layout_set_slab_type(L, (uint32_t)pgty << 24);
	else if (pg >= 64 && pg < (1ll << 24) && !(pg & (pg - 1)) && L->pg_type.ok)
		skb_layout_set_slab_type(L, ~(uint32_t)pg);
	else if (pg >= 0 && pg < 64 && L->pg_flags.ok) {
		L->pg_slab_bit = pg;
		L->slab_mark = SLAB_MARK_FLAG;
	}
}

int skb_layout_load(const struct ktypes *kt, struct skb_layout *L, struct sf_err *err)
{
	static const struct { const char *path; size_t off; } req[] = {
#define R(p, f) { p, offsetof(struct skb_layout, f) }
		R("sk_buff.len", len), R("sk_buff.data_len", data_len), R("sk_buff.head", head),
		R("sk_buff.data", data), R("sk_buff.tail", tail), R("sk_buff.end", end),
		R("sk_buff.mac_header", mac_header), R("sk_buff.network_header", network_header),
		R("sk_buff.transport_header", transport_header), R("sk_buff.protocol", protocol),
		R("skb_shared_info.nr_frags", sh_nr_frags), R("skb_shared_info.gso_size", sh_gso_size),
		R("skb_shared_info.gso_segs", sh_gso_segs), R("skb_shared_info.gso_type", sh_gso_type),
		R("skb_shared_info.frag_list", sh_frag_list), R("skb_shared_info.frags", sh_frags),
#undef R
	};
	static const struct { const char *path; size_t off; } opt[] = {
#define O(p, f) { p, offsetof(struct skb_layout, f) }
		O("sk_buff.next", next), O("sk_buff.prev", prev), O("sk_buff.dev", dev), O("sk_buff.sk", sk),
		O("sk_buff.tstamp", tstamp), O("sk_buff.mac_len", mac_len), O("sk_buff.hdr_len", hdr_len),
		O("sk_buff.queue_mapping", queue_mapping), O("sk_buff.cloned", cloned), O("sk_buff.fclone", fclone),
		O("sk_buff.head_frag", head_frag), O("sk_buff.pp_recycle", pp_recycle),
		O("sk_buff.pkt_type", pkt_type), O("sk_buff.ip_summed", ip_summed),
		O("sk_buff.encapsulation", encapsulation), O("sk_buff.vlan_present", vlan_present),
		O("sk_buff.vlan_all", vlan_all), O("sk_buff.mono_delivery_time", mono_delivery_time),
		O("sk_buff.tstamp_type", tstamp_type), O("sk_buff.csum_start", csum_start),
		O("sk_buff.csum_offset", csum_offset), O("sk_buff.skb_iif", skb_iif), O("sk_buff.hash", hash),
		O("sk_buff.vlan_proto", vlan_proto), O("sk_buff.vlan_tci", vlan_tci), O("sk_buff.mark", mark),
		O("sk_buff.inner_protocol", inner_protocol),
		O("sk_buff.inner_transport_header", inner_transport_header),
		O("sk_buff.inner_network_header", inner_network_header),
		O("sk_buff.inner_mac_header", inner_mac_header), O("sk_buff.truesize", truesize),
		O("sk_buff.users", users),
		O("skb_shared_info.tx_flags", sh_tx_flags), O("skb_shared_info.dataref", sh_dataref),
		O("net_device.name", nd_name), O("net_device.ifindex", nd_ifindex), O("net_device.mtu", nd_mtu),
		O("net_device.features", nd_features), O("net_device.type", nd_type),
		O("page.flags", pg_flags),
		O("kmem_cache.name", kc_name), O("kmem_cache.size", kc_size),
		O("kmem_cache.object_size", kc_object_size), O("kmem_cache.red_left_pad", kc_red_left_pad),
		O("kmem_cache.offset", kc_offset), O("kmem_cache.random", kc_random),
		O("kmem_cache.cpu_slab", kc_cpu_slab), O("slab.freelist", slab_freelist),
		O("kmem_cache.refcount", kc_refcount), O("kmem_cache.useroffset", kc_useroffset),
		O("kmem_cache.usersize", kc_usersize), O("sk_buff.cb", cb), O("kmem_cache.align", kc_align),
		O("kmem_cache_cpu.freelist", kcc_freelist), O("kmem_cache_cpu.slab", kcc_slab),
		O("slab.objects", slab_objects),
		O("sk_buff_fclones.skb2", fc_skb2), O("sk_buff_fclones.fclone_ref", fc_ref),
		O("sk_buff_head.next", q_next), O("sk_buff_head.qlen", q_qlen),
		O("softnet_data.input_pkt_queue", sd_input_pkt_queue),
		O("softnet_data.process_queue", sd_process_queue),
		O("softnet_data.completion_queue", sd_completion_queue),
		O("napi_alloc_cache.skb_count", nac_skb_count), O("napi_alloc_cache.skb_cache", nac_skb_cache),
#undef O
	};
	static const char *const slab_cache_paths[] = { "slab.slab_cache", "page.slab_cache", NULL };
	/* renamed in 7.1, and may hold a mask there: include/skbfilter/page.h */
	static const char *const compound_paths[] = { "page.compound_info", "page.compound_head", NULL };
	/* page_type shares the _mapcount word (4.18+); slab's own copy is __page_type (6.10+). */
	static const char *const page_type_paths[] = { "page.page_type", "page._mapcount", NULL };
	uint64_t v;

	memset(L, 0, sizeof(*L));
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		struct skb_fld *f = (struct skb_fld *)((char *)L + req[i].off);

		fld(kt, req[i].path, f);
		if (!f->ok)
			return sf_err_set(err, SF_ENOTFOUND, "BTF: no field %s: cannot read sk_buffs of this kernel",
					  req[i].path);
	}
	for (size_t i = 0; i < sizeof(opt) / sizeof(opt[0]); i++)
		fld(kt, opt[i].path, (struct skb_fld *)((char *)L + opt[i].off));
	fld_any(kt, &L->slab_cache, slab_cache_paths);
	fld_any(kt, &L->pg_compound_head, compound_paths);
	fld_any(kt, &L->pg_type, page_type_paths);
	L->ptr_size = L->head.size ? L->head.size : 8;
	if (ktypes_sizeof(kt, "sk_buff", &v, err) < 0)
		return sf_err_prefix(err, "sk_buff layout");
	L->skb_size = (uint32_t)v;
	if (ktypes_sizeof(kt, "page", &v, err) == 0)
		L->page_struct_size = (uint32_t)v;
	if (ktypes_sizeof(kt, "sk_buff_fclones", &v, err) == 0)
		L->fclones_size = (uint32_t)v;
	sf_err_clear(err);
	/* sk_buff_data_t is an offset (unsigned int) when pointers are wider (NET_SKBUFF_DATA_USES_OFFSET). */
	L->data_uses_offset = L->tail.size < L->ptr_size;
	if (L->users.ok)
		L->users.size = 4;	/* refcount_t: atomic_t counter at offset 0 */
	if (L->sh_dataref.ok)
		L->sh_dataref.size = 4;
	L->max_frags = L->sh_frags.nelems;
	L->frag_size = L->sh_frags.elem_size;
	if (!L->max_frags || !L->frag_size || L->frag_size > 64)
		return sf_err_set(err, SF_ECORRUPT, "BTF: skb_shared_info.frags is not an array of frags (%u x %u)",
				  L->max_frags, L->frag_size);
	/* The frag element: netmem (6.8+), skb_frag with bv_* (6.7), bio_vec (5.4-6.6), skb_frag_struct (older). */
	if (ktypes_has_field(kt, "skb_frag.netmem")) {
		L->frag_kind = SKB_FRAG_NETMEM;
		fld(kt, "skb_frag.netmem", &L->fr_page);
		fld(kt, "skb_frag.len", &L->fr_len);
		fld(kt, "skb_frag.offset", &L->fr_off);
	} else if (ktypes_has_field(kt, "skb_frag.bv_page")) {
		L->frag_kind = SKB_FRAG_BIO_VEC;
		fld(kt, "skb_frag.bv_page", &L->fr_page);
		fld(kt, "skb_frag.bv_len", &L->fr_len);
		fld(kt, "skb_frag.bv_offset", &L->fr_off);
	} else if (ktypes_has_field(kt, "skb_frag_struct.page_offset")) {
		L->frag_kind = SKB_FRAG_OLD;
		fld(kt, "skb_frag_struct.page.p", &L->fr_page);
		fld(kt, "skb_frag_struct.size", &L->fr_len);
		fld(kt, "skb_frag_struct.page_offset", &L->fr_off);
	} else {
		L->frag_kind = SKB_FRAG_BIO_VEC;
		fld(kt, "bio_vec.bv_page", &L->fr_page);
		fld(kt, "bio_vec.bv_len", &L->fr_len);
		fld(kt, "bio_vec.bv_offset", &L->fr_off);
	}
	if (!L->fr_page.ok || !L->fr_len.ok || !L->fr_off.ok ||
	    L->fr_page.off + L->fr_page.size > L->frag_size || L->fr_len.off + L->fr_len.size > L->frag_size)
		return sf_err_set(err, SF_ENOTFOUND, "BTF: cannot find the page/len/offset fields of a frag "
				  "(element size %u)", L->frag_size);
	slab_mark_from_btf(kt, L);
	L->fclone_orig = enum_or(kt, "SKB_FCLONE_ORIG", -1);
	L->fclone_clone = enum_or(kt, "SKB_FCLONE_CLONE", -1);
	L->fclone_unavailable = enum_or(kt, "SKB_FCLONE_UNAVAILABLE", 0);
	L->clock_monotonic = enum_or(kt, "SKB_CLOCK_MONOTONIC", 1);
	return 0;
}

void skb_layout_set_slab_type(struct skb_layout *L, uint32_t v)
{
	if (!L->pg_type.ok)
		return;
	L->slab_type = v;
	L->slab_mark = (v & 0xffffffu) ? SLAB_MARK_TYPE_BITS : SLAB_MARK_TYPE_BYTE;
	if (!L->page_type_base)
		L->page_type_base = 0xf0000000u;
}

bool skb_page_is_slab(const struct skb_layout *L, const uint8_t *pg, size_t len, bool be)
{
	uint32_t t;

	switch (L->slab_mark) {
	case SLAB_MARK_FLAG:
		return L->pg_flags.ok && (skb_fld_get(&L->pg_flags, pg, len, be) >> L->pg_slab_bit) & 1;
	case SLAB_MARK_TYPE_BITS:
		/* PageSlab() of 6.10/6.11: PageType(page, PG_slab), the bit cleared under the base. */
		t = (uint32_t)skb_fld_get(&L->pg_type, pg, len, be);
		return (t & (L->page_type_base | ~L->slab_type)) == L->page_type_base;
	case SLAB_MARK_TYPE_BYTE:
		/* 6.12+: the page type is page_type's top byte: page_type >> 24 == PGTY_slab. */
		t = (uint32_t)skb_fld_get(&L->pg_type, pg, len, be);
		return t >> 24 == L->slab_type >> 24;
	default:
		return false;
	}
}

void skb_slab_mark_describe(const struct skb_layout *L, char *buf, size_t n)
{
	switch (L->slab_mark) {
	case SLAB_MARK_FLAG:
		snprintf(buf, n, "PG_slab (bit %" PRId64 " of page.flags)", L->pg_slab_bit);
		break;
	case SLAB_MARK_TYPE_BITS:
		snprintf(buf, n, "the slab page type (page_type & 0x%x == 0x%x)", L->page_type_base | ~L->slab_type,
			 L->page_type_base);
		break;
	case SLAB_MARK_TYPE_BYTE:
		snprintf(buf, n, "the slab page type (page_type top byte 0x%02x)", L->slab_type >> 24);
		break;
	default:
		snprintf(buf, n, "no known slab mark");
		break;
	}
}

static int gso_name_cb(const char *name, int64_t value, void *arg)
{
	struct gso_names *g = arg;

	if (g->n >= GSO_MAX_NAMES || value <= 0)
		return 0;
	/* Only single-bit masks are type bits. */
	if ((uint64_t)value & ((uint64_t)value - 1))
		return 0;
	snprintf(g->e[g->n].name, sizeof(g->e[g->n].name), "%s", name);
	g->e[g->n].value = (uint64_t)value;
	g->n++;
	return 0;
}

int gso_names_load(const struct ktypes *kt, struct gso_names *ret, struct sf_err *err)
{
	memset(ret, 0, sizeof(*ret));
	if (ktypes_enum_foreach(kt, "SKB_GSO_", gso_name_cb, ret) < 0 || ret->n == 0)
		return sf_err_set(err, SF_ENOTFOUND, "BTF has no SKB_GSO_* enumerators: gso_type cannot be decoded");
	return 0;
}

uint64_t skb_fld_get(const struct skb_fld *f, const uint8_t *buf, size_t buflen, bool big_endian)
{
	uint64_t v = 0;

	if (!f->ok)
		return 0;
	if (f->bit_size) {
		uint32_t byte = f->bit_off / 8, shift = f->bit_off % 8;
		uint32_t nbytes = (shift + f->bit_size + 7) / 8;

		if (f->bit_size > 56 || (uint64_t)byte + nbytes > buflen)
			return 0;
		for (uint32_t i = 0; i < nbytes; i++)
			v |= big_endian ? (uint64_t)buf[byte + i] << (8 * (nbytes - 1 - i))
					: (uint64_t)buf[byte + i] << (8 * i);
		v = big_endian ? v >> (nbytes * 8 - shift - f->bit_size) : v >> shift;
		return v & ((1ull << f->bit_size) - 1);
	}
	if ((uint64_t)f->off + f->size > buflen)
		return 0;
	return ld_uint(buf + f->off, f->size, big_endian);
}

uint16_t skb_fld_get_be16(const struct skb_fld *f, const uint8_t *buf, size_t buflen)
{
	if (!f->ok || f->bit_size || f->size != 2 || (uint64_t)f->off + 2 > buflen)
		return 0;
	return ld_be16(buf + f->off);
}

/* ---------------------------------------------------------------- slab check */

int skb_mem_read_u64(const struct skb_mem *m, uint64_t vaddr, uint64_t *ret, enum read_reason why, const char *what,
		     struct sf_err *err)
{
	uint8_t b[8];
	int rc = m->read(m->priv, vaddr, b, sizeof(b), why, what, err);

	if (rc < 0)
		return rc;
	*ret = ld64(b, m->big_endian);
	return 0;
}

int skb_mem_read_u32(const struct skb_mem *m, uint64_t vaddr, uint32_t *ret, enum read_reason why, const char *what,
		     struct sf_err *err)
{
	uint8_t b[4];
	int rc = m->read(m->priv, vaddr, b, sizeof(b), why, what, err);

	if (rc < 0)
		return rc;
	*ret = ld32(b, m->big_endian);
	return 0;
}

/* struct page address of a physical address, and its compound head. */
static int page_of_phys(const struct skb_mem *m, const struct skb_layout *L, uint64_t paddr, uint64_t *page,
			uint64_t *head, struct sf_err *err)
{
	uint64_t pfn = paddr / m->page_size, ch = 0;

	if (!m->vmemmap_base || !L->page_struct_size)
		return sf_err_set(err, SF_ENOTSUP, "no vmemmap base or struct page size: struct page unknown");
	*page = m->vmemmap_base + pfn * L->page_struct_size;
	*head = *page;
	if (L->pg_compound_head.ok) {
		int rc = skb_mem_read_u64(m, *page + L->pg_compound_head.off, &ch, READ_VMEMMAP, "page.compound_info", err);

		if (rc < 0)
			return rc;
		if (page_compound_head(*page, ch, L->page_struct_size, head) < 0)
			return sf_err_set(err, SF_ECORRUPT, "struct page 0x%" PRIx64 ": compound_info 0x%" PRIx64
					  " names no head page", *page, ch);
	}
	return 0;
}

static uint64_t swab64(uint64_t v)
{
	return __builtin_bswap64(v);
}

/*
 * Walks one SLUB freelist from first, looking for obj.  With
 * CONFIG_SLAB_FREELIST_HARDENED (kmem_cache.random exists) each stored
 * pointer is ptr ^ s->random ^ swab(address it is stored at) (mm/slub.c
 * freelist_ptr(), 4.14+).  Bounded by max steps.
 */
static bool freelist_has(const struct skb_mem *m, uint64_t first, uint64_t obj, uint32_t fp_off, bool hardened,
			 uint64_t rnd, uint32_t max)
{
	uint64_t p = first;

	for (uint32_t i = 0; p && i < max; i++) {
		uint64_t raw;
		struct sf_err e = { 0 };

		if (p == obj)
			return true;
		if (skb_mem_read_u64(m, p + fp_off, &raw, READ_VMEMMAP, "SLUB free pointer", &e) < 0)
			return false;
		p = hardened ? raw ^ rnd ^ swab64(p + fp_off) : raw;
	}
	return false;
}

/*
 * True if obj (a slab object start) is free: on its slab's freelist or on
 * the per-CPU freelist of a CPU whose active slab this is.  An unknown
 * layout answers false (cannot tell).
 */
static bool slub_is_free(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
			 uint64_t cache, uint64_t slab, uint64_t obj, struct sf_err *err)
{
	uint32_t fp_off = 0;
	uint64_t rnd = 0, first, cpu_slab;
	bool hardened = L->kc_random.ok;

	sf_err_clear(err);
	if (!L->kc_offset.ok || !L->slab_freelist.ok)
		return false;
	if (skb_mem_read_u32(m, cache + L->kc_offset.off, &fp_off, READ_VMEMMAP, "kmem_cache.offset", err) < 0 || fp_off > (1u << 20)) {
		sf_err_clear(err);
		return false;
	}
	if (hardened && skb_mem_read_u64(m, cache + L->kc_random.off, &rnd, READ_VMEMMAP, "kmem_cache.random", err) < 0) {
		sf_err_clear(err);
		return false;
	}
	if (skb_mem_read_u64(m, slab + L->slab_freelist.off, &first, READ_VMEMMAP, "slab.freelist", err) == 0 &&
	    freelist_has(m, first, obj, fp_off, hardened, rnd, 4096))
		return true;
	sf_err_clear(err);
	if (!vo || !vo->percpu_offset || !L->kc_cpu_slab.ok || !L->kcc_freelist.ok || !L->kcc_slab.ok)
		return false;
	if (skb_mem_read_u64(m, cache + L->kc_cpu_slab.off, &cpu_slab, READ_VMEMMAP, "kmem_cache.cpu_slab", err) < 0) {
		sf_err_clear(err);
		return false;
	}
	for (int cpu = 0; cpu < vo->nr_cpus; cpu++) {
		uint64_t c = cpu_slab + vo->percpu_offset[cpu], cs;

		if (skb_mem_read_u64(m, c + L->kcc_slab.off, &cs, READ_VMEMMAP, "kmem_cache_cpu.slab", err) < 0 || cs != slab)
			continue;
		if (skb_mem_read_u64(m, c + L->kcc_freelist.off, &first, READ_VMEMMAP, "kmem_cache_cpu.freelist", err) == 0 &&
		    freelist_has(m, first, obj, fp_off, hardened, rnd, 4096))
			return true;
	}
	sf_err_clear(err);
	return false;
}

/* Where slab_check found the candidate. */
struct slab_pos {
	enum skb_cache_kind kind;	/* NONE: no slab check */
	uint64_t objoff;		/* offset into its slab object: 0 or sk_buff_fclones.skb2 */
};

/* The cache's name for messages only ("?" if unreadable): it decides nothing. */
static void cache_name(const struct skb_mem *m, const struct skb_layout *L, uint64_t cache, char *name, size_t n)
{
	uint64_t p;
	struct sf_err e = { 0 };

	snprintf(name, n, "?");
	if (!L->kc_name.ok || skb_mem_read_u64(m, cache + L->kc_name.off, &p, READ_VMEMMAP, "kmem_cache.name", &e) < 0)
		return;
	for (size_t i = 0; i + 1 < n; i++) {
		uint8_t c;

		if (m->read(m->priv, p + i, &c, 1, READ_VMEMMAP, "kmem_cache.name string", &e) < 0) {
			snprintf(name, n, "?");
			return;
		}
		name[i] = (char)(c >= 0x20 && c < 0x7f ? c : (c ? '?' : 0));
		name[i + 1] = 0;
		if (!c)
			return;
	}
}

enum skb_cache_kind skb_cache_kind(const struct skb_mem *m, const struct skb_layout *L,
				   const struct skb_validate_opts *vo, uint64_t cache)
{
	uint32_t osize = 0, size = 0, align = 0, uoff = 0, usize = 0;
	struct sf_err e = { 0 };

	if (vo && (vo->skb_cache || vo->fclone_cache)) {
		if (vo->skb_cache && cache == vo->skb_cache)
			return SKB_CACHE_SKB;
		if (vo->fclone_cache && cache == vo->fclone_cache)
			return SKB_CACHE_FCLONE;
		return SKB_CACHE_NONE;
	}
	if (!L->kc_object_size.ok ||
	    skb_mem_read_u32(m, cache + L->kc_object_size.off, &osize, READ_VMEMMAP, "kmem_cache.object_size", &e) < 0)
		return SKB_CACHE_NONE;
	if (L->kc_useroffset.ok && L->kc_usersize.ok &&
	    (skb_mem_read_u32(m, cache + L->kc_useroffset.off, &uoff, READ_VMEMMAP, "kmem_cache.useroffset", &e) < 0 ||
	     skb_mem_read_u32(m, cache + L->kc_usersize.off, &usize, READ_VMEMMAP, "kmem_cache.usersize", &e) < 0))
		return SKB_CACHE_NONE;
	/* kmem_cache_create_usercopy("skbuff_head_cache", sizeof(struct sk_buff), ..., offsetof(cb), sizeof(cb)) */
	if (osize == L->skb_size && (!L->kc_usersize.ok || !L->cb.ok || (uoff == L->cb.off && usize == L->cb.size)))
		return SKB_CACHE_SKB;
	/*
	 * skbuff_fclone_cache (SLAB_HWCACHE_ALIGN, no usercopy region) is
	 * mergeable: its kmem_cache may be another's, whose object_size a
	 * larger alias raised (arm64 Debian 6.1: 512 for a 472-byte pair).
	 * What a merge keeps is size == ALIGN(sizeof(struct sk_buff_fclones),
	 * align) (find_mergeable: s->size - size < sizeof(void *)).  Other
	 * caches of that size pass too: their objects then face every
	 * structural check, as in any merged cache.
	 */
	if (!L->fclones_size || usize || osize < L->fclones_size || !L->kc_align.ok ||
	    skb_mem_read_u32(m, cache + L->kc_size.off, &size, READ_VMEMMAP, "kmem_cache.size", &e) < 0 ||
	    skb_mem_read_u32(m, cache + L->kc_align.off, &align, READ_VMEMMAP, "kmem_cache.align", &e) < 0 ||
	    !align || (align & (align - 1)) || align > 4096)
		return SKB_CACHE_NONE;
	return size == ((L->fclones_size + align - 1) & ~(align - 1)) ? SKB_CACHE_FCLONE : SKB_CACHE_NONE;
}

/* True if obj (an object start in the direct map) is in a CPU's napi_alloc_cache.skb_cache. */
static bool napi_cached(const struct skb_validate_opts *vo, uint64_t obj)
{
	return vo && vo->napi_cached && vo->n_napi_cached > 0 &&
	       bsearch(&obj, vo->napi_cached, (size_t)vo->n_napi_cached, sizeof(obj), cmp_u64) != NULL;
}

static int slab_check(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
		      uint64_t addr, struct skb_record *r, struct slab_pos *pos, struct sf_err *err)
{
	uint64_t paddr, page = 0, head = 0, cache, head_pfn, slab_va, off, objoff;
	uint32_t size = 0, red = 0, need;
	uint8_t pg[256];
	char name[32] = "", mark[96];
	bool by_pointer = vo && (vo->skb_cache || vo->fclone_cache);
	enum skb_cache_kind kind;
	int rc;

	memset(pos, 0, sizeof(*pos));
	if (!L->slab_cache.ok || !L->kc_size.ok)
		return sf_err_set(err, SF_ENOTSUP, "BTF lacks slab.slab_cache / kmem_cache.size");
	if (L->slab_mark == SLAB_MARK_NONE)
		return sf_err_set(err, SF_ENOTSUP, "slab pages cannot be told apart: neither PG_slab nor a slab page "
				  "type in BTF or VMCOREINFO");
	if (!L->page_struct_size || L->page_struct_size > sizeof(pg))
		return sf_err_set(err, SF_ENOTSUP, "struct page size %u not handled", L->page_struct_size);
	rc = m->vtop(m->priv, addr, &paddr, err);
	if (rc < 0)
		return rc;
	rc = page_of_phys(m, L, paddr, &page, &head, err);
	if (rc < 0)
		return rc;
	rc = m->read(m->priv, head, pg, L->page_struct_size, READ_VMEMMAP, "struct page of the candidate", err);
	if (rc < 0)
		return rc;
	if (!skb_page_is_slab(L, pg, L->page_struct_size, m->big_endian)) {
		skb_slab_mark_describe(L, mark, sizeof(mark));
		return sf_err_set(err, SF_ECORRUPT, "not in a slab page (page 0x%" PRIx64 " lacks %s)", head, mark);
	}
	cache = skb_fld_get(&L->slab_cache, pg, L->page_struct_size, m->big_endian);
	cache_name(m, L, cache, name, sizeof(name));
	kind = skb_cache_kind(m, L, vo, cache);
	if (kind == SKB_CACHE_NONE && by_pointer)
		return sf_err_set(err, SF_ECORRUPT, "in slab cache 0x%" PRIx64 " \"%s\", which is neither "
				  "skbuff_cache (0x%" PRIx64 ") nor skbuff_fclone_cache (0x%" PRIx64 ")",
				  cache, name, vo->skb_cache, vo->fclone_cache);
	if (kind == SKB_CACHE_NONE)
		return sf_err_set(err, SF_ECORRUPT, "in slab cache 0x%" PRIx64 " \"%s\", whose layout is not an skbuff "
				  "cache's (the kernel's skbuff cache pointers are unknown)", cache, name);
	rc = skb_mem_read_u32(m, cache + L->kc_size.off, &size, READ_VMEMMAP, "kmem_cache.size", err);
	if (rc < 0)
		return rc;
	if (L->kc_red_left_pad.ok && skb_mem_read_u32(m, cache + L->kc_red_left_pad.off, &red, READ_VMEMMAP, "kmem_cache.red_left_pad", err) < 0)
		return -err->code;
	need = kind == SKB_CACHE_FCLONE && L->fc_ref.ok ? L->fc_ref.off + 4 : L->skb_size;
	if (size < need || size > (1u << 20))
		return sf_err_set(err, SF_ECORRUPT, "cache 0x%" PRIx64 " \"%s\" object size %u cannot hold %s (%u)", cache,
				  name, size, kind == SKB_CACHE_FCLONE ? "sk_buff_fclones" : "an sk_buff", need);
	head_pfn = (head - m->vmemmap_base) / L->page_struct_size;
	rc = m->ptov(m->priv, head_pfn * m->page_size, &slab_va, err);
	if (rc < 0)
		return rc;
	/* addr may be a vmalloc/alias address; compare in the direct map. */
	rc = m->ptov(m->priv, paddr, &off, err);
	if (rc < 0)
		return rc;
	if (off < slab_va + red || off - slab_va > SLAB_MAX_SPAN)
		return sf_err_set(err, SF_ECORRUPT, "outside its slab (slab at 0x%" PRIx64 ")", slab_va);
	objoff = (off - slab_va - red) % size;
	if ((objoff == 0 || objoff == L->fc_skb2.off) && slub_is_free(m, L, vo, cache, head, off - objoff, err)) {
		if (err->code)
			return -err->code;
		return sf_err_set(err, SF_ECORRUPT, "a free object of cache 0x%" PRIx64 " \"%s\" (on a SLUB freelist)",
				  cache, name);
	}
	sf_err_clear(err);
	if (objoff == 0 && napi_cached(vo, off)) {
		return sf_err_set(err, SF_ECORRUPT, "a free object of cache 0x%" PRIx64 " \"%s\" (kept for reuse in a "
				  "CPU's napi_alloc_cache.skb_cache: GRO merged or NAPI freed it)", cache, name);
	}
	/* skb2 of an fclone object: only in skbuff_fclone_cache (or, by name, a cache big enough for the pair). */
	if (objoff != 0 && !(L->fc_skb2.ok && objoff == L->fc_skb2.off && kind != SKB_CACHE_SKB &&
			     size >= L->fc_skb2.off + L->skb_size))
		return sf_err_set(err, SF_ECORRUPT, "not at an object start: offset %" PRIu64 " into a %u-byte object "
				  "of cache 0x%" PRIx64 " \"%s\"%s", objoff, size, cache, name,
				  kind == SKB_CACHE_FCLONE ? " (skbuff_fclone_cache: 0 or sk_buff_fclones.skb2)" : "");
	pos->kind = kind;
	pos->objoff = objoff;
	snprintf(r->cache, sizeof(r->cache), "%s", name);
	return 0;
}

/*
 * The fclone value the place demands (__alloc_skb sets ORIG on an fclone
 * object's skb1, skb_clone sets CLONE on skb2 with fclone_ref 2; every other
 * sk_buff is zeroed up to tail: UNAVAILABLE).  A same-size object of
 * another type in a merged cache rarely has these bits right.  (cloned
 * proves nothing: pskb_expand_head() gives a clone its own head and clears
 * it, as the k612 fixture's forwarded skb2 shows.)
 */
static int fclone_place_check(const struct skb_layout *L, const struct slab_pos *pos, const struct skb_fields *f,
			      struct sf_err *err)
{
	int64_t want;
	const char *where;

	if (pos->kind == SKB_CACHE_NONE || !L->fclone.ok)
		return 0;
	if (pos->kind == SKB_CACHE_SKB) {
		want = L->fclone_unavailable;
		where = "an skbuff_cache object";
	} else if (pos->objoff == 0) {
		want = L->fclone_orig;
		where = "sk_buff_fclones.skb1";
	} else {
		want = L->fclone_clone;
		where = "sk_buff_fclones.skb2";
	}
	if (want < 0)
		return 0;
	if (f->fclone != want)
		return sf_err_set(err, SF_ECORRUPT, "fclone %u at %s (expected %" PRId64 ")", f->fclone, where, want);
	return 0;
}

/* ---------------------------------------------------------------- the skb */

static bool hdr_ok(uint16_t off, uint32_t end)
{
	return off == SKB_HDR_UNSET || off <= end;
}

int skb_read_netdev(const struct skb_mem *m, const struct skb_layout *L, uint64_t dev, struct skb_netdev *ret,
		    struct sf_err *err)
{
	uint8_t buf[1024];
	uint32_t need = 0;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (!dev)
		return 0;
	const struct skb_fld *fs[] = { &L->nd_name, &L->nd_ifindex, &L->nd_mtu, &L->nd_features, &L->nd_type };
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		if (fs[i]->ok && fs[i]->off + fs[i]->size > need)
			need = fs[i]->off + fs[i]->size;
	if (!need || need > sizeof(buf))
		return sf_err_set(err, SF_ENOTSUP, "net_device fields beyond %zu bytes", sizeof(buf));
	rc = m->read(m->priv, dev, buf, need, READ_NETDEV, "net_device", err);
	if (rc < 0)
		return rc;
	if (L->nd_name.ok) {
		size_t n = L->nd_name.size < sizeof(ret->name) ? L->nd_name.size : sizeof(ret->name) - 1;

		memcpy(ret->name, buf + L->nd_name.off, n);
		ret->name[n] = 0;
	}
	ret->ifindex = (int32_t)skb_fld_get(&L->nd_ifindex, buf, need, m->big_endian);
	ret->mtu = (uint32_t)skb_fld_get(&L->nd_mtu, buf, need, m->big_endian);
	ret->features = skb_fld_get(&L->nd_features, buf, need, m->big_endian);
	ret->type = (uint16_t)skb_fld_get(&L->nd_type, buf, need, m->big_endian);
	ret->valid = true;
	return 0;
}

static int read_frags(const struct skb_mem *m, const struct skb_layout *L, const uint8_t *sh, size_t shlen,
		      struct skb_record *r, struct sf_err *err)
{
	r->nfrags = r->f.nr_frags;
	for (int i = 0; i < r->nfrags; i++) {
		const uint8_t *e = sh + L->sh_frags.off + (size_t)i * L->frag_size;
		size_t elen = shlen - (L->sh_frags.off + (size_t)i * L->frag_size);
		struct skb_frag *fr = &r->frags[i];
		uint64_t page, pfn, hp;
		struct sf_err e2 = { 0 };

		memset(fr, 0, sizeof(*fr));
		page = skb_fld_get(&L->fr_page, e, elen, m->big_endian);
		fr->len = (uint32_t)skb_fld_get(&L->fr_len, e, elen, m->big_endian);
		fr->off = (uint32_t)skb_fld_get(&L->fr_off, e, elen, m->big_endian);
		if (L->frag_kind == SKB_FRAG_NETMEM) {
			if (page & 1)
				continue;	/* net_iov (devmem TCP): not a struct page, unreadable */
			page &= ~1ull;
		}
		fr->page = page;
		if (!m->vmemmap_base || !L->page_struct_size || page < m->vmemmap_base ||
		    (page - m->vmemmap_base) % L->page_struct_size)
			continue;	/* not a struct page address: the rebuild lists the bytes as missing */
		pfn = (page - m->vmemmap_base) / L->page_struct_size;
		fr->phys = pfn * m->page_size + fr->off;
		if (m->ptov(m->priv, fr->phys, &fr->vaddr, &e2) < 0)
			fr->vaddr = 0;
		fr->head_page = page;
		if (L->pg_compound_head.ok &&
		    skb_mem_read_u64(m, page + L->pg_compound_head.off, &hp, READ_SKB_DATA, "page.compound_info", &e2) == 0 &&
		    page_compound_head(page, hp, L->page_struct_size, &fr->head_page) < 0)
			fr->head_page = page;
	}
	return 0;
}

int skb_validate(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
		 uint64_t addr, struct skb_record *r, struct sf_err *err)
{
	uint8_t skb[1024], *sh = NULL;
	size_t shlen;
	struct skb_fields *f = &r->f;
	uint64_t tail, end, head_pa, head_va;
	struct slab_pos pos = { 0 };
	int rc;

	memset(r, 0, sizeof(*r));
	if (addr % 8)
		return sf_err_set(err, SF_ECORRUPT, "not 8-byte aligned");
	if (m->is_kernel_addr && !m->is_kernel_addr(m->priv, addr))
		return sf_err_set(err, SF_ERANGE, "not a kernel address");
	if (L->skb_size == 0 || L->skb_size > sizeof(skb))
		return sf_err_set(err, SF_ENOTSUP, "sizeof(struct sk_buff) %u not handled", L->skb_size);
	rc = (vo && vo->skip_slab) ? 0 : slab_check(m, L, vo, addr, r, &pos, err);
	if (rc < 0)
		goto out;
	rc = m->read(m->priv, addr, skb, L->skb_size, READ_SKB, "sk_buff", err);
	if (rc < 0)
		goto out;
	f->addr = addr;
#define G(field) skb_fld_get(&L->field, skb, L->skb_size, m->big_endian)
	f->next = G(next);
	f->prev = G(prev);
	f->dev = G(dev);
	f->sk = G(sk);
	f->tstamp = (int64_t)G(tstamp);
	f->len = (uint32_t)G(len);
	f->data_len = (uint32_t)G(data_len);
	f->mac_len = (uint16_t)G(mac_len);
	f->hdr_len = (uint16_t)G(hdr_len);
	f->queue_mapping = (uint16_t)G(queue_mapping);
	f->cloned = (uint8_t)G(cloned);
	f->fclone = (uint8_t)G(fclone);
	f->head_frag = (uint8_t)G(head_frag);
	f->pp_recycle = (uint8_t)G(pp_recycle);
	f->pkt_type = (uint8_t)G(pkt_type);
	f->ip_summed = (uint8_t)G(ip_summed);
	f->encapsulation = (uint8_t)G(encapsulation);
	/* tstamp_type (6.11+): enum skb_tstamp_type, SKB_CLOCK_MONOTONIC (1 in 6.11) from BTF. */
	f->tstamp_mono = L->mono_delivery_time.ok ? (uint8_t)G(mono_delivery_time)
						  : (uint8_t)(L->tstamp_type.ok && (int64_t)G(tstamp_type) == L->clock_monotonic);
	f->csum_start = (uint16_t)G(csum_start);
	f->csum_offset = (uint16_t)G(csum_offset);
	f->skb_iif = (int32_t)G(skb_iif);
	f->hash = (uint32_t)G(hash);
	f->vlan_proto = skb_fld_get_be16(&L->vlan_proto, skb, L->skb_size);
	f->vlan_tci = (uint16_t)G(vlan_tci);
	/* vlan_present bit (4.20..6.1), vlan_all != 0 (6.2+), VLAN_TAG_PRESENT 0x1000 in the tci (older). */
	if (L->vlan_present.ok)
		f->vlan_present = G(vlan_present);
	else if (L->vlan_all.ok)
		f->vlan_present = G(vlan_all) != 0;
	else
		f->vlan_present = (f->vlan_tci & 0x1000) != 0 && L->vlan_tci.ok;
	f->mark = (uint32_t)G(mark);
	f->inner_protocol = skb_fld_get_be16(&L->inner_protocol, skb, L->skb_size);
	f->inner_transport_header = (uint16_t)G(inner_transport_header);
	f->inner_network_header = (uint16_t)G(inner_network_header);
	f->inner_mac_header = (uint16_t)G(inner_mac_header);
	f->protocol = skb_fld_get_be16(&L->protocol, skb, L->skb_size);
	f->transport_header = (uint16_t)G(transport_header);
	f->network_header = (uint16_t)G(network_header);
	f->mac_header = (uint16_t)G(mac_header);
	f->head = G(head);
	f->data = G(data);
	tail = G(tail);
	end = G(end);
	f->truesize = (uint32_t)G(truesize);
	f->users = (uint32_t)G(users);
#undef G
	rc = fclone_place_check(L, &pos, f, err);
	if (rc < 0)
		goto out;
	/*
	 * fclones: fclone_ref counts the live halves of the pair.  The clone
	 * (skb2) is in use only while it is 2; a freed clone keeps its old
	 * contents (kfree_skbmem leaves the pair to the orig) and users 1.
	 */
	if (L->fc_ref.ok && L->fc_skb2.ok && L->fclone_clone >= 0 && L->fclone_orig >= 0 &&
	    (f->fclone == L->fclone_clone || f->fclone == L->fclone_orig)) {
		uint64_t pair = f->fclone == L->fclone_clone ? addr - L->fc_skb2.off : addr;
		uint32_t ref = 0;

		rc = skb_mem_read_u32(m, pair + L->fc_ref.off, &ref, READ_SKB, "sk_buff_fclones.fclone_ref", err);
		if (rc < 0)
			goto out;
		rc = -SF_ECORRUPT;
		if (f->fclone == L->fclone_clone && ref != 2) {
			sf_err_set(err, SF_ECORRUPT, "fclone clone not in use (fclone_ref %u)", ref);
			goto out;
		}
		if (ref < 1 || ref > 2) {
			sf_err_set(err, SF_ECORRUPT, "fclone_ref %u: the fclone pair is not in use", ref);
			goto out;
		}
	}
	if (!L->data_uses_offset) {
		tail = tail >= f->head ? tail - f->head : UINT64_MAX;
		end = end >= f->head ? end - f->head : UINT64_MAX;
	}
	/* Structural checks: a random slab object fails these. */
	rc = -SF_ECORRUPT;
	if (!f->head || (m->is_kernel_addr && !m->is_kernel_addr(m->priv, f->head))) {
		sf_err_set(err, SF_ECORRUPT, "head 0x%" PRIx64 " is not a kernel address", f->head);
		goto out;
	}
	/* Heads are kmalloc objects or page frags: direct-map addresses of mapped pages. */
	if (m->vtop(m->priv, f->head, &head_pa, err) < 0) {
		sf_err_prefix(err, "head 0x%" PRIx64 " is not mapped", f->head);
		err->code = SF_ECORRUPT;
		goto out;
	}
	if (m->ptov(m->priv, head_pa, &head_va, err) < 0 || head_va != f->head) {
		sf_err_set(err, SF_ECORRUPT, "head 0x%" PRIx64 " is not a direct-map address", f->head);
		goto out;
	}
	if (f->data < f->head || f->data - f->head > SKB_MAX_END) {
		sf_err_set(err, SF_ECORRUPT, "data 0x%" PRIx64 " not within head 0x%" PRIx64, f->data, f->head);
		goto out;
	}
	if (end > SKB_MAX_END || tail > end || f->data - f->head > tail) {
		sf_err_set(err, SF_ECORRUPT, "buffer offsets out of order: data %" PRIu64 " tail %" PRIu64 " end %" PRIu64,
			   f->data - f->head, tail, end);
		goto out;
	}
	f->tail = (uint32_t)tail;
	f->end = (uint32_t)end;
	if (f->len < f->data_len) {
		sf_err_set(err, SF_ECORRUPT, "len %u below data_len %u", f->len, f->data_len);
		goto out;
	}
	/* skb_headlen() == tail - data: skb_put/push/pull/trim keep it; a freed object's freelist word breaks it. */
	if (f->len - f->data_len != f->tail - (uint32_t)(f->data - f->head)) {
		sf_err_set(err, SF_ECORRUPT, "headlen %u (len %u - data_len %u) differs from tail - data %u",
			   f->len - f->data_len, f->len, f->data_len, f->tail - (uint32_t)(f->data - f->head));
		goto out;
	}
	if (L->users.ok && (f->users == 0 || f->users > (1u << 24))) {
		sf_err_set(err, SF_ECORRUPT, "users refcount %u: not a live skb", f->users);
		goto out;
	}
	if (!hdr_ok(f->mac_header, f->end) || !hdr_ok(f->network_header, f->end) ||
	    !hdr_ok(f->transport_header, f->end) || !hdr_ok(f->inner_mac_header, f->end) ||
	    !hdr_ok(f->inner_network_header, f->end) || !hdr_ok(f->inner_transport_header, f->end)) {
		sf_err_set(err, SF_ECORRUPT, "a header offset lies past the buffer end %u (mac %u network %u transport %u "
			   "inner %u/%u/%u)", f->end, f->mac_header, f->network_header, f->transport_header,
			   f->inner_mac_header, f->inner_network_header, f->inner_transport_header);
		goto out;
	}
	/* skb_shared_info at head + end. */
	f->shinfo = f->head + f->end;
	shlen = (size_t)L->sh_frags.off + (size_t)L->max_frags * L->frag_size;
	sh = malloc(shlen);
	if (!sh) {
		rc = sf_err_set(err, SF_ENOMEM, "skb_shared_info buffer");
		goto out;
	}
	rc = m->read(m->priv, f->shinfo, sh, shlen, READ_SKB_DATA, "skb_shared_info", err);
	if (rc < 0)
		goto out;
	f->nr_frags = (uint8_t)skb_fld_get(&L->sh_nr_frags, sh, shlen, m->big_endian);
	f->tx_flags = (uint8_t)skb_fld_get(&L->sh_tx_flags, sh, shlen, m->big_endian);
	f->gso_size = (uint16_t)skb_fld_get(&L->sh_gso_size, sh, shlen, m->big_endian);
	f->gso_segs = (uint16_t)skb_fld_get(&L->sh_gso_segs, sh, shlen, m->big_endian);
	f->gso_type = (uint32_t)skb_fld_get(&L->sh_gso_type, sh, shlen, m->big_endian);
	f->frag_list = skb_fld_get(&L->sh_frag_list, sh, shlen, m->big_endian);
	f->dataref = (uint32_t)skb_fld_get(&L->sh_dataref, sh, shlen, m->big_endian);
	/* dataref: the low 16 bits count the buffer's users (SKB_DATAREF_SHIFT): a live buffer has one. */
	if (L->sh_dataref.ok && !(f->dataref & 0xffff)) {
		rc = sf_err_set(err, SF_ECORRUPT, "skb_shared_info.dataref 0x%x: the buffer has no user", f->dataref);
		goto out;
	}
	if (f->nr_frags > L->max_frags || f->nr_frags > SKB_MAX_FRAGS) {
		rc = sf_err_set(err, SF_ECORRUPT, "nr_frags %u above MAX_SKB_FRAGS %u", f->nr_frags, L->max_frags);
		goto out;
	}
	if (f->data_len && !f->nr_frags && !f->frag_list) {
		rc = sf_err_set(err, SF_ECORRUPT, "data_len %u with no frags and no frag_list", f->data_len);
		goto out;
	}
	rc = read_frags(m, L, sh, shlen, r, err);
	if (rc < 0)
		goto out;
	/* The linear part up to tail: the headers the rules read. */
	if (f->tail) {
		r->linear = malloc(f->tail);
		if (!r->linear) {
			rc = sf_err_set(err, SF_ENOMEM, "linear buffer of %u bytes", f->tail);
			goto out;
		}
		if (m->read(m->priv, f->head, r->linear, f->tail, READ_SKB_DATA, "sk_buff linear data", err) < 0) {
			free(r->linear);
			r->linear = NULL;
			sf_err_clear(err);
		} else {
			r->linear_len = f->tail;
		}
	}
	rc = 0;
out:
	free(sh);
	if (rc < 0) {
		free(r->linear);
		r->linear = NULL;
	}
	return rc;
}

void skb_record_release(struct skb_record *r)
{
	if (!r)
		return;
	free(r->linear);
	free(r->pkt.bytes);
	r->linear = NULL;
	r->pkt.bytes = NULL;
}
