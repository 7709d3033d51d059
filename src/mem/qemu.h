/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SKBFILTER_KERNEL_QEMU_H
#define SKBFILTER_KERNEL_QEMU_H

#include <stdbool.h>
#include <stddef.h>

#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/strbuf.h"

/*
 * True when the notes come from QEMU's dump-guest-memory rather than from a
 * kdump kernel: a "QEMU" note (x86 QEMUCPUState), or an NT_PRFPREG "CORE"
 * note (QEMU's arm64/ppc/s390 notes; crash_save_cpu() writes only
 * NT_PRSTATUS).  Their NT_PRSTATUS pr_pid is the vCPU number + 1.
 */
bool qemu_notes_detect(const struct dump_note *notes, size_t n);

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
struct read_recorder;
int qemu_synth_vmcoreinfo(struct dump *d, const char *system_map, struct read_recorder *rec, struct strbuf *out,
			  struct sf_err *err);

/*
 * After kmem_create(): walks the CR3 tables that qemu_synth_vmcoreinfo() used
 * again through kmem, so that a minimized dump keeps them (READ_PGTABLE) and
 * can be read the same way.  No-op for other dumps.
 */
struct kmem;
struct vmcoreinfo;
void qemu_keep_tables(struct kmem *k, const struct vmcoreinfo *vi);

#endif
