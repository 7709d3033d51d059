// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mini.core page plan (src/minicore/pageplan.c) on synthetic read
 * records: which pfn is written, left out as rebuildable, replaced by the
 * kernel note, or kept partially, and the fates the manifest gets.
 */
#include "harness.h"
#include "minicore/pageplan.h"

#define R(x) (1u << (x))
#define ALL ~0ull

static const struct page_plan_opts evidence = {
	.page_size = 4096,
	.have_note = true,
	.by_note = R(READ_BTF) | R(READ_SYMBOLS) | R(READ_DISCOVERY),
	.ks_lo = 0x200, .ks_hi = 0x201,
};

TEST(pageplan_note_replaces_btf_symbols_and_discovery)
{
	struct recorded_page rec[] = {
		{ 0x100, R(READ_BTF), ALL, 0 },
		{ 0x200, R(READ_SYMBOLS), ALL, 0 },
		{ 0x300, R(READ_SKB), ALL, ALL },
		{ 0x400, R(READ_DISCOVERY), 0x3, 0 },
	};
	struct page_plan pp;
	struct sf_err err = { 0 };

	ASSERT_OK(page_plan_build(&evidence, rec, 4, &pp, &err), &err);
	ASSERT_EQ(pp.nkeep, 1);
	ASSERT_U64(pp.pfns[0], 0x300);
	ASSERT_EQ(pp.omit[0], PP_OMIT_IN_NOTE);
	ASSERT_EQ(pp.omit[1], PP_OMIT_IN_NOTE);
	ASSERT_EQ(pp.omit[2], PP_KEEP);
	ASSERT_EQ(pp.omit[3], PP_OMIT_IN_NOTE);
	ASSERT_EQ(pp.nnote, 3);
	ASSERT_EQ(pp.nomit, 0);
	/* rebuildable: the BTF page, and a kallsyms-span page read only for symbols */
	ASSERT_TRUE(pp.rebuild[0] && pp.rebuild[1] && !pp.rebuild[2] && !pp.rebuild[3]);
	ASSERT_EQ(pp.npartial, 0);
	page_plan_release(&pp);
}

TEST(pageplan_keep_crash_keeps_every_page_whole)
{
	struct page_plan_opts o = evidence;
	struct recorded_page rec[] = {
		{ 0x100, R(READ_BTF), ALL, 0 },
		{ 0x150, R(READ_TASK), 0x1, 0x1 },
		{ 0x300, R(READ_SKB), ALL, ALL },
	};
	struct page_plan pp;
	struct sf_err err = { 0 };

	o.keep_crash = true;
	ASSERT_OK(page_plan_build(&o, rec, 3, &pp, &err), &err);
	ASSERT_EQ(pp.nkeep, 3);
	ASSERT_EQ(pp.npartial, 0);
	ASSERT_EQ(pp.nnote + pp.nomit, 0);
	page_plan_release(&pp);
}

TEST(pageplan_omit_rebuildable_without_note)
{
	struct page_plan_opts o = evidence;
	struct recorded_page rec[] = {
		{ 0x100, R(READ_BTF), ALL, 0 },
		{ 0x201, R(READ_SYMBOLS) | R(READ_BTF), ALL, 0 },
		{ 0x202, R(READ_SYMBOLS), ALL, 0 },	/* outside the kallsyms span: kept */
	};
	struct page_plan pp;
	struct sf_err err = { 0 };

	o.have_note = false;
	o.omit_rebuildable = true;
	ASSERT_OK(page_plan_build(&o, rec, 3, &pp, &err), &err);
	ASSERT_EQ(pp.omit[0], PP_OMIT_REBUILDABLE);
	ASSERT_EQ(pp.omit[1], PP_OMIT_REBUILDABLE);
	ASSERT_EQ(pp.omit[2], PP_KEEP);
	ASSERT_EQ(pp.nomit, 2);
	ASSERT_EQ(pp.nkeep, 1);
	ASSERT_U64(pp.pfns[0], 0x202);
	page_plan_release(&pp);
}

TEST(pageplan_partial_pages_keep_the_chunks_read)
{
	struct recorded_page rec[] = {
		/* a task_struct page of which 3 64ths were read: partial */
		{ 0x150, R(READ_TASK), 0x7, 0x7 },
		/* read whole: not partial */
		{ 0x151, R(READ_TASK), ALL, ALL },
		/* a stack page: other tools read it whole */
		{ 0x152, R(READ_STACK), 0x1, 0x1 },
		/* symbols (note) and a task: only the task's chunk stays */
		{ 0x153, R(READ_SYMBOLS) | R(READ_TASK), 0xff, 0x10 },
	};
	struct page_plan pp;
	uint8_t kfate[4] = { 1, 2, 3, 4 }, fate[4];
	struct sf_err err = { 0 };

	ASSERT_OK(page_plan_build(&evidence, rec, 4, &pp, &err), &err);
	ASSERT_EQ(pp.nkeep, 4);
	ASSERT_EQ(pp.npartial, 2);
	ASSERT_TRUE(pp.partial[0] && !pp.partial[1] && !pp.partial[2] && pp.partial[3]);
	ASSERT_U64(pp.part[0].pfn, 0x150);
	ASSERT_U64(pp.part[0].chunks, 0x7);
	ASSERT_U64(pp.part[1].chunks, 0x10);
	ASSERT_EQ(pp.part[1].rec, 3);
	ASSERT_U64(pp.partial_bytes, 4 * 64);
	page_plan_fates(&pp, kfate, fate);
	ASSERT_TRUE(fate[0] == 1 && fate[1] == 2 && fate[2] == 3 && fate[3] == 4);
	page_plan_release(&pp);
}

TEST(pageplan_fates_interleave_writer_and_left_out)
{
	struct recorded_page rec[] = {
		{ 0x100, R(READ_BTF), ALL, 0 },
		{ 0x300, R(READ_SKB), ALL, ALL },
		{ 0x400, R(READ_DISCOVERY), ALL, 0 },
		{ 0x500, R(READ_PRINTK), ALL, ALL },
	};
	struct page_plan pp;
	uint8_t kfate[2] = { 7, 8 }, fate[4];
	struct sf_err err = { 0 };

	ASSERT_OK(page_plan_build(&evidence, rec, 4, &pp, &err), &err);
	page_plan_fates(&pp, kfate, fate);
	ASSERT_EQ(fate[0], MC_IN_NOTE);
	ASSERT_EQ(fate[1], 7);
	ASSERT_EQ(fate[2], MC_IN_NOTE);
	ASSERT_EQ(fate[3], 8);
	page_plan_release(&pp);
}

TEST(pageplan_empty_record)
{
	struct page_plan pp;
	struct sf_err err = { 0 };

	ASSERT_OK(page_plan_build(&evidence, NULL, 0, &pp, &err), &err);
	ASSERT_EQ(pp.nkeep, 0);
	ASSERT_EQ(pp.npartial, 0);
	page_plan_release(&pp);
}

TEST_MAIN()
