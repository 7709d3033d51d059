/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the architectures (not an interface for other modules).
 */
#ifndef SKBFILTER_ARCH_INTERNAL_H
#define SKBFILTER_ARCH_INTERNAL_H

#include "skbfilter/arch.h"
#include "skbfilter/bytes.h"

/* ---- the callbacks of struct arch_env, typed ---- */

static inline int arch_read_table(const struct arch_env *env, uint64_t paddr, void *buf, size_t len,
				  const char *what, struct sf_err *err)
{
	return env->read_table(env->ctx, paddr, buf, len, what, err);
}

static inline int arch_read_virt(const struct arch_env *env, uint64_t vaddr, void *buf, size_t len, bool table,
				 const char *what, struct sf_err *err)
{
	return env->read_virt(env->ctx, vaddr, buf, len, table, what, err);
}

/* Decodes a target-endian integer of size 1, 2, 4 or 8. */
static inline uint64_t arch_load(const struct arch_env *env, const void *p, size_t size)
{
	return ld_uint(p, size, env->info->big_endian);
}

static inline int arch_read_u64(const struct arch_env *env, uint64_t vaddr, uint64_t *ret, bool table,
				const char *what, struct sf_err *err)
{
	uint8_t b[8];
	int rc = arch_read_virt(env, vaddr, b, sizeof(b), table, what, err);

	if (rc < 0)
		return rc;
	*ret = arch_load(env, b, sizeof(b));
	return 0;
}

#define ARCH_VMCI_FN(fn, kind) \
	static inline int vmci_##fn(const struct arch_env *env, const char *name, uint64_t *ret, struct sf_err *err) \
	{ \
		return env->vmcoreinfo(env->ctx, kind, name, ret, err); \
	}
ARCH_VMCI_FN(symbol, ARCH_VMCI_SYMBOL)
ARCH_VMCI_FN(number, ARCH_VMCI_NUMBER)
ARCH_VMCI_FN(offset, ARCH_VMCI_OFFSET)
ARCH_VMCI_FN(size, ARCH_VMCI_SIZE)
ARCH_VMCI_FN(length, ARCH_VMCI_LENGTH)
ARCH_VMCI_FN(hex, ARCH_VMCI_HEX)
ARCH_VMCI_FN(dec, ARCH_VMCI_DEC)
#undef ARCH_VMCI_FN

/*
 * Finds the lowest mapped virtual address in [va_from, va_to] (inclusive)
 * by descending the tables in index order; *va gets the start of that
 * mapping (page or block) and *pa its physical address.  Bounded: at most
 * max_entries entries are read, then -SF_ELOOP.  -SF_ENOTFOUND if nothing is
 * mapped there.
 */
int pt_find_first(struct arch_env *env, const struct pt_format *fmt, uint64_t root, uint64_t va_from, uint64_t va_to,
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
int arch_vmemmap_from_mem_section(struct arch_env *env, uint64_t *ret, uint64_t *first_pfn,
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
