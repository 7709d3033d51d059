// SPDX-License-Identifier: GPL-2.0-or-later
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/json.h"

void json_init(struct json *j, struct strbuf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

static void json_indent(struct json *j)
{
	if (!j->pretty)
		return;
	strbuf_puts(j->out, "\n");
	for (int i = 0; i < j->depth; i++)
		strbuf_puts(j->out, "  ");
}

/* Length of a valid UTF-8 sequence starting at s (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0 && s[0] >= 0xc2)
		len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3;
	else if ((s[0] & 0xf8) == 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

static void json_quote(struct strbuf *sb, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	strbuf_add(sb, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t l;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			strbuf_add(sb, e, 2);
			i++;
		} else if (c == '\n') {
			strbuf_add(sb, "\\n", 2);
			i++;
		} else if (c == '\t') {
			strbuf_add(sb, "\\t", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f || !(l = utf8_len(p + i, n - i))) {
			strbuf_addf(sb, "\\u%04x", c);
			i++;
		} else {
			strbuf_add(sb, s + i, l);
			i += l;
		}
	}
	strbuf_add(sb, "\"", 1);
}

static void json_key(struct json *j, const char *key)
{
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->need_comma[j->depth - 1])
			strbuf_puts(j->out, ",");
		j->need_comma[j->depth - 1] = true;
		json_indent(j);
	}
	if (key) {
		json_quote(j->out, key, strlen(key));
		strbuf_puts(j->out, j->pretty ? ": " : ":");
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_key(j, key);
	strbuf_add(j->out, &c, 1);
	if (j->depth < JSON_MAX_DEPTH)
		j->need_comma[j->depth] = false;
	j->depth++;
}

static void json_close(struct json *j, char c)
{
	bool had = j->depth > 0 && j->depth <= JSON_MAX_DEPTH && j->need_comma[j->depth - 1];

	j->depth--;
	if (had)
		json_indent(j);
	strbuf_add(j->out, &c, 1);
	if (j->depth == 0 && j->pretty)
		strbuf_puts(j->out, "\n");
}

void json_obj_begin(struct json *j, const char *key) { json_open(j, key, '{'); }
void json_obj_end(struct json *j) { json_close(j, '}'); }
void json_arr_begin(struct json *j, const char *key) { json_open(j, key, '['); }
void json_arr_end(struct json *j) { json_close(j, ']'); }

void json_strn(struct json *j, const char *key, const char *val, size_t n)
{
	json_key(j, key);
	json_quote(j->out, val, n);
}

void json_str(struct json *j, const char *key, const char *val)
{
	if (!val) {
		json_null(j, key);
		return;
	}
	json_strn(j, key, val, strlen(val));
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_key(j, key);
	strbuf_addf(j->out, "%" PRIu64, val);
}

void json_i64(struct json *j, const char *key, int64_t val)
{
	json_key(j, key);
	strbuf_addf(j->out, "%" PRId64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_key(j, key);
	strbuf_puts(j->out, val ? "true" : "false");
}

void json_null(struct json *j, const char *key)
{
	json_key(j, key);
	strbuf_puts(j->out, "null");
}

void json_hex(struct json *j, const char *key, uint64_t val)
{
	char b[24];

	snprintf(b, sizeof(b), "%016" PRIx64, val);
	json_str(j, key, b);
}

void json_warnlist(struct json *j, const struct warnlist *w)
{
	json_arr_begin(j, "warnings");
	for (size_t i = 0; w && i < w->kept; i++)
		json_str(j, NULL, w->msgs[i]);
	json_arr_end(j);
	json_arr_begin(j, "notes");
	for (size_t i = 0; w && i < w->notes_kept; i++)
		json_str(j, NULL, w->notes[i]);
	json_arr_end(j);
}
