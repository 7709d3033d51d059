// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU dump-guest-memory without -device vmcoreinfo (x86_64 guests).
 *
 * QEMU writes one "QEMU" note (type 0) per vCPU holding QEMUCPUState
 * (target/i386/arch_dump.c, version 1):
 *     u32 version, size; u64 rax..r15, rip, rflags (18 regs);
 *     QEMUCPUSegment cs, ds, es, fs, gs, ss, ldt, tr, gdt, idt (24 bytes each);
 *     u64 cr[5]; [u64 kernel_gs_base, since QEMU 2.x, present when size says so]
 * so CR3 (the page-table root the vCPU ran on) is at byte 416 and CR4 at 424.
 * Every process's top-level table shares the kernel half, so any vCPU's CR3
 * maps the kernel image.  With PTI (4.15+) CR3 may point at the user copy,
 * which is the kernel table's page + 4096 (PTI_USER_PGTABLE_BIT = 12) and
 * maps only the entry code: bit 12 is cleared to get the kernel table.
 *
 * The kernel image is mapped at __START_KERNEL_map + KASLR offset, and
 * cleanup_highmap() (arch/x86/mm/init_64.c) clears the level2_kernel_pgt
 * entries below _text, so the first present 2 MiB slot of the 1 GiB image
 * area is _text (aligned to CONFIG_PHYSICAL_ALIGN, 2 MiB on distribution
 * kernels).  That gives KERNELOFFSET (against System.map's _text) and
 * phys_base (pa = va - __START_KERNEL_map + phys_base).  arch/x86_64.c later
 * checks phys_base by translating init_top_pgt through itself.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"
#include "mem/qemu.h"

#define START_KERNEL_MAP UINT64_C(0xffffffff80000000)
#define PTE_ADDR_MASK UINT64_C(0x000ffffffffff000)	/* bits 51:12 (an SME C-bit is not handled) */
#define PTE_PRESENT 0x1ull
#define PTE_PSE 0x80ull
#define QEMU_CPUSTATE_CR_OFF 392		/* 8 + 18 * 8 + 10 * 24 */
#define QEMU_CPUSTATE_MIN (QEMU_CPUSTATE_CR_OFF + 5 * 8)
#define SYSMAP_LINE_MAX 512
#define EM_X86_64_ 62

/* Symbols whose runtime addresses go into the synthesized VMCOREINFO. */
static const char *const synth_syms[] = {
	"_stext", "init_top_pgt", "swapper_pg_dir", "init_uts_ns", "prb", "printk_rb_static", "clear_seq",
	/* KASLR region bases (4.8+): arch/x86_64.c reads the variables through the text mapping */
	"page_offset_base", "vmemmap_base", "vmalloc_base",
	"kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table", "kallsyms_token_index",
	"kallsyms_offsets", "kallsyms_relative_base", "kallsyms_addresses",
	"linux_banner",		/* for OSRELEASE; must stay last (see qemu_synth_vmcoreinfo) */
};
#define NSYNTH (sizeof(synth_syms) / sizeof(synth_syms[0]))

/* Table reads: from the dump before kmem exists (recorded in rec, if any), through kmem after. */
struct pt_reader {
	struct dump *d;
	struct read_recorder *rec;
	struct kmem *k;
};

/* A read before kmem exists: recorded like kmem's reads (READ_OTHER), page by page, before it is made. */
static int synth_read(const struct pt_reader *r, uint64_t pa, void *buf, size_t len, struct sf_err *err)
{
	uint32_t psz = dump_get_info(r->d)->page_size;

	for (uint64_t p = pa; r->rec && psz && p < pa + len; p = (p / psz + 1) * psz) {
		uint64_t end = (p / psz + 1) * psz < pa + len ? (p / psz + 1) * psz : pa + len;

		read_recorder_add(r->rec, p / psz, READ_OTHER, read_chunk_mask(psz, (size_t)(p % psz), (size_t)(end - p)));
	}
	return dump_read_phys(r->d, pa, buf, len, err);
}

static int read_entry(const struct pt_reader *r, uint64_t table, unsigned idx, uint64_t *ret, struct sf_err *err)
{
	uint64_t pa = (table & PTE_ADDR_MASK) + 8ull * idx;
	uint8_t b[8];
	int rc = r->k ? kmem_read_phys(r->k, pa, b, sizeof(b), "page-table entry", err)
		      : synth_read(r, pa, b, sizeof(b), err);

	if (rc)
		return sf_err_prefix(err, "page table at phys 0x%" PRIx64 " entry %u", table & PTE_ADDR_MASK, idx);
	*ret = ld_le64(b);
	return 0;
}

/* The first mapped 2 MiB slot of the kernel-image area: its va and pa. */
static int find_kernel_image(const struct pt_reader *d, uint64_t cr3, bool la57, uint64_t *va, uint64_t *pa, struct sf_err *err)
{
	uint64_t e = cr3 & PTE_ADDR_MASK & ~0x1000ull, pmd_table;
	int rc;

	if (la57) {
		rc = read_entry(d, e, (unsigned)((START_KERNEL_MAP >> 48) & 511), &e, err);
		if (rc)
			return rc;
		if (!(e & PTE_PRESENT))
			return sf_err_set(err, SF_ENOTFOUND, "CR3 0x%" PRIx64 ": kernel-image area not mapped (PML5)", cr3);
	}
	rc = read_entry(d, e, (unsigned)((START_KERNEL_MAP >> 39) & 511), &e, err);
	if (!rc && !(e & PTE_PRESENT))
		rc = sf_err_set(err, SF_ENOTFOUND, "CR3 0x%" PRIx64 ": kernel-image area not mapped (PML4)", cr3);
	if (!rc)
		rc = read_entry(d, e, (unsigned)((START_KERNEL_MAP >> 30) & 511), &e, err);
	if (!rc && (!(e & PTE_PRESENT) || (e & PTE_PSE)))
		rc = sf_err_set(err, SF_ENOTFOUND, "CR3 0x%" PRIx64 ": kernel-image area: PUD entry 0x%" PRIx64
				" is not a present table", cr3, e);
	if (rc)
		return rc;
	pmd_table = e;
	for (unsigned i = 0; i < 512; i++) {
		rc = read_entry(d, pmd_table, i, &e, err);
		if (rc)
			return rc;
		if (!(e & PTE_PRESENT))
			continue;
		*va = START_KERNEL_MAP + ((uint64_t)i << 21);
		if (e & PTE_PSE) {
			*pa = e & PTE_ADDR_MASK & ~0x1fffffull;
			return 0;
		}
		/* 4 KiB pages: the slot must start mapped (the image starts aligned) */
		rc = read_entry(d, e, 0, &e, err);
		if (rc)
			return rc;
		if (!(e & PTE_PRESENT))
			return sf_err_set(err, SF_ENOTFOUND, "kernel image slot 0x%" PRIx64 " does not start mapped", *va);
		*pa = e & PTE_ADDR_MASK;
		return 0;
	}
	return sf_err_set(err, SF_ENOTFOUND, "CR3 0x%" PRIx64 ": nothing mapped in the kernel-image area", cr3);
}

/* Link-time addresses of _text and of synth_syms[] from a System.map. */
static int sysmap_read(const char *path, uint64_t *text, uint64_t addrs[NSYNTH], struct sf_err *err)
{
	char line[SYSMAP_LINE_MAX];
	FILE *f = fopen(path, "r");

	*text = 0;
	memset(addrs, 0, NSYNTH * sizeof(addrs[0]));
	if (!f)
		return sf_err_set(err, SF_EIO, "System.map %s: cannot open", path);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char type, name[128];

		if (sscanf(line, "%llx %c %127s", &a, &type, name) != 3)
			continue;
		if (!strcmp(name, "_text"))
			*text = a;
		for (size_t i = 0; i < NSYNTH; i++)
			if (!strcmp(name, synth_syms[i]) && !addrs[i])
				addrs[i] = a;
	}
	fclose(f);
	if (!*text)
		return sf_err_set(err, SF_ENOTFOUND, "System.map %s: no _text", path);
	return 0;
}

bool qemu_notes_detect(const struct dump_note *notes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(notes[i].name, "QEMU") || (!strcmp(notes[i].name, "CORE") && notes[i].type == 2))
			return true;
	return false;
}

int qemu_synth_vmcoreinfo(struct dump *d, const char *system_map, struct read_recorder *rec, struct strbuf *out,
			  struct sf_err *err)
{
	const struct dump_info *di = dump_get_info(d);
	const struct dump_note *notes;
	size_t n = dump_get_notes(d, &notes);
	uint64_t cr4 = 0, va = 0, pa = 0, link_text, kaslr, phys_base, addrs[NSYNTH];
	const struct pt_reader rd = { d, rec, NULL };
	uint64_t cr3 = 0;
	int rc = -SF_ENOTFOUND, ncpu = 0;

	if (di->e_machine != EM_X86_64_ || di->big_endian)
		return sf_err_set(err, SF_ENOTFOUND, "not an x86_64 dump");
	/* every vCPU maps the kernel image: the first CR3 whose tables do wins */
	for (size_t i = 0; i < n && rc; i++) {
		const struct dump_note *nt = &notes[i];
		struct sf_err e = { 0 };

		if (strcmp(nt->name, "QEMU") || nt->type != 0 || nt->descsz < QEMU_CPUSTATE_MIN ||
		    ld_le32(nt->desc) != 1 || ld_le32(nt->desc + 4) < QEMU_CPUSTATE_MIN)
			continue;
		cr3 = ld_le64(nt->desc + QEMU_CPUSTATE_CR_OFF + 3 * 8);
		cr4 = ld_le64(nt->desc + QEMU_CPUSTATE_CR_OFF + 4 * 8);
		ncpu++;
		if (!system_map)
			return sf_err_set(err, SF_ENOTFOUND, "QEMU dump without VMCOREINFO: give -m System.map "
					  "(symbol positions; the KASLR offset comes from the vCPU's page tables)");
		rc = find_kernel_image(&rd, cr3, (cr4 >> 12) & 1, &va, &pa, &e);
		if (rc && ncpu == 1)
			sf_err_set(err, -rc, "QEMU vCPU %d CR3: %s", ncpu - 1, e.msg);
	}
	if (!ncpu)
		return sf_err_set(err, SF_ENOTFOUND, "no QEMU note (QEMUCPUState version 1)");
	if (rc)
		return rc;
	rc = sysmap_read(system_map, &link_text, addrs, err);
	if (rc)
		return rc;
	kaslr = va - link_text;
	phys_base = pa - (va - START_KERNEL_MAP);
	/* QEMU_CR3/QEMU_LA57: not kernel keys; qemu_keep_tables() walks them again */
	strbuf_addf(out, "QEMU_CR3=%" PRIx64 "\nQEMU_LA57=%d\n", cr3, (int)((cr4 >> 12) & 1));
	strbuf_addf(out, "PAGESIZE=4096\nKERNELOFFSET=%" PRIx64 "\nNUMBER(phys_base)=%" PRId64
		    "\nNUMBER(pgtable_l5_enabled)=%d\n", kaslr, (int64_t)phys_base, (int)((cr4 >> 12) & 1));
	/*
	 * KERNEL_IMAGE_SIZE is 1 GiB with CONFIG_RANDOMIZE_BASE, else 512 MiB
	 * (arch/x86/include/asm/page_64_types.h); a moved kernel says KASLR.
	 * Without it arch/x86_64.c assumes 512 MiB.
	 */
	if (kaslr || va - START_KERNEL_MAP >= (UINT64_C(512) << 20))
		strbuf_addf(out, "NUMBER(KERNEL_IMAGE_SIZE)=%" PRIu64 "\n", UINT64_C(1) << 30);
	for (size_t i = 0; i + 1 < NSYNTH; i++)
		if (addrs[i])
			strbuf_addf(out, "SYMBOL(%s)=%" PRIx64 "\n", synth_syms[i], addrs[i] + kaslr);
	/* OSRELEASE from linux_banner ("Linux version 6.1.0-56-amd64 (...") in the image */
	if (addrs[NSYNTH - 1]) {
		char banner[128] = "", rel[65];
		struct sf_err be = { 0 };

		if (synth_read(&rd, addrs[NSYNTH - 1] + kaslr - START_KERNEL_MAP + phys_base, banner,
			       sizeof(banner) - 1, &be) == 0 &&
		    sscanf(banner, "Linux version %64s", rel) == 1)
			strbuf_addf(out, "OSRELEASE=%s\n", rel);
	}
	if (out->overflow)
		return sf_err_set(err, SF_ENOMEM, "synthesized VMCOREINFO");
	return 0;
}

void qemu_keep_tables(struct kmem *k, const struct vmcoreinfo *vi)
{
	const struct pt_reader rd = { NULL, NULL, kmem_as(k, READ_PGTABLE) };
	struct sf_err e = { 0 };
	uint64_t cr3, la57, va, pa;

	if (!vi || vmcoreinfo_hex(vi, "QEMU_CR3", &cr3, &e) != 0 ||
	    vmcoreinfo_dec(vi, "QEMU_LA57", &la57, &e) != 0)
		return;
	(void)find_kernel_image(&rd, cr3, la57 != 0, &va, &pa, &e);
}
