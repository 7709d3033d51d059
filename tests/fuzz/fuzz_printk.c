// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk walkers over fuzzed memory.  The input is the kernel memory seen
 * from address FUZZ_BASE on; the ring's struct printk_ringbuffer sits at its
 * start, and the same bytes are also walked as a pre-5.10 log_buf whose
 * length and indices are the input's first bytes.  Layout numbers come from a fixed
 * VMCOREINFO text (those of a 6.1 x86_64 kernel), parsed by the real parser.
 * Every read outside the input fails, as an excluded page would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/strbuf.h"
#include "skbfilter/vmcoreinfo.h"
#include "skbfilter/warn.h"
#include "panic/printk_int.h"

#define FUZZ_BASE 0xffff888000000000ull

static const char vmcoreinfo_text[] =
	"SYMBOL(prb)=ffffffff8f8643e0\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\n"
	"OFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\n"
	"OFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\n"
	"OFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\n"
	"SIZE(prb_desc)=24\n"
	"OFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\n"
	"OFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\n"
	"SIZE(printk_info)=88\n"
	"OFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\n"
	"OFFSET(printk_info.text_len)=16\n"
	"OFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\n"
	"OFFSET(atomic_long_t.counter)=0\n"
	"SIZE(printk_log)=16\n"
	"OFFSET(printk_log.ts_nsec)=0\n"
	"OFFSET(printk_log.len)=8\n"
	"OFFSET(printk_log.text_len)=10\n";

struct mem {
	const uint8_t *data;
	size_t size;
};

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len, const char *what, struct sf_err *err)
{
	const struct mem *m = ctx;

	if (addr < FUZZ_BASE || addr - FUZZ_BASE > m->size || len > m->size - (addr - FUZZ_BASE))
		return sf_err_set(err, SF_ENODATA, "%s at 0x%llx: outside the input", what, (unsigned long long)addr);
	memcpy(buf, m->data + (addr - FUZZ_BASE), len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmcoreinfo *vi = NULL;
	struct printk_layout l;
	struct printk_legacy_layout ll;
	struct mem m = { data, size };
	struct printk_reader r = { mem_read, &m, false };
	struct sf_err err = { 0 };
	struct warnlist w;
	struct strbuf out;

	if (vmcoreinfo_parse(vmcoreinfo_text, sizeof(vmcoreinfo_text) - 1, &vi, &err) != 0)
		abort();	/* the fixed text must parse */
	if (printk_layout_from_vmcoreinfo(vi, 8, &l, &err) != 0 || printk_legacy_layout_from_vmcoreinfo(vi, &ll, &err) != 0)
		abort();
	warnlist_init(&w);
	strbuf_init(&out);
	out.max = 1 << 20;	/* keep each run small */
	printk_walk(&l, &r, FUZZ_BASE, &out, &w, &err);
	strbuf_release(&out);
	if (size >= 12) {
		/* log_buf_len and the two indices from the input; the buffer is the input itself */
		struct printk_legacy_buf lb = { FUZZ_BASE, (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16,
						(uint32_t)data[4] | (uint32_t)data[5] << 8, (uint32_t)data[8] | (uint32_t)data[9] << 8 };

		strbuf_init(&out);
		out.max = 1 << 20;
		printk_legacy_walk(&ll, &r, &lb, &out, NULL, NULL, &w, &err);
		strbuf_release(&out);
	}
	warnlist_release(&w);
	vmcoreinfo_destroy(vi);
	return 0;
}
