// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writer of makedumpfile's kdump-compressed format (header version 6), the
 * layout crash, makedumpfile and libkdumpfile read (makedumpfile
 * diskdump_mod.h; the on-disk integers are in the dumped machine's byte
 * order and sizes are those of a 64-bit makedumpfile build):
 *
 *   block 0          disk_dump_header (464 bytes, rest of the block zero)
 *   block 1 ...      kdump_sub_header (104 bytes), then the ELF note area;
 *                    offset_vmcoreinfo points at the VMCOREINFO note's text
 *                    inside it, as makedumpfile does.  sub_hdr_size blocks.
 *   next             1st bitmap (pfn is RAM)   } bitmap_blocks covers both
 *                    2nd bitmap (pfn is dumped)} halves, each
 *                                                ceil(max_mapnr/8/block) blocks
 *   next             page_desc[] (24 bytes) for each set bit of the 2nd bitmap
 *   next             the shared zero page (raw, if any page is zero), then
 *                    every other page's data in pfn order
 *   last             eraseinfo text (if the source had one)
 *
 * Everything is written in file order.  Descriptors need each page's
 * compressed size before the first data byte is written, so a first pass
 * reads and compresses every page to learn the sizes (kept in an array of
 * 8 bytes per page) and keeps the compressed bytes (up to DW_STORE_CAP), and
 * the second pass writes them; only pages past the cap are read and
 * compressed again.  Compressing twice was 2/3 of the default job's CPU time.
 * Bitmaps are produced one block at a time from the sorted pfn list, so a
 * 1 TiB dump (64 MiB of bitmaps) never holds more than one block.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "minicore/dumpwrite.h"

#define KDUMP_HEADER_SIZE 464
#define KDUMP_SUB_HEADER_SIZE 104
#define PAGE_DESC_SIZE 24
/* Cap on what the format's 32-bit block counts and our arrays can describe. */
#define DW_MAX_PFNS (1ull << 32)

static bool page_is_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- notes ---- */

static bool notes_have_vmcoreinfo(const uint8_t *a, size_t len, bool be, size_t *off, size_t *dlen)
{
	size_t o = 0;

	while (o + 12 <= len) {
		uint32_t namesz = ld32(a + o, be), descsz = ld32(a + o + 4, be);
		uint64_t nal = ((uint64_t)namesz + 3) & ~3ull, dal = ((uint64_t)descsz + 3) & ~3ull;

		if (!namesz && !descsz)
			break;
		if (12 + nal + dal > len - o)
			break;
		if (namesz >= 10 && !memcmp(a + o + 12, "VMCOREINFO", 10) && (namesz == 10 || a[o + 22] == '\0')) {
			*off = o + 12 + nal;
			*dlen = descsz;
			return true;
		}
		o += 12 + nal + dal;
	}
	return false;
}

int dumpwrite_notes(const struct dumpwrite_src *s, uint8_t **ret, size_t *len, size_t *vmci_off, size_t *vmci_len,
		    struct sf_err *err)
{
	size_t base = s->note_area ? s->note_len : 0, extra = 0, total;
	uint8_t *buf;

	*ret = NULL;
	*len = *vmci_off = *vmci_len = 0;
	if (base > (64u << 20))
		return sf_err_set(err, SF_ENOMEM, "note area of %zu bytes is above the 64 MiB cap", base);
	if (s->vmcoreinfo && s->vmcoreinfo_len && s->vmcoreinfo_len < (16u << 20) &&
	    !(base && notes_have_vmcoreinfo(s->note_area, base, s->big_endian, vmci_off, vmci_len)))
		extra = 12 + 12 + ((s->vmcoreinfo_len + 3) & ~(size_t)3);
	total = base + extra;
	buf = calloc(1, total ? total : 1);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "out of memory for the note area");
	if (base)
		memcpy(buf, s->note_area, base);
	if (extra) {
		uint8_t *p = buf + base;

		dw_st32(p, 11, s->big_endian);		/* "VMCOREINFO\0" */
		dw_st32(p + 4, (uint32_t)s->vmcoreinfo_len, s->big_endian);
		dw_st32(p + 8, 0, s->big_endian);
		memcpy(p + 12, "VMCOREINFO", 10);
		memcpy(p + 24, s->vmcoreinfo, s->vmcoreinfo_len);
		*vmci_off = base + 24;
		*vmci_len = s->vmcoreinfo_len;
	}
	*ret = buf;
	*len = total;
	return 0;
}

/* ---- the two passes ---- */

/* dumpwrite_read(), also asking for the source's stored bytes when the source can give them. */
static int read_classify(const struct dumpwrite_src *s, uint64_t pfn, uint8_t *buf, uint8_t *stored, size_t cap,
			 size_t *stored_len, uint32_t *stored_flags, enum dw_page_fate *fate, struct sf_err *err)
{
	enum page_state st = PAGE_MISSING;
	int rc;

	*stored_len = 0;
	*stored_flags = 0;
	if (stored && s->read_page_stored)
		rc = s->read_page_stored(s->ctx, pfn, buf, &st, stored, cap, stored_len, stored_flags, err);
	else
		rc = s->read_page(s->ctx, pfn, buf, &st, err);

	if (rc == -SF_EIO || rc == -SF_ENOMEM)
		return rc;
	if (rc < 0) {
		*fate = st == PAGE_NOT_IN_MEMORY ? DW_ABSENT : DW_RAM_ONLY;
		sf_err_clear(err);
		return 0;
	}
	*fate = (st == PAGE_ZERO || page_is_zero(buf, s->page_size)) ? DW_ZERO : DW_DATA;
	return 0;
}

/* Reads one page; classifies it.  Returns <0 only for errors that abort the write. */
int dumpwrite_read(const struct dumpwrite_src *s, uint64_t pfn, uint8_t *buf, enum dw_page_fate *fate,
		   struct sf_err *err)
{
	size_t len;
	uint32_t flags;

	return read_classify(s, pfn, buf, NULL, 0, &len, &flags, fate, err);
}

/* Appends one page's output to the store unless it is full; a page that does not fit fills it for good. */
static int store_put(struct dw_store *st, const uint8_t *p, size_t n, struct sf_err *err)
{
	if (!st || st->full)
		return 0;
	if (n > st->cap - st->len) {
		st->full = true;
		return 0;
	}
	if (st->len + n > st->alloc) {
		size_t na = st->alloc ? st->alloc : 64 * 1024;
		uint8_t *nb;

		while (na < st->len + n)
			na *= 2;
		if (na > st->cap)
			na = st->cap;
		nb = realloc(st->buf, na);
		if (!nb)
			return sf_err_set(err, SF_ENOMEM, "out of memory for %zu bytes of page data", na);
		st->buf = nb;
		st->alloc = na;
	}
	memcpy(st->buf + st->len, p, n);
	st->len += n;
	st->npages++;
	return 0;
}

/*
 * What the file stores for a page with data: the source's stored bytes when
 * they are in our codec and smaller than the page, else the page compressed.
 */
static int page_output(const struct dumpwrite_src *s, struct page_compressor *pc, const uint8_t *page,
		       const uint8_t *stored, size_t slen, uint32_t sflags, const uint8_t **out, uint32_t *olen,
		       uint32_t *oflags, bool *copied, struct sf_err *err)
{
	*copied = stored && slen && slen < s->page_size && sflags && sflags == compress_kdump_flag(compress_codec(pc));
	if (*copied) {
		*out = stored;
		*olen = (uint32_t)slen;
		*oflags = sflags;
		return 0;
	}
	return compress_page(pc, page, out, olen, oflags, err);
}

/* Pass 1: fate of every page and, with a compressor, its stored size and flags; the store. */
int dumpwrite_scan(const struct dumpwrite_src *s, struct page_compressor *pc, uint8_t *fate, struct dw_meta *meta,
		   struct dw_store *st, struct dumpwrite_result *res, struct sf_err *err)
{
	uint8_t *buf = malloc(s->page_size), *stored = NULL;
	int rc = 0;

	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	/*
	 * A source page stored in the codec we write is copied as it is: it
	 * decompressed to the page just read, so it is valid, and compressing
	 * it again (zlib: ~40 MB/s here) was most of mini.core's cost.
	 */
	if (meta && s->read_page_stored && !(stored = malloc(s->page_size))) {
		free(buf);
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < s->npfns; i++) {
		enum dw_page_fate f;
		size_t slen = 0;
		uint32_t sflags = 0;

		if (i && s->pfns[i] <= s->pfns[i - 1]) {
			rc = sf_err_set(err, SF_EBUG, "page list not strictly ascending at index %zu (pfn 0x%llx)", i,
					(unsigned long long)s->pfns[i]);
			goto out;
		}
		if (s->pfns[i] >= s->max_pfn) {
			f = DW_ABSENT;
		} else {
			rc = read_classify(s, s->pfns[i], buf, stored, s->page_size, &slen, &sflags, &f, err);
			if (rc < 0) {
				sf_err_prefix(err, "pfn 0x%llx", (unsigned long long)s->pfns[i]);
				goto out;
			}
		}
		fate[i] = (uint8_t)f;
		switch (f) {
		case DW_DATA: res->n_data++; break;
		case DW_ZERO: res->n_zero++; break;
		case DW_RAM_ONLY: res->n_ram_only++; break;
		case DW_ABSENT: res->n_absent++; break;
		}
		if (meta && f == DW_DATA) {
			const uint8_t *out;
			bool copied;

			rc = page_output(s, pc, buf, stored, slen, sflags, &out, &meta[i].size, &meta[i].flags, &copied,
					 err);
			if (rc < 0) {
				sf_err_prefix(err, "pfn 0x%llx", (unsigned long long)s->pfns[i]);
				goto out;
			}
			res->n_copied += copied;
			rc = store_put(st, out, meta[i].size, err);
		} else if (f == DW_DATA) {
			rc = store_put(st, buf, s->page_size, err);
		}
		if (rc < 0)
			goto out;
	}
out:
	free(buf);
	free(stored);
	return rc;
}

/* ---- bitmaps ---- */

/*
 * Writes one bitmap of nblocks blocks: bit pfn set when fate[i] is in mask.
 * One block buffer; blocks without a set bit are written from it zeroed.
 */
static int write_bitmap(struct outfile *of, const struct dumpwrite_src *s, const uint8_t *fate, unsigned mask,
			uint64_t nblocks, uint8_t *block, struct sf_err *err)
{
	uint64_t bits_per_block = (uint64_t)s->page_size * 8;
	size_t i = 0;

	for (uint64_t b = 0; b < nblocks; b++) {
		uint64_t lo = b * bits_per_block, hi = lo + bits_per_block;
		int rc;

		memset(block, 0, s->page_size);
		while (i < s->npfns && s->pfns[i] < hi) {
			if (s->pfns[i] >= lo && ((1u << fate[i]) & mask)) {
				uint64_t bit = s->pfns[i] - lo;

				block[bit / 8] |= (uint8_t)(1u << (bit % 8));
			}
			i++;
		}
		rc = outfile_write(of, block, s->page_size, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int write_zeros(struct outfile *of, size_t n, struct sf_err *err)
{
	static const uint8_t zeros[4096];

	while (n) {
		size_t c = n < sizeof(zeros) ? n : sizeof(zeros);
		int rc = outfile_write(of, zeros, c, err);

		if (rc < 0)
			return rc;
		n -= c;
	}
	return 0;
}

/* ---- headers ---- */

static void build_header(uint8_t *h, const struct dumpwrite_src *s, uint32_t status, uint32_t sub_hdr_size,
			 uint32_t bitmap_blocks, uint64_t max_mapnr)
{
	bool be = s->big_endian;

	memset(h, 0, KDUMP_HEADER_SIZE);
	memcpy(h, "KDUMP   ", 8);
	dw_st32(h + 8, 6, be);				/* header_version */
	for (int i = 0; i < 6; i++)			/* utsname at 12, 6 x 65 */
		memcpy(h + 12 + 65 * i, s->uts[i], DW_UTS_LEN);
	dw_st64(h + 408, (uint64_t)s->tv_sec, be);	/* struct timeval, 8-aligned after 402 */
	dw_st64(h + 416, (uint64_t)s->tv_usec, be);
	dw_st32(h + 424, status, be);
	dw_st32(h + 428, s->page_size, be);		/* block_size */
	dw_st32(h + 432, sub_hdr_size, be);
	dw_st32(h + 436, bitmap_blocks, be);
	/* max_mapnr: 32-bit and obsolete; v6 readers take max_mapnr_64.  Saturate like makedumpfile. */
	dw_st32(h + 440, max_mapnr > UINT32_MAX ? UINT32_MAX : (uint32_t)max_mapnr, be);
	/* total_ram_blocks, device_blocks, written_blocks, current_cpu: 0 (makedumpfile leaves them) */
	dw_st32(h + 460, (uint32_t)s->nr_cpus, be);
}

static void build_sub_header(uint8_t *h, const struct dumpwrite_src *s, uint64_t max_mapnr, uint64_t note_off,
			     uint64_t note_len, uint64_t vmci_off, uint64_t vmci_len, uint64_t erase_off)
{
	bool be = s->big_endian;

	memset(h, 0, KDUMP_SUB_HEADER_SIZE);
	dw_st64(h + 0, s->phys_base, be);
	dw_st32(h + 8, (uint32_t)s->dump_level, be);
	dw_st32(h + 12, 0, be);				/* split */
	dw_st64(h + 16, 0, be);				/* start_pfn (obsolete) */
	dw_st64(h + 24, 0, be);				/* end_pfn: makedumpfile sets start/end only for --split */
	dw_st64(h + 32, vmci_len ? vmci_off : 0, be);
	dw_st64(h + 40, vmci_len, be);
	dw_st64(h + 48, note_len ? note_off : 0, be);
	dw_st64(h + 56, note_len, be);
	dw_st64(h + 64, s->eraseinfo_len ? erase_off : 0, be);
	dw_st64(h + 72, s->eraseinfo_len, be);
	dw_st64(h + 80, 0, be);				/* start_pfn_64 */
	dw_st64(h + 88, 0, be);				/* end_pfn_64 (split only) */
	dw_st64(h + 96, max_mapnr, be);			/* max_mapnr_64 */
}

int minicore_write_kdump(struct outfile *of, const struct dumpwrite_src *s, enum page_codec codec,
			 struct dumpwrite_result *res, struct sf_err *err)
{
	struct page_compressor *pc = NULL;
	struct dw_meta *meta = NULL;
	struct dw_store store = { .cap = s->store_cap ? s->store_cap : DW_STORE_CAP };
	size_t k = 0, spos = 0;
	uint8_t *fate = res->fate, *own_fate = NULL, *notes = NULL, *block = NULL, *page = NULL, *stored = NULL;
	size_t notes_len = 0, vmci_off = 0, vmci_len = 0;
	uint64_t bs = s->page_size, max_mapnr = 1, bitmap_half, sub_hdr_size, ndesc, off, data_off, zero_off;
	uint8_t hdr[KDUMP_HEADER_SIZE], sub[KDUMP_SUB_HEADER_SIZE];
	int rc;

	memset(res, 0, sizeof(*res));
	res->fate = fate;
	if (s->npfns > DW_MAX_PFNS)
		return sf_err_set(err, SF_ENOMEM, "%zu pages to write is above the cap", s->npfns);
	if (!fate)
		fate = own_fate = malloc(s->npfns ? s->npfns : 1);
	meta = calloc(s->npfns ? s->npfns : 1, sizeof(*meta));
	block = malloc(bs);
	page = malloc(bs);
	stored = malloc(bs);
	if (!fate || !meta || !block || !page || !stored) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %zu page records", s->npfns);
		goto out;
	}
	rc = compress_create(codec, s->page_size, &pc, err);
	if (rc < 0)
		goto out;
	rc = dumpwrite_scan(s, pc, fate, meta, &store, res, err);
	if (rc < 0)
		goto out;
	rc = dumpwrite_notes(s, &notes, &notes_len, &vmci_off, &vmci_len, err);
	if (rc < 0)
		goto out;

	/*
	 * max_mapnr: one past the highest pfn we describe.  The bitmaps must
	 * span [0, max_mapnr) and are the only part of the file whose size
	 * follows the machine's memory; pages above the last kept one are not
	 * in the file either way, so the map ends there.
	 */
	for (size_t i = s->npfns; i-- > 0;)
		if (fate[i] != DW_ABSENT) {
			max_mapnr = s->pfns[i] + 1;
			break;
		}
	bitmap_half = (max_mapnr + bs * 8 - 1) / (bs * 8);
	sub_hdr_size = (KDUMP_SUB_HEADER_SIZE + notes_len + bs - 1) / bs;
	if (2 * bitmap_half > UINT32_MAX || sub_hdr_size > INT32_MAX) {
		rc = sf_err_set(err, SF_ERANGE, "dump too large for the kdump header's 32-bit block counts");
		goto out;
	}
	ndesc = res->n_data + res->n_zero;
	data_off = (1 + sub_hdr_size + 2 * bitmap_half) * bs + ndesc * PAGE_DESC_SIZE;
	zero_off = data_off;
	off = data_off + (res->n_zero ? bs : 0);
	for (size_t i = 0; i < s->npfns; i++)
		if (fate[i] == DW_DATA)
			off += meta[i].size;
	res->data_bytes = off - data_off;
	res->max_mapnr = max_mapnr;

	/* block 0 and the sub-header blocks */
	build_header(hdr, s, compress_kdump_flag(codec), (uint32_t)sub_hdr_size, (uint32_t)(2 * bitmap_half),
		     max_mapnr);
	build_sub_header(sub, s, max_mapnr, bs + KDUMP_SUB_HEADER_SIZE, notes_len, bs + KDUMP_SUB_HEADER_SIZE + vmci_off,
			 vmci_len, off);
	if ((rc = outfile_write(of, hdr, sizeof(hdr), err)) < 0 ||
	    (rc = write_zeros(of, bs - sizeof(hdr), err)) < 0 ||
	    (rc = outfile_write(of, sub, sizeof(sub), err)) < 0 ||
	    (rc = outfile_write(of, notes, notes_len, err)) < 0 ||
	    (rc = write_zeros(of, sub_hdr_size * bs - sizeof(sub) - notes_len, err)) < 0)
		goto out;
	/* 1st bitmap: pfns we know are RAM (kept ones); 2nd: pfns with data */
	rc = write_bitmap(of, s, fate, 1u << DW_DATA | 1u << DW_ZERO | 1u << DW_RAM_ONLY, bitmap_half, block, err);
	if (rc < 0)
		goto out;
	rc = write_bitmap(of, s, fate, 1u << DW_DATA | 1u << DW_ZERO, bitmap_half, block, err);
	if (rc < 0)
		goto out;
	/* descriptors */
	off = data_off + (res->n_zero ? bs : 0);
	for (size_t i = 0; i < s->npfns; i++) {
		uint8_t d[PAGE_DESC_SIZE] = { 0 };

		if (fate[i] == DW_ZERO) {
			dw_st64(d, zero_off, s->big_endian);
			dw_st32(d + 8, (uint32_t)bs, s->big_endian);
		} else if (fate[i] == DW_DATA) {
			dw_st64(d, off, s->big_endian);
			dw_st32(d + 8, meta[i].size, s->big_endian);
			dw_st32(d + 12, meta[i].flags, s->big_endian);
			off += meta[i].size;
		} else {
			continue;
		}
		rc = outfile_write(of, d, sizeof(d), err);
		if (rc < 0)
			goto out;
	}
	/* the shared zero page, then the data: from the store, the rest re-read and re-compressed */
	if (res->n_zero && (rc = write_zeros(of, bs, err)) < 0)
		goto out;
	for (size_t i = 0; i < s->npfns; i++) {
		enum dw_page_fate f;
		const uint8_t *outp;
		uint32_t olen, oflags, sflags;
		size_t slen;
		bool copied;

		if (fate[i] != DW_DATA)
			continue;
		if (k < store.npages) {
			rc = outfile_write(of, store.buf + spos, meta[i].size, err);
			if (rc < 0)
				goto out;
			spos += meta[i].size;
			k++;
			continue;
		}
		rc = read_classify(s, s->pfns[i], page, stored, bs, &slen, &sflags, &f, err);
		if (rc == 0 && f == DW_DATA)
			rc = page_output(s, pc, page, stored, slen, sflags, &outp, &olen, &oflags, &copied, err);
		if (rc < 0) {
			sf_err_prefix(err, "pfn 0x%llx", (unsigned long long)s->pfns[i]);
			goto out;
		}
		if (f != DW_DATA || olen != meta[i].size || oflags != meta[i].flags) {
			rc = sf_err_set(err, SF_EIO, "pfn 0x%llx read back differently in the writing pass",
					(unsigned long long)s->pfns[i]);
			goto out;
		}
		rc = outfile_write(of, outp, olen, err);
		if (rc < 0)
			goto out;
	}
	if (s->eraseinfo_len && (rc = outfile_write(of, s->eraseinfo, s->eraseinfo_len, err)) < 0)
		goto out;
	res->file_bytes = off + s->eraseinfo_len;
out:
	compress_destroy(pc);
	free(store.buf);
	free(meta);
	free(own_fate);
	free(notes);
	free(block);
	free(page);
	free(stored);
	return rc;
}
