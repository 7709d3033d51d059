// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * skbfilter --backtrace [--json] [--all-cpus] VMCORE: the panic CPU and how
 * it was determined, the task there, the stack in use and the frames.
 */
#include <stdlib.h>

#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/json.h"
#include "skbfilter/kernel.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "skbfilter/symbols.h"

int app_backtrace(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	struct app_session ses;
	struct dump *d;
	struct kernel *k;
	struct panic_context *pc = NULL;
	const char *syms, *types;
	size_t warn0;
	int rc;

	rc = app_session_open(o, APP_NEED_KERNEL, &ses, w, err);
	d = ses.d;
	k = ses.k;
	if (rc)
		goto out;
	warn0 = w->count;
	rc = panic_analyze(k, o->all_cpus, &pc, err);
	if (rc) {
		sf_err_prefix(err, "%s", dump_name(d));
		goto out;
	}
	syms = kernel_symtab(k) ? symtab_source(kernel_symtab(k)) : "none";
	types = kernel_types(k) ? ktypes_source(kernel_types(k)) : "none";
	if (o->json) {
		struct json j;

		json_init(&j, out, true);
		json_obj_begin(&j, NULL);
		json_str(&j, "kernel_release", kernel_release(k));
		json_str(&j, "symbols", syms);
		json_str(&j, "types", types);
		panic_to_json(pc, &j);
		if (o->all_cpus) {
			json_arr_begin(&j, "cpus");
			for (int i = 0; i < pc->ncpus; i++)
				cpu_context_to_json(&pc->cpus[i], &j, NULL);
			json_arr_end(&j);
		}
		json_warnlist(&j, w);
		json_obj_end(&j);
		strbuf_puts(out, "\n");
	} else {
		strbuf_addf(out, "kernel %s; symbols: %s; types: %s\n", kernel_release(k), syms, types);
		panic_to_text(pc, o->all_cpus, out);
	}
	rc = (pc->panic == NULL || w->count > warn0) ? APP_PARTIAL : 0;
out:
	panic_context_destroy(pc);
	return app_session_close(o, &ses, rc, w, err);
}
