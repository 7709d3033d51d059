/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interface between src/dump/dump.c and the format readers.  A reader is
 * one const struct dump_format; dump_open() tries each probe in turn
 * (src/dump/dump.c: dump_formats[]).
 */
#ifndef SKBFILTER_DUMP_FORMAT_H
#define SKBFILTER_DUMP_FORMAT_H

#include "skbfilter/decompress.h"
#include "skbfilter/dump.h"
#include "skbfilter/erasenote.h"
#include "skbfilter/source.h"

#define DUMP_PROBE_BYTES 4096

struct dump_format {
	const char *name;
	/* Returns true when head (the first headlen bytes of the first file) is this format. */
	bool (*probe)(const uint8_t *head, size_t headlen);
	/*
	 * Parses headers of srcs[0..nsrc-1] (ownership stays with the dump), fills
	 * d->info, d->notes / d->vmcoreinfo (via dump_add_note / dump_set_vmcoreinfo)
	 * and sets d->priv.
	 */
	int (*open)(struct dump *d, struct source *const *srcs, int nsrc, struct sf_err *err);
	/*
	 * Reads pfn into buf.  Same contract as dump_read_page(), without caching
	 * or recording (dump.c does those).
	 */
	int (*read_page)(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err);
	/*
	 * Optional: read_page that also copies the page's stored (compressed)
	 * bytes, see dump_read_page_stored().  NULL: pages are never stored
	 * compressed.
	 */
	int (*read_page_stored)(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, uint8_t *stored,
				size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err);
	/*
	 * Optional: reads pfn's stored bytes without decompressing them, for
	 * dump_read_pages() to decompress on several threads: *stored_len bytes
	 * (at most a page) into stored (a page long), to decompress with *codec
	 * (CODEC_RAW: stored is the page).  Same states and errors as read_page.
	 */
	int (*read_page_packed)(struct dump *d, uint64_t pfn, uint8_t *stored, size_t *stored_len, enum codec *codec,
				enum page_state *state, struct sf_err *err);
	/* State of pfn without reading data. */
	enum page_state (*page_state)(struct dump *d, uint64_t pfn);
	/*
	 * Optional: the smallest pfn >= pfn (< max_pfn) whose state may be other
	 * than PAGE_NOT_IN_MEMORY, or max_pfn if none.  NULL: every pfn may be.
	 */
	uint64_t (*next_pfn)(struct dump *d, uint64_t pfn);
	/*
	 * Optional: the file ranges that reading pfns[0..n) will touch, handed to
	 * source_prefetch() (remote inputs: one round trip for all instead of one
	 * each).  A hint: no page is read or recorded, errors are ignored.
	 */
	void (*prefetch)(struct dump *d, const uint64_t *pfns, size_t n);
	void (*close)(struct dump *d);
};

extern const struct dump_format dump_format_elf;
extern const struct dump_format dump_format_kdump;

/* What the readers may touch; everything else is dump.c's. */
struct dump {
	struct dump_info info;
	void *priv;				/* the reader's state */
	const struct dump_format *fmt;
	struct source *srcs[DUMP_MAX_FILES];
	int nsrc;
	struct warnlist *warnings;

	/* notes: descs point into note_area (owned) */
	uint8_t *note_area;
	size_t note_area_len;
	struct dump_note *notes;
	size_t nnotes;
	char *vmcoreinfo;			/* owned, NUL-terminated */
	size_t vmcoreinfo_len;
	char *eraseinfo;			/* owned, NUL-terminated */
	size_t eraseinfo_len;
	struct erase_set erased;		/* mini.core's erase note (erasenote.h): read as missing */
	bool erased_unknown;			/* an erase note that cannot be parsed: all-'X' chunks are missing */

	/* dump.c private: page cache */
	struct page_cache *cache;
	uint8_t *scratch;			/* one page, for dump_read_phys */
	uint8_t *packed;			/* dump_read_pages: DUMP_READ_PAGES_MAX stored pages */
	size_t *packed_len;
	struct decomp *dc[DUMP_MAX_THREADS];	/* one decompressor per thread */
};

/*
 * Takes a copy of an ELF note area (Elf64_Nhdr records, 4-byte aligned, in the
 * given byte order) and indexes its notes; a VMCOREINFO note also sets the
 * vmcoreinfo text.  Malformed trailing notes are reported as a warning and
 * dropped.
 */
/* 8192 CPUs' NT_PRSTATUS notes and VMCOREINFO take ~3.5 MiB; the cap keeps a hostile size inside the 64 MiB RSS bound. */
#define DUMP_NOTE_AREA_MAX (16u << 20)
int dump_set_note_area(struct dump *d, const uint8_t *area, size_t len, bool big_endian, struct sf_err *err);
/* Sets the VMCOREINFO text (copied), when it comes from outside the note area. */
int dump_set_vmcoreinfo(struct dump *d, const char *text, size_t len, struct sf_err *err);
int dump_set_eraseinfo(struct dump *d, const char *text, size_t len, struct sf_err *err);

#endif
