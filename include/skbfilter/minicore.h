/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The minimized dump ("mini.core"): a makedumpfile kdump-compressed file (or
 * ELF with -E) holding only the pages the analysis read, each with the
 * reasons it was read (the read recorder, readrec.h), plus VMCOREINFO and
 * every ELF note.  What to keep of a page for which reasons is decided here.
 * src/minicore/minicore.c.
 */
#ifndef SKBFILTER_MINICORE_H
#define SKBFILTER_MINICORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/readrec.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

struct kernel;

/*
 * Pages kept only for these reasons (enum read_reason bits) are partial at
 * the evidence level: only the 64ths of the page that the analysis read
 * (recorded_page.chunks) are stored, the rest is 'X' (ERASE_POISON) and
 * recorded as erased.  Other tools read
 * the remaining reasons' pages whole (printk, page tables, stacks, skbs).
 */
#define MINICORE_PARTIAL_REASONS (1u << READ_OTHER | 1u << READ_SYMBOLS | 1u << READ_PERCPU | 1u << READ_TASK | \
				  1u << READ_VMEMMAP | 1u << READ_UNWIND | 1u << READ_DISCOVERY)
/*
 * Reasons whose reads mini.core's kernel note can stand in for (types,
 * symbols, search results): pages kept only for these are replaced by the
 * note (at the evidence level).  The recorder is created with this set, so
 * that it can tell the chunks read for other reasons apart
 * (recorded_page.chunks_kept).
 */
#define MINICORE_NOTE_REASONS (1u << READ_BTF | 1u << READ_SYMBOLS | 1u << READ_DISCOVERY)

struct minicore_opts {
	const struct read_recorder *recorder;	/* what the analysis read (readrec.h): the pages to keep */
	const char *path;		/* output; manifest goes to PATH.manifest.json */
	char codec;			/* 'c' zlib, 'l' lzo, 'p' snappy, 'z' zstd, 0 = default */
	bool elf;			/* -E */
	bool keep_crash;		/* --keep=crash: add what a full crash session needs */
	const struct phys_range *scrub;	/* write these bytes as 'X' (erased, reason payload) */
	size_t nscrub;
	const char *scrub_policy;	/* the --scrub list, recorded in the erase note; NULL: "payload" if nscrub */
	bool scrub_dmesg;		/* --scrub=dmesg: erase printk text outside the panic's window (minicore/scrub.c) */
	bool scrub_comm;		/* --scrub=comm: erase task names but panic_task's */
	uint64_t panic_task;		/* task_struct of the panicking task, 0 if unknown */
	/*
	 * Leave out pages kept only for the kernel image's BTF (READ_BTF) or
	 * for its kallsyms tables (READ_SYMBOLS inside the kallsyms span):
	 * byte-identical for every boot of the build named by VMCOREINFO
	 * BUILD-ID and shipped in its package (vmlinux .BTF, System.map).  They
	 * are most of an evidence-level mini.core; re-analysing it then needs
	 * -m and --btf (or -x).  Listed in the manifest as "omitted".
	 */
	bool omit_rebuildable;
};

struct minicore_stats {
	uint64_t pages;				/* pages written */
	uint64_t file_bytes;			/* size of mini.core */
	uint64_t bytes_by_reason[32];		/* page bytes per enum read_reason */
	uint64_t pages_by_reason[32];
};

/*
 * Writes the minimized dump atomically.  For keep_crash, first reads the
 * extra pages a crash session needs (tagged READ_CRASH).  The manifest JSON
 * is appended to `manifest` (for the report) and written beside the dump.
 */
int minicore_write(struct kernel *k, const struct minicore_opts *o, struct minicore_stats *stats,
		   struct strbuf *manifest, struct warnlist *w, struct sf_err *err);

#endif
