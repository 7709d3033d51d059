/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small helpers private to kernel.c, panic.c, unwind.c and printk.c. */
#ifndef SKBFILTER_KERNEL_INT_H
#define SKBFILTER_KERNEL_INT_H

#include "skbfilter/err.h"

/*
 * A throw-away error object for probes whose failure is an expected answer
 * ("is there a symbol pcpu_hot?"): a fresh compound literal per use, so no
 * function is ever handed a NULL err.
 */
#define SF_NOERR (&(struct sf_err){ 0 })

struct kernel;
#include <stdint.h>
/* The module list head found from a module address (src/kernel/modfind.c). */
int kernel_find_modules_head(struct kernel *k, uint64_t near, uint64_t *ret, struct sf_err *err);
/* Finds the list head from addr and loads module symbols; once per kernel. */
int kernel_load_modules_near(struct kernel *k, uint64_t addr, struct sf_err *err);

#endif
