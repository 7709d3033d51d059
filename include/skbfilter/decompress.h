/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page decompression for every codec makedumpfile (and qemu) writes into
 * kdump-compressed dumps.  One entry point for all codecs; the codec is a
 * property of each page descriptor, so the dump decides at run time.
 *
 * The output is bounded to the page: a stream that would produce more than
 * dstlen bytes fails, and so does one that produces fewer (makedumpfile always
 * compresses whole pages).  Error messages name the codec and why, e.g.
 *   "lzo: corrupt input (LZO_E_INPUT_OVERRUN) after 812 of 1204 bytes".
 */
#ifndef SKBFILTER_DECOMPRESS_H
#define SKBFILTER_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

enum codec {
	CODEC_RAW = 0,		/* stored as is (page descriptor flags 0) */
	CODEC_ZLIB,		/* DUMP_DH_COMPRESSED_ZLIB 0x1: zlib stream (compress2) */
	CODEC_LZO,		/* DUMP_DH_COMPRESSED_LZO 0x2: LZO1X */
	CODEC_SNAPPY,		/* DUMP_DH_COMPRESSED_SNAPPY 0x4: raw snappy block */
	CODEC_ZSTD,		/* DUMP_DH_COMPRESSED_ZSTD 0x20: one zstd frame */
	CODEC_MAX
};

const char *codec_name(enum codec c);

/* Optional reusable state (a zstd context, ...); NULL-safe destroy. */
struct decomp;
int decomp_create(struct decomp **ret, struct sf_err *err);
void decomp_destroy(struct decomp *dc);

/*
 * Decompresses srclen bytes at src with codec c into exactly dstlen bytes at
 * dst.  dc may be NULL (state is then made per call).  Returns 0, or
 * -SF_ECORRUPT (bad stream, wrong output length), -SF_EINVAL (unknown codec),
 * -SF_ENOMEM with err naming the codec.
 */
int decompress_page(struct decomp *dc, enum codec c, const void *src, size_t srclen,
		    void *dst, size_t dstlen, struct sf_err *err);

#endif
