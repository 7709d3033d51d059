/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel memory: virtual reads over a dump, through the architecture's
 * address translation.  Every read says what it reads ("sk_buff.head") so
 * that a failed read explains itself:
 *   "sk_buff.head at 0xffff888012345638: page 0x1fc65 excluded from the dump"
 */
#ifndef SKBFILTER_KMEM_H
#define SKBFILTER_KMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/arch.h"
#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/readrec.h"
#include "skbfilter/warn.h"

struct vmcoreinfo;

struct kmem;

/*
 * Creates the translation layer; arch->init runs here.  dump, vi and rec are
 * borrowed; rec (NULL: nothing is recorded) receives every physical read.
 */
int kmem_create(struct dump *dump, const struct arch_ops *arch, const struct vmcoreinfo *vi,
		struct warnlist *warnings, struct read_recorder *rec, struct kmem **ret, struct sf_err *err);
void kmem_destroy(struct kmem *k);

/*
 * Physical memory from something other than a struct dump (generated page
 * tables in unit tests, fuzzers).  read_phys has dump_read_phys()'s contract;
 * page_state may be NULL (then pfns below info->max_pfn are PAGE_PRESENT).
 */
struct kmem_phys_ops {
	int (*read_phys)(void *ctx, uint64_t paddr, void *buf, size_t len, struct sf_err *err);
	enum page_state (*page_state)(void *ctx, uint64_t pfn);
};
/*
 * Like kmem_create() over ops/ctx (borrowed); info (copied) supplies page_size,
 * max_pfn, big_endian and phys_base.  arch may be NULL: no translation, only
 * physical reads (for testing pt_walk() alone).  kmem_dump() returns NULL.
 */
int kmem_create_raw(const struct kmem_phys_ops *ops, void *ctx, const struct dump_info *info,
		    const struct arch_ops *arch, const struct vmcoreinfo *vi, struct warnlist *warnings,
		    struct kmem **ret, struct sf_err *err);

struct dump *kmem_dump(const struct kmem *k);
/* The dump's info (kmem_create_raw: the caller's copy); never NULL. */
const struct dump_info *kmem_dump_info(const struct kmem *k);
const struct arch_ops *kmem_arch(const struct kmem *k);
const struct vmcoreinfo *kmem_vmcoreinfo(const struct kmem *k);
struct warnlist *kmem_warnings(const struct kmem *k);
uint32_t kmem_page_size(const struct kmem *k);
bool kmem_big_endian(const struct kmem *k);
/* The architecture's view of this memory (for calling arch_ops directly); never NULL. */
struct arch_env *kmem_arch_env(struct kmem *k);

/*
 * Lets the architecture check and complete its translation with the kernel's
 * own variables, once symbols are known (arch_ops.use_symbols); flushes the
 * cached translations.
 */
void kmem_use_symbols(struct kmem *k, int (*lookup)(void *ctx, const char *name, uint64_t *addr), void *ctx);
int kmem_vtop(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
/*
 * Translates through the page tables alone (arch vtop_tables; vtop where the
 * arch has none), uncached, so the walk reads and records (READ_PGTABLE)
 * every table page on the way, as other tools' walks read them.
 */
int kmem_vtop_tables(struct kmem *k, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
int kmem_ptov(struct kmem *k, uint64_t paddr, uint64_t *vaddr, struct sf_err *err);

/* Physical read; what names the object for the error message. */
int kmem_read_phys(struct kmem *k, uint64_t paddr, void *buf, size_t len, const char *what, struct sf_err *err);
/*
 * A hint for remote dumps: [vaddr, vaddr + len) will be read soon (a table
 * of known extent: kallsyms).  Its pages are translated and their file bytes
 * fetched in parallel now.  Reads and records nothing; a no-op for local
 * files.  kmem_read() does the same by itself for each read over many pages.
 */
void kmem_prefetch(struct kmem *k, uint64_t vaddr, uint64_t len);

/* Virtual read (may cross pages; each page translated). */
int kmem_read(struct kmem *k, uint64_t vaddr, void *buf, size_t len, const char *what, struct sf_err *err);
/* Target-endian integer reads. */
int kmem_read_u64(struct kmem *k, uint64_t vaddr, uint64_t *ret, const char *what, struct sf_err *err);
int kmem_read_u32(struct kmem *k, uint64_t vaddr, uint32_t *ret, const char *what, struct sf_err *err);
int kmem_read_u16(struct kmem *k, uint64_t vaddr, uint16_t *ret, const char *what, struct sf_err *err);
int kmem_read_u8(struct kmem *k, uint64_t vaddr, uint8_t *ret, const char *what, struct sf_err *err);
/* Reads a NUL-terminated string of at most max-1 bytes. */
int kmem_read_str(struct kmem *k, uint64_t vaddr, char *buf, size_t max, const char *what, struct sf_err *err);
/* Decodes a target-endian integer of size 1, 2, 4 or 8 from a buffer. */
uint64_t kmem_load(const struct kmem *k, const void *p, size_t size);

/* The page state of the page holding vaddr (translation errors -> PAGE_NOT_IN_MEMORY). */
enum page_state kmem_vpage_state(struct kmem *k, uint64_t vaddr);

/* The state of physical page pfn without reading it (no decompression, not recorded). */
enum page_state kmem_phys_page_state(struct kmem *k, uint64_t pfn);

/*
 * Views.  A struct kmem is a view of the one memory: what it reads is
 * recorded (readrec.h) with the view's reason; page tables its translations
 * read are READ_PGTABLE whatever the view.  kmem_create() returns the
 * READ_OTHER view; kmem_destroy() of any view destroys the memory and all its
 * views.  Views cost nothing and need no release, so a reader says why it
 * reads by the view it reads through, and no stage sets another's mode:
 *   kmem_read(kmem_as(km, READ_TASK), task + off, buf, n, "task_struct.pid", err);
 * kmem_as() of a discovery or unrecorded view returns that view (a search
 * stays a search, a probe stays unrecorded).
 */
struct kmem *kmem_as(struct kmem *k, enum read_reason r);
/*
 * Searches whose result mini.core's kernel note carries: reads are recorded
 * as READ_DISCOVERY (page tables stay READ_PGTABLE: later translations may
 * come from the cache), so that their pages can be left out.
 */
struct kmem *kmem_discovery(struct kmem *k);
/*
 * Probes whose wrong candidates must stay out of mini.core: nothing is
 * recorded, and its translations neither use nor fill the recorded views'
 * cache, so a later recorded read still records its page tables.
 */
struct kmem *kmem_unrecorded(struct kmem *k);
/* Records pfn, whole, with k's reason, without reading it (a frag page known to be excluded, bulk reads). */
void kmem_record_pfn(struct kmem *k, uint64_t pfn);

#endif
