/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Panic context: the panic CPU and task, the stacks in use at the crash and
 * a backtrace of each (src/panic/panic.c, src/panic/unwind.c).
 */
#ifndef SKBFILTER_PANIC_H
#define SKBFILTER_PANIC_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/arch.h"
#include "skbfilter/err.h"

struct kernel;
struct kmem;

enum stack_kind {
	STACK_TASK = 0,
	STACK_IRQ,		/* hardirq stack (x86_64 hardirq_stack_ptr; arm64 irq_stack_ptr) */
	STACK_SOFTIRQ,		/* separate softirq stack where the arch has one */
	STACK_EXCEPTION,	/* x86_64 IST / arm64 overflow & SDEI stacks */
	STACK_UNKNOWN,
};
const char *stack_kind_name(enum stack_kind k);

struct stack_region {
	enum stack_kind kind;
	uint64_t base;		/* lowest address */
	uint64_t top;		/* one past the highest address */
};

struct frame {
	uint64_t slot;		/* stack address holding the return address (0 for the prstatus ip) */
	uint64_t addr;		/* the return / instruction address */
	char symbol[160];	/* "fn+0xoff" or "fn+0xoff [module]"; "" if unresolved */
	bool reliable;		/* from ORC / frame records, not a scan guess */
	enum stack_kind stack;
	uint64_t sp;		/* stack pointer at this frame (0 if unknown) */
};

#define PANIC_MAX_FRAMES 256
#define PANIC_MAX_STACKS 4

struct cpu_context {
	int cpu;
	bool have_prstatus;
	struct prstatus regs;
	int32_t pid;
	char comm[17];
	uint64_t task;			/* task_struct address, 0 if unknown */
	const char *task_source;	/* "current_task", "__entry_task", "pid search", "stack search" */
	enum stack_kind sp_stack;	/* which stack the saved SP is on */
	struct stack_region stacks[PANIC_MAX_STACKS];
	int nstacks;
	struct frame *frames;		/* owned */
	int nframes;
	const char *unwinder;		/* "orc", "frame-pointer", "scan" */
};

struct panic_context {
	int panic_cpu;			/* -1 if unknown */
	const char *panic_cpu_source;	/* "panic_cpu", "crashing_cpu", "prstatus", "stack evidence" */
	struct cpu_context *cpus;	/* owned; ncpus entries, index = cpu number order of analysis */
	int ncpus;
	struct cpu_context *panic;	/* the panic CPU's entry in cpus[], or NULL */
};

/* Analyses the panic CPU (and every CPU with all_cpus). */
int panic_analyze(struct kernel *k, bool all_cpus, struct panic_context **ret, struct sf_err *err);
void panic_context_destroy(struct panic_context *pc);

/*
 * Output.  panic_to_json() writes the member "panic": {cpu, cpu_source, pid,
 * comm, task, stack, ip, sp, unwinder, stacks[], frames[{slot, addr, symbol,
 * reliable, stack}]} into an open object; the main job's report carries the
 * same object.  Addresses are 16-digit hex strings without 0x.
 */
struct json;
struct strbuf;
void panic_to_json(const struct panic_context *pc, struct json *j);
/* One CPU as an object (key NULL inside an array); the fields of "panic" without cpu_source. */
void cpu_context_to_json(const struct cpu_context *cc, struct json *j, const char *key);
/* Human-readable: panic CPU and how it was found, task, stacks, frames; every CPU with all_cpus. */
void panic_to_text(const struct panic_context *pc, bool all_cpus, struct strbuf *out);

/*
 * The last "CPU: N PID: P Comm: " line (dump_stack_print_info(); 6.13+: "CPU: N UID: U PID: P")
 * of a kernel log text: false if none.  panic_analyze() takes it for a crash without panic().
 */
bool panic_log_last_cpu(const char *log, int *cpu, int *pid);

/* printk ring buffer as text lines ("[    1.234567] message\n"), like makedumpfile --dump-dmesg. */
int printk_dump(struct kernel *k, struct strbuf *out, struct sf_err *err);
/*
 * printk_dump() through km (kernel_kmem(k), or its unrecorded view for
 * walks that are not evidence) that also calls record (may be NULL) for
 * every record read, with its text's address.
 */
int printk_records(struct kernel *k, struct kmem *km, struct strbuf *out,
		   void (*record)(void *arg, uint64_t ts_nsec, uint64_t text_addr, const uint8_t *text, size_t len),
		   void *arg, struct sf_err *err);

#endif
