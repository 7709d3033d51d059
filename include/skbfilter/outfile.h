/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Atomic output files.  outfile_open() creates a temporary file beside the
 * target (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0644 less umask) so an attacker's
 * symlink in a shared directory is never followed; outfile_commit() flushes,
 * fsyncs and renames it over the target; outfile_abort() unlinks it.  On any
 * write error (ENOSPC, EFBIG, EIO) no partial output is left behind.
 * "-" means standard output (written directly, no rename); so is an existing
 * device, FIFO or socket (/dev/null, >(tshark -r -)): there is nothing to
 * replace, and renaming over /dev/null as root would destroy it.
 *
 * Temporary files not yet committed are listed in a table that
 * outfile_remove_temporaries() empties from a signal handler (src/main.c:
 * SIGINT, SIGTERM, SIGHUP remove them, then exit 128+signal).
 */
#ifndef SKBFILTER_OUTFILE_H
#define SKBFILTER_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "skbfilter/err.h"

struct outfile {
	char *path;		/* target */
	char *tmp;		/* temporary path, NULL for stdout */
	FILE *fp;		/* write through this (also fileno for pwrite) */
	bool failed;
	bool special;		/* an existing non-regular file written in place */
};

int outfile_open(struct outfile *of, const char *path, struct sf_err *err);
int outfile_write(struct outfile *of, const void *buf, size_t len, struct sf_err *err);
/* Flush, fsync, rename; on failure removes the temporary and sets err. Releases of. */
int outfile_commit(struct outfile *of, struct sf_err *err);
/* Removes the temporary and releases of (safe on a committed or zeroed outfile). */
void outfile_abort(struct outfile *of);
/* "-", or a name for the file standard output already is (/dev/stdout, /proc/self/fd/1). */
bool outfile_is_stdout(const char *path);
/* Unlinks every temporary file not yet committed or aborted.  Async-signal-safe. */
void outfile_remove_temporaries(void);

#endif
