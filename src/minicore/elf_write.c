// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writer of the minimized dump as an ELF64 core (-E), the shape of
 * /proc/vmcore and `makedumpfile -E`:
 *
 *   Elf64_Ehdr (64)
 *   Elf64_Phdr[] (56 each): PT_NOTE, then one PT_LOAD per run of kept pfns
 *   [Elf64_Shdr (64), only when there are >= PN_XNUM program headers:
 *    the real count is in its sh_info]
 *   note area (every CPU's NT_PRSTATUS, VMCOREINFO, ...)
 *   page data of each PT_LOAD in order
 *
 * A run is a maximal sequence of consecutive kept pfns: the pages with data
 * (zero pages included, written out so they read back byte for byte),
 * followed by pages that were RAM but had no data in the source, which
 * become the p_memsz > p_filesz tail exactly as `makedumpfile -E` encodes
 * excluded pages.  p_vaddr is 0 (physical-only segments, like qemu's dumps).
 * Pages are uncompressed; the ELF format has no per-page compression.  The
 * sizing pass keeps up to DW_STORE_CAP bytes of page data for the writing
 * pass (see minicore/dumpwrite.h); zero pages are written without a re-read.
 */
#include <stdlib.h>
#include <string.h>

#include "minicore/dumpwrite.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define SHDR_SIZE 64
#define PN_XNUM 0xffff
#define PT_LOAD 1
#define PT_NOTE 4
#define ET_CORE 4
#define PF_RWX 7

struct elf_run {
	size_t first, nfile, nmem;	/* index in pfns; pages with data; pages in total */
};

/* Splits the kept pfns into runs; returns how many (runs may be NULL to count). */
static size_t make_runs(const struct dumpwrite_src *s, const uint8_t *fate, struct elf_run *runs)
{
	size_t n = 0, i = 0;

	while (i < s->npfns) {
		struct elf_run r = { i, 0, 0 };

		if (fate[i] == DW_ABSENT) {
			i++;
			continue;
		}
		while (i < s->npfns && (fate[i] == DW_DATA || fate[i] == DW_ZERO) &&
		       (r.nmem == 0 || s->pfns[i] == s->pfns[i - 1] + 1)) {
			r.nfile++;
			r.nmem++;
			i++;
		}
		while (i < s->npfns && fate[i] == DW_RAM_ONLY && (r.nmem == 0 || s->pfns[i] == s->pfns[i - 1] + 1)) {
			r.nmem++;
			i++;
		}
		if (runs)
			runs[n] = r;
		n++;
	}
	return n;
}

static void put_phdr(uint8_t *p, bool be, uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
		     uint64_t memsz, uint64_t align)
{
	memset(p, 0, PHDR_SIZE);
	dw_st32(p, type, be);
	dw_st32(p + 4, PF_RWX, be);
	dw_st64(p + 8, off, be);
	dw_st64(p + 16, 0, be);		/* p_vaddr */
	dw_st64(p + 24, paddr, be);
	dw_st64(p + 32, filesz, be);
	dw_st64(p + 40, memsz, be);
	dw_st64(p + 48, align, be);
}

int minicore_write_elf(struct outfile *of, const struct dumpwrite_src *s, struct dumpwrite_result *res,
		       struct sf_err *err)
{
	uint8_t *fate = res->fate, *own_fate = NULL, *notes = NULL, *page = NULL;
	struct dw_store store = { .cap = s->store_cap ? s->store_cap : DW_STORE_CAP };
	size_t k = 0;
	struct elf_run *runs = NULL;
	size_t notes_len = 0, vmci_off, vmci_len, nruns, nphdr;
	uint8_t eh[EHDR_SIZE] = { 0 }, ph[PHDR_SIZE];
	bool be = s->big_endian, xnum;
	uint64_t off, hdr_end;
	int rc;

	memset(res, 0, sizeof(*res));
	res->fate = fate;
	if (!fate)
		fate = own_fate = malloc(s->npfns ? s->npfns : 1);
	page = malloc(s->page_size);
	if (!fate || !page) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %zu page records", s->npfns);
		goto out;
	}
	rc = dumpwrite_scan(s, NULL, fate, NULL, &store, res, err);
	if (rc < 0)
		goto out;
	rc = dumpwrite_notes(s, &notes, &notes_len, &vmci_off, &vmci_len, err);
	if (rc < 0)
		goto out;
	nruns = make_runs(s, fate, NULL);
	runs = calloc(nruns ? nruns : 1, sizeof(*runs));
	if (!runs) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %zu segments", nruns);
		goto out;
	}
	make_runs(s, fate, runs);
	nphdr = 1 + nruns;
	xnum = nphdr >= PN_XNUM;
	if (nphdr > UINT32_MAX) {
		rc = sf_err_set(err, SF_ERANGE, "%zu segments do not fit an ELF core", nphdr);
		goto out;
	}

	hdr_end = EHDR_SIZE + (uint64_t)nphdr * PHDR_SIZE + (xnum ? SHDR_SIZE : 0);
	memcpy(eh, "\177ELF", 4);
	eh[4] = 2;			/* ELFCLASS64 */
	eh[5] = be ? 2 : 1;		/* ELFDATA2MSB / LSB */
	eh[6] = 1;			/* EV_CURRENT */
	dw_st16(eh + 16, ET_CORE, be);
	dw_st16(eh + 18, s->e_machine, be);
	dw_st32(eh + 20, 1, be);
	dw_st64(eh + 32, EHDR_SIZE, be);			/* e_phoff */
	dw_st64(eh + 40, xnum ? hdr_end - SHDR_SIZE : 0, be);	/* e_shoff */
	dw_st16(eh + 52, EHDR_SIZE, be);
	dw_st16(eh + 54, PHDR_SIZE, be);
	dw_st16(eh + 56, xnum ? PN_XNUM : (uint16_t)nphdr, be);
	dw_st16(eh + 58, xnum ? SHDR_SIZE : 0, be);
	dw_st16(eh + 60, xnum ? 1 : 0, be);
	rc = outfile_write(of, eh, sizeof(eh), err);
	if (rc < 0)
		goto out;
	put_phdr(ph, be, PT_NOTE, hdr_end, 0, notes_len, notes_len, 4);
	rc = outfile_write(of, ph, sizeof(ph), err);
	if (rc < 0)
		goto out;
	off = hdr_end + notes_len;
	for (size_t r = 0; r < nruns; r++) {
		uint64_t paddr = s->pfns[runs[r].first] * (uint64_t)s->page_size;

		put_phdr(ph, be, PT_LOAD, off, paddr, (uint64_t)runs[r].nfile * s->page_size,
			 (uint64_t)runs[r].nmem * s->page_size, s->page_size);
		rc = outfile_write(of, ph, sizeof(ph), err);
		if (rc < 0)
			goto out;
		off += (uint64_t)runs[r].nfile * s->page_size;
	}
	if (xnum) {
		uint8_t sh[SHDR_SIZE] = { 0 };

		dw_st32(sh + 44, (uint32_t)nphdr, be);	/* sh_info */
		rc = outfile_write(of, sh, sizeof(sh), err);
		if (rc < 0)
			goto out;
	}
	rc = outfile_write(of, notes, notes_len, err);
	if (rc < 0)
		goto out;
	for (size_t r = 0; r < nruns; r++) {
		for (size_t i = runs[r].first; i < runs[r].first + runs[r].nfile; i++) {
			enum dw_page_fate f;

			if (fate[i] == DW_ZERO || k < store.npages) {
				const uint8_t *src = page;

				if (fate[i] == DW_ZERO)
					memset(page, 0, s->page_size);
				else
					src = store.buf + (k++) * (size_t)s->page_size;
				rc = outfile_write(of, src, s->page_size, err);
				if (rc < 0)
					goto out;
				continue;
			}
			rc = dumpwrite_read(s, s->pfns[i], page, &f, err);
			if (rc < 0) {
				sf_err_prefix(err, "pfn 0x%llx", (unsigned long long)s->pfns[i]);
				goto out;
			}
			if (f != fate[i]) {
				rc = sf_err_set(err, SF_EIO, "pfn 0x%llx read back differently in the writing pass",
						(unsigned long long)s->pfns[i]);
				goto out;
			}
			rc = outfile_write(of, page, s->page_size, err);
			if (rc < 0)
				goto out;
		}
	}
	res->data_bytes = (res->n_data + res->n_zero) * (uint64_t)s->page_size;
	res->file_bytes = off;
	res->max_mapnr = s->max_pfn;
out:
	free(store.buf);
	free(own_fate);
	free(notes);
	free(page);
	free(runs);
	return rc;
}
