// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parts of the BTF layer that read kernel memory: the kernel's own BTF
 * blob (__start_BTF..__stop_BTF, kept in memory since 5.5 because the
 * verifier uses it; CONFIG_DEBUG_INFO_BTF), and typed field reads.
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/kmem.h"
#include "skbfilter/symbols.h"

#define BTF_NONE_HINT                                                                                   \
	"add types from the same kernel build: --btf FILE (/sys/kernel/btf/vmlinux copied from that kernel, " \
	"or \"pahole --btf_encode_detached=FILE vmlinux\" on its DWARF vmlinux), or -x vmlinux with a .BTF section"

int ktypes_load_memory(struct kmem *k, const struct symtab *st, struct ktypes **ret, struct sf_err *err)
{
	uint64_t start, stop, len;
	enum keep_reason prev;
	uint8_t *buf = NULL;
	char what[160];
	int rc;

	if (symtab_lookup(st, "__start_BTF", &start, NULL) < 0 || symtab_lookup(st, "__stop_BTF", &stop, NULL) < 0)
		return sf_err_set(err, SF_ENOTFOUND,
				  "the dump's kernel has no BTF (no __start_BTF/__stop_BTF in the symbols from %s; "
				  "built without CONFIG_DEBUG_INFO_BTF?): " BTF_NONE_HINT, symtab_source(st));
	if (stop <= start)
		return sf_err_set(err, SF_ECORRUPT, "kernel BTF: __stop_BTF 0x%llx is not above __start_BTF 0x%llx: " BTF_NONE_HINT,
				  (unsigned long long)stop, (unsigned long long)start);
	len = stop - start;
	if (len > KTYPES_MAX_BTF)
		return sf_err_set(err, SF_ENOMEM, "kernel BTF at 0x%llx: %llu bytes is above the %u MiB cap",
				  (unsigned long long)start, (unsigned long long)len, KTYPES_MAX_BTF >> 20);
	buf = malloc(len);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "kernel BTF: out of memory for %llu bytes", (unsigned long long)len);
	prev = kmem_set_reason(k, KEEP_BTF);
	rc = kmem_read(k, start, buf, len, "kernel BTF (__start_BTF..__stop_BTF)", err);
	kmem_set_reason(k, prev);
	if (rc < 0) {
		sf_err_prefix(err, "the dump's BTF cannot be read; " BTF_NONE_HINT);
		goto out;
	}
	snprintf(what, sizeof(what), "BTF in dump memory (%llu bytes at 0x%llx)", (unsigned long long)len,
		 (unsigned long long)start);
	rc = ktypes_load_raw(buf, len, what, ret, err);
	if (rc < 0)
		goto out;
	ktypes_set_memory_range(*ret, start, stop, NULL);
out:
	free(buf);
	return rc;
}

int kfield_extract(const struct kmem *k, const struct kfield *f, const void *buf, size_t buflen, uint64_t *ret)
{
	return ktypes_extract(f, buf, buflen, 0, k ? kmem_big_endian(k) : false, ret);
}

int kread_field(struct kmem *k, const struct ktypes *kt, uint64_t obj, const char *path, uint64_t *ret, struct sf_err *err)
{
	struct kfield f;
	uint8_t buf[16];
	uint64_t start, len, addr;
	int rc;

	rc = ktypes_field(kt, path, &f, err);
	if (rc < 0)
		return rc;
	if (f.bit_size) {
		start = f.bit_offset / 8;
		len = (f.bit_offset % 8 + f.bit_size + 7) / 8;
	} else {
		start = f.offset;
		len = f.size;
	}
	if (len == 0 || len > sizeof(buf) || (!f.bit_size && len != 1 && len != 2 && len != 4 && len != 8))
		return sf_err_set(err, SF_ENOTSUP, "%s at 0x%llx: not an integer field (%u bytes)", path,
				  (unsigned long long)obj, f.size);
	addr = obj + start;
	rc = kmem_read(k, addr, buf, len, path, err);
	if (rc < 0)
		return rc;
	rc = ktypes_extract(&f, buf, len, start, kmem_big_endian(k), ret);
	if (rc < 0)
		return sf_err_set(err, -rc, "%s at 0x%llx: cannot extract the field", path, (unsigned long long)obj);
	return 0;
}
