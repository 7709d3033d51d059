// SPDX-License-Identifier: GPL-2.0-or-later
#include <bpf/btf.h>

#include "harness.h"
#include "kfixture.h"
#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/symbols.h"

/*
 * A generated BTF:
 *   typedef unsigned int u32_t;
 *   enum { ANON_A = 1, ANON_B = 0x400 };
 *   enum named { NAMED_NEG = -2 } (signed)
 *   struct inner { int x; int y; };
 *   struct outer {
 *       long first;                          // 0
 *       union { struct { u32_t len; u32_t data_len; }; long both; };  // 8
 *       unsigned char flags:3, mode:4;       // 16 (bits 128..134)
 *       signed char sbits:5;                 // bit 135..139 (straddles)
 *       struct inner in;                     // 20
 *       const volatile int arr[4];           // 28
 *       struct inner *ptr;                   // 48
 *   };
 */
static void *make_btf(enum btf_endianness endian, size_t *len)
{
	struct btf *b = btf__new_empty();
	int t_int, t_uint, t_long, t_uchar, t_schar, t_u32, t_inner, t_anon_s, t_anon_u, t_cv, t_arr, t_ptr, t_outer;
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
	ASSERT_OK(btf__add_enum_value(b, "ANON_A", 1), &(struct sf_err){ 0 });
	ASSERT_OK(btf__add_enum_value(b, "ANON_B", 0x400), &(struct sf_err){ 0 });
	ASSERT_TRUE(btf__add_enum(b, "named", 4) > 0);
	ASSERT_OK(btf__add_enum_value(b, "NAMED_NEG", -2), &(struct sf_err){ 0 });
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
	t_outer = btf__add_struct(b, "outer", 56);
	ASSERT_TRUE(t_outer > 0);
	btf__add_field(b, "first", t_long, 0, 0);
	btf__add_field(b, NULL, t_anon_u, 64, 0);
	btf__add_field(b, "flags", t_uchar, 128, 3);
	btf__add_field(b, "mode", t_uchar, 131, 4);
	btf__add_field(b, "sbits", t_schar, 135, 5);
	btf__add_field(b, "in", t_inner, 160, 0);
	btf__add_field(b, "arr", t_arr, 224, 0);
	ASSERT_EQ(btf__add_field(b, "ptr", t_ptr, 384, 0), 0);
	ASSERT_EQ(btf__set_endianness(b, endian), 0);
	raw = btf__raw_data(b, &sz);
	ASSERT_TRUE(raw);
	copy = malloc(sz);
	memcpy(copy, raw, sz);
	*len = sz;
	btf__free(b);
	return copy;
}

static struct ktypes *gen_types(enum btf_endianness endian)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL;
	size_t len;
	void *raw = make_btf(endian, &len);

	ASSERT_OK(ktypes_load_raw(raw, len, "generated BTF", &kt, &err), &err);
	free(raw);
	return kt;
}

TEST(generated_fields_through_anonymous_members)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = gen_types(BTF_LITTLE_ENDIAN);
	struct kfield f;
	uint64_t sz;

	ASSERT_OK(ktypes_field(kt, "outer.len", &f, &err), &err);
	ASSERT_EQ(f.offset, 8);
	ASSERT_EQ(f.size, 4);
	ASSERT_EQ(f.bit_size, 0);
	ASSERT_TRUE(!f.is_signed);
	ASSERT_EQ(ktypes_offsetof(kt, "outer.data_len", &err), 12);
	ASSERT_EQ(ktypes_offsetof(kt, "struct outer.both", &err), 8);
	ASSERT_EQ(ktypes_offsetof(kt, "outer.in.y", &err), 24);
	ASSERT_OK(ktypes_field(kt, "outer.arr", &f, &err), &err);
	ASSERT_EQ(f.offset, 28);
	ASSERT_EQ(f.size, 16);
	ASSERT_EQ(f.elem_size, 4);
	ASSERT_EQ(f.nelems, 4);
	ASSERT_EQ(ktypes_offsetof(kt, "outer.arr[2]", &err), 36);
	ASSERT_OK(ktypes_field(kt, "outer.arr[3]", &f, &err), &err);
	ASSERT_TRUE(f.is_signed);	/* const volatile int: modifiers resolved */
	ASSERT_EQ(ktypes_offsetof(kt, "outer.arr[4]", &err), -1);
	ASSERT_CONTAINS(err.msg, "index 4 past the 4 elements");
	ASSERT_OK(ktypes_sizeof(kt, "outer", &sz, &err), &err);
	ASSERT_EQ(sz, 56);
	ASSERT_OK(ktypes_sizeof(kt, "u32_t", &sz, &err), &err);
	ASSERT_EQ(sz, 4);
	ASSERT_TRUE(ktypes_has_field(kt, "outer.ptr"));
	ASSERT_TRUE(!ktypes_has_field(kt, "outer.nope"));
	ASSERT_EQ(ktypes_field(kt, "outer.ptr.x", &f, &err), -SF_EINVAL);
	ASSERT_CONTAINS(err.msg, "a pointer");
	ASSERT_EQ(ktypes_field(kt, "outer.nope", &f, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "outer.nope: struct outer has no member nope (types from generated BTF)");
	ASSERT_EQ(ktypes_field(kt, "missing.x", &f, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "no type missing");
	/* Cached answers are the same answers. */
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(ktypes_offsetof(kt, "outer.in.y", &err), 24);
	ktypes_destroy(kt);
}

TEST(generated_bitfields_and_extraction)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = gen_types(BTF_LITTLE_ENDIAN);
	struct kfield fl, md, sb;
	uint8_t obj[56] = { 0 };
	uint64_t v;

	ASSERT_OK(ktypes_field(kt, "outer.flags", &fl, &err), &err);
	ASSERT_EQ(fl.bit_offset, 128);
	ASSERT_EQ(fl.bit_size, 3);
	ASSERT_EQ(fl.offset, 16);
	ASSERT_OK(ktypes_field(kt, "outer.mode", &md, &err), &err);
	ASSERT_EQ(md.bit_offset, 131);
	ASSERT_EQ(md.bit_size, 4);
	ASSERT_OK(ktypes_field(kt, "outer.sbits", &sb, &err), &err);
	ASSERT_TRUE(sb.is_signed);
	/* LE: flags=5 (bits 0-2), mode=0xa (bits 3-6), sbits=-3 (bits 7..11: 0b11101). */
	obj[16] = 5 | 0xa << 3 | 1 << 7;	/* sbits bit 0 = 1 */
	obj[17] = 0x0e;				/* sbits bits 1..4 = 0,1,1,1 -> 0b11101 = -3 */
	st_le32(obj + 8, 0xdeadbeef);
	ASSERT_OK(ktypes_extract(&fl, obj, sizeof(obj), 0, false, &v), &err);
	ASSERT_EQ(v, 5);
	ASSERT_OK(ktypes_extract(&md, obj, sizeof(obj), 0, false, &v), &err);
	ASSERT_EQ(v, 0xa);
	ASSERT_OK(ktypes_extract(&sb, obj, sizeof(obj), 0, false, &v), &err);
	ASSERT_EQ((int64_t)v, -3);
	ASSERT_OK(ktypes_field(kt, "outer.len", &fl, &err), &err);
	ASSERT_OK(ktypes_extract(&fl, obj, sizeof(obj), 0, false, &v), &err);
	ASSERT_U64(v, 0xdeadbeef);
	/* A buffer starting at the field's byte (base offset). */
	ASSERT_OK(ktypes_extract(&sb, obj + 16, 2, 16, false, &v), &err);
	ASSERT_EQ((int64_t)v, -3);
	ASSERT_EQ(ktypes_extract(&sb, obj + 16, 1, 16, false, &v), -SF_ERANGE);
	ASSERT_EQ(ktypes_extract(&fl, obj, 10, 0, false, &v), -SF_ERANGE);
	ktypes_destroy(kt);
}

TEST(big_endian_btf_and_bitfields)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = gen_types(BTF_BIG_ENDIAN);
	struct kfield fl, md;
	uint8_t obj[56] = { 0 };
	uint64_t v;

	ASSERT_EQ(ktypes_offsetof(kt, "outer.data_len", &err), 12);
	ASSERT_OK(ktypes_field(kt, "outer.flags", &fl, &err), &err);
	ASSERT_OK(ktypes_field(kt, "outer.mode", &md, &err), &err);
	/* BE: bit offset 0 is the MSB of the first byte. */
	obj[16] = 5 << 5 | 0xa << 1;
	ASSERT_OK(ktypes_extract(&fl, obj, sizeof(obj), 0, true, &v), &err);
	ASSERT_EQ(v, 5);
	ASSERT_OK(ktypes_extract(&md, obj, sizeof(obj), 0, true, &v), &err);
	ASSERT_EQ(v, 0xa);
	ktypes_destroy(kt);
}

static int collect(const char *name, int64_t value, void *arg)
{
	int64_t *sum = arg;

	*sum += value;
	return strcmp(name, "STOP") ? 0 : 7;
}

TEST(generated_enums_anonymous_and_signed)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = gen_types(BTF_LITTLE_ENDIAN);
	int64_t v, sum = 0;

	ASSERT_OK(ktypes_enum_value(kt, "ANON_B", &v, &err), &err);
	ASSERT_EQ(v, 0x400);
	ASSERT_OK(ktypes_enum_value(kt, "NAMED_NEG", &v, &err), &err);
	ASSERT_EQ(v, -2);
	ASSERT_EQ(ktypes_enum_value(kt, "ANON_C", &v, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "ANON_C");
	ASSERT_EQ(ktypes_enum_foreach(kt, "ANON_", collect, &sum), 0);
	ASSERT_EQ(sum, 0x401);
	ktypes_destroy(kt);
}

TEST(bad_btf_is_a_named_error)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL;
	size_t len;
	uint8_t *raw = make_btf(BTF_LITTLE_ENDIAN, &len);

	ASSERT_EQ(ktypes_load_raw(raw, 10, "x.btf", &kt, &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "x.btf: 10 bytes is too short");
	raw[0] ^= 0xff;
	ASSERT_EQ(ktypes_load_raw(raw, len, "x.btf", &kt, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "bad BTF magic at offset 0");
	raw[0] ^= 0xff;
	ASSERT_EQ(ktypes_load_raw(raw, len - 1, "x.btf", &kt, &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "past the");
	st_le32(raw + 12, 0x7ffffff0);	/* type_len */
	ASSERT_EQ(ktypes_load_raw(raw, len, "x.btf", &kt, &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "BTF types end at");
	free(raw);
	/* A corrupt type section that passes the header check: libbpf rejects it. */
	raw = make_btf(BTF_LITTLE_ENDIAN, &len);
	memset(raw + 24, 0xff, 12);
	ASSERT_TRUE(ktypes_load_raw(raw, len, "y.btf", &kt, &err) < 0);
	ASSERT_CONTAINS(err.msg, "y.btf");
	free(raw);
	ASSERT_EQ(ktypes_load_file("/nonexistent.btf", &kt, &err), -SF_EIO);
	ASSERT_CONTAINS(err.msg, "/nonexistent.btf");
	ASSERT_EQ(ktypes_load_vmlinux("/proc/self/exe", &kt, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "pahole --btf_encode_detached=FILE vmlinux");
}

TEST(split_btf_sees_base_types)
{
	struct sf_err err = { 0 };
	struct ktypes *base = gen_types(BTF_LITTLE_ENDIAN), *mod = NULL;
	struct btf *sb = btf__new_empty_split(ktypes_btf(base));
	const void *raw;
	uint32_t sz;
	int64_t v;
	int ts;

	ASSERT_TRUE(sb);
	/* struct mod_priv { struct outer o; int extra; }, using base's "outer" (id from base) and "int" (1). */
	ts = btf__add_struct(sb, "mod_priv", 60);
	ASSERT_TRUE(ts > 0);
	ASSERT_EQ(btf__add_field(sb, "o", btf__find_by_name(ktypes_btf(base), "outer"), 0, 0), 0);
	ASSERT_EQ(btf__add_field(sb, "extra", 1, 448, 0), 0);
	ASSERT_TRUE(btf__add_enum(sb, NULL, 4) > 0);
	ASSERT_EQ(btf__add_enum_value(sb, "MOD_ONLY", 7), 0);
	raw = btf__raw_data(sb, &sz);
	ASSERT_OK(ktypes_load_split(base, raw, sz, "module BTF", &mod, &err), &err);
	ASSERT_EQ(ktypes_offsetof(mod, "mod_priv.o.data_len", &err), 12);
	ASSERT_EQ(ktypes_offsetof(mod, "mod_priv.extra", &err), 56);
	ASSERT_EQ(ktypes_offsetof(mod, "outer.in.y", &err), 24);
	ASSERT_OK(ktypes_enum_value(mod, "MOD_ONLY", &v, &err), &err);
	ASSERT_EQ(v, 7);
	ASSERT_OK(ktypes_enum_value(mod, "ANON_B", &v, &err), &err);
	ASSERT_EQ(v, 0x400);
	ASSERT_TRUE(!ktypes_has_field(base, "mod_priv.extra"));
	btf__free(sb);
	ktypes_destroy(mod);
	ktypes_destroy(base);
}

/* Layout facts of Debian 6.1.0-56 (checked against the sk_buff bytes in tx-vxlan-tcp/vmcore.elf). */
static void check_kernel_61(struct ktypes *kt, bool x86)
{
	struct sf_err err = { 0 };
	struct kfield f;
	uint64_t sz;
	int64_t v;

	ASSERT_EQ(ktypes_offsetof(kt, "sk_buff.len", &err), 0x70);
	ASSERT_EQ(ktypes_offsetof(kt, "sk_buff.data_len", &err), 0x74);
	ASSERT_EQ(ktypes_offsetof(kt, "sk_buff.head", &err), 0xc8);
	ASSERT_EQ(ktypes_offsetof(kt, "sk_buff.data", &err), 0xd0);
	ASSERT_OK(ktypes_sizeof(kt, "sk_buff", &sz, &err), &err);
	ASSERT_EQ(sz, 0xe8);
	ASSERT_OK(ktypes_field(kt, "sk_buff.encapsulation", &f, &err), &err);
	ASSERT_EQ(f.bit_size, 1);
	ASSERT_TRUE(f.bit_offset / 8 >= 0x70 && f.bit_offset / 8 < 0xb0);
	ASSERT_OK(ktypes_field(kt, "sk_buff.cloned", &f, &err), &err);
	ASSERT_EQ(f.bit_size, 1);
	ASSERT_EQ(f.bit_offset / 8, 0x7e);	/* crash: __cloned_offset = skb + 0x7e */
	ASSERT_OK(ktypes_field(kt, "skb_shared_info.frags", &f, &err), &err);
	ASSERT_EQ(f.elem_size, 16);
	ASSERT_EQ(f.nelems, 17);	/* MAX_SKB_FRAGS */
	ASSERT_OK(ktypes_field(kt, "skb_shared_info.gso_type", &f, &err), &err);
	ASSERT_EQ(f.size, 4);
	if (x86)
		ASSERT_EQ(ktypes_offsetof(kt, "task_struct.thread_info.flags", &err), 0);
	ASSERT_OK(ktypes_enum_value(kt, "SKB_GSO_TCPV4", &v, &err), &err);
	ASSERT_EQ(v, 1);
	ASSERT_OK(ktypes_enum_value(kt, "SKB_GSO_UDP_TUNNEL", &v, &err), &err);
	ASSERT_EQ(v, 1 << 10);
	ASSERT_OK(ktypes_enum_value(kt, "SKB_GSO_FRAGLIST", &v, &err), &err);
	ASSERT_EQ(v, 1 << 18);
	ASSERT_OK(ktypes_field(kt, "module.name", &f, &err), &err);
	ASSERT_EQ(f.size, 56);	/* MODULE_NAME_LEN on 64-bit */
	ASSERT_TRUE(ktypes_has_field(kt, "mod_kallsyms.typetab"));
}

static int count_gso(const char *name, int64_t value, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

TEST(fixture_btf_amd64)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL;
	size_t len;
	int n = 0;
	unsigned char *raw = kfx_load("kernel-6.1.0-56-amd64/vmlinux-6.1.0-56-amd64.btf", &len);

	if (!raw)
		KFX_SKIP("vmlinux-6.1.0-56-amd64.btf");
	ASSERT_OK(ktypes_load_raw(raw, len, "amd64 BTF", &kt, &err), &err);
	check_kernel_61(kt, true);
	ASSERT_OK(ktypes_enum_foreach(kt, "SKB_GSO_", count_gso, &n), &err);
	ASSERT_EQ(n, 19);	/* TCPV4 .. FRAGLIST in 6.1 */
	ktypes_destroy(kt);
	free(raw);
}

TEST(fixture_btf_arm64)
{
	struct sf_err err = { 0 };
	struct ktypes *kt = NULL;
	size_t len;
	unsigned char *raw = kfx_load("kernel-6.1.0-56-arm64/vmlinux-6.1.0-56-arm64.btf", &len);

	if (!raw)
		KFX_SKIP("vmlinux-6.1.0-56-arm64.btf");
	ASSERT_OK(ktypes_load_raw(raw, len, "arm64 BTF", &kt, &err), &err);
	check_kernel_61(kt, false);
	ktypes_destroy(kt);
	free(raw);
}

TEST(fixture_vmlinux_btf_section_is_the_btf_file)
{
	struct sf_err err = { 0 };
	struct ktypes *a = NULL, *b = NULL;
	size_t len;
	char *vml = kfx_file("kernel-6.1.0-56-amd64/vmlinux-6.1.0-56-amd64.nodebug");
	unsigned char *raw;

	if (!vml)
		KFX_SKIP("vmlinux-6.1.0-56-amd64.nodebug");
	raw = kfx_load("kernel-6.1.0-56-amd64/vmlinux-6.1.0-56-amd64.btf", &len);
	ASSERT_TRUE(raw);
	ASSERT_OK(ktypes_load_vmlinux(vml, &a, &err), &err);
	ASSERT_CONTAINS(ktypes_source(a), ".BTF");
	ASSERT_OK(ktypes_load_raw(raw, len, "file", &b, &err), &err);
	{
		uint32_t sa, sb;
		const void *ra = btf__raw_data(ktypes_btf(a), &sa), *rb = btf__raw_data(ktypes_btf(b), &sb);

		ASSERT_EQ(sa, sb);
		ASSERT_TRUE(!memcmp(ra, rb, sa));
	}
	check_kernel_61(a, true);
	unlink(vml);
	free(vml);
	free(raw);
	ktypes_destroy(a);
	ktypes_destroy(b);
}

static struct symtab *syms_of(const char *const *names, const uint64_t *addrs, int n)
{
	struct sf_err err = { 0 };
	struct symtab *st;

	ASSERT_OK(symtab_create(&st, &err), &err);
	for (int i = 0; i < n; i++)
		ASSERT_OK(symtab_add(st, names[i], addrs[i], 'D', NULL, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	symtab_set_source(st, "test symbols");
	return st;
}

TEST(memory_btf_by_symbols_by_scan_and_errors)
{
	struct sf_err err = { 0 };
	struct fxkernel fk;
	struct symtab *all, *st;
	struct ktypes *kt = NULL, *ref = NULL;
	uint64_t start, stop, etext, stext, s, e;
	size_t len;
	unsigned char *raw;

	if (!fx_open(&fk, "tx-vxlan-tcp/vmcore.kdump-zstd"))
		KFX_SKIP("tx-vxlan-tcp/vmcore.kdump-zstd");
	raw = kfx_load("kernel-6.1.0-56-amd64/vmlinux-6.1.0-56-amd64.btf", &len);
	if (!raw)
		KFX_SKIP("vmlinux-6.1.0-56-amd64.btf");
	ASSERT_OK(ktypes_load_raw(raw, len, "file", &ref, &err), &err);
	ASSERT_OK(symtab_create(&all, &err), &err);
	ASSERT_OK(symtab_load_kallsyms(all, fk.k, fk.vi, &err), &err);
	ASSERT_OK(symtab_finish(all, &err), &err);
	ASSERT_OK(symtab_lookup(all, "__start_BTF", &start, &err), &err);
	ASSERT_OK(symtab_lookup(all, "__stop_BTF", &stop, &err), &err);
	ASSERT_OK(symtab_lookup(all, "_etext", &etext, &err), &err);
	ASSERT_OK(symtab_lookup(all, "_stext", &stext, &err), &err);
	ASSERT_EQ(stop - start, len);

	/* By __start_BTF/__stop_BTF. */
	ASSERT_OK(ktypes_load_memory(fk.k, all, &kt, &err), &err);
	ASSERT_CONTAINS(ktypes_source(kt), "BTF in dump memory");
	ktypes_memory_range(kt, &s, &e);
	ASSERT_U64(s, start);
	ASSERT_U64(e, stop);
	check_kernel_61(kt, true);
	ktypes_destroy(kt);

	/* Only _etext known (kallsyms without data symbols): found by scanning. */
	st = syms_of((const char *[]){ "_etext" }, &etext, 1);
	ASSERT_OK(ktypes_load_memory(fk.k, st, &kt, &err), &err);
	ASSERT_CONTAINS(ktypes_source(kt), "found by scanning");
	ktypes_memory_range(kt, &s, &e);
	ASSERT_U64(s, start);
	ASSERT_U64(e, stop);
	ktypes_destroy(kt);
	symtab_destroy(st);

	/* Nothing to go on: the error says which source to add. */
	st = syms_of((const char *[]){ "unrelated" }, &stext, 1);
	ASSERT_EQ(ktypes_load_memory(fk.k, st, &kt, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "has no BTF");
	ASSERT_CONTAINS(err.msg, "pahole --btf_encode_detached=FILE vmlinux");
	ASSERT_CONTAINS(err.msg, "/sys/kernel/btf/vmlinux");
	symtab_destroy(st);

	/* Bounds that make no sense, and bounds around something that is not BTF. */
	st = syms_of((const char *[]){ "__start_BTF", "__stop_BTF" }, (uint64_t[]){ stop, start }, 2);
	ASSERT_EQ(ktypes_load_memory(fk.k, st, &kt, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "is not above __start_BTF");
	symtab_destroy(st);
	st = syms_of((const char *[]){ "__start_BTF", "__stop_BTF" }, (uint64_t[]){ stext, stext + 4096 }, 2);
	ASSERT_EQ(ktypes_load_memory(fk.k, st, &kt, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "bad BTF magic at offset 0");
	symtab_destroy(st);
	st = syms_of((const char *[]){ "__start_BTF", "__stop_BTF" }, (uint64_t[]){ start, start + (1ull << 30) }, 2);
	ASSERT_EQ(ktypes_load_memory(fk.k, st, &kt, &err), -SF_ENOMEM);
	ASSERT_CONTAINS(err.msg, "above the 64 MiB cap");
	symtab_destroy(st);

	/* kread_field: errors name the path and the address. */
	{
		uint64_t v;

		ASSERT_OK(ktypes_load_memory(fk.k, all, &kt, &err), &err);
		ASSERT_TRUE(kread_field(fk.k, kt, 0x1000, "sk_buff.len", &v, &err) < 0);
		ASSERT_CONTAINS(err.msg, "sk_buff.len");
		ASSERT_CONTAINS(err.msg, "0x1070");
		ASSERT_EQ(kread_field(fk.k, kt, start, "sk_buff.nope", &v, &err), -SF_ENOTFOUND);
		ASSERT_CONTAINS(err.msg, "sk_buff.nope");
		/* The BTF header's magic through a typed read: struct btf_header.magic at __start_BTF. */
		ASSERT_OK(kread_field(fk.k, kt, start, "btf_header.magic", &v, &err), &err);
		ASSERT_EQ(v, 0xeb9f);
		ASSERT_OK(kread_field(fk.k, kt, start, "btf_header.hdr_len", &v, &err), &err);
		ASSERT_EQ(v, 24);
		ktypes_destroy(kt);
	}
	symtab_destroy(all);
	ktypes_destroy(ref);
	free(raw);
	fx_close(&fk);
}

TEST_MAIN()
