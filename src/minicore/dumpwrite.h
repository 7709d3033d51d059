/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dump-file writers behind minicore_write() (src/minicore/kdump_write.c,
 * src/minicore/elf_write.c).  They know file formats, not kernels: the caller
 * describes the dump (header facts, notes) and hands a sorted pfn list and a
 * page-read callback.  The sizing pass reads (and for kdump compresses) every
 * page once and keeps what the writing pass will write in a store of at most
 * DW_STORE_CAP bytes; pages past the cap are read and compressed again in the
 * writing pass.  So the output is written strictly sequentially (stdout
 * works), each page is compressed once in the usual case, and memory stays
 * bounded whatever the number of kept pages.
 */
#ifndef SKBFILTER_OUT_DUMPWRITE_H
#define SKBFILTER_OUT_DUMPWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/compress.h"
#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/outfile.h"

#define DW_UTS_LEN 65

struct dumpwrite_src {
	uint32_t page_size;
	bool big_endian;
	uint16_t e_machine;		/* EM_X86_64, EM_AARCH64, ... */
	uint64_t max_pfn;		/* of the source; caps the pfns */
	/* new_utsname: sysname, nodename, release, version, machine, domainname */
	char uts[6][DW_UTS_LEN];
	int64_t tv_sec, tv_usec;	/* header timestamp */
	int nr_cpus;
	uint64_t phys_base;
	int dump_level;			/* recorded in the sub-header */
	const uint8_t *note_area;	/* raw ELF notes in the target byte order (may be NULL) */
	size_t note_len;
	const char *vmcoreinfo;		/* added as a note when the note area has none */
	size_t vmcoreinfo_len;
	const char *eraseinfo;
	size_t eraseinfo_len;
	const uint64_t *pfns;		/* strictly ascending */
	size_t npfns;
	/*
	 * Fills buf (page_size bytes) with page pfn: returns 0 with *st
	 * PAGE_PRESENT or PAGE_ZERO.  A negative return with *st EXCLUDED or
	 * MISSING keeps the pfn as RAM-without-data; NOT_IN_MEMORY drops it.
	 * -SF_EIO / -SF_ENOMEM abort the write.
	 */
	int (*read_page)(void *ctx, uint64_t pfn, uint8_t *buf, enum page_state *st, struct sf_err *err);
	void *ctx;
	/*
	 * Optional: read_page that may also hand out the bytes the source
	 * stores the page as (dump_read_page_stored()): when they are in the
	 * writer's codec, the kdump writer copies them instead of compressing
	 * the page again.  *stored_len 0: none.
	 */
	int (*read_page_stored)(void *ctx, uint64_t pfn, uint8_t *buf, enum page_state *st, uint8_t *stored,
				size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err);
	/* Bytes of page output the sizing pass may keep for the writing pass; 0: DW_STORE_CAP. */
	size_t store_cap;
};

/*
 * 16 MiB: the default job keeps ~2-3 MiB of compressed pages (~1700 pages),
 * so it is compressed once; a --keep=crash dump of a big machine re-reads
 * the rest rather than growing the peak RSS past the 64 MiB budget.
 */
#define DW_STORE_CAP ((size_t)16 << 20)

/*
 * The sizing pass's output for the writing pass: the stored bytes (as they
 * go to the file) of the first npages DW_DATA pages of the list, in order.
 */
struct dw_store {
	uint8_t *buf;
	size_t len, alloc, cap;
	size_t npages;
	bool full;		/* a page did not fit: it and all later ones are redone */
};

/* What happened to each pfn of the list. */
enum dw_page_fate {
	DW_DATA = 0,		/* written with its data */
	DW_ZERO,		/* written as the shared zero page (kdump) / memsz tail (ELF) */
	DW_RAM_ONLY,		/* no data in the source: RAM, not dumped (kdump 1st bitmap only) */
	DW_ABSENT,		/* not RAM in the source: left out */
};

struct dumpwrite_result {
	uint8_t *fate;		/* optional, caller-allocated npfns entries of enum dw_page_fate */
	uint64_t n_data, n_zero, n_ram_only, n_absent;
	uint64_t n_copied;	/* DW_DATA pages stored as the source stored them (kdump, same codec) */
	uint64_t data_bytes;	/* page data bytes in the file (compressed) */
	uint64_t file_bytes;
	uint64_t max_mapnr;	/* what the header says */
};

/* Stored size and kdump flags of one page (from the sizing pass). */
struct dw_meta {
	uint32_t size;
	uint32_t flags;
};

/*
 * The sizing pass: reads every page, fills fate[] (enum dw_page_fate) and the
 * counters of res; with a compressor, meta[] too (meta may be NULL).  With a
 * store (may be NULL; set st->cap), keeps the bytes to write of the DW_DATA
 * pages: compressed with pc, raw without.  Free st->buf after use.
 */
int dumpwrite_scan(const struct dumpwrite_src *s, struct page_compressor *pc, uint8_t *fate, struct dw_meta *meta,
		   struct dw_store *st, struct dumpwrite_result *res, struct sf_err *err);
/* Reads and classifies one page (fate DATA / ZERO / RAM_ONLY / ABSENT); <0 only for aborting errors. */
int dumpwrite_read(const struct dumpwrite_src *s, uint64_t pfn, uint8_t *buf, enum dw_page_fate *fate,
		   struct sf_err *err);

/* kdump-compressed (makedumpfile header v6) into of; does not commit. */
int minicore_write_kdump(struct outfile *of, const struct dumpwrite_src *s, enum page_codec codec,
			 struct dumpwrite_result *res, struct sf_err *err);
/* ELF64 core (PT_NOTE + one PT_LOAD per run of kept pfns) into of; does not commit. */
int minicore_write_elf(struct outfile *of, const struct dumpwrite_src *s, struct dumpwrite_result *res,
		       struct sf_err *err);

/*
 * The note area to write: s->note_area, plus a VMCOREINFO note built from
 * s->vmcoreinfo when the area has none.  *vmci_off / *vmci_len locate the
 * VMCOREINFO text inside it (0/0 if none).  Caller frees *ret.
 */
int dumpwrite_notes(const struct dumpwrite_src *s, uint8_t **ret, size_t *len, size_t *vmci_off, size_t *vmci_len,
		    struct sf_err *err);

/*
 * Header facts and notes of a source dump (src/minicore/dumpwrite_src.c): page
 * size, byte order, machine, utsname release/machine, timestamp, nr_cpus,
 * phys_base, notes, VMCOREINFO, eraseinfo.  pfns and read_page stay unset.
 */
void dumpwrite_src_from_dump(struct dumpwrite_src *s, struct dump *d);

/* Target-endian stores. */
static inline void dw_st16(uint8_t *p, uint16_t v, bool be) { for (int i = 0; i < 2; i++) p[be ? 1 - i : i] = (uint8_t)(v >> (8 * i)); }
static inline void dw_st32(uint8_t *p, uint32_t v, bool be) { for (int i = 0; i < 4; i++) p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i)); }
static inline void dw_st64(uint8_t *p, uint64_t v, bool be) { for (int i = 0; i < 8; i++) p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i)); }

#endif
