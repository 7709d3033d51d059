/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SKBFILTER_KERNEL_QEMU_H
#define SKBFILTER_KERNEL_QEMU_H

#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/strbuf.h"

/*
 * A QEMU dump-guest-memory dump of an x86_64 guest started without
 * -device vmcoreinfo has no VMCOREINFO note.  From the vCPUs' QEMUCPUState
 * notes (CR3, CR4) and a System.map this writes the VMCOREINFO lines the
 * rest of skbfilter needs into out: KERNELOFFSET and NUMBER(phys_base) from
 * the kernel-image mapping found in the vCPU's page tables,
 * NUMBER(pgtable_l5_enabled) from CR4.LA57, and SYMBOL() lines (runtime
 * addresses) for init_top_pgt, _stext and the kallsyms tables.
 * Returns -SF_ENOTFOUND when the dump has no usable QEMU note.
 */
int qemu_synth_vmcoreinfo(struct dump *d, const char *system_map, struct strbuf *out, struct sf_err *err);

#endif
