// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkflat: converts any file into makedumpfile's flattened format.
 *
 *   mkflat [options] IN OUT          (OUT "-" = stdout)
 *     --chunk N        record size (default 4096)
 *     --vary SEED      random record sizes between 1 and 2*chunk
 *     --shuffle SEED   emit the records in a random order
 *     --head-first     with --shuffle: the record at offset 0 still comes first
 *     --overwrite K    K records are first written with wrong bytes, then again
 *                      with the right ones later in the stream (last write wins)
 *     --sparse         leave out all-zero records (the last one is always kept)
 *     --no-end         no end mark
 *     --cut BYTES      stop the stream after BYTES bytes (a truncated transfer)
 *     --type N / --version N   header fields (default 1 / 1)
 *
 * Stream: 4096-byte header {"makedumpfile", int64 type, int64 version} (big
 * endian), then {int64 offset, int64 size} + data records, then offset -1.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skbfilter/bytes.h"

struct rec {
	uint64_t off, size;
	bool garbage;
};

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static FILE *out;
static uint64_t written, cut = UINT64_MAX;

static void emit(const void *p, size_t n)
{
	if (written >= cut)
		return;
	if (n > cut - written)
		n = (size_t)(cut - written);
	if (fwrite(p, 1, n, out) != n) {
		perror("mkflat: write");
		exit(1);
	}
	written += n;
}

int main(int argc, char **argv)
{
	uint64_t chunk = 4096, vary_seed = 0, shuffle_seed = 0, overwrite = 0, type = 1, version = 1;
	bool vary = false, shuffle = false, sparse = false, no_end = false, head_first = false;
	struct rec *recs = NULL;
	size_t nrec = 0, cap = 0;
	uint8_t *buf;
	struct stat sb;
	int i, fd;

	for (i = 1; i < argc - 2; i++) {
		if (!strcmp(argv[i], "--chunk") && i + 1 < argc - 2)
			chunk = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--vary") && i + 1 < argc - 2)
			vary = true, vary_seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--shuffle") && i + 1 < argc - 2)
			shuffle = true, shuffle_seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--overwrite") && i + 1 < argc - 2)
			overwrite = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--head-first"))
			head_first = true;
		else if (!strcmp(argv[i], "--sparse"))
			sparse = true;
		else if (!strcmp(argv[i], "--no-end"))
			no_end = true;
		else if (!strcmp(argv[i], "--cut") && i + 1 < argc - 2)
			cut = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--type") && i + 1 < argc - 2)
			type = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--version") && i + 1 < argc - 2)
			version = strtoull(argv[++i], NULL, 0);
		else
			break;
	}
	if (i != argc - 2 || !chunk || chunk > (64u << 20)) {
		fprintf(stderr, "usage: mkflat [--chunk N] [--vary SEED] [--shuffle SEED] [--overwrite K] [--sparse] [--no-end] [--cut BYTES] IN OUT\n");
		return 2;
	}
	fd = open(argv[i], O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		perror(argv[i]);
		return 1;
	}
	buf = malloc(2 * chunk);
	if (!buf)
		return 1;
	/* Cut the input into records. */
	rng_state = vary_seed * 0x9e3779b97f4a7c15ull + 1;
	for (uint64_t off = 0; off < (uint64_t)sb.st_size;) {
		uint64_t sz = vary ? 1 + rng() % (2 * chunk) : chunk;

		if (sz > (uint64_t)sb.st_size - off)
			sz = (uint64_t)sb.st_size - off;
		if (nrec + overwrite + 1 >= cap) {
			cap = (cap + overwrite + 1) * 2;
			recs = realloc(recs, cap * sizeof(*recs));
			if (!recs)
				return 1;
		}
		recs[nrec++] = (struct rec){ off, sz, false };
		off += sz;
	}
	if (sparse) {
		size_t k = 0;

		for (size_t r = 0; r < nrec; r++) {
			bool zero = true;

			if (pread(fd, buf, recs[r].size, (off_t)recs[r].off) != (ssize_t)recs[r].size)
				return 1;
			for (uint64_t b = 0; b < recs[r].size && zero; b++)
				zero = !buf[b];
			if (!zero || r == nrec - 1)
				recs[k++] = recs[r];
		}
		nrec = k;
	}
	if (shuffle) {
		rng_state = shuffle_seed * 0x9e3779b97f4a7c15ull + 7;
		for (size_t r = nrec; r > 1; r--) {
			size_t j = rng() % r;
			struct rec t = recs[r - 1];

			recs[r - 1] = recs[j];
			recs[j] = t;
		}
		for (size_t r = 0; head_first && r < nrec; r++) {
			if (recs[r].off == 0) {
				struct rec t = recs[0];

				recs[0] = recs[r];
				recs[r] = t;
				break;
			}
		}
	}
	/* Garbage versions go in front of their real record (anywhere earlier in the stream). */
	rng_state = 12345;
	for (uint64_t k = 0; k < overwrite && nrec; k++) {
		size_t r = rng() % nrec, at = r ? rng() % (r + 1) : 0;
		struct rec g = recs[r];

		g.garbage = true;
		memmove(&recs[at + 1], &recs[at], (nrec - at) * sizeof(*recs));
		recs[at] = g;
		nrec++;
	}
	out = strcmp(argv[i + 1], "-") ? fopen(argv[i + 1], "wb") : stdout;
	if (!out) {
		perror(argv[i + 1]);
		return 1;
	}
	{
		uint8_t hdr[4096] = { 0 };

		memcpy(hdr, "makedumpfile", 12);
		st_be64(hdr + 16, type);
		st_be64(hdr + 24, version);
		emit(hdr, sizeof(hdr));
	}
	for (size_t r = 0; r < nrec; r++) {
		uint8_t rh[16];

		if (pread(fd, buf, recs[r].size, (off_t)recs[r].off) != (ssize_t)recs[r].size) {
			perror("mkflat: read");
			return 1;
		}
		if (recs[r].garbage)
			for (uint64_t b = 0; b < recs[r].size; b++)
				buf[b] = (uint8_t)~buf[b];
		st_be64(rh, recs[r].off);
		st_be64(rh + 8, recs[r].size);
		emit(rh, 16);
		emit(buf, (size_t)recs[r].size);
	}
	if (!no_end) {
		uint8_t rh[16];

		st_be64(rh, UINT64_MAX);
		st_be64(rh + 8, 0);
		emit(rh, 16);
	}
	if (fclose(out)) {
		perror("mkflat: close");
		return 1;
	}
	free(recs);
	free(buf);
	close(fd);
	return 0;
}
