/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Extra page sets for the minimized dump (src/minicore/minikeep.c): pages the
 * analysis did not need but readers of mini.core do.  Each reads kernel
 * memory through kmem (so the dump records the pages with their reason);
 * what cannot be read becomes a warning, never an error.
 */
#ifndef SKBFILTER_OUT_MINIKEEP_H
#define SKBFILTER_OUT_MINIKEEP_H

#include <stdint.h>

#include "skbfilter/warn.h"

struct kernel;

/*
 * The printk ring buffer, whole (descriptor and info arrays, text ring), as
 * `makedumpfile --dump-dmesg` and crash's `log` read it; tagged READ_PRINTK.
 * Returns the number of bytes of kernel memory covered.
 */
uint64_t minikeep_printk(struct kernel *k, struct warnlist *w);

/*
 * What `crash vmlinux mini.core` reads to start a session (tagged
 * READ_CRASH): the kernel image's .data and .bss, linux_banner, idt_table,
 * every CPU's per-CPU unit, mem_section, every task (struct and stack)
 * through init_task.tasks and the thread groups, and the kmem_cache list.
 */
uint64_t minikeep_crash(struct kernel *k, struct warnlist *w);

#endif
