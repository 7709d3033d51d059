// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Erased bytes of a mini.core: the range set, its ELF note (format in
 * include/skbfilter/erasenote.h) and makedumpfile's ERASEINFO text.
 *
 * The writer (src/minicore/minicore.c) fills a set, the dump layer parses the
 * note when it opens a dump (dump_set_note_area()) and answers reads of
 * erased bytes as missing (dump_read_phys()).  The descriptor is hostile
 * input: sizes are capped before allocation, ranges must ascend without
 * overlap and must not wrap.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "skbfilter/bytes.h"
#include "skbfilter/erasenote.h"

#define HDR_LEN 32
#define REC_LEN 16

static const char *const reason_names[] = { "unread", "payload", "dmesg", "comm", "source" };

const char *erase_reasons_str(uint8_t reasons, char *buf, size_t len)
{
	size_t o = 0;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (unsigned i = 0; i < sizeof(reason_names) / sizeof(reason_names[0]); i++) {
		if (!(reasons & 1u << i))
			continue;
		int w = snprintf(buf + o, len - o, "%s%s", o ? "+" : "", reason_names[i]);

		if (w < 0 || (size_t)w >= len - o)
			break;
		o += (size_t)w;
	}
	return buf;
}

void erase_set_init(struct erase_set *s)
{
	memset(s, 0, sizeof(*s));
}

void erase_set_release(struct erase_set *s)
{
	free(s->r);
	erase_set_init(s);
}

static int push(struct erase_set *s, uint64_t start, uint32_t len, uint8_t reasons, struct sf_err *err)
{
	if (s->n >= ERASENOTE_MAX_RANGES)
		return sf_err_set(err, SF_ENOMEM, "erased ranges: more than %u", ERASENOTE_MAX_RANGES);
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 64;
		struct erase_range *nr = realloc(s->r, nc * sizeof(*nr));

		if (!nr)
			return sf_err_set(err, SF_ENOMEM, "erased ranges: out of memory for %zu", nc);
		s->r = nr;
		s->cap = nc;
	}
	s->r[s->n++] = (struct erase_range){ start, len, reasons };
	return 0;
}

int erase_set_add(struct erase_set *s, uint64_t start, uint64_t len, uint8_t reasons, struct sf_err *err)
{
	uint64_t end;

	if (add_overflows_u64(start, len, &end))
		return sf_err_set(err, SF_ERANGE, "erased range at 0x%" PRIx64 ": %" PRIu64 " bytes wrap around", start,
				  len);
	while (len) {
		uint32_t n = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
		int rc = push(s, start, n, reasons, err);

		if (rc < 0)
			return rc;
		start += n;
		len -= n;
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct erase_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * Overlapping ranges join with their reasons OR'ed (our writers erase
 * different objects for different reasons, so overlaps are rare and a joined
 * range still covers exactly the erased bytes).
 */
void erase_set_finish(struct erase_set *s)
{
	size_t w = 0;

	if (s->n < 2)
		return;
	qsort(s->r, s->n, sizeof(*s->r), cmp_range);
	for (size_t i = 0; i < s->n; i++) {
		struct erase_range c = s->r[i];

		if (w) {
			struct erase_range *p = &s->r[w - 1];
			uint64_t pend = p->start + p->len, cend = c.start + c.len;

			if (c.start < pend) {
				/* overlap: keep it simple and exact enough for our writers: join, reasons OR'ed */
				uint64_t end = pend > cend ? pend : cend;

				if (end - p->start <= UINT32_MAX) {
					p->len = (uint32_t)(end - p->start);
					p->reasons |= c.reasons;
					continue;
				}
				/* too long to join: keep the part past the previous range */
				if (cend <= pend)
					continue;
				c.len = (uint32_t)(cend - pend);
				c.start = pend;
			} else if (c.start == pend && c.reasons == p->reasons && (uint64_t)p->len + c.len <= UINT32_MAX) {
				p->len += c.len;
				continue;
			}
		}
		s->r[w++] = c;
	}
	s->n = w;
}

const struct erase_range *erase_set_find(const struct erase_set *s, uint64_t start, uint64_t len)
{
	size_t lo = 0, hi = s->n;

	if (!len)
		return NULL;
	/* the first range whose end is past start */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->r[mid].start + s->r[mid].len <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->r[lo].start < start + len)
		return &s->r[lo];
	return NULL;
}

uint64_t erase_set_bytes(const struct erase_set *s, uint8_t mask)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		if (s->r[i].reasons & mask)
			n += s->r[i].len;
	return n;
}

int erasenote_build(const struct erase_set *s, bool be, uint8_t **ret, size_t *len, struct sf_err *err)
{
	size_t plen = strnlen(s->policy, sizeof(s->policy) - 1), pal = (plen + 7) & ~(size_t)7;
	size_t raw = 8 + pal + s->n * REC_LEN, o;
	uLongf clen = compressBound(raw);
	uint8_t *body = calloc(1, raw), *p = NULL;
	size_t total;
	int rc = 0;

	*ret = NULL;
	*len = 0;
	if (raw > ERASENOTE_MAX_RAW) {
		free(body);
		return sf_err_set(err, SF_ENOMEM, "erase note: %zu bytes above the cap", raw);
	}
	if (!body)
		return sf_err_set(err, SF_ENOMEM, "erase note: out of memory");
	st_le32(body, (uint32_t)s->n);
	st_le32(body + 4, (uint32_t)plen);
	memcpy(body + 8, s->policy, plen);
	o = 8 + pal;
	for (size_t i = 0; i < s->n; i++, o += REC_LEN) {
		st_le64(body + o, s->r[i].start);
		st_le32(body + o + 8, s->r[i].len);
		body[o + 12] = s->r[i].reasons;
	}
	total = 24 + HDR_LEN + clen + 3;
	p = calloc(1, total);
	if (!p) {
		rc = sf_err_set(err, SF_ENOMEM, "erase note: out of memory");
		goto out;
	}
	if (compress2(p + 24 + HDR_LEN, &clen, body, raw, 9) != Z_OK) {
		rc = sf_err_set(err, SF_EIO, "erase note: zlib compress2 failed");
		goto out;
	}
	memcpy(p + 24, "SKBFERAS", 8);
	st_le32(p + 24 + 8, ERASENOTE_VERSION);
	st_le32(p + 24 + 12, 1);
	st_le64(p + 24 + 16, raw);
	st_le64(p + 24 + 24, clen);
	(be ? st_be32 : st_le32)(p, sizeof(ERASENOTE_NAME));
	(be ? st_be32 : st_le32)(p + 4, (uint32_t)(HDR_LEN + clen));
	(be ? st_be32 : st_le32)(p + 8, ERASENOTE_TYPE);
	memcpy(p + 12, ERASENOTE_NAME, sizeof(ERASENOTE_NAME));
	*len = (24 + HDR_LEN + clen + 3) & ~(size_t)3;
	*ret = p;
	p = NULL;
out:
	free(body);
	free(p);
	return rc;
}

int erasenote_parse(const void *desc, size_t len, struct erase_set *s, struct sf_err *err)
{
	const uint8_t *d = desc;
	uint64_t raw, comp, n, plen, o;
	uint8_t *body = NULL;
	uLongf got;
	int rc = 0;

	erase_set_init(s);
	if (len < HDR_LEN)
		return sf_err_set(err, SF_ETRUNC, "erase note: %zu bytes, the header alone is %d", len, HDR_LEN);
	if (memcmp(d, "SKBFERAS", 8))
		return sf_err_set(err, SF_ECORRUPT, "erase note: bad magic at offset 0 (expected SKBFERAS)");
	if (ld_le32(d + 8) != ERASENOTE_VERSION)
		return sf_err_set(err, SF_ENOTSUP, "erase note: version %u at offset 8 (expected %u)", ld_le32(d + 8),
				  ERASENOTE_VERSION);
	if (ld_le32(d + 12) != 1)
		return sf_err_set(err, SF_ENOTSUP, "erase note: flags 0x%x at offset 12 (expected 0x1, zlib)", ld_le32(d + 12));
	raw = ld_le64(d + 16);
	comp = ld_le64(d + 24);
	if (raw < 8 || raw > ERASENOTE_MAX_RAW)
		return sf_err_set(err, SF_ECORRUPT, "erase note: raw_len %" PRIu64 " at offset 16 outside 8..%u", raw,
				  ERASENOTE_MAX_RAW);
	if (comp > len - HDR_LEN)
		return sf_err_set(err, SF_ETRUNC, "erase note: comp_len %" PRIu64 " at offset 24, only %zu bytes follow", comp,
				  len - HDR_LEN);
	if (raw / 1032 > comp + 1)	/* zlib cannot expand more than ~1032:1 */
		return sf_err_set(err, SF_ECORRUPT, "erase note: raw_len %" PRIu64 " cannot come from %" PRIu64
				  " compressed bytes", raw, comp);
	body = malloc(raw);
	if (!body)
		return sf_err_set(err, SF_ENOMEM, "erase note: out of memory for %" PRIu64 " bytes", raw);
	got = raw;
	if (uncompress(body, &got, d + HDR_LEN, comp) != Z_OK || got != raw) {
		rc = sf_err_set(err, SF_ECORRUPT, "erase note: zlib body (%" PRIu64 " bytes at offset %d) does not inflate "
				"to %" PRIu64 " bytes", comp, HDR_LEN, raw);
		goto out;
	}
	n = ld_le32(body);
	plen = ld_le32(body + 4);
	if (plen >= ERASENOTE_POLICY_MAX) {
		rc = sf_err_set(err, SF_ECORRUPT, "erase note: policy_len %" PRIu64 " at body offset 4 (at most %d)", plen,
				ERASENOTE_POLICY_MAX - 1);
		goto out;
	}
	o = 8 + ((plen + 7) & ~7ull);
	if (n > ERASENOTE_MAX_RANGES || o > raw || n * REC_LEN != raw - o) {
		rc = sf_err_set(err, SF_ECORRUPT, "erase note: %" PRIu64 " ranges at body offset 0 do not fill the %" PRIu64
				"-byte body", n, raw);
		goto out;
	}
	memcpy(s->policy, body + 8, plen);
	s->policy[plen] = '\0';
	for (uint64_t i = 0; i < n; i++, o += REC_LEN) {
		uint64_t start = ld_le64(body + o), end;
		uint32_t l = ld_le32(body + o + 8);
		uint8_t r = body[o + 12];

		if (!l || !r || (r & ~ERASE_REASON_ALL) || add_overflows_u64(start, l, &end) ||
		    (s->n && start < s->r[s->n - 1].start + s->r[s->n - 1].len)) {
			rc = sf_err_set(err, SF_ECORRUPT, "erase note: range %" PRIu64 " (0x%" PRIx64 ", %u bytes, reasons 0x%x) "
					"is empty, wraps, overlaps the previous one or has unknown reasons", i, start, l, r);
			goto out;
		}
		rc = push(s, start, l, r, err);
		if (rc < 0)
			goto out;
	}
out:
	free(body);
	if (rc < 0)
		erase_set_release(s);
	return rc;
}

static void eraseinfo_line(struct strbuf *sb, uint64_t page, uint32_t psz, uint8_t reasons, uint64_t bytes)
{
	char rs[64];

	if (bytes)
		strbuf_addf(sb, "erase %s@0x%" PRIx64 " size %" PRIu64 "\n", erase_reasons_str(reasons, rs, sizeof(rs)),
			    page * psz, bytes);
}

int eraseinfo_append(const struct erase_set *s, uint32_t psz, struct strbuf *sb)
{
	uint64_t cur = UINT64_MAX, bytes = 0;
	uint8_t reasons = 0;

	/* ranges ascend without overlap, so pages come in order: one line per page */
	for (size_t i = 0; i < s->n && psz; i++) {
		uint64_t a = s->r[i].start, e = a + s->r[i].len;

		while (a < e) {
			uint64_t page = a / psz, pe = (page + 1) * psz < e ? (page + 1) * psz : e;

			if (page != cur) {
				eraseinfo_line(sb, cur, psz, reasons, bytes);
				cur = page;
				bytes = 0;
				reasons = 0;
			}
			bytes += pe - a;
			reasons |= s->r[i].reasons;
			a = pe;
		}
	}
	eraseinfo_line(sb, cur, psz, reasons, bytes);
	return sb->overflow ? -SF_ENOMEM : 0;
}
