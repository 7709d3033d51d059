// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel memory: virtual reads over physical memory, through the
 * architecture's translation.
 *
 * Physical memory is a struct dump (kmem_create) or a caller's callback
 * (kmem_create_raw, for generated page tables).  Virtual reads go page by
 * page; each virtual page is translated once and remembered in a small
 * direct-mapped cache (page tables in a dump never change, so the cache never
 * needs invalidating -- it is only flushed after arch init).
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

struct kmem {
	struct dump *dump;			/* NULL for kmem_create_raw */
	const struct kmem_phys_ops *ops;	/* raw only */
	void *ctx;				/* raw only */
	struct dump_info info;
	const struct arch_ops *arch;
	const struct vmcoreinfo *vi;
	struct warnlist *warnings;
	struct arch_env env;			/* what the architecture sees: facts and the callbacks below */
	bool arch_ready;			/* arch->init succeeded: release on destroy */
	enum keep_reason reason;		/* raw only: the current reason */
	unsigned page_shift;
	struct tlb_entry tlb[TLB_SIZE];
};

/* ---- struct arch_env: the architecture's view of the dump ---- */

/*
 * The reason a read is recorded with: a keep_reason carried with the read,
 * or READ_CURRENT for the dump's current one (dump_set_reason()).
 */
#define READ_CURRENT (-1)
static int read_phys_as(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what, int reason,
			struct sf_err *err);
static int read_virt_as(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what, int reason,
			struct sf_err *err);

/*
 * Page-table reads are recorded as such (KEEP_PGTABLE), whatever the reader's
 * reason: the reason goes with the read, nothing is toggled.  The
 * translation of a table=true virtual read reads its own tables through
 * env_read_table(), so the whole read is KEEP_PGTABLE as before.
 */
static int env_read_table(void *ctx, uint64_t paddr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return read_phys_as(ctx, paddr, buf, len, what, KEEP_PGTABLE, err);
}

static int env_read_virt(void *ctx, uint64_t vaddr, void *buf, size_t len, bool table, const char *what,
			 struct sf_err *err)
{
	return read_virt_as(ctx, vaddr, buf, len, what, table ? KEEP_PGTABLE : READ_CURRENT, err);
}

static enum page_state env_page_state(void *ctx, uint64_t pfn)
{
	return kmem_phys_page_state(ctx, pfn);
}

static int env_vmcoreinfo(void *ctx, enum arch_vmci kind, const char *name, uint64_t *ret, struct sf_err *err)
{
	const struct vmcoreinfo *vi = ((struct kmem *)ctx)->vi;

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

static int kmem_init_common(struct kmem *k, const struct arch_ops *arch, const struct vmcoreinfo *vi,
			    struct warnlist *warnings, struct sf_err *err)
{
	uint32_t ps = k->info.page_size;
	int rc;

	if (!ps || (ps & (ps - 1)) || ps < 512 || ps > (1u << 20))
		return sf_err_set(err, SF_EINVAL, "kmem: page size %u is not a power of two between 512 and 1 MiB", ps);
	k->page_shift = (unsigned)__builtin_ctz(ps);
	k->arch = arch;
	k->vi = vi;
	k->warnings = warnings;
	k->env = (struct arch_env){
		.info = &k->info,
		.warnings = warnings,
		.have_vmcoreinfo = vi != NULL,
		.ctx = k,
		.read_table = env_read_table,
		.read_virt = env_read_virt,
		.page_state = env_page_state,
		.vmcoreinfo = env_vmcoreinfo,
	};
	if (!arch)
		return 0;
	rc = arch->init(&k->env, err);
	if (rc < 0)
		return sf_err_prefix(err, "%s address translation", arch->name);
	k->arch_ready = true;
	memset(k->tlb, 0, sizeof(k->tlb));
	return 0;
}

int kmem_create(struct dump *dump, const struct arch_ops *arch, const struct vmcoreinfo *vi,
		struct warnlist *warnings, struct kmem **ret, struct sf_err *err)
{
	struct kmem *k;
	int rc;

	*ret = NULL;
	k = calloc(1, sizeof(*k));
	if (!k)
		return sf_err_set(err, SF_ENOMEM, "kmem: out of memory");
	k->dump = dump;
	k->info = *dump_get_info(dump);
	rc = kmem_init_common(k, arch, vi, warnings, err);
	if (rc < 0) {
		kmem_destroy(k);
		return rc;
	}
	*ret = k;
	return 0;
}

int kmem_create_raw(const struct kmem_phys_ops *ops, void *ctx, const struct dump_info *info,
		    const struct arch_ops *arch, const struct vmcoreinfo *vi, struct warnlist *warnings,
		    struct kmem **ret, struct sf_err *err)
{
	struct kmem *k;
	int rc;

	*ret = NULL;
	if (!ops || !ops->read_phys || !info)
		return sf_err_set(err, SF_EBUG, "kmem: no physical read callback");
	k = calloc(1, sizeof(*k));
	if (!k)
		return sf_err_set(err, SF_ENOMEM, "kmem: out of memory");
	k->ops = ops;
	k->ctx = ctx;
	k->info = *info;
	rc = kmem_init_common(k, arch, vi, warnings, err);
	if (rc < 0) {
		kmem_destroy(k);
		return rc;
	}
	*ret = k;
	return 0;
}

void kmem_destroy(struct kmem *k)
{
	if (!k)
		return;
	if (k->arch && k->arch->release)
		k->arch->release(&k->env);	/* release must cope with a partly initialized priv */
	free(k);
}

struct dump *kmem_dump(const struct kmem *k) { return k->dump; }
const struct dump_info *kmem_dump_info(const struct kmem *k) { return &k->info; }
const struct arch_ops *kmem_arch(const struct kmem *k) { return k->arch; }
const struct vmcoreinfo *kmem_vmcoreinfo(const struct kmem *k) { return k->vi; }
struct warnlist *kmem_warnings(const struct kmem *k) { return k->warnings; }
uint32_t kmem_page_size(const struct kmem *k) { return k->info.page_size; }
bool kmem_big_endian(const struct kmem *k) { return k->info.big_endian; }
struct arch_env *kmem_arch_env(struct kmem *k) { return &k->env; }

enum keep_reason kmem_set_reason(struct kmem *k, enum keep_reason r)
{
	enum keep_reason old;

	if (k->dump)
		return dump_set_reason(k->dump, r);
	old = k->reason;
	k->reason = r;
	return old;
}

enum page_state kmem_phys_page_state(struct kmem *k, uint64_t pfn)
{
	if (k->dump)
		return dump_page_state(k->dump, pfn);
	if (k->ops->page_state)
		return k->ops->page_state(k->ctx, pfn);
	return pfn < k->info.max_pfn ? PAGE_PRESENT : PAGE_NOT_IN_MEMORY;
}

/* ---- translation ---- */

int kmem_vtop(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	uint64_t vpn = vaddr >> k->page_shift;
	struct tlb_entry *e = &k->tlb[vpn % TLB_SIZE];
	uint64_t pa;
	int rc;

	/* arch->init may translate as soon as it has set its state (before arch_ready). */
	if (!k->arch || !k->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "0x%" PRIx64 ": no address translation set up", vaddr);
	if (e->vpage == vpn + 1) {
		*paddr = e->ppage << k->page_shift | (vaddr & (k->info.page_size - 1));
		return 0;
	}
	rc = k->arch->vtop(&k->env, vaddr, &pa, err);
	if (rc < 0)
		return rc;
	e->vpage = vpn + 1;
	e->ppage = pa >> k->page_shift;
	*paddr = pa;
	return 0;
}

void kmem_use_symbols(struct kmem *k, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx)
{
	if (!k->arch_ready || !k->arch->use_symbols)
		return;
	k->arch->use_symbols(&k->env, lookup, ctx);
	memset(k->tlb, 0, sizeof(k->tlb));
}

int kmem_vtop_tables(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err)
{
	if (!k->arch || !k->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "0x%" PRIx64 ": no address translation set up", vaddr);
	if (!k->arch->vtop_tables)
		return k->arch->vtop(&k->env, vaddr, paddr, err);
	return k->arch->vtop_tables(&k->env, vaddr, paddr, err);
}

void kmem_flush_tlb(struct kmem *k)
{
	memset(k->tlb, 0, sizeof(k->tlb));
}

void kmem_probe_begin(struct kmem *k, struct kmem_probe *p)
{
	p->was_recording = k->dump && dump_recording(k->dump);
	if (p->was_recording)
		dump_record(k->dump, false);
}

void kmem_probe_end(struct kmem *k, struct kmem_probe *p)
{
	if (!p->was_recording)
		return;
	dump_record(k->dump, true);
	kmem_flush_tlb(k);	/* the probes' translations read page tables unrecorded */
}

int kmem_ptov(struct kmem *k, uint64_t paddr, uint64_t *vaddr, struct sf_err *err)
{
	if (!k->arch || !k->env.priv)
		return sf_err_set(err, SF_ENOTSUP, "phys 0x%" PRIx64 ": no address translation set up", paddr);
	return k->arch->ptov(&k->env, paddr, vaddr, err);
}

/* ---- physical reads ---- */

/*
 * Reads len bytes within one page; on failure the message names the pfn and
 * why its data is not there.
 */
static int read_phys_page(struct kmem *k, uint64_t paddr, void *buf, size_t len, int reason, struct sf_err *err)
{
	uint64_t pfn = paddr >> k->page_shift;
	enum page_state st;
	int rc;

	if (k->dump && reason != READ_CURRENT)
		rc = dump_read_phys_as(k->dump, paddr, buf, len, (enum keep_reason)reason, err);
	else if (k->dump)
		rc = dump_read_phys(k->dump, paddr, buf, len, err);
	else	/* raw: nothing is recorded */
		rc = k->ops->read_phys(k->ctx, paddr, buf, len, err);
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
	return read_phys_as(k, paddr, buf, len, what, READ_CURRENT, err);
}

static int read_phys_as(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what, int reason,
			struct sf_err *err)
{
	uint8_t *out = buf;
	uint64_t end, pa = paddr;
	uint32_t ps = k->info.page_size;

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
 * bytes in parallel.  The walk suspends recording and leaves the TLB alone,
 * so the real reads still record every page, page tables included, exactly
 * as without it (mini.core is the same); it stops at the first page that
 * does not translate.
 */
#define KMEM_PREFETCH_PAGES 1024
static void prefetch_virt(struct kmem *k, uint64_t va, uint64_t end)
{
	uint64_t pfns[KMEM_PREFETCH_PAGES], pa;	/* 8 KiB */
	size_t n = 0;
	bool was = dump_recording(k->dump);
	struct sf_err e;

	dump_record(k->dump, false);
	for (va &= ~(uint64_t)(k->info.page_size - 1); va < end && n < KMEM_PREFETCH_PAGES; va += k->info.page_size) {
		if (k->arch->vtop(&k->env, va, &pa, &e) < 0)
			break;
		pfns[n++] = pa >> k->page_shift;
	}
	dump_record(k->dump, was);
	dump_prefetch(k->dump, pfns, n);
}

void kmem_prefetch(struct kmem *k, uint64_t vaddr, uint64_t len)
{
	uint64_t step = (uint64_t)KMEM_PREFETCH_PAGES * k->info.page_size, end;

	if (!k->dump || !k->arch || !k->env.priv || !dump_prefetch_pays(k->dump) || add_overflows_u64(vaddr, len, &end))
		return;
	for (uint64_t va = vaddr; va < end; va += step)
		prefetch_virt(k, va, end);
}

int kmem_read(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return read_virt_as(k, vaddr, buf, len, what, READ_CURRENT, err);
}

int kmem_read_as(struct kmem *k, uint64_t vaddr, void *buf, size_t len, enum keep_reason reason, const char *what,
		 struct sf_err *err)
{
	return read_virt_as(k, vaddr, buf, len, what, (int)reason, err);
}

static int read_virt_as(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what, int reason,
			struct sf_err *err)
{
	uint32_t ps = k->info.page_size;
	uint8_t *out = buf;
	uint64_t va = vaddr, end, pf_end = 0;
	bool pf = len > ps && k->dump && k->arch && k->env.priv && dump_prefetch_pays(k->dump);

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
	return ld_uint(p, size, k->info.big_endian);
}

int kmem_read_u64(struct kmem *k, uint64_t vaddr, uint64_t *ret, const char *what, struct sf_err *err)
{
	uint8_t b[8];
	int rc = kmem_read(k, vaddr, b, sizeof(b), what, err);

	if (rc < 0)
		return rc;
	*ret = kmem_load(k, b, sizeof(b));
	return 0;
}

int kmem_read_u32(struct kmem *k, uint64_t vaddr, uint32_t *ret, const char *what, struct sf_err *err)
{
	uint8_t b[4];
	int rc = kmem_read(k, vaddr, b, sizeof(b), what, err);

	if (rc < 0)
		return rc;
	*ret = (uint32_t)kmem_load(k, b, sizeof(b));
	return 0;
}

int kmem_read_u16(struct kmem *k, uint64_t vaddr, uint16_t *ret, const char *what, struct sf_err *err)
{
	uint8_t b[2];
	int rc = kmem_read(k, vaddr, b, sizeof(b), what, err);

	if (rc < 0)
		return rc;
	*ret = (uint16_t)kmem_load(k, b, sizeof(b));
	return 0;
}

int kmem_read_u8(struct kmem *k, uint64_t vaddr, uint8_t *ret, const char *what, struct sf_err *err)
{
	return kmem_read(k, vaddr, ret, 1, what, err);
}

/* Reads page by page so that a string ending before an unreadable page still reads. */
int kmem_read_str(struct kmem *k, uint64_t vaddr, char *buf, size_t max, const char *what, struct sf_err *err)
{
	uint32_t ps = k->info.page_size;
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
	return kmem_phys_page_state(k, pa >> k->page_shift);
}
