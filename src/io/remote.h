/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A dump stored behind an http:// or https:// URL, read with HTTP range
 * requests (src/io/remote.c).  Internal to src/io: the readers see an
 * ordinary struct source.
 */
#ifndef SKBFILTER_IO_REMOTE_H
#define SKBFILTER_IO_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/source.h"

struct remote;

/* True for "http://..." and "https://..." (scheme case-insensitive). */
bool remote_is_url(const char *path);
/*
 * The URL as it may be shown in messages and reports: without the query
 * string, fragment and user:password (presigned URLs carry their secret in
 * the query).  Writes at most cap bytes (NUL-terminated).
 */
void remote_display_name(const char *url, char *buf, size_t cap);

/*
 * Opens url: one range request for the first block, which gives the object's
 * size and validator (ETag / Last-Modified).  `name` is the display name used
 * in errors (borrowed until destroy).
 */
int remote_open(const char *url, const char *name, const struct source_net_opts *o, struct remote **ret,
		struct sf_err *err);
uint64_t remote_size(const struct remote *r);
/*
 * True when the server answered the first range request with the whole
 * object (200) and --spool-remote allowed its size: nothing is cached, the
 * caller must remote_download() it.
 */
bool remote_ignores_range(const struct remote *r);
/* Exactly len bytes at off (off + len <= size), through the block cache. */
int remote_read(struct remote *r, uint64_t off, void *buf, size_t len, struct sf_err *err);
/*
 * The caller will read these ranges soon: the missing blocks are fetched now,
 * several ranges in parallel (one round trip for all).  Errors are left for
 * the read that needs the bytes: a hint never fails the job.
 */
void remote_prefetch(struct remote *r, const struct source_range *ranges, size_t n);
/* Streams the whole object (one GET) into fd from offset 0; for inputs that cannot be read at random. */
int remote_download(struct remote *r, int fd, struct sf_err *err);
/* Adds this source's request counts to o->stats (if any) and frees it. */
void remote_destroy(struct remote *r);

#endif
