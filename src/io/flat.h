/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * makedumpfile's flattened format, rebuilt into a random-access file
 * (src/io/flat.c).  Internal to src/io and the tests; readers never see it.
 */
#ifndef SKBFILTER_IO_FLAT_H
#define SKBFILTER_IO_FLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

#define FLAT_HEADER_SIZE 4096		/* MAX_SIZE_MDF_HEADER */
#define FLAT_SIGNATURE "makedumpfile"	/* char signature[16], NUL padded */
#define FLAT_SIG_LEN 16
/* Largest buf_size accepted in one record; makedumpfile writes at most a few MiB at a time. */
#define FLAT_RECORD_MAX (1ull << 30)
/* Largest rebuilt file offset accepted (256 TiB): far above any dump, below filesystem limits trouble. */
#define FLAT_OFFSET_MAX (1ull << 48)

/* True when p starts with the flattened-format signature (needs FLAT_SIG_LEN bytes). */
bool flat_has_signature(const uint8_t *p, size_t len);

/*
 * Where the stream comes from: first the bytes in pre[0..prelen) (already
 * read while probing), then fd (if >= 0) until end of file.
 */
struct flat_input {
	const uint8_t *pre;
	size_t prelen;
	int fd;
	bool no_splice;		/* set by flat_rebuild when fd cannot be spliced from (not a pipe) */
};

struct flat_stats {
	uint64_t records;	/* data records applied */
	uint64_t bytes_in;	/* stream bytes consumed */
	uint64_t size;		/* size of the rebuilt file */
	bool truncated;		/* stream ended before the end mark */
	char warning[512];	/* set when truncated */
};

/*
 * Streams the flattened input into out_fd (an empty file) with pwrite, in
 * record order, so later records overwrite earlier ones.  Memory is one fixed
 * buffer.  A stream that ends early (no end mark, short record) is not an
 * error: what was rebuilt is kept, st->truncated is set with a warning.
 * Malformed headers (bad type/version, negative offset other than the end
 * mark, record above the caps) are -SF_ECORRUPT naming the stream offset.
 */
int flat_rebuild(const char *name, struct flat_input *in, int out_fd, struct flat_stats *st, struct sf_err *err);

/*
 * A flattened stream in a regular file, read in place: its records sorted by
 * rebuilt-file offset, each with where its data sits in the stream.  Bytes
 * between records read as zeros, as in the rebuilt sparse file.
 */
struct flat_extent {
	uint64_t off, size;	/* in the rebuilt file */
	uint64_t pos;		/* of the data in the stream */
};

struct flat_index {
	struct flat_extent *ext;
	size_t n;
	uint64_t size;		/* of the rebuilt file */
};

/* Most records an index holds (24 bytes each: 12 MiB); a stream with more is rebuilt. */
#define FLAT_INDEX_MAX (512u * 1024)

/*
 * Indexes the flattened stream in fd (a regular file of fsize bytes) by
 * reading only the record headers.  Returns 1 with *ix filled, 0 when the
 * stream must go through flat_rebuild() instead (no end mark, overlapping
 * records, a malformed header, more than FLAT_INDEX_MAX records: the rebuild
 * handles those and words their errors), <0 on an I/O error.
 */
int flat_index_build(const char *name, int fd, uint64_t fsize, struct flat_index *ix, struct sf_err *err);
/* Reads [off, off+len) of the rebuilt file (off+len <= ix->size) through the index. */
int flat_index_read(const struct flat_index *ix, int fd, uint64_t off, uint8_t *buf, size_t len, struct sf_err *err);
void flat_index_free(struct flat_index *ix);

#endif
