// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parts of the BTF layer that read kernel memory: the kernel's own BTF
 * blob (__start_BTF..__stop_BTF, kept in memory since 5.5 because the
 * verifier uses it; CONFIG_DEBUG_INFO_BTF), and typed field reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/kmem.h"
#include "skbfilter/symbols.h"

#define BTF_NONE_HINT                                                                                   \
	"add types from the same kernel build: --btf FILE (/sys/kernel/btf/vmlinux copied from that kernel, " \
	"or \"pahole --btf_encode_detached=FILE vmlinux\" on its DWARF vmlinux), or -x vmlinux with a .BTF section"

/*
 * Without __start_BTF among the symbols (kallsyms built without
 * CONFIG_KALLSYMS_ALL holds text symbols only, as on Debian arm64), the
 * blob is found by scanning the image after _etext for a BTF header that
 * is plausible on its own: magic, version 1, hdr_len 24, types first, the
 * strings right after them, a total under the cap.  libbpf then validates it.
 */
#define BTF_SCAN_MAX (128u << 20)

static bool plausible_header(const uint8_t *p, bool be, uint64_t *total)
{
	uint32_t hdr_len = ld32(p + 4, be), type_off = ld32(p + 8, be), type_len = ld32(p + 12, be);
	uint32_t str_off = ld32(p + 16, be), str_len = ld32(p + 20, be);
	uint64_t t = (uint64_t)hdr_len + str_off + str_len;

	if (p[2] != 1 || p[3] != 0 || hdr_len != 24 || type_off != 0 || str_off != type_len || !type_len || !str_len)
		return false;
	if (t > KTYPES_MAX_BTF)
		return false;
	*total = t;
	return true;
}

static int load_at(struct kmem *k, uint64_t start, uint64_t len, const char *how, struct ktypes **ret, struct sf_err *err)
{
	uint8_t *buf;
	char what[200];
	int rc;

	buf = malloc(len);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "kernel BTF: out of memory for %llu bytes", (unsigned long long)len);
	rc = kmem_read(k, start, buf, len, "kernel BTF", err);
	if (rc == 0) {
		snprintf(what, sizeof(what), "BTF in dump memory (%llu bytes at 0x%llx%s)", (unsigned long long)len,
			 (unsigned long long)start, how);
		rc = ktypes_load_raw(buf, len, what, ret, err);
		if (rc == 0)
			ktypes_set_memory_range(*ret, start, start + len, NULL);
	}
	free(buf);
	return rc;
}

/*
 * Page by page: the image has holes (x86_64 frees and unmaps the padding
 * between _etext and the 2 MiB-aligned __start_rodata).  The previous
 * page stays in front of the current one so a header may straddle them.
 */
/*
 * A header with the magic, version 1 and hdr_len 24 that plausible_header()
 * refused: named when nothing better is found, since a corrupt blob is more
 * likely than a kernel without BTF once its header is there.
 */
static void near_miss(const uint8_t *p, bool be, uint64_t at, struct sf_err *err)
{
	if (err->code || p[2] != 1 || ld32(p + 4, be) != 24)
		return;
	sf_err_set(err, SF_ECORRUPT, "a BTF header at 0x%llx after _etext has implausible sizes (type_off %u, "
		   "type_len %u, str_off %u, str_len %u; at most %u MiB in all)", (unsigned long long)at,
		   ld32(p + 8, be), ld32(p + 12, be), ld32(p + 16, be), ld32(p + 20, be), KTYPES_MAX_BTF >> 20);
}

static int scan_for_btf(struct kmem *k, uint64_t from, struct ktypes **ret, struct sf_err *err)
{
	bool be = kmem_big_endian(k), prev_ok = false;
	uint32_t psz = kmem_page_size(k);
	uint8_t *buf;
	uint64_t page;
	int rc = -SF_ENOTFOUND;

	if (psz < 64)
		return -SF_ENOTFOUND;
	buf = malloc(2 * (size_t)psz);
	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "kernel BTF: out of memory");
	from &= ~(uint64_t)(psz - 1);
	for (page = from; page - from < BTF_SCAN_MAX; page += psz) {
		struct sf_err rerr = { 0 };
		size_t i;

		if (kmem_read(k, page, buf + psz, psz, "kernel image (BTF scan)", &rerr) < 0) {
			prev_ok = false;
			continue;
		}
		/* Positions starting in the previous page's last 24 bytes, then this page's. */
		for (i = prev_ok ? psz - 24 : psz; i + 24 <= 2 * (size_t)psz; i += 4) {
			uint64_t total;

			if (ld16(buf + i, be) != 0xeb9f)
				continue;
			if (!plausible_header(buf + i, be, &total)) {
				near_miss(buf + i, be, page - psz + i, err);
				continue;
			}
			rc = load_at(k, page - psz + i, total, ", found by scanning after _etext: no __start_BTF symbol",
				     ret, err);
			if (rc == 0)
				goto out;
		}
		memcpy(buf, buf + psz, psz);
		prev_ok = true;
	}
	rc = -SF_ENOTFOUND;
out:
	free(buf);
	return rc;
}

int ktypes_load_memory(struct kmem *k, const struct symtab *st, struct ktypes **ret, struct sf_err *err)
{
	uint64_t start, stop, len, etext;
	int rc;

	k = kmem_as(k, READ_BTF);
	sf_err_clear(err);
	if (symtab_lookup(st, "__start_BTF", &start, NULL) < 0 || symtab_lookup(st, "__stop_BTF", &stop, NULL) < 0) {
		if (symtab_lookup(st, "_etext", &etext, NULL) == 0 && scan_for_btf(k, etext, ret, err) == 0) {
			sf_err_clear(err);	/* near misses before the blob found */
			rc = 0;
			goto out;
		}
		if (err->code) {	/* a header was there but unusable: that is the news */
			char cause[SF_ERR_MSG_MAX];

			snprintf(cause, sizeof(cause), "%s", err->msg);
			rc = sf_err_set(err, SF_ECORRUPT, "the dump's BTF (no __start_BTF symbol) is unusable: %.600s",
					cause);
			goto out;
		}
		rc = sf_err_set(err, SF_ENOTFOUND,
				"the dump's kernel has no BTF (no __start_BTF/__stop_BTF in the symbols from %s, "
				"and no BTF header in the image after _etext; built without CONFIG_DEBUG_INFO_BTF?): "
				BTF_NONE_HINT, symtab_source(st));
		goto out;
	}
	if (stop <= start) {
		rc = sf_err_set(err, SF_ECORRUPT, "kernel BTF: __stop_BTF 0x%llx is not above __start_BTF 0x%llx: " BTF_NONE_HINT,
				(unsigned long long)stop, (unsigned long long)start);
		goto out;
	}
	len = stop - start;
	if (len > KTYPES_MAX_BTF) {
		rc = sf_err_set(err, SF_ENOMEM, "kernel BTF at 0x%llx: %llu bytes is above the %u MiB cap",
				(unsigned long long)start, (unsigned long long)len, KTYPES_MAX_BTF >> 20);
		goto out;
	}
	rc = load_at(k, start, len, "", ret, err);
	if (rc < 0) {
		/* The cause, without the long hint: callers truncate, and they say --btf / -x themselves. */
		char cause[SF_ERR_MSG_MAX];

		snprintf(cause, sizeof(cause), "%s", err->msg);
		sf_err_set(err, -rc, "the dump's BTF (__start_BTF..__stop_BTF) is unusable: %.600s", cause);
	}
out:
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
