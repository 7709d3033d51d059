// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's kdump-compressed format ("KDUMP   "; also the older
 * "DISKDUMP" signature with the same layout), one file or a --split set.
 *
 *   offset 0            disk_dump_header (464 bytes on 64-bit machines, 452 on
 *                        32-bit ones: struct timeval is 16 vs 8 bytes)
 *   block 1             kdump_sub_header (fields added by header_version);
 *                        the ELF note area, VMCOREINFO and ERASEINFO it points
 *                        to usually follow within sub_hdr_size blocks
 *   block 1+sub_hdr     1st bitmap (pfn is RAM) | 2nd bitmap (pfn is dumped),
 *                        bitmap_blocks blocks for both halves, bit pfn%8 of
 *                        byte pfn/8 (LSB first, whatever the byte order)
 *   desc_off            page_desc[] {int64 offset; u32 size; u32 flags;
 *                        u64 page_flags} for each set bit of the 2nd bitmap in
 *                        pfn order (from start_pfn in a split file)
 *   data_start          = desc_off + 24 * ndesc: the shared zero page (when
 *                        written), then page data in pfn order; eraseinfo last
 *
 * All header integers are in the dumped machine's byte order.
 *
 * Cost.  Finding the descriptor of pfn N needs the number of set 2nd-bitmap
 * bits below N.  Nothing in the file records it, so the reader keeps a prefix
 * index: prefix[k] = set bits in bitmap blocks [0, k) (a block is 4 KiB =
 * 32768 pfns).  It is extended lazily, only as far as the highest pfn asked
 * for, by one sequential popcount pass over the bitmap blocks not yet counted
 * (8 bytes of memory per 4 KiB of bitmap, i.e. 8 bytes per 128 MiB of RAM
 * with 4 KiB pages).  After that, a lookup reads one bitmap block (cached)
 * and one descriptor.  Open reads no bitmap block at all, except for the page
 * counts below.
 *
 * Page counts (dump_info n_ram, n_dumped, n_excluded) come from a popcount
 * pass over the bitmaps only (no descriptor reads), done at open when all
 * bitmaps together are at most KDUMP_COUNT_SCAN_MAX bytes (16 MiB: 64 GiB of
 * 4 KiB RAM per bitmap); above that they are left 0 and a warning says so.
 * n_zero needs every descriptor and is not counted (always 0 for kdump).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/decompress.h"
#include "format.h"
#include "kdump.h"

#define KDUMP_SIG "KDUMP   "
#define DISKDUMP_SIG "DISKDUMP"

/* disk_dump_header.status */
#define DUMP_DH_COMPRESSED_ZLIB		0x1
#define DUMP_DH_COMPRESSED_LZO		0x2
#define DUMP_DH_COMPRESSED_SNAPPY	0x4
#define DUMP_DH_COMPRESSED_INCOMPLETE	0x8
#define DUMP_DH_EXCLUDED_VMEMMAP	0x10
#define DUMP_DH_COMPRESSED_ZSTD		0x20
#define DUMP_DH_CODEC_MASK (DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO | \
			    DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD)

#define BM_BLOCK 4096u				/* bitmap bytes per index entry */
#define BM_BLOCK_PFNS ((uint64_t)BM_BLOCK * 8)
#define BM_SCAN_CHUNK (64u * 1024)		/* bitmap bytes per source_read when scanning */
#define PREFIX_MAX_ENTRIES (8u << 20)		/* 64 MiB of index: 2^38 pfns */
#define KDUMP_COUNT_SCAN_MAX (16ull << 20)
#define SUB_AREA_MAX (64ull << 20)		/* notes, VMCOREINFO, eraseinfo */
#define PAGE_DESC_SIZE 24

/* ---- on-disk layouts (byte arrays: no padding, no host types) ---- */

struct utsname_disk {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};
_Static_assert(sizeof(struct utsname_disk) == 390, "new_utsname is 6 x 65 bytes");

/* 64-bit machines: struct timeval is 2 x 8 bytes, 8-aligned. */
struct disk_dump_header_64 {
	char signature[8];
	uint8_t header_version[4];
	struct utsname_disk utsname;
	uint8_t pad[6];
	uint8_t tv_sec[8], tv_usec[8];
	uint8_t status[4], block_size[4], sub_hdr_size[4], bitmap_blocks[4], max_mapnr[4];
	uint8_t total_ram_blocks[4], device_blocks[4], written_blocks[4], current_cpu[4], nr_cpus[4];
};
_Static_assert(sizeof(struct disk_dump_header_64) == 464, "64-bit disk_dump_header");

/* 32-bit machines (i386, arm): struct timeval is 2 x 4 bytes, 4-aligned. */
struct disk_dump_header_32 {
	char signature[8];
	uint8_t header_version[4];
	struct utsname_disk utsname;
	uint8_t pad[2];
	uint8_t tv_sec[4], tv_usec[4];
	uint8_t status[4], block_size[4], sub_hdr_size[4], bitmap_blocks[4], max_mapnr[4];
	uint8_t total_ram_blocks[4], device_blocks[4], written_blocks[4], current_cpu[4], nr_cpus[4];
};
_Static_assert(sizeof(struct disk_dump_header_32) == 452, "32-bit disk_dump_header");

struct kdump_sub_header_64 {
	uint8_t phys_base[8];
	uint8_t dump_level[4];		/* v1 */
	uint8_t split[4];		/* v2 */
	uint8_t start_pfn[8], end_pfn[8];	/* v2 */
	uint8_t offset_vmcoreinfo[8], size_vmcoreinfo[8];	/* v3 */
	uint8_t offset_note[8], size_note[8];			/* v4 */
	uint8_t offset_eraseinfo[8], size_eraseinfo[8];		/* v5 */
	uint8_t start_pfn_64[8], end_pfn_64[8], max_mapnr_64[8];	/* v6 */
};
_Static_assert(sizeof(struct kdump_sub_header_64) == 104, "64-bit kdump_sub_header");

/* i386: unsigned long is 4 bytes, off_t and u64 are 8 bytes aligned to 4. */
struct kdump_sub_header_32pack {
	uint8_t phys_base[4], dump_level[4], split[4], start_pfn[4], end_pfn[4];
	uint8_t offset_vmcoreinfo[8], size_vmcoreinfo[4];
	uint8_t offset_note[8], size_note[4];
	uint8_t offset_eraseinfo[8], size_eraseinfo[4];
	uint8_t start_pfn_64[8], end_pfn_64[8], max_mapnr_64[8];
};
_Static_assert(sizeof(struct kdump_sub_header_32pack) == 80, "i386 kdump_sub_header");

/* 32-bit ARM (EABI): 8-byte types are 8-aligned, hence the padding. */
struct kdump_sub_header_32pad {
	uint8_t phys_base[4], dump_level[4], split[4], start_pfn[4], end_pfn[4];
	uint8_t pad1[4];
	uint8_t offset_vmcoreinfo[8], size_vmcoreinfo[4];
	uint8_t pad2[4];
	uint8_t offset_note[8], size_note[4];
	uint8_t pad3[4];
	uint8_t offset_eraseinfo[8], size_eraseinfo[4];
	uint8_t pad4[4];
	uint8_t start_pfn_64[8], end_pfn_64[8], max_mapnr_64[8];
};
_Static_assert(sizeof(struct kdump_sub_header_32pad) == 96, "arm kdump_sub_header");

struct page_desc_disk {
	uint8_t offset[8], size[4], flags[4], page_flags[8];
};
_Static_assert(sizeof(struct page_desc_disk) == PAGE_DESC_SIZE, "page_desc");

/* ---- reader state ---- */

enum sub_layout { SUB_64, SUB_32PACK, SUB_32PAD };

/* The sub-header in host form. */
struct kdump_sub {
	uint64_t phys_base;
	int32_t dump_level;
	int32_t split;
	uint64_t start_pfn, end_pfn;
	uint64_t off_vmcoreinfo, size_vmcoreinfo;
	uint64_t off_note, size_note;
	uint64_t off_eraseinfo, size_eraseinfo;
	uint64_t max_mapnr_64;
};

struct bm_cache {
	uint64_t blk;			/* cached block number */
	bool valid;
	uint8_t data[BM_BLOCK];
};

struct kdump_file {
	struct source *src;
	const char *name;
	uint64_t fsize;
	uint64_t start_pfn, end_pfn;	/* pfns this file has descriptors for */
	uint64_t bm1_off, bm2_off;	/* file offsets of the bitmaps */
	uint64_t bm_bytes;		/* bytes per bitmap */
	uint64_t desc_off;
	/* prefix index of the 2nd bitmap: prefix[k] = set bits in blocks [0, k) */
	uint64_t *prefix;
	size_t nprefix, prefix_cap;
	bool desc_base_valid;
	uint64_t desc_base;		/* set bits below start_pfn */
	int zero_state;			/* 0 unknown, 1 known (zero_off), -1 undeterminable */
	uint64_t zero_off;		/* file offset of the shared zero page */
	struct bm_cache bm1, bm2;
	/* identity, compared across a split set */
	uint8_t uts[sizeof(struct utsname_disk)];
	int64_t tv_sec;
};

struct kdump_priv {
	struct kdump_file *files;	/* sorted by start_pfn */
	int nfiles;
	bool be;
	uint32_t page_size;
	uint64_t max_pfn;
	uint32_t codecs_seen;		/* 1u << enum codec */
	uint8_t *cbuf;			/* one page: compressed data */
	struct decomp *dc;
	struct kdump_stats stats;
	bool warned_missing;
};

/* ---- helpers ---- */

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static bool plausible_version(uint32_t v)
{
	return v >= 1 && v <= 1024;
}

static bool plausible_block(uint32_t bs)
{
	return is_pow2(bs) && bs >= 512 && bs <= (1u << 20);
}

/* 32-bit machines whose makedumpfile writes the 452-byte header. */
static bool machine_is_32bit(const char *m)
{
	static const char *const m32[] = { "i386", "i486", "i586", "i686", "ppc", "s390", "mips", "sh4", "sparc",
					   "riscv32", "m68k", "parisc", "microblaze", "xtensa", "hppa" };

	if (!strncmp(m, "arm", 3) && strcmp(m, "arm64"))
		return true;
	for (size_t i = 0; i < sizeof(m32) / sizeof(m32[0]); i++)
		if (!strcmp(m, m32[i]))
			return true;
	return false;
}

static bool machine_is_64bit(const char *m)
{
	static const char *const m64[] = { "x86_64", "aarch64", "arm64", "ppc64", "ppc64le", "s390x", "riscv64",
					   "mips64", "loongarch64", "sparc64", "ia64", "alpha" };

	for (size_t i = 0; i < sizeof(m64) / sizeof(m64[0]); i++)
		if (!strcmp(m, m64[i]))
			return true;
	return false;
}

static uint16_t machine_to_em(const char *m)
{
	static const struct { const char *name; uint16_t em; } tab[] = {
		{ "x86_64", 62 }, { "aarch64", 183 }, { "arm64", 183 }, { "i386", 3 }, { "i486", 3 },
		{ "i586", 3 }, { "i686", 3 }, { "ppc64", 21 }, { "ppc64le", 21 }, { "ppc", 20 },
		{ "s390x", 22 }, { "s390", 22 }, { "riscv64", 243 }, { "riscv32", 243 },
		{ "loongarch64", 258 }, { "sparc64", 43 }, { "ia64", 50 }, { "mips", 8 }, { "mips64", 8 },
	};

	if (!strncmp(m, "arm", 3) && strcmp(m, "arm64"))
		return 40;	/* EM_ARM */
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(m, tab[i].name))
			return tab[i].em;
	return 0;
}

static void copy_cstr(char *dst, size_t dstsz, const char *src, size_t srcsz)
{
	size_t n = strnlen(src, srcsz);

	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void update_codecs(struct dump *d, struct kdump_priv *p, enum codec c)
{
	static const enum codec order[] = { CODEC_ZLIB, CODEC_LZO, CODEC_SNAPPY, CODEC_ZSTD, CODEC_RAW };
	size_t len = 0;

	if (p->codecs_seen & (1u << c))
		return;
	p->codecs_seen |= 1u << c;
	d->info.codecs[0] = '\0';
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *n = codec_name(order[i]);

		if (!(p->codecs_seen & (1u << order[i])) || len + strlen(n) + 2 > sizeof(d->info.codecs))
			continue;
		len += (size_t)snprintf(d->info.codecs + len, sizeof(d->info.codecs) - len, "%s%s", len ? "," : "", n);
	}
}

/* ---- bitmaps ---- */

static int bm_read(struct kdump_priv *p, struct kdump_file *f, uint64_t base, uint64_t off, void *buf,
		   size_t len, const char *what, struct sf_err *err)
{
	p->stats.bitmap_reads++;
	p->stats.bitmap_bytes += len;
	return source_read(f->src, base + off, buf, len, what, err);
}

/* Loads bitmap block blk of bitmap (1 or 2) into its one-block cache. */
static int bm_block(struct kdump_priv *p, struct kdump_file *f, int which, uint64_t blk, const uint8_t **ret,
		    struct sf_err *err)
{
	struct bm_cache *c = which == 1 ? &f->bm1 : &f->bm2;
	uint64_t off = blk * BM_BLOCK;
	size_t len;
	int rc;

	if (c->valid && c->blk == blk) {
		*ret = c->data;
		return 0;
	}
	if (off >= f->bm_bytes)
		return sf_err_set(err, SF_ERANGE, "%s: bitmap block %" PRIu64 " is past the %" PRIu64 "-byte bitmap",
				  f->name, blk, f->bm_bytes);
	len = f->bm_bytes - off < BM_BLOCK ? (size_t)(f->bm_bytes - off) : BM_BLOCK;
	memset(c->data, 0, sizeof(c->data));
	c->valid = false;
	rc = bm_read(p, f, which == 1 ? f->bm1_off : f->bm2_off, off, c->data, len,
		     which == 1 ? "1st (memory) bitmap" : "2nd (dumped pages) bitmap", err);
	if (rc < 0)
		return rc;
	c->blk = blk;
	c->valid = true;
	*ret = c->data;
	return 0;
}

static int bm_test(struct kdump_priv *p, struct kdump_file *f, int which, uint64_t pfn, bool *ret,
		   struct sf_err *err)
{
	const uint8_t *blk;
	uint64_t byte = pfn / 8;
	int rc = bm_block(p, f, which, byte / BM_BLOCK, &blk, err);

	if (rc < 0)
		return rc;
	*ret = (blk[byte % BM_BLOCK] >> (pfn % 8)) & 1;
	return 0;
}

static uint64_t popcount_bytes(const uint8_t *b, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		c += (uint64_t)__builtin_popcountll(ld_le64(b + i));
	for (; i < n; i++)
		c += (uint64_t)__builtin_popcount(b[i]);
	return c;
}

/* Extends the prefix index so that prefix[k] is known (k <= number of blocks). */
static int prefix_extend(struct kdump_priv *p, struct kdump_file *f, uint64_t k, struct sf_err *err)
{
	uint8_t *chunk = NULL;
	int rc = 0;

	if (k < f->nprefix)
		return 0;
	if (k >= PREFIX_MAX_ENTRIES)
		return sf_err_set(err, SF_ENOMEM, "%s: the 2nd bitmap is %" PRIu64 " blocks; indexing past block %u is above the memory cap",
				  f->name, (f->bm_bytes + BM_BLOCK - 1) / BM_BLOCK, PREFIX_MAX_ENTRIES);
	if (k + 1 > f->prefix_cap) {
		size_t ncap = f->prefix_cap ? f->prefix_cap : 64;
		uint64_t *np;

		while (ncap < k + 1)
			ncap *= 2;
		np = realloc(f->prefix, ncap * sizeof(*np));
		if (!np)
			return sf_err_set(err, SF_ENOMEM, "%s: out of memory for the bitmap index", f->name);
		f->prefix = np;
		f->prefix_cap = ncap;
		p->stats.index_bytes = 0;
		for (int i = 0; i < p->nfiles; i++)
			p->stats.index_bytes += p->files[i].prefix_cap * sizeof(uint64_t);
	}
	if (!f->nprefix) {
		f->prefix[0] = 0;
		f->nprefix = 1;
	}
	chunk = malloc(BM_SCAN_CHUNK);
	if (!chunk)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	/* Scan blocks nprefix-1 .. k-1 in chunks of BM_SCAN_CHUNK bytes. */
	while (f->nprefix <= k) {
		uint64_t blk = f->nprefix - 1;
		uint64_t off = blk * BM_BLOCK;
		uint64_t nblk = k - blk;
		size_t len;

		if (nblk > BM_SCAN_CHUNK / BM_BLOCK)
			nblk = BM_SCAN_CHUNK / BM_BLOCK;
		if (off >= f->bm_bytes) {
			rc = sf_err_set(err, SF_ERANGE, "%s: bitmap index past the end of the bitmap", f->name);
			goto out;
		}
		len = f->bm_bytes - off < nblk * BM_BLOCK ? (size_t)(f->bm_bytes - off) : (size_t)(nblk * BM_BLOCK);
		rc = bm_read(p, f, f->bm2_off, off, chunk, len, "2nd (dumped pages) bitmap", err);
		if (rc < 0)
			goto out;
		for (size_t b = 0; b * BM_BLOCK < len; b++) {
			size_t n = len - b * BM_BLOCK < BM_BLOCK ? len - b * BM_BLOCK : BM_BLOCK;

			f->prefix[f->nprefix] = f->prefix[f->nprefix - 1] + popcount_bytes(chunk + b * BM_BLOCK, n);
			f->nprefix++;
		}
	}
out:
	free(chunk);
	return rc;
}

/* Number of set 2nd-bitmap bits at pfns [0, pfn). */
static int bm2_rank(struct kdump_priv *p, struct kdump_file *f, uint64_t pfn, uint64_t *ret, struct sf_err *err)
{
	uint64_t k = pfn / BM_BLOCK_PFNS, bit = pfn % BM_BLOCK_PFNS;
	const uint8_t *blk;
	uint64_t c;
	int rc = prefix_extend(p, f, k, err);

	if (rc < 0)
		return rc;
	c = f->prefix[k];
	if (bit) {
		rc = bm_block(p, f, 2, k, &blk, err);
		if (rc < 0)
			return rc;
		c += popcount_bytes(blk, (size_t)(bit / 8));
		if (bit % 8)
			c += (uint64_t)__builtin_popcount(blk[bit / 8] & ((1u << (bit % 8)) - 1));
	}
	*ret = c;
	return 0;
}

/* ---- probe / open ---- */

static bool kdump_probe(const uint8_t *head, size_t headlen)
{
	return headlen >= 8 && (!memcmp(head, KDUMP_SIG, 8) || !memcmp(head, DISKDUMP_SIG, 8));
}

static int parse_sub(const uint8_t *b, enum sub_layout lay, bool be, struct kdump_sub *s)
{
	memset(s, 0, sizeof(*s));
	if (lay == SUB_64) {
		const struct kdump_sub_header_64 *h = (const void *)b;

		s->phys_base = ld64(h->phys_base, be);
		s->dump_level = (int32_t)ld32(h->dump_level, be);
		s->split = (int32_t)ld32(h->split, be);
		s->start_pfn = ld64(h->start_pfn, be);
		s->end_pfn = ld64(h->end_pfn, be);
		s->off_vmcoreinfo = ld64(h->offset_vmcoreinfo, be);
		s->size_vmcoreinfo = ld64(h->size_vmcoreinfo, be);
		s->off_note = ld64(h->offset_note, be);
		s->size_note = ld64(h->size_note, be);
		s->off_eraseinfo = ld64(h->offset_eraseinfo, be);
		s->size_eraseinfo = ld64(h->size_eraseinfo, be);
		/* v6 fields are loaded by the caller only when present. */
		return 0;
	}
#define SUB32(T) do { \
		const struct T *h = (const void *)b; \
		s->phys_base = ld32(h->phys_base, be); \
		s->dump_level = (int32_t)ld32(h->dump_level, be); \
		s->split = (int32_t)ld32(h->split, be); \
		s->start_pfn = ld32(h->start_pfn, be); \
		s->end_pfn = ld32(h->end_pfn, be); \
		s->off_vmcoreinfo = ld64(h->offset_vmcoreinfo, be); \
		s->size_vmcoreinfo = ld32(h->size_vmcoreinfo, be); \
		s->off_note = ld64(h->offset_note, be); \
		s->size_note = ld32(h->size_note, be); \
		s->off_eraseinfo = ld64(h->offset_eraseinfo, be); \
		s->size_eraseinfo = ld32(h->size_eraseinfo, be); \
	} while (0)
	if (lay == SUB_32PACK)
		SUB32(kdump_sub_header_32pack);
	else
		SUB32(kdump_sub_header_32pad);
#undef SUB32
	return 0;
}

static void parse_sub_v6(const uint8_t *b, enum sub_layout lay, bool be, struct kdump_sub *s)
{
	const uint8_t *sp, *ep, *mp;

	if (lay == SUB_64) {
		const struct kdump_sub_header_64 *h = (const void *)b;

		sp = h->start_pfn_64; ep = h->end_pfn_64; mp = h->max_mapnr_64;
	} else if (lay == SUB_32PACK) {
		const struct kdump_sub_header_32pack *h = (const void *)b;

		sp = h->start_pfn_64; ep = h->end_pfn_64; mp = h->max_mapnr_64;
	} else {
		const struct kdump_sub_header_32pad *h = (const void *)b;

		sp = h->start_pfn_64; ep = h->end_pfn_64; mp = h->max_mapnr_64;
	}
	s->start_pfn = ld64(sp, be);
	s->end_pfn = ld64(ep, be);
	s->max_mapnr_64 = ld64(mp, be);
}

/* Bytes of the sub-header that exist in a given header_version. */
static size_t sub_size_for(enum sub_layout lay, int version)
{
	static const size_t sz[3][7] = {
		/* v0  v1  v2  v3  v4  v5  v6 */
		{ 0, 16, 32, 48, 64, 80, 104 },	/* SUB_64 */
		{ 0, 12, 20, 32, 44, 56, 80 },	/* SUB_32PACK */
		{ 0, 12, 20, 36, 52, 68, 96 },	/* SUB_32PAD */
	};

	return sz[lay][version > 6 ? 6 : version < 0 ? 0 : version];
}

/* Reads an area the sub-header points to, with caps; *ret is malloc'd (NUL-terminated). */
static int read_area(struct kdump_file *f, uint64_t off, uint64_t size, const char *what, uint8_t **ret,
		     struct sf_err *err)
{
	uint8_t *buf;
	int rc;

	*ret = NULL;
	if (size > SUB_AREA_MAX)
		return sf_err_set(err, SF_ENOMEM, "%s: sub-header: size_%s %" PRIu64 " is above the %llu-byte cap",
				  f->name, what, size, SUB_AREA_MAX);
	if (off < sizeof(struct disk_dump_header_32) || off > f->fsize || size > f->fsize - off)
		return sf_err_set(err, SF_ECORRUPT, "%s: sub-header: offset_%s 0x%" PRIx64 " + size %" PRIu64
				  " is outside the file (size 0x%" PRIx64 ")", f->name, what, off, size, f->fsize);
	buf = malloc((size_t)size + 1);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "out of memory for %" PRIu64 " bytes of %s", size, what);
	rc = source_read(f->src, off, buf, (size_t)size, what, err);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[size] = '\0';
	*ret = buf;
	return 0;
}

struct hdr_info {
	bool be, is32;
	enum sub_layout lay;
	int version;
	uint32_t status, block_size, bitmap_blocks, max_mapnr32;
	int32_t sub_hdr_size, nr_cpus;
	int64_t tv_sec;
	struct utsname_disk uts;
	char sig[8];
};

static int read_header(struct kdump_file *f, struct hdr_info *hi, struct sf_err *err)
{
	uint8_t buf[sizeof(struct disk_dump_header_64)];
	const struct disk_dump_header_64 *h64 = (const void *)buf;
	const struct disk_dump_header_32 *h32 = (const void *)buf;
	uint32_t vle, vbe;
	char mach[66];
	int rc;

	memset(hi, 0, sizeof(*hi));
	if (f->fsize < sizeof(struct disk_dump_header_32))
		return sf_err_set(err, SF_ETRUNC, "%s: offset 0: the file has %" PRIu64 " bytes, a kdump header needs at least %zu",
				  f->name, f->fsize, sizeof(struct disk_dump_header_32));
	memset(buf, 0, sizeof(buf));
	rc = source_read(f->src, 0, buf, f->fsize < sizeof(buf) ? (size_t)f->fsize : sizeof(buf), "kdump header", err);
	if (rc < 0)
		return rc;
	if (memcmp(buf, KDUMP_SIG, 8) && memcmp(buf, DISKDUMP_SIG, 8))
		return sf_err_set(err, SF_ECORRUPT, "%s: offset 0: signature is not \"KDUMP   \" or \"DISKDUMP\"", f->name);
	memcpy(hi->sig, buf, 8);
	memcpy(&hi->uts, &h64->utsname, sizeof(hi->uts));
	copy_cstr(mach, sizeof(mach), hi->uts.machine, sizeof(hi->uts.machine));

	/* Byte order: the header is written in the dumped machine's order; header_version is small. */
	vle = ld_le32(buf + 8);
	vbe = ld_be32(buf + 8);
	if (plausible_version(vle) && !plausible_version(vbe))
		hi->be = false;
	else if (plausible_version(vbe) && !plausible_version(vle))
		hi->be = true;
	else if (plausible_block(ld_le32(h64->block_size)) || plausible_block(ld_le32(h32->block_size)))
		hi->be = false;
	else if (plausible_block(ld_be32(h64->block_size)) || plausible_block(ld_be32(h32->block_size)))
		hi->be = true;
	else
		return sf_err_set(err, SF_ECORRUPT, "%s: offset 0x8: header_version is 0x%08x, not a version in either byte order",
				  f->name, vle);

	/* Word size: from utsname.machine, else from where block_size is plausible. */
	if (machine_is_32bit(mach))
		hi->is32 = true;
	else if (machine_is_64bit(mach))
		hi->is32 = false;
	else
		hi->is32 = !plausible_block(ld32(h64->block_size, hi->be)) && plausible_block(ld32(h32->block_size, hi->be));
	if (hi->is32 && f->fsize < sizeof(*h32))
		return sf_err_set(err, SF_ETRUNC, "%s: the file has %" PRIu64 " bytes, a 32-bit kdump header needs %zu",
				  f->name, f->fsize, sizeof(*h32));
	if (!hi->is32 && f->fsize < sizeof(*h64))
		return sf_err_set(err, SF_ETRUNC, "%s: the file has %" PRIu64 " bytes, a 64-bit kdump header needs %zu",
				  f->name, f->fsize, sizeof(*h64));
	hi->lay = !hi->is32 ? SUB_64 : !strncmp(mach, "arm", 3) ? SUB_32PAD : SUB_32PACK;

#define HDR(field) (hi->is32 ? ld32(h32->field, hi->be) : ld32(h64->field, hi->be))
	hi->version = (int)ld32(buf + 8, hi->be);
	hi->status = HDR(status);
	hi->block_size = HDR(block_size);
	hi->sub_hdr_size = (int32_t)HDR(sub_hdr_size);
	hi->bitmap_blocks = HDR(bitmap_blocks);
	hi->max_mapnr32 = HDR(max_mapnr);
	hi->nr_cpus = (int32_t)HDR(nr_cpus);
#undef HDR
	hi->tv_sec = hi->is32 ? (int32_t)ld32(h32->tv_sec, hi->be) : (int64_t)ld64(h64->tv_sec, hi->be);
	if (hi->version < 0 || hi->version > 1024)
		return sf_err_set(err, SF_ECORRUPT, "%s: offset 0x8: header_version %d is not plausible (expected 0..1024)",
				  f->name, hi->version);
	if (!plausible_block(hi->block_size))
		return sf_err_set(err, SF_ECORRUPT, "%s: offset 0x%x: block_size %u is not a power of two in 512..1048576",
				  f->name, hi->is32 ? 416 : 428, hi->block_size);
	if (hi->sub_hdr_size < 0 || (uint64_t)hi->sub_hdr_size * hi->block_size > SUB_AREA_MAX)
		return sf_err_set(err, SF_ECORRUPT, "%s: offset 0x%x: sub_hdr_size %d blocks is outside 0..%llu bytes",
				  f->name, hi->is32 ? 420 : 432, hi->sub_hdr_size, SUB_AREA_MAX);
	return 0;
}

static int open_file(struct dump *d, struct kdump_priv *p, struct kdump_file *f, int idx, struct hdr_info *hi,
		     struct kdump_sub *sub, struct sf_err *err)
{
	uint8_t sbuf[sizeof(struct kdump_sub_header_64)];
	size_t need;
	uint64_t bm_total = 0, bits_half;
	int rc;

	f->fsize = source_size(f->src);
	f->name = source_name(f->src);
	rc = read_header(f, hi, err);
	if (rc < 0)
		return rc;
	memcpy(f->uts, &hi->uts, sizeof(f->uts));
	f->tv_sec = hi->tv_sec;
	memset(sub, 0, sizeof(*sub));
	sub->dump_level = -1;
	need = sub_size_for(hi->lay, hi->version);
	if (need) {
		if ((uint64_t)hi->block_size + need > f->fsize)
			return sf_err_set(err, SF_ETRUNC, "%s: offset 0x%x: the kdump sub-header (%zu bytes for header_version %d) runs past the end of the file (size 0x%" PRIx64 ")",
					  f->name, hi->block_size, need, hi->version, f->fsize);
		memset(sbuf, 0, sizeof(sbuf));
		rc = source_read(f->src, hi->block_size, sbuf, need, "kdump sub-header", err);
		if (rc < 0)
			return rc;
		parse_sub(sbuf, hi->lay, hi->be, sub);
		if (hi->version >= 6)
			parse_sub_v6(sbuf, hi->lay, hi->be, sub);
		if (hi->version < 2)
			sub->split = 0;
	}
	p->max_pfn = hi->version >= 6 ? sub->max_mapnr_64 : hi->max_mapnr32;
	if (hi->version >= 6 && sub->max_mapnr_64 < hi->max_mapnr32)
		return sf_err_set(err, SF_ECORRUPT, "%s: sub-header max_mapnr_64 %" PRIu64 " is below the header's 32-bit max_mapnr %u",
				  f->name, sub->max_mapnr_64, hi->max_mapnr32);

	/* Bitmaps: two halves of bitmap_blocks, or (old single-bitmap files) one bitmap for both. */
	if (mul_overflows_u64(hi->bitmap_blocks, hi->block_size, &bm_total) || bm_total > f->fsize)
		return sf_err_set(err, SF_ETRUNC, "%s: bitmap_blocks %u x %u bytes run past the end of the file (size 0x%" PRIx64 ")",
				  f->name, hi->bitmap_blocks, hi->block_size, f->fsize);
	f->bm1_off = (1 + (uint64_t)hi->sub_hdr_size) * hi->block_size;
	bits_half = bm_total / 2 * 8;
	if (p->max_pfn <= bits_half) {
		f->bm_bytes = bm_total / 2;
		f->bm2_off = f->bm1_off + f->bm_bytes;
	} else if (p->max_pfn <= bm_total * 8) {
		f->bm_bytes = bm_total;
		f->bm2_off = f->bm1_off;
		warn_add(d->warnings, "%s: bitmap_blocks %u covers max_mapnr %" PRIu64 " only once; reading it as a single dumped-pages bitmap",
			 f->name, hi->bitmap_blocks, p->max_pfn);
	} else {
		return sf_err_set(err, SF_ECORRUPT, "%s: bitmap_blocks %u (%" PRIu64 " bytes) cannot hold 2 x %" PRIu64 " bits for max_mapnr",
				  f->name, hi->bitmap_blocks, bm_total, p->max_pfn);
	}
	f->desc_off = f->bm1_off + bm_total;
	if (f->desc_off > f->fsize)
		return sf_err_set(err, SF_ETRUNC, "%s: the bitmaps end at 0x%" PRIx64 ", past the end of the file (size 0x%" PRIx64 "): truncated in the bitmaps",
				  f->name, f->desc_off, f->fsize);

	f->start_pfn = 0;
	f->end_pfn = p->max_pfn;
	if (sub->split) {
		if (sub->start_pfn > sub->end_pfn || sub->end_pfn > p->max_pfn)
			return sf_err_set(err, SF_ECORRUPT, "%s: sub-header split range start_pfn 0x%" PRIx64 " end_pfn 0x%" PRIx64
					  " is not within 0..max_mapnr 0x%" PRIx64, f->name, sub->start_pfn, sub->end_pfn, p->max_pfn);
		f->start_pfn = sub->start_pfn;
		f->end_pfn = sub->end_pfn;
	}

	/* Only the first file's notes matter: a split set repeats them. */
	if (idx == 0) {
		uint8_t *area = NULL;

		if (hi->version >= 4 && sub->size_note) {
			if (sub->size_note > DUMP_NOTE_AREA_MAX)
				return sf_err_set(err, SF_ENOMEM, "%s: sub-header: size_note %" PRIu64 " is above the %u-byte cap",
						  f->name, sub->size_note, DUMP_NOTE_AREA_MAX);
			rc = read_area(f, sub->off_note, sub->size_note, "note", &area, err);
			if (rc < 0)
				return rc;
			rc = dump_set_note_area(d, area, (size_t)sub->size_note, hi->be, err);
			free(area);
			if (rc < 0)
				return rc;
		}
		if (hi->version >= 3 && sub->size_vmcoreinfo && !d->vmcoreinfo) {
			rc = read_area(f, sub->off_vmcoreinfo, sub->size_vmcoreinfo, "vmcoreinfo", &area, err);
			if (rc < 0)
				return rc;
			rc = dump_set_vmcoreinfo(d, (const char *)area, (size_t)sub->size_vmcoreinfo, err);
			free(area);
			if (rc < 0)
				return rc;
		}
		if (hi->version >= 5 && sub->size_eraseinfo && !d->eraseinfo) {
			rc = read_area(f, sub->off_eraseinfo, sub->size_eraseinfo, "eraseinfo", &area, err);
			if (rc < 0) {
				/* eraseinfo is written last: an incomplete dump loses it first */
				warn_add(d->warnings, "%s", err->msg);
				sf_err_clear(err);
			} else {
				rc = dump_set_eraseinfo(d, (const char *)area, (size_t)sub->size_eraseinfo, err);
				free(area);
				if (rc < 0)
					return rc;
			}
		}
	}
	return 0;
}

static int cmp_files(const void *a, const void *b)
{
	const struct kdump_file *x = a, *y = b;

	return x->start_pfn < y->start_pfn ? -1 : x->start_pfn > y->start_pfn;
}

/* Popcounts over the bitmaps for dump_info counts (no descriptor reads). */
/*
 * A truncated file, told once at open with the sizes (issue #14).
 * makedumpfile writes page data in pfn order after the descriptor table, but
 * the last pfns are often zero pages pointing back at the shared zero page
 * near the start, so the tail of the table (up to 1 MiB of it, one read) is
 * scanned for the largest data end: a lower bound of the file size
 * (eraseinfo may follow).  An incomplete dump (the header flag) has its own
 * warning and unwritten descriptors, so it is left alone.
 */
#define TRUNC_TAIL_DESCS (1024u * 1024 / PAGE_DESC_SIZE)
static void check_truncated(struct dump *d, struct kdump_priv *p, struct kdump_file *f, uint64_t ndesc)
{
	struct sf_err e = { 0 };
	uint64_t tab_end, end = 0, n = ndesc < TRUNC_TAIL_DESCS ? ndesc : TRUNC_TAIL_DESCS;
	uint8_t *tail;

	if (!ndesc || d->info.incomplete || mul_overflows_u64(ndesc, PAGE_DESC_SIZE, &tab_end) ||
	    add_overflows_u64(tab_end, f->desc_off, &tab_end))
		return;
	if (tab_end <= f->fsize && (tail = malloc(n * PAGE_DESC_SIZE)) != NULL) {
		if (source_read(f->src, tab_end - n * PAGE_DESC_SIZE, tail, n * PAGE_DESC_SIZE, "page descriptors", &e) == 0)
			for (uint64_t i = 0; i < n; i++) {
				uint64_t o = ld64(tail + i * PAGE_DESC_SIZE, p->be), de;

				if (!add_overflows_u64(o, ld32(tail + i * PAGE_DESC_SIZE + 8, p->be), &de) && de > end)
					end = de;
			}
		free(tail);
	}
	if (tab_end > end)
		end = tab_end;
	if (end <= f->fsize)
		return;
	warn_add(d->warnings, "%s: the file is truncated: at least %" PRIu64 " bytes expected (%s), %" PRIu64 " found; "
		 "pages past the end read as missing", f->name, end, end == tab_end ? "the page descriptor table"
		 : "the page descriptors", f->fsize);
	d->info.size_expected = end;
	d->info.size_found = f->fsize;
}

static int count_pages(struct dump *d, struct kdump_priv *p, struct sf_err *err)
{
	uint8_t *b1 = malloc(BM_SCAN_CHUNK), *b2 = malloc(BM_SCAN_CHUNK);
	uint64_t total = 0;
	int rc = 0;

	if (!b1 || !b2) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto out;
	}
	for (int i = 0; i < p->nfiles; i++)
		total += 2 * ((p->files[i].end_pfn - p->files[i].start_pfn + 7) / 8);
	if (total > KDUMP_COUNT_SCAN_MAX) {
		warn_add(d->warnings, "kdump: page counts not computed: the bitmaps are %" PRIu64 " bytes, above the %llu-byte open-time scan cap",
			 total, KDUMP_COUNT_SCAN_MAX);
		goto out;
	}
	for (int i = 0; i < p->nfiles; i++) {
		struct kdump_file *f = &p->files[i];
		uint64_t byte0 = f->start_pfn / 8, byte1 = (f->end_pfn + 7) / 8, before = d->info.n_dumped;

		for (uint64_t off = byte0; off < byte1; off += BM_SCAN_CHUNK) {
			size_t len = byte1 - off < BM_SCAN_CHUNK ? (size_t)(byte1 - off) : BM_SCAN_CHUNK;

			rc = bm_read(p, f, f->bm1_off, off, b1, len, "1st (memory) bitmap", err);
			if (rc < 0)
				goto out;
			rc = bm_read(p, f, f->bm2_off, off, b2, len, "2nd (dumped pages) bitmap", err);
			if (rc < 0)
				goto out;
			for (size_t j = 0; j < len; j++) {
				uint64_t pfn0 = (off + j) * 8;
				uint8_t mask = 0xff;

				if (pfn0 < f->start_pfn)
					mask &= (uint8_t)(0xff << (f->start_pfn - pfn0));
				if (pfn0 + 8 > f->end_pfn)
					mask &= (uint8_t)(0xff >> (pfn0 + 8 - f->end_pfn));
				d->info.n_ram += (uint64_t)__builtin_popcount((b1[j] | b2[j]) & mask);
				d->info.n_dumped += (uint64_t)__builtin_popcount(b2[j] & mask);
				d->info.n_excluded += (uint64_t)__builtin_popcount(b1[j] & ~b2[j] & mask);
			}
		}
		check_truncated(d, p, f, d->info.n_dumped - before);
	}
out:
	free(b1);
	free(b2);
	return rc;
}

static void kdump_close(struct dump *d)
{
	struct kdump_priv *p = d->priv;

	if (!p)
		return;
	for (int i = 0; i < p->nfiles; i++)
		free(p->files[i].prefix);
	free(p->files);
	free(p->cbuf);
	decomp_destroy(p->dc);
	free(p);
	d->priv = NULL;
}

static int check_set(struct dump *d, struct kdump_priv *p, const struct hdr_info *his, const struct kdump_sub *subs,
		     struct sf_err *err)
{
	const struct kdump_file *f0 = &p->files[0];

	for (int i = 0; i < p->nfiles; i++) {
		const struct kdump_file *f = &p->files[i];

		if (!subs[i].split)
			return sf_err_set(err, SF_EINVAL, "%s: %d files were given but this one is not part of a split set (sub-header split = 0)",
					  f->name, p->nfiles);
		if (i == 0)
			continue;
		if (his[i].be != his[0].be || his[i].is32 != his[0].is32 || his[i].version != his[0].version ||
		    his[i].block_size != his[0].block_size || his[i].bitmap_blocks != his[0].bitmap_blocks)
			return sf_err_set(err, SF_ECORRUPT, "%s: not from the same dump as %s: header_version %d/%d, block_size %u/%u, bitmap_blocks %u/%u, %s/%s byte order",
					  f->name, f0->name, his[i].version, his[0].version, his[i].block_size, his[0].block_size,
					  his[i].bitmap_blocks, his[0].bitmap_blocks, his[i].be ? "big" : "little", his[0].be ? "big" : "little");
		if (memcmp(f->uts, f0->uts, sizeof(f->uts))) {
			const struct utsname_disk *a = (const void *)f->uts, *b = (const void *)f0->uts;

			return sf_err_set(err, SF_ECORRUPT, "%s: not from the same dump as %s: utsname differs (release \"%.65s\" vs \"%.65s\", machine \"%.65s\" vs \"%.65s\")",
					  f->name, f0->name, a->release, b->release, a->machine, b->machine);
		}
		if (f->tv_sec != f0->tv_sec)
			return sf_err_set(err, SF_ECORRUPT, "%s: not from the same dump as %s: header timestamp %" PRId64 " vs %" PRId64,
					  f->name, f0->name, f->tv_sec, f0->tv_sec);
	}
	return 0;
}

static int kdump_open(struct dump *d, struct source *const *srcs, int nsrc, struct sf_err *err)
{
	struct kdump_priv *p = calloc(1, sizeof(*p));
	struct hdr_info *his = calloc((size_t)nsrc, sizeof(*his));
	struct kdump_sub *subs = calloc((size_t)nsrc, sizeof(*subs));
	uint64_t max_pfn0 = 0;
	int rc = 0;

	d->priv = p;
	if (!p || !his || !subs || !(p->files = calloc((size_t)nsrc, sizeof(*p->files)))) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto out;
	}
	p->nfiles = nsrc;
	for (int i = 0; i < nsrc; i++) {
		p->files[i].src = srcs[i];
		p->files[i].zero_state = 0;
		rc = open_file(d, p, &p->files[i], i, &his[i], &subs[i], err);
		if (rc < 0)
			goto out;
		if (i == 0)
			max_pfn0 = p->max_pfn;
		else if (p->max_pfn != max_pfn0) {
			rc = sf_err_set(err, SF_ECORRUPT, "%s: not from the same dump as %s: max_mapnr 0x%" PRIx64 " vs 0x%" PRIx64,
					p->files[i].name, p->files[0].name, p->max_pfn, max_pfn0);
			goto out;
		}
	}
	p->be = his[0].be;
	p->page_size = his[0].block_size;
	if (nsrc > 1) {
		rc = check_set(d, p, his, subs, err);
		if (rc < 0)
			goto out;
	}
	qsort(p->files, (size_t)nsrc, sizeof(*p->files), cmp_files);
	for (int i = 0; i + 1 < nsrc; i++) {
		const struct kdump_file *a = &p->files[i], *b = &p->files[i + 1];

		if (a->end_pfn > b->start_pfn) {
			rc = sf_err_set(err, SF_ECORRUPT, "split set: %s (pfns 0x%" PRIx64 "-0x%" PRIx64 ") overlaps %s (pfns 0x%" PRIx64 "-0x%" PRIx64 ")",
					a->name, a->start_pfn, a->end_pfn, b->name, b->start_pfn, b->end_pfn);
			goto out;
		}
		if (a->end_pfn < b->start_pfn)
			warn_add(d->warnings, "split set: pfns 0x%" PRIx64 "-0x%" PRIx64 " are in no file (between %s and %s); a part may be missing",
				 a->end_pfn, b->start_pfn, a->name, b->name);
	}
	if (p->files[0].start_pfn > 0 || p->files[nsrc - 1].end_pfn < p->max_pfn)
		warn_add(d->warnings, "%s: the %s cover%s pfns 0x%" PRIx64 "-0x%" PRIx64 " of 0x%" PRIx64 "; other parts of the split set were not given",
			 p->files[0].name, nsrc > 1 ? "files" : "file", nsrc > 1 ? "" : "s",
			 p->files[0].start_pfn, p->files[nsrc - 1].end_pfn, p->max_pfn);

	p->cbuf = malloc(p->page_size);
	if (!p->cbuf) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto out;
	}
	rc = decomp_create(&p->dc, err);
	if (rc < 0)
		goto out;

	d->info.header_version = his[0].version;
	d->info.page_size = p->page_size;
	d->info.max_pfn = p->max_pfn;
	d->info.big_endian = p->be;
	d->info.elf_class32 = his[0].is32;
	copy_cstr(d->info.uts_machine, sizeof(d->info.uts_machine), his[0].uts.machine, sizeof(his[0].uts.machine));
	copy_cstr(d->info.uts_release, sizeof(d->info.uts_release), his[0].uts.release, sizeof(his[0].uts.release));
	d->info.e_machine = machine_to_em(d->info.uts_machine);
	d->info.timestamp_sec = his[0].tv_sec;
	d->info.status = his[0].status;
	d->info.nr_cpus = his[0].nr_cpus;
	d->info.split = subs[0].split != 0;
	if (his[0].version >= 1) {
		d->info.phys_base = subs[0].phys_base;
		d->info.phys_base_valid = true;
		d->info.dump_level = subs[0].dump_level;
	}
	snprintf(d->info.codecs, sizeof(d->info.codecs), "none");
	if (his[0].status & DUMP_DH_COMPRESSED_ZLIB)
		update_codecs(d, p, CODEC_ZLIB);
	if (his[0].status & DUMP_DH_COMPRESSED_LZO)
		update_codecs(d, p, CODEC_LZO);
	if (his[0].status & DUMP_DH_COMPRESSED_SNAPPY)
		update_codecs(d, p, CODEC_SNAPPY);
	if (his[0].status & DUMP_DH_COMPRESSED_ZSTD)
		update_codecs(d, p, CODEC_ZSTD);
	for (int i = 0; i < nsrc; i++) {
		if (his[i].status & DUMP_DH_COMPRESSED_INCOMPLETE) {
			d->info.incomplete = true;
			warn_add(d->warnings, "%s: the dump is incomplete (header status 0x%x has DUMP_DH_COMPRESSED_INCOMPLETE: the disk filled while dumping); pages that were not written read as missing",
				 source_name(srcs[i]), his[i].status);
		}
	}
	rc = count_pages(d, p, err);
out:
	free(his);
	free(subs);
	if (rc < 0)
		kdump_close(d);
	return rc;
}

/* ---- page reads ---- */

static struct kdump_file *route(struct kdump_priv *p, uint64_t pfn)
{
	int lo = 0, hi = p->nfiles - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		struct kdump_file *f = &p->files[mid];

		if (pfn < f->start_pfn)
			hi = mid - 1;
		else if (pfn >= f->end_pfn)
			lo = mid + 1;
		else
			return f;
	}
	return NULL;
}

/*
 * The state from the bitmaps.  A pfn outside every file of a split set is
 * judged from the first file's 1st bitmap (each part carries whole bitmaps).
 */
static int bitmap_state(struct kdump_priv *p, uint64_t pfn, struct kdump_file **fret, enum page_state *st,
			struct sf_err *err)
{
	struct kdump_file *f;
	bool ram, dumped;
	int rc;

	*fret = NULL;
	if (pfn >= p->max_pfn) {
		*st = PAGE_NOT_IN_MEMORY;
		return 0;
	}
	f = route(p, pfn);
	rc = bm_test(p, f ? f : &p->files[0], 1, pfn, &ram, err);
	if (rc < 0)
		return rc;
	if (!f) {
		*st = ram ? PAGE_MISSING : PAGE_NOT_IN_MEMORY;
		return 0;
	}
	rc = bm_test(p, f, 2, pfn, &dumped, err);
	if (rc < 0)
		return rc;
	*fret = f;
	*st = dumped ? PAGE_PRESENT : ram ? PAGE_EXCLUDED : PAGE_NOT_IN_MEMORY;
	return 0;
}

static enum page_state kdump_page_state(struct dump *d, uint64_t pfn)
{
	struct kdump_file *f;
	enum page_state st;
	struct sf_err err;

	if (bitmap_state(d->priv, pfn, &f, &st, &err) < 0)
		return PAGE_MISSING;
	return st;
}

static int read_desc(struct kdump_priv *p, struct kdump_file *f, uint64_t idx, struct page_desc_disk *pd,
		     uint64_t *pos, struct sf_err *err)
{
	uint64_t off;

	if (mul_overflows_u64(idx, PAGE_DESC_SIZE, &off) || add_overflows_u64(off, f->desc_off, pos))
		return sf_err_set(err, SF_ECORRUPT, "%s: descriptor index %" PRIu64 " overflows", f->name, idx);
	p->stats.desc_reads++;
	return source_read(f->src, *pos, pd, sizeof(*pd), "page descriptor", err);
}

/*
 * The shared zero page.  makedumpfile (write_kdump_pages*, when dump_level
 * has bit 0, "exclude zero pages", set) and qemu (dump.c, always) write one
 * raw page of zeros first in the data area, at data_start = desc_off +
 * 24 * ndesc, and point every zero page's descriptor at it; the first real
 * page follows it.  ndesc is not stored, but descriptor 0's offset is either
 * data_start (pfn start is itself a zero page, or no zero page was written)
 * or data_start + page_size.  data_start - desc_off is a multiple of 24, and
 * a page size (a power of two) never is, so exactly one of the two
 * candidates fits: that is data_start.  A descriptor is then PAGE_ZERO when
 * it is raw, one page long, at data_start, and the bytes there are zeros.
 */
static void find_zero_page(struct kdump_priv *p, struct kdump_file *f)
{
	struct page_desc_disk pd;
	uint64_t pos, o;
	struct sf_err err;

	f->zero_state = -1;
	if (read_desc(p, f, 0, &pd, &pos, &err) < 0)
		return;
	o = ld64(pd.offset, p->be);
	if (o < f->desc_off + PAGE_DESC_SIZE)
		return;	/* never written (incomplete) or corrupt: no zero page detection */
	if ((o - f->desc_off) % PAGE_DESC_SIZE == 0)
		f->zero_off = o;
	else if (o >= p->page_size && o - p->page_size >= f->desc_off + PAGE_DESC_SIZE && (o - p->page_size - f->desc_off) % PAGE_DESC_SIZE == 0)
		f->zero_off = o - p->page_size;
	else
		return;
	f->zero_state = 1;
}

/*
 * Remote inputs: page descriptors are read at random, one round trip per
 * 64 KiB block of the table.  When the whole table is small (a -d 31 dump of
 * a large machine: 24 bytes per dumped page, 0.5 MiB at 1 TiB with 20,000
 * pages dumped) it is fetched at the first page read, in parallel.  Its end
 * is where descriptor 0's data starts (the zero page or the first page).
 */
#define DESC_TABLE_PREFETCH_MAX (4u << 20)
static void prefetch_desc_table(struct kdump_priv *p, struct kdump_file *f)
{
	struct page_desc_disk pd;
	struct source_range r;
	struct sf_err err;
	uint64_t pos, o;

	if (!source_is_remote(f->src) || read_desc(p, f, 0, &pd, &pos, &err) < 0)
		return;
	o = ld64(pd.offset, p->be);
	if (o <= f->desc_off || o - f->desc_off > DESC_TABLE_PREFETCH_MAX)
		return;
	r.off = f->desc_off;
	r.len = o - f->desc_off;
	source_prefetch(f->src, &r, 1);
}

static bool all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

static int missing(struct dump *d, struct kdump_priv *p, enum page_state *state, int code, struct sf_err *err)
{
	*state = PAGE_MISSING;
	if (code == SF_ENODATA) {
		d->info.incomplete = true;
		d->info.n_missing++;
		warn_add(d->warnings, "%s", err->msg);
	}
	return -code;
}

/*
 * Reads pfn's descriptor and stored bytes.  With buf, decompresses them into
 * buf (and copies the stored bytes into stored when they fit cap).  Without
 * buf (read_page_packed), stops before decompressing: the stored bytes go to
 * stored (cap >= page size) and *codec says how to decompress them.
 */
static int read_page_desc(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, uint8_t *stored,
			  size_t cap, size_t *stored_len, uint32_t *stored_flags, enum codec *codec, struct sf_err *err)
{
	struct kdump_priv *p = d->priv;
	struct page_desc_disk pd;
	struct kdump_file *f;
	uint64_t rank, pos = 0, off, page_flags;
	uint32_t size, flags;
	enum codec c;
	int rc;

	rc = bitmap_state(p, pfn, &f, state, err);
	if (rc < 0) {
		*state = PAGE_MISSING;
		return sf_err_prefix(err, "pfn 0x%" PRIx64, pfn);
	}
	switch (*state) {
	case PAGE_PRESENT:
		break;
	case PAGE_EXCLUDED:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%" PRIx64 ": excluded from the dump (2nd bitmap bit clear; dump_level %d)",
				  f->name, pfn, d->info.dump_level);
	case PAGE_NOT_IN_MEMORY:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%" PRIx64 ": not in memory (%s 0x%" PRIx64 ")", p->files[0].name, pfn,
				  pfn >= p->max_pfn ? "at or above max_mapnr" : "1st bitmap bit clear; max_mapnr", p->max_pfn);
	default:
		return sf_err_set(err, SF_ENODATA, "%s: pfn 0x%" PRIx64 ": RAM, but not in the split-set files given (they cover pfns 0x%" PRIx64 "-0x%" PRIx64 ")",
				  p->files[0].name, pfn, p->files[0].start_pfn, p->files[p->nfiles - 1].end_pfn);
	}
	if (!f->desc_base_valid) {
		rc = bm2_rank(p, f, f->start_pfn, &f->desc_base, err);
		if (rc < 0)
			goto fail_io;
		f->desc_base_valid = true;
	}
	rc = bm2_rank(p, f, pfn, &rank, err);
	if (rc < 0)
		goto fail_io;
	if (!f->zero_state) {
		find_zero_page(p, f);
		prefetch_desc_table(p, f);
	}
	rc = read_desc(p, f, rank - f->desc_base, &pd, &pos, err);
	if (rc < 0) {
		if (rc == -SF_ETRUNC) {
			sf_err_prefix(err, "%s: pfn 0x%" PRIx64 ": the page descriptor table is cut short", f->name, pfn);
			return missing(d, p, state, SF_ENODATA, err);
		}
		goto fail_io;
	}
	off = ld64(pd.offset, p->be);
	size = ld32(pd.size, p->be);
	flags = ld32(pd.flags, p->be);
	page_flags = ld64(pd.page_flags, p->be);
	(void)page_flags;
	if (off == 0 && size == 0) {
		sf_err_set(err, SF_ENODATA, "%s: pfn 0x%" PRIx64 ": page descriptor at 0x%" PRIx64 " was never written (%s)",
			   f->name, pfn, pos, d->info.incomplete ? "incomplete dump" : "offset 0, size 0");
		return missing(d, p, state, SF_ENODATA, err);
	}
	if (size == 0 || size > p->page_size) {
		sf_err_set(err, SF_ECORRUPT, "%s: pfn 0x%" PRIx64 ": page descriptor at 0x%" PRIx64 " claims %u compressed bytes (page is %u)",
			   f->name, pfn, pos, size, p->page_size);
		return missing(d, p, state, SF_ECORRUPT, err);
	}
	if (off < pos + PAGE_DESC_SIZE) {
		sf_err_set(err, SF_ECORRUPT, "%s: pfn 0x%" PRIx64 ": page descriptor at 0x%" PRIx64 " points at 0x%" PRIx64
			   ", inside the headers or descriptor table (expected at least 0x%" PRIx64 ")",
			   f->name, pfn, pos, off, pos + PAGE_DESC_SIZE);
		return missing(d, p, state, SF_ECORRUPT, err);
	}
	switch (flags) {
	case 0: c = CODEC_RAW; break;
	case DUMP_DH_COMPRESSED_ZLIB: c = CODEC_ZLIB; break;
	case DUMP_DH_COMPRESSED_LZO: c = CODEC_LZO; break;
	case DUMP_DH_COMPRESSED_SNAPPY: c = CODEC_SNAPPY; break;
	case DUMP_DH_COMPRESSED_ZSTD: c = CODEC_ZSTD; break;
	default:
		sf_err_set(err, SF_ECORRUPT, "%s: pfn 0x%" PRIx64 ": page descriptor at 0x%" PRIx64 " has flags 0x%x (expected one of 0, zlib 0x1, lzo 0x2, snappy 0x4, zstd 0x20)",
			   f->name, pfn, pos, flags);
		return missing(d, p, state, SF_ECORRUPT, err);
	}
	if (c == CODEC_RAW && size != p->page_size) {
		sf_err_set(err, SF_ECORRUPT, "%s: pfn 0x%" PRIx64 ": page descriptor at 0x%" PRIx64 " stores the page raw in %u bytes (page is %u)",
			   f->name, pfn, pos, size, p->page_size);
		return missing(d, p, state, SF_ECORRUPT, err);
	}
	if (off > f->fsize || size > f->fsize - off) {
		sf_err_set(err, SF_ENODATA, "%s: pfn 0x%" PRIx64 ": page data at 0x%" PRIx64 " (%u bytes, from descriptor at 0x%" PRIx64 ") is past the end of the file (size 0x%" PRIx64 ")%s",
			   f->name, pfn, off, size, pos, f->fsize, d->info.incomplete ? "; the dump is incomplete" : "; the file is truncated");
		return missing(d, p, state, SF_ENODATA, err);
	}
	p->stats.data_reads++;
	rc = source_read(f->src, off, c == CODEC_RAW && buf ? buf : p->cbuf, size, "page data", err);
	if (rc < 0)
		goto fail_io;
	update_codecs(d, p, c);
	if (!buf) {
		memcpy(stored, p->cbuf, size);
		*stored_len = size;
		*stored_flags = flags;
		*codec = c;
		if (c == CODEC_RAW && f->zero_state == 1 && off == f->zero_off && all_zero(stored, p->page_size))
			*state = PAGE_ZERO;
		return 0;
	}
	if (c != CODEC_RAW) {
		rc = decompress_page(p->dc, c, p->cbuf, size, buf, p->page_size, err);
		if (rc < 0) {
			sf_err_prefix(err, "%s: pfn 0x%" PRIx64 ": page data at 0x%" PRIx64 " (%u bytes, descriptor at 0x%" PRIx64 ")",
				      f->name, pfn, off, size, pos);
			return missing(d, p, state, -rc, err);
		}
		if (stored && size <= cap) {
			memcpy(stored, p->cbuf, size);
			*stored_len = size;
			*stored_flags = flags;
		}
	} else if (f->zero_state == 1 && off == f->zero_off && all_zero(buf, p->page_size)) {
		*state = PAGE_ZERO;
	}
	return 0;
fail_io:
	*state = PAGE_MISSING;
	return sf_err_prefix(err, "pfn 0x%" PRIx64, pfn);
}

static int kdump_read_page_stored(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, uint8_t *stored,
				  size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err)
{
	enum codec c;

	return read_page_desc(d, pfn, buf, state, stored, cap, stored_len, stored_flags, &c, err);
}

static int kdump_read_page_packed(struct dump *d, uint64_t pfn, uint8_t *stored, size_t *stored_len, enum codec *codec,
				  enum page_state *state, struct sf_err *err)
{
	uint32_t flags = 0;

	return read_page_desc(d, pfn, NULL, state, stored, 0, stored_len, &flags, codec, err);
}

/*
 * Two parallel rounds instead of 2n dependent reads: the descriptors of the
 * dumped pfns, then their page data.  Bitmap blocks come through the normal
 * path (cached, and one block covers 32768 pfns).
 */
#define KDUMP_PREFETCH_MAX 1024	/* 32 KiB of stack below */
static void kdump_prefetch(struct dump *d, const uint64_t *pfns, size_t n)
{
	struct kdump_priv *p = d->priv;
	struct source_range r[KDUMP_PREFETCH_MAX];
	struct kdump_file *fs[KDUMP_PREFETCH_MAX];
	uint64_t pos[KDUMP_PREFETCH_MAX];
	size_t m = 0, nr;
	struct sf_err err;

	for (size_t i = 0; i < n && m < KDUMP_PREFETCH_MAX; i++) {
		struct kdump_file *f;
		enum page_state st;
		uint64_t rank;

		if (bitmap_state(p, pfns[i], &f, &st, &err) < 0 || st != PAGE_PRESENT)
			continue;
		if (!f->desc_base_valid) {
			if (bm2_rank(p, f, f->start_pfn, &f->desc_base, &err) < 0)
				continue;
			f->desc_base_valid = true;
		}
		if (bm2_rank(p, f, pfns[i], &rank, &err) < 0 || rank < f->desc_base ||
		    mul_overflows_u64(rank - f->desc_base, PAGE_DESC_SIZE, &pos[m]) ||
		    add_overflows_u64(pos[m], f->desc_off, &pos[m]))
			continue;
		fs[m++] = f;
	}
	for (int round = 0; round < 2; round++) {
		for (int fi = 0; fi < p->nfiles; fi++) {
			struct kdump_file *f = &p->files[fi];

			nr = 0;
			for (size_t i = 0; i < m; i++) {
				struct page_desc_disk pd;
				uint64_t off, size;

				if (fs[i] != f)
					continue;
				if (round == 0) {
					r[nr].off = pos[i];
					r[nr++].len = PAGE_DESC_SIZE;
					continue;
				}
				if (source_read(f->src, pos[i], &pd, sizeof(pd), "page descriptor", &err) < 0)
					continue;
				off = ld64(pd.offset, p->be);
				size = ld32(pd.size, p->be);
				if (size && size <= p->page_size && off < f->fsize && size <= f->fsize - off) {
					r[nr].off = off;
					r[nr++].len = size;
				}
			}
			source_prefetch(f->src, r, nr);
		}
	}
}

static int kdump_read_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	size_t len = 0;
	uint32_t flags = 0;

	return kdump_read_page_stored(d, pfn, buf, state, NULL, 0, &len, &flags, err);
}

int kdump_get_stats(const struct dump *d, struct kdump_stats *ret)
{
	const struct kdump_priv *p;

	memset(ret, 0, sizeof(*ret));
	if (!d || d->fmt != &dump_format_kdump || !d->priv)
		return -SF_EINVAL;
	p = d->priv;
	*ret = p->stats;
	return 0;
}

const struct dump_format dump_format_kdump = {
	.name = "kdump",
	.probe = kdump_probe,
	.open = kdump_open,
	.read_page = kdump_read_page,
	.read_page_stored = kdump_read_page_stored,
	.read_page_packed = kdump_read_page_packed,
	.page_state = kdump_page_state,
	.prefetch = kdump_prefetch,
	.close = kdump_close,
};
