// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/warn.h"

void warnlist_init(struct warnlist *wl)
{
	memset(wl, 0, sizeof(*wl));
}

void warnlist_release(struct warnlist *wl)
{
	for (size_t i = 0; i < wl->kept; i++)
		free(wl->msgs[i]);
	for (size_t i = 0; i < wl->notes_kept; i++)
		free(wl->notes[i]);
	memset(wl, 0, sizeof(*wl));
}

/* A failed strdup loses the text but not the count. */
static void keep_message(char **msgs, size_t *count, size_t *kept, const char *fmt, va_list ap)
{
	char buf[WARN_MSG_MAX];

	(*count)++;
	if (*kept >= WARN_KEEP)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	msgs[*kept] = strdup(buf);
	if (msgs[*kept])
		(*kept)++;
}

void warn_add(struct warnlist *wl, const char *fmt, ...)
{
	va_list ap;

	if (!wl)
		return;
	va_start(ap, fmt);
	keep_message(wl->msgs, &wl->count, &wl->kept, fmt, ap);
	va_end(ap);
}

void warn_note(struct warnlist *wl, const char *fmt, ...)
{
	va_list ap;

	if (!wl)
		return;
	va_start(ap, fmt);
	keep_message(wl->notes, &wl->notes_count, &wl->notes_kept, fmt, ap);
	va_end(ap);
}
