/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the architectures (not an interface for other modules).
 */
#ifndef SKBFILTER_ARCH_INTERNAL_H
#define SKBFILTER_ARCH_INTERNAL_H

#include "skbfilter/arch.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

/*
 * Finds the lowest mapped virtual address in [va_from, va_to] (inclusive)
 * by descending the tables in index order; *va gets the start of that
 * mapping (page or block) and *pa its physical address.  Bounded: at most
 * max_entries entries are read, then -SF_ELOOP.  -SF_ENOTFOUND if nothing is
 * mapped there.
 */
int pt_find_first(struct kmem *k, const struct pt_format *fmt, uint64_t root, uint64_t va_from, uint64_t va_to,
		  unsigned max_entries, uint64_t *va, uint64_t *pa, struct sf_err *err);

/*
 * The vmemmap base (virtual address of the struct page of pfn 0) read back
 * from mem_section: with SPARSEMEM_VMEMMAP every present section's
 * section_mem_map holds mem_map - section_start_pfn, which is vmemmap itself,
 * with flags in the low bits (mm/sparse.c: sparse_encode_mem_map()).  Needs
 * SYMBOL(mem_section), SIZE(mem_section), OFFSET(mem_section.section_mem_map)
 * and LENGTH(mem_section) from VMCOREINFO, and working virtual reads.
 * *first_pfn gets the first pfn of the first present section (for checks).
 */
int arch_vmemmap_from_mem_section(struct kmem *k, const struct vmcoreinfo *vi, uint64_t *ret, uint64_t *first_pfn,
				  struct sf_err *err);

/* Sign-extends bit `bit` of v. */
static inline uint64_t sign_extend64(uint64_t v, unsigned bit)
{
	unsigned s = 63 - bit;

	return (uint64_t)((int64_t)(v << s) >> s);
}

/* Reads pr_pid and pr_reg of a struct elf_prstatus (the layout every 64-bit Linux arch shares). */
int prstatus_parse_common(const uint8_t *desc, size_t len, bool big_endian, int nregs,
			  const char *const *names, const char *arch, struct prstatus *ret, struct sf_err *err);

#endif
