// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the kallsyms decoder over an arbitrary memory image.
 * Input: byte 0 flags (bit0 big-endian, bit1 32-bit pointers, bit2 has
 * relative_base, bit3 absolute addresses, bit4 _stext known), then seven
 * 16-bit little-endian offsets into the image (names, num_syms,
 * token_table, token_index, offsets/addresses, relative_base, _stext's
 * value low 16 bits), then the image, mapped at 0xffffffff81000000.
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/syms_int.h"
#include "skbfilter/bytes.h"

#define IMG_BASE 0xffffffff81000000ull

struct img {
	const uint8_t *p;
	size_t len;
};

static int img_read(void *arg, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	struct img *im = arg;

	if (addr < IMG_BASE || addr - IMG_BASE > im->len || im->len - (addr - IMG_BASE) < len)
		return sf_err_set(err, SF_ENODATA, "%s at 0x%llx: outside the image", what, (unsigned long long)addr);
	memcpy(buf, im->p + (addr - IMG_BASE), len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kallsyms_tables t = { 0 };
	struct sf_err err = { 0 };
	struct symtab *st = NULL;
	enum kallsyms_encoding enc;
	struct img im;
	uint8_t f;

	if (size < 15)
		return 0;
	f = data[0];
	im.p = data + 15;
	im.len = size - 15;
	t.big_endian = f & 1;
	t.ptr_size = f & 2 ? 4 : 8;
	t.names = IMG_BASE + ld_le16(data + 1);
	t.num_syms = IMG_BASE + ld_le16(data + 3);
	t.token_table = IMG_BASE + ld_le16(data + 5);
	t.token_index = IMG_BASE + ld_le16(data + 7);
	if (f & 8)
		t.addresses = IMG_BASE + ld_le16(data + 9);
	else
		t.offsets = IMG_BASE + ld_le16(data + 9);
	if (f & 4)
		t.relative_base = IMG_BASE + ld_le16(data + 11);
	if (f & 16)
		t.stext = (IMG_BASE + ld_le16(data + 13)) & (t.ptr_size == 4 ? 0xffffffffull : ~0ull);
	if (symtab_create(&st, &err) < 0)
		return 0;
	if (kallsyms_decode(&t, img_read, &im, st, &enc, &err) == 0 && symtab_finish(st, &err) == 0) {
		struct sym_hit h;
		uint64_t a;

		symtab_resolve(st, IMG_BASE + 0x100, 0x10000, &h);
		symtab_lookup(st, "_stext", &a, &err);
	}
	symtab_destroy(st);
	return 0;
}
