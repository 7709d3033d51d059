// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkmini: the mini.core writers over any dump our readers open, without the
 * kernel layer (for tests of the file format against real dumps and against
 * crash / makedumpfile / libkdumpfile).
 *   mkmini [-c|-l|-p|-z|-n] [-E] [--all | --every N | --pfn N...] [--scrub PADDR:LEN]
 *          [--drop-vmcoreinfo PREFIX...] SRC OUT
 * --all keeps every pfn with data in SRC; --every N every Nth pfn below
 * max_pfn (a sparse set with holes, excluded and non-RAM pfns); --pfn the
 * given ones.  --drop-vmcoreinfo leaves out the VMCOREINFO lines starting
 * with PREFIX (e.g. "SYMBOL(kallsyms_": a dump as kernels before 6.0 write
 * it).  Prints "pages N data N zero N ram-only N absent N bytes N".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/dump.h"
#include "minicore/dumpwrite.h"

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

#define MAX_DROPS 32

/* The VMCOREINFO text without the lines that start with one of drops[]; caller frees. */
static char *filter_vmcoreinfo(const char *text, size_t len, const char *const *drops, int ndrops, size_t *ret_len)
{
	char *out = malloc(len + 1);
	size_t o = 0, i = 0;

	if (!out)
		return NULL;
	while (i < len) {
		size_t e = i;
		bool drop = false;

		while (e < len && text[e] != '\n')
			e++;
		for (int d = 0; d < ndrops; d++)
			if (e - i >= strlen(drops[d]) && !strncmp(text + i, drops[d], strlen(drops[d])))
				drop = true;
		if (!drop) {
			memcpy(out + o, text + i, e - i + (e < len));
			o += e - i + (e < len);
		}
		i = e + 1;
	}
	*ret_len = o;
	return out;
}

/* The ELF note area without its VMCOREINFO note (the writer then adds one from the filtered text). */
static uint8_t *notes_without_vmcoreinfo(const uint8_t *area, size_t len, bool be, size_t *ret_len)
{
	uint8_t *out = malloc(len ? len : 1);
	size_t o = 0, i = 0;

	if (!out)
		return NULL;
	while (i + 12 <= len) {
		uint32_t namesz = ld32(area + i, be), descsz = ld32(area + i + 4, be);
		size_t sz = 12 + (((size_t)namesz + 3) & ~(size_t)3) + (((size_t)descsz + 3) & ~(size_t)3);

		if (sz > len - i)
			break;
		if (!(namesz == 11 && !memcmp(area + i + 12, "VMCOREINFO", 11))) {
			memcpy(out + o, area + i, sz);
			o += sz;
		}
		i += sz;
	}
	*ret_len = o;
	return out;
}

int main(int argc, char **argv)
{
	const char *drops[MAX_DROPS];
	int ndrops = 0;
	char *vmci = NULL;
	uint8_t *notes = NULL;
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
		} else if (!strcmp(a, "--drop-vmcoreinfo") && i + 1 < argc && ndrops < MAX_DROPS)
			drops[ndrops++] = argv[++i];
		else
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
	if (ndrops && s.vmcoreinfo) {
		vmci = filter_vmcoreinfo(s.vmcoreinfo, s.vmcoreinfo_len, drops, ndrops, &s.vmcoreinfo_len);
		notes = notes_without_vmcoreinfo(s.note_area, s.note_len, s.big_endian, &s.note_len);
		s.vmcoreinfo = vmci;
		s.note_area = notes;
	}
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
	free(vmci);
	free(notes);
	return rc < 0 ? 1 : 0;
}
