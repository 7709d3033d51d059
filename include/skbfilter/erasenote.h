/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Erased bytes of a mini.core (src/dump/erasenote.c).
 *
 * mini.core stores some pages only in part (the bytes the analysis read) and
 * removes others on request (--scrub=payload,dmesg,comm).  Every removed byte
 * is written as 'X' (0x58), makedumpfile's poison (makedumpfile.conf(5):
 * "erase ... size N" fills with 'X'), so that no reader sees a plausible
 * zero that was never in memory.  The exact byte ranges are recorded in an
 * ELF note beside the kernel note, so that skbfilter, re-reading the file,
 * answers a read of them as missing and never as data:
 *
 * ELF note, owner "SKBFILTER", type ERASENOTE_TYPE.  Descriptor (little-endian
 * whatever the dump's byte order):
 *
 *   0   "SKBFERAS"    magic
 *   8   u32 version   ERASENOTE_VERSION
 *   12  u32 flags     bit 0: body zlib-compressed (always set by the writer)
 *   16  u64 raw_len   body size (capped at ERASENOTE_MAX_RAW)
 *   24  u64 comp_len  compressed size (the rest of the descriptor)
 *   32  body:
 *       u32 nranges, u32 policy_len,
 *       policy: the --scrub policy as text ("payload,dmesg"; "" none), padded to 8
 *       nranges x { u64 start (physical), u32 len, u8 reasons (enum erase_reason
 *       bits), u8 0, u16 0 }, ascending, not overlapping
 *
 * The same ranges go, one line per page, to makedumpfile's ERASEINFO (kdump
 * sub-header offset_eraseinfo/size_eraseinfo; an "ERASEINFO" note of type 0
 * in -E) and, exactly, to the manifest.
 */
#ifndef SKBFILTER_ERASENOTE_H
#define SKBFILTER_ERASENOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/strbuf.h"

#define ERASENOTE_NAME "SKBFILTER"
#define ERASENOTE_TYPE 0x53415245u	/* "ERAS" */
#define ERASENOTE_VERSION 1
#define ERASENOTE_MAX_RAW (64u << 20)
#define ERASENOTE_MAX_RANGES (1u << 22)
#define ERASENOTE_POLICY_MAX 256
/* The byte written in place of every erased byte (makedumpfile's). */
#define ERASE_POISON 'X'

/* Why bytes were erased (a bitmask per range). */
enum erase_reason {
	ERASE_UNREAD = 1,	/* a partial page: the analysis never read these bytes */
	ERASE_PAYLOAD = 2,	/* --scrub=payload: packet bytes past the innermost L4 header */
	ERASE_DMESG = 4,	/* --scrub=dmesg: printk records outside the panic's time window */
	ERASE_COMM = 8,		/* --scrub=comm: a task name other than the panicking task's */
	ERASE_SOURCE = 16,	/* already erased in the source dump (a mini.core of a mini.core) */
	ERASE_REASON_ALL = 31,
};
/* Names of the bits set in reasons, '+'-joined, into buf. */
const char *erase_reasons_str(uint8_t reasons, char *buf, size_t len);

struct erase_range {
	uint64_t start;
	uint32_t len;
	uint8_t reasons;
};

/* A sorted set of erased ranges (after erase_set_finish()). */
struct erase_set {
	struct erase_range *r;
	size_t n, cap;
	char policy[ERASENOTE_POLICY_MAX];
};

void erase_set_init(struct erase_set *s);
void erase_set_release(struct erase_set *s);
/* Adds [start, start+len) (split into u32-sized pieces).  -SF_ENOMEM / -SF_ERANGE. */
int erase_set_add(struct erase_set *s, uint64_t start, uint64_t len, uint8_t reasons, struct sf_err *err);
/* Sorts and merges: overlapping ranges join (reasons OR'ed); touching ranges join when their reasons are equal. */
void erase_set_finish(struct erase_set *s);
/* The first range overlapping [start, start+len) in a finished set, or NULL. */
const struct erase_range *erase_set_find(const struct erase_set *s, uint64_t start, uint64_t len);
uint64_t erase_set_bytes(const struct erase_set *s, uint8_t reasons_mask);

/* Builds the ELF note (header in byte order be; descriptor as above).  *ret is malloc'ed. */
int erasenote_build(const struct erase_set *s, bool be, uint8_t **ret, size_t *len, struct sf_err *err);
/* Parses a descriptor into s (hostile input: sizes, order and overlaps are checked). */
int erasenote_parse(const void *desc, size_t len, struct erase_set *s, struct sf_err *err);
/*
 * makedumpfile's ERASEINFO text for s: one line per page that has erased
 * bytes, "erase <reasons>@0x<page paddr> size <erased bytes in the page>\n"
 * (makedumpfile writes "erase <symbol expression> size <n>\n").
 */
int eraseinfo_append(const struct erase_set *s, uint32_t page_size, struct strbuf *sb);

#endif
