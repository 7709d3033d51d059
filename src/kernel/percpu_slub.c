// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * __per_cpu_start from SLUB, when neither the symbols nor the static SRCU
 * data give it (percpu.c).  Each CPU's per-CPU section base is known
 * (percpu_base[], through the runqueues); what is missing is the link-time
 * address S of the section, to turn dynamic per-CPU pointers such as
 * kmem_cache.cpu_slab into addresses: per_cpu_ptr(p, cpu) = p + base[cpu] - S.
 *
 * SLUB gives a test that only the right S passes:
 *   - every kmem_cache's cpu_slab P is a per-CPU pointer; the first chunk's
 *     dynamic area follows the static variables, so the lowest P lies in
 *     [S + static size, S + unit size);
 *   - S is page-aligned (PERCPU_SECTION() in include/asm-generic/vmlinux.lds.h
 *     aligns .data..percpu to PAGE_SIZE);
 *   - CPU c's kmem_cache_cpu of a cache, at base[c] + P - S, has a tid that
 *     starts at c (init_tid()) and moves in steps of TID_STEP =
 *     roundup_pow_of_two(CONFIG_NR_CPUS) under CONFIG_PREEMPTION (mm/slub.c,
 *     3.14+), so tid % roundup_pow_of_two(nr_cpu_ids) == c; its slab (page
 *     before 5.17) is NULL or a struct slab in the vmemmap whose slab_cache
 *     is that cache.
 * The caches come from the running tasks: a task_struct (or its cred, mm,
 * ...) is a slab object, its struct page leads to its kmem_cache, and
 * kmem_cache.list links all caches.  A cache is accepted only if its own
 * struct page says it was allocated from the "kmem_cache" cache (which
 * describes itself), so the list head slab_caches is skipped.
 *
 * Every page-aligned S in range is tried; S is taken only if exactly one
 * passes for every cache and CPU.  Without CONFIG_PREEMPTION (TID_STEP 1) or
 * with one CPU the tid says nothing; then the candidates are tried again on
 * the slab test alone, needing several slab_cache confirmations.
 *
 * Probing reads pages of wrong candidates; they must not go into mini.core,
 * so the probes read through the unrecorded view and the winner's reads are
 * done again through the recorded one.  Re-analysing mini.core gives the same S: the
 * winner's pages are there and a wrong candidate's missing page is a failed
 * read, which rejects it.
 */
#include <bpf/btf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/kernel_int.h"
#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/page.h"

#define SLUB_CACHES_MAX 4096		/* kmem_cache.list steps walked */
#define SLUB_UNIT_MAX (16ull << 20)	/* largest first-chunk unit tried */
#define SLUB_CONFIRM_MAX 16		/* slab_cache reads per candidate */
#define SLUB_CONFIRM_MIN 8		/* without the tid test */
#define SLUB_KCC_MAX 256		/* cap on sizeof(struct kmem_cache_cpu) */
#define SLUB_CPUS_MAX 16		/* CPUs probed (spread over all), to bound the pages kept */
#define SLUB_READS_MAX (1u << 20)	/* kmem_cache_cpu reads per search (memory made to pass long) */

struct slub_cache {
	uint64_t addr;			/* struct kmem_cache */
	uint64_t cpu_slab;		/* its per-CPU pointer */
};

struct slub {
	struct kernel *k;
	struct kmem *km;		/* the view the search reads through (kmem_unrecorded() while probing) */
	struct kfield tid, slab;	/* kmem_cache_cpu.tid, .slab (.page) */
	uint64_t kcc_size, page_size, psize, vmemmap, max_pfn;
	int64_t o_compound, o_slab_cache, o_list, o_cpu_slab;
	struct slub_cache *c;
	size_t n;
	uint64_t reads_left;		/* kmem_cache_cpu reads left in this search */
};

/*
 * sizeof the static per-CPU variables: the end of the last VAR of DATASEC
 * .data..percpu.  That VAR is then looked up by name through ktypes, which
 * marks it for mini.core's slim BTF, so a re-analysis sees the same end
 * (unless an earlier VAR has the same name: then the slim BTF gives a
 * smaller end, which only widens the search).
 */
static int percpu_static_size(const struct ktypes *kt, uint64_t *ret)
{
	struct btf *btf = kt ? ktypes_btf(kt) : NULL;
	const struct btf_type *v;
	const struct btf_var_secinfo *vs;
	uint64_t end = 0, off;
	int nvars, last = -1;

	if (ktypes_datasec_raw(kt, ".data..percpu", &vs, &nvars) < 0)
		return -SF_ENOTFOUND;
	for (int i = 0; i < nvars; i++)
		if ((uint64_t)vs[i].offset + vs[i].size > end) {
			end = (uint64_t)vs[i].offset + vs[i].size;
			last = i;
		}
	if (last < 0)
		return -SF_ENOTFOUND;
	v = btf__type_by_id(btf, vs[last].type);
	if (v && btf_kind(v) == BTF_KIND_VAR)
		percpu_btf_offset(kt, btf__name_by_offset(btf, v->name_off), &off);
	*ret = end;
	return 0;
}

static bool slub_in_vmemmap(const struct slub *x, uint64_t page)
{
	return page >= x->vmemmap && (page - x->vmemmap) % x->psize == 0 && (page - x->vmemmap) / x->psize < x->max_pfn;
}

/* The kmem_cache of the slab object at obj (its head page's slab_cache). */
static int slub_cache_of(struct slub *x, uint64_t obj, uint64_t *ret)
{
	struct kmem *km = x->km;
	uint64_t pa, page, ch;
	struct sf_err e;

	if (kmem_vtop(km, obj, &pa, &e) != 0 || pa / x->page_size >= x->max_pfn)
		return -SF_ENOTFOUND;
	page = x->vmemmap + pa / x->page_size * x->psize;
	if (kmem_read_u64(km, page + (uint64_t)x->o_compound, &ch, "page.compound_info", &e) != 0)
		return -SF_ENOTFOUND;
	switch (page_compound_head(page, ch, (uint32_t)x->psize, &page)) {
	case -1:
		return -SF_ENOTFOUND;
	case 1:
		if (!slub_in_vmemmap(x, page))
			return -SF_ENOTFOUND;
		break;
	}
	if (kmem_read_u64(km, page + (uint64_t)x->o_slab_cache, ret, "slab.slab_cache", &e) != 0 || !*ret)
		return -SF_ENOTFOUND;
	return 0;
}

/* A cache reached from a running task's objects, and the "kmem_cache" cache (describing itself). */
static int slub_seed(struct slub *x, uint64_t *cache, uint64_t *kc)
{
	static const char *const fields[] = { NULL, "task_struct.cred", "task_struct.mm", "task_struct.files",
					      "task_struct.signal", "task_struct.sighand", "task_struct.fs" };
	struct kernel *k = x->k;
	uint64_t off, curr, obj, c, k1, k2;
	struct sf_err e;

	if (percpu_btf_offset(k->types, "runqueues", &off) != 0)
		return -SF_ENOTFOUND;
	for (int cpu = 0; cpu < k->nr_cpu_ids; cpu++) {
		if (kread_field(x->km, k->types, k->percpu_base[cpu] + off, "rq.curr", &curr, &e) != 0 || !curr)
			continue;
		for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			obj = curr;
			if (fields[f] && (!ktypes_has_field(k->types, fields[f]) ||
					  kread_field(x->km, k->types, curr, fields[f], &obj, &e) != 0))
				continue;
			if (!obj || slub_cache_of(x, obj, &c) != 0 || slub_cache_of(x, c, &k1) != 0 ||
			    slub_cache_of(x, k1, &k2) != 0 || k1 != k2)
				continue;
			*cache = c;
			*kc = k1;
			return 0;
		}
	}
	return -SF_ENOTFOUND;
}

/*
 * The per-CPU units do not overlap, so a unit is at most the smallest gap
 * between two CPUs' bases (SLUB_UNIT_MAX with one CPU).  Without this bound a
 * start one unit too low would pass the slab test: CPU c would read CPU c+1's
 * kmem_cache_cpu.
 */
static uint64_t percpu_unit_max(const struct kernel *k)
{
	uint64_t *b = malloc((size_t)k->nr_cpu_ids * sizeof(*b)), m = SLUB_UNIT_MAX;

	if (!b)
		return 0;
	memcpy(b, k->percpu_base, (size_t)k->nr_cpu_ids * sizeof(*b));
	qsort(b, (size_t)k->nr_cpu_ids, sizeof(*b), cmp_u64);
	for (int i = 1; i < k->nr_cpu_ids; i++)
		if (b[i] - b[i - 1] < m)
			m = b[i] - b[i - 1];
	free(b);
	return m;
}

static int cmp_cache(const void *a, const void *b)
{
	const struct slub_cache *p = a, *q = b;

	return p->cpu_slab < q->cpu_slab ? -1 : p->cpu_slab > q->cpu_slab;
}

/* All caches on kmem_cache.list from start, with their cpu_slab pointers. */
static int slub_caches(struct slub *x, uint64_t start, uint64_t kc, struct sf_err *err)
{
	struct kmem *km = x->km;
	uint64_t head = start + (uint64_t)x->o_list, node = head, c, owner, p;
	struct sf_err e;

	x->c = calloc(SLUB_CACHES_MAX, sizeof(*x->c));
	if (!x->c)
		return sf_err_set(err, SF_ENOMEM, "out of memory for %d caches", SLUB_CACHES_MAX);
	for (int i = 0; i < SLUB_CACHES_MAX; i++) {
		c = node - (uint64_t)x->o_list;
		if (slub_cache_of(x, c, &owner) == 0 && owner == kc &&
		    kmem_read_u64(km, c + (uint64_t)x->o_cpu_slab, &p, "kmem_cache.cpu_slab", &e) == 0 && p)
			x->c[x->n++] = (struct slub_cache){ c, p };
		if (kmem_read_u64(km, node, &node, "kmem_cache.list.next", &e) != 0)
			break;		/* the caches so far are still good */
		if (node == head)
			break;
	}
	if (x->n < 2)
		return sf_err_set(err, SF_ENOTFOUND, "only %zu kmem_cache(s) on kmem_cache.list from 0x%" PRIx64, x->n, start);
	qsort(x->c, x->n, sizeof(*x->c), cmp_cache);
	return 0;
}

/*
 * The CPUs probed: all up to SLUB_CPUS_MAX, else that many spread from the
 * first to the last.  (The unit bound already rules out the shift by whole
 * units that only more CPUs would catch.)
 */
static int slub_ncpus(const struct kernel *k)
{
	return k->nr_cpu_ids < SLUB_CPUS_MAX ? k->nr_cpu_ids : SLUB_CPUS_MAX;
}

static int slub_cpu(const struct kernel *k, int j)
{
	int n = slub_ncpus(k);

	return n == k->nr_cpu_ids || n < 2 ? j : (int)((int64_t)j * (k->nr_cpu_ids - 1) / (n - 1));
}

/*
 * Does every cache's kmem_cache_cpu of every CPU fit start S?  0 = yes (and
 * *confirms = slab_cache matches), -1 = no, -2 = the read budget is spent.
 * Any failed read is a no.
 */
static int slub_probe(struct slub *x, uint64_t s, bool use_tid, int *confirms)
{
	struct kernel *k = x->k;
	uint64_t mask = 1, tid, slab, owner;
	uint8_t buf[SLUB_KCC_MAX];
	struct sf_err e;
	int tries = 0;

	while (mask < (uint64_t)k->nr_cpu_ids)
		mask <<= 1;
	mask--;
	*confirms = 0;
	for (size_t i = 0; i < x->n; i++) {
		for (int j = slub_ncpus(k) - 1; j >= 0; j--) {
			int cpu = slub_cpu(k, j);
			uint64_t a = k->percpu_base[cpu] + x->c[i].cpu_slab - s;

			if (!x->reads_left)
				return -2;
			x->reads_left--;
			if (kmem_read(x->km, a, buf, x->kcc_size, "kmem_cache_cpu", &e) != 0 ||
			    kfield_extract(x->km, &x->tid, buf, x->kcc_size, &tid) != 0 ||
			    kfield_extract(x->km, &x->slab, buf, x->kcc_size, &slab) != 0)
				return -1;
			if (use_tid && (tid & mask) != (uint64_t)cpu)
				return -1;
			if (!slab)
				continue;
			if (!slub_in_vmemmap(x, slab))
				return -1;
			if (tries >= SLUB_CONFIRM_MAX)
				continue;
			tries++;
			if (kmem_read_u64(x->km, slab + (uint64_t)x->o_slab_cache, &owner, "slab.slab_cache", &e) != 0 ||
			    owner != x->c[i].addr)
				return -1;
			(*confirms)++;
		}
	}
	return 0;
}

/* Tries every page-aligned S; the number that passed, the first two in *ret, *second; -1 if out of budget. */
static int slub_search(struct slub *x, uint64_t lo, uint64_t hi, bool use_tid, uint64_t *ret, uint64_t *second)
{
	int passed = 0, confirms, rc;

	x->reads_left = SLUB_READS_MAX;
	for (uint64_t s = hi;; s -= x->page_size) {
		rc = slub_probe(x, s, use_tid, &confirms);
		if (rc == -2)
			return -1;
		if (rc == 0 && (use_tid || confirms >= SLUB_CONFIRM_MIN)) {
			if (passed == 0)
				*ret = s;
			else if (passed == 1)
				*second = s;
			passed++;
		}
		if (s - lo < x->page_size)
			break;
	}
	return passed;
}

/* The layouts and bases the SLUB route needs; err says which is missing. */
static int slub_init(struct slub *x, struct kernel *k, struct kmem *km, struct sf_err *err)
{
	struct ktypes *kt = k->types;

	x->k = k;
	x->km = km;
	x->page_size = kmem_page_size(k->kmem);
	x->max_pfn = kmem_dump_info(k->kmem)->max_pfn;
	x->vmemmap = k->arch->vmemmap_base ? k->arch->vmemmap_base(kmem_arch_env(k->kmem)) : 0;
	x->o_cpu_slab = ktypes_offsetof(kt, "kmem_cache.cpu_slab", SF_NOERR);
	x->o_list = ktypes_offsetof(kt, "kmem_cache.list", SF_NOERR);
	/* page.compound_info since 7.1, page.compound_head before (skbfilter/page.h) */
	x->o_compound = ktypes_offsetof(kt, "page.compound_info", SF_NOERR);
	if (x->o_compound < 0)
		x->o_compound = ktypes_offsetof(kt, "page.compound_head", SF_NOERR);
	x->o_slab_cache = ktypes_offsetof(kt, "slab.slab_cache", SF_NOERR);
	if (x->o_slab_cache < 0)
		x->o_slab_cache = ktypes_offsetof(kt, "page.slab_cache", SF_NOERR);	/* before 5.17 */
	if (x->o_cpu_slab < 0 || x->o_list < 0 || x->o_compound < 0 || x->o_slab_cache < 0 ||
	    ktypes_field(kt, "kmem_cache_cpu.tid", &x->tid, SF_NOERR) != 0 ||
	    (ktypes_field(kt, "kmem_cache_cpu.slab", &x->slab, SF_NOERR) != 0 &&
	     ktypes_field(kt, "kmem_cache_cpu.page", &x->slab, SF_NOERR) != 0) ||
	    ktypes_sizeof(kt, "kmem_cache_cpu", &x->kcc_size, SF_NOERR) != 0 ||
	    ktypes_sizeof(kt, "page", &x->psize, SF_NOERR) != 0)
		return sf_err_set(err, SF_ENOTFOUND, "the BTF does not describe SLUB (kmem_cache.cpu_slab, "
				  "kmem_cache_cpu.tid/.slab, page.compound_info/compound_head, slab.slab_cache)");
	if (x->kcc_size == 0 || x->kcc_size > SLUB_KCC_MAX || x->psize == 0 || !x->vmemmap || !x->page_size)
		return sf_err_set(err, SF_ENOTSUP, "no vmemmap base, or sizeof(struct kmem_cache_cpu) %" PRIu64
				  " / sizeof(struct page) %" PRIu64 " unusable", x->kcc_size, x->psize);
	return 0;
}

int percpu_slab_cache_of(struct kernel *k, struct kmem *km, uint64_t obj, uint64_t *ret, struct sf_err *err)
{
	struct slub x = { 0 };
	int rc = slub_init(&x, k, km, err);

	if (rc < 0)
		return rc;
	if (slub_cache_of(&x, obj, ret) != 0)
		return sf_err_set(err, SF_ENOTFOUND, "0x%" PRIx64 " is not in a slab page", obj);
	return 0;
}

int percpu_start_from_slub(struct kernel *k, struct kmem *km, uint64_t *ret, char *how, size_t howlen,
			   struct sf_err *err)
{
	struct ktypes *kt = k->types;
	struct slub x = { 0 };
	uint64_t cache = 0, kc = 0, stat, lo, hi, s = 0, s2 = 0, unit;
	bool use_tid = k->nr_cpu_ids > 1;
	int rc = -SF_ENOTFOUND, passed, confirms;

	if (!kt) {
		rc = sf_err_set(err, SF_ENOTFOUND, "no BTF");
		goto out;
	}
	rc = slub_init(&x, k, kmem_as(km, READ_PERCPU), err);
	if (rc < 0)
		goto out;
	rc = -SF_ENOTFOUND;
	if (percpu_static_size(kt, &stat) != 0) {
		rc = sf_err_set(err, SF_ENOTFOUND, "the BTF has no DATASEC .data..percpu (static per-CPU size unknown)");
		goto out;
	}
	if (slub_seed(&x, &cache, &kc) != 0) {
		rc = sf_err_set(err, SF_ENOTFOUND, "no kmem_cache reached from the running tasks' slab objects");
		goto out;
	}
	rc = slub_caches(&x, cache, kc, err);
	if (rc < 0)
		goto out;
	rc = -SF_ENOTFOUND;
	if (x.c[0].cpu_slab < stat) {
		rc = sf_err_set(err, SF_ECORRUPT, "lowest kmem_cache.cpu_slab 0x%" PRIx64 " is below the static per-CPU size 0x%"
			   PRIx64, x.c[0].cpu_slab, stat);
		goto out;
	}
	/* lowest cpu_slab - S in [static size, unit size) */
	unit = percpu_unit_max(k);
	hi = (x.c[0].cpu_slab - stat) & ~(x.page_size - 1);
	lo = x.c[0].cpu_slab >= unit ? x.c[0].cpu_slab - unit + 1 : 0;
	if (hi < lo || unit <= stat) {
		rc = sf_err_set(err, SF_ENOTFOUND, "no page-aligned start below the lowest cpu_slab 0x%" PRIx64, x.c[0].cpu_slab);
		goto out;
	}

	/* Wrong candidates' pages stay out of mini.core. */
	{
		struct kmem *recorded = x.km;

		x.km = kmem_unrecorded(recorded);
		passed = use_tid ? slub_search(&x, lo, hi, true, &s, &s2) : 0;
		if (!passed) {
			use_tid = false;
			passed = slub_search(&x, lo, hi, false, &s, &s2);
		}
		x.km = recorded;
	}
	/* The winner (or both of an ambiguous pair) again, recorded, for the same answer from mini.core. */
	x.reads_left = SLUB_READS_MAX;
	if (passed >= 1)
		slub_probe(&x, s, use_tid, &confirms);
	if (passed >= 2)
		slub_probe(&x, s2, use_tid, &confirms);
	if (passed != 1) {
		if (passed < 0)
			rc = sf_err_set(err, SF_ELOOP, "more than %u kmem_cache_cpu reads for %zu caches: search given up",
					SLUB_READS_MAX, x.n);
		else if (passed)
			rc = sf_err_set(err, SF_EINVAL, "%d page-aligned starts fit the SLUB per-CPU data of %zu caches (0x%" PRIx64
				   ", 0x%" PRIx64 "%s): ambiguous", passed, x.n, s, s2, passed > 2 ? ", ..." : "");
		else
			rc = sf_err_set(err, SF_ENOTFOUND, "no page-aligned start in 0x%" PRIx64 "..0x%" PRIx64 " fits the SLUB per-CPU "
				   "data of %zu caches", lo, hi, x.n);
		goto out;
	}
	snprintf(how, howlen, "the only page-aligned start that fits the kmem_cache_cpu of %zu caches on %d CPUs "
		 "(%s, %d slab_cache matches)", x.n, slub_ncpus(k), use_tid ? "tid and slab" : "slab only", confirms);
	*ret = s;
	rc = 0;
out:
	free(x.c);
	return rc;
}
