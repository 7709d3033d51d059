// SPDX-License-Identifier: GPL-2.0-or-later
/* Page decompressors: round trips through the real compressors and every failure path. */
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "harness.h"
#include "skbfilter/decompress.h"

#define PS 4096

static void fill(uint8_t *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)((i / 7) * seed + (i % 13));
}

/* Compresses n bytes of in with codec c; returns the compressed size. */
static size_t compress_with(enum codec c, const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	switch (c) {
	case CODEC_ZLIB: {
		uLongf l = cap;
		ASSERT_EQ(compress2(out, &l, in, n, 6), Z_OK);
		return l;
	}
	case CODEC_LZO: {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint l = cap;
		ASSERT_EQ(lzo1x_1_compress(in, n, out, &l, wrk), LZO_E_OK);
		return l;
	}
	case CODEC_SNAPPY: {
		size_t l = cap;
		ASSERT_EQ(snappy_compress((const char *)in, n, (char *)out, &l), SNAPPY_OK);
		return l;
	}
	case CODEC_ZSTD: {
		size_t l = ZSTD_compress(out, cap, in, n, 3);
		ASSERT_TRUE(!ZSTD_isError(l));
		return l;
	}
	default:
		memcpy(out, in, n);
		return n;
	}
}

static const enum codec all[] = { CODEC_RAW, CODEC_ZLIB, CODEC_LZO, CODEC_SNAPPY, CODEC_ZSTD };

TEST(roundtrip_every_codec)
{
	static uint8_t in[PS], c[2 * PS], out[PS];
	struct sf_err err = { 0 };
	struct decomp *dc;

	ASSERT_OK(decomp_create(&dc, &err), &err);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		fill(in, PS, (unsigned)i + 3);
		size_t n = compress_with(all[i], in, PS, c, sizeof(c));
		memset(out, 0xee, PS);
		ASSERT_OK(decompress_page(dc, all[i], c, n, out, PS, &err), &err);
		ASSERT_TRUE(!memcmp(in, out, PS));
		/* and without a reusable context */
		memset(out, 0xee, PS);
		ASSERT_OK(decompress_page(NULL, all[i], c, n, out, PS, &err), &err);
		ASSERT_TRUE(!memcmp(in, out, PS));
	}
	decomp_destroy(dc);
	decomp_destroy(NULL);
}

TEST(output_larger_than_page_fails_and_names_codec)
{
	static uint8_t in[2 * PS], c[4 * PS], out[PS + 64];

	for (size_t i = 1; i < sizeof(all) / sizeof(all[0]); i++) {
		struct sf_err err = { 0 };

		fill(in, sizeof(in), 5);
		size_t n = compress_with(all[i], in, sizeof(in), c, sizeof(c));
		memset(out + PS, 0xa5, 64);
		int rc = decompress_page(NULL, all[i], c, n, out, PS, &err);
		ASSERT_EQ(rc, -SF_ECORRUPT);
		ASSERT_CONTAINS(err.msg, codec_name(all[i]));
		for (int k = 0; k < 64; k++)
			ASSERT_EQ(out[PS + k], 0xa5);	/* nothing written past the page */
	}
}

TEST(short_output_fails)
{
	static uint8_t in[PS], c[2 * PS], out[PS];

	for (size_t i = 1; i < sizeof(all) / sizeof(all[0]); i++) {
		struct sf_err err = { 0 };

		fill(in, PS, 9);
		size_t n = compress_with(all[i], in, PS / 2, c, sizeof(c));
		ASSERT_EQ(decompress_page(NULL, all[i], c, n, out, PS, &err), -SF_ECORRUPT);
		ASSERT_CONTAINS(err.msg, codec_name(all[i]));
		ASSERT_CONTAINS(err.msg, "4096");
	}
}

TEST(truncated_and_garbage_input_fail)
{
	static uint8_t in[PS], c[2 * PS], out[PS];

	for (size_t i = 1; i < sizeof(all) / sizeof(all[0]); i++) {
		struct sf_err err = { 0 };

		fill(in, PS, 11);
		size_t n = compress_with(all[i], in, PS, c, sizeof(c));
		ASSERT_TRUE(n > 8);
		ASSERT_EQ(decompress_page(NULL, all[i], c, n / 2, out, PS, &err), -SF_ECORRUPT);
		ASSERT_CONTAINS(err.msg, codec_name(all[i]));
		for (size_t k = 0; k < n; k++)
			c[k] = (uint8_t)(k * 37 + 1);
		sf_err_clear(&err);
		ASSERT_TRUE(decompress_page(NULL, all[i], c, n, out, PS, &err) < 0);
		ASSERT_CONTAINS(err.msg, codec_name(all[i]));
		ASSERT_EQ(decompress_page(NULL, all[i], c, 0, out, PS, &err), -SF_ECORRUPT);
	}
}

TEST(raw_size_and_unknown_codec)
{
	static uint8_t in[PS], out[PS];
	struct sf_err err = { 0 };

	ASSERT_EQ(decompress_page(NULL, CODEC_RAW, in, PS - 1, out, PS, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "raw");
	ASSERT_EQ(decompress_page(NULL, (enum codec)99, in, PS, out, PS, &err), -SF_EINVAL);
	ASSERT_STREQ(codec_name(CODEC_ZSTD), "zstd");
	ASSERT_STREQ(codec_name(CODEC_SNAPPY), "snappy");
}

TEST(snappy_preamble_larger_than_page)
{
	/* a snappy stream whose varint preamble claims 1 MiB */
	static const uint8_t s[] = { 0x80, 0x80, 0x40, 0x00 };
	static uint8_t out[PS];
	struct sf_err err = { 0 };

	ASSERT_EQ(decompress_page(NULL, CODEC_SNAPPY, s, sizeof(s), out, PS, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "snappy: preamble says 1048576 bytes");
}

TEST_MAIN()
