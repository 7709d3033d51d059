// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding sk_buffs: every word of the panic CPU's stacks (all CPUs' with
 * --all-cpus), every CPU's prstatus registers, each CPU's softnet_data
 * queues, --skb addresses; then fclone siblings and frag_list members of
 * what validated.  Words are prefiltered cheaply (8-aligned direct-map
 * addresses) before the full validation (validate.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "skbfilter/bytes.h"
#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "skbfilter/skb.h"
#include "skbfilter/symbols.h"
#include "skbfilter/vmcoreinfo.h"

#define MAX_STACK_BYTES (256u << 10)	/* largest stack region scanned */
#define MAX_QUEUE_WALK 4096		/* skbs followed per queue */
#define MAX_SEEN 65536			/* distinct candidate addresses validated */
#define MAX_REJECTED_KEPT 512
#define MAX_PACKET_BYTES (128u << 20)	/* all rebuilt packets together */

const char *skb_place_kind_name(enum skb_place_kind k)
{
	switch (k) {
	case PLACE_STACK: return "stack";
	case PLACE_REGISTER: return "register";
	case PLACE_SOFTNET: return "softnet_data";
	case PLACE_CMDLINE: return "command line";
	case PLACE_FRAG_LIST: return "frag_list";
	case PLACE_FCLONE: return "fclone sibling";
	case PLACE_SLAB: return "slab";
	default: return "?";
	}
}

void skb_place_describe(const struct skb_place *p, char *buf, size_t n)
{
	switch (p->kind) {
	case PLACE_STACK:
		snprintf(buf, n, "CPU %d %s stack slot 0x%" PRIx64 "%s%s", p->cpu, stack_kind_name(p->stack_kind),
			 p->slot, p->frame[0] ? " in " : "", p->frame);
		break;
	case PLACE_REGISTER:
		snprintf(buf, n, "CPU %d register %s", p->cpu, p->reg);
		break;
	case PLACE_SOFTNET:
		snprintf(buf, n, "CPU %d softnet_data.%s (0x%" PRIx64 ")", p->cpu, p->queue, p->slot);
		break;
	case PLACE_CMDLINE:
		snprintf(buf, n, "--skb");
		break;
	case PLACE_FRAG_LIST:
		snprintf(buf, n, "frag_list of skb 0x%" PRIx64, p->slot);
		break;
	case PLACE_FCLONE:
		snprintf(buf, n, "fclone sibling of skb 0x%" PRIx64, p->slot);
		break;
	case PLACE_SLAB:
		snprintf(buf, n, "--scan all: object of the %s slab at struct page 0x%" PRIx64, p->queue, p->slot);
		break;
	}
}

/* A validated or rejected address, so each is examined once. */
struct seen {
	uint64_t addr;
	int record;		/* index into records, -1 if rejected */
};

struct scan_ctx {
	struct kernel *k;
	struct skb_scan *s;
	struct skb_mem m;
	struct skb_validate_opts vo;
	const struct skb_scan_opts *o;
	struct warnlist *w;
	struct seen *seen;
	size_t nseen, capseen;
	int caprec;
	int max_records;
	char last_reason[256];	/* why the last candidate was rejected */
	uint64_t pkt_bytes;	/* bytes of all packets rebuilt so far */
};

static struct seen *seen_find(struct scan_ctx *c, uint64_t addr)
{
	for (size_t i = 0; i < c->nseen; i++)
		if (c->seen[i].addr == addr)
			return &c->seen[i];
	return NULL;
}

static void add_place(struct skb_record *r, const struct skb_place *pl)
{
	for (int i = 0; i < r->nplaces; i++)
		if (!memcmp(&r->places[i], pl, sizeof(*pl)))
			return;
	r->places_total++;
	if (r->nplaces < SKB_MAX_PLACES)
		r->places[r->nplaces++] = *pl;
}

static void reject(struct scan_ctx *c, uint64_t addr, const struct skb_place *pl, const char *why)
{
	struct skb_scan *s = c->s;

	snprintf(c->last_reason, sizeof(c->last_reason), "%s", why);
	s->nrejected++;
	if (!c->o->verbose || s->nrejected_kept >= MAX_REJECTED_KEPT)
		return;
	if (!s->rejected) {
		s->rejected = calloc(MAX_REJECTED_KEPT, sizeof(*s->rejected));
		if (!s->rejected)
			return;
	}
	s->rejected[s->nrejected_kept].addr = addr;
	s->rejected[s->nrejected_kept].place = *pl;
	snprintf(s->rejected[s->nrejected_kept].reason, sizeof(s->rejected[0].reason), "%s", why);
	s->nrejected_kept++;
}

/* Validates addr (once) and records where it was seen.  Returns the record index or -1. */
static int consider(struct scan_ctx *c, uint64_t addr, const struct skb_place *pl, uint64_t parent, int depth)
{
	struct skb_scan *s = c->s;
	struct seen *sn = seen_find(c, addr);
	struct sf_err e = { 0 };
	struct skb_record *r;

	if (sn) {
		if (sn->record >= 0)
			add_place(&s->records[sn->record], pl);
		return sn->record;
	}
	if (c->nseen >= MAX_SEEN)
		return -1;
	if (c->nseen == c->capseen) {
		size_t nc = c->capseen ? c->capseen * 2 : 256;
		struct seen *ns = realloc(c->seen, nc * sizeof(*ns));

		if (!ns)
			return -1;
		c->seen = ns;
		c->capseen = nc;
	}
	sn = &c->seen[c->nseen++];
	sn->addr = addr;
	sn->record = -1;
	if (s->nrecords >= c->max_records) {
		reject(c, addr, pl, "too many skbs (limit reached)");
		return -1;
	}
	if (s->nrecords == c->caprec) {
		int nc = c->caprec ? c->caprec * 2 : 16;
		struct skb_record *nr = realloc(s->records, (size_t)nc * sizeof(*nr));

		if (!nr)
			return -1;
		s->records = nr;
		c->caprec = nc;
	}
	r = &s->records[s->nrecords];
	if (skb_validate(&c->m, &s->L, &c->vo, addr, r, &e) < 0) {
		reject(c, addr, pl, e.msg);
		return -1;
	}
	r->parent = parent;
	r->depth = depth;
	add_place(r, pl);
	sn->record = s->nrecords++;
	return sn->record;
}

/* Cheap: an 8-aligned address of the direct map (where every slab object lives). */
static bool plausible(struct scan_ctx *c, uint64_t v)
{
	uint64_t pa, va;
	struct sf_err e = { 0 };

	if (!v || v % 8 || v < 0x1000)
		return false;
	if (c->m.is_kernel_addr && !c->m.is_kernel_addr(c->m.priv, v))
		return false;
	if (kmem_vtop(kernel_kmem(c->k), v, &pa, &e) < 0)
		return false;
	if (kmem_ptov(kernel_kmem(c->k), pa, &va, &e) < 0 || va != v)
		return false;
	return true;
}

/* The function whose frame holds stack address slot (frames are innermost first). */
static void enclosing_frame(const struct cpu_context *cc, enum stack_kind kind, uint64_t slot, char *buf, size_t n)
{
	int best = -1;

	buf[0] = 0;
	for (int i = 0; i < cc->nframes; i++) {
		const struct frame *fr = &cc->frames[i];

		if (fr->stack != kind || !fr->slot || fr->slot <= slot)
			continue;
		if (best < 0 || fr->slot < cc->frames[best].slot)
			best = i;
	}
	if (best > 0)
		snprintf(buf, n, "%.*s", (int)(n > 1 ? n - 1 : 0), cc->frames[best - 1].symbol);
	else if (best == 0)
		snprintf(buf, n, "below %.*s", (int)(n > 7 ? n - 7 : 0), cc->frames[0].symbol);
}

static void scan_stack(struct scan_ctx *c, const struct cpu_context *cc, const struct stack_region *sr)
{
	uint64_t len = sr->top > sr->base ? sr->top - sr->base : 0;
	uint8_t *buf;
	struct kmem *as_stack = kmem_as(kernel_kmem(c->k), READ_STACK);

	if (!len)
		return;
	if (len > MAX_STACK_BYTES) {
		warn_add(c->w, "CPU %d %s stack 0x%" PRIx64 "-0x%" PRIx64 " is larger than %u KiB; scanned its top only",
			 cc->cpu, stack_kind_name(sr->kind), sr->base, sr->top, MAX_STACK_BYTES >> 10);
		len = MAX_STACK_BYTES;
	}
	buf = malloc(len);
	if (!buf)
		return;
	/* Page by page, so one excluded page does not hide the rest. */
	for (uint64_t off = 0; off < len; off += c->m.page_size) {
		uint64_t base = sr->top - len + off, n = len - off < c->m.page_size ? len - off : c->m.page_size;
		struct sf_err e = { 0 };

		if (kmem_read(as_stack, base, buf + off, n, "stack", &e) < 0) {
			memset(buf + off, 0, n);
			warn_add(c->w, "CPU %d %s stack: %s", cc->cpu, stack_kind_name(sr->kind), e.msg);
		}
	}
	for (uint64_t off = 0; off + 8 <= len; off += 8) {
		uint64_t v = c->m.big_endian ? ld_be64(buf + off) : ld_le64(buf + off);
		struct skb_place pl = { .kind = PLACE_STACK, .cpu = cc->cpu, .stack_kind = sr->kind };

		c->s->candidates++;
		if (!plausible(c, v))
			continue;
		c->s->prefiltered++;
		pl.slot = sr->top - len + off;
		enclosing_frame(cc, sr->kind, pl.slot, pl.frame, sizeof(pl.frame));
		consider(c, v, &pl, 0, 0);
	}
	free(buf);
}

/*
 * A CPU whose saved stack pointer lies on no stack the panic analysis found
 * (no per-CPU data, unknown task): scan from the SP up to the THREAD_SIZE
 * boundary above it, where the callers' frames are.  Done for the panic
 * CPU, for every CPU with --all-cpus, and for every CPU when the panic CPU
 * is unknown.
 */
static void scan_sp_window(struct scan_ctx *c, const struct panic_context *pc, const struct cpu_prstatus *ps)
{
	uint64_t ts = kernel_thread_size(c->k), sp = ps->regs.sp & ~7ull, top;
	const struct cpu_context *cc = NULL;
	struct cpu_context tmp;
	struct stack_region sr;

	if (!sp || ts < 4096 || ts > (1u << 20) || (ts & (ts - 1)))
		return;
	if (pc) {
		for (int i = 0; i < pc->ncpus; i++)
			if (pc->cpus[i].cpu == ps->cpu)
				cc = &pc->cpus[i];
		if (!c->o->all_cpus && pc->panic && pc->panic != cc)
			return;
	}
	top = (sp | (ts - 1)) + 1;
	if (top <= sp)
		return;
	/*
	 * A known stack holding the SP was scanned; scan only what lies above it up to the boundary.
	 * A known stack of a whole THREAD_SIZE is complete even when it is not THREAD_SIZE aligned:
	 * IRQ stacks are vmap()ed page-aligned (arch/x86/kernel/irq_64.c: map_irq_stack(), 5.0+).
	 */
	if (cc)
		for (int j = 0; j < cc->nstacks; j++)
			if (sp >= cc->stacks[j].base && sp < cc->stacks[j].top) {
				if (cc->stacks[j].top >= top || cc->stacks[j].top - cc->stacks[j].base >= ts)
					return;
				sp = cc->stacks[j].top;
			}
	memset(&tmp, 0, sizeof(tmp));
	tmp.cpu = ps->cpu;
	sr.kind = STACK_UNKNOWN;
	sr.base = sp;
	sr.top = top;
	warn_add(c->w, "CPU %d: the stack above SP %" PRIx64 " is not fully known; scanned %" PRIx64 "-%" PRIx64
		 " for skbs (up to the THREAD_SIZE boundary)", ps->cpu, ps->regs.sp, sp, top);
	scan_stack(c, cc ? cc : &tmp, &sr);
}

static void scan_registers(struct scan_ctx *c, int cpu, const struct prstatus *regs)
{
	for (int i = 0; i < regs->nregs && i < ARCH_MAX_REGS; i++) {
		struct skb_place pl = { .kind = PLACE_REGISTER, .cpu = cpu };
		uint64_t v = regs->regs[i];

		c->s->candidates++;
		if (!plausible(c, v))
			continue;
		c->s->prefiltered++;
		snprintf(pl.reg, sizeof(pl.reg), "%s", regs->names && regs->names[i] ? regs->names[i] : "?");
		consider(c, v, &pl, 0, 0);
	}
}

static int read_ptr(struct scan_ctx *c, uint64_t addr, uint64_t *ret, const char *what)
{
	struct sf_err e = { 0 };

	return kmem_read_u64(kmem_as(kernel_kmem(c->k), READ_PERCPU), addr, ret, what, &e);	/* the per-CPU queues */
}

static void scan_queue_list(struct scan_ctx *c, int cpu, const char *qname, uint64_t qhead, bool circular)
{
	uint64_t cur, first;
	int n = 0;
	const struct skb_fld *next = &c->s->L.next;

	if (!next->ok)
		return;
	if (read_ptr(c, circular ? qhead + c->s->L.q_next.off : qhead, &cur, "softnet_data queue") < 0)
		return;
	first = cur;
	while (cur && (!circular || cur != qhead)) {
		struct skb_place pl = { .kind = PLACE_SOFTNET, .cpu = cpu, .slot = qhead };

		if (n++ >= MAX_QUEUE_WALK) {
			warn_add(c->w, "CPU %d softnet_data.%s: more than %d skbs (or a loop); stopped", cpu, qname,
				 MAX_QUEUE_WALK);
			return;
		}
		snprintf(pl.queue, sizeof(pl.queue), "%s", qname);
		c->s->candidates++;
		if (consider(c, cur, &pl, 0, 0) < 0)
			return;	/* a rejected member: its next pointer is not trusted */
		if (read_ptr(c, cur + next->off, &cur, "sk_buff.next") < 0)
			return;
		if (cur == first)
			return;
	}
}

/*
 * Every CPU's napi_alloc_cache.skb_cache[0..skb_count): sk_buffs that NAPI
 * freed (a GRO-merged segment whose head became a frag of the merged skb:
 * napi_skb_free_stolen_head(); napi_consume_skb()) and keeps for its next
 * allocation.  Their fields and heads still look live -- the head is often
 * a page frag of the live GRO skb -- so they are rejected as free objects
 * (skb_validate_opts.napi_cached).  The struct comes from BTF; a kernel
 * without it, or without per-CPU data, skips the check.
 */
static uint64_t *load_napi_cache(struct scan_ctx *c, int *n)
{
	const struct skb_layout *L = &c->s->L;
	struct kmem *as_percpu = kmem_as(kernel_kmem(c->k), READ_PERCPU);
	uint64_t *v = NULL;
	int cap = 0;

	*n = 0;
	if (!L->nac_skb_count.ok || !L->nac_skb_cache.ok || L->nac_skb_count.size != 4 || !L->nac_skb_cache.nelems ||
	    L->nac_skb_cache.elem_size != c->s->L.ptr_size)
		return NULL;
	for (int cpu = 0; cpu < kernel_nr_cpus(c->k); cpu++) {
		uint64_t nc, p;
		uint32_t count;
		struct sf_err e = { 0 };

		if (kernel_percpu_addr(c->k, "napi_alloc_cache", cpu, &nc, &e) < 0 ||
		    kmem_read_u32(as_percpu, nc + L->nac_skb_count.off, &count, "napi_alloc_cache.skb_count",
				  &e) < 0)
			continue;	/* this CPU's cache is unreadable; the others may not be */
		if (count > L->nac_skb_cache.nelems)
			count = L->nac_skb_cache.nelems;	/* a torn or corrupt count: the array's bound */
		for (uint32_t i = 0; i < count; i++) {
			if (kmem_read_u64(as_percpu, nc + L->nac_skb_cache.off + (uint64_t)i * 8, &p,
					  "napi_alloc_cache.skb_cache", &e) < 0)
				break;
			if (*n == cap) {
				uint64_t *nv = realloc(v, (size_t)(cap ? cap * 2 : 64) * sizeof(*v));

				if (!nv)
					goto out;
				v = nv;
				cap = cap ? cap * 2 : 64;
			}
			v[(*n)++] = p;
		}
	}
out:
	if (v)
		qsort(v, (size_t)*n, sizeof(*v), cmp_u64);
	return v;
}

static void scan_softnet(struct scan_ctx *c)
{
	const struct skb_layout *L = &c->s->L;

	for (int cpu = 0; cpu < kernel_nr_cpus(c->k); cpu++) {
		uint64_t sd;
		struct sf_err e = { 0 };

		if (kernel_percpu_addr(c->k, "softnet_data", cpu, &sd, &e) < 0) {
			if (cpu == 0)
				warn_add(c->w, "softnet_data queues not scanned: %s", e.msg);
			break;
		}
		if (L->sd_input_pkt_queue.ok)
			scan_queue_list(c, cpu, "input_pkt_queue", sd + L->sd_input_pkt_queue.off, true);
		if (L->sd_process_queue.ok)
			scan_queue_list(c, cpu, "process_queue", sd + L->sd_process_queue.off, true);
		/* completion_queue is a plain sk_buff * chain in 6.1 (an sk_buff_head in none we know of). */
		if (L->sd_completion_queue.ok)
			scan_queue_list(c, cpu, "completion_queue", sd + L->sd_completion_queue.off,
					L->sd_completion_queue.size != c->s->L.ptr_size);
	}
}

static void follow_fclone(struct scan_ctx *c, int idx)
{
	const struct skb_layout *L = &c->s->L;
	struct skb_record *r = &c->s->records[idx];
	uint64_t pair, sib;
	uint32_t ref = 0;
	struct sf_err e = { 0 };
	struct skb_place pl = { .kind = PLACE_FCLONE, .cpu = -1, .slot = r->f.addr };

	if (!L->fc_skb2.ok || !L->fc_ref.ok || L->fclone_orig < 0 || L->fclone_clone < 0)
		return;
	if (r->f.fclone == L->fclone_orig) {
		pair = r->f.addr;
		sib = pair + L->fc_skb2.off;
	} else if (r->f.fclone == L->fclone_clone) {
		pair = r->f.addr - L->fc_skb2.off;
		sib = pair;
	} else {
		return;
	}
	/* Only when both halves are in use (fclone_ref 2): a free sibling holds stale data. */
	if (kmem_read_u32(kernel_kmem(c->k), pair + L->fc_ref.off, &ref, "sk_buff_fclones.fclone_ref", &e) < 0 || ref != 2)
		return;
	consider(c, sib, &pl, 0, 0);
}

static int64_t s64(uint64_t v)
{
	return (int64_t)v;
}

/* timekeeper.offs_real (CLOCK_MONOTONIC -> CLOCK_REALTIME), for mono skb timestamps. */
static void load_offs_real(struct scan_ctx *c)
{
	const struct ktypes *kt = kernel_types(c->k);
	struct sf_err e = { 0 };
	int64_t off = ktypes_offsetof(kt, "timekeeper.offs_real", &e);
	uint64_t sym, seqsz = 0, v;

	if (off < 0)
		return;
	/* tk_core is an anonymous struct { seqcount_raw_spinlock_t seq; struct timekeeper timekeeper; }. */
	if (kernel_symbol(c->k, "tk_core", &sym, &e) == 0 &&
	    ktypes_sizeof(kt, "seqcount_raw_spinlock_t", &seqsz, &e) == 0) {
		uint64_t tk = sym + ((seqsz + 7) & ~7ull);

		if (kmem_read_u64(kernel_kmem(c->k), tk + (uint64_t)off, &v, "tk_core.timekeeper.offs_real", &e) == 0 &&
		    s64(v) > 0) {
			c->s->offs_real = s64(v);
			c->s->have_offs_real = true;
			return;
		}
	}
	/* shadow_timekeeper is a plain struct timekeeper kept in step with tk_core. */
	if (kernel_symbol(c->k, "shadow_timekeeper", &sym, &e) == 0 &&
	    kmem_read_u64(kernel_kmem(c->k), sym + (uint64_t)off, &v, "shadow_timekeeper.offs_real", &e) == 0 && s64(v) > 0) {
		c->s->offs_real = s64(v);
		c->s->have_offs_real = true;
	}
}

static void finish_record(struct scan_ctx *c, int idx)
{
	struct skb_scan *s = c->s;
	struct skb_record *r = &s->records[idx];
	struct sf_err e = { 0 };
	struct gso_check_input in;
	uint32_t frag_bytes = 0;
	uint64_t crash_ns = kernel_crashtime(c->k) * 1000000000ull;

	if (r->f.dev && skb_read_netdev(&c->m, &s->L, r->f.dev, &r->dev, &e) < 0)
		warn_add(c->w, "skb 0x%" PRIx64 ": net_device 0x%" PRIx64 ": %s", r->f.addr, r->f.dev, e.msg);
	if (c->pkt_bytes + r->f.len > MAX_PACKET_BYTES)
		warn_add(c->w, "skb 0x%" PRIx64 ": packet not rebuilt: the packets found so far hold %" PRIu64
			 " bytes (limit %u)", r->f.addr, c->pkt_bytes, MAX_PACKET_BYTES);
	else if (skb_rebuild(&c->m, &s->L, &c->vo, r, c->w, &e) < 0)
		warn_add(c->w, "skb 0x%" PRIx64 ": packet not rebuilt: %s", r->f.addr, e.msg);
	c->pkt_bytes += r->pkt.len;
	/* A payload-only packet has no headers to parse: whatever it looks like is data. */
	if (r->pkt.bytes && !r->pkt.from_data)
		proto_parse(r->pkt.bytes, r->pkt.len, r->pkt.from_mac ? PROTO_ETH : PROTO_KIND_MAX, &r->layers);
	for (int i = 0; i < r->nfrags; i++)
		frag_bytes += r->frags[i].len;
	memset(&in, 0, sizeof(in));
	in.f = &r->f;
	in.linear = r->linear;
	in.linear_len = r->linear_len;
	in.names = &s->gso;
	in.max_frags = s->L.max_frags;
	in.pkt = r->pkt.bytes ? &r->pkt : NULL;
	in.frag_bytes = frag_bytes;
	in.frag_bytes_known = !r->f.frag_list;
	in.dev_type = r->dev.valid ? r->dev.type : 0;
	gso_check(&in, &r->findings);
	if (r->f.tstamp > 0 && !r->f.tstamp_mono) {
		r->wall_ns = (uint64_t)r->f.tstamp;
		r->ts_source = "skb->tstamp (realtime)";
	} else if (r->f.tstamp > 0 && s->have_offs_real) {
		r->wall_ns = (uint64_t)r->f.tstamp + (uint64_t)s->offs_real;
		r->ts_source = "skb->tstamp (monotonic) + timekeeper offs_real";
	} else {
		r->wall_ns = crash_ns;
		r->ts_source = "crash time";
	}
}

/*
 * --scan all: every struct page of the vmemmap (read a page of them at a
 * time), every slab page whose cache is an skbuff cache, every object in it.
 * Cost is one pass over struct page (size of RAM / 64) plus the skb slabs.
 */
#define SCAN_CACHES 1024	/* distinct kmem_caches remembered (a kernel has a few hundred) */

struct scan_cache {
	uint64_t cache;
	bool skb;
	bool fclone;
	uint32_t size, red;
	char name[32];
};

/* The struct pages of pfns pfn0.. in one page of the vmemmap (buf): walks the skbuff slabs among them. */
static uint64_t walk_struct_pages(struct scan_ctx *c, struct scan_cache *caches, int *ncaches, const uint8_t *buf,
				  uint64_t pfn0)
{
	struct kmem *as_vmemmap = kmem_as(kernel_kmem(c->k), READ_VMEMMAP);	/* the slab caches */
	const struct skb_layout *L = &c->s->L;
	const struct dump_info *di = dump_get_info(kmem_dump(kernel_kmem(c->k)));
	uint32_t ps = c->m.page_size, per = ps / L->page_struct_size;
	struct skb_scan_all_stats *st = &c->s->scan_all;
	struct sf_err e = { 0 };
	uint64_t slabs = 0;

	for (uint32_t i = 0; i < per && pfn0 + i < di->max_pfn; i++) {
		const uint8_t *pg = buf + (size_t)i * L->page_struct_size;
		uint64_t cache, ch, slab_va, objs;
		int ci;

		if (!skb_page_is_slab(L, pg, L->page_struct_size, c->m.big_endian))
			continue;
		ch = skb_fld_get(&L->pg_compound_head, pg, L->page_struct_size, c->m.big_endian);
		if (ch & 1)
			continue;	/* a tail page (pointer or 7.1+ mask, skbfilter/page.h): its head was seen */
		cache = skb_fld_get(&L->slab_cache, pg, L->page_struct_size, c->m.big_endian);
		for (ci = 0; ci < *ncaches && caches[ci].cache != cache; ci++)
			;
		if (ci == *ncaches) {
			uint64_t np;
			uint32_t v;
			enum skb_cache_kind kind;

			if (*ncaches == SCAN_CACHES)
				continue;
			memset(&caches[ci], 0, sizeof(caches[ci]));
			caches[ci].cache = cache;
			(*ncaches)++;
			if (kmem_read_u32(as_vmemmap, cache + L->kc_size.off, &v, "kmem_cache.size", &e) < 0)
				continue;
			/* The name labels the place only (a merged cache carries another cache's name). */
			if (kmem_read_u64(as_vmemmap, cache + L->kc_name.off, &np, "kmem_cache.name", &e) < 0 ||
			    kmem_read_str(as_vmemmap, np, caches[ci].name, sizeof(caches[ci].name), "kmem_cache.name",
					  &e) < 0)
				snprintf(caches[ci].name, sizeof(caches[ci].name), "0x%" PRIx64, cache);
			caches[ci].size = v;
			if (L->kc_red_left_pad.ok &&
			    kmem_read_u32(as_vmemmap, cache + L->kc_red_left_pad.off, &v, "kmem_cache.red_left_pad", &e) == 0)
				caches[ci].red = v;
			/* By the kernel's pointers, or by the cache's layout when those are unknown. */
			kind = skb_cache_kind(&c->m, L, &c->vo, cache);
			caches[ci].skb = kind != SKB_CACHE_NONE;
			caches[ci].skb &= caches[ci].size >= L->skb_size;
			caches[ci].fclone = L->fc_skb2.ok && caches[ci].size >= L->fc_skb2.off + L->skb_size &&
					    kind == SKB_CACHE_FCLONE;
		}
		if (!caches[ci].skb || !caches[ci].size)
			continue;
		objs = skb_fld_get(&L->slab_objects, pg, L->page_struct_size, c->m.big_endian);
		if (kmem_ptov(kernel_kmem(c->k), (pfn0 + i) * ps, &slab_va, &e) < 0)
			continue;
		slabs++;
		st->slab_pages += ((objs < 4096 ? objs : 4096) * caches[ci].size + caches[ci].red + ps - 1) / ps;
		for (uint64_t o = 0; o < objs && o < 4096; o++) {
			uint64_t obj = slab_va + caches[ci].red + o * caches[ci].size;
			struct skb_place pl = { .kind = PLACE_SLAB, .cpu = -1 };

			pl.slot = c->m.vmemmap_base + (pfn0 + i) * L->page_struct_size;
			snprintf(pl.queue, sizeof(pl.queue), "%s", caches[ci].name);
			c->s->candidates++;
			consider(c, obj, &pl, 0, 0);
			if (caches[ci].fclone) {
				c->s->candidates++;
				consider(c, obj + L->fc_skb2.off, &pl, 0, 0);
			}
		}
	}
	return slabs;
}

static void scan_all_slabs(struct scan_ctx *c)
{
	const struct skb_layout *L = &c->s->L;
	const struct dump_info *di = dump_get_info(kmem_dump(kernel_kmem(c->k)));
	uint32_t ps = c->m.page_size, per = L->page_struct_size ? ps / L->page_struct_size : 0;
	struct scan_cache *caches;
	bool bulk_ok[DUMP_READ_PAGES_MAX];
	struct sf_err e_bulk = { 0 };
	size_t batch;
	bool bulk_ok_layout;
	int ncaches = 0;
	uint8_t *buf = NULL;
	uint64_t slabs = 0;
	struct skb_scan_all_stats *st = &c->s->scan_all;
	struct timespec t0, t1;
	struct kmem *as_vmemmap = kmem_as(kernel_kmem(c->k), READ_VMEMMAP);

	if (!c->m.vmemmap_base || !per || !L->slab_cache.ok || L->slab_mark == SLAB_MARK_NONE ||
	    !L->slab_objects.ok || !L->kc_name.ok || !L->kc_size.ok) {
		warn_add(c->w, "--scan all: struct page/slab layout or vmemmap unknown; slabs not walked");
		return;
	}
	batch = dump_read_pages_batch(ps);
	buf = malloc(batch * ps);
	caches = calloc(SCAN_CACHES, sizeof(*caches));
	if (!buf || !caches) {
		free(buf);
		free(caches);
		return;
	}
	/*
	 * Whole dump pages can be read in bulk only when each window of `per`
	 * struct pages is exactly one page: a struct page size that does not
	 * divide the page (56, 72 bytes...) makes the windows straddle pages.
	 */
	bulk_ok_layout = di->page_size == ps && ps % L->page_struct_size == 0 && c->m.vmemmap_base % ps == 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t pfn0 = 0; pfn0 < di->max_pfn;) {
		uint64_t first[DUMP_READ_PAGES_MAX], pfns[DUMP_READ_PAGES_MAX], vas[DUMP_READ_PAGES_MAX];
		size_t n = 0;
		int nb = 0;

		/* A batch of vmemmap pages: translated here, read (decompressed on the worker threads) at once. */
		for (; pfn0 < di->max_pfn && n < batch; pfn0 += per) {
			uint64_t va = c->m.vmemmap_base + pfn0 * L->page_struct_size, pa;
			struct sf_err e = { 0 };

			if (c->o->progress && !(pfn0 & ((1u << 18) - 1)))
				c->o->progress(c->o->progress_arg, pfn0, di->max_pfn);
			st->pfns += per;
			if (kmem_vtop(as_vmemmap, va, &pa, &e) < 0)
				continue;	/* a hole in the vmemmap */
			first[n] = pfn0;
			vas[n] = va;
			pfns[n++] = pa / ps;
		}
		if (!n)
			continue;
		if (bulk_ok_layout) {
			nb = dump_read_pages(kmem_dump(as_vmemmap), pfns, n, buf, bulk_ok, c->o->threads, &e_bulk);
			if (nb < 0) {
				warn_add(c->w, "--scan all: %s; the walk stopped at pfn 0x%" PRIx64, e_bulk.msg, first[0]);
				break;
			}
			for (size_t b = 0; b < n; b++)	/* read past kmem: recorded here, failed reads too */
				kmem_record_pfn(as_vmemmap, pfns[b]);
		} else {	/* struct pages straddle pages, or the dump's pages are not the kernel's */
			for (size_t b = 0; b < n; b++)
				bulk_ok[b] = kmem_read(as_vmemmap, vas[b], buf + b * ps, ps, "struct page", &e_bulk) == 0;
		}
		for (size_t b = 0; b < n; b++) {
			if (!bulk_ok[b])
				continue;	/* an excluded or missing page */
			st->vmemmap_pages++;
			slabs += walk_struct_pages(c, caches, &ncaches, buf + b * ps, first[b]);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (c->o->progress)
		c->o->progress(c->o->progress_arg, di->max_pfn, di->max_pfn);
	if (st->pfns > di->max_pfn)
		st->pfns = di->max_pfn;
	st->bytes = (st->vmemmap_pages + st->slab_pages) * ps;
	st->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	st->ran = true;
	free(buf);
	free(caches);
	if (!slabs)
		warn_add(c->w, "--scan all: no skbuff slab page found in the vmemmap");
}

/* NETIF_F_SG_BIT = 0 ... : bit numbers; stored as masks named without _BIT. */
static int feature_cb(const char *name, int64_t value, void *arg)
{
	struct gso_names *g = arg;
	size_t n = strlen(name);

	if (g->n >= GSO_MAX_NAMES || value < 0 || value > 63 || n < 5 || strcmp(name + n - 4, "_BIT"))
		return 0;
	snprintf(g->e[g->n].name, sizeof(g->e[g->n].name), "%.*s", (int)(n - 4), name);
	g->e[g->n].value = 1ull << value;
	g->n++;
	return 0;
}

/*
 * The slab page type, in the kernel's own words: VMCOREINFO has
 * NUMBER(PAGE_SLAB_MAPCOUNT_VALUE) since 6.10 (when slab became a page type);
 * without it, skb_layout_load's reading of BTF stands.
 */
static void slab_type_from_vmcoreinfo(struct kernel *k, struct skb_layout *L)
{
	uint64_t v;
	struct sf_err e = { 0 };

	if (kernel_vmcoreinfo(k) && vmcoreinfo_number(kernel_vmcoreinfo(k), "PAGE_SLAB_MAPCOUNT_VALUE", &v, &e) == 0)
		skb_layout_set_slab_type(L, (uint32_t)v);
}

/* One kmem_cache pointer: the global SYM, or member MEMBER of struct/global HOLDER. */
static uint64_t cache_ptr(struct scan_ctx *c, const char *sym, const char *holder, const char *member)
{
	uint64_t a, v = 0;
	char path[96];
	struct sf_err e = { 0 };

	if (sym) {
		if (kernel_symbol(c->k, sym, &a, &e) < 0)
			return 0;
	} else {
		int64_t off;

		snprintf(path, sizeof(path), "%s.%s", holder, member);
		if (kernel_symbol(c->k, holder, &a, &e) < 0 || (off = ktypes_offsetof(kernel_types(c->k), path, &e)) < 0)
			return 0;
		a += (uint64_t)off;
	}
	if (kmem_read_u64(kernel_kmem(c->k), a, &v, sym ? sym : path, &e) < 0)
		return 0;
	return v;
}

/*
 * The skbuff caches are what the kernel's pointers hold (names decide
 * nothing: SLUB merges same-size caches under the first one's name):
 *   ..6.1   skbuff_head_cache, skbuff_fclone_cache (globals)
 *   >6.1    skbuff_head_cache renamed skbuff_cache (net-next, early 2023;
 *           the cache's name string stayed "skbuff_head_cache")
 *   6.9+    both moved into struct net_hotdata (commit "net: move
 *           skbuff_cache(s) to net_hotdata"): net_hotdata.skbuff_cache and
 *           .skbuff_fclone_cache
 * Every spelling is tried, whatever the version.  The symbols and members
 * read are recorded for mini.core's kernel note, and the pages read kept.
 */
static void skbuff_caches(struct scan_ctx *c)
{
	if (c->vo.skip_slab)
		return;
	c->vo.skb_cache = cache_ptr(c, NULL, "net_hotdata", "skbuff_cache");
	if (!c->vo.skb_cache)
		c->vo.skb_cache = cache_ptr(c, "skbuff_cache", NULL, NULL);
	if (!c->vo.skb_cache)
		c->vo.skb_cache = cache_ptr(c, "skbuff_head_cache", NULL, NULL);
	c->vo.fclone_cache = cache_ptr(c, NULL, "net_hotdata", "skbuff_fclone_cache");
	if (!c->vo.fclone_cache)
		c->vo.fclone_cache = cache_ptr(c, "skbuff_fclone_cache", NULL, NULL);
	if (!c->vo.skb_cache && !c->vo.fclone_cache)
		warn_note(c->w, "skbuff caches told by their layout (kmem_cache.object_size sizeof(struct sk_buff) with "
			  "the usercopy region sk_buff.cb, or sizeof(struct sk_buff_fclones)): the kernel's pointers "
			  "(net_hotdata.skbuff_cache, skbuff_cache, skbuff_head_cache, skbuff_fclone_cache) are not among "
			  "its symbols (kallsyms without data symbols?); -m System.map gives them");
	else if (!c->vo.skb_cache || !c->vo.fclone_cache)
		warn_add(c->w, "%s not found: skbs in that cache are not recognised",
			 c->vo.skb_cache ? "the skbuff_fclone_cache pointer" : "the skbuff_cache pointer");
}

int skb_scan_run(struct kernel *k, const struct panic_context *pc, const struct skb_scan_opts *o,
		 struct skb_scan **ret, struct warnlist *w, struct sf_err *err)
{
	struct scan_ctx c = { .k = k, .o = o, .w = w };
	struct skb_scan *s;
	uint64_t *napi_cache = NULL;
	int rc;

	*ret = NULL;
	if (!kernel_types(k))
		return sf_err_set(err, SF_ENOTSUP, "no BTF: sk_buff layouts unknown (give --btf or -x)");
	s = calloc(1, sizeof(*s));
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "skb scan");
	c.s = s;
	c.max_records = o->max_records ? (int)o->max_records : 256;
	rc = skb_layout_load(kernel_types(k), &s->L, err);
	if (rc < 0)
		goto fail;
	if (gso_names_load(kernel_types(k), &s->gso, err) < 0) {
		warn_add(w, "%s", err->msg);
		sf_err_clear(err);
	}
	ktypes_enum_foreach(kernel_types(k), "NETIF_F_", feature_cb, &s->features);
	slab_type_from_vmcoreinfo(k, &s->L);
	skb_mem_from_kmem(&c.m, kernel_kmem(k));
	if (!c.m.vmemmap_base) {
		warn_add(w, "no vmemmap base for this architecture/dump: skbs validated by their fields only, "
			 "without the slab check");
		c.vo.skip_slab = true;
	}
	skbuff_caches(&c);
	c.vo.percpu_offset = kernel_percpu_offsets(k, &c.vo.nr_cpus);
	if (!c.vo.percpu_offset && !c.vo.skip_slab)
		warn_add(w, "no __per_cpu_offset[]: SLUB per-CPU freelists not checked, so an skb freed into a CPU's "
			 "freelist could still be reported (slab freelists and every other check apply)");
	load_offs_real(&c);
	if (!c.vo.skip_slab)
		napi_cache = load_napi_cache(&c, &c.vo.n_napi_cached);
	c.vo.napi_cached = napi_cache;

	/* --skb first, so they come first in the output. */
	for (int i = 0; i < o->nextra; i++) {
		struct skb_place pl = { .kind = PLACE_CMDLINE, .cpu = -1 };

		if (consider(&c, o->extra[i], &pl, 0, 0) < 0)
			warn_add(w, "--skb 0x%" PRIx64 " is not a valid sk_buff: %s", o->extra[i], c.last_reason);
	}
	if (pc) {
		for (int i = 0; i < pc->ncpus; i++) {
			const struct cpu_context *cc = &pc->cpus[i];

			/* The panic CPU's stacks; every CPU's with --all-cpus or when the panic CPU is unknown. */
			if (pc->panic && cc != pc->panic && !o->all_cpus)
				continue;
			for (int j = 0; j < cc->nstacks; j++)
				scan_stack(&c, cc, &cc->stacks[j]);
		}
	} else {
		warn_add(w, "no panic context: stacks not scanned");
	}
	for (int i = 0; i < kernel_nprstatus(k); i++) {
		scan_registers(&c, kernel_prstatus(k)[i].cpu, &kernel_prstatus(k)[i].regs);
		scan_sp_window(&c, pc, &kernel_prstatus(k)[i]);
	}
	scan_softnet(&c);
	if (o->scan_all)
		scan_all_slabs(&c);

	/* fclone siblings and frag_list members (appended while iterating). */
	for (int i = 0; i < s->nrecords; i++) {
		follow_fclone(&c, i);
		finish_record(&c, i);
		for (int j = 0; j < s->records[i].nfrag_list; j++) {
			struct skb_place pl = { .kind = PLACE_FRAG_LIST, .cpu = -1, .slot = s->records[i].f.addr };

			consider(&c, s->records[i].frag_list_members[j], &pl, s->records[i].f.addr,
				 s->records[i].depth + 1);
		}
	}
	free(c.seen);
	free(napi_cache);
	*ret = s;
	return 0;
fail:
	free(c.seen);
	free(napi_cache);
	skb_scan_destroy(s);
	return rc;
}

void skb_scan_destroy(struct skb_scan *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nrecords; i++)
		skb_record_release(&s->records[i]);
	free(s->records);
	free(s->rejected);
	free(s);
}
