/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Architectures.  Each is one const struct arch_ops in arch/<name>.c, chosen
 * at run time from the dump (ELF e_machine, kdump utsname.machine, or
 * VMCOREINFO).  Architecture code never knows dump formats nor the layers
 * above it: it is an address-translation library fed only by the callbacks
 * of a struct arch_env (read a page-table page, read virtual memory, look up
 * a VMCOREINFO value, and at use_symbols a symbol), as libkdumpfile's addrxlat
 * is.  src/mem/kmem.c fills one per dump; unit tests and fuzzers fill theirs
 * through kmem_create_raw().
 *
 * Page tables are walked by one generic walker (arch/ptwalk.c); an
 * architecture supplies only its layout facts and the decoding of one entry.
 */
#ifndef SKBFILTER_ARCH_H
#define SKBFILTER_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/warn.h"

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

/* Which VMCOREINFO accessor a lookup stands for (vmcoreinfo_number() etc.). */
enum arch_vmci {
	ARCH_VMCI_SYMBOL,	/* SYMBOL(name) */
	ARCH_VMCI_NUMBER,	/* NUMBER(name) */
	ARCH_VMCI_OFFSET,	/* OFFSET(name) */
	ARCH_VMCI_SIZE,		/* SIZE(name) */
	ARCH_VMCI_LENGTH,	/* LENGTH(name) */
	ARCH_VMCI_HEX,		/* KEY=hex */
	ARCH_VMCI_DEC,		/* KEY=decimal */
};

/*
 * Everything an architecture sees of the dump: facts, and callbacks that take
 * ctx.  The feeder (src/mem/kmem.c) decides how reads are recorded; the
 * architecture only says which reads are page tables.
 */
struct arch_env {
	const struct dump_info *info;	/* page size, max_pfn, byte order, phys_base; never NULL */
	struct warnlist *warnings;	/* init and use_symbols add their warnings here */
	bool have_vmcoreinfo;		/* false: the dump has none (init refuses it) */
	void *priv;			/* the architecture's state: set by init, freed by release */
	void *ctx;			/* the feeder's, passed to every callback */
	/* A physical read of page-table memory (recorded as page tables). */
	int (*read_table)(void *ctx, uint64_t paddr, void *buf, size_t len, const char *what, struct sf_err *err);
	/* A virtual read through the translation set up so far; table: a page-table pointer (recorded so). */
	int (*read_virt)(void *ctx, uint64_t vaddr, void *buf, size_t len, bool table, const char *what,
			 struct sf_err *err);
	/* The state of physical page pfn, without reading it. */
	enum page_state (*page_state)(void *ctx, uint64_t pfn);
	/* A VMCOREINFO value, with the error message of the matching vmcoreinfo_*() accessor. */
	int (*vmcoreinfo)(void *ctx, enum arch_vmci kind, const char *name, uint64_t *ret, struct sf_err *err);
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
 * through env->read_table.  Bounded by fmt->levels; a
 * table pointer outside memory or revisiting a table at the same walk gives
 * an error (-SF_ELOOP, -SF_ERANGE), never a hang.  *page_size gets the size of
 * the mapping (may be NULL).
 */
int pt_walk(struct arch_env *env, const struct pt_format *fmt, uint64_t root, uint64_t vaddr,
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
	 * its state in env->priv.
	 */
	int (*init)(struct arch_env *env, struct sf_err *err);
	void (*release)(struct arch_env *env);
	/* Kernel virtual -> physical. */
	int (*vtop)(struct arch_env *env, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
	/*
	 * The same through the kernel's page tables only, without the
	 * direct-map and kernel-image shortcuts vtop takes: what makedumpfile
	 * does for every address (x86_64 vtop4_x86_64, arm64
	 * vaddr_to_paddr_arm64), so mini.core can keep the tables it walks.
	 */
	int (*vtop_tables)(struct arch_env *env, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
	/* Direct-map (linear map) virtual address of a physical address, or -SF_ERANGE. */
	int (*ptov)(struct arch_env *env, uint64_t paddr, uint64_t *vaddr, struct sf_err *err);
	/* Base of the vmemmap array of struct page (virtual). */
	uint64_t (*vmemmap_base)(struct arch_env *env);
	/* True if addr is a plausible kernel-space address for this arch/layout. */
	bool (*is_kernel_addr)(struct arch_env *env, uint64_t addr);
	/* A one-line description of the translation set up by init (for --info / -v). */
	void (*describe)(struct arch_env *env, char *buf, size_t len);
	/*
	 * Optional, once symbols are known (System.map, vmlinux or kallsyms):
	 * checks and completes what init derived, with kernel variables that
	 * VMCOREINFO does not name (x86_64: page_offset_base, vmalloc_base,
	 * vmemmap_base).  lookup gives a symbol's running address (0 on success).
	 */
	void (*use_symbols)(struct arch_env *env, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx);
};

extern const struct arch_ops arch_x86_64;
extern const struct arch_ops arch_arm64;

/* Finds the arch for an ELF machine / utsname.machine; NULL if unknown. */
const struct arch_ops *arch_by_e_machine(uint16_t e_machine);
const struct arch_ops *arch_by_uts_machine(const char *machine);

#endif
