// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pageread: a test tool over the dump layer.
 *   pageread [--tmpdir DIR] --all FILE...          "pfn state crc32" for every pfn < max_pfn that is not
 *                                                  "not in memory" (state names from page_state_name())
 *   pageread --pfn N [--pfn N...] FILE...          the same for chosen pfns
 *   pageread --raw --pfn N FILE...                 the raw page bytes on stdout
 * Errors go to stderr as "pageread: MESSAGE"; exit 3 if the dump cannot be opened.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "skbfilter/dump.h"

#define MAX_PFNS 4096

int main(int argc, char **argv)
{
	struct dump_open_opts opts = { 0 };
	static uint64_t pfns[MAX_PFNS];
	int npfns = 0, all = 0, raw = 0, i;
	struct warnlist wl;
	struct sf_err err = { 0 };
	struct dump *d;
	uint8_t *buf;

	warnlist_init(&wl);
	opts.warnings = &wl;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--all"))
			all = 1;
		else if (!strcmp(argv[i], "--raw"))
			raw = 1;
		else if (!strcmp(argv[i], "--pfn") && i + 1 < argc && npfns < MAX_PFNS)
			pfns[npfns++] = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--tmpdir") && i + 1 < argc)
			opts.tmpdir = argv[++i];
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: pageread [--all | --pfn N...] [--raw] FILE...\n");
		return 2;
	}
	if (dump_open((const char *const *)&argv[i], argc - i, &opts, &d, &err) < 0) {
		for (size_t w = 0; w < wl.kept; w++)
			fprintf(stderr, "pageread: warning: %s\n", wl.msgs[w]);
		fprintf(stderr, "pageread: %s\n", err.msg);
		warnlist_release(&wl);
		return 3;
	}
	const struct dump_info *info = dump_get_info(d);
	buf = malloc(info->page_size);
	if (!buf)
		return 3;
	uint64_t n = all ? info->max_pfn : (uint64_t)npfns, unreadable_run = 0;
	int status = 0;
	/* --all skips the holes of a sparse memory map (dump_next_pfn), not one pfn at a time */
	for (uint64_t k = all ? dump_next_pfn(d, 0) : 0; k < n; k = all ? dump_next_pfn(d, k + 1) : k + 1) {
		uint64_t pfn = all ? k : pfns[k];
		enum page_state st;
		int rc;

		if (all && dump_page_state(d, pfn) == PAGE_NOT_IN_MEMORY)
			continue;
		rc = dump_read_page(d, pfn, buf, &st, &err);
		if (raw) {
			if (rc < 0) {
				fprintf(stderr, "pageread: %s\n", err.msg);
				status = 1;
				break;
			}
			fwrite(buf, 1, info->page_size, stdout);
			continue;
		}
		unreadable_run = rc < 0 ? unreadable_run + 1 : 0;
		if (all && unreadable_run > (1u << 18)) {
			/* A damaged header can claim terabytes of RAM; a test tool need not visit them all. */
			fprintf(stderr, "pageread: warning: stopping at pfn %" PRIu64 " after %" PRIu64
				" pages in a row without data\n", pfn, unreadable_run);
			status = 1;
			break;
		}
		if (rc < 0)
			printf("%" PRIu64 " %s -\n", pfn, page_state_name(st));
		else
			printf("%" PRIu64 " %s %08lx\n", pfn, page_state_name(st),
			       crc32(0, buf, info->page_size));
	}
	for (size_t w = 0; w < wl.kept; w++)
		fprintf(stderr, "pageread: warning: %s\n", wl.msgs[w]);
	free(buf);
	dump_close(d);
	warnlist_release(&wl);
	return status;
}
