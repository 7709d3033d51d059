// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Extra page sets for mini.core.  Layouts come from VMCOREINFO (printk,
 * mem_section: what makedumpfile itself relies on) and BTF (task_struct,
 * kmem_cache); addresses from the symbol table.  Nothing here is needed by
 * our own analysis: it exists so that other tools can open the small dump.
 */
#include <stdio.h>
#include <string.h>

#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/symbols.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/vmcoreinfo.h"
#include "minicore/minikeep.h"

/* A corrupt size must not turn into reading gigabytes. */
#define KEEP_RANGE_MAX (256ull << 20)
#define KEEP_TASKS_MAX 200000
#define KEEP_CACHES_MAX 20000

/*
 * Touches every page of [vaddr, vaddr+len): a one-byte read per page makes
 * the dump record the page (and the page-table pages of its translation).
 * Pages that cannot be read are still recorded when the dump knows them.
 * Pages the source's own filter left out (makedumpfile -d: zero or free
 * pages, e.g. the unused part of the mem_section root array) are missing
 * from mini.core exactly as from the source: a note.  Any other failure is
 * one warning.
 */
static uint64_t keep_range(struct kernel *k, struct kmem *km, uint64_t vaddr, uint64_t len, const char *what, struct warnlist *w)
{
	uint32_t psz = kmem_page_size(km);
	uint64_t end, failed = 0, excluded = 0, pages = 0;
	struct sf_err err = { 0 };
	char first[256] = "", first_excl[256] = "";

	if (!len)
		return 0;
	if (len > KEEP_RANGE_MAX || vaddr + len < vaddr) {
		warn_add(w, "mini.core: %s: %llu bytes at 0x%llx is above the %llu-byte cap; not kept", what,
			 (unsigned long long)len, (unsigned long long)vaddr, KEEP_RANGE_MAX);
		return 0;
	}
	end = vaddr + len;
	for (uint64_t a = vaddr; a < end; a = (a - a % psz) + psz) {
		uint8_t b;

		pages++;
		if (kmem_read(km, a, &b, 1, what, &err) < 0) {
			if (kmem_vpage_state(km, a) == PAGE_EXCLUDED) {
				if (!excluded++)
					snprintf(first_excl, sizeof(first_excl), "%.200s", err.msg);
			} else if (!failed++) {
				snprintf(first, sizeof(first), "%.200s", err.msg);
			}
		}
	}
	if (failed)
		warn_add(w, "mini.core: %s: %llu of %llu pages could not be read (first: %s)", what,
			 (unsigned long long)failed, (unsigned long long)pages, first);
	if (excluded)
		warn_note(w, "mini.core: %s: %llu of %llu pages were left out of the source dump by its filter "
			  "(makedumpfile -d; first: %s); mini.core lacks them as the source does", what,
			  (unsigned long long)excluded, (unsigned long long)pages, first_excl);
	return len;
}

/*
 * makedumpfile translates every kernel virtual address through the kernel's
 * page tables (x86_64 vtop4_x86_64() from init_top_pgt, arm64
 * vaddr_to_paddr_arm64() from swapper_pg_dir), the direct map and the kernel
 * image included, where kmem takes the offset shortcuts.  Each page of what
 * it reads is walked the same way, so the table pages it needs are recorded
 * (READ_PGTABLE, kept whole).
 */
static uint64_t keep_walked(struct kernel *k, struct kmem *km, uint64_t vaddr, uint64_t len, const char *what, struct warnlist *w)
{
	uint32_t psz = kmem_page_size(km);
	uint64_t got = keep_range(k, km, vaddr, len, what, w), failed = 0, pages = 0;
	struct sf_err err = { 0 };
	char first[256] = "";

	if (!got)
		return 0;
	for (uint64_t a = vaddr; a < vaddr + len; a = (a - a % psz) + psz) {
		uint64_t pa;

		pages++;
		if (kmem_vtop_tables(km, a, &pa, &err) < 0 && !failed++)
			snprintf(first, sizeof(first), "%.200s", err.msg);
	}
	if (failed)
		warn_add(w, "mini.core: %s: the page-table walk failed for %llu of %llu pages (first: %s); "
			 "makedumpfile may not read it", what, (unsigned long long)failed, (unsigned long long)pages, first);
	return got;
}

static uint64_t keep_symbol(struct kernel *k, struct kmem *km, const char *sym, uint64_t len, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t addr;

	if (kernel_symbol(k, sym, &addr, &err) < 0)
		return 0;
	return keep_range(k, km, addr, len, sym, w);
}

static int vi_off(struct kernel *k, const char *name, uint64_t *ret)
{
	struct sf_err err = { 0 };

	return vmcoreinfo_offset(kernel_vmcoreinfo(k), name, ret, &err);
}

static int vi_size(struct kernel *k, const char *name, uint64_t *ret)
{
	struct sf_err err = { 0 };

	return vmcoreinfo_size(kernel_vmcoreinfo(k), name, ret, &err);
}

static uint64_t keep_mem_section(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t roots, nroots, ssize, sym, total = 0;
	uint32_t psz = kmem_page_size(km);

	if (!kernel_vmcoreinfo(k) || vmcoreinfo_symbol(kernel_vmcoreinfo(k), "mem_section", &roots, &err) < 0 ||
	    vmcoreinfo_length(kernel_vmcoreinfo(k), "mem_section", &nroots, &err) < 0 ||
	    vmcoreinfo_size(kernel_vmcoreinfo(k), "mem_section", &ssize, &err) < 0)
		return 0;	/* not SPARSEMEM */
	if (nroots > (1u << 20))
		return 0;
	/*
	 * makedumpfile reads it at start-up (get_mm_sparsemem(): the roots, then
	 * each section up to max_mapnr), --dump-dmesg included, and stops with
	 * "Could not validate mem_section" when no section reads as present.
	 *
	 * VMCOREINFO's SYMBOL(mem_section) is the value of the array name: with
	 * SPARSEMEM_EXTREME (the symbol is a pointer) the roots array, each root
	 * a page of struct mem_section; otherwise the static 2-D array itself.
	 */
	if (kernel_symbol(k, "mem_section", &sym, &err) == 0 && sym == roots)
		return keep_walked(k, km, roots, nroots * ssize, "mem_section", w);
	if (kernel_symbol(k, "mem_section", &sym, &err) == 0)
		total += keep_walked(k, km, sym, 8, "mem_section pointer", w);
	total += keep_walked(k, km, roots, nroots * 8, "mem_section roots", w);
	for (uint64_t i = 0; i < nroots; i++) {
		uint64_t root;

		if (kmem_read_u64(km, roots + i * 8, &root, "mem_section root", &err) < 0)
			break;
		if (root)
			total += keep_walked(k, km, root, psz, "mem_section root page", w);
	}
	return total;
}

/*
 * makedumpfile's start-up reads the online-node mask (get_nodes_online()):
 * SYMBOL(node_online_map), or SYMBOL(node_states) + N_ONLINE masks (2.6.23+),
 * SIZE(nodemask_t) bytes.  Without it a 6.12 or 7.2 dump's --dump-dmesg stops
 * at the first read.  VMCOREINFO without these (!NUMA) needs nothing.
 */
static uint64_t keep_node_online(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t sym, size, n;

	if (vi_size(k, "nodemask_t", &size) < 0 || !size || size > 4096)
		return 0;
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "node_online_map", &sym, &err) == 0)
		return keep_walked(k, km, sym, size, "node_online_map", w);
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "node_states", &sym, &err) == 0 &&
	    vmcoreinfo_number(kernel_vmcoreinfo(k), "N_ONLINE", &n, &err) == 0 && n < 64)
		return keep_walked(k, km, sym + n * size, size, "node_states[N_ONLINE]", w);
	return 0;
}

/* Linux >= 5.10: the lockless ring (kernel/printk/printk_ringbuffer.h). */
static uint64_t keep_prb(struct kernel *k, struct kmem *km, uint64_t prb_sym, struct warnlist *w)
{
	uint64_t rb, o_desc, o_text, o_cbits, o_descs, o_infos, o_sbits, o_data, sz_rb, sz_desc, sz_info;
	uint64_t descs, infos, data, total = 0;
	uint32_t cbits, sbits;
	struct sf_err err = { 0 };

	if (vi_off(k, "printk_ringbuffer.desc_ring", &o_desc) < 0 ||
	    vi_off(k, "printk_ringbuffer.text_data_ring", &o_text) < 0 ||
	    vi_off(k, "prb_desc_ring.count_bits", &o_cbits) < 0 || vi_off(k, "prb_desc_ring.descs", &o_descs) < 0 ||
	    vi_off(k, "prb_desc_ring.infos", &o_infos) < 0 || vi_off(k, "prb_data_ring.size_bits", &o_sbits) < 0 ||
	    vi_off(k, "prb_data_ring.data", &o_data) < 0 || vi_size(k, "printk_ringbuffer", &sz_rb) < 0 ||
	    vi_size(k, "prb_desc", &sz_desc) < 0 || vi_size(k, "printk_info", &sz_info) < 0) {
		warn_add(w, "mini.core: printk ring buffer: VMCOREINFO lacks its OFFSET/SIZE entries; not kept");
		return 0;
	}
	total += keep_walked(k, km, prb_sym, 8, "prb", w);
	if (kmem_read_u64(km, prb_sym, &rb, "prb", &err) < 0 ||
	    kmem_read_u32(km, rb + o_desc + o_cbits, &cbits, "prb_desc_ring.count_bits", &err) < 0 ||
	    kmem_read_u64(km, rb + o_desc + o_descs, &descs, "prb_desc_ring.descs", &err) < 0 ||
	    kmem_read_u64(km, rb + o_desc + o_infos, &infos, "prb_desc_ring.infos", &err) < 0 ||
	    kmem_read_u32(km, rb + o_text + o_sbits, &sbits, "prb_data_ring.size_bits", &err) < 0 ||
	    kmem_read_u64(km, rb + o_text + o_data, &data, "prb_data_ring.data", &err) < 0) {
		warn_add(w, "mini.core: printk ring buffer: %s; not kept", err.msg);
		return total;
	}
	if (cbits > 24 || sbits > 30) {
		warn_add(w, "mini.core: printk ring buffer: count_bits %u / size_bits %u out of range; not kept",
			 cbits, sbits);
		return total;
	}
	total += keep_walked(k, km, rb, sz_rb, "printk_ringbuffer", w);
	total += keep_walked(k, km, descs, (1ull << cbits) * sz_desc, "printk descriptor ring", w);
	total += keep_walked(k, km, infos, (1ull << cbits) * sz_info, "printk info array", w);
	total += keep_walked(k, km, data, 1ull << sbits, "printk text ring", w);
	return total;
}

uint64_t minikeep_printk(struct kernel *k, struct warnlist *w)
{
	struct kmem *km = kmem_as(kernel_kmem(k), READ_PRINTK);
	struct sf_err err = { 0 };
	uint64_t sym, total = 0, buf, clear_seq;
	uint32_t len;

	if (!kernel_vmcoreinfo(k)) {
		warn_add(w, "mini.core: no VMCOREINFO: the printk buffer cannot be located and is not kept");
		goto out;
	}
	/* makedumpfile --dump-dmesg first checks the release in init_uts_ns (its "system_utsname") */
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "init_uts_ns", &sym, &err) == 0)
		total += keep_walked(k, km, sym, kmem_page_size(km), "init_uts_ns", w);
	/*
	 * `crash --minimal vmlinux mini.core` then `log`: crash compares
	 * linux_banner with the vmlinux and sets up translation from the
	 * randomized region bases (x86_64 KASLR: __ro_after_init variables).
	 * Whichever of them this kernel has.
	 */
	{
		static const char *const vars[] = { "linux_banner", "page_offset_base", "vmalloc_base", "vmemmap_base" };
		uint64_t a;

		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			if (kernel_symbol(k, vars[i], &a, &err) == 0)
				total += keep_walked(k, km, a, i == 0 ? 256 : 8, vars[i], w);
		sf_err_clear(&err);
	}
	total += keep_node_online(k, km, w);
	total += keep_mem_section(k, km, w);
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "prb", &sym, &err) == 0) {
		total += keep_prb(k, km, sym, w);
		if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "clear_seq", &clear_seq, &err) == 0)
			total += keep_walked(k, km, clear_seq, 8, "clear_seq", w);
		goto out;
	}
	/* Before 5.10: one byte array log_buf of log_buf_len bytes, indices beside it. */
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "log_buf", &sym, &err) == 0) {
		static const char *const idx[] = { "log_buf_len", "log_first_idx", "log_next_idx", "log_end" };
		uint64_t lsym;

		total += keep_walked(k, km, sym, 8, "log_buf", w);
		for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++)
			if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), idx[i], &lsym, &err) == 0)
				total += keep_walked(k, km, lsym, 8, idx[i], w);
		if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "log_buf_len", &lsym, &err) == 0 &&
		    kmem_read_u64(km, sym, &buf, "log_buf", &err) == 0 &&
		    kmem_read_u32(km, lsym, &len, "log_buf_len", &err) == 0)
			total += keep_walked(k, km, buf, len, "log_buf contents", w);
		else
			warn_add(w, "mini.core: printk log_buf: %s; not kept", err.msg);
		goto out;
	}
	warn_add(w, "mini.core: VMCOREINFO has neither SYMBOL(prb) nor SYMBOL(log_buf): printk buffer not kept");
out:
	return total;
}

/* ---- --keep=crash ---- */

static uint64_t keep_between(struct kernel *k, struct kmem *km, const char *start, const char *end, const char *what,
			     struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t a, b;

	if (kernel_symbol(k, start, &a, &err) < 0 || kernel_symbol(k, end, &b, &err) < 0 || b < a) {
		warn_add(w, "mini.core: %s (%s..%s): not kept: %s", what, start, end,
			 err.msg[0] ? err.msg : "end below start");
		return 0;
	}
	return keep_range(k, km, a, b - a, what, w);
}

static uint64_t keep_percpu(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t start, end, unit_sym, total = 0, len, off;
	uint32_t unit = 0;

	if (kernel_symbol(k, "__per_cpu_start", &start, &err) < 0 || kernel_symbol(k, "__per_cpu_end", &end, &err) < 0 ||
	    end < start) {
		warn_add(w, "mini.core: per-CPU areas not kept: %s", err.msg);
		return 0;
	}
	len = end - start;
	/* The whole first-chunk unit: static part plus the reserved and dynamic areas. */
	if (kernel_symbol(k, "pcpu_unit_size", &unit_sym, &err) == 0 &&
	    kmem_read_u32(km, unit_sym, &unit, "pcpu_unit_size", &err) == 0 && unit > len && unit < (64u << 20))
		len = unit;
	for (int cpu = 0; cpu < kernel_nr_cpus(k) && kernel_percpu_offset(k, cpu, &off) == 0; cpu++) {
		char what[48];

		snprintf(what, sizeof(what), "per-CPU unit of CPU %d", cpu);
		total += keep_range(k, km, start + off, len, what, w);
	}
	return total;
}

/* Walks a list_head ring starting at head; calls keep on each container (node - off). */
static uint64_t keep_list(struct kernel *k, struct kmem *km, uint64_t head, uint64_t off, uint64_t objsize, uint64_t max,
			  const char *what, uint64_t (*extra)(struct kernel *, struct kmem *, uint64_t, void *), void *arg,
			  struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t node = head, n = 0, total = 0;

	for (;;) {
		uint64_t next;

		if (kmem_read_u64(km, node, &next, what, &err) < 0) {
			warn_add(w, "mini.core: %s list: %s; the rest of the list is not kept", what, err.msg);
			break;
		}
		if (next == head || !next)
			break;
		if (++n > max) {
			warn_add(w, "mini.core: %s list longer than %llu; stopped", what, (unsigned long long)max);
			break;
		}
		total += keep_range(k, km, next - off, objsize, what, w);
		if (extra)
			total += extra(k, km, next - off, arg);
		node = next;
	}
	return total;
}

struct task_walk {
	uint64_t tasks_off, tg_off, stack_off, tsize, thread_size, mm_off, mm_size;
	bool have_tg;
	struct warnlist *w;
};

static uint64_t keep_task_stack(struct kernel *k, struct kmem *km, uint64_t task, void *arg)
{
	struct task_walk *tw = arg;
	struct sf_err err = { 0 };
	uint64_t stack;

	uint64_t total = 0, mm;

	/* crash's ps reads each user task's mm_struct */
	if (tw->mm_size && kmem_read_u64(km, task + tw->mm_off, &mm, "task_struct.mm", &err) == 0 && mm)
		total += keep_range(k, km, mm, tw->mm_size, "mm_struct", tw->w);
	if (kmem_read_u64(km, task + tw->stack_off, &stack, "task_struct.stack", &err) < 0 || !stack)
		return total;
	return total + keep_range(k, km, stack, tw->thread_size, "task stack", tw->w);
}

static uint64_t keep_task_threads(struct kernel *k, struct kmem *km, uint64_t task, void *arg)
{
	struct task_walk *tw = arg;
	uint64_t total = keep_task_stack(k, km, task, arg);

	if (tw->have_tg)
		total += keep_list(k, km, task + tw->tg_off, tw->tg_off, tw->tsize, KEEP_TASKS_MAX, "task_struct (thread)",
				   keep_task_stack, arg, tw->w);
	return total;
}

static uint64_t keep_tasks(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct task_walk tw = { .w = w, .thread_size = kernel_arch(k) ? kernel_arch(k)->thread_size_default : 16384 };
	struct sf_err err = { 0 };
	uint64_t init_task, total;
	int64_t o;

	if (!kernel_types(k) || kernel_symbol(k, "init_task", &init_task, &err) < 0 ||
	    ktypes_sizeof(kernel_types(k), "task_struct", &tw.tsize, &err) < 0 ||
	    (o = ktypes_offsetof(kernel_types(k), "task_struct.tasks", &err)) < 0) {
		warn_add(w, "mini.core: task list not kept: %s", err.msg[0] ? err.msg : "no BTF");
		return 0;
	}
	tw.tasks_off = (uint64_t)o;
	o = ktypes_offsetof(kernel_types(k), "task_struct.stack", &err);
	tw.stack_off = o < 0 ? 0 : (uint64_t)o;
	o = ktypes_offsetof(kernel_types(k), "task_struct.mm", &err);
	if (o >= 0 && ktypes_sizeof(kernel_types(k), "mm_struct", &tw.mm_size, &err) == 0)
		tw.mm_off = (uint64_t)o;
	else
		tw.mm_size = 0;
	o = ktypes_has_field(kernel_types(k), "task_struct.thread_group") ?
		ktypes_offsetof(kernel_types(k), "task_struct.thread_group", &err) : -1;
	tw.have_tg = o >= 0;
	tw.tg_off = o < 0 ? 0 : (uint64_t)o;
	if (!tw.thread_size)
		tw.thread_size = 16384;
	total = keep_range(k, km, init_task, tw.tsize, "init_task", w);
	total += keep_task_threads(k, km, init_task, &tw);
	total += keep_list(k, km, init_task + tw.tasks_off, tw.tasks_off, tw.tsize, KEEP_TASKS_MAX, "task_struct",
			   keep_task_threads, &tw, w);
	return total;
}

static uint64_t keep_slab_caches(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t head, size;
	int64_t off;

	if (!kernel_types(k) || kernel_symbol(k, "slab_caches", &head, &err) < 0 ||
	    ktypes_sizeof(kernel_types(k), "kmem_cache", &size, &err) < 0 ||
	    (off = ktypes_offsetof(kernel_types(k), "kmem_cache.list", &err)) < 0) {
		warn_add(w, "mini.core: kmem_cache list not kept: %s", err.msg[0] ? err.msg : "no BTF");
		return 0;
	}
	return keep_list(k, km, head, (uint64_t)off, size, KEEP_CACHES_MAX, "kmem_cache", NULL, NULL, w);
}

/*
 * Per-CPU stacks that crash checks at start-up: x86_64's IST exception
 * stacks (per-CPU cpu_tss_rw.x86_tss.ist[], each the top of a stack in the
 * cpu_entry_area) and the hard-IRQ stack (per-CPU hardirq_stack_ptr, 5.2+,
 * or pcpu_hot.hardirq_stack_ptr from 6.2).  Reading them through kmem also
 * records the page tables of those mappings, which crash walks.  Each part
 * is skipped when the kernel's BTF or symbols do not have it (other arches).
 */
static uint64_t keep_cpu_stacks(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	const struct arch_ops *arch = kernel_arch(k);
	uint64_t total = 0, off, thread = arch && arch->thread_size_default ? arch->thread_size_default : 16384;
	struct kfield ist;
	struct sf_err err = { 0 };
	bool have_ist = kernel_types(k) && ktypes_field(kernel_types(k), "tss_struct.x86_tss.ist", &ist, &err) == 0 &&
			ist.elem_size == 8 && ist.nelems && ist.nelems <= 16;

	for (int cpu = 0; cpu < kernel_nr_cpus(k) && kernel_percpu_offset(k, cpu, &off) == 0; cpu++) {
		uint64_t a, top;

		if (have_ist && kernel_percpu_addr(k, "cpu_tss_rw", cpu, &a, &err) == 0) {
			for (uint32_t i = 0; i < ist.nelems; i++) {
				if (kmem_read_u64(km, a + ist.offset + 8ull * i, &top, "tss_struct.x86_tss.ist", &err) < 0)
					break;
				/* unused slots (the #VC stack without SEV) are not mapped: nothing to keep */
				if (top > 4096 && kmem_vpage_state(km, top - 4096) != PAGE_NOT_IN_MEMORY)
					total += keep_range(k, km, top - 4096, 4096, "IST exception stack", w);
			}
		}
		if (kernel_percpu_addr(k, "hardirq_stack_ptr", cpu, &a, &err) == 0 &&
		    kmem_read_u64(km, a, &top, "hardirq_stack_ptr", &err) == 0 && top > thread)
			total += keep_range(k, km, top + 8 - thread, thread, "IRQ stack", w);	/* ptr = stack + size - 8 */
	}
	return total;
}

/* NUMA nodes: node_data[] points at each node's pglist_data (memblock memory, not in the image). */
static uint64_t keep_nodes(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct sf_err err = { 0 };
	uint64_t nd, size, total = 0;

	if (!kernel_types(k) || kernel_symbol(k, "node_data", &nd, &err) < 0 ||
	    ktypes_sizeof(kernel_types(k), "pglist_data", &size, &err) < 0)
		return 0;	/* !NUMA: contig_page_data is in .bss */
	for (int i = 0; i < 1024; i++) {
		uint64_t p;

		if (kmem_read_u64(km, nd + 8ull * i, &p, "node_data", &err) < 0 || !p)
			break;
		total += keep_range(k, km, p, size, "pglist_data", w);
	}
	return total;
}

/*
 * Loaded modules: crash gathers module symbols at start-up.  Loading them
 * into a scratch table reads (and so records) the module list, each
 * struct module and its kallsyms.
 */
/*
 * The pid IDR (init_pid_ns.idr, an xarray since 4.20): crash builds its task
 * table from it.  Keeps every xa_node and every struct pid it points to.
 * Entries: low bits 10 = internal (a node when above 4096), 00 = pointer.
 */
struct xa_walk {
	struct warnlist *w;
	struct kfield slots;
	uint64_t node_size, leaf_size;
	uint64_t nodes;
};

static uint64_t keep_xa_entry(struct kernel *k, struct kmem *km, struct xa_walk *xw, uint64_t entry, int depth)
{
	struct sf_err err = { 0 };
	uint64_t total = 0;

	if ((entry & 3) == 0 && entry) {
		if (xw->leaf_size)
			total += keep_range(k, km, entry, xw->leaf_size, "struct pid", xw->w);
		return total;
	}
	if ((entry & 3) != 2 || entry <= 4096 || depth > 12 || ++xw->nodes > 100000)
		return 0;
	entry -= 2;
	total += keep_range(k, km, entry, xw->node_size, "xa_node", xw->w);
	for (uint32_t i = 0; i < xw->slots.nelems; i++) {
		uint64_t e;

		if (kmem_read_u64(km, entry + xw->slots.offset + 8ull * i, &e, "xa_node.slots", &err) < 0)
			break;
		if (e)
			total += keep_xa_entry(k, km, xw, e, depth + 1);
	}
	return total;
}

static uint64_t keep_pid_idr(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct xa_walk xw = { .w = w };
	struct sf_err err = { 0 };
	uint64_t ns, head;
	int64_t o1, o2, o3;

	if (!kernel_types(k) || kernel_symbol(k, "init_pid_ns", &ns, &err) < 0 ||
	    (o1 = ktypes_offsetof(kernel_types(k), "pid_namespace.idr", &err)) < 0 ||
	    (o2 = ktypes_offsetof(kernel_types(k), "idr.idr_rt", &err)) < 0 ||
	    (o3 = ktypes_offsetof(kernel_types(k), "xarray.xa_head", &err)) < 0 ||
	    ktypes_field(kernel_types(k), "xa_node.slots", &xw.slots, &err) < 0 || xw.slots.elem_size != 8 ||
	    ktypes_sizeof(kernel_types(k), "xa_node", &xw.node_size, &err) < 0)
		return 0;
	if (ktypes_sizeof(kernel_types(k), "pid", &xw.leaf_size, &err) < 0)
		xw.leaf_size = 0;
	if (kmem_read_u64(km, ns + (uint64_t)(o1 + o2 + o3), &head, "init_pid_ns.idr.xa_head", &err) < 0) {
		warn_add(w, "mini.core: pid IDR not kept: %s", err.msg);
		return 0;
	}
	return keep_xa_entry(k, km, &xw, head, 0);
}

struct mod_walk {
	struct warnlist *w;
	bool mem;			/* 6.4+: module.mem[] of struct module_memory */
	struct kfield arr;		/* module.mem */
	uint64_t base_off, size_off;	/* within core_layout / module_memory */
	uint64_t layout_off;		/* module.core_layout (< 6.4) */
};

/* Every memory region of one module (text, rodata, data: what crash reads for its symbols). */
static uint64_t keep_module_mem(struct kernel *k, struct kmem *km, uint64_t mod, void *arg)
{
	struct mod_walk *mw = arg;
	struct sf_err err = { 0 };
	uint64_t total = 0, base, size;
	uint32_t n = mw->mem ? mw->arr.nelems : 1;

	for (uint32_t i = 0; i < n && i < 16; i++) {
		uint64_t r = mod + (mw->mem ? mw->arr.offset + (uint64_t)i * mw->arr.elem_size : mw->layout_off);

		if (kmem_read_u64(km, r + mw->base_off, &base, "module memory base", &err) < 0 ||
		    kread_field(km, kernel_types(k), r, mw->mem ? "module_memory.size" :
				"module_layout.size", &size, &err) < 0)
			break;
		if (base && size)
			total += keep_range(k, km, base, size, "module memory", mw->w);
	}
	return total;
}

static uint64_t keep_module_regions(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct mod_walk mw = { .w = w };
	struct sf_err err = { 0 };
	uint64_t head, msize;
	int64_t off, o;

	if (!kernel_types(k) || kernel_symbol(k, "modules", &head, &err) < 0 ||
	    ktypes_sizeof(kernel_types(k), "module", &msize, &err) < 0 ||
	    (off = ktypes_offsetof(kernel_types(k), "module.list", &err)) < 0)
		return 0;
	if (ktypes_has_field(kernel_types(k), "module.mem") &&
	    ktypes_field(kernel_types(k), "module.mem", &mw.arr, &err) == 0 &&
	    (o = ktypes_offsetof(kernel_types(k), "module_memory.base", &err)) >= 0) {
		mw.mem = true;
		mw.base_off = (uint64_t)o;
	} else if ((o = ktypes_offsetof(kernel_types(k), "module.core_layout", &err)) >= 0) {
		mw.layout_off = (uint64_t)o;
		o = ktypes_offsetof(kernel_types(k), "module_layout.base", &err);
		if (o < 0)
			return 0;
		mw.base_off = (uint64_t)o;
	} else {
		return 0;
	}
	return keep_list(k, km, head, (uint64_t)off, msize, 4096, "struct module", keep_module_mem, &mw, w);
}

static void keep_modules(struct kernel *k, struct kmem *km, struct warnlist *w)
{
	struct symtab *st = NULL;
	struct sf_err err = { 0 };

	uint64_t head;

	if (!kernel_types(k) || kernel_symbol(k, "modules", &head, &err) < 0 || symtab_create(&st, &err) < 0)
		return;
	/* the loader finds the list head through the table it fills */
	if (symtab_add(st, "modules", head, 'd', NULL, &err) < 0 || symtab_finish(st, &err) < 0 ||
	    symtab_load_modules(st, km, kernel_types(k), w, &err) < 0)
		warn_add(w, "mini.core: module symbols not kept: %s", err.msg);
	symtab_destroy(st);
}

uint64_t minikeep_crash(struct kernel *k, struct warnlist *w)
{
	struct kmem *km = kmem_as(kernel_kmem(k), READ_CRASH);
	uint32_t psz = kmem_page_size(km);
	uint64_t total = 0;

	/* crash checks linux_banner against the vmlinux first, then reads variables in .data/.bss. */
	total += keep_symbol(k, km, "linux_banner", 512, w);
	total += keep_between(k, km, "_sdata", "_edata", "kernel .data", w);
	total += keep_between(k, km, "__bss_start", "__bss_stop", "kernel .bss", w);
	/*
	 * crash reads kernel text itself (x86_64 frame-pointer check, gdb's
	 * prologue analysis, bt) and stops with "recursive temporary file
	 * usage" when it cannot; the ORC tables serve its ORC unwinder.
	 */
	total += keep_between(k, km, "_stext", "_etext", "kernel text", w);
	/* read-only data: strings and tables crash prints (taint flags, names); BTF and kallsyms live here too */
	total += keep_between(k, km, "__start_rodata", "__end_rodata", "kernel .rodata", w);
	if (kernel_symbol(k, "__start_orc_unwind_ip", &(uint64_t){ 0 }, &(struct sf_err){ 0 }) == 0) {
		total += keep_between(k, km, "__start_orc_unwind_ip", "__stop_orc_unwind_ip", "ORC unwind ip table", w);
		total += keep_between(k, km, "__start_orc_unwind", "__stop_orc_unwind", "ORC unwind table", w);
		total += keep_between(k, km, "orc_lookup", "orc_lookup_end", "ORC lookup table", w);
	}
	/* page_offset_base, vmemmap_base and the like are __ro_after_init (outside .data) */
	total += keep_between(k, km, "__start_ro_after_init", "__end_ro_after_init", "kernel .data..ro_after_init", w);
	/* makedumpfile issue #21: without idt_table's page crash 8 cannot start on 6.6 */
	total += keep_symbol(k, km, "idt_table", psz, w);
	total += keep_percpu(k, km, w);
	total += keep_cpu_stacks(k, km, w);
	total += keep_mem_section(k, km, w);
	total += keep_nodes(k, km, w);
	total += keep_tasks(k, km, w);
	total += keep_pid_idr(k, km, w);
	total += keep_slab_caches(k, km, w);
	keep_modules(k, km, w);
	total += keep_module_regions(k, km, w);
	return total;
}
