/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks that the kernel files given with -x, -m and --btf belong to the
 * dump (src/kernel/kfile_check.c says how).  Called by kernel_open() once
 * the architecture, VMCOREINFO, OSRELEASE, BUILD-ID and KERNELOFFSET are
 * known, before any file is used.  Returns 0, or a negative code with one
 * line in err naming the file, the dump's kernel and the first fact that
 * differs (exit 3 at the command line).
 */
#ifndef SKBFILTER_KERNEL_KFILE_CHECK_H
#define SKBFILTER_KERNEL_KFILE_CHECK_H

#include "skbfilter/err.h"

struct kernel;
struct kernel_open_opts;

int kfile_check(const struct kernel *k, const struct kernel_open_opts *opts, struct sf_err *err);

#endif
