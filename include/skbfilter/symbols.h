/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel symbols: name -> address and address -> "fn+0xoff [module]".
 * Sources, in the order main tries them when given:
 *   System.map (-m), a vmlinux ELF symtab (-x, libelf), the dump's own
 *   kallsyms (described in VMCOREINFO since 6.0), and loaded modules'
 *   in-memory kallsyms.  The table remembers which source filled it.
 */
#ifndef SKBFILTER_SYMBOLS_H
#define SKBFILTER_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct kmem;
struct ktypes;
struct vmcoreinfo;
struct warnlist;

struct symtab;

struct sym_hit {
	const char *name;	/* borrowed from the table */
	const char *module;	/* NULL for vmlinux */
	uint64_t addr;		/* symbol start */
	uint64_t offset;	/* addr asked - symbol start */
	char type;		/* nm-style type letter ('T', 't', 'D', ...) or '?' */
};

int symtab_create(struct symtab **ret, struct sf_err *err);
void symtab_destroy(struct symtab *st);

/* Adds one symbol (name copied).  Call symtab_finish() after the last add. */
int symtab_add(struct symtab *st, const char *name, uint64_t addr, char type, const char *module, struct sf_err *err);
/* Sorts and indexes; lookups are valid after this. */
int symtab_finish(struct symtab *st, struct sf_err *err);
size_t symtab_count(const struct symtab *st);

/* "kallsyms (in dump)", "System.map FILE", "vmlinux FILE" ... ; set by the loaders. */
const char *symtab_source(const struct symtab *st);
void symtab_set_source(struct symtab *st, const char *desc);

/* Exact name lookup (vmlinux symbols first, then modules). -SF_ENOTFOUND if absent. */
int symtab_lookup(const struct symtab *st, const char *name, uint64_t *addr, struct sf_err *err);
/*
 * The symbol containing addr: the last one at or below addr, within
 * max_offset (a gap guard: past the end of text nothing is "fn+0x123456").
 * Returns false if none.
 */
bool symtab_resolve(const struct symtab *st, uint64_t addr, uint64_t max_offset, struct sym_hit *ret);
/* Kernel text bounds (_stext.._etext) for return-address checks, 0s if unknown. */
void symtab_text_bounds(const struct symtab *st, uint64_t *start, uint64_t *end);
/* Iteration (for tests): i in [0, count). */
int symtab_get(const struct symtab *st, size_t i, struct sym_hit *ret);

/*
 * Link-time -> run-time shift (KASLR: VMCOREINFO KERNELOFFSET) that the file
 * loaders (System.map, vmlinux) add to every non-absolute address they read.
 * Addresses given to symtab_add() directly are not shifted.  Default 0.
 */
void symtab_set_reloc(struct symtab *st, uint64_t offset);
/* Number of distinct module names among the symbols. */
size_t symtab_module_count(const struct symtab *st);

/* Loaders (src/kernel/sym_*.c). Each fills st (then call symtab_finish). */
int symtab_load_system_map(struct symtab *st, const char *path, struct sf_err *err);
int symtab_load_vmlinux(struct symtab *st, const char *path, struct sf_err *err);
/*
 * The dump's own kallsyms tables, located through VMCOREINFO
 * (SYMBOL(kallsyms_names) etc.).  Tries the encodings of the kernel eras and
 * keeps the one that reproduces SYMBOL(_stext).
 */
int symtab_load_kallsyms(struct symtab *st, struct kmem *k, const struct vmcoreinfo *vi, struct sf_err *err);
/* Loaded modules' kallsyms (modules list -> struct module). Needs types. */
int symtab_load_modules(struct symtab *st, struct kmem *k, struct ktypes *kt, struct warnlist *w, struct sf_err *err);

#endif
