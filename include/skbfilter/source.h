/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte sources: a random-access view of one input file.
 *
 * source_open() hides two things from the dump readers:
 *  - "-" means standard input, which is spooled to an unlinked temporary file
 *    (pipes cannot pread; memory stays bounded whatever the dump size);
 *  - makedumpfile's flattened format ("makedumpfile" signature, `-F` output and
 *    qemu's kdump-zlib/lzo/snappy) is rebuilt into the kdump-compressed file it
 *    describes, so every reader sees ordinary offsets.  See src/io/flat.c for
 *    why this is done by rebuilding into a sparse temporary file.
 */
#ifndef SKBFILTER_SOURCE_H
#define SKBFILTER_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct source;
struct warnlist;

struct source_opts {
	const char *tmpdir;		/* for spooling; NULL: $TMPDIR or /tmp */
	struct warnlist *warnings;	/* borrowed, may be NULL: e.g. a truncated flattened stream */
};

int source_open(const char *path, const struct source_opts *opts, struct source **ret, struct sf_err *err);
/* A source over a caller-owned memory buffer (fuzzers, tests).  Borrowed until destroy. */
int source_open_mem(const char *name, const void *data, size_t len, struct source **ret, struct sf_err *err);
void source_destroy(struct source *src);

/*
 * Reads exactly len bytes at off.  Reading past the end fails with
 * -SF_ETRUNC and a message naming the file, offset and what was asked
 * (`what`, e.g. "page descriptor"), never returns zeros for missing bytes.
 */
int source_read(struct source *src, uint64_t off, void *buf, size_t len, const char *what, struct sf_err *err);
uint64_t source_size(const struct source *src);
const char *source_name(const struct source *src);
/* True when the input was makedumpfile's flattened format (rebuilt on open). */
bool source_was_flattened(const struct source *src);
/* True when the input came from standard input. */
bool source_was_stdin(const struct source *src);

#endif
