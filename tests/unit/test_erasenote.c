// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mini.core's erased ranges (src/dump/erasenote.c): the set (sort, merge,
 * find), the note round trip in both byte orders, every truncation and byte
 * flip of a note refused or parsed without harm, and the ERASEINFO lines
 * (one per page, makedumpfile's "erase EXPR size N").
 */
#include "harness.h"
#include "skbfilter/bytes.h"
#include "skbfilter/erasenote.h"

static void fill(struct erase_set *s)
{
	struct sf_err err = { 0 };

	erase_set_init(s);
	snprintf(s->policy, sizeof(s->policy), "payload,comm");
	/* out of order, touching and overlapping on purpose */
	ASSERT_EQ(erase_set_add(s, 0x2040, 0x40, ERASE_UNREAD, &err), 0);
	ASSERT_EQ(erase_set_add(s, 0x1000, 0x100, ERASE_UNREAD, &err), 0);
	ASSERT_EQ(erase_set_add(s, 0x1100, 0x80, ERASE_UNREAD, &err), 0);	/* touches: joins */
	ASSERT_EQ(erase_set_add(s, 0x1180, 0x10, ERASE_PAYLOAD, &err), 0);	/* touches, other reason: stays */
	ASSERT_EQ(erase_set_add(s, 0x2060, 0x40, ERASE_PAYLOAD, &err), 0);	/* overlaps: joins, reasons OR'ed */
	ASSERT_EQ(erase_set_add(s, 0x2f80, 0x100, ERASE_COMM, &err), 0);	/* crosses into page 3 */
	erase_set_finish(s);
}

TEST(set_sorts_merges_and_finds)
{
	struct erase_set s;

	fill(&s);
	ASSERT_EQ(s.n, 4);
	ASSERT_EQ(s.r[0].start, 0x1000);
	ASSERT_EQ(s.r[0].len, 0x180);
	ASSERT_EQ(s.r[1].start, 0x1180);
	ASSERT_EQ(s.r[1].reasons, ERASE_PAYLOAD);
	ASSERT_EQ(s.r[2].start, 0x2040);
	ASSERT_EQ(s.r[2].len, 0x60);
	ASSERT_EQ(s.r[2].reasons, ERASE_UNREAD | ERASE_PAYLOAD);
	ASSERT_TRUE(erase_set_find(&s, 0x0fff, 1) == NULL);
	ASSERT_TRUE(erase_set_find(&s, 0x0fff, 2) == &s.r[0]);
	ASSERT_TRUE(erase_set_find(&s, 0x1190, 0x10) == NULL);
	ASSERT_TRUE(erase_set_find(&s, 0x118f, 1) == &s.r[1]);
	ASSERT_TRUE(erase_set_find(&s, 0x2000, 0x1000) == &s.r[2]);
	ASSERT_TRUE(erase_set_find(&s, 0x2000, 0) == NULL);
	ASSERT_EQ(erase_set_bytes(&s, ERASE_REASON_ALL), 0x180 + 0x10 + 0x60 + 0x100);
	ASSERT_EQ(erase_set_bytes(&s, ERASE_COMM), 0x100);
	erase_set_release(&s);
}

TEST(note_round_trip_both_byte_orders)
{
	for (int be = 0; be < 2; be++) {
		struct erase_set s, p;
		struct sf_err err = { 0 };
		uint8_t *note = NULL;
		size_t len = 0;

		fill(&s);
		ASSERT_EQ(erasenote_build(&s, be, &note, &len, &err), 0);
		ASSERT_EQ(len % 4, 0);
		ASSERT_EQ(ld32(note, be), sizeof(ERASENOTE_NAME));
		ASSERT_EQ(ld32(note + 8, be), ERASENOTE_TYPE);
		ASSERT_EQ(memcmp(note + 12, "SKBFILTER", 10), 0);
		ASSERT_EQ(erasenote_parse(note + 24, ld32(note + 4, be), &p, &err), 0);
		ASSERT_EQ(p.n, s.n);
		for (size_t i = 0; i < s.n; i++) {
			ASSERT_EQ(p.r[i].start, s.r[i].start);
			ASSERT_EQ(p.r[i].len, s.r[i].len);
			ASSERT_EQ(p.r[i].reasons, s.r[i].reasons);
		}
		ASSERT_STREQ(p.policy, "payload,comm");
		erase_set_release(&p);
		erase_set_release(&s);
		free(note);
	}
}

TEST(note_hostile_descriptors_are_refused)
{
	struct erase_set s, p;
	struct sf_err err = { 0 };
	uint8_t *note = NULL, *d;
	size_t len = 0, dlen;

	fill(&s);
	ASSERT_EQ(erasenote_build(&s, false, &note, &len, &err), 0);
	dlen = ld_le32(note + 4);
	d = malloc(dlen);
	/* every truncation */
	for (size_t l = 0; l < dlen; l++) {
		memcpy(d, note + 24, l);
		ASSERT_TRUE(erasenote_parse(d, l, &p, &err) < 0);
		ASSERT_EQ(p.n, 0);
	}
	/* every byte flip: refused, or a valid ascending set */
	for (size_t i = 0; i < dlen; i++) {
		memcpy(d, note + 24, dlen);
		d[i] ^= 0x5a;
		if (erasenote_parse(d, dlen, &p, &err) == 0) {
			for (size_t k = 1; k < p.n; k++)
				ASSERT_TRUE(p.r[k].start >= p.r[k - 1].start + p.r[k - 1].len);
			erase_set_release(&p);
		}
	}
	/* a raw_len zlib cannot produce from the bytes given */
	memcpy(d, note + 24, dlen);
	st_le64(d + 16, 1ull << 25);
	ASSERT_EQ(erasenote_parse(d, dlen, &p, &err), -SF_ECORRUPT);
	free(d);
	free(note);
	erase_set_release(&s);
}

TEST(eraseinfo_has_one_line_per_page)
{
	struct erase_set s;
	struct strbuf sb;

	fill(&s);
	strbuf_init(&sb);
	ASSERT_EQ(eraseinfo_append(&s, 4096, &sb), 0);
	ASSERT_STREQ(sb.buf, "erase unread+payload@0x1000 size 400\n"
			     "erase unread+payload+comm@0x2000 size 224\n"
			     "erase comm@0x3000 size 128\n");
	strbuf_release(&sb);
	erase_set_release(&s);
}

TEST_MAIN()
