// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The minimized-dump writers on a synthetic source: pages of different kinds
 * (compressible, incompressible, zero, excluded, not RAM) are written with
 * every codec, then parsed back by an independent decoder written here from
 * the format description (header fields, bitmaps, descriptors, notes), so a
 * writer bug cannot be hidden by the same bug in our reader.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <signal.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "harness.h"
#include "skbfilter/bytes.h"
#include "skbfilter/compress.h"
#include "skbfilter/dump.h"
#include "minicore/dumpwrite.h"

#define PSZ 4096u
#define MAXPFN 70000u	/* > 2 bitmap blocks of 32768 pfns */

/* ---- synthetic source ---- */

enum kind { K_TEXT, K_RANDOM, K_ZERO, K_EXCLUDED, K_NOTRAM, K_FAIL };

static enum kind kind_of(uint64_t pfn)
{
	switch (pfn % 11) {
	case 3: return K_RANDOM;
	case 5: return K_ZERO;
	case 7: return K_EXCLUDED;
	case 9: return pfn > 60000 ? K_TEXT : K_NOTRAM;
	default: return K_TEXT;
	}
}

static void fill_page(uint64_t pfn, uint8_t *buf)
{
	uint64_t x = pfn * 0x9e3779b97f4a7c15ull + 1;

	if (kind_of(pfn) == K_RANDOM) {
		for (unsigned i = 0; i < PSZ; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			buf[i] = (uint8_t)x;
		}
	} else if (kind_of(pfn) == K_ZERO) {
		memset(buf, 0, PSZ);
	} else {
		char line[64];

		for (unsigned i = 0; i < PSZ; i += 32) {
			snprintf(line, sizeof(line), "[pfn %010llx line %06u]......", (unsigned long long)pfn, i % 1000000);
			memcpy(buf + i, line, 32);
		}
	}
}

static int src_read(void *ctx, uint64_t pfn, uint8_t *buf, enum page_state *st, struct sf_err *err)
{
	int *fail_eio = ctx;

	if (fail_eio && *fail_eio)
		return sf_err_set(err, SF_EIO, "disk on fire");
	switch (kind_of(pfn)) {
	case K_EXCLUDED: *st = PAGE_EXCLUDED; return sf_err_set(err, SF_ENODATA, "excluded");
	case K_NOTRAM: *st = PAGE_NOT_IN_MEMORY; return sf_err_set(err, SF_ENODATA, "not ram");
	default: break;
	}
	fill_page(pfn, buf);
	*st = kind_of(pfn) == K_ZERO ? PAGE_ZERO : PAGE_PRESENT;
	return 0;
}

static const char vmci[] = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=ffffffff8a012345\n";

/* A note area: two NT_PRSTATUS "CORE" notes (no VMCOREINFO: the writer must add it). */
static uint8_t note_area[2 * (12 + 8 + 336)];

static void make_src(struct dumpwrite_src *s, uint64_t *pfns, size_t n, bool with_vmci_note)
{
	memset(s, 0, sizeof(*s));
	s->page_size = PSZ;
	s->e_machine = 62;
	s->max_pfn = MAXPFN;
	strcpy(s->uts[0], "Linux");
	strcpy(s->uts[2], "6.1.0-test");
	strcpy(s->uts[4], "x86_64");
	s->tv_sec = 1700000000;
	s->nr_cpus = 2;
	s->phys_base = 0x2c000000;
	s->dump_level = 31;
	for (int c = 0; c < 2; c++) {
		uint8_t *p = note_area + c * (12 + 8 + 336);

		st_le32(p, 5);
		st_le32(p + 4, 336);
		st_le32(p + 8, 1);
		memcpy(p + 12, "CORE", 5);
		for (int i = 0; i < 336; i++)
			p[20 + i] = (uint8_t)(c * 7 + i);
	}
	s->note_area = note_area;
	s->note_len = sizeof(note_area);
	if (with_vmci_note) {
		s->vmcoreinfo = vmci;
		s->vmcoreinfo_len = strlen(vmci);
	}
	s->pfns = pfns;
	s->npfns = n;
	s->read_page = src_read;
}

static size_t make_pfns(uint64_t *pfns)
{
	size_t n = 0;

	for (uint64_t p = 0; p < 200; p++)
		pfns[n++] = p;
	for (uint64_t p = 40000; p < 40100; p += 3)
		pfns[n++] = p;
	for (uint64_t p = 65000; p < 65040; p++)
		pfns[n++] = p;
	pfns[n++] = MAXPFN + 5;	/* above the source: dropped */
	return n;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f)
		TEST_FAIL("open %s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		TEST_FAIL("read %s", path);
	fclose(f);
	*len = (size_t)n;
	return b;
}

static void tmp_path(char *buf, size_t n, const char *name)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, n, "%s/kdw-%d-%s", t ? t : "/tmp", (int)getpid(), name);
}

/* ---- an independent kdump decoder ---- */

static bool bit(const uint8_t *bm, uint64_t pfn)
{
	return bm[pfn / 8] >> (pfn % 8) & 1;
}

static void decompress(uint32_t flags, const uint8_t *in, uint32_t len, uint8_t *out)
{
	if (flags == 0) {
		ASSERT_EQ(len, PSZ);
		memcpy(out, in, PSZ);
	} else if (flags == 0x1) {
		uLongf ol = PSZ;
		ASSERT_EQ(uncompress(out, &ol, in, len), Z_OK);
		ASSERT_EQ(ol, PSZ);
	} else if (flags == 0x2) {
		lzo_uint ol = PSZ;
		ASSERT_EQ(lzo1x_decompress_safe(in, len, out, &ol, NULL), LZO_E_OK);
		ASSERT_EQ(ol, PSZ);
	} else if (flags == 0x4) {
		size_t ol = PSZ;
		ASSERT_EQ(snappy_uncompress((const char *)in, len, (char *)out, &ol), SNAPPY_OK);
		ASSERT_EQ(ol, PSZ);
	} else if (flags == 0x20) {
		ASSERT_EQ(ZSTD_decompress(out, PSZ, in, len), PSZ);
	} else {
		TEST_FAIL("unknown page flags 0x%x", flags);
	}
}

static void check_kdump(const char *path, enum page_codec codec, const uint64_t *pfns, size_t n)
{
	size_t len;
	uint8_t *f = slurp(path, &len), page[PSZ], want[PSZ];
	uint32_t bs, sub_blocks, bm_blocks;
	uint64_t max_mapnr, note_off, note_len, vi_off, vi_len, desc_off, bm_half;
	size_t idx = 0, ncompressed = 0, nzero = 0;
	uint64_t zero_off = 0;

	ASSERT_TRUE(len > 2 * PSZ);
	ASSERT_TRUE(!memcmp(f, "KDUMP   ", 8));
	ASSERT_EQ(ld_le32(f + 8), 6);
	ASSERT_STREQ((char *)f + 12, "Linux");
	ASSERT_STREQ((char *)f + 12 + 65 * 2, "6.1.0-test");
	ASSERT_STREQ((char *)f + 12 + 65 * 4, "x86_64");
	ASSERT_U64(ld_le64(f + 408), 1700000000);
	ASSERT_U64(ld_le32(f + 424), compress_kdump_flag(codec));
	bs = ld_le32(f + 428);
	ASSERT_EQ(bs, PSZ);
	sub_blocks = ld_le32(f + 432);
	bm_blocks = ld_le32(f + 436);
	ASSERT_EQ(ld_le32(f + 460), 2);
	/* sub-header */
	ASSERT_U64(ld_le64(f + bs), 0x2c000000);
	ASSERT_EQ(ld_le32(f + bs + 8), 31);
	ASSERT_EQ(ld_le32(f + bs + 12), 0);
	vi_off = ld_le64(f + bs + 32);
	vi_len = ld_le64(f + bs + 40);
	note_off = ld_le64(f + bs + 48);
	note_len = ld_le64(f + bs + 56);
	max_mapnr = ld_le64(f + bs + 96);
	ASSERT_U64(ld_le64(f + bs + 88), 0);	/* end_pfn_64: split dumps only */
	ASSERT_U64(ld_le32(f + 440), max_mapnr);
	ASSERT_U64(max_mapnr, 65039 + 1);	/* highest kept RAM pfn + 1 */
	ASSERT_EQ(vi_len, strlen(vmci));
	ASSERT_TRUE(!memcmp(f + vi_off, vmci, vi_len));
	ASSERT_U64(note_off, bs + 104);
	ASSERT_TRUE(note_len >= sizeof(note_area));
	ASSERT_TRUE(!memcmp(f + note_off, note_area, sizeof(note_area)));
	ASSERT_TRUE(note_off + note_len <= (uint64_t)(1 + sub_blocks) * bs);
	ASSERT_TRUE(vi_off > note_off && vi_off + vi_len <= note_off + note_len);
	bm_half = (max_mapnr + bs * 8 - 1) / (bs * 8);
	ASSERT_EQ(bm_blocks, 2 * bm_half);
	const uint8_t *bm1 = f + (uint64_t)(1 + sub_blocks) * bs, *bm2 = bm1 + bm_half * bs;
	desc_off = (uint64_t)(1 + sub_blocks + bm_blocks) * bs;
	/* every pfn: bitmaps agree with the source's kind; data identical */
	for (uint64_t pfn = 0; pfn < bm_half * bs * 8; pfn++) {
		bool kept = idx < n && pfns[idx] == pfn;
		enum kind k = kind_of(pfn);

		if (kept)
			idx++;
		if (!kept || k == K_NOTRAM || pfn >= max_mapnr) {
			ASSERT_TRUE(!bit(bm1, pfn));
			ASSERT_TRUE(!bit(bm2, pfn));
			continue;
		}
		ASSERT_TRUE(bit(bm1, pfn));
		if (k == K_EXCLUDED) {
			ASSERT_TRUE(!bit(bm2, pfn));
			continue;
		}
		ASSERT_TRUE(bit(bm2, pfn));
		const uint8_t *d = f + desc_off;
		uint64_t off = ld_le64(d);
		uint32_t sz = ld_le32(d + 8), fl = ld_le32(d + 12);

		desc_off += 24;
		ASSERT_TRUE(off + sz <= len);
		decompress(fl, f + off, sz, page);
		fill_page(pfn, want);
		ASSERT_TRUE(!memcmp(page, want, PSZ));
		if (k == K_ZERO) {
			if (!zero_off)
				zero_off = off;
			ASSERT_U64(off, zero_off);	/* one shared zero page */
			nzero++;
		}
		if (k == K_RANDOM)
			ASSERT_EQ(fl, 0);		/* did not shrink: raw */
		if (fl)
			ncompressed++;
	}
	ASSERT_TRUE(nzero > 10);
	if (codec != CODEC_NONE)
		ASSERT_TRUE(ncompressed > 100);
	else
		ASSERT_EQ(ncompressed, 0);
	free(f);
}

static void write_one(const char *path, struct dumpwrite_src *s, enum page_codec codec, bool elf,
		      struct dumpwrite_result *res)
{
	struct outfile of;
	struct sf_err err = { 0 };

	ASSERT_OK(outfile_open(&of, path, &err), &err);
	if (elf)
		ASSERT_OK(minicore_write_elf(&of, s, res, &err), &err);
	else
		ASSERT_OK(minicore_write_kdump(&of, s, codec, res, &err), &err);
	ASSERT_OK(outfile_commit(&of, &err), &err);
}

static void roundtrip_codec(enum page_codec codec)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns);
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	uint8_t fate[1000];
	char path[256];
	struct stat stt;

	make_src(&s, pfns, n, true);
	res.fate = fate;
	tmp_path(path, sizeof(path), compress_codec_name(codec));
	write_one(path, &s, codec, false, &res);
	ASSERT_EQ(stat(path, &stt), 0);
	ASSERT_U64(res.file_bytes, stt.st_size);
	ASSERT_EQ(fate[n - 1], DW_ABSENT);
	ASSERT_EQ(res.n_data + res.n_zero + res.n_ram_only + res.n_absent, n);
	check_kdump(path, codec, pfns, n);
	if (!getenv("KDW_KEEP"))
		unlink(path);
}

TEST(kdump_zlib) { roundtrip_codec(CODEC_ZLIB); }
TEST(kdump_lzo) { roundtrip_codec(CODEC_LZO); }
TEST(kdump_snappy) { roundtrip_codec(CODEC_SNAPPY); }
TEST(kdump_zstd) { roundtrip_codec(CODEC_ZSTD); }
TEST(kdump_raw) { roundtrip_codec(CODEC_NONE); }

TEST(codec_options)
{
	enum page_codec c;
	struct sf_err err = { 0 };

	ASSERT_OK(compress_codec_from_opt(0, &c, &err), &err);
	ASSERT_EQ(c, CODEC_ZLIB);
	ASSERT_OK(compress_codec_from_opt('z', &c, &err), &err);
	ASSERT_EQ(c, CODEC_ZSTD);
	ASSERT_EQ(compress_codec_from_opt('x', &c, &err), -SF_EINVAL);
}

TEST(elf_layout)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns), len, idx = 0;
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	char path[256];
	uint8_t *f, want[PSZ];
	uint16_t phnum;
	uint64_t covered = 0;

	make_src(&s, pfns, n, true);
	tmp_path(path, sizeof(path), "elf");
	write_one(path, &s, CODEC_NONE, true, &res);
	f = slurp(path, &len);
	ASSERT_TRUE(!memcmp(f, "\177ELF\2\1\1", 7));
	ASSERT_EQ(ld_le16(f + 16), 4);
	ASSERT_EQ(ld_le16(f + 18), 62);
	phnum = ld_le16(f + 56);
	ASSERT_TRUE(phnum > 2);
	/* PT_NOTE first, holding the CORE notes and a VMCOREINFO note */
	const uint8_t *ph = f + ld_le64(f + 32);
	ASSERT_EQ(ld_le32(ph), 4);
	uint64_t noff = ld_le64(ph + 8), nlen = ld_le64(ph + 32);
	ASSERT_TRUE(!memcmp(f + noff, note_area, sizeof(note_area)));
	ASSERT_TRUE(nlen > sizeof(note_area) + strlen(vmci));
	ASSERT_TRUE(!memcmp(f + noff + sizeof(note_area) + 12, "VMCOREINFO", 10));
	ASSERT_TRUE(!memcmp(f + noff + sizeof(note_area) + 24, vmci, strlen(vmci)));
	/* every PT_LOAD page matches the source; excluded pages are memsz tails */
	for (int i = 1; i < phnum; i++) {
		const uint8_t *p = ph + 56 * i;
		uint64_t off = ld_le64(p + 8), paddr = ld_le64(p + 24), fsz = ld_le64(p + 32), msz = ld_le64(p + 40);

		ASSERT_EQ(ld_le32(p), 1);
		ASSERT_TRUE(fsz <= msz && off + fsz <= len);
		for (uint64_t o = 0; o < msz; o += PSZ) {
			uint64_t pfn = (paddr + o) / PSZ;

			while (idx < n && pfns[idx] < pfn)
				ASSERT_EQ(kind_of(pfns[idx++]), K_NOTRAM);
			ASSERT_U64(pfns[idx], pfn);
			idx++;
			if (o < fsz) {
				fill_page(pfn, want);
				ASSERT_TRUE(!memcmp(f + off + o, want, PSZ));
			} else {
				ASSERT_EQ(kind_of(pfn), K_EXCLUDED);
			}
			covered++;
		}
	}
	ASSERT_U64(covered, res.n_data + res.n_zero + res.n_ram_only);
	ASSERT_U64(len, res.file_bytes);
	free(f);
	if (!getenv("KDW_KEEP"))
		unlink(path);
}

/* A note area that already holds VMCOREINFO is copied as is, and the sub-header points into it. */
TEST(kdump_vmcoreinfo_inside_notes)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns), len;
	uint8_t area[12 + 12 + 128] = { 0 };
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	char path[256];
	uint8_t *f;

	make_src(&s, pfns, n, false);
	st_le32(area, 11);
	st_le32(area + 4, (uint32_t)strlen(vmci));
	memcpy(area + 12, "VMCOREINFO", 11);
	memcpy(area + 24, vmci, strlen(vmci));
	s.note_area = area;
	s.note_len = sizeof(area);
	s.vmcoreinfo = vmci;
	s.vmcoreinfo_len = strlen(vmci);
	tmp_path(path, sizeof(path), "vin");
	write_one(path, &s, CODEC_ZLIB, false, &res);
	f = slurp(path, &len);
	ASSERT_U64(ld_le64(f + PSZ + 56), sizeof(area));		/* note size unchanged */
	ASSERT_U64(ld_le64(f + PSZ + 32), PSZ + 104 + 24);		/* offset_vmcoreinfo */
	ASSERT_U64(ld_le64(f + PSZ + 40), strlen(vmci));
	free(f);
	if (!getenv("KDW_KEEP"))
		unlink(path);
}

/* An aborting read error leaves no file behind. */
TEST(read_error_leaves_nothing)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns);
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	struct outfile of;
	struct sf_err err = { 0 };
	char path[256];
	int fail = 1;

	make_src(&s, pfns, n, true);
	s.ctx = &fail;
	tmp_path(path, sizeof(path), "eio");
	ASSERT_OK(outfile_open(&of, path, &err), &err);
	ASSERT_EQ(minicore_write_kdump(&of, &s, CODEC_ZLIB, &res, &err), -SF_EIO);
	ASSERT_CONTAINS(err.msg, "disk on fire");
	outfile_abort(&of);
	ASSERT_TRUE(access(path, F_OK) != 0);
}

/* A file-size limit (like a full disk) fails the write and leaves no partial file. */
TEST(write_error_leaves_nothing)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns);
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	struct outfile of;
	struct sf_err err = { 0 };
	struct rlimit rl = { 64 * 1024, 64 * 1024 };
	char path[300], dir[256];
	int rc;

	signal(SIGXFSZ, SIG_IGN);
	ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &rl), 0);
	make_src(&s, pfns, n, true);
	tmp_path(dir, sizeof(dir), "efbig");
	ASSERT_EQ(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/mini.core", dir);
	ASSERT_OK(outfile_open(&of, path, &err), &err);
	rc = minicore_write_kdump(&of, &s, CODEC_NONE, &res, &err);
	if (rc == 0)
		rc = outfile_commit(&of, &err);
	else
		outfile_abort(&of);
	ASSERT_TRUE(rc < 0);
	ASSERT_CONTAINS(err.msg, "mini.core");
	ASSERT_EQ(rmdir(dir), 0);	/* empty: no temporary, no partial output */
}

/* Our own reader (dump_open) sees every kept page byte for byte, and the rest as absent or excluded. */
static void reader_roundtrip(enum page_codec codec, bool elf)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns), idx = 0;
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	struct dump_open_opts opts = { 0 };
	struct sf_err err = { 0 };
	struct dump *d;
	char path[256];
	const char *pp = path;
	uint8_t page[PSZ], want[PSZ];
	const struct dump_note *notes;
	size_t nnotes, vlen;

	make_src(&s, pfns, n, true);
	tmp_path(path, sizeof(path), elf ? "rt-elf" : "rt");
	write_one(path, &s, codec, elf, &res);
	ASSERT_OK(dump_open(&pp, 1, &opts, &d, &err), &err);
	ASSERT_EQ(dump_get_info(d)->page_size, PSZ);
	for (uint64_t pfn = 0; pfn < 70000; pfn++) {
		bool kept = idx < n && pfns[idx] == pfn;
		enum kind k = kind_of(pfn);
		enum page_state st;
		int rc;

		if (kept)
			idx++;
		if (!kept && pfn % 97)
			continue;	/* sample the pfns that are not kept */
		rc = dump_read_page(d, pfn, page, &st, &err);
		if (!kept || k == K_NOTRAM) {
			ASSERT_TRUE(rc < 0);
			ASSERT_EQ(st, PAGE_NOT_IN_MEMORY);
		} else if (k == K_EXCLUDED) {
			ASSERT_TRUE(rc < 0);
			ASSERT_EQ(st, PAGE_EXCLUDED);
		} else {
			ASSERT_OK(rc, &err);
			fill_page(pfn, want);
			ASSERT_TRUE(!memcmp(page, want, PSZ));
		}
	}
	nnotes = dump_get_notes(d, &notes);
	ASSERT_EQ(nnotes, 3);
	ASSERT_STREQ(notes[0].name, "CORE");
	ASSERT_EQ(notes[1].descsz, 336);
	ASSERT_TRUE(!memcmp(notes[1].desc, note_area + 12 + 8 + 336 + 20, 336));
	ASSERT_STREQ(dump_get_vmcoreinfo(d, &vlen), vmci);
	dump_close(d);
	if (!getenv("KDW_KEEP"))
		unlink(path);
}

TEST(reader_zlib) { reader_roundtrip(CODEC_ZLIB, false); }
TEST(reader_lzo) { reader_roundtrip(CODEC_LZO, false); }
TEST(reader_snappy) { reader_roundtrip(CODEC_SNAPPY, false); }
TEST(reader_zstd) { reader_roundtrip(CODEC_ZSTD, false); }
TEST(reader_elf) { reader_roundtrip(CODEC_NONE, true); }

/* ---- the store and copying the source's stored bytes ---- */

/* A store too small for all pages: the rest are re-read and re-compressed, the file is the same. */
static void store_cap_case(enum page_codec codec, bool elf)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns), la, lb;
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	char a[256], b[256];
	uint8_t *fa, *fb;

	make_src(&s, pfns, n, true);
	tmp_path(a, sizeof(a), "cap-a");
	write_one(a, &s, codec, elf, &res);
	s.store_cap = 5 * PSZ + 17;	/* a few pages, then full */
	tmp_path(b, sizeof(b), "cap-b");
	write_one(b, &s, codec, elf, &res);
	if (!elf)
		check_kdump(b, codec, pfns, n);
	fa = slurp(a, &la);
	fb = slurp(b, &lb);
	ASSERT_U64(la, lb);
	ASSERT_TRUE(!memcmp(fa, fb, la));
	free(fa);
	free(fb);
	unlink(a);
	unlink(b);
}

TEST(store_cap_zlib) { store_cap_case(CODEC_ZLIB, false); }
TEST(store_cap_raw) { store_cap_case(CODEC_NONE, false); }
TEST(store_cap_elf) { store_cap_case(CODEC_NONE, true); }

/* A source that stores pages as zlib level 9 (not what our level-1 compressor makes). */
static int src_read_stored(void *ctx, uint64_t pfn, uint8_t *buf, enum page_state *st, uint8_t *stored, size_t cap,
			   size_t *stored_len, uint32_t *stored_flags, struct sf_err *err)
{
	int rc = src_read(ctx, pfn, buf, st, err);
	uLongf zl = cap;

	*stored_len = 0;
	*stored_flags = 0;
	if (rc == 0 && *st == PAGE_PRESENT && compress2(stored, &zl, buf, PSZ, 9) == Z_OK && zl < PSZ) {
		*stored_len = zl;
		*stored_flags = 0x1;
	}
	return rc;
}

/* Pages the source stores in the codec we write are copied (and decode to the page); others are compressed. */
static void copy_case(enum page_codec codec, size_t cap)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns), text = 0;
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 }, res0 = { 0 };
	char path[256];

	for (size_t i = 0; i < n; i++)
		if (pfns[i] < MAXPFN && (kind_of(pfns[i]) == K_TEXT || (kind_of(pfns[i]) == K_NOTRAM && pfns[i] > 60000)))
			text++;
	make_src(&s, pfns, n, true);
	tmp_path(path, sizeof(path), "copy0");
	write_one(path, &s, codec, false, &res0);
	unlink(path);
	s.read_page_stored = src_read_stored;
	s.store_cap = cap;
	tmp_path(path, sizeof(path), "copy");
	write_one(path, &s, codec, false, &res);
	check_kdump(path, codec, pfns, n);
	ASSERT_U64(res.n_copied, codec == CODEC_ZLIB ? text : 0);
	ASSERT_TRUE(codec == CODEC_ZLIB ? res.data_bytes < res0.data_bytes : res.data_bytes == res0.data_bytes);
	unlink(path);
}

TEST(copy_stored_zlib) { copy_case(CODEC_ZLIB, 0); }
TEST(copy_stored_zlib_small_store) { copy_case(CODEC_ZLIB, 3 * PSZ); }
TEST(copy_stored_other_codec) { copy_case(CODEC_LZO, 0); }

/* dump_read_page_stored on a written kdump returns the bytes in the file; on ELF, -SF_ENOTSUP. */
TEST(dump_read_page_stored)
{
	static uint64_t pfns[1000];
	size_t n = make_pfns(pfns);
	struct dumpwrite_src s;
	struct dumpwrite_result res = { 0 };
	struct dump_open_opts opts = { 0 };
	struct sf_err err = { 0 };
	struct dump *d;
	char path[256];
	const char *pp = path;
	uint8_t page[PSZ], want[PSZ], stored[PSZ], back[PSZ];
	size_t ntext = 0;

	make_src(&s, pfns, n, true);
	for (int elf = 0; elf < 2; elf++) {
		tmp_path(path, sizeof(path), elf ? "st-elf" : "st");
		write_one(path, &s, CODEC_ZLIB, elf, &res);
		ASSERT_OK(dump_open(&pp, 1, &opts, &d, &err), &err);
		for (size_t i = 0; i < n; i++) {
			enum page_state st;
			size_t len = 99;
			uint32_t flags = 99;
			uLongf bl = PSZ;

			if (pfns[i] >= MAXPFN || kind_of(pfns[i]) != K_TEXT)
				continue;
			if (elf) {
				ASSERT_EQ(dump_read_page_stored(d, pfns[i], page, &st, stored, sizeof(stored), &len, &flags,
								&err), -SF_ENOTSUP);
				ASSERT_U64(len, 0);
				continue;
			}
			ASSERT_OK(dump_read_page_stored(d, pfns[i], page, &st, stored, sizeof(stored), &len, &flags, &err),
				  &err);
			fill_page(pfns[i], want);
			ASSERT_TRUE(!memcmp(page, want, PSZ));
			/* it is in the page cache now: dump_read_page returns the same page */
			memset(page, 0, PSZ);
			ASSERT_OK(dump_read_page(d, pfns[i], page, &st, &err), &err);
			ASSERT_TRUE(!memcmp(page, want, PSZ));
			ASSERT_EQ(flags, 0x1);
			ASSERT_TRUE(len > 0 && len < PSZ);
			ASSERT_EQ(uncompress(back, &bl, stored, len), Z_OK);
			ASSERT_TRUE(bl == PSZ && !memcmp(back, want, PSZ));
			/* too small a buffer: no stored bytes, the page still read */
			ASSERT_OK(dump_read_page_stored(d, pfns[i], page, &st, stored, len - 1, &len, &flags, &err), &err);
			ASSERT_U64(len, 0);
			ntext++;
		}
		dump_close(d);
		unlink(path);
	}
	ASSERT_TRUE(ntext > 100);
}

TEST_MAIN()
