// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the input is an ELF vmcore in memory (source_open_mem +
 * dump_open_source).  Opens it, reads the info and notes, and reads every pfn
 * below min(max_pfn, 512) plus a few far ones, checking that read_page and
 * page_state agree.  Seeds: tests/fuzz/corpus/elf (made by tests/gen/mkelf).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "skbfilter/source.h"
#include "skbfilter/warn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump_open_opts o = { .cache_pages = 16 };
	struct sf_err err = { 0 };
	const struct dump_note *notes;
	struct warnlist wl;
	struct source *src;
	struct dump *d;
	size_t n, len;
	uint8_t *buf;

	warnlist_init(&wl);
	o.warnings = &wl;
	if (source_open_mem("fuzz.elf", data, size, &src, &err) < 0)
		return 0;
	if (dump_open_source(&src, 1, &o, &d, &err) < 0) {
		warnlist_release(&wl);
		return 0;
	}
	const struct dump_info *in = dump_get_info(d);
	bool is_elf = !strcmp(in->format, "elf");

	n = dump_get_notes(d, &notes);
	for (size_t i = 0; i < n; i++)
		if (notes[i].descsz && notes[i].desc[0] == 0xff && notes[i].desc[notes[i].descsz - 1] == 0xfe)
			warn_add(&wl, "touch");	/* reads every note's first and last byte */
	(void)dump_get_vmcoreinfo(d, &len);
	(void)dump_get_note_area(d, &len);
	buf = malloc(in->page_size);
	if (buf) {
		uint64_t lim = in->max_pfn < 512 ? in->max_pfn : 512;
		uint64_t extra[] = { in->max_pfn - 1, in->max_pfn, in->max_pfn / 2, UINT64_MAX, UINT64_MAX / in->page_size };

		for (uint64_t pfn = 0; pfn < lim + sizeof(extra) / sizeof(extra[0]); pfn++) {
			uint64_t p = pfn < lim ? pfn : extra[pfn - lim];
			enum page_state st, st2 = dump_page_state(d, p);
			int rc = dump_read_page(d, p, buf, &st, &err);

			if (rc == 0 && st != PAGE_PRESENT && st != PAGE_ZERO)
				abort();
			if (rc < 0 && (st == PAGE_PRESENT || st == PAGE_ZERO))
				abort();
			if (is_elf && rc == 0 && st2 != st)
				abort();	/* the ELF reader's page_state and read_page share one resolver */
		}
		/* dump_next_pfn only skips pfns that are not in memory */
		for (uint64_t pfn = dump_next_pfn(d, 0), k = 0; pfn < in->max_pfn && k < 512; k++) {
			uint64_t next = dump_next_pfn(d, pfn + 1);

			if (next <= pfn && next != in->max_pfn)
				abort();
			if (next > pfn + 1 && dump_page_state(d, pfn + 1 + (next - pfn - 1) / 2) != PAGE_NOT_IN_MEMORY)
				abort();
			pfn = next;
		}
		free(buf);
	}
	if (is_elf && in->n_dumped + in->n_excluded + in->n_missing != in->n_ram)
		abort();
	dump_close(d);
	warnlist_release(&wl);
	return 0;
}
