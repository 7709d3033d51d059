// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/strbuf.h"

#define STRBUF_DEFAULT_MAX (256u << 20)

void strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	memset(sb, 0, sizeof(*sb));
}

static bool strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t max = sb->max ? sb->max : STRBUF_DEFAULT_MAX;
	size_t need = sb->len + extra + 1;
	size_t ncap;
	char *nb;

	if (extra > max || need > max) {
		sb->overflow = true;
		return false;
	}
	if (need <= sb->cap)
		return true;
	ncap = sb->cap ? sb->cap : 256;
	while (ncap < need)
		ncap *= 2;
	if (ncap > max)
		ncap = max;
	nb = realloc(sb->buf, ncap);
	if (!nb) {
		sb->overflow = true;
		return false;
	}
	sb->buf = nb;
	sb->cap = ncap;
	return true;
}

void strbuf_add(struct strbuf *sb, const char *s, size_t n)
{
	if (!strbuf_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

uint8_t *strbuf_grow_bytes(struct strbuf *sb, size_t n)
{
	if (sb->overflow || !strbuf_grow(sb, n))
		return NULL;
	memset(sb->buf + sb->len, 0, n + 1);
	sb->len += n;
	return (uint8_t *)sb->buf + sb->len - n;
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !strbuf_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}
