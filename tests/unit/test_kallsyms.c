// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms decoding over generated tables, one set per kernel era's
 * encoding (absolute, base-relative, absolute-percpu, place-relative), both
 * byte orders, one- and two-byte name lengths.  The generator compresses
 * names with a small token table the way scripts/kallsyms does (type char
 * first, tokens of one or more characters).
 */
#include "harness.h"
#include "kfixture.h"
#include "skbfilter/ktypes.h"
#include "kernel/syms_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/symbols.h"

/* --- a sparse memory image --- */
struct region {
	uint64_t addr;
	uint8_t *data;
	size_t len;
};
struct mem {
	struct region r[8];
	int n;
	int reads;
};

static uint8_t *mem_add(struct mem *m, uint64_t addr, size_t len)
{
	size_t padded = (len + 4095) & ~(size_t)4095;
	struct region *r = &m->r[m->n++];

	r->addr = addr;
	r->len = padded ? padded : 4096;
	r->data = calloc(1, r->len);
	return r->data;
}

static int mem_read(void *arg, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	struct mem *m = arg;

	m->reads++;
	for (int i = 0; i < m->n; i++) {
		struct region *r = &m->r[i];

		if (addr >= r->addr && addr - r->addr <= r->len && r->len - (addr - r->addr) >= len) {
			memcpy(buf, r->data + (addr - r->addr), len);
			return 0;
		}
	}
	return sf_err_set(err, SF_ENODATA, "%s at 0x%llx (%zu bytes): not in memory", what, (unsigned long long)addr, len);
}

static void mem_free(struct mem *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->r[i].data);
}

/* --- the generator --- */
struct gsym {
	const char *name;
	uint64_t addr;
	char type;
	bool percpu;	/* absolute per-cpu offset (x86_64 SMP) */
};

static const char *multi_tokens[] = { "_stext", "vxlan_", "xmit", "tcp_", "_s", "ip", "__" };
#define NMULTI (sizeof(multi_tokens) / sizeof(multi_tokens[0]))

struct gen {
	char tok[256][16];
};

static void gen_tokens(struct gen *g)
{
	/* Bytes 0x20..0x7e stand for themselves; 1..NMULTI are multi-char tokens; the rest "" is never used. */
	memset(g, 0, sizeof(*g));
	for (int c = 0x20; c < 0x7f; c++)
		g->tok[c][0] = (char)c;
	for (size_t i = 0; i < NMULTI; i++)
		strcpy(g->tok[1 + i], multi_tokens[i]);
	strcpy(g->tok[0x80], "\x01");	/* filler so the table is not all single chars */
}

static size_t compress(const struct gen *g, const char *s, uint8_t *out)
{
	size_t n = 0;

	while (*s) {
		size_t best = 0;
		int bt = -1;

		for (int t = 1; t < 256; t++) {
			size_t l = strlen(g->tok[t]);

			if (l && l > best && !strncmp(s, g->tok[t], l) && (t >= 0x20 || t <= (int)NMULTI)) {
				best = l;
				bt = t;
			}
		}
		ASSERT_TRUE(bt > 0);
		out[n++] = (uint8_t)bt;
		s += best;
	}
	return n;
}

struct layout {
	uint64_t names, num, tt, ti, offs, relbase, addrs;
};

static void build(struct mem *m, const struct gsym *syms, uint32_t n, enum kallsyms_encoding enc, bool be,
		  unsigned ptr, uint64_t relbase, struct kallsyms_tables *t)
{
	struct gen g;
	uint8_t *p, comp[2048];
	char full[2048];
	size_t pos = 0, i;
	const uint64_t base = ptr == 8 ? 0xffffffff82000000ull : 0xc2000000ull;

	gen_tokens(&g);
	memset(t, 0, sizeof(*t));
	t->big_endian = be;
	t->ptr_size = ptr;
	/* names */
	t->names = base;
	p = mem_add(m, t->names, 64 * 1024 + n * 300);
	for (i = 0; i < n; i++) {
		size_t cl;

		snprintf(full, sizeof(full), "%c%s", syms[i].type, syms[i].name);
		cl = compress(&g, full, comp);
		if (cl >= 0x80) {
			p[pos++] = (uint8_t)(0x80 | (cl & 0x7f));
			p[pos++] = (uint8_t)(cl >> 7);
		} else {
			p[pos++] = (uint8_t)cl;
		}
		memcpy(p + pos, comp, cl);
		pos += cl;
	}
	/* shrink the region to what is used so chunked reads run past its end */
	m->r[m->n - 1].len = (pos + 4095) & ~(size_t)4095;
	/* num_syms */
	t->num_syms = base + 0x1000000;
	p = mem_add(m, t->num_syms, 8);
	if (be)
		st_be32(p, n);
	else
		st_le32(p, n);
	/* token table + index */
	t->token_table = base + 0x2000000;
	t->token_index = base + 0x2100000;
	p = mem_add(m, t->token_table, 256 * 17);
	{
		uint8_t *ix = mem_add(m, t->token_index, 512);
		size_t o = 0;

		for (int k = 0; k < 256; k++) {
			size_t l = strlen(g.tok[k]);

			memcpy(p + o, g.tok[k], l + 1);
			if (be)
				st_be16(ix + 2 * k, (uint16_t)o);
			else
				st_le16(ix + 2 * k, (uint16_t)o);
			o += l + 1;
		}
	}
	if (enc == KALLSYMS_ENC_ABSOLUTE) {
		t->addresses = base + 0x3000000;
		p = mem_add(m, t->addresses, (size_t)n * ptr);
		for (i = 0; i < n; i++) {
			if (ptr == 8)
				be ? st_be64(p + 8 * i, syms[i].addr) : st_le64(p + 8 * i, syms[i].addr);
			else
				be ? st_be32(p + 4 * i, (uint32_t)syms[i].addr) : st_le32(p + 4 * i, (uint32_t)syms[i].addr);
		}
		return;
	}
	t->offsets = base + 0x3000000;
	p = mem_add(m, t->offsets, (size_t)n * 4);
	for (i = 0; i < n; i++) {
		uint64_t a = syms[i].addr;
		uint32_t v;

		switch (enc) {
		case KALLSYMS_ENC_BASE_RELATIVE:
			v = (uint32_t)(a - relbase);
			break;
		case KALLSYMS_ENC_ABS_PERCPU:
			v = syms[i].percpu ? (uint32_t)a : (uint32_t)(int32_t)-(int64_t)(a - relbase + 1);
			break;
		default:	/* place-relative */
			v = (uint32_t)(int32_t)(int64_t)(a - (t->offsets + 4 * i));
			break;
		}
		be ? st_be32(p + 4 * i, v) : st_le32(p + 4 * i, v);
	}
	if (enc != KALLSYMS_ENC_PLACE_RELATIVE) {
		t->relative_base = base + 0x4000000;
		p = mem_add(m, t->relative_base, ptr);
		if (ptr == 8)
			be ? st_be64(p, relbase) : st_le64(p, relbase);
		else
			be ? st_be32(p, (uint32_t)relbase) : st_le32(p, (uint32_t)relbase);
	}
}

static char long_name[300];

static struct gsym *make_syms(uint32_t *n, bool percpu, bool ptr4)
{
	static struct gsym base[] = {
		{ "fixed_percpu_data", 0x0, 'D', true },
		{ "irq_stack_backing_store", 0x2000, 'D', true },
		{ "_text", 0xffffffffae000000ull, 'T', false },
		{ "_stext", 0xffffffffae000000ull, 'T', false },
		{ "tcp_sendmsg", 0xffffffffae68bf00ull, 'T', false },
		{ "vxlan_xmit_fake", 0xffffffffae700000ull, 't', false },
		{ "__ip_queue_xmit", 0xffffffffae67b000ull, 'T', false },
		{ NULL, 0xffffffffae800000ull, 't', false },	/* long name */
		{ "_etext", 0xffffffffaee01d32ull, 'T', false },
		{ "init_task", 0xffffffffaf615940ull, 'D', false },
		{ "__start_BTF", 0xffffffffaf4c1b88ull, 'R', false },
	};
	size_t cnt = sizeof(base) / sizeof(base[0]), extra = 3000, k = 0;
	struct gsym *s = calloc(cnt + extra, sizeof(*s));

	memset(long_name, 'q', 200);	/* 201 compressed bytes with the type: a two-byte length */
	long_name[200] = '\0';
	for (size_t i = 0; i < cnt; i++) {
		if (base[i].percpu && !percpu)
			continue;
		s[k] = base[i];
		if (!s[k].name)
			s[k].name = long_name;
		if (ptr4 && !s[k].percpu)
			s[k].addr = (uint32_t)s[k].addr;
		k++;
	}
	/* Enough symbols that the names span several 64 KiB chunks. */
	for (size_t i = 0; i < extra; i++) {
		char *nm = malloc(64);

		snprintf(nm, 64, "generated_symbol_with_a_longish_name_%zu", i);
		s[k].name = nm;
		s[k].addr = (ptr4 ? 0xc1000000ull : 0xffffffffae000000ull) + 0x10 * i;
		s[k].type = i % 2 ? 't' : 'T';
		k++;
	}
	*n = (uint32_t)k;
	return s;
}

static void free_syms(struct gsym *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strncmp(s[i].name, "generated_", 10))
			free((char *)s[i].name);
	free(s);
}

static void run_case(enum kallsyms_encoding enc, bool be, unsigned ptr)
{
	struct sf_err err = { 0 };
	struct mem m = { 0 };
	struct kallsyms_tables t;
	struct symtab *st;
	enum kallsyms_encoding got;
	uint32_t n;
	bool percpu = enc == KALLSYMS_ENC_ABS_PERCPU;
	struct gsym *syms = make_syms(&n, percpu, ptr == 4);
	uint64_t relbase = ptr == 8 ? 0xffffffffae000000ull : 0xc1000000ull;

	build(&m, syms, n, enc, be, ptr, relbase, &t);
	t.stext = ptr == 8 ? 0xffffffffae000000ull : 0xae000000ull;
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_OK(kallsyms_decode(&t, mem_read, &m, st, &got, &err), &err);
	ASSERT_EQ(got, enc);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_count(st), n);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a;

		ASSERT_OK(symtab_lookup(st, syms[i].name, &a, &err), &err);
		if (strcmp(syms[i].name, "_text"))	/* _text and _stext share an address */
			ASSERT_U64(a, syms[i].addr);
	}
	for (size_t i = 0; i < symtab_count(st); i++) {
		struct sym_hit h;

		symtab_get(st, i, &h);
		if (!strcmp(h.name, "vxlan_xmit_fake"))
			ASSERT_EQ(h.type, 't');
		if (!strcmp(h.name, long_name))
			ASSERT_EQ(strlen(h.name), 200);
	}
	/* Reads are chunked: far fewer than one per symbol. */
	ASSERT_TRUE(m.reads < 64);
	symtab_destroy(st);
	mem_free(&m);
	free_syms(syms, n);
}

TEST(base_relative_le) { run_case(KALLSYMS_ENC_BASE_RELATIVE, false, 8); }
TEST(base_relative_be) { run_case(KALLSYMS_ENC_BASE_RELATIVE, true, 8); }
TEST(absolute_percpu_le) { run_case(KALLSYMS_ENC_ABS_PERCPU, false, 8); }
TEST(absolute_percpu_be) { run_case(KALLSYMS_ENC_ABS_PERCPU, true, 8); }
TEST(place_relative_le) { run_case(KALLSYMS_ENC_PLACE_RELATIVE, false, 8); }
TEST(place_relative_be) { run_case(KALLSYMS_ENC_PLACE_RELATIVE, true, 8); }
TEST(absolute_64) { run_case(KALLSYMS_ENC_ABSOLUTE, false, 8); }
TEST(absolute_32_be) { run_case(KALLSYMS_ENC_ABSOLUTE, true, 4); }
TEST(base_relative_32) { run_case(KALLSYMS_ENC_BASE_RELATIVE, false, 4); }

TEST(stext_mismatch_names_the_candidates)
{
	struct sf_err err = { 0 };
	struct mem m = { 0 };
	struct kallsyms_tables t;
	struct symtab *st;
	enum kallsyms_encoding got;
	uint32_t n;
	struct gsym *syms = make_syms(&n, false, false);

	build(&m, syms, n, KALLSYMS_ENC_BASE_RELATIVE, false, 8, 0xffffffffae000000ull, &t);
	t.stext = 0xffffffff81000000ull;
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_EQ(kallsyms_decode(&t, mem_read, &m, st, &got, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "no address encoding reproduces SYMBOL(_stext)=0xffffffff81000000");
	ASSERT_CONTAINS(err.msg, "base-relative gives 0xffffffffae000000");
	ASSERT_EQ(symtab_count(st), 0);
	/* Without SYMBOL(_stext): the first candidate, unverified. */
	t.stext = 0;
	ASSERT_OK(kallsyms_decode(&t, mem_read, &m, st, &got, &err), &err);
	ASSERT_EQ(got, KALLSYMS_ENC_ABS_PERCPU);
	symtab_destroy(st);
	mem_free(&m);
	free_syms(syms, n);
}

TEST(absurd_counts_and_corrupt_names)
{
	struct sf_err err = { 0 };
	struct mem m = { 0 };
	struct kallsyms_tables t;
	struct symtab *st;
	enum kallsyms_encoding got;
	uint32_t n;
	struct gsym *syms = make_syms(&n, false, false);
	uint8_t *num, *names;

	build(&m, syms, n, KALLSYMS_ENC_BASE_RELATIVE, false, 8, 0xffffffffae000000ull, &t);
	t.stext = 0xffffffffae000000ull;
	ASSERT_OK(symtab_create(&st, &err), &err);
	num = m.r[1].data;
	st_le32(num, 0xffffffff);
	ASSERT_EQ(kallsyms_decode(&t, mem_read, &m, st, &got, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "kallsyms_num_syms at 0xffffffff83000000 is 4294967295");
	/* More symbols than the tables hold: runs off the end of the offsets. */
	st_le32(num, KALLSYMS_MAX_SYMS);
	ASSERT_TRUE(kallsyms_decode(&t, mem_read, &m, st, &got, &err) < 0);
	ASSERT_CONTAINS(err.msg, "kallsyms_offsets");
	st_le32(num, n);
	/* A zero length byte. */
	names = m.r[0].data;
	names[0] = 0;
	ASSERT_EQ(kallsyms_decode(&t, mem_read, &m, st, &got, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "symbol 0 at 0xffffffff82000001 has compressed length 0");
	/* A type byte that is not a letter (token 0x80 expands to \x01). */
	names[0] = 2;
	names[1] = 0x80;
	ASSERT_EQ(kallsyms_decode(&t, mem_read, &m, st, &got, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "invalid name");
	/* Tables cut short: names run past readable memory. */
	names[0] = 0xff;
	names[1] = 0x7f;
	ASSERT_TRUE(kallsyms_decode(&t, mem_read, &m, st, &got, &err) < 0);
	ASSERT_CONTAINS(err.msg, "compressed length 16383");
	ASSERT_EQ(symtab_count(st), 0);
	symtab_destroy(st);
	mem_free(&m);
	free_syms(syms, n);
}

TEST(unterminated_token_is_corrupt)
{
	struct sf_err err = { 0 };
	struct mem m = { 0 };
	struct kallsyms_tables t;
	struct symtab *st;
	enum kallsyms_encoding got;
	uint32_t n;
	struct gsym *syms = make_syms(&n, false, false);

	build(&m, syms, n, KALLSYMS_ENC_BASE_RELATIVE, false, 8, 0xffffffffae000000ull, &t);
	memset(m.r[2].data, 'x', m.r[2].len);
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_TRUE(kallsyms_decode(&t, mem_read, &m, st, &got, &err) < 0);
	ASSERT_CONTAINS(err.msg, "token 0");
	symtab_destroy(st);
	mem_free(&m);
	free_syms(syms, n);
}

/* A token index past the token table (up to the next table) is named, not read as other data. */
TEST(token_index_past_the_table_is_corrupt)
{
	struct sf_err err = { 0 };
	struct mem m = { 0 };
	struct kallsyms_tables t;
	struct symtab *st;
	enum kallsyms_encoding got;
	uint32_t n;
	struct gsym *syms = make_syms(&n, false, false);

	build(&m, syms, n, KALLSYMS_ENC_BASE_RELATIVE, false, 8, 0xffffffffae000000ull, &t);
	/* The index right after the table, as scripts/kallsyms lays them out. */
	t.token_index = m.r[3].addr = t.token_table + m.r[2].len;
	memset(m.r[3].data, 0xff, 512);
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_EQ(kallsyms_decode(&t, mem_read, &m, st, &got, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "kallsyms_token_index: token 0 at offset 65535 is past the end of kallsyms_token_table");
	symtab_destroy(st);
	mem_free(&m);
	free_syms(syms, n);
}

TEST(from_a_real_dump_through_kmem)
{
	struct sf_err err = { 0 };
	struct fxkernel fk;
	struct symtab *st;
	struct ktypes *kt = NULL;
	struct sym_hit h;
	uint64_t a, kaslr, s, e;
	size_t n;

	if (!fx_open(&fk, "tx-vxlan-tcp/vmcore.kdump-zstd"))
		KFX_SKIP("tx-vxlan-tcp/vmcore.kdump-zstd");
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_OK(symtab_load_kallsyms(st, fk.k, fk.vi, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_CONTAINS(symtab_source(st), "kallsyms in dump (94266 symbols, base-relative, absolute per-cpu)");
	n = symtab_count(st);
	ASSERT_OK(vmcoreinfo_hex(fk.vi, "KERNELOFFSET", &kaslr, &err), &err);
	/* System.map: ffffffff81000000 T _stext, 0000000000000000 D fixed_percpu_data (absolute per-cpu) */
	ASSERT_OK(symtab_lookup(st, "_stext", &a, &err), &err);
	ASSERT_U64(a, 0xffffffff81000000ull + kaslr);
	ASSERT_OK(symtab_lookup(st, "fixed_percpu_data", &a, &err), &err);
	ASSERT_U64(a, 0);
	symtab_text_bounds(st, &s, &e);
	ASSERT_U64(s, 0xffffffff81000000ull + kaslr);
	ASSERT_TRUE(e > s);
	/* Modules, with layouts from the dump's BTF. */
	ASSERT_OK(ktypes_load_memory(fk.k, st, &kt, &err), &err);
	ASSERT_OK(symtab_load_modules(st, fk.k, kt, &fk.wl, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_module_count(st), 15);
	ASSERT_TRUE(symtab_count(st) > n + 1000);
	ASSERT_OK(symtab_lookup(st, "vxlan_xmit", &a, &err), &err);
	ASSERT_TRUE(symtab_resolve(st, a + 0x10, 0x100000, &h));
	ASSERT_STREQ(h.module, "vxlan");
	ASSERT_STREQ(h.name, "vxlan_xmit");
	ASSERT_CONTAINS(symtab_source(st), "module kallsyms (15 modules");
	ktypes_destroy(kt);
	symtab_destroy(st);
	fx_close(&fk);
}

TEST(vmcoreinfo_without_kallsyms_names_the_alternatives)
{
	static const char text[] = "OSRELEASE=5.15.0\nSYMBOL(_stext)=ffffffff81000000\n";
	struct sf_err err = { 0 };
	struct vmcoreinfo *vi;
	struct symtab *st;

	ASSERT_OK(vmcoreinfo_parse(text, sizeof(text) - 1, &vi, &err), &err);
	ASSERT_OK(symtab_create(&st, &err), &err);
	ASSERT_EQ(symtab_load_kallsyms(st, NULL, vi, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "before 6.0");
	ASSERT_CONTAINS(err.msg, "System.map (-m)");
	ASSERT_EQ(symtab_load_kallsyms(st, NULL, NULL, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "no VMCOREINFO");
	symtab_destroy(st);
	vmcoreinfo_destroy(vi);
}

TEST_MAIN()
