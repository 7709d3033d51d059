// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * codecbench: raw decompression speed of the pages of a kdump-compressed file,
 * for bench/run.sh to set next to the end-to-end read speed of the same pages.
 *   codecbench [--seconds S] FILE
 * Loads every dumped page's stored bytes (descriptor table order) into memory
 * (at most 1 GiB), then decompresses them with decompress_page() in a loop for
 * at least S seconds (default 1) and prints one line per codec:
 *   codec NAME pages N in_bytes B out_MiB_s X in_MiB_s Y
 * Exit 3 if the file cannot be read as kdump-compressed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "skbfilter/bytes.h"
#include "skbfilter/decompress.h"

#define MAX_LOAD (1ull << 30)

struct blob {
	uint64_t off;	/* into the load buffer */
	uint32_t size;
	enum codec codec;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_at(FILE *f, uint64_t off, void *buf, size_t len)
{
	return fseeko(f, (off_t)off, SEEK_SET) || fread(buf, 1, len, f) != len ? -1 : 0;
}

static enum codec codec_of(uint32_t flags)
{
	if (flags & 0x1)
		return CODEC_ZLIB;
	if (flags & 0x2)
		return CODEC_LZO;
	if (flags & 0x4)
		return CODEC_SNAPPY;
	if (flags & 0x20)
		return CODEC_ZSTD;
	return CODEC_RAW;
}

int main(int argc, char **argv)
{
	double seconds = 1.0;
	uint8_t hdr[4096], sub[104], *bm = NULL, *descs = NULL, *load = NULL, *page = NULL;
	struct blob *blobs = NULL;
	uint64_t nblobs = 0, used = 0;
	struct sf_err err = { 0 };
	struct decomp *dc = NULL;
	int status = 3, i = 1;
	FILE *f;

	if (argc > 3 && !strcmp(argv[1], "--seconds")) {
		seconds = atof(argv[2]);
		i = 3;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: codecbench [--seconds S] KDUMP-FILE\n");
		return 2;
	}
	f = fopen(argv[i], "rb");
	if (!f || read_at(f, 0, hdr, 464) || memcmp(hdr, "KDUMP   ", 8)) {
		fprintf(stderr, "codecbench: %s: not a readable kdump-compressed file\n", argv[i]);
		goto out;
	}
	uint32_t bs = ld_le32(hdr + 428), sub_blocks = ld_le32(hdr + 432), bm_blocks = ld_le32(hdr + 436);
	uint64_t max_mapnr = ld_le32(hdr + 440);
	if (bs < 512 || bs > 65536 || sub_blocks > 1024 || bm_blocks == 0 || (uint64_t)bm_blocks * bs > MAX_LOAD) {
		fprintf(stderr, "codecbench: %s: header out of range\n", argv[i]);
		goto out;
	}
	if ((int32_t)ld_le32(hdr + 8) >= 6 && !read_at(f, bs, sub, sizeof(sub)))
		max_mapnr = ld_le64(sub + 96);
	uint64_t half = (uint64_t)bm_blocks * bs / 2, bm_off = (1ull + sub_blocks) * bs;
	bm = malloc(half);
	page = malloc(bs);
	if (!bm || !page || read_at(f, bm_off + half, bm, half))
		goto out;
	uint64_t ndesc = 0;
	for (uint64_t p = 0; p < max_mapnr && p / 8 < half; p++)
		ndesc += bm[p / 8] >> (p % 8) & 1;
	if (ndesc * 24 > MAX_LOAD)
		ndesc = MAX_LOAD / 24;
	descs = malloc(ndesc * 24 + 1);
	blobs = calloc(ndesc + 1, sizeof(*blobs));
	load = malloc(MAX_LOAD);
	if (!descs || !blobs || !load || read_at(f, bm_off + 2 * half, descs, ndesc * 24)) {
		fprintf(stderr, "codecbench: %s: cannot read %" PRIu64 " descriptors\n", argv[i], ndesc);
		goto out;
	}
	for (uint64_t k = 0; k < ndesc; k++) {
		const uint8_t *d = descs + k * 24;
		uint64_t off = ld_le64(d);
		uint32_t size = ld_le32(d + 8);

		if (size > bs || used + size > MAX_LOAD)
			continue;
		if (read_at(f, off, load + used, size))
			continue;
		blobs[nblobs].off = used;
		blobs[nblobs].size = size;
		blobs[nblobs].codec = codec_of(ld_le32(d + 12));
		used += size;
		nblobs++;
	}
	if (decomp_create(&dc, &err) < 0) {
		fprintf(stderr, "codecbench: %s\n", err.msg);
		goto out;
	}
	for (int c = 0; c < CODEC_MAX; c++) {
		uint64_t pages = 0, in = 0, rounds = 0, fails = 0;
		double t0, t;

		for (uint64_t k = 0; k < nblobs; k++)
			if (blobs[k].codec == (enum codec)c) {
				pages++;
				in += blobs[k].size;
			}
		if (!pages)
			continue;
		t0 = now();
		do {
			for (uint64_t k = 0; k < nblobs; k++) {
				if (blobs[k].codec != (enum codec)c)
					continue;
				if (decompress_page(dc, blobs[k].codec, load + blobs[k].off, blobs[k].size,
						    page, bs, &err) < 0)
					fails++;
			}
			rounds++;
			t = now() - t0;
		} while (t < seconds);
		printf("codec %s pages %" PRIu64 " in_bytes %" PRIu64 " out_MiB_s %.1f in_MiB_s %.1f failed %" PRIu64 "\n",
		       codec_name((enum codec)c), pages, in, (double)(pages * rounds) * bs / t / 1048576.0,
		       (double)(in * rounds) / t / 1048576.0, fails / rounds);
	}
	status = 0;
out:
	decomp_destroy(dc);
	free(bm);
	free(page);
	free(descs);
	free(blobs);
	free(load);
	if (f)
		fclose(f);
	return status;
}
