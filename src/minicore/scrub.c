// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --scrub=dmesg,comm: the kernel bytes a mini.core meant for sharing leaves
 * out, as physical ranges for the erase set (minicore.c keeps those that
 * fall in kept pages, writes them as 'X' and records them).
 *
 *  dmesg  the text of every printk record outside the panic's time window.
 *         The window is SCRUB_DMESG_WINDOW_NS (5 s) before the panic record (the
 *         last "Kernel panic - not syncing" record; the last record if there
 *         is none) up to the end of the log: the oops, the stack dump and
 *         the panic itself.  Earlier records are where host names, addresses
 *         and user data appear (DHCP leases, mounts, USB serials).  The ring
 *         holds this boot only (timestamps are local_clock(), which restarts
 *         at boot), so every record kept is from the last boot.
 *  comm   task_struct.comm (TASK_COMM_LEN bytes, its size from BTF) of every
 *         task except the panicking one: user program names.  Tasks are
 *         found the way crash finds them: init_task, its tasks list and each
 *         thread group.
 *
 * The walks read memory with recording off, so they add no page to the file.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "minicore/scrub.h"

#define SCRUB_TASKS_MAX 200000

/* Adds the physical pieces of [va, va+len) (pages may be anywhere physically). */
static int add_virt(struct kernel *k, uint64_t va, uint64_t len, uint8_t reason, struct erase_set *es,
		    struct sf_err *err)
{
	uint32_t psz = kmem_page_size(kernel_kmem(k));

	while (len) {
		uint64_t n = psz - va % psz, pa;
		struct sf_err e = { 0 };
		int rc;

		n = n < len ? n : len;
		/* an untranslatable address has no page in the file either: nothing to erase */
		if (kmem_vtop(kmem_unrecorded(kernel_kmem(k)), va, &pa, &e) == 0 && (rc = erase_set_add(es, pa, n, reason, err)) < 0)
			return rc;
		va += n;
		len -= n;
	}
	return 0;
}

/* ---- dmesg ---- */

struct dmesg_rec {
	uint64_t ts, addr;
	uint32_t len;
};

struct dmesg_walk {
	struct dmesg_rec *r;
	size_t n, cap;
	uint64_t panic_ts;
	bool have_panic, oom;
};

static void dmesg_record(void *arg, uint64_t ts, uint64_t addr, const uint8_t *text, size_t len)
{
	static const char panic_msg[] = "Kernel panic - not syncing";
	struct dmesg_walk *dw = arg;

	if (len >= sizeof(panic_msg) - 1 && !memcmp(text, panic_msg, sizeof(panic_msg) - 1)) {
		dw->panic_ts = ts;
		dw->have_panic = true;
	}
	if (dw->n == dw->cap) {
		size_t nc = dw->cap ? dw->cap * 2 : 256;
		struct dmesg_rec *nr = realloc(dw->r, nc * sizeof(*nr));

		if (!nr) {
			dw->oom = true;
			return;
		}
		dw->r = nr;
		dw->cap = nc;
	}
	dw->r[dw->n++] = (struct dmesg_rec){ ts, addr, (uint32_t)len };
}

int scrub_dmesg(struct kernel *k, struct erase_set *es, struct scrub_stats *st, struct sf_err *err)
{
	struct dmesg_walk dw = { 0 };
	struct strbuf out;
	uint64_t from;
	int rc;

	strbuf_init(&out);
	rc = printk_records(k, kmem_unrecorded(kernel_kmem(k)), &out, dmesg_record, &dw, err);
	strbuf_release(&out);
	if (rc < 0 || dw.oom) {
		free(dw.r);
		return rc < 0 ? sf_err_prefix(err, "--scrub=dmesg") : sf_err_set(err, SF_ENOMEM, "--scrub=dmesg");
	}
	if (!dw.have_panic)
		for (size_t i = 0; i < dw.n; i++)
			dw.panic_ts = dw.r[i].ts > dw.panic_ts ? dw.r[i].ts : dw.panic_ts;
	from = dw.panic_ts > SCRUB_DMESG_WINDOW_NS ? dw.panic_ts - SCRUB_DMESG_WINDOW_NS : 0;
	st->dmesg_window_from_ns = from;
	st->dmesg_panic_ns = dw.panic_ts;
	for (size_t i = 0; i < dw.n && rc >= 0; i++) {
		if (dw.r[i].ts >= from) {
			st->dmesg_kept++;
			continue;
		}
		st->dmesg_erased++;
		rc = add_virt(k, dw.r[i].addr, dw.r[i].len, ERASE_DMESG, es, err);
	}
	free(dw.r);
	return rc < 0 ? rc : 0;
}

/* ---- comm ---- */

struct comm_walk {
	struct kernel *k;
	struct erase_set *es;
	struct scrub_stats *st;
	uint64_t keep, tasks_off, tg_off, comm_off, comm_len, n;
	bool have_tg;
};

static int comm_one(struct comm_walk *cw, uint64_t task, struct sf_err *err)
{
	if (task == cw->keep) {
		cw->st->comm_kept++;
		return 0;
	}
	cw->st->comm_erased++;
	return add_virt(cw->k, task + cw->comm_off, cw->comm_len, ERASE_COMM, cw->es, err);
}

/* Calls comm_one on every container of the list_head ring at head (node - off); skips head's own. */
static int comm_list(struct comm_walk *cw, uint64_t head, uint64_t off, bool threads, struct sf_err *err)
{
	uint64_t node = head;

	for (;;) {
		uint64_t next;
		struct sf_err e = { 0 };
		int rc;

		if (kmem_read_u64(kmem_unrecorded(kernel_kmem(cw->k)), node, &next, "list_head.next", &e) < 0 || !next || next == head)
			return 0;	/* an unreadable link ends the walk: those tasks are not in the file either */
		if (++cw->n > SCRUB_TASKS_MAX)
			return sf_err_set(err, SF_ELOOP, "--scrub=comm: more than %d tasks", SCRUB_TASKS_MAX);
		if ((rc = comm_one(cw, next - off, err)) < 0)
			return rc;
		if (!threads && cw->have_tg && (rc = comm_list(cw, next - off + cw->tg_off, cw->tg_off, true, err)) < 0)
			return rc;
		node = next;
	}
}

int scrub_comm(struct kernel *k, uint64_t keep_task, struct erase_set *es, struct scrub_stats *st,
	       struct sf_err *err)
{
	struct comm_walk cw = { .k = k, .es = es, .st = st, .keep = keep_task };
	struct kfield f;
	uint64_t init_task;
	int64_t o;
	int rc;

	if (!kernel_types(k))
		return sf_err_set(err, SF_ENOTFOUND, "--scrub=comm: the task list cannot be walked: no BTF");
	if (kernel_symbol(k, "init_task", &init_task, err) < 0)
		/* kallsyms without data symbols (arm64 Debian kernels): the System.map has it */
		return sf_err_prefix(err, "--scrub=comm: the task list cannot be walked (-m System.map gives init_task)");
	if ((o = ktypes_offsetof(kernel_types(k), "task_struct.tasks", err)) < 0 ||
	    ktypes_field(kernel_types(k), "task_struct.comm", &f, err) < 0)
		return sf_err_prefix(err, "--scrub=comm: the task list cannot be walked");
	cw.tasks_off = (uint64_t)o;
	cw.comm_off = f.offset;
	cw.comm_len = f.size ? f.size : 16;
	o = ktypes_has_field(kernel_types(k), "task_struct.thread_group") ?
		ktypes_offsetof(kernel_types(k), "task_struct.thread_group", err) : -1;
	cw.have_tg = o >= 0;
	cw.tg_off = o < 0 ? 0 : (uint64_t)o;
	if ((rc = comm_one(&cw, init_task, err)) < 0 ||
	    (cw.have_tg && (rc = comm_list(&cw, init_task + cw.tg_off, cw.tg_off, true, err)) < 0) ||
	    (rc = comm_list(&cw, init_task + cw.tasks_off, cw.tasks_off, false, err)) < 0)
		return rc;
	return 0;
}
