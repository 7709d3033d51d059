// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ORC step (src/kernel/unwind.c) over synthetic stacks: each test lays
 * out a few stack words and ORC entries the way objtool and the kernel's
 * entry code would, and checks the caller's ip/sp/bp and the slot read.
 */
#include "harness.h"
#include "kernel/unwind.h"

#define MEM_BASE 0x10000ull
#define MEM_WORDS 4096

struct fake {
	uint64_t mem[MEM_WORDS];		/* MEM_BASE .. MEM_BASE + 8 * MEM_WORDS */
	struct { uint64_t ip; struct orc_entry_dec e; } tab[16];
	int n;
};

static int fake_read(void *ctx, uint64_t addr, uint64_t *ret)
{
	struct fake *f = ctx;

	if (addr < MEM_BASE || (addr & 7) || (addr - MEM_BASE) / 8 >= MEM_WORDS)
		return -1;
	*ret = f->mem[(addr - MEM_BASE) / 8];
	return 0;
}

/* The last entry at or below ip, as the kernel's sorted-table search. */
static bool fake_find(void *ctx, uint64_t ip, struct orc_entry_dec *ret)
{
	struct fake *f = ctx;
	int best = -1;

	for (int i = 0; i < f->n; i++)
		if (f->tab[i].ip <= ip && (best < 0 || f->tab[i].ip > f->tab[best].ip))
			best = i;
	if (best < 0)
		return false;
	*ret = f->tab[best].e;
	return true;
}

static void put(struct fake *f, uint64_t addr, uint64_t v) { f->mem[(addr - MEM_BASE) / 8] = v; }

static void add(struct fake *f, uint64_t ip, unsigned sp_reg, int sp_off, unsigned bp_reg, int bp_off, enum orc_type t)
{
	f->tab[f->n].ip = ip;
	f->tab[f->n].e = (struct orc_entry_dec){ (int16_t)sp_off, (int16_t)bp_off, sp_reg, bp_reg, t, false };
	f->n++;
}

/* x86_64 struct pt_regs offsets (the unwinder gets them from BTF; fixed here for the test) */
static const struct orc_regs_layout pr = { .ip = 128, .sp = 152, .bp = 32, .r10 = 56, .r13 = 16, .di = 112, .dx = 96 };
static const struct orc_ops ops = { fake_read, fake_find };

static struct fake *fake_new(void)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	return f;
}

TEST(call_frame_sp_based)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1105, .sp = MEM_BASE + 0x100, .bp = 0x77, .signal = false };
	uint64_t slot;
	bool fb;
	const char *why;

	/* function at 0x1100 with a 0x18-byte frame: CFA = sp + 0x20, return address at CFA - 8 */
	add(f, 0x1100, ORC_REG_SP, 0x20, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	put(f, MEM_BASE + 0x118, 0x2222);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.ip, 0x2222);
	ASSERT_U64(st.sp, MEM_BASE + 0x120);
	ASSERT_U64(slot, MEM_BASE + 0x118);
	ASSERT_U64(st.bp, 0x77);		/* bp untouched */
	ASSERT_TRUE(!fb && !st.signal);
	free(f);
}

TEST(return_address_looks_up_ip_minus_one)
{
	struct fake *f = fake_new();
	/* the call is the last instruction of a function; its return address is the next function's start */
	struct orc_state st = { .ip = 0x1200, .sp = MEM_BASE + 0x100, .signal = false };
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_SP, 0x10, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	add(f, 0x1200, ORC_REG_SP, 0x40, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	put(f, MEM_BASE + 0x108, 0x3333);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.sp, MEM_BASE + 0x110);	/* the 0x1100 entry was used */
	ASSERT_U64(st.ip, 0x3333);
	free(f);
}

TEST(frame_pointer_function)
{
	struct fake *f = fake_new();
	/* push %rbp; mov %rsp,%rbp: CFA = bp + 16, caller's bp saved at CFA - 16 */
	struct orc_state st = { .ip = 0x1110, .sp = MEM_BASE + 0x80, .bp = MEM_BASE + 0x200, .signal = true };
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_BP, 16, ORC_REG_PREV_SP, -16, ORC_T_CALL);
	put(f, MEM_BASE + 0x200, MEM_BASE + 0x300);	/* saved rbp */
	put(f, MEM_BASE + 0x208, 0x4444);		/* return address */
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.ip, 0x4444);
	ASSERT_U64(st.sp, MEM_BASE + 0x210);
	ASSERT_U64(st.bp, MEM_BASE + 0x300);
	ASSERT_U64(slot, MEM_BASE + 0x208);
	free(f);
}

TEST(irq_stack_switch_sp_indirect)
{
	struct fake *f = fake_new();
	/*
	 * call_on_stack(): movq %rsp,(%tos); movq %tos,%rsp; call func.  At the
	 * return address the CFA is [sp] + 8 (objtool's stack swizzle).
	 */
	struct orc_state st = { .ip = 0x1120, .sp = MEM_BASE + 0xff8, .signal = false };
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_SP_INDIRECT, 8, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	put(f, MEM_BASE + 0xff8, MEM_BASE + 0x400);	/* previous (task) stack pointer */
	put(f, MEM_BASE + 0x400, 0x5555);		/* return address on the task stack */
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.sp, MEM_BASE + 0x408);
	ASSERT_U64(st.ip, 0x5555);
	ASSERT_U64(slot, MEM_BASE + 0x400);
	free(f);
}

TEST(regs_frame_reads_pt_regs)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1130, .sp = MEM_BASE + 0x100, .signal = false };
	uint64_t slot, regs = MEM_BASE + 0x100;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_SP, 0, ORC_REG_UNDEFINED, 0, ORC_T_REGS);
	put(f, regs + pr.ip, 0x6666);
	put(f, regs + pr.sp, MEM_BASE + 0x800);
	put(f, regs + pr.bp, MEM_BASE + 0x900);
	put(f, regs + pr.r10, 0xabc);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.ip, 0x6666);
	ASSERT_U64(st.sp, MEM_BASE + 0x800);
	ASSERT_U64(st.bp, MEM_BASE + 0x900);	/* bp_reg UNDEFINED after REGS: the saved rbp */
	ASSERT_TRUE(st.signal);
	ASSERT_TRUE(st.have[ORC_R_R10] && st.reg[ORC_R_R10] == 0xabc);
	ASSERT_U64(slot, regs + pr.ip);
	free(f);
}

TEST(partial_regs_frame)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1140, .sp = MEM_BASE + 0x100, .bp = 0x99, .signal = false };
	uint64_t slot, iret = MEM_BASE + 0x100;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_SP, 0, ORC_REG_UNDEFINED, 0, ORC_T_REGS_PARTIAL);
	put(f, iret, 0x7777);				/* ip */
	put(f, iret + (pr.sp - pr.ip), MEM_BASE + 0xa00);	/* sp, 3 words up */
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.ip, 0x7777);
	ASSERT_U64(st.sp, MEM_BASE + 0xa00);
	ASSERT_U64(st.bp, 0x99);
	ASSERT_TRUE(!st.have[ORC_R_R10]);
	free(f);
}

TEST(end_of_stack_and_undefined)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1150, .sp = MEM_BASE + 0x100, .signal = true };
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_UNDEFINED, 0, ORC_REG_UNDEFINED, 0, ORC_T_END);
	add(f, 0x1200, ORC_REG_UNDEFINED, 0, ORC_REG_UNDEFINED, 0, ORC_T_UNDEFINED);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_END);
	st.ip = 0x1250;
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_ERROR);
	ASSERT_TRUE(why != NULL);
	free(f);
}

TEST(no_entry_falls_back_to_frame_pointer)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x50, .sp = MEM_BASE + 0x80, .bp = MEM_BASE + 0x100, .signal = true };
	uint64_t slot;
	bool fb;
	const char *why;

	put(f, MEM_BASE + 0x100, MEM_BASE + 0x180);
	put(f, MEM_BASE + 0x108, 0x8888);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_TRUE(fb);
	ASSERT_U64(st.ip, 0x8888);
	ASSERT_U64(st.bp, MEM_BASE + 0x180);
	free(f);
}

TEST(unknown_base_register_is_an_error)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1160, .sp = MEM_BASE + 0x100, .signal = false };
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_DI, 8, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_ERROR);
	st.have[ORC_R_DI] = true;
	st.reg[ORC_R_DI] = MEM_BASE + 0x300;
	put(f, MEM_BASE + 0x2f8, 0x9999);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_U64(st.ip, 0x9999);
	ASSERT_U64(st.sp, MEM_BASE + 0x300);
	free(f);
}

TEST(unreadable_stack_is_an_error)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1170, .sp = 0x100, .signal = false };	/* below the fake memory */
	uint64_t slot;
	bool fb;
	const char *why;

	add(f, 0x1100, ORC_REG_SP, 16, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_ERROR);
	free(f);
}

TEST_MAIN()
