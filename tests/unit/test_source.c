// SPDX-License-Identifier: GPL-2.0-or-later
/* Byte sources: file, memory, stdin spooling, pipes by name, bounds. */
#include <bzlib.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <sys/stat.h>
#include <zlib.h>
#include <zstd.h>

#include "skbfilter/source.h"
#include "skbfilter/warn.h"
#include "harness.h"

static char tmpl[] = "/tmp/test_source-XXXXXX";

static const char *write_tmp(const void *data, size_t len)
{
	static char path[64];
	int fd;

	strcpy(path, tmpl);
	fd = mkstemp(path);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		TEST_FAIL("cannot write a temp file");
	close(fd);
	return path;
}

static void fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 8));
}

TEST(file_reads_and_bounds)
{
	static uint8_t data[10000], buf[10000];
	struct sf_err err = { 0 };
	struct source *s;
	const char *p;

	fill(data, sizeof(data));
	p = write_tmp(data, sizeof(data));
	ASSERT_OK(source_open(p, NULL, &s, &err), &err);
	ASSERT_U64(source_size(s), sizeof(data));
	ASSERT_TRUE(!source_was_flattened(s));
	ASSERT_TRUE(!source_was_stdin(s));
	ASSERT_STREQ(source_name(s), p);
	ASSERT_OK(source_read(s, 100, buf, 5000, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, data + 100, 5000));
	ASSERT_OK(source_read(s, 0, buf, sizeof(data), "x", &err), &err);
	ASSERT_EQ(source_read(s, 9999, buf, 2, "page descriptor", &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "page descriptor");
	ASSERT_CONTAINS(err.msg, "0x270f");
	ASSERT_EQ(source_read(s, UINT64_MAX, buf, 2, "x", &err), -SF_ETRUNC);
	ASSERT_OK(source_read(s, 10000, buf, 0, "x", &err), &err);
	source_destroy(s);
	unlink(p);
}

TEST(missing_file_and_directory)
{
	struct sf_err err = { 0 };
	struct source *s = NULL;

	ASSERT_EQ(source_open("/nonexistent/vmcore", NULL, &s, &err), -SF_EIO);
	ASSERT_CONTAINS(err.msg, "/nonexistent/vmcore");
	ASSERT_TRUE(s == NULL);
	/* an unreadable input, not a usage error: exit 3 (issue #14) */
	ASSERT_EQ(source_open("/tmp", NULL, &s, &err), -SF_EIO);
	ASSERT_CONTAINS(err.msg, "directory");
	source_destroy(NULL);
}

TEST(memory_source)
{
	uint8_t data[64], buf[64];
	struct sf_err err = { 0 };
	struct source *s;

	fill(data, sizeof(data));
	ASSERT_OK(source_open_mem("mem", data, sizeof(data), &s, &err), &err);
	ASSERT_U64(source_size(s), 64);
	ASSERT_OK(source_read(s, 60, buf, 4, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, data + 60, 4));
	ASSERT_EQ(source_read(s, 61, buf, 4, "tail", &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "mem: tail");
	source_destroy(s);
	ASSERT_OK(source_open_mem("empty", NULL, 0, &s, &err), &err);
	ASSERT_OK(source_read(s, 0, buf, 0, "x", &err), &err);
	ASSERT_EQ(source_read(s, 0, buf, 1, "x", &err), -SF_ETRUNC);
	source_destroy(s);
}

/* Feeds `len` bytes of data into our stdin through a pipe written by a child. */
static void stdin_from(const uint8_t *data, size_t len)
{
	int pfd[2];

	if (pipe(pfd) < 0)
		TEST_FAIL("pipe");
	if (fork() == 0) {
		close(pfd[0]);
		for (size_t off = 0; off < len;) {
			ssize_t n = write(pfd[1], data + off, len - off < 3000 ? len - off : 3000);
			if (n <= 0)
				_exit(1);
			off += (size_t)n;
		}
		_exit(0);
	}
	close(pfd[1]);
	dup2(pfd[0], 0);
	close(pfd[0]);
}

TEST(stdin_is_spooled)
{
	static uint8_t data[3 << 20], buf[4096];
	struct source_opts o = { .tmpdir = "/tmp" };
	struct sf_err err = { 0 };
	struct source *s;

	fill(data, sizeof(data));
	stdin_from(data, sizeof(data));
	ASSERT_OK(source_open("-", &o, &s, &err), &err);
	ASSERT_TRUE(source_was_stdin(s));
	ASSERT_TRUE(!source_was_flattened(s));
	ASSERT_U64(source_size(s), sizeof(data));
	ASSERT_OK(source_read(s, sizeof(data) - 4096, buf, 4096, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, data + sizeof(data) - 4096, 4096));
	ASSERT_OK(source_read(s, 12345, buf, 4096, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, data + 12345, 4096));
	source_destroy(s);
}

TEST(stdin_empty_and_short)
{
	struct sf_err err = { 0 };
	struct source *s;
	uint8_t b[3] = { 1, 2, 3 }, buf[3];

	stdin_from(b, 3);
	ASSERT_OK(source_open("-", NULL, &s, &err), &err);
	ASSERT_U64(source_size(s), 3);
	ASSERT_OK(source_read(s, 0, buf, 3, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, b, 3));
	source_destroy(s);
}

TEST(tmpdir_unusable_is_an_error)
{
	struct source_opts o = { .tmpdir = "/nonexistent-dir" };
	struct sf_err err = { 0 };
	struct source *s;
	uint8_t b[3] = { 1, 2, 3 };

	stdin_from(b, 3);
	ASSERT_TRUE(source_open("-", &o, &s, &err) < 0);
	ASSERT_CONTAINS(err.msg, "/nonexistent-dir");
}

TEST(fifo_by_name_is_spooled)
{
	static uint8_t data[200000], buf[100];
	char path[64] = "/tmp/test_source_fifo-XXXXXX";
	struct sf_err err = { 0 };
	struct source *s;

	fill(data, sizeof(data));
	ASSERT_TRUE(mkdtemp(path) != NULL);
	strcat(path, "/f");
	ASSERT_EQ(mkfifo(path, 0600), 0);
	if (fork() == 0) {
		int fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data))
			_exit(1);
		_exit(0);
	}
	ASSERT_OK(source_open(path, NULL, &s, &err), &err);
	ASSERT_U64(source_size(s), sizeof(data));
	ASSERT_OK(source_read(s, 150000, buf, 100, "x", &err), &err);
	ASSERT_TRUE(!memcmp(buf, data + 150000, 100));
	source_destroy(s);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

/* gzip, xz, zstd and bzip2 files read as the plain bytes; truncated = a warning and the prefix; corrupt = error. */
TEST(compressed_files)
{
	static uint8_t data[300000], comp[400000], buf[300000];
	struct sf_err err = { 0 };
	struct source *s;
	const char *p;

	for (size_t i = 0; i < sizeof(data); i++)	/* compressible, not trivially */
		data[i] = (uint8_t)((i * 2654435761u) >> 29) + (uint8_t)(i / 4096);
	for (int kind = 0; kind < 4; kind++) {
		size_t clen = sizeof(comp);
		struct warnlist w;
		struct source_opts so = { .warnings = &w };

		if (kind == 0) {
			z_stream z = { 0 };

			ASSERT_EQ(deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
			z.next_in = data;
			z.avail_in = sizeof(data);
			z.next_out = comp;
			z.avail_out = sizeof(comp);
			ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
			clen = z.total_out;
			deflateEnd(&z);
		} else if (kind == 1) {
			size_t pos = 0;

			ASSERT_EQ(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, NULL, data, sizeof(data), comp, &pos,
							  sizeof(comp)), LZMA_OK);
			clen = pos;
		} else if (kind == 2) {
			ZSTD_CCtx *cc = ZSTD_createCCtx();

			/* with a checksum, as the zstd tool writes by default: without one corruption can pass unseen */
			ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
			clen = ZSTD_compress2(cc, comp, sizeof(comp), data, sizeof(data));
			ZSTD_freeCCtx(cc);
			ASSERT_TRUE(!ZSTD_isError(clen));
		} else {
			unsigned int bl = sizeof(comp);

			ASSERT_EQ(BZ2_bzBuffToBuffCompress((char *)comp, &bl, (char *)data, sizeof(data), 1, 0, 0), BZ_OK);
			clen = bl;
		}
		p = write_tmp(comp, clen);
		ASSERT_OK(source_open(p, NULL, &s, &err), &err);
		ASSERT_U64(source_size(s), sizeof(data));
		ASSERT_OK(source_read(s, 0, buf, sizeof(data), "x", &err), &err);
		ASSERT_TRUE(!memcmp(buf, data, sizeof(data)));
		source_destroy(s);
		unlink(p);

		/* truncated at two thirds: a warning naming the bytes, and a correct prefix */
		warnlist_init(&w);
		p = write_tmp(comp, clen * 2 / 3);
		ASSERT_OK(source_open(p, &so, &s, &err), &err);
		ASSERT_TRUE(w.count == 1);
		ASSERT_CONTAINS(w.msgs[0], "ends early");
		ASSERT_TRUE(source_size(s) < sizeof(data));
		ASSERT_OK(source_read(s, 0, buf, (size_t)source_size(s), "x", &err), &err);
		ASSERT_TRUE(!memcmp(buf, data, (size_t)source_size(s)));
		source_destroy(s);
		unlink(p);
		warnlist_release(&w);

		/* corrupt in the middle: a named error (gzip may only notice at its CRC) */
		for (size_t i = clen / 2; i < clen / 2 + 64; i++)
			comp[i] ^= 0x5a;
		p = write_tmp(comp, clen);
		ASSERT_TRUE(source_open(p, NULL, &s, &err) < 0);
		ASSERT_CONTAINS(err.msg, "corrupt");
		unlink(p);
	}
}

TEST_MAIN()
