// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vread: a test tool over the kernel-memory layer.
 *   vread [--tmpdir DIR] FILE... -- CMD [ARGS] [CMD [ARGS]]...
 * Commands (one output line each; numbers in hex without 0x unless noted):
 *   describe          "describe <arch describe() line>"
 *   sym NAME          "sym NAME VA"            (SYMBOL(NAME) from VMCOREINFO)
 *   vtop VA           "vtop VA PA" or "vtop VA error <message>"
 *   ptov PA           "ptov PA VA" or "ptov PA error <message>"
 *   u64 VA            "u64 VA VALUE"
 *   read VA LEN       "read VA HEXBYTES"
 *   state VA          "state VA <page state name>"
 *   find VA LEN TEXT  "find VA OFFSET" (decimal offset of TEXT in [VA, VA+LEN)) or "find VA none"
 *   vmemmap           "vmemmap BASE"
 *   prstatus          "prstatus N pid PID ip IP sp SP fp FP" for every NT_PRSTATUS note
 *   regs              "regs N NAME VALUE" for every register of every NT_PRSTATUS note
 * prstatus and regs also work on a dump without VMCOREINFO (no translation).
 *   recorded          "recorded pgtable N" (pfns read for page tables since the start)
 * VA/PA/LEN are parsed with strtoull base 0 (prefix 0x for hex; bare hex VAs also accepted).
 * Exit 3 if the dump or the translation cannot be set up (message on stderr).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/arch.h"
#include "skbfilter/dump.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

#define NT_PRSTATUS 1

static uint64_t num(const char *s)
{
	/* Bare hex addresses as in truth.json ("ffff8d3d9fc4c8c0") are hex. */
	if (strlen(s) >= 9 && strspn(s, "0123456789abcdefABCDEF") == strlen(s))
		return strtoull(s, NULL, 16);
	return strtoull(s, NULL, 0);
}

int main(int argc, char **argv)
{
	struct dump_open_opts opts = { 0 };
	struct warnlist wl;
	struct sf_err err = { 0 };
	struct dump *d = NULL;
	struct vmcoreinfo *vi = NULL;
	struct kmem *k = NULL;
	struct read_recorder *rec = NULL;
	const struct arch_ops *arch;
	const struct dump_info *info;
	const char *text;
	size_t textlen;
	int i, nfiles = 0, first, rc = 0;

	warnlist_init(&wl);
	opts.warnings = &wl;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tmpdir") && i + 1 < argc)
			opts.tmpdir = argv[++i];
		else
			break;
	}
	first = i;
	while (i < argc && strcmp(argv[i], "--"))
		i++, nfiles++;
	if (!nfiles || i >= argc) {
		fprintf(stderr, "usage: vread [--tmpdir DIR] FILE... -- CMD [ARGS]...\n");
		return 2;
	}
	i++;
	if (dump_open((const char *const *)&argv[first], nfiles, &opts, &d, &err) < 0) {
		fprintf(stderr, "vread: %s\n", err.msg);
		return 3;
	}
	if (read_recorder_create(0, &wl, &rec, &err) < 0) {
		fprintf(stderr, "vread: %s\n", err.msg);
		return 3;
	}
	info = dump_get_info(d);
	arch = arch_by_e_machine(info->e_machine);
	if (!arch)
		arch = arch_by_uts_machine(info->uts_machine);
	text = dump_get_vmcoreinfo(d, &textlen);
	if (!arch) {
		fprintf(stderr, "vread: unknown architecture\n");
		rc = 3;
		goto out;
	}
	/* Without VMCOREINFO only the note commands (prstatus) work; kmem stays NULL. */
	if (text && (vmcoreinfo_parse(text, textlen, &vi, &err) < 0 ||
		     kmem_create(d, arch, vi, &wl, rec, &k, &err) < 0)) {
		fprintf(stderr, "vread: %s\n", err.msg);
		rc = 3;
		goto out;
	}
	for (size_t w = 0; w < wl.kept; w++)
		printf("warning %s\n", wl.msgs[w]);
	for (; i < argc; i++) {
		const char *cmd = argv[i];
		uint64_t a, b, v;

		if (!k && strcmp(cmd, "prstatus") && strcmp(cmd, "regs")) {
			fprintf(stderr, "vread: %s: the dump has no VMCOREINFO, no translation\n", cmd);
			rc = 3;
			break;
		}

		if (!strcmp(cmd, "describe")) {
			char buf[512];

			arch->describe(kmem_arch_env(k), buf, sizeof(buf));
			printf("describe %s\n", buf);
		} else if (!strcmp(cmd, "sym") && i + 1 < argc) {
			if (vmcoreinfo_symbol(vi, argv[++i], &v, &err) < 0)
				printf("sym %s error %s\n", argv[i], err.msg);
			else
				printf("sym %s %" PRIx64 "\n", argv[i], v);
		} else if (!strcmp(cmd, "vtop") && i + 1 < argc) {
			a = num(argv[++i]);
			if (kmem_vtop(k, a, &v, &err) < 0)
				printf("vtop %" PRIx64 " error %s\n", a, err.msg);
			else
				printf("vtop %" PRIx64 " %" PRIx64 "\n", a, v);
		} else if (!strcmp(cmd, "ptov") && i + 1 < argc) {
			a = num(argv[++i]);
			if (kmem_ptov(k, a, &v, &err) < 0)
				printf("ptov %" PRIx64 " error %s\n", a, err.msg);
			else
				printf("ptov %" PRIx64 " %" PRIx64 "\n", a, v);
		} else if (!strcmp(cmd, "u64") && i + 1 < argc) {
			a = num(argv[++i]);
			if (kmem_read_u64(k, a, &v, "u64", &err) < 0)
				printf("u64 %" PRIx64 " error %s\n", a, err.msg);
			else
				printf("u64 %" PRIx64 " %" PRIx64 "\n", a, v);
		} else if (!strcmp(cmd, "read") && i + 2 < argc) {
			uint8_t buf[4096];

			a = num(argv[++i]);
			b = num(argv[++i]);
			if (b > sizeof(buf))
				b = sizeof(buf);
			if (kmem_read(k, a, buf, (size_t)b, "read", &err) < 0) {
				printf("read %" PRIx64 " error %s\n", a, err.msg);
			} else {
				printf("read %" PRIx64 " ", a);
				for (uint64_t j = 0; j < b; j++)
					printf("%02x", buf[j]);
				printf("\n");
			}
		} else if (!strcmp(cmd, "state") && i + 1 < argc) {
			a = num(argv[++i]);
			printf("state %" PRIx64 " %s\n", a, page_state_name(kmem_vpage_state(k, a)));
		} else if (!strcmp(cmd, "find") && i + 3 < argc) {
			uint8_t buf[4096];
			const char *needle;
			size_t nl;
			void *hit = NULL;

			a = num(argv[++i]);
			b = num(argv[++i]);
			needle = argv[++i];
			nl = strlen(needle);
			if (b > sizeof(buf))
				b = sizeof(buf);
			if (kmem_read(k, a, buf, (size_t)b, "find", &err) < 0) {
				printf("find %" PRIx64 " error %s\n", a, err.msg);
				continue;
			}
			if (nl && nl <= b)
				hit = memmem(buf, (size_t)b, needle, nl);
			if (hit)
				printf("find %" PRIx64 " %td\n", a, (uint8_t *)hit - buf);
			else
				printf("find %" PRIx64 " none\n", a);
		} else if (!strcmp(cmd, "vmemmap")) {
			printf("vmemmap %" PRIx64 "\n", arch->vmemmap_base(kmem_arch_env(k)));
		} else if (!strcmp(cmd, "prstatus") || !strcmp(cmd, "regs")) {
			const struct dump_note *notes;
			size_t n = dump_get_notes(d, &notes);
			int cpu = 0;

			for (size_t j = 0; j < n; j++) {
				struct prstatus ps;

				if (notes[j].type != NT_PRSTATUS || strcmp(notes[j].name, "CORE"))
					continue;
				if (arch->parse_prstatus(notes[j].desc, notes[j].descsz, info->big_endian, &ps, &err) < 0)
					printf("prstatus %d error %s\n", cpu, err.msg);
				else if (!strcmp(cmd, "prstatus"))
					printf("prstatus %d pid %d ip %" PRIx64 " sp %" PRIx64 " fp %" PRIx64 "\n", cpu,
					       ps.pid, ps.ip, ps.sp, ps.fp);
				else
					for (int r = 0; r < ps.nregs; r++)
						printf("regs %d %s %" PRIx64 "\n", cpu, ps.names[r], ps.regs[r]);
				cpu++;
			}
		} else if (!strcmp(cmd, "recorded")) {
			struct recorded_page *r = NULL;
			size_t n = 0, pt = 0;

			if (read_recorder_get(rec, &r, &n, &err) == 0)
				for (size_t j = 0; j < n; j++)
					pt += (r[j].reasons >> READ_PGTABLE) & 1;
			free(r);
			printf("recorded pgtable %zu\n", pt);
		} else {
			fprintf(stderr, "vread: unknown command or missing argument: %s\n", cmd);
			rc = 2;
			break;
		}
	}
out:
	kmem_destroy(k);
	read_recorder_destroy(rec);
	vmcoreinfo_destroy(vi);
	dump_close(d);
	warnlist_release(&wl);
	return rc;
}
