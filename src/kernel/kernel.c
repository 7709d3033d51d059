// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kernel_open(): the dumped kernel as one object.  The order matters, each
 * step needs the ones before it:
 *
 *   arch        from the dump (ELF e_machine, kdump utsname.machine), else
 *               from VMCOREINFO keys only one architecture writes
 *   VMCOREINFO  parsed from the dump's note
 *   kmem        address translation (arch->init reads VMCOREINFO)
 *   symbols     System.map (-m), else vmlinux symtab (-x), else the dump's
 *               own kallsyms; link-time addresses are moved by the KASLR
 *               shift measured on _stext
 *   BTF         vmlinux .BTF (-x), --btf, a mini.core's kernel note, dump
 *               memory (__start_BTF..__stop_BTF): explicit files first
 *   modules     module kallsyms (needs BTF for struct module)
 *   per-CPU     nr_cpu_ids and __per_cpu_offset[]
 *   prstatus    every NT_PRSTATUS note, parsed by the arch, and matched to
 *               its CPU through the kernel's own per-CPU crash_notes
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/symbols.h"
#include "skbfilter/vmcoreinfo.h"
#include "mem/qemu.h"
#include "kernel/kfile_check.h"
#include "kernel/vmlinux.h"

#define NT_PRSTATUS 1

/* Picks the architecture; the dump's own word first, VMCOREINFO as a last resort. */
static const struct arch_ops *kernel_pick_arch(struct dump *d, const struct vmcoreinfo *vi, struct sf_err *err)
{
	const struct dump_info *info = dump_get_info(d);
	const struct arch_ops *arch = NULL;
	uint64_t v;

	if (info->e_machine)
		arch = arch_by_e_machine(info->e_machine);
	if (!arch && info->uts_machine[0])
		arch = arch_by_uts_machine(info->uts_machine);
	if (arch)
		return arch;
	/*
	 * qemu ELF dumps always carry e_machine; this is for odd inputs.  Keys
	 * only one architecture's arch_crash_save_vmcoreinfo() writes.
	 */
	if (vi && vmcoreinfo_number(vi, "VA_BITS", &v, SF_NOERR) == 0 &&
	    vmcoreinfo_number(vi, "kimage_voffset", &v, SF_NOERR) == 0)
		return &arch_arm64;
	if (vi && vmcoreinfo_symbol(vi, "init_top_pgt", &v, SF_NOERR) == 0)
		return &arch_x86_64;
	sf_err_set(err, SF_ENOTSUP, "unknown architecture (ELF machine %u, utsname machine '%s')",
		   info->e_machine, info->uts_machine);
	return NULL;
}

static void kernel_read_vmcoreinfo_facts(struct kernel *k)
{
	const char *s;
	uint64_t v;

	if (!k->vi)
		return;
	s = vmcoreinfo_get(k->vi, "OSRELEASE");
	if (s)
		snprintf(k->release, sizeof(k->release), "%s", s);
	s = vmcoreinfo_get(k->vi, "BUILD-ID");
	if (s)
		snprintf(k->build_id, sizeof(k->build_id), "%s", s);
	if (vmcoreinfo_dec(k->vi, "CRASHTIME", &v, SF_NOERR) == 0)
		k->crashtime = v;
	if (vmcoreinfo_hex(k->vi, "KERNELOFFSET", &v, SF_NOERR) == 0)
		k->kaslr_offset = v;
}

/*
 * System.map and a vmlinux symtab hold link-time addresses; the running
 * kernel was moved by KASLR.  The loaders add KERNELOFFSET
 * (symtab_set_reloc()); this checks the result on _stext against VMCOREINFO
 * (SYMBOL(_stext) is the running address) and moves the table by what is
 * left, e.g. when KERNELOFFSET is missing.  Only kernel-half addresses move:
 * x86_64 per-CPU symbols are zero-based offsets into the per-CPU area.
 */
static int kernel_relocate_symtab(struct kernel *k, struct symtab **stp, struct sf_err *err)
{
	struct symtab *st = *stp, *nst = NULL;
	uint64_t link_stext, run_stext, shift;
	struct sym_hit h;
	size_t n, i;
	int rc;

	if (!k->vi || vmcoreinfo_symbol(k->vi, "_stext", &run_stext, SF_NOERR) != 0)
		return 0;
	if (symtab_lookup(st, "_stext", &link_stext, SF_NOERR) != 0)
		return 0;
	shift = run_stext - link_stext;
	if (!shift)
		return 0;
	rc = symtab_create(&nst, err);
	if (rc)
		return rc;
	n = symtab_count(st);
	for (i = 0; i < n; i++) {
		uint64_t a;

		if (symtab_get(st, i, &h) != 0)
			continue;
		a = (h.addr >> 63) ? h.addr + shift : h.addr;
		rc = symtab_add(nst, h.name, a, h.type, h.module, err);
		if (rc)
			goto out;
	}
	rc = symtab_finish(nst, err);
	if (rc)
		goto out;
	symtab_set_source(nst, symtab_source(st));
	symtab_destroy(st);
	*stp = nst;
	nst = NULL;
out:
	symtab_destroy(nst);
	return rc;
}

static bool kallsyms_in_vmcoreinfo(const struct vmcoreinfo *vi)
{
	uint64_t v;

	return vi && vmcoreinfo_symbol(vi, "kallsyms_names", &v, SF_NOERR) == 0;
}

static int kernel_load_symbols(struct kernel *k, const struct kernel_open_opts *opts, struct vmlinux_elf *vml,
			       struct sf_err *err)
{
	struct sf_err e2 = { 0 };
	struct symtab *st = NULL;
	int rc;

	if (opts->system_map) {
		rc = symtab_create(&st, err);
		if (!rc) {
			symtab_set_reloc(st, k->kaslr_offset);
			rc = symtab_load_system_map(st, opts->system_map, err);
		}
		if (!rc)
			rc = symtab_finish(st, err);
		if (!rc)
			rc = kernel_relocate_symtab(k, &st, err);
		if (rc) {
			symtab_destroy(st);
			return sf_err_prefix(err, "System.map %s", opts->system_map);
		}
		k->syms = st;
		return 0;
	}
	if (opts->vmlinux) {
		rc = symtab_create(&st, err);
		if (!rc) {
			symtab_set_reloc(st, k->kaslr_offset);
			Elf *elf;

			rc = vmlinux_elf_get(vml, opts->vmlinux, &elf, &e2);
			if (!rc)
				rc = symtab_load_vmlinux_elf(st, opts->vmlinux, elf, &e2);
		}
		if (!rc)
			rc = symtab_finish(st, &e2);
		if (!rc && symtab_count(st) == 0)
			rc = sf_err_set(&e2, SF_ENOTFOUND, "no symbols (stripped vmlinux)");
		if (!rc)
			rc = kernel_relocate_symtab(k, &st, &e2);
		if (!rc) {
			k->syms = st;
			return 0;
		}
		/* A stripped vmlinux still serves its .BTF; symbols come from the dump. */
		warn_add(k->warnings, "vmlinux %s: symbols not used: %s; using the dump's kallsyms",
			 opts->vmlinux, e2.msg);
		symtab_destroy(st);
		st = NULL;
	}
	/* a mini.core: the symbols the analysis used, from its kernel note */
	if (k->slim && k->slim->have_syms) {
		char desc[200];

		rc = symtab_create(&st, &e2);
		if (!rc)
			rc = slimnote_add_syms(k->slim, st, false, &e2);
		if (!rc)
			rc = symtab_finish(st, &e2);
		if (!rc) {
			snprintf(desc, sizeof(desc), "mini.core kernel note (%zu symbols used by the analysis)",
				 symtab_count(st));
			symtab_set_source(st, desc);
			k->syms = st;
			return 0;
		}
		symtab_destroy(st);
		st = NULL;
		warn_add(k->warnings, "mini.core kernel note: symbols not used: %s", e2.msg);
	}
	/*
	 * Without symbols the log and raw memory still work: say so and go on
	 * (k->syms stays NULL; everything above checks for it).
	 */
	if (!k->vi) {
		warn_add(k->warnings, "no symbols: the dump has no VMCOREINFO (so no kallsyms location); give -m System.map");
		return 0;
	}
	rc = symtab_create(&st, &e2);
	if (!rc)
		rc = symtab_load_kallsyms(st, k->kmem, k->vi, &e2);
	if (!rc)
		rc = symtab_finish(st, &e2);
	if (rc) {
		symtab_destroy(st);
		if (rc == -SF_ENOTFOUND && !kallsyms_in_vmcoreinfo(k->vi)) {
			/*
			 * SYMBOL(kallsyms_*) entered VMCOREINFO in 6.0 ("vmcoreinfo:
			 * include kallsyms symbols");
			 * older kernels (and distributions' 5.x: Debian 11, RHEL 8/9,
			 * Ubuntu LTS) need the System.map their package ships.
			 */
			sf_err_set(&e2, SF_ENOTFOUND, "VMCOREINFO has no kallsyms (SYMBOL(kallsyms_names) etc., written "
				   "by kernels since 6.0), so the kernel's symbols must come from a file: pass -m "
				   "/boot/System.map-%s (the System.map of the dumped kernel) or -x with its vmlinux",
				   k->release[0] ? k->release : "<kernel release>");
			if (opts->need_symbols)
				return sf_err_set(err, SF_ENOTFOUND, "%s", e2.msg);
			warn_add(k->warnings, "no symbols: %s", e2.msg);
			return 0;
		}
		warn_add(k->warnings, "no symbols: kallsyms in the dump: %s", e2.msg);
		return 0;
	}
	k->syms = st;
	return 0;
}

/*
 * Where the types come from, in the order symbols do (kernel_load_symbols()):
 * what the user gives (-x's .BTF, then --btf), then a mini.core's kernel note
 * (its BTF pages are left out), then the dump's own memory
 * (__start_BTF..__stop_BTF through the symbols, whichever gave them).  A file
 * given is first checked to belong to the dump (kfile_check(), a named error
 * otherwise); one that still cannot be loaded is a warning: the result then
 * rests on another source.
 */
static void kernel_load_btf(struct kernel *k, const struct kernel_open_opts *opts, struct vmlinux_elf *vml)
{
	struct sf_err e = { 0 };
	char uerr[2 * 300] = "", why[300] = "";
	size_t ul = 0;

	if (opts->vmlinux) {
		Elf *elf;

		if (vmlinux_elf_get(vml, opts->vmlinux, &elf, &e) == 0 &&
		    ktypes_load_vmlinux_elf(opts->vmlinux, elf, &k->types, &e) == 0)
			return;
		ul += (size_t)snprintf(uerr + ul, sizeof(uerr) - ul, "%.280s", e.msg);
		sf_err_clear(&e);
	}
	if (opts->btf) {
		if (ktypes_load_file(opts->btf, &k->types, &e) == 0)
			return;
		if (ul < sizeof(uerr))
			snprintf(uerr + ul, sizeof(uerr) - ul, "%s%.280s", ul ? "; " : "", e.msg);
		sf_err_clear(&e);
	}
	if (k->slim && k->slim->btf) {
		char what[200];

		snprintf(what, sizeof(what), "mini.core kernel note (slim BTF, %zu bytes)", k->slim->btf_len);
		if (ktypes_load_raw(k->slim->btf, k->slim->btf_len, what, &k->types, &e) == 0)
			goto used;
		warn_add(k->warnings, "mini.core kernel note: BTF not used: %s", e.msg);
		sf_err_clear(&e);
	}
	if (!k->syms)
		sf_err_set(&e, SF_ENOTFOUND, "no symbols to find __start_BTF");
	else if (ktypes_load_memory(k->kmem, k->syms, &k->types, &e) == 0)
		goto used;
	snprintf(why, sizeof(why), "dump memory: %.280s", e.msg);
	k->types = NULL;
	warn_add(k->warnings, "no BTF (%s%s%s): struct layouts unknown; give --btf or -x", uerr, uerr[0] ? "; " : "", why);
	return;
used:
	if (uerr[0])
		warn_add(k->warnings, "types given on the command line not used (%s); using %s", uerr, ktypes_source(k->types));
}

/*
 * The order of NT_PRSTATUS notes is the order the kdump kernel (or qemu)
 * listed CPUs, which skips offline CPUs.  The panicked kernel's per-CPU
 * crash_notes buffer holds the very same note (crash_save_cpu() wrote it
 * there and /proc/vmcore copied it), so comparing each CPU's buffer with the
 * notes gives the real CPU number.  Dumps without kdump (qemu) leave
 * crash_notes empty; then the note index is the CPU number.
 */
static void kernel_map_prstatus_cpus(struct kernel *k)
{
	uint64_t a_notes, notes_ptr;
	struct sf_err e = { 0 };
	uint8_t buf[1024];
	int mapped = 0;
	struct kmem *as_percpu = kmem_as(k->kmem, READ_PERCPU);

	if (!k->per_cpu_offset || k->nprstatus == 0)
		return;
	if (kernel_symbol(k, "crash_notes", &a_notes, &e) != 0 ||
	    kmem_read_u64(k->kmem, a_notes, &notes_ptr, "crash_notes", &e) != 0 || !notes_ptr)
		return;
	for (int cpu = 0; cpu < k->nr_cpu_ids; cpu++) {
		uint32_t namesz, descsz, type;
		struct prstatus ps;
		size_t hdr;

		sf_err_clear(&e);
		if (kmem_read(as_percpu, notes_ptr + k->per_cpu_offset[cpu], buf, 24, "crash_notes note", &e) != 0)
			continue;
		namesz = (uint32_t)kmem_load(as_percpu, buf, 4);
		descsz = (uint32_t)kmem_load(as_percpu, buf + 4, 4);
		type = (uint32_t)kmem_load(as_percpu, buf + 8, 4);
		if (type != NT_PRSTATUS || namesz != 5 || memcmp(buf + 12, "CORE", 5) != 0)
			continue;
		hdr = 12 + ((namesz + 3) & ~3u);
		if (descsz == 0 || hdr + descsz > sizeof(buf))
			continue;
		if (kmem_read(as_percpu, notes_ptr + k->per_cpu_offset[cpu], buf, hdr + descsz, "crash_notes note", &e) != 0)
			continue;
		if (k->arch->parse_prstatus(buf + hdr, descsz, kmem_big_endian(as_percpu), &ps, &e) != 0)
			continue;
		for (int i = 0; i < k->nprstatus; i++) {
			const struct prstatus *p = &k->prstatus[i].regs;

			if (p->pid == ps.pid && p->ip == ps.ip && p->sp == ps.sp) {
				k->prstatus[i].cpu = cpu;
				mapped++;
				break;
			}
		}
	}
	if (mapped && mapped != k->nprstatus)
		warn_add(k->warnings, "only %d of %d NT_PRSTATUS notes matched a CPU's crash_notes; "
			 "the others keep their note index as CPU number", mapped, k->nprstatus);
}

static int kernel_load_prstatus(struct kernel *k, struct sf_err *err)
{
	const struct dump_note *notes;
	size_t n = dump_get_notes(k->dump, &notes);
	bool qemu = qemu_notes_detect(notes, n);	/* pr_pid is the vCPU number + 1 */
	int count = 0;

	for (size_t i = 0; i < n; i++)
		if (notes[i].type == NT_PRSTATUS && !strcmp(notes[i].name, "CORE"))
			count++;
	if (count == 0)
		return 0;
	if (count > KERNEL_MAX_CPUS) {
		warn_add(k->warnings, "%d NT_PRSTATUS notes: keeping the first %d", count, KERNEL_MAX_CPUS);
		count = KERNEL_MAX_CPUS;
	}
	k->prstatus = calloc((size_t)count, sizeof(*k->prstatus));
	if (!k->prstatus)
		return sf_err_set(err, SF_ENOMEM, "%d NT_PRSTATUS notes", count);
	for (size_t i = 0; i < n && k->nprstatus < count; i++) {
		struct cpu_prstatus *cp = &k->prstatus[k->nprstatus];
		struct sf_err e = { 0 };

		if (notes[i].type != NT_PRSTATUS || strcmp(notes[i].name, "CORE"))
			continue;
		if (k->arch->parse_prstatus(notes[i].desc, notes[i].descsz, kmem_big_endian(k->kmem),
					    &cp->regs, &e) != 0) {
			warn_add(k->warnings, "NT_PRSTATUS note %d: %s", k->nprstatus, e.msg);
			/* keep the slot so indices stay note order; mark it empty */
			memset(&cp->regs, 0, sizeof(cp->regs));
			cp->regs.pid = -1;
		} else if (qemu) {
			cp->regs.pid = -1;	/* the vCPU number + 1, not current->pid */
		}
		cp->cpu = k->nprstatus;
		k->nprstatus++;
	}
	return 0;
}

static int kernel_lookup_cb(void *ctx, const char *name, uint64_t *addr)
{
	return kernel_symbol(ctx, name, addr, SF_NOERR);
}

int kernel_open(struct dump *d, const struct kernel_open_opts *opts, struct kernel **ret, struct sf_err *err)
{
	static const struct kernel_open_opts no_opts;
	struct vmlinux_elf vml = { 0 };
	struct kernel *k;
	const char *text;
	size_t len = 0;
	int rc;

	*ret = NULL;
	if (!opts)
		opts = &no_opts;
	k = calloc(1, sizeof(*k));
	if (!k)
		return sf_err_set(err, SF_ENOMEM, "kernel context");
	k->dump = d;
	k->warnings = opts->warnings;

	text = dump_get_vmcoreinfo(d, &len);
	if (text) {
		rc = vmcoreinfo_parse(text, len, &k->vi, err);
		if (rc) {
			sf_err_prefix(err, "VMCOREINFO");
			goto fail;
		}
	} else {
		struct strbuf sb;
		struct sf_err qe = { 0 };

		/* QEMU without -device vmcoreinfo: rebuild the essentials from its vCPU notes */
		strbuf_init(&sb);
		rc = qemu_synth_vmcoreinfo(d, opts->system_map, opts->recorder, &sb, &qe);
		if (!rc)
			rc = vmcoreinfo_parse(sb.buf, sb.len, &k->vi, &qe);
		strbuf_release(&sb);
		if (!rc)
			warn_add(k->warnings, "the dump has no VMCOREINFO note; QEMU dump: KASLR offset and phys_base "
				 "from the vCPU's page tables (CR3), symbol positions from %s", opts->system_map);
		else if (qe.code != SF_ENOTFOUND || strstr(qe.msg, "System.map"))
			warn_add(k->warnings, "the dump has no VMCOREINFO note (%s)", qe.msg);
		else
			warn_add(k->warnings, "the dump has no VMCOREINFO note");
		rc = 0;
	}
	k->arch = kernel_pick_arch(d, k->vi, err);
	if (!k->arch) {
		rc = -SF_ENOTSUP;
		goto fail;
	}
	kernel_read_vmcoreinfo_facts(k);
	if (!k->release[0] && dump_get_info(d)->uts_release[0])
		snprintf(k->release, sizeof(k->release), "%s", dump_get_info(d)->uts_release);
	rc = kfile_check(k, opts, err);	/* -x/-m/--btf belong to this dump, or one named error */
	if (rc)
		goto fail;

	rc = kmem_create(d, k->arch, k->vi, k->warnings, opts->recorder, &k->kmem, err);
	if (rc)
		goto fail;	/* the message already names the arch and the translation */
	qemu_keep_tables(k->kmem, k->vi);
	if (opts->memory_only) {
		*ret = k;
		return 0;
	}
	{
		size_t nlen = 0;
		const uint8_t *nd = slimnote_find(d, &nlen);
		struct sf_err ne = { 0 };

		if (nd && slimnote_parse(nd, nlen, &k->slim, &ne) < 0)
			warn_add(k->warnings, "%s: %s; symbols and types from the dump's memory instead", dump_name(d), ne.msg);
	}
	/* -x serves symbols and BTF: opened once for both */
	rc = kernel_load_symbols(k, opts, &vml, err);
	if (rc) {
		vmlinux_elf_close(&vml);
		goto fail;
	}
	if (k->syms)
		kmem_use_symbols(k->kmem, kernel_lookup_cb, k);
	kernel_load_btf(k, opts, &vml);
	vmlinux_elf_close(&vml);
	if (k->types && k->syms && !opts->no_modules) {
		struct sf_err e = { 0 };

		uint64_t head;

		/*
		 * Without a 'modules' symbol (kallsyms without data symbols) the
		 * list head is found later from the first module address the
		 * unwinder meets (kernel_load_modules_near(), modfind.c).
		 */
		if (kernel_symbol(k, "modules", &head, &e) != 0)
			;
		else if (k->slim && k->slim->have_syms)
			kernel_add_note_modules(k);
		else if (symtab_load_modules(k->syms, k->kmem, k->types, k->warnings, &e) != 0)
			warn_add(k->warnings, "module symbols: %s", e.msg);
		sf_err_clear(&e);
		/* finish again: the vmlinux part was indexed before BTF could be found */
		if (symtab_finish(k->syms, &e) != 0) {
			rc = sf_err_set(err, e.code ? e.code : SF_EINVAL, "symbol table: %s", e.msg);
			goto fail;
		}
	}
	rc = kernel_load_prstatus(k, err);
	if (rc)
		goto fail;
	rc = kernel_load_percpu(k, err);
	if (rc)
		goto fail;
	kernel_map_prstatus_cpus(k);
	if (!kernel_percpu_from_note(k))
		kernel_percpu_discover(k);
	*ret = k;
	return 0;
fail:
	kernel_close(k);
	/* Name the dump: the message is printed far from here, maybe among other files. */
	sf_err_prefix(err, "%s", dump_name(d));
	return rc < 0 ? rc : -SF_EINVAL;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	ktypes_destroy(k->types);
	symtab_destroy(k->syms);
	slimnote_destroy(k->slim);
	kmem_destroy(k->kmem);
	vmcoreinfo_destroy(k->vi);
	free(k->per_cpu_offset);
	free(k->percpu_base);
	free(k->prstatus);
	free(k);
}

void kernel_add_note_modules(struct kernel *k)
{
	struct sf_err e = { 0 };
	char desc[600];

	if (!k->slim || !k->syms)
		return;
	if (slimnote_add_syms(k->slim, k->syms, true, &e) < 0) {
		warn_add(k->warnings, "module symbols from the mini.core kernel note: %s", e.msg);
		return;
	}
	snprintf(desc, sizeof(desc), "%.400s + module symbols from the mini.core kernel note (%zu)",
		 symtab_source(k->syms), k->slim->nmodsyms);
	symtab_set_source(k->syms, desc);
}

int kernel_symbol(struct kernel *k, const char *name, uint64_t *ret, struct sf_err *err)
{
	if (!k->syms)
		return sf_err_set(err, SF_ENOTFOUND, "symbol %s: no symbol table", name);
	if (symtab_lookup(k->syms, name, ret, SF_NOERR) == 0)
		return 0;
	return sf_err_set(err, SF_ENOTFOUND, "symbol %s not found in %s", name, symtab_source(k->syms));
}

/*
 * The linker script reserves exactly THREAD_SIZE for init's stack
 * (INIT_TASK_DATA: __start_init_task .. __end_init_task), so its span is
 * THREAD_SIZE whatever the configuration (KASAN doubles it, 16K pages...).
 */
uint64_t kernel_thread_size(struct kernel *k)
{
	uint64_t s, e;

	if (kernel_symbol(k, "__start_init_task", &s, SF_NOERR) == 0 && kernel_symbol(k, "__end_init_task", &e, SF_NOERR) == 0 &&
	    e > s && e - s <= (1u << 20) && ((e - s) & (e - s - 1)) == 0)
		return e - s;
	return k->arch->thread_size_default ? k->arch->thread_size_default : 16384;
}

/* ---- struct kernel is opaque above src/kernel: its accessors ---- */

struct dump *kernel_dump(const struct kernel *k) { return k->dump; }
const struct arch_ops *kernel_arch(const struct kernel *k) { return k->arch; }
const struct vmcoreinfo *kernel_vmcoreinfo(const struct kernel *k) { return k->vi; }
struct kmem *kernel_kmem(const struct kernel *k) { return k->kmem; }
struct symtab *kernel_symtab(const struct kernel *k) { return k->syms; }
struct ktypes *kernel_types(const struct kernel *k) { return k->types; }
struct warnlist *kernel_warnings(const struct kernel *k) { return k->warnings; }
const char *kernel_release(const struct kernel *k) { return k->release; }
const char *kernel_build_id(const struct kernel *k) { return k->build_id; }
uint64_t kernel_crashtime(const struct kernel *k) { return k->crashtime; }
uint64_t kernel_kaslr_offset(const struct kernel *k) { return k->kaslr_offset; }
const struct cpu_prstatus *kernel_prstatus(const struct kernel *k) { return k->prstatus; }
int kernel_nprstatus(const struct kernel *k) { return k->nprstatus; }
