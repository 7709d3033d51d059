// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until the command lands; replaced by its owner. */
#include "skbfilter/app.h"

int app_run(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	return sf_err_set(err, SF_ENOTSUP, "this command is not implemented yet");
}
