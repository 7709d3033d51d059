// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btfmove: a synthetic kernel layout for the tests.  Reads a raw BTF file,
 * swaps the places of pairs of same-size members, writes the result:
 *
 *   btfmove IN.btf OUT.btf STRUCT.A:B...
 *
 * Members are looked up as the tool looks them up: by name, through
 * anonymous struct/union members (sk_buff's struct_group headers), and the
 * swap gives each the other's absolute place.  Bitfields are refused.
 * tests/e2e/slabid.py then moves the bytes of the dump's sk_buffs the same
 * way and requires the same results: nothing may rest on one kernel's offsets.
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A member found by name: its btf_member and absolute bit offset, and its container's. */
struct found {
	struct btf_member *m;
	const struct btf_type *parent;
	unsigned long long base_bits;	/* container's absolute bit offset */
};

static unsigned int member_bits(const struct btf_type *t, const struct btf_member *m)
{
	return btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static int find_member(const struct btf *btf, const struct btf_type *t, unsigned long long base, const char *name,
		       struct found *ret)
{
	struct btf_member *m = btf_members(t);

	for (unsigned short i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		unsigned long long at = base + member_bits(t, m);

		if (mn && !strcmp(mn, name)) {
			if (btf_kflag(t) && BTF_MEMBER_BITFIELD_SIZE(m->offset))
				return -EINVAL;
			ret->m = m;
			ret->parent = t;
			ret->base_bits = base;
			return 0;
		}
		if (!mn || !*mn) {
			const struct btf_type *mt = btf__type_by_id(btf, m->type);

			while (mt && (btf_is_mod(mt) || btf_is_typedef(mt)))
				mt = btf__type_by_id(btf, mt->type);
			if (mt && btf_is_composite(mt) && find_member(btf, mt, at, name, ret) == 0)
				return 0;
		}
	}
	return -ENOENT;
}

static void set_bits(struct found *f, unsigned long long abs_bits)
{
	unsigned int rel = (unsigned int)(abs_bits - f->base_bits);

	f->m->offset = btf_kflag(f->parent) ? (f->m->offset & 0xff000000u) | rel : rel;
}

int main(int argc, char **argv)
{
	struct btf *btf;
	const void *raw;
	unsigned int size;
	FILE *out;

	if (argc < 4) {
		fprintf(stderr, "usage: btfmove IN.btf OUT.btf STRUCT.A:B...\n");
		return 2;
	}
	btf = btf__parse_raw(argv[1]);
	if (!btf) {
		fprintf(stderr, "btfmove: %s: cannot parse raw BTF: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (int i = 3; i < argc; i++) {
		char st[64], a[64], b[64];
		struct found fa, fb;
		unsigned long long pa, pb;
		int id;
		const struct btf_type *t;

		if (sscanf(argv[i], "%63[^.].%63[^:]:%63s", st, a, b) != 3) {
			fprintf(stderr, "btfmove: %s: not STRUCT.A:B\n", argv[i]);
			return 2;
		}
		id = btf__find_by_name_kind(btf, st, BTF_KIND_STRUCT);
		t = id > 0 ? btf__type_by_id(btf, id) : NULL;
		if (!t || find_member(btf, t, 0, a, &fa) || find_member(btf, t, 0, b, &fb)) {
			fprintf(stderr, "btfmove: %s: struct or member not found (or a bitfield)\n", argv[i]);
			return 1;
		}
		if (btf__resolve_size(btf, fa.m->type) != btf__resolve_size(btf, fb.m->type)) {
			fprintf(stderr, "btfmove: %s: members differ in size\n", argv[i]);
			return 1;
		}
		pa = fa.base_bits + member_bits(fa.parent, fa.m);
		pb = fb.base_bits + member_bits(fb.parent, fb.m);
		if (pb < fa.base_bits || pa < fb.base_bits) {
			fprintf(stderr, "btfmove: %s: a member cannot leave its anonymous container\n", argv[i]);
			return 1;
		}
		set_bits(&fa, pb);
		set_bits(&fb, pa);
		printf("%s.%s %llu -> %llu, %s.%s %llu -> %llu\n", st, a, pa / 8, pb / 8, st, b, pb / 8, pa / 8);
	}
	raw = btf__raw_data(btf, &size);
	out = raw ? fopen(argv[2], "wb") : NULL;
	if (!out || fwrite(raw, 1, size, out) != size || fclose(out) != 0) {
		fprintf(stderr, "btfmove: %s: cannot write\n", argv[2]);
		return 1;
	}
	btf__free(btf);
	return 0;
}
