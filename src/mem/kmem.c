// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel memory: virtual reads over physical memory, through the
 * architecture's translation.
 *
 * Physical memory is a struct dump (kmem_create) or a caller's callback
 * (kmem_create_raw, for generated page tables).  Virtual reads go page by
 * page; each virtual page is translated once and remembered in a small
 * direct-mapped cache (page tables in a dump never change, so the cache never
 * needs invalidating -- it is only flushed when the architecture adopts the
 * kernel's own variables, kmem_use_symbols()).
 *
 * Callers hold views (struct kmem), one per read reason, over one shared core
 * (struct kmem_core): the view a read goes through is why it was made, and
 * every physical read is recorded with it in the core's read recorder
 * (readrec.h), page-table reads as READ_PGTABLE.
 *
 * Failed reads explain themselves:
 *   "sk_buff.head at 0xffff888012345638: pfn 0x1fc65 excluded from the dump"
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

#define TLB_SIZE 64

struct tlb_entry {
	uint64_t vpage;		/* virtual page number + 1; 0 = empty */
	uint64_t ppage;		/* physical page number */
};

/*
 * A view: the shared memory, read for one reason.  Views live in their
 * core and cost nothing to hand out (kmem_as()); every read through one is
 * recorded with the view's reason.
 */
struct kmem {
	struct kmem_core *c;
	enum read_reason reason;
	bool discovery;		/* recorded as READ_DISCOVERY (page tables stay READ_PGTABLE) */
	bool unrecorded;	/* probes: nothing is recorded, and the shared TLB is neither used nor filled */
};

struct kmem_core {
	struct dump *dump;			/* NULL for kmem_create_raw */
	const struct kmem_phys_ops *ops;	/* raw only */
	void *ctx;				/* raw only */
	struct dump_info info;
	const struct arch_ops *arch;
	const struct vmcoreinfo *vi;
	struct warnlist *warnings;
	struct read_recorder *rec;		/* NULL: reads are not recorded */
	struct arch_env env;			/* what the architecture sees: facts and the callbacks below */
	bool arch_ready;			/* arch->init succeeded: release on destroy */
	/*
	 * The view the architecture is translating or reading for: its page-table
	 * reads are recorded (READ_PGTABLE) unless the view is unrecorded, and its
	 * other reads take the view's reason.  Set around each call into arch.
	 */
	struct kmem *env_view;
	unsigned page_shift;
	struct kmem views[READ_REASON_MAX];
	struct kmem discovery_view, probe_view;
	struct tlb_entry tlb[TLB_SIZE];		/* recorded views' translations */
	struct tlb_entry probe_tlb[TLB_SIZE];	/* the probe view's, so its unrecorded walks never stand in for recorded ones */
};

/* ---- struct arch_env: the architecture's view of the dump ---- */

static int read_phys_view(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what,
			  enum read_reason reason, struct sf_err *err);
static int read_virt_view(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what,
			  enum read_reason reason, struct sf_err *err);

/*
 * Page-table reads are recorded as such (READ_PGTABLE), whatever the view's
 * reason.  The translation of a table=true virtual read reads its own tables
 * through env_read_table(), so the whole read is READ_PGTABLE.
 */
static int env_read_table(void *ctx, uint64_t paddr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	struct kmem *v = ((struct kmem_core *)ctx)->env_view;

	return read_phys_view(v, paddr, buf, len, what, READ_PGTABLE, err);
}

static int env_read_virt(void *ctx, uint64_t vaddr, void *buf, size_t len, bool table, const char *what,
			 struct sf_err *err)
{
	struct kmem *v = ((struct kmem_core *)ctx)->env_view;

	return read_virt_view(v, vaddr, buf, len, what, table ? READ_PGTABLE : v->reason, err);
}

static enum page_state env_page_state(void *ctx, uint64_t pfn)
{
	return kmem_phys_page_state(((struct kmem_core *)ctx)->env_view, pfn);
}

static int env_vmcoreinfo(void *ctx, enum arch_vmci kind, const char *name, uint64_t *ret, struct sf_err *err)
{
	const struct vmcoreinfo *vi = ((struct kmem_core *)ctx)->vi;

	switch (kind) {
	case ARCH_VMCI_SYMBOL: return vmcoreinfo_symbol(vi, name, ret, err);
	case ARCH_VMCI_NUMBER: return vmcoreinfo_number(vi, name, ret, err);
	case ARCH_VMCI_OFFSET: return vmcoreinfo_offset(vi, name, ret, err);
	case ARCH_VMCI_SIZE: return vmcoreinfo_size(vi, name, ret, err);
	case ARCH_VMCI_LENGTH: return vmcoreinfo_length(vi, name, ret, err);
	case ARCH_VMCI_HEX: return vmcoreinfo_hex(vi, name, ret, err);
	case ARCH_VMCI_DEC: return vmcoreinfo_dec(vi, name, ret, err);
	}
	return sf_err_set(err, SF_EBUG, "VMCOREINFO: unknown lookup kind %d", (int)kind);
}

static int kmem_init_common(struct kmem_core *c, const struct arch_ops *arch, const struct vmcoreinfo *vi,
			    struct warnlist *warnings, struct sf_err *err)
{
	uint32_t ps = c->info.page_size;
	int rc;

	for (int r = 0; r < READ_REASON_MAX; r++)
		c->views[r] = (struct kmem){ .c = c, .reason = (enum read_reason)r };
	c->discovery_view = (struct kmem){ .c = c, .reason = READ_DISCOVERY, .discovery = true };
	c->probe_view = (struct kmem){ .c = c, .reason = READ_OTHER, .unrecorded = true };
	c->env_view = &c->views[READ_OTHER];
	if (!ps || (ps & (ps - 1)) || ps < 512 || ps > (1u << 20))
		return sf_err_set(err, SF_EINVAL, "kmem: page size %u is not a power of two between 512 and 1 MiB", ps);
	c->page_shift = (unsigned)__builtin_ctz(ps);
	c->arch = arch;
	c->vi = vi;
	c->warnings = warnings;
	c->env = (struct arch_env){
		.info = &c->info,
		.warnings = warnings,
		.have_vmcoreinfo = vi != NULL,
		.ctx = c,
		.read_table = env_read_table,
		.read_virt = env_read_virt,
		.page_state = env_page_state,
		.vmcoreinfo = env_vmcoreinfo,
	};
	if (!arch)
		return 0;
	rc = arch->init(&c->env, err);
	if (rc < 0)
		return sf_err_prefix(err, "%s address translation", arch->name);
	c->arch_ready = true;
	memset(c->tlb, 0, sizeof(c->tlb));
	return 0;
}

static void kmem_core_destroy(struct kmem_core *c)
{
	if (!c)
		return;
	if (c->arch && c->arch->release)
		c->arch->release(&c->env);	/* release must cope with a partly initialized priv */
	free(c);
}

int kmem_create(struct dump *dump, const struct arch_ops *arch, const struct vmcoreinfo *vi,
		struct warnlist *warnings, struct read_recorder *rec, struct kmem **ret, struct sf_err *err)
{
	struct kmem_core *c;
	int rc;

	*ret = NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return sf_err_set(err, SF_ENOMEM, "kmem: out of memory");
	c->dump = dump;
	c->info = *dump_get_info(dump);
	c->rec = rec;
	rc = kmem_init_common(c, arch, vi, warnings, err);
	if (rc < 0) {
		kmem_core_destroy(c);
		return rc;
	}
	*ret = &c->views[READ_OTHER];
	return 0;
}

int kmem_create_raw(const struct kmem_phys_ops *ops, void *ctx, const struct dump_info *info,
		    const struct arch_ops *arch, const struct vmcoreinfo *vi, struct warnlist *warnings,
		    struct kmem **ret, struct sf_err *err)
{
	struct kmem_core *c;
	int rc;

	*ret = NULL;
	if (!ops || !ops->read_phys || !info)
		return sf_err_set(err, SF_EBUG, "kmem: no physical read callback");
	c = calloc(1, sizeof(*c));
	if (!c)
		return sf_err_set(err, SF_ENOMEM, "kmem: out of memory");
	c->ops = ops;
	c->ctx = ctx;
	c->info = *info;
	rc = kmem_init_common(c, arch, vi, warnings, err);
	if (rc < 0) {
		kmem_core_destroy(c);
		return rc;
	}
	*ret = &c->views[READ_OTHER];
	return 0;
}

void kmem_destroy(struct kmem *k)
{
	if (k)
		kmem_core_destroy(k->c);
}

struct dump *kmem_dump(const struct kmem *k) { return k->c->dump; }
const struct dump_info *kmem_dump_info(const struct kmem *k) { return &k->c->info; }
const struct arch_ops *kmem_arch(const struct kmem *k) { return k->c->arch; }
const struct vmcoreinfo *kmem_vmcoreinfo(const struct kmem *k) { return k->c->vi; }
struct warnlist *kmem_warnings(const struct kmem *k) { return k->c->warnings; }
uint32_t kmem_page_size(const struct kmem *k) { return k->c->info.page_size; }
bool kmem_big_endian(const struct kmem *k) { return k->c->info.big_endian; }
struct arch_env *kmem_arch_env(struct kmem *k) { return &k->c->env; }

/* ---- views ---- */

struct kmem *kmem_as(struct kmem *k, enum read_reason r)
{
	if (k->discovery || k->unrecorded || (unsigned)r >= READ_REASON_MAX)
		return k;	/* a search stays a search, a probe stays unrecorded */
	return &k->c->views[r];
}

struct kmem *kmem_discovery(struct kmem *k)
{
	return k->unrecorded ? k : &k->c->discovery_view;
}

struct kmem *kmem_unrecorded(struct kmem *k)
{
	return &k->c->probe_view;
}

/* What a read through view k of bytes chunks of pfn for reason adds to the record. */
static void record(const struct kmem *k, uint64_t pfn, enum read_reason reason, uint64_t chunks)
{
	if (!k->c->rec || k->unrecorded)
		return;
	if (k->discovery && reason != READ_PGTABLE)
		reason = READ_DISCOVERY;
	read_recorder_add(k->c->rec, pfn, reason, chunks);
}

void kmem_record_pfn(struct kmem *k, uint64_t pfn)
{
	record(k, pfn, k->reason, ~0ull);
}

enum page_state kmem_phys_page_state(struct kmem *k, uint64_t pfn)
{
	if (k->c->dump)
		return dump_page_state(k->c->dump, pfn);
	if (k->c->ops->page_state)
		return k->c->ops->page_state(k->c->ctx, pfn);
	return pfn < k->c->info.max_pfn ? PAGE_PRESENT : PAGE_NOT_IN_MEMORY;
}

/* ---- translation ---- */

/* The architecture works for view k until arch_done(): its reads are k's (see env_view). */
static struct kmem *arch_for(struct kmem *k)
{
	struct kmem *was = k->c->env_view;

	k->c->env_view = k;
	return was;
}

static void arch_done(struct kmem *k, struct kmem *was)
{
	k->c->env_view = was;
}

int kmem_vtop(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	struct kmem_core *c = k->c;
	uint64_t vpn = vaddr >> c->page_shift;
	struct tlb_entry *e = &(k->unrecorded ? c->probe_tlb : c->tlb)[vpn % TLB_SIZE];
	struct kmem *was;
	uint64_t pa;
	int rc;

	/* arch->init may translate as soon as it has set its state (before arch_ready). */
	if (!c->arch || !c->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "0x%" PRIx64 ": no address translation set up", vaddr);
	if (e->vpage == vpn + 1) {
		*paddr = e->ppage << c->page_shift | (vaddr & (c->info.page_size - 1));
		return 0;
	}
	was = arch_for(k);
	rc = c->arch->vtop(&c->env, vaddr, &pa, err);
	arch_done(k, was);
	if (rc < 0)
		return rc;
	e->vpage = vpn + 1;
	e->ppage = pa >> c->page_shift;
	*paddr = pa;
	return 0;
}

void kmem_use_symbols(struct kmem *k, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx)
{
	struct kmem *was;

	if (!k->c->arch_ready || !k->c->arch->use_symbols)
		return;
	was = arch_for(k);
	k->c->arch->use_symbols(&k->c->env, lookup, ctx);
	arch_done(k, was);
	memset(k->c->tlb, 0, sizeof(k->c->tlb));
	memset(k->c->probe_tlb, 0, sizeof(k->c->probe_tlb));
}

int kmem_vtop_tables(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	struct kmem *was;
	int rc;

	if (!k->c->arch || !k->c->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "0x%" PRIx64 ": no address translation set up", vaddr);
	was = arch_for(k);
	if (!k->c->arch->vtop_tables)
		rc = k->c->arch->vtop(&k->c->env, vaddr, paddr, err);
	else
		rc = k->c->arch->vtop_tables(&k->c->env, vaddr, paddr, err);
	arch_done(k, was);
	return rc;
}

int kmem_ptov(struct kmem *k, uint64_t paddr, uint64_t *vaddr, struct sf_err *err)
{
	struct kmem *was;
	int rc;

	if (!k->c->arch || !k->c->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "phys 0x%" PRIx64 ": no address translation set up", paddr);
	was = arch_for(k);
	rc = k->c->arch->ptov(&k->c->env, paddr, vaddr, err);
	arch_done(k, was);
	return rc;
}

/* ---- physical reads ---- */

/*
 * Reads len bytes within one page; on failure the message names the pfn and
 * why its data is not there.
 */
static int read_phys_page(struct kmem *k, uint64_t paddr, void *buf, size_t len, enum read_reason reason,
			  struct sf_err *err)
{
	uint64_t pfn = paddr >> k->c->page_shift;
	enum page_state st;
	int rc;

	/* recorded before the read, failed reads too, with the bytes asked for: mini.core may drop the rest */
	record(k, pfn, reason, read_chunk_mask(k->c->info.page_size, (size_t)(paddr & (k->c->info.page_size - 1)), len));
	if (k->c->dump)
		rc = dump_read_phys(k->c->dump, paddr, buf, len, err);
	else
		rc = k->c->ops->read_phys(k->c->ctx, paddr, buf, len, err);
	if (rc >= 0)
		return 0;
	st = kmem_phys_page_state(k, pfn);
	switch (st) {
	case PAGE_EXCLUDED:
		return sf_err_set(err, -rc, "pfn 0x%" PRIx64 " excluded from the dump", pfn);
	case PAGE_NOT_IN_MEMORY:
		return sf_err_set(err, -rc, "pfn 0x%" PRIx64 " is not in the dump (no RAM there)", pfn);
	case PAGE_MISSING:
		return sf_err_prefix(err, "pfn 0x%" PRIx64 " missing from the dump file", pfn);
	default:
		return sf_err_prefix(err, "pfn 0x%" PRIx64, pfn);
	}
}

int kmem_read_phys(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return read_phys_view(k, paddr, buf, len, what, k->reason, err);
}

static int read_phys_view(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what,
			  enum read_reason reason, struct sf_err *err)
{
	uint8_t *out = buf;
	uint64_t end, pa = paddr;
	uint32_t ps = k->c->info.page_size;

	if (!what)
		what = "memory";

	if (add_overflows_u64(paddr, len, &end))
		return sf_err_set(err, SF_ERANGE, "%s at phys 0x%" PRIx64 ": %zu bytes wrap around the address space",
				  what, paddr, len);
	while (len) {
		size_t off = (size_t)(pa & (ps - 1));
		size_t chunk = ps - off < len ? ps - off : len;
		int rc = read_phys_page(k, pa, out, chunk, reason, err);

		if (rc < 0)
			return sf_err_prefix(err, "%s at phys 0x%" PRIx64, what, pa);
		out += chunk;
		pa += chunk;
		len -= chunk;
	}
	return 0;
}

/* ---- virtual reads ---- */

static int read_prefix(struct sf_err *err, const char *what, uint64_t vaddr, uint64_t at)
{
	sf_err_address(err, at);	/* the byte that failed, as data beside the message */
	if (at == vaddr)
		return sf_err_prefix(err, "%s at 0x%" PRIx64, what, vaddr);
	return sf_err_prefix(err, "%s at 0x%" PRIx64 " (byte 0x%" PRIx64 ")", what, vaddr, at - vaddr);
}

/*
 * Remote dumps: a read over many pages (BTF, kallsyms tables, stacks) would
 * cost one dependent round trip per page.  The next KMEM_PREFETCH_PAGES pages
 * are translated first and handed to dump_prefetch(), which fetches their
 * bytes in parallel.  The walk translates for the unrecorded view and
 * leaves the TLBs alone, so the real reads still record every page, page
 * tables included, exactly as without it (mini.core is the same); it stops
 * at the first page that does not translate.
 */
#define KMEM_PREFETCH_PAGES 1024
static void prefetch_virt(struct kmem *k, uint64_t va, uint64_t end)
{
	uint64_t pfns[KMEM_PREFETCH_PAGES], pa;	/* 8 KiB */
	size_t n = 0;
	struct kmem *was = arch_for(kmem_unrecorded(k));
	struct sf_err e;

	for (va &= ~(uint64_t)(k->c->info.page_size - 1); va < end && n < KMEM_PREFETCH_PAGES; va += k->c->info.page_size) {
		if (k->c->arch->vtop(&k->c->env, va, &pa, &e) < 0)
			break;
		pfns[n++] = pa >> k->c->page_shift;
	}
	arch_done(k, was);
	dump_prefetch(k->c->dump, pfns, n);
}

void kmem_prefetch(struct kmem *k, uint64_t vaddr, uint64_t len)
{
	uint64_t step = (uint64_t)KMEM_PREFETCH_PAGES * k->c->info.page_size, end;

	if (!k->c->dump || !k->c->arch || !k->c->env.priv || !dump_prefetch_pays(k->c->dump) || add_overflows_u64(vaddr, len, &end))
		return;
	for (uint64_t va = vaddr; va < end; va += step)
		prefetch_virt(k, va, end);
}

int kmem_read(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return read_virt_view(k, vaddr, buf, len, what, k->reason, err);
}

static int read_virt_view(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what,
			  enum read_reason reason, struct sf_err *err)
{
	uint32_t ps = k->c->info.page_size;
	uint8_t *out = buf;
	uint64_t va = vaddr, end, pf_end = 0;
	bool pf = len > ps && k->c->dump && k->c->arch && k->c->env.priv && dump_prefetch_pays(k->c->dump);

	if (!what)
		what = "memory";

	if (len && add_overflows_u64(vaddr, len - 1, &end))
		return sf_err_set(err, SF_ERANGE, "%s at 0x%" PRIx64 ": %zu bytes wrap around the address space",
				  what, vaddr, len);
	while (len) {
		size_t off = (size_t)(va & (ps - 1));
		size_t chunk = ps - off < len ? ps - off : len;
		uint64_t pa;
		int rc;

		if (pf && va >= pf_end) {
			prefetch_virt(k, va, va + len);
			pf_end = (va & ~(uint64_t)(ps - 1)) + (uint64_t)KMEM_PREFETCH_PAGES * ps;
		}
		rc = kmem_vtop(k, va, &pa, err);
		if (rc >= 0)
			rc = read_phys_page(k, pa, out, chunk, reason, err);
		if (rc < 0)
			return read_prefix(err, what, vaddr, va);
		out += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

uint64_t kmem_load(const struct kmem *k, const void *p, size_t size)
{
	return ld_uint(p, size, k->c->info.big_endian);
}

/* A target-endian integer of size 2, 4 or 8 bytes. */
static int read_uint(struct kmem *k, uint64_t vaddr, size_t size, uint64_t *ret, const char *what, struct sf_err *err)
{
	uint8_t b[8];
	int rc = kmem_read(k, vaddr, b, size, what, err);

	if (rc < 0)
		return rc;
	*ret = kmem_load(k, b, size);
	return 0;
}

int kmem_read_u64(struct kmem *k, uint64_t vaddr, uint64_t *ret, const char *what, struct sf_err *err)
{
	return read_uint(k, vaddr, 8, ret, what, err);
}

int kmem_read_u32(struct kmem *k, uint64_t vaddr, uint32_t *ret, const char *what, struct sf_err *err)
{
	uint64_t v;
	int rc = read_uint(k, vaddr, 4, &v, what, err);

	if (rc == 0)
		*ret = (uint32_t)v;
	return rc;
}

int kmem_read_u16(struct kmem *k, uint64_t vaddr, uint16_t *ret, const char *what, struct sf_err *err)
{
	uint64_t v;
	int rc = read_uint(k, vaddr, 2, &v, what, err);

	if (rc == 0)
		*ret = (uint16_t)v;
	return rc;
}

int kmem_read_u8(struct kmem *k, uint64_t vaddr, uint8_t *ret, const char *what, struct sf_err *err)
{
	return kmem_read(k, vaddr, ret, 1, what, err);
}

/* Reads page by page so that a string ending before an unreadable page still reads. */
int kmem_read_str(struct kmem *k, uint64_t vaddr, char *buf, size_t max, const char *what, struct sf_err *err)
{
	uint32_t ps = k->c->info.page_size;
	uint64_t va = vaddr;
	size_t got = 0;

	if (!max)
		return sf_err_set(err, SF_EBUG, "%s at 0x%" PRIx64 ": no room for the string", what, vaddr);
	while (got < max - 1) {
		size_t off = (size_t)(va & (ps - 1));
		size_t chunk = ps - off < max - 1 - got ? ps - off : max - 1 - got;
		int rc;

		if (va < vaddr)
			return sf_err_set(err, SF_ERANGE, "%s at 0x%" PRIx64 ": string wraps around the address space",
					  what, vaddr);
		rc = kmem_read(k, va, buf + got, chunk, what, err);
		if (rc < 0)
			return rc;
		if (memchr(buf + got, '\0', chunk))
			return 0;
		got += chunk;
		va += chunk;
	}
	buf[max - 1] = '\0';
	return 0;
}

enum page_state kmem_vpage_state(struct kmem *k, uint64_t vaddr)
{
	struct sf_err err = { 0 };
	uint64_t pa;

	if (kmem_vtop(k, vaddr, &pa, &err) < 0)
		return PAGE_NOT_IN_MEMORY;
	return kmem_phys_page_state(k, pa >> k->c->page_shift);
}
