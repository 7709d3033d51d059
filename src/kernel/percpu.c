// SPDX-License-Identifier: GPL-2.0-or-later
/*
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
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "kernel/ktypes_int.h"
#include "skbfilter/kernel.h"
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

uint64_t kernel_task_by_stack(struct kernel *k, const struct prstatus *regs, uint64_t base, uint64_t tsize)
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

			if (a >= base + tsize || kmem_read_u64(k->kmem, a, &c, "stack word", &e) != 0)
				break;
		}
		if ((c & (TASK_ALIGN - 1)) || (c >= base && c < base + tsize) ||
		    !k->arch->is_kernel_addr(k->kmem, c))
			continue;
		for (j = 0; j < ntried && tried[j] != c; j++)
			;
		if (j < ntried)
			continue;
		tried[ntried++] = c;
		if (kmem_read_u64(k->kmem, c + (uint64_t)o_stack, &v, "task_struct.stack", &e) != 0 || v != base)
			continue;
		if (kmem_read_u32(k->kmem, c + (uint64_t)o_pid, &pid, "task_struct.pid", &e) != 0 ||
		    (regs->pid >= 0 && (int32_t)pid != regs->pid))
			continue;
		found = c;
	}
	free(tried);
	return found;
}


void kernel_percpu_from_task(struct kernel *k, int cpu, uint64_t task)
{
	struct ktypes *kt = k->types;
	uint64_t cfs_rq, rq, v, off;
	int64_t o;
	struct sf_err e;
	enum keep_reason old;

	if (!k->percpu_base || cpu < 0 || cpu >= k->nr_cpu_ids || k->percpu_base[cpu] || !kt)
		return;
	if (percpu_btf_offset(kt, "runqueues", &off) != 0)
		return;
	old = kmem_set_reason(k->kmem, KEEP_PERCPU);
	if (kread_field(k->kmem, kt, task, "task_struct.se.cfs_rq", &cfs_rq, &e) != 0 || !cfs_rq)
		goto out;
	if (ktypes_has_field(kt, "cfs_rq.rq")) {
		if (kread_field(k->kmem, kt, cfs_rq, "cfs_rq.rq", &rq, &e) != 0)
			goto out;
	} else {
		o = ktypes_offsetof(kt, "rq.cfs", &e);
		if (o < 0)
			goto out;
		rq = cfs_rq - (uint64_t)o;
	}
	if (kread_field(k->kmem, kt, rq, "rq.cpu", &v, &e) != 0 || (int)v != cpu)
		goto out;
	if (kread_field(k->kmem, kt, rq, "rq.curr", &v, &e) != 0 || v != task)
		goto out;
	k->percpu_base[cpu] = rq - off;
out:
	kmem_set_reason(k->kmem, old);
}

void kernel_percpu_discover(struct kernel *k)
{
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
		t = kernel_task_by_stack(k, &p->regs, p->regs.sp & ~(tsize - 1), tsize);
		if (t)
			kernel_percpu_from_task(k, p->cpu, t);
	}
	for (int c = 0; c < k->nr_cpu_ids; c++)
		found += k->percpu_base[c] != 0;
	warn_add(k->warnings, "per-CPU data located for %d of %d CPUs through their running task's runqueue "
		 "(no __per_cpu_offset symbol)", found, k->nr_cpu_ids);
}
