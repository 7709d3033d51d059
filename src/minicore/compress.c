// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Page compressors for the kdump-compressed writer.  Each page is compressed
 * on its own (the format has one descriptor per page); the output must be
 * what makedumpfile's readers accept:
 *   zlib    uncompress() of a zlib stream (makedumpfile uses compress2)
 *   lzo     lzo1x_decompress_safe() of lzo1x_1 output
 *   snappy  snappy_uncompress() of raw snappy (not the framed format)
 *   zstd    ZSTD_decompress*() of one zstd frame
 * A page whose compressed form is not smaller than the page is stored raw
 * with flags 0: readers take flags 0 as "raw", never as "compressed".
 */
#include <stdlib.h>
#include <string.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "skbfilter/compress.h"

/*
 * zlib level 6 (zlib's default).  makedumpfile uses level 1 for the speed of
 * a full dump; a mini.core at the evidence level holds a few hundred pages
 * (the kernel note replaces BTF and kallsyms), where level 6 costs ~1 ms and
 * makes the file 2% smaller (arm64 tx-vxlan-tcp: 170,579 -> 167,116 bytes,
 * against ~171 KB for 1% of its -d 31 zstd dump).  --keep=crash (~3,000
 * pages) pays for it: tx-vxlan-tcp 0.9 -> 1.4 s of CPU, 12.78 -> 12.25 MB.
 */
#define ZLIB_LEVEL 6
#define ZSTD_LEVEL 3

struct page_compressor {
	enum page_codec codec;
	uint32_t page_size;
	uint8_t *buf;
	size_t bufsize;
	void *lzo_wrk;
	ZSTD_CCtx *zctx;
};

int compress_codec_from_opt(char opt, enum page_codec *ret, struct sf_err *err)
{
	switch (opt) {
	case 0:
	case 'c': *ret = CODEC_ZLIB; return 0;
	case 'l': *ret = CODEC_LZO; return 0;
	case 'p': *ret = CODEC_SNAPPY; return 0;
	case 'z': *ret = CODEC_ZSTD; return 0;
	case 'n': *ret = CODEC_NONE; return 0;
	}
	return sf_err_set(err, SF_EINVAL, "unknown page codec option '%c' (expected c zlib, l lzo, p snappy, z zstd)",
			  opt);
}

const char *compress_codec_name(enum page_codec c)
{
	switch (c) {
	case CODEC_NONE: return "none";
	case CODEC_ZLIB: return "zlib";
	case CODEC_LZO: return "lzo";
	case CODEC_SNAPPY: return "snappy";
	case CODEC_ZSTD: return "zstd";
	}
	return "?";
}

uint32_t compress_kdump_flag(enum page_codec c)
{
	switch (c) {
	case CODEC_ZLIB: return 0x1;
	case CODEC_LZO: return 0x2;
	case CODEC_SNAPPY: return 0x4;
	case CODEC_ZSTD: return 0x20;
	case CODEC_NONE: break;
	}
	return 0;
}

void compress_destroy(struct page_compressor *pc)
{
	if (!pc)
		return;
	free(pc->buf);
	free(pc->lzo_wrk);
	ZSTD_freeCCtx(pc->zctx);
	free(pc);
}

enum page_codec compress_codec(const struct page_compressor *pc)
{
	return pc->codec;
}

int compress_create(enum page_codec c, uint32_t page_size, struct page_compressor **ret, struct sf_err *err)
{
	struct page_compressor *pc;
	size_t bound = page_size;

	*ret = NULL;
	if (!page_size || page_size > (1u << 20))
		return sf_err_set(err, SF_EINVAL, "compressor: page size %u out of range", page_size);
	switch (c) {
	case CODEC_NONE: break;
	case CODEC_ZLIB: bound = compressBound(page_size); break;
	case CODEC_LZO: bound = (size_t)page_size + page_size / 16 + 64 + 3; break;	/* lzo1x worst case */
	case CODEC_SNAPPY: bound = snappy_max_compressed_length(page_size); break;
	case CODEC_ZSTD: bound = ZSTD_compressBound(page_size); break;
	default:
		return sf_err_set(err, SF_EBUG, "compressor: unknown codec %d", (int)c);
	}
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return sf_err_set(err, SF_ENOMEM, "compressor: out of memory");
	pc->codec = c;
	pc->page_size = page_size;
	pc->bufsize = bound;
	pc->buf = malloc(bound);
	if (!pc->buf)
		goto nomem;
	if (c == CODEC_LZO) {
		if (lzo_init() != LZO_E_OK) {
			compress_destroy(pc);
			return sf_err_set(err, SF_EIO, "compressor: lzo_init failed");
		}
		pc->lzo_wrk = malloc(LZO1X_1_MEM_COMPRESS);
		if (!pc->lzo_wrk)
			goto nomem;
	} else if (c == CODEC_ZSTD) {
		pc->zctx = ZSTD_createCCtx();
		if (!pc->zctx)
			goto nomem;
	}
	*ret = pc;
	return 0;
nomem:
	compress_destroy(pc);
	return sf_err_set(err, SF_ENOMEM, "compressor: out of memory for %s", compress_codec_name(c));
}

int compress_page(struct page_compressor *pc, const uint8_t *page, const uint8_t **out, uint32_t *outlen,
		  uint32_t *flags, struct sf_err *err)
{
	size_t n = 0;

	switch (pc->codec) {
	case CODEC_NONE:
		n = pc->page_size;
		break;
	case CODEC_ZLIB: {
		uLongf zl = (uLongf)pc->bufsize;

		if (compress2(pc->buf, &zl, page, pc->page_size, ZLIB_LEVEL) != Z_OK)
			return sf_err_set(err, SF_EIO, "zlib: compress2 failed");
		n = zl;
		break;
	}
	case CODEC_LZO: {
		lzo_uint ll = pc->bufsize;

		if (lzo1x_1_compress(page, pc->page_size, pc->buf, &ll, pc->lzo_wrk) != LZO_E_OK)
			return sf_err_set(err, SF_EIO, "lzo: lzo1x_1_compress failed");
		n = ll;
		break;
	}
	case CODEC_SNAPPY: {
		size_t sl = pc->bufsize;

		if (snappy_compress((const char *)page, pc->page_size, (char *)pc->buf, &sl) != SNAPPY_OK)
			return sf_err_set(err, SF_EIO, "snappy: snappy_compress failed");
		n = sl;
		break;
	}
	case CODEC_ZSTD: {
		size_t zs = ZSTD_compressCCtx(pc->zctx, pc->buf, pc->bufsize, page, pc->page_size, ZSTD_LEVEL);

		if (ZSTD_isError(zs))
			return sf_err_set(err, SF_EIO, "zstd: %s", ZSTD_getErrorName(zs));
		n = zs;
		break;
	}
	}
	if (pc->codec == CODEC_NONE || n >= pc->page_size) {
		*out = page;
		*outlen = pc->page_size;
		*flags = 0;
	} else {
		*out = pc->buf;
		*outlen = (uint32_t)n;
		*flags = compress_kdump_flag(pc->codec);
	}
	return 0;
}
