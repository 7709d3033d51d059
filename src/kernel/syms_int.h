/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the symbol loaders (src/kernel/sym*.c, kallsyms.c,
 * modules.c) and their tests and fuzzers.  Not part of the module contract.
 */
#ifndef SKBFILTER_KERNEL_SYMS_INT_H
#define SKBFILTER_KERNEL_SYMS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/symbols.h"

/* The KASLR shift set with symtab_set_reloc(). */
uint64_t symtab_reloc(const struct symtab *st);
/* Whether name is in the table (a linear scan before symtab_finish()). */
bool symtab_contains(const struct symtab *st, const char *name);
/* Whether symbol i (symtab_get() order) was returned by a lookup or a resolution (mini.core's note). */
bool symtab_used(const struct symtab *st, size_t i);

/*
 * The kallsyms decoder, independent of how memory is read, so it can be
 * tested over generated tables and fuzzed.  Addresses are kernel virtual
 * addresses of the tables (0 = table absent).
 */
struct kallsyms_tables {
	uint64_t names;		/* kallsyms_names */
	uint64_t num_syms;	/* kallsyms_num_syms (unsigned int) */
	uint64_t token_table;	/* kallsyms_token_table */
	uint64_t token_index;	/* kallsyms_token_index (u16[256]) */
	uint64_t offsets;	/* kallsyms_offsets (int[]), base- or place-relative */
	uint64_t relative_base;	/* kallsyms_relative_base (unsigned long); absent from 7.0 */
	uint64_t addresses;	/* kallsyms_addresses (unsigned long[]); absent since 6.11 */
	uint64_t markers;	/* kallsyms_markers: only bounds the other tables here; 0 = unknown */
	uint64_t stext;		/* SYMBOL(_stext) to check the encoding against; 0 = unknown */
	bool big_endian;
	unsigned ptr_size;	/* 4 or 8 */
};

/* Reads len bytes at addr (what names the table); returns 0 or a negative SF_E* code with err filled. */
typedef int (*kallsyms_read_fn)(void *arg, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err);

enum kallsyms_encoding {
	KALLSYMS_ENC_NONE = 0,
	KALLSYMS_ENC_ABSOLUTE,		/* kallsyms_addresses[] (before 6.11, !BASE_RELATIVE) */
	KALLSYMS_ENC_BASE_RELATIVE,	/* relative_base + (u32)offsets[i] (4.6 ..) */
	KALLSYMS_ENC_ABS_PERCPU,	/* offsets[i] >= 0 ? offsets[i] : relative_base - 1 - offsets[i] */
	KALLSYMS_ENC_PLACE_RELATIVE,	/* &offsets[i] + (s32)offsets[i] (7.0 ..) */
};
const char *kallsyms_encoding_name(enum kallsyms_encoding e);

#define KALLSYMS_MAX_SYMS (1u << 22)
#define KALLSYMS_NAME_MAX 1024	/* expanded, incl. the type char (KSYM_NAME_LEN is 512 since 6.1) */

/*
 * Decodes every symbol and adds it to st (module NULL); does not call
 * symtab_finish().  *enc says which address encoding reproduced _stext.
 */
int kallsyms_decode(const struct kallsyms_tables *t, kallsyms_read_fn rd, void *arg,
		    struct symtab *st, enum kallsyms_encoding *enc, struct sf_err *err);

#endif
