/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stack unwinding internals (src/panic/unwind.c): the x86_64 ORC step, kept
 * free of kmem so unit tests can drive it over synthetic stacks, and the
 * entry point panic.c calls for one CPU.
 */
#ifndef SKBFILTER_UNWIND_H
#define SKBFILTER_UNWIND_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "skbfilter/vmcoreinfo.h"
#include "skbfilter/warn.h"

struct kernel;

/*
 * ORC_REG_* as arch/x86/include/asm/orc_types.h numbered them from 4.14 to
 * 6.x.  The decoded entries (struct orc_entry_dec) always use these values;
 * a kernel whose table numbers them differently is mapped through
 * orc_layout.regmap (see orc_probe_regs()).  ORC_REG_UNKNOWN: a raw code the
 * probe could not place; a step through it fails and the unwinder resyncs.
 */
enum {
	ORC_REG_UNDEFINED = 0, ORC_REG_PREV_SP = 1, ORC_REG_DX = 2, ORC_REG_DI = 3, ORC_REG_BP = 4,
	ORC_REG_SP = 5, ORC_REG_R10 = 6, ORC_REG_R13 = 7, ORC_REG_BP_INDIRECT = 8, ORC_REG_SP_INDIRECT = 9,
	ORC_REG_UNKNOWN = 15,
};

/* Frame types, normalized across the two numberings (see unwind.c). */
enum orc_type { ORC_T_UNDEFINED, ORC_T_END, ORC_T_CALL, ORC_T_REGS, ORC_T_REGS_PARTIAL };

struct orc_entry_dec {
	int16_t sp_offset, bp_offset;
	unsigned sp_reg, bp_reg;
	enum orc_type type;
	bool signal;			/* the next ip is exact (6.3+ "signal" bit, or a REGS type before) */
};

/*
 * How the dumped kernel lays out struct orc_entry, from its BTF:
 *
 *   bits of byte 4..5   0..3     4..7     8..   then
 *   4.14 - 6.2          sp_reg   bp_reg   type:2  end:1             CALL 0 REGS 1 REGS_PARTIAL 2
 *   6.3                 sp_reg   bp_reg   type:2  signal:1 end:1    (ffb1b4a41016)
 *   6.4+                sp_reg   bp_reg   type:3  signal:1          UNDEFINED 0 END_OF_STACK 1 CALL 2
 *                                                                   REGS 3 REGS_PARTIAL 4 (fb799447ae29)
 *
 * Before 6.4 an entry with sp_reg UNDEFINED ends the stack if "end" is set
 * and is an error otherwise.  regmap turns raw sp_reg/bp_reg codes into
 * ORC_REG_* values.
 */
struct orc_layout {
	struct kfield sp_off, bp_off, sp_reg, bp_reg, type, end, signal;
	bool has_end, has_signal, big_endian;
	uint8_t regmap[16];
};

#define ORC_ENTRY_SIZE 6

/* regmap = the 4.14-6.x numbering (identity). */
void orc_layout_std_regs(struct orc_layout *l);
/* Decodes one raw entry; false if a field cannot be extracted. */
bool orc_decode(const struct orc_layout *l, const uint8_t raw[ORC_ENTRY_SIZE], struct orc_entry_dec *ret);
/*
 * Sets l->regmap from n raw entries of the kernel's own table: the sp_reg of
 * most CALL entries is SP, their most common bp_reg other than UNDEFINED is
 * PREV_SP, and the sp_reg of frame-pointer prologue entries (CFA = reg + 16,
 * bp saved at CFA - 16) is BP.  Codes the 4.14-6.x numbering gave a register
 * that now sits elsewhere become ORC_REG_UNKNOWN.  Returns 0 with the standard
 * numbering confirmed, 1 with a different one (why says which), -1 if the
 * sample is too small to tell (regmap standard).
 */
int orc_probe_regs(struct orc_layout *l, const uint8_t *raw, size_t n, char *why, size_t whylen);

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

/*
 * arm64 pointer authentication: the mask of the PAC bits in kernel return
 * addresses, from VMCOREINFO NUMBER(KERNELPACMASK) (arch/arm64/kernel/
 * crash_core.c since 5.8, vmcore_info.c since 6.9: "NUMBER(KERNELPACMASK)=0x%llx",
 * 0 when the CPU has no address authentication); 0 if absent.
 */
uint64_t unwind_arm64_pac_mask(const struct vmcoreinfo *vi);
/* A frame record's saved LR with its PAC replaced by the kernel's top bits (bit 55 set). */
uint64_t unwind_arm64_strip_pac(uint64_t lr, uint64_t mask);

/* Unwinds cc->regs over cc->stacks into cc->frames (panic.c sets regs and stacks). */
int unwind_cpu(struct kernel *k, struct cpu_context *cc, struct warnlist *w, struct sf_err *err);

/* "fn+0xoff" / "fn+0xoff [mod]", or "" if unresolved. */
void unwind_symbolize(struct kernel *k, uint64_t addr, char *buf, size_t len);
/* True if addr is in kernel or module text. */
bool unwind_is_text(struct kernel *k, uint64_t addr);

#endif
