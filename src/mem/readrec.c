// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The read recorder (readrec.h): an open-addressing hash set pfn -> reason
 * mask and chunk masks.
 */
#include <stdlib.h>

#include "skbfilter/readrec.h"

const char *read_reason_name(enum read_reason r)
{
	static const char *const names[READ_REASON_MAX] = {
		[READ_OTHER] = "other", [READ_PGTABLE] = "page-tables", [READ_SYMBOLS] = "symbols",
		[READ_BTF] = "btf", [READ_PERCPU] = "per-cpu", [READ_STACK] = "stacks",
		[READ_TASK] = "task", [READ_SKB] = "skb", [READ_SKB_DATA] = "skb-data",
		[READ_FRAG] = "frags", [READ_NETDEV] = "net-device", [READ_VMEMMAP] = "struct-page",
		[READ_PRINTK] = "printk", [READ_CRASH] = "crash-session",
		[READ_UNWIND] = "unwind", [READ_DISCOVERY] = "discovery",
	};
	return (unsigned)r < READ_REASON_MAX ? names[r] : "?";
}

struct record_entry {
	uint64_t pfn_plus1;	/* 0 = empty */
	uint32_t reasons;
	uint64_t chunks;
	uint64_t chunks_kept;
};

struct read_recorder {
	uint32_t note_reasons;
	struct warnlist *warnings;
	size_t cap;		/* power of two */
	size_t used;
	struct record_entry *tab;
};

int read_recorder_create(uint32_t note_reasons, struct warnlist *warnings, struct read_recorder **ret,
			 struct sf_err *err)
{
	struct read_recorder *r = calloc(1, sizeof(*r));

	*ret = NULL;
	if (!r)
		return sf_err_set(err, SF_ENOMEM, "read record: out of memory");
	r->note_reasons = note_reasons;
	r->warnings = warnings;
	*ret = r;
	return 0;
}

void read_recorder_destroy(struct read_recorder *r)
{
	if (!r)
		return;
	free(r->tab);
	free(r);
}

static size_t slot_of(uint64_t pfn_plus1, size_t cap)
{
	return (size_t)(pfn_plus1 * 0x9e3779b97f4a7c15ull >> 17) & (cap - 1);
}

static int record_grow(struct read_recorder *r)
{
	size_t ncap = r->cap ? r->cap * 2 : 1024;
	struct record_entry *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -1;
	for (size_t i = 0; i < r->cap; i++) {
		size_t j;

		if (!r->tab[i].pfn_plus1)
			continue;
		j = slot_of(r->tab[i].pfn_plus1, ncap);
		while (nt[j].pfn_plus1)
			j = (j + 1) & (ncap - 1);
		nt[j] = r->tab[i];
	}
	free(r->tab);
	r->tab = nt;
	r->cap = ncap;
	return 0;
}

void read_recorder_add(struct read_recorder *r, uint64_t pfn, enum read_reason reason, uint64_t chunks)
{
	size_t j;

	if ((r->used + 1) * 4 > r->cap * 3 && record_grow(r) < 0) {
		warn_add(r->warnings, "read record: out of memory; the minimized dump may miss pfn 0x%llx",
			 (unsigned long long)pfn);
		return;
	}
	j = slot_of(pfn + 1, r->cap);
	while (r->tab[j].pfn_plus1 && r->tab[j].pfn_plus1 != pfn + 1)
		j = (j + 1) & (r->cap - 1);
	if (!r->tab[j].pfn_plus1) {
		r->tab[j].pfn_plus1 = pfn + 1;
		r->used++;
	}
	r->tab[j].reasons |= 1u << reason;
	r->tab[j].chunks |= chunks;
	if (!(r->note_reasons & 1u << reason))
		r->tab[j].chunks_kept |= chunks;
}

uint64_t read_chunk_mask(uint32_t psz, size_t off, size_t len)
{
	uint32_t csz = psz / 64 ? psz / 64 : 1;
	size_t first = off / csz, last = (off + len - 1) / csz;

	if (last > 63)
		last = 63;
	if (first > last)
		return 0;
	return (last - first == 63 ? ~0ull : ((1ull << (last - first + 1)) - 1)) << first;
}

static int cmp_recorded(const void *a, const void *b)
{
	const struct recorded_page *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

int read_recorder_get(const struct read_recorder *r, struct recorded_page **ret, size_t *n, struct sf_err *err)
{
	struct recorded_page *out;
	size_t k = 0;

	*ret = NULL;
	*n = 0;
	if (!r || !r->used)
		return 0;
	out = malloc(r->used * sizeof(*out));
	if (!out)
		return sf_err_set(err, SF_ENOMEM, "read record: out of memory for %zu pages", r->used);
	for (size_t i = 0; i < r->cap; i++)
		if (r->tab[i].pfn_plus1)
			out[k++] = (struct recorded_page){ r->tab[i].pfn_plus1 - 1, r->tab[i].reasons, r->tab[i].chunks,
							   r->tab[i].chunks_kept };
	qsort(out, k, sizeof(*out), cmp_recorded);
	*ret = out;
	*n = k;
	return 0;
}
