// SPDX-License-Identifier: GPL-2.0-or-later
/* NT_PRSTATUS register layouts (struct elf_prstatus) of x86_64 and arm64. */
#include "harness.h"
#include "skbfilter/arch.h"
#include "skbfilter/bytes.h"

static void fill(uint8_t *d, size_t len, int32_t pid, int nregs, bool be)
{
	memset(d, 0xee, len);
	if (be)
		st_be32(d + 32, (uint32_t)pid);
	else
		st_le32(d + 32, (uint32_t)pid);
	for (int i = 0; i < nregs; i++) {
		uint64_t v = 0x1000 + (uint64_t)i;

		if (be)
			st_be64(d + 112 + 8 * i, v);
		else
			st_le64(d + 112 + 8 * i, v);
	}
}

TEST(x86_64_layout)
{
	uint8_t d[336];
	struct prstatus ps;
	struct sf_err err = { 0 };

	fill(d, sizeof(d), 411, 27, false);
	ASSERT_OK(arch_x86_64.parse_prstatus(d, sizeof(d), false, &ps, &err), &err);
	ASSERT_EQ(ps.pid, 411);
	ASSERT_EQ(ps.nregs, 27);
	ASSERT_U64(ps.ip, 0x1000 + 16);	/* rip */
	ASSERT_U64(ps.sp, 0x1000 + 19);	/* rsp */
	ASSERT_U64(ps.fp, 0x1000 + 4);	/* rbp */
	ASSERT_U64(ps.lr, 0);
	ASSERT_STREQ(ps.names[0], "r15");
	ASSERT_STREQ(ps.names[16], "rip");
	ASSERT_STREQ(ps.names[26], "gs");
	ASSERT_U64(ps.regs[26], 0x1000 + 26);
}

TEST(arm64_layout)
{
	uint8_t d[392];
	struct prstatus ps;
	struct sf_err err = { 0 };

	fill(d, sizeof(d), 420, 34, false);
	ASSERT_OK(arch_arm64.parse_prstatus(d, sizeof(d), false, &ps, &err), &err);
	ASSERT_EQ(ps.pid, 420);
	ASSERT_EQ(ps.nregs, 34);
	ASSERT_U64(ps.fp, 0x1000 + 29);
	ASSERT_U64(ps.lr, 0x1000 + 30);
	ASSERT_U64(ps.sp, 0x1000 + 31);
	ASSERT_U64(ps.ip, 0x1000 + 32);
	ASSERT_STREQ(ps.names[33], "pstate");
	fill(d, sizeof(d), 7, 34, true);	/* big-endian arm64 */
	ASSERT_OK(arch_arm64.parse_prstatus(d, sizeof(d), true, &ps, &err), &err);
	ASSERT_EQ(ps.pid, 7);
	ASSERT_U64(ps.ip, 0x1000 + 32);
}

TEST(short_notes_rejected)
{
	uint8_t d[392] = { 0 };
	struct prstatus ps;
	struct sf_err err = { 0 };

	ASSERT_EQ(arch_x86_64.parse_prstatus(d, 327, false, &ps, &err), -SF_ETRUNC);
	ASSERT_CONTAINS(err.msg, "327 bytes");
	ASSERT_EQ(arch_arm64.parse_prstatus(d, 383, false, &ps, &err), -SF_ETRUNC);
	ASSERT_EQ(arch_arm64.parse_prstatus(NULL, 0, false, &ps, &err), -SF_ETRUNC);
}

TEST(arch_lookup)
{
	ASSERT_TRUE(arch_by_e_machine(62) == &arch_x86_64);
	ASSERT_TRUE(arch_by_e_machine(183) == &arch_arm64);
	ASSERT_TRUE(arch_by_e_machine(3) == NULL);
	ASSERT_TRUE(arch_by_uts_machine("x86_64") == &arch_x86_64);
	ASSERT_TRUE(arch_by_uts_machine("aarch64") == &arch_arm64);
	ASSERT_TRUE(arch_by_uts_machine("arm64") == &arch_arm64);
	ASSERT_TRUE(arch_by_uts_machine("s390x") == NULL);
	ASSERT_TRUE(arch_by_uts_machine(NULL) == NULL);
}

TEST_MAIN()
