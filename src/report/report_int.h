/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared by the packet writers of src/report (not an interface for other modules). */
#ifndef SKBFILTER_REPORT_INT_H
#define SKBFILTER_REPORT_INT_H

#include "skbfilter/err.h"
#include "skbfilter/skb.h"

/*
 * --segment: calls emit once for each segment software GSO would make of r
 * (skb_segment_packet()), with a copy of r whose packet is segment j of nseg
 * (frame building needs only the packet and the metadata).  A packet that
 * does not segment emits nothing.  Returns 0 or emit's first error.
 */
typedef int (*report_segment_fn)(void *ctx, const struct skb_record *seg, int j, int nseg, struct sf_err *err);
int report_each_segment(const struct skb_scan *s, const struct skb_record *r, report_segment_fn emit, void *ctx,
			struct sf_err *err);

#endif
