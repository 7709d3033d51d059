/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kdump-compressed reader internals shared with its tests: I/O statistics, so
 * tests can assert that cost depends on the pages read, not the dump size.
 */
#ifndef SKBFILTER_DUMP_KDUMP_H
#define SKBFILTER_DUMP_KDUMP_H

#include <stddef.h>
#include <stdint.h>

#include "skbfilter/dump.h"

struct kdump_stats {
	uint64_t bitmap_reads;		/* source_read calls on the bitmaps */
	uint64_t bitmap_bytes;		/* bytes of bitmap read */
	uint64_t desc_reads;		/* page descriptors read */
	uint64_t data_reads;		/* page data reads */
	size_t index_bytes;		/* memory held by the descriptor prefix index */
};

/* Fills *ret; -SF_EINVAL when d is not a kdump-compressed dump. */
int kdump_get_stats(const struct dump *d, struct kdump_stats *ret);

#endif
