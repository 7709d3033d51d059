// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/err.h"

int sf_err_set(struct sf_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	/* a probe that expects failure may pass no error object */
	if (!err)
		return -code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -code;
}

int sf_err_errno(struct sf_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;
	int code = errnum == ENOMEM ? SF_ENOMEM : errnum == ENOSPC || errnum == EDQUOT ? SF_EIO : SF_EIO;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = strlen(err->msg);
	snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
	return -code;
}

int sf_err_prefix(struct sf_err *err, const char *fmt, ...)
{
	char ctx[SF_ERR_MSG_MAX];
	char old[SF_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	old[sizeof(old) - 1] = '\0';
	/* ctx, ": ", then as much of the old message as fits. */
	{
		size_t n = strlen(ctx), m = strlen(old);

		if (n > sizeof(err->msg) - 3)
			n = sizeof(err->msg) - 3;
		memcpy(err->msg, ctx, n);
		memcpy(err->msg + n, ": ", 2);
		n += 2;
		if (m > sizeof(err->msg) - 1 - n)
			m = sizeof(err->msg) - 1 - n;
		memcpy(err->msg + n, old, m);
		err->msg[n + m] = '\0';
	}
	if (!err->code)
		err->code = SF_EBUG;
	return -err->code;
}

void sf_err_clear(struct sf_err *err)
{
	err->code = SF_OK;
	err->msg[0] = '\0';
}

const char *sf_err_codename(int code)
{
	static const char *const names[SF_ECODE_MAX] = {
		[SF_OK] = "ok",
		[SF_EINVAL] = "invalid argument",
		[SF_ECORRUPT] = "corrupt input",
		[SF_ENODATA] = "not in dump",
		[SF_ENOMEM] = "out of memory",
		[SF_EIO] = "I/O error",
		[SF_ENOTSUP] = "not supported",
		[SF_ETRUNC] = "truncated input",
		[SF_ELOOP] = "loop or depth bound",
		[SF_ERANGE] = "out of range",
		[SF_ENOTFOUND] = "not found",
		[SF_EBUG] = "internal error",
	};

	if (code < 0)
		code = -code;
	return code < SF_ECODE_MAX && names[code] ? names[code] : "unknown error";
}
