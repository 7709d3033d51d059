// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Errors say what to do (issue #14).  A failure deep in the analysis comes
 * up as a chain of contexts ("address translation: page-table root ...:
 * level 0 entry 511: ... past the end of the file") that is right but does
 * not tell a user the one thing to do.  Where the dump itself explains the
 * failure (it is truncated or incomplete; it has no VMCOREINFO), the error
 * becomes one line that says so and what to do, and the chain is kept as a
 * note that -v prints.
 */
#include <inttypes.h>
#include <string.h>

#include "skbfilter/app.h"
#include "skbfilter/dump.h"

void app_explain_error(const struct app_opts *o, struct dump *d, struct warnlist *w, struct sf_err *err)
{
	const struct dump_info *di;
	struct sf_err detail = *err;
	size_t vlen = 0;

	if (!d)
		return;
	di = dump_get_info(d);
	if (di->size_expected > di->size_found) {
		sf_err_set(err, err->code, "%s: the file is truncated (at least %" PRIu64 " bytes expected, %" PRIu64
			   " found) and the data this needs lies past its end; copy the whole dump again%s", dump_name(d),
			   di->size_expected, di->size_found, o->verbose ? "" : " (-v shows where reading stopped)");
	} else if (di->incomplete) {
		sf_err_set(err, err->code, "%s: the dump is incomplete (the disk filled or the copy stopped while it was "
			   "written) and the data this needs is not in it; take the dump again with more space%s",
			   dump_name(d), o->verbose ? "" : " (-v shows where reading stopped)");
	} else if (!dump_get_vmcoreinfo(d, &vlen) && !o->system_map && !o->vmlinux && !strstr(err->msg, "-m")) {
		sf_err_set(err, err->code, "%s: the dump has no VMCOREINFO, so kernel symbols are unknown; give the "
			   "kernel's System.map with -m (and its BTF with --btf if the dump has none)%s", dump_name(d),
			   o->verbose ? "" : " (-v shows the detail)");
	} else {
		return;
	}
	if (o->verbose)
		warn_note(w, "detail of the error: %s", detail.msg);
}
