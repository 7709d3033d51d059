/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads and stores of fixed-width integers from byte buffers.  Never cast a
 * buffer pointer to an integer pointer: these go through memcpy, which is
 * alignment-safe and compiles to a single load.
 */
#ifndef SKBFILTER_BYTES_H
#define SKBFILTER_BYTES_H

#include <stdint.h>
#include <string.h>
#include <stdbool.h>
#include <stddef.h>

static inline uint16_t ld_le16(const void *p) { const uint8_t *b = p; return (uint16_t)(b[0] | b[1] << 8); }
static inline uint32_t ld_le32(const void *p) { const uint8_t *b = p; return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24; }
static inline uint64_t ld_le64(const void *p) { const uint8_t *b = p; return (uint64_t)ld_le32(b) | (uint64_t)ld_le32(b + 4) << 32; }
static inline uint16_t ld_be16(const void *p) { const uint8_t *b = p; return (uint16_t)(b[0] << 8 | b[1]); }
static inline uint32_t ld_be32(const void *p) { const uint8_t *b = p; return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3]; }
static inline uint64_t ld_be64(const void *p) { const uint8_t *b = p; return (uint64_t)ld_be32(b) << 32 | ld_be32(b + 4); }

static inline void st_le16(void *p, uint16_t v) { uint8_t *b = p; b[0] = (uint8_t)v; b[1] = (uint8_t)(v >> 8); }
static inline void st_le32(void *p, uint32_t v) { uint8_t *b = p; for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i)); }
static inline void st_le64(void *p, uint64_t v) { uint8_t *b = p; for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (8 * i)); }
static inline void st_be16(void *p, uint16_t v) { uint8_t *b = p; b[0] = (uint8_t)(v >> 8); b[1] = (uint8_t)v; }
static inline void st_be32(void *p, uint32_t v) { uint8_t *b = p; for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (24 - 8 * i)); }
static inline void st_be64(void *p, uint64_t v) { uint8_t *b = p; for (int i = 0; i < 8; i++) b[i] = (uint8_t)(v >> (56 - 8 * i)); }

/* Endian-selected loads, for formats whose byte order is a property of the file. */
static inline uint16_t ld16(const void *p, bool be) { return be ? ld_be16(p) : ld_le16(p); }
static inline uint32_t ld32(const void *p, bool be) { return be ? ld_be32(p) : ld_le32(p); }
static inline uint64_t ld64(const void *p, bool be) { return be ? ld_be64(p) : ld_le64(p); }
/* An integer of 1, 2, 4 or 8 bytes in the given byte order; 0 for any other size. */
static inline uint64_t ld_uint(const void *p, size_t size, bool be)
{
	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 2: return ld16(p, be);
	case 4: return ld32(p, be);
	case 8: return ld64(p, be);
	default: return 0;
	}
}

/* qsort()/bsearch() order of uint64_t values (addresses, pfns). */
static inline int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Overflow-checked arithmetic on sizes read from input. */
static inline bool add_overflows_u64(uint64_t a, uint64_t b, uint64_t *ret) { return __builtin_add_overflow(a, b, ret); }
static inline bool mul_overflows_u64(uint64_t a, uint64_t b, uint64_t *ret) { return __builtin_mul_overflow(a, b, ret); }

#endif
