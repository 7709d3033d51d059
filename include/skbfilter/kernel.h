/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dumped kernel, as the layers above see it: the dump, its architecture,
 * VMCOREINFO, address translation, symbols, types and per-CPU data, opened
 * together by kernel_open() (src/kernel/kernel.c).
 */
#ifndef SKBFILTER_KERNEL_H
#define SKBFILTER_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/arch.h"
#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/warn.h"

struct kmem;
struct ktypes;
struct read_recorder;
struct slimnote;
struct symtab;
struct vmcoreinfo;

#define KERNEL_MAX_CPUS 8192

struct kernel_open_opts {
	const char *vmlinux;		/* -x: symbols and .BTF from a vmlinux */
	const char *system_map;		/* -m: symbols from a System.map */
	const char *btf;		/* --btf: raw BTF file */
	bool no_modules;		/* skip module symbols */
	bool memory_only;		/* arch, VMCOREINFO and address translation only: no symbols, types,
					 * per-CPU data or notes (the printk log needs no more) */
	bool need_symbols;		/* fail, naming the file to pass, when VMCOREINFO has no kallsyms
					 * and neither -m nor -x nor a mini.core kernel note gives symbols */
	struct warnlist *warnings;	/* borrowed */
	struct read_recorder *recorder;	/* borrowed; NULL: reads are not recorded (no mini.core) */
};

struct cpu_prstatus {
	int cpu;			/* CPU number: matched through the kernel's per-CPU crash_notes;
					 * the index of the note among NT_PRSTATUS notes when that fails */
	struct prstatus regs;
};

/*
 * The kernel is opaque outside src/kernel (its fields are in
 * src/kernel/kernel_int.h, for src/kernel only): read it through the
 * accessors below.
 */
struct kernel;

struct dump *kernel_dump(const struct kernel *k);
const struct arch_ops *kernel_arch(const struct kernel *k);
const struct vmcoreinfo *kernel_vmcoreinfo(const struct kernel *k);	/* NULL if the dump has none */
struct kmem *kernel_kmem(const struct kernel *k);
struct symtab *kernel_symtab(const struct kernel *k);			/* NULL if no source worked */
struct ktypes *kernel_types(const struct kernel *k);			/* NULL if no BTF */
struct warnlist *kernel_warnings(const struct kernel *k);
const char *kernel_release(const struct kernel *k);			/* OSRELEASE, "" if unknown */
const char *kernel_build_id(const struct kernel *k);			/* BUILD-ID, "" if unknown */
uint64_t kernel_crashtime(const struct kernel *k);			/* CRASHTIME, 0 if absent */
uint64_t kernel_kaslr_offset(const struct kernel *k);			/* KERNELOFFSET */
/* One per NT_PRSTATUS note, kernel_nprstatus() of them. */
const struct cpu_prstatus *kernel_prstatus(const struct kernel *k);
int kernel_nprstatus(const struct kernel *k);

int kernel_open(struct dump *d, const struct kernel_open_opts *opts, struct kernel **ret, struct sf_err *err);
void kernel_close(struct kernel *k);

/*
 * Address of per-CPU variable SYM on cpu: &sym + __per_cpu_offset[cpu]; without
 * those symbols, the CPU's per-CPU section (percpu_base) + SYM's offset in the
 * BTF DATASEC .data..percpu.  A SYM that moved into struct pcpu_hot (x86_64
 * 6.2+: current_task, hardirq_stack_ptr, ...) is found there.
 */
int kernel_percpu_addr(struct kernel *k, const char *sym, int cpu, uint64_t *ret, struct sf_err *err);
/*
 * The per-CPU state (src/kernel/percpu.c owns it; read it through these).
 * kernel_nr_cpus: nr_cpu_ids, 0 when unknown.  kernel_percpu_offset:
 * __per_cpu_offset[cpu] (from the symbol, derived from the bases, or from a
 * mini.core's kernel note); -SF_ENOTFOUND when the kernel's offsets are not
 * known, -SF_ERANGE for a cpu outside [0, nr_cpu_ids).  kernel_percpu_offsets:
 * the whole table (*n entries), NULL when not known.  kernel_percpu_base: the
 * start of cpu's per-CPU section found through its runqueue (0 = unknown);
 * -SF_ENOTFOUND when the bases were not searched for.
 */
int kernel_nr_cpus(const struct kernel *k);
int kernel_percpu_offset(const struct kernel *k, int cpu, uint64_t *ret);
const uint64_t *kernel_percpu_offsets(const struct kernel *k, int *n);
int kernel_percpu_base(const struct kernel *k, int cpu, uint64_t *ret);
/* THREAD_SIZE: __end_init_task - __start_init_task, else the arch default. */
uint64_t kernel_thread_size(struct kernel *k);
/* Symbol address with a clear error (which source was searched). */
int kernel_symbol(struct kernel *k, const char *name, uint64_t *ret, struct sf_err *err);

/*
 * For the panic context and the unwinders (src/panic), which discover these
 * facts while they walk the stacks; km is the view (kmem_as()) their reads
 * are recorded through.  kernel_task_by_stack: the task_struct whose stack is
 * base..base+tsize and whose pid is regs->pid (0 if none).
 * kernel_percpu_from_task: records cpu's per-CPU section from its running
 * task's runqueue (when the bases are being searched for; read as per-CPU
 * data unless km is a search's view); err says why not.
 * kernel_modules_unknown: true while the module list head is unknown and may
 * still be searched for.  kernel_load_modules_near: finds the list head from
 * addr and loads module symbols; a few tries per kernel.
 */
uint64_t kernel_task_by_stack(struct kernel *k, struct kmem *km, const struct prstatus *regs, uint64_t base,
			      uint64_t tsize);
int kernel_percpu_from_task(struct kernel *k, struct kmem *km, int cpu, uint64_t task, struct sf_err *err);
bool kernel_modules_unknown(struct kernel *k);
int kernel_load_modules_near(struct kernel *k, uint64_t addr, struct sf_err *err);

#endif
