// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loaded modules' symbols from their in-memory kallsyms:
 *   modules (list_head) -> struct module.list -> .name,
 *   .kallsyms (struct mod_kallsyms __rcu *, since 4.5) or the embedded
 *   .core_kallsyms -> { Elf_Sym *symtab; unsigned int num_symtab;
 *                       char *strtab; char *typetab (5.x; before that the
 *                       type letter sat in st_info) }.
 * Every layout comes from BTF.  A module that cannot be read is skipped with
 * a warning; the rest still load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/ktypes_int.h"
#include "kernel/syms_int.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/vmcoreinfo.h"

#define MOD_MAX_MODULES 65536
#define MOD_MAX_SYMS (1u << 20)
#define MOD_MAX_STRTAB (16u << 20)
#define MOD_NAME_MAX 256

struct modlayout {
	uint64_t list_off;		/* module.list */
	struct kfield name;		/* module.name */
	bool have_state;
	int64_t unformed;		/* MODULE_STATE_UNFORMED */
	enum { KS_PTR, KS_EMBED, KS_FLAT } ks_kind;
	const char *ks_path;		/* "module.kallsyms" / "module.core_kallsyms" */
	const char *p_symtab, *p_num, *p_strtab, *p_typetab;	/* paths inside the kallsyms struct */
	bool have_typetab;
	unsigned ptr;			/* pointer size */
	uint64_t symsize;
	struct kfield st_name, st_info, st_value;
};

static int get_layout(const struct ktypes *kt, struct modlayout *l, struct sf_err *err)
{
	struct kfield f;
	const char *esym;
	int rc;

	memset(l, 0, sizeof(*l));
	rc = ktypes_field(kt, "module.list", &f, err);
	if (rc < 0)
		return rc;
	l->list_off = f.offset;
	rc = ktypes_field(kt, "module.name", &l->name, err);
	if (rc < 0)
		return rc;
	rc = ktypes_field(kt, "list_head.next", &f, err);
	if (rc < 0)
		return rc;
	l->ptr = f.size;
	l->have_state = ktypes_has_field(kt, "module.state") &&
			ktypes_enum_value(kt, "MODULE_STATE_UNFORMED", &l->unformed, NULL) == 0;
	if (ktypes_has_field(kt, "module.kallsyms")) {
		l->ks_kind = KS_PTR;
		l->ks_path = "module.kallsyms";
	} else if (ktypes_has_field(kt, "module.core_kallsyms")) {
		l->ks_kind = KS_EMBED;
		l->ks_path = "module.core_kallsyms";
	} else if (ktypes_has_field(kt, "module.symtab")) {
		l->ks_kind = KS_FLAT;	/* before 4.5: the fields sit in struct module */
	} else {
		return sf_err_set(err, SF_ENOTFOUND, "struct module has no kallsyms, core_kallsyms or symtab member "
				  "(kernel without CONFIG_KALLSYMS?)");
	}
	if (l->ks_kind == KS_FLAT) {
		l->p_symtab = "module.symtab";
		l->p_num = "module.num_symtab";
		l->p_strtab = "module.strtab";
		l->p_typetab = "module.typetab";
	} else {
		l->p_symtab = "mod_kallsyms.symtab";
		l->p_num = "mod_kallsyms.num_symtab";
		l->p_strtab = "mod_kallsyms.strtab";
		l->p_typetab = "mod_kallsyms.typetab";
	}
	l->have_typetab = ktypes_has_field(kt, l->p_typetab);
	esym = l->ptr == 4 ? "elf32_sym" : "elf64_sym";
	rc = ktypes_sizeof(kt, esym, &l->symsize, err);
	if (rc < 0)
		return rc;
	{
		char p[64];

		snprintf(p, sizeof(p), "%s.st_name", esym);
		rc = ktypes_field(kt, p, &l->st_name, err);
		if (rc < 0)
			return rc;
		snprintf(p, sizeof(p), "%s.st_info", esym);
		rc = ktypes_field(kt, p, &l->st_info, err);
		if (rc < 0)
			return rc;
		snprintf(p, sizeof(p), "%s.st_value", esym);
		rc = ktypes_field(kt, p, &l->st_value, err);
		if (rc < 0)
			return rc;
	}
	if (!l->symsize || l->symsize > 64)
		return sf_err_set(err, SF_ECORRUPT, "sizeof(%s) is %llu", esym, (unsigned long long)l->symsize);
	return 0;
}

static bool valid_mod_type(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Reads one module's symbols; returns the count added or a negative code. */
static int load_one(struct symtab *st, struct kmem *k, const struct ktypes *kt, const struct modlayout *l,
		    uint64_t mod, const char *name, struct sf_err *err)
{
	uint64_t ks, symtab, num, strtab, typetab = 0, maxname = 0, strlen_read;
	uint8_t *syms = NULL, *types = NULL;
	char *strs = NULL;
	int rc, added = 0;

	if (l->ks_kind == KS_PTR) {
		rc = kread_field(k, kt, mod, l->ks_path, &ks, err);
		if (rc < 0)
			return rc;
	} else if (l->ks_kind == KS_EMBED) {
		ks = mod + (uint64_t)ktypes_offsetof(kt, l->ks_path, err);
	} else {
		ks = mod;
	}
	if (!ks)
		return sf_err_set(err, SF_ENODATA, "module.kallsyms is NULL");
	if ((rc = kread_field(k, kt, ks, l->p_symtab, &symtab, err)) < 0 ||
	    (rc = kread_field(k, kt, ks, l->p_num, &num, err)) < 0 ||
	    (rc = kread_field(k, kt, ks, l->p_strtab, &strtab, err)) < 0)
		return rc;
	if (l->have_typetab && (rc = kread_field(k, kt, ks, l->p_typetab, &typetab, err)) < 0)
		return rc;
	if (num > MOD_MAX_SYMS)
		return sf_err_set(err, SF_ENOMEM, "%s = %llu is above the cap of %u", l->p_num,
				  (unsigned long long)num, MOD_MAX_SYMS);
	if (num == 0)
		return 0;
	syms = malloc(num * l->symsize);
	types = typetab ? malloc(num) : NULL;
	if (!syms || (typetab && !types)) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for %llu symbols", (unsigned long long)num);
		goto out;
	}
	rc = kmem_read(k, symtab, syms, num * l->symsize, l->p_symtab, err);
	if (rc < 0)
		goto out;
	if (typetab) {
		rc = kmem_read(k, typetab, types, num, l->p_typetab, err);
		if (rc < 0)
			goto out;
	}
	for (uint64_t i = 0; i < num; i++) {
		uint64_t v;

		if (kfield_extract(k, &l->st_name, syms + i * l->symsize, l->symsize, &v) == 0 && v > maxname)
			maxname = v;
	}
	if (maxname >= MOD_MAX_STRTAB) {
		rc = sf_err_set(err, SF_ENOMEM, "st_name %llu is past the %u MiB strtab cap", (unsigned long long)maxname,
				MOD_MAX_STRTAB >> 20);
		goto out;
	}
	/* One read of the string table up to the last name, plus room for that name. */
	strlen_read = maxname + MOD_NAME_MAX;
	strs = malloc(strlen_read + 1);
	if (!strs) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory for the strtab");
		goto out;
	}
	while (kmem_read(k, strtab, strs, strlen_read, l->p_strtab, err) < 0) {
		/* The last name may end right before an unmapped page: shrink to the page. */
		uint64_t end = (strtab + maxname + 1 + 4095) & ~4095ull;

		if (strtab + strlen_read <= end || end <= strtab) {
			rc = -err->code;
			goto out;
		}
		strlen_read = end - strtab;
	}
	strs[strlen_read] = '\0';
	for (uint64_t i = 1; i < num; i++) {
		const uint8_t *s = syms + i * l->symsize;
		uint64_t nameoff, value, info;
		const char *nm;
		char type;

		if (kfield_extract(k, &l->st_name, s, l->symsize, &nameoff) < 0 ||
		    kfield_extract(k, &l->st_value, s, l->symsize, &value) < 0 ||
		    kfield_extract(k, &l->st_info, s, l->symsize, &info) < 0)
			continue;
		if (nameoff == 0 || nameoff >= strlen_read)
			continue;
		nm = strs + nameoff;
		if (!*nm || strnlen(nm, MOD_NAME_MAX) >= MOD_NAME_MAX)
			continue;
		/* Before typetab (5.x) add_kallsyms() stored the type letter in st_info. */
		type = types ? (char)types[i] : (char)info;
		if (!valid_mod_type(type))
			type = '?';
		if (type == 'U' || type == 'u' || !value)
			continue;
		rc = symtab_add(st, nm, value, type, name, err);
		if (rc < 0)
			goto out;
		added++;
	}
	rc = added;
out:
	free(syms);
	free(types);
	free(strs);
	return rc;
}

/*
 * Calls cb(mod, name, arg) for each module on the list, until cb returns
 * non-zero (returned).  Modules whose name cannot be read are warned about
 * and skipped.  *nmods counts the entries seen.
 */
typedef int (*module_cb)(uint64_t mod, const char *name, void *arg);

static int find_modules_head(const struct symtab *st, struct kmem *k, const struct ktypes *kt,
			     const struct modlayout *l, uint64_t *head, bool *found_by_scan, struct sf_err *err);

static int modules_walk(const struct symtab *st, struct kmem *k, const struct ktypes *kt, const struct modlayout *l,
			struct warnlist *w, module_cb cb, void *arg, size_t *nmods, uint64_t *scanned_head, struct sf_err *err)
{
	uint64_t head, pos, next;
	bool scan = false;
	int rc;

	*nmods = 0;
	rc = find_modules_head(st, k, kt, l, &head, &scan, err);
	if (scanned_head)
		*scanned_head = scan ? head : 0;
	if (rc < 0)
		return rc;
	rc = kread_field(k, kt, head, "list_head.next", &pos, err);
	if (rc < 0)
		return sf_err_prefix(err, "modules");
	while (pos != head) {
		struct sf_err merr = { 0 };
		char name[MOD_NAME_MAX];
		uint64_t mod = pos - l->list_off;
		size_t nlen = l->name.size && l->name.size < sizeof(name) ? l->name.size : sizeof(name) - 1;

		if (*nmods >= MOD_MAX_MODULES)
			return sf_err_set(err, SF_ELOOP, "modules: more than %d entries (a cycle in the list?)", MOD_MAX_MODULES);
		if (!pos)
			return sf_err_set(err, SF_ECORRUPT, "modules: NULL list pointer after %zu modules", *nmods);
		(*nmods)++;
		if (kmem_read(k, mod + l->name.offset, name, nlen, "module.name", &merr) == 0) {
			name[nlen] = '\0';
			if (!name[0])
				snprintf(name, sizeof(name), "module@0x%llx", (unsigned long long)mod);
			rc = cb(mod, name, arg);
			if (rc)
				return rc;
		} else if (w) {
			warn_add(w, "module at 0x%llx: %s", (unsigned long long)mod, merr.msg);
		}
		rc = kread_field(k, kt, pos, "list_head.next", &next, err);
		if (rc < 0)
			return sf_err_prefix(err, "modules: after %zu modules", *nmods);
		pos = next;
	}
	return 0;
}

/* --- finding the list head without a "modules" symbol --- */

#define VMAP_MAX_AREAS (1u << 20)
#define MOD_SCAN_MAX (64u << 20)	/* bytes of module memory scanned at most */

static bool is_module_name(const uint8_t *p, size_t max)
{
	size_t i;

	for (i = 0; i < max && p[i]; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9') ||
		      p[i] == '_' || p[i] == '-'))
			return false;
	return i > 0 && i < max;
}

/* Whether a struct module could start at mod: a module name and a consistent list node. */
static bool module_at(struct kmem *k, const struct ktypes *kt, const struct modlayout *l, uint64_t mod)
{
	struct sf_err e = { 0 };
	uint8_t name[MOD_NAME_MAX];
	uint64_t node = mod + l->list_off, next, prev, back;
	size_t nlen = l->name.size && l->name.size < sizeof(name) ? l->name.size : sizeof(name) - 1;

	if (kmem_read(k, mod + l->name.offset, name, nlen, "module.name", &e) < 0 || !is_module_name(name, nlen))
		return false;
	if (kread_field(k, kt, node, "list_head.next", &next, &e) < 0 ||
	    kread_field(k, kt, node, "list_head.prev", &prev, &e) < 0 || !next || !prev)
		return false;
	if (kread_field(k, kt, next, "list_head.prev", &back, &e) < 0 || back != node)
		return false;
	return kread_field(k, kt, prev, "list_head.next", &back, &e) == 0 && back == node;
}

/*
 * Without a "modules" symbol (kallsyms without CONFIG_KALLSYMS_ALL, e.g.
 * Debian arm64), find one struct module in module memory and walk its list
 * to the node that is not a module: the head.  Module memory is found from
 * VMCOREINFO: NUMBER(MODULES_VADDR)..NUMBER(MODULES_END) (arm64), and the
 * vmalloc areas in it from SYMBOL(vmap_area_list) (until 6.9).  struct
 * module is cache-line aligned (____cacheline_aligned): scan 64-byte steps.
 */
static int discover_head(struct kmem *k, const struct ktypes *kt, const struct modlayout *l, uint64_t *head,
			 struct sf_err *err)
{
	const struct vmcoreinfo *vi = kmem_vmcoreinfo(k);
	struct sf_err e = { 0 };
	uint64_t mstart = 0, mend = 0, stext = 0, list, pos, lo, va_list_off, scanned = 0;
	uint32_t psz = kmem_page_size(k);
	uint8_t *page = NULL;
	unsigned n = 0;
	int rc = -SF_ENOTFOUND;

	if (!vi || vmcoreinfo_symbol(vi, "vmap_area_list", &list, &e) < 0 || !ktypes_has_field(kt, "vmap_area.va_start") ||
	    psz < 512)
		return -SF_ENOTFOUND;
	if (vmcoreinfo_number(vi, "MODULES_VADDR", &mstart, &e) < 0 || vmcoreinfo_number(vi, "MODULES_END", &mend, &e) < 0)
		mstart = mend = 0;
	if (vmcoreinfo_symbol(vi, "_stext", &stext, &e) < 0)
		stext = 0;
	va_list_off = (uint64_t)ktypes_offsetof(kt, "vmap_area.list", &e);
	page = malloc(psz);
	if (!page || (int64_t)va_list_off < 0)
		goto out;
	if (kread_field(k, kt, list, "list_head.next", &pos, &e) < 0)
		goto out;
	while (pos != list && pos && n++ < VMAP_MAX_AREAS && scanned < MOD_SCAN_MAX) {
		uint64_t va = pos - va_list_off, start, end, next;

		if (kread_field(k, kt, va, "vmap_area.va_start", &start, &e) < 0 ||
		    kread_field(k, kt, va, "vmap_area.va_end", &end, &e) < 0 ||
		    kread_field(k, kt, pos, "list_head.next", &next, &e) < 0)
			goto out;
		if (end > start && ((start >= mstart && end <= mend) ||
				    (stext && end <= stext && stext - start <= (2ull << 30)))) {
			for (lo = start; lo < end && scanned < MOD_SCAN_MAX; lo += psz) {
				scanned += psz;
				if (kmem_read(k, lo, page, psz, "module memory (module scan)", &e) < 0)
					continue;
				for (uint32_t off = 0; off + 64 <= psz; off += 64) {
					uint64_t cand = lo + off, node, walk, nx;
					unsigned steps = 0;

					/* Cheap filter before any further read: a name-looking string at .name. */
					if (off + l->name.offset >= psz || !is_module_name(page + off + l->name.offset,
						psz - off - l->name.offset < l->name.size ? psz - off - l->name.offset : l->name.size))
						continue;
					if (!module_at(k, kt, l, cand))
						continue;
					/* Walk to the node whose container is not a module. */
					node = cand + l->list_off;
					walk = node;
					do {
						if (kread_field(k, kt, walk, "list_head.next", &nx, &e) < 0)
							break;
						walk = nx;
						if (walk != node && !module_at(k, kt, l, walk - l->list_off)) {
							*head = walk;
							rc = 0;
							goto out;
						}
					} while (walk != node && ++steps < MOD_MAX_MODULES);
				}
			}
		}
		pos = next;
	}
out:
	free(page);
	return rc;
}

static int find_modules_head(const struct symtab *st, struct kmem *k, const struct ktypes *kt,
			     const struct modlayout *l, uint64_t *head, bool *found_by_scan, struct sf_err *err)
{
	*found_by_scan = false;
	if (symtab_lookup(st, "modules", head, err) == 0)
		return 0;
	if (discover_head(k, kt, l, head, err) == 0) {
		*found_by_scan = true;
		return 0;
	}
	return sf_err_set(err, SF_ENOTFOUND, "modules: the module list head is not among the symbols from %s "
			  "(kallsyms without CONFIG_KALLSYMS_ALL has no data symbols) and no struct module was found "
			  "in module memory; give System.map with -m", symtab_source(st));
}

struct load_ctx {
	struct symtab *st;
	struct kmem *k;
	const struct ktypes *kt;
	const struct modlayout *l;
	struct warnlist *w;
	size_t nsyms, nfail;
};

static int load_cb(uint64_t mod, const char *name, void *arg)
{
	struct load_ctx *c = arg;
	struct sf_err merr = { 0 };
	uint64_t state;
	int n;

	if (c->l->have_state && kread_field(c->k, c->kt, mod, "module.state", &state, &merr) == 0 &&
	    (int64_t)state == c->l->unformed) {
		if (c->w)
			warn_add(c->w, "module %s at 0x%llx is still loading (MODULE_STATE_UNFORMED): symbols skipped",
				 name, (unsigned long long)mod);
		return 0;
	}
	n = load_one(c->st, c->k, c->kt, c->l, mod, name, &merr);
	if (n < 0) {
		c->nfail++;
		if (c->w)
			warn_add(c->w, "module %s at 0x%llx: symbols not loaded: %s", name, (unsigned long long)mod, merr.msg);
	} else {
		c->nsyms += (size_t)n;
	}
	return 0;
}

int symtab_load_modules(struct symtab *st, struct kmem *kmem, struct ktypes *kt, struct warnlist *w, struct sf_err *err)
{
	struct kmem *k = kmem_as(kmem, READ_SYMBOLS);	/* the module list and each module's symbol table */
	struct modlayout l;
	struct load_ctx c = { .st = st, .k = k, .kt = kt, .l = &l, .w = w };
	size_t nmods = 0;
	uint64_t scanned_head = 0;
	char desc[700];
	int rc;

	rc = get_layout(kt, &l, err);
	if (rc < 0)
		return sf_err_prefix(err, "modules");
	rc = modules_walk(st, k, kt, &l, w, load_cb, &c, &nmods, &scanned_head, err);
	if (rc < 0)
		return rc;
	/* The head found by the scan is the kernel's "modules": name it for later lookups. */
	if (scanned_head) {
		rc = symtab_add(st, "modules", scanned_head, 'd', NULL, err);
		if (rc < 0)
			return rc;
	}
	snprintf(desc, sizeof(desc), "%s + module kallsyms (%zu modules, %zu symbols%s%s)", symtab_source(st), nmods,
		 c.nsyms, c.nfail ? ", some modules unreadable" : "",
		 scanned_head ? "; list head found by scanning module memory" : "");
	symtab_set_source(st, desc);
	return 0;
}

/* --- module BTF --- */

struct find_ctx {
	const char *name;
	uint64_t mod;
};

static int find_cb(uint64_t mod, const char *name, void *arg)
{
	struct find_ctx *c = arg;

	if (strcmp(name, c->name))
		return 0;
	c->mod = mod;
	return 1;
}

/*
 * do_init_module() sets mod->btf_data = NULL once the module is live (its
 * .BTF section is freed with the init sections); the copy the BPF core
 * parsed stays on the btf_modules list (kernel/bpf/btf.c, 5.11+):
 *   btf_modules -> struct btf_module { list, module, btf } -> struct btf { data, data_size }
 */
static int btf_modules_find(struct kmem *k, const struct ktypes *kt, const struct symtab *st, uint64_t mod,
			    uint64_t *data, uint64_t *size, struct sf_err *err)
{
	uint64_t head, pos, list_off, m, btf;
	int rc, n = 0;

	if (symtab_lookup(st, "btf_modules", &head, err) < 0)
		return sf_err_prefix(err, "the BPF core's btf_modules list is not among the symbols");
	list_off = (uint64_t)ktypes_offsetof(kt, "btf_module.list", err);
	if ((int64_t)list_off < 0)
		return -err->code;
	rc = kread_field(k, kt, head, "list_head.next", &pos, err);
	while (rc == 0 && pos != head) {
		if (++n > MOD_MAX_MODULES || !pos)
			return sf_err_set(err, SF_ELOOP, "btf_modules: list broken after %d entries", n);
		rc = kread_field(k, kt, pos - list_off, "btf_module.module", &m, err);
		if (rc < 0)
			return rc;
		if (m == mod) {
			if ((rc = kread_field(k, kt, pos - list_off, "btf_module.btf", &btf, err)) < 0 ||
			    (rc = kread_field(k, kt, btf, "btf.data", data, err)) < 0 ||
			    (rc = kread_field(k, kt, btf, "btf.data_size", size, err)) < 0)
				return rc;
			if (!*data || !*size)
				return sf_err_set(err, SF_ENOTFOUND, "struct btf at 0x%llx has no data", (unsigned long long)btf);
			return 0;
		}
		rc = kread_field(k, kt, pos, "list_head.next", &pos, err);
	}
	if (rc < 0)
		return rc;
	return sf_err_set(err, SF_ENOTFOUND, "no btf_modules entry for the module (%d entries)", n);
}

int ktypes_load_module(struct kmem *kmem, const struct ktypes *base, const struct symtab *st, const char *name,
			struct ktypes **ret, struct sf_err *err)
{
	struct kmem *k = kmem_as(kmem, READ_BTF);	/* the module list and the module's BTF */
	struct modlayout l;
	struct find_ctx c = { .name = name };
	uint64_t data, size;
	size_t nmods;
	uint8_t *buf = NULL;
	char what[200];
	int rc;

	if (!ktypes_has_field(base, "module.btf_data"))
		return sf_err_set(err, SF_ENOTSUP, "module %s: struct module has no btf_data "
				  "(kernel without CONFIG_DEBUG_INFO_BTF_MODULES, or before 5.11)", name);
	rc = get_layout(base, &l, err);
	if (rc < 0)
		return sf_err_prefix(err, "module %s BTF", name);
	rc = modules_walk(st, k, base, &l, NULL, find_cb, &c, &nmods, NULL, err);
	if (rc < 0)
		goto out;
	if (!c.mod) {
		rc = sf_err_set(err, SF_ENOTFOUND, "module %s is not loaded (%zu modules on the list)", name, nmods);
		goto out;
	}
	if ((rc = kread_field(k, base, c.mod, "module.btf_data", &data, err)) < 0 ||
	    (rc = kread_field(k, base, c.mod, "module.btf_data_size", &size, err)) < 0)
		goto out;
	if (!data || !size) {
		/* Cleared once the module is live; the BPF core keeps its parsed copy. */
		rc = btf_modules_find(k, base, st, c.mod, &data, &size, err);
		if (rc < 0) {
			sf_err_prefix(err, "module %s at 0x%llx: module.btf_data is NULL", name, (unsigned long long)c.mod);
			goto out;
		}
	}
	if (size > KTYPES_MAX_BTF) {
		rc = sf_err_set(err, SF_ENOMEM, "module %s: btf_data_size %llu is above the %u MiB cap", name,
				(unsigned long long)size, KTYPES_MAX_BTF >> 20);
		goto out;
	}
	buf = malloc(size);
	if (!buf) {
		rc = sf_err_set(err, SF_ENOMEM, "module %s: out of memory for %llu bytes of BTF", name, (unsigned long long)size);
		goto out;
	}
	rc = kmem_read(k, data, buf, size, "module.btf_data", err);
	if (rc < 0)
		goto out;
	snprintf(what, sizeof(what), "BTF of module %s in dump memory (%llu bytes at 0x%llx)", name,
		 (unsigned long long)size, (unsigned long long)data);
	rc = ktypes_load_split(base, buf, size, what, ret, err);
	if (rc == 0)
		ktypes_set_memory_range(*ret, data, data + size, NULL);
out:
	free(buf);
	return rc;
}
