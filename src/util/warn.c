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
	memset(wl, 0, sizeof(*wl));
}

void warn_add(struct warnlist *wl, const char *fmt, ...)
{
	char buf[WARN_MSG_MAX];
	va_list ap;

	if (!wl)
		return;
	wl->count++;
	if (wl->kept >= WARN_KEEP)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A failed strdup loses the text but not the count. */
	wl->msgs[wl->kept] = strdup(buf);
	if (wl->msgs[wl->kept])
		wl->kept++;
}
