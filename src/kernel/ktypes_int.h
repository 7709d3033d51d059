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
/* Number of types (without void). */
size_t ktypes_type_count(const struct ktypes *kt);

/*
 * Use marks: every lookup (field paths, sizeof, enumerators, DATASEC
 * variables) marks the types and entries (members, enumerators, DATASEC
 * entries, by index) it used.  The slim BTF of mini.core's kernel note
 * holds exactly those (btf_slim.c).
 */
bool ktypes_type_used(const struct ktypes *kt, uint32_t id);
bool ktypes_entry_used(const struct ktypes *kt, uint32_t id, uint32_t i);
/* Offset of variable var in DATASEC sec (".data..percpu"); marks it. -SF_ENOTFOUND if absent. */
int ktypes_datasec_var_offset(const struct ktypes *kt, const char *sec, const char *var, uint64_t *ret);
struct btf_var_secinfo;
/*
 * The raw entries of DATASEC sec (e.g. ".data..percpu"), *n of them, for a
 * walk over every variable; nothing is marked for the slim BTF (the caller
 * marks what it uses).  -SF_ENOTFOUND without BTF or without the section.
 */
int ktypes_datasec_raw(const struct ktypes *kt, const char *sec, const struct btf_var_secinfo **vs, int *n);
/*
 * A raw BTF blob (little-endian) holding only the used types and entries,
 * in their original order, so that every lookup made so far gives the same
 * answer on it.  *ret is malloc'ed.
 */
int ktypes_slim_btf(const struct ktypes *kt, uint8_t **ret, size_t *len, struct sf_err *err);

#endif
