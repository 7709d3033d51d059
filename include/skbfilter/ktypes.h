/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel types from BTF (libbpf).  No kernel struct offsets are hard-coded
 * anywhere: every layout is asked for by path, e.g. "sk_buff.head",
 * "sk_buff.encapsulation" (a bitfield), "skb_shared_info.frags",
 * "task_struct.thread_info.flags", through anonymous structs and unions.
 *
 * BTF comes from, in order: the dump's own memory (__start_BTF..__stop_BTF,
 * found through the symbols), a vmlinux .BTF section, or a raw BTF file.
 */
#ifndef SKBFILTER_KTYPES_H
#define SKBFILTER_KTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"

struct kmem;
struct symtab;

struct ktypes;

struct kfield {
	uint64_t offset;	/* byte offset of the field (of its storage unit for bitfields) */
	uint32_t size;		/* byte size of the field's type (0 for flexible arrays) */
	uint32_t bit_offset;	/* bitfields: bit offset from the start of the struct */
	uint32_t bit_size;	/* bitfields: width in bits; 0 for ordinary fields */
	uint32_t type_id;	/* BTF id of the field's type (modifiers/typedefs resolved) */
	bool is_signed;
	uint32_t elem_size;	/* arrays: element size; else 0 */
	uint32_t nelems;	/* arrays: element count; else 0 */
};

int ktypes_load_memory(struct kmem *k, const struct symtab *st, struct ktypes **ret, struct sf_err *err);
int ktypes_load_vmlinux(const char *path, struct ktypes **ret, struct sf_err *err);
int ktypes_load_file(const char *path, struct ktypes **ret, struct sf_err *err);
/* From a buffer (copied; fuzzers and tests). */
int ktypes_load_raw(const void *data, size_t len, const char *what, struct ktypes **ret, struct sf_err *err);
/*
 * Split BTF on top of base (module BTF, 5.11+ CONFIG_DEBUG_INFO_BTF_MODULES):
 * lookups see the module's types and base's.  base must outlive the result.
 */
int ktypes_load_split(const struct ktypes *base, const void *data, size_t len, const char *what,
		      struct ktypes **ret, struct sf_err *err);
/* Module NAME's BTF (struct module.btf_data) from dump memory, split on base. */
int ktypes_load_module(struct kmem *k, const struct ktypes *base, const struct symtab *st, const char *name,
		       struct ktypes **ret, struct sf_err *err);
void ktypes_destroy(struct ktypes *kt);
/* "BTF in dump memory (N bytes at 0x...)", "BTF file FILE", ... */
const char *ktypes_source(const struct ktypes *kt);
/* Where the BTF came from in kernel memory (0 if not from memory). */
void ktypes_memory_range(const struct ktypes *kt, uint64_t *start, uint64_t *end);

/* Field layout by path "struct.member[.member...]". */
int ktypes_field(const struct ktypes *kt, const char *path, struct kfield *ret, struct sf_err *err);
/* Convenience: byte offset, or -1 with err set. */
int64_t ktypes_offsetof(const struct ktypes *kt, const char *path, struct sf_err *err);
/* sizeof(struct NAME) / sizeof(union NAME) / sizeof(typedef NAME). */
int ktypes_sizeof(const struct ktypes *kt, const char *name, uint64_t *ret, struct sf_err *err);
/* Value of an enumerator by name ("SKB_GSO_TCPV4"), searching every enum. */
int ktypes_enum_value(const struct ktypes *kt, const char *name, int64_t *ret, struct sf_err *err);
/*
 * Calls cb for each enumerator whose name starts with prefix (e.g. "SKB_GSO_"),
 * in BTF order, until cb returns non-zero.
 */
int ktypes_enum_foreach(const struct ktypes *kt, const char *prefix,
			int (*cb)(const char *name, int64_t value, void *arg), void *arg);
/* True if struct/union NAME has member path (no error). */
bool ktypes_has_field(const struct ktypes *kt, const char *path);

/*
 * Reads an integer field of the object at obj (virtual), handling bitfields
 * and sign extension.  The error names the path and address.
 */
int kread_field(struct kmem *k, const struct ktypes *kt, uint64_t obj, const char *path, uint64_t *ret, struct sf_err *err);
/* Extracts the same from a buffer holding the object (buf[0] is offset 0 of the struct). */
int kfield_extract(const struct kmem *k, const struct kfield *f, const void *buf, size_t buflen, uint64_t *ret);

#endif
