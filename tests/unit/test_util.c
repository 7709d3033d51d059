// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "harness.h"
#include "skbfilter/bytes.h"
#include "skbfilter/err.h"
#include "skbfilter/json.h"
#include "skbfilter/warn.h"

TEST(err_prefix_chains_context)
{
	struct sf_err err = { 0 };

	ASSERT_EQ(sf_err_set(&err, SF_ECORRUPT, "descriptor at 0x%x claims %u bytes", 0x4c018, 9000), -SF_ECORRUPT);
	ASSERT_EQ(sf_err_prefix(&err, "pfn 0x%x", 0x1a2b), -SF_ECORRUPT);
	ASSERT_EQ(sf_err_prefix(&err, "vmcore"), -SF_ECORRUPT);
	ASSERT_STREQ(err.msg, "vmcore: pfn 0x1a2b: descriptor at 0x4c018 claims 9000 bytes");
}

/* A usage error (exit 2) and a broken internal contract (a bug) are different codes. */
TEST(err_bug_is_not_a_usage_error)
{
	struct sf_err err = { 0 };

	ASSERT_TRUE(SF_EBUG != SF_EINVAL);
	/* prefixing an error nobody set is a caller bug, not "invalid argument" */
	ASSERT_EQ(sf_err_prefix(&err, "context"), -SF_EBUG);
	ASSERT_STREQ(sf_err_codename(SF_EBUG), "internal error");
	ASSERT_STREQ(sf_err_codename(-SF_EINVAL), "invalid argument");
}

/*
 * Errors carry data beside the message (issue #17): set after the message,
 * kept through prefixes, cleared by the next error; the one formatter shows
 * it only with detail, and only what the message does not already say.
 */
TEST(err_carries_path_offset_address)
{
	struct sf_err err = { 0 };
	char buf[SF_ERR_MSG_MAX + SF_ERR_PATH_MAX + 80], small[12];

	ASSERT_EQ(sf_err_set(&err, SF_ETRUNC, "page data ends early"), -SF_ETRUNC);
	ASSERT_EQ(sf_err_path(&err, "/tmp/vmcore"), -SF_ETRUNC);
	ASSERT_EQ(sf_err_offset(&err, 0x4c018), -SF_ETRUNC);
	ASSERT_EQ(sf_err_address(&err, 0xffff888001234000ull), -SF_ETRUNC);
	ASSERT_EQ(sf_err_prefix(&err, "pfn 0x%x", 0x1a2b), -SF_ETRUNC);
	ASSERT_EQ(err.has, SF_ERR_HAS_PATH | SF_ERR_HAS_OFFSET | SF_ERR_HAS_ADDRESS);
	/* without detail the message is printed as it always was */
	ASSERT_EQ(sf_err_format(&err, 0, buf, sizeof(buf)), strlen("pfn 0x1a2b: page data ends early"));
	ASSERT_STREQ(buf, "pfn 0x1a2b: page data ends early");
	sf_err_format(&err, 1, buf, sizeof(buf));
	ASSERT_STREQ(buf, "pfn 0x1a2b: page data ends early [file /tmp/vmcore, offset 0x4c018, address 0xffff888001234000]");
	/* a message that already names the file and offset gets only the address */
	sf_err_set(&err, SF_ECORRUPT, "/tmp/vmcore: descriptor at 0x4c018 is bad");
	ASSERT_EQ(err.has, 0u);
	sf_err_path(&err, "/tmp/vmcore");
	sf_err_offset(&err, 0x4c018);
	sf_err_address(&err, 0x10);
	sf_err_format(&err, 1, buf, sizeof(buf));
	ASSERT_STREQ(buf, "/tmp/vmcore: descriptor at 0x4c018 is bad [address 0x10]");
	/* all of it already in the message: nothing added */
	sf_err_set(&err, SF_EIO, "/tmp/vmcore: read failed at offset 0x10");
	sf_err_path(&err, "/tmp/vmcore");
	sf_err_offset(&err, 0x10);
	sf_err_format(&err, 1, buf, sizeof(buf));
	ASSERT_STREQ(buf, "/tmp/vmcore: read failed at offset 0x10");
	/* a short buffer is cut and terminated */
	ASSERT_EQ(sf_err_format(&err, 1, small, sizeof(small)), sizeof(small) - 1);
	ASSERT_STREQ(small, "/tmp/vmcore");
	sf_err_clear(&err);
	ASSERT_EQ(err.has, 0u);
}

TEST(byte_loads_both_orders)
{
	uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	ASSERT_U64(ld_le32(b), 0x04030201);
	ASSERT_U64(ld_be32(b), 0x01020304);
	ASSERT_U64(ld_le64(b), 0x0807060504030201ull);
	ASSERT_U64(ld_be64(b), 0x0102030405060708ull);
	st_be16(b, 0xabcd);
	ASSERT_U64(ld_le16(b), 0xcdab);
}

TEST(warnings_are_bounded)
{
	struct warnlist wl;

	warnlist_init(&wl);
	for (int i = 0; i < WARN_KEEP + 10; i++)
		warn_add(&wl, "w%d", i);
	ASSERT_EQ(wl.count, WARN_KEEP + 10);
	ASSERT_EQ(wl.kept, WARN_KEEP);
	warnlist_release(&wl);
}

TEST(json_escapes_hostile_text)
{
	struct strbuf sb;
	struct json j;

	strbuf_init(&sb);
	json_init(&j, &sb, false);
	json_obj_begin(&j, NULL);
	json_str(&j, "comm", "a\"b\\c\n\x01\xff");
	json_hex(&j, "addr", 0xffff000012345678ull);
	json_arr_begin(&j, "l");
	json_u64(&j, NULL, 1);
	json_u64(&j, NULL, 2);
	json_arr_end(&j);
	json_obj_end(&j);
	ASSERT_STREQ(sb.buf, "{\"comm\":\"a\\\"b\\\\c\\n\\u0001\\u00ff\",\"addr\":\"ffff000012345678\",\"l\":[1,2]}");
	strbuf_release(&sb);
}

TEST_MAIN()
