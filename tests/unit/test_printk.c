// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk ring-buffer walker (src/panic/printk.c) over synthetic rings
 * laid out as kernel/printk/printk_ringbuffer.c writes them: descriptors with
 * state|id words, data blocks that start with the id, a block that wrapped to
 * the start of the data ring, data-less and reused slots.
 */
#include "harness.h"
#include "skbfilter/bytes.h"
#include "panic/printk_int.h"
#include "skbfilter/vmcoreinfo.h"

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
	uint64_t info_size;	/* sizeof(struct printk_info): 88 (6.x), 112 (7.2); 0 = 88 */
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
	uint64_t isz = r->info_size ? r->info_size : 88, info = INFOS + isz * idx;

	/* 7.2's caller_id2/comm (24..43) and moved dev_info: bytes a fixed 88-byte stride would read as the next seq */
	memset(at(r, info), 0xa5, isz);
	st_le64(at(r, info + 0), id);
	st_le64(at(r, info + 8), ts);
	st_le16(at(r, info + 16), (uint16_t)len);
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

/* Linux 7.2 (CONFIG_PRINTK_EXECUTION_CTX): printk_info grew to 112 bytes; the layout comes from VMCOREINFO. */
TEST(printk_info_112_bytes_from_vmcoreinfo)
{
	static const char vi_text[] =
		"OSRELEASE=7.2.13+deb14-amd64\n"
		"OFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=48\n"
		"OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=8\nOFFSET(prb_desc_ring.infos)=16\n"
		"OFFSET(prb_desc_ring.head_id)=24\nOFFSET(prb_desc_ring.tail_id)=32\n"
		"SIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\nOFFSET(prb_desc.text_blk_lpos)=8\n"
		"OFFSET(prb_data_blk_lpos.begin)=0\nOFFSET(prb_data_blk_lpos.next)=8\n"
		"SIZE(printk_info)=112\nOFFSET(printk_info.seq)=0\nOFFSET(printk_info.ts_nsec)=8\n"
		"OFFSET(printk_info.text_len)=16\nOFFSET(printk_info.caller_id)=20\nOFFSET(printk_info.dev_info)=44\n"
		"OFFSET(prb_data_ring.size_bits)=0\nOFFSET(prb_data_ring.data)=8\nOFFSET(atomic_long_t.counter)=0\n";
	static struct ring r;
	struct vmcoreinfo *vi = NULL;
	struct printk_layout l;
	struct printk_reader rd = { ring_read, &r, false };
	struct sf_err err = { 0 };
	struct strbuf out;
	struct warnlist w;

	ASSERT_EQ(vmcoreinfo_parse(vi_text, sizeof(vi_text) - 1, &vi, &err), 0);
	ASSERT_EQ(printk_layout_from_vmcoreinfo(vi, 8, &l, &err), 0);
	ASSERT_U64(l.info_size, 112);
	ring_init(&r, 3, 0);
	r.info_size = 112;
	put_record(&r, 0, 1000, "Linux version 7.2.13+deb14-amd64", 2);
	put_record(&r, 1, 2000, "one", 2);
	put_record(&r, 2, 3000, "two", 2);
	put_record(&r, 3, 10075595000ull, "Kernel panic - not syncing: skbtruth", 2);
	strbuf_init(&out);
	warnlist_init(&w);
	ASSERT_EQ(printk_walk(&l, &rd, BASE, &out, &w, &err), 4);
	ASSERT_CONTAINS(out.buf, "[   10.075595] Kernel panic - not syncing: skbtruth\n");
	ASSERT_CONTAINS(out.buf, "[    0.000002] one\n");
	ASSERT_EQ(w.count, 0);
	/* read with the 6.x size the same ring yields garbage or nothing: the size matters */
	{
		struct printk_layout l88 = l;
		struct strbuf o2;
		struct warnlist w2;

		l88.info_size = 88;
		strbuf_init(&o2);
		warnlist_init(&w2);
		printk_walk(&l88, &rd, BASE, &o2, &w2, &err);
		ASSERT_TRUE(o2.buf == NULL || strstr(o2.buf, "[   10.075595] Kernel panic") == NULL);
		strbuf_release(&o2);
		warnlist_release(&w2);
	}
	strbuf_release(&out);
	warnlist_release(&w);
	vmcoreinfo_destroy(vi);
}

/* ---- the log_buf of 3.5 .. 5.9 (printk_legacy.c) ---- */

/* struct printk_log of 4.18/5.4 x86_64: ts_nsec 0, len 8, text_len 10, dict_len 12, facility 14, flags 15; 16 bytes */
static const char legacy_vi[] =
	"OSRELEASE=5.4.0-test\nSYMBOL(log_buf)=ffffffff82000000\nSYMBOL(log_buf_len)=ffffffff82000008\n"
	"SYMBOL(log_first_idx)=ffffffff82000010\nSYMBOL(log_next_idx)=ffffffff82000014\n"
	"SIZE(printk_log)=16\nOFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8\n"
	"OFFSET(printk_log.text_len)=10\n";

#define LBUF (BASE + 0x1000)
#define LBUF_LEN 256

/* Writes one record (header, text, 4 dictionary bytes, padding to 8) at idx; returns the next index. */
static uint32_t put_legacy(struct ring *r, uint32_t idx, uint64_t ts, const char *text)
{
	uint8_t *p = at(r, LBUF + idx);
	uint16_t tl = (uint16_t)strlen(text), len = (uint16_t)((16 + tl + 4 + 7) & ~7u);

	st_le64(p, ts);
	st_le16(p + 8, len);
	st_le16(p + 10, tl);
	st_le16(p + 12, 4);
	memcpy(p + 16, text, tl);
	memcpy(p + 16 + tl, "DICT", 4);
	return idx + len;
}

TEST(legacy_log_buf_wraps_at_an_empty_record)
{
	static struct ring r;
	struct vmcoreinfo *vi = NULL;
	struct printk_legacy_layout l;
	struct printk_legacy_buf lb;
	struct printk_reader rd = { ring_read, &r, false };
	struct sf_err err = { 0 };
	struct strbuf out;
	struct warnlist w;
	uint32_t idx, first;

	ASSERT_EQ(vmcoreinfo_parse(legacy_vi, sizeof(legacy_vi) - 1, &vi, &err), 0);
	ASSERT_EQ(printk_legacy_layout_from_vmcoreinfo(vi, &l, &err), 0);
	ASSERT_U64(l.rec_size, 16);
	ASSERT_U64(l.off_text_len, 10);
	memset(&r, 0, sizeof(r));
	/* the oldest records near the end of the buffer, then the wrap marker, then the newest at 0 */
	first = 160;
	idx = put_legacy(&r, first, 1000, "old one");		/* 160 .. 192 */
	idx = put_legacy(&r, idx, 2000, "old two");		/* 192 .. 224 */
	st_le16(at(&r, LBUF + idx + 8), 0);			/* 224: len 0, the wrap */
	idx = put_legacy(&r, 0, 3000000, "new\x01one");
	idx = put_legacy(&r, idx, 10075595000ull, "Kernel panic - not syncing: skbtruth");
	lb = (struct printk_legacy_buf){ LBUF, LBUF_LEN, first, idx };
	strbuf_init(&out);
	warnlist_init(&w);
	ASSERT_EQ(printk_legacy_walk(&l, &rd, &lb, &out, NULL, NULL, &w, &err), 4);
	ASSERT_STREQ(out.buf, "[    0.000001] old one\n[    0.000002] old two\n[    0.003000] new\\x01one\n"
			      "[   10.075595] Kernel panic - not syncing: skbtruth\n");
	ASSERT_EQ(w.count, 0);
	strbuf_release(&out);

	/* a record claiming more than the buffer: what came before stands, with a warning */
	st_le16(at(&r, LBUF + 192 + 8), 4000);
	strbuf_init(&out);
	ASSERT_EQ(printk_legacy_walk(&l, &rd, &lb, &out, NULL, NULL, &w, &err), 1);
	ASSERT_STREQ(out.buf, "[    0.000001] old one\n");
	ASSERT_EQ(w.count, 1);
	strbuf_release(&out);

	/* two wrap markers would loop: an error, bounded */
	st_le16(at(&r, LBUF + 192 + 8), 32);
	st_le16(at(&r, LBUF + 8), 0);
	strbuf_init(&out);
	printk_legacy_walk(&l, &rd, &lb, &out, NULL, NULL, &w, &err);
	ASSERT_TRUE(out.buf == NULL || strstr(out.buf, "Kernel panic") == NULL);
	strbuf_release(&out);

	/* indices outside the buffer: an error before any read */
	lb.first_idx = LBUF_LEN;
	strbuf_init(&out);
	ASSERT_TRUE(printk_legacy_walk(&l, &rd, &lb, &out, NULL, NULL, &w, &err) < 0);
	ASSERT_CONTAINS(err.msg, "first index 256");
	strbuf_release(&out);
	warnlist_release(&w);
	vmcoreinfo_destroy(vi);
}

/* 3.5 .. 3.10 named the struct "log": SIZE(log), OFFSET(log.len), ... */
TEST(legacy_layout_under_its_old_name)
{
	static const char old[] = "SIZE(log)=16\nOFFSET(log.ts_nsec)=0\nOFFSET(log.len)=8\nOFFSET(log.text_len)=10\n";
	struct vmcoreinfo *vi = NULL;
	struct printk_legacy_layout l;
	struct sf_err err = { 0 };

	ASSERT_EQ(vmcoreinfo_parse(old, sizeof(old) - 1, &vi, &err), 0);
	ASSERT_EQ(printk_legacy_layout_from_vmcoreinfo(vi, &l, &err), 0);
	ASSERT_U64(l.off_len, 8);
	vmcoreinfo_destroy(vi);
	ASSERT_EQ(vmcoreinfo_parse("OSRELEASE=x\n", 12, &vi, &err), 0);
	ASSERT_TRUE(printk_legacy_layout_from_vmcoreinfo(vi, &l, &err) < 0);
	ASSERT_CONTAINS(err.msg, "SIZE(printk_log)");
	vmcoreinfo_destroy(vi);
}

TEST_MAIN()
