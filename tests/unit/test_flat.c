// SPDX-License-Identifier: GPL-2.0-or-later
/* The flattened format: rebuild from memory and through source_open (file, stdin). */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "skbfilter/bytes.h"
#include "skbfilter/source.h"
#include "skbfilter/warn.h"
#include "io/flat.h"
#include "harness.h"

/* A stream builder in memory. */
struct stream {
	uint8_t *buf;
	size_t len, cap;
};

static void put(struct stream *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->buf = realloc(s->buf, s->cap);
		if (!s->buf)
			TEST_FAIL("oom");
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void header(struct stream *s, uint64_t type, uint64_t version)
{
	uint8_t h[4096] = { 0 };

	memcpy(h, "makedumpfile", 12);
	st_be64(h + 16, type);
	st_be64(h + 24, version);
	put(s, h, sizeof(h));
}

static void record(struct stream *s, int64_t off, const void *data, uint64_t size)
{
	uint8_t rh[16];

	st_be64(rh, (uint64_t)off);
	st_be64(rh + 8, size);
	put(s, rh, 16);
	if (data)
		put(s, data, (size_t)size);
}

static void end_mark(struct stream *s)
{
	record(s, -1, NULL, 0);
}

static int tmpfd(void)
{
	char path[] = "/tmp/test_flat-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		TEST_FAIL("mkstemp");
	unlink(path);
	return fd;
}

static void read_back(int fd, uint64_t off, void *buf, size_t n)
{
	if (pread(fd, buf, n, (off_t)off) != (ssize_t)n)
		TEST_FAIL("short pread at %llu", (unsigned long long)off);
}

static int rebuild(struct stream *s, int fd, struct flat_stats *st, struct sf_err *err)
{
	struct flat_input in = { .pre = s->buf, .prelen = s->len, .fd = -1 };

	return flat_rebuild("test", &in, fd, st, err);
}

TEST(signature)
{
	uint8_t h[16] = "makedumpfile";

	ASSERT_TRUE(flat_has_signature(h, 16));
	ASSERT_TRUE(!flat_has_signature(h, 15));
	h[12] = 'x';
	ASSERT_TRUE(!flat_has_signature(h, 16));
}

TEST(out_of_order_and_overwrite_last_wins)
{
	struct stream s = { 0 };
	struct flat_stats st;
	struct sf_err err = { 0 };
	uint8_t a[100], b[100], c[50], got[200];
	int fd = tmpfd();

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	header(&s, 1, 1);
	record(&s, 100, b, 100);	/* [100,200) b */
	record(&s, 0, a, 100);		/* [0,100) a */
	record(&s, 75, c, 50);		/* [75,125) c overwrites both */
	end_mark(&s);
	ASSERT_OK(rebuild(&s, fd, &st, &err), &err);
	ASSERT_TRUE(!st.truncated);
	ASSERT_U64(st.size, 200);
	ASSERT_U64(st.records, 3);
	read_back(fd, 0, got, 200);
	for (int i = 0; i < 200; i++)
		ASSERT_EQ(got[i], i < 75 ? 'a' : i < 125 ? 'c' : 'b');
	close(fd);
	free(s.buf);
}

TEST(sparse_offsets_and_empty_records)
{
	struct stream s = { 0 };
	struct flat_stats st;
	struct sf_err err = { 0 };
	uint8_t x[8] = "ABCDEFGH", got[8];
	int fd = tmpfd();

	header(&s, 1, 1);
	record(&s, 1 << 30, x, 8);	/* 1 GiB in: stays sparse */
	record(&s, 5, NULL, 0);		/* empty record: ignored */
	end_mark(&s);
	ASSERT_OK(rebuild(&s, fd, &st, &err), &err);
	ASSERT_U64(st.size, (1u << 30) + 8);
	read_back(fd, 1u << 30, got, 8);
	ASSERT_TRUE(!memcmp(got, x, 8));
	close(fd);
	free(s.buf);
}

TEST(truncated_stream_is_a_warning)
{
	struct stream s = { 0 };
	struct flat_stats st;
	struct sf_err err = { 0 };
	uint8_t a[100];
	int fd = tmpfd();

	memset(a, 'a', sizeof(a));
	header(&s, 1, 1);
	record(&s, 0, a, 100);
	record(&s, 100, a, 100);
	s.len -= 30;			/* cut inside the second record's data */
	ASSERT_OK(rebuild(&s, fd, &st, &err), &err);
	ASSERT_TRUE(st.truncated);
	ASSERT_CONTAINS(st.warning, "inside the data of a record");
	ASSERT_CONTAINS(st.warning, "0x1074");
	ASSERT_U64(st.records, 1);
	ASSERT_U64(st.size, 170);	/* what arrived was written */
	close(fd);

	/* no end mark */
	s.len = 4096 + 116;
	fd = tmpfd();
	ASSERT_OK(rebuild(&s, fd, &st, &err), &err);
	ASSERT_TRUE(st.truncated);
	ASSERT_CONTAINS(st.warning, "without the end mark");
	close(fd);

	/* cut inside a record header */
	s.len = 4096 + 116 + 5;
	fd = tmpfd();
	ASSERT_OK(rebuild(&s, fd, &st, &err), &err);
	ASSERT_CONTAINS(st.warning, "inside a record header");
	close(fd);
	free(s.buf);
}

TEST(bad_headers_are_errors)
{
	struct stream s = { 0 };
	struct flat_stats st;
	struct sf_err err = { 0 };
	uint8_t a[16] = { 0 };
	int fd = tmpfd();

	header(&s, 2, 1);
	end_mark(&s);
	ASSERT_EQ(rebuild(&s, fd, &st, &err), -SF_ENOTSUP);
	ASSERT_CONTAINS(err.msg, "type 2");
	s.len = 0;
	header(&s, 1, 1);
	s.len = 2000;
	ASSERT_EQ(rebuild(&s, fd, &st, &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "header");
	s.len = 0;
	header(&s, 1, 1);
	record(&s, -2, a, 16);
	ASSERT_EQ(rebuild(&s, fd, &st, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "-2 is negative");
	ASSERT_CONTAINS(err.msg, "stream offset 0x1000");
	s.len = 0;
	header(&s, 1, 1);
	record(&s, 0, NULL, FLAT_RECORD_MAX + 1);
	ASSERT_EQ(rebuild(&s, fd, &st, &err), -SF_ENOMEM);
	ASSERT_CONTAINS(err.msg, "cap");
	s.len = 0;
	header(&s, 1, 1);
	record(&s, (int64_t)FLAT_OFFSET_MAX, a, 16);
	ASSERT_EQ(rebuild(&s, fd, &st, &err), -SF_ECORRUPT);
	close(fd);
	free(s.buf);
}

/* A big stream through a pipe: many small records, coalesced, the same bytes back. */
TEST(source_open_flattened_file_and_stdin)
{
	struct stream s = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct source_opts o = { .warnings = &wl };
	struct source *src;
	static uint8_t data[1 << 20], got[1 << 20];
	char path[] = "/tmp/test_flat_src-XXXXXX";
	int fd;

	warnlist_init(&wl);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 31 + (i >> 12));
	header(&s, 1, 1);
	/* odd-sized records in reverse order, then the first 4 KiB twice (garbage first) */
	for (size_t off = sizeof(data); off > 0;) {
		size_t n = off >= 3000 ? 3000 : off;

		off -= n;
		record(&s, (int64_t)off, data + off, n);
	}
	end_mark(&s);
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, s.buf, s.len), (ssize_t)s.len);
	close(fd);

	ASSERT_OK(source_open(path, &o, &src, &err), &err);
	ASSERT_TRUE(source_was_flattened(src));
	ASSERT_TRUE(!source_was_stdin(src));
	ASSERT_U64(source_size(src), sizeof(data));
	ASSERT_OK(source_read(src, 0, got, sizeof(got), "all", &err), &err);
	ASSERT_TRUE(!memcmp(got, data, sizeof(data)));
	source_destroy(src);

	if (fork() == 0) {
		int in = open(path, O_RDONLY);
		int pfd[2];

		if (in < 0 || pipe(pfd) < 0)
			_exit(1);
		if (fork() == 0) {
			char b[4096];
			ssize_t n;

			close(pfd[0]);
			while ((n = read(in, b, sizeof(b))) > 0)
				if (write(pfd[1], b, (size_t)n) != n)
					_exit(1);
			_exit(0);
		}
		close(pfd[1]);
		dup2(pfd[0], 0);
		if (source_open("-", &o, &src, &err) < 0)
			_exit(2);
		if (!source_was_flattened(src) || !source_was_stdin(src) || source_size(src) != sizeof(data))
			_exit(3);
		if (source_read(src, 0, got, sizeof(got), "all", &err) < 0 || memcmp(got, data, sizeof(data)))
			_exit(4);
		source_destroy(src);
		_exit(wl.count ? 5 : 0);
	}
	int status;

	wait(&status);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	unlink(path);
	free(s.buf);
	warnlist_release(&wl);
}

TEST(truncated_flattened_holes_read_as_missing)
{
	struct stream s = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct source_opts o = { .warnings = &wl };
	struct source *src;
	static uint8_t a[65536], got[4096];
	char path[] = "/tmp/test_flat_trunc-XXXXXX";
	int fd;

	warnlist_init(&wl);
	memset(a, 0x11, sizeof(a));
	header(&s, 1, 1);
	record(&s, 0, a, 8192);
	record(&s, 1 << 20, a, 8192);	/* written */
	record(&s, 65536, a, 65536);	/* cut below: [65536, ...) partly never arrives */
	s.len -= 65536 - 100;
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, s.buf, s.len), (ssize_t)s.len);
	close(fd);
	ASSERT_OK(source_open(path, &o, &src, &err), &err);
	ASSERT_EQ(wl.count, 1);
	ASSERT_CONTAINS(wl.msgs[0], "flattened stream ends");
	ASSERT_OK(source_read(src, 0, got, 4096, "x", &err), &err);
	ASSERT_OK(source_read(src, 1 << 20, got, 4096, "x", &err), &err);
	/* [8192, 65536) was never written: a hole, not zeros */
	ASSERT_EQ(source_read(src, 16384, got, 4096, "page", &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "never written");
	/* [69632, 1 MiB) too */
	ASSERT_EQ(source_read(src, 200000, got, 4096, "page", &err), -SF_ETRUNC);
	source_destroy(src);
	unlink(path);
	free(s.buf);
	warnlist_release(&wl);
}

TEST(record_cut_mid_file_loses_its_partial_block)
{
	struct stream s = { 0 };
	struct sf_err err = { 0 };
	struct warnlist wl;
	struct source_opts o = { .warnings = &wl };
	struct source *src;
	static uint8_t a[8192], got[4096];
	char path[] = "/tmp/test_flat_cut-XXXXXX";
	int fd;

	warnlist_init(&wl);
	memset(a, 0x22, sizeof(a));
	header(&s, 1, 1);
	record(&s, 0, a, 8192);
	record(&s, 65536, a, 8192);	/* the file extends past the cut record */
	record(&s, 16384, a, 8192);	/* only 5000 bytes of it arrive */
	s.len -= 8192 - 5000;
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, s.buf, s.len), (ssize_t)s.len);
	close(fd);
	ASSERT_OK(source_open(path, &o, &src, &err), &err);
	ASSERT_U64(source_size(src), 65536 + 8192);
	ASSERT_OK(source_read(src, 16384, got, 4096, "x", &err), &err);	/* whole block arrived */
	ASSERT_EQ(got[4095], 0x22);
	ASSERT_EQ(source_read(src, 20480, got, 100, "x", &err), -SF_ETRUNC);	/* 904 bytes came: punched */
	ASSERT_EQ(source_read(src, 22000, got, 100, "x", &err), -SF_ETRUNC);	/* never came */
	source_destroy(src);
	unlink(path);
	free(s.buf);
	warnlist_release(&wl);
}

/* Index of a flattened file read in place: every read equals the rebuilt file's, gaps read as zeros. */
TEST(index_reads_like_the_rebuild)
{
	struct stream s = { 0 };
	struct flat_stats st;
	struct flat_index ix;
	struct sf_err err = { 0 };
	static uint8_t data[300000], a[70000], b[70000];
	int in = tmpfd(), out = tmpfd();
	uint64_t x = 88172645463325252ull;

	for (size_t i = 0; i < sizeof(data); i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		data[i] = (uint8_t)x;
	}
	header(&s, 1, 1);
	/* out of order, with gaps, an empty record, and a record crossing the 64 KiB header window */
	record(&s, 200000, data + 200000, 100000);
	record(&s, 0, data, 4096);
	record(&s, 50000, NULL, 0);
	record(&s, 8192, data + 8192, 70000);
	record(&s, 90000, data + 90000, 5);
	end_mark(&s);
	ASSERT_EQ(write(in, s.buf, s.len), (ssize_t)s.len);
	ASSERT_OK(rebuild(&s, out, &st, &err), &err);
	ASSERT_EQ(flat_index_build("t", in, s.len, &ix, &err), 1);
	ASSERT_EQ(ix.n, 4);
	ASSERT_U64(ix.size, st.size);
	for (int i = 0; i < 400; i++) {
		uint64_t off, len;

		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		off = x % st.size;
		len = (x >> 32) % sizeof(a);
		if (off + len > st.size)
			len = st.size - off;
		ASSERT_OK(flat_index_read(&ix, in, off, a, len, &err), &err);
		read_back(out, off, b, len);
		ASSERT_TRUE(!memcmp(a, b, len));
	}
	flat_index_free(&ix);
	close(in);
	close(out);
	free(s.buf);
}

/* What the index leaves to the rebuild: overlaps (last write wins), no end mark, bad headers. */
TEST(index_declines_overlap_truncation_bad_headers)
{
	static uint8_t data[8192];
	struct flat_index ix;
	struct sf_err err = { 0 };

	for (int c = 0; c < 3; c++) {
		struct stream s = { 0 };
		int fd = tmpfd();

		header(&s, 1, 1);
		record(&s, 0, data, 8192);
		if (c == 0)
			record(&s, 4096, data, 100);	/* overlaps */
		if (c == 2)
			record(&s, -5, data, 10);	/* negative offset */
		if (c != 1)
			end_mark(&s);
		ASSERT_EQ(write(fd, s.buf, s.len), (ssize_t)s.len);
		ASSERT_EQ(flat_index_build("t", fd, s.len, &ix, &err), 0);
		ASSERT_TRUE(ix.ext == NULL && ix.n == 0);
		close(fd);
		free(s.buf);
	}
}

/* A stream whose first record is the end mark: an empty index (damage campaign: qsort on a NULL array). */
TEST(index_of_an_empty_stream)
{
	struct stream s = { 0 };
	struct flat_index ix;
	struct sf_err err = { 0 };
	int fd = tmpfd();

	header(&s, 1, 1);
	end_mark(&s);
	ASSERT_EQ(write(fd, s.buf, s.len), (ssize_t)s.len);
	ASSERT_EQ(flat_index_build("t", fd, s.len, &ix, &err), 1);
	ASSERT_EQ(ix.n, 0);
	ASSERT_U64(ix.size, 0);
	flat_index_free(&ix);
	close(fd);
	free(s.buf);
}

/* From a pipe, big records are spliced into the file: same bytes as from memory, truncation still seen. */
TEST(pipe_with_big_records_splices)
{
	static uint8_t data[400000];
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < sizeof(data); i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		data[i] = (uint8_t)x;
	}
	for (int cut = 0; cut < 2; cut++) {
		struct stream s = { 0 };
		struct flat_stats st;
		struct sf_err err = { 0 };
		struct flat_input in = { 0 };
		static uint8_t back[400000];
		int p[2], out = tmpfd();
		pid_t pid;
		size_t len;

		header(&s, 1, 1);
		record(&s, 300000, data + 300000, 100000);	/* big, spliced */
		record(&s, 0, data, 100);			/* small, buffered */
		record(&s, 100, data + 100, 199900);		/* big */
		record(&s, 200000, data + 200000, 100000);
		end_mark(&s);
		len = cut ? s.len - 16 - 50000 : s.len;	/* cut: the last record loses its second half */
		ASSERT_EQ(pipe(p), 0);
		pid = fork();
		ASSERT_TRUE(pid >= 0);
		if (pid == 0) {
			size_t done = 0;

			close(p[0]);
			while (done < len) {
				ssize_t n = write(p[1], s.buf + done, len - done > 7000 ? 7000 : len - done);

				if (n <= 0)
					_exit(1);
				done += (size_t)n;
			}
			_exit(0);
		}
		close(p[1]);
		in.fd = p[0];
		ASSERT_OK(flat_rebuild("pipe", &in, out, &st, &err), &err);
		close(p[0]);
		ASSERT_EQ(waitpid(pid, NULL, 0), pid);
		ASSERT_EQ(st.truncated, cut == 1);
		ASSERT_U64(st.records, cut ? 3 : 4);
		read_back(out, 0, back, cut ? 240000 : 400000);	/* cut: the partly written block is punched */
		ASSERT_TRUE(!memcmp(back, data, cut ? 240000 : 400000));
		close(out);
		free(s.buf);
	}
}

TEST_MAIN()
