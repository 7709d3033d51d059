/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A sparse in-memory "physical memory" for tests and fuzzers: pages are
 * allocated on first write; unwritten pages below max_pfn read as zeros,
 * pages at or above it are not in memory.  Plus a page-table builder that
 * writes tables for any struct pt_format-like layout, so every paging mode
 * and granule can be generated.
 */
#ifndef SKBFILTER_TEST_FAKEMEM_H
#define SKBFILTER_TEST_FAKEMEM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/kmem.h"

#define FAKEMEM_MAX_PAGES 4096

struct fakemem {
	uint32_t page_size;
	uint64_t max_pfn;
	size_t n;
	uint64_t pfn[FAKEMEM_MAX_PAGES];
	uint8_t *data[FAKEMEM_MAX_PAGES];
	uint64_t next_table;		/* bump allocator for tables (physical address) */
	uint64_t excluded_pfn;		/* one pfn reported as excluded (0 = none) */
	unsigned reads;
};

static inline void fakemem_init(struct fakemem *m, uint32_t page_size, uint64_t max_pfn, uint64_t table_pool)
{
	memset(m, 0, sizeof(*m));
	m->page_size = page_size;
	m->max_pfn = max_pfn;
	m->next_table = table_pool;
}

static inline void fakemem_free(struct fakemem *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->data[i]);
	m->n = 0;
}

static inline uint8_t *fakemem_page(struct fakemem *m, uint64_t pfn, int create)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->pfn[i] == pfn)
			return m->data[i];
	if (!create || m->n >= FAKEMEM_MAX_PAGES)
		return NULL;
	m->pfn[m->n] = pfn;
	m->data[m->n] = calloc(1, m->page_size);
	if (!m->data[m->n])
		return NULL;
	return m->data[m->n++];
}

static inline void fakemem_write(struct fakemem *m, uint64_t pa, const void *buf, size_t len)
{
	const uint8_t *in = buf;

	while (len) {
		size_t off = (size_t)(pa % m->page_size);
		size_t chunk = m->page_size - off < len ? m->page_size - off : len;
		uint8_t *p = fakemem_page(m, pa / m->page_size, 1);

		if (!p)
			abort();
		memcpy(p + off, in, chunk);
		in += chunk;
		pa += chunk;
		len -= chunk;
	}
}

static inline void fakemem_w64(struct fakemem *m, uint64_t pa, uint64_t v)
{
	uint8_t b[8];

	st_le64(b, v);
	fakemem_write(m, pa, b, 8);
}

static inline uint64_t fakemem_r64(struct fakemem *m, uint64_t pa)
{
	uint8_t *p = fakemem_page(m, pa / m->page_size, 0);

	return p ? ld_le64(p + pa % m->page_size) : 0;
}

static inline int fakemem_read_phys(void *ctx, uint64_t paddr, void *buf, size_t len, struct sf_err *err)
{
	struct fakemem *m = ctx;
	uint8_t *out = buf;

	m->reads++;
	while (len) {
		uint64_t pfn = paddr / m->page_size;
		size_t off = (size_t)(paddr % m->page_size);
		size_t chunk = m->page_size - off < len ? m->page_size - off : len;
		uint8_t *p;

		if (pfn >= m->max_pfn)
			return sf_err_set(err, SF_ENODATA, "pfn 0x%llx is not in memory", (unsigned long long)pfn);
		if (m->excluded_pfn && pfn == m->excluded_pfn)
			return sf_err_set(err, SF_ENODATA, "pfn 0x%llx excluded", (unsigned long long)pfn);
		p = fakemem_page(m, pfn, 0);
		if (p)
			memcpy(out, p + off, chunk);
		else
			memset(out, 0, chunk);
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

static inline enum page_state fakemem_page_state(void *ctx, uint64_t pfn)
{
	struct fakemem *m = ctx;

	if (pfn >= m->max_pfn)
		return PAGE_NOT_IN_MEMORY;
	if (m->excluded_pfn && pfn == m->excluded_pfn)
		return PAGE_EXCLUDED;
	return fakemem_page(m, pfn, 0) ? PAGE_PRESENT : PAGE_ZERO;
}

static const struct kmem_phys_ops fakemem_ops = { fakemem_read_phys, fakemem_page_state };

static inline struct dump_info fakemem_info(const struct fakemem *m)
{
	struct dump_info info;

	memset(&info, 0, sizeof(info));
	info.format = "fake";
	info.page_size = m->page_size;
	info.max_pfn = m->max_pfn;
	return info;
}

/* ---- page-table builder ---- */

struct ptgen {
	struct fakemem *mem;
	int levels;
	unsigned shift[6], bits[6];
	uint64_t table_bytes[6];	/* size of a table at each level (top may be smaller than a page) */
	uint64_t (*table_entry)(uint64_t pa);
	uint64_t (*leaf_entry)(uint64_t pa, int level, int levels);
	uint64_t (*entry_addr)(uint64_t entry);	/* decodes a table entry back to its address */
};

static inline uint64_t ptgen_alloc(struct ptgen *g)
{
	uint64_t pa = g->mem->next_table;

	g->mem->next_table += g->mem->page_size;
	fakemem_page(g->mem, pa / g->mem->page_size, 1);
	return pa;
}

/* Maps va -> pa with a leaf at leaf_level (levels - 1 for a base page). */
static inline void ptgen_map(struct ptgen *g, uint64_t root, uint64_t va, uint64_t pa, int leaf_level)
{
	uint64_t table = root;

	for (int l = 0; l < g->levels; l++) {
		uint64_t idx = va >> g->shift[l] & ((UINT64_C(1) << g->bits[l]) - 1);
		uint64_t ea = table + idx * 8;
		uint64_t e = fakemem_r64(g->mem, ea);

		if (l == leaf_level) {
			fakemem_w64(g->mem, ea, g->leaf_entry(pa, l, g->levels));
			return;
		}
		if (!e) {
			uint64_t t = ptgen_alloc(g);

			e = g->table_entry(t);
			fakemem_w64(g->mem, ea, e);
		}
		table = g->entry_addr(e);
	}
}

/* Writes raw entry value at level `level` of va's walk (tables must exist down to it). */
static inline uint64_t ptgen_entry_addr(struct ptgen *g, uint64_t root, uint64_t va, int level)
{
	uint64_t table = root;

	for (int l = 0; l < level; l++) {
		uint64_t idx = va >> g->shift[l] & ((UINT64_C(1) << g->bits[l]) - 1);

		table = g->entry_addr(fakemem_r64(g->mem, table + idx * 8));
	}
	return table + (va >> g->shift[level] & ((UINT64_C(1) << g->bits[level]) - 1)) * 8;
}

#endif
