// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The slim BTF of mini.core's kernel note: only the types, members,
 * enumerators and DATASEC entries that the analysis looked up (the use
 * marks of btf.c), written as a raw little-endian BTF blob that btf__new()
 * loads like any other.  Every lookup made on the full BTF gives the same
 * answer on the slim one:
 *
 *   - types keep their original order (find_named() lets the first of two
 *     same-named types win, ktypes_enum_foreach() walks in id order);
 *   - structs and unions keep their name, size, kflag and, for each kept
 *     member, the raw offset word (bit offset, bitfield width);
 *   - a member's type is its type with typedefs and modifiers skipped
 *     (what resolve_path() looks at), so `const unsigned int` becomes the
 *     int; ints keep their encoding word (old-style bitfields live there);
 *   - a struct reached only as a member type keeps its size and no members;
 *   - pointers point at void: nothing follows them, and their size comes
 *     from the pointer size libbpf guesses from the "long" ints, which are
 *     always kept;
 *   - DATASEC keeps the used variables (per-CPU offsets, arm64).
 *
 * A lookup that failed on the full BTF fails on the slim one too, because
 * the slim BTF is a subset.
 */
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/strbuf.h"

/* Binary output is built in struct strbuf (strbuf_grow_bytes). */
#define sb_grow strbuf_grow_bytes

static void put32(struct strbuf *b, uint32_t v)
{
	uint8_t *p = sb_grow(b, 4);

	if (p)
		st_le32(p, v);
}

/* Adds a string to the string section; returns its offset (0 for "" or NULL). */
static uint32_t put_str(struct strbuf *strs, const char *s)
{
	size_t n;
	uint8_t *p;

	if (!s || !*s)
		return 0;
	n = strlen(s) + 1;
	p = sb_grow(strs, n);
	if (!p)
		return 0;
	memcpy(p, s, n);
	return (uint32_t)(strs->len - n);
}

/* Typedefs, modifiers and type tags skipped (as resolve_path() does); 0 if the chain is bad. */
static uint32_t skip_mods(const struct btf *btf, uint32_t id)
{
	for (int depth = 0; depth < 32; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return 0;
		if (!(btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)))
			return id;
		id = t->type;
	}
	return 0;
}

static bool is_long_name(const char *n)
{
	return n && (!strcmp(n, "long") || !strcmp(n, "long int") || !strcmp(n, "unsigned long") ||
		     !strcmp(n, "long unsigned int"));
}

static uint32_t info_word(const struct btf_type *t, uint32_t vlen)
{
	return (t->info & ~0xffffu) | (vlen & 0xffffu);
}

int ktypes_slim_btf(const struct ktypes *kt, uint8_t **ret, size_t *len, struct sf_err *err)
{
	const struct btf *btf = ktypes_btf(kt);
	uint32_t n = btf__type_cnt(btf), *newid = NULL, *work = NULL, nwork = 0, next = 1;
	uint8_t *need = NULL;
	struct strbuf types = { 0 }, strs = { 0 }, out = { 0 };
	int rc = 0;

	*ret = NULL;
	*len = 0;
	need = calloc(n ? n : 1, 1);
	newid = calloc(n ? n : 1, sizeof(*newid));
	work = calloc(n ? n : 1, sizeof(*work));
	if (!need || !newid || !work) {
		rc = sf_err_set(err, SF_ENOMEM, "slim BTF: out of memory for %u types", n);
		goto out;
	}
#define NEED(x)                                              \
	do {                                                 \
		uint32_t x_ = (x);                           \
		if (x_ && x_ < n && !need[x_]) {             \
			need[x_] = 1;                        \
			work[nwork++] = x_;                  \
		}                                            \
	} while (0)
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (ktypes_type_used(kt, id) || (btf_is_int(t) && is_long_name(btf__name_by_offset(btf, t->name_off))))
			NEED(id);
	}
	/* the closure: what the kept types refer to */
	while (nwork) {
		uint32_t id = work[--nwork];
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)) {
			NEED(t->type);
		} else if (btf_is_array(t)) {
			NEED(skip_mods(btf, btf_array(t)->type));
			NEED(btf_array(t)->index_type);
		} else if (btf_is_composite(t)) {
			const struct btf_member *m = btf_members(t);

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				if (ktypes_entry_used(kt, id, i))
					NEED(skip_mods(btf, m[i].type));
		} else if (btf_is_var(t)) {
			NEED(skip_mods(btf, t->type));
		} else if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *vs = btf_var_secinfos(t);

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				if (ktypes_entry_used(kt, id, i))
					NEED(vs[i].type);
		}
	}
#undef NEED
	for (uint32_t id = 1; id < n; id++)
		if (need[id]) {
			const struct btf_type *t = btf__type_by_id(btf, id);

			/* functions and tags are never looked up */
			if (btf_is_func(t) || btf_is_decl_tag(t)) {
				need[id] = 0;
				continue;
			}
			newid[id] = next++;
		}
	if (sb_grow(&strs, 1))
		strs.buf[0] = 0;	/* offset 0 is "" */
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		uint32_t name;

		if (!need[id])
			continue;
		name = put_str(&strs, btf__name_by_offset(btf, t->name_off));
		if (btf_is_int(t)) {
			put32(&types, name);
			put32(&types, t->info);
			put32(&types, t->size);
			put32(&types, btf_int_encoding(t) << 24 | btf_int_offset(t) << 16 | btf_int_bits(t));
		} else if (btf_is_ptr(t)) {
			put32(&types, 0);
			put32(&types, info_word(t, 0));
			put32(&types, 0);
		} else if (btf_is_array(t)) {
			const struct btf_array *a = btf_array(t);

			put32(&types, 0);
			put32(&types, info_word(t, 0));
			put32(&types, 0);
			put32(&types, newid[skip_mods(btf, a->type)]);
			put32(&types, newid[a->index_type]);
			put32(&types, a->nelems);
		} else if (btf_is_composite(t)) {
			const struct btf_member *m = btf_members(t);
			uint32_t kept = 0;

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				kept += ktypes_entry_used(kt, id, i) && newid[skip_mods(btf, m[i].type)];
			put32(&types, name);
			put32(&types, info_word(t, kept));
			put32(&types, t->size);
			for (uint32_t i = 0; i < btf_vlen(t); i++) {
				uint32_t ty = newid[skip_mods(btf, m[i].type)];

				if (!ktypes_entry_used(kt, id, i) || !ty)
					continue;
				put32(&types, put_str(&strs, btf__name_by_offset(btf, m[i].name_off)));
				put32(&types, ty);
				put32(&types, m[i].offset);
			}
		} else if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);
			uint32_t kept = 0;

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				kept += ktypes_entry_used(kt, id, i);
			put32(&types, name);
			put32(&types, info_word(t, kept));
			put32(&types, t->size);
			for (uint32_t i = 0; i < btf_vlen(t); i++) {
				if (!ktypes_entry_used(kt, id, i))
					continue;
				put32(&types, put_str(&strs, btf__name_by_offset(btf, e[i].name_off)));
				put32(&types, (uint32_t)e[i].val);
			}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);
			uint32_t kept = 0;

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				kept += ktypes_entry_used(kt, id, i);
			put32(&types, name);
			put32(&types, info_word(t, kept));
			put32(&types, t->size);
			for (uint32_t i = 0; i < btf_vlen(t); i++) {
				if (!ktypes_entry_used(kt, id, i))
					continue;
				put32(&types, put_str(&strs, btf__name_by_offset(btf, e[i].name_off)));
				put32(&types, e[i].val_lo32);
				put32(&types, e[i].val_hi32);
			}
		} else if (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)) {
			put32(&types, name);
			put32(&types, info_word(t, 0));
			put32(&types, newid[t->type]);
		} else if (btf_is_var(t)) {
			put32(&types, name);
			put32(&types, info_word(t, 0));
			put32(&types, newid[skip_mods(btf, t->type)]);
			put32(&types, btf_var(t)->linkage);
		} else if (btf_is_datasec(t)) {
			const struct btf_var_secinfo *vs = btf_var_secinfos(t);
			uint32_t kept = 0;

			for (uint32_t i = 0; i < btf_vlen(t); i++)
				kept += ktypes_entry_used(kt, id, i) && newid[vs[i].type];
			put32(&types, name);
			put32(&types, info_word(t, kept));
			put32(&types, t->size);
			for (uint32_t i = 0; i < btf_vlen(t); i++) {
				if (!ktypes_entry_used(kt, id, i) || !newid[vs[i].type])
					continue;
				put32(&types, newid[vs[i].type]);
				put32(&types, vs[i].offset);
				put32(&types, vs[i].size);
			}
		} else if (btf_is_func_proto(t)) {
			/* reached only through a typedef: kept without parameters */
			put32(&types, 0);
			put32(&types, info_word(t, 0));
			put32(&types, 0);
		} else {
			/* FWD, FLOAT: no trailing data */
			put32(&types, name);
			put32(&types, t->info);
			put32(&types, t->size);
		}
	}
	if (types.overflow || strs.overflow) {
		rc = sf_err_set(err, SF_ENOMEM, "slim BTF: out of memory");
		goto out;
	}
	{
		uint8_t *h = sb_grow(&out, 24 + types.len + strs.len);

		if (!h) {
			rc = sf_err_set(err, SF_ENOMEM, "slim BTF: out of memory");
			goto out;
		}
		st_le16(h, 0xeb9f);
		h[2] = 1;
		h[3] = 0;
		st_le32(h + 4, 24);
		st_le32(h + 8, 0);
		st_le32(h + 12, (uint32_t)types.len);
		st_le32(h + 16, (uint32_t)types.len);
		st_le32(h + 20, (uint32_t)strs.len);
		if (types.len)
			memcpy(h + 24, types.buf, types.len);
		memcpy(h + 24 + types.len, strs.buf, strs.len);
	}
	*ret = (uint8_t *)out.buf;
	*len = out.len;
	out.buf = NULL;
out:
	free(need);
	free(newid);
	free(work);
	strbuf_release(&types);
	strbuf_release(&strs);
	strbuf_release(&out);
	return rc;
}
