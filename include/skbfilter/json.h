/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small streaming JSON writer into a strbuf.  It tracks nesting and commas;
 * strings are escaped (control bytes and invalid UTF-8 as \u00XX), so text
 * taken from a dump (comm, device names) cannot break the document.
 */
#ifndef SKBFILTER_JSON_H
#define SKBFILTER_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct strbuf *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool pretty;
};

void json_init(struct json *j, struct strbuf *out, bool pretty);
void json_obj_begin(struct json *j, const char *key);	/* key NULL inside arrays / at top */
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j, const char *key);
void json_arr_end(struct json *j);
void json_str(struct json *j, const char *key, const char *val);	/* NULL val -> null */
void json_strn(struct json *j, const char *key, const char *val, size_t n);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
void json_hex(struct json *j, const char *key, uint64_t val);
/* "warnings": [...] and "notes": [...] of w (empty arrays for NULL). */
void json_warnlist(struct json *j, const struct warnlist *w);	/* "ffff888012345678" (no 0x, as truth.json) */

#endif
