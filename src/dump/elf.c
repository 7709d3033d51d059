// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ELF vmcores: /proc/vmcore saved as it is, `makedumpfile -E` filtered
 * dumps, qemu's dump-guest-memory ELF (ELF64 or ELF32, either byte order,
 * PN_XNUM for more than 65535 program headers).
 *
 *   +------------+  Elf64_Ehdr (e_phnum == 0xffff: count in section header 0's sh_info)
 *   | ELF header |
 *   +------------+  e_phoff: PT_NOTE (all CPUs' NT_PRSTATUS, VMCOREINFO, QEMU, ERASEINFO notes)
 *   | phdrs      |           PT_LOAD ... (p_paddr: physical; p_vaddr: kernel text or direct map;
 *   +------------+                       qemu: p_vaddr 0)
 *   | notes      |
 *   | segment    |  p_offset .. p_offset + p_filesz: the segment's first p_filesz bytes
 *   | data ...   |
 *   +------------+
 *
 * Pages are found by physical address (p_paddr).  The program headers are
 * turned at open time into a sorted table of disjoint physical intervals,
 * each saying which segment supplies it and how, so a page lookup is one
 * binary search.  Per segment, [p_paddr, p_paddr + p_memsz) is cut into
 *
 *   data     [p_paddr, + p_filesz) that is inside the file,
 *   missing  the part of p_filesz beyond the end of the file (truncated dump),
 *   tail     [p_paddr + p_filesz, + p_memsz).
 *
 * Overlapping segments (the kernel-text PT_LOAD overlaps the direct-map
 * PT_LOADs in every x86_64 /proc/vmcore; makedumpfile -E keeps that) are
 * resolved as: data beats missing beats tail; among equals, the segment that
 * comes first in the program header table wins, which is what makedumpfile's
 * and crash's paddr_to_offset() do (first match in table order).  Overlapping
 * data holds the same bytes in real dumps; the order only matters for
 * crafted files, and libkdumpfile's peer corpus (elf-overlap, elf-fractional)
 * does not tell the two orders apart.
 *
 * What a page reads as:
 *  - no byte covered by any segment: PAGE_NOT_IN_MEMORY;
 *  - any byte in a "missing" interval: PAGE_MISSING (libkdumpfile returns
 *    zeros for data past the end of a truncated file; we must not invent
 *    memory contents);
 *  - no data byte but some tail byte: PAGE_EXCLUDED.  makedumpfile -E
 *    (write_elf_pages_cyclic()) drops runs of >= PFN_EXCLUDED (256) pages
 *    that the filter excluded -- including zero pages under dump level bit 0,
 *    which it counts as excluded -- by ending the PT_LOAD there with
 *    p_memsz covering the run and p_filesz not; shorter runs are written out.
 *    A whole-page tail is therefore a filtered page (the same page the kdump
 *    format marks clear in its 2nd bitmap), not known zeros.  libkdumpfile
 *    agrees: a whole-page tail is "Page not found" (peer elf-overlap).
 *  - some data: PAGE_PRESENT.  The remaining bytes of the page are either
 *    outside every segment (sub-page holes of the memory map, e.g. e820 RAM
 *    ending at 0x9fc00) or a sub-page p_memsz tail, which makedumpfile never
 *    produces (it filters whole pages); the ELF specification defines memory
 *    past p_filesz as zero-filled.  Both read as zeros, as in libkdumpfile.
 *    The page is still reported as present, because every byte of it that is
 *    RAM and was dumped is real.
 * ELF dumps have no shared zero page, so PAGE_ZERO is never returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "format.h"

#define ELF_MAX_SEGMENTS (1u << 20)	/* program headers accepted; more is refused */
#define ELF_NOTE_MAX DUMP_NOTE_AREA_MAX

#define PT_LOAD 1
#define PT_NOTE 4
#define ET_CORE 4
#define PN_XNUM 0xffff

#define EM_386 3
#define EM_MIPS 8
#define EM_PPC 20
#define EM_PPC64 21
#define EM_S390 22
#define EM_ARM 40
#define EM_X86_64 62
#define EM_AARCH64 183
#define EM_RISCV 243
#define EM_LOONGARCH 258

enum ival_kind { IV_DATA = 0, IV_MISSING = 1, IV_TAIL = 2 };	/* lower = stronger */

struct elf_seg {
	uint64_t start, end;		/* physical [p_paddr, p_paddr + p_memsz) */
	uint64_t data_end;		/* p_paddr + p_filesz (<= end) */
	uint64_t avail_end;		/* end of the part of the data inside the file (<= data_end) */
	uint64_t offset;		/* p_offset */
	uint32_t phdr;			/* program header index (precedence) */
};

/* A resolved, disjoint physical interval. */
struct elf_ival {
	uint64_t start, end;
	uint32_t seg;
	uint8_t kind;
};

struct elf_priv {
	struct source *src;
	struct elf_seg *segs;
	size_t nsegs;
	struct elf_ival *ivals;
	size_t nivals;
};

struct elf_hdr {
	bool is64, be;
	uint16_t type, machine;
	uint64_t phoff, shoff;
	uint32_t phentsize, shentsize;
	uint64_t phnum;
	uint32_t shnum;
};

static bool elf_probe(const uint8_t *head, size_t headlen)
{
	return headlen >= 4 && !memcmp(head, "\177ELF", 4);
}

static int elf_parse_ehdr(struct source *src, struct elf_hdr *h, struct sf_err *err)
{
	uint8_t e[64];
	const char *name = source_name(src);
	size_t need;
	int rc;

	if (source_size(src) < 52)
		return sf_err_set(err, SF_ETRUNC, "%s: ELF header: the file has %llu bytes, an ELF header needs 52 or 64",
				  name, (unsigned long long)source_size(src));
	rc = source_read(src, 0, e, 16, "ELF identification", err);
	if (rc < 0)
		return rc;
	if (e[4] != 1 && e[4] != 2)
		return sf_err_set(err, SF_ECORRUPT, "%s: ELF header: offset 4: EI_CLASS %u (expected 1 ELF32 or 2 ELF64)", name, e[4]);
	if (e[5] != 1 && e[5] != 2)
		return sf_err_set(err, SF_ECORRUPT, "%s: ELF header: offset 5: EI_DATA %u (expected 1 little- or 2 big-endian)", name, e[5]);
	h->is64 = e[4] == 2;
	h->be = e[5] == 2;
	need = h->is64 ? 64 : 52;
	rc = source_read(src, 0, e, need, "ELF header", err);
	if (rc < 0)
		return rc;
	h->type = ld16(e + 16, h->be);
	h->machine = ld16(e + 18, h->be);
	if (h->is64) {
		h->phoff = ld64(e + 32, h->be);
		h->shoff = ld64(e + 40, h->be);
		h->phentsize = ld16(e + 54, h->be);
		h->phnum = ld16(e + 56, h->be);
		h->shentsize = ld16(e + 58, h->be);
		h->shnum = ld16(e + 60, h->be);
	} else {
		h->phoff = ld32(e + 28, h->be);
		h->shoff = ld32(e + 32, h->be);
		h->phentsize = ld16(e + 42, h->be);
		h->phnum = ld16(e + 44, h->be);
		h->shentsize = ld16(e + 46, h->be);
		h->shnum = ld16(e + 48, h->be);
	}
	if (h->type != ET_CORE)
		return sf_err_set(err, SF_ENOTSUP, "%s: ELF header: offset 16: e_type %u is not ET_CORE (4); not a vmcore",
				  name, h->type);
	if (h->phnum == PN_XNUM) {
		/* More than 65534 program headers: the real count is sh_info of section header 0 (gABI). */
		uint8_t sh[64];
		size_t shsz = h->is64 ? 64 : 40;

		if (!h->shoff || h->shentsize < shsz)
			return sf_err_set(err, SF_ECORRUPT, "%s: ELF header: e_phnum is PN_XNUM but there is no section header 0 (e_shoff 0x%llx, e_shentsize %u)",
					  name, (unsigned long long)h->shoff, h->shentsize);
		rc = source_read(src, h->shoff, sh, shsz, "section header 0 (PN_XNUM count)", err);
		if (rc < 0)
			return rc;
		h->phnum = ld32(sh + (h->is64 ? 44 : 28), h->be);
	}
	if (h->phnum == 0 && h->shnum > 0)
		return sf_err_set(err, SF_ENOTSUP, "%s: ELF core with no program headers but %u section headers (a Xen xc_core dump?): not supported",
				  name, h->shnum);
	return 0;
}

/* Default page size when VMCOREINFO has no PAGESIZE; *sure is false when the arch has several. */
static uint32_t elf_default_page_size(uint16_t machine, bool *sure)
{
	*sure = true;
	switch (machine) {
	case EM_386: case EM_X86_64: case EM_S390: case EM_ARM: case EM_RISCV: case EM_MIPS: case EM_PPC:
		return 4096;
	case EM_PPC64:
		*sure = false;	/* 64 KiB is the distributions' (and libkdumpfile's) default; 4 KiB exists */
		return 65536;
	case EM_LOONGARCH:
		*sure = false;
		return 16384;
	default:		/* aarch64 (4K/16K/64K) and anything unknown */
		*sure = false;
		return 4096;
	}
}

/* PAGESIZE=N from the VMCOREINFO text, 0 if absent or not a number. */
static uint64_t vmcoreinfo_pagesize(const char *vi, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t eol = i;

		while (eol < len && vi[eol] != '\n')
			eol++;
		if (eol - i > 9 && !memcmp(vi + i, "PAGESIZE=", 9)) {
			uint64_t v = 0;

			for (size_t k = i + 9; k < eol; k++) {
				if (vi[k] < '0' || vi[k] > '9' || v > (1ull << 40))
					return 0;
				v = v * 10 + (uint64_t)(vi[k] - '0');
			}
			return v;
		}
		i = eol + 1;
	}
	return 0;
}

/* ---- resolving overlapping segments into disjoint intervals ---- */

struct piece {
	uint64_t start, end;
	uint32_t seg, phdr;
	uint8_t kind;
};

static int cmp_piece_start(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Heap order: stronger kind first, then lower program header index. */
static bool piece_before(const struct piece *x, const struct piece *y)
{
	return x->kind != y->kind ? x->kind < y->kind : x->phdr < y->phdr;
}

static void heap_push(uint32_t *heap, size_t *n, const struct piece *pc, uint32_t v)
{
	size_t i = (*n)++;

	heap[i] = v;
	while (i && piece_before(&pc[heap[i]], &pc[heap[(i - 1) / 2]])) {
		uint32_t t = heap[i];

		heap[i] = heap[(i - 1) / 2];
		heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_pop(uint32_t *heap, size_t *n, const struct piece *pc)
{
	size_t i = 0;

	heap[0] = heap[--*n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < *n && piece_before(&pc[heap[l]], &pc[heap[m]]))
			m = l;
		if (r < *n && piece_before(&pc[heap[r]], &pc[heap[m]]))
			m = r;
		if (m == i)
			break;
		uint32_t t = heap[i];

		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

static int ival_add(struct elf_priv *p, size_t *cap, uint64_t s, uint64_t e, uint32_t seg, uint8_t kind)
{
	if (p->nivals && p->ivals[p->nivals - 1].end == s && p->ivals[p->nivals - 1].seg == seg &&
	    p->ivals[p->nivals - 1].kind == kind) {
		p->ivals[p->nivals - 1].end = e;
		return 0;
	}
	if (p->nivals == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct elf_ival *n = realloc(p->ivals, ncap * sizeof(*n));

		if (!n)
			return -1;
		p->ivals = n;
		*cap = ncap;
	}
	p->ivals[p->nivals++] = (struct elf_ival){ s, e, seg, kind };
	return 0;
}

/*
 * Sweep over the pieces in start order with a heap of the active ones; the
 * heap top owns the physical range until it ends or a new piece starts.
 * Pieces that ended are dropped lazily when they reach the top.
 * O(m log m) for m pieces.
 */
static int elf_resolve_intervals(struct elf_priv *p, struct sf_err *err)
{
	struct piece *pc = malloc(3 * p->nsegs * sizeof(*pc) + 1);
	uint32_t *heap = malloc(3 * p->nsegs * sizeof(*heap) + 1);
	size_t m = 0, nh = 0, i = 0, cap = 0;
	uint64_t pos = 0;
	int rc = 0;

	if (!pc || !heap) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %zu segments", p->nsegs);
		goto out;
	}
	for (size_t s = 0; s < p->nsegs; s++) {
		const struct elf_seg *sg = &p->segs[s];

		if (sg->avail_end > sg->start)
			pc[m++] = (struct piece){ sg->start, sg->avail_end, (uint32_t)s, sg->phdr, IV_DATA };
		if (sg->data_end > sg->avail_end)
			pc[m++] = (struct piece){ sg->avail_end, sg->data_end, (uint32_t)s, sg->phdr, IV_MISSING };
		if (sg->end > sg->data_end)
			pc[m++] = (struct piece){ sg->data_end, sg->end, (uint32_t)s, sg->phdr, IV_TAIL };
	}
	qsort(pc, m, sizeof(*pc), cmp_piece_start);
	while (i < m || nh) {
		while (i < m && pc[i].start <= pos)
			heap_push(heap, &nh, pc, (uint32_t)i++);
		while (nh && pc[heap[0]].end <= pos)
			heap_pop(heap, &nh, pc);
		if (!nh) {
			if (i >= m)
				break;
			pos = pc[i].start;
			continue;
		}
		const struct piece *t = &pc[heap[0]];
		uint64_t next = t->end;

		if (i < m && pc[i].start < next)
			next = pc[i].start;
		if (ival_add(p, &cap, pos, next, t->seg, t->kind) < 0) {
			rc = sf_err_set(err, SF_ENOMEM, "out of memory for the segment map");
			goto out;
		}
		pos = next;
	}
out:
	free(pc);
	free(heap);
	return rc;
}

/* ---- page lookup ---- */

/* Index of the first interval with end > addr (nivals if none). */
static size_t ival_find(const struct elf_priv *p, uint64_t addr)
{
	size_t lo = 0, hi = p->nivals;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->ivals[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The state of the page at [a, a + psz) and, with buf, its bytes.  Returns 0
 * or a negative code from reading the file (state PAGE_MISSING then).
 */
static int elf_resolve_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	const struct elf_priv *p = d->priv;
	uint64_t psz = d->info.page_size, a, e;
	bool any_data = false, any_missing = false, any_tail = false, whole = false;
	size_t i, first;

	*state = PAGE_NOT_IN_MEMORY;
	if (pfn >= d->info.max_pfn || mul_overflows_u64(pfn, psz, &a) || add_overflows_u64(a, psz, &e))
		return 0;
	first = ival_find(p, a);
	for (i = first; i < p->nivals && p->ivals[i].start < e; i++) {
		const struct elf_ival *iv = &p->ivals[i];

		if (iv->start <= a && iv->end >= e)
			whole = true;
		if (iv->kind == IV_DATA)
			any_data = true;
		else if (iv->kind == IV_MISSING)
			any_missing = true;
		else
			any_tail = true;
	}
	if (any_missing)
		*state = PAGE_MISSING;
	else if (any_data)
		*state = PAGE_PRESENT;
	else if (any_tail)
		*state = PAGE_EXCLUDED;
	if (!buf || *state != PAGE_PRESENT)
		return 0;
	if (!whole)
		memset(buf, 0, psz);
	for (i = first; i < p->nivals && p->ivals[i].start < e; i++) {
		const struct elf_ival *iv = &p->ivals[i];
		const struct elf_seg *sg = &p->segs[iv->seg];
		uint64_t s = iv->start > a ? iv->start : a, t = iv->end < e ? iv->end : e;
		int rc;

		if (iv->kind != IV_DATA)
			continue;
		rc = source_read(p->src, sg->offset + (s - sg->start), (uint8_t *)buf + (s - a), (size_t)(t - s),
				 "page data", err);
		if (rc < 0) {
			*state = PAGE_MISSING;
			return rc;
		}
	}
	return 0;
}

/* The file bytes of each page's data intervals, as elf_resolve_page() would read them. */
static void elf_prefetch(struct dump *d, const uint64_t *pfns, size_t n)
{
	const struct elf_priv *p = d->priv;
	struct source_range r[64];
	uint64_t psz = d->info.page_size;
	size_t nr = 0;

	for (size_t k = 0; k < n; k++) {
		uint64_t a, e;

		if (pfns[k] >= d->info.max_pfn || mul_overflows_u64(pfns[k], psz, &a) || add_overflows_u64(a, psz, &e))
			continue;
		for (size_t i = ival_find(p, a); i < p->nivals && p->ivals[i].start < e; i++) {
			const struct elf_ival *iv = &p->ivals[i];
			uint64_t s = iv->start > a ? iv->start : a, t = iv->end < e ? iv->end : e;
			uint64_t off = p->segs[iv->seg].offset + (s - p->segs[iv->seg].start);

			if (iv->kind != IV_DATA)
				continue;
			if (nr && r[nr - 1].off + r[nr - 1].len == off) {
				r[nr - 1].len += t - s;	/* contiguous in the file: one range */
				continue;
			}
			if (nr == sizeof(r) / sizeof(r[0])) {
				source_prefetch(p->src, r, nr);
				nr = 0;
			}
			r[nr].off = off;
			r[nr++].len = t - s;
		}
	}
	source_prefetch(p->src, r, nr);
}

static int elf_read_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	int rc = elf_resolve_page(d, pfn, buf, state, err);

	if (rc < 0)
		return sf_err_prefix(err, "pfn 0x%llx", (unsigned long long)pfn);
	switch (*state) {
	case PAGE_PRESENT:
	case PAGE_ZERO:
		return 0;
	case PAGE_EXCLUDED:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%llx was excluded from the dump (PT_LOAD p_memsz beyond p_filesz)",
				  source_name(d->srcs[0]), (unsigned long long)pfn);
	case PAGE_MISSING:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%llx is missing: its data lies beyond the end of the truncated file",
				  source_name(d->srcs[0]), (unsigned long long)pfn);
	default:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%llx is not in memory (in no PT_LOAD segment)",
				  source_name(d->srcs[0]), (unsigned long long)pfn);
	}
}

static enum page_state elf_page_state(struct dump *d, uint64_t pfn)
{
	enum page_state st;
	struct sf_err err;

	elf_resolve_page(d, pfn, NULL, &st, &err);
	return st;
}

static uint64_t elf_next_pfn(struct dump *d, uint64_t pfn)
{
	const struct elf_priv *p = d->priv;
	uint64_t psz = d->info.page_size, a, s;
	size_t i;

	if (pfn >= d->info.max_pfn || mul_overflows_u64(pfn, psz, &a))
		return d->info.max_pfn;
	i = ival_find(p, a);
	if (i >= p->nivals)
		return d->info.max_pfn;
	s = p->ivals[i].start / psz;
	return s > pfn ? s : pfn;
}

/* ---- counts ---- */

static void count_state(struct dump_info *in, enum page_state st, uint64_t n)
{
	if (st == PAGE_NOT_IN_MEMORY)
		return;
	in->n_ram += n;
	if (st == PAGE_PRESENT)
		in->n_dumped += n;
	else if (st == PAGE_EXCLUDED)
		in->n_excluded += n;
	else if (st == PAGE_MISSING)
		in->n_missing += n;
}

/*
 * Page counts without visiting every page: pages wholly inside one interval
 * take its kind; pages holding an interval boundary are resolved one by one
 * (at most two per interval).
 */
static void elf_count_pages(struct dump *d)
{
	const struct elf_priv *p = d->priv;
	uint64_t psz = d->info.page_size, next = 0;	/* pfns below `next` are counted */

	for (size_t i = 0; i < p->nivals; i++) {
		const struct elf_ival *iv = &p->ivals[i];
		uint64_t first = iv->start / psz, last = (iv->end - 1) / psz;
		uint64_t full_lo = iv->start / psz + (iv->start % psz != 0), full_hi = iv->end / psz;
		enum page_state st = iv->kind == IV_DATA ? PAGE_PRESENT : iv->kind == IV_MISSING ? PAGE_MISSING : PAGE_EXCLUDED;
		uint64_t pfn = i && first < next ? next : first;

		while (pfn <= last) {
			if (pfn >= full_lo && pfn < full_hi) {
				count_state(&d->info, st, full_hi - pfn);
				pfn = full_hi;
				continue;
			}
			count_state(&d->info, elf_page_state(d, pfn), 1);
			pfn++;
		}
		if (last + 1 > next)
			next = last + 1;
	}
}

/* ---- open / close ---- */

static void elf_close(struct dump *d)
{
	struct elf_priv *p = d->priv;

	if (!p)
		return;
	free(p->segs);
	free(p->ivals);
	free(p);
	d->priv = NULL;
}

static int cmp_seg_start(const void *a, const void *b)
{
	const struct elf_seg *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->phdr < y->phdr ? -1 : x->phdr > y->phdr;
}

/* Reads every PT_NOTE into one buffer and hands it to dump_set_note_area(). */
static int elf_load_notes(struct dump *d, const struct elf_hdr *h, uint64_t (*notes)[2], size_t nnotes,
			  struct sf_err *err)
{
	struct source *src = d->srcs[0];
	uint64_t total = 0, fsize = source_size(src);
	uint8_t *area;
	size_t len = 0;
	int rc;

	/*
	 * What the file really holds of each segment first (a hostile p_filesz
	 * is clamped to the file, then to what is left of the cap), so the
	 * buffer is sized from the same numbers that are read into it.
	 */
	for (size_t i = 0; i < nnotes; i++) {
		uint64_t off = notes[i][0], sz = notes[i][1];

		if (off >= fsize || sz > fsize - off) {
			uint64_t have = off < fsize ? fsize - off : 0;

			warn_add(d->warnings, "%s: PT_NOTE at offset 0x%llx claims %llu bytes but the file ends after %llu of them; notes are incomplete",
				 source_name(src), (unsigned long long)off, (unsigned long long)sz, (unsigned long long)have);
			d->info.incomplete = true;
			notes[i][1] = have;
		}
		if (notes[i][1] > ELF_NOTE_MAX - total) {
			warn_add(d->warnings, "%s: PT_NOTE at offset 0x%llx: %llu bytes would take the notes above the %u-byte cap; only the first %llu are read",
				 source_name(src), (unsigned long long)off, (unsigned long long)notes[i][1], ELF_NOTE_MAX,
				 (unsigned long long)(ELF_NOTE_MAX - total));
			d->info.incomplete = true;
			notes[i][1] = ELF_NOTE_MAX - total;
		}
		total += notes[i][1];
	}
	area = malloc(total ? total : 1);
	if (!area)
		return sf_err_set(err, SF_ENOMEM, "out of memory for %llu bytes of notes", (unsigned long long)total);
	for (size_t i = 0; i < nnotes; i++) {
		rc = source_read(src, notes[i][0], area + len, (size_t)notes[i][1], "PT_NOTE", err);
		if (rc < 0) {
			free(area);
			return rc;
		}
		len += (size_t)notes[i][1];
	}
	rc = dump_set_note_area(d, area, len, h->be, err);
	free(area);
	return rc;
}

static int elf_open(struct dump *d, struct source *const *srcs, int nsrc, struct sf_err *err)
{
	struct source *src = srcs[0];
	const char *name = source_name(src);
	uint64_t fsize = source_size(src), maxend = 0, missing_bytes = 0, tabsz, fileend = 0;
	uint64_t (*notes)[2] = NULL;
	size_t nnotes = 0, phsz;
	struct elf_priv *p = NULL;
	struct elf_hdr h = { 0 };
	uint8_t *ph = NULL;
	uint64_t pagesize;
	bool sure;
	int rc;

	if (nsrc != 1)
		return sf_err_set(err, SF_EINVAL, "%s: an ELF vmcore is one file, %d were given", name, nsrc);
	rc = elf_parse_ehdr(src, &h, err);
	if (rc < 0)
		return rc;
	phsz = h.is64 ? 56 : 32;
	if (h.phnum > ELF_MAX_SEGMENTS)
		return sf_err_set(err, SF_ENOMEM, "%s: %llu program headers, above the cap of %u",
				  name, (unsigned long long)h.phnum, ELF_MAX_SEGMENTS);
	if (h.phnum && h.phentsize < phsz)
		return sf_err_set(err, SF_ECORRUPT, "%s: ELF header: e_phentsize %u is smaller than a program header (%zu)",
				  name, h.phentsize, phsz);
	/* The table must be in the file before anything is allocated for it. */
	tabsz = h.phnum ? (h.phnum - 1) * h.phentsize + phsz : 0;
	if (h.phnum && (h.phoff > fsize || tabsz > fsize - h.phoff))
		return sf_err_set(err, SF_ETRUNC, "%s: program header table at offset 0x%llx (%llu entries of %u bytes) runs past the end of the file (size %llu)",
				  name, (unsigned long long)h.phoff, (unsigned long long)h.phnum, h.phentsize,
				  (unsigned long long)fsize);
	p = calloc(1, sizeof(*p));
	ph = malloc(tabsz ? tabsz : 1);
	if (p)
		p->segs = malloc((h.phnum ? h.phnum : 1) * sizeof(*p->segs));
	notes = malloc((h.phnum ? h.phnum : 1) * sizeof(*notes));
	if (!p || !ph || !p->segs || !notes) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %llu program headers", (unsigned long long)h.phnum);
		goto fail;
	}
	p->src = src;
	d->priv = p;
	rc = source_read(src, h.phoff, ph, (size_t)tabsz, "program header table", err);
	if (rc < 0)
		goto fail;

	for (uint64_t i = 0; i < h.phnum; i++) {
		const uint8_t *e = ph + i * h.phentsize;
		uint32_t type = ld32(e, h.be);
		uint64_t off, paddr, filesz, memsz, end, fend;

		if (h.is64) {
			off = ld64(e + 8, h.be);
			paddr = ld64(e + 24, h.be);
			filesz = ld64(e + 32, h.be);
			memsz = ld64(e + 40, h.be);
		} else {
			off = ld32(e + 4, h.be);
			paddr = ld32(e + 12, h.be);
			filesz = ld32(e + 16, h.be);
			memsz = ld32(e + 20, h.be);
		}
		if (type == PT_NOTE) {
			notes[nnotes][0] = off;
			notes[nnotes][1] = filesz;
			nnotes++;
			continue;
		}
		if (type != PT_LOAD || memsz == 0)
			continue;
		if (add_overflows_u64(paddr, memsz, &end)) {
			warn_add(d->warnings, "%s: program header %llu: p_paddr 0x%llx + p_memsz 0x%llx overflows; segment ignored",
				 name, (unsigned long long)i, (unsigned long long)paddr, (unsigned long long)memsz);
			continue;
		}
		if (filesz > memsz) {
			warn_add(d->warnings, "%s: program header %llu: p_filesz 0x%llx > p_memsz 0x%llx; the extra file bytes are ignored",
				 name, (unsigned long long)i, (unsigned long long)filesz, (unsigned long long)memsz);
			filesz = memsz;
		}
		struct elf_seg *sg = &p->segs[p->nsegs++];

		sg->start = paddr;
		sg->end = end;
		sg->data_end = paddr + filesz;
		sg->offset = off;
		sg->phdr = (uint32_t)i;
		/* Truncated file: the part of p_filesz past the end of the file is missing, not zero. */
		if (!add_overflows_u64(off, filesz, &fend) && fend > fileend)
			fileend = fend;
		if (add_overflows_u64(off, filesz, &fend) || fend > fsize) {
			uint64_t have = off < fsize ? fsize - off : 0;

			if (have > filesz)
				have = filesz;
			sg->avail_end = paddr + have;
			missing_bytes += filesz - have;
		} else {
			sg->avail_end = sg->data_end;
		}
		if (end > maxend)
			maxend = end;
	}
	if (missing_bytes) {
		warn_add(d->warnings, "%s: the file is truncated (%llu bytes): %llu bytes of segment data lie beyond its end and read as missing pages",
			 name, (unsigned long long)fsize, (unsigned long long)missing_bytes);
		d->info.incomplete = true;
		d->info.size_expected = fileend;
		d->info.size_found = fsize;
	}
	qsort(p->segs, p->nsegs, sizeof(*p->segs), cmp_seg_start);
	rc = elf_resolve_intervals(p, err);
	if (rc < 0)
		goto fail;
	rc = elf_load_notes(d, &h, notes, nnotes, err);
	if (rc < 0)
		goto fail;

	d->info.e_machine = h.machine;
	d->info.big_endian = h.be;
	d->info.elf_class32 = !h.is64;
	d->info.header_version = 0;
	snprintf(d->info.codecs, sizeof(d->info.codecs), "none");
	pagesize = d->vmcoreinfo ? vmcoreinfo_pagesize(d->vmcoreinfo, d->vmcoreinfo_len) : 0;
	if (pagesize && (pagesize & (pagesize - 1) || pagesize < 512 || pagesize > (1u << 20))) {
		warn_add(d->warnings, "%s: VMCOREINFO PAGESIZE=%llu is not a usable page size; using the architecture default",
			 name, (unsigned long long)pagesize);
		pagesize = 0;
	}
	if (!pagesize) {
		pagesize = elf_default_page_size(h.machine, &sure);
		if (!sure)
			warn_add(d->warnings, "%s: no PAGESIZE in VMCOREINFO; assuming %llu-byte pages for ELF machine %u",
				 name, (unsigned long long)pagesize, h.machine);
	}
	d->info.page_size = (uint32_t)pagesize;
	d->info.max_pfn = maxend / pagesize + (maxend % pagesize != 0);
	if (!p->nsegs)
		warn_add(d->warnings, "%s: no PT_LOAD segments: the dump holds no memory", name);
	elf_count_pages(d);
	free(ph);
	free(notes);
	return 0;
fail:
	free(ph);
	free(notes);
	elf_close(d);
	return rc;
}

const struct dump_format dump_format_elf = {
	.name = "elf",
	.probe = elf_probe,
	.open = elf_open,
	.read_page = elf_read_page,
	.page_state = elf_page_state,
	.next_pfn = elf_next_pfn,
	.prefetch = elf_prefetch,
	.close = elf_close,
};
