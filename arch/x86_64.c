// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64: 4- and 5-level paging, 4K/2M/1G pages, KASLR.
 *
 * Set up from VMCOREINFO alone (no symbol table is needed):
 *  - phys_base: NUMBER(phys_base) (since 4.10?; always in the kdump path), else
 *    the kdump sub-header's phys_base.  It can be "negative" with KASLR.
 *  - the kernel text mapping: pa = va - __START_KERNEL_map + phys_base for
 *    va in [__START_KERNEL_map, +KERNEL_IMAGE_SIZE) (arch/x86/include/asm/
 *    page_64.h: __phys_addr_symbol()).  NUMBER(KERNEL_IMAGE_SIZE) since 4.20;
 *    without it only the 512 MiB every configuration maps is assumed.
 *  - the root: SYMBOL(init_top_pgt) (4.13+; init_level4_pgt before), else
 *    SYMBOL(swapper_pg_dir), through the text mapping.  The walk of the root's
 *    own address through itself must come back to it: that checks phys_base.
 *  - 5-level paging: NUMBER(pgtable_l5_enabled) (4.14+).
 *  - SME: NUMBER(sme_mask) is masked off every entry (4.14+).
 *  - the direct map base (page_offset_base, randomized with KASLR since 4.8)
 *    is not in VMCOREINFO.  It is found from the dump: SYMBOL(mem_section)
 *    is a direct-map address (SPARSEMEM_EXTREME allocates the roots), so
 *    walking it gives va - pa = page_offset_base.  Without it, the lowest
 *    mapping at or above __PAGE_OFFSET_BASE (the first of the KASLR regions,
 *    arch/x86/mm/kaslr.c) is taken: it maps the lowest RAM page, so again
 *    va - pa is the base.  KASLR aligns the base to 1 GiB; both results are
 *    checked for that.
 *  - the vmemmap base (vmemmap_base, randomized too) is read back from
 *    mem_section (see arch_vmemmap_from_mem_section()); without KASLR it is
 *    the fixed VMEMMAP_START.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EM_X86_64 62

#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)
#define KERNEL_IMAGE_SIZE_MIN (UINT64_C(512) << 20)
/*
 * Lowest direct-map bases: 0xffff880000000000 (L4) and 0xff10000000000000 (L5)
 * until 4.20 moved the LDT remap there (d52888aa2753); the LDT remap lives in
 * per-mm page tables, never in init_top_pgt, so scanning from the old base
 * finds the direct map on every version.
 */
#define PAGE_OFFSET_BASE_L4_OLD UINT64_C(0xffff880000000000)
#define PAGE_OFFSET_BASE_L5_OLD UINT64_C(0xff10000000000000)
#define VMEMMAP_START_L4 UINT64_C(0xffffea0000000000)
#define VMEMMAP_START_L5 UINT64_C(0xffd4000000000000)
#define PUD_SIZE (UINT64_C(1) << 30)

#define X86_PRESENT 0x1u
#define X86_PSE 0x80u
/* Physical address bits 12..51 (__PHYSICAL_MASK_SHIFT is 52). */
#define X86_ADDR_MASK UINT64_C(0x000ffffffffff000)

struct x86_pt_priv {
	uint64_t sme_mask;
};

struct x86_state {
	struct pt_format fmt;
	struct x86_pt_priv ptp;
	bool l5;
	uint64_t phys_base;
	const char *phys_base_from;
	uint64_t kaslr_offset;
	uint64_t kernel_image_size;
	uint64_t root_va, root_pa;
	unsigned physmem_bits;
	uint64_t page_offset;		/* direct map base */
	const char *page_offset_from;	/* NULL: unknown */
	uint64_t vmemmap;
	const char *vmemmap_from;	/* NULL: unknown */
	uint64_t ram_span;		/* the dump's memory rounded up to 1 TiB; 0: unknown */
	uint64_t vmalloc;		/* vmalloc_base, from the kernel variable */
	const char *vmalloc_from;	/* NULL: unknown */
};

static const char *const x86_regs[] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
	"rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

enum { X86_RBP = 4, X86_RIP = 16, X86_RSP = 19, X86_NREGS = 27 };

static int x86_parse_prstatus(const uint8_t *desc, size_t len, bool big_endian, struct prstatus *ret,
			      struct sf_err *err)
{
	int rc = prstatus_parse_common(desc, len, big_endian, X86_NREGS, x86_regs, "x86_64", ret, err);

	if (rc < 0)
		return rc;
	ret->ip = ret->regs[X86_RIP];
	ret->sp = ret->regs[X86_RSP];
	ret->fp = ret->regs[X86_RBP];
	return 0;
}

/*
 * One entry.  Level 0 is the top (PML5 or PML4).  PS (bit 7) makes a PDPT
 * entry a 1G page and a PD entry a 2M page; in a PTE it is PAT, and in the
 * top levels it is reserved.  For large pages bit 12 is PAT, cleared by
 * aligning the address to the page size.
 */
static int x86_decode(const struct pt_format *fmt, int level, uint64_t e, struct pt_entry *ret, struct sf_err *err)
{
	const struct x86_pt_priv *p = fmt->priv;
	int from_bottom = fmt->levels - 1 - level;	/* 0 PTE, 1 PD, 2 PDPT, 3 PML4, 4 PML5 */

	e &= ~p->sme_mask;
	ret->present = e & X86_PRESENT;
	if (!ret->present)
		return 0;
	if (from_bottom == 0) {
		ret->leaf = true;
		ret->size = UINT64_C(1) << fmt->shift[level];
		ret->next = e & X86_ADDR_MASK;
		return 0;
	}
	if (e & X86_PSE) {
		if (from_bottom > 2)
			return sf_err_set(err, SF_ECORRUPT, "page-size bit set in a top-level entry (only 2M and 1G pages exist)");
		ret->leaf = true;
		ret->size = UINT64_C(1) << fmt->shift[level];
		ret->next = e & X86_ADDR_MASK & ~(ret->size - 1);
		return 0;
	}
	ret->leaf = false;
	ret->next = e & X86_ADDR_MASK;
	return 0;
}

static void x86_set_format(struct x86_state *s)
{
	int levels = s->l5 ? 5 : 4;

	s->fmt.levels = levels;
	for (int i = 0; i < levels; i++) {
		s->fmt.shift[i] = 12 + 9 * (unsigned)(levels - 1 - i);
		s->fmt.bits[i] = 9;
	}
	s->fmt.entry_size = 8;
	s->fmt.big_endian = false;
	s->fmt.decode = x86_decode;
	s->fmt.priv = &s->ptp;
}

static bool in_text_map(const struct x86_state *s, uint64_t va)
{
	return va >= START_KERNEL_MAP && va - START_KERNEL_MAP < s->kernel_image_size;
}

static uint64_t direct_map_size(const struct x86_state *s)
{
	return UINT64_C(1) << s->physmem_bits;
}

/*
 * How far above page_offset_base an address is taken as direct map without a
 * walk.  Not 1 << MAX_PHYSMEM_BITS: with KASLR the vmalloc and vmemmap
 * regions follow the direct map closely (arch/x86/mm/kaslr.c, 4.8+: the
 * direct-map region is sized DIV_ROUND_UP(max_pfn << PAGE_SHIFT, 1 TiB) +
 * CONFIG_RANDOMIZE_MEMORY_PHYSICAL_PADDING terabytes, and vmalloc_base comes
 * after it plus a random gap), so a vmalloc'ed stack can lie a few TiB above
 * the direct-map base.  The region holds at least the dump's memory rounded
 * up to 1 TiB; with vmalloc_base read from the kernel, the region ends there
 * (and only there).
 * Addresses above go through the page tables, which are always right.
 */
static uint64_t direct_map_span(const struct x86_state *s)
{
	uint64_t span = direct_map_size(s);

	/* vmalloc_base is the kernel's own word (and a mini.core's max_pfn may be lower than the source's) */
	if (s->vmalloc_from && s->vmalloc > s->page_offset)
		return s->vmalloc - s->page_offset < span ? s->vmalloc - s->page_offset : span;
	if (s->ram_span && s->ram_span < span)
		span = s->ram_span;
	return span;
}

static int x86_vtop(struct arch_env *env, uint64_t va, uint64_t *pa, struct sf_err *err)
{
	struct x86_state *s = env->priv;
	unsigned top = s->l5 ? 56 : 47;

	/* The walk only looks at the index bits: a non-canonical pointer would alias a real mapping. */
	if (sign_extend64(va, top) != va)
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " is not a canonical %d-level address", va, s->l5 ? 5 : 4);
	if (in_text_map(s, va)) {
		*pa = va - START_KERNEL_MAP + s->phys_base;
		return 0;
	}
	if (s->page_offset_from && va >= s->page_offset && va - s->page_offset < direct_map_span(s)) {
		*pa = va - s->page_offset;
		return 0;
	}
	return pt_walk(env, &s->fmt, s->root_pa, va, pa, NULL, err);
}

static int x86_vtop_tables(struct arch_env *env, uint64_t va, uint64_t *pa, struct sf_err *err)
{
	struct x86_state *s = env->priv;

	if (sign_extend64(va, s->l5 ? 56 : 47) != va)
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " is not a canonical %d-level address", va, s->l5 ? 5 : 4);
	return pt_walk(env, &s->fmt, s->root_pa, va, pa, NULL, err);
}

static int x86_ptov(struct arch_env *env, uint64_t pa, uint64_t *va, struct sf_err *err)
{
	struct x86_state *s = env->priv;

	if (!s->page_offset_from)
		return sf_err_set(err, SF_ENOTSUP, "phys 0x%" PRIx64 ": the direct-map base is unknown", pa);
	if (pa >= direct_map_size(s))
		return sf_err_set(err, SF_ERANGE, "phys 0x%" PRIx64 " is beyond the direct map (%u physical address bits)",
				  pa, s->physmem_bits);
	*va = s->page_offset + pa;
	return 0;
}

static uint64_t x86_vmemmap_base(struct arch_env *env)
{
	struct x86_state *s = env->priv;

	return s && s->vmemmap_from ? s->vmemmap : 0;
}

static bool x86_is_kernel_addr(struct arch_env *env, uint64_t addr)
{
	struct x86_state *s = env->priv;
	uint64_t lo = s && s->l5 ? UINT64_C(0xff00000000000000) : UINT64_C(0xffff800000000000);

	/* The top page holds ERR_PTR values, never objects. */
	return addr >= lo && addr < (uint64_t)-4096;
}

static void x86_release(struct arch_env *env)
{
	free(env->priv);
	env->priv = NULL;
}

static void signed_hex(char *buf, size_t len, uint64_t v)
{
	if ((int64_t)v < 0)
		snprintf(buf, len, "-0x%" PRIx64, (uint64_t)0 - v);
	else
		snprintf(buf, len, "0x%" PRIx64, v);
}

static void x86_describe(struct arch_env *env, char *buf, size_t len)
{
	struct x86_state *s = env->priv;
	char pb[24], dm[64], vm[64];

	if (!s) {
		snprintf(buf, len, "x86_64 (no translation)");
		return;
	}
	signed_hex(pb, sizeof(pb), s->phys_base);
	if (s->page_offset_from)
		snprintf(dm, sizeof(dm), "0x%" PRIx64, s->page_offset);
	else
		snprintf(dm, sizeof(dm), "unknown");
	if (s->vmemmap_from)
		snprintf(vm, sizeof(vm), "0x%" PRIx64, s->vmemmap);
	else
		snprintf(vm, sizeof(vm), "unknown");
	snprintf(buf, len, "x86_64 %d-level paging, KASLR offset 0x%" PRIx64 ", phys_base %s, direct map %s, vmemmap %s"
		 " (phys_base from %s, direct map from %s, vmemmap from %s)",
		 s->l5 ? 5 : 4, s->kaslr_offset, pb, dm, vm, s->phys_base_from ? s->phys_base_from : "-",
		 s->page_offset_from ? s->page_offset_from : "-", s->vmemmap_from ? s->vmemmap_from : "-");
	if (s->vmalloc_from && strlen(buf) + 1 < len)
		snprintf(buf + strlen(buf), len - strlen(buf), ", vmalloc 0x%" PRIx64 " (from %s)", s->vmalloc, s->vmalloc_from);
}

static uint64_t number_or(struct arch_env *env, const char *name, uint64_t dflt, bool *found)
{
	struct sf_err e = { 0 };
	uint64_t v;

	if (vmci_number(env, name, &v, &e) < 0) {
		if (found)
			*found = false;
		return dflt;
	}
	if (found)
		*found = true;
	return v;
}

/* page_offset_base from a direct-map address that VMCOREINFO gives: va - pa. */
static int direct_map_from_mem_section(struct arch_env *env, struct x86_state *s,
				       uint64_t *ret, struct sf_err *err)
{
	uint64_t va, pa;
	int rc = vmci_symbol(env, "mem_section", &va, err);

	if (rc < 0)
		return rc;
	if (in_text_map(s, va) || !x86_is_kernel_addr(env, va))
		return sf_err_set(err, SF_ENOTFOUND, "mem_section 0x%" PRIx64 " is not in the direct map", va);
	rc = pt_walk(env, &s->fmt, s->root_pa, va, &pa, NULL, err);
	if (rc < 0)
		return rc;
	*ret = va - pa;
	return 0;
}

/* page_offset_base from the lowest mapping of the first KASLR region. */
static int direct_map_from_tables(struct arch_env *env, struct x86_state *s, uint64_t *ret, struct sf_err *err)
{
	uint64_t from = s->l5 ? PAGE_OFFSET_BASE_L5_OLD : PAGE_OFFSET_BASE_L4_OLD;
	uint64_t to = s->l5 ? UINT64_C(0xfffeffffffffffff) : UINT64_C(0xfffffeffffffffff);	/* below cpu_entry_area etc. */
	uint64_t va, pa;
	int rc = pt_find_first(env, &s->fmt, s->root_pa, from, to, 1u << 14, &va, &pa, err);

	if (rc < 0)
		return rc;
	*ret = va - pa;
	return 0;
}

static bool plausible_base(const struct arch_env *env, const struct x86_state *s, uint64_t base)
{
	(void)env;
	return !(base & (PUD_SIZE - 1)) && base >= (s->l5 ? PAGE_OFFSET_BASE_L5_OLD : PAGE_OFFSET_BASE_L4_OLD) &&
	       base < START_KERNEL_MAP;
}

/*
 * The kernel's own variable, when VMCOREINFO names it (no 6.1 kernel does;
 * kept for kernels and tools that add SYMBOL(page_offset_base) and
 * SYMBOL(vmemmap_base)).  It lives in the image, so the text mapping reads it.
 */
static bool read_base_variable(struct arch_env *env, const char *name, uint64_t *ret)
{
	struct sf_err e = { 0 };
	uint64_t va;

	if (vmci_symbol(env, name, &va, &e) < 0)
		return false;
	if (arch_read_u64(env, va, ret, false, name, &e) < 0) {
		warn_add(env->warnings, "x86_64: %s", e.msg);
		return false;
	}
	return true;
}

static void find_direct_map(struct arch_env *env, struct x86_state *s)
{
	struct warnlist *wl = env->warnings;
	struct sf_err e1 = { 0 }, e2 = { 0 };
	uint64_t base = 0;

	if (read_base_variable(env, "page_offset_base", &base)) {
		if (plausible_base(env, s, base)) {
			s->page_offset = base;
			s->page_offset_from = "page_offset_base";
			return;
		}
		warn_add(wl, "x86_64: page_offset_base holds 0x%" PRIx64 ", not a direct-map base; looking further", base);
	}

	if (direct_map_from_mem_section(env, s, &base, &e1) == 0) {
		if (plausible_base(env, s, base)) {
			s->page_offset = base;
			s->page_offset_from = "mem_section";
			return;
		}
		sf_err_set(&e1, SF_ECORRUPT, "mem_section gives direct-map base 0x%" PRIx64 ", not 1 GiB aligned in the kernel half", base);
	}
	if (direct_map_from_tables(env, s, &base, &e2) == 0) {
		if (plausible_base(env, s, base)) {
			s->page_offset = base;
			s->page_offset_from = "page tables";
			return;
		}
		sf_err_set(&e2, SF_ECORRUPT, "the lowest direct-map mapping gives base 0x%" PRIx64 ", not 1 GiB aligned", base);
	}
	warn_add(wl, "x86_64: direct-map base (page_offset_base) not found (%s; %s); direct-map addresses are translated through the page tables",
		 e1.msg, e2.msg);
}

static void find_vmemmap(struct arch_env *env, struct x86_state *s)
{
	struct warnlist *wl = env->warnings;
	struct sf_err e = { 0 };
	uint64_t base, first_pfn, page_size, pa;

	if (read_base_variable(env, "vmemmap_base", &base)) {
		if (x86_is_kernel_addr(env, base) && !(base & (PUD_SIZE - 1))) {
			s->vmemmap = base;
			s->vmemmap_from = "vmemmap_base";
			return;
		}
		warn_add(wl, "x86_64: vmemmap_base holds 0x%" PRIx64 ", not a vmemmap base; looking further", base);
	}
	if (arch_vmemmap_from_mem_section(env, &base, &first_pfn, &e) == 0) {
		if (!x86_is_kernel_addr(env, base) || (s->kaslr_offset && (base & (PUD_SIZE - 1)))) {
			warn_add(wl, "x86_64: mem_section gives vmemmap base 0x%" PRIx64 ", not a plausible address", base);
		} else {
			/* The struct page of the first present section must be mapped. */
			if (vmci_size(env, "page", &page_size, &e) < 0 || page_size > 4096)
				page_size = 64;
			if (pt_walk(env, &s->fmt, s->root_pa, base + first_pfn * page_size, &pa, NULL, &e) < 0)
				warn_add(wl, "x86_64: vmemmap base 0x%" PRIx64 " from mem_section: %s", base, e.msg);
			s->vmemmap = base;
			s->vmemmap_from = "mem_section";
			return;
		}
	}
	if (!s->kaslr_offset) {
		/* Without KASLR the regions are not randomized (kaslr_memory_enabled()). */
		s->vmemmap = s->l5 ? VMEMMAP_START_L5 : VMEMMAP_START_L4;
		s->vmemmap_from = "default";
		return;
	}
	warn_add(wl, "x86_64: vmemmap base not found (%s); struct page addresses cannot be computed", e.msg);
}

/*
 * A base variable through the symbols: read through the text mapping, and
 * recorded as a translation page so a mini.core keeps it.  Quiet when the
 * symbol or its page is absent (a mini.core of a dump without it): the
 * derived values stand.
 */
static bool read_sym_var(struct arch_env *env, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx,
			 const char *name, uint64_t *ret)
{
	struct sf_err e = { 0 };
	uint64_t va;
	int rc;

	if (lookup(ctx, name, &va) != 0)
		return false;
	rc = arch_read_u64(env, va, ret, true, name, &e);
	return rc == 0;
}

/*
 * The kernel's variable NAME holds V: used (and named as the source) when
 * plausible, with a warning when it disagrees with what init derived.
 */
static void adopt_base(struct warnlist *wl, const char *name, const char *what, uint64_t v, bool plausible,
		       uint64_t *base, const char **from)
{
	if (!plausible) {
		warn_add(wl, "x86_64: %s holds 0x%" PRIx64 ", not %s; ignored", name, v, what);
		return;
	}
	if (*from && v != *base)
		warn_add(wl, "x86_64: %s holds 0x%" PRIx64 ", but %s gave 0x%" PRIx64 "; using the kernel's variable",
			 name, v, *from, *base);
	*base = v;
	*from = name;
}

/*
 * With KASLR (CONFIG_RANDOMIZE_MEMORY, 4.8+) page_offset_base, vmalloc_base
 * and vmemmap_base are variables (arch/x86/mm/kaslr.c); VMCOREINFO names
 * none of them (x86_64's arch_crash_save_vmcoreinfo() never did), so init
 * derived the direct-map and vmemmap bases from mem_section and the page
 * tables.  The kernel's own values check those (and are used from then on:
 * describe() names them) and give vmalloc_base, the end of the direct-map
 * region.  Without KASLR the variables do not exist
 * (the bases are constants) and nothing changes.
 */
static void x86_use_symbols(struct arch_env *env, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx)
{
	struct x86_state *s = env->priv;
	struct warnlist *wl = env->warnings;
	uint64_t v;

	if (!s)
		return;
	if (read_sym_var(env, lookup, ctx, "page_offset_base", &v))
		adopt_base(wl, "page_offset_base", "a direct-map base", v, plausible_base(env, s, v),
			   &s->page_offset, &s->page_offset_from);
	if (read_sym_var(env, lookup, ctx, "vmemmap_base", &v))
		adopt_base(wl, "vmemmap_base", "a vmemmap base", v,
			   x86_is_kernel_addr(env, v) && !(v & (PUD_SIZE - 1)), &s->vmemmap, &s->vmemmap_from);
	if (read_sym_var(env, lookup, ctx, "vmalloc_base", &v)) {
		if (!x86_is_kernel_addr(env, v) || (v & (PUD_SIZE - 1)) || (s->page_offset_from && v <= s->page_offset))
			warn_add(wl, "x86_64: vmalloc_base holds 0x%" PRIx64 ", not a vmalloc base above the direct map; ignored", v);
		else {
			s->vmalloc = v;
			s->vmalloc_from = "vmalloc_base";
		}
	}
}

/*
 * Without phys_base (VMCOREINFO before 4.10 gave only SYMBOL(phys_base), and
 * an ELF dump has no header for it): x86_64 loads the kernel 2 MiB aligned
 * (CONFIG_PHYSICAL_ALIGN is a multiple of 2 MiB), so the root sits at the
 * same offset within some 2 MiB block of RAM, and the right block is the one
 * whose table maps the root's own address back to it.  Bounded by
 * PHYS_BASE_SEARCH_MAX blocks (128 GiB of physical address space).
 */
#define PHYS_BASE_SEARCH_MAX (1u << 16)

static int search_phys_base(struct arch_env *env, struct x86_state *s, struct sf_err *err)
{
	const struct dump_info *info = env->info;
	uint64_t block = UINT64_C(2) << 20;
	uint64_t off = (s->root_va - START_KERNEL_MAP) & (block - 1);
	uint64_t limit = info->max_pfn * info->page_size;

	for (uint64_t i = 0; i < PHYS_BASE_SEARCH_MAX && i * block < limit; i++) {
		uint64_t root_pa = i * block + off, pa;
		struct sf_err e = { 0 };
		enum page_state st = env->page_state(env->ctx, root_pa / info->page_size);

		if (st != PAGE_PRESENT)
			continue;
		if (pt_walk(env, &s->fmt, root_pa, s->root_va, &pa, NULL, &e) == 0 && pa == root_pa) {
			s->root_pa = root_pa;
			s->phys_base = root_pa - (s->root_va - START_KERNEL_MAP);
			s->phys_base_from = "search";
			return 0;
		}
	}
	return sf_err_set(err, SF_ENOTFOUND, "no NUMBER(phys_base) in VMCOREINFO, no phys_base in the dump header, and no "
			  "2 MiB block below 0x%" PRIx64 " holds a page table mapping 0x%" PRIx64 " to itself",
			  limit < PHYS_BASE_SEARCH_MAX * block ? limit : PHYS_BASE_SEARCH_MAX * block, s->root_va);
}

static int x86_init(struct arch_env *env, struct sf_err *err)
{
	const struct dump_info *info = env->info;
	struct x86_state *s;
	bool found;
	uint64_t v, pa;
	int rc;

	if (!env->have_vmcoreinfo)
		return sf_err_set(err, SF_ENOTSUP, "the dump has no VMCOREINFO (x86_64 translation needs phys_base and the page-table root)");
	if (info->page_size != 4096)
		return sf_err_set(err, SF_ENOTSUP, "page size %u (x86_64 has 4096)", info->page_size);
	s = calloc(1, sizeof(*s));
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	if (vmci_hex(env, "KERNELOFFSET", &s->kaslr_offset, err) < 0) {
		if (err->code != SF_ENOTFOUND) {
			free(s);
			return -err->code;
		}
		s->kaslr_offset = 0;
	}
	rc = vmci_number(env, "phys_base", &s->phys_base, err);
	if (rc == 0) {
		s->phys_base_from = "VMCOREINFO";
	} else if (rc == -SF_ENOTFOUND && info->phys_base_valid) {
		s->phys_base = info->phys_base;
		s->phys_base_from = "dump header";
	} else if (rc == -SF_ENOTFOUND) {
		s->phys_base_from = NULL;	/* searched for below, once the root is known */
	} else {
		free(s);
		return rc;
	}
	v = number_or(env, "pgtable_l5_enabled", 0, NULL);
	s->l5 = v != 0;
	s->ptp.sme_mask = number_or(env, "sme_mask", 0, NULL);
	s->kernel_image_size = number_or(env, "KERNEL_IMAGE_SIZE", KERNEL_IMAGE_SIZE_MIN, &found);
	if (s->kernel_image_size < (UINT64_C(16) << 20) || s->kernel_image_size > (UINT64_C(1) << 31)) {
		warn_add(env->warnings, "x86_64: NUMBER(KERNEL_IMAGE_SIZE)=0x%" PRIx64 " is implausible; using 512 MiB",
			 s->kernel_image_size);
		s->kernel_image_size = KERNEL_IMAGE_SIZE_MIN;
	}
	v = number_or(env, "MAX_PHYSMEM_BITS", s->l5 ? 52 : 46, NULL);
	s->physmem_bits = v >= 32 && v <= 52 ? (unsigned)v : (s->l5 ? 52 : 46);
	if (info->max_pfn && info->max_pfn <= (direct_map_size(s) >> 12)) {
		uint64_t tib = UINT64_C(1) << 40;

		s->ram_span = (info->max_pfn * info->page_size + tib - 1) & ~(tib - 1);
	}
	x86_set_format(s);

	if (vmci_symbol(env, "init_top_pgt", &s->root_va, err) < 0 &&
	    vmci_symbol(env, "init_level4_pgt", &s->root_va, err) < 0 &&
	    vmci_symbol(env, "swapper_pg_dir", &s->root_va, err) < 0) {
		free(s);
		return sf_err_set(err, SF_ENOTFOUND, "VMCOREINFO has none of SYMBOL(init_top_pgt), SYMBOL(init_level4_pgt), SYMBOL(swapper_pg_dir)");
	}
	if (!in_text_map(s, s->root_va) || (s->root_va & 0xfff)) {
		v = s->root_va;
		free(s);
		return sf_err_set(err, SF_ECORRUPT, "page-table root 0x%" PRIx64 " is not a page in the kernel text mapping", v);
	}
	env->priv = s;
	if (!s->phys_base_from) {
		rc = search_phys_base(env, s, err);
		if (rc < 0)
			return rc;
		warn_add(env->warnings, "x86_64: phys_base %s%" PRIx64 " found by a %s for the page table that maps itself", (int64_t)s->phys_base < 0 ? "-0x" : "0x",
			 (int64_t)s->phys_base < 0 ? (uint64_t)0 - s->phys_base : s->phys_base, s->phys_base_from);
	}
	s->root_pa = s->root_va - START_KERNEL_MAP + s->phys_base;

	/* The root maps itself through the text mapping: this checks phys_base. */
	rc = pt_walk(env, &s->fmt, s->root_pa, s->root_va, &pa, NULL, err);
	if (rc < 0)
		return sf_err_prefix(err, "page-table root 0x%" PRIx64 " at phys 0x%" PRIx64 " (phys_base 0x%" PRIx64 " from %s)",
				     s->root_va, s->root_pa, s->phys_base, s->phys_base_from);
	if (pa != s->root_pa)
		return sf_err_set(err, SF_ECORRUPT,
				  "page-table root 0x%" PRIx64 " at phys 0x%" PRIx64 " maps itself to phys 0x%" PRIx64
				  ": phys_base 0x%" PRIx64 " (from %s) is wrong", s->root_va, s->root_pa, pa, s->phys_base,
				  s->phys_base_from);
	find_direct_map(env, s);
	find_vmemmap(env, s);
	sf_err_clear(err);
	return 0;
}

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.e_machine = EM_X86_64,
	.uts_machine = "x86_64",
	.thread_size_default = 16384,
	.parse_prstatus = x86_parse_prstatus,
	.init = x86_init,
	.release = x86_release,
	.vtop = x86_vtop,
	.vtop_tables = x86_vtop_tables,
	.ptov = x86_ptov,
	.vmemmap_base = x86_vmemmap_base,
	.is_kernel_addr = x86_is_kernel_addr,
	.describe = x86_describe,
	.use_symbols = x86_use_symbols,
};
