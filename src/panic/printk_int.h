/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The printk walkers behind printk_dump() (the lockless ring of 5.10+ and the
 * log_buf before it), separated from kmem so that the fuzzer can run them
 * over arbitrary memory (tests/fuzz/fuzz_printk.c).
 */
#ifndef SKBFILTER_PRINTK_INT_H
#define SKBFILTER_PRINTK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

struct vmcoreinfo;

/*
 * Layout of the lockless ring buffer (kernel/printk/printk_ringbuffer.h,
 * 5.10+), every number from VMCOREINFO (log_buf_vmcoreinfo_setup()).
 */
struct printk_layout {
	uint64_t rb_desc_ring, rb_text_data_ring;
	uint64_t dr_count_bits, dr_descs, dr_infos, dr_head_id, dr_tail_id;
	uint64_t desc_size, desc_state_var, desc_text_blk_lpos;
	uint64_t lpos_begin, lpos_next;
	uint64_t info_size, info_seq, info_ts_nsec, info_text_len;
	uint64_t data_size_bits, data_data;
	uint64_t atomic_long_counter;
	unsigned word;			/* sizeof(long) of the target: 8 or 4 */
};

/* Caps: no walk reads more than this whatever the dump claims. */
#define PRINTK_MAX_COUNT_BITS 24	/* descriptors */
#define PRINTK_MAX_DATA_BITS 30		/* text data ring bytes */
#define PRINTK_MAX_RECORDS (1u << 20)
#define PRINTK_MAX_BAD_RUN 4096	/* consecutive unreadable records before giving up */
#define PRINTK_MAX_TEXT 4096		/* bytes of one record kept (the kernel's own limit is 1024) */

struct printk_reader {
	int (*read)(void *ctx, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err);
	void *ctx;
	bool big_endian;
};

/*
 * Appends one record as makedumpfile --dump-dmesg prints it: "[seconds.micros] "
 * then the text, printable bytes as they are, others as \xNN, the lines of a
 * multi-line record indented under the first, and a newline.
 */
void printk_put_line(struct strbuf *out, uint64_t ts_nsec, const uint8_t *text, size_t len);

/* Called for each record read, with where its text is (for --scrub=dmesg). */
typedef void printk_record_fn(void *arg, uint64_t ts_nsec, uint64_t text_addr, const uint8_t *text, size_t text_len);

int printk_layout_from_vmcoreinfo(const struct vmcoreinfo *vi, unsigned word, struct printk_layout *ret,
				  struct sf_err *err);
/*
 * Walks the ring at prb_addr (the struct printk_ringbuffer, not the prb
 * pointer) from tail to head and appends one line per record.  Unreadable
 * records are skipped and counted in a warning.  Returns the number of
 * records printed, or a negative code when the ring itself is unreadable.
 */
int printk_walk(const struct printk_layout *l, const struct printk_reader *r, uint64_t prb_addr,
		struct strbuf *out, struct warnlist *w, struct sf_err *err);
/* printk_walk() that also calls record(arg, ...) (may be NULL) for every record read. */
int printk_walk_records(const struct printk_layout *l, const struct printk_reader *r, uint64_t prb_addr,
			struct strbuf *out, printk_record_fn *record, void *arg, struct warnlist *w, struct sf_err *err);

/* The log before 5.10 (printk_legacy.c): struct printk_log records in log_buf. */
struct printk_legacy_layout {
	uint64_t rec_size;		/* SIZE(printk_log) */
	uint64_t off_ts_nsec, off_len, off_text_len;
};
struct printk_legacy_buf {
	uint64_t addr;			/* log_buf (the buffer, not the pointer variable) */
	uint32_t len;			/* log_buf_len */
	uint32_t first_idx, next_idx;	/* log_first_idx, log_next_idx */
};
#define PRINTK_MAX_LEGACY_BUF (1u << 30)	/* log_buf_len= takes at most 1 GiB on any kernel we know */

int printk_legacy_layout_from_vmcoreinfo(const struct vmcoreinfo *vi, struct printk_legacy_layout *ret,
					 struct sf_err *err);
/*
 * Walks the records from first_idx to next_idx (wrapping at a zero-length
 * record) and appends one line per record, calling record (may be NULL) for
 * each.  Damage after some records stops the walk with a warning; damage
 * before the first is an error.  Returns the number of records printed.
 */
int printk_legacy_walk(const struct printk_legacy_layout *l, const struct printk_reader *r,
		       const struct printk_legacy_buf *lb, struct strbuf *out, printk_record_fn *record, void *arg,
		       struct warnlist *w, struct sf_err *err);

#endif
