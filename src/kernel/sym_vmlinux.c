// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Symbols from a vmlinux ELF .symtab (libelf).  Types follow nm: the section
 * flags and binding give 'T'/'t' (text), 'D'/'d' (data), 'B'/'b' (bss),
 * 'R'/'r' (read-only), 'A'/'a' (absolute), 'W'/'w' (weak).  Addresses are
 * link-time: the table's reloc (KERNELOFFSET) is added except to absolute
 * symbols and to zero-based per-cpu variables (x86_64 SMP links
 * .data..percpu at address 0; those are offsets that KASLR does not move).
 * A vmlinux extracted from a bzImage (scripts/extract-vmlinux) has no
 * .symtab: the error says so and names the other sources.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>

#include "kernel/syms_int.h"
#include "kernel/vmlinux.h"

static char sym_type(Elf *elf, const GElf_Sym *sym, bool *percpu0)
{
	int bind = GELF_ST_BIND(sym->st_info);
	bool global = bind != STB_LOCAL;
	Elf_Scn *scn;
	GElf_Shdr sh;
	char c;

	*percpu0 = false;
	if (sym->st_shndx == SHN_ABS)
		return global ? 'A' : 'a';
	if (sym->st_shndx == SHN_COMMON)
		return 'C';
	if (sym->st_shndx == SHN_UNDEF)
		return 'U';
	scn = sym->st_shndx < SHN_LORESERVE ? elf_getscn(elf, sym->st_shndx) : NULL;
	if (!scn || !gelf_getshdr(scn, &sh)) {
		c = '?';
	} else {
		size_t shstrndx;
		const char *sname = NULL;

		if (elf_getshdrstrndx(elf, &shstrndx) == 0)
			sname = elf_strptr(elf, shstrndx, sh.sh_name);
		*percpu0 = sh.sh_addr == 0 && sname && !strcmp(sname, ".data..percpu");
		if (sh.sh_flags & SHF_EXECINSTR)
			c = 't';
		else if (sh.sh_type == SHT_NOBITS)
			c = 'b';
		else if (sh.sh_flags & SHF_WRITE)
			c = 'd';
		else if (sh.sh_flags & SHF_ALLOC)
			c = 'r';
		else
			c = 'n';
	}
	if (bind == STB_WEAK)
		return GELF_ST_TYPE(sym->st_info) == STT_OBJECT ? 'V' : 'W';
	if (global && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	return c;
}

int symtab_load_vmlinux_elf(struct symtab *st, const char *path, Elf *elf, struct sf_err *err)
{
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr sh, symsh;
	Elf_Data *data;
	uint64_t reloc = symtab_reloc(st), added = 0;
	size_t n, i;
	char desc[600];
	int rc = 0;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
			break;
		}
	}
	if (!symscn) {
		rc = sf_err_set(err, SF_ENOTFOUND,
				"vmlinux %s has no symbol table (.symtab): it was stripped or extracted from a bzImage; "
				"use its System.map (-m) or the dump's own kallsyms", path);
		goto out;
	}
	if (!symsh.sh_entsize) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: .symtab has sh_entsize 0", path);
		goto out;
	}
	data = elf_getdata(symscn, NULL);
	if (!data) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: cannot read .symtab: %s", path, elf_errmsg(-1));
		goto out;
	}
	n = symsh.sh_size / symsh.sh_entsize;
	for (i = 1; i < n; i++) {
		GElf_Sym sym;
		const char *name;
		bool percpu0;
		uint64_t addr;
		char type;
		int stt;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		stt = GELF_ST_TYPE(sym.st_info);
		if (stt == STT_SECTION || stt == STT_FILE || sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		type = sym_type(elf, &sym, &percpu0);
		if (type == 'n' || type == 'N')
			continue;	/* non-allocated sections: not in memory */
		addr = sym.st_value;
		if (type != 'A' && type != 'a' && !percpu0)
			addr += reloc;
		rc = symtab_add(st, name, addr, type, NULL, err);
		if (rc < 0) {
			sf_err_prefix(err, "vmlinux %s: symbol %zu", path, i);
			goto out;
		}
		added++;
	}
	if (!added) {
		rc = sf_err_set(err, SF_ENOTFOUND, "vmlinux %s: .symtab holds no usable symbols", path);
		goto out;
	}
	snprintf(desc, sizeof(desc), "vmlinux %s", path);
	symtab_set_source(st, desc);
out:
	return rc;
}
