/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mini.core's kernel description note (src/kernel/slimnote.c): the types and
 * symbols the analysis used, so that a mini.core re-analyses without the
 * kernel's in-memory BTF and kallsyms pages and without -m/--btf/-x.
 *
 * ELF note, owner "SKBFILTER", type SLIMNOTE_TYPE, in the sub-header note
 * area of the kdump format and in the PT_NOTE of -E.  Descriptor (all
 * little-endian, whatever the dump's byte order):
 *
 *   0   "SKBFSLIM"    magic
 *   8   u32 version   SLIMNOTE_VERSION
 *   12  u32 flags     bit 0: body zlib-compressed (always set by the writer)
 *   16  u64 raw_len   body size (capped at SLIMNOTE_MAX_RAW)
 *   24  u64 comp_len  compressed size (the rest of the descriptor)
 *   32  body: sections { u32 tag, u32 0, u64 len, len bytes, padded to 8 }
 *       tag 1  BTF: a raw BTF blob holding only the used types and members
 *       tag 2  SYMS: u32 count, u32 0, then per symbol u64 addr, u8 type
 *              letter, u8 flags (bit 0: module symbol), u16 name_len,
 *              u16 module_len, u16 0, name, module (no NULs), padded to 8
 *       tag 3  MODSEARCH: u64 near, u64 head: the module list head that was
 *              found by searching module memory from address `near`
 *       tag 4  PERCPU: u32 nr_cpu_ids, u32 flags (bit 0: offsets follow),
 *              u64 base[nr] (each CPU's per-CPU section, 0 = unknown), then
 *              u64 __per_cpu_offset[nr]: what the runqueue / SRCU / SLUB
 *              searches found in a kernel without __per_cpu_offset
 *       other tags are skipped.
 */
#ifndef SKBFILTER_SLIMNOTE_H
#define SKBFILTER_SLIMNOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct dump;
struct kernel;
struct symtab;

#define SLIMNOTE_NAME "SKBFILTER"
#define SLIMNOTE_TYPE 0x4d494c53u	/* "SLIM" */
#define SLIMNOTE_VERSION 1
#define SLIMNOTE_MAX_RAW (96u << 20)
#define SLIMNOTE_MAX_SYMS (1u << 22)

enum { SLIMNOTE_SEC_BTF = 1, SLIMNOTE_SEC_SYMS = 2, SLIMNOTE_SEC_MODSEARCH = 3, SLIMNOTE_SEC_PERCPU = 4 };
#define SLIMNOTE_MAX_CPUS 8192

struct slimnote_sym {
	uint64_t addr;
	const char *name;	/* into the note's arena */
	const char *module;	/* NULL for vmlinux */
	char type;
};

struct slimnote {
	uint32_t version;
	uint8_t *body;			/* owned, raw_len bytes */
	size_t raw_len, comp_len;
	const uint8_t *btf;		/* into body; NULL if none */
	size_t btf_len;
	bool have_syms;
	struct slimnote_sym *syms;	/* owned */
	size_t nsyms, nmodsyms;
	char *arena;			/* owned: names */
	bool modsearch;
	uint64_t modsearch_near, modsearch_head;
	uint32_t percpu_nr;		/* PERCPU: 0 = no section */
	const uint8_t *percpu_base;	/* into body: percpu_nr little-endian u64 */
	const uint8_t *percpu_offset;	/* into body, or NULL */
};

struct slimnote_stats {
	size_t note_bytes;		/* the whole ELF note */
	size_t raw_len;			/* body before compression */
	size_t btf_bytes;
	uint32_t btf_types;
	size_t syms, module_syms;
	uint32_t percpu_cpus;		/* CPUs of the PERCPU section (0: none) */
};

/*
 * Builds the ELF note (header in the dump's byte order be) from what k's
 * symbol table and types were asked so far.  *ret is malloc'ed.
 */
int slimnote_build(struct kernel *k, bool be, uint8_t **ret, size_t *len, struct slimnote_stats *stats,
		   struct sf_err *err);
/* Parses a descriptor (hostile input: every size is checked). */
int slimnote_parse(const void *desc, size_t len, struct slimnote **ret, struct sf_err *err);
void slimnote_destroy(struct slimnote *n);
/* The note's descriptor among the dump's notes; NULL if absent. */
const uint8_t *slimnote_find(struct dump *d, size_t *len);
/* Adds the vmlinux (modules false) or module (true) symbols of the note to st (no symtab_finish()). */
int slimnote_add_syms(const struct slimnote *n, struct symtab *st, bool modules, struct sf_err *err);

#endif
