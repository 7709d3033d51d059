// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the parser of mini.core's kernel note (src/kernel/slimnote.c): the
 * header, the zlib body, the sections and the symbol records, then what
 * kernel_open() does with a parsed note: loads its slim BTF, builds the
 * symbol tables and asks them the usual questions.  Seeds: notes of real
 * mini.cores (tests/fuzz/corpus/fuzz_slimnote/).
 */
#include <stdint.h>
#include <stdlib.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_err err = { 0 };
	struct slimnote *n = NULL;
	struct symtab *st = NULL;
	struct ktypes *kt = NULL;
	struct sym_hit h;
	uint64_t a;
	int64_t e;

	if (slimnote_parse(data, size, &n, &err) < 0)
		return 0;
	if (n->btf && ktypes_load_raw(n->btf, n->btf_len, "fuzz note BTF", &kt, &err) == 0) {
		struct kfield f;

		ktypes_field(kt, "sk_buff.len", &f, &err);
		ktypes_field(kt, "skb_shared_info.frags[1]", &f, &err);
		ktypes_sizeof(kt, "sk_buff", &a, &err);
		ktypes_enum_value(kt, "SKB_GSO_TCPV4", &e, &err);
		ktypes_datasec_var_offset(kt, ".data..percpu", "runqueues", &a);
		ktypes_destroy(kt);
	}
	if (symtab_create(&st, &err) == 0) {
		if (slimnote_add_syms(n, st, false, &err) == 0 && slimnote_add_syms(n, st, true, &err) == 0 &&
		    symtab_finish(st, &err) == 0) {
			symtab_lookup(st, "_stext", &a, &err);
			for (size_t i = 0; i < n->nsyms && i < 64; i++)
				symtab_resolve(st, n->syms[i].addr + 1, 0x100000, &h);
		}
		symtab_destroy(st);
	}
	slimnote_destroy(n);
	return 0;
}
