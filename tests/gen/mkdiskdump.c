// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkdiskdump: writes small kdump-compressed dumps from a compact text spec,
 * for tests (in the spirit of libkdumpfile's tests/mkdiskdump).
 *
 *   mkdiskdump SPEC OUT        writes OUT (or OUT.1..OUT.N for a split set)
 *                              and OUT.expect: the "pfn state crc32" lines
 *                              pageread --all must print for it
 *
 * Spec lines ("#" starts a comment):
 *   version = N                header_version (default 6)
 *   machine = x86_64           utsname.machine; i?86 and arm* get 32-bit layouts
 *   release = 6.1.0-test       utsname.release
 *   endian = little | big
 *   page_size = 4096
 *   max_mapnr = N              (v6 also writes max_mapnr_64; the 32-bit field is capped)
 *   phys_base = N, dump_level = N, nr_cpus = N, timestamp = N
 *   status = N                 extra status bits (codec bits of the codecs used are added)
 *   incomplete = 1             status |= 0x8
 *   zero_page = 1              write makedumpfile's shared zero page; "zero" pages point at it
 *   truncate = N               cut the file (the single or last part) to N bytes; -N cuts N off
 *   vmcoreinfo = TEXT          (\n escapes) into the sub-header (v3+) and as a note (v4+)
 *   note = NAME TYPE HEX       an extra ELF note (v4+)
 *   eraseinfo = TEXT           (v5+), written at the end of the file
 *   part = START END [release=X] [version=N] [page_size=N]   a split part (repeat for a set)
 *   ram = A[-B]                RAM pfns (1st bitmap) that are not dumped: excluded pages
 *   page = A[-B] CODEC FILL    dumped pages; CODEC raw|zlib|lzo|snappy|zstd;
 *                              FILL byte:XX | pfn | zero | random:SEED
 *   unwritten = A[-B]          dumped in the bitmap but the descriptor is zeros (incomplete)
 *   desc = PFN OFFSET SIZE FLAGS   overrides a page descriptor (corruption tests)
 * Files are written with pwrite over ftruncate'd holes, so a huge max_mapnr
 * (bitmaps of gigabytes) costs only the bytes actually set.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "skbfilter/bytes.h"

enum { C_RAW, C_ZLIB, C_LZO, C_SNAPPY, C_ZSTD };
enum { F_BYTE, F_PFN, F_ZERO, F_RANDOM };

struct page {
	uint64_t pfn;
	int codec, fill;
	uint32_t arg;
	bool unwritten;
	bool has_desc;
	uint64_t d_off;
	uint32_t d_size, d_flags;
};

struct part {
	uint64_t start, end;
	char release[65];
	int version;
	uint32_t page_size;
};

struct spec {
	int version;
	char machine[65], release[65];
	bool be;
	uint32_t page_size;
	uint64_t max_mapnr, phys_base, timestamp;
	int dump_level, nr_cpus;
	uint32_t status;
	bool zero_page;
	int64_t truncate;
	bool has_truncate;
	char *vmcoreinfo;
	char *eraseinfo;
	uint8_t notes[65536];
	size_t notes_len;
	struct page *pages;
	size_t npages, cap;
	uint64_t *ram;			/* pairs [a, b) */
	size_t nram, ramcap;
	struct part parts[16];
	int nparts;
};

__attribute__((format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkdiskdump: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(2);
}

static uint64_t num(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("bad number \"%s\"", s);
	return v;
}

static void range(const char *s, uint64_t *a, uint64_t *b)
{
	const char *dash = strchr(s, '-');

	*a = num(s);
	*b = dash ? num(dash + 1) : *a;
	if (*b < *a)
		die("bad range \"%s\"", s);
}

static char *unescape(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;

	for (; *s; s++) {
		if (*s == '\\' && s[1] == 'n') {
			*p++ = '\n';
			s++;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return o;
}

static void put_note(struct spec *sp, const char *name, uint32_t type, const uint8_t *desc, size_t dlen)
{
	size_t nlen = strlen(name) + 1, need = 12 + ((nlen + 3) & ~3u) + ((dlen + 3) & ~3u);
	uint8_t *p = sp->notes + sp->notes_len;

	if (sp->notes_len + need > sizeof(sp->notes))
		die("%s", "notes too large");
	memset(p, 0, need);
	(sp->be ? st_be32 : st_le32)(p, (uint32_t)nlen);
	(sp->be ? st_be32 : st_le32)(p + 4, (uint32_t)dlen);
	(sp->be ? st_be32 : st_le32)(p + 8, type);
	memcpy(p + 12, name, nlen);
	memcpy(p + 12 + ((nlen + 3) & ~3u), desc, dlen);
	sp->notes_len += need;
}

static struct page *add_page(struct spec *sp, uint64_t pfn)
{
	for (size_t i = 0; i < sp->npages; i++)
		if (sp->pages[i].pfn == pfn)
			return &sp->pages[i];
	if (sp->npages == sp->cap) {
		sp->cap = sp->cap ? sp->cap * 2 : 64;
		sp->pages = realloc(sp->pages, sp->cap * sizeof(*sp->pages));
	}
	memset(&sp->pages[sp->npages], 0, sizeof(struct page));
	sp->pages[sp->npages].pfn = pfn;
	return &sp->pages[sp->npages++];
}

static int codec_of(const char *s)
{
	static const char *const n[] = { "raw", "zlib", "lzo", "snappy", "zstd" };

	for (int i = 0; i < 5; i++)
		if (!strcmp(s, n[i]))
			return i;
	die("unknown codec \"%s\"", s);
	return 0;
}

static void parse(struct spec *sp, FILE *in)
{
	char line[8192];

	while (fgets(line, sizeof(line), in)) {
		char *eq, *key, *val, *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		eq = strchr(line, '=');
		if (!eq)
			die("bad line \"%s\"", line);
		*eq = '\0';
		key = strtok(line, " \t");
		val = eq + 1;
		while (*val == ' ' || *val == '\t')
			val++;
		if (!key)
			die("%s", "empty key");
		if (!strcmp(key, "version")) sp->version = (int)num(val);
		else if (!strcmp(key, "machine")) snprintf(sp->machine, sizeof(sp->machine), "%s", val);
		else if (!strcmp(key, "release")) snprintf(sp->release, sizeof(sp->release), "%s", val);
		else if (!strcmp(key, "endian")) sp->be = !strcmp(val, "big");
		else if (!strcmp(key, "page_size")) sp->page_size = (uint32_t)num(val);
		else if (!strcmp(key, "max_mapnr")) sp->max_mapnr = num(val);
		else if (!strcmp(key, "phys_base")) sp->phys_base = num(val);
		else if (!strcmp(key, "timestamp")) sp->timestamp = num(val);
		else if (!strcmp(key, "dump_level")) sp->dump_level = (int)num(val);
		else if (!strcmp(key, "nr_cpus")) sp->nr_cpus = (int)num(val);
		else if (!strcmp(key, "status")) sp->status |= (uint32_t)num(val);
		else if (!strcmp(key, "incomplete")) sp->status |= num(val) ? 0x8 : 0;
		else if (!strcmp(key, "zero_page")) sp->zero_page = num(val) != 0;
		else if (!strcmp(key, "truncate")) { sp->truncate = strtoll(val, NULL, 0); sp->has_truncate = true; }
		else if (!strcmp(key, "vmcoreinfo")) sp->vmcoreinfo = unescape(val);
		else if (!strcmp(key, "eraseinfo")) sp->eraseinfo = unescape(val);
		else if (!strcmp(key, "note")) {
			char name[64], hex[4096];
			unsigned type;
			uint8_t desc[2048];
			size_t dl = 0;

			if (sscanf(val, "%63s %u %4095s", name, &type, hex) != 3)
				die("bad note \"%s\"", val);
			for (size_t i = 0; hex[i] && hex[i + 1] && dl < sizeof(desc); i += 2) {
				unsigned b;

				sscanf(hex + i, "%2x", &b);
				desc[dl++] = (uint8_t)b;
			}
			put_note(sp, name, type, desc, dl);
		} else if (!strcmp(key, "part")) {
			struct part *pt;
			char *tok;

			if (sp->nparts >= 16)
				die("%s", "too many parts");
			pt = &sp->parts[sp->nparts++];
			memset(pt, 0, sizeof(*pt));
			tok = strtok(val, " \t");
			pt->start = num(tok ? tok : "");
			tok = strtok(NULL, " \t");
			pt->end = num(tok ? tok : "");
			while ((tok = strtok(NULL, " \t"))) {
				if (!strncmp(tok, "release=", 8))
					snprintf(pt->release, sizeof(pt->release), "%s", tok + 8);
				else if (!strncmp(tok, "version=", 8))
					pt->version = (int)num(tok + 8);
				else if (!strncmp(tok, "page_size=", 10))
					pt->page_size = (uint32_t)num(tok + 10);
			}
		} else if (!strcmp(key, "ram")) {
			uint64_t a, b;

			range(val, &a, &b);
			if (sp->nram + 2 > sp->ramcap) {
				sp->ramcap = sp->ramcap ? sp->ramcap * 2 : 16;
				sp->ram = realloc(sp->ram, sp->ramcap * sizeof(uint64_t));
			}
			sp->ram[sp->nram++] = a;
			sp->ram[sp->nram++] = b + 1;
		} else if (!strcmp(key, "page")) {
			char r[128], c[32], f[64];
			uint64_t a, b;

			if (sscanf(val, "%127s %31s %63s", r, c, f) != 3)
				die("bad page \"%s\"", val);
			range(r, &a, &b);
			for (uint64_t pfn = a; pfn <= b; pfn++) {
				struct page *pg = add_page(sp, pfn);

				pg->codec = codec_of(c);
				if (!strncmp(f, "byte:", 5)) { pg->fill = F_BYTE; pg->arg = (uint32_t)num(f + 5); }
				else if (!strcmp(f, "pfn")) pg->fill = F_PFN;
				else if (!strcmp(f, "zero")) pg->fill = F_ZERO;
				else if (!strncmp(f, "random:", 7)) { pg->fill = F_RANDOM; pg->arg = (uint32_t)num(f + 7); }
				else die("bad fill \"%s\"", f);
			}
		} else if (!strcmp(key, "unwritten")) {
			uint64_t a, b;

			range(val, &a, &b);
			for (uint64_t pfn = a; pfn <= b; pfn++)
				add_page(sp, pfn)->unwritten = true;
		} else if (!strcmp(key, "desc")) {
			unsigned long long pfn, off;
			unsigned size, flags;
			struct page *pg;

			if (sscanf(val, "%lli %lli %i %i", &pfn, &off, (int *)&size, (int *)&flags) != 4)
				die("bad desc \"%s\"", val);
			pg = add_page(sp, pfn);
			pg->has_desc = true;
			pg->d_off = off;
			pg->d_size = size;
			pg->d_flags = flags;
		} else {
			die("unknown key \"%s\"", key);
		}
	}
}

static int cmp_page(const void *a, const void *b)
{
	const struct page *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static void fill_page(const struct page *pg, uint8_t *buf, uint32_t ps)
{
	switch (pg->fill) {
	case F_BYTE:
		memset(buf, (int)pg->arg, ps);
		break;
	case F_ZERO:
		memset(buf, 0, ps);
		break;
	case F_PFN:
		/* compressible but pfn-specific: the pfn and the word index, repeated */
		for (uint32_t i = 0; i < ps; i += 8)
			st_le64(buf + i, pg->pfn << 16 | (i / 64));
		break;
	case F_RANDOM: {
		uint64_t x = pg->arg * 0x9e3779b97f4a7c15ull + pg->pfn + 1;

		for (uint32_t i = 0; i < ps; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
		break;
	}
	}
}

/* Compresses like makedumpfile: a page that does not shrink is stored raw. */
static uint32_t compress_page(int codec, const uint8_t *in, uint32_t ps, uint8_t *out, size_t outcap, uint32_t *flags)
{
	size_t n = 0;
	bool ok = false;

	switch (codec) {
	case C_ZLIB: {
		uLongf zl = outcap;

		ok = compress2(out, &zl, in, ps, 6) == Z_OK;
		n = zl;
		*flags = 0x1;
		break;
	}
	case C_LZO: {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint ll = outcap;

		ok = lzo1x_1_compress(in, ps, out, &ll, wrk) == LZO_E_OK;
		n = ll;
		*flags = 0x2;
		break;
	}
	case C_SNAPPY:
		n = outcap;
		ok = snappy_compress((const char *)in, ps, (char *)out, &n) == SNAPPY_OK;
		*flags = 0x4;
		break;
	case C_ZSTD:
		n = ZSTD_compress(out, outcap, in, ps, 1);
		ok = !ZSTD_isError(n);
		*flags = 0x20;
		break;
	default:
		break;
	}
	if (!ok || n >= ps) {
		memcpy(out, in, ps);
		*flags = 0;
		return ps;
	}
	return (uint32_t)n;
}

static void pw(int fd, const void *buf, size_t len, uint64_t off)
{
	if (pwrite(fd, buf, len, (off_t)off) != (ssize_t)len)
		die("%s", "write failed");
}

static bool is32(const char *m)
{
	return (!strncmp(m, "arm", 3) && strcmp(m, "arm64")) || (m[0] == 'i' && strstr(m, "86"));
}

static bool in_ram(const struct spec *sp, uint64_t pfn)
{
	for (size_t i = 0; i < sp->nram; i += 2)
		if (pfn >= sp->ram[i] && pfn < sp->ram[i + 1])
			return true;
	return false;
}

/* Sets bit pfn in a bitmap written at base: read-modify-write of one byte. */
static void set_bit(int fd, uint64_t base, uint64_t pfn)
{
	uint8_t b = 0;

	if (pread(fd, &b, 1, (off_t)(base + pfn / 8)) < 0)
		die("%s", "read failed");
	b |= (uint8_t)(1u << (pfn % 8));
	pw(fd, &b, 1, base + pfn / 8);
}

static void write_file(const struct spec *sp, const char *path, const struct part *pt, bool last, FILE *expect)
{
	int version = pt && pt->version ? pt->version : sp->version;
	uint32_t ps = pt && pt->page_size ? pt->page_size : sp->page_size;
	bool be = sp->be, w32 = is32(sp->machine), pad = !strncmp(sp->machine, "arm", 3);
	void (*s32)(void *, uint32_t) = be ? st_be32 : st_le32;
	void (*s64)(void *, uint64_t) = be ? st_be64 : st_le64;
	uint64_t start = pt ? pt->start : 0, end = pt ? pt->end : sp->max_mapnr;
	uint8_t *blk = calloc(1, ps), *page = malloc(ps), *cbuf = malloc(2 * ps + 1024);
	size_t subsz = w32 ? (pad ? 96 : 80) : 104, vilen = sp->vmcoreinfo ? strlen(sp->vmcoreinfo) : 0;
	uint64_t sub_bytes, sub_blocks, bm_half, bm_blocks, bm1, desc_off, data, ndesc = 0, eoff, note_off, vi_off, fend;
	uint32_t status = sp->status;
	uint64_t *doffs;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("cannot create %s", path);
	/* layout: sub-header, notes, vmcoreinfo in the sub-header blocks */
	note_off = ps + subsz;
	vi_off = note_off + sp->notes_len + (version >= 4 && vilen ? 12 + 12 + ((vilen + 3) & ~3u) : 0);
	sub_bytes = vi_off + vilen - ps;
	sub_blocks = (sub_bytes + ps - 1) / ps;
	bm_half = (sp->max_mapnr + 8ull * ps - 1) / (8ull * ps);
	bm_blocks = 2 * bm_half;
	bm1 = (1 + sub_blocks) * ps;
	desc_off = bm1 + bm_blocks * ps;
	if (ftruncate(fd, (off_t)desc_off) < 0)
		die("%s", "ftruncate failed");

	/* header */
	memcpy(blk, "KDUMP   ", 8);
	s32(blk + 8, (uint32_t)version);
	snprintf((char *)blk + 12, 65, "Linux");
	snprintf((char *)blk + 12 + 65, 65, "test-node");
	snprintf((char *)blk + 12 + 130, 65, "%s", pt && pt->release[0] ? pt->release : sp->release);
	snprintf((char *)blk + 12 + 195, 65, "#1 SMP test");
	snprintf((char *)blk + 12 + 260, 65, "%s", sp->machine);
	snprintf((char *)blk + 12 + 325, 65, "(none)");
	for (size_t i = 0; i < sp->npages; i++) {
		static const uint32_t bits[] = { 0, 0x1, 0x2, 0x4, 0x20 };

		if (!sp->pages[i].unwritten && !sp->pages[i].has_desc)
			status |= bits[sp->pages[i].codec];
	}
	{
		size_t o = w32 ? 404 : 408;

		if (w32) {
			s32(blk + o, (uint32_t)sp->timestamp);
			o += 8;
		} else {
			s64(blk + o, sp->timestamp);
			o += 16;
		}
		s32(blk + o, status);
		s32(blk + o + 4, ps);
		s32(blk + o + 8, (uint32_t)sub_blocks);
		s32(blk + o + 12, (uint32_t)bm_blocks);
		s32(blk + o + 16, sp->max_mapnr > 0xffffffffu ? 0xffffffffu : (uint32_t)sp->max_mapnr);
		s32(blk + o + 36, (uint32_t)sp->nr_cpus);
	}
	pw(fd, blk, ps, 0);

	/* notes (+ VMCOREINFO note for v4+) and vmcoreinfo text */
	{
		uint8_t *nb = calloc(1, sp->notes_len + vilen + 64);
		size_t nl = sp->notes_len;

		memcpy(nb, sp->notes, sp->notes_len);
		if (version >= 4 && vilen) {
			uint8_t *p = nb + nl;

			s32(p, 11);
			s32(p + 4, (uint32_t)vilen);
			s32(p + 8, 0);
			memcpy(p + 12, "VMCOREINFO", 11);
			memcpy(p + 24, sp->vmcoreinfo, vilen);
			nl += 24 + ((vilen + 3) & ~3u);
		}
		if (nl)
			pw(fd, nb, nl, note_off);
		if (vilen)
			pw(fd, sp->vmcoreinfo, vilen, vi_off);
		free(nb);

		/* sub-header */
		memset(blk, 0, ps);
		if (!w32) {
			s64(blk, sp->phys_base);
			s32(blk + 8, (uint32_t)sp->dump_level);
			s32(blk + 12, pt ? 1 : 0);
			s64(blk + 16, start);
			s64(blk + 24, end);
			s64(blk + 32, vilen ? vi_off : 0);
			s64(blk + 40, vilen);
			s64(blk + 48, nl ? note_off : 0);
			s64(blk + 56, nl);
			/* eraseinfo patched below */
			s64(blk + 80, start);
			s64(blk + 88, end);
			s64(blk + 96, sp->max_mapnr);
		} else {
			size_t a = pad ? 4 : 0;

			s32(blk, (uint32_t)sp->phys_base);
			s32(blk + 4, (uint32_t)sp->dump_level);
			s32(blk + 8, pt ? 1 : 0);
			s32(blk + 12, (uint32_t)start);
			s32(blk + 16, (uint32_t)end);
			s64(blk + 20 + a, vilen ? vi_off : 0);
			s32(blk + 28 + a, (uint32_t)vilen);
			s64(blk + 32 + 2 * a, nl ? note_off : 0);
			s32(blk + 40 + 2 * a, (uint32_t)nl);
			s64(blk + 56 + 4 * a, start);
			s64(blk + 64 + 4 * a, end);
			s64(blk + 72 + 4 * a, sp->max_mapnr);
		}
	}

	/* bitmaps: 1st = RAM (ram ranges and every listed page), 2nd = dumped pages in [start, end) */
	for (size_t i = 0; i < sp->nram; i += 2) {
		for (uint64_t pfn = sp->ram[i]; pfn < sp->ram[i + 1] && pfn < sp->max_mapnr; pfn++)
			set_bit(fd, bm1, pfn);
	}
	for (size_t i = 0; i < sp->npages; i++) {
		set_bit(fd, bm1, sp->pages[i].pfn);
		if (sp->pages[i].pfn >= start && sp->pages[i].pfn < end)
			set_bit(fd, bm1 + bm_half * ps, sp->pages[i].pfn);
	}

	/* descriptors and data */
	for (size_t i = 0; i < sp->npages; i++)
		if (sp->pages[i].pfn >= start && sp->pages[i].pfn < end)
			ndesc++;
	doffs = calloc(ndesc + 1, sizeof(*doffs));
	data = desc_off + ndesc * 24;
	{
		uint64_t zero_off = data;
		size_t k = 0;

		if (sp->zero_page) {
			memset(page, 0, ps);
			pw(fd, page, ps, data);
			data += ps;
		}
		for (size_t i = 0; i < sp->npages; i++) {
			const struct page *pg = &sp->pages[i];
			uint8_t pd[24] = { 0 };
			uint32_t flags = 0, n;
			uint64_t doff;

			if (pg->pfn < start || pg->pfn >= end)
				continue;
			fill_page(pg, page, ps);
			if (pg->has_desc) {
				s64(pd, pg->d_off);
				s32(pd + 8, pg->d_size);
				s32(pd + 12, pg->d_flags);
				doffs[k] = UINT64_MAX;
			} else if (pg->unwritten) {
				doffs[k] = UINT64_MAX;
			} else if (pg->fill == F_ZERO && sp->zero_page) {
				s64(pd, zero_off);
				s32(pd + 8, ps);
				doffs[k] = zero_off + ps;	/* "end" of the data it needs */
			} else {
				n = compress_page(pg->codec, page, ps, cbuf, 2 * ps + 1024, &flags);
				doff = data;
				pw(fd, cbuf, n, doff);
				data += n;
				s64(pd, doff);
				s32(pd + 8, n);
				s32(pd + 12, flags);
				doffs[k] = doff + n;
			}
			pw(fd, pd, 24, desc_off + k * 24);
			k++;
		}
	}
	eoff = data;
	if (version >= 5 && sp->eraseinfo && last) {
		size_t el = strlen(sp->eraseinfo);

		pw(fd, sp->eraseinfo, el, eoff);
		data += el;
		if (!w32) {
			s64(blk + 64, eoff);
			s64(blk + 72, el);
		} else {
			size_t a = pad ? 4 : 0;

			s64(blk + 44 + 3 * a, eoff);
			s32(blk + 52 + 3 * a, (uint32_t)el);
		}
	}
	pw(fd, blk, subsz, ps);
	fend = data;
	if (ftruncate(fd, (off_t)data) < 0)
		die("%s", "ftruncate failed");
	if (sp->has_truncate && last) {
		fend = sp->truncate < 0 ? data - (uint64_t)(-sp->truncate) : (uint64_t)sp->truncate;
		if (ftruncate(fd, (off_t)fend) < 0)
			die("%s", "ftruncate failed");
	}
	close(fd);

	/* expected pageread --all lines for the pfns of this part */
	if (expect) {
		size_t k = 0, ip = 0;

		while (ip < sp->npages && sp->pages[ip].pfn < start)
			ip++;
		for (uint64_t pfn = start; pfn < end; pfn++) {
			const struct page *pg = ip < sp->npages && sp->pages[ip].pfn == pfn ? &sp->pages[ip] : NULL;

			if (pg) {
				uint64_t need = doffs[k++];

				ip++;
				fill_page(pg, page, ps);
				if (need == UINT64_MAX || need > fend)
					fprintf(expect, "%" PRIu64 " missing -\n", pfn);
				else
					fprintf(expect, "%" PRIu64 " %s %08lx\n", pfn,
						pg->fill == F_ZERO && sp->zero_page ? "zero" : "present", crc32(0, page, ps));
			} else if (in_ram(sp, pfn)) {
				fprintf(expect, "%" PRIu64 " excluded -\n", pfn);
			}
			/* skip quickly over pfn gaps in huge sparse dumps */
			if (!pg && !in_ram(sp, pfn)) {
				uint64_t next = end;

				if (ip < sp->npages && sp->pages[ip].pfn < next)
					next = sp->pages[ip].pfn;
				for (size_t r = 0; r < sp->nram; r += 2)
					if (sp->ram[r] > pfn && sp->ram[r] < next)
						next = sp->ram[r];
				pfn = next - 1;
			}
		}
	}
	free(doffs);
	free(blk);
	free(page);
	free(cbuf);
}

int main(int argc, char **argv)
{
	struct spec sp;
	FILE *in, *expect;
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: mkdiskdump SPEC OUT\n");
		return 2;
	}
	memset(&sp, 0, sizeof(sp));
	sp.version = 6;
	sp.page_size = 4096;
	sp.max_mapnr = 256;
	sp.nr_cpus = 1;
	sp.dump_level = 31;
	sp.timestamp = 1700000000;
	snprintf(sp.machine, sizeof(sp.machine), "x86_64");
	snprintf(sp.release, sizeof(sp.release), "6.1.0-test");
	in = strcmp(argv[1], "-") ? fopen(argv[1], "r") : stdin;
	if (!in)
		die("cannot open %s", argv[1]);
	parse(&sp, in);
	if (in != stdin)
		fclose(in);
	if (!sp.page_size || (sp.page_size & (sp.page_size - 1)))
		die("%s", "page_size must be a power of two");
	if (sp.npages)
		qsort(sp.pages, sp.npages, sizeof(*sp.pages), cmp_page);
	for (size_t i = 0; i < sp.npages; i++)
		if (sp.pages[i].pfn >= sp.max_mapnr)
			die("%s", "a page is at or above max_mapnr");
	snprintf(path, sizeof(path), "%s.expect", argv[2]);
	expect = fopen(path, "w");
	if (!expect)
		die("cannot create %s", path);
	if (!sp.nparts) {
		write_file(&sp, argv[2], NULL, true, expect);
	} else {
		for (int i = 0; i < sp.nparts; i++) {
			snprintf(path, sizeof(path), "%s.%d", argv[2], i + 1);
			write_file(&sp, path, &sp.parts[i], i == sp.nparts - 1, expect);
		}
	}
	fclose(expect);
	free(sp.pages);
	free(sp.ram);
	free(sp.vmcoreinfo);
	free(sp.eraseinfo);
	return 0;
}
