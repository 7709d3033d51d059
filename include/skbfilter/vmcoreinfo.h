/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VMCOREINFO: the "KEY=value\n" text the kernel puts in a note for dump tools
 * (kernel/crash_core.c; kernel/vmcore_info.c from 6.9).  Keys look like
 * OSRELEASE, SYMBOL(swapper_pg_dir), NUMBER(phys_base), OFFSET(page.flags),
 * SIZE(page), LENGTH(mem_section), KERNELOFFSET, CRASHTIME.
 */
#ifndef SKBFILTER_VMCOREINFO_H
#define SKBFILTER_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct vmcoreinfo;

/* Parses text (need not be NUL-terminated).  Lines without '=' are ignored. */
int vmcoreinfo_parse(const char *text, size_t len, struct vmcoreinfo **ret, struct sf_err *err);
void vmcoreinfo_destroy(struct vmcoreinfo *vi);

/* The raw value of KEY ("OSRELEASE", "SYMBOL(_stext)", ...) or NULL. Borrowed. */
const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key);
/* SYMBOL(name): hex address.  -SF_ENOTFOUND if absent, -SF_ECORRUPT if not a number. */
int vmcoreinfo_symbol(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err);
/* NUMBER(name): decimal or 0x-hex, possibly negative (stored two's complement). */
int vmcoreinfo_number(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err);
/* OFFSET(name) / SIZE(name) / LENGTH(name): decimal. */
int vmcoreinfo_offset(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err);
int vmcoreinfo_size(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err);
int vmcoreinfo_length(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err);
/* KEY whose value is hex without 0x (KERNELOFFSET; arm64's KERNELPACMASK is a NUMBER()). */
int vmcoreinfo_hex(const struct vmcoreinfo *vi, const char *key, uint64_t *ret, struct sf_err *err);
/* KEY whose value is a plain decimal (PAGESIZE, CRASHTIME). */
int vmcoreinfo_dec(const struct vmcoreinfo *vi, const char *key, uint64_t *ret, struct sf_err *err);

#endif
