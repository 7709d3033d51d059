// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arm64 pointer authentication in frame records: the PAC mask comes from
 * VMCOREINFO NUMBER(KERNELPACMASK) as the kernel writes it.  The values are
 * those of a Debian 6.12 arm64 guest on qemu -cpu max (FEAT_PAuth, FEAT_LPA2:
 * 52-bit VA), whose saved LRs carry a PAC in bits 63..56 and 54..52.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "panic/unwind.h"

static struct vmcoreinfo *parse(const char *text)
{
	struct vmcoreinfo *vi = NULL;
	struct sf_err err = { 0 };

	ASSERT_OK(vmcoreinfo_parse(text, strlen(text), &vi, &err), &err);
	return vi;
}

TEST(pac_mask_from_vmcoreinfo)
{
	/* as arch/arm64/kernel/vmcore_info.c (6.12) writes it, KERNELOFFSET beside it is a bare key */
	struct vmcoreinfo *vi = parse("NUMBER(VA_BITS)=52\n"
				      "NUMBER(TCR_EL1_T1SZ)=0xc\n"
				      "KERNELOFFSET=168983c00000\n"
				      "NUMBER(KERNELPACMASK)=0xfff0000000000000\n");

	ASSERT_U64(unwind_arm64_pac_mask(vi), 0xfff0000000000000ull);
	vmcoreinfo_destroy(vi);
	/* a CPU without address authentication (Debian 6.1 on cortex-a57) */
	vi = parse("KERNELOFFSET=580838000000\nNUMBER(KERNELPACMASK)=0x0\n");
	ASSERT_U64(unwind_arm64_pac_mask(vi), 0);
	vmcoreinfo_destroy(vi);
	/* before 5.8: no key at all; and no VMCOREINFO */
	vi = parse("OSRELEASE=5.4.0\nKERNELOFFSET=0\n");
	ASSERT_U64(unwind_arm64_pac_mask(vi), 0);
	vmcoreinfo_destroy(vi);
	ASSERT_U64(unwind_arm64_pac_mask(NULL), 0);
}

TEST(strip_pac)
{
	/* panic+0x374's return address as saved in the 6.12 -cpu max dump */
	ASSERT_U64(unwind_arm64_strip_pac(0xb6af968a04ca7eb4ull, 0xfff0000000000000ull), 0xffff968a04ca7eb4ull);
	/* 48-bit VA: PAC in 63..56 and 54..48 */
	ASSERT_U64(unwind_arm64_strip_pac(0x2d8bd807ffe12345ull, 0xffff000000000000ull), 0xffffd807ffe12345ull);
	/* unsigned kernel LR, no mask, and a bit-55-clear (user) value are left alone */
	ASSERT_U64(unwind_arm64_strip_pac(0xffff968a04ca7eb4ull, 0xfff0000000000000ull), 0xffff968a04ca7eb4ull);
	ASSERT_U64(unwind_arm64_strip_pac(0xb6af968a04ca7eb4ull, 0), 0xb6af968a04ca7eb4ull);
	ASSERT_U64(unwind_arm64_strip_pac(0x0000aaaadeadbeefull, 0xfff0000000000000ull), 0x0000aaaadeadbeefull);
}

TEST_MAIN()
