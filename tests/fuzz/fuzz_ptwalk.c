// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page-table walking over fuzzed tables.  The input picks a paging mode
 * (x86_64 4/5-level, arm64 granules and VA sizes), a valid set of tables is
 * generated for it, and the rest of the input patches table entries with
 * arbitrary values before the real arch init and translations run.  Walks
 * must end with an answer or an error, never hang, crash or read outside
 * the tables.
 *
 * Input: [mode] then records of 11 bytes: [table page] [entry u16 LE] [value u64 LE].
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "../unit/fakemem.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)

static uint64_t x86_table(uint64_t pa) { return pa | 0x63; }
static uint64_t x86_leaf(uint64_t pa, int level, int levels) { return pa | (level == levels - 1 ? 0x63 : 0xe3); }
static uint64_t x86_addr(uint64_t e) { return e & UINT64_C(0x000ffffffffff000); }
static uint64_t a64_table(uint64_t pa) { return pa | 3; }
static uint64_t a64_leaf(uint64_t pa, int level, int levels) { return pa | 0x400 | (level == levels - 1 ? 3 : 1); }
static uint64_t a64_addr(uint64_t e) { return e & UINT64_C(0x0000fffffffff000); }

struct mode {
	bool x86;
	unsigned page_shift, va_bits;
	int levels;
	unsigned shift[6], bits[6];
};

static const struct mode modes[] = {
	{ true, 12, 48, 4, { 39, 30, 21, 12 }, { 9, 9, 9, 9 } },
	{ true, 12, 57, 5, { 48, 39, 30, 21, 12 }, { 9, 9, 9, 9, 9 } },
	{ false, 12, 48, 4, { 39, 30, 21, 12 }, { 9, 9, 9, 9 } },
	{ false, 14, 48, 4, { 47, 36, 25, 14 }, { 1, 11, 11, 11 } },
	{ false, 16, 48, 3, { 42, 29, 16 }, { 6, 13, 13 } },
	{ false, 16, 52, 3, { 42, 29, 16 }, { 10, 13, 13 } },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fakemem *mp = NULL;
	const struct mode *md;
	struct ptgen g;
	struct dump_info info;
	struct vmcoreinfo *vi = NULL;
	struct kmem *k = NULL;
	struct sf_err err = { 0 };
	char text[1024];
	uint64_t ps, root_va, root_pa, vmalloc, direct, pa, va;
	uint8_t buf[64];
	uint64_t tables_start;
	bool with_ms;

	if (size < 1)
		return 0;
	mp = calloc(1, sizeof(*mp));
	if (!mp)
		return 0;
	md = &modes[(data[0] & 0x7f) % (sizeof(modes) / sizeof(modes[0]))];
	with_ms = data[0] & 0x80;
	ps = UINT64_C(1) << md->page_shift;
	tables_start = 0x400000;
	fakemem_init(mp, (uint32_t)ps, 0x20000000 >> md->page_shift, tables_start);
	g = (struct ptgen){ .mem = mp, .levels = md->levels };
	memcpy(g.shift, md->shift, sizeof(g.shift));
	memcpy(g.bits, md->bits, sizeof(g.bits));
	g.table_entry = md->x86 ? x86_table : a64_table;
	g.leaf_entry = md->x86 ? x86_leaf : a64_leaf;
	g.entry_addr = md->x86 ? x86_addr : a64_addr;
	if (md->x86) {
		root_va = START_KERNEL_MAP + 0x1000000;
		root_pa = 0x1000000;
		direct = md->levels == 5 ? UINT64_C(0xff11000000000000) : UINT64_C(0xffff888000000000);
		vmalloc = md->levels == 5 ? UINT64_C(0xffa0000000000000) : UINT64_C(0xffffc90000000000);
		fakemem_page(mp, root_pa / ps, 1);
		ptgen_map(&g, root_pa, root_va & ~(UINT64_C(0x1fffff)), 0x1000000 & ~UINT64_C(0x1fffff), md->levels - 2);
		ptgen_map(&g, root_pa, direct, 0, md->levels - 3);
		snprintf(text, sizeof(text),
			 "SYMBOL(init_top_pgt)=%llx\nNUMBER(phys_base)=0\nNUMBER(pgtable_l5_enabled)=%d\n"
			 "KERNELOFFSET=%s\nSIZE(page)=64\nSIZE(mem_section)=16\nOFFSET(mem_section.section_mem_map)=0\n"
			 "LENGTH(mem_section)=2048\n%s",
			 (unsigned long long)root_va, md->levels == 5, with_ms ? "1000000" : "0",
			 with_ms ? "SYMBOL(mem_section)=ffff888000100000\n" : "");
	} else {
		uint64_t kimage_voffset = UINT64_C(0xffff800008000000) - 0x200000;

		root_va = UINT64_C(0xffff800009000000);
		root_pa = root_va - kimage_voffset;
		direct = (uint64_t)0 - (UINT64_C(1) << md->va_bits);
		vmalloc = UINT64_C(0xffff800010000000);
		fakemem_page(mp, root_pa / ps, 1);
		ptgen_map(&g, root_pa, root_va, root_pa, md->levels - 1);
		snprintf(text, sizeof(text),
			 "PAGESIZE=%llu\nSYMBOL(swapper_pg_dir)=%llx\nSYMBOL(_stext)=%llx\nNUMBER(VA_BITS)=%u\n"
			 "NUMBER(kimage_voffset)=0x%llx\nNUMBER(PHYS_OFFSET)=0x0\nNUMBER(TCR_EL1_T1SZ)=%u\n"
			 "NUMBER(VMEMMAP_START)=0xfffffc0000000000\nSIZE(page)=64\nNUMBER(MAX_PHYSMEM_BITS)=%d\n",
			 (unsigned long long)ps, (unsigned long long)root_va, (unsigned long long)root_va, md->va_bits,
			 (unsigned long long)kimage_voffset, 64 - (md->va_bits > 48 ? 48 : md->va_bits),
			 with_ms ? 52 : 48);
	}
	ptgen_map(&g, root_pa, vmalloc, 0x100000, md->levels - 1);
	ptgen_map(&g, root_pa, vmalloc + ps, 0x200000, md->levels - 1);

	/* patches: only table pages (the root and the allocated ones) */
	for (size_t off = 1; off + 11 <= size && off < 1 + 11 * 64; off += 11) {
		uint64_t ntables = (mp->next_table - tables_start) / ps + 1;
		uint64_t sel = data[off] % ntables;
		uint64_t table = sel == 0 ? root_pa : tables_start + (sel - 1) * ps;
		uint64_t idx = ld_le16(data + off + 1) % (ps / 8);

		fakemem_w64(mp, table + idx * 8, ld_le64(data + off + 3));
	}
	if (vmcoreinfo_parse(text, strlen(text), &vi, &err) < 0)
		goto out;
	info = fakemem_info(mp);
	if (kmem_create_raw(&fakemem_ops, mp, &info, md->x86 ? &arch_x86_64 : &arch_arm64, vi, NULL, &k, &err) < 0)
		goto out;
	{
		uint64_t addrs[] = { vmalloc, vmalloc + ps - 8, vmalloc + 2 * ps, direct + 0x1234, root_va,
				     vmalloc + (UINT64_C(1) << md->shift[0]), (uint64_t)-4096 };

		for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
			kmem_vtop(k, addrs[i], &pa, &err);
			kmem_read(k, addrs[i], buf, sizeof(buf), "fuzz", &err);
			kmem_vpage_state(k, addrs[i]);
		}
		/* addresses taken from the patch values */
		for (size_t off = 3; off + 8 <= size && off < 1 + 11 * 64; off += 11) {
			va = ld_le64(data + off);
			kmem_vtop(k, va, &pa, &err);
			kmem_ptov(k, va, &pa, &err);
		}
		char d[256];
		kmem_arch(k)->describe(kmem_arch_env(k), d, sizeof(d));
	}
out:
	kmem_destroy(k);
	vmcoreinfo_destroy(vi);
	fakemem_free(mp);
	free(mp);
	return 0;
}
