// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log from the lockless printk ring buffer (Linux 5.10+), as
 * `makedumpfile --dump-dmesg` prints it: "[    1.234567] text".
 *
 *   prb -> struct printk_ringbuffer
 *            desc_ring:      count_bits, descs[], infos[], head_id, tail_id
 *            text_data_ring: size_bits, data[], head_lpos, tail_lpos
 *
 *   desc.state_var   = state (top 2 bits) | id
 *   desc.text_blk_lpos {begin, next}: logical positions in the data ring;
 *                    the block at begin starts with the descriptor id (one
 *                    long), then the text.  A block that would wrap is
 *                    stored whole at index 0 instead.
 *   infos[id % count]: seq, ts_nsec, text_len, ...
 *
 * Every offset comes from VMCOREINFO, which the kernel writes for exactly
 * this purpose.  The log_buf of earlier kernels: printk_legacy.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/panic.h"
#include "skbfilter/vmcoreinfo.h"
#include "panic/printk_int.h"

/* enum desc_state (kernel/printk/printk_ringbuffer.h) */
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2

struct vi_item {
	const char *kind;	/* "OFFSET" or "SIZE" */
	const char *name;
	size_t field;		/* offsetof(struct printk_layout, ...) */
};

#define L(f) offsetof(struct printk_layout, f)
static const struct vi_item printk_items[] = {
	{ "OFFSET", "printk_ringbuffer.desc_ring", L(rb_desc_ring) },
	{ "OFFSET", "printk_ringbuffer.text_data_ring", L(rb_text_data_ring) },
	{ "OFFSET", "prb_desc_ring.count_bits", L(dr_count_bits) },
	{ "OFFSET", "prb_desc_ring.descs", L(dr_descs) },
	{ "OFFSET", "prb_desc_ring.infos", L(dr_infos) },
	{ "OFFSET", "prb_desc_ring.head_id", L(dr_head_id) },
	{ "OFFSET", "prb_desc_ring.tail_id", L(dr_tail_id) },
	{ "SIZE", "prb_desc", L(desc_size) },
	{ "OFFSET", "prb_desc.state_var", L(desc_state_var) },
	{ "OFFSET", "prb_desc.text_blk_lpos", L(desc_text_blk_lpos) },
	{ "OFFSET", "prb_data_blk_lpos.begin", L(lpos_begin) },
	{ "OFFSET", "prb_data_blk_lpos.next", L(lpos_next) },
	{ "SIZE", "printk_info", L(info_size) },
	{ "OFFSET", "printk_info.seq", L(info_seq) },
	{ "OFFSET", "printk_info.ts_nsec", L(info_ts_nsec) },
	{ "OFFSET", "printk_info.text_len", L(info_text_len) },
	{ "OFFSET", "prb_data_ring.size_bits", L(data_size_bits) },
	{ "OFFSET", "prb_data_ring.data", L(data_data) },
	{ "OFFSET", "atomic_long_t.counter", L(atomic_long_counter) },
};
#undef L

int printk_layout_from_vmcoreinfo(const struct vmcoreinfo *vi, unsigned word, struct printk_layout *ret,
				  struct sf_err *err)
{
	memset(ret, 0, sizeof(*ret));
	ret->word = word;
	for (size_t i = 0; i < sizeof(printk_items) / sizeof(printk_items[0]); i++) {
		const struct vi_item *it = &printk_items[i];
		uint64_t *dst = (uint64_t *)((char *)ret + it->field);
		int rc;

		if (!strcmp(it->kind, "SIZE"))
			rc = vmcoreinfo_size(vi, it->name, dst, SF_NOERR);
		else
			rc = vmcoreinfo_offset(vi, it->name, dst, SF_NOERR);
		if (rc)
			return sf_err_set(err, SF_ENOTFOUND,
					  "VMCOREINFO has no %s(%s): not the lockless printk ring buffer of 5.10+",
					  it->kind, it->name);
		/* structure offsets and sizes are small; anything else is a broken note */
		if (*dst > 4096)
			return sf_err_set(err, SF_ECORRUPT, "VMCOREINFO %s(%s)=%" PRIu64 " is implausible",
					  it->kind, it->name, *dst);
	}
	return 0;
}

static uint64_t ld_word(const struct printk_reader *r, const uint8_t *p, unsigned word)
{
	if (word == 4)
		return ld32(p, r->big_endian);
	return ld64(p, r->big_endian);
}

struct prb_state {
	uint64_t descs, infos, data;
	uint32_t count_bits, size_bits;
	uint64_t head_id, tail_id;
	uint64_t id_mask;		/* DESC_ID_MASK: the bits below the state */
	unsigned state_shift;
};

static int prb_read_header(const struct printk_layout *l, const struct printk_reader *r, uint64_t prb,
			   struct prb_state *s, struct sf_err *err)
{
	uint8_t b[8];
	int rc;
	uint64_t dr = prb + l->rb_desc_ring, tr = prb + l->rb_text_data_ring;

#define RD(addr, n, what) do { rc = r->read(r->ctx, (addr), b, (n), (what), err); if (rc) return rc; } while (0)
	RD(dr + l->dr_count_bits, 4, "prb_desc_ring.count_bits");
	s->count_bits = ld32(b, r->big_endian);
	RD(dr + l->dr_descs, l->word, "prb_desc_ring.descs");
	s->descs = ld_word(r, b, l->word);
	RD(dr + l->dr_infos, l->word, "prb_desc_ring.infos");
	s->infos = ld_word(r, b, l->word);
	RD(dr + l->dr_head_id + l->atomic_long_counter, l->word, "prb_desc_ring.head_id");
	s->head_id = ld_word(r, b, l->word);
	RD(dr + l->dr_tail_id + l->atomic_long_counter, l->word, "prb_desc_ring.tail_id");
	s->tail_id = ld_word(r, b, l->word);
	RD(tr + l->data_size_bits, 4, "prb_data_ring.size_bits");
	s->size_bits = ld32(b, r->big_endian);
	RD(tr + l->data_data, l->word, "prb_data_ring.data");
	s->data = ld_word(r, b, l->word);
#undef RD
	if (s->count_bits == 0 || s->count_bits > PRINTK_MAX_COUNT_BITS)
		return sf_err_set(err, SF_ECORRUPT, "printk ring at 0x%" PRIx64 ": count_bits %u (expected 1..%d)",
				  prb, s->count_bits, PRINTK_MAX_COUNT_BITS);
	if (s->size_bits < 4 || s->size_bits > PRINTK_MAX_DATA_BITS)
		return sf_err_set(err, SF_ECORRUPT, "printk ring at 0x%" PRIx64 ": data size_bits %u (expected 4..%d)",
				  prb, s->size_bits, PRINTK_MAX_DATA_BITS);
	/* DESC_SV_BITS = bits of a long; the state is in the top 2 (DESC_FLAGS_SHIFT) */
	s->state_shift = l->word * 8 - 2;
	s->id_mask = (s->state_shift >= 64) ? ~0ull : ((1ull << s->state_shift) - 1);
	return 0;
}

/* printable bytes as they are, others as \xNN, the lines of a multi-line record indented by indent */
static void printk_put_text(struct strbuf *out, const uint8_t *t, size_t n, size_t indent)
{
	char esc[8];

	for (size_t i = 0; i < n; i++) {
		uint8_t c = t[i];

		if (c == '\n') {
			strbuf_puts(out, "\n");
			for (size_t j = 0; j < indent && i + 1 < n; j++)
				strbuf_puts(out, " ");
		} else if ((c >= 0x20 && c < 0x7f) || c == '\t') {
			strbuf_add(out, (const char *)&t[i], 1);
		} else {
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			strbuf_puts(out, esc);
		}
	}
}

/*
 * One record.  Returns 1 if printed, 0 if skipped on purpose (reserved,
 * reusable or data-less), negative if unreadable.
 */
static int prb_record(const struct printk_layout *l, const struct printk_reader *r, const struct prb_state *s,
		      uint64_t id, uint8_t *text, struct strbuf *out, printk_record_fn *record, void *arg,
		      struct sf_err *err)
{
	uint64_t count = 1ull << s->count_bits, dsize = 1ull << s->size_bits;
	uint64_t idx = id & (count - 1);
	uint64_t desc = s->descs + idx * l->desc_size, info = s->infos + idx * l->info_size;
	uint64_t sv, begin, next, ts, data_off, avail;
	uint8_t b[8];
	uint16_t text_len;
	unsigned state;
	int rc;

	rc = r->read(r->ctx, desc + l->desc_state_var + l->atomic_long_counter, b, l->word, "prb_desc.state_var", err);
	if (rc)
		return rc;
	sv = ld_word(r, b, l->word);
	state = (unsigned)(sv >> s->state_shift) & 3;
	if (state != DESC_COMMITTED && state != DESC_FINALIZED)
		return 0;
	if ((sv & s->id_mask) != (id & s->id_mask))
		return 0;	/* the slot was reused for a newer record */
	rc = r->read(r->ctx, desc + l->desc_text_blk_lpos + l->lpos_begin, b, l->word, "prb_data_blk_lpos.begin", err);
	if (rc)
		return rc;
	begin = ld_word(r, b, l->word);
	rc = r->read(r->ctx, desc + l->desc_text_blk_lpos + l->lpos_next, b, l->word, "prb_data_blk_lpos.next", err);
	if (rc)
		return rc;
	next = ld_word(r, b, l->word);
	rc = r->read(r->ctx, info + l->info_ts_nsec, b, 8, "printk_info.ts_nsec", err);
	if (rc)
		return rc;
	ts = ld64(b, r->big_endian);
	rc = r->read(r->ctx, info + l->info_text_len, b, 2, "printk_info.text_len", err);
	if (rc)
		return rc;
	text_len = ld16(b, r->big_endian);

	/* LPOS_DATALESS: bit 0 set marks a record without text (e.g. a dropped one) */
	if ((begin & 1) || (next & 1))
		return 0;
	/* DATA_WRAPS(): same lap -> the block is at begin; next lap -> it wrapped to index 0 */
	if ((begin >> s->size_bits) == (next >> s->size_bits)) {
		data_off = begin & (dsize - 1);
		avail = next - begin;
	} else {
		data_off = 0;
		avail = next & (dsize - 1);
	}
	if (avail > dsize || avail < l->word)
		return sf_err_set(err, SF_ECORRUPT, "printk record %" PRIu64 ": block lpos 0x%" PRIx64 "..0x%" PRIx64
				  " does not fit the %" PRIu64 "-byte data ring", id, begin, next, dsize);
	avail -= l->word;	/* the block's id word */
	if (text_len > avail)
		text_len = (uint16_t)avail;
	if (text_len > PRINTK_MAX_TEXT)
		text_len = PRINTK_MAX_TEXT;
	if (text_len) {
		rc = r->read(r->ctx, s->data + data_off + l->word, text, text_len, "printk record text", err);
		if (rc)
			return rc;
	}
	if (record)
		record(arg, ts, s->data + data_off + l->word, text, text_len);
	printk_put_line(out, ts, text, text_len);
	return 1;
}

void printk_put_line(struct strbuf *out, uint64_t ts_nsec, const uint8_t *text, size_t len)
{
	char prefix[48];

	snprintf(prefix, sizeof(prefix), "[%5" PRIu64 ".%06" PRIu64 "] ", ts_nsec / 1000000000u,
		 (ts_nsec % 1000000000u) / 1000u);
	strbuf_puts(out, prefix);
	printk_put_text(out, text, len, strlen(prefix));
	strbuf_puts(out, "\n");
}

int printk_walk(const struct printk_layout *l, const struct printk_reader *r, uint64_t prb_addr,
		struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	return printk_walk_records(l, r, prb_addr, out, NULL, NULL, w, err);
}

int printk_walk_records(const struct printk_layout *l, const struct printk_reader *r, uint64_t prb_addr,
			struct strbuf *out, printk_record_fn *record, void *arg, struct warnlist *w, struct sf_err *err)
{
	struct prb_state s = { 0 };
	uint8_t *text = NULL;
	uint64_t id, n = 0, bad = 0, printed = 0, span;
	unsigned bad_run = 0;
	struct sf_err first = { 0 };
	int rc;

	if (l->word != 4 && l->word != 8)
		return sf_err_set(err, SF_EINVAL, "printk: word size %u", l->word);
	rc = prb_read_header(l, r, prb_addr, &s, err);
	if (rc)
		return rc;
	text = malloc(PRINTK_MAX_TEXT);
	if (!text)
		return sf_err_set(err, SF_ENOMEM, "printk text buffer");
	/* ids increase by one per record; the distance tail..head is at most the descriptor count */
	span = (s.head_id - s.tail_id) & s.id_mask;
	if (span >= (1ull << s.count_bits)) {
		warn_add(w, "printk: tail id 0x%" PRIx64 " and head id 0x%" PRIx64 " are %" PRIu64
			 " records apart (ring holds %" PRIu64 "): reading the last %" PRIu64, s.tail_id, s.head_id, span,
			 (uint64_t)1 << s.count_bits, ((uint64_t)1 << s.count_bits) - 1);
		s.tail_id = (s.head_id - ((1ull << s.count_bits) - 1)) & s.id_mask;
	}
	id = s.tail_id;
	for (;;) {
		struct sf_err e = { 0 };

		rc = prb_record(l, r, &s, id, text, out, record, arg, &e);
		if (rc < 0) {
			if (!bad++)
				first = e;
			/* a long run of unreadable records is a lost ring, not a few lost pages */
			if (++bad_run >= PRINTK_MAX_BAD_RUN) {
				warn_add(w, "printk: %u records in a row unreadable; stopped at id 0x%" PRIx64,
					 PRINTK_MAX_BAD_RUN, id);
				break;
			}
		} else {
			bad_run = 0;
			printed += (uint64_t)rc;
		}
		if (id == s.head_id || ++n >= PRINTK_MAX_RECORDS || out->overflow)
			break;
		id = (id + 1) & s.id_mask;
	}
	if (bad)
		warn_add(w, "printk: %" PRIu64 " records unreadable (first: %s)", bad, first.msg);
	if (out->overflow)
		warn_add(w, "printk: output truncated at %zu bytes", out->len);
	free(text);
	return (int)(printed > 0x7fffffff ? 0x7fffffff : printed);
}

/* ctx: the printk view of memory (kmem_as(..., READ_PRINTK): mini.core keeps the log whole). */
static int printk_kmem_read(void *ctx, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	return kmem_read(ctx, addr, buf, len, what, err);
}

int printk_dump(struct kernel *k, struct strbuf *out, struct sf_err *err)
{
	return printk_records(k, kernel_kmem(k), out, NULL, NULL, err);
}

/* Before 5.10: log_buf and its indices, all named by VMCOREINFO. */
static int printk_legacy_records(struct kernel *k, const struct printk_reader *r, struct strbuf *out,
				 printk_record_fn *record, void *arg, struct sf_err *err)
{
	static const char *const syms[] = { "log_buf", "log_buf_len", "log_first_idx", "log_next_idx" };
	const struct vmcoreinfo *vi = kernel_vmcoreinfo(k);
	struct printk_legacy_layout l;
	struct printk_legacy_buf lb;
	uint64_t v[4];
	uint8_t b[8];
	int rc = printk_legacy_layout_from_vmcoreinfo(vi, &l, err);

	if (rc)
		return sf_err_prefix(err, "printk");
	for (int i = 0; i < 4; i++) {
		uint64_t a;

		if ((rc = vmcoreinfo_symbol(vi, syms[i], &a, err)) != 0)
			return sf_err_prefix(err, "printk log_buf");
		/* log_buf is a pointer; the others are u32 (log_buf_len an int) */
		if ((rc = r->read(r->ctx, a, b, i ? 4 : 8, syms[i], err)) != 0)
			return sf_err_prefix(err, "printk log_buf");
		v[i] = i ? ld32(b, r->big_endian) : ld64(b, r->big_endian);
	}
	lb = (struct printk_legacy_buf){ v[0], (uint32_t)v[1], (uint32_t)v[2], (uint32_t)v[3] };
	rc = printk_legacy_walk(&l, r, &lb, out, record, arg, kernel_warnings(k), err);
	return rc < 0 ? sf_err_prefix(err, "printk log_buf") : 0;
}

int printk_records(struct kernel *k, struct kmem *km, struct strbuf *out,
		   void (*record)(void *arg, uint64_t ts_nsec, uint64_t text_addr, const uint8_t *text, size_t len),
		   void *arg, struct sf_err *err)
{
	struct printk_layout l;
	struct kmem *as_printk = kmem_as(km, READ_PRINTK);
	struct printk_reader r = { printk_kmem_read, as_printk, kmem_big_endian(km) };
	uint64_t prb_sym, prb;
	uint8_t b[8];
	int rc;

	if (!kernel_vmcoreinfo(k))
		return sf_err_set(err, SF_ENOTFOUND, "printk: the dump has no VMCOREINFO");
	if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), "prb", &prb_sym, SF_NOERR) != 0 &&
	    vmcoreinfo_symbol(kernel_vmcoreinfo(k), "log_buf", &prb_sym, SF_NOERR) == 0)
		return printk_legacy_records(k, &r, out, record, arg, err);
	rc = printk_layout_from_vmcoreinfo(kernel_vmcoreinfo(k), 8, &l, err);
	if (rc)
		return rc;
	rc = vmcoreinfo_symbol(kernel_vmcoreinfo(k), "prb", &prb_sym, err);
	if (rc)
		return sf_err_prefix(err, "printk");
	/* SYMBOL(prb) is the pointer variable; it points at printk_rb_static or the dynamic buffer */
	rc = printk_kmem_read(as_printk, prb_sym, b, sizeof(b), "prb (printk ring buffer pointer)", err);
	if (!rc) {
		prb = kmem_load(kernel_kmem(k), b, sizeof(b));
		rc = printk_walk_records(&l, &r, prb, out, record, arg, kernel_warnings(k), err);
	}
	if (rc < 0)
		return sf_err_prefix(err, "printk ring buffer");
	return 0;
}
