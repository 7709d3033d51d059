// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The head of the kernel's module list (`modules`) when the symbols do not
 * have it: kallsyms without CONFIG_KALLSYMS_ALL (Debian's arm64 6.1 kernel)
 * lists text symbols only.  Every loaded module's struct module lives in
 * that module's own memory (.gnu.linkonce.this_module, in the same
 * allocation as its text, after it).  So from an address in some module's
 * text - a return address on a stack - the pages up to the end of that
 * allocation hold a struct module, found by its shape: a small state, a
 * list_head whose neighbours point back at it, a printable name.  Along its
 * list, the one node that is not inside a struct module of the same shape
 * is the head, in kernel data.
 *
 * (The module area of VMCOREINFO, MODULES_VADDR..MODULES_END, is not where
 * arm64 puts modules under KASLR: module_alloc_base is randomized near the
 * kernel image.  Hence the start from a known module address.)
 *
 * Cost: the pages of one module's allocation, read until the struct shows.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/symbols.h"
#include "skbfilter/warn.h"

#define MODFIND_MAX_PAGES 8192		/* one module allocation: 32 MiB at 4K pages */
#define MODFIND_MAX_MODULES 8192
#define MODULE_STRUCT_ALIGN 8

struct modshape {
	uint64_t off_state, off_list, off_name, name_len;
};

/* The in-buffer part of the check: state, list pointers, name. */
static bool looks_like_module(struct kmem *km, const struct modshape *m, const uint8_t *p)
{
	uint64_t state = kmem_load(km, p + m->off_state, 4);
	uint64_t next = kmem_load(km, p + m->off_list, 8), prev = kmem_load(km, p + m->off_list + 8, 8);
	const uint8_t *name = p + m->off_name;
	size_t n;

	/* enum module_state: LIVE, COMING, GOING, UNFORMED */
	if (state > 3 || (next & 7) || (prev & 7) || !next || !prev)
		return false;
	for (n = 0; n < m->name_len && name[n]; n++)
		if (!((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
		      (name[n] >= '0' && name[n] <= '9') || name[n] == '_' || name[n] == '-'))
			return false;
	return n > 0 && n < m->name_len;
}

/* list_head at a: its neighbours must point back at it. */
static bool list_linked(struct kmem *km, uint64_t a)
{
	uint64_t next, prev, v;
	struct sf_err e;

	if (kmem_read_u64(km, a, &next, "list_head.next", &e) || kmem_read_u64(km, a + 8, &prev, "list_head.prev", &e))
		return false;
	if (kmem_read_u64(km, next + 8, &v, "list_head.prev", &e) || v != a)
		return false;
	if (kmem_read_u64(km, prev, &v, "list_head.next", &e) || v != a)
		return false;
	return true;
}

/* Is the list_head at a inside a struct module (same shape checks as the scan)? */
static bool node_is_module(struct kmem *km, const struct modshape *m, uint64_t a, uint8_t *buf)
{
	struct sf_err e;

	if (kmem_read(km, a - m->off_list, buf, m->off_name + m->name_len, "struct module", &e) != 0)
		return false;
	return looks_like_module(km, m, buf);
}

int kernel_find_modules_head(struct kernel *k, uint64_t near, uint64_t *ret, struct sf_err *err)
{
	struct kmem *km = k->kmem;
	struct modshape m;
	struct kfield fname;
	uint64_t page = kmem_page_size(km), a, pa, first = 0, pos, head = 0;
	int64_t o;
	uint8_t *buf = NULL;
	unsigned n = 0, pages = 0;
	int rc = 0;
	struct kmem *as_symbols = kmem_as(km, READ_SYMBOLS);

	if (!k->types)
		return sf_err_set(err, SF_ENOTFOUND, "modules: no BTF for struct module");
	if ((o = ktypes_offsetof(k->types, "module.state", err)) < 0)
		return -SF_ENOTFOUND;
	m.off_state = (uint64_t)o;
	if ((o = ktypes_offsetof(k->types, "module.list", err)) < 0)
		return -SF_ENOTFOUND;
	m.off_list = (uint64_t)o;
	if (ktypes_field(k->types, "module.name", &fname, err))
		return -SF_ENOTFOUND;
	m.off_name = fname.offset;
	m.name_len = fname.nelems ? fname.nelems : fname.size;
	if (m.name_len == 0 || m.name_len > 256 || m.off_name + m.name_len > page / 2)
		return sf_err_set(err, SF_ENOTSUP, "modules: struct module layout unexpected (name %" PRIu64 " bytes at %" PRIu64 ")",
				  m.name_len, m.off_name);
	buf = malloc(2 * page);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "modules: page buffer");
	for (a = near & ~(page - 1); !first && pages++ < MODFIND_MAX_PAGES; a += page) {
		uint64_t span = m.off_name + m.name_len, x;
		struct sf_err e;

		/* the allocation ends at the first unmapped page (vmalloc guard page) */
		if (kmem_vtop(as_symbols, a, &pa, &e) != 0 || kmem_read(as_symbols, a, buf, page, "module memory", &e) != 0)
			break;
		/* the struct may run into the next page: bring it along when it is there */
		if (kmem_read(as_symbols, a + page, buf + page, page, "module memory", &e) != 0)
			memset(buf + page, 0, page);
		for (x = 0; x < page && !first; x += MODULE_STRUCT_ALIGN) {
			if (x + span > 2 * page || !looks_like_module(as_symbols, &m, buf + x))
				continue;
			if (list_linked(as_symbols, a + x + m.off_list))
				first = a + x;
		}
	}
	if (!first) {
		rc = sf_err_set(err, SF_ENOTFOUND, "modules: no struct module in the memory after 0x%" PRIx64 " (%u pages)",
				near, pages - 1);
		goto out;
	}
	/* along the list to the node that is not a module */
	pos = first + m.off_list;
	do {
		struct sf_err e;

		if (kmem_read_u64(as_symbols, pos, &pos, "module.list.next", &e) != 0) {
			rc = sf_err_set(err, SF_ENODATA, "modules: list broken after 0x%" PRIx64 ": %s", pos, e.msg);
			goto out;
		}
		if (!node_is_module(as_symbols, &m, pos, buf) && list_linked(as_symbols, pos)) {
			head = pos;
			break;
		}
	} while (pos != first + m.off_list && ++n < MODFIND_MAX_MODULES);
	if (!head) {
		rc = sf_err_set(err, SF_ENOTFOUND, "modules: the list through 0x%" PRIx64 " has no head", first);
		goto out;
	}
	*ret = head;
out:
	free(buf);
	return rc;
}

/*
 * Module symbols from a module text address (unwind.c calls this when a
 * return address is in no known text).  A few tries per kernel: the caller's
 * address may be a stale word that only looks like a return address.
 */
#define MODFIND_MAX_TRIES 4

bool kernel_modules_unknown(struct kernel *k)
{
	uint64_t head;

	return k->syms && k->types && k->modules_searches < MODFIND_MAX_TRIES &&
	       kernel_symbol(k, "modules", &head, SF_NOERR) != 0;
}

int kernel_load_modules_near(struct kernel *k, uint64_t addr, struct sf_err *err)
{
	uint64_t head;
	int rc;

	uint64_t pa, va;

	if (!kernel_modules_unknown(k))
		return sf_err_set(err, SF_ENOTFOUND, "modules: list head known or not searched again");
	/* a direct-map address is no module's: do not spend a search on it */
	if (kmem_vtop(k->kmem, addr, &pa, SF_NOERR) == 0 && kmem_ptov(k->kmem, pa, &va, SF_NOERR) == 0 && va == addr)
		return sf_err_set(err, SF_ENOTFOUND, "modules: 0x%" PRIx64 " is in the direct map", addr);
	k->modules_searches++;
	if (k->slim && k->slim->have_syms) {
		/*
		 * A mini.core: replay the search of the original run, which found
		 * the head from this very address (and from no earlier one);
		 * the module memory it read is not in the mini.core.
		 */
		if (!k->slim->modsearch || k->slim->modsearch_near != addr)
			return sf_err_set(err, SF_ENOTFOUND, "modules: not found from 0x%" PRIx64 " (mini.core kernel note)",
					  addr);
		head = k->slim->modsearch_head;
	} else {
		rc = kernel_find_modules_head(k, addr, &head, err);
		if (rc)
			return rc;
	}
	k->modules_found_near = addr;
	k->modules_found_head = head;
	rc = symtab_add(k->syms, "modules", head, 'd', NULL, err);
	if (!rc)
		rc = symtab_finish(k->syms, err);
	if (rc)
		return rc;
	warn_note(k->warnings, "symbol 'modules' not in %s: the module list head 0x%" PRIx64
		 " was found through the module at 0x%" PRIx64, symtab_source(k->syms), head, addr);
	if (k->slim && k->slim->have_syms) {
		kernel_add_note_modules(k);
		rc = 0;
	} else {
		rc = symtab_load_modules(k->syms, k->kmem, k->types, k->warnings, err);
	}
	if (!rc)
		rc = symtab_finish(k->syms, err);
	return rc;
}
