// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
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
	err->has = 0;
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
	err->has = 0;
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
	err->has = 0;
}

int sf_err_path(struct sf_err *err, const char *path)
{
	if (!err)
		return -SF_EBUG;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	err->has |= SF_ERR_HAS_PATH;
	return -err->code;
}

int sf_err_offset(struct sf_err *err, unsigned long long offset)
{
	if (!err)
		return -SF_EBUG;
	err->offset = offset;
	err->has |= SF_ERR_HAS_OFFSET;
	return -err->code;
}

int sf_err_address(struct sf_err *err, unsigned long long address)
{
	if (!err)
		return -SF_EBUG;
	err->address = address;
	err->has |= SF_ERR_HAS_ADDRESS;
	return -err->code;
}

/* Appends with snprintf semantics, never past len; *n stays <= len - 1. */
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n + 1 >= len)
		return;
	va_start(ap, fmt);
	r = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = *n + (size_t)r < len ? *n + (size_t)r : len - 1;
}

size_t sf_err_format(const struct sf_err *err, int detail, char *buf, size_t len)
{
	char hex[24];
	size_t n = 0;
	int first = 1;

	if (!len)
		return 0;
	buf[0] = '\0';
	append(buf, len, &n, "%s", err->msg);
	if (!detail)
		return n;
	/* only what the message does not already say: most messages name their file and offset */
	if ((err->has & SF_ERR_HAS_PATH) && err->path[0] && !strstr(err->msg, err->path)) {
		append(buf, len, &n, " [file %s", err->path);
		first = 0;
	}
	if (err->has & SF_ERR_HAS_OFFSET) {
		snprintf(hex, sizeof(hex), "0x%llx", err->offset);
		if (!strstr(err->msg, hex)) {
			append(buf, len, &n, "%soffset %s", first ? " [" : ", ", hex);
			first = 0;
		}
	}
	if (err->has & SF_ERR_HAS_ADDRESS) {
		snprintf(hex, sizeof(hex), "0x%llx", err->address);
		if (!strstr(err->msg, hex)) {
			append(buf, len, &n, "%saddress %s", first ? " [" : ", ", hex);
			first = 0;
		}
	}
	if (!first)
		append(buf, len, &n, "]");
	return n;
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
