/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error reporting.
 *
 * Every fallible function returns 0 on success or a negative SF_E* code, and
 * fills a caller-owned struct sf_err with a message.  The buffer is fixed so an
 * out-of-memory condition can still be reported.  Outer layers prepend their
 * context with sf_err_prefix(), giving messages such as
 *   "vmcore.kdump: kdump: pfn 0x1a2b: page descriptor at 0x4c018 claims 9000
 *    compressed bytes (page is 4096)".
 * Nothing below src/main.c prints an error; main prints err->msg once.
 */
#ifndef SKBFILTER_ERR_H
#define SKBFILTER_ERR_H

#include <stdarg.h>
#include <stddef.h>

enum sf_errcode {
	SF_OK = 0,
	SF_EINVAL,	/* a usage error: a bad option, argument or output path from the user (exit 2) */
	SF_ECORRUPT,	/* the input contradicts its own format */
	SF_ENODATA,	/* the data is not in the dump (excluded, not dumped) */
	SF_ENOMEM,	/* allocation failed, or a size read from input is above its cap */
	SF_EIO,		/* an I/O call failed */
	SF_ENOTSUP,	/* a valid input we do not handle */
	SF_ETRUNC,	/* the input ends before the data it describes */
	SF_ELOOP,	/* a cycle or a depth bound was hit */
	SF_ERANGE,	/* an address or index outside the valid range */
	SF_ENOTFOUND,	/* a symbol, type, field or object was not found */
	SF_EBUG,	/* an internal contract was broken: a bug in skbfilter, not the user's or the input's
			 * fault (git's BUG()); exit 3 with "internal error", never exit 2 */
	SF_ECODE_MAX
};

#define SF_ERR_MSG_MAX 1024

#define SF_ERR_PATH_MAX 512

/* Which of struct sf_err's data fields are set. */
enum sf_err_data {
	SF_ERR_HAS_PATH = 1u << 0,
	SF_ERR_HAS_OFFSET = 1u << 1,	/* a byte offset in the file at path */
	SF_ERR_HAS_ADDRESS = 1u << 2,	/* a kernel virtual address */
};

/*
 * An error: its code, the message, and (as drgn's struct drgn_error does)
 * data that a caller or the one printer (sf_err_format()) can use without
 * parsing the message: the file, the offset in it, the kernel address.  The
 * message stays complete on its own; the data is set beside it.
 */
struct sf_err {
	int code;			/* enum sf_errcode, 0 when clear */
	char msg[SF_ERR_MSG_MAX];
	unsigned has;			/* enum sf_err_data bits; 0 when none */
	char path[SF_ERR_PATH_MAX];	/* SF_ERR_HAS_PATH (cut to fit) */
	unsigned long long offset;	/* SF_ERR_HAS_OFFSET */
	unsigned long long address;	/* SF_ERR_HAS_ADDRESS */
};

/* Sets the error (replacing any previous one and its data); returns -code. */
int sf_err_set(struct sf_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like sf_err_set, but appends ": strerror(errnum)". */
int sf_err_errno(struct sf_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prepends "context: " to the message (the data stays); returns -err->code (-SF_EBUG if err was clear: a caller bug). */
int sf_err_prefix(struct sf_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sf_err_clear(struct sf_err *err);
/* A short name for the code: "corrupt", "no data", ... */
const char *sf_err_codename(int code);

/*
 * Attach data to the error set last (call them after sf_err_set() or
 * sf_err_errno(), which clear it).  Each returns -err->code, so that
 * "return sf_err_path(err, path);" ends an error path.
 */
int sf_err_path(struct sf_err *err, const char *path);
int sf_err_offset(struct sf_err *err, unsigned long long offset);
int sf_err_address(struct sf_err *err, unsigned long long address);

/*
 * The one formatter (src/main.c prints its result): the message, and with
 * detail (-v) the data the message does not already show, as
 * "MSG [file PATH, offset 0xN, address 0xN]".  Always NUL-terminates buf
 * (len > 0); returns the length it wrote.
 */
size_t sf_err_format(const struct sf_err *err, int detail, char *buf, size_t len);

/*
 * A throw-away error object for probes whose failure is an expected answer
 * ("is there a symbol pcpu_hot?"): a fresh compound literal per use, so no
 * function is ever handed a NULL err.
 */
#define SF_NOERR (&(struct sf_err){ 0 })

#endif
