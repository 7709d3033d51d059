// SPDX-License-Identifier: GPL-2.0-or-later
/* The page plan of a mini.core: pure, from the read record (pageplan.h). */
#include <stdlib.h>
#include <string.h>

#include "minicore/pageplan.h"
#include "skbfilter/minicore.h"

/*
 * Reasons whose pages only our own analysis reads: of those, mini.core keeps
 * only the 64ths of the page that were read (recorded_page.chunks) and
 * zeroes the rest.  Re-analysis reads exactly the same bytes.  Pages that
 * other tools read whole (printk for makedumpfile --dump-dmesg and crash's
 * log, page tables, stacks, the skb and its data for crash's rd/struct,
 * everything of --keep=crash) are kept whole.
 */
#define MC_PARTIAL_OK MINICORE_PARTIAL_REASONS

int page_plan_build(const struct page_plan_opts *o, const struct recorded_page *rec, size_t n, struct page_plan *pp,
		    struct sf_err *err)
{
	uint32_t csz = o->page_size / 64 ? o->page_size / 64 : 1;

	memset(pp, 0, sizeof(*pp));
	pp->n = n;
	pp->pfns = malloc((n ? n : 1) * sizeof(*pp->pfns));
	pp->omit = malloc(n ? n : 1);
	pp->rebuild = malloc(n ? n : 1);
	pp->partial = calloc(n ? n : 1, 1);
	pp->part = malloc((n ? n : 1) * sizeof(*pp->part));
	if (!pp->pfns || !pp->omit || !pp->rebuild || !pp->partial || !pp->part) {
		page_plan_release(pp);
		return sf_err_set(err, SF_ENOMEM, "mini.core: out of memory for %zu pages", n);
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t r = rec[i].reasons;
		bool in_ks = rec[i].pfn >= o->ks_lo && rec[i].pfn <= o->ks_hi;
		uint64_t chunks;
		bool by_note_all;

		/* omit_rebuildable: drop pages kept only for the kernel image's BTF or its kallsyms tables */
		pp->rebuild[i] = r == 1u << READ_BTF || (in_ks && !(r & ~(1u << READ_BTF | 1u << READ_SYMBOLS)));
		pp->omit[i] = o->omit_rebuildable && pp->rebuild[i] ? PP_OMIT_REBUILDABLE : PP_KEEP;
		/*
		 * Pages read only for the kernel's BTF, for kallsyms (vmlinux,
		 * modules, the module-list search) or to find the per-CPU
		 * data without __per_cpu_offset: the note holds what was
		 * used of them.  --keep=crash keeps them for other tools.
		 */
		if (!pp->omit[i] && o->have_note && !o->keep_crash && r && !(r & ~o->by_note))
			pp->omit[i] = PP_OMIT_IN_NOTE;
		/*
		 * A page read for the note's reasons and others: the note stands
		 * in for the former, so only the others' chunks need to stay.
		 */
		by_note_all = o->have_note && !o->keep_crash && !(r & MINICORE_NOTE_REASONS & ~o->by_note);
		chunks = by_note_all ? rec[i].chunks_kept : rec[i].chunks;
		if (!pp->omit[i] && !o->keep_crash && r && !(r & ~(MC_PARTIAL_OK | (by_note_all ? o->by_note : 0))) &&
		    chunks != ~0ull) {
			pp->partial[i] = 1;
			pp->part[pp->npartial++] = (struct mc_partial){ rec[i].pfn, chunks, i };
			pp->partial_bytes += (uint64_t)__builtin_popcountll(chunks) * csz;
		}
		if (!pp->omit[i])
			pp->pfns[pp->nkeep++] = rec[i].pfn;
		else if (pp->omit[i] == PP_OMIT_IN_NOTE)
			pp->nnote++;
		else
			pp->nomit++;
	}
	return 0;
}

void page_plan_fates(const struct page_plan *pp, const uint8_t *kfate, uint8_t *fate)
{
	for (size_t i = 0, j = 0; i < pp->n; i++)
		fate[i] = pp->omit[i] == PP_OMIT_IN_NOTE ? MC_IN_NOTE : pp->omit[i] ? MC_OMITTED : kfate[j++];
}

void page_plan_release(struct page_plan *pp)
{
	free(pp->pfns);
	free(pp->omit);
	free(pp->rebuild);
	free(pp->partial);
	free(pp->part);
	memset(pp, 0, sizeof(*pp));
}
