/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Warnings: counted and carried up to the report.  A partial result is always
 * labelled by at least one warning.  The list keeps the first WARN_KEEP
 * messages and counts the rest, so a badly damaged dump cannot grow it
 * without bound.
 */
#ifndef SKBFILTER_WARN_H
#define SKBFILTER_WARN_H

#include <stddef.h>

#define WARN_KEEP 256
#define WARN_MSG_MAX 512

struct warnlist {
	size_t count;		/* all warnings added */
	size_t kept;		/* messages stored in msgs[] (<= WARN_KEEP) */
	char *msgs[WARN_KEEP];	/* owned */
};

void warnlist_init(struct warnlist *wl);
void warnlist_release(struct warnlist *wl);
void warn_add(struct warnlist *wl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
