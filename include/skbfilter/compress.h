/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Page compressors for the minimized dump writer (src/minicore/compress.c): the
 * four codecs makedumpfile's kdump-compressed format knows, each producing
 * what the matching reader (makedumpfile, crash, libkdumpfile, ours)
 * decompresses.  All are always built; the caller picks one at run time.
 */
#ifndef SKBFILTER_COMPRESS_H
#define SKBFILTER_COMPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

enum page_codec {
	CODEC_NONE = 0,		/* every page stored raw */
	CODEC_ZLIB,		/* -c: DUMP_DH_COMPRESSED_ZLIB 0x1 */
	CODEC_LZO,		/* -l: DUMP_DH_COMPRESSED_LZO 0x2 (lzo1x_1) */
	CODEC_SNAPPY,		/* -p: DUMP_DH_COMPRESSED_SNAPPY 0x4 */
	CODEC_ZSTD,		/* -z: DUMP_DH_COMPRESSED_ZSTD 0x20 */
};

/* The codec for a makedumpfile-style option letter ('c','l','p','z'; 0 = zlib, the default). */
int compress_codec_from_opt(char opt, enum page_codec *ret, struct sf_err *err);
const char *compress_codec_name(enum page_codec c);
/* The kdump page-descriptor / header status flag of a codec (0 for CODEC_NONE). */
uint32_t compress_kdump_flag(enum page_codec c);

struct page_compressor;

int compress_create(enum page_codec c, uint32_t page_size, struct page_compressor **ret, struct sf_err *err);
void compress_destroy(struct page_compressor *pc);
/* The codec pc was created for. */
enum page_codec compress_codec(const struct page_compressor *pc);

/*
 * Compresses one page.  *out points into the compressor's buffer (valid until
 * the next call) or at `page` itself when the page did not shrink: then it is
 * stored raw and *flags is 0, as makedumpfile does.  Otherwise *flags is the
 * codec's kdump flag.
 */
int compress_page(struct page_compressor *pc, const uint8_t *page, const uint8_t **out, uint32_t *outlen,
		  uint32_t *flags, struct sf_err *err);

#endif
