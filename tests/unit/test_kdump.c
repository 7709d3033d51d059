// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump-compressed reader over dumps written by tests/gen/mkdiskdump: every
 * header version and codec, 32-bit and big-endian headers, zero/excluded/
 * missing pages, split sets, corrupt descriptors, and the cost of a huge
 * sparse max_mapnr_64 dump.
 */
#include <zlib.h>

#include "harness.h"
#include "skbfilter/dump.h"
#include "dump/kdump.h"

static char tmpdir[256];

static const char *gen_tool(void)
{
	static char path[512];
	const char *b = getenv("BUILD");

	snprintf(path, sizeof(path), "%s/tests/gen/mkdiskdump", b ? b : "build/std");
	return path;
}

static void cleanup(void)
{
	char cmd[512];

	if (tmpdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
	}
}

/* Writes spec to a file and runs mkdiskdump; returns the output path (static per name). */
static const char *gen(const char *name, const char *spec)
{
	static char out[16][512];
	static int k;
	char specpath[512], cmd[2048];
	FILE *f;

	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/skbf-kdump-XXXXXX");
		ASSERT_TRUE(mkdtemp(tmpdir) != NULL);
		atexit(cleanup);
	}
	snprintf(specpath, sizeof(specpath), "%s/%s.spec", tmpdir, name);
	f = fopen(specpath, "w");
	ASSERT_TRUE(f != NULL);
	fputs(spec, f);
	fclose(f);
	k = (k + 1) % 16;
	snprintf(out[k], sizeof(out[k]), "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "%s %s %s", gen_tool(), specpath, out[k]);
	if (system(cmd) != 0)
		TEST_FAIL("mkdiskdump failed for %s", name);
	return out[k];
}

struct opened {
	struct dump *d;
	struct warnlist wl;
	struct sf_err err;
};

static int open_paths(struct opened *o, const char *const *paths, int n)
{
	struct dump_open_opts opts = { 0 };

	memset(o, 0, sizeof(*o));
	warnlist_init(&o->wl);
	opts.warnings = &o->wl;
	return dump_open(paths, n, &opts, &o->d, &o->err);
}

static void open_one(struct opened *o, const char *path)
{
	ASSERT_OK(open_paths(o, &path, 1), &o->err);
}

static void close_opened(struct opened *o)
{
	dump_close(o->d);
	warnlist_release(&o->wl);
}

static bool warned(const struct opened *o, const char *needle)
{
	for (size_t i = 0; i < o->wl.kept; i++)
		if (strstr(o->wl.msgs[i], needle))
			return true;
	return false;
}

/* Compares every line of the generator's .expect file with what the reader says. */
static int check_expect(struct dump *d, const char *expect_path)
{
	const struct dump_info *info = dump_get_info(d);
	uint8_t *buf = malloc(info->page_size);
	FILE *f = fopen(expect_path, "r");
	char line[256];
	int n = 0;

	ASSERT_TRUE(f && buf);
	while (fgets(line, sizeof(line), f)) {
		unsigned long long pfn;
		char state[32], crc[32], got[32];
		enum page_state st;
		struct sf_err err = { 0 };
		int rc;

		ASSERT_EQ(sscanf(line, "%llu %31s %31s", &pfn, state, crc), 3);
		rc = dump_read_page(d, pfn, buf, &st, &err);
		if (rc < 0)
			snprintf(got, sizeof(got), "-");
		else
			snprintf(got, sizeof(got), "%08lx", crc32(0, buf, info->page_size));
		if (strcmp(state, page_state_name(st)) || strcmp(crc, got))
			TEST_FAIL("pfn %llu: expected %s %s, got %s %s (%s)", pfn, state, crc, page_state_name(st), got, err.msg);
		n++;
	}
	fclose(f);
	free(buf);
	return n;
}

static const char *expect_of(const char *path)
{
	static char p[600];

	snprintf(p, sizeof(p), "%s.expect", path);
	return p;
}

static const char *all_codecs_pages =
	"max_mapnr = 0x40\n"
	"ram = 0-0x2f\n"
	"page = 0-1 raw pfn\n"
	"page = 2-3 zlib pfn\n"
	"page = 4-5 lzo pfn\n"
	"page = 6-7 snappy pfn\n"
	"page = 8-9 zstd pfn\n"
	"page = 10 zlib random:1\n"
	"page = 11 zstd byte:0x5a\n"
	"page = 0x20 lzo pfn\n";

TEST(every_header_version_and_codec)
{
	for (int v = 1; v <= 7; v++) {
		char spec[2048], name[32];
		struct opened o;

		snprintf(spec, sizeof(spec), "version = %d\nphys_base = 0x1000000\ndump_level = 17\nnr_cpus = 4\n%s", v, all_codecs_pages);
		snprintf(name, sizeof(name), "v%d", v);
		const char *p = gen(name, spec);
		open_one(&o, p);
		const struct dump_info *in = dump_get_info(o.d);
		ASSERT_STREQ(in->format, "kdump");
		ASSERT_EQ(in->header_version, v);
		ASSERT_EQ(in->page_size, 4096);
		ASSERT_U64(in->max_pfn, 0x40);
		ASSERT_TRUE(in->phys_base_valid);
		ASSERT_U64(in->phys_base, 0x1000000);
		ASSERT_EQ(in->dump_level, 17);
		ASSERT_EQ(in->nr_cpus, 4);
		ASSERT_EQ(in->e_machine, 62);
		ASSERT_STREQ(in->uts_machine, "x86_64");
		ASSERT_STREQ(in->uts_release, "6.1.0-test");
		ASSERT_EQ(in->timestamp_sec, 1700000000);
		ASSERT_TRUE(!in->big_endian && !in->split && !in->incomplete);
		ASSERT_U64(in->n_ram, 0x30);
		ASSERT_U64(in->n_dumped, 13);
		ASSERT_U64(in->n_excluded, 0x30 - 13);
		ASSERT_EQ(check_expect(o.d, expect_of(p)), 0x30);
		ASSERT_STREQ(in->codecs, "zlib,lzo,snappy,zstd,raw");
		close_opened(&o);
	}
}

TEST(page_states_and_errors)
{
	const char *p = gen("states", all_codecs_pages);
	uint8_t buf[4096];
	enum page_state st;
	struct opened o;

	open_one(&o, p);
	ASSERT_EQ(dump_read_page(o.d, 0x2f, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_EXCLUDED);
	ASSERT_CONTAINS(o.err.msg, "pfn 0x2f");
	ASSERT_EQ(dump_read_page(o.d, 0x30, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_NOT_IN_MEMORY);
	ASSERT_EQ(dump_read_page(o.d, 0x40, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_NOT_IN_MEMORY);
	ASSERT_EQ(dump_read_page(o.d, ~0ull, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(dump_page_state(o.d, 5), PAGE_PRESENT);
	ASSERT_EQ(dump_page_state(o.d, 0x1f), PAGE_EXCLUDED);
	ASSERT_EQ(dump_page_state(o.d, 0x3f), PAGE_NOT_IN_MEMORY);
	/* reading physical memory across a page boundary */
	uint8_t two[16];
	ASSERT_OK(dump_read_phys(o.d, 2 * 4096 - 8, two, 16, &o.err), &o.err);
	close_opened(&o);
}

TEST(vmcoreinfo_notes_eraseinfo_by_version)
{
	for (int v = 2; v <= 6; v++) {
		char spec[1024];
		const struct dump_note *notes;
		size_t len;
		struct opened o;

		snprintf(spec, sizeof(spec),
			 "version = %d\nvmcoreinfo = OSRELEASE=6.1.0-test\\nPAGESIZE=4096\\n\n"
			 "note = CORE 1 00112233445566778899\neraseinfo = erase modules size 4\\n\n"
			 "max_mapnr = 16\npage = 1 zlib pfn\n", v);
		open_one(&o, gen("notes", spec));
		const char *vi = dump_get_vmcoreinfo(o.d, &len);
		if (v >= 3) {
			ASSERT_TRUE(vi != NULL);
			ASSERT_CONTAINS(vi, "OSRELEASE=6.1.0-test\n");
		} else {
			ASSERT_TRUE(vi == NULL);
		}
		size_t nn = dump_get_notes(o.d, &notes);
		if (v >= 4) {
			ASSERT_EQ(nn, 2);
			ASSERT_STREQ(notes[0].name, "CORE");
			ASSERT_EQ(notes[0].type, 1);
			ASSERT_EQ(notes[0].descsz, 10);
			ASSERT_EQ(notes[0].desc[9], 0x99);
			ASSERT_STREQ(notes[1].name, "VMCOREINFO");
		} else {
			ASSERT_EQ(nn, 0);
		}
		const char *ei = dump_get_eraseinfo(o.d, &len);
		if (v >= 5)
			ASSERT_STREQ(ei, "erase modules size 4\n");
		else
			ASSERT_TRUE(ei == NULL);
		close_opened(&o);
	}
}

TEST(shared_zero_page)
{
	/* first dumped pfn is a zero page: descriptor 0 points at data_start */
	const char *p1 = gen("zero1", "zero_page = 1\nmax_mapnr = 32\npage = 0-2 zstd zero\npage = 3 zlib pfn\npage = 4 raw zero\npage = 5 raw byte:0\n");
	/* first dumped pfn is real data: descriptor 0 points one page after data_start */
	const char *p2 = gen("zero2", "zero_page = 1\nmax_mapnr = 32\npage = 0 zlib pfn\npage = 1-3 lzo zero\npage = 9 raw random:4\n");
	struct opened o;
	uint8_t buf[4096];
	enum page_state st;

	open_one(&o, p1);
	ASSERT_EQ(check_expect(o.d, expect_of(p1)), 6);
	ASSERT_OK(dump_read_page(o.d, 1, buf, &st, &o.err), &o.err);
	ASSERT_EQ(st, PAGE_ZERO);
	close_opened(&o);
	open_one(&o, p2);
	ASSERT_EQ(check_expect(o.d, expect_of(p2)), 5);
	ASSERT_OK(dump_read_page(o.d, 2, buf, &st, &o.err), &o.err);
	ASSERT_EQ(st, PAGE_ZERO);
	ASSERT_OK(dump_read_page(o.d, 0, buf, &st, &o.err), &o.err);
	ASSERT_EQ(st, PAGE_PRESENT);
	close_opened(&o);
}

TEST(incomplete_truncated_dump)
{
	const char *p = gen("incomplete",
			    "incomplete = 1\nmax_mapnr = 64\npage = 0-15 zlib random:2\nunwritten = 16-17\ntruncate = -5000\n");
	struct opened o;
	uint8_t buf[4096];
	enum page_state st;

	open_one(&o, p);
	ASSERT_TRUE(dump_get_info(o.d)->incomplete);
	ASSERT_TRUE(warned(&o, "incomplete"));
	ASSERT_EQ(check_expect(o.d, expect_of(p)), 18);
	ASSERT_OK(dump_read_page(o.d, 0, buf, &st, &o.err), &o.err);
	ASSERT_EQ(dump_read_page(o.d, 15, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_MISSING);
	ASSERT_CONTAINS(o.err.msg, "past the end of the file");
	ASSERT_EQ(dump_read_page(o.d, 16, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_MISSING);
	ASSERT_CONTAINS(o.err.msg, "never written");
	ASSERT_TRUE(warned(&o, "pfn 0xf: page data at"));
	ASSERT_TRUE(dump_get_info(o.d)->n_missing >= 2);
	close_opened(&o);
}

TEST(corrupt_descriptors)
{
	const char *p = gen("corrupt",
			    "max_mapnr = 16\npage = 0-5 zlib pfn\n"
			    "desc = 1 0x3000 9000 1\n"		/* size above the page */
			    "desc = 2 0x10 100 1\n"		/* offset into the headers */
			    "desc = 3 0x5000 100 0x40\n"	/* unknown flag */
			    "desc = 4 0x7fffffff0000 100 1\n"	/* past EOF */
			    "desc = 5 0x5000 100 0x3\n");	/* two codecs */
	struct opened o;
	uint8_t buf[4096];
	enum page_state st;

	open_one(&o, p);
	ASSERT_OK(dump_read_page(o.d, 0, buf, &st, &o.err), &o.err);
	ASSERT_EQ(dump_read_page(o.d, 1, buf, &st, &o.err), -SF_ECORRUPT);
	ASSERT_EQ(st, PAGE_MISSING);
	ASSERT_CONTAINS(o.err.msg, "pfn 0x1: page descriptor at 0x4018 claims 9000 compressed bytes (page is 4096)");
	ASSERT_EQ(dump_read_page(o.d, 2, buf, &st, &o.err), -SF_ECORRUPT);
	ASSERT_CONTAINS(o.err.msg, "inside the headers");
	ASSERT_EQ(dump_read_page(o.d, 3, buf, &st, &o.err), -SF_ECORRUPT);
	ASSERT_CONTAINS(o.err.msg, "flags 0x40");
	ASSERT_EQ(dump_read_page(o.d, 4, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_MISSING);
	ASSERT_CONTAINS(o.err.msg, "past the end of the file");
	ASSERT_EQ(dump_read_page(o.d, 5, buf, &st, &o.err), -SF_ECORRUPT);
	close_opened(&o);
}

TEST(corrupt_compressed_data_names_codec)
{
	/* a zlib descriptor pointing at another page's lzo data */
	const char *p = gen("badzlib", "max_mapnr = 16\npage = 0 lzo pfn\npage = 1 zlib pfn\n");
	struct opened o;
	uint8_t buf[4096];
	enum page_state st;
	FILE *f;
	uint8_t pd[24];
	char path[600];

	snprintf(path, sizeof(path), "%s", p);
	f = fopen(path, "r+b");
	ASSERT_TRUE(f != NULL);
	/* descriptor 1 at 0x4000 + 24: copy descriptor 0's offset/size, keep flags zlib */
	ASSERT_EQ(fseek(f, 0x4000, SEEK_SET), 0);
	ASSERT_EQ(fread(pd, 1, 24, f), 24);
	ASSERT_EQ(fseek(f, 0x4000 + 24, SEEK_SET), 0);
	pd[12] = 1;
	ASSERT_EQ(fwrite(pd, 1, 16, f), 16);
	fclose(f);
	open_one(&o, path);
	ASSERT_EQ(dump_read_page(o.d, 1, buf, &st, &o.err), -SF_ECORRUPT);
	ASSERT_EQ(st, PAGE_MISSING);
	ASSERT_CONTAINS(o.err.msg, "zlib");
	ASSERT_CONTAINS(o.err.msg, "pfn 0x1");
	close_opened(&o);
}

/* dump_read_pages() on several threads reads what dump_read_page() reads, page for page, error for error. */
TEST(bulk_reads_match_single_reads)
{
	/* with enough zlib/zstd pages (>= 16) that the batch is decompressed on threads */
	char spec[1024];
	const char *p;
	static uint8_t bulk[0x40 * 4096], one[4096];
	uint64_t pfns[0x40];
	bool ok[0x40];
	enum page_state st;
	struct opened a, b;
	uint8_t pd[24];
	FILE *f;

	snprintf(spec, sizeof(spec), "%spage = 0x21-0x2f zlib pfn\n", all_codecs_pages);
	p = gen("bulk", spec);
	/* pfn 3's zlib descriptor points at pfn 4's lzo bytes: a page that fails only when decompressed */
	f = fopen(p, "r+b");
	ASSERT_TRUE(f != NULL);
	ASSERT_EQ(fseek(f, 0x4000 + 4 * 24, SEEK_SET), 0);
	ASSERT_EQ(fread(pd, 1, 24, f), 24);
	ASSERT_EQ(fseek(f, 0x4000 + 3 * 24, SEEK_SET), 0);
	pd[12] = 1;
	ASSERT_EQ(fwrite(pd, 1, 16, f), 16);
	fclose(f);
	for (int i = 0; i < 0x40; i++)
		pfns[i] = (uint64_t)(0x3f - i);	/* any order */
	for (int nthreads = 1; nthreads <= 4; nthreads += 3) {
		open_one(&a, p);
		open_one(&b, p);
		ASSERT_EQ(dump_read_pages(a.d, pfns, 0x40, bulk, ok, nthreads, &a.err), 27);	/* 28 dumped, 1 corrupt */
		for (int i = 0; i < 0x40; i++) {
			int rc = dump_read_page(b.d, pfns[i], one, &st, &b.err);

			ASSERT_EQ(ok[i], rc == 0);
			if (rc == 0)
				ASSERT_TRUE(!memcmp(bulk + (size_t)i * 4096, one, 4096));
		}
		/* the corrupt page counted missing once, named like a single read */
		ASSERT_U64(dump_get_info(a.d)->n_missing, dump_get_info(b.d)->n_missing);
		ASSERT_EQ(a.wl.count, b.wl.count);
		close_opened(&a);
		close_opened(&b);
	}
	/* more pages than a batch holds is refused, not overrun */
	open_one(&a, p);
	ASSERT_EQ(dump_read_pages(a.d, pfns, dump_read_pages_batch(4096) + 1, bulk, ok, 2, &a.err), -SF_EINVAL);
	close_opened(&a);
}

static const char *split_spec(const char *extra)
{
	static char s[2048];

	snprintf(s, sizeof(s), "max_mapnr = 0x60\nzero_page = 1\nram = 0-0x5f\npage = 0-9 zlib pfn\npage = 0x20-0x22 lzo zero\n"
		 "page = 0x23-0x30 zstd pfn\npage = 0x50-0x5f snappy random:9\n%s", extra);
	return s;
}

TEST(split_set)
{
	const char *base = gen("split", split_spec("part = 0 0x20\npart = 0x20 0x40\npart = 0x40 0x60\n"));
	const char *single = gen("nosplit", split_spec(""));
	char p1[600], p2[600], p3[600];
	const char *paths[3] = { p3, p1, p2 };	/* any order */
	struct opened o;

	snprintf(p1, sizeof(p1), "%s.1", base);
	snprintf(p2, sizeof(p2), "%s.2", base);
	snprintf(p3, sizeof(p3), "%s.3", base);
	ASSERT_OK(open_paths(&o, paths, 3), &o.err);
	ASSERT_TRUE(dump_get_info(o.d)->split);
	ASSERT_EQ(check_expect(o.d, expect_of(base)), 0x60);
	ASSERT_EQ(check_expect(o.d, expect_of(single)), 0x60);
	ASSERT_U64(dump_get_info(o.d)->n_dumped, 10 + 3 + 14 + 16);
	ASSERT_EQ(o.wl.count, 0);
	close_opened(&o);

	/* one part alone: its own pages read, the others are missing, with a warning */
	uint8_t buf[4096];
	enum page_state st;
	open_one(&o, p2);
	ASSERT_TRUE(warned(&o, "other parts of the split set were not given"));
	ASSERT_OK(dump_read_page(o.d, 0x21, buf, &st, &o.err), &o.err);
	ASSERT_EQ(st, PAGE_ZERO);
	ASSERT_EQ(dump_read_page(o.d, 0x5, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_MISSING);
	close_opened(&o);
}

TEST(split_set_inconsistent)
{
	const char *b1 = gen("badsplit", split_spec("part = 0 0x20\npart = 0x20 0x40 release=6.2.0-other\npart = 0x40 0x60\n"));
	const char *b2 = gen("overlap", split_spec("part = 0 0x21\npart = 0x20 0x40\npart = 0x40 0x60\n"));
	const char *ns = gen("lone", split_spec(""));
	char a[600], b[600], c[600];
	const char *paths[3] = { a, b, c };
	struct opened o;

	snprintf(a, sizeof(a), "%s.1", b1);
	snprintf(b, sizeof(b), "%s.2", b1);
	snprintf(c, sizeof(c), "%s.3", b1);
	ASSERT_TRUE(open_paths(&o, paths, 3) < 0);
	ASSERT_CONTAINS(o.err.msg, "not from the same dump");
	ASSERT_CONTAINS(o.err.msg, ".2");
	warnlist_release(&o.wl);

	snprintf(a, sizeof(a), "%s.1", b2);
	snprintf(b, sizeof(b), "%s.2", b2);
	snprintf(c, sizeof(c), "%s.3", b2);
	ASSERT_TRUE(open_paths(&o, paths, 3) < 0);
	ASSERT_CONTAINS(o.err.msg, "overlaps");
	warnlist_release(&o.wl);

	snprintf(a, sizeof(a), "%s.1", b2);
	snprintf(b, sizeof(b), "%s", ns);
	ASSERT_TRUE(open_paths(&o, paths, 2) < 0);
	ASSERT_CONTAINS(o.err.msg, "not part of a split set");
	warnlist_release(&o.wl);
}

TEST(big_endian_header)
{
	const char *p = gen("be", "endian = big\nmachine = ppc64\npage_size = 65536\nmax_mapnr = 8\n"
			    "vmcoreinfo = PAGESIZE=65536\\n\nnote = CORE 1 aabbccdd\n"
			    "page = 0-2 zlib pfn\npage = 3 zstd random:1\npage = 5 raw byte:0x11\n");
	const struct dump_note *notes;
	struct opened o;

	open_one(&o, p);
	const struct dump_info *in = dump_get_info(o.d);
	ASSERT_TRUE(in->big_endian);
	ASSERT_EQ(in->e_machine, 21);
	ASSERT_EQ(in->page_size, 65536);
	ASSERT_EQ(check_expect(o.d, expect_of(p)), 5);
	ASSERT_EQ(dump_get_notes(o.d, &notes), 2);
	ASSERT_EQ(notes[0].type, 1);
	ASSERT_CONTAINS(dump_get_vmcoreinfo(o.d, NULL), "PAGESIZE=65536");
	close_opened(&o);
}

TEST(thirty_two_bit_layouts)
{
	static const char *const machines[] = { "i686", "armv7l" };

	for (int i = 0; i < 2; i++) {
		for (int v = 1; v <= 6; v++) {
			char spec[1024];
			struct opened o;

			snprintf(spec, sizeof(spec), "version = %d\nmachine = %s\nphys_base = 0x3c0000\nmax_mapnr = 20\n"
				 "vmcoreinfo = OSRELEASE=5.0\\n\neraseinfo = erase x\\n\n"
				 "page = 0-3 zlib pfn\npage = 7 snappy pfn\npart = 0 20\n", v, machines[i]);
			const char *p = gen("w32", spec);
			char path[600];
			snprintf(path, sizeof(path), "%s.1", p);
			open_one(&o, path);
			const struct dump_info *in = dump_get_info(o.d);
			ASSERT_TRUE(in->elf_class32);
			ASSERT_EQ(in->e_machine, i ? 40 : 3);
			ASSERT_U64(in->phys_base, 0x3c0000);
			ASSERT_EQ(in->split, v >= 2);
			ASSERT_EQ(check_expect(o.d, expect_of(p)), 5);
			if (v >= 3)
				ASSERT_CONTAINS(dump_get_vmcoreinfo(o.d, NULL), "OSRELEASE=5.0");
			if (v >= 5)
				ASSERT_STREQ(dump_get_eraseinfo(o.d, NULL), "erase x\n");
			close_opened(&o);
		}
	}
}

TEST(huge_sparse_max_mapnr_64)
{
	/* just above 2^32 pfns: each bitmap is 512 MiB of holes; the 32-bit max_mapnr cannot say it */
	const char *p = gen("huge", "max_mapnr = 0x100000400\nram = 0-15\npage = 0-3 zlib pfn\npage = 9 zstd pfn\n"
			    "page = 0x100000005 lzo pfn\n");
	struct kdump_stats s;
	struct opened o;
	uint8_t buf[4096];
	enum page_state st;

	open_one(&o, p);
	ASSERT_U64(dump_get_info(o.d)->max_pfn, 0x100000400ull);
	ASSERT_OK(kdump_get_stats(o.d, &s), &o.err);
	ASSERT_EQ(s.bitmap_bytes, 0);	/* open reads no bitmap */
	ASSERT_TRUE(warned(&o, "page counts not computed"));
	ASSERT_OK(dump_read_page(o.d, 9, buf, &st, &o.err), &o.err);
	ASSERT_OK(dump_read_page(o.d, 2, buf, &st, &o.err), &o.err);
	ASSERT_EQ(dump_read_page(o.d, 10, buf, &st, &o.err), -SF_ENODATA);
	ASSERT_EQ(st, PAGE_EXCLUDED);
	ASSERT_OK(kdump_get_stats(o.d, &s), &o.err);
	ASSERT_TRUE(s.bitmap_bytes <= 2 * 4096);	/* one block of each bitmap */
	ASSERT_EQ(s.desc_reads, 3);			/* pfn 9, descriptor 0 (zero page probe), pfn 2 */
	/* states anywhere cost one block per bitmap */
	ASSERT_EQ(dump_page_state(o.d, 0x80000000ull), PAGE_NOT_IN_MEMORY);
	ASSERT_EQ(dump_page_state(o.d, 0x100000005ull), PAGE_PRESENT);
	ASSERT_OK(kdump_get_stats(o.d, &s), &o.err);
	ASSERT_TRUE(s.bitmap_bytes <= 6 * 4096);
	/* a page above 2^32: the index grows to that pfn only (8 bytes per 4 KiB block), once */
	ASSERT_OK(dump_read_page(o.d, 0x100000005ull, buf, &st, &o.err), &o.err);
	ASSERT_OK(kdump_get_stats(o.d, &s), &o.err);
	ASSERT_TRUE(s.index_bytes <= 2 * 8 * (0x100000005ull / 32768 + 1));
	ASSERT_TRUE(s.bitmap_bytes <= 0x100000005ull / 8 + 8 * 4096);
	uint64_t scanned = s.bitmap_bytes;
	ASSERT_EQ(check_expect(o.d, expect_of(p)), 17);
	ASSERT_OK(kdump_get_stats(o.d, &s), &o.err);
	ASSERT_TRUE(s.bitmap_bytes - scanned <= 4 * 4096);	/* no second scan */
	close_opened(&o);
}

TEST(refuses_garbage_headers)
{
	const char *p = gen("hdr", "max_mapnr = 16\npage = 0 zlib pfn\n");
	char path[600];
	FILE *f;
	struct opened o;
	uint8_t four[4];

	snprintf(path, sizeof(path), "%s", p);
	f = fopen(path, "r+b");
	ASSERT_TRUE(f != NULL);
	four[0] = 0x00; four[1] = 0x30; four[2] = 0; four[3] = 0;	/* block_size 0x3000: not a power of two */
	ASSERT_EQ(fseek(f, 428, SEEK_SET), 0);
	ASSERT_EQ(fwrite(four, 1, 4, f), 4);
	fclose(f);
	ASSERT_TRUE(open_paths(&o, (const char *const *)&(const char *){ path }, 1) < 0);
	ASSERT_CONTAINS(o.err.msg, "block_size 12288 is not a power of two");
	warnlist_release(&o.wl);
}

TEST_MAIN()
