// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The panic context: which CPU panicked (and how we know), the task running
 * there, the stacks it was using and a backtrace of each analysed CPU.
 *
 * Per-CPU homes are found by name, never by kernel version:
 *   current task   per-CPU current_task (x86_64 before 6.2),
 *                  pcpu_hot.current_task (x86_64 6.2+; offset from BTF),
 *                  per-CPU __entry_task (arm64: `current` lives in sp_el0,
 *                  which NT_PRSTATUS does not save)
 *   IRQ stack      per-CPU hardirq_stack_ptr (x86_64 5.2-6.1, 6.15+),
 *                  pcpu_hot.hardirq_stack_ptr (6.2+), irq_stack_ptr (arm64,
 *                  x86_64 before 5.2)
 *   THREAD_SIZE    __end_init_task - __start_init_task (the linker script
 *                  reserves exactly THREAD_SIZE for init's stack), else the
 *                  architecture default
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/json.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "skbfilter/symbols.h"
#include "panic/unwind.h"

#define MAX_TASKS_WALKED (1u << 20)

const char *stack_kind_name(enum stack_kind k)
{
	switch (k) {
	case STACK_TASK: return "task";
	case STACK_IRQ: return "irq";
	case STACK_SOFTIRQ: return "softirq";
	case STACK_EXCEPTION: return "exception";
	case STACK_UNKNOWN: break;
	}
	return "unknown";
}

/* Address of a per-CPU variable (alone, or inside struct pcpu_hot from 6.2: kernel_percpu_addr() knows). */
static int percpu_var(struct kernel *k, const char *name, int cpu, uint64_t *ret)
{
	return kernel_percpu_addr(k, name, cpu, ret, SF_NOERR);
}

static int task_read_identity(struct kernel *k, uint64_t task, int32_t *pid, char *comm, struct sf_err *err)
{
	struct kmem *as_task = kmem_as(kernel_kmem(k), READ_TASK);
	struct kfield f;
	uint64_t v;
	int rc;

	rc = kread_field(as_task, kernel_types(k), task, "task_struct.pid", &v, err);
	if (rc)
		return rc;
	*pid = (int32_t)v;
	rc = ktypes_field(kernel_types(k), "task_struct.comm", &f, err);
	if (rc)
		return rc;
	rc = kmem_read(as_task, task + f.offset, comm, 16, "task_struct.comm", err);
	if (rc)
		return rc;
	comm[16] = 0;
	return 0;
}

/* Searches every thread of every process for pid (init_task.tasks, signal->thread_head). */
static uint64_t task_find_pid(struct kernel *k, int32_t pid)
{
	struct kmem *as_task = kmem_as(kernel_kmem(k), READ_TASK);
	struct ktypes *kt = kernel_types(k);
	uint64_t init, pos, head;
	int64_t o_tasks, o_signal, o_thead, o_tnode, o_pid;
	unsigned walked = 0;
	struct sf_err e;
	uint32_t v;

	if (kernel_symbol(k, "init_task", &init, SF_NOERR) != 0)
		return 0;
	o_tasks = ktypes_offsetof(kt, "task_struct.tasks", SF_NOERR);
	o_pid = ktypes_offsetof(kt, "task_struct.pid", SF_NOERR);
	o_signal = ktypes_offsetof(kt, "task_struct.signal", SF_NOERR);
	o_thead = ktypes_offsetof(kt, "signal_struct.thread_head", SF_NOERR);
	o_tnode = ktypes_offsetof(kt, "task_struct.thread_node", SF_NOERR);
	if (o_tasks < 0 || o_pid < 0)
		return 0;
	head = init + (uint64_t)o_tasks;
	pos = head;
	do {
		uint64_t p = pos - (uint64_t)o_tasks, sig, th, tpos;

		if (kmem_read_u32(as_task, p + (uint64_t)o_pid, &v, "task_struct.pid", &e) == 0 && (int32_t)v == pid)
			return p;
		if (o_signal >= 0 && o_thead >= 0 && o_tnode >= 0 &&
		    kmem_read_u64(as_task, p + (uint64_t)o_signal, &sig, "task_struct.signal", &e) == 0 && sig) {
			th = sig + (uint64_t)o_thead;
			if (kmem_read_u64(as_task, th, &tpos, "signal_struct.thread_head", &e) != 0)
				tpos = th;
			while (tpos != th && walked++ < MAX_TASKS_WALKED) {
				uint64_t t = tpos - (uint64_t)o_tnode;

				if (kmem_read_u32(as_task, t + (uint64_t)o_pid, &v, "task_struct.pid", &e) == 0 &&
				    (int32_t)v == pid)
					return t;
				if (kmem_read_u64(as_task, tpos, &tpos, "task_struct.thread_node", &e) != 0)
					break;
			}
		}
		if (kmem_read_u64(as_task, pos, &pos, "task_struct.tasks.next", &e) != 0)
			break;
	} while (pos != head && walked++ < MAX_TASKS_WALKED);
	return 0;
}

/* The task running on cc->cpu, from per-CPU data, checked against pr_pid. */
static void cpu_find_task(struct kernel *k, struct cpu_context *cc, struct warnlist *w)
{
	static const char *const homes[] = { "current_task", "__entry_task" };
	struct sf_err e = { 0 };
	uint64_t a, task = 0;
	const char *home = NULL;

	if (!kernel_types(k)) {
		warn_add(w, "CPU %d: no BTF: task_struct layout unknown, task not identified", cc->cpu);
		return;
	}
	for (size_t i = 0; i < sizeof(homes) / sizeof(homes[0]) && !task; i++) {
		if (percpu_var(k, homes[i], cc->cpu, &a) != 0)
			continue;
		if (kmem_read_u64(kmem_as(kernel_kmem(k), READ_PERCPU), a, &task, homes[i], &e) != 0) {
			warn_add(w, "CPU %d: %s", cc->cpu, e.msg);
			task = 0;
			continue;
		}
		home = homes[i];
		cc->task_source = homes[i];
	}
	if (task) {
		sf_err_clear(&e);
		if (task_read_identity(k, task, &cc->pid, cc->comm, &e) != 0) {
			warn_add(w, "CPU %d: task %" PRIx64 " from %s unreadable: %s", cc->cpu, task, home, e.msg);
			task = 0;
		} else if (cc->have_prstatus && cc->regs.pid >= 0 && cc->regs.pid != cc->pid) {
			warn_add(w, "CPU %d: per-CPU %s is pid %d but NT_PRSTATUS says pid %d; searching for pid %d",
				 cc->cpu, home, cc->pid, cc->regs.pid, cc->regs.pid);
			task = 0;
		}
	}
	if (!task && cc->have_prstatus && cc->regs.pid > 0) {
		task = task_find_pid(k, cc->regs.pid);
		if (task && task_read_identity(k, task, &cc->pid, cc->comm, &e) != 0)
			task = 0;
		if (task)
			cc->task_source = "pid search";
	}
	cc->task = task;
	if (!task) {
		cc->task_source = NULL;
		cc->pid = cc->have_prstatus ? cc->regs.pid : -1;
		cc->comm[0] = 0;
	}
}

static void cpu_add_stack(struct cpu_context *cc, enum stack_kind kind, uint64_t base, uint64_t top)
{
	if (cc->nstacks >= PANIC_MAX_STACKS || top <= base)
		return;
	for (int i = 0; i < cc->nstacks; i++)
		if (base < cc->stacks[i].top && top > cc->stacks[i].base)
			return;		/* overlaps one we have */
	cc->stacks[cc->nstacks++] = (struct stack_region){ kind, base, top };
}

/*
 * The IRQ stack.  hardirq_stack_ptr (x86_64) points near the top: at the
 * top minus one word since 5.12 (the word there receives the interrupted
 * stack pointer), at the top itself before.  irq_stack_ptr (arm64, old
 * x86_64) points at the base.  The top of a stack is page aligned, which
 * tells the two x86_64 conventions apart without the version.
 */
static void cpu_find_irq_stack(struct kernel *k, struct cpu_context *cc, uint64_t tsize)
{
	uint64_t a, p, page = kmem_page_size(kernel_kmem(k));
	struct sf_err e;
	struct kmem *as_percpu = kmem_as(kernel_kmem(k), READ_PERCPU);

	if (percpu_var(k, "hardirq_stack_ptr", cc->cpu, &a) == 0 &&
	    kmem_read_u64(as_percpu, a, &p, "hardirq_stack_ptr", &e) == 0 && p) {
		uint64_t top = ((p + 8) % page == 0) ? p + 8 : p;

		cpu_add_stack(cc, STACK_IRQ, top - tsize, top);
	} else if (percpu_var(k, "irq_stack_ptr", cc->cpu, &a) == 0 &&
		   kmem_read_u64(as_percpu, a, &p, "irq_stack_ptr", &e) == 0 && p) {
		if (kernel_arch(k)->e_machine == 183)	/* arm64: base pointer, IRQ_STACK_SIZE = THREAD_SIZE */
			cpu_add_stack(cc, STACK_IRQ, p, p + tsize);
		else				/* x86_64 before 5.2: top of the irq_stack_union */
			cpu_add_stack(cc, STACK_IRQ, p - tsize, p);
	}
}

static void cpu_set_sp_stack(struct cpu_context *cc)
{
	cc->sp_stack = STACK_UNKNOWN;
	for (int i = 0; i < cc->nstacks; i++)
		if (cc->regs.sp >= cc->stacks[i].base && cc->regs.sp < cc->stacks[i].top)
			cc->sp_stack = cc->stacks[i].kind;
}

/* Tries the stack search on each THREAD_SIZE-aligned stack the frames (or sp) touched. */
static void cpu_search_task(struct kernel *k, struct cpu_context *cc, uint64_t tsize)
{
	struct kmem *as_task = kmem_as(kernel_kmem(k), READ_TASK);
	uint64_t bases[PANIC_MAX_STACKS + 1];
	int nb = 0;

	bases[nb++] = cc->regs.sp & ~(tsize - 1);
	for (int i = 0; i < cc->nframes && nb < PANIC_MAX_STACKS + 1; i++) {
		uint64_t b = cc->frames[i].slot & ~(tsize - 1);
		int j;

		if (!cc->frames[i].slot)
			continue;
		for (j = 0; j < nb && bases[j] != b; j++)
			;
		if (j == nb)
			bases[nb++] = b;
	}
	for (int i = 0; i < nb && !cc->task; i++) {
		uint64_t t = kernel_task_by_stack(k, as_task, &cc->regs, bases[i], tsize);

		if (t)
			kernel_percpu_from_task(k, as_task, cc->cpu, t, SF_NOERR);

		if (t && task_read_identity(k, t, &cc->pid, cc->comm, SF_NOERR) == 0) {
			cc->task = t;
			cc->task_source = "stack search";
		}
	}
}

static void cpu_analyze(struct kernel *k, struct cpu_context *cc, struct warnlist *w)
{
	uint64_t tsize = kernel_thread_size(k), stack;
	struct sf_err e = { 0 };
	bool guessed = false;

	if (kernel_types(k))
		cpu_find_task(k, cc, w);
	else
		warn_add(w, "CPU %d: no BTF: task_struct layout unknown, task not identified", cc->cpu);
	if (cc->task && kread_field(kernel_kmem(k), kernel_types(k), cc->task, "task_struct.stack", &stack, &e) == 0 && stack)
		cpu_add_stack(cc, STACK_TASK, stack, stack + tsize);
	cpu_find_irq_stack(k, cc, tsize);
	cpu_set_sp_stack(cc);
	if (cc->have_prstatus && cc->sp_stack == STACK_UNKNOWN && cc->regs.sp) {
		/*
		 * No per-CPU data told us the stacks: kernel stacks are
		 * THREAD_SIZE-aligned blocks (vmap stacks are allocated with
		 * THREAD_ALIGN), so take the block holding sp; the unwinder
		 * adds the blocks the frames lead to.
		 */
		cpu_add_stack(cc, STACK_UNKNOWN, cc->regs.sp & ~(tsize - 1), (cc->regs.sp & ~(tsize - 1)) + tsize);
		guessed = true;
	}
	sf_err_clear(&e);
	if (unwind_cpu(k, cc, w, &e) != 0)
		warn_add(w, "CPU %d: backtrace: %s", cc->cpu, e.msg);
	if (!cc->task && cc->have_prstatus && kernel_types(k)) {
		cpu_search_task(k, cc, tsize);
		if (cc->task && kread_field(kernel_kmem(k), kernel_types(k), cc->task, "task_struct.stack", &stack, &e) == 0) {
			/* the block that is the task's stack is now known for what it is */
			for (int i = 0; i < cc->nstacks; i++)
				if (cc->stacks[i].base == stack && cc->stacks[i].kind == STACK_UNKNOWN)
					cc->stacks[i].kind = STACK_TASK;
			for (int i = 0; i < cc->nframes; i++)
				if (cc->frames[i].slot >= stack && cc->frames[i].slot < stack + tsize)
					cc->frames[i].stack = STACK_TASK;
			cpu_set_sp_stack(cc);
			if (cc->nframes)
				cc->frames[0].stack = cc->sp_stack;
		}
	}
	if (!cc->task)
		warn_add(w, "CPU %d: running task not found (no per-CPU current, no task with this stack and pid %d)",
			 cc->cpu, cc->pid);
	if (guessed && cc->sp_stack == STACK_UNKNOWN)
		warn_add(w, "CPU %d: stack pointer %" PRIx64 " is on no stack known from per-CPU data", cc->cpu,
			 cc->regs.sp);
}

static const struct cpu_prstatus *prstatus_of_cpu(const struct kernel *k, int cpu)
{
	for (int i = 0; i < kernel_nprstatus(k); i++)
		if (kernel_prstatus(k)[i].cpu == cpu && kernel_prstatus(k)[i].regs.sp)
			return &kernel_prstatus(k)[i];
	return NULL;
}

static int read_cpu_var(struct kernel *k, const char *sym, int32_t *ret)
{
	uint64_t a;
	uint32_t v;
	struct sf_err e;

	if (kernel_symbol(k, sym, &a, SF_NOERR) != 0 || kmem_read_u32(kernel_kmem(k), a, &v, sym, &e) != 0)
		return -1;
	*ret = (int32_t)v;
	return 0;
}

static bool frames_have(const struct cpu_context *cc, const char *fn)
{
	size_t n = strlen(fn);

	for (int i = 0; i < cc->nframes; i++)
		if (!strncmp(cc->frames[i].symbol, fn, n) && cc->frames[i].symbol[n] == '+')
			return true;
	return false;
}

static void cpu_init(struct kernel *k, struct cpu_context *cc, int cpu)
{
	const struct cpu_prstatus *p = prstatus_of_cpu(k, cpu);

	memset(cc, 0, sizeof(*cc));
	cc->cpu = cpu;
	cc->pid = -1;
	cc->sp_stack = STACK_UNKNOWN;
	cc->unwinder = "none";
	if (p) {
		cc->have_prstatus = true;
		cc->regs = p->regs;
	}
}

/*
 * The last "CPU: N PID: P Comm: ..." line of the kernel log (dump_stack_print_info(),
 * printed by panic()'s dump_stack() and by every oops report's show_regs();
 * 6.13+ adds " UID: U" after the CPU) parsed at p; false if p is not one.
 */
static bool log_cpu_line(const char *p, int *cpu, int *pid)
{
	char *e;
	long c, d;

	if (strncmp(p, "CPU: ", 5))
		return false;
	c = strtol(p + 5, &e, 10);
	if (e == p + 5 || c < 0 || c >= KERNEL_MAX_CPUS)
		return false;
	if (!strncmp(e, " UID: ", 6)) {
		char *u = e + 6;

		(void)strtol(u, &e, 10);
		if (e == u)
			return false;
	}
	if (strncmp(e, " PID: ", 6))
		return false;
	d = strtol(e + 6, &e, 10);
	if (d < 0 || strncmp(e, " Comm: ", 7))
		return false;
	*cpu = (int)c;
	*pid = (int)d;
	return true;
}

bool panic_log_last_cpu(const char *log, int *cpu, int *pid)
{
	bool found = false;
	int c, d;

	for (const char *p = strstr(log, "CPU: "); p; p = strstr(p + 5, "CPU: "))
		if (log_cpu_line(p, &c, &d)) {
			*cpu = c;
			*pid = d;
			found = true;
		}
	return found;
}

/*
 * The panic CPU from the kernel log, for a crash without panic(): an oops
 * goes die() -> crash_kexec(regs) (panic_on_oops, or in interrupt), which
 * sets panic_cpu -- a data symbol Debian's arm64 kallsyms lacks -- and no
 * panic() frame is on any stack.  The oops report's last "CPU: N PID: P"
 * line names the CPU; it is taken only when that CPU's NT_PRSTATUS pr_pid is
 * P (the note the crashing CPU saved).
 */
static int panic_cpu_from_log(struct kernel *k, int *pid_ret)
{
	struct strbuf log;
	struct sf_err e = { 0 };
	int cpu = -1, pid = -1, found = -1;

	strbuf_init(&log);
	if (printk_dump(k, &log, &e) == 0 && log.buf && panic_log_last_cpu(log.buf, &cpu, &pid))
		found = cpu;
	strbuf_release(&log);
	if (found < 0)
		return -1;
	for (int i = 0; i < kernel_nprstatus(k); i++)
		if (kernel_prstatus(k)[i].cpu == found && kernel_prstatus(k)[i].regs.pid == pid) {
			*pid_ret = pid;
			return found;
		}
	return -1;
}

int panic_analyze(struct kernel *k, bool all_cpus, struct panic_context **ret, struct sf_err *err)
{
	struct panic_context *pc;
	struct warnlist *w = kernel_warnings(k);
	int32_t v;
	int ncpus_max, rc = 0;

	*ret = NULL;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return sf_err_set(err, SF_ENOMEM, "panic context");
	pc->panic_cpu = -1;
	/* panic_cpu: atomic_t, PANIC_CPU_INVALID (-1) until panic() claims it (4.5+) */
	if (read_cpu_var(k, "panic_cpu", &v) == 0 && v >= 0 && v < KERNEL_MAX_CPUS) {
		pc->panic_cpu = v;
		pc->panic_cpu_source = "panic_cpu";
	} else if (read_cpu_var(k, "crashing_cpu", &v) == 0 && v >= 0 && v < KERNEL_MAX_CPUS) {
		/* x86: set by native_machine_crash_shutdown() and kdump_nmi_shootdown_cpus() */
		pc->panic_cpu = v;
		pc->panic_cpu_source = "crashing_cpu";
	} else if (kernel_nprstatus(k) == 1) {
		pc->panic_cpu = kernel_prstatus(k)[0].cpu;
		pc->panic_cpu_source = "prstatus";
	}

	/* the CPUs to analyse: every one with registers, plus the panic CPU */
	ncpus_max = kernel_nprstatus(k) + 1;
	pc->cpus = calloc((size_t)ncpus_max, sizeof(*pc->cpus));
	if (!pc->cpus) {
		rc = sf_err_set(err, SF_ENOMEM, "CPU contexts");
		goto fail;
	}
	if (pc->panic_cpu < 0 || all_cpus) {
		/* all of them; the panic one is then picked by stack evidence if still unknown */
		for (int i = 0; i < kernel_nprstatus(k); i++) {
			bool dup = false;

			for (int j = 0; j < pc->ncpus; j++)
				dup |= pc->cpus[j].cpu == kernel_prstatus(k)[i].cpu;
			if (dup)
				continue;
			cpu_init(k, &pc->cpus[pc->ncpus], kernel_prstatus(k)[i].cpu);
			cpu_analyze(k, &pc->cpus[pc->ncpus], w);
			pc->ncpus++;
		}
	}
	if (pc->panic_cpu < 0) {
		for (int i = 0; i < pc->ncpus; i++) {
			if (frames_have(&pc->cpus[i], "panic")) {
				pc->panic_cpu = pc->cpus[i].cpu;
				pc->panic_cpu_source = "stack evidence";
				break;
			}
		}
	}
	if (pc->panic_cpu < 0) {
		int pid = -1, c = panic_cpu_from_log(k, &pid);

		if (c >= 0) {
			pc->panic_cpu = c;
			pc->panic_cpu_source = "kernel log (the last \"CPU: N PID: P\" line; the CPU's note has that pid)";
		}
	}
	if (pc->panic_cpu >= 0) {
		for (int i = 0; i < pc->ncpus; i++)
			if (pc->cpus[i].cpu == pc->panic_cpu)
				pc->panic = &pc->cpus[i];
		if (!pc->panic) {
			cpu_init(k, &pc->cpus[pc->ncpus], pc->panic_cpu);
			cpu_analyze(k, &pc->cpus[pc->ncpus], w);
			pc->panic = &pc->cpus[pc->ncpus++];
		}
		if (!pc->panic->have_prstatus)
			warn_add(w, "panic CPU %d has no NT_PRSTATUS note: no registers, no backtrace", pc->panic_cpu);
	} else {
		warn_add(w, "panic CPU not determined (no panic_cpu, crashing_cpu, single note, panic() on a stack or "
			 "\"CPU: N PID: P\" line in the kernel log that a note confirms)");
	}
	/* cpu order in the array: ascending, so --all-cpus output reads naturally */
	for (int i = 1; i < pc->ncpus; i++) {
		for (int j = i; j > 0 && pc->cpus[j - 1].cpu > pc->cpus[j].cpu; j--) {
			struct cpu_context t = pc->cpus[j];

			pc->cpus[j] = pc->cpus[j - 1];
			pc->cpus[j - 1] = t;
		}
	}
	pc->panic = NULL;
	for (int i = 0; i < pc->ncpus; i++)
		if (pc->cpus[i].cpu == pc->panic_cpu)
			pc->panic = &pc->cpus[i];
	*ret = pc;
	return 0;
fail:
	panic_context_destroy(pc);
	return rc;
}

void panic_context_destroy(struct panic_context *pc)
{
	if (!pc)
		return;
	for (int i = 0; i < pc->ncpus; i++)
		free(pc->cpus[i].frames);
	free(pc->cpus);
	free(pc);
}

/* ---------- output ---------- */

static void cpu_fields_to_json(const struct cpu_context *cc, struct json *j)
{
	json_i64(j, "cpu", cc->cpu);
	json_i64(j, "pid", cc->pid);
	json_str(j, "comm", cc->comm);
	if (cc->task)
		json_hex(j, "task", cc->task);
	else
		json_null(j, "task");
	json_str(j, "task_source", cc->task_source);
	json_str(j, "stack", stack_kind_name(cc->sp_stack));
	if (cc->have_prstatus) {
		json_hex(j, "ip", cc->regs.ip);
		json_hex(j, "sp", cc->regs.sp);
	} else {
		json_null(j, "ip");
		json_null(j, "sp");
	}
	json_str(j, "unwinder", cc->unwinder);
	json_arr_begin(j, "stacks");
	for (int i = 0; i < cc->nstacks; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "kind", stack_kind_name(cc->stacks[i].kind));
		json_hex(j, "base", cc->stacks[i].base);
		json_hex(j, "top", cc->stacks[i].top);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "frames");
	for (int i = 0; i < cc->nframes; i++) {
		const struct frame *f = &cc->frames[i];

		json_obj_begin(j, NULL);
		json_hex(j, "slot", f->slot);
		json_hex(j, "addr", f->addr);
		json_hex(j, "sp", f->sp);
		json_str(j, "symbol", f->symbol);
		json_bool(j, "reliable", f->reliable);
		json_str(j, "stack", stack_kind_name(f->stack));
		json_obj_end(j);
	}
	json_arr_end(j);
}

void cpu_context_to_json(const struct cpu_context *cc, struct json *j, const char *key)
{
	json_obj_begin(j, key);
	cpu_fields_to_json(cc, j);
	json_obj_end(j);
}

void panic_to_json(const struct panic_context *pc, struct json *j)
{
	json_obj_begin(j, "panic");
	if (pc->panic) {
		cpu_fields_to_json(pc->panic, j);
	} else {
		json_i64(j, "cpu", pc->panic_cpu);
		json_null(j, "pid");
		json_null(j, "comm");
		json_null(j, "task");
		json_str(j, "stack", stack_kind_name(STACK_UNKNOWN));
		json_arr_begin(j, "frames");
		json_arr_end(j);
	}
	json_str(j, "cpu_source", pc->panic_cpu_source);
	json_obj_end(j);
}

static void cpu_to_text(const struct cpu_context *cc, struct strbuf *out)
{
	strbuf_addf(out, "CPU %d", cc->cpu);
	if (cc->task)
		strbuf_addf(out, ": pid %d, comm \"%s\", task %016" PRIx64 " (from %s)\n", cc->pid, cc->comm, cc->task,
			    cc->task_source);
	else
		strbuf_addf(out, ": pid %d, task unknown\n", cc->pid);
	if (!cc->have_prstatus) {
		strbuf_puts(out, "  no registers (no NT_PRSTATUS note for this CPU)\n");
		return;
	}
	strbuf_addf(out, "  ip %016" PRIx64 "  sp %016" PRIx64 " on the %s stack\n", cc->regs.ip, cc->regs.sp,
		    stack_kind_name(cc->sp_stack));
	for (int i = 0; i < cc->nstacks; i++)
		strbuf_addf(out, "  %s stack %016" PRIx64 "-%016" PRIx64 "\n", stack_kind_name(cc->stacks[i].kind),
			    cc->stacks[i].base, cc->stacks[i].top);
	strbuf_addf(out, "  backtrace (%s; \"?\" marks frames found by scanning, not unwinding):\n", cc->unwinder);
	for (int i = 0; i < cc->nframes; i++) {
		const struct frame *f = &cc->frames[i];
		char slot[24] = "";

		/* a stack change is shown where it happens, like the kernel's <IRQ>/<TASK> markers */
		if (i == 0 || f->stack != cc->frames[i - 1].stack)
			strbuf_addf(out, "  <%s>\n", stack_kind_name(f->stack));
		if (f->slot)
			snprintf(slot, sizeof(slot), "[%016" PRIx64 "]", f->slot);
		strbuf_addf(out, "  #%-3d %-18s %016" PRIx64 " %s%s\n", i, slot, f->addr, f->reliable ? "" : "? ",
			    f->symbol[0] ? f->symbol : "(unknown)");
	}
}

void panic_to_text(const struct panic_context *pc, bool all_cpus, struct strbuf *out)
{
	if (pc->panic_cpu >= 0)
		strbuf_addf(out, "panic CPU: %d (from %s)\n", pc->panic_cpu, pc->panic_cpu_source);
	else
		strbuf_puts(out, "panic CPU: unknown\n");
	if (pc->panic)
		cpu_to_text(pc->panic, out);
	if (!all_cpus)
		return;
	for (int i = 0; i < pc->ncpus; i++) {
		if (&pc->cpus[i] == pc->panic)
			continue;
		strbuf_puts(out, "\n");
		cpu_to_text(&pc->cpus[i], out);
	}
}
