// SPDX-License-Identifier: GPL-2.0-or-later
/* skbfilter --dump-dmesg VMCORE: the kernel log from the printk ring buffer. */
#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/panic.h"

int app_dmesg(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	struct dump_open_opts dopts = { .tmpdir = o->tmpdir, .warnings = w, .net = &o->net };
	/* the log needs only VMCOREINFO and memory: no symbols, types or per-CPU data */
	struct kernel_open_opts kopts = { .memory_only = true, .warnings = w };
	struct dump *d = NULL;
	struct kernel *k = NULL;
	size_t warn0;
	int rc;

	rc = dump_open(o->dumps, o->ndumps, &dopts, &d, err);
	if (rc)
		goto out;
	rc = kernel_open(d, &kopts, &k, err);	/* its errors name the dump */
	if (rc)
		goto out;
	warn0 = w->count;
	rc = printk_dump(k, out, err);
	if (rc < 0)
		sf_err_prefix(err, "%s", dump_name(d));
	else if (w->count > warn0)
		rc = APP_PARTIAL;
out:
	kernel_close(k);
	if (rc < 0)
		app_explain_error(o, d, w, err);
	dump_close(d);
	return rc;
}
