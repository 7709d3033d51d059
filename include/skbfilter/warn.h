/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Warnings: counted and carried up to the report.  A partial result is always
 * labelled by at least one warning.  The list keeps the first WARN_KEEP
 * messages and counts the rest, so a badly damaged dump cannot grow it
 * without bound.
 *
 * Notes ride in the same list but apart: they say how a fact was found when
 * the usual source is absent (per-CPU data through a runqueue because
 * kallsyms has no data symbols, say) while the result is complete, so they
 * are reported but do not make the run partial (exit status 1).
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
	size_t notes_count;	/* all notes added */
	size_t notes_kept;	/* messages stored in notes[] (<= WARN_KEEP) */
	char *notes[WARN_KEEP];	/* owned */
};

void warnlist_init(struct warnlist *wl);
void warnlist_release(struct warnlist *wl);
void warn_add(struct warnlist *wl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void warn_note(struct warnlist *wl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
