// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the input is a flattened stream.  It goes through
 * source_open() on a memfd (signature detection, streaming rebuild into a
 * sparse temp file in /dev/shm), then through the dump readers if the rebuilt
 * file is a dump.  Seeds: tests/fuzz/corpus/flat (mkflat over mkelf dumps).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skbfilter/dump.h"
#include "skbfilter/source.h"
#include "skbfilter/warn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stat sb;
	struct source_opts so = { .tmpdir = stat("/dev/shm", &sb) == 0 ? "/dev/shm" : NULL };
	struct dump_open_opts o = { .cache_pages = 16 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct source *src;
	struct dump *d;
	char path[64];
	uint8_t page[4096];
	int fd = memfd_create("fuzz_flat", 0);

	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	warnlist_init(&wl);
	so.warnings = &wl;
	o.warnings = &wl;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (source_open(path, &so, &src, &err) == 0) {
		uint64_t sz = source_size(src);

		/* reads at both ends of the rebuilt file; holes of a truncated stream fail, never crash */
		if (sz)
			(void)source_read(src, sz > sizeof(page) ? sz - sizeof(page) : 0, page,
					  sz > sizeof(page) ? sizeof(page) : (size_t)sz, "tail", &err);
		(void)source_read(src, 0, page, sz < sizeof(page) ? (size_t)sz : sizeof(page), "head", &err);
		if (dump_open_source(&src, 1, &o, &d, &err) == 0) {
			const struct dump_info *in = dump_get_info(d);
			uint8_t *buf = malloc(in->page_size);
			uint64_t lim = in->max_pfn < 256 ? in->max_pfn : 256;

			for (uint64_t pfn = 0; buf && pfn < lim; pfn++) {
				enum page_state st;

				(void)dump_read_page(d, pfn, buf, &st, &err);
			}
			free(buf);
			dump_close(d);
		}
	}
	close(fd);
	warnlist_release(&wl);
	return 0;
}
