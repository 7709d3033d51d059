// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkmini: the mini.core writers over any dump our readers open, without the
 * kernel layer (for tests of the file format against real dumps and against
 * crash / makedumpfile / libkdumpfile).
 *   mkmini [-c|-l|-p|-z|-n] [-E] [--all | --every N | --pfn N...] [--scrub PADDR:LEN] SRC OUT
 * --all keeps every pfn with data in SRC; --every N every Nth pfn below
 * max_pfn (a sparse set with holes, excluded and non-RAM pfns); --pfn the
 * given ones.  Prints "pages N data N zero N ram-only N absent N bytes N".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "out/dumpwrite.h"

struct ctx {
	struct dump *d;
	uint32_t psz;
	uint64_t scrub_start, scrub_len;
};

static int read_cb(void *arg, uint64_t pfn, uint8_t *buf, enum page_state *st, struct sf_err *err)
{
	struct ctx *c = arg;
	int rc = dump_read_page(c->d, pfn, buf, st, err);
	uint64_t lo = pfn * c->psz, hi = lo + c->psz, s = c->scrub_start, e = s + c->scrub_len;

	if (rc == 0 && c->scrub_len && s < hi && e > lo) {
		if (s < lo)
			s = lo;
		if (e > hi)
			e = hi;
		memset(buf + (s - lo), 0, e - s);
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct dump_open_opts opts = { 0 };
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct outfile of;
	struct ctx c = { 0 };
	enum page_codec codec = CODEC_ZLIB;
	uint64_t every = 0, *pfns = NULL, *given = NULL;
	size_t n = 0, ngiven = 0;
	int all = 0, elf = 0, i, rc;

	warnlist_init(&wl);
	opts.warnings = &wl;
	given = calloc((size_t)argc, sizeof(*given));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] && !a[2] && strchr("clpzn", a[1]))
			compress_codec_from_opt(a[1], &codec, &err);
		else if (!strcmp(a, "-E"))
			elf = 1;
		else if (!strcmp(a, "--all"))
			all = 1;
		else if (!strcmp(a, "--every") && i + 1 < argc)
			every = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(a, "--pfn") && i + 1 < argc)
			given[ngiven++] = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(a, "--scrub") && i + 1 < argc) {
			char *colon;

			c.scrub_start = strtoull(argv[++i], &colon, 0);
			c.scrub_len = *colon == ':' ? strtoull(colon + 1, NULL, 0) : 0;
		} else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: mkmini [-c|-l|-p|-z|-n] [-E] [--all|--every N|--pfn N...] [--scrub PADDR:LEN] SRC OUT\n");
		return 2;
	}
	if (dump_open((const char *const *)&argv[i], 1, &opts, &c.d, &err) < 0) {
		fprintf(stderr, "mkmini: %s\n", err.msg);
		free(given);
		warnlist_release(&wl);
		return 3;
	}
	const struct dump_info *info = dump_get_info(c.d);
	c.psz = info->page_size;
	if (all || every) {
		pfns = malloc(info->max_pfn * sizeof(*pfns) + 8);
		for (uint64_t p = 0; pfns && p < info->max_pfn; p++) {
			enum page_state st = dump_page_state(c.d, p);

			if (every ? p % every == 0 : (st == PAGE_PRESENT || st == PAGE_ZERO))
				pfns[n++] = p;
		}
	} else {
		pfns = given;
		n = ngiven;
	}
	dumpwrite_src_from_dump(&s, c.d);
	s.pfns = pfns;
	s.npfns = n;
	s.read_page = read_cb;
	s.ctx = &c;
	rc = outfile_open(&of, argv[i + 1], &err);
	if (rc == 0)
		rc = elf ? minicore_write_elf(&of, &s, &res, &err) : minicore_write_kdump(&of, &s, codec, &res, &err);
	if (rc == 0)
		rc = outfile_commit(&of, &err);
	else
		outfile_abort(&of);
	if (rc < 0)
		fprintf(stderr, "mkmini: %s\n", err.msg);
	else
		printf("pages %zu data %" PRIu64 " zero %" PRIu64 " ram-only %" PRIu64 " absent %" PRIu64 " bytes %" PRIu64 "\n",
		       n, res.n_data, res.n_zero, res.n_ram_only, res.n_absent, res.file_bytes);
	dump_close(c.d);
	warnlist_release(&wl);
	if (pfns != given)
		free(pfns);
	free(given);
	return rc < 0 ? 1 : 0;
}
