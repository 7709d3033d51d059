// SPDX-License-Identifier: GPL-2.0-or-later
#include "harness.h"
#include "kfixture.h"
#include "kernel/syms_int.h"
#include "skbfilter/symbols.h"

static struct symtab *mk(void)
{
	struct sf_err err = { 0 };
	struct symtab *st = NULL;

	ASSERT_OK(symtab_create(&st, &err), &err);
	return st;
}

TEST(add_finish_lookup_resolve)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	struct sym_hit h;
	uint64_t a, s, e;

	ASSERT_OK(symtab_add(st, "_stext", 0xffffffff81000000ull, 'T', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "do_one", 0xffffffff81000100ull, 't', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "do_two", 0xffffffff81000200ull, 'T', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "_etext", 0xffffffff81001000ull, 'T', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "vxlan_xmit", 0xffffffffc0a01000ull, 't', "vxlan", &err), &err);
	ASSERT_OK(symtab_add(st, "vxlan_rcv", 0xffffffffc0a00800ull, 't', "vxlan", &err), &err);
	ASSERT_OK(symtab_add(st, "percpu_thing", 0x2000, 'A', NULL, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_count(st), 7);
	ASSERT_EQ(symtab_module_count(st), 1);

	ASSERT_OK(symtab_lookup(st, "do_two", &a, &err), &err);
	ASSERT_U64(a, 0xffffffff81000200ull);
	ASSERT_OK(symtab_lookup(st, "vxlan_xmit", &a, &err), &err);
	ASSERT_U64(a, 0xffffffffc0a01000ull);
	ASSERT_EQ(symtab_lookup(st, "nope", &a, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "nope");

	ASSERT_TRUE(symtab_resolve(st, 0xffffffff81000234ull, 0x100000, &h));
	ASSERT_STREQ(h.name, "do_two");
	ASSERT_U64(h.offset, 0x34);
	ASSERT_EQ(h.type, 'T');
	ASSERT_TRUE(h.module == NULL);
	ASSERT_TRUE(symtab_resolve(st, 0xffffffffc0a01010ull, 0x100000, &h));
	ASSERT_STREQ(h.name, "vxlan_xmit");
	ASSERT_STREQ(h.module, "vxlan");
	/* Gap guard: far past the last symbol resolves to nothing. */
	ASSERT_TRUE(!symtab_resolve(st, 0xffffffffc0f00000ull, 0x10000, &h));
	/* Below every symbol, and absolute symbols are never resolve targets. */
	ASSERT_TRUE(!symtab_resolve(st, 0x1000, ~0ull, &h));
	ASSERT_TRUE(!symtab_resolve(st, 0x2004, ~0ull, &h));

	symtab_text_bounds(st, &s, &e);
	ASSERT_U64(s, 0xffffffff81000000ull);
	ASSERT_U64(e, 0xffffffff81001000ull);
	symtab_destroy(st);
}

TEST(duplicates_prefer_global_and_vmlinux)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	struct sym_hit h;
	uint64_t a;

	/* Two static functions with one name, one global alias at the same address. */
	ASSERT_OK(symtab_add(st, "helper", 0x1000, 't', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "helper", 0x2000, 't', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "local_alias", 0x3000, 't', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "GlobalFn", 0x3000, 'T', NULL, &err), &err);
	ASSERT_OK(symtab_add(st, "helper", 0x9000, 'T', "mod", &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_OK(symtab_lookup(st, "helper", &a, &err), &err);
	ASSERT_U64(a, 0x1000);	/* vmlinux first, then the first added */
	ASSERT_TRUE(symtab_resolve(st, 0x3008, 0x1000, &h));
	ASSERT_STREQ(h.name, "GlobalFn");
	symtab_destroy(st);
}

TEST(lookup_before_finish_is_an_error)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	uint64_t a;

	ASSERT_OK(symtab_add(st, "x", 1, 'T', NULL, &err), &err);
	ASSERT_EQ(symtab_lookup(st, "x", &a, &err), -SF_EINVAL);
	ASSERT_EQ(symtab_add(st, "", 1, 'T', NULL, &err), -SF_EINVAL);
	symtab_destroy(st);
	symtab_destroy(NULL);
}

TEST(many_symbols_sorted_iteration)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	struct sym_hit h, prev = { 0 };
	char name[32];

	for (int i = 0; i < 50000; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		ASSERT_OK(symtab_add(st, name, 0x100000ull + (uint64_t)((i * 7919) % 50000) * 16, 'T',
				     i % 3 ? NULL : (i % 2 ? "m1" : "m2"), &err), &err);
	}
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_module_count(st), 2);
	for (size_t i = 0; i < symtab_count(st); i++) {
		ASSERT_OK(symtab_get(st, i, &h), &err);
		ASSERT_TRUE(i == 0 || h.addr >= prev.addr);
		prev = h;
	}
	for (int i = 0; i < 50000; i += 997) {
		uint64_t a;

		snprintf(name, sizeof(name), "s%d", i);
		ASSERT_OK(symtab_lookup(st, name, &a, &err), &err);
		ASSERT_U64(a, 0x100000ull + (uint64_t)((i * 7919) % 50000) * 16);
	}
	symtab_destroy(st);
}

static char *write_tmp(const char *text)
{
	char *p = strdup("/tmp/skbf-symtab-XXXXXX");
	int fd = mkstemp(p);

	ASSERT_TRUE(fd >= 0);
	ASSERT_TRUE(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return p;
}

TEST(system_map_with_kaslr_shift)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	struct sym_hit h;
	uint64_t a;
	char *p = write_tmp("0000000000000000 D __per_cpu_start\n"
			    "0000000000001000 D cpu_debug_store\n"
			    "0000000000020000 D __per_cpu_end\n"
			    "00000000000001ea A kexec_control_code_size\n"
			    "ffffffff81000000 T _stext\n"
			    "ffffffff81000100 t helper\n"
			    "\n"
			    "ffffffff81e00000 T _etext\n"
			    "ffffffffc0a01000 t vxlan_xmit\t[vxlan]\n");

	symtab_set_reloc(st, 0x2e000000);
	ASSERT_OK(symtab_load_system_map(st, p, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_count(st), 8);
	ASSERT_CONTAINS(symtab_source(st), "System.map");
	ASSERT_OK(symtab_lookup(st, "_stext", &a, &err), &err);
	ASSERT_U64(a, 0xffffffffaf000000ull);
	ASSERT_OK(symtab_lookup(st, "cpu_debug_store", &a, &err), &err);
	ASSERT_U64(a, 0x1000);	/* zero-based per-cpu: not shifted */
	ASSERT_OK(symtab_lookup(st, "kexec_control_code_size", &a, &err), &err);
	ASSERT_U64(a, 0x1ea);	/* absolute: not shifted */
	ASSERT_TRUE(symtab_resolve(st, 0xffffffffaf000105ull, 0x10000, &h));
	ASSERT_STREQ(h.name, "helper");
	ASSERT_TRUE(symtab_resolve(st, 0xffffffffeea01004ull, 0x10000, &h));
	ASSERT_STREQ(h.module, "vxlan");
	unlink(p);
	free(p);
	symtab_destroy(st);
}

TEST(system_map_garbage_is_rejected)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	char text[4096] = "";
	char *p;

	for (int i = 0; i < 40; i++)
		strcat(text, "this is not a System.map line\n");
	p = write_tmp(text);
	ASSERT_EQ(symtab_load_system_map(st, p, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "expected \"ADDRESS TYPE NAME\"");
	unlink(p);
	free(p);
	ASSERT_EQ(symtab_load_system_map(st, "/nonexistent/System.map", &err), -SF_EIO);
	ASSERT_CONTAINS(err.msg, "/nonexistent/System.map");
	symtab_destroy(st);
}

TEST(vmlinux_symtab_of_an_elf_with_symbols)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	uint64_t a;

	/* This test binary is an ELF with a .symtab (built with -g, not stripped). */
	ASSERT_OK(symtab_load_vmlinux(st, "/proc/self/exe", &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_TRUE(symtab_count(st) > 20);
	ASSERT_OK(symtab_lookup(st, "symtab_resolve", &a, &err), &err);
	ASSERT_TRUE(a != 0);
	for (size_t i = 0; i < symtab_count(st); i++) {
		struct sym_hit h;

		symtab_get(st, i, &h);
		if (!strcmp(h.name, "symtab_resolve"))
			ASSERT_EQ(h.type, 'T');
	}
	ASSERT_CONTAINS(symtab_source(st), "vmlinux /proc/self/exe");
	symtab_destroy(st);
}

TEST(vmlinux_not_elf_and_stripped)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	char *p = write_tmp("not an elf file at all\n");
	char *nodebug;

	ASSERT_EQ(symtab_load_vmlinux(st, p, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "not an ELF");
	unlink(p);
	free(p);
	nodebug = kfx_file("kernel-6.1.0-56-amd64/vmlinux-6.1.0-56-amd64.nodebug");
	if (!nodebug) {
		symtab_destroy(st);
		KFX_SKIP("vmlinux-6.1.0-56-amd64.nodebug");
	}
	/* Extracted from a bzImage: no .symtab; the error names the other sources. */
	ASSERT_EQ(symtab_load_vmlinux(st, nodebug, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "no symbol table");
	ASSERT_CONTAINS(err.msg, "System.map");
	unlink(nodebug);
	free(nodebug);
	symtab_destroy(st);
}

TEST(fixture_system_map_amd64)
{
	struct sf_err err = { 0 };
	struct symtab *st = mk();
	struct sym_hit h;
	uint64_t a, s, e, percpu;
	char *p = kfx_file("kernel-6.1.0-56-amd64/System.map-6.1.0-56-amd64");

	if (!p) {
		symtab_destroy(st);
		KFX_SKIP("System.map-6.1.0-56-amd64");
	}
	symtab_set_reloc(st, 0x1000000);
	ASSERT_OK(symtab_load_system_map(st, p, &err), &err);
	ASSERT_OK(symtab_finish(st, &err), &err);
	ASSERT_EQ(symtab_count(st), 94280);	/* every line of the file */
	ASSERT_OK(symtab_lookup(st, "_stext", &a, &err), &err);
	ASSERT_U64(a, 0xffffffff82000000ull);
	symtab_text_bounds(st, &s, &e);
	ASSERT_U64(s, 0xffffffff82000000ull);
	ASSERT_TRUE(e > s);
	ASSERT_OK(symtab_lookup(st, "kallsyms_lookup_name", &a, &err), &err);
	ASSERT_TRUE(symtab_resolve(st, a + 0x10, 0x100000, &h));
	ASSERT_STREQ(h.name, "kallsyms_lookup_name");
	ASSERT_U64(h.offset, 0x10);
	ASSERT_OK(symtab_lookup(st, "fixed_percpu_data", &percpu, &err), &err);
	ASSERT_U64(percpu, 0);
	unlink(p);
	free(p);
	symtab_destroy(st);
}

TEST_MAIN()
