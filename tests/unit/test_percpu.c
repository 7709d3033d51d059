// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * __per_cpu_start from SLUB's per-CPU data (src/kernel/percpu_slub.c) over a
 * generated kernel: a hand-written BTF (not any real kernel's layout), a
 * flat "direct map" and a vmemmap over fake physical memory, two CPUs whose
 * per-CPU bases are known, and a handful of kmem_caches on a list with a
 * non-slab head.  The route must find the one start, in both its modes
 * (tid + slab, slab only), and refuse when one kmem_cache_cpu lies.
 */
#include <bpf/btf.h>

#include "harness.h"
#include "fakemem.h"
#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"

#define PG 4096u
#define NPFN 4096u
#define VB 0xffff000000000000ull		/* direct map of pfn 0.. */
#define VMM 0xfffffc0000000000ull		/* vmemmap */
#define VMM_PA 0x800000ull			/* where the vmemmap's pages are */
#define PSZ 64u					/* sizeof(struct page) */

/* Linux 7.1+ struct page: compound_info, which may hold a mask (include/skbfilter/page.h) */
static bool g_71;
#define ST 0xffff800009804000ull		/* the true __per_cpu_start */
#define UNIT 0x1f000ull
#define NCACHE 6
#define O_RQ 0x1000u				/* runqueues in .data..percpu */

/* ---- the fake arch: direct map and vmemmap only */
static int fa_init(struct arch_env *env, struct sf_err *err)
{
	(void)err;
	env->priv = env;
	return 0;
}

static int fa_vtop(struct arch_env *k, uint64_t va, uint64_t *pa, struct sf_err *err)
{
	(void)k;
	if (va >= VB && va < VB + (uint64_t)NPFN * PG)
		*pa = va - VB;
	else if (va >= VMM && va < VMM + (uint64_t)NPFN * PSZ)
		*pa = VMM_PA + (va - VMM);
	else
		return sf_err_set(err, SF_ERANGE, "0x%" PRIx64 " not mapped", va);
	return 0;
}

static uint64_t fa_vmemmap(struct arch_env *k)
{
	(void)k;
	return VMM;
}

static bool fa_kaddr(struct arch_env *k, uint64_t a)
{
	(void)k;
	return a >= 0xffff000000000000ull;
}

static const struct arch_ops fake_arch = { .name = "fake", .init = fa_init, .vtop = fa_vtop,
					   .vmemmap_base = fa_vmemmap, .is_kernel_addr = fa_kaddr };

/* ---- BTF: the fields the route asks for, at offsets of our choosing */
#define O_KC_LIST 16
#define O_KC_CPU_SLAB 48
#define O_KCC_SLAB 0
#define O_KCC_TID 16
#define O_PG_HEAD 16
#define O_SLAB_CACHE 32
#define O_RQ_CURR 8
#define STATIC_END 0x150c8u

static struct ktypes *make_types(void)
{
	struct btf *b = btf__new_empty();
	struct ktypes *kt = NULL;
	struct sf_err err = { 0 };
	int t_ul, t_int, t_vp, t_lh, t_rq, v_rq, v_pad;
	const void *raw;
	uint32_t sz;

	t_ul = btf__add_int(b, "long unsigned int", 8, 0);
	t_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	t_vp = btf__add_ptr(b, 0);
	t_lh = btf__add_struct(b, "list_head", 16);
	btf__add_field(b, "next", t_vp, 0, 0);
	btf__add_field(b, "prev", t_vp, 64, 0);
	btf__add_struct(b, "kmem_cache", 0x40);
	btf__add_field(b, "flags", t_ul, 0, 0);
	btf__add_field(b, "list", t_lh, O_KC_LIST * 8, 0);
	btf__add_field(b, "cpu_slab", t_vp, O_KC_CPU_SLAB * 8, 0);
	btf__add_struct(b, "kmem_cache_cpu", 32);
	btf__add_field(b, "slab", t_vp, O_KCC_SLAB * 8, 0);
	btf__add_field(b, "freelist", t_vp, 64, 0);
	btf__add_field(b, "tid", t_ul, O_KCC_TID * 8, 0);
	btf__add_field(b, "partial", t_vp, 192, 0);
	btf__add_struct(b, "page", PSZ);
	btf__add_field(b, "flags", t_ul, 0, 0);
	btf__add_field(b, g_71 ? "compound_info" : "compound_head", t_ul, O_PG_HEAD * 8, 0);
	btf__add_struct(b, "slab", PSZ);
	btf__add_field(b, "flags", t_ul, 0, 0);
	btf__add_field(b, "slab_cache", t_vp, O_SLAB_CACHE * 8, 0);
	t_rq = btf__add_struct(b, "rq", 32);
	btf__add_field(b, "cpu", t_int, 0, 0);
	btf__add_field(b, "curr", t_vp, O_RQ_CURR * 8, 0);
	btf__add_struct(b, "task_struct", 64);
	btf__add_field(b, "pid", t_int, 0, 0);
	v_rq = btf__add_var(b, "runqueues", BTF_VAR_GLOBAL_ALLOCATED, t_rq);
	v_pad = btf__add_var(b, "last_percpu_var", BTF_VAR_GLOBAL_ALLOCATED, t_ul);
	btf__add_datasec(b, ".data..percpu", STATIC_END);
	btf__add_datasec_var_info(b, v_rq, O_RQ, 32);
	btf__add_datasec_var_info(b, v_pad, STATIC_END - 8, 8);
	raw = btf__raw_data(b, &sz);
	ASSERT_TRUE(raw);
	ASSERT_OK(ktypes_load_raw(raw, sz, "generated BTF", &kt, &err), &err);
	btf__free(b);
	return kt;
}

/* ---- the kernel's memory */
struct fk {
	struct fakemem mem;
	struct warnlist wl;
	struct kernel k;
	uint64_t base[2];
	uint64_t cache[NCACHE];		/* cache[0] is the "kmem_cache" cache */
	uint64_t cpu_slab[NCACHE];
};

static void wv(struct fk *f, uint64_t va, uint64_t v)
{
	uint64_t pa = 0;

	ASSERT_OK(fa_vtop(NULL, va, &pa, &(struct sf_err){ 0 }), &(struct sf_err){ 0 });
	fakemem_w64(&f->mem, pa, v);
}

static uint64_t page_of_pfn(uint64_t pfn) { return VMM + pfn * PSZ; }

/* tid_step 0: tids of a kernel without CONFIG_PREEMPTION (any value) */
static void fk_build(struct fk *f, unsigned tid_step)
{
	struct sf_err err = { 0 };
	struct dump_info info;
	uint64_t head = VB + 0x5000, task = VB + 0x31000 + 0x80, prev;
	struct kmem *km;

	memset(f, 0, sizeof(*f));
	fakemem_init(&f->mem, PG, NPFN, 0);
	warnlist_init(&f->wl);
	info = fakemem_info(&f->mem);
	ASSERT_OK(kmem_create_raw(&fakemem_ops, &f->mem, &info, &fake_arch, NULL, &f->wl, &km, &err), &err);
	f->k.kmem = km;
	f->k.arch = &fake_arch;
	f->k.types = make_types();
	f->k.warnings = &f->wl;
	f->k.nr_cpu_ids = 2;
	f->base[0] = VB + 0x100000;
	f->base[1] = f->base[0] + UNIT;
	f->k.percpu_base = f->base;

	/* caches in the slab page pfn 0x10, allocated from cache[0]; the list head is not in a slab */
	wv(f, page_of_pfn(0x10) + O_SLAB_CACHE, VB + 0x10000);
	prev = head;
	for (int i = 0; i < NCACHE; i++) {
		f->cache[i] = VB + 0x10000 + (uint64_t)i * 0x100;
		f->cpu_slab[i] = ST + 0x16000 + (uint64_t)(NCACHE - i) * 0x40;
		wv(f, f->cache[i] + O_KC_CPU_SLAB, f->cpu_slab[i]);
		wv(f, prev, f->cache[i] + O_KC_LIST);
		prev = f->cache[i] + O_KC_LIST;
		for (unsigned c = 0; c < 2; c++) {
			uint64_t kcc = f->base[c] + f->cpu_slab[i] - ST, pfn = 0x40 + (uint64_t)i * 2 + c;

			wv(f, kcc + O_KCC_TID, tid_step ? c + tid_step * (7 + (uint64_t)i) : 0x1234 + (uint64_t)i * 3 + c);
			wv(f, kcc + O_KCC_SLAB, page_of_pfn(pfn));
			wv(f, page_of_pfn(pfn) + O_SLAB_CACHE, f->cache[i]);
		}
	}
	wv(f, prev, head);
	/* the running task: in the tail page 0x31 of a compound page whose head 0x30 is cache[2]'s */
	/* 7.1+ with HVO and a 64-byte struct page: GENMASK(63, order 1 + 6) | 1 instead of head | 1 */
	wv(f, page_of_pfn(0x31) + O_PG_HEAD, g_71 ? (~0ull << 7) | 1 : page_of_pfn(0x30) | 1);
	wv(f, page_of_pfn(0x30) + O_SLAB_CACHE, f->cache[2]);
	for (unsigned c = 0; c < 2; c++)
		wv(f, f->base[c] + O_RQ + O_RQ_CURR, task);
}

static void fk_free(struct fk *f)
{
	kmem_destroy(f->k.kmem);
	ktypes_destroy(f->k.types);
	fakemem_free(&f->mem);
	warnlist_release(&f->wl);
}

TEST(slub_start_tid_and_slab)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	fk_build(&f, 256);
	ASSERT_OK(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), &err);
	ASSERT_U64(s, ST);
	ASSERT_CONTAINS(how, "of 6 caches on 2 CPUs (tid and slab");
	fk_free(&f);
}

TEST(slub_start_slab_only_without_preemption)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	fk_build(&f, 0);
	ASSERT_OK(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), &err);
	ASSERT_U64(s, ST);
	ASSERT_CONTAINS(how, "(slab only, 12 slab_cache matches)");
	fk_free(&f);
}

TEST(slub_start_through_71_compound_info_mask)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	g_71 = true;
	fk_build(&f, 256);
	ASSERT_OK(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), &err);
	ASSERT_U64(s, ST);
	fk_free(&f);
}

/* One CPU's kmem_cache_cpu names a slab of another cache: no start fits, none is made up. */
TEST(slub_start_refuses_a_lying_kmem_cache_cpu)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	fk_build(&f, 0);
	wv(&f, page_of_pfn(0x40 + 3 * 2 + 1) + O_SLAB_CACHE, f.cache[4]);
	ASSERT_EQ(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "no page-aligned start in");
	ASSERT_CONTAINS(err.msg, "of 6 caches");
	fk_free(&f);
}

/* Every kmem_cache_cpu copied one page up: two starts fit, so neither is taken. */
TEST(slub_start_ambiguous)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0, pa = 0;
	char how[200] = "";

	fk_build(&f, 256);
	for (int i = 0; i < NCACHE; i++)
		for (unsigned c = 0; c < 2; c++) {
			uint64_t kcc = f.base[c] + f.cpu_slab[i] - ST;

			ASSERT_OK(fa_vtop(NULL, kcc, &pa, &err), &err);
			wv(&f, kcc + PG + O_KCC_TID, fakemem_r64(&f.mem, pa + O_KCC_TID));
			wv(&f, kcc + PG + O_KCC_SLAB, fakemem_r64(&f.mem, pa + O_KCC_SLAB));
		}
	ASSERT_EQ(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), -SF_EINVAL);
	ASSERT_CONTAINS(err.msg, "2 page-aligned starts fit the SLUB per-CPU data of 6 caches (0xffff800009804000, "
			"0xffff800009803000): ambiguous");
	fk_free(&f);
}

/* A cpu_slab below the static per-CPU variables cannot be a dynamic per-CPU pointer. */
TEST(slub_start_cpu_slab_below_static_area)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	fk_build(&f, 256);
	wv(&f, f.cache[1] + O_KC_CPU_SLAB, 0x1000);
	ASSERT_EQ(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "below the static per-CPU size");
	fk_free(&f);
}

/* No running task in a slab page: no cache to start from. */
TEST(slub_start_no_seed)
{
	struct fk f;
	struct sf_err err = { 0 };
	uint64_t s = 0;
	char how[200] = "";

	fk_build(&f, 256);
	wv(&f, page_of_pfn(0x30) + O_SLAB_CACHE, 0);
	ASSERT_EQ(percpu_start_from_slub(&f.k, f.k.kmem, &s, how, sizeof(how), &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "no kmem_cache reached");
	fk_free(&f);
}

TEST_MAIN()
