// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump's own kallsyms: VMCOREINFO describes the tables since 6.0
 * (commit 5fd8fea935a1 "vmcoreinfo: include kallsyms symbols"), so no
 * vmlinux or System.map is needed.  The decoding is in kallsyms.c; this file
 * finds the tables and reads them through the kernel's address translation,
 * tagging the pages READ_SYMBOLS so the minimized dump keeps them.
 */
#include <stdio.h>

#include "kernel/syms_int.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

static int kmem_rd(void *arg, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return kmem_read(arg, addr, buf, len, what, err);
}

static uint64_t opt_symbol(const struct vmcoreinfo *vi, const char *name)
{
	struct sf_err ignored = { 0 };
	uint64_t v;

	return vmcoreinfo_symbol(vi, name, &v, &ignored) == 0 ? v : 0;
}

/*
 * VMCOREINFO's SYMBOL() entries that name a variable's address.  A kallsyms
 * without CONFIG_KALLSYMS_ALL (Debian arm64) has text symbols only, so these
 * are added when kallsyms lacks them.  Not mem_section: with
 * SPARSEMEM_EXTREME its SYMBOL() is the pointer's value, not its address.
 */
static const char *const vmcoreinfo_vars[] = {
	"init_uts_ns", "node_online_map", "swapper_pg_dir", "init_top_pgt", "vmap_area_list", "prb",
	"printk_rb_static", "clear_seq", "log_buf", "log_buf_len", "log_first_idx", "clear_idx", "log_next_idx",
	"contig_page_data", "high_memory", "mem_map", "kallsyms_names", "kallsyms_num_syms", "kallsyms_token_table",
	"kallsyms_token_index", "kallsyms_offsets", "kallsyms_relative_base", "kallsyms_addresses", "kallsyms_markers",
};

static int add_vmcoreinfo_vars(struct symtab *st, const struct vmcoreinfo *vi, size_t *added, struct sf_err *err)
{
	*added = 0;
	for (size_t i = 0; i < sizeof(vmcoreinfo_vars) / sizeof(vmcoreinfo_vars[0]); i++) {
		uint64_t a = opt_symbol(vi, vmcoreinfo_vars[i]);
		int rc;

		if (!a || symtab_contains(st, vmcoreinfo_vars[i]))
			continue;
		rc = symtab_add(st, vmcoreinfo_vars[i], a, 'D', NULL, err);
		if (rc < 0)
			return rc;
		(*added)++;
	}
	return 0;
}

/*
 * Remote dumps: the decoder reads the tables in small dependent steps.  They
 * sit together in the kernel image (scripts/kallsyms.c emits them in one
 * .rodata block, token_index last up to 7.x), so the span from the lowest
 * table to 512 bytes past the highest is fetched in one round first.  A
 * span above 32 MiB means an unexpected layout: no hint.
 */
static void prefetch_tables(struct kmem *k, const struct kallsyms_tables *t)
{
	const uint64_t a[] = { t->names, t->num_syms, t->token_table, t->token_index, t->offsets, t->relative_base,
			       t->addresses, t->markers };
	uint64_t lo = UINT64_MAX, hi = 0;

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		if (!a[i])
			continue;
		lo = a[i] < lo ? a[i] : lo;
		hi = a[i] > hi ? a[i] : hi;
	}
	if (hi >= lo && hi - lo < (32u << 20))
		kmem_prefetch(k, lo, hi - lo + 512);
}

int symtab_load_kallsyms(struct symtab *st, struct kmem *k, const struct vmcoreinfo *vi, struct sf_err *err)
{
	struct kallsyms_tables t = { 0 };
	const struct dump_info *di;
	enum kallsyms_encoding enc;
	char desc[200];
	size_t before = symtab_count(st), extra;
	int rc;

	if (!vi)
		return sf_err_set(err, SF_ENOTFOUND, "kallsyms: the dump has no VMCOREINFO; "
				  "give the kernel's System.map (-m) or a vmlinux with symbols (-x)");
	t.names = opt_symbol(vi, "kallsyms_names");
	t.num_syms = opt_symbol(vi, "kallsyms_num_syms");
	t.token_table = opt_symbol(vi, "kallsyms_token_table");
	t.token_index = opt_symbol(vi, "kallsyms_token_index");
	t.offsets = opt_symbol(vi, "kallsyms_offsets");
	t.relative_base = opt_symbol(vi, "kallsyms_relative_base");
	t.addresses = opt_symbol(vi, "kallsyms_addresses");
	t.markers = opt_symbol(vi, "kallsyms_markers");
	t.stext = opt_symbol(vi, "_stext");
	if (!t.names || !t.num_syms || !t.token_table || !t.token_index || (!t.offsets && !t.addresses))
		return sf_err_set(err, SF_ENOTFOUND,
				  "kallsyms: VMCOREINFO has no SYMBOL(kallsyms_names/_num_syms/_token_table/_token_index/"
				  "_offsets) (kernels before 6.0 do not export them); "
				  "give the kernel's System.map (-m) or a vmlinux with symbols (-x)");
	di = dump_get_info(kmem_dump(k));
	t.big_endian = kmem_big_endian(k);
	t.ptr_size = di && di->elf_class32 ? 4 : 8;
	k = kmem_as(k, READ_SYMBOLS);
	prefetch_tables(k, &t);
	rc = kallsyms_decode(&t, kmem_rd, k, st, &enc, err);
	if (rc < 0)
		return sf_err_prefix(err, "kallsyms in dump");
	rc = add_vmcoreinfo_vars(st, vi, &extra, err);
	if (rc < 0)
		return rc;
	snprintf(desc, sizeof(desc), "kallsyms in dump (%zu symbols, %s%s)%s", symtab_count(st) - before - extra,
		 kallsyms_encoding_name(enc), t.stext ? "" : ", unverified: no SYMBOL(_stext)",
		 extra ? " + VMCOREINFO SYMBOL()s" : "");
	symtab_set_source(st, desc);
	return 0;
}
