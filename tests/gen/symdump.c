// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symdump: a test tool over the symbol and type layers.
 *   symdump [OPTIONS] DUMP...
 *     (default)          "ADDR TYPE NAME [MODULE]" for every symbol, from the
 *                        dump's kallsyms (no vmlinux, no System.map)
 *     -m FILE            symbols from a System.map instead (shifted by KERNELOFFSET)
 *     -x FILE            symbols from a vmlinux .symtab instead
 *     --btf FILE         types from a raw BTF file instead of dump memory
 *     --modules          add loaded modules' symbols (needs types)
 *     --no-symbols       do not print the symbol lines
 *     --resolve ADDR     print "ADDR NAME+0xOFF [MODULE]" (repeatable)
 *     --lookup NAME      print "NAME ADDR" (repeatable)
 *     --field PATH       print "PATH offset size bit_offset bit_size elem_size nelems" (repeatable)
 *     --read-field ADDR:PATH  print "PATH@ADDR VALUE" (kread_field)
 *     --btf-out FILE     write the BTF bytes read from dump memory
 *     --module-btf NAME  load module NAME's split BTF; --field then asks it
 * On stderr: "symdump: source: ...", "symdump: types: ...",
 * "symdump: kaslr 0x...", warnings; errors as "symdump: MESSAGE" (exit 1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/symbols.h"
#include "skbfilter/vmcoreinfo.h"

#define MAXQ 256

static int fail(struct sf_err *err)
{
	fprintf(stderr, "symdump: %s\n", err->msg);
	return 1;
}

int main(int argc, char **argv)
{
	const char *sysmap = NULL, *vmlinux = NULL, *btf = NULL, *btf_out = NULL, *modbtf = NULL;
	struct ktypes *mkt = NULL;
	const char *resolve[MAXQ], *lookup[MAXQ], *fields[MAXQ], *reads[MAXQ];
	int nres = 0, nlook = 0, nfield = 0, nread = 0, i, rc = 1;
	bool modules = false, print_syms = true;
	struct dump_open_opts opts = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct dump *d = NULL;
	struct vmcoreinfo *vi = NULL;
	struct kmem *k = NULL;
	struct symtab *st = NULL;
	struct ktypes *kt = NULL;
	const struct dump_info *info;
	const struct arch_ops *arch;
	const char *vtext;
	size_t vlen;
	uint64_t kaslr = 0;

	warnlist_init(&wl);
	opts.warnings = &wl;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") && i + 1 < argc)
			sysmap = argv[++i];
		else if (!strcmp(argv[i], "-x") && i + 1 < argc)
			vmlinux = argv[++i];
		else if (!strcmp(argv[i], "--btf") && i + 1 < argc)
			btf = argv[++i];
		else if (!strcmp(argv[i], "--btf-out") && i + 1 < argc)
			btf_out = argv[++i];
		else if (!strcmp(argv[i], "--module-btf") && i + 1 < argc)
			modbtf = argv[++i];
		else if (!strcmp(argv[i], "--modules"))
			modules = true;
		else if (!strcmp(argv[i], "--no-symbols"))
			print_syms = false;
		else if (!strcmp(argv[i], "--resolve") && i + 1 < argc && nres < MAXQ)
			resolve[nres++] = argv[++i];
		else if (!strcmp(argv[i], "--lookup") && i + 1 < argc && nlook < MAXQ)
			lookup[nlook++] = argv[++i];
		else if (!strcmp(argv[i], "--field") && i + 1 < argc && nfield < MAXQ)
			fields[nfield++] = argv[++i];
		else if (!strcmp(argv[i], "--read-field") && i + 1 < argc && nread < MAXQ)
			reads[nread++] = argv[++i];
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: symdump [-m MAP | -x VMLINUX] [--btf FILE] [--modules] [--resolve ADDR] "
				"[--lookup NAME] [--field PATH] [--btf-out FILE] DUMP...\n");
		return 2;
	}
	if (dump_open((const char *const *)&argv[i], argc - i, &opts, &d, &err) < 0)
		return fail(&err);
	info = dump_get_info(d);
	vtext = dump_get_vmcoreinfo(d, &vlen);
	if (!vtext) {
		fprintf(stderr, "symdump: the dump has no VMCOREINFO\n");
		goto out;
	}
	if (vmcoreinfo_parse(vtext, vlen, &vi, &err) < 0) {
		fail(&err);
		goto out;
	}
	arch = arch_by_e_machine(info->e_machine);
	if (!arch)
		arch = arch_by_uts_machine(info->uts_machine);
	if (!arch) {
		fprintf(stderr, "symdump: unknown architecture (e_machine %u)\n", info->e_machine);
		goto out;
	}
	if (kmem_create(d, arch, vi, &wl, NULL, &k, &err) < 0 || symtab_create(&st, &err) < 0) {
		fail(&err);
		goto out;
	}
	if (vmcoreinfo_hex(vi, "KERNELOFFSET", &kaslr, &err) < 0)
		kaslr = 0;
	fprintf(stderr, "symdump: kaslr 0x%" PRIx64 "\n", kaslr);
	symtab_set_reloc(st, kaslr);
	if (sysmap)
		rc = symtab_load_system_map(st, sysmap, &err);
	else if (vmlinux)
		rc = symtab_load_vmlinux(st, vmlinux, &err);
	else
		rc = symtab_load_kallsyms(st, k, vi, &err);
	if (rc < 0 || symtab_finish(st, &err) < 0) {
		rc = fail(&err);
		goto out;
	}
	rc = 1;
	if (btf)
		rc = ktypes_load_file(btf, &kt, &err);
	else
		rc = ktypes_load_memory(k, st, &kt, &err);
	if (rc < 0) {
		fprintf(stderr, "symdump: types: %s\n", err.msg);
		kt = NULL;
	} else {
		fprintf(stderr, "symdump: types: %s\n", ktypes_source(kt));
	}
	if (modules) {
		if (!kt) {
			fprintf(stderr, "symdump: --modules needs types\n");
			rc = 1;
			goto out;
		}
		if (symtab_load_modules(st, k, kt, &wl, &err) < 0 || symtab_finish(st, &err) < 0) {
			rc = fail(&err);
			goto out;
		}
	}
	fprintf(stderr, "symdump: source: %s\n", symtab_source(st));
	fprintf(stderr, "symdump: %zu symbols, %zu modules\n", symtab_count(st), symtab_module_count(st));
	if (print_syms) {
		for (size_t s = 0; s < symtab_count(st); s++) {
			struct sym_hit h;

			symtab_get(st, s, &h);
			if (h.module)
				printf("%016" PRIx64 " %c %s [%s]\n", h.addr, h.type, h.name, h.module);
			else
				printf("%016" PRIx64 " %c %s\n", h.addr, h.type, h.name);
		}
	}
	for (int q = 0; q < nres; q++) {
		uint64_t a = strtoull(resolve[q], NULL, 16);
		struct sym_hit h;

		if (symtab_resolve(st, a, 1 << 20, &h))
			printf("%016" PRIx64 " %s+0x%" PRIx64 "%s%s%s\n", a, h.name, h.offset, h.module ? " [" : "",
			       h.module ? h.module : "", h.module ? "]" : "");
		else
			printf("%016" PRIx64 " ?\n", a);
	}
	for (int q = 0; q < nlook; q++) {
		uint64_t a;

		if (symtab_lookup(st, lookup[q], &a, &err) == 0)
			printf("%s %016" PRIx64 "\n", lookup[q], a);
		else
			printf("%s ?\n", lookup[q]);
	}
	if (modbtf && kt) {
		if (ktypes_load_module(k, kt, st, modbtf, &mkt, &err) < 0) {
			rc = fail(&err);
			goto out;
		}
		fprintf(stderr, "symdump: module types: %s\n", ktypes_source(mkt));
	}
	for (int q = 0; q < nfield && kt; q++) {
		struct kfield f;

		if (ktypes_field(mkt ? mkt : kt, fields[q], &f, &err) == 0)
			printf("%s %" PRIu64 " %u %u %u %u %u\n", fields[q], f.offset, f.size, f.bit_offset, f.bit_size,
			       f.elem_size, f.nelems);
		else
			printf("%s ? %s\n", fields[q], err.msg);
	}
	for (int q = 0; q < nread && kt; q++) {
		char *colon = strchr(reads[q], ':');
		uint64_t v;

		if (!colon)
			continue;
		if (kread_field(k, kt, strtoull(reads[q], NULL, 16), colon + 1, &v, &err) == 0)
			printf("%s %" PRIu64 "\n", reads[q], v);
		else
			printf("%s ? %s\n", reads[q], err.msg);
	}
	if (btf_out && kt) {
		uint64_t s, e;
		uint8_t *buf;
		FILE *o;

		ktypes_memory_range(kt, &s, &e);
		if (!s || e <= s) {
			fprintf(stderr, "symdump: BTF did not come from dump memory\n");
			rc = 1;
			goto out;
		}
		buf = malloc(e - s);
		if (!buf || kmem_read(k, s, buf, e - s, "BTF", &err) < 0) {
			free(buf);
			rc = fail(&err);
			goto out;
		}
		o = fopen(btf_out, "wb");
		if (!o || fwrite(buf, 1, e - s, o) != e - s) {
			fprintf(stderr, "symdump: cannot write %s\n", btf_out);
			free(buf);
			if (o)
				fclose(o);
			rc = 1;
			goto out;
		}
		fclose(o);
		free(buf);
	}
	rc = 0;
out:
	for (size_t w = 0; w < wl.kept; w++)
		fprintf(stderr, "symdump: warning: %s\n", wl.msgs[w]);
	ktypes_destroy(mkt);
	ktypes_destroy(kt);
	symtab_destroy(st);
	kmem_destroy(k);
	vmcoreinfo_destroy(vi);
	dump_close(d);
	warnlist_release(&wl);
	return rc;
}
