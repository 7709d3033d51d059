// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's compressed symbol table (kernel/kallsyms.c, scripts/kallsyms.c),
 * decoded from memory through a read callback:
 *
 *   kallsyms_num_syms     unsigned int (unsigned long before 4.20; VMCOREINFO
 *                         only describes the tables from 6.0 on)
 *   kallsyms_names        per symbol: length, then that many token indexes.
 *                         The length is one byte; from 6.1 (KSYM_NAME_LEN 512,
 *                         Rust) a byte >= 0x80 starts a two-byte length:
 *                         len = (b0 & 0x7f) | (b1 << 7).
 *   kallsyms_token_index  u16[256]: offset of each token in token_table
 *   kallsyms_token_table  256 NUL-terminated tokens
 *   The first expanded character is the nm-style type ('T', 'd', ...).
 *
 * Addresses come in four encodings, which we try and keep the one that gives
 * SYMBOL(_stext) for the symbol named _stext:
 *   absolute        kallsyms_addresses[i] (!KALLSYMS_BASE_RELATIVE; gone in 6.11)
 *   base-relative   relative_base + (u32)offsets[i] (KALLSYMS_BASE_RELATIVE, 4.6)
 *   absolute-percpu offsets[i] >= 0 ? offsets[i] : relative_base - 1 - offsets[i]
 *                   (KALLSYMS_ABSOLUTE_PERCPU: x86_64 SMP until the percpu rework)
 *   place-relative  &offsets[i] + (s32)offsets[i] (7.0: no relative_base)
 *
 * Everything read is capped: the symbol count, each name's length, the
 * token table; tables are read in 64 KiB chunks, not a read per byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/syms_int.h"
#include "skbfilter/bytes.h"

#define KS_CHUNK (64u << 10)
#define KS_PAGE 4096u
#define KS_TOKEN_MAX 256	/* a token longer than this is corruption */

/* A forward-reading window over one table. */
struct kcur {
	kallsyms_read_fn rd;
	void *arg;
	const char *what;
	uint8_t *buf;
	uint64_t start;		/* address of buf[0] */
	size_t len;		/* valid bytes */
};

static int kcur_init(struct kcur *c, kallsyms_read_fn rd, void *arg, const char *what, struct sf_err *err)
{
	memset(c, 0, sizeof(*c));
	c->rd = rd;
	c->arg = arg;
	c->what = what;
	c->buf = malloc(KS_CHUNK);
	if (!c->buf)
		return sf_err_set(err, SF_ENOMEM, "kallsyms: out of memory");
	return 0;
}

static void kcur_release(struct kcur *c)
{
	free(c->buf);
	c->buf = NULL;
}

/*
 * Makes [addr, addr + n) available (n <= KS_CHUNK) and points *p at it.  A
 * chunk read that fails (it may run past the readable end of the table) is
 * retried up to the end of the page holding the last needed byte.
 */
static int kcur_get(struct kcur *c, uint64_t addr, size_t n, const uint8_t **p, struct sf_err *err)
{
	uint64_t need_end, short_end;
	int rc;

	if (addr >= c->start && addr - c->start <= c->len && c->len - (addr - c->start) >= n) {
		*p = c->buf + (addr - c->start);
		return 0;
	}
	if (add_overflows_u64(addr, n, &need_end))
		return sf_err_set(err, SF_ERANGE, "%s: address 0x%llx + %zu wraps", c->what, (unsigned long long)addr, n);
	c->len = 0;
	c->start = addr;
	if (c->rd(c->arg, addr, c->buf, KS_CHUNK, c->what, err) == 0) {
		c->len = KS_CHUNK;
	} else {
		short_end = (need_end + KS_PAGE - 1) & ~(uint64_t)(KS_PAGE - 1);
		if (short_end < need_end)
			short_end = need_end;
		rc = c->rd(c->arg, addr, c->buf, short_end - addr, c->what, err);
		if (rc < 0)
			return rc;
		c->len = short_end - addr;
	}
	*p = c->buf;
	return 0;
}

/* Reads len bytes (any size) in chunks into dst. */
static int read_array(kallsyms_read_fn rd, void *arg, uint64_t addr, uint8_t *dst, size_t len, const char *what,
		      struct sf_err *err)
{
	for (size_t done = 0; done < len;) {
		size_t n = len - done < KS_CHUNK ? len - done : KS_CHUNK;
		int rc = rd(arg, addr + done, dst + done, n, what, err);

		if (rc < 0)
			return rc;
		done += n;
	}
	return 0;
}

const char *kallsyms_encoding_name(enum kallsyms_encoding e)
{
	switch (e) {
	case KALLSYMS_ENC_ABSOLUTE: return "absolute";
	case KALLSYMS_ENC_BASE_RELATIVE: return "base-relative";
	case KALLSYMS_ENC_ABS_PERCPU: return "base-relative, absolute per-cpu";
	case KALLSYMS_ENC_PLACE_RELATIVE: return "place-relative";
	default: return "none";
	}
}

struct ks_state {
	const struct kallsyms_tables *t;
	uint32_t num;
	uint8_t *offs;		/* num entries of 4 (offsets) or ptr_size (addresses) bytes */
	uint64_t relbase;
	bool have_relbase;
};

static uint64_t sym_addr(const struct ks_state *s, enum kallsyms_encoding e, uint32_t i)
{
	const struct kallsyms_tables *t = s->t;
	bool be = t->big_endian;
	int32_t off;

	if (e == KALLSYMS_ENC_ABSOLUTE)
		return t->ptr_size == 8 ? ld64(s->offs + (size_t)i * 8, be) : ld32(s->offs + (size_t)i * 4, be);
	off = (int32_t)ld32(s->offs + (size_t)i * 4, be);
	switch (e) {
	case KALLSYMS_ENC_BASE_RELATIVE:
		return s->relbase + (uint32_t)off;
	case KALLSYMS_ENC_ABS_PERCPU:
		if (off >= 0)
			return (uint64_t)off;
		return s->relbase - 1 - (uint64_t)(int64_t)off;
	case KALLSYMS_ENC_PLACE_RELATIVE:
		return t->offsets + (uint64_t)i * 4 + (uint64_t)(int64_t)off;
	default:
		return 0;
	}
}

static uint64_t mask_ptr(const struct kallsyms_tables *t, uint64_t a)
{
	return t->ptr_size == 4 ? (uint32_t)a : a;
}

/*
 * The lowest table address above addr (UINT64_MAX if none): a table cannot
 * run into the next one, which bounds the work a corrupt count can cause.
 */
static uint64_t next_table(const struct kallsyms_tables *t, uint64_t addr)
{
	const uint64_t all[] = { t->names, t->num_syms, t->token_table, t->token_index, t->offsets,
				 t->relative_base, t->addresses, t->markers };
	uint64_t lim = UINT64_MAX;

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i] > addr && all[i] < lim)
			lim = all[i];
	return lim;
}

struct tokens {
	char text[256][KS_TOKEN_MAX + 1];
	uint16_t len[256];
};

static int read_tokens(const struct kallsyms_tables *t, kallsyms_read_fn rd, void *arg, struct tokens *tk,
		       struct sf_err *err)
{
	uint64_t lim = next_table(t, t->token_table);
	uint64_t tsize = lim == UINT64_MAX ? UINT64_MAX : lim - t->token_table;
	uint8_t idx[512];
	struct kcur c;
	int rc;

	rc = rd(arg, t->token_index, idx, sizeof(idx), "kallsyms_token_index", err);
	if (rc < 0)
		return rc;
	rc = kcur_init(&c, rd, arg, "kallsyms_token_table", err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 256; i++) {
		uint16_t o = ld16(idx + 2 * i, t->big_endian);
		const uint8_t *p;
		size_t n = 0;

		/* The table ends where the next one starts (both orders scripts/kallsyms.c has used). */
		if (o >= tsize) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_token_index: token %d at offset %u is past the end "
					"of kallsyms_token_table (%llu bytes up to the next table)", i, o,
					(unsigned long long)tsize);
			goto out;
		}
		/* Read byte by byte through the window: tokens are short, the window is big. */
		for (;;) {
			if (o + n >= tsize) {
				rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_token_table: token %d at offset %u runs past "
						"the end of the table (%llu bytes up to the next table)", i, o,
						(unsigned long long)tsize);
				goto out;
			}
			rc = kcur_get(&c, t->token_table + o + n, 1, &p, err);
			if (rc < 0) {
				sf_err_prefix(err, "kallsyms: token %d at offset %u", i, o);
				goto out;
			}
			if (!*p)
				break;
			if (n == KS_TOKEN_MAX) {
				rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_token_table: token %d at offset %u is not "
						"NUL-terminated within %d bytes", i, o, KS_TOKEN_MAX);
				goto out;
			}
			tk->text[i][n++] = (char)*p;
		}
		tk->text[i][n] = '\0';
		tk->len[i] = (uint16_t)n;
	}
out:
	kcur_release(&c);
	return rc;
}

static bool valid_type(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '?';
}

/* Symbol names are printable ASCII without blanks (C, assembler and Rust v0 mangling). */
static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return false;
	return true;
}

/* Decoded names: NUL-terminated "Tname" strings back to back, with their starts. */
struct names {
	char *text;
	size_t len, cap;
	uint32_t *start;	/* num entries */
};

static int read_names(const struct kallsyms_tables *t, kallsyms_read_fn rd, void *arg, uint32_t num,
		      const struct tokens *tk, struct names *nm, struct sf_err *err)
{
	uint64_t limit = next_table(t, t->names);
	uint64_t pos = t->names;
	struct kcur c;
	char name[KALLSYMS_NAME_MAX + 1];
	int rc;

	nm->start = malloc((size_t)num * sizeof(*nm->start));
	/* Grown as names decode: num is only checked against a cap so far. */
	nm->cap = (size_t)num * 24 + 64 < (1u << 20) ? (size_t)num * 24 + 64 : (1u << 20);
	nm->text = malloc(nm->cap);
	if (!nm->start || !nm->text)
		return sf_err_set(err, SF_ENOMEM, "kallsyms: out of memory for %u names", num);
	rc = kcur_init(&c, rd, arg, "kallsyms_names", err);
	if (rc < 0)
		return rc;
	for (uint32_t i = 0; i < num; i++) {
		const uint8_t *p;
		size_t clen, n = 0;

		rc = kcur_get(&c, pos, 1, &p, err);
		if (rc < 0)
			goto bad;
		clen = p[0];
		if (clen & 0x80) {
			/* 6.1+: two-byte length, low 7 bits first. */
			rc = kcur_get(&c, pos + 1, 1, &p, err);
			if (rc < 0)
				goto bad;
			clen = (clen & 0x7f) | (size_t)p[0] << 7;
			pos += 2;
		} else {
			pos += 1;
		}
		if (clen == 0 || clen > KALLSYMS_NAME_MAX) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_names: symbol %u at 0x%llx has compressed length %zu "
					"(expected 1..%d)", i, (unsigned long long)pos, clen, KALLSYMS_NAME_MAX);
			goto out;
		}
		if (pos + clen > limit) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_names: symbol %u of %u at 0x%llx runs into the next "
					"table at 0x%llx (kallsyms_num_syms too big?)", i, num, (unsigned long long)pos,
					(unsigned long long)limit);
			goto out;
		}
		rc = kcur_get(&c, pos, clen, &p, err);
		if (rc < 0)
			goto bad;
		for (size_t j = 0; j < clen; j++) {
			uint8_t tok = p[j];

			if (n + tk->len[tok] > KALLSYMS_NAME_MAX) {
				rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_names: symbol %u at 0x%llx expands past %d bytes",
						i, (unsigned long long)pos, KALLSYMS_NAME_MAX);
				goto out;
			}
			memcpy(name + n, tk->text[tok], tk->len[tok]);
			n += tk->len[tok];
		}
		name[n] = '\0';
		pos += clen;
		if (n < 2 || !valid_type(name[0]) || !printable(name + 1, n - 1)) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_names: symbol %u at 0x%llx expands to an invalid "
					"name \"%.40s\" (expected a type letter and a name)", i,
					(unsigned long long)(pos - clen), name);
			goto out;
		}
		if (nm->len + n + 1 > nm->cap) {
			size_t ncap = nm->cap * 2;
			char *x;

			while (ncap < nm->len + n + 1)
				ncap *= 2;
			x = realloc(nm->text, ncap);
			if (!x) {
				rc = sf_err_set(err, SF_ENOMEM, "kallsyms: out of memory for names");
				goto out;
			}
			nm->text = x;
			nm->cap = ncap;
		}
		nm->start[i] = (uint32_t)nm->len;
		memcpy(nm->text + nm->len, name, n + 1);
		nm->len += n + 1;
		if (nm->len > UINT32_MAX - KALLSYMS_NAME_MAX - 2) {
			rc = sf_err_set(err, SF_ENOMEM, "kallsyms: names above 4 GiB");
			goto out;
		}
	}
	rc = 0;
	goto out;
bad:
	sf_err_prefix(err, "kallsyms_names");
out:
	kcur_release(&c);
	return rc;
}

int kallsyms_decode(const struct kallsyms_tables *t, kallsyms_read_fn rd, void *arg,
		    struct symtab *st, enum kallsyms_encoding *enc, struct sf_err *err)
{
	struct ks_state s = { .t = t };
	struct tokens *tk = NULL;
	struct names nm = { 0 };
	enum kallsyms_encoding cand[4], chosen = KALLSYMS_ENC_NONE;
	int ncand = 0, rc;
	uint8_t b[8];
	size_t esize;
	int64_t stext_idx = -1;
	char tried[400] = "";

	*enc = KALLSYMS_ENC_NONE;
	if (t->ptr_size != 4 && t->ptr_size != 8)
		return sf_err_set(err, SF_EINVAL, "kallsyms: pointer size %u", t->ptr_size);
	if (!t->names || !t->num_syms || !t->token_table || !t->token_index || (!t->offsets && !t->addresses))
		return sf_err_set(err, SF_ENOTFOUND, "kallsyms: tables incomplete (need names, num_syms, token_table, "
				  "token_index, and offsets or addresses)");
	rc = rd(arg, t->num_syms, b, 4, "kallsyms_num_syms", err);
	if (rc < 0)
		return rc;
	s.num = ld32(b, t->big_endian);
	if (s.num == 0 || s.num > KALLSYMS_MAX_SYMS)
		return sf_err_set(err, SF_ECORRUPT, "kallsyms_num_syms at 0x%llx is %u (expected 1..%u)",
				  (unsigned long long)t->num_syms, s.num, KALLSYMS_MAX_SYMS);
	if (t->relative_base) {
		rc = rd(arg, t->relative_base, b, t->ptr_size, "kallsyms_relative_base", err);
		if (rc < 0)
			return rc;
		s.relbase = t->ptr_size == 8 ? ld64(b, t->big_endian) : ld32(b, t->big_endian);
		s.have_relbase = true;
	}
	if (t->offsets) {
		if (s.have_relbase) {
			cand[ncand++] = KALLSYMS_ENC_ABS_PERCPU;
			cand[ncand++] = KALLSYMS_ENC_BASE_RELATIVE;
		}
		cand[ncand++] = KALLSYMS_ENC_PLACE_RELATIVE;
		esize = 4;
	} else {
		cand[ncand++] = KALLSYMS_ENC_ABSOLUTE;
		esize = t->ptr_size;
	}
	{
		uint64_t arr = t->offsets ? t->offsets : t->addresses, lim = next_table(t, arr);

		if (lim != UINT64_MAX && (lim - arr) / esize < s.num) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms_num_syms %u: the %s table at 0x%llx would run into "
					"the next table at 0x%llx", s.num, t->offsets ? "kallsyms_offsets" : "kallsyms_addresses",
					(unsigned long long)arr, (unsigned long long)lim);
			goto out;
		}
	}
	s.offs = malloc((size_t)s.num * esize);
	tk = malloc(sizeof(*tk));
	if (!s.offs || !tk) {
		rc = sf_err_set(err, SF_ENOMEM, "kallsyms: out of memory for %u symbols", s.num);
		goto out;
	}
	rc = read_array(rd, arg, t->offsets ? t->offsets : t->addresses, s.offs, (size_t)s.num * esize,
			t->offsets ? "kallsyms_offsets" : "kallsyms_addresses", err);
	if (rc < 0)
		goto out;
	rc = read_tokens(t, rd, arg, tk, err);
	if (rc < 0)
		goto out;
	rc = read_names(t, rd, arg, s.num, tk, &nm, err);
	if (rc < 0)
		goto out;
	for (uint32_t i = 0; i < s.num && stext_idx < 0; i++)
		if (!strcmp(nm.text + nm.start[i] + 1, "_stext"))
			stext_idx = i;
	if (t->stext && stext_idx >= 0) {
		for (int c = 0; c < ncand && chosen == KALLSYMS_ENC_NONE; c++) {
			uint64_t a = mask_ptr(t, sym_addr(&s, cand[c], (uint32_t)stext_idx));
			size_t l = strlen(tried);

			if (a == t->stext)
				chosen = cand[c];
			else
				snprintf(tried + l, sizeof(tried) - l, "%s%s gives 0x%llx", l ? ", " : "",
					 kallsyms_encoding_name(cand[c]), (unsigned long long)a);
		}
		if (chosen == KALLSYMS_ENC_NONE) {
			rc = sf_err_set(err, SF_ECORRUPT, "kallsyms: no address encoding reproduces SYMBOL(_stext)=0x%llx "
					"(%s)", (unsigned long long)t->stext, tried);
			goto out;
		}
	} else if (t->stext) {
		rc = sf_err_set(err, SF_ECORRUPT, "kallsyms: %u symbols decoded but none is named _stext", s.num);
		goto out;
	} else {
		/* Unverified: the caller labels the result. */
		chosen = cand[0];
	}
	for (uint32_t i = 0; i < s.num; i++) {
		const char *n = nm.text + nm.start[i];

		rc = symtab_add(st, n + 1, mask_ptr(t, sym_addr(&s, chosen, i)), n[0], NULL, err);
		if (rc < 0) {
			sf_err_prefix(err, "kallsyms: symbol %u", i);
			goto out;
		}
	}
	*enc = chosen;
	rc = 0;
out:
	free(s.offs);
	free(tk);
	free(nm.text);
	free(nm.start);
	return rc;
}
