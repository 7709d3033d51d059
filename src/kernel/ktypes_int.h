/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internals of the BTF layer (btf.c, btf_kmem.c), for tests and fuzzers. */
#ifndef SKBFILTER_KERNEL_KTYPES_INT_H
#define SKBFILTER_KERNEL_KTYPES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/ktypes.h"

/* Caps on BTF blobs read from files and dump memory. */
#define KTYPES_MAX_BTF (64u << 20)

/*
 * Extracts field f from buf, where buf[0] is byte base_off of the outer
 * struct (base_off <= f->offset, or <= bit_offset / 8 for bitfields).
 * Returns 0 or -SF_ERANGE (buffer too short) / -SF_ENOTSUP (not an integer
 * of size 1, 2, 4, 8 or a bitfield of at most 64 bits).
 */
int ktypes_extract(const struct kfield *f, const void *buf, size_t buflen, uint64_t base_off,
		   bool big_endian, uint64_t *ret);

/* Records where in kernel memory the BTF was read from and relabels the source. */
void ktypes_set_memory_range(struct ktypes *kt, uint64_t start, uint64_t end, const char *source);

/* The libbpf object (borrowed), for module split BTF. */
struct btf;
struct btf *ktypes_btf(const struct ktypes *kt);

#endif
