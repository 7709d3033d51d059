/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --scrub=dmesg,comm (src/minicore/scrub.c): the kernel bytes to erase, as physical ranges. */
#ifndef SKBFILTER_OUT_SCRUB_H
#define SKBFILTER_OUT_SCRUB_H

#include <stdint.h>

#include "skbfilter/erasenote.h"

struct kernel;

/*
 * --scrub=dmesg keeps the records of the 5 s before the panic record and
 * everything after it: the panic path prints the oops, registers, stack and
 * panic message synchronously, within milliseconds, and 5 s also keeps the
 * warnings that led up to it.  Boot messages (the machine's memory map,
 * command line, disks, addresses) are older and go.
 */
#define SCRUB_DMESG_WINDOW_NS (5ull * 1000000000ull)

struct scrub_stats {
	uint64_t dmesg_kept, dmesg_erased;	/* records */
	uint64_t dmesg_panic_ns, dmesg_window_from_ns;
	uint64_t comm_kept, comm_erased;	/* tasks */
};

/* Adds the text of each printk record before the window (ERASE_DMESG) to es (not finished). */
int scrub_dmesg(struct kernel *k, struct erase_set *es, struct scrub_stats *st, struct sf_err *err);
/* Adds task_struct.comm of every task but keep_task (ERASE_COMM) to es (not finished). */
int scrub_comm(struct kernel *k, uint64_t keep_task, struct erase_set *es, struct scrub_stats *st,
	       struct sf_err *err);

#endif
