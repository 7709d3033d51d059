// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "harness.h"
#include "skbfilter/vmcoreinfo.h"

static const char sample[] =
	"OSRELEASE=6.1.0-56-amd64\n"
	"BUILD-ID=eb4fbcd037e7253717950bf2b93bd5566f47c56f\n"
	"PAGESIZE=4096\n"
	"SYMBOL(init_uts_ns)=ffffffffaf9fb000\n"
	"SYMBOL(mem_section)=ffff8d3d9ffd5000\n"
	"OFFSET(uts_namespace.name)=0\n"
	"SIZE(page)=64\n"
	"LENGTH(mem_section)=4096\n"
	"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
	"NUMBER(phys_base)=-440401920\n"
	"NUMBER(pgtable_l5_enabled)=0\n"
	"NUMBER(PHYS_OFFSET)=0xffffc45b80000000\n"
	"NUMBER(TCR_EL1_T1SZ)=0x10\n"
	"KERNELOFFSET=2ce00000\n"
	"CRASHTIME=1795551047\n";

static struct vmcoreinfo *parse(const char *text)
{
	struct vmcoreinfo *vi = NULL;
	struct sf_err err = { 0 };

	ASSERT_OK(vmcoreinfo_parse(text, strlen(text), &vi, &err), &err);
	return vi;
}

TEST(accessors)
{
	struct vmcoreinfo *vi = parse(sample);
	struct sf_err err = { 0 };
	uint64_t v;

	ASSERT_STREQ(vmcoreinfo_get(vi, "OSRELEASE"), "6.1.0-56-amd64");
	ASSERT_OK(vmcoreinfo_symbol(vi, "init_uts_ns", &v, &err), &err);
	ASSERT_U64(v, 0xffffffffaf9fb000);
	ASSERT_OK(vmcoreinfo_offset(vi, "uts_namespace.name", &v, &err), &err);
	ASSERT_U64(v, 0);
	ASSERT_OK(vmcoreinfo_size(vi, "page", &v, &err), &err);
	ASSERT_U64(v, 64);
	ASSERT_OK(vmcoreinfo_length(vi, "mem_section", &v, &err), &err);
	ASSERT_U64(v, 4096);
	ASSERT_OK(vmcoreinfo_number(vi, "PAGE_BUDDY_MAPCOUNT_VALUE", &v, &err), &err);
	ASSERT_U64(v, (uint64_t)-129);
	ASSERT_OK(vmcoreinfo_number(vi, "phys_base", &v, &err), &err);
	ASSERT_U64(v, (uint64_t)-440401920);
	ASSERT_OK(vmcoreinfo_number(vi, "PHYS_OFFSET", &v, &err), &err);
	ASSERT_U64(v, 0xffffc45b80000000);
	ASSERT_OK(vmcoreinfo_number(vi, "TCR_EL1_T1SZ", &v, &err), &err);
	ASSERT_U64(v, 16);
	ASSERT_OK(vmcoreinfo_hex(vi, "KERNELOFFSET", &v, &err), &err);
	ASSERT_U64(v, 0x2ce00000);
	ASSERT_OK(vmcoreinfo_dec(vi, "CRASHTIME", &v, &err), &err);
	ASSERT_U64(v, 1795551047);
	ASSERT_OK(vmcoreinfo_dec(vi, "PAGESIZE", &v, &err), &err);
	ASSERT_U64(v, 4096);
	vmcoreinfo_destroy(vi);
}

TEST(missing_and_malformed)
{
	struct vmcoreinfo *vi = parse("SYMBOL(x)=zzz\nSIZE(page)=-1\nNUMBER(big)=99999999999999999999999\n"
				      "NUMBER(neg)=-9223372036854775808\nNUMBER(tooneg)=-9223372036854775809\n");
	struct sf_err err = { 0 };
	uint64_t v;

	ASSERT_EQ(vmcoreinfo_symbol(vi, "nothere", &v, &err), -SF_ENOTFOUND);
	ASSERT_CONTAINS(err.msg, "SYMBOL(nothere)");
	ASSERT_EQ(vmcoreinfo_symbol(vi, "x", &v, &err), -SF_ECORRUPT);
	ASSERT_CONTAINS(err.msg, "SYMBOL(x)=zzz");
	ASSERT_EQ(vmcoreinfo_size(vi, "page", &v, &err), -SF_ECORRUPT);
	ASSERT_EQ(vmcoreinfo_number(vi, "big", &v, &err), -SF_ECORRUPT);
	ASSERT_OK(vmcoreinfo_number(vi, "neg", &v, &err), &err);
	ASSERT_U64(v, 0x8000000000000000);
	ASSERT_EQ(vmcoreinfo_number(vi, "tooneg", &v, &err), -SF_ECORRUPT);
	ASSERT_TRUE(vmcoreinfo_get(NULL, "x") == NULL);
	vmcoreinfo_destroy(vi);
	vmcoreinfo_destroy(NULL);
}

TEST(hostile_text)
{
	/* CRs, blanks, no '=', empty keys, NULs, an overlong line, no final newline; last value wins */
	static const char text[] = "\r\n  junk line\n=nokey\nKEY = a \r\n\0\0PAGESIZE=4096\nKEY=b";
	char *big = malloc(5000);
	struct vmcoreinfo *vi = NULL;
	struct sf_err err = { 0 };
	uint64_t v;

	ASSERT_OK(vmcoreinfo_parse(text, sizeof(text) - 1, &vi, &err), &err);
	ASSERT_STREQ(vmcoreinfo_get(vi, "KEY"), "b");
	ASSERT_OK(vmcoreinfo_dec(vi, "PAGESIZE", &v, &err), &err);
	ASSERT_U64(v, 4096);
	ASSERT_TRUE(vmcoreinfo_get(vi, "") == NULL);
	vmcoreinfo_destroy(vi);

	memset(big, 'A', 5000);
	memcpy(big, "LONG=", 5);
	memcpy(big + 4990, "\nX=1\n", 5);
	ASSERT_OK(vmcoreinfo_parse(big, 4995, &vi, &err), &err);
	ASSERT_TRUE(vmcoreinfo_get(vi, "LONG") == NULL);	/* over the line cap */
	ASSERT_STREQ(vmcoreinfo_get(vi, "X"), "1");
	vmcoreinfo_destroy(vi);
	free(big);
}

TEST(caps)
{
	size_t n = 20000 * 4;
	char *t = malloc(n);
	struct vmcoreinfo *vi = NULL;
	struct sf_err err = { 0 };

	for (size_t i = 0; i < n; i += 4)
		memcpy(t + i, "a=1\n", 4);
	ASSERT_OK(vmcoreinfo_parse(t, n, &vi, &err), &err);	/* the excess lines are ignored */
	ASSERT_STREQ(vmcoreinfo_get(vi, "a"), "1");
	vmcoreinfo_destroy(vi);
	free(t);
	ASSERT_EQ(vmcoreinfo_parse("x", (size_t)64 << 20, &vi, &err), -SF_ENOMEM);
	ASSERT_CONTAINS(err.msg, "cap");
}

TEST_MAIN()
