// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's per-CPU state, owned here: nr_cpu_ids, __per_cpu_offset[]
 * and the per-CPU bases (struct kernel's per_cpu_offset, percpu_base), how
 * they are found (kernel_load_percpu() from the symbols; below, without
 * them), and the accessors every other file reads them through
 * (kernel_percpu_addr(), kernel_percpu_offset(), kernel_percpu_base(),
 * kernel_nr_cpus(), include/skbfilter/kernel.h).
 *
 * Per-CPU data when the symbols have none of it.  kallsyms without
 * CONFIG_KALLSYMS_ALL (Debian's arm64 6.1) lists neither __per_cpu_offset
 * nor any per-CPU variable.  What is left:
 *
 *   - the BTF: its DATASEC ".data..percpu" gives every per-CPU variable's
 *     offset inside the per-CPU section (pahole encodes per-CPU VARs);
 *   - the running task of a CPU, found from its stack (below);
 *   - that task's runqueue: task->se.cfs_rq->rq (or container_of the cfs_rq
 *     in struct rq without group scheduling) is &per_cpu(runqueues, cpu).
 *     rq->cpu and rq->curr confirm it.
 *
 * So the CPU's per-CPU section starts at rq - offset(runqueues), and any
 * per-CPU variable of that CPU is there + its own offset.
 */
#include <bpf/btf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/kernel.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"

int percpu_btf_offset(const struct ktypes *kt, const char *var, uint64_t *ret)
{
	/* through ktypes so that the lookup is marked for mini.core's slim BTF */
	return kt ? ktypes_datasec_var_offset(kt, ".data..percpu", var, ret) : -SF_ENOTFOUND;
}

/*
 * Without per-CPU data or a task list (kallsyms without data symbols, e.g.
 * arm64 kernels built without CONFIG_KALLSYMS_ALL): the running task is a
 * task_struct whose .stack is the base of the stack holding sp and whose pid
 * is NT_PRSTATUS pr_pid.  Functions keep `current` in registers and spill
 * it to their frames, so the candidates are the saved registers and the
 * words of that stack, limited to L1-cache-aligned kernel addresses (the
 * task_struct cache and init_task are aligned so).  Both fields must match.
 */
#define TASK_ALIGN 64
#define TASK_SEARCH_MAX 4096

uint64_t kernel_task_by_stack(struct kernel *k, struct kmem *km, const struct prstatus *regs, uint64_t base,
			      uint64_t tsize)
{
	int64_t o_stack = ktypes_offsetof(k->types, "task_struct.stack", SF_NOERR);
	int64_t o_pid = ktypes_offsetof(k->types, "task_struct.pid", SF_NOERR);
	uint64_t *tried, found = 0, v, sp = regs->sp;
	size_t ntried = 0;
	struct sf_err e;
	uint32_t pid;
	int i;

	if (o_stack < 0 || o_pid < 0)
		return 0;
	tried = calloc(TASK_SEARCH_MAX, sizeof(*tried));
	if (!tried)
		return 0;
	/* registers first, then the stack from sp up */
	for (i = 0; !found && ntried < TASK_SEARCH_MAX; i++) {
		uint64_t c;
		size_t j;

		if (i < regs->nregs && i < ARCH_MAX_REGS) {
			c = regs->regs[i];
		} else {
			/* from sp when it is on this stack, else the whole stack */
			uint64_t from = (sp >= base && sp < base + tsize) ? (sp & ~7ull) : base;
			uint64_t a = from + 8ull * (uint64_t)(i - regs->nregs);

			if (a >= base + tsize || kmem_read_u64(km, a, &c, "stack word", &e) != 0)
				break;
		}
		if ((c & (TASK_ALIGN - 1)) || (c >= base && c < base + tsize) ||
		    !k->arch->is_kernel_addr(kmem_arch_env(km), c))
			continue;
		for (j = 0; j < ntried && tried[j] != c; j++)
			;
		if (j < ntried)
			continue;
		tried[ntried++] = c;
		if (kmem_read_u64(km, c + (uint64_t)o_stack, &v, "task_struct.stack", &e) != 0 || v != base)
			continue;
		if (kmem_read_u32(km, c + (uint64_t)o_pid, &pid, "task_struct.pid", &e) != 0 ||
		    (regs->pid >= 0 && (int32_t)pid != regs->pid))
			continue;
		found = c;
	}
	free(tried);
	return found;
}


int kernel_percpu_from_task(struct kernel *k, struct kmem *km, int cpu, uint64_t task, struct sf_err *err)
{
	struct ktypes *kt = k->types;
	uint64_t cfs_rq, rq, v, off;
	int64_t o;
	struct kmem *as_percpu;
	int rc = -SF_ECORRUPT;

	if (!k->percpu_base || cpu < 0 || cpu >= k->nr_cpu_ids || k->percpu_base[cpu] || !kt)
		return 0;
	if (percpu_btf_offset(kt, "runqueues", &off) != 0)
		return sf_err_set(err, SF_ENOTFOUND, "the BTF has no per-CPU variable runqueues");
	as_percpu = kmem_as(km, READ_PERCPU);
	if (kread_field(as_percpu, kt, task, "task_struct.se.cfs_rq", &cfs_rq, err) != 0)
		goto out;
	if (!cfs_rq) {
		sf_err_set(err, SF_ENOTFOUND, "task_struct.se.cfs_rq of task 0x%" PRIx64 " is NULL", task);
		goto out;
	}
	if (ktypes_has_field(kt, "cfs_rq.rq")) {
		if (kread_field(as_percpu, kt, cfs_rq, "cfs_rq.rq", &rq, err) != 0)
			goto out;
	} else {
		o = ktypes_offsetof(kt, "rq.cfs", err);
		if (o < 0)
			goto out;
		rq = cfs_rq - (uint64_t)o;
	}
	if (kread_field(as_percpu, kt, rq, "rq.cpu", &v, err) != 0)
		goto out;
	if ((int)v != cpu) {
		sf_err_set(err, SF_ECORRUPT, "runqueue 0x%" PRIx64 " says rq.cpu %d", rq, (int)v);
		goto out;
	}
	if (kread_field(as_percpu, kt, rq, "rq.curr", &v, err) != 0)
		goto out;
	if (v != task) {
		sf_err_set(err, SF_ECORRUPT, "runqueue 0x%" PRIx64 " has rq.curr 0x%" PRIx64 ", not the task", rq, v);
		goto out;
	}
	k->percpu_base[cpu] = rq - off;
	rc = 0;
out:
	return rc;
}

/*
 * The per-CPU bases above give each CPU's per-CPU variables, but SLUB's
 * kmem_cache.cpu_slab and every other dynamic per-CPU pointer is an address
 * in the per-CPU section's link-time space: per_cpu_ptr(p, cpu) is p +
 * __per_cpu_offset[cpu] = p + base[cpu] - __per_cpu_start.  The one unknown,
 * __per_cpu_start, comes from a per-CPU pointer to a static per-CPU variable
 * that the kernel itself stored: DEFINE_SRCU()/DEFINE_STATIC_SRCU() set
 * srcu_struct.sda = &<name>_srcu_data, and each CPU's srcu_data points back
 * to its srcu_struct (.ssp; .sp before 4.19).  So for each per-CPU VAR of
 * type struct srcu_data: start = read(read(base + off).ssp).sda - off.  All
 * the candidates must agree; srcu_structs not initialised yet (ssp NULL)
 * are skipped.
 */
#define SRCU_CANDIDATES_MAX 64

static int percpu_section_start(struct kernel *k, struct kmem *km, int cpu, uint64_t *ret)
{
	struct btf *btf = ktypes_btf(k->types);
	const struct btf_var_secinfo *vs;
	int64_t o_ssp, o_sda;
	uint64_t start = 0;
	int nvars, agree = 0, tried = 0;

	o_ssp = ktypes_offsetof(k->types, "srcu_data.ssp", SF_NOERR);
	if (o_ssp < 0)
		o_ssp = ktypes_offsetof(k->types, "srcu_data.sp", SF_NOERR);
	o_sda = ktypes_offsetof(k->types, "srcu_struct.sda", SF_NOERR);
	if (!btf || o_ssp < 0 || o_sda < 0)
		return -SF_ENOTFOUND;
	if (ktypes_datasec_raw(k->types, ".data..percpu", &vs, &nvars) < 0)
		return -SF_ENOTFOUND;
	for (int i = 0; i < nvars && tried < SRCU_CANDIDATES_MAX; i++) {
		const struct btf_type *v = btf__type_by_id(btf, vs[i].type), *t = NULL;
		uint64_t ssp, sda;
		struct sf_err e;
		int tid;

		if (!v || btf_kind(v) != BTF_KIND_VAR)
			continue;
		tid = btf__resolve_type(btf, v->type);
		if (tid > 0)
			t = btf__type_by_id(btf, (uint32_t)tid);
		if (!t || !btf_is_struct(t) || strcmp(btf__name_by_offset(btf, t->name_off), "srcu_data"))
			continue;
		tried++;
		if (kmem_read_u64(km, k->percpu_base[cpu] + vs[i].offset + (uint64_t)o_ssp, &ssp,
				  "srcu_data.ssp", &e) != 0 || !ssp)
			continue;
		if (kmem_read_u64(km, ssp + (uint64_t)o_sda, &sda, "srcu_struct.sda", &e) != 0 || !sda)
			continue;
		if (agree && sda - vs[i].offset != start)
			return -SF_EINVAL;
		start = sda - vs[i].offset;
		agree++;
	}
	if (!agree || !k->arch->is_kernel_addr(kmem_arch_env(km), start))
		return -SF_ENOTFOUND;
	*ret = start;
	return 0;
}

/*
 * __per_cpu_offset[] of every CPU from its base, when all bases are known:
 * __per_cpu_start from the static SRCU data, else from SLUB's per-CPU data.
 */
static void percpu_offsets_from_bases(struct kernel *k, struct kmem *km)
{
	struct sf_err e = { 0 };
	uint64_t start = 0;
	char how[200] = "from the static SRCU per-CPU data";
	int c, rc;

	for (c = 0; c < k->nr_cpu_ids && k->percpu_base[c]; c++)
		;
	if (c < k->nr_cpu_ids)
		return;
	rc = percpu_section_start(k, km, 0, &start);
	if (rc != 0 && percpu_start_from_slub(k, km, &start, how, sizeof(how), &e) != 0) {
		warn_add(k->warnings, "__per_cpu_start not found (static SRCU per-CPU data: %s; SLUB: %s): dynamic "
			 "per-CPU pointers cannot be followed", rc == -SF_EINVAL ? "they disagree" : "none initialised",
			 e.msg);
		return;
	}
	k->per_cpu_offset = calloc((size_t)k->nr_cpu_ids, sizeof(uint64_t));
	if (!k->per_cpu_offset)
		return;
	for (c = 0; c < k->nr_cpu_ids; c++)
		k->per_cpu_offset[c] = k->percpu_base[c] - start;
	warn_note(k->warnings, "__per_cpu_offset[] derived from the per-CPU bases and __per_cpu_start 0x%" PRIx64 " (%s)",
		  start, how);
}

bool kernel_percpu_from_note(struct kernel *k)
{
	const struct slimnote *n = k->slim;
	uint32_t nr;

	if (!n || !n->percpu_nr || k->per_cpu_offset || k->percpu_base)
		return false;
	nr = n->percpu_nr;
	if (k->nr_cpu_ids != (int)nr) {
		warn_add(k->warnings, "mini.core kernel note: per-CPU data for %u CPUs, the dump has %d; searching the dump",
			 nr, k->nr_cpu_ids);
		return false;
	}
	k->percpu_base = calloc(nr, sizeof(uint64_t));
	k->per_cpu_offset = n->percpu_offset ? calloc(nr, sizeof(uint64_t)) : NULL;
	if (!k->percpu_base || (n->percpu_offset && !k->per_cpu_offset)) {
		free(k->percpu_base);
		free(k->per_cpu_offset);
		k->percpu_base = k->per_cpu_offset = NULL;
		return false;
	}
	for (uint32_t i = 0; i < nr; i++) {
		k->percpu_base[i] = ld_le64(n->percpu_base + 8 * i);
		if (k->per_cpu_offset)
			k->per_cpu_offset[i] = ld_le64(n->percpu_offset + 8 * i);
	}
	warn_note(k->warnings, "per-CPU data of %u CPUs%s from the mini.core kernel note (the original dump has no "
		  "__per_cpu_offset symbol; they were found there through the runqueues)", nr,
		  k->per_cpu_offset ? " and __per_cpu_offset[]" : "");
	return true;
}

/*
 * The task whose stack a frame-record chain reaches from regs->fp, for a CPU
 * whose sp is not on its task's stack: a panic in a softirq or an interrupt
 * runs on the IRQ stack, and its frame records lead back to the interrupted
 * task's stack (arm64 call_on_irq_stack() links them; the x29 chain).  Up to
 * FP_CHAIN_MAX records and the first FP_CHAIN_STACKS other stacks are tried.
 */
#define FP_CHAIN_MAX 512
#define FP_CHAIN_STACKS 4

static uint64_t task_by_fp_chain(struct kernel *k, struct kmem *km, const struct prstatus *regs, uint64_t tsize)
{
	uint64_t fp = regs->fp, base = regs->sp & ~(tsize - 1), tried[FP_CHAIN_STACKS], next, t;
	int ntried = 0;
	struct sf_err e;

	for (int i = 0; i < FP_CHAIN_MAX && fp && !(fp & 7) && k->arch->is_kernel_addr(kmem_arch_env(km), fp);
	     i++) {
		uint64_t b = fp & ~(tsize - 1);
		int j;

		if (b != base) {
			for (j = 0; j < ntried && tried[j] != b; j++)
				;
			if (j == ntried) {
				if (ntried == FP_CHAIN_STACKS)
					return 0;
				tried[ntried++] = b;
				t = kernel_task_by_stack(k, km, regs, b, tsize);
				if (t)
					return t;
			}
		}
		if (kmem_read_u64(km, fp, &next, "frame record fp", &e) != 0)
			return 0;
		if ((next & ~(tsize - 1)) == b && next <= fp)
			return 0;	/* records move up within a stack */
		fp = next;
	}
	return 0;
}

void kernel_percpu_discover(struct kernel *k)
{
	/* the search's pages are "discovery": a mini.core with the kernel note records its result instead */
	struct kmem *km = kmem_discovery(k->kmem);
	struct sf_err e = { 0 };
	uint64_t tsize = kernel_thread_size(k);
	int found = 0;

	if (k->per_cpu_offset || !k->types || k->nr_cpu_ids <= 0 || k->nprstatus == 0)
		return;
	k->percpu_base = calloc((size_t)k->nr_cpu_ids, sizeof(uint64_t));
	if (!k->percpu_base)
		return;
	for (int i = 0; i < k->nprstatus; i++) {
		const struct cpu_prstatus *p = &k->prstatus[i];
		uint64_t t;

		if (!p->regs.sp)
			continue;
		t = kernel_task_by_stack(k, km, &p->regs, p->regs.sp & ~(tsize - 1), tsize);
		if (!t)
			t = task_by_fp_chain(k, km, &p->regs, tsize);
		if (t && kernel_percpu_from_task(k, km, p->cpu, t, &e) != 0)
			warn_add(k->warnings, "CPU %d: per-CPU data not located through the runqueue of task 0x%" PRIx64
				 ": %s", p->cpu, t, e.msg);
	}
	for (int c = 0; c < k->nr_cpu_ids; c++)
		found += k->percpu_base[c] != 0;
	if (found == k->nr_cpu_ids) {
		warn_note(k->warnings, "per-CPU data located for all %d CPUs through their running task's runqueue "
			  "(no __per_cpu_offset symbol)", found);
		percpu_offsets_from_bases(k, km);
	} else {
		warn_add(k->warnings, "per-CPU data located for %d of %d CPUs through their running task's runqueue "
			 "(no __per_cpu_offset symbol)", found, k->nr_cpu_ids);
	}
}

/* ---- nr_cpu_ids and __per_cpu_offset[] (moved from kernel.c: percpu.c owns the per-CPU state) ---- */

/*
 * nr_cpu_ids is read from the kernel variable of that name (unsigned int).
 * Without it: the kdump header's nr_cpus, else the number of NT_PRSTATUS
 * notes (a kdump kernel writes one per CPU that was online), else 1.  The
 * BTF of 6.1 does not describe __per_cpu_offset (only per-CPU variables get
 * BTF VARs), so the array size cannot come from there.
 */
int kernel_load_percpu(struct kernel *k, struct sf_err *err)
{
	const struct dump_info *info = dump_get_info(k->dump);
	uint64_t a_nr, a_off;
	uint32_t nr = 0;
	struct sf_err e = { 0 };
	int rc = 0;
	struct kmem *as_percpu = kmem_as(k->kmem, READ_PERCPU);

	if (kernel_symbol(k, "nr_cpu_ids", &a_nr, &e) == 0 &&
	    kmem_read_u32(as_percpu, a_nr, &nr, "nr_cpu_ids", &e) == 0 && nr > 0) {
		if (nr > KERNEL_MAX_CPUS) {
			warn_add(k->warnings, "nr_cpu_ids is %u, above %d: using the first %d CPUs", nr,
				 KERNEL_MAX_CPUS, KERNEL_MAX_CPUS);
			nr = KERNEL_MAX_CPUS;
		}
	} else {
		/*
		 * The dump header's nr_cpus and the crash notes both count the
		 * CPUs that were online and saved their registers; an offline
		 * CPU holds no task, stack or queued packet, so that is every
		 * CPU the analysis needs: a note, not a partial result.
		 */
		if (info->nr_cpus > 0 && info->nr_cpus <= KERNEL_MAX_CPUS) {
			nr = (uint32_t)info->nr_cpus;
			warn_note(k->warnings, "nr_cpu_ids not readable (%s): using the dump header's %u CPUs", e.msg, nr);
		} else if (k->nprstatus > 0) {
			nr = (uint32_t)k->nprstatus;
			warn_note(k->warnings, "nr_cpu_ids not readable (%s): using the %u CPUs that saved crash notes",
				  e.msg, nr);
		} else {
			nr = 1;
			warn_add(k->warnings, "nr_cpu_ids not readable (%s) and no crash notes: assuming 1 CPU", e.msg);
		}
	}
	sf_err_clear(&e);
	k->nr_cpu_ids = (int)nr;
	if (kernel_symbol(k, "__per_cpu_offset", &a_off, &e) != 0) {
		/*
		 * Uniprocessor kernels have no per-CPU offsets (per-CPU variables
		 * are plain); kallsyms without data symbols lacks the array:
		 * kernel_percpu_discover() tries the runqueue route then.
		 */
		goto out;
	}
	k->per_cpu_offset = calloc(nr, sizeof(uint64_t));
	if (!k->per_cpu_offset) {
		rc = sf_err_set(err, SF_ENOMEM, "per-CPU offsets for %u CPUs", nr);
		goto out;
	}
	for (uint32_t i = 0; i < nr; i++) {
		sf_err_clear(&e);
		if (kmem_read_u64(as_percpu, a_off + 8ull * i, &k->per_cpu_offset[i], "__per_cpu_offset[]", &e) != 0) {
			warn_add(k->warnings, "__per_cpu_offset[%u]: %s", i, e.msg);
			if (i == 0) {
				free(k->per_cpu_offset);
				k->per_cpu_offset = NULL;
				goto out;
			}
			nr = i;
			break;
		}
	}
	k->nr_cpu_ids = (int)nr;
	/*
	 * Each CPU's area (__per_cpu_start + offset) must be mapped memory: an
	 * offset that puts it elsewhere is corruption, and every per-CPU read of
	 * that CPU (current task, IRQ stack, runqueue) would fail without saying why.
	 */
	if (kernel_symbol(k, "__per_cpu_start", &a_nr, &e) == 0) {
		for (uint32_t i = 0; i < nr; i++) {
			uint64_t va = a_nr + k->per_cpu_offset[i], pa;

			sf_err_clear(&e);
			/* max_pfn, not the page state: a minimized dump leaves unread pages out of its memory map. */
			if (kmem_vtop(as_percpu, va, &pa, &e) == 0 && info->max_pfn &&
			    pa / kmem_page_size(as_percpu) >= info->max_pfn)
				sf_err_set(&e, SF_ERANGE, "phys 0x%" PRIx64 " is past the end of memory (max pfn 0x%" PRIx64 ")",
					   pa, info->max_pfn);
			if (e.code)
				warn_add(k->warnings, "__per_cpu_offset[%u] is 0x%" PRIx64 ": CPU %u's per-CPU area 0x%" PRIx64
					 " is not in memory (%s); that CPU's per-CPU data is unusable", i,
					 k->per_cpu_offset[i], i, va, e.msg);
		}
	}
out:
	return rc;
}

static int kernel_percpu_addr_plain(struct kernel *k, const char *sym, int cpu, uint64_t *ret, struct sf_err *err);

/*
 * x86_64 6.2 moved hot per-CPU variables (current_task, hardirq_stack_ptr,
 * cpu_number, ...) into struct pcpu_hot; 6.15 moved some out again.  A name
 * that is no per-CPU variable of its own is looked for as a member of
 * pcpu_hot (offset from BTF).
 */
static int kernel_percpu_hot(struct kernel *k, const char *sym, int cpu, uint64_t *ret, struct sf_err *err)
{
	char path[128];
	int64_t off;
	int rc;

	if (!k->types || snprintf(path, sizeof(path), "pcpu_hot.%s", sym) >= (int)sizeof(path))
		return -SF_ENOTFOUND;
	off = ktypes_offsetof(k->types, path, SF_NOERR);
	if (off < 0)
		return -SF_ENOTFOUND;
	rc = kernel_percpu_addr_plain(k, "pcpu_hot", cpu, ret, err);
	if (!rc)
		*ret += (uint64_t)off;
	return rc;
}

int kernel_percpu_addr(struct kernel *k, const char *sym, int cpu, uint64_t *ret, struct sf_err *err)
{
	struct sf_err e = { 0 };
	int rc;

	rc = kernel_percpu_addr_plain(k, sym, cpu, ret, &e);
	if (rc == -SF_ENOTFOUND && kernel_percpu_hot(k, sym, cpu, ret, err) == 0)
		return 0;
	if (rc)
		*err = e;
	return rc;
}

static int kernel_percpu_addr_plain(struct kernel *k, const char *sym, int cpu, uint64_t *ret, struct sf_err *err)
{
	uint64_t a, off;
	int rc;

	if (k->percpu_base) {
		if (cpu < 0 || cpu >= k->nr_cpu_ids)
			return sf_err_set(err, SF_ERANGE, "per-CPU %s: CPU %d outside 0..%d", sym, cpu, k->nr_cpu_ids - 1);
		if (!k->percpu_base[cpu])
			return sf_err_set(err, SF_ENOTFOUND, "per-CPU %s: CPU %d's per-CPU data not located "
					  "(no __per_cpu_offset symbol, running task not found)", sym, cpu);
		if (percpu_btf_offset(k->types, sym, &off) != 0)
			return sf_err_set(err, SF_ENOTFOUND, "per-CPU %s: not a per-CPU variable of the BTF", sym);
		*ret = k->percpu_base[cpu] + off;
		return 0;
	}
	rc = kernel_symbol(k, sym, &a, err);
	if (rc)
		return rc;
	if (!k->per_cpu_offset) {
		if (cpu != 0)
			return sf_err_set(err, SF_ERANGE, "per-CPU %s: no per-CPU offsets (CPU %d)", sym, cpu);
		*ret = a;
		return 0;
	}
	if (cpu < 0 || cpu >= k->nr_cpu_ids)
		return sf_err_set(err, SF_ERANGE, "per-CPU %s: CPU %d outside 0..%d", sym, cpu, k->nr_cpu_ids - 1);
	*ret = a + k->per_cpu_offset[cpu];
	return 0;
}

/* ---- the per-CPU state, read by the other stages only through these ---- */

int kernel_nr_cpus(const struct kernel *k)
{
	return k->nr_cpu_ids > 0 ? k->nr_cpu_ids : 0;
}

int kernel_percpu_offset(const struct kernel *k, int cpu, uint64_t *ret)
{
	if (!k->per_cpu_offset)
		return -SF_ENOTFOUND;
	if (cpu < 0 || cpu >= k->nr_cpu_ids)
		return -SF_ERANGE;
	*ret = k->per_cpu_offset[cpu];
	return 0;
}

const uint64_t *kernel_percpu_offsets(const struct kernel *k, int *n)
{
	*n = k->per_cpu_offset ? k->nr_cpu_ids : 0;
	return k->per_cpu_offset;
}

int kernel_percpu_base(const struct kernel *k, int cpu, uint64_t *ret)
{
	if (!k->percpu_base)
		return -SF_ENOTFOUND;
	if (cpu < 0 || cpu >= k->nr_cpu_ids)
		return -SF_ERANGE;
	*ret = k->percpu_base[cpu];
	return 0;
}
