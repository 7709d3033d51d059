/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * struct kernel and small helpers private to src/kernel: every other stage
 * (src/panic included) uses kernel.h's accessors; tools/check-layers.sh
 * enforces that only src/kernel (and unit tests) include this header.
 */
#ifndef SKBFILTER_KERNEL_INT_H
#define SKBFILTER_KERNEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/kernel.h"

struct kmem;
struct ktypes;
struct slimnote;
struct symtab;
struct vmcoreinfo;

struct kernel {
	struct dump *dump;		/* borrowed */
	const struct arch_ops *arch;
	struct vmcoreinfo *vi;		/* owned; NULL if the dump has none */
	struct kmem *kmem;		/* owned */
	struct symtab *syms;		/* owned; NULL if no source worked */
	struct ktypes *types;		/* owned; NULL if no BTF */
	struct warnlist *warnings;	/* borrowed */

	char release[66];		/* OSRELEASE */
	char build_id[80];		/* BUILD-ID */
	uint64_t crashtime;		/* CRASHTIME (seconds since the epoch), 0 if absent */
	uint64_t kaslr_offset;		/* KERNELOFFSET */

	int nr_cpu_ids;			/* CPUs with a per-CPU offset */
	uint64_t *per_cpu_offset;	/* __per_cpu_offset[], nr_cpu_ids entries, owned; NULL without the symbol */
	uint64_t *percpu_base;		/* without __per_cpu_offset: start of each CPU's per-CPU section (0 = unknown),
					 * found through its running task's runqueue; nr_cpu_ids entries, owned */

	struct cpu_prstatus *prstatus;	/* one per NT_PRSTATUS note, owned */
	int nprstatus;

	int modules_searches;		/* times the module list head was looked for in module memory */
	/* the module list head found by that search, and the address it started from (0 = none) */
	uint64_t modules_found_near, modules_found_head;
	/* mini.core's kernel note (symbols and slim BTF), NULL if the dump has none; owned */
	struct slimnote *slim;
};

struct kernel;
/* The module list head found from a module address (src/kernel/modfind.c). */
int kernel_find_modules_head(struct kernel *k, uint64_t near, uint64_t *ret, struct sf_err *err);
/* Adds the module symbols of mini.core's kernel note to k->syms (the caller finishes the table). */
void kernel_add_note_modules(struct kernel *k);

struct prstatus;
struct ktypes;
/* nr_cpu_ids and __per_cpu_offset[] from the kernel's variables (src/kernel/percpu.c), at kernel_open(). */
int kernel_load_percpu(struct kernel *k, struct sf_err *err);
/* Offset of a per-CPU variable in the per-CPU section, from the BTF DATASEC (src/kernel/percpu.c). */
int percpu_btf_offset(const struct ktypes *kt, const char *var, uint64_t *ret);
/* Without __per_cpu_offset: per-CPU sections of the CPUs whose running task shows on their stack. */
void kernel_percpu_discover(struct kernel *k);
/* The per-CPU bases and offsets that mini.core's kernel note recorded; false if it has none for this kernel. */
bool kernel_percpu_from_note(struct kernel *k);
/*
 * __per_cpu_start from SLUB's per-CPU data (src/kernel/percpu_slub.c), given
 * every k->percpu_base[]; how (howlen bytes) says how it was told apart.
 */
int percpu_start_from_slub(struct kernel *k, struct kmem *km, uint64_t *ret, char *how, size_t howlen,
			   struct sf_err *err);
/* The kmem_cache of the slab object at obj, through its struct page (tests). */
int percpu_slab_cache_of(struct kernel *k, struct kmem *km, uint64_t obj, uint64_t *ret, struct sf_err *err);

#endif
