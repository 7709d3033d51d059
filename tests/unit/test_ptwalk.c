// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address translation over generated page tables: x86_64 4- and 5-level
 * paging with 4K/2M/1G pages, arm64 4K/16K/64K granules with 48- and 52-bit
 * VA, block mappings, and hostile tables (loops, pointers past memory).
 * Each case builds physical memory and a VMCOREINFO text, then runs the real
 * arch init and translations through kmem_create_raw().
 */
#include <stdio.h>

#include "harness.h"
#include "fakemem.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)

/* ---- x86_64 ---- */

static uint64_t x86_sme;	/* C-bit set in every generated entry */

static uint64_t x86_table_entry(uint64_t pa) { return pa | 0x63 | x86_sme; }
static uint64_t x86_leaf_entry(uint64_t pa, int level, int levels)
{
	return pa | (level == levels - 1 ? 0x63 : 0xe3) | x86_sme | UINT64_C(1) << 63;	/* NX too */
}
static uint64_t x86_entry_addr(uint64_t e) { return e & UINT64_C(0x000ffffffffff000) & ~x86_sme; }

struct x86_env {
	struct fakemem mem;
	struct ptgen g;
	uint64_t root_va, root_pa, phys_base;
	uint64_t direct, vmemmap, vmalloc;
	char vi_text[4096];
	struct vmcoreinfo *vi;
	struct kmem *k;
	struct warnlist wl;
};

enum { X86_WITH_MEM_SECTION = 1, X86_NO_KASLR = 2, X86_L5 = 4, X86_SME = 8, X86_BASE_VARS = 16 };

static struct x86_env *x86_build(int flags)
{
	struct x86_env *e = calloc(1, sizeof(*e));
	bool l5 = flags & X86_L5;
	uint64_t text_off = 0x2c000000;

	ASSERT_TRUE(e);
	x86_sme = flags & X86_SME ? UINT64_C(1) << 47 : 0;
	fakemem_init(&e->mem, 4096, 0x40000, 0x800000);	/* 1 GiB of RAM; tables from 8 MiB */
	e->g = (struct ptgen){ .mem = &e->mem, .levels = l5 ? 5 : 4,
			       .table_entry = x86_table_entry, .leaf_entry = x86_leaf_entry, .entry_addr = x86_entry_addr };
	for (int i = 0; i < e->g.levels; i++) {
		e->g.shift[i] = 12 + 9 * (unsigned)(e->g.levels - 1 - i);
		e->g.bits[i] = 9;
	}
	e->phys_base = (uint64_t)-0x1a400000;	/* "negative", as with KASLR */
	e->root_va = START_KERNEL_MAP + 0x2f810000;
	e->root_pa = e->root_va - START_KERNEL_MAP + e->phys_base;
	e->direct = l5 ? UINT64_C(0xff2a3c4000000000) : UINT64_C(0xffff8d3d80000000);
	e->vmemmap = l5 ? UINT64_C(0xffd5ab0000000000) : UINT64_C(0xfffff7c680000000);
	e->vmalloc = l5 ? UINT64_C(0xffa0123400518000) : UINT64_C(0xffffd48440518000);
	if (flags & X86_NO_KASLR) {
		e->direct = l5 ? UINT64_C(0xff11000000000000) : UINT64_C(0xffff888000000000);
		e->vmemmap = l5 ? UINT64_C(0xffd4000000000000) : UINT64_C(0xffffea0000000000);
	}
	fakemem_page(&e->mem, e->root_pa / 4096, 1);
	/* kernel text: 64 MiB of 2M pages */
	for (uint64_t off = 0; off < (64u << 20); off += 2u << 20)
		ptgen_map(&e->g, e->root_pa, START_KERNEL_MAP + text_off + off, text_off + off + e->phys_base, e->g.levels - 2);
	/* direct map: one 1G page */
	ptgen_map(&e->g, e->root_pa, e->direct, 0, e->g.levels - 3);
	/* vmalloc: 4K pages, not physically contiguous */
	ptgen_map(&e->g, e->root_pa, e->vmalloc, 0x3000000, e->g.levels - 1);
	ptgen_map(&e->g, e->root_pa, e->vmalloc + 0x1000, 0x3005000, e->g.levels - 1);
	ptgen_map(&e->g, e->root_pa, e->vmalloc + 0x2000, 0x3002000, e->g.levels - 1);
	/* vmemmap: one 2M page */
	ptgen_map(&e->g, e->root_pa, e->vmemmap, 0x3200000, e->g.levels - 2);

	int n = snprintf(e->vi_text, sizeof(e->vi_text),
			 "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nSYMBOL(init_top_pgt)=%llx\nSYMBOL(swapper_pg_dir)=%llx\n"
			 "NUMBER(phys_base)=%lld\nNUMBER(pgtable_l5_enabled)=%d\nNUMBER(KERNEL_IMAGE_SIZE)=1073741824\n"
			 "NUMBER(sme_mask)=%llu\nNUMBER(SECTION_SIZE_BITS)=27\nNUMBER(MAX_PHYSMEM_BITS)=%d\n"
			 "SIZE(page)=64\nSIZE(mem_section)=32\nOFFSET(mem_section.section_mem_map)=0\nLENGTH(mem_section)=%d\n",
			 (unsigned long long)e->root_va, (unsigned long long)e->root_va, (long long)e->phys_base, l5 ? 1 : 0,
			 (unsigned long long)x86_sme, l5 ? 52 : 46, l5 ? (1 << 25) / 128 : 4096);
	if (!(flags & X86_NO_KASLR))
		n += snprintf(e->vi_text + n, sizeof(e->vi_text) - (size_t)n, "KERNELOFFSET=2ce00000\n");
	if (flags & X86_WITH_MEM_SECTION) {
		/* mem_section -> roots at direct-map pa 0x1ffd5000; root 0 -> sections at 0x1ffd6000 */
		n += snprintf(e->vi_text + n, sizeof(e->vi_text) - (size_t)n, "SYMBOL(mem_section)=%llx\n",
			      (unsigned long long)(e->direct + 0x1ffd5000));
		fakemem_w64(&e->mem, 0x1ffd5000, e->direct + 0x1ffd6000);
		fakemem_w64(&e->mem, 0x1ffd6000 + 0 * 32, e->vmemmap | 0x7);
		fakemem_w64(&e->mem, 0x1ffd6000 + 1 * 32, e->vmemmap | 0x3);
		fakemem_w64(&e->mem, 0x1ffd6000 + 3 * 32, e->vmemmap | 0xb);
	}
	if (flags & X86_BASE_VARS) {
		/* the kernel's page_offset_base and vmemmap_base variables, in the image */
		n += snprintf(e->vi_text + n, sizeof(e->vi_text) - (size_t)n,
			      "SYMBOL(page_offset_base)=%llx\nSYMBOL(vmemmap_base)=%llx\n",
			      (unsigned long long)(START_KERNEL_MAP + 0x2f900000),
			      (unsigned long long)(START_KERNEL_MAP + 0x2f900008));
		fakemem_w64(&e->mem, 0x2f900000 + e->phys_base, e->direct);
		fakemem_w64(&e->mem, 0x2f900008 + e->phys_base, e->vmemmap);
	}
	n += snprintf(e->vi_text + n, sizeof(e->vi_text) - (size_t)n, "CRASHTIME=1795551047\n");
	warnlist_init(&e->wl);
	return e;
}

static int x86_open(struct x86_env *e, struct sf_err *err)
{
	struct dump_info info = fakemem_info(&e->mem);
	int rc = vmcoreinfo_parse(e->vi_text, strlen(e->vi_text), &e->vi, err);

	if (rc < 0)
		return rc;
	return kmem_create_raw(&fakemem_ops, &e->mem, &info, &arch_x86_64, e->vi, &e->wl, &e->k, err);
}

static void x86_check_translations(struct x86_env *e)
{
	struct sf_err err = { 0 };
	uint64_t pa, va;
	char buf[512];
	uint8_t data[16];

	/* text */
	ASSERT_OK(kmem_vtop(e->k, e->root_va + 0x123, &pa, &err), &err);
	ASSERT_U64(pa, e->root_pa + 0x123);
	/* direct map, both ways */
	ASSERT_OK(kmem_vtop(e->k, e->direct + 0x15a60010, &pa, &err), &err);
	ASSERT_U64(pa, 0x15a60010);
	ASSERT_OK(kmem_ptov(e->k, 0x15a60000, &va, &err), &err);
	ASSERT_U64(va, e->direct + 0x15a60000);
	/* vmalloc through the 4K PTEs */
	ASSERT_OK(kmem_vtop(e->k, e->vmalloc + 0x1008, &pa, &err), &err);
	ASSERT_U64(pa, 0x3005008);
	ASSERT_OK(kmem_vtop(e->k, e->vmalloc + 0x2fff, &pa, &err), &err);
	ASSERT_U64(pa, 0x3002fff);
	/* vmemmap through the 2M page */
	ASSERT_OK(kmem_vtop(e->k, e->vmemmap + 0x123456, &pa, &err), &err);
	ASSERT_U64(pa, 0x3323456);
	/* a read across two non-contiguous pages */
	fakemem_write(&e->mem, 0x3000ff8, "ABCDEFGH", 8);
	fakemem_write(&e->mem, 0x3005000, "12345678", 8);
	ASSERT_OK(kmem_read(e->k, e->vmalloc + 0xff8, data, 16, "test object", &err), &err);
	ASSERT_TRUE(!memcmp(data, "ABCDEFGH12345678", 16));
	/* unmapped */
	ASSERT_EQ(kmem_vtop(e->k, e->vmalloc + 0x3000, &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "not mapped");
	ASSERT_EQ(kmem_vpage_state(e->k, e->vmalloc + 0x3000), PAGE_NOT_IN_MEMORY);
	ASSERT_EQ(kmem_vpage_state(e->k, e->vmalloc), PAGE_PRESENT);
	/* description */
	kmem_arch(e->k)->describe(kmem_arch_env(e->k), buf, sizeof(buf));
	snprintf((char *)data, sizeof(data), "%d-level", e->g.levels);
	ASSERT_CONTAINS(buf, (char *)data);
	ASSERT_CONTAINS(buf, "KASLR offset 0x");
	ASSERT_CONTAINS(buf, "phys_base -0x1a400000");
	snprintf(buf + 256, 64, "direct map 0x%llx", (unsigned long long)e->direct);
	ASSERT_CONTAINS(buf, buf + 256);
	ASSERT_U64(kmem_arch(e->k)->vmemmap_base(kmem_arch_env(e->k)), e->vmemmap);
	ASSERT_TRUE(kmem_arch(e->k)->is_kernel_addr(kmem_arch_env(e->k), e->direct));
	ASSERT_TRUE(!kmem_arch(e->k)->is_kernel_addr(kmem_arch_env(e->k), 0x7fffdeadb000));
	ASSERT_TRUE(!kmem_arch(e->k)->is_kernel_addr(kmem_arch_env(e->k), (uint64_t)-12));
}

static void x86_destroy(struct x86_env *e)
{
	kmem_destroy(e->k);
	vmcoreinfo_destroy(e->vi);
	warnlist_release(&e->wl);
	fakemem_free(&e->mem);
	free(e);
}

TEST(x86_4level_mem_section)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 0);
	x86_check_translations(e);
	x86_destroy(e);
}

TEST(x86_5level_mem_section)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION | X86_L5);
	struct sf_err err = { 0 };

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 0);
	x86_check_translations(e);
	x86_destroy(e);
}

TEST(x86_sme_mask_masked_off)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION | X86_SME);
	struct sf_err err = { 0 };

	ASSERT_OK(x86_open(e, &err), &err);
	x86_check_translations(e);
	x86_destroy(e);
}

/* Without SYMBOL(mem_section): direct map from the lowest mapping; no KASLR: default vmemmap. */
TEST(x86_direct_map_from_tables_no_kaslr)
{
	struct x86_env *e = x86_build(X86_NO_KASLR);
	struct sf_err err = { 0 };

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 0);
	x86_check_translations(e);
	x86_destroy(e);
}

TEST(x86_5level_direct_map_from_tables)
{
	struct x86_env *e = x86_build(X86_NO_KASLR | X86_L5);
	struct sf_err err = { 0 };

	ASSERT_OK(x86_open(e, &err), &err);
	x86_check_translations(e);
	x86_destroy(e);
}

TEST(x86_base_variables_from_vmcoreinfo)
{
	struct x86_env *e = x86_build(X86_BASE_VARS);
	struct sf_err err = { 0 };
	char buf[512];

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 0);
	x86_check_translations(e);
	kmem_arch(e->k)->describe(kmem_arch_env(e->k), buf, sizeof(buf));
	ASSERT_CONTAINS(buf, "direct map from page_offset_base, vmemmap from vmemmap_base");
	x86_destroy(e);
}

/*
 * KASLR puts vmalloc a few TiB above page_offset_base (Debian 5.10: base
 * 0xffff915f40000000, a task stack at 0xffff9e5540290000): such an address
 * is walked, never taken as direct map because it is below
 * 1 << MAX_PHYSMEM_BITS.
 */
TEST(x86_vmalloc_tib_above_direct_map_is_walked)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t far = e->direct + (UINT64_C(13) << 40) + 0x290000, pa;

	ptgen_map(&e->g, e->root_pa, far, 0x3007000, e->g.levels - 1);
	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 0);
	ASSERT_OK(kmem_vtop(e->k, far + 0x18, &pa, &err), &err);
	ASSERT_U64(pa, 0x3007018);
	x86_check_translations(e);
	x86_destroy(e);
}

struct sym_pair {
	const char *name;
	uint64_t addr;
};

static int lookup_pairs(void *ctx, const char *name, uint64_t *addr)
{
	for (const struct sym_pair *p = ctx; p->name; p++)
		if (!strcmp(p->name, name)) {
			*addr = p->addr;
			return 0;
		}
	return -SF_ENOTFOUND;
}

/*
 * The kernel's page_offset_base, vmemmap_base and vmalloc_base, found through
 * the symbols (VMCOREINFO never names them on x86_64): they confirm the
 * derived bases, and vmalloc_base ends the direct-map shortcut even below
 * the dump's memory rounded up to 1 TiB.
 */
TEST(x86_base_variables_through_symbols)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t vmalloc_base = e->direct + (UINT64_C(2) << 30), pa;
	struct sym_pair syms[] = {
		{ "page_offset_base", START_KERNEL_MAP + 0x2f900000 },
		{ "vmemmap_base", START_KERNEL_MAP + 0x2f900008 },
		{ "vmalloc_base", START_KERNEL_MAP + 0x2f900010 },
		{ NULL, 0 },
	};
	char buf[512], want[64];

	fakemem_w64(&e->mem, 0x2f900000 + e->phys_base, e->direct);
	fakemem_w64(&e->mem, 0x2f900008 + e->phys_base, e->vmemmap);
	fakemem_w64(&e->mem, 0x2f900010 + e->phys_base, vmalloc_base);
	ptgen_map(&e->g, e->root_pa, vmalloc_base + 0x1000, 0x3009000, e->g.levels - 1);
	ASSERT_OK(x86_open(e, &err), &err);
	kmem_use_symbols(e->k, lookup_pairs, syms);
	ASSERT_EQ(e->wl.count, 0);
	kmem_arch(e->k)->describe(kmem_arch_env(e->k), buf, sizeof(buf));
	ASSERT_CONTAINS(buf, "direct map from page_offset_base, vmemmap from vmemmap_base");
	snprintf(want, sizeof(want), "vmalloc 0x%llx (from vmalloc_base)", (unsigned long long)vmalloc_base);
	ASSERT_CONTAINS(buf, want);
	ASSERT_OK(kmem_vtop(e->k, vmalloc_base + 0x1010, &pa, &err), &err);
	ASSERT_U64(pa, 0x3009010);
	x86_check_translations(e);
	x86_destroy(e);
}

/* A variable that disagrees with the derived base wins, with a warning naming both. */
TEST(x86_base_variable_disagreeing_warns)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t other = e->vmemmap + (UINT64_C(1) << 30);
	struct sym_pair syms[] = { { "vmemmap_base", START_KERNEL_MAP + 0x2f900008 }, { NULL, 0 } };

	fakemem_w64(&e->mem, 0x2f900008 + e->phys_base, other);
	ASSERT_OK(x86_open(e, &err), &err);
	kmem_use_symbols(e->k, lookup_pairs, syms);
	ASSERT_EQ(e->wl.count, 1);
	ASSERT_CONTAINS(e->wl.msgs[0], "vmemmap_base holds 0x");
	ASSERT_CONTAINS(e->wl.msgs[0], "but mem_section gave");
	ASSERT_U64(kmem_arch(e->k)->vmemmap_base(kmem_arch_env(e->k)), other);
	x86_destroy(e);
}

/*
 * kmem_vtop_tables(): what makedumpfile does for every address.  The kernel
 * image and the direct map, which kmem_vtop() translates by offset without
 * reading anything, go through the tables (one read per level down to the
 * 2M / 1G leaf), uncached, to the same physical address.
 */
TEST(x86_vtop_tables_walks_the_shortcut_ranges)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t pa, pa2;
	unsigned r0;

	ASSERT_OK(x86_open(e, &err), &err);
	r0 = e->mem.reads;
	ASSERT_OK(kmem_vtop(e->k, e->root_va + 0x123, &pa, &err), &err);
	ASSERT_OK(kmem_vtop(e->k, e->direct + 0x15a60010, &pa, &err), &err);
	ASSERT_EQ(e->mem.reads, r0);	/* offsets: no table read */
	for (int pass = 0; pass < 2; pass++) {	/* not cached: the second walk reads again */
		r0 = e->mem.reads;
		ASSERT_OK(kmem_vtop_tables(e->k, e->root_va + 0x123, &pa2, &err), &err);
		ASSERT_U64(pa2, e->root_pa + 0x123);
		ASSERT_EQ(e->mem.reads - r0, 3);	/* PGD, PUD, PMD (2M leaf) */
		r0 = e->mem.reads;
		ASSERT_OK(kmem_vtop_tables(e->k, e->direct + 0x15a60010, &pa2, &err), &err);
		ASSERT_U64(pa2, 0x15a60010);
		ASSERT_EQ(e->mem.reads - r0, 2);	/* PGD, PUD (1G leaf) */
	}
	/* an image address the tables do not map is an error, not the offset's answer */
	ASSERT_EQ(kmem_vtop_tables(e->k, START_KERNEL_MAP + 0x3f000000, &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "not mapped");
	ASSERT_EQ(kmem_vtop_tables(e->k, UINT64_C(0x0000800000000000), &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "canonical");
	x86_destroy(e);
}

/* KASLR without mem_section: the direct map is still found, vmemmap is reported unknown. */
TEST(x86_kaslr_without_mem_section_warns_vmemmap)
{
	struct x86_env *e = x86_build(0);
	struct sf_err err = { 0 };
	uint64_t pa;

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 1);
	ASSERT_CONTAINS(e->wl.msgs[0], "vmemmap base not found");
	ASSERT_U64(kmem_arch(e->k)->vmemmap_base(kmem_arch_env(e->k)), 0);
	ASSERT_OK(kmem_vtop(e->k, e->direct + 0x1000, &pa, &err), &err);
	ASSERT_U64(pa, 0x1000);
	x86_destroy(e);
}

TEST(x86_wrong_phys_base_fails_init)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	char *p = strstr(e->vi_text, "NUMBER(phys_base)=");

	ASSERT_TRUE(p);
	memcpy(p + strlen("NUMBER(phys_base)="), "-3", 2);	/* -340401920: wrong */
	ASSERT_TRUE(x86_open(e, &err) < 0);
	ASSERT_CONTAINS(err.msg, "phys");
	x86_destroy(e);
}

/* No phys_base anywhere: found by searching 2M blocks for the root that maps itself. */
TEST(x86_phys_base_searched)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	char *p = strstr(e->vi_text, "NUMBER(phys_base)=");

	ASSERT_TRUE(p);
	p[0] = 'X';	/* hide it */
	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(e->wl.count, 1);
	ASSERT_CONTAINS(e->wl.msgs[0], "phys_base -0x1a400000 found by a search");
	x86_check_translations(e);
	x86_destroy(e);
}

TEST(x86_non_canonical_rejected)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t pa;

	ASSERT_OK(x86_open(e, &err), &err);
	ASSERT_EQ(kmem_vtop(e->k, e->vmalloc & ~(UINT64_C(1) << 60), &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "canonical");
	x86_destroy(e);
}

TEST(x86_no_vmcoreinfo_symbols_fails_clearly)
{
	struct x86_env *e = x86_build(0);
	struct sf_err err = { 0 };

	strcpy(e->vi_text, "OSRELEASE=6.1.0\nNUMBER(phys_base)=0\n");
	ASSERT_TRUE(x86_open(e, &err) < 0);
	ASSERT_CONTAINS(err.msg, "init_top_pgt");
	x86_destroy(e);
}

TEST(x86_pagetable_loop_is_eloop)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t pa;

	ASSERT_OK(x86_open(e, &err), &err);
	/* the PD entry of vmalloc points back to the PML4 */
	fakemem_w64(&e->mem, ptgen_entry_addr(&e->g, e->root_pa, e->vmalloc, 2), x86_table_entry(e->root_pa));
	ASSERT_EQ(kmem_vtop(e->k, e->vmalloc + 0x3000, &pa, &err), -SF_ELOOP);
	ASSERT_CONTAINS(err.msg, "loop");
	ASSERT_CONTAINS(err.msg, "0xffffd4844051b000");
	x86_destroy(e);
}

TEST(x86_entry_beyond_memory_is_erange)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t pa;

	ASSERT_OK(x86_open(e, &err), &err);
	fakemem_w64(&e->mem, ptgen_entry_addr(&e->g, e->root_pa, e->vmalloc, 2), x86_table_entry(UINT64_C(0x7fff000000)));
	ASSERT_EQ(kmem_vtop(e->k, e->vmalloc + 0x3000, &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "beyond memory");
	ASSERT_CONTAINS(err.msg, "level 3");
	x86_destroy(e);
}

TEST(x86_ps_bit_in_pml4_is_corrupt)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint64_t pa;

	ASSERT_OK(x86_open(e, &err), &err);
	fakemem_w64(&e->mem, ptgen_entry_addr(&e->g, e->root_pa, e->vmalloc, 0), 0x40000000 | 0xe3);
	ASSERT_EQ(kmem_vtop(e->k, e->vmalloc + 0x3000, &pa, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "level 0");
	x86_destroy(e);
}

TEST(x86_excluded_page_message)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	uint8_t b[8];

	ASSERT_OK(x86_open(e, &err), &err);
	e->mem.excluded_pfn = 0x1fc65;
	ASSERT_EQ(kmem_read(e->k, e->direct + 0x1fc65538, b, 8, "sk_buff.head", &err), -SF_ENODATA);
	ASSERT_CONTAINS(err.msg, "sk_buff.head at 0x");
	ASSERT_CONTAINS(err.msg, "pfn 0x1fc65 excluded from the dump");
	ASSERT_EQ(kmem_vpage_state(e->k, e->direct + 0x1fc65538), PAGE_EXCLUDED);
	x86_destroy(e);
}

/* Reading a string stops at its NUL even when the next page is unreadable. */
TEST(x86_read_str_stops_before_bad_page)
{
	struct x86_env *e = x86_build(X86_WITH_MEM_SECTION);
	struct sf_err err = { 0 };
	char s[64];

	ASSERT_OK(x86_open(e, &err), &err);
	fakemem_write(&e->mem, 0x3002ffa, "hello", 6);
	ASSERT_OK(kmem_read_str(e->k, e->vmalloc + 0x2ffa, s, sizeof(s), "name", &err), &err);
	ASSERT_STREQ(s, "hello");
	fakemem_write(&e->mem, 0x3002ffa, "hello!", 6);
	ASSERT_TRUE(kmem_read_str(e->k, e->vmalloc + 0x2ffa, s, sizeof(s), "name", &err) < 0);
	ASSERT_CONTAINS(err.msg, "name at 0x");
	x86_destroy(e);
}

/* ---- arm64 ---- */

static int a64_lpa_mode;	/* 0: 48-bit PA, 1: FEAT_LPA (64K), 2: FEAT_LPA2 (4K/16K) */

static uint64_t a64_enc(uint64_t pa)
{
	if (a64_lpa_mode == 1)
		return (pa & UINT64_C(0x0000ffffffff0000)) | ((pa >> 48) & 0xf) << 12;
	if (a64_lpa_mode == 2)
		return (pa & UINT64_C(0x0003fffffffff000)) | ((pa >> 50) & 3) << 8;
	return pa;
}
static uint64_t a64_table_entry(uint64_t pa) { return a64_enc(pa) | 3; }
static uint64_t a64_leaf_entry(uint64_t pa, int level, int levels)
{
	/* AF, SH (bits 9:8 hold PA[51:50] with LPA2 instead), PXN/UXN */
	uint64_t attrs = UINT64_C(0x0060000000000400) | (a64_lpa_mode == 2 ? 0 : 0x300);

	return a64_enc(pa) | attrs | (level == levels - 1 ? 3 : 1);
}
static uint64_t a64_entry_addr(uint64_t e)
{
	if (a64_lpa_mode == 1)
		return (e & UINT64_C(0x0000ffffffff0000)) | ((e >> 12) & 0xf) << 48;
	if (a64_lpa_mode == 2)
		return (e & UINT64_C(0x0003fffffffff000)) | ((e >> 8) & 3) << 50;
	return e & UINT64_C(0x0000fffffffff000);
}

struct a64_case {
	unsigned page_shift, va_bits, t1sz;
	int lpa;			/* descriptor format; MAX_PHYSMEM_BITS is 52 when lpa or physmem52 */
	int levels;			/* expected walk geometry (ARM ARM tables) */
	unsigned shift[6], bits[6];
	bool physmem52;
};

static void a64_run(const struct a64_case *c)
{
	struct fakemem *m = calloc(1, sizeof(*m));
	uint64_t ps = UINT64_C(1) << c->page_shift;
	uint64_t phys_offset = UINT64_C(0xffffc45b80000000);	/* randomized linear map: "negative" */
	uint64_t kimage_voffset = UINT64_C(0xffffd807ffe00000);
	uint64_t stext = UINT64_C(0xffffd80840010000);
	uint64_t root_va = UINT64_C(0xffffd80841660000), root_pa = root_va - kimage_voffset;
	uint64_t page_offset = (uint64_t)0 - (UINT64_C(1) << c->va_bits);
	uint64_t vmalloc = UINT64_C(0xffff800008200000);
	uint64_t vmemmap_start = UINT64_C(0xfffffc0000000000);
	uint64_t high_pa = c->lpa ? UINT64_C(0x000f000000000000) + 5 * ps : 0x45000000;
	struct ptgen g = { .mem = m, .levels = c->levels, .table_entry = a64_table_entry,
			   .leaf_entry = a64_leaf_entry, .entry_addr = a64_entry_addr };
	struct dump_info info;
	struct vmcoreinfo *vi = NULL;
	struct kmem *k = NULL;
	struct warnlist wl;
	struct sf_err err = { 0 };
	char text[2048], buf[512];
	uint64_t pa, va, block;

	ASSERT_TRUE(m);
	a64_lpa_mode = c->lpa;
	fakemem_init(m, (uint32_t)ps, c->lpa ? (UINT64_C(1) << 52) >> c->page_shift : UINT64_C(0x60000000) >> c->page_shift,
		     0x44000000);
	memcpy(g.shift, c->shift, sizeof(g.shift));
	memcpy(g.bits, c->bits, sizeof(g.bits));
	fakemem_page(m, root_pa / ps, 1);
	/* the image: swapper_pg_dir's own page and a page of text */
	ptgen_map(&g, root_pa, root_va, root_pa, c->levels - 1);
	ptgen_map(&g, root_pa, stext & ~(ps - 1), (stext - kimage_voffset) & ~(ps - 1), c->levels - 1);
	/* vmalloc pages, one possibly above 48 bits of PA */
	ptgen_map(&g, root_pa, vmalloc, 0x42000000, c->levels - 1);
	ptgen_map(&g, root_pa, vmalloc + ps, high_pa, c->levels - 1);
	/* a block one level up (2M, 32M or 512M) */
	block = UINT64_C(1) << c->shift[c->levels - 2];
	ptgen_map(&g, root_pa, UINT64_C(0xffff800080000000), 0x40000000 & ~(block - 1), c->levels - 2);
	/* and a 1G block two levels up with 4K pages */
	if (c->page_shift == 12)
		ptgen_map(&g, root_pa, UINT64_C(0xffff8000c0000000), 0x40000000, c->levels - 3);

	snprintf(text, sizeof(text),
		 "OSRELEASE=6.1.0-test-arm64\nPAGESIZE=%llu\nSYMBOL(swapper_pg_dir)=%llx\nSYMBOL(_stext)=%llx\n"
		 "SIZE(page)=64\nNUMBER(VA_BITS)=%u\nNUMBER(VMEMMAP_START)=0x%llx\nNUMBER(kimage_voffset)=0x%llx\n"
		 "NUMBER(PHYS_OFFSET)=0x%llx\nNUMBER(TCR_EL1_T1SZ)=0x%x\nNUMBER(MAX_PHYSMEM_BITS)=%d\n"
		 "KERNELOFFSET=580838000000\nNUMBER(KERNELPACMASK)=0x0\n",
		 (unsigned long long)ps, (unsigned long long)root_va, (unsigned long long)stext, c->va_bits,
		 (unsigned long long)vmemmap_start, (unsigned long long)kimage_voffset, (unsigned long long)phys_offset,
		 c->t1sz, c->lpa || c->physmem52 ? 52 : 48);
	info = fakemem_info(m);
	warnlist_init(&wl);
	ASSERT_OK(vmcoreinfo_parse(text, strlen(text), &vi, &err), &err);
	ASSERT_OK(kmem_create_raw(&fakemem_ops, m, &info, &arch_arm64, vi, &wl, &k, &err), &err);
	ASSERT_EQ(wl.count, 0);

	ASSERT_OK(kmem_vtop(k, stext + 8, &pa, &err), &err);
	ASSERT_U64(pa, stext + 8 - kimage_voffset);
	ASSERT_OK(kmem_vtop(k, vmalloc + 0x18, &pa, &err), &err);
	ASSERT_U64(pa, 0x42000018);
	ASSERT_OK(kmem_vtop(k, vmalloc + ps + 0x20, &pa, &err), &err);
	ASSERT_U64(pa, high_pa + 0x20);
	ASSERT_OK(kmem_vtop(k, UINT64_C(0xffff800080000000) + block - 8, &pa, &err), &err);
	ASSERT_U64(pa, (0x40000000 & ~(block - 1)) + block - 8);
	if (c->page_shift == 12) {
		ASSERT_OK(kmem_vtop(k, UINT64_C(0xffff8000c0000000) + 0x2d8123, &pa, &err), &err);
		ASSERT_U64(pa, 0x402d8123);
	}
	ASSERT_EQ(kmem_vtop(k, vmalloc + 2 * ps, &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "not mapped");
	/* a KASAN/MTE-tagged pointer is the same address; a user address is refused */
	ASSERT_OK(kmem_vtop(k, (vmalloc + 0x18) & ~(UINT64_C(0x0f) << 56), &pa, &err), &err);
	ASSERT_U64(pa, 0x42000018);
	ASSERT_EQ(kmem_vtop(k, UINT64_C(0x0000ffff80001000), &pa, &err), -SF_ERANGE);
	ASSERT_CONTAINS(err.msg, "user-space");
	/* linear map: pa = va - PAGE_OFFSET + PHYS_OFFSET */
	ASSERT_OK(kmem_ptov(k, 0x4a2d8000, &va, &err), &err);
	ASSERT_U64(va, page_offset + (0x4a2d8000 - phys_offset));
	ASSERT_OK(kmem_vtop(k, va + 0x10, &pa, &err), &err);
	ASSERT_U64(pa, 0x4a2d8010);
	/* the same through the tables (makedumpfile's walk from swapper_pg_dir): the image and a linear block */
	ASSERT_OK(kmem_vtop_tables(k, stext + 8, &pa, &err), &err);
	ASSERT_U64(pa, stext + 8 - kimage_voffset);
	ASSERT_OK(kmem_vtop_tables(k, UINT64_C(0xffff800080000000) + block - 8, &pa, &err), &err);
	ASSERT_U64(pa, (0x40000000 & ~(block - 1)) + block - 8);
	ASSERT_EQ(kmem_vtop_tables(k, UINT64_C(0x0000ffff80001000), &pa, &err), -SF_ERANGE);
	/* vmemmap = VMEMMAP_START - (memstart_addr >> PAGE_SHIFT) * sizeof(struct page) */
	ASSERT_U64(kmem_arch(k)->vmemmap_base(kmem_arch_env(k)),
		   vmemmap_start - (uint64_t)((int64_t)phys_offset >> c->page_shift) * 64);
	ASSERT_TRUE(kmem_arch(k)->is_kernel_addr(kmem_arch_env(k), va));
	ASSERT_TRUE(!kmem_arch(k)->is_kernel_addr(kmem_arch_env(k), 0x0000ffffdeadb000));
	kmem_arch(k)->describe(kmem_arch_env(k), buf, sizeof(buf));
	snprintf(text, sizeof(text), "%d levels", c->levels);
	ASSERT_CONTAINS(buf, text);
	ASSERT_CONTAINS(buf, "PHYS_OFFSET 0xffffc45b80000000");

	/* hostile: the last table's parent entry points back to the root */
	fakemem_w64(m, ptgen_entry_addr(&g, root_pa, vmalloc, c->levels - 2), a64_table_entry(root_pa));
	ASSERT_EQ(kmem_vtop(k, vmalloc + 3 * ps, &pa, &err), -SF_ELOOP);
	ASSERT_CONTAINS(err.msg, "loop");
	fakemem_w64(m, ptgen_entry_addr(&g, root_pa, vmalloc, c->levels - 2), a64_table_entry(UINT64_C(0x7ff00000000)));
	if (!c->lpa) {
		ASSERT_EQ(kmem_vtop(k, vmalloc + 4 * ps, &pa, &err), -SF_ERANGE);
		ASSERT_CONTAINS(err.msg, "beyond memory");
	}
	kmem_destroy(k);
	vmcoreinfo_destroy(vi);
	warnlist_release(&wl);
	fakemem_free(m);
	free(m);
}

TEST(arm64_4k_48bit)
{
	static const struct a64_case c = { 12, 48, 16, 0, 4, { 39, 30, 21, 12 }, { 9, 9, 9, 9 }, false };
	a64_run(&c);
}

TEST(arm64_16k_48bit)
{
	static const struct a64_case c = { 14, 48, 16, 0, 4, { 47, 36, 25, 14 }, { 1, 11, 11, 11 }, false };
	a64_run(&c);
}

TEST(arm64_64k_48bit)
{
	static const struct a64_case c = { 16, 48, 16, 0, 3, { 42, 29, 16 }, { 6, 13, 13 }, false };
	a64_run(&c);
}

TEST(arm64_64k_52bit_lpa)
{
	static const struct a64_case c = { 16, 52, 12, 1, 3, { 42, 29, 16 }, { 10, 13, 13 }, false };
	a64_run(&c);
}

/* 52-bit VA_BITS on 48-bit hardware: same levels, TTBR1 offset into a 52-bit sized table. */
TEST(arm64_64k_52bit_on_48bit_hw)
{
	static const struct a64_case c = { 16, 52, 16, 0, 3, { 42, 29, 16 }, { 10, 13, 13 }, false };
	a64_run(&c);
}

TEST(arm64_4k_52bit_lpa2)
{
	static const struct a64_case c = { 12, 52, 12, 2, 5, { 48, 39, 30, 21, 12 }, { 4, 9, 9, 9, 9 }, false };
	a64_run(&c);
}

/* A 52-bit (LPA2) 4K kernel on hardware without LPA2: 48-bit VA, 4 levels, classic descriptors. */
TEST(arm64_4k_52bit_kernel_on_48bit_hw)
{
	static const struct a64_case c = { 12, 52, 16, 0, 4, { 39, 30, 21, 12 }, { 9, 9, 9, 9 }, true };
	a64_run(&c);
}

TEST(arm64_16k_52bit_lpa2)
{
	static const struct a64_case c = { 14, 52, 12, 2, 4, { 47, 36, 25, 14 }, { 5, 11, 11, 11 }, false };
	a64_run(&c);
}

/* ---- the walker alone ---- */

static int toy_decode(const struct pt_format *fmt, int level, uint64_t e, struct pt_entry *ret, struct sf_err *err)
{
	(void)err;
	ret->present = e & 1;
	ret->leaf = level == fmt->levels - 1;
	ret->next = e & ~UINT64_C(0xfff);
	ret->size = 4096;
	return 0;
}

TEST(ptwalk_rejects_absurd_formats)
{
	struct fakemem *m = calloc(1, sizeof(*m));
	struct dump_info info;
	struct kmem *k;
	struct sf_err err = { 0 };
	struct pt_format fmt = { .levels = 7, .entry_size = 8, .decode = toy_decode };
	uint64_t pa;

	fakemem_init(m, 4096, 16, 0);
	info = fakemem_info(m);
	ASSERT_OK(kmem_create_raw(&fakemem_ops, m, &info, NULL, NULL, NULL, &k, &err), &err);
	ASSERT_EQ(pt_walk(kmem_arch_env(k), &fmt, 0, 0, &pa, NULL, &err), -SF_ECORRUPT);
	fmt.levels = 2;
	fmt.shift[0] = 60;
	fmt.bits[0] = 9;
	ASSERT_EQ(pt_walk(kmem_arch_env(k), &fmt, 0, 0, &pa, NULL, &err), -SF_ECORRUPT);
	/* a sane 2-level format over a table that maps itself */
	fmt.shift[0] = 21, fmt.bits[0] = 9, fmt.shift[1] = 12, fmt.bits[1] = 9;
	fakemem_w64(m, 0, 0x1001);
	fakemem_w64(m, 0x1000 + 3 * 8, 0x5001);
	ASSERT_OK(pt_walk(kmem_arch_env(k), &fmt, 0, 0x3abc, &pa, NULL, &err), &err);
	ASSERT_U64(pa, 0x5abc);
	/* no translation without an arch */
	ASSERT_EQ(kmem_vtop(k, 0x1000, &pa, &err), -SF_ENOTSUP);
	kmem_destroy(k);
	fakemem_free(m);
	free(m);
}

TEST_MAIN()
