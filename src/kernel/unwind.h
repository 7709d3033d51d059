/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stack unwinding internals (src/kernel/unwind.c): the x86_64 ORC step, kept
 * free of kmem so unit tests can drive it over synthetic stacks, and the
 * entry point panic.c calls for one CPU.
 */
#ifndef SKBFILTER_UNWIND_H
#define SKBFILTER_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/panic.h"
#include "skbfilter/warn.h"

struct kernel;

/* ORC_REG_* (arch/x86/include/asm/orc_types.h, stable since 4.14) */
enum {
	ORC_REG_UNDEFINED = 0, ORC_REG_PREV_SP = 1, ORC_REG_DX = 2, ORC_REG_DI = 3, ORC_REG_BP = 4,
	ORC_REG_SP = 5, ORC_REG_R10 = 6, ORC_REG_R13 = 7, ORC_REG_BP_INDIRECT = 8, ORC_REG_SP_INDIRECT = 9,
};

/* Frame types, normalized across the two numberings (see unwind.c). */
enum orc_type { ORC_T_UNDEFINED, ORC_T_END, ORC_T_CALL, ORC_T_REGS, ORC_T_REGS_PARTIAL };

struct orc_entry_dec {
	int16_t sp_offset, bp_offset;
	unsigned sp_reg, bp_reg;
	enum orc_type type;
};

/* Offsets in struct pt_regs (from BTF), for REGS frames and register bases. */
struct orc_regs_layout {
	uint32_t ip, sp, bp, r10, r13, di, dx;
};

enum { ORC_R_BP, ORC_R_R10, ORC_R_R13, ORC_R_DI, ORC_R_DX, ORC_R_N };

struct orc_state {
	uint64_t ip, sp, bp;
	bool signal;			/* ip is exact (interrupted), not a return address */
	bool have[ORC_R_N];		/* registers whose value is known in this frame */
	uint64_t reg[ORC_R_N];
	uint64_t regs_addr;		/* pt_regs on the stack of the last REGS frame, 0 if none */
	bool full_regs;
};

struct orc_ops {
	int (*read_u64)(void *ctx, uint64_t addr, uint64_t *ret);
	/* The entry covering ip; returns false if none. */
	bool (*find)(void *ctx, uint64_t ip, struct orc_entry_dec *ret);
};

enum orc_step_result { ORC_STEP_ERROR = -1, ORC_STEP_END = 0, ORC_STEP_OK = 1 };

/*
 * One step, as arch/x86/kernel/unwind_orc.c unwind_next_frame() (6.1) does:
 * from the frame at st->ip/sp to its caller.  *slot gets the stack address
 * the new ip was read from; *fallback is set when no ORC entry covered the
 * ip and the frame-pointer rule was used instead (not reliable).
 */
enum orc_step_result orc_step(const struct orc_ops *ops, void *ctx, const struct orc_regs_layout *pr,
			      struct orc_state *st, uint64_t *slot, bool *fallback, const char **why);

/* Unwinds cc->regs over cc->stacks into cc->frames (panic.c sets regs and stacks). */
int unwind_cpu(struct kernel *k, struct cpu_context *cc, struct warnlist *w, struct sf_err *err);

/* "fn+0xoff" / "fn+0xoff [mod]", or "" if unresolved. */
void unwind_symbolize(struct kernel *k, uint64_t addr, char *buf, size_t len);
/* True if addr is in kernel or module text. */
bool unwind_is_text(struct kernel *k, uint64_t addr);

#endif
