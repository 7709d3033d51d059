// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel files belong to the dump (issue #14).  An explicit -x, -m or --btf
 * is always used (it wins over what the dump carries), so before it is used
 * it is checked against the dump's own word, and a file that does not match
 * is one error line naming both:
 *
 *   System.map  every SYMBOL(name)=value line of VMCOREINFO whose name the
 *               map has must sit at map address + KERNELOFFSET (the KASLR
 *               shift).  An arm64 map given for an x86_64 dump, or another
 *               build's map, fails here; the map's architecture is named from
 *               its entry symbol (startup_64, primary_entry) for the message.
 *   vmlinux     ELF machine against the dump's architecture; the GNU build ID
 *               note against VMCOREINFO BUILD-ID (written since Linux 5.9,
 *               commit 0935288c6e008); its symbol table, if not stripped, as
 *               for a System.map.
 *   BTF         every SIZE(type) and OFFSET(type.member) of VMCOREINFO
 *               (struct page, pglist_data, printk_ringbuffer, ...: the ones
 *               makedumpfile needs) must agree with the file's BTF.
 *
 * Without VMCOREINFO (QEMU without -device vmcoreinfo) only the file's
 * existence and, for a vmlinux, its machine can be checked.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kfile_check.h"
#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/vmcoreinfo.h"

#define KF_MAX_SYMS 128
#define KF_NAME_MAX 64

struct kf_sym {
	char name[KF_NAME_MAX];
	uint64_t vmci;		/* VMCOREINFO value (run-time address) */
	uint64_t file;		/* link-time address in the file */
	bool found;
};

struct kf_syms {
	int n;
	struct kf_sym s[KF_MAX_SYMS];
};

/* SYMBOL(name)=hex lines of the raw VMCOREINFO text. */
static void collect_vmci_symbols(const char *text, size_t len, struct kf_syms *ks)
{
	const char *p = text, *end = text + len;

	ks->n = 0;
	while (p < end && ks->n < KF_MAX_SYMS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;

		if (le - p > 8 && !memcmp(p, "SYMBOL(", 7)) {
			const char *close = memchr(p, ')', (size_t)(le - p));

			if (close && close[1] == '=' && (size_t)(close - p - 7) < KF_NAME_MAX) {
				struct kf_sym *s = &ks->s[ks->n];
				char num[32];
				size_t nl2 = (size_t)(le - close - 2);

				memcpy(s->name, p + 7, (size_t)(close - p - 7));
				s->name[close - p - 7] = '\0';
				if (nl2 && nl2 < sizeof(num)) {
					char *e;

					memcpy(num, close + 2, nl2);
					num[nl2] = '\0';
					s->vmci = strtoull(num, &e, 16);
					if (*e == '\0') {
						s->found = false;
						ks->n++;
					}
				}
			}
		}
		p = le + 1;
	}
}

static void ks_offer(struct kf_syms *ks, const char *name, uint64_t addr)
{
	for (int i = 0; i < ks->n; i++)
		if (!ks->s[i].found && !strcmp(ks->s[i].name, name)) {
			ks->s[i].found = true;
			ks->s[i].file = addr;
		}
}

/*
 * The file's symbols must sit at file address + KASLR offset.  Most SYMBOL()
 * lines are addresses in the kernel image, but a few are the value of a
 * pointer (VMCOREINFO_SYMBOL_ARRAY(mem_section) writes what mem_section
 * points to with SPARSEMEM_EXTREME, kernel/crash_core.c), so the rule is a
 * majority: a file of another build matches few or none.  0 compared (no
 * name in common) cannot be judged and passes.
 */
static int ks_judge(const struct kf_syms *ks, uint64_t kaslr, const char *what, const char *path,
		    const struct kernel *k, struct sf_err *err)
{
	int compared = 0, bad = -1, nbad = 0;

	for (int i = 0; i < ks->n; i++) {
		if (!ks->s[i].found)
			continue;
		compared++;
		if (ks->s[i].file + kaslr != ks->s[i].vmci) {
			nbad++;
			if (bad < 0 || !strcmp(ks->s[i].name, "init_uts_ns"))
				bad = i;	/* init_uts_ns is always an image address: the clearest example */
		}
	}
	if (!compared || 2 * nbad < compared)
		return 0;
	return sf_err_set(err, SF_ECORRUPT, "%s %s does not belong to the dump (%s, kernel %s): SYMBOL(%s) is 0x%" PRIx64
			  " in its VMCOREINFO but 0x%" PRIx64 " + KASLR offset 0x%" PRIx64 " in the file (%d of %d "
			  "symbols differ); give the %s of that kernel", what, path, k->arch ? k->arch->name : "?",
			  k->release[0] ? k->release : "?", ks->s[bad].name, ks->s[bad].vmci, ks->s[bad].file, kaslr,
			  nbad, compared, what);
}

static int check_system_map(const struct kernel *k, const char *text, size_t len, const char *path, struct sf_err *err)
{
	struct kf_syms *ks = calloc(1, sizeof(*ks));
	const char *arch = NULL;
	char line[512];
	FILE *f;
	int rc;

	if (!ks)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	f = fopen(path, "r");
	if (!f) {
		rc = sf_err_errno(err, errno, "System.map %s: cannot open", path);
		free(ks);
		return rc;
	}
	collect_vmci_symbols(text, len, ks);
	while (fgets(line, sizeof(line), f)) {
		char name[256], type;
		unsigned long long a;

		if (sscanf(line, "%llx %c %255s", &a, &type, name) != 3)
			continue;
		/* only for the message: the arch entry points (arch/x86/kernel/head_64.S, arch/arm64/kernel/head.S) */
		if (!strcmp(name, "startup_64"))
			arch = "x86_64";
		else if (!strcmp(name, "primary_entry") || !strcmp(name, "__primary_switch"))
			arch = "arm64";
		ks_offer(ks, name, a);
	}
	fclose(f);
	if (arch && k->arch && strcmp(arch, k->arch->name)) {
		rc = sf_err_set(err, SF_ECORRUPT, "System.map %s does not belong to the dump: the file is %s, the dump %s "
				"(kernel %s); give the System.map of that kernel", path, arch, k->arch->name,
				k->release[0] ? k->release : "?");
	} else {
		rc = ks_judge(ks, k->kaslr_offset, "System.map", path, k, err);
	}
	free(ks);
	return rc;
}

static const char *machine_name(unsigned m)
{
	return m == EM_X86_64 ? "x86_64" : m == EM_AARCH64 ? "arm64" : m == EM_386 ? "i386" : m == EM_ARM ? "arm" :
	       m == EM_PPC64 ? "ppc64" : m == EM_S390 ? "s390" : m == EM_RISCV ? "riscv" : "another architecture";
}

static int check_vmlinux(const struct kernel *k, const char *text, size_t len, const char *path, struct sf_err *err)
{
	struct kf_syms *ks = NULL;
	Elf *e = NULL;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	char bid[80] = "";
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sf_err_errno(err, errno, "vmlinux %s: cannot open", path);
	elf_version(EV_CURRENT);
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: not an ELF file (-x takes the kernel's vmlinux; "
				"a raw BTF file goes to --btf)", path);
		goto out;
	}
	if (k->arch && eh.e_machine != k->arch->e_machine) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s does not belong to the dump: the file is %s, the dump %s "
				"(kernel %s); give the vmlinux of that kernel", path, machine_name(eh.e_machine),
				k->arch->name, k->release[0] ? k->release : "?");
		goto out;
	}
	ks = calloc(1, sizeof(*ks));
	if (!ks) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto out;
	}
	if (text)
		collect_vmci_symbols(text, len, ks);
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_NOTE && (data = elf_getdata(scn, NULL)) != NULL) {
			GElf_Nhdr nh;
			size_t off = 0, no, dof;

			while ((off = gelf_getnote(data, off, &nh, &no, &dof)) > 0) {
				if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
				    !memcmp((char *)data->d_buf + no, "GNU", 4) && nh.n_descsz * 2 < sizeof(bid)) {
					for (size_t i = 0; i < nh.n_descsz; i++)
						snprintf(bid + 2 * i, 3, "%02x", ((uint8_t *)data->d_buf)[dof + i]);
				}
			}
		} else if (sh.sh_type == SHT_SYMTAB && text && (data = elf_getdata(scn, NULL)) != NULL) {
			size_t n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;

			for (size_t i = 0; i < n; i++) {
				GElf_Sym sym;
				const char *name;

				if (!gelf_getsym(data, (int)i, &sym))
					continue;
				name = elf_strptr(e, sh.sh_link, sym.st_name);
				if (name && *name)
					ks_offer(ks, name, sym.st_value);
			}
		}
	}
	/* VMCOREINFO BUILD-ID is the hex of the same note (commit 0935288c6e008, Linux 5.9) */
	if (bid[0] && k->build_id[0] && strncmp(bid, k->build_id, strlen(bid))) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s does not belong to the dump: its build ID is %s, the dump's "
				"(kernel %s) is %s; give the vmlinux of that build", path, bid,
				k->release[0] ? k->release : "?", k->build_id);
		goto out;
	}
	rc = ks_judge(ks, k->kaslr_offset, "vmlinux", path, k, err);
out:
	free(ks);
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

/* Offset of member (possibly inside anonymous structs/unions) in bits, -1 if absent. */
static long long btf_member_bits(const struct btf *btf, const struct btf_type *t, const char *member, int depth)
{
	const struct btf_member *m;

	if (depth > 8 || (!btf_is_struct(t) && !btf_is_union(t)))
		return -1;
	m = btf_members(t);
	for (unsigned short i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(btf, m->name_off);
		long long bits = btf_member_bit_offset(t, i);

		if (n && *n) {
			if (!strcmp(n, member))
				return bits;
			continue;
		}
		{	/* anonymous: look inside */
			const struct btf_type *in = btf__type_by_id(btf, m->type);
			long long sub;

			while (in && (btf_is_typedef(in) || btf_is_mod(in)))
				in = btf__type_by_id(btf, in->type);
			if (in && (sub = btf_member_bits(btf, in, member, depth + 1)) >= 0)
				return bits + sub;
		}
	}
	return -1;
}

/* The struct/union/typedef named name, resolved to its struct or union, or NULL. */
static const struct btf_type *btf_named(const struct btf *btf, const char *name, int *id_ret)
{
	static const int kinds[] = { BTF_KIND_STRUCT, BTF_KIND_UNION, BTF_KIND_TYPEDEF };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int id = btf__find_by_name_kind(btf, name, kinds[i]);

		if (id > 0) {
			*id_ret = id;
			return btf__type_by_id(btf, id);
		}
	}
	return NULL;
}

static int check_btf(const struct kernel *k, const char *text, size_t len, const char *path, struct sf_err *err)
{
	struct btf *btf = btf__parse(path, NULL);
	const char *p = text, *end = text + len;
	int rc = 0;

	if (!btf)
		return sf_err_errno(err, errno, "BTF %s: cannot read it as BTF (raw, e.g. /sys/kernel/btf/vmlinux, or a "
				    "vmlinux with .BTF)", path);
	while (text && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		char key[160], *eq, *dot;
		bool is_size = le - p > 5 && !memcmp(p, "SIZE(", 5), is_off = le - p > 7 && !memcmp(p, "OFFSET(", 7);
		size_t kl = (size_t)(le - p);

		if ((is_size || is_off) && kl < sizeof(key)) {
			memcpy(key, p, kl);
			key[kl] = '\0';
			eq = strstr(key, ")=");
			if (eq) {
				const struct btf_type *t;
				unsigned long long want = strtoull(eq + 2, NULL, 10);
				long long have = -1;
				int id = 0;

				*eq = '\0';
				if (is_size) {
					t = btf_named(btf, key + 5, &id);
					if (t)
						have = btf__resolve_size(btf, id);
				} else if ((dot = strchr(key + 7, '.')) != NULL) {
					*dot = '\0';
					t = btf_named(btf, key + 7, &id);
					if (t) {
						id = btf__resolve_type(btf, id);
						t = id > 0 ? btf__type_by_id(btf, id) : NULL;
					}
					if (t && (have = btf_member_bits(btf, t, dot + 1, 0)) >= 0)
						have /= 8;
					*dot = '.';
				}
				if (have >= 0) {
					if ((unsigned long long)have != want) {
						rc = sf_err_set(err, SF_ECORRUPT, "BTF %s does not belong to the dump (%s, kernel "
								"%s): %s) is %llu in its VMCOREINFO but %lld in the file; give "
								"the BTF of that kernel", path, k->arch ? k->arch->name : "?",
								k->release[0] ? k->release : "?", key, want, have);
						break;
					}
				}
			}
		}
		p = le + 1;
	}
	btf__free(btf);
	return rc;
}

int kfile_check(const struct kernel *k, const struct kernel_open_opts *opts, struct sf_err *err)
{
	size_t len = 0;
	const char *text = dump_get_vmcoreinfo(k->dump, &len);
	int rc;

	if (opts->system_map) {
		if (access(opts->system_map, R_OK) != 0)
			return sf_err_errno(err, errno, "System.map %s: cannot open", opts->system_map);
		if (text && (rc = check_system_map(k, text, len, opts->system_map, err)) < 0)
			return rc;
	}
	if (opts->vmlinux && (rc = check_vmlinux(k, text, len, opts->vmlinux, err)) < 0)
		return rc;
	if (opts->btf) {
		if (access(opts->btf, R_OK) != 0)
			return sf_err_errno(err, errno, "BTF %s: cannot open", opts->btf);
		if ((rc = check_btf(k, text, text ? len : 0, opts->btf, err)) < 0)
			return rc;
	}
	return 0;
}
