// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mini.core's kernel note: the slim BTF answers every lookup made on the full
 * BTF the same way (and knows nothing else), the reduced symbol table answers
 * the same lookups and resolutions, the note round-trips through its parser,
 * and hostile descriptors are refused without crashing.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include <zlib.h>

#include "harness.h"
#include "kernel/ktypes_int.h"
#include "kernel/syms_int.h"
#include "skbfilter/bytes.h"
#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/symbols.h"

/* struct outer { long first; union { struct { u32 len, data_len; }; long both; }; bitfields; inner in; int arr[4]; ptr } */
static void *make_btf(size_t *len)
{
	struct btf *b = btf__new_empty();
	int t_int, t_uint, t_long, t_uchar, t_schar, t_u32, t_inner, t_anon_s, t_anon_u, t_cv, t_arr, t_ptr, t_var, t_sec;
	const void *raw;
	uint32_t sz;
	void *copy;

	ASSERT_TRUE(b);
	t_int = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	t_uint = btf__add_int(b, "unsigned int", 4, 0);
	t_long = btf__add_int(b, "long", 8, BTF_INT_SIGNED);
	t_uchar = btf__add_int(b, "unsigned char", 1, 0);
	t_schar = btf__add_int(b, "signed char", 1, BTF_INT_SIGNED);
	t_u32 = btf__add_typedef(b, "u32_t", t_uint);
	ASSERT_TRUE(btf__add_enum(b, NULL, 4) > 0);
	btf__add_enum_value(b, "ANON_A", 1);
	btf__add_enum_value(b, "ANON_B", 0x400);
	btf__add_enum_value(b, "OTHER_C", 7);
	ASSERT_TRUE(btf__add_enum(b, "named", 4) > 0);
	btf__add_enum_value(b, "NAMED_NEG", -2);
	t_inner = btf__add_struct(b, "inner", 8);
	btf__add_field(b, "x", t_int, 0, 0);
	btf__add_field(b, "y", t_int, 32, 0);
	t_anon_s = btf__add_struct(b, NULL, 8);
	btf__add_field(b, "len", t_u32, 0, 0);
	btf__add_field(b, "data_len", t_u32, 32, 0);
	t_anon_u = btf__add_union(b, NULL, 8);
	btf__add_field(b, NULL, t_anon_s, 0, 0);
	btf__add_field(b, "both", t_long, 0, 0);
	t_cv = btf__add_const(b, btf__add_volatile(b, t_int));
	t_arr = btf__add_array(b, t_int, t_cv, 4);
	t_ptr = btf__add_ptr(b, t_inner);
	ASSERT_TRUE(btf__add_struct(b, "outer", 56) > 0);
	btf__add_field(b, "first", t_long, 0, 0);
	btf__add_field(b, NULL, t_anon_u, 64, 0);
	btf__add_field(b, "flags", t_uchar, 128, 3);
	btf__add_field(b, "mode", t_uchar, 131, 4);
	btf__add_field(b, "sbits", t_schar, 135, 5);
	btf__add_field(b, "in", t_inner, 160, 0);
	btf__add_field(b, "arr", t_arr, 224, 0);
	btf__add_field(b, "ptr", t_ptr, 384, 0);
	t_var = btf__add_var(b, "runqueues", BTF_VAR_GLOBAL_ALLOCATED, t_inner);
	btf__add_var(b, "other_pcpu", BTF_VAR_GLOBAL_ALLOCATED, t_int);
	t_sec = btf__add_datasec(b, ".data..percpu", 4096);
	ASSERT_TRUE(t_var > 0 && t_sec > 0);
	btf__add_datasec_var_info(b, t_var, 0x40, 8);
	btf__add_datasec_var_info(b, t_var + 1, 0x80, 4);
	raw = btf__raw_data(b, &sz);
	ASSERT_TRUE(raw);
	copy = malloc(sz);
	memcpy(copy, raw, sz);
	*len = sz;
	btf__free(b);
	return copy;
}

static const char *const used_paths[] = { "outer.len", "outer.both", "outer.mode", "outer.sbits", "outer.in.y",
					  "outer.arr[2]", "outer.ptr", "outer.nope", "missing.x" };
static const char *const unused_paths[] = { "outer.first", "outer.flags", "outer.data_len", "inner.x" };

static int count_cb(const char *name, int64_t value, void *arg)
{
	(*(int64_t *)arg) += value;
	return 0;
}

TEST(slim_btf_answers_what_was_asked_and_nothing_else)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL, *slim = NULL;
	struct kfield f1, f2;
	uint8_t *sb = NULL;
	size_t len, slen;
	void *raw = make_btf(&len);
	uint64_t s1, s2, o1, o2;
	int64_t e1, e2, sum1 = 0, sum2 = 0;

	ASSERT_OK(ktypes_load_raw(raw, len, "full", &kt, &err), &err);
	for (size_t i = 0; i < sizeof(used_paths) / sizeof(used_paths[0]); i++)
		ktypes_field(kt, used_paths[i], &f1, NULL);
	ASSERT_OK(ktypes_sizeof(kt, "u32_t", &s1, &err), &err);
	ASSERT_OK(ktypes_enum_value(kt, "NAMED_NEG", &e1, &err), &err);
	ktypes_enum_foreach(kt, "ANON_", count_cb, &sum1);
	ASSERT_OK(ktypes_datasec_var_offset(kt, ".data..percpu", "runqueues", &o1), &err);
	ASSERT_OK(ktypes_slim_btf(kt, &sb, &slen, &err), &err);
	ASSERT_TRUE(slen < len);
	ASSERT_OK(ktypes_load_raw(sb, slen, "slim", &slim, &err), &err);
	for (size_t i = 0; i < sizeof(used_paths) / sizeof(used_paths[0]); i++) {
		int r1 = ktypes_field(kt, used_paths[i], &f1, NULL), r2 = ktypes_field(slim, used_paths[i], &f2, NULL);

		ASSERT_EQ(r1, r2);
		if (r1 == 0) {
			ASSERT_EQ(f1.offset, f2.offset);
			ASSERT_EQ(f1.size, f2.size);
			ASSERT_EQ(f1.bit_offset, f2.bit_offset);
			ASSERT_EQ(f1.bit_size, f2.bit_size);
			ASSERT_EQ(f1.is_signed, f2.is_signed);
			ASSERT_EQ(f1.elem_size, f2.elem_size);
			ASSERT_EQ(f1.nelems, f2.nelems);
		}
	}
	for (size_t i = 0; i < sizeof(unused_paths) / sizeof(unused_paths[0]); i++) {
		ASSERT_TRUE(ktypes_has_field(kt, unused_paths[i]));
		ASSERT_TRUE(!ktypes_has_field(slim, unused_paths[i]));
	}
	ASSERT_OK(ktypes_sizeof(slim, "u32_t", &s2, &err), &err);
	ASSERT_EQ(s1, s2);
	ASSERT_OK(ktypes_sizeof(slim, "outer", &s2, &err), &err);
	ASSERT_EQ(s2, 56);
	ASSERT_OK(ktypes_enum_value(slim, "NAMED_NEG", &e2, &err), &err);
	ASSERT_EQ(e1, e2);
	ktypes_enum_foreach(slim, "ANON_", count_cb, &sum2);
	ASSERT_EQ(sum1, sum2);
	ASSERT_EQ(ktypes_enum_value(slim, "OTHER_C", &e2, NULL), -SF_ENOTFOUND);
	ASSERT_OK(ktypes_datasec_var_offset(slim, ".data..percpu", "runqueues", &o2), &err);
	ASSERT_EQ(o1, o2);
	ASSERT_EQ(ktypes_datasec_var_offset(slim, ".data..percpu", "other_pcpu", &o2), -SF_ENOTFOUND);
	free(sb);
	free(raw);
	ktypes_destroy(kt);
	ktypes_destroy(slim);
}

/* Builds a note from a kernel with only syms/types set; returns the descriptor (copied). */
static uint8_t *build_desc(struct symtab *st, struct ktypes *kt, size_t *dlen)
{
	struct kernel k;
	struct slimnote_stats ns;
	struct sf_err err = { 0 };
	uint8_t *note = NULL, *d;
	size_t nlen;

	memset(&k, 0, sizeof(k));
	k.syms = st;
	k.types = kt;
	ASSERT_OK(slimnote_build(&k, false, &note, &nlen, &ns, &err), &err);
	ASSERT_EQ(ld_le32(note), sizeof(SLIMNOTE_NAME));
	ASSERT_EQ(ld_le32(note + 8), SLIMNOTE_TYPE);
	ASSERT_TRUE(!memcmp(note + 12, SLIMNOTE_NAME, sizeof(SLIMNOTE_NAME)));
	*dlen = ld_le32(note + 4);
	ASSERT_TRUE(24 + *dlen <= nlen);
	d = malloc(*dlen);
	memcpy(d, note + 24, *dlen);
	free(note);
	return d;
}

TEST(note_symbols_resolve_the_same)
{
	static const uint64_t probes[] = { 0xffffffff81000010, 0xffffffff81000100, 0xffffffff81000850,
					   0xffffffffc0001234, 0xffffffff82000000 };
	struct sf_err err = { 0 };
	struct symtab *st = NULL, *st2 = NULL;
	struct slimnote *n = NULL;
	struct sym_hit h1, h2;
	uint8_t *desc;
	size_t dlen;
	uint64_t a;

	ASSERT_OK(symtab_create(&st, &err), &err);
	symtab_add(st, "_stext", 0xffffffff81000000, 'T', NULL, &err);
	symtab_add(st, "alias_t", 0xffffffff81000000, 't', NULL, &err);
	symtab_add(st, "fn_a", 0xffffffff81000000, 'T', NULL, &err);
	symtab_add(st, "abs_sym", 0xffffffff81000080, 'A', NULL, &err);
	symtab_add(st, "fn_b", 0xffffffff81000100, 'T', NULL, &err);
	symtab_add(st, "fn_c", 0xffffffff81000800, 't', NULL, &err);
	symtab_add(st, "_etext", 0xffffffff81001000, 'T', NULL, &err);
	symtab_add(st, "unused", 0xffffffff81000900, 'T', NULL, &err);
	symtab_add(st, "mod_fn", 0xffffffffc0001000, 't', "vxlan", &err);
	symtab_add(st, "mod_data", 0xffffffffc0002000, 'd', "vxlan", &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		symtab_resolve(st, probes[i], 0x100000, &h1);
	ASSERT_OK(symtab_lookup(st, "fn_c", &a, &err), &err);
	ASSERT_EQ(symtab_lookup(st, "nope", &a, NULL), -SF_ENOTFOUND);

	desc = build_desc(st, NULL, &dlen);
	ASSERT_OK(slimnote_parse(desc, dlen, &n, &err), &err);
	ASSERT_TRUE(n->have_syms && !n->btf);
	ASSERT_EQ(n->nmodsyms, 1);
	ASSERT_OK(symtab_create(&st2, &err), &err);
	ASSERT_OK(slimnote_add_syms(n, st2, false, &err), &err);
	ASSERT_OK(slimnote_add_syms(n, st2, true, &err), &err);
	ASSERT_OK(symtab_finish(st2, &err), &err);
	ASSERT_TRUE(symtab_count(st2) < symtab_count(st));
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		bool r1 = symtab_resolve(st, probes[i], 0x100000, &h1), r2 = symtab_resolve(st2, probes[i], 0x100000, &h2);

		ASSERT_EQ(r1, r2);
		if (r1) {
			ASSERT_STREQ(h1.name, h2.name);
			ASSERT_EQ(h1.offset, h2.offset);
			ASSERT_EQ(h1.type, h2.type);
			ASSERT_TRUE((h1.module == NULL) == (h2.module == NULL));
		}
	}
	ASSERT_OK(symtab_lookup(st2, "fn_c", &a, &err), &err);
	ASSERT_EQ(a, 0xffffffff81000800);
	ASSERT_EQ(symtab_lookup(st2, "unused", &a, NULL), -SF_ENOTFOUND);
	slimnote_destroy(n);
	symtab_destroy(st);
	symtab_destroy(st2);
	free(desc);
}

TEST(note_hostile_descriptors_are_refused)
{
	struct sf_err err = { 0 };
	struct symtab *st = NULL;
	struct ktypes *kt = NULL;
	struct slimnote *n = NULL;
	struct kfield f;
	size_t len, dlen;
	void *raw = make_btf(&len);
	uint8_t *desc, *bad;
	uint64_t a;

	ASSERT_OK(ktypes_load_raw(raw, len, "full", &kt, &err), &err);
	ktypes_field(kt, "outer.len", &f, NULL);
	ASSERT_OK(symtab_create(&st, &err), &err);
	symtab_add(st, "_stext", 0xffffffff81000000, 'T', NULL, &err);
	symtab_finish(st, &err);
	symtab_lookup(st, "_stext", &a, &err);
	desc = build_desc(st, kt, &dlen);
	ASSERT_OK(slimnote_parse(desc, dlen, &n, &err), &err);
	ASSERT_TRUE(n->btf && n->have_syms);
	slimnote_destroy(n);
	/* every truncation is refused */
	for (size_t l = 0; l < dlen; l++) {
		ASSERT_TRUE(slimnote_parse(desc, l, &n, &err) < 0);
		ASSERT_TRUE(n == NULL);
	}
	bad = malloc(dlen);
	memcpy(bad, desc, dlen);
	bad[0] = 'X';
	ASSERT_EQ(slimnote_parse(bad, dlen, &n, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "bad magic");
	memcpy(bad, desc, dlen);
	st_le64(bad + 16, 1ull << 40);
	ASSERT_TRUE(slimnote_parse(bad, dlen, &n, &err) < 0);
	ASSERT_CONTAINS(err.msg, "raw_len");
	memcpy(bad, desc, dlen);
	st_le64(bad + 24, dlen);
	ASSERT_EQ(slimnote_parse(bad, dlen, &n, &err), -SF_ETRUNC);
	/* single-byte flips anywhere: parsed or refused, never a crash */
	for (size_t i = 0; i < dlen; i++) {
		memcpy(bad, desc, dlen);
		bad[i] ^= 0x5a;
		if (slimnote_parse(bad, dlen, &n, &err) == 0)
			slimnote_destroy(n);
	}
	free(bad);
	free(desc);
	free(raw);
	symtab_destroy(st);
	ktypes_destroy(kt);
}

/* A descriptor whose zlib body is the given sections (tag, bytes). */
static uint8_t *desc_of_body(const uint8_t *body, size_t blen, size_t *dlen)
{
	uLongf clen = compressBound(blen);
	uint8_t *d = calloc(1, 32 + clen);

	ASSERT_TRUE(d != NULL);
	ASSERT_EQ(compress2(d + 32, &clen, body, blen, 6), Z_OK);
	memcpy(d, "SKBFSLIM", 8);
	st_le32(d + 8, SLIMNOTE_VERSION);
	st_le32(d + 12, 1);
	st_le64(d + 16, blen);
	st_le64(d + 24, clen);
	*dlen = 32 + clen;
	return d;
}

/* PERCPU: the per-CPU bases and offsets a search found; the CPU count must fit the section. */
TEST(note_percpu_section)
{
	uint8_t body[16 + 8 + 2 * 8 * 2] = { 0 };
	struct sf_err err = { 0 };
	struct slimnote *n = NULL;
	uint8_t *d;
	size_t dlen;

	st_le32(body, SLIMNOTE_SEC_PERCPU);
	st_le64(body + 8, 8 + 2 * 8 * 2);
	st_le32(body + 16, 2);
	st_le32(body + 20, 1);
	st_le64(body + 24, 0xffff000011110000ull);
	st_le64(body + 32, 0xffff000022220000ull);
	st_le64(body + 40, 0x1000);
	st_le64(body + 48, 0x2000);
	d = desc_of_body(body, sizeof(body), &dlen);
	ASSERT_OK(slimnote_parse(d, dlen, &n, &err), &err);
	ASSERT_EQ(n->percpu_nr, 2);
	ASSERT_U64(ld_le64(n->percpu_base + 8), 0xffff000022220000ull);
	ASSERT_TRUE(n->percpu_offset != NULL);
	ASSERT_U64(ld_le64(n->percpu_offset + 8), 0x2000);
	slimnote_destroy(n);
	free(d);
	/* three CPUs claimed with offsets: 56 bytes needed, 40 there */
	st_le32(body + 16, 3);
	d = desc_of_body(body, sizeof(body), &dlen);
	ASSERT_EQ(slimnote_parse(d, dlen, &n, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "PERCPU");
	free(d);
	/* no CPUs */
	st_le32(body + 16, 0);
	d = desc_of_body(body, sizeof(body), &dlen);
	ASSERT_EQ(slimnote_parse(d, dlen, &n, &err), -SF_ECORRUPT);
	free(d);
	/* a huge count */
	st_le32(body + 16, 0xffffffffu);
	d = desc_of_body(body, sizeof(body), &dlen);
	ASSERT_EQ(slimnote_parse(d, dlen, &n, &err), -SF_ECORRUPT);
	free(d);
}

TEST_MAIN()
