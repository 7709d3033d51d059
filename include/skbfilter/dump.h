/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dumps: "give me physical page N" over every format users get.
 *
 * dump_open() probes a table of format readers (dump_formats[] in
 * src/dump/dump.c, the readers in src/dump/elf.c and kdump.c); each is
 * a const struct dump_format.  Above it, everything reads physical memory a
 * page at a time through a fixed-size page cache, so memory stays bounded
 * whatever the dump size.  Every read is answered with a page state: a page
 * is present, zero, excluded by the dump filter, missing from a damaged file,
 * or was never RAM at all.  Those are different answers and are kept apart.
 *
 * Which pages the analysis read, and why, is recorded a stage above, where
 * the reasons are known (readrec.h, kmem.h).
 */
#ifndef SKBFILTER_DUMP_H
#define SKBFILTER_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/warn.h"

struct dump;
struct source;
struct source_net_opts;

enum page_state {
	PAGE_PRESENT = 0,	/* data is in the dump */
	PAGE_ZERO,		/* in the dump as the shared zero page (or ELF memsz tail of a zero page) */
	PAGE_EXCLUDED,		/* RAM, filtered out by makedumpfile (2nd bitmap clear, -E hole) */
	PAGE_MISSING,		/* should be in the file but is not: truncated/incomplete dump, unreadable data */
	PAGE_NOT_IN_MEMORY,	/* not RAM: outside every segment / 1st bitmap clear / >= max_pfn */
};
const char *page_state_name(enum page_state st);

struct dump_note {
	char name[32];		/* "CORE", "VMCOREINFO", "QEMU", ... */
	uint32_t type;		/* NT_PRSTATUS = 1, ... */
	const uint8_t *desc;	/* borrowed until dump_close() */
	uint32_t descsz;
};

#define DUMP_MAX_FILES 64

struct dump_info {
	const char *format;	/* "elf", "kdump" (static string) */
	char codecs[64];	/* "zlib", "lzo,zstd", "none" ... as seen in the header/flags */
	int header_version;	/* kdump header_version; ELF: 0 */
	uint32_t page_size;
	uint64_t max_pfn;	/* one past the highest pfn that may exist */
	uint64_t phys_base;	/* kdump sub-header phys_base (x86_64), 0 if unknown */
	bool phys_base_valid;
	uint16_t e_machine;	/* ELF machine (EM_X86_64, EM_AARCH64, ...); for kdump derived from utsname.machine */
	bool big_endian;
	bool elf_class32;
	char uts_machine[66];	/* kdump: utsname.machine; ELF: "" */
	char uts_release[66];	/* kdump: utsname.release; ELF: "" (use VMCOREINFO OSRELEASE) */
	int64_t timestamp_sec;	/* kdump header timestamp, 0 if none */
	uint32_t status;	/* kdump header status flags */
	int nr_cpus;		/* kdump header nr_cpus, 0 for ELF */
	int dump_level;		/* kdump sub-header dump_level, -1 unknown */
	bool incomplete;	/* DUMP_DH_COMPRESSED_INCOMPLETE, or truncated file */
	/* a truncated file: the bytes its headers imply (ELF: the last segment's end; kdump: the last
	 * page descriptor's data end, a lower bound) and the bytes there are; both 0 when not truncated */
	uint64_t size_expected, size_found;
	bool flattened;		/* input was the flattened format */
	bool split;		/* a split set */
	int nfiles;
	/* page counts over the whole pfn range, filled by the reader at open time */
	uint64_t n_ram;		/* pfns that are RAM (1st bitmap / PT_LOAD memsz) */
	uint64_t n_dumped;	/* pfns with data in the dump (including zero pages) */
	uint64_t n_zero;	/* pfns stored as the shared zero page / memsz tails */
	uint64_t n_excluded;	/* RAM pfns not dumped */
	uint64_t n_missing;	/* pfns that should be there but cannot be read */
};

struct dump_open_opts {
	const char *tmpdir;		/* spool directory for stdin/flattened input */
	size_t cache_pages;		/* page cache capacity, 0 = default (1024) */
	struct warnlist *warnings;	/* borrowed; open and reads add warnings here */
	const struct source_net_opts *net;	/* borrowed, may be NULL: http(s) inputs (source.h) */
};

/*
 * Opens a dump made of npaths files (several for a split set; "-" is stdin).
 * On failure the error names the file, the offset and what was wrong.
 */
int dump_open(const char *const *paths, int npaths, const struct dump_open_opts *opts,
	      struct dump **ret, struct sf_err *err);
/*
 * The same over sources already open (source_open / source_open_mem, e.g. a
 * fuzzer's buffer).  Takes ownership of srcs[0..nsrc-1], also on failure.
 */
int dump_open_source(struct source *const *srcs, int nsrc, const struct dump_open_opts *opts,
		     struct dump **ret, struct sf_err *err);
void dump_close(struct dump *d);

const struct dump_info *dump_get_info(const struct dump *d);
/* The name of the (first) dump file, as given by the user ("-" shows as "standard input"). */
const char *dump_name(const struct dump *d);

/*
 * Reads physical page pfn into buf (page_size bytes).  Returns 0 with
 * *state PAGE_PRESENT or PAGE_ZERO (buf filled).  Otherwise returns a negative
 * code with *state saying why (EXCLUDED / MISSING / NOT_IN_MEMORY are
 * -SF_ENODATA; corrupt data is -SF_ECORRUPT with *state PAGE_MISSING) and an
 * error message naming the pfn.
 */
int dump_read_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err);
/*
 * For writers: reads page pfn like dump_read_page() (the page goes into the
 * page cache) and, when the file stores the page
 * compressed, also its stored bytes as they are in the file: *stored_len
 * bytes (at most cap) into stored, *stored_flags the kdump descriptor flags
 * (DUMP_DH_COMPRESSED_*).  *stored_len is 0 when there are none (a raw page,
 * cap too small).  The page was decompressed from exactly these bytes, so a
 * writer in the same codec can copy them instead of compressing again.
 * -SF_ENOTSUP (nothing read) for formats that never store pages compressed.
 */
int dump_read_page_stored(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, uint8_t *stored,
			  size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err);
/*
 * Reads n (<= dump_read_pages_batch(page_size)) pages, pfns[i] into
 * bufs + i * page_size, as n dump_read_page() calls would (same data,
 * errors and warnings), but decompressing on up to nthreads
 * threads when the format stores pages compressed (kdump) and the batch holds
 * enough zlib/zstd pages to pay.  With more than one thread the pages bypass
 * the page cache: it is for walks that read each page once (--scan all).
 * ok[i] says whether page i was read; err holds the last failure.  Returns
 * the number read, or a negative code when nothing could be tried (too many
 * pages, out of memory).  Threads are started per call and joined before it
 * returns; nothing is shared with them but the batch.
 */
#define DUMP_READ_PAGES_MAX 256
#define DUMP_READ_PAGES_BYTES (1u << 20)	/* and n * page_size at most this (64 KiB pages: 16) */
static inline size_t dump_read_pages_batch(uint32_t page_size)
{
	size_t n = page_size ? DUMP_READ_PAGES_BYTES / page_size : 1;

	return n < 1 ? 1 : n > DUMP_READ_PAGES_MAX ? DUMP_READ_PAGES_MAX : n;
}
#define DUMP_MAX_THREADS 8
int dump_read_pages(struct dump *d, const uint64_t *pfns, size_t n, uint8_t *bufs, bool *ok, int nthreads,
		    struct sf_err *err);
/*
 * Remote inputs: the caller will read pfns[0..n) soon.  Their file ranges
 * are fetched now, in parallel, not one dependent request at a time.  A
 * hint: nothing is read into the page cache, nothing fails.
 * dump_prefetch_pays() is false for local files (the hint would cost only).
 */
bool dump_prefetch_pays(const struct dump *d);
void dump_prefetch(struct dump *d, const uint64_t *pfns, size_t n);
/* A physical byte range of the dump (--scrub-payload ranges from src/skb, erased by src/minicore). */
struct phys_range {
	uint64_t start;
	uint64_t len;
};

/* Reads len bytes of physical memory at paddr (may cross pages). */
int dump_read_phys(struct dump *d, uint64_t paddr, void *buf, size_t len, struct sf_err *err);
/* The state of pfn without reading its data (no decompression). */
enum page_state dump_page_state(struct dump *d, uint64_t pfn);
/*
 * The smallest pfn >= pfn whose state may be other than PAGE_NOT_IN_MEMORY,
 * or max_pfn if there is none: walks a sparse physical address space (an ELF
 * dump with RAM at 64 TiB) in time proportional to its memory map, not to
 * max_pfn.  Pfns it skips are PAGE_NOT_IN_MEMORY; the ones it returns still
 * need dump_page_state().
 */
uint64_t dump_next_pfn(struct dump *d, uint64_t pfn);


/* Notes from the ELF PT_NOTE or the kdump sub-header, in file order. */
size_t dump_get_notes(const struct dump *d, const struct dump_note **ret);
/* VMCOREINFO text (NUL-terminated) or NULL if the dump has none. */
const char *dump_get_vmcoreinfo(const struct dump *d, size_t *len);
/* Eraseinfo text (makedumpfile --config), NULL if none. */
const char *dump_get_eraseinfo(const struct dump *d, size_t *len);
/*
 * The bytes a mini.core says it erased (its "SKBFILTER"/ERAS note,
 * skbfilter/erasenote.h); an empty set for other dumps.  dump_read_phys()
 * and dump_read_pages() answer them as missing (-SF_ENODATA); dump_read_page()
 * returns the page as stored, poison included, for writers that carry the
 * ranges on.  Borrowed until dump_close().
 */
struct erase_set;
const struct erase_set *dump_get_erased(const struct dump *d);
/* Raw ELF note area bytes (for writing them back into a minimized dump). */
const uint8_t *dump_get_note_area(const struct dump *d, size_t *len);

/* For the readers: the warning list given at open (may be NULL). */
struct warnlist *dump_warnings(struct dump *d);

#endif
