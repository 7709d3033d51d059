// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The symbol table: every loader (System.map, vmlinux, kallsyms, modules)
 * adds (name, address, type, module) tuples; symtab_finish() sorts them by
 * address for symtab_resolve() and builds an open-addressing hash over the
 * names for symtab_lookup().  Names live in one arena (a single growing
 * buffer of NUL-terminated strings), so a 200k-symbol kernel costs two
 * allocations plus the arrays, not 200k small ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/symbols.h"

/* A sanity cap: the biggest distribution kernels plus modules have < 1M symbols. */
#define SYMTAB_MAX_SYMS (1u << 24)
#define SYMTAB_MAX_NAME 4096

struct sym {
	uint64_t addr;
	uint32_t name;		/* offset into the arena */
	uint32_t module;	/* offset into the arena; 0 = vmlinux (arena[0] is "") */
	uint32_t seq;		/* insertion order, for stable tie-breaks */
	char type;
	/*
	 * Returned by a lookup or a resolution: mini.core's kernel note keeps
	 * these symbols (slimnote.c).  Set through a const table, like a cache.
	 */
	bool used;
};

struct symtab {
	struct sym *syms;
	size_t nsyms, cap;
	char *arena;
	size_t arena_len, arena_cap;
	uint32_t last_module;	/* arena offset of the last module name added (dedup) */
	size_t nmodules;
	uint32_t *hash;		/* nhash slots of (index + 1), 0 = empty */
	size_t nhash;
	bool finished;
	uint64_t reloc;
	uint64_t text_start, text_end;
	char source[512];
};

int symtab_create(struct symtab **ret, struct sf_err *err)
{
	struct symtab *st = calloc(1, sizeof(*st));

	if (!st)
		return sf_err_set(err, SF_ENOMEM, "symtab: out of memory");
	st->arena_cap = 1 << 16;
	st->arena = malloc(st->arena_cap);
	if (!st->arena) {
		free(st);
		return sf_err_set(err, SF_ENOMEM, "symtab: out of memory");
	}
	st->arena[0] = '\0';	/* offset 0 is the empty string: "no module" */
	st->arena_len = 1;
	snprintf(st->source, sizeof(st->source), "none");
	*ret = st;
	return 0;
}

void symtab_destroy(struct symtab *st)
{
	if (!st)
		return;
	free(st->syms);
	free(st->arena);
	free(st->hash);
	free(st);
}

static int arena_put(struct symtab *st, const char *s, uint32_t *ret, struct sf_err *err)
{
	size_t len = strnlen(s, SYMTAB_MAX_NAME);

	if (len >= SYMTAB_MAX_NAME)
		return sf_err_set(err, SF_EINVAL, "symtab: symbol name longer than %d bytes", SYMTAB_MAX_NAME);
	if (st->arena_len + len + 1 > UINT32_MAX)
		return sf_err_set(err, SF_ENOMEM, "symtab: name arena above 4 GiB");
	if (st->arena_len + len + 1 > st->arena_cap) {
		size_t ncap = st->arena_cap * 2;
		char *n;

		while (ncap < st->arena_len + len + 1)
			ncap *= 2;
		n = realloc(st->arena, ncap);
		if (!n)
			return sf_err_set(err, SF_ENOMEM, "symtab: out of memory for %zu bytes of names", ncap);
		st->arena = n;
		st->arena_cap = ncap;
	}
	memcpy(st->arena + st->arena_len, s, len);
	st->arena[st->arena_len + len] = '\0';
	*ret = (uint32_t)st->arena_len;
	st->arena_len += len + 1;
	return 0;
}

int symtab_add(struct symtab *st, const char *name, uint64_t addr, char type, const char *module, struct sf_err *err)
{
	struct sym *s;
	uint32_t noff, moff = 0;
	int rc;

	if (!name || !*name)
		return sf_err_set(err, SF_EINVAL, "symtab: empty symbol name at 0x%llx", (unsigned long long)addr);
	if (st->nsyms >= SYMTAB_MAX_SYMS)
		return sf_err_set(err, SF_ENOMEM, "symtab: more than %u symbols", SYMTAB_MAX_SYMS);
	if (st->nsyms == st->cap) {
		size_t ncap = st->cap ? st->cap * 2 : 4096;
		struct sym *n = realloc(st->syms, ncap * sizeof(*n));

		if (!n)
			return sf_err_set(err, SF_ENOMEM, "symtab: out of memory for %zu symbols", ncap);
		st->syms = n;
		st->cap = ncap;
	}
	if (module && *module) {
		/* Loaders add a module's symbols together: reuse its name. */
		if (st->last_module && !strcmp(st->arena + st->last_module, module)) {
			moff = st->last_module;
		} else {
			rc = arena_put(st, module, &moff, err);
			if (rc < 0)
				return rc;
			st->last_module = moff;
		}
	}
	rc = arena_put(st, name, &noff, err);
	if (rc < 0)
		return rc;
	s = &st->syms[st->nsyms];
	s->addr = addr;
	s->name = noff;
	s->module = moff;
	s->seq = (uint32_t)st->nsyms;
	s->type = type ? type : '?';
	s->used = false;
	st->nsyms++;
	st->finished = false;
	return 0;
}

/* Global symbols before local ones, text before data, vmlinux before modules. */
static int sym_rank(const struct sym *s)
{
	int r = 0;

	if (s->module)
		r += 8;
	if (!(s->type >= 'A' && s->type <= 'Z'))
		r += 2;
	if (s->type != 'T' && s->type != 't')
		r += 1;
	return r;
}

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	int rx, ry;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	rx = sym_rank(x);
	ry = sym_rank(y);
	if (rx != ry)
		return rx - ry;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*s) {
		h ^= (uint8_t)*s++;
		h *= 16777619u;
	}
	return h;
}

static int mod_cmp(const void *a, const void *b, void *arena)
{
	uint32_t x, y;

	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return strcmp((const char *)arena + x, (const char *)arena + y);
}

int symtab_finish(struct symtab *st, struct sf_err *err)
{
	size_t nhash = 16, i, nmod = 0;
	uint32_t prev_mod = 0;
	uint64_t a;

	if (st->nsyms)
		qsort(st->syms, st->nsyms, sizeof(*st->syms), sym_cmp);
	while (nhash < st->nsyms * 2)
		nhash *= 2;
	free(st->hash);
	st->hash = calloc(nhash, sizeof(*st->hash));
	if (!st->hash) {
		st->nhash = 0;
		return sf_err_set(err, SF_ENOMEM, "symtab: out of memory for the name index");
	}
	st->nhash = nhash;
	for (i = 0; i < st->nsyms; i++) {
		size_t slot = name_hash(st->arena + st->syms[i].name) & (nhash - 1);

		while (st->hash[slot])
			slot = (slot + 1) & (nhash - 1);
		st->hash[slot] = (uint32_t)(i + 1);
	}
	/* Distinct module names: sort the (deduplicated-on-add) name offsets by string. */
	if (st->nsyms) {
		uint32_t *mods = malloc(st->nsyms * sizeof(*mods));
		size_t n = 0;

		if (!mods)
			return sf_err_set(err, SF_ENOMEM, "symtab: out of memory");
		for (i = 0; i < st->nsyms; i++) {
			uint32_t m = st->syms[i].module;

			if (m && m != prev_mod)
				mods[n++] = m;
			prev_mod = m;
		}
		qsort_r(mods, n, sizeof(*mods), mod_cmp, st->arena);
		for (i = 0; i < n; i++)
			if (i == 0 || strcmp(st->arena + mods[i], st->arena + mods[i - 1]))
				nmod++;
		free(mods);
	}
	st->nmodules = nmod;
	st->finished = true;
	st->text_start = st->text_end = 0;
	if (symtab_lookup(st, "_stext", &a, NULL) == 0)
		st->text_start = a;
	else if (symtab_lookup(st, "_text", &a, NULL) == 0)
		st->text_start = a;
	if (symtab_lookup(st, "_etext", &a, NULL) == 0)
		st->text_end = a;
	if (st->text_end <= st->text_start)
		st->text_start = st->text_end = 0;
	return 0;
}

size_t symtab_count(const struct symtab *st)
{
	return st ? st->nsyms : 0;
}

size_t symtab_module_count(const struct symtab *st)
{
	return st ? st->nmodules : 0;
}

const char *symtab_source(const struct symtab *st)
{
	return st->source;
}

void symtab_set_source(struct symtab *st, const char *desc)
{
	snprintf(st->source, sizeof(st->source), "%s", desc ? desc : "none");
}

void symtab_set_reloc(struct symtab *st, uint64_t offset)
{
	st->reloc = offset;
}

/* Used by the file loaders (sym_sysmap.c, sym_vmlinux.c). */
uint64_t symtab_reloc(const struct symtab *st);
uint64_t symtab_reloc(const struct symtab *st)
{
	return st->reloc;
}

bool symtab_contains(const struct symtab *st, const char *name)
{
	uint64_t a;

	if (st->finished)
		return symtab_lookup(st, name, &a, NULL) == 0;
	for (size_t i = 0; i < st->nsyms; i++)
		if (!strcmp(st->arena + st->syms[i].name, name))
			return true;
	return false;
}

int symtab_lookup(const struct symtab *st, const char *name, uint64_t *addr, struct sf_err *err)
{
	const struct sym *best = NULL;
	size_t slot;

	if (!st->finished || !st->nhash) {
		if (err)
			sf_err_set(err, SF_EINVAL, "symtab: lookup of %s before symtab_finish()", name);
		return -SF_EINVAL;
	}
	slot = name_hash(name) & (st->nhash - 1);
	while (st->hash[slot]) {
		const struct sym *s = &st->syms[st->hash[slot] - 1];

		if (!strcmp(st->arena + s->name, name)) {
			int r = sym_rank(s);

			if (!best || r < sym_rank(best) || (r == sym_rank(best) && s->seq < best->seq))
				best = s;
		}
		slot = (slot + 1) & (st->nhash - 1);
	}
	if (!best) {
		if (err)
			sf_err_set(err, SF_ENOTFOUND, "symbol %s not found (symbols from %s)", name, st->source);
		return -SF_ENOTFOUND;
	}
	((struct sym *)best)->used = true;
	*addr = best->addr;
	return 0;
}

static void fill_hit(const struct symtab *st, const struct sym *s, uint64_t addr, struct sym_hit *ret)
{
	ret->name = st->arena + s->name;
	ret->module = s->module ? st->arena + s->module : NULL;
	ret->addr = s->addr;
	ret->offset = addr - s->addr;
	ret->type = s->type;
}

/* Absolute symbols (per-cpu offsets, constants) are not code or data locations. */
static bool sym_resolvable(const struct sym *s)
{
	return s->type != 'A' && s->type != 'a' && s->type != 'U' && s->type != 'u' && s->type != 'w' && s->type != 'v';
}

bool symtab_resolve(const struct symtab *st, uint64_t addr, uint64_t max_offset, struct sym_hit *ret)
{
	size_t lo = 0, hi, i;

	if (!st || !st->finished || !st->nsyms)
		return false;
	hi = st->nsyms;
	/* First index with syms[i].addr > addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	i = lo - 1;
	/* Step back over absolute symbols; then to the first (preferred) one at that address. */
	while (!sym_resolvable(&st->syms[i])) {
		if (i == 0)
			return false;
		i--;
	}
	while (i > 0 && st->syms[i - 1].addr == st->syms[i].addr && sym_resolvable(&st->syms[i - 1]))
		i--;
	if (addr - st->syms[i].addr > max_offset)
		return false;
	/*
	 * The table of used symbols answers this address the same way: the
	 * last resolvable symbol at or below it is this one in any subset
	 * holding it (absolute symbols are stepped over in both).
	 */
	st->syms[i].used = true;
	fill_hit(st, &st->syms[i], addr, ret);
	return true;
}

void symtab_text_bounds(const struct symtab *st, uint64_t *start, uint64_t *end)
{
	*start = st ? st->text_start : 0;
	*end = st ? st->text_end : 0;
}

bool symtab_used(const struct symtab *st, size_t i)
{
	return i < st->nsyms && st->syms[i].used;
}

int symtab_get(const struct symtab *st, size_t i, struct sym_hit *ret)
{
	if (i >= st->nsyms)
		return -SF_ERANGE;
	fill_hit(st, &st->syms[i], st->syms[i].addr, ret);
	return 0;
}
