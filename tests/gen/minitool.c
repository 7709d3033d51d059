// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * minitool: minicore_write() through the kernel layer, before and without the
 * main command.  Opens VMCORE, does a few reads an analysis does (symbols,
 * the printk log, init_task), writes the minimized dump, reopens it and checks
 * that the same reads give the same bytes and every recorded page with data
 * is identical.
 *   minitool [-c|-l|-p|-z] [-E] [--keep-crash] [--omit] [-m System.map] [--btf FILE]
 *            [--scrub PADDR:LEN | --scrub-banner] VMCORE OUT
 * Prints "ok ..." / "FAIL ..." lines and the manifest summary; exit 1 on failure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "skbfilter/erasenote.h"
#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/minicore.h"
#include "skbfilter/panic.h"
#include "skbfilter/strbuf.h"

struct reads {
	struct strbuf log;
	char banner[256];
	uint8_t init_task[4096];
};

static const char *map_file, *btf_file;

static int open_all(const char *path, struct warnlist *wl, struct read_recorder **rec, struct dump **d,
		    struct kernel **k, struct sf_err *err)
{
	struct dump_open_opts dopts = { .warnings = wl };
	struct kernel_open_opts kopts = { .warnings = wl, .no_modules = true, .system_map = map_file, .btf = btf_file };

	if (dump_open(&path, 1, &dopts, d, err) < 0)
		return -1;
	if (read_recorder_create(MINICORE_NOTE_REASONS, wl, rec, err) < 0)
		return -1;
	kopts.recorder = *rec;
	if (kernel_open(*d, &kopts, k, err) < 0)
		return -1;
	return 0;
}

static void do_reads(struct kernel *k, struct reads *r)
{
	struct sf_err err = { 0 };
	uint64_t a;

	strbuf_init(&r->log);
	if (printk_dump(k, &r->log, &err) < 0)
		strbuf_addf(&r->log, "ERROR %s", err.msg);
	if (kernel_symbol(k, "linux_banner", &a, &err) == 0)
		kmem_read_str(k->kmem, a, r->banner, sizeof(r->banner), "linux_banner", &err);
	if (kernel_symbol(k, "init_task", &a, &err) == 0)
		kmem_read(kmem_as(k->kmem, READ_TASK), a, r->init_task, sizeof(r->init_task), "init_task", &err);
}

int main(int argc, char **argv)
{
	struct minicore_opts mo = { 0 };
	struct minicore_stats st;
	struct strbuf manifest;
	struct warnlist wl, wl2;
	struct sf_err err = { 0 };
	struct dump *d = NULL, *d2 = NULL;
	struct kernel *k = NULL, *k2 = NULL;
	struct reads r1, r2;
	struct phys_range scrub = { 0, 0 };
	bool scrub_banner = false;
	uint64_t banner_va = 0;
	struct recorded_page *rec = NULL;
	struct read_recorder *rec1 = NULL, *rec2 = NULL;
	size_t n = 0;
	int i, failed = 0;
	uint8_t *b1, *b2;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] == '-' && a[1] && !a[2] && strchr("clpz", a[1]))
			mo.codec = a[1];
		else if (!strcmp(a, "-E"))
			mo.elf = true;
		else if (!strcmp(a, "-m") && i + 1 < argc)
			map_file = argv[++i];
		else if (!strcmp(a, "--btf") && i + 1 < argc)
			btf_file = argv[++i];
		else if (!strcmp(a, "--scrub-banner"))
			scrub_banner = true;
		else if (!strcmp(a, "--omit"))
			mo.omit_rebuildable = true;
		else if (!strcmp(a, "--keep-crash"))
			mo.keep_crash = true;
		else if (!strcmp(a, "--scrub") && i + 1 < argc) {
			char *c;

			scrub.start = strtoull(argv[++i], &c, 0);
			scrub.len = *c == ':' ? strtoull(c + 1, NULL, 0) : 0;
			mo.scrub = &scrub;
			mo.nscrub = 1;
		} else
			break;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: minitool [-c|-l|-p|-z] [-E] [--keep-crash] [--scrub PADDR:LEN] VMCORE OUT\n");
		return 2;
	}
	mo.path = argv[i + 1];
	warnlist_init(&wl);
	warnlist_init(&wl2);
	strbuf_init(&manifest);
	if (open_all(argv[i], &wl, &rec1, &d, &k, &err) < 0) {
		fprintf(stderr, "minitool: %s\n", err.msg);
		return 3;
	}
	do_reads(k, &r1);
	if (scrub_banner) {
		/* erase bytes 6..21 of linux_banner ("version 6.1.0-56"): they must not reach the file */
		if (kernel_symbol(k, "linux_banner", &banner_va, &err) < 0 ||
		    kmem_vtop(k->kmem, banner_va + 6, &scrub.start, &err) < 0) {
			printf("FAIL linux_banner: %s\n", err.msg);
			return 1;
		}
		scrub.len = 16;
		mo.scrub = &scrub;
		mo.nscrub = 1;
	}
	mo.recorder = rec1;
	if (minicore_write(k, &mo, &st, &manifest, &wl, &err) < 0) {
		printf("FAIL minicore_write: %s\n", err.msg);
		return 1;
	}
	printf("ok   minicore_write: %" PRIu64 " pages, %" PRIu64 " bytes\n", st.pages, st.file_bytes);
	for (int r = 0; r < READ_REASON_MAX; r++)
		if (st.pages_by_reason[r])
			printf("     reason %-14s %6" PRIu64 " pages\n", read_reason_name((enum read_reason)r),
			       st.pages_by_reason[r]);
	for (size_t w = 0; w < wl.kept; w++)
		printf("     warning: %s\n", wl.msgs[w]);

	/* every recorded page with data is identical (scrubbed ranges aside) */
	read_recorder_get(rec1, &rec, &n, &err);
	if (open_all(mo.path, &wl2, &rec2, &d2, &k2, &err) < 0) {
		printf("FAIL reopen %s: %s\n", mo.path, err.msg);
		return 1;
	}
	b1 = malloc(dump_get_info(d)->page_size);
	b2 = malloc(dump_get_info(d)->page_size);
	uint64_t same = 0, differ = 0, nodata = 0;
	for (size_t j = 0; j < n; j++) {
		enum page_state s1, s2;
		uint32_t psz = dump_get_info(d)->page_size;
		uint64_t lo = rec[j].pfn * psz;

		if (dump_read_page(d, rec[j].pfn, b1, &s1, &err) < 0) {
			nodata++;
			continue;
		}
		if (mo.nscrub && scrub.start < lo + psz && scrub.start + scrub.len > lo)
			continue;
		if ((mo.omit_rebuildable || !mo.keep_crash) && !(rec[j].reasons & ~MINICORE_NOTE_REASONS)) {
			/* replaced by the kernel note (or omitted as rebuildable) */
			if (dump_page_state(d2, rec[j].pfn) != PAGE_NOT_IN_MEMORY) {
				printf("     pfn 0x%" PRIx64 " should have been omitted\n", rec[j].pfn);
				differ++;
			}
			continue;
		}
		/*
		 * The kernel note (evidence level) stands in for the reads for its reasons:
		 * types, symbols, and the per-CPU search when it found something.
		 */
		bool by_note = !mo.keep_crash && (!(rec[j].reasons & 1u << READ_DISCOVERY) || k->percpu_base);
		uint64_t chunks = by_note ? rec[j].chunks_kept : rec[j].chunks;

		if (!mo.keep_crash && !(rec[j].reasons & ~(MINICORE_PARTIAL_REASONS | (by_note ? MINICORE_NOTE_REASONS : 0))) &&
		    chunks != ~0ull &&
		    dump_read_page(d2, rec[j].pfn, b2, &s2, &err) == 0 && memcmp(b1, b2, psz)) {
			/*
			 * A partial page: the chunks read are identical, the others are
			 * 'X' and listed in the file's erase note (read back as missing).
			 */
			uint32_t csz = psz / 64;
			bool ok = true;

			for (uint32_t c = 0; c < 64; c++) {
				bool rd = chunks >> c & 1;

				for (uint32_t b = 0; b < csz; b++)
					if (b2[c * csz + b] != (rd ? b1[c * csz + b] : ERASE_POISON))
						ok = false;
				if (!rd && !erase_set_find(dump_get_erased(d2), lo + (uint64_t)c * csz, csz))
					ok = false;
				if (rd && erase_set_find(dump_get_erased(d2), lo + (uint64_t)c * csz, csz))
					ok = false;
			}
			if (!ok && !differ++)
				printf("     partial pfn 0x%" PRIx64 " differs in a chunk read or has data in one not read\n",
				       rec[j].pfn);
			same += ok;
			continue;
		}
		if (dump_read_page(d2, rec[j].pfn, b2, &s2, &err) < 0 || memcmp(b1, b2, psz)) {
			if (!differ++)
				printf("     pfn 0x%" PRIx64 " differs: %s\n", rec[j].pfn, err.msg);
		} else {
			same++;
		}
	}
	if (differ) {
		printf("FAIL %" PRIu64 " recorded pages differ in the minimized dump (%" PRIu64 " same)\n", differ, same);
		failed++;
	} else {
		printf("ok   %" PRIu64 " recorded pages identical (%" PRIu64 " had no data in the source)\n", same, nodata);
	}
	do_reads(k2, &r2);
	if (strcmp(r1.log.buf ? r1.log.buf : "", r2.log.buf ? r2.log.buf : "") || !r1.log.len) {
		printf("FAIL printk log differs (%zu vs %zu bytes): %.200s\n", r1.log.len, r2.log.len,
		       r2.log.buf ? r2.log.buf : "");
		failed++;
	} else {
		printf("ok   printk log identical (%zu bytes)\n", r1.log.len);
	}
	if (scrub_banner) {
		uint8_t raw[64], page[65536];
		struct sf_err e3 = { 0 }, e4 = { 0 };
		enum page_state ps;
		uint32_t psz = dump_get_info(d2)->page_size;
		uint64_t pg = scrub.start / psz * psz;

		/* the scrubbed bytes read as missing; the bytes around them are intact; the file holds 'X' */
		if (kmem_read(k2->kmem, banner_va + 6, raw, 16, "linux_banner", &e3) == 0 ||
		    !strstr(e3.msg, "erased")) {
			printf("FAIL --scrub: the scrubbed bytes of linux_banner read as data\n");
			failed++;
		} else if (kmem_read(k2->kmem, banner_va, raw, 6, "linux_banner", &e4) < 0 || memcmp(raw, r1.banner, 6) ||
			   kmem_read(k2->kmem, banner_va + 22, raw + 22, 42, "linux_banner", &e4) < 0 ||
			   memcmp(raw + 22, r1.banner + 22, 42)) {
			printf("FAIL --scrub: bytes around the scrubbed range changed: %s\n", e4.msg);
			failed++;
		} else if (psz > sizeof(page) || dump_read_page(d2, pg / psz, page, &ps, &e4) < 0 ||
			   strspn((char *)page + (scrub.start - pg), "X") < 16) {
			printf("FAIL --scrub: the file does not hold 'X' in place of the scrubbed bytes\n");
			failed++;
		} else {
			printf("ok   --scrub: 16 bytes of linux_banner are 'X' in the file and read as missing (%.100s); "
			       "the rest of the page intact\n", e3.msg);
		}
	} else if (strcmp(r1.banner, r2.banner) || memcmp(r1.init_task, r2.init_task, sizeof(r1.init_task))) {
		printf("FAIL linux_banner / init_task differ\n");
		failed++;
	} else {
		printf("ok   linux_banner and init_task identical: %.60s\n", r1.banner);
	}
	kernel_close(k);
	kernel_close(k2);
	read_recorder_destroy(rec1);
	read_recorder_destroy(rec2);
	dump_close(d);
	dump_close(d2);
	free(rec);
	free(b1);
	free(b2);
	strbuf_release(&manifest);
	strbuf_release(&r1.log);
	strbuf_release(&r2.log);
	warnlist_release(&wl);
	warnlist_release(&wl2);
	return failed ? 1 : 0;
}
