// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk ring-buffer walker (src/kernel/printk.c) over synthetic rings
 * laid out as kernel/printk/printk_ringbuffer.c writes them: descriptors with
 * state|id words, data blocks that start with the id, a block that wrapped to
 * the start of the data ring, data-less and reused slots.
 */
#include "harness.h"
#include "skbfilter/bytes.h"
#include "kernel/printk_int.h"

#define BASE 0xffff888000000000ull
#define MEMSZ 0x4000
#define DESCS (BASE + 0x100)
#define INFOS (BASE + 0x800)
#define DATA (BASE + 0x2000)
#define COUNT_BITS 4
#define SIZE_BITS 8		/* 256-byte data ring: small enough to wrap */

struct ring {
	uint8_t mem[MEMSZ];
	uint64_t pos;		/* data ring logical position of the next block */
};

static int ring_read(void *ctx, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	struct ring *r = ctx;

	if (addr < BASE || addr - BASE > MEMSZ || len > MEMSZ - (addr - BASE))
		return sf_err_set(err, SF_ENODATA, "%s at 0x%llx: not in memory", what, (unsigned long long)addr);
	memcpy(buf, r->mem + (addr - BASE), len);
	return 0;
}

/* the 6.1 x86_64 layout (from VMCOREINFO in real use) */
static const struct printk_layout layout = {
	.rb_desc_ring = 0, .rb_text_data_ring = 48,
	.dr_count_bits = 0, .dr_descs = 8, .dr_infos = 16, .dr_head_id = 24, .dr_tail_id = 32,
	.desc_size = 24, .desc_state_var = 0, .desc_text_blk_lpos = 8,
	.lpos_begin = 0, .lpos_next = 8,
	.info_size = 88, .info_seq = 0, .info_ts_nsec = 8, .info_text_len = 16,
	.data_size_bits = 0, .data_data = 8, .atomic_long_counter = 0, .word = 8,
};

static uint8_t *at(struct ring *r, uint64_t addr) { return r->mem + (addr - BASE); }

static void ring_init(struct ring *r, uint64_t head, uint64_t tail)
{
	memset(r, 0, sizeof(*r));
	st_le32(at(r, BASE + 0), COUNT_BITS);
	st_le64(at(r, BASE + 8), DESCS);
	st_le64(at(r, BASE + 16), INFOS);
	st_le64(at(r, BASE + 24), head);
	st_le64(at(r, BASE + 32), tail);
	st_le32(at(r, BASE + 48), SIZE_BITS);
	st_le64(at(r, BASE + 56), DATA);
}

/* Writes record id with text, state 2 (finalized), as prb_reserve()/prb_final_commit() leave it. */
static void put_record(struct ring *r, uint64_t id, uint64_t ts, const char *text, unsigned state)
{
	uint64_t size = 1u << SIZE_BITS, len = strlen(text), blk = (8 + len + 7) & ~7ull;
	uint64_t begin = r->pos, next, idx = id & ((1u << COUNT_BITS) - 1);

	/* a block that would cross the end of the ring goes to its start (data_alloc()) */
	if ((begin & (size - 1)) + blk > size)
		begin = (begin | (size - 1)) + 1;
	next = begin + blk;
	st_le64(at(r, DATA + (begin & (size - 1))), id);
	memcpy(at(r, DATA + (begin & (size - 1)) + 8), text, len);
	if (begin != r->pos)	/* wrapped: the block's lpos starts where the old one ended */
		begin = r->pos;
	st_le64(at(r, DESCS + 24 * idx), (uint64_t)state << 62 | id);
	st_le64(at(r, DESCS + 24 * idx + 8), begin);
	st_le64(at(r, DESCS + 24 * idx + 16), next);
	st_le64(at(r, INFOS + 88 * idx + 0), id);
	st_le64(at(r, INFOS + 88 * idx + 8), ts);
	st_le16(at(r, INFOS + 88 * idx + 16), (uint16_t)len);
	r->pos = next;
}

static int walk(struct ring *r, struct strbuf *out, struct warnlist *w)
{
	struct printk_reader rd = { ring_read, r, false };
	struct sf_err err = { 0 };

	strbuf_init(out);
	warnlist_init(w);
	return printk_walk(&layout, &rd, BASE, out, w, &err);
}

TEST(records_in_order_with_timestamps)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;

	ring_init(&r, 2, 0);
	put_record(&r, 0, 1234567000, "Linux version x", 2);
	put_record(&r, 1, 2000000, "two\nlines", 1);
	put_record(&r, 2, 7713622000ull, "Kernel panic - not syncing: test", 2);
	ASSERT_EQ(walk(&r, &out, &w), 3);
	ASSERT_STREQ(out.buf, "[    1.234567] Linux version x\n"
			      "[    0.002000] two\n"
			      "               lines\n"
			      "[    7.713622] Kernel panic - not syncing: test\n");
	ASSERT_EQ(w.count, 0);
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST(wrapped_block_is_read_from_the_ring_start)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;
	char text[64];
	uint64_t id;

	/* fill past the end of the 256-byte ring so the last block wraps */
	ring_init(&r, 0, 0);
	for (id = 0; id < 6; id++) {
		snprintf(text, sizeof(text), "record %02u with some padding text", (unsigned)id);
		put_record(&r, id, id * 1000, text, 2);
	}
	/* the ring only keeps what fits: the tail is the oldest block still whole */
	st_le64(at(&r, BASE + 24), 5);
	st_le64(at(&r, BASE + 32), 3);
	ASSERT_EQ(walk(&r, &out, &w), 3);
	ASSERT_CONTAINS(out.buf, "record 03");
	ASSERT_CONTAINS(out.buf, "record 05");
	ASSERT_TRUE(strstr(out.buf, "record 02") == NULL);
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST(reserved_and_reused_slots_are_skipped)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;

	ring_init(&r, 2, 0);
	put_record(&r, 0, 1000, "kept", 2);
	put_record(&r, 1, 2000, "still being written", 0);	/* desc_reserved */
	put_record(&r, 2, 3000, "also kept", 2);
	/* slot 0 claims a newer id (16): it was reused, record 0 is gone */
	st_le64(at(&r, DESCS), 2ull << 62 | 16);
	ASSERT_EQ(walk(&r, &out, &w), 1);
	ASSERT_STREQ(out.buf, "[    0.000003] also kept\n");
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST(control_bytes_are_escaped)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;

	ring_init(&r, 0, 0);
	put_record(&r, 0, 0, "a\x01" "b\x7f", 2);
	ASSERT_EQ(walk(&r, &out, &w), 1);
	ASSERT_STREQ(out.buf, "[    0.000000] a\\x01b\\x7f\n");
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST(implausible_header_is_an_error)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;

	ring_init(&r, 0, 0);
	st_le32(at(&r, BASE + 0), 40);	/* count_bits above the cap */
	ASSERT_TRUE(walk(&r, &out, &w) < 0);
	ring_init(&r, 0, 0);
	st_le32(at(&r, BASE + 48), 63);	/* data ring of 2^63 bytes */
	ASSERT_TRUE(walk(&r, &out, &w) < 0);
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST(unreadable_records_are_counted_not_fatal)
{
	static struct ring r;
	struct strbuf out;
	struct warnlist w;

	ring_init(&r, 1, 0);
	put_record(&r, 0, 1000, "ok", 2);
	put_record(&r, 1, 2000, "text points outside memory", 2);
	st_le64(at(&r, BASE + 56), BASE + MEMSZ - 16);	/* data ring mostly outside memory */
	ASSERT_TRUE(walk(&r, &out, &w) >= 0);
	ASSERT_TRUE(w.count >= 1);
	strbuf_release(&out);
	warnlist_release(&w);
}

TEST_MAIN()
