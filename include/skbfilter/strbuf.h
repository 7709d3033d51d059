/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A growable string buffer with a hard cap (to bound output built from dump data). */
#ifndef SKBFILTER_STRBUF_H
#define SKBFILTER_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;		/* NUL-terminated, owned */
	size_t len;
	size_t cap;
	size_t max;		/* 0: default cap (256 MiB) */
	bool overflow;		/* an append was refused (cap or ENOMEM) */
};

void strbuf_init(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_puts(struct strbuf *sb, const char *s);
/*
 * Binary data: appends n zero bytes and returns where they start (valid until
 * the next append), or NULL once any append was refused (sb->overflow stays
 * set, so a builder checks it once at the end).
 */
uint8_t *strbuf_grow_bytes(struct strbuf *sb, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
