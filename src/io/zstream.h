/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compressed dump files (issue #14): a vmcore uploaded as vmcore.gz, .xz,
 * .zst or .bz2 is decompressed on the fly into the same spool as a pipe
 * (src/io/source.c), so every reader, the flattened format included, sees
 * the plain file.  Detection is by magic number, never by file name.
 *
 * A decoder thread writes the decompressed bytes into one end of a socket
 * pair; the spooler reads the other end exactly as it reads standard input.
 * A socket rather than a pipe: when the spooler stops early the decoder's
 * send() fails with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE.
 */
#ifndef SKBFILTER_IO_ZSTREAM_H
#define SKBFILTER_IO_ZSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

enum zs_kind { ZS_NONE = 0, ZS_GZIP, ZS_XZ, ZS_ZSTD, ZS_BZIP2 };

/* The container format from the first bytes (>= 6 needed for xz), ZS_NONE if none. */
enum zs_kind zstream_detect(const uint8_t *p, size_t n);
const char *zstream_name(enum zs_kind kind);	/* "gzip", "xz", "zstd", "bzip2" */

struct zstream;

/*
 * Starts decoding pre[0 .. prelen) (bytes already read from in_fd) then the
 * rest of in_fd; *ret_fd reads the decompressed stream until end of file.
 * pre is copied; in_fd is borrowed until zstream_finish().
 */
int zstream_start(enum zs_kind kind, const char *name, const uint8_t *pre, size_t prelen, int in_fd,
		  struct zstream **ret, int *ret_fd, struct sf_err *err);

/*
 * Closes the read end, waits for the decoder and frees zs.  Returns 0, or
 * -SF_ECORRUPT/-SF_ETRUNC/-SF_EIO with err saying how far decoding got (the
 * compressed offset and the decompressed bytes delivered): the caller decides
 * whether the prefix is worth reading.
 */
int zstream_finish(struct zstream *zs, struct sf_err *err);

#endif
