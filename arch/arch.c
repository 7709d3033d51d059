// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The architecture table and helpers shared by every architecture.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "internal.h"

static const struct arch_ops *const arches[] = {
	&arch_x86_64,
	&arch_arm64,
};

const struct arch_ops *arch_by_e_machine(uint16_t e_machine)
{
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i]->e_machine == e_machine)
			return arches[i];
	return NULL;
}

const struct arch_ops *arch_by_uts_machine(const char *machine)
{
	if (!machine)
		return NULL;
	/* Some tools say "arm64" where utsname says "aarch64". */
	if (!strcmp(machine, "arm64"))
		machine = "aarch64";
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i]->uts_machine, machine))
			return arches[i];
	return NULL;
}

/*
 * struct elf_prstatus (include/uapi/linux/elfcore.h) on 64-bit Linux:
 *
 *   0  struct elf_siginfo pr_info   (3 x int)
 *  12  short pr_cursig, pad
 *  16  unsigned long pr_sigpend
 *  24  unsigned long pr_sighold
 *  32  pid_t pr_pid, pr_ppid, pr_pgrp, pr_sid
 *  48  struct timeval pr_utime, pr_stime, pr_cutime, pr_cstime (4 x 16)
 * 112  elf_gregset_t pr_reg          (arch-specific count of unsigned long)
 *      int pr_fpvalid (+ padding)
 */
#define PRSTATUS_PID 32
#define PRSTATUS_REG 112

int prstatus_parse_common(const uint8_t *desc, size_t len, bool big_endian, int nregs,
			  const char *const *names, const char *arch, struct prstatus *ret, struct sf_err *err)
{
	size_t need = PRSTATUS_REG + (size_t)nregs * 8;

	memset(ret, 0, sizeof(*ret));
	if (nregs > ARCH_MAX_REGS)
		return sf_err_set(err, SF_EBUG, "%s: %d registers, more than %d", arch, nregs, ARCH_MAX_REGS);
	if (!desc || len < need)
		return sf_err_set(err, SF_ETRUNC, "%s NT_PRSTATUS: %zu bytes, expected at least %zu (pr_reg at %d, %d registers)",
				  arch, len, need, PRSTATUS_REG, nregs);
	ret->pid = (int32_t)ld32(desc + PRSTATUS_PID, big_endian);
	ret->nregs = nregs;
	ret->names = names;
	for (int i = 0; i < nregs; i++)
		ret->regs[i] = ld64(desc + PRSTATUS_REG + 8 * (size_t)i, big_endian);
	return 0;
}

/* ---- vmemmap from mem_section ---- */

#define MS_MAX_ROOTS_SCANNED 64
#define MS_MAX_SECTIONS_SCANNED 1024
#define MS_AGREE 4		/* present sections that must agree */
#define MS_SIZE_MAX 256		/* struct mem_section is 16..32 bytes in practice */

/* Looks at one section; *found counts present ones, all must encode the same base. */
static int ms_check_section(struct arch_env *env, const uint8_t *sec, uint64_t off, uint64_t nr, uint64_t section_pfns,
			    uint64_t *base, uint64_t *first_pfn, int *found, struct sf_err *err)
{
	uint64_t v = arch_load(env, sec + off, 8);
	uint64_t b;

	/* SECTION_MARKED_PRESENT (bit 0) and SECTION_HAS_MEM_MAP (bit 1). */
	if ((v & 3) != 3)
		return 0;
	/*
	 * The flags sit in the low bits; the encoded value is aligned to at
	 * least a page (mm/sparse.c: "All mem_map arrays are page-aligned",
	 * and section_nr_to_pfn() clears PFN_SECTION_SHIFT low bits).
	 */
	b = v & ~(uint64_t)(env->info->page_size - 1);
	if (!*found) {
		*base = b;
		*first_pfn = nr * section_pfns;
	} else if (b != *base) {
		return sf_err_set(err, SF_ECORRUPT,
				  "mem_section %" PRIu64 " encodes mem_map base 0x%" PRIx64 ", an earlier section 0x%" PRIx64
				  " (not SPARSEMEM_VMEMMAP?)", nr, b, *base);
	}
	(*found)++;
	return 0;
}

int arch_vmemmap_from_mem_section(struct arch_env *env, uint64_t *ret, uint64_t *first_pfn,
				  struct sf_err *err)
{
	uint64_t ms, size, off, nroots, section_bits = 0, physmem_bits = 0, section_pfns, per_root, base = 0;
	uint32_t ps = env->info->page_size;
	uint8_t *buf = NULL;
	bool extreme = true;
	int found = 0, rc;
	uint64_t scanned = 0;

	if ((rc = vmci_symbol(env, "mem_section", &ms, err)) < 0 ||
	    (rc = vmci_size(env, "mem_section", &size, err)) < 0 ||
	    (rc = vmci_offset(env, "mem_section.section_mem_map", &off, err)) < 0 ||
	    (rc = vmci_length(env, "mem_section", &nroots, err)) < 0)
		return rc;
	if (size < 8 || size > MS_SIZE_MAX || off > size - 8 || !nroots)
		return sf_err_set(err, SF_ECORRUPT, "VMCOREINFO: SIZE(mem_section)=%" PRIu64
				  " OFFSET(mem_section.section_mem_map)=%" PRIu64 " LENGTH(mem_section)=%" PRIu64
				  " do not describe a mem_section array", size, off, nroots);
	if (vmci_number(env, "SECTION_SIZE_BITS", &section_bits, err) < 0 ||
	    vmci_number(env, "MAX_PHYSMEM_BITS", &physmem_bits, err) < 0)
		section_bits = physmem_bits = 0;
	sf_err_clear(err);
	if (section_bits <= 12 || section_bits >= 48)
		section_bits = 27;	/* x86_64 and arm64 4K value; only used for first_pfn */
	section_pfns = UINT64_C(1) << (section_bits - (unsigned)__builtin_ctz(ps));
	/*
	 * SPARSEMEM_EXTREME: mem_section points to LENGTH(mem_section) root
	 * pointers, each to a page of sections (SECTIONS_PER_ROOT = PAGE_SIZE /
	 * SIZE(mem_section)).  Otherwise it is a static [NR_SECTION_ROOTS][1]
	 * array, NR_SECTION_ROOTS = NR_MEM_SECTIONS = 1 << (MAX_PHYSMEM_BITS -
	 * SECTION_SIZE_BITS).  Since 4.15 (83e3c48729d9) VMCOREINFO gives the
	 * pointer's value; before, the address of the static root array: both
	 * are the address of the roots.
	 */
	if (physmem_bits > section_bits && physmem_bits < 64 && nroots == UINT64_C(1) << (physmem_bits - section_bits))
		extreme = false;
	per_root = extreme ? ps / size : 1;
	buf = malloc(ps);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	if (!extreme) {
		for (uint64_t i = 0; i < nroots && scanned < MS_MAX_SECTIONS_SCANNED && found < MS_AGREE; i++, scanned++) {
			rc = arch_read_virt(env, ms + i * size, buf, (size_t)size, false, "mem_section", err);
			if (rc < 0)
				goto out;
			rc = ms_check_section(env, buf, off, i, section_pfns, &base, first_pfn, &found, err);
			if (rc < 0)
				goto out;
		}
	} else {
		for (uint64_t r = 0; r < nroots && r < MS_MAX_ROOTS_SCANNED && found < MS_AGREE; r++) {
			uint64_t root;

			rc = arch_read_u64(env, ms + r * 8, &root, false, "mem_section root", err);
			if (rc < 0)
				goto out;
			if (!root)
				continue;
			rc = arch_read_virt(env, root, buf, (size_t)(per_root * size), false, "mem_section", err);
			if (rc < 0)
				goto out;
			for (uint64_t i = 0; i < per_root && found < MS_AGREE; i++) {
				rc = ms_check_section(env, buf + i * size, off, r * per_root + i, section_pfns, &base,
						      first_pfn, &found, err);
				if (rc < 0)
					goto out;
			}
		}
	}
	if (!found) {
		rc = sf_err_set(err, SF_ENOTFOUND, "no present section in mem_section at 0x%" PRIx64, ms);
		goto out;
	}
	*ret = base;
	rc = 0;
out:
	free(buf);
	return rc;
}
