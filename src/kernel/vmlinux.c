// SPDX-License-Identifier: GPL-2.0-or-later
/* A vmlinux opened once for its symbols and its BTF (vmlinux.h). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "kernel/vmlinux.h"

int vmlinux_elf_get(struct vmlinux_elf *v, const char *path, Elf **elf, struct sf_err *err)
{
	if (!v->tried) {
		v->tried = true;
		v->fd = -1;
		elf_version(EV_CURRENT);
		v->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (v->fd < 0) {
			v->rc = sf_err_errno(&v->err, errno, "vmlinux %s", path);
		} else {
			v->elf = elf_begin(v->fd, ELF_C_READ, NULL);
			if (!v->elf || elf_kind(v->elf) != ELF_K_ELF)
				v->rc = sf_err_set(&v->err, SF_ECORRUPT, "vmlinux %s: not an ELF file (%s)", path,
						   elf_errmsg(-1));
		}
	}
	if (v->rc < 0) {
		*err = v->err;
		return v->rc;
	}
	*elf = v->elf;
	return 0;
}

void vmlinux_elf_close(struct vmlinux_elf *v)
{
	if (v->elf)
		elf_end(v->elf);
	if (v->tried && v->fd >= 0)
		close(v->fd);
	v->elf = NULL;
	v->fd = -1;
	v->tried = false;
}

int symtab_load_vmlinux(struct symtab *st, const char *path, struct sf_err *err)
{
	struct vmlinux_elf v = { 0 };
	Elf *elf;
	int rc = vmlinux_elf_get(&v, path, &elf, err);

	if (rc == 0)
		rc = symtab_load_vmlinux_elf(st, path, elf, err);
	vmlinux_elf_close(&v);
	return rc;
}

int ktypes_load_vmlinux(const char *path, struct ktypes **ret, struct sf_err *err)
{
	struct vmlinux_elf v = { 0 };
	Elf *elf;
	int rc = vmlinux_elf_get(&v, path, &elf, err);

	if (rc == 0)
		rc = ktypes_load_vmlinux_elf(path, elf, ret, err);
	vmlinux_elf_close(&v);
	return rc;
}
