// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Format-independent part of the dump layer: probing, the bounded page cache
 * and the ELF note area shared by the ELF and kdump readers.  (Which pages
 * the analysis read is recorded above, by kmem: readrec.h.)
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "format.h"

static const struct dump_format *const dump_formats[] = {
	&dump_format_kdump,
	&dump_format_elf,
};

const char *page_state_name(enum page_state st)
{
	switch (st) {
	case PAGE_PRESENT: return "present";
	case PAGE_ZERO: return "zero";
	case PAGE_EXCLUDED: return "excluded";
	case PAGE_MISSING: return "missing";
	case PAGE_NOT_IN_MEMORY: return "not in memory";
	}
	return "?";
}

/* ---- page cache: set-associative, 4 ways, LRU by age within a set ---- */

#define CACHE_WAYS 4

struct cache_slot {
	uint64_t pfn;
	uint64_t age;
	bool valid;
	enum page_state state;
};

struct page_cache {
	size_t nsets;
	uint64_t clock;
	struct cache_slot *slots;	/* nsets * CACHE_WAYS */
	uint8_t *data;			/* nsets * CACHE_WAYS * page_size */
};

static size_t cache_set_of(const struct page_cache *c, uint64_t pfn)
{
	uint64_t h = pfn * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 32) % c->nsets;
}

static int cache_create(size_t pages, uint32_t page_size, struct page_cache **ret, struct sf_err *err)
{
	struct page_cache *c = calloc(1, sizeof(*c));

	if (pages < CACHE_WAYS)
		pages = CACHE_WAYS;
	if (!c)
		return sf_err_set(err, SF_ENOMEM, "page cache: out of memory");
	c->nsets = pages / CACHE_WAYS;
	c->slots = calloc(c->nsets * CACHE_WAYS, sizeof(*c->slots));
	c->data = malloc(c->nsets * CACHE_WAYS * (size_t)page_size);
	if (!c->slots || !c->data) {
		free(c->slots);
		free(c->data);
		free(c);
		return sf_err_set(err, SF_ENOMEM, "page cache: out of memory for %zu pages", pages);
	}
	*ret = c;
	return 0;
}

static void cache_destroy(struct page_cache *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c->data);
	free(c);
}

/* ---- open / close ---- */

int dump_open(const char *const *paths, int npaths, const struct dump_open_opts *opts,
	      struct dump **ret, struct sf_err *err)
{
	struct source_opts sopts = { .tmpdir = opts ? opts->tmpdir : NULL, .warnings = opts ? opts->warnings : NULL,
				     .net = opts ? opts->net : NULL };
	struct source *srcs[DUMP_MAX_FILES];
	int rc;

	*ret = NULL;
	if (npaths < 1 || npaths > DUMP_MAX_FILES)
		return sf_err_set(err, SF_EINVAL, "between 1 and %d dump files can be given, not %d",
				  DUMP_MAX_FILES, npaths);
	for (int i = 0; i < npaths; i++) {
		rc = source_open(paths[i], &sopts, &srcs[i], err);
		if (rc < 0) {
			while (i--)
				source_destroy(srcs[i]);
			return rc;
		}
	}
	return dump_open_source(srcs, npaths, opts, ret, err);
}

int dump_open_source(struct source *const *srcs, int nsrc, const struct dump_open_opts *opts,
		     struct dump **ret, struct sf_err *err)
{
	uint8_t head[DUMP_PROBE_BYTES];
	size_t headlen;
	struct dump *d;
	int rc;

	*ret = NULL;
	if (nsrc < 1 || nsrc > DUMP_MAX_FILES) {
		for (int i = 0; i < nsrc && i < DUMP_MAX_FILES; i++)
			source_destroy(srcs[i]);
		return sf_err_set(err, SF_EINVAL, "between 1 and %d dump files can be given, not %d",
				  DUMP_MAX_FILES, nsrc);
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		for (int i = 0; i < nsrc; i++)
			source_destroy(srcs[i]);
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	}
	for (int i = 0; i < nsrc; i++)
		d->srcs[i] = srcs[i];
	d->nsrc = nsrc;
	d->warnings = opts ? opts->warnings : NULL;
	d->info.dump_level = -1;
	headlen = source_size(d->srcs[0]) < sizeof(head) ? (size_t)source_size(d->srcs[0]) : sizeof(head);
	rc = source_read(d->srcs[0], 0, head, headlen, "file header", err);
	if (rc < 0)
		goto fail;
	for (size_t i = 0; i < sizeof(dump_formats) / sizeof(dump_formats[0]); i++) {
		if (dump_formats[i]->probe(head, headlen)) {
			d->fmt = dump_formats[i];
			break;
		}
	}
	if (!d->fmt) {
		/* a support upload is often vmcore.tar.gz: the gzip layer is read, the tar is not */
		bool tar = headlen >= 262 && !memcmp(head + 257, "ustar", 5);

		rc = sf_err_set(err, SF_ENOTSUP, "%s: offset 0: unknown dump format (not ELF, kdump-compressed or flattened, "
				"nor a gzip/xz/zstd/bzip2 file of one)%s", source_name(d->srcs[0]),
				!headlen ? "; the file is empty" : tar ? "; it is a tar archive: extract the vmcore from it first"
				: "; is this the crash dump (e.g. /var/crash/*/vmcore or dump.*)?");
		goto fail;
	}
	d->info.format = d->fmt->name;
	d->info.flattened = source_was_flattened(d->srcs[0]);
	d->info.nfiles = nsrc;
	rc = d->fmt->open(d, d->srcs, d->nsrc, err);
	if (rc < 0) {
		d->fmt = NULL;	/* open cleaned up after itself */
		goto fail;
	}
	if (!d->info.page_size || (d->info.page_size & (d->info.page_size - 1)) || d->info.page_size > (1u << 20)) {
		rc = sf_err_set(err, SF_ECORRUPT, "%s: page size %u is not a power of two up to 1 MiB",
				source_name(d->srcs[0]), d->info.page_size);
		goto fail;
	}
	rc = cache_create(opts && opts->cache_pages ? opts->cache_pages : 1024, d->info.page_size, &d->cache, err);
	if (rc < 0)
		goto fail;
	d->scratch = malloc(d->info.page_size);
	if (!d->scratch) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto fail;
	}
	*ret = d;
	return 0;
fail:
	dump_close(d);
	return rc;
}

void dump_close(struct dump *d)
{
	if (!d)
		return;
	if (d->fmt && d->fmt->close)
		d->fmt->close(d);
	for (int i = 0; i < d->nsrc; i++)
		source_destroy(d->srcs[i]);
	cache_destroy(d->cache);
	free(d->note_area);
	free(d->notes);
	free(d->vmcoreinfo);
	free(d->eraseinfo);
	erase_set_release(&d->erased);
	free(d->scratch);
	free(d->packed);
	free(d->packed_len);
	for (int t = 0; t < DUMP_MAX_THREADS; t++)
		decomp_destroy(d->dc[t]);
	free(d);
}

const struct dump_info *dump_get_info(const struct dump *d)
{
	return &d->info;
}

const char *dump_name(const struct dump *d)
{
	return source_name(d->srcs[0]);
}

struct warnlist *dump_warnings(struct dump *d)
{
	return d->warnings;
}

/* ---- page reads ---- */

static int read_page_cached(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err);

int dump_read_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	return read_page_cached(d, pfn, buf, state, err);
}

static int read_page_cached(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	struct page_cache *c = d->cache;
	size_t set = cache_set_of(c, pfn);
	struct cache_slot *ways = &c->slots[set * CACHE_WAYS];
	size_t victim = 0;
	int rc;

	for (size_t w = 0; w < CACHE_WAYS; w++) {
		if (ways[w].valid && ways[w].pfn == pfn) {
			ways[w].age = ++c->clock;
			memcpy(buf, c->data + (set * CACHE_WAYS + w) * (size_t)d->info.page_size, d->info.page_size);
			*state = ways[w].state;
			return 0;
		}
		if (!ways[w].valid || ways[w].age < ways[victim].age)
			victim = w;
		if (!ways[w].valid)
			break;
	}
	*state = PAGE_MISSING;
	rc = d->fmt->read_page(d, pfn, buf, state, err);
	if (rc < 0)
		return rc;
	ways[victim] = (struct cache_slot){ .pfn = pfn, .age = ++c->clock, .valid = true, .state = *state };
	memcpy(c->data + (set * CACHE_WAYS + victim) * (size_t)d->info.page_size, buf, d->info.page_size);
	return 0;
}

/* Puts a page just read into the cache (the LRU way of its set), unless it is there already. */
static void cache_put(struct dump *d, uint64_t pfn, const void *buf, enum page_state state)
{
	struct page_cache *c = d->cache;
	size_t set = cache_set_of(c, pfn), victim = 0;
	struct cache_slot *ways = &c->slots[set * CACHE_WAYS];

	for (size_t w = 0; w < CACHE_WAYS; w++) {
		if (ways[w].valid && ways[w].pfn == pfn)
			return;
		if (!ways[w].valid || ways[w].age < ways[victim].age)
			victim = w;
		if (!ways[w].valid)
			break;
	}
	ways[victim] = (struct cache_slot){ .pfn = pfn, .age = ++c->clock, .valid = true, .state = state };
	memcpy(c->data + (set * CACHE_WAYS + victim) * (size_t)d->info.page_size, buf, d->info.page_size);
}

int dump_read_page_stored(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, uint8_t *stored,
			  size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err)
{
	int rc;

	*stored_len = 0;
	*stored_flags = 0;
	*state = PAGE_MISSING;
	if (!d->fmt->read_page_stored)
		return sf_err_set(err, SF_ENOTSUP, "%s: pages are not stored compressed", dump_name(d));
	rc = d->fmt->read_page_stored(d, pfn, buf, state, stored, cap, stored_len, stored_flags, err);
	if (rc == 0)
		cache_put(d, pfn, buf, *state);
	return rc;
}

/* ---- bulk reads: decompression on several threads ---- */

#define DUMP_THREAD_MIN_PAGES 16	/* zlib/zstd pages in a batch below which one thread does it all */

struct unpack_share {
	struct dump *d;
	const enum codec *codecs;
	uint8_t *bufs;
	int *rcs;			/* in: 0 = packed bytes read; out: decompression result */
	size_t n;
	int t, nthreads;
};

/* Decompresses pages t, t + nthreads, ...: touches only its own pages and its own decompressor. */
static void *unpack_share_run(void *arg)
{
	struct unpack_share *u = arg;
	struct dump *d = u->d;
	size_t ps = d->info.page_size;

	for (size_t i = (size_t)u->t; i < u->n; i += (size_t)u->nthreads) {
		struct sf_err e = { 0 };

		if (u->rcs[i] < 0 || u->codecs[i] == CODEC_RAW)
			continue;
		u->rcs[i] = decompress_page(d->dc[u->t], u->codecs[i], d->packed + i * ps, d->packed_len[i],
					    u->bufs + i * ps, ps, &e);
	}
	return NULL;
}

/*
 * A read that touches bytes the mini.core erased is refused: they are 'X'
 * in the file, and reading them as data would show a value that was never
 * in memory.  The message says which bytes and why.
 */
static int refuse_erased(const struct dump *d, uint64_t paddr, size_t len, struct sf_err *err)
{
	const struct erase_range *r = erase_set_find(&d->erased, paddr, len);
	char rs[64];

	if (!r)
		return 0;
	return sf_err_set(err, SF_ENODATA, "phys 0x%" PRIx64 "-0x%" PRIx64 " erased when this mini.core was written "
			  "(%s; stored as 'X'): missing, not data", r->start, r->start + r->len,
			  erase_reasons_str(r->reasons, rs, sizeof(rs)));
}

/*
 * The erase note is there but cannot be read (damaged): which bytes are
 * poison is unknown, so a read touching a 64th of the page that is all 'X'
 * is refused.  Real memory rarely holds 64 'X' in a row; a wrong refusal
 * costs a warning, a wrong acceptance a value that was never in memory.
 */
static int refuse_poison(const struct dump *d, const uint8_t *page, uint64_t paddr, size_t len, struct sf_err *err)
{
	uint32_t psz = d->info.page_size, csz = psz / 64 ? psz / 64 : 1;
	size_t off = (size_t)(paddr % psz);

	for (size_t c = off / csz * csz; c < off + len && c < psz; c += csz) {
		size_t i = 0;

		while (i < csz && c + i < psz && page[c + i] == ERASE_POISON)
			i++;
		if (i == csz) {
			return sf_err_set(err, SF_ENODATA, "phys 0x%" PRIx64 ": a 64th of the page that is all 'X' in a "
					  "mini.core whose erase note is damaged: taken as erased, missing, not data",
					  paddr - off + c);
		}
	}
	return 0;
}

static int read_pages(struct dump *d, const uint64_t *pfns, size_t n, uint8_t *bufs, bool *ok, int nthreads,
		      struct sf_err *err);

int dump_read_pages(struct dump *d, const uint64_t *pfns, size_t n, uint8_t *bufs, bool *ok, int nthreads,
		    struct sf_err *err)
{
	int nok = read_pages(d, pfns, n, bufs, ok, nthreads, err);

	/* a page with erased bytes is not whole: the caller reads what it needs through dump_read_phys() */
	for (size_t i = 0; nok > 0 && (d->erased.n || d->erased_unknown) && i < n; i++)
		if (ok[i] && (refuse_erased(d, pfns[i] * d->info.page_size, d->info.page_size, err) < 0 ||
			      (d->erased_unknown &&
			       refuse_poison(d, bufs + i * d->info.page_size, pfns[i] * d->info.page_size,
					     d->info.page_size, err) < 0))) {
			ok[i] = false;
			nok--;
		}
	return nok;
}

static int read_pages(struct dump *d, const uint64_t *pfns, size_t n, uint8_t *bufs, bool *ok, int nthreads,
		      struct sf_err *err)
{
	size_t ps = d->info.page_size, nok = 0, heavy = 0;
	enum codec codecs[DUMP_READ_PAGES_MAX];
	enum page_state states[DUMP_READ_PAGES_MAX];
	int rcs[DUMP_READ_PAGES_MAX];
	bool fetched[DUMP_READ_PAGES_MAX];
	struct unpack_share share[DUMP_MAX_THREADS];
	pthread_t tid[DUMP_MAX_THREADS];
	bool started[DUMP_MAX_THREADS] = { false };

	if (n > dump_read_pages_batch(d->info.page_size))
		return sf_err_set(err, SF_EINVAL, "dump_read_pages: %zu pages asked, at most %zu at a time", n,
				  dump_read_pages_batch(d->info.page_size));
	if (nthreads > DUMP_MAX_THREADS)
		nthreads = DUMP_MAX_THREADS;
	dump_prefetch(d, pfns, n);	/* remote input: the batch's bytes in parallel requests */
	if (nthreads <= 1 || !d->fmt->read_page_packed) {	/* one thread: the plain path, with its cache */
		for (size_t i = 0; i < n; i++) {
			ok[i] = dump_read_page(d, pfns[i], bufs + i * ps, &states[i], err) == 0;
			nok += ok[i];
		}
		return (int)nok;
	}
	if (!d->packed) {
		d->packed = malloc(dump_read_pages_batch(d->info.page_size) * ps);
		d->packed_len = malloc(DUMP_READ_PAGES_MAX * sizeof(*d->packed_len));
		if (!d->packed || !d->packed_len) {
			free(d->packed);
			free(d->packed_len);
			d->packed = NULL;
			d->packed_len = NULL;
			return sf_err_set(err, SF_ENOMEM, "out of memory for %u bytes of bulk reads", DUMP_READ_PAGES_BYTES);
		}
	}
	for (int t = 0; t < nthreads; t++)
		if (!d->dc[t] && decomp_create(&d->dc[t], err) < 0)
			return -err->code;

	/* The file reads (descriptor lookup, pread) stay on this thread: the reader's state is not shared. */
	for (size_t i = 0; i < n; i++) {
		d->packed_len[i] = 0;
		rcs[i] = d->fmt->read_page_packed(d, pfns[i], d->packed + i * ps, &d->packed_len[i], &codecs[i], &states[i],
						  err);
		fetched[i] = rcs[i] == 0;
		if (fetched[i] && codecs[i] == CODEC_RAW)
			memcpy(bufs + i * ps, d->packed + i * ps, ps);
	}
	/*
	 * Threads pay for zlib and zstd pages only: lzo and snappy decompress a
	 * page in a few microseconds, less than handing batches to threads costs
	 * (make bench, --scan all: 2 threads gave zlib 1.68x, zstd 1.53x, lzo 0.75x).
	 */
	for (size_t i = 0; i < n; i++)
		heavy += fetched[i] && (codecs[i] == CODEC_ZLIB || codecs[i] == CODEC_ZSTD);
	if (heavy < DUMP_THREAD_MIN_PAGES)
		nthreads = 1;
	for (int t = 0; t < nthreads; t++)
		share[t] = (struct unpack_share){ .d = d, .codecs = codecs, .bufs = bufs, .rcs = rcs, .n = n,
						  .t = t, .nthreads = nthreads };
	for (int t = 1; t < nthreads; t++)
		started[t] = pthread_create(&tid[t], NULL, unpack_share_run, &share[t]) == 0;
	unpack_share_run(&share[0]);
	for (int t = 1; t < nthreads; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			unpack_share_run(&share[t]);	/* no thread: this one does that share too */
	}

	for (size_t i = 0; i < n; i++) {
		ok[i] = rcs[i] == 0;
		if (!ok[i] && fetched[i]) {
			/* Bad compressed data: the single-page path names it and counts it missing, once. */
			ok[i] = dump_read_page(d, pfns[i], bufs + i * ps, &states[i], err) == 0;
		}
		nok += ok[i];
	}
	return (int)nok;
}

enum page_state dump_page_state(struct dump *d, uint64_t pfn)
{
	return d->fmt->page_state(d, pfn);
}

uint64_t dump_next_pfn(struct dump *d, uint64_t pfn)
{
	if (pfn >= d->info.max_pfn)
		return d->info.max_pfn;
	return d->fmt->next_pfn ? d->fmt->next_pfn(d, pfn) : pfn;
}

bool dump_prefetch_pays(const struct dump *d)
{
	for (int i = 0; i < d->nsrc; i++)
		if (source_is_remote(d->srcs[i]))
			return d->fmt->prefetch != NULL;
	return false;
}

void dump_prefetch(struct dump *d, const uint64_t *pfns, size_t n)
{
	if (n && dump_prefetch_pays(d))
		d->fmt->prefetch(d, pfns, n);
}

int dump_read_phys(struct dump *d, uint64_t paddr, void *buf, size_t len, struct sf_err *err)
{
	uint32_t psz = d->info.page_size;
	uint8_t *out = buf;

	while (len) {
		uint64_t pfn = paddr / psz;
		size_t off = (size_t)(paddr % psz);
		size_t chunk = psz - off < len ? psz - off : len;
		enum page_state st;
		int rc;

		rc = read_page_cached(d, pfn, d->scratch, &st, err);
		if (rc < 0)
			return rc;
		if (d->erased.n && (rc = refuse_erased(d, paddr, chunk, err)) < 0)
			return rc;
		if (d->erased_unknown && (rc = refuse_poison(d, d->scratch, paddr, chunk, err)) < 0)
			return rc;
		memcpy(out, d->scratch + off, chunk);
		out += chunk;
		paddr += chunk;
		len -= chunk;
	}
	return 0;
}

/* ---- notes ---- */

size_t dump_get_notes(const struct dump *d, const struct dump_note **ret)
{
	*ret = d->notes;
	return d->nnotes;
}

const char *dump_get_vmcoreinfo(const struct dump *d, size_t *len)
{
	if (len)
		*len = d->vmcoreinfo_len;
	return d->vmcoreinfo;
}

const char *dump_get_eraseinfo(const struct dump *d, size_t *len)
{
	if (len)
		*len = d->eraseinfo_len;
	return d->eraseinfo;
}

const struct erase_set *dump_get_erased(const struct dump *d)
{
	return &d->erased;
}

const uint8_t *dump_get_note_area(const struct dump *d, size_t *len)
{
	*len = d->note_area_len;
	return d->note_area;
}

static int copy_text(char **dst, size_t *dstlen, const char *text, size_t len, struct sf_err *err)
{
	char *t = malloc(len + 1);

	if (!t)
		return sf_err_set(err, SF_ENOMEM, "out of memory for %zu bytes of note text", len);
	memcpy(t, text, len);
	t[len] = '\0';
	free(*dst);
	*dst = t;
	*dstlen = strnlen(t, len);
	return 0;
}

int dump_set_vmcoreinfo(struct dump *d, const char *text, size_t len, struct sf_err *err)
{
	return copy_text(&d->vmcoreinfo, &d->vmcoreinfo_len, text, len, err);
}

int dump_set_eraseinfo(struct dump *d, const char *text, size_t len, struct sf_err *err)
{
	return copy_text(&d->eraseinfo, &d->eraseinfo_len, text, len, err);
}

#define NOTES_MAX 65536

int dump_set_note_area(struct dump *d, const uint8_t *area, size_t len, bool be, struct sf_err *err)
{
	size_t off = 0, cap = 0;
	int rc;

	if (len > DUMP_NOTE_AREA_MAX)
		return sf_err_set(err, SF_ENOMEM, "note area of %zu bytes is above the %u-byte cap", len, DUMP_NOTE_AREA_MAX);
	free(d->note_area);
	free(d->notes);
	d->notes = NULL;
	d->nnotes = 0;
	d->note_area = malloc(len ? len : 1);
	if (!d->note_area)
		return sf_err_set(err, SF_ENOMEM, "out of memory for the note area");
	memcpy(d->note_area, area, len);
	d->note_area_len = len;

	while (off + 12 <= len) {
		const uint8_t *p = d->note_area + off;
		uint32_t namesz = ld32(p, be), descsz = ld32(p + 4, be), type = ld32(p + 8, be);
		uint64_t name_al = ((uint64_t)namesz + 3) & ~3ull, desc_al = ((uint64_t)descsz + 3) & ~3ull;
		struct dump_note *n;

		if (namesz == 0 && descsz == 0 && type == 0)
			break;	/* zero padding after the last note */
		if (12 + name_al + desc_al > len - off) {
			warn_add(d->warnings, "note area: note at offset 0x%zx (namesz %u, descsz %u) runs past the end of the %zu-byte area; it and any later notes are ignored",
				 off, namesz, descsz, len);
			break;
		}
		if (d->nnotes >= NOTES_MAX) {
			warn_add(d->warnings, "note area: more than %d notes; the rest are ignored", NOTES_MAX);
			break;
		}
		if (d->nnotes == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct dump_note *nn = realloc(d->notes, ncap * sizeof(*nn));

			if (!nn)
				return sf_err_set(err, SF_ENOMEM, "out of memory for notes");
			d->notes = nn;
			cap = ncap;
		}
		n = &d->notes[d->nnotes++];
		memset(n, 0, sizeof(*n));
		memcpy(n->name, p + 12, namesz < sizeof(n->name) - 1 ? namesz : sizeof(n->name) - 1);
		n->name[sizeof(n->name) - 1] = '\0';
		n->type = type;
		n->desc = p + 12 + name_al;
		n->descsz = descsz;
		if (!strcmp(n->name, "VMCOREINFO")) {
			rc = dump_set_vmcoreinfo(d, (const char *)n->desc, descsz, err);
			if (rc < 0)
				return rc;
		} else if (!strcmp(n->name, "ERASEINFO")) {
			rc = dump_set_eraseinfo(d, (const char *)n->desc, descsz, err);
			if (rc < 0)
				return rc;
		} else if (!strcmp(n->name, ERASENOTE_NAME) && type == ERASENOTE_TYPE) {
			struct sf_err e2 = { 0 };

			erase_set_release(&d->erased);
			d->erased_unknown = erasenote_parse(n->desc, descsz, &d->erased, &e2) < 0;
			if (d->erased_unknown)
				warn_add(d->warnings, "note area: %s; every 64th of a page that is all 'X' (the poison this "
					 "mini.core wrote for erased bytes) is read as missing", e2.msg);
		}
		off += 12 + name_al + desc_al;
	}
	return 0;
}
