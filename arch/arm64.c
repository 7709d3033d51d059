// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64: 4K, 16K and 64K granules, 48- and 52-bit VA, KASLR including the
 * randomized linear map.
 *
 * Set up from VMCOREINFO (arch/arm64/kernel/crash_core.c):
 *  - NUMBER(VA_BITS), NUMBER(TCR_EL1_T1SZ) (5.5+), NUMBER(kimage_voffset),
 *    NUMBER(PHYS_OFFSET) (memstart_addr: "negative" when the linear map is
 *    randomized, arch/arm64/mm/init.c), KERNELOFFSET, PAGESIZE, and since
 *    5.18 NUMBER(VMEMMAP_START).
 *  - the root is SYMBOL(swapper_pg_dir), a kernel-image address:
 *    pa = va - kimage_voffset (__kimg_to_phys()).
 *  - the linear map.  5.4 (14c127c957c1, "arm64: mm: Flip kernel VA space")
 *    put it at the bottom of the kernel half: PAGE_OFFSET = -(1 << VA_BITS),
 *    linear region [PAGE_OFFSET, PAGE_END = -(1 << (VA_BITS_MIN - 1))),
 *    pa = va - PAGE_OFFSET + PHYS_OFFSET (5.11+ writes it that way; 5.4-5.10
 *    as (va & ~PAGE_OFFSET) + PHYS_OFFSET, the same for linear addresses).
 *    Before 5.4 it was the top half: PAGE_OFFSET = -(1 << (VA_BITS - 1)),
 *    pa = (va & ~PAGE_OFFSET) + PHYS_OFFSET, with the image below it.
 *    Which layout a dump has is read from where its image lies: bit
 *    VA_BITS - 1 of _stext is set only in the flipped layout.
 *  - vmemmap (arch/arm64/include/asm/memory.h, 5.4+):
 *    vmemmap = (struct page *)VMEMMAP_START - (memstart_addr >> PAGE_SHIFT),
 *    memstart_addr signed; with SIZE(page) for sizeof(struct page).  Without
 *    NUMBER(VMEMMAP_START) (before 5.18) it is read back from mem_section.
 *
 * Table walks use the software view of the tables: levels from the granule
 * and the VA size (ARM64_HW_PGTABLE_LEVELS), the top index from VA_BITS.  A
 * 52-bit VA_BITS kernel on 48-bit hardware keeps a 52-bit sized top table
 * and offsets TTBR1 into it (TTBR1_BADDR_4852_OFFSET, 5.4), so indexing with
 * VA_BITS is right; when T1SZ says the hardware uses fewer levels (4K/16K
 * LPA2 kernels, 6.9+, fold a level at run time) the levels follow T1SZ.
 * 52-bit physical addresses: 64K pages put PA[51:48] in descriptor bits
 * [15:12] (FEAT_LPA); 4K/16K with LPA2 put PA[51:50] in bits [9:8].
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EM_AARCH64 183

struct arm64_pt_priv {
	unsigned page_shift;
	bool pa52;		/* 52-bit output addresses */
};

struct arm64_state {
	struct pt_format fmt;
	struct arm64_pt_priv ptp;
	unsigned page_shift;
	unsigned va_bits;		/* VA_BITS (software) */
	unsigned va_bits_actual;	/* 64 - TCR_EL1.T1SZ */
	bool flipped;			/* 5.4+ layout */
	uint64_t kimage_voffset;
	uint64_t phys_offset;		/* memstart_addr, two's complement */
	uint64_t kaslr_offset;
	uint64_t page_offset;		/* start of the linear map */
	uint64_t linear_size;		/* bytes of the linear region */
	uint64_t root_va, root_pa;
	uint64_t vmemmap;
	const char *vmemmap_from;	/* NULL: unknown */
};

static const char *const arm64_regs[] = {
	"x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
	"x12", "x13", "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
	"x24", "x25", "x26", "x27", "x28", "x29", "x30", "sp", "pc", "pstate",
};

enum { ARM64_FP = 29, ARM64_LR = 30, ARM64_SP = 31, ARM64_PC = 32, ARM64_NREGS = 34 };

static int arm64_parse_prstatus(const uint8_t *desc, size_t len, bool big_endian, struct prstatus *ret,
				struct sf_err *err)
{
	int rc = prstatus_parse_common(desc, len, big_endian, ARM64_NREGS, arm64_regs, "arm64", ret, err);

	if (rc < 0)
		return rc;
	ret->ip = ret->regs[ARM64_PC];
	ret->sp = ret->regs[ARM64_SP];
	ret->fp = ret->regs[ARM64_FP];
	ret->lr = ret->regs[ARM64_LR];
	return 0;
}

/* Output address of a descriptor, before aligning to the page or block. */
static uint64_t arm64_oa(const struct arm64_pt_priv *p, uint64_t e)
{
	if (!p->pa52)
		return e & UINT64_C(0x0000fffffffff000);	/* OA[47:12] */
	if (p->page_shift == 16)
		return (e & UINT64_C(0x0000ffffffff0000)) | ((e >> 12) & 0xf) << 48;	/* FEAT_LPA */
	return (e & UINT64_C(0x0003fffffffff000)) | ((e >> 8) & 3) << 50;		/* FEAT_LPA2 */
}

/*
 * Stage-1 descriptors: bit 0 valid; above the last level bit 1 selects
 * table (1) or block (0); at the last level 0b11 is a page and 0b01 is
 * reserved (it faults, so it maps nothing).
 */
static int arm64_decode(const struct pt_format *fmt, int level, uint64_t e, struct pt_entry *ret, struct sf_err *err)
{
	const struct arm64_pt_priv *p = fmt->priv;
	uint64_t page_mask = (UINT64_C(1) << p->page_shift) - 1;
	bool last = level == fmt->levels - 1;

	ret->present = e & 1;
	if (!ret->present)
		return 0;
	if (last) {
		if (!(e & 2)) {
			ret->present = false;
			return 0;
		}
		ret->leaf = true;
		ret->size = UINT64_C(1) << fmt->shift[level];
		ret->next = arm64_oa(p, e) & ~page_mask;
		return 0;
	}
	if (e & 2) {
		ret->leaf = false;
		ret->next = arm64_oa(p, e) & ~page_mask;
		return 0;
	}
	if (level == 0)
		return sf_err_set(err, SF_ECORRUPT, "block descriptor in the top-level table");
	ret->leaf = true;
	ret->size = UINT64_C(1) << fmt->shift[level];
	ret->next = arm64_oa(p, e) & ~(ret->size - 1);
	return 0;
}

static unsigned levels_for(unsigned va_bits, unsigned page_shift)
{
	unsigned per = page_shift - 3;

	return (va_bits - page_shift + per - 1) / per;
}

static void arm64_set_format(struct arm64_state *s, bool pa52, bool big_endian)
{
	unsigned per = s->page_shift - 3;
	unsigned levels = levels_for(s->va_bits_actual, s->page_shift);
	unsigned top_va = levels == levels_for(s->va_bits, s->page_shift) ? s->va_bits : s->va_bits_actual;

	s->ptp.page_shift = s->page_shift;
	s->ptp.pa52 = pa52;
	s->fmt.levels = (int)levels;
	for (unsigned i = 0; i < levels; i++) {
		s->fmt.shift[i] = s->page_shift + per * (levels - 1 - i);
		s->fmt.bits[i] = per;
	}
	s->fmt.bits[0] = top_va - s->fmt.shift[0];
	s->fmt.entry_size = 8;
	s->fmt.big_endian = big_endian;	/* aarch64_be keeps descriptors big-endian */
	s->fmt.decode = arm64_decode;
	s->fmt.priv = &s->ptp;
}

static bool in_linear(const struct arm64_state *s, uint64_t va)
{
	return va >= s->page_offset && va - s->page_offset < s->linear_size;
}

/*
 * Kernel pointers may carry a KASAN software or MTE tag in bits 63:56 (TBI
 * is enabled for TTBR1 with tag-based KASAN, 5.0+); bit 55 selects the
 * TTBR1 half, so a kernel pointer is its bit-55 sign extension.
 */
static uint64_t untag(uint64_t va)
{
	return (va >> 55) & 1 ? va | UINT64_C(0xff00000000000000) : va;
}

static int arm64_vtop(struct arch_env *env, uint64_t va, uint64_t *pa, struct sf_err *err)
{
	struct arm64_state *s = env->priv;
	uint64_t orig = va;

	va = untag(va);
	if (!((va >> 55) & 1))
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " is a user-space (TTBR0) address", orig);
	if (va < (uint64_t)0 - (UINT64_C(1) << s->va_bits))
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " is below the %u-bit kernel address space", orig,
				  s->va_bits);
	if (in_linear(s, va)) {
		*pa = va - s->page_offset + s->phys_offset;
		return 0;
	}
	return pt_walk(env, &s->fmt, s->root_pa, va, pa, NULL, err);
}

static int arm64_vtop_tables(struct arch_env *env, uint64_t va, uint64_t *pa, struct sf_err *err)
{
	struct arm64_state *s = env->priv;
	uint64_t orig = va;

	va = untag(va);
	if (!((va >> 55) & 1) || va < (uint64_t)0 - (UINT64_C(1) << s->va_bits))
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " is not a kernel (TTBR1) address", orig);
	return pt_walk(env, &s->fmt, s->root_pa, va, pa, NULL, err);
}

static int arm64_ptov(struct arch_env *env, uint64_t pa, uint64_t *va, struct sf_err *err)
{
	struct arm64_state *s = env->priv;
	uint64_t off = pa - s->phys_offset;

	if (off >= s->linear_size)
		return sf_err_set(err, SF_ERANGE, "phys 0x%" PRIx64 " is outside the linear map (PHYS_OFFSET 0x%" PRIx64 ")",
				  pa, s->phys_offset);
	*va = s->page_offset + off;
	return 0;
}

static uint64_t arm64_vmemmap_base(struct arch_env *env)
{
	struct arm64_state *s = env->priv;

	return s && s->vmemmap_from ? s->vmemmap : 0;
}

static bool arm64_is_kernel_addr(struct arch_env *env, uint64_t addr)
{
	struct arm64_state *s = env->priv;
	unsigned bits = s ? s->va_bits : 48;

	addr = untag(addr);
	return addr >= (uint64_t)0 - (UINT64_C(1) << bits) && addr < (uint64_t)-4096;
}

static void arm64_release(struct arch_env *env)
{
	free(env->priv);
	env->priv = NULL;
}

static void arm64_describe(struct arch_env *env, char *buf, size_t len)
{
	struct arm64_state *s = env->priv;
	char vm[64];

	if (!s) {
		snprintf(buf, len, "arm64 (no translation)");
		return;
	}
	if (s->vmemmap_from)
		snprintf(vm, sizeof(vm), "0x%" PRIx64, s->vmemmap);
	else
		snprintf(vm, sizeof(vm), "unknown");
	snprintf(buf, len,
		 "arm64 %uK pages, %u-bit VA (%d levels%s), KASLR offset 0x%" PRIx64 ", kimage_voffset 0x%" PRIx64
		 ", PHYS_OFFSET 0x%" PRIx64 ", linear map 0x%" PRIx64 ", vmemmap %s (vmemmap from %s)",
		 (1u << s->page_shift) >> 10, s->va_bits, s->fmt.levels, s->flipped ? "" : ", pre-5.4 layout",
		 s->kaslr_offset, s->kimage_voffset, s->phys_offset, s->page_offset, vm,
		 s->vmemmap_from ? s->vmemmap_from : "-");
}

static int need_number(struct arch_env *env, const char *name, uint64_t *ret, struct sf_err *err)
{
	int rc = vmci_number(env, name, ret, err);

	if (rc == -SF_ENOTFOUND)
		return sf_err_set(err, SF_ENOTFOUND, "VMCOREINFO has no NUMBER(%s), needed for arm64 translation", name);
	return rc;
}

static void find_vmemmap(struct arch_env *env, struct arm64_state *s)
{
	struct warnlist *wl = env->warnings;
	struct sf_err e = { 0 };
	uint64_t start, page_size = 0, ms_base, first_pfn;
	bool have_formula = false, have_ms;

	if (vmci_number(env, "VMEMMAP_START", &start, &e) == 0 &&
	    vmci_size(env, "page", &page_size, &e) == 0 && page_size >= 32 && page_size <= 256) {
		/* memstart_addr is s64: the shift is arithmetic. */
		int64_t first = (int64_t)s->phys_offset >> s->page_shift;

		s->vmemmap = start - (uint64_t)first * page_size;
		s->vmemmap_from = "VMEMMAP_START";
		have_formula = true;
	}
	have_ms = arch_vmemmap_from_mem_section(env, &ms_base, &first_pfn, &e) == 0;
	if (have_formula && have_ms && ms_base == s->vmemmap)
		s->vmemmap_from = "VMEMMAP_START and PHYS_OFFSET, mem_section agrees";
	if (have_formula && have_ms && ms_base != s->vmemmap)
		warn_add(wl, "arm64: vmemmap 0x%" PRIx64 " from VMEMMAP_START and PHYS_OFFSET, but mem_section says 0x%" PRIx64
			 "; using mem_section", s->vmemmap, ms_base);
	if (have_ms) {
		if (!have_formula || ms_base != s->vmemmap) {
			s->vmemmap = ms_base;
			s->vmemmap_from = "mem_section";
		}
		return;
	}
	if (!have_formula)
		warn_add(wl, "arm64: vmemmap base not found (%s); struct page addresses cannot be computed", e.msg);
}

static int arm64_init(struct arch_env *env, struct sf_err *err)
{
	const struct dump_info *info = env->info;
	struct arm64_state *s;
	uint64_t v, pa, t1sz, stext;
	unsigned va_bits_min;
	int rc;

	if (!env->have_vmcoreinfo)
		return sf_err_set(err, SF_ENOTSUP, "the dump has no VMCOREINFO (arm64 translation needs VA_BITS, kimage_voffset and PHYS_OFFSET)");
	s = calloc(1, sizeof(*s));
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	rc = vmci_dec(env, "PAGESIZE", &v, err);
	if (rc == -SF_ENOTFOUND)
		v = info->page_size;
	else if (rc < 0)
		goto fail;
	if (v != 4096 && v != 16384 && v != 65536) {
		rc = sf_err_set(err, SF_ENOTSUP, "page size %" PRIu64 " (arm64 has 4K, 16K or 64K)", v);
		goto fail;
	}
	if (v != info->page_size)
		warn_add(env->warnings, "arm64: VMCOREINFO PAGESIZE=%" PRIu64 " but the dump has %u-byte pages", v,
			 info->page_size);
	s->page_shift = (unsigned)__builtin_ctzll(v);
	if ((rc = need_number(env, "VA_BITS", &v, err)) < 0)
		goto fail;
	if (v < 36 || v > 52) {
		rc = sf_err_set(err, SF_ECORRUPT, "VMCOREINFO: NUMBER(VA_BITS)=%" PRIu64 " (arm64 has 36..52)", v);
		goto fail;
	}
	s->va_bits = (unsigned)v;
	s->va_bits_actual = s->va_bits;
	if (vmci_number(env, "TCR_EL1_T1SZ", &t1sz, err) == 0) {
		if (t1sz < 12 || t1sz > 28 || 64 - t1sz > s->va_bits) {
			rc = sf_err_set(err, SF_ECORRUPT, "VMCOREINFO: NUMBER(TCR_EL1_T1SZ)=%" PRIu64 " with VA_BITS %u",
					t1sz, s->va_bits);
			goto fail;
		}
		s->va_bits_actual = 64 - (unsigned)t1sz;
	}
	if ((rc = need_number(env, "kimage_voffset", &s->kimage_voffset, err)) < 0 ||
	    (rc = need_number(env, "PHYS_OFFSET", &s->phys_offset, err)) < 0)
		goto fail;
	if (vmci_hex(env, "KERNELOFFSET", &s->kaslr_offset, err) < 0)
		s->kaslr_offset = 0;
	if ((rc = vmci_symbol(env, "swapper_pg_dir", &s->root_va, err)) < 0)
		goto fail;
	if (vmci_symbol(env, "_stext", &stext, err) < 0)
		stext = s->root_va;	/* also in the image */
	s->flipped = (stext >> (s->va_bits - 1)) & 1;
	va_bits_min = s->va_bits > 48 ? 48 : s->va_bits;
	if (s->flipped) {
		s->page_offset = (uint64_t)0 - (UINT64_C(1) << s->va_bits);
		s->linear_size = ((uint64_t)0 - (UINT64_C(1) << (va_bits_min - 1))) - s->page_offset;
	} else {
		s->page_offset = (uint64_t)0 - (UINT64_C(1) << (s->va_bits - 1));
		s->linear_size = UINT64_C(1) << (s->va_bits - 1);
	}
	v = 48;
	{
		struct sf_err e = { 0 };

		if (vmci_number(env, "MAX_PHYSMEM_BITS", &v, &e) < 0)
			v = 48;
	}
	/*
	 * 52-bit output addresses: 64K pages use FEAT_LPA whenever the kernel
	 * is built for 52-bit PAs (bits 15:12 are RES0 otherwise).  4K/16K use
	 * FEAT_LPA2, which moves SH out of bits 9:8, only when the hardware has
	 * it, and then the kernel also runs with 52-bit VAs (6.9+): a
	 * 52-bit-PA kernel on older hardware keeps the classic descriptors.
	 */
	arm64_set_format(s, v > 48 && (s->page_shift == 16 || s->va_bits_actual == 52), env->info->big_endian);
	s->root_pa = s->root_va - s->kimage_voffset;
	v = UINT64_C(8) << s->fmt.bits[0];	/* top table size; the kernel page-aligns it anyway */
	if (v > (UINT64_C(1) << s->page_shift))
		v = UINT64_C(1) << s->page_shift;
	if (s->root_pa & (v - 1)) {
		rc = sf_err_set(err, SF_ECORRUPT, "swapper_pg_dir 0x%" PRIx64 " - kimage_voffset 0x%" PRIx64
				" = phys 0x%" PRIx64 " is not page aligned", s->root_va, s->kimage_voffset, s->root_pa);
		goto fail;
	}
	env->priv = s;

	/* swapper_pg_dir maps itself (the image is in it): checks kimage_voffset. */
	rc = pt_walk(env, &s->fmt, s->root_pa, s->root_va, &pa, NULL, err);
	if (rc < 0)
		return sf_err_prefix(err, "swapper_pg_dir 0x%" PRIx64 " at phys 0x%" PRIx64, s->root_va, s->root_pa);
	if (pa != s->root_pa)
		return sf_err_set(err, SF_ECORRUPT, "swapper_pg_dir 0x%" PRIx64 " at phys 0x%" PRIx64
				  " maps itself to phys 0x%" PRIx64 ": kimage_voffset 0x%" PRIx64 " is wrong",
				  s->root_va, s->root_pa, pa, s->kimage_voffset);
	find_vmemmap(env, s);
	sf_err_clear(err);
	return 0;
fail:
	free(s);
	return rc;
}

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.e_machine = EM_AARCH64,
	.uts_machine = "aarch64",
	.thread_size_default = 16384,
	.parse_prstatus = arm64_parse_prstatus,
	.init = arm64_init,
	.release = arm64_release,
	.vtop = arm64_vtop,
	.vtop_tables = arm64_vtop_tables,
	.ptov = arm64_ptov,
	.vmemmap_base = arm64_vmemmap_base,
	.is_kernel_addr = arm64_is_kernel_addr,
	.describe = arm64_describe,
};
