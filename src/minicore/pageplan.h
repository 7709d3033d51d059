/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page plan of a mini.core (src/minicore/pageplan.c): from the read
 * record alone, which recorded pfn is written, which is left out and why,
 * and which are kept partially (only the 64ths that were read).  Pure: no
 * dump, no kernel, no I/O, so it is unit-tested on its own
 * (tests/unit/test_pageplan.c).  The writer takes plan.pfns; the manifest
 * takes the fates (page_plan_fates()), the reasons and the partial pages.
 */
#ifndef SKBFILTER_MINICORE_PAGEPLAN_H
#define SKBFILTER_MINICORE_PAGEPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/dump.h"
#include "skbfilter/readrec.h"
#include "skbfilter/err.h"

/* A recorded pfn left out by omit_rebuildable (beside enum dw_page_fate). */
#define MC_OMITTED 100
/* A recorded pfn left out because the kernel note replaces it (BTF, kallsyms). */
#define MC_IN_NOTE 101

/* omit[] values */
enum page_plan_omit { PP_KEEP = 0, PP_OMIT_REBUILDABLE = 1, PP_OMIT_IN_NOTE = 2 };

struct mc_partial {
	uint64_t pfn;
	uint64_t chunks;
	size_t rec;		/* index in the recorded list */
};

struct page_plan_opts {
	uint32_t page_size;
	bool omit_rebuildable;	/* leave out pages kept only for the image's BTF or kallsyms */
	bool keep_crash;	/* --keep=crash: whole pages, nothing replaced by the note */
	bool have_note;		/* a kernel note is written */
	uint32_t by_note;	/* reasons (1u << enum read_reason) whose pages the note replaces */
	uint64_t ks_lo, ks_hi;	/* pfn span of the kallsyms tables (lo > hi: unknown) */
};

struct page_plan {
	size_t n;			/* recorded pfns */
	uint64_t *pfns;			/* the pfns written, ascending, nkeep of them */
	size_t nkeep;
	uint8_t *omit;			/* per recorded pfn: enum page_plan_omit */
	uint8_t *rebuild;		/* per recorded pfn: rebuildable from the BTF or kallsyms files */
	uint8_t *partial;		/* per recorded pfn: kept partially */
	struct mc_partial *part;	/* the partial pages, npartial of them */
	size_t npartial;
	uint64_t partial_bytes;		/* bytes kept of the partial pages */
	size_t nomit, nnote;		/* left out as rebuildable, as replaced by the note */
};

/* Plans rec[0..n) (ascending, from read_recorder_get()); release with page_plan_release(). */
int page_plan_build(const struct page_plan_opts *o, const struct recorded_page *rec, size_t n, struct page_plan *pp,
		    struct sf_err *err);
/* fate[i] of each recorded pfn: the writer's kfate[] for the written ones, in order, else MC_IN_NOTE / MC_OMITTED. */
void page_plan_fates(const struct page_plan *pp, const uint8_t *kfate, uint8_t *fate);
void page_plan_release(struct page_plan *pp);

#endif
