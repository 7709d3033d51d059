/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The read recorder: which physical pages the analysis read, and why.
 *
 * Every read of the dumped kernel's memory carries a reason (enum
 * read_reason): the kmem view it goes through says what it is for
 * (kmem_as() in kmem.h), so no stage sets another stage's mode.  When a
 * mini.core is asked for, the session gives kmem a recorder; kmem's physical
 * reads add (pfn, reason, which 64ths of the page) to it.  What to keep of a
 * recorded page, and which reasons the kernel note stands in for, is the
 * mini.core writer's policy (minicore.h); the recorder only remembers.
 *
 * Memory is proportional to the pages read, not to the dump.
 */
#ifndef SKBFILTER_READREC_H
#define SKBFILTER_READREC_H

#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/warn.h"

/* Why a page was read; the mini.core manifest lists them per page. */
enum read_reason {
	READ_OTHER = 0,
	READ_PGTABLE,		/* page-table pages used by a translation */
	READ_SYMBOLS,		/* kallsyms tables (vmlinux and modules), init_uts_ns */
	READ_BTF,		/* the kernel's BTF blob */
	READ_PERCPU,		/* per-CPU data */
	READ_STACK,		/* task / IRQ stacks */
	READ_TASK,		/* task_struct */
	READ_SKB,		/* struct sk_buff */
	READ_SKB_DATA,		/* linear buffer and skb_shared_info */
	READ_FRAG,		/* page frags */
	READ_NETDEV,		/* struct net_device */
	READ_VMEMMAP,		/* struct page / slab */
	READ_PRINTK,		/* printk ring buffer */
	READ_CRASH,		/* extra pages for --keep=crash */
	READ_UNWIND,		/* ORC tables, module list and code bytes the unwinder reads */
	READ_DISCOVERY,		/* read only to find a fact that mini.core's kernel note then records */
	READ_REASON_MAX
};
/* The manifest's name of a reason ("page-tables", "skb-data", ...). */
const char *read_reason_name(enum read_reason r);

/*
 * One recorded page.  chunks: bit i set when bytes [i * page_size / 64,
 * (i + 1) * page_size / 64) were read; all ones for whole-page reads.
 * chunks_kept: the same without the reads for the reasons given to
 * read_recorder_create() as note_reasons (what is left when the kernel note
 * replaces those reads).
 */
struct recorded_page {
	uint64_t pfn;
	uint32_t reasons;	/* 1u << enum read_reason */
	uint64_t chunks, chunks_kept;
};

struct read_recorder;

/* warnings (borrowed, may be NULL) receives "out of memory" if a page cannot be added. */
int read_recorder_create(uint32_t note_reasons, struct warnlist *warnings, struct read_recorder **ret,
			 struct sf_err *err);
void read_recorder_destroy(struct read_recorder *r);
/* Records that bytes chunks (a mask of 64ths, above) of pfn were read for reason. */
void read_recorder_add(struct read_recorder *r, uint64_t pfn, enum read_reason reason, uint64_t chunks);
/* The chunk mask of bytes [off, off + len) of a page of page_size bytes (len > 0). */
uint64_t read_chunk_mask(uint32_t page_size, size_t off, size_t len);
/* The recorded pages in ascending pfn order: a malloc'd array (caller frees) and its length. */
int read_recorder_get(const struct read_recorder *r, struct recorded_page **ret, size_t *n, struct sf_err *err);

#endif
