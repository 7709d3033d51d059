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

#endif
