// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ORC step (src/panic/unwind.c) over synthetic stacks: each test lays
 * out a few stack words and ORC entries the way objtool and the kernel's
 * entry code would, and checks the caller's ip/sp/bp and the slot read.
 */
#include <string.h>

#include "harness.h"
#include "panic/unwind.h"

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

/* ---------- struct orc_entry layouts (BTF) and register numbering (probe) ---------- */

enum orc_gen { GEN_510, GEN_63, GEN_64 };	/* 4.14-6.2, 6.3, 6.4+ (7.x) */

static struct kfield bits(uint32_t off, uint32_t size)
{
	return (struct kfield){ .offset = 4, .size = 4, .bit_offset = off, .bit_size = size };
}

/* The layout BTF gives for each generation (see unwind.h). */
static void layout(struct orc_layout *l, enum orc_gen g)
{
	memset(l, 0, sizeof(*l));
	l->sp_off = (struct kfield){ .offset = 0, .size = 2, .is_signed = true };
	l->bp_off = (struct kfield){ .offset = 2, .size = 2, .is_signed = true };
	l->sp_reg = bits(32, 4);
	l->bp_reg = bits(36, 4);
	l->type = bits(40, g == GEN_64 ? 3 : 2);
	if (g == GEN_510) {
		l->has_end = true;
		l->end = bits(42, 1);
	} else if (g == GEN_63) {
		l->has_end = l->has_signal = true;
		l->signal = bits(42, 1);
		l->end = bits(43, 1);
	} else {
		l->has_signal = true;
		l->signal = bits(43, 1);
	}
	orc_layout_std_regs(l);
}

static void raw_entry(uint8_t *b, int sp_off, int bp_off, unsigned sp_reg, unsigned bp_reg, unsigned type_bits)
{
	uint16_t flags = (uint16_t)(sp_reg | bp_reg << 4 | type_bits << 8);

	b[0] = (uint8_t)sp_off;
	b[1] = (uint8_t)((uint16_t)sp_off >> 8);
	b[2] = (uint8_t)bp_off;
	b[3] = (uint8_t)((uint16_t)bp_off >> 8);
	b[4] = (uint8_t)flags;
	b[5] = (uint8_t)(flags >> 8);
}

TEST(decode_510_layout_type2_end)
{
	struct orc_layout l;
	struct orc_entry_dec e;
	uint8_t b[6];

	layout(&l, GEN_510);
	raw_entry(b, 8, 0, 5, 0, 0);			/* CALL 0 */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.sp_reg, ORC_REG_SP);
	ASSERT_EQ(e.sp_offset, 8);
	ASSERT_EQ(e.type, ORC_T_CALL);
	ASSERT_TRUE(!e.signal);
	raw_entry(b, 0x30, -40, 4, 1, 0);
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.sp_reg, ORC_REG_BP);
	ASSERT_EQ(e.bp_reg, ORC_REG_PREV_SP);
	ASSERT_EQ(e.bp_offset, -40);
	raw_entry(b, 0, 0, 5, 0, 1);			/* REGS 1: ip exact */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_REGS);
	ASSERT_TRUE(e.signal);
	raw_entry(b, 0, 0, 5, 0, 2);			/* REGS_IRET / REGS_PARTIAL 2 */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_REGS_PARTIAL);
	raw_entry(b, 0, 0, 0, 0, 1 << 2);		/* sp_reg UNDEFINED + end: end of stack */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_END);
	raw_entry(b, 0, 0, 0, 0, 0);			/* sp_reg UNDEFINED, no end: an error */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_UNDEFINED);
}

TEST(decode_63_layout_signal_and_end)
{
	struct orc_layout l;
	struct orc_entry_dec e;
	uint8_t b[6];

	layout(&l, GEN_63);
	raw_entry(b, 8, 0, 5, 0, 0 | 1 << 2);		/* CALL with signal (bit 10) */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_CALL);
	ASSERT_TRUE(e.signal);
	raw_entry(b, 0, 0, 0, 0, 1 << 3);		/* end is bit 11 here */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_END);
	raw_entry(b, 0, 0, 0, 0, 1 << 2);		/* signal alone does not end the stack */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_UNDEFINED);
}

TEST(decode_64_layout_type3_signal)
{
	struct orc_layout l;
	struct orc_entry_dec e;
	uint8_t b[6];
	const enum orc_type want[8] = { ORC_T_UNDEFINED, ORC_T_END, ORC_T_CALL, ORC_T_REGS, ORC_T_REGS_PARTIAL,
					ORC_T_UNDEFINED, ORC_T_UNDEFINED, ORC_T_UNDEFINED };

	layout(&l, GEN_64);
	for (unsigned t = 0; t < 8; t++) {
		raw_entry(b, 8, 0, 5, 0, t);
		ASSERT_TRUE(orc_decode(&l, b, &e));
		ASSERT_EQ(e.type, want[t]);
		ASSERT_TRUE(!e.signal);		/* from the bit only, even for REGS */
	}
	raw_entry(b, 0, 0, 5, 0, 3 | 1 << 3);		/* REGS + signal */
	ASSERT_TRUE(orc_decode(&l, b, &e));
	ASSERT_EQ(e.type, ORC_T_REGS);
	ASSERT_TRUE(e.signal);
}

TEST(signal_call_frame_keeps_exact_ip)
{
	struct fake *f = fake_new();
	struct orc_state st = { .ip = 0x1105, .sp = MEM_BASE + 0x100 };
	uint64_t slot;
	bool fb;
	const char *why;

	/* a 6.3+ CALL entry with signal: the caller's ip is looked up as is, not ip - 1 */
	add(f, 0x1100, ORC_REG_SP, 0x10, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	f->tab[0].e.signal = true;
	add(f, 0x2000, ORC_REG_SP, 0x10, ORC_REG_UNDEFINED, 0, ORC_T_CALL);
	add(f, 0x2001, ORC_REG_UNDEFINED, 0, ORC_REG_UNDEFINED, 0, ORC_T_END);
	put(f, MEM_BASE + 0x108, 0x2001);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_OK);
	ASSERT_TRUE(st.signal);
	ASSERT_EQ(orc_step(&ops, f, &pr, &st, &slot, &fb, &why), ORC_STEP_END);	/* 0x2001's entry */
	free(f);
}

/*
 * A table the way objtool fills it: mostly SP-based CALL frames, a third of
 * them saving bp (bp_reg PREV_SP), some frame-pointer functions, terminators
 * and a few entry-code frames.  reg[] gives the raw codes of SP, PREV_SP, BP.
 */
static size_t fake_table(uint8_t *buf, size_t n, enum orc_gen g, const unsigned reg[3])
{
	unsigned call = g == GEN_64 ? 2 : 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t *b = buf + i * 6;

		switch (i % 10) {
		case 0: case 1: case 2: case 3: case 4:
			raw_entry(b, 8 + 8 * (int)(i % 5), 0, reg[0], 0, call);
			break;
		case 5: case 6: case 7:
			raw_entry(b, 0x30, -0x28, reg[0], reg[1], call);
			break;
		case 8:
			if (i % 20 == 8)
				raw_entry(b, 16, -16, reg[2], reg[1], call);
			else
				raw_entry(b, 0, 0, 0, 0, 0);
			break;
		default:
			raw_entry(b, 8, 0, 9, 0, call);		/* SP_INDIRECT, same code in both */
		}
	}
	return n;
}

TEST(probe_confirms_the_old_numbering)
{
	static const unsigned std[3] = { ORC_REG_SP, ORC_REG_PREV_SP, ORC_REG_BP };
	uint8_t buf[600 * 6];
	struct orc_layout l;
	char why[200];

	for (int g = GEN_510; g <= GEN_64; g++) {
		layout(&l, (enum orc_gen)g);
		ASSERT_EQ(orc_probe_regs(&l, buf, fake_table(buf, 600, (enum orc_gen)g, std), why, sizeof(why)), 0);
		for (unsigned i = 0; i <= ORC_REG_SP_INDIRECT; i++)
			ASSERT_EQ(l.regmap[i], i);
	}
}

TEST(probe_maps_the_72_numbering)
{
	/* the Debian 7.2 dump: SP is 3, PREV_SP 8, BP 4 */
	static const unsigned r72[3] = { 3, 8, 4 };
	uint8_t buf[600 * 6];
	struct orc_layout l;
	struct orc_entry_dec e;
	char why[200];

	layout(&l, GEN_64);
	ASSERT_EQ(orc_probe_regs(&l, buf, fake_table(buf, 600, GEN_64, r72), why, sizeof(why)), 1);
	ASSERT_TRUE(strstr(why, "SP is 3") != NULL);
	ASSERT_EQ(l.regmap[3], ORC_REG_SP);
	ASSERT_EQ(l.regmap[8], ORC_REG_PREV_SP);
	ASSERT_EQ(l.regmap[4], ORC_REG_BP);
	ASSERT_EQ(l.regmap[5], ORC_REG_UNKNOWN);	/* was SP, now unplaced */
	ASSERT_EQ(l.regmap[1], ORC_REG_UNKNOWN);	/* was PREV_SP */
	ASSERT_EQ(l.regmap[0], ORC_REG_UNDEFINED);
	ASSERT_EQ(l.regmap[9], ORC_REG_SP_INDIRECT);
	/* vpanic's entry in that dump: 30 00 d8 ff 83 02 */
	{
		const uint8_t raw[6] = { 0x30, 0x00, 0xd8, 0xff, 0x83, 0x02 };

		ASSERT_TRUE(orc_decode(&l, raw, &e));
		ASSERT_EQ(e.sp_reg, ORC_REG_SP);
		ASSERT_EQ(e.sp_offset, 0x30);
		ASSERT_EQ(e.bp_reg, ORC_REG_PREV_SP);
		ASSERT_EQ(e.bp_offset, -40);
		ASSERT_EQ(e.type, ORC_T_CALL);
	}
}

TEST(probe_needs_enough_entries)
{
	static const unsigned r72[3] = { 3, 8, 4 };
	uint8_t buf[600 * 6];
	struct orc_layout l;

	layout(&l, GEN_64);
	ASSERT_EQ(orc_probe_regs(&l, buf, fake_table(buf, 40, GEN_64, r72), NULL, 0), -1);
	ASSERT_EQ(l.regmap[5], ORC_REG_SP);		/* left standard */
	memset(buf, 0, sizeof(buf));			/* all terminators */
	ASSERT_EQ(orc_probe_regs(&l, buf, 600, NULL, 0), -1);
}

TEST_MAIN()
