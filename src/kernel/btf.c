// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel types from BTF through libbpf (<bpf/btf.h>).  libbpf validates the
 * blob (btf__new copies it); we check the header first so that a bad blob
 * gets an error naming the field, and then index what the tool asks for:
 *   - named structs/unions/typedefs -> type id (one pass at load),
 *   - every enumerator of every enum, anonymous ones included
 *     (SKB_GSO_TCPV4 lives in an anonymous enum) -> value,
 *   - resolved field paths -> struct kfield (filled on first use; the skb
 *     walker asks for the same few dozen paths for every object).
 * Member lookup descends into anonymous structs and unions: since 5.x
 * sk_buff wraps len, data_len, ... in "struct { ... }" inside a union
 * (struct_group(headers) from 5.18).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"

#define KT_CACHE_SLOTS 1024	/* field-path cache; a full cache just stops caching */
#define KT_PATH_MAX 256
#define KT_MAX_DEPTH 32		/* anonymous member nesting / modifier chains */
/*
 * Members looked at by one name lookup.  The kernel's deepest structs need a
 * few hundred; a hostile BTF whose anonymous members nest a wide struct in
 * itself would otherwise cost vlen^depth (found by fuzz_btf).
 */
#define KT_MEMBER_BUDGET 65536

struct name_ent {
	const char *name;	/* borrowed from the BTF string section */
	uint32_t id;
};

struct enum_ent {
	const char *name;
	int64_t value;
	uint32_t id;		/* the enum type */
	uint16_t idx;		/* the enumerator within it */
};

struct path_ent {
	char *path;		/* owned */
	int rc;			/* 0, or the failure (re-resolved for its message when asked) */
	struct kfield f;
};

struct kt_cache {
	struct path_ent slots[KT_CACHE_SLOTS];
	size_t used;
};

struct ktypes {
	struct btf *btf;
	char source[600];
	uint64_t mem_start, mem_end;
	bool big_endian;
	struct name_ent *names;	/* open addressing, nnames slots (power of 2) */
	size_t nnames;
	struct enum_ent *enums;
	size_t nenums;
	struct kt_cache *cache;	/* mutable behind a const ktypes */
	/*
	 * What the lookups used, for the slim BTF of mini.core's kernel note
	 * (btf_slim.c): a byte per type id, a bit per member / enumerator /
	 * DATASEC entry (mbase[id] is the first bit of type id).  Mutable
	 * behind a const ktypes like the cache.
	 */
	uint32_t ntypes;
	uint8_t *tmark;
	uint32_t *mbase;
	uint8_t *mmark;
};

static uint32_t str_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len && s[i]; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

static int silent_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static size_t pow2_at_least(size_t n)
{
	size_t s = 16;

	while (s < n)
		s *= 2;
	return s;
}

static bool is_named_kind(const struct btf_type *t)
{
	return btf_is_struct(t) || btf_is_union(t) || btf_is_typedef(t) || btf_is_int(t) ||
	       btf_is_any_enum(t) || btf_is_float(t);
}

/* Struct and union win over a typedef or base type of the same name. */
static int kind_pref(const struct btf_type *t)
{
	return (btf_is_struct(t) || btf_is_union(t)) ? 0 : 1;
}

/* Name and value of enumerator i of an ENUM or ENUM64 type. */
static const char *enumerator_at(const struct btf *btf, const struct btf_type *t, uint16_t i, int64_t *val)
{
	if (btf_is_enum(t)) {
		const struct btf_enum *e = btf_enum(t) + i;

		/* kflag: signed enum (BTF since 6.0); unsigned otherwise. */
		*val = btf_kflag(t) ? (int64_t)e->val : (int64_t)(uint32_t)e->val;
		return btf__name_by_offset(btf, e->name_off);
	}
	*val = (int64_t)btf_enum64_value(btf_enum64(t) + i);
	return btf__name_by_offset(btf, (btf_enum64(t) + i)->name_off);
}


static bool has_entries(const struct btf_type *t)
{
	return btf_is_composite(t) || btf_is_any_enum(t) || btf_is_datasec(t);
}

static int build_index(struct ktypes *kt, struct sf_err *err)
{
	uint32_t n = btf__type_cnt(kt->btf), id;
	size_t named = 0, nenum = 0, nslots;
	uint64_t nmem = 0;

	kt->ntypes = n;
	kt->tmark = calloc(n ? n : 1, 1);
	kt->mbase = calloc(n ? n : 1, sizeof(*kt->mbase));
	if (!kt->tmark || !kt->mbase)
		return sf_err_set(err, SF_ENOMEM, "BTF: out of memory for %u types", n);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(kt->btf, id);

		if (is_named_kind(t) && t->name_off)
			named++;
		if (btf_is_any_enum(t))
			nenum += btf_vlen(t);
		kt->mbase[id] = (uint32_t)nmem;
		if (has_entries(t))
			nmem += btf_vlen(t);
		if (nmem > UINT32_MAX - 65536)
			return sf_err_set(err, SF_ECORRUPT, "BTF: more than 2^32 members");
	}
	kt->mmark = calloc(nmem / 8 + 1, 1);
	if (!kt->mmark)
		return sf_err_set(err, SF_ENOMEM, "BTF: out of memory for %llu members", (unsigned long long)nmem);
	kt->nnames = pow2_at_least(named * 2);
	kt->names = calloc(kt->nnames, sizeof(*kt->names));
	nslots = pow2_at_least(nenum * 2);
	kt->enums = calloc(nslots, sizeof(*kt->enums));
	if (!kt->names || !kt->enums)
		return sf_err_set(err, SF_ENOMEM, "BTF: out of memory for the type index");
	kt->nenums = nslots;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(kt->btf, id);

		if (is_named_kind(t) && t->name_off) {
			const char *name = btf__name_by_offset(kt->btf, t->name_off);
			size_t slot;

			if (!name || !*name)
				continue;
			slot = str_hash(name, SIZE_MAX) & (kt->nnames - 1);
			while (kt->names[slot].name && strcmp(kt->names[slot].name, name))
				slot = (slot + 1) & (kt->nnames - 1);
			if (!kt->names[slot].name) {
				kt->names[slot].name = name;
				kt->names[slot].id = id;
			} else if (kind_pref(t) < kind_pref(btf__type_by_id(kt->btf, kt->names[slot].id))) {
				kt->names[slot].id = id;
			}
		}
		if (btf_is_any_enum(t)) {
			uint16_t vlen = btf_vlen(t);

			for (uint16_t i = 0; i < vlen; i++) {
				const char *name;
				int64_t v;
				size_t slot;

				name = enumerator_at(kt->btf, t, i, &v);
				if (!name || !*name)
					continue;
				slot = str_hash(name, SIZE_MAX) & (kt->nenums - 1);
				while (kt->enums[slot].name && strcmp(kt->enums[slot].name, name))
					slot = (slot + 1) & (kt->nenums - 1);
				if (!kt->enums[slot].name) {
					kt->enums[slot].name = name;
					kt->enums[slot].value = v;
					kt->enums[slot].id = id;
					kt->enums[slot].idx = i;
				}
			}
		}
	}
	return 0;
}

/* Checks struct btf_header (include/uapi/linux/btf.h) so bad input gets a precise error. */
static int check_header(const uint8_t *p, size_t len, const char *what, bool *be, struct sf_err *err)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint64_t end;

	if (len < 24)
		return sf_err_set(err, SF_ETRUNC, "%s: %zu bytes is too short for a BTF header (24 bytes)", what, len);
	if (ld_le16(p) == 0xeb9f)
		*be = false;
	else if (ld_be16(p) == 0xeb9f)
		*be = true;
	else
		return sf_err_set(err, SF_ECORRUPT, "%s: bad BTF magic at offset 0: expected 0xeb9f, found 0x%02x%02x",
				  what, p[1], p[0]);
	if (p[2] != 1)
		return sf_err_set(err, SF_ENOTSUP, "%s: BTF version %u at offset 2 (expected 1)", what, p[2]);
	hdr_len = ld32(p + 4, *be);
	type_off = ld32(p + 8, *be);
	type_len = ld32(p + 12, *be);
	str_off = ld32(p + 16, *be);
	str_len = ld32(p + 20, *be);
	if (hdr_len < 24 || hdr_len > len)
		return sf_err_set(err, SF_ECORRUPT, "%s: BTF hdr_len %u at offset 4 is outside [24, %zu]", what, hdr_len, len);
	end = (uint64_t)hdr_len + type_off + type_len;
	if (end > len)
		return sf_err_set(err, SF_ETRUNC, "%s: BTF types end at %llu (hdr_len %u + type_off %u + type_len %u), "
				  "past the %zu bytes of BTF", what, (unsigned long long)end, hdr_len, type_off, type_len, len);
	end = (uint64_t)hdr_len + str_off + str_len;
	if (end > len)
		return sf_err_set(err, SF_ETRUNC, "%s: BTF strings end at %llu (hdr_len %u + str_off %u + str_len %u), "
				  "past the %zu bytes of BTF", what, (unsigned long long)end, hdr_len, str_off, str_len, len);
	return 0;
}

/*
 * libbpf 1.1 (Debian 12) does not export btf__new_split() (it appeared in
 * the headers first); btf__parse_raw_split() takes a path, so the bytes go
 * through an anonymous memory file, never the disk.
 */
static struct btf *new_split(const void *data, size_t len, struct btf *base)
{
	char path[64];
	struct btf *b = NULL;
	int fd = memfd_create("skbfilter-btf", MFD_CLOEXEC);
	size_t done = 0;

	if (fd < 0)
		return NULL;
	while (done < len) {
		ssize_t n = write(fd, (const uint8_t *)data + done, len - done);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			goto out;
		}
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	b = btf__parse_raw_split(path, base);
	if (!b && !errno)
		errno = EINVAL;
out:
	close(fd);
	return b;
}

static int load_common(const void *data, size_t len, const char *what, const struct ktypes *base,
		       struct ktypes **ret, struct sf_err *err)
{
	struct ktypes *kt = NULL;
	bool be = false;
	int rc;

	if (!what)
		what = "BTF";
	if (len > KTYPES_MAX_BTF)
		return sf_err_set(err, SF_ENOMEM, "%s: %zu bytes of BTF is above the %u MiB cap", what, len, KTYPES_MAX_BTF >> 20);
	rc = check_header(data, len, what, &be, err);
	if (rc < 0)
		return rc;
	/* libbpf logs to stderr by default; nothing below main prints. */
	libbpf_set_print(silent_print);
	kt = calloc(1, sizeof(*kt));
	if (!kt)
		return sf_err_set(err, SF_ENOMEM, "%s: out of memory", what);
	kt->cache = calloc(1, sizeof(*kt->cache));
	if (!kt->cache) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: out of memory", what);
		goto fail;
	}
	errno = 0;
	kt->btf = base ? new_split(data, len, base->btf) : btf__new(data, (uint32_t)len);
	if (!kt->btf) {
		int e = errno ? errno : EINVAL;

		rc = sf_err_set(err, SF_ECORRUPT, "%s: libbpf rejected the %sBTF (%zu bytes): %s", what,
				base ? "split " : "", len, strerror(e));
		goto fail;
	}
	kt->big_endian = be;
	snprintf(kt->source, sizeof(kt->source), "%s", what);
	rc = build_index(kt, err);
	if (rc < 0)
		goto fail;
	*ret = kt;
	return 0;
fail:
	ktypes_destroy(kt);
	return rc;
}

int ktypes_load_raw(const void *data, size_t len, const char *what, struct ktypes **ret, struct sf_err *err)
{
	return load_common(data, len, what, NULL, ret, err);
}

int ktypes_load_split(const struct ktypes *base, const void *data, size_t len, const char *what,
		      struct ktypes **ret, struct sf_err *err)
{
	return load_common(data, len, what, base, ret, err);
}

int ktypes_load_file(const char *path, struct ktypes **ret, struct sf_err *err)
{
	char what[600];
	struct stat sb;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sf_err_errno(err, errno, "BTF file %s", path);
	if (fstat(fd, &sb) < 0) {
		rc = sf_err_errno(err, errno, "BTF file %s: stat", path);
		goto out;
	}
	/* /sys/kernel/btf/vmlinux reports a size; a pipe would not: read to the cap. */
	if ((uint64_t)sb.st_size > KTYPES_MAX_BTF) {
		rc = sf_err_set(err, SF_ENOMEM, "BTF file %s: %llu bytes is above the %u MiB cap", path,
				(unsigned long long)sb.st_size, KTYPES_MAX_BTF >> 20);
		goto out;
	}
	buf = malloc(KTYPES_MAX_BTF + 1);
	if (!buf) {
		rc = sf_err_set(err, SF_ENOMEM, "BTF file %s: out of memory", path);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + got, KTYPES_MAX_BTF + 1 - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = sf_err_errno(err, errno, "BTF file %s: read at offset %zu", path, got);
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > KTYPES_MAX_BTF) {
			rc = sf_err_set(err, SF_ENOMEM, "BTF file %s: more than %u MiB", path, KTYPES_MAX_BTF >> 20);
			goto out;
		}
	}
	snprintf(what, sizeof(what), "BTF file %s", path);
	rc = ktypes_load_raw(buf, got, what, ret, err);
out:
	free(buf);
	close(fd);
	return rc;
}

int ktypes_load_vmlinux_elf(const char *path, Elf *elf, struct ktypes **ret, struct sf_err *err)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	char what[600];
	int rc = 0;

	if (elf_getshdrstrndx(elf, &shstrndx) < 0) {
		rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: no section name table: %s", path, elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".BTF"))
			continue;
		if (sh.sh_type == SHT_NOBITS) {
			rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: .BTF section has no file data", path);
			goto out;
		}
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf) {
			rc = sf_err_set(err, SF_ECORRUPT, "vmlinux %s: cannot read .BTF (offset 0x%llx, %llu bytes): %s", path,
					(unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size, elf_errmsg(-1));
			goto out;
		}
		snprintf(what, sizeof(what), "vmlinux %s .BTF", path);
		rc = ktypes_load_raw(data->d_buf, data->d_size, what, ret, err);
		goto out;
	}
	rc = sf_err_set(err, SF_ENOTFOUND,
			"vmlinux %s has no .BTF section (kernel built without CONFIG_DEBUG_INFO_BTF): "
			"make one with \"pahole --btf_encode_detached=FILE vmlinux\" (a vmlinux with DWARF) and pass --btf FILE",
			path);
out:
	return rc;
}

void ktypes_destroy(struct ktypes *kt)
{
	if (!kt)
		return;
	if (kt->cache) {
		for (size_t i = 0; i < KT_CACHE_SLOTS; i++)
			free(kt->cache->slots[i].path);
		free(kt->cache);
	}
	btf__free(kt->btf);
	free(kt->tmark);
	free(kt->mbase);
	free(kt->mmark);
	free(kt->names);
	free(kt->enums);
	free(kt);
}

const char *ktypes_source(const struct ktypes *kt)
{
	return kt->source;
}

void ktypes_memory_range(const struct ktypes *kt, uint64_t *start, uint64_t *end)
{
	*start = kt->mem_start;
	*end = kt->mem_end;
}

void ktypes_set_memory_range(struct ktypes *kt, uint64_t start, uint64_t end, const char *source)
{
	kt->mem_start = start;
	kt->mem_end = end;
	if (source)
		snprintf(kt->source, sizeof(kt->source), "%s", source);
}

size_t ktypes_type_count(const struct ktypes *kt)
{
	return kt->ntypes ? kt->ntypes - 1 : 0;
}

struct btf *ktypes_btf(const struct ktypes *kt)
{
	return kt->btf;
}

/* --- use marks (the slim note) --- */

static void mark_type(const struct ktypes *kt, uint32_t id)
{
	if (id && id < kt->ntypes)
		kt->tmark[id] = 1;
}

static void mark_entry(const struct ktypes *kt, uint32_t id, uint32_t i)
{
	uint64_t b;

	if (!id || id >= kt->ntypes)
		return;
	b = (uint64_t)kt->mbase[id] + i;
	kt->mmark[b / 8] |= (uint8_t)(1u << (b % 8));
	kt->tmark[id] = 1;
}

bool ktypes_type_used(const struct ktypes *kt, uint32_t id)
{
	return id && id < kt->ntypes && kt->tmark[id];
}

bool ktypes_entry_used(const struct ktypes *kt, uint32_t id, uint32_t i)
{
	uint64_t b;

	if (!id || id >= kt->ntypes)
		return false;
	b = (uint64_t)kt->mbase[id] + i;
	return kt->mmark[b / 8] >> (b % 8) & 1;
}

int ktypes_datasec_raw(const struct ktypes *kt, const char *sec, const struct btf_var_secinfo **vs, int *n)
{
	struct btf *btf = kt ? kt->btf : NULL;
	const struct btf_type *st;
	int id;

	if (!btf)
		return -SF_ENOTFOUND;
	id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	if (id < 0)
		return -SF_ENOTFOUND;
	st = btf__type_by_id(btf, (uint32_t)id);
	*vs = btf_var_secinfos(st);
	*n = btf_vlen(st);
	return 0;
}

int ktypes_datasec_var_offset(const struct ktypes *kt, const char *sec, const char *var, uint64_t *ret)
{
	const struct btf_type *st;
	const struct btf_var_secinfo *vs;
	int id;

	id = btf__find_by_name_kind(kt->btf, sec, BTF_KIND_DATASEC);
	if (id <= 0)
		return -SF_ENOTFOUND;
	st = btf__type_by_id(kt->btf, (uint32_t)id);
	vs = btf_var_secinfos(st);
	for (int i = 0; i < btf_vlen(st); i++) {
		const struct btf_type *v = btf__type_by_id(kt->btf, vs[i].type);
		const char *n = v ? btf__name_by_offset(kt->btf, v->name_off) : NULL;

		if (v && btf_kind(v) == BTF_KIND_VAR && n && !strcmp(n, var)) {
			mark_entry(kt, (uint32_t)id, (uint32_t)i);
			*ret = vs[i].offset;
			return 0;
		}
	}
	return -SF_ENOTFOUND;
}

/* --- lookups --- */

static uint32_t find_named(const struct ktypes *kt, const char *name, size_t len)
{
	size_t slot;

	if (!kt->nnames)
		return 0;
	slot = str_hash(name, len) & (kt->nnames - 1);
	while (kt->names[slot].name) {
		const char *n = kt->names[slot].name;

		if (!strncmp(n, name, len) && n[len] == '\0')
			return kt->names[slot].id;
		slot = (slot + 1) & (kt->nnames - 1);
	}
	return 0;
}

/* Follows typedefs and modifiers (const, volatile, restrict, type tags). */
static uint32_t skip_mods(const struct btf *btf, uint32_t id)
{
	for (int depth = 0; depth < KT_MAX_DEPTH; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);

		if (!t)
			return 0;
		if (!(btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)))
			return id;
		id = t->type;
	}
	return 0;
}

struct member_hit {
	uint32_t type_id;	/* as declared (before skip_mods) */
	uint64_t bit_off;	/* from the start of the searched struct */
	uint32_t bitfield;	/* width, 0 if not a bitfield */
};

/*
 * Finds member name in struct/union sid, descending into anonymous members;
 * *budget counts down the members looked at.  Marks what it used.
 */
static bool find_member(const struct ktypes *kt, uint32_t sid, const char *name, size_t len, int depth,
			uint32_t *budget, struct member_hit *ret)
{
	const struct btf *btf = kt->btf;
	const struct btf_type *t = btf__type_by_id(btf, sid);
	const struct btf_member *m;
	uint16_t vlen;

	if (!t || depth > KT_MAX_DEPTH || !btf_is_composite(t))
		return false;
	m = btf_members(t);
	vlen = btf_vlen(t);
	for (uint16_t i = 0; i < vlen; i++, m++) {
		const char *mname = btf__name_by_offset(btf, m->name_off);

		if (*budget == 0)
			return false;
		(*budget)--;
		if (mname && *mname) {
			if (!strncmp(mname, name, len) && mname[len] == '\0') {
				ret->type_id = m->type;
				ret->bit_off = btf_member_bit_offset(t, i);
				ret->bitfield = btf_member_bitfield_size(t, i);
				mark_entry(kt, sid, i);
				return true;
			}
			continue;
		}
		/* Anonymous struct/union member: search inside. */
		if (find_member(kt, skip_mods(btf, m->type), name, len, depth + 1, budget, ret)) {
			ret->bit_off += btf_member_bit_offset(t, i);
			mark_entry(kt, sid, i);
			return true;
		}
	}
	return false;
}

static int field_error(const struct ktypes *kt, struct sf_err *err, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int field_error(const struct ktypes *kt, struct sf_err *err, int code, const char *path, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!err)
		return -code;
	return sf_err_set(err, code, "%s: %s (types from %s)", path, msg, kt->source);
}

static const char *strip_tag(const char *p)
{
	if (!strncmp(p, "struct ", 7))
		return p + 7;
	if (!strncmp(p, "union ", 6))
		return p + 6;
	return p;
}

static int resolve_path(const struct ktypes *kt, const char *path, struct kfield *ret, struct sf_err *err)
{
	const struct btf *btf = kt->btf;
	const char *p = strip_tag(path), *dot;
	uint64_t bit_off = 0;
	uint32_t id, bitfield = 0, budget;
	const struct btf_type *t;
	size_t len;
	int64_t sz;

	dot = strchr(p, '.');
	len = dot ? (size_t)(dot - p) : strlen(p);
	id = find_named(kt, p, len);
	if (!id)
		return field_error(kt, err, SF_ENOTFOUND, path, "no type %.*s", (int)len, p);
	mark_type(kt, id);
	if (!dot)
		return field_error(kt, err, SF_EINVAL, path, "not a field path (expected TYPE.member)");
	id = skip_mods(btf, id);
	p = dot + 1;
	for (;;) {
		struct member_hit mh;
		const char *br;
		unsigned long long idx = 0;
		bool has_idx = false;

		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		br = memchr(p, '[', len);
		if (br) {
			char *end;

			errno = 0;
			idx = strtoull(br + 1, &end, 0);
			if (errno || end == br + 1 || *end != ']' || end + 1 != p + len)
				return field_error(kt, err, SF_EINVAL, path, "bad index in \"%.*s\"", (int)len, p);
			has_idx = true;
			len = (size_t)(br - p);
		}
		if (!len)
			return field_error(kt, err, SF_EINVAL, path, "empty member name");
		t = btf__type_by_id(btf, id);
		if (!t || !btf_is_composite(t))
			return field_error(kt, err, SF_EINVAL, path, "cannot look for member %.*s in type %s (%s)",
					   (int)len, p, t ? btf__name_by_offset(btf, t->name_off) : "?",
					   t && btf_is_ptr(t) ? "a pointer" : "not a struct or union");
		if (bitfield)
			return field_error(kt, err, SF_EINVAL, path, "member before %.*s is a bitfield", (int)len, p);
		budget = KT_MEMBER_BUDGET;
		if (!find_member(kt, id, p, len, 0, &budget, &mh))
			return field_error(kt, err, SF_ENOTFOUND, path, "%s %s has no member %.*s",
					   btf_is_union(t) ? "union" : "struct", btf__name_by_offset(btf, t->name_off),
					   (int)len, p);
		bit_off += mh.bit_off;
		bitfield = mh.bitfield;
		id = skip_mods(btf, mh.type_id);
		t = btf__type_by_id(btf, id);
		if (!t)
			return field_error(kt, err, SF_ECORRUPT, path, "bad type id for member %.*s", (int)len, p);
		/* Old-style bitfields (no kflag): the width sits in the int's encoding. */
		if (!bitfield && btf_is_int(t)) {
			uint32_t bits = btf_int_bits(t), off = btf_int_offset(t);

			if (off || bits != t->size * 8u) {
				bitfield = bits;
				bit_off += off;
			}
		}
		if (has_idx) {
			const struct btf_array *a;
			int64_t esz;

			if (!btf_is_array(t))
				return field_error(kt, err, SF_EINVAL, path, "member %.*s is not an array", (int)len, p);
			a = btf_array(t);
			if (a->nelems && idx >= a->nelems)
				return field_error(kt, err, SF_ERANGE, path, "index %llu past the %u elements of %.*s",
						   idx, a->nelems, (int)len, p);
			esz = btf__resolve_size(btf, a->type);
			if (esz < 0 || idx > (UINT64_MAX / 8) / ((uint64_t)esz + 1))
				return field_error(kt, err, SF_ECORRUPT, path, "bad element size of %.*s", (int)len, p);
			bit_off += idx * (uint64_t)esz * 8;
			id = skip_mods(btf, a->type);
			t = btf__type_by_id(btf, id);
		}
		if (!dot)
			break;
		p = dot + 1;
	}
	memset(ret, 0, sizeof(*ret));
	ret->type_id = id;
	sz = btf__resolve_size(btf, id);
	ret->size = sz > 0 && sz <= UINT32_MAX ? (uint32_t)sz : 0;
	if (btf_is_int(t))
		ret->is_signed = btf_int_encoding(t) & BTF_INT_SIGNED;
	else if (btf_is_any_enum(t))
		ret->is_signed = btf_kflag(t);
	if (btf_is_array(t)) {
		const struct btf_array *a = btf_array(t);
		int64_t esz = btf__resolve_size(btf, a->type);

		ret->nelems = a->nelems;
		ret->elem_size = esz > 0 && esz <= UINT32_MAX ? (uint32_t)esz : 0;
	}
	if (bitfield) {
		ret->bit_size = bitfield;
		ret->bit_offset = (uint32_t)bit_off;
		/* The natural storage unit of the bitfield's type holding its first bit. */
		ret->offset = ret->size ? (bit_off / 8) / ret->size * ret->size : bit_off / 8;
	} else {
		if (bit_off % 8)
			return field_error(kt, err, SF_ECORRUPT, path, "member at bit offset %llu is not byte aligned",
					   (unsigned long long)bit_off);
		ret->offset = bit_off / 8;
	}
	return 0;
}

int ktypes_field(const struct ktypes *kt, const char *path, struct kfield *ret, struct sf_err *err)
{
	struct kt_cache *c = kt->cache;
	size_t len = strnlen(path, KT_PATH_MAX), slot;
	int rc;

	if (len >= KT_PATH_MAX)
		return field_error(kt, err, SF_EINVAL, "field path", "longer than %d bytes", KT_PATH_MAX);
	slot = str_hash(path, len) & (KT_CACHE_SLOTS - 1);
	while (c->slots[slot].path) {
		if (!strcmp(c->slots[slot].path, path)) {
			if (c->slots[slot].rc == 0) {
				*ret = c->slots[slot].f;
				return 0;
			}
			/* A known miss: answer at once, unless the caller wants the message. */
			if (!err)
				return c->slots[slot].rc;
			return resolve_path(kt, path, ret, err);
		}
		slot = (slot + 1) & (KT_CACHE_SLOTS - 1);
	}
	rc = resolve_path(kt, path, ret, err);
	if (c->used < KT_CACHE_SLOTS / 2) {
		c->slots[slot].path = strdup(path);
		if (c->slots[slot].path) {
			c->slots[slot].rc = rc;
			if (rc == 0)
				c->slots[slot].f = *ret;
			c->used++;
		}
	}
	return rc;
}

int64_t ktypes_offsetof(const struct ktypes *kt, const char *path, struct sf_err *err)
{
	struct kfield f;

	if (ktypes_field(kt, path, &f, err) < 0)
		return -1;
	return (int64_t)f.offset;
}

bool ktypes_has_field(const struct ktypes *kt, const char *path)
{
	struct kfield f;

	return ktypes_field(kt, path, &f, NULL) == 0;
}

int ktypes_sizeof(const struct ktypes *kt, const char *name, uint64_t *ret, struct sf_err *err)
{
	const char *n = strip_tag(name);
	uint32_t id = find_named(kt, n, strlen(n));
	int64_t sz;

	if (!id)
		return sf_err_set(err, SF_ENOTFOUND, "sizeof(%s): no such type (types from %s)", name, kt->source);
	mark_type(kt, id);
	sz = btf__resolve_size(kt->btf, id);
	if (sz < 0)
		return sf_err_set(err, SF_ECORRUPT, "sizeof(%s): BTF type %u has no size (types from %s)", name, id, kt->source);
	*ret = (uint64_t)sz;
	return 0;
}

int ktypes_enum_value(const struct ktypes *kt, const char *name, int64_t *ret, struct sf_err *err)
{
	size_t slot;

	if (kt->nenums) {
		slot = str_hash(name, SIZE_MAX) & (kt->nenums - 1);
		while (kt->enums[slot].name) {
			if (!strcmp(kt->enums[slot].name, name)) {
				mark_entry(kt, kt->enums[slot].id, kt->enums[slot].idx);
				*ret = kt->enums[slot].value;
				return 0;
			}
			slot = (slot + 1) & (kt->nenums - 1);
		}
	}
	if (err)
		sf_err_set(err, SF_ENOTFOUND, "enumerator %s not found in any enum (types from %s)", name, kt->source);
	return -SF_ENOTFOUND;
}

int ktypes_enum_foreach(const struct ktypes *kt, const char *prefix,
			int (*cb)(const char *name, int64_t value, void *arg), void *arg)
{
	uint32_t n = btf__type_cnt(kt->btf);
	size_t plen = prefix ? strlen(prefix) : 0;

	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(kt->btf, id);
		uint16_t vlen;

		if (!btf_is_any_enum(t))
			continue;
		vlen = btf_vlen(t);
		for (uint16_t i = 0; i < vlen; i++) {
			const char *name;
			int64_t v;
			int rc;

			name = enumerator_at(kt->btf, t, i, &v);
			if (!name || strncmp(name, prefix ? prefix : "", plen))
				continue;
			mark_entry(kt, id, i);
			rc = cb(name, v, arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int ktypes_extract(const struct kfield *f, const void *buf, size_t buflen, uint64_t base_off,
		   bool big_endian, uint64_t *ret)
{
	const uint8_t *b = buf;
	uint64_t v;

	if (f->bit_size) {
		uint64_t first = f->bit_offset / 8, shift = f->bit_offset % 8, nbytes, start;
		unsigned __int128 raw = 0;

		if (f->bit_size > 64)
			return -SF_ENOTSUP;
		nbytes = (shift + f->bit_size + 7) / 8;
		if (first < base_off || first - base_off + nbytes > buflen)
			return -SF_ERANGE;
		start = first - base_off;
		for (uint64_t i = 0; i < nbytes; i++) {
			uint64_t k = big_endian ? i : nbytes - 1 - i;

			raw = raw << 8 | b[start + k];
		}
		/* LE: bit 0 is the LSB of the first byte; BE: the MSB of the first byte. */
		if (big_endian)
			raw >>= nbytes * 8 - shift - f->bit_size;
		else
			raw >>= shift;
		v = (uint64_t)raw;
		if (f->bit_size < 64)
			v &= (1ull << f->bit_size) - 1;
		if (f->is_signed && f->bit_size < 64 && (v >> (f->bit_size - 1)) & 1)
			v |= ~0ull << f->bit_size;
		*ret = v;
		return 0;
	}
	if (f->offset < base_off || f->offset - base_off + f->size > buflen)
		return -SF_ERANGE;
	b += f->offset - base_off;
	switch (f->size) {
	case 1:
		v = b[0];
		if (f->is_signed)
			v = (uint64_t)(int64_t)(int8_t)v;
		break;
	case 2:
		v = ld16(b, big_endian);
		if (f->is_signed)
			v = (uint64_t)(int64_t)(int16_t)v;
		break;
	case 4:
		v = ld32(b, big_endian);
		if (f->is_signed)
			v = (uint64_t)(int64_t)(int32_t)v;
		break;
	case 8:
		v = ld64(b, big_endian);
		break;
	default:
		return -SF_ENOTSUP;
	}
	*ret = v;
	return 0;
}
