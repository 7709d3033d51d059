// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One decompression function for all page codecs of kdump-compressed dumps.
 *
 * Every codec is asked to write at most dstlen bytes (the page), and the
 * result must be exactly one page: makedumpfile compresses whole pages and
 * stores a page raw when compression does not shrink it, so a short or long
 * result means the descriptor or the data is damaged.
 */
#include <stdlib.h>
#include <string.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "skbfilter/decompress.h"

struct decomp {
	ZSTD_DCtx *zstd;
};

const char *codec_name(enum codec c)
{
	switch (c) {
	case CODEC_RAW: return "raw";
	case CODEC_ZLIB: return "zlib";
	case CODEC_LZO: return "lzo";
	case CODEC_SNAPPY: return "snappy";
	case CODEC_ZSTD: return "zstd";
	case CODEC_MAX: break;
	}
	return "?";
}

int decomp_create(struct decomp **ret, struct sf_err *err)
{
	struct decomp *dc = calloc(1, sizeof(*dc));

	*ret = NULL;
	if (!dc)
		return sf_err_set(err, SF_ENOMEM, "decompressor: out of memory");
	dc->zstd = ZSTD_createDCtx();
	if (!dc->zstd) {
		free(dc);
		return sf_err_set(err, SF_ENOMEM, "zstd: cannot create a decompression context");
	}
	*ret = dc;
	return 0;
}

void decomp_destroy(struct decomp *dc)
{
	if (!dc)
		return;
	ZSTD_freeDCtx(dc->zstd);
	free(dc);
}

static int short_output(const char *codec, size_t got, size_t want, struct sf_err *err)
{
	return sf_err_set(err, SF_ECORRUPT, "%s: stream decompresses to %zu bytes, expected a whole page of %zu",
			  codec, got, want);
}

static int do_zlib(const void *src, size_t srclen, void *dst, size_t dstlen, struct sf_err *err)
{
	z_stream zs;
	int zrc, rc = 0;

	if (srclen > UINT32_MAX || dstlen > UINT32_MAX)
		return sf_err_set(err, SF_EINVAL, "zlib: %zu input bytes is too large", srclen);
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return sf_err_set(err, SF_ENOMEM, "zlib: inflateInit failed");
	zs.next_in = (Bytef *)(uintptr_t)src;
	zs.avail_in = (uInt)srclen;
	zs.next_out = dst;
	zs.avail_out = (uInt)dstlen;
	zrc = inflate(&zs, Z_FINISH);
	if (zrc == Z_STREAM_END) {
		if (zs.total_out != dstlen)
			rc = short_output("zlib", zs.total_out, dstlen, err);
	} else if (zrc == Z_BUF_ERROR && zs.avail_out == 0) {
		rc = sf_err_set(err, SF_ECORRUPT, "zlib: stream produces more than a page of %zu bytes", dstlen);
	} else if (zrc == Z_BUF_ERROR || zrc == Z_OK) {
		rc = sf_err_set(err, SF_ECORRUPT, "zlib: stream truncated: %zu input bytes end after %lu output bytes",
				srclen, zs.total_out);
	} else {
		rc = sf_err_set(err, SF_ECORRUPT, "zlib: corrupt stream (%s) at input byte %lu of %zu",
				zs.msg ? zs.msg : zError(zrc), zs.total_in, srclen);
	}
	inflateEnd(&zs);
	return rc;
}

static const char *lzo_errname(int e)
{
	switch (e) {
	case LZO_E_ERROR: return "LZO_E_ERROR";
	case LZO_E_OUT_OF_MEMORY: return "LZO_E_OUT_OF_MEMORY";
	case LZO_E_NOT_COMPRESSIBLE: return "LZO_E_NOT_COMPRESSIBLE";
	case LZO_E_INPUT_OVERRUN: return "LZO_E_INPUT_OVERRUN: input ends inside a match";
	case LZO_E_OUTPUT_OVERRUN: return "LZO_E_OUTPUT_OVERRUN: output would exceed the page";
	case LZO_E_LOOKBEHIND_OVERRUN: return "LZO_E_LOOKBEHIND_OVERRUN: a match points before the output start";
	case LZO_E_EOF_NOT_FOUND: return "LZO_E_EOF_NOT_FOUND: no end marker";
	case LZO_E_INPUT_NOT_CONSUMED: return "LZO_E_INPUT_NOT_CONSUMED: trailing bytes after the end marker";
	default: return "unknown LZO error";
	}
}

static int do_lzo(const void *src, size_t srclen, void *dst, size_t dstlen, struct sf_err *err)
{
	lzo_uint outlen = dstlen;
	int e;

	/* lzo1x_decompress_safe checks every input and output bound; no work memory needed. */
	e = lzo1x_decompress_safe(src, srclen, dst, &outlen, NULL);
	if (e != LZO_E_OK)
		return sf_err_set(err, SF_ECORRUPT, "lzo: corrupt stream (%d, %s) in %zu input bytes",
				  e, lzo_errname(e), srclen);
	if (outlen != dstlen)
		return short_output("lzo", outlen, dstlen, err);
	return 0;
}

static int do_snappy(const void *src, size_t srclen, void *dst, size_t dstlen, struct sf_err *err)
{
	size_t ulen = 0;
	snappy_status s;

	if (snappy_uncompressed_length(src, srclen, &ulen) != SNAPPY_OK)
		return sf_err_set(err, SF_ECORRUPT, "snappy: bad length preamble in %zu input bytes", srclen);
	if (ulen != dstlen)
		return sf_err_set(err, SF_ECORRUPT, "snappy: preamble says %zu bytes, expected a whole page of %zu",
				  ulen, dstlen);
	s = snappy_uncompress(src, srclen, dst, &ulen);
	if (s != SNAPPY_OK)
		return sf_err_set(err, SF_ECORRUPT, "snappy: corrupt stream (%s) in %zu input bytes",
				  s == SNAPPY_INVALID_INPUT ? "invalid input" : s == SNAPPY_BUFFER_TOO_SMALL ? "buffer too small" : "error",
				  srclen);
	if (ulen != dstlen)
		return short_output("snappy", ulen, dstlen, err);
	return 0;
}

static int do_zstd(struct decomp *dc, const void *src, size_t srclen, void *dst, size_t dstlen, struct sf_err *err)
{
	ZSTD_DCtx *ctx = dc ? dc->zstd : ZSTD_createDCtx();
	size_t n;
	int rc = 0;

	if (!ctx)
		return sf_err_set(err, SF_ENOMEM, "zstd: cannot create a decompression context");
	/* dstlen bounds the output: a frame that wants more fails with "Destination buffer is too small". */
	n = ZSTD_decompressDCtx(ctx, dst, dstlen, src, srclen);
	if (ZSTD_isError(n))
		rc = sf_err_set(err, SF_ECORRUPT, "zstd: corrupt frame (%s) in %zu input bytes", ZSTD_getErrorName(n), srclen);
	else if (n != dstlen)
		rc = short_output("zstd", n, dstlen, err);
	if (!dc)
		ZSTD_freeDCtx(ctx);
	return rc;
}

int decompress_page(struct decomp *dc, enum codec c, const void *src, size_t srclen,
		    void *dst, size_t dstlen, struct sf_err *err)
{
	switch (c) {
	case CODEC_RAW:
		if (srclen != dstlen)
			return sf_err_set(err, SF_ECORRUPT, "raw: stored page has %zu bytes, expected %zu", srclen, dstlen);
		memcpy(dst, src, dstlen);
		return 0;
	case CODEC_ZLIB:
		return do_zlib(src, srclen, dst, dstlen, err);
	case CODEC_LZO:
		return do_lzo(src, srclen, dst, dstlen, err);
	case CODEC_SNAPPY:
		return do_snappy(src, srclen, dst, dstlen, err);
	case CODEC_ZSTD:
		return do_zstd(dc, src, srclen, dst, dstlen, err);
	case CODEC_MAX:
		break;
	}
	return sf_err_set(err, SF_EINVAL, "unknown codec %d", (int)c);
}
