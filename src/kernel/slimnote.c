// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mini.core's kernel description note (format in include/skbfilter/slimnote.h).
 *
 * Writer: the symbols the analysis looked up or resolved (symtab use marks)
 * and a slim BTF of the types and members it asked for (btf_slim.c), so
 * that the mini.core needs neither the kernel's BTF pages nor its kallsyms
 * pages (1.5 k pages, ~2.5 MB compressed, on a Debian 6.1 kernel).
 *
 * Reader: kernel_open() takes symbols and types from the note when the user
 * gave no -m/-x/--btf.  Re-analysis asks the same questions in the same
 * order, and every answer on the reduced tables is the answer the full
 * tables gave (see symtab_resolve() and btf_slim.c for why).  Module
 * symbols are added where the original run loaded them from memory
 * (kernel_open, or the module-list search of modfind.c, replayed through
 * the MODSEARCH section).
 *
 * The descriptor is hostile input: every length is checked against what is
 * left, counts and the body size are capped before any allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kernel/ktypes_int.h"
#include "kernel/syms_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/dump.h"
#include "kernel/kernel_int.h"
#include "skbfilter/kernel.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/symbols.h"

#define HDR_LEN 32
#define SLIM_NAME_MAX 4095

/* The note is built in struct strbuf (strbuf_grow_bytes: zeroed bytes). */
#define nb_grow strbuf_grow_bytes

static void nb_pad8(struct strbuf *b)
{
	if (b->len % 8)
		nb_grow(b, 8 - b->len % 8);
}

/* Starts a section; returns the offset of its length field. */
static size_t sec_begin(struct strbuf *b, uint32_t tag)
{
	uint8_t *p = nb_grow(b, 16);

	if (p)
		st_le32(p, tag);
	return b->len - 8;
}

static void sec_end(struct strbuf *b, size_t lenoff)
{
	if (!b->overflow)
		st_le64((uint8_t *)b->buf + lenoff, b->len - lenoff - 8);
	nb_pad8(b);
}

static bool is_modsearch_head(const struct kernel *k, const struct sym_hit *h)
{
	return k->modules_found_near && !h->module && h->addr == k->modules_found_head && !strcmp(h->name, "modules");
}

int slimnote_build(struct kernel *k, bool be, uint8_t **ret, size_t *len, struct slimnote_stats *stats,
		   struct sf_err *err)
{
	struct strbuf body = { 0 }, out = { 0 };
	uint8_t *btf = NULL, *p;
	uint64_t v;
	size_t btf_len = 0, lenoff;
	uLongf clen;
	int rc = 0;

	*ret = NULL;
	*len = 0;
	memset(stats, 0, sizeof(*stats));
	if (k->types) {
		rc = ktypes_slim_btf(k->types, &btf, &btf_len, err);
		if (rc < 0)
			goto out;
		lenoff = sec_begin(&body, SLIMNOTE_SEC_BTF);
		p = nb_grow(&body, btf_len);
		if (p)
			memcpy(p, btf, btf_len);
		sec_end(&body, lenoff);
		stats->btf_bytes = btf_len;
		{
			struct ktypes *kt = NULL;
			struct sf_err e2 = { 0 };

			/* check that it loads, and count its types */
			if (ktypes_load_raw(btf, btf_len, "slim BTF", &kt, &e2) < 0) {
				rc = sf_err_set(err, SF_EINVAL, "kernel note: the slim BTF does not load: %s", e2.msg);
				goto out;
			}
			stats->btf_types = (uint32_t)ktypes_type_count(kt);
			ktypes_destroy(kt);
		}
	}
	if (k->syms) {
		size_t n = symtab_count(k->syms), count = 0, cntoff;

		lenoff = sec_begin(&body, SLIMNOTE_SEC_SYMS);
		cntoff = body.len;
		nb_grow(&body, 8);
		for (size_t i = 0; i < n; i++) {
			struct sym_hit h;
			size_t nl, ml;

			if (!symtab_used(k->syms, i) || symtab_get(k->syms, i, &h) != 0 || is_modsearch_head(k, &h))
				continue;
			nl = strnlen(h.name, SLIM_NAME_MAX + 1);
			ml = h.module ? strnlen(h.module, SLIM_NAME_MAX + 1) : 0;
			if (!nl || nl > SLIM_NAME_MAX || ml > SLIM_NAME_MAX)
				continue;
			p = nb_grow(&body, 16 + nl + ml);
			if (!p)
				break;
			st_le64(p, h.addr);
			p[8] = (uint8_t)h.type;
			p[9] = h.module ? 1 : 0;
			st_le16(p + 10, (uint16_t)nl);
			st_le16(p + 12, (uint16_t)ml);
			memcpy(p + 16, h.name, nl);
			if (ml)
				memcpy(p + 16 + nl, h.module, ml);
			nb_pad8(&body);
			count++;
			stats->syms++;
			stats->module_syms += h.module != NULL;
		}
		if (!body.overflow)
			st_le32((uint8_t *)body.buf + cntoff, (uint32_t)count);
		sec_end(&body, lenoff);
	}
	if (k->modules_found_near) {
		lenoff = sec_begin(&body, SLIMNOTE_SEC_MODSEARCH);
		p = nb_grow(&body, 16);
		if (p) {
			st_le64(p, k->modules_found_near);
			st_le64(p + 8, k->modules_found_head);
		}
		sec_end(&body, lenoff);
	}
	/* the per-CPU bases, and __per_cpu_offset[] when known (kernel_percpu_*: percpu.c's state) */
	if (kernel_percpu_base(k, 0, &v) == 0 && kernel_nr_cpus(k) <= (int)SLIMNOTE_MAX_CPUS) {
		uint32_t nr = (uint32_t)kernel_nr_cpus(k);
		bool offs = kernel_percpu_offset(k, 0, &v) == 0;

		lenoff = sec_begin(&body, SLIMNOTE_SEC_PERCPU);
		p = nb_grow(&body, 8 + (size_t)nr * 8 * (offs ? 2 : 1));
		if (p) {
			st_le32(p, nr);
			st_le32(p + 4, offs ? 1 : 0);
			for (uint32_t i = 0; i < nr; i++) {
				v = 0;
				kernel_percpu_base(k, (int)i, &v);
				st_le64(p + 8 + 8 * i, v);
				if (offs && kernel_percpu_offset(k, (int)i, &v) == 0)
					st_le64(p + 8 + 8 * (nr + i), v);
			}
			stats->percpu_cpus = nr;
		}
		sec_end(&body, lenoff);
	}
	if (!body.len && !body.overflow)
		goto out;	/* nothing was used: no note */
	if (body.overflow || body.len > SLIMNOTE_MAX_RAW) {
		rc = sf_err_set(err, SF_ENOMEM, "kernel note: %zu bytes (out of memory or above the cap)", body.len);
		goto out;
	}
	stats->raw_len = body.len;
	/* ELF note: namesz, descsz, type, "SKBFILTER\0" padded to 12, descriptor padded to 4 */
	clen = compressBound(body.len);
	p = nb_grow(&out, 12 + 12 + HDR_LEN + clen);
	if (!p) {
		rc = sf_err_set(err, SF_ENOMEM, "kernel note: out of memory");
		goto out;
	}
	if (compress2(p + 24 + HDR_LEN, &clen, (const Bytef *)body.buf, body.len, 9) != Z_OK) {
		rc = sf_err_set(err, SF_EIO, "kernel note: zlib compress2 failed");
		goto out;
	}
	out.len = 24 + HDR_LEN + clen;
	memcpy(p + 24, "SKBFSLIM", 8);
	st_le32(p + 24 + 8, SLIMNOTE_VERSION);
	st_le32(p + 24 + 12, 1);
	st_le64(p + 24 + 16, body.len);
	st_le64(p + 24 + 24, clen);
	(be ? st_be32 : st_le32)(p, sizeof(SLIMNOTE_NAME));
	(be ? st_be32 : st_le32)(p + 4, (uint32_t)(HDR_LEN + clen));
	(be ? st_be32 : st_le32)(p + 8, SLIMNOTE_TYPE);
	memcpy(p + 12, SLIMNOTE_NAME, sizeof(SLIMNOTE_NAME));
	while (out.len % 4)
		if (!nb_grow(&out, 1))
			break;
	if (out.overflow) {
		rc = sf_err_set(err, SF_ENOMEM, "kernel note: out of memory");
		goto out;
	}
	stats->note_bytes = out.len;
	*ret = (uint8_t *)out.buf;
	*len = out.len;
	out.buf = NULL;
out:
	free(btf);
	strbuf_release(&body);
	strbuf_release(&out);
	return rc;
}

void slimnote_destroy(struct slimnote *n)
{
	if (!n)
		return;
	free(n->body);
	free(n->syms);
	free(n->arena);
	free(n);
}

static int parse_syms(struct slimnote *n, const uint8_t *p, uint64_t len, uint64_t at, struct sf_err *err)
{
	uint32_t count;
	uint64_t o = 8, arena_len = 0;
	char *a;

	if (len < 8)
		return sf_err_set(err, SF_ETRUNC, "kernel note: SYMS section at body offset %llu: %llu bytes, expected >= 8",
				  (unsigned long long)at, (unsigned long long)len);
	count = ld_le32(p);
	/* each record takes at least 16 bytes: the count cannot exceed what is there */
	if (count > SLIMNOTE_MAX_SYMS || count > (len - 8) / 16)
		return sf_err_set(err, SF_ECORRUPT, "kernel note: SYMS count %u at body offset %llu does not fit its %llu bytes",
				  count, (unsigned long long)at, (unsigned long long)len);
	n->syms = calloc(count ? count : 1, sizeof(*n->syms));
	n->arena = malloc(len);	/* names are shorter than the section */
	if (!n->syms || !n->arena)
		return sf_err_set(err, SF_ENOMEM, "kernel note: out of memory for %u symbols", count);
	a = n->arena;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t nl, ml;
		uint64_t rec;

		if (len - o < 16)
			return sf_err_set(err, SF_ETRUNC, "kernel note: symbol %u at body offset %llu: truncated", i,
					  (unsigned long long)(at + o));
		nl = ld_le16(p + o + 10);
		ml = ld_le16(p + o + 12);
		rec = (16 + (uint64_t)nl + ml + 7) & ~7ull;
		if (!nl || nl > SLIM_NAME_MAX || ml > SLIM_NAME_MAX || rec > len - o ||
		    memchr(p + o + 16, 0, nl + ml))
			return sf_err_set(err, SF_ECORRUPT, "kernel note: symbol %u at body offset %llu: name length %u, "
					  "module length %u, %llu bytes left", i, (unsigned long long)(at + o), nl, ml,
					  (unsigned long long)(len - o));
		n->syms[i].addr = ld_le64(p + o);
		n->syms[i].type = (char)p[o + 8];
		if (!n->syms[i].type)
			n->syms[i].type = '?';
		n->syms[i].name = a + arena_len;
		memcpy(a + arena_len, p + o + 16, nl);
		a[arena_len + nl] = 0;
		arena_len += nl + 1;
		if (ml) {
			n->syms[i].module = a + arena_len;
			memcpy(a + arena_len, p + o + 16 + nl, ml);
			a[arena_len + ml] = 0;
			arena_len += ml + 1;
			n->nmodsyms++;
		}
		o += rec;
	}
	n->nsyms = count;
	n->have_syms = true;
	return 0;
}

int slimnote_parse(const void *desc, size_t len, struct slimnote **ret, struct sf_err *err)
{
	const uint8_t *d = desc;
	struct slimnote *n = NULL;
	uint64_t raw, comp, o = 0;
	uLongf got;
	int rc = 0;

	*ret = NULL;
	if (len < HDR_LEN)
		return sf_err_set(err, SF_ETRUNC, "kernel note: %zu bytes, the header takes %d", len, HDR_LEN);
	if (memcmp(d, "SKBFSLIM", 8))
		return sf_err_set(err, SF_ECORRUPT, "kernel note: bad magic at offset 0 (expected SKBFSLIM)");
	if (ld_le32(d + 8) != SLIMNOTE_VERSION)
		return sf_err_set(err, SF_ENOTSUP, "kernel note: version %u at offset 8 (this build reads %d)",
				  ld_le32(d + 8), SLIMNOTE_VERSION);
	if (ld_le32(d + 12) != 1)
		return sf_err_set(err, SF_ENOTSUP, "kernel note: flags 0x%x at offset 12 (expected 0x1, zlib)", ld_le32(d + 12));
	raw = ld_le64(d + 16);
	comp = ld_le64(d + 24);
	if (raw > SLIMNOTE_MAX_RAW || raw == 0)
		return sf_err_set(err, SF_ECORRUPT, "kernel note: raw_len %llu at offset 16 outside 1..%u",
				  (unsigned long long)raw, SLIMNOTE_MAX_RAW);
	if (comp > len - HDR_LEN)
		return sf_err_set(err, SF_ETRUNC, "kernel note: comp_len %llu at offset 24, only %zu bytes follow",
				  (unsigned long long)comp, len - HDR_LEN);
	/* zlib cannot expand more than ~1032:1: a larger claim is a lie */
	if (raw / 1032 > comp + 1)
		return sf_err_set(err, SF_ECORRUPT, "kernel note: raw_len %llu cannot come from %llu compressed bytes",
				  (unsigned long long)raw, (unsigned long long)comp);
	n = calloc(1, sizeof(*n));
	if (!n)
		return sf_err_set(err, SF_ENOMEM, "kernel note: out of memory");
	n->version = SLIMNOTE_VERSION;
	n->body = malloc(raw);
	if (!n->body) {
		rc = sf_err_set(err, SF_ENOMEM, "kernel note: out of memory for %llu bytes", (unsigned long long)raw);
		goto fail;
	}
	got = raw;
	if (uncompress(n->body, &got, d + HDR_LEN, comp) != Z_OK || got != raw) {
		rc = sf_err_set(err, SF_ECORRUPT, "kernel note: zlib body (%llu bytes at offset %d) does not inflate to %llu bytes",
				(unsigned long long)comp, HDR_LEN, (unsigned long long)raw);
		goto fail;
	}
	n->raw_len = raw;
	n->comp_len = comp;
	while (raw - o >= 16) {
		uint32_t tag = ld_le32(n->body + o);
		uint64_t slen = ld_le64(n->body + o + 8);
		const uint8_t *s = n->body + o + 16;

		if (slen > raw - o - 16) {
			rc = sf_err_set(err, SF_ETRUNC, "kernel note: section %u at body offset %llu: length %llu, %llu bytes left",
					tag, (unsigned long long)o, (unsigned long long)slen,
					(unsigned long long)(raw - o - 16));
			goto fail;
		}
		if (tag == SLIMNOTE_SEC_BTF) {
			n->btf = s;
			n->btf_len = slen;
		} else if (tag == SLIMNOTE_SEC_SYMS) {
			if (n->have_syms) {
				rc = sf_err_set(err, SF_ECORRUPT, "kernel note: a second SYMS section at body offset %llu",
						(unsigned long long)o);
				goto fail;
			}
			rc = parse_syms(n, s, slen, o + 16, err);
			if (rc < 0)
				goto fail;
		} else if (tag == SLIMNOTE_SEC_MODSEARCH) {
			if (slen < 16) {
				rc = sf_err_set(err, SF_ETRUNC, "kernel note: MODSEARCH section at body offset %llu: %llu bytes",
						(unsigned long long)o, (unsigned long long)slen);
				goto fail;
			}
			n->modsearch = true;
			n->modsearch_near = ld_le64(s);
			n->modsearch_head = ld_le64(s + 8);
		} else if (tag == SLIMNOTE_SEC_PERCPU) {
			uint32_t nr = slen >= 8 ? ld_le32(s) : 0;
			bool offs = slen >= 8 && (ld_le32(s + 4) & 1);

			if (slen < 8 || nr == 0 || nr > SLIMNOTE_MAX_CPUS || slen < 8 + (uint64_t)nr * 8 * (offs ? 2 : 1)) {
				rc = sf_err_set(err, SF_ECORRUPT, "kernel note: PERCPU section at body offset %llu: %llu bytes "
						"for %u CPUs (1..%u)", (unsigned long long)o, (unsigned long long)slen, nr,
						SLIMNOTE_MAX_CPUS);
				goto fail;
			}
			n->percpu_nr = nr;
			n->percpu_base = s + 8;
			n->percpu_offset = offs ? s + 8 + (size_t)nr * 8 : NULL;
		}
		o += 16 + ((slen + 7) & ~7ull);
		if (o > raw)
			break;
	}
	*ret = n;
	return 0;
fail:
	slimnote_destroy(n);
	return rc;
}

const uint8_t *slimnote_find(struct dump *d, size_t *len)
{
	const struct dump_note *notes;
	size_t n = dump_get_notes(d, &notes);

	for (size_t i = 0; i < n; i++)
		if (notes[i].type == SLIMNOTE_TYPE && !strcmp(notes[i].name, SLIMNOTE_NAME)) {
			*len = notes[i].descsz;
			return notes[i].desc;
		}
	return NULL;
}

int slimnote_add_syms(const struct slimnote *n, struct symtab *st, bool modules, struct sf_err *err)
{
	for (size_t i = 0; i < n->nsyms; i++) {
		const struct slimnote_sym *s = &n->syms[i];
		int rc;

		if ((s->module != NULL) != modules)
			continue;
		rc = symtab_add(st, s->name, s->addr, s->type, s->module, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
