// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * VMCOREINFO parser.
 *
 * The kernel writes "KEY=value\n" lines into a page-sized note
 * (kernel/crash_core.c, kernel/vmcore_info.c from 6.9): SYMBOL() values are
 * "%lx", NUMBER() values "%ld" -- except that arm64 prints several of its
 * NUMBER()s as "0x%llx" (arch/arm64/kernel/crash_core.c) --, OFFSET(), SIZE()
 * and LENGTH() are "%lu", KERNELOFFSET is "%lx" and CRASHTIME "%lld".
 *
 * The text comes from the dump and may be hostile: the input size, the number
 * of lines and the length of one line are capped; NUL bytes end a line; a
 * repeated key takes its last value (the kernel only appends, and CRASHTIME is
 * appended at panic time).
 */
#include <stdlib.h>
#include <string.h>

#include "skbfilter/vmcoreinfo.h"

/* VMCOREINFO_BYTES is one page; 1 MiB leaves room for 64K-page kernels and more. */
#define VI_MAX_TEXT (1u << 20)
#define VI_MAX_LINES 8192
#define VI_MAX_LINE 1024

struct vi_entry {
	const char *key;	/* into vi->buf */
	const char *value;	/* into vi->buf */
	size_t seq;		/* line order, so that the last of equal keys wins */
};

struct vmcoreinfo {
	char *buf;		/* NUL-separated copies of keys and values */
	struct vi_entry *entries;	/* sorted by key, then seq */
	size_t n;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct vi_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
		(*e)--;
}

int vmcoreinfo_parse(const char *text, size_t len, struct vmcoreinfo **ret, struct sf_err *err)
{
	struct vmcoreinfo *vi;
	size_t pos = 0, out = 0, nlines = 0;

	*ret = NULL;
	if (len > VI_MAX_TEXT)
		return sf_err_set(err, SF_ENOMEM, "VMCOREINFO: %zu bytes, above the cap of %u", len, VI_MAX_TEXT);
	vi = calloc(1, sizeof(*vi));
	if (!vi)
		return sf_err_set(err, SF_ENOMEM, "VMCOREINFO: out of memory");
	/* Every key and value is copied with its NUL: at most len + 2 * lines bytes. */
	{
		/* at most one entry per 2 bytes ("=\n"), and never more than the line cap */
		size_t max_entries = len / 2 + 1 < VI_MAX_LINES ? len / 2 + 1 : VI_MAX_LINES;

		vi->buf = malloc(len + 2 * max_entries + 1);
		vi->entries = calloc(max_entries, sizeof(*vi->entries));
	}
	if (!vi->buf || !vi->entries) {
		vmcoreinfo_destroy(vi);
		return sf_err_set(err, SF_ENOMEM, "VMCOREINFO: out of memory for %zu bytes", len);
	}
	while (pos < len) {
		size_t start = pos, end;
		const char *ks, *ke, *vs, *ve, *eq;

		while (pos < len && text[pos] != '\n' && text[pos] != '\0')
			pos++;
		end = pos;
		pos++;	/* past the terminator */
		if (end == start)
			continue;
		if (++nlines > VI_MAX_LINES)
			break;	/* the rest is ignored: no real kernel writes that much */
		if (end - start > VI_MAX_LINE)
			continue;
		eq = memchr(text + start, '=', end - start);
		if (!eq)
			continue;
		ks = text + start;
		ke = eq;
		vs = eq + 1;
		ve = text + end;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke)
			continue;
		vi->entries[vi->n].seq = vi->n;
		vi->entries[vi->n].key = vi->buf + out;
		memcpy(vi->buf + out, ks, (size_t)(ke - ks));
		out += (size_t)(ke - ks);
		vi->buf[out++] = '\0';
		vi->entries[vi->n].value = vi->buf + out;
		memcpy(vi->buf + out, vs, (size_t)(ve - vs));
		out += (size_t)(ve - vs);
		vi->buf[out++] = '\0';
		vi->n++;
	}
	qsort(vi->entries, vi->n, sizeof(*vi->entries), cmp_entry);
	*ret = vi;
	return 0;
}

void vmcoreinfo_destroy(struct vmcoreinfo *vi)
{
	if (!vi)
		return;
	free(vi->buf);
	free(vi->entries);
	free(vi);
}

const char *vmcoreinfo_get(const struct vmcoreinfo *vi, const char *key)
{
	size_t lo = 0, hi;

	if (!vi || !key)
		return NULL;
	/* the first entry with a key greater than KEY; the one before it is the last KEY */
	hi = vi->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(vi->entries[mid].key, key) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && !strcmp(vi->entries[lo - 1].key, key))
		return vi->entries[lo - 1].value;
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parses all of s as an unsigned number in base 10 or 16; false on junk or overflow. */
static bool parse_unsigned(const char *s, unsigned base, uint64_t *ret)
{
	uint64_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		int d = hexval(*s);

		if (d < 0 || (unsigned)d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*ret = v;
	return true;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* Looks up KEY; fails with a message naming it. */
static int lookup(const struct vmcoreinfo *vi, const char *key, const char **ret, struct sf_err *err)
{
	*ret = vmcoreinfo_get(vi, key);
	if (!*ret)
		return sf_err_set(err, SF_ENOTFOUND, "VMCOREINFO has no %s", key);
	return 0;
}

static int bad_value(const char *key, const char *value, const char *expected, struct sf_err *err)
{
	return sf_err_set(err, SF_ECORRUPT, "VMCOREINFO: %s=%.64s is not %s", key, value, expected);
}

static int get_wrapped(const struct vmcoreinfo *vi, const char *kind, const char *name, char *key, size_t keylen,
		       const char **value, struct sf_err *err)
{
	size_t n = strlen(kind) + strlen(name) + 3;

	if (n > keylen)
		return sf_err_set(err, SF_EBUG, "VMCOREINFO: key %s(%.64s...) too long", kind, name);
	strcpy(key, kind);
	strcat(key, "(");
	strcat(key, name);
	strcat(key, ")");
	return lookup(vi, key, value, err);
}

int vmcoreinfo_symbol(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err)
{
	char key[VI_MAX_LINE];
	const char *v;
	int rc = get_wrapped(vi, "SYMBOL", name, key, sizeof(key), &v, err);

	if (rc < 0)
		return rc;
	if (!parse_unsigned(has_hex_prefix(v) ? v + 2 : v, 16, ret))
		return bad_value(key, v, "a hex address", err);
	return 0;
}

int vmcoreinfo_number(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err)
{
	char key[VI_MAX_LINE];
	const char *v, *s;
	bool neg;
	uint64_t x;
	int rc = get_wrapped(vi, "NUMBER", name, key, sizeof(key), &v, err);

	if (rc < 0)
		return rc;
	neg = v[0] == '-';
	s = neg ? v + 1 : v;
	if (has_hex_prefix(s)) {
		if (!parse_unsigned(s + 2, 16, &x))
			return bad_value(key, v, "a number", err);
	} else if (!parse_unsigned(s, 10, &x)) {
		return bad_value(key, v, "a number", err);
	} else if (neg ? x > (uint64_t)INT64_MAX + 1 : false) {
		return bad_value(key, v, "a 64-bit number", err);
	}
	*ret = neg ? (uint64_t)0 - x : x;	/* two's complement, as the kernel's long */
	return 0;
}

static int get_decimal(const struct vmcoreinfo *vi, const char *kind, const char *name, uint64_t *ret,
		       struct sf_err *err)
{
	char key[VI_MAX_LINE];
	const char *v;
	int rc = get_wrapped(vi, kind, name, key, sizeof(key), &v, err);

	if (rc < 0)
		return rc;
	if (!parse_unsigned(v, 10, ret))
		return bad_value(key, v, "a decimal number", err);
	return 0;
}

int vmcoreinfo_offset(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err)
{
	return get_decimal(vi, "OFFSET", name, ret, err);
}

int vmcoreinfo_size(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err)
{
	return get_decimal(vi, "SIZE", name, ret, err);
}

int vmcoreinfo_length(const struct vmcoreinfo *vi, const char *name, uint64_t *ret, struct sf_err *err)
{
	return get_decimal(vi, "LENGTH", name, ret, err);
}

int vmcoreinfo_hex(const struct vmcoreinfo *vi, const char *key, uint64_t *ret, struct sf_err *err)
{
	const char *v;
	int rc = lookup(vi, key, &v, err);

	if (rc < 0)
		return rc;
	if (!parse_unsigned(has_hex_prefix(v) ? v + 2 : v, 16, ret))
		return bad_value(key, v, "a hex number", err);
	return 0;
}

int vmcoreinfo_dec(const struct vmcoreinfo *vi, const char *key, uint64_t *ret, struct sf_err *err)
{
	const char *v;
	int rc = lookup(vi, key, &v, err);

	if (rc < 0)
		return rc;
	if (!parse_unsigned(v, 10, ret))
		return bad_value(key, v, "a decimal number", err);
	return 0;
}
