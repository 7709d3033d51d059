// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log before the lockless ring buffer (3.5 .. 5.9: RHEL 8's
 * 4.18, Ubuntu 20.04's 5.4), as `makedumpfile --dump-dmesg` prints it.
 *
 *   log_buf[log_buf_len]: struct printk_log records, each followed by its
 *   text and dictionary and padded to LOG_ALIGN:
 *     u64 ts_nsec; u16 len (whole record); u16 text_len; u16 dict_len; ...
 *   log_first_idx .. log_next_idx: the records still in the buffer, oldest
 *   first.  A record whose len is 0 marks the end of the used part: the
 *   next record is at index 0 (kernel/printk/printk.c log_next()).
 *
 * The kernel exports exactly this in VMCOREINFO: SYMBOL(log_buf),
 * SYMBOL(log_buf_len), SYMBOL(log_first_idx), SYMBOL(log_next_idx),
 * SIZE(printk_log) (SIZE(log) before 3.11) and OFFSET(printk_log.ts_nsec /
 * .len / .text_len).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/vmcoreinfo.h"
#include "panic/printk_int.h"

int printk_legacy_layout_from_vmcoreinfo(const struct vmcoreinfo *vi, struct printk_legacy_layout *ret,
					 struct sf_err *err)
{
	static const char *const sizes[] = { "printk_log", "log" };
	static const struct {
		const char *name;
		size_t field;
	} offs[] = {
		{ "ts_nsec", offsetof(struct printk_legacy_layout, off_ts_nsec) },
		{ "len", offsetof(struct printk_legacy_layout, off_len) },
		{ "text_len", offsetof(struct printk_legacy_layout, off_text_len) },
	};
	size_t which = 0;

	memset(ret, 0, sizeof(*ret));
	while (which < 2 && vmcoreinfo_size(vi, sizes[which], &ret->rec_size, SF_NOERR) != 0)
		which++;
	if (which == 2)
		return sf_err_set(err, SF_ENOTFOUND, "VMCOREINFO has neither SYMBOL(prb) (5.10+) nor SIZE(printk_log) "
				  "(3.5 .. 5.9): the kernel log format is unknown");
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		char name[40];
		uint64_t *dst = (uint64_t *)((char *)ret + offs[i].field);

		snprintf(name, sizeof(name), "%s.%s", sizes[which], offs[i].name);
		if (vmcoreinfo_offset(vi, name, dst, SF_NOERR) != 0)
			return sf_err_set(err, SF_ENOTFOUND, "VMCOREINFO has SIZE(%s) but no OFFSET(%s)", sizes[which],
					  name);
	}
	if (ret->rec_size < 16 || ret->rec_size > 256 || ret->off_ts_nsec + 8 > ret->rec_size ||
	    ret->off_len + 2 > ret->rec_size || ret->off_text_len + 2 > ret->rec_size)
		return sf_err_set(err, SF_ECORRUPT, "VMCOREINFO: struct %s of %" PRIu64 " bytes with ts_nsec at %" PRIu64
				  ", len at %" PRIu64 ", text_len at %" PRIu64 " is implausible", sizes[which],
				  ret->rec_size, ret->off_ts_nsec, ret->off_len, ret->off_text_len);
	return 0;
}

int printk_legacy_walk(const struct printk_legacy_layout *l, const struct printk_reader *r,
		       const struct printk_legacy_buf *lb, struct strbuf *out, printk_record_fn *record, void *arg,
		       struct warnlist *w, struct sf_err *err)
{
	uint8_t hdr[256], *text;
	uint64_t steps = 0, max_steps, printed = 0;
	uint32_t idx = lb->first_idx;
	bool wrapped = false;
	int rc = 0;

	if (!lb->len || lb->len > PRINTK_MAX_LEGACY_BUF || lb->first_idx >= lb->len || lb->next_idx >= lb->len)
		return sf_err_set(err, SF_ECORRUPT, "printk log_buf at 0x%" PRIx64 ": log_buf_len %u with first index %u "
				  "and next index %u", lb->addr, lb->len, lb->first_idx, lb->next_idx);
	text = malloc(PRINTK_MAX_TEXT);
	if (!text)
		return sf_err_set(err, SF_ENOMEM, "printk text buffer");
	/* every record is at least a header long: no walk takes more steps than that many records, plus the wrap */
	max_steps = lb->len / l->rec_size + 2;
	while (idx != lb->next_idx && !out->overflow) {
		uint64_t ts;
		uint16_t len, text_len;

		if (++steps > max_steps || printed >= PRINTK_MAX_RECORDS) {
			warn_add(w, "printk: log_buf walk from index %u did not reach the next index %u in %" PRIu64
				 " records; stopped", lb->first_idx, lb->next_idx, steps - 1);
			break;
		}
		if ((uint64_t)idx + l->rec_size > lb->len) {
			rc = sf_err_set(err, SF_ECORRUPT, "printk log_buf: record at index %u runs past log_buf_len %u",
					idx, lb->len);
			break;
		}
		rc = r->read(r->ctx, lb->addr + idx, hdr, l->rec_size, "printk_log record", err);
		if (rc)
			break;
		len = ld16(hdr + l->off_len, r->big_endian);
		if (len == 0) {
			/* the wrap marker: the next record is at the start; a second one is a loop */
			if (wrapped || idx == 0) {
				rc = sf_err_set(err, SF_ECORRUPT, "printk log_buf: empty record at index %u", idx);
				break;
			}
			wrapped = true;
			idx = 0;
			continue;
		}
		if (len < l->rec_size || (uint64_t)idx + len > lb->len) {
			rc = sf_err_set(err, SF_ECORRUPT, "printk log_buf: record at index %u claims %u bytes (header %" PRIu64
					", log_buf_len %u)", idx, len, l->rec_size, lb->len);
			break;
		}
		ts = ld64(hdr + l->off_ts_nsec, r->big_endian);
		text_len = ld16(hdr + l->off_text_len, r->big_endian);
		if (text_len > len - l->rec_size)
			text_len = (uint16_t)(len - l->rec_size);
		if (text_len > PRINTK_MAX_TEXT)
			text_len = PRINTK_MAX_TEXT;
		if (text_len && (rc = r->read(r->ctx, lb->addr + idx + l->rec_size, text, text_len, "printk_log text",
					      err)) != 0)
			break;
		if (record)
			record(arg, ts, lb->addr + idx + l->rec_size, text, text_len);
		printk_put_line(out, ts, text, text_len);
		printed++;
		idx += len;
		if (idx == lb->len)
			idx = 0;	/* a record that ends exactly at the end: the next starts over */
	}
	free(text);
	if (rc < 0 && printed) {
		/* what was read before the damage stands, with a warning */
		warn_add(w, "printk: %s; %" PRIu64 " records printed before it", err->msg, printed);
		sf_err_clear(err);
		rc = 0;
	}
	if (out->overflow)
		warn_add(w, "printk: output truncated at %zu bytes", out->len);
	return rc < 0 ? rc : (int)(printed > 0x7fffffff ? 0x7fffffff : printed);
}
