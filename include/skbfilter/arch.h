/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Architectures.  Each is one const struct arch_ops in arch/<name>.c, chosen
 * at run time from the dump (ELF e_machine, kdump utsname.machine, or
 * VMCOREINFO).  Architecture code never knows dump formats: it reads physical
 * memory through the kmem layer and VMCOREINFO through its parser.
 *
 * Page tables are walked by one generic walker (arch/ptwalk.c); an
 * architecture supplies only its layout facts and the decoding of one entry.
 */
#ifndef SKBFILTER_ARCH_H
#define SKBFILTER_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct kmem;
struct vmcoreinfo;

#define ARCH_MAX_REGS 40

/* What NT_PRSTATUS holds for one CPU. */
struct prstatus {
	int32_t pid;			/* pr_pid: current->pid on that CPU at the crash; -1 unknown
				 * (kernel_open sets -1 for qemu dumps: pr_pid is the vCPU number + 1) */
	uint64_t ip, sp, fp;		/* instruction, stack and frame pointer */
	uint64_t lr;			/* link register (arm64), 0 elsewhere */
	int nregs;
	uint64_t regs[ARCH_MAX_REGS];	/* all of pr_reg, in the order of names[] */
	const char *const *names;	/* register names, static */
};

/* ---- generic page-table walker ---- */

/* Result of decoding one page-table entry at a level. */
struct pt_entry {
	bool present;
	bool leaf;		/* maps a page (or block) directly */
	uint64_t next;		/* !leaf: physical address of the next table; leaf: physical base of the page */
	uint64_t size;		/* leaf: size of the mapped page/block in bytes */
};

struct pt_format {
	int levels;			/* number of levels in use (e.g. 4 or 5) */
	unsigned shift[6];		/* VA bit where the index of level i starts (level 0 = top) */
	unsigned bits[6];		/* index width of level i */
	unsigned entry_size;		/* 8 */
	bool big_endian;
	/* Decodes the entry found at `level`; returns -SF_ECORRUPT for a malformed entry. */
	int (*decode)(const struct pt_format *fmt, int level, uint64_t entry, struct pt_entry *ret, struct sf_err *err);
	const void *priv;		/* arch data for decode (e.g. physical address mask) */
};

/*
 * Walks from the table at root (physical) to the page mapping vaddr.  Reads go
 * through kmem_read_phys() tagged KEEP_PGTABLE.  Bounded by fmt->levels; a
 * table pointer outside memory or revisiting a table at the same walk gives
 * an error (-SF_ELOOP, -SF_ERANGE), never a hang.  *page_size gets the size of
 * the mapping (may be NULL).
 */
int pt_walk(struct kmem *k, const struct pt_format *fmt, uint64_t root, uint64_t vaddr,
	    uint64_t *paddr, uint64_t *page_size, struct sf_err *err);

struct arch_ops {
	const char *name;		/* "x86_64", "arm64" */
	uint16_t e_machine;		/* EM_X86_64, EM_AARCH64 */
	const char *uts_machine;	/* utsname.machine: "x86_64", "aarch64" */
	unsigned thread_size_default;	/* THREAD_SIZE when it cannot be read from the dump */

	/* Parses one NT_PRSTATUS descriptor (struct elf_prstatus). */
	int (*parse_prstatus)(const uint8_t *desc, size_t len, bool big_endian, struct prstatus *ret, struct sf_err *err);

	/*
	 * Sets up address translation from VMCOREINFO and the dump (KASLR,
	 * page-table root, direct-map and vmemmap bases, paging mode).  Stores
	 * its state with kmem_set_arch_priv().
	 */
	int (*init)(struct kmem *k, const struct vmcoreinfo *vi, struct sf_err *err);
	void (*release)(struct kmem *k);
	/* Kernel virtual -> physical. */
	int (*vtop)(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
	/*
	 * The same through the kernel's page tables only, without the
	 * direct-map and kernel-image shortcuts vtop takes: what makedumpfile
	 * does for every address (x86_64 vtop4_x86_64, arm64
	 * vaddr_to_paddr_arm64), so mini.core can keep the tables it walks.
	 */
	int (*vtop_tables)(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
	/* Direct-map (linear map) virtual address of a physical address, or -SF_ERANGE. */
	int (*ptov)(struct kmem *k, uint64_t paddr, uint64_t *vaddr, struct sf_err *err);
	/* Base of the vmemmap array of struct page (virtual). */
	uint64_t (*vmemmap_base)(struct kmem *k);
	/* True if addr is a plausible kernel-space address for this arch/layout. */
	bool (*is_kernel_addr)(struct kmem *k, uint64_t addr);
	/* A one-line description of the translation set up by init (for --info / -v). */
	void (*describe)(struct kmem *k, char *buf, size_t len);
	/*
	 * Optional, once symbols are known (System.map, vmlinux or kallsyms):
	 * checks and completes what init derived, with kernel variables that
	 * VMCOREINFO does not name (x86_64: page_offset_base, vmalloc_base,
	 * vmemmap_base).  lookup gives a symbol's running address (0 on success).
	 */
	void (*use_symbols)(struct kmem *k, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx);
};

extern const struct arch_ops arch_x86_64;
extern const struct arch_ops arch_arm64;

/* Finds the arch for an ELF machine / utsname.machine; NULL if unknown. */
const struct arch_ops *arch_by_e_machine(uint16_t e_machine);
const struct arch_ops *arch_by_uts_machine(const char *machine);

#endif
