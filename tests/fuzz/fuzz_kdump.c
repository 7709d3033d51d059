// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the kdump-compressed reader: open a dump from memory, then ask for
 * page states and page contents (descriptor lookups through the bitmap
 * index, every codec), physical reads across pages, notes and VMCOREINFO.
 * When the last byte is odd the input is also opened as a two-file set
 * (itself twice), so the split-set identity and overlap checks run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "skbfilter/source.h"
#include "dump/kdump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump_open_opts opts = { .cache_pages = 8 };
	struct sf_err err = { 0 };
	struct source *srcs[2] = { NULL, NULL };
	struct warnlist wl;
	struct dump *d = NULL;
	const struct dump_note *notes;
	uint8_t *buf = NULL, tmp[64];
	enum page_state st;
	struct kdump_stats stats;
	size_t len;
	int nsrc = 1;

	warnlist_init(&wl);
	opts.warnings = &wl;
	/* a second file: the input repeated (same identity), so split-set checks run */
	if (source_open_mem("fuzz.1", data, size, &srcs[0], &err) < 0)
		goto out;
	if (size > 8 && (data[size - 1] & 1)) {
		if (source_open_mem("fuzz.2", data, size, &srcs[1], &err) < 0) {
			source_destroy(srcs[0]);
			goto out;
		}
		nsrc = 2;
	}
	if (dump_open_source(srcs, nsrc, &opts, &d, &err) < 0)
		goto out;
	const struct dump_info *info = dump_get_info(d);
	buf = malloc(info->page_size);
	if (!buf)
		goto out;
	for (uint64_t pfn = 0; pfn < 64; pfn++) {
		(void)dump_page_state(d, pfn);
		(void)dump_read_page(d, pfn, buf, &st, &err);
	}
	if (info->max_pfn) {
		(void)dump_read_page(d, info->max_pfn - 1, buf, &st, &err);
		(void)dump_read_page(d, info->max_pfn / 2, buf, &st, &err);
	}
	(void)dump_read_page(d, info->max_pfn, buf, &st, &err);
	(void)dump_read_page(d, UINT64_MAX, buf, &st, &err);
	(void)dump_read_phys(d, info->page_size - 8, tmp, sizeof(tmp), &err);
	{	/* the bulk path (--scan all): packed reads, decompression on 2 threads, fallbacks */
		size_t n = dump_read_pages_batch(info->page_size);
		uint64_t pfns[8];
		bool ok[8];
		uint8_t *bulk;

		n = n < 8 ? n : 8;
		bulk = malloc(n * info->page_size);
		for (size_t i = 0; bulk && i < n; i++)
			pfns[i] = (i * 7) % 16;	/* repeats and out of order */
		if (bulk)
			(void)dump_read_pages(d, pfns, n, bulk, ok, 2, &err);
		free(bulk);
	}
	(void)dump_get_notes(d, &notes);
	(void)dump_get_vmcoreinfo(d, &len);
	(void)dump_get_eraseinfo(d, &len);
	(void)kdump_get_stats(d, &stats);
out:
	free(buf);
	dump_close(d);
	warnlist_release(&wl);
	return 0;
}
