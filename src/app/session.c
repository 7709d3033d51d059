// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every command does around its work: open the dump (and the kernel
 * from it, as much as the command needs), and at the end close both, turning
 * a failure the dump explains (truncated, incomplete, no VMCOREINFO) into one
 * line that says what to do.
 */
#include <string.h>

#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/kernel.h"
#include "skbfilter/minicore.h"
#include "skbfilter/readrec.h"

int app_session_open(const struct app_opts *o, enum app_need need, struct app_session *s, struct warnlist *w,
		     struct sf_err *err)
{
	struct dump_open_opts dopts = { .tmpdir = o->tmpdir, .warnings = w, .net = &o->net };
	struct kernel_open_opts kopts = { .warnings = w };
	int rc;

	memset(s, 0, sizeof(*s));
	rc = dump_open(o->dumps, o->ndumps, &dopts, &s->d, err);
	if (rc < 0 || need == APP_NEED_DUMP)
		return rc;
	if (need == APP_NEED_MEMORY) {
		/* the log needs only VMCOREINFO and memory: no symbols, types or per-CPU data */
		kopts.memory_only = true;
	} else {
		kopts.vmlinux = o->vmlinux;
		kopts.system_map = o->system_map;
		kopts.btf = o->btf;
		kopts.need_symbols = true;
	}
	/*
	 * The main job records from the first read on, so mini.core keeps every
	 * page the analysis used; the kernel note stands in for some reasons'
	 * reads (minicore.h: MINICORE_NOTE_REASONS).
	 */
	if (need == APP_NEED_RECORDED) {
		rc = read_recorder_create(MINICORE_NOTE_REASONS, w, &s->rec, err);
		if (rc < 0)
			return rc;
		kopts.recorder = s->rec;
	}
	return kernel_open(s->d, &kopts, &s->k, err);	/* its errors name the dump */
}

int app_session_close(const struct app_opts *o, struct app_session *s, int rc, struct warnlist *w,
		      struct sf_err *err)
{
	kernel_close(s->k);
	s->k = NULL;
	if (rc < 0)
		app_explain_error(o, s->d, w, err);
	dump_close(s->d);
	s->d = NULL;
	read_recorder_destroy(s->rec);
	s->rec = NULL;
	return rc;
}
