/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One vmlinux (-x), opened once for both of its uses: the .symtab
 * (sym_vmlinux.c) and the .BTF section (btf.c).  Kernel-internal.
 */
#ifndef SKBFILTER_KERNEL_VMLINUX_H
#define SKBFILTER_KERNEL_VMLINUX_H

#include <stdbool.h>

#include <libelf.h>

#include "skbfilter/err.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/symbols.h"

struct vmlinux_elf {
	bool tried;
	int fd;
	Elf *elf;
	int rc;			/* the open's result, given again to every later caller */
	struct sf_err err;
};

/*
 * The ELF of path, opened on the first call; later calls give the same Elf,
 * or the same error ("vmlinux PATH: ...").  Close with vmlinux_elf_close().
 */
int vmlinux_elf_get(struct vmlinux_elf *v, const char *path, Elf **elf, struct sf_err *err);
void vmlinux_elf_close(struct vmlinux_elf *v);

/* symtab_load_vmlinux() and ktypes_load_vmlinux() over an open vmlinux. */
int symtab_load_vmlinux_elf(struct symtab *st, const char *path, Elf *elf, struct sf_err *err);
int ktypes_load_vmlinux_elf(const char *path, Elf *elf, struct ktypes **ret, struct sf_err *err);

#endif
