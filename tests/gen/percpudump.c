// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * percpudump: the per-CPU facts kernel_open() settled on, for comparing the
 * symbol route (-m System.map: __per_cpu_offset[] and __per_cpu_start read
 * through the symbols) with the runqueue + SLUB route (no data symbols).
 *   percpudump [-m SYSTEM.MAP] [--btf FILE] [--cache-of ADDR] VMCORE
 * Output lines (hex without 0x):
 *   kaslr OFFSET
 *   nr_cpu_ids N
 *   start S | start unknown      __per_cpu_start: the symbol, else base[0] - offset[0]
 *   offset CPU VALUE             __per_cpu_offset[CPU] (none without them)
 *   note TEXT / warning TEXT     kernel_open()'s notes and warnings
 *   cache_of ADDR CACHE CPU_SLAB the kmem_cache of the slab object at ADDR and its cpu_slab
 *                                ("cache_of ADDR error MESSAGE" if none)
 * Exit 3 if the dump or the kernel cannot be opened.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/ktypes.h"

int main(int argc, char **argv)
{
	struct kernel_open_opts kopts = { .no_modules = true };
	struct dump_open_opts dopts = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct dump *d = NULL;
	struct kernel *k = NULL;
	const char *path = NULL;
	uint64_t s, obj = 0, cache, p;
	int rc = 3;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			kopts.system_map = argv[++i];
		else if (!strcmp(argv[i], "--btf") && i + 1 < argc)
			kopts.btf = argv[++i];
		else if (!strcmp(argv[i], "--cache-of") && i + 1 < argc)
			obj = strtoull(argv[++i], NULL, 0);
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: percpudump [-m SYSTEM.MAP] [--btf FILE] [--cache-of ADDR] VMCORE\n");
		return 2;
	}
	warnlist_init(&wl);
	dopts.warnings = &wl;
	kopts.warnings = &wl;
	if (dump_open(&path, 1, &dopts, &d, &err) < 0 || kernel_open(d, &kopts, &k, &err) < 0) {
		fprintf(stderr, "percpudump: %s\n", err.msg);
		goto out;
	}
	printf("kaslr %" PRIx64 "\n", k->kaslr_offset);
	printf("nr_cpu_ids %d\n", k->nr_cpu_ids);
	if (kernel_symbol(k, "__per_cpu_start", &s, &err) == 0)
		printf("start %" PRIx64 "\n", s);
	else if (k->per_cpu_offset && k->percpu_base)
		printf("start %" PRIx64 "\n", k->percpu_base[0] - k->per_cpu_offset[0]);
	else
		printf("start unknown\n");
	for (int c = 0; k->per_cpu_offset && c < k->nr_cpu_ids; c++)
		printf("offset %d %" PRIx64 "\n", c, k->per_cpu_offset[c]);
	for (size_t i = 0; i < wl.notes_kept; i++)
		printf("note %s\n", wl.notes[i]);
	for (size_t i = 0; i < wl.kept; i++)
		printf("warning %s\n", wl.msgs[i]);
	if (obj && (percpu_slab_cache_of(k, k->kmem, obj, &cache, &err) != 0 ||
		    kread_field(k->kmem, k->types, cache, "kmem_cache.cpu_slab", &p, &err) != 0))
		printf("cache_of %" PRIx64 " error %s\n", obj, err.msg);
	else if (obj)
		printf("cache_of %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", obj, cache, p);
	rc = 0;
out:
	kernel_close(k);
	dump_close(d);
	warnlist_release(&wl);
	return rc;
}
