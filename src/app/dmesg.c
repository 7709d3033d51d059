// SPDX-License-Identifier: GPL-2.0-or-later
/* skbfilter --dump-dmesg VMCORE: the kernel log from the printk ring buffer. */
#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/panic.h"

int app_dmesg(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	struct app_session ses;
	size_t warn0;
	int rc;

	rc = app_session_open(o, APP_NEED_MEMORY, &ses, w, err);
	if (rc)
		goto out;
	warn0 = w->count;
	rc = printk_dump(ses.k, out, err);
	if (rc < 0)
		sf_err_prefix(err, "%s", dump_name(ses.d));
	else if (w->count > warn0)
		rc = APP_PARTIAL;
out:
	return app_session_close(o, &ses, rc, w, err);
}
