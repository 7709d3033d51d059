// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The generic page-table walker.  An architecture describes its tables with a
 * struct pt_format (levels, index position and width per level, entry size,
 * byte order) and decodes one entry at a time; everything else is here.
 *
 * Hostile tables cannot make a walk hang or run away: the walk visits at most
 * fmt->levels tables, a table pointer that revisits a table of the same walk
 * is -SF_ELOOP, a table outside the dump's memory is -SF_ERANGE, and a leaf
 * whose size does not fit its level is -SF_ECORRUPT.  Every message names the
 * virtual address, the level and the entry.
 *
 * Table pages are read through env->read_table, which the memory layer
 * records as page tables (READ_PGTABLE) so that the minimized dump keeps
 * every table a translation needed.
 */
#include <inttypes.h>

#include "skbfilter/bytes.h"
#include "internal.h"

#define PT_MAX_LEVELS 6

static int check_format(const struct pt_format *fmt, struct sf_err *err)
{
	if (fmt->levels < 1 || fmt->levels > PT_MAX_LEVELS)
		return sf_err_set(err, SF_ECORRUPT, "page-table format with %d levels (1..%d supported)",
				  fmt->levels, PT_MAX_LEVELS);
	if (fmt->entry_size != 8 && fmt->entry_size != 4)
		return sf_err_set(err, SF_ECORRUPT, "page-table entries of %u bytes", fmt->entry_size);
	for (int i = 0; i < fmt->levels; i++)
		if (fmt->bits[i] < 1 || fmt->bits[i] > 16 || fmt->shift[i] + fmt->bits[i] > 64)
			return sf_err_set(err, SF_ECORRUPT, "page-table level %d: index bits %u at shift %u", i,
					  fmt->bits[i], fmt->shift[i]);
	if (!fmt->decode)
		return sf_err_set(err, SF_EBUG, "page-table format without a decoder");
	return 0;
}

int pt_walk(struct arch_env *env, const struct pt_format *fmt, uint64_t root, uint64_t vaddr,
	    uint64_t *paddr, uint64_t *page_size, struct sf_err *err)
{
	const struct dump_info *info = env->info;
	uint64_t tables[PT_MAX_LEVELS];
	uint64_t table = root;
	int rc = 0;

	rc = check_format(fmt, err);
	if (rc < 0)
		return rc;
	for (int level = 0; level < fmt->levels; level++) {
		uint64_t idx = vaddr >> fmt->shift[level] & ((UINT64_C(1) << fmt->bits[level]) - 1);
		uint64_t eaddr = table + idx * fmt->entry_size;
		uint8_t raw[8];
		uint64_t entry;
		struct pt_entry pte = { 0 };

		/* A table pointer past the end of memory is corruption, not a missing page. */
		if (info->max_pfn && table / info->page_size >= info->max_pfn) {
			rc = sf_err_set(err, SF_ERANGE,
					"0x%" PRIx64 ": level %d table at phys 0x%" PRIx64 " is beyond memory (max pfn 0x%" PRIx64 ")",
					vaddr, level, table, info->max_pfn);
			goto out;
		}
		for (int j = 0; j < level; j++) {
			if (tables[j] == table) {
				rc = sf_err_set(err, SF_ELOOP,
						"0x%" PRIx64 ": page-table loop: level %d table at phys 0x%" PRIx64 " is also the level %d table",
						vaddr, level, table, j);
				goto out;
			}
		}
		tables[level] = table;
		rc = arch_read_table(env, eaddr, raw, fmt->entry_size, "page-table entry", err);
		if (rc < 0) {
			sf_err_prefix(err, "0x%" PRIx64 ": level %d entry %" PRIu64, vaddr, level, idx);
			goto out;
		}
		entry = fmt->entry_size == 8 ? ld64(raw, fmt->big_endian) : ld32(raw, fmt->big_endian);
		rc = fmt->decode(fmt, level, entry, &pte, err);
		if (rc < 0) {
			sf_err_prefix(err, "0x%" PRIx64 ": level %d entry %" PRIu64 " (0x%" PRIx64 " at phys 0x%" PRIx64 ")",
				      vaddr, level, idx, entry, eaddr);
			goto out;
		}
		if (!pte.present) {
			rc = sf_err_set(err, SF_ERANGE,
					"0x%" PRIx64 ": not mapped (level %d entry %" PRIu64 " is 0x%" PRIx64 " at phys 0x%" PRIx64 ")",
					vaddr, level, idx, entry, eaddr);
			goto out;
		}
		if (pte.leaf) {
			uint64_t size = pte.size;

			if (!size || (size & (size - 1)) || size > UINT64_C(1) << (fmt->shift[level] + fmt->bits[level]) ||
			    size < info->page_size || (pte.next & (size - 1))) {
				rc = sf_err_set(err, SF_ECORRUPT,
						"0x%" PRIx64 ": level %d entry %" PRIu64 " (0x%" PRIx64 ") maps a page of 0x%" PRIx64 " bytes at phys 0x%" PRIx64,
						vaddr, level, idx, entry, size, pte.next);
				goto out;
			}
			*paddr = pte.next | (vaddr & (size - 1));
			if (page_size)
				*page_size = size;
			goto out;
		}
		if (level == fmt->levels - 1) {
			rc = sf_err_set(err, SF_ECORRUPT,
					"0x%" PRIx64 ": level %d entry %" PRIu64 " (0x%" PRIx64 ") points to a table below the last level",
					vaddr, level, idx, entry);
			goto out;
		}
		table = pte.next;
	}
	/* not reached: the last level either returns a leaf or fails above */
	rc = sf_err_set(err, SF_ECORRUPT, "0x%" PRIx64 ": page-table walk ended without a page", vaddr);
out:
	return rc;
}

/* ---- lowest mapping in a range (used to locate regions such as the direct map) ---- */

struct find_ctx {
	struct arch_env *env;
	const struct pt_format *fmt;
	uint64_t from, to;
	unsigned budget;
	uint64_t tables[PT_MAX_LEVELS];
	uint64_t va, pa;
	struct sf_err *err;
};

static int find_in(struct find_ctx *c, int level, uint64_t table, uint64_t base)
{
	const struct pt_format *fmt = c->fmt;
	const struct dump_info *info = c->env->info;
	unsigned shift = fmt->shift[level];
	uint64_t n = UINT64_C(1) << fmt->bits[level];
	uint64_t idx = c->from > base ? (c->from - base) >> shift : 0;

	if (info->max_pfn && table / info->page_size >= info->max_pfn)
		return sf_err_set(c->err, SF_ERANGE, "level %d table at phys 0x%" PRIx64 " is beyond memory", level, table);
	for (int j = 0; j < level; j++)
		if (c->tables[j] == table)
			return sf_err_set(c->err, SF_ELOOP, "page-table loop: level %d table at phys 0x%" PRIx64
					  " is also the level %d table", level, table, j);
	c->tables[level] = table;
	for (; idx < n; idx++) {
		uint64_t va_lo = base + (idx << shift);
		uint64_t eaddr = table + idx * fmt->entry_size;
		struct pt_entry pte = { 0 };
		uint8_t raw[8];
		uint64_t entry;
		int rc;

		if (va_lo > c->to || va_lo < base)
			break;
		if (!c->budget--)
			return sf_err_set(c->err, SF_ELOOP, "gave up after reading too many page-table entries");
		rc = arch_read_table(c->env, eaddr, raw, fmt->entry_size, "page-table entry", c->err);
		if (rc == -SF_ENODATA)
			continue;	/* an unreadable table is not a mapping we can use */
		if (rc < 0)
			return rc;
		entry = fmt->entry_size == 8 ? ld64(raw, fmt->big_endian) : ld32(raw, fmt->big_endian);
		rc = fmt->decode(fmt, level, entry, &pte, c->err);
		if (rc < 0)
			return sf_err_prefix(c->err, "level %d entry %" PRIu64 " (0x%" PRIx64 ")", level, idx, entry);
		if (!pte.present)
			continue;
		if (pte.leaf) {
			uint64_t at = va_lo < c->from ? c->from : va_lo;

			if (!pte.size || (pte.size & (pte.size - 1)) || pte.size > UINT64_C(1) << (shift + fmt->bits[level]))
				return sf_err_set(c->err, SF_ECORRUPT, "level %d entry %" PRIu64 " (0x%" PRIx64
						  ") maps a page of 0x%" PRIx64 " bytes", level, idx, entry, pte.size);
			c->va = at;
			c->pa = pte.next + (at - va_lo);
			return 0;
		}
		if (level == fmt->levels - 1)
			return sf_err_set(c->err, SF_ECORRUPT, "level %d entry %" PRIu64 " (0x%" PRIx64
					  ") points to a table below the last level", level, idx, entry);
		rc = find_in(c, level + 1, pte.next, va_lo);
		if (rc != -SF_ENOTFOUND)
			return rc;
	}
	return sf_err_set(c->err, SF_ENOTFOUND, "nothing mapped");
}

int pt_find_first(struct arch_env *env, const struct pt_format *fmt, uint64_t root, uint64_t va_from, uint64_t va_to,
		  unsigned max_entries, uint64_t *va, uint64_t *pa, struct sf_err *err)
{
	struct find_ctx c = { .env = env, .fmt = fmt, .from = va_from, .to = va_to, .budget = max_entries, .err = err };
	unsigned top;
	uint64_t high;
	int rc = check_format(fmt, err);

	if (rc < 0)
		return rc;
	top = fmt->shift[0] + fmt->bits[0];
	high = top >= 64 ? 0 : ~((UINT64_C(1) << top) - 1);
	if ((va_from & high) != (va_to & high) || va_from > va_to)
		return sf_err_set(err, SF_EBUG, "range 0x%" PRIx64 "-0x%" PRIx64 " is not within one page-table tree",
				  va_from, va_to);
	rc = find_in(&c, 0, root, va_from & high);
	if (rc < 0)
		return sf_err_prefix(err, "lowest mapping in 0x%" PRIx64 "-0x%" PRIx64, va_from, va_to);
	*va = c.va;
	*pa = c.pa;
	return 0;
}
