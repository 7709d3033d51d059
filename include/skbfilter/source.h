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

/*
 * http:// and https:// inputs (src/io/remote.c): read with HTTP range
 * requests through a bounded block cache (16 MiB), never copied whole
 * (except a flattened dump, which cannot be read at random: it is streamed
 * once into a temporary file).  The URL is passed to libcurl untouched
 * (presigned query strings work); messages show it without its query.
 */
struct source_net_stats {
	uint64_t requests;	/* HTTP requests sent, retries included */
	uint64_t round_trips;	/* waits for the network: a parallel batch counts once */
	uint64_t bytes;		/* response body bytes received */
	uint64_t retries;	/* requests repeated after a 5xx, a timeout or a short body */
	uint64_t reads, hits;	/* source_read calls, and those answered from the cache alone */
	double seconds;		/* wall time spent waiting for responses */
	int sources;		/* remote inputs counted */
	/*
	 * The first fault that stopped a remote source (retries exhausted, 4xx,
	 * Range ignored, object changed), "" if none.  After it every read of
	 * that source fails at once, so the layers above, which may take a
	 * failed read as a missing page, end quickly; main reports this as the
	 * error (exit 3) whatever they made of it.
	 */
	char failed[SF_ERR_MSG_MAX];
};

#define SOURCE_NET_MAX_HEADERS 32

struct source_net_opts {
	bool insecure;			/* --insecure: do not verify the TLS peer */
	const char *const *headers;	/* --header "Name: value", nheaders of them (borrowed) */
	size_t nheaders;
	uint64_t spool_max;		/* --spool-remote: a server ignoring Range may send objects up to this many
					   bytes whole, spooled to tmpdir; 0: refuse such servers */
	struct source_net_stats *stats;	/* borrowed, may be NULL: each remote source adds its counts on destroy */
};

struct source_opts {
	const char *tmpdir;		/* for spooling; NULL: $TMPDIR or /tmp */
	struct warnlist *warnings;	/* borrowed, may be NULL: e.g. a truncated flattened stream */
	const struct source_net_opts *net;	/* borrowed, may be NULL: defaults (verify TLS, no headers) */
};

/*
 * How an input is named in output: "<stdin>" for "-", a URL without its
 * query string, fragment and user:password, other paths as given.
 */
void source_display_name(const char *path, char *buf, size_t cap);

struct source_range {
	uint64_t off, len;
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
/*
 * A hint: the caller is about to read these ranges.  A remote source fetches
 * what it does not hold yet now, the ranges in parallel (one round trip);
 * other sources ignore it.  Never fails: a failed fetch is reported by the
 * read that needs the bytes.
 */
void source_prefetch(struct source *src, const struct source_range *ranges, size_t n);
/* True when src is read over the network (prefetch hints pay). */
bool source_is_remote(const struct source *src);
uint64_t source_size(const struct source *src);
const char *source_name(const struct source *src);
/* True when the input was makedumpfile's flattened format (rebuilt on open). */
bool source_was_flattened(const struct source *src);
/* True when the input came from standard input. */
bool source_was_stdin(const struct source *src);

#endif
