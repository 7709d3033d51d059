/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small ELF vmcore builder shared by tests/gen/mkelf.c, the unit tests and
 * the fuzz seeds.  Header-only (static functions) so each user links it in
 * without a library.
 *
 * Layout written:  Ehdr | Phdrs (PT_NOTE first when there are notes, then
 * PT_LOADs in the order given) | [Shdr 0 when PN_XNUM] | note area | data of
 * each segment (at its explicit offset, or packed after the previous one).
 * Segment bytes come from eb_pattern(paddr) (or a constant fill byte), so a
 * test can compute what any physical page must read as.
 */
#ifndef SKBFILTER_TESTS_ELFBUILD_H
#define SKBFILTER_TESTS_ELFBUILD_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skbfilter/bytes.h"

#define EB_MAX_NOTES 64

struct eb_seg {
	uint64_t paddr, vaddr, memsz, filesz;
	int fill;		/* -1: eb_pattern(paddr); else this byte */
	bool has_offset;
	uint64_t offset;	/* with has_offset: p_offset to use (data written there) */
};

struct eb_note {
	char name[32];
	uint32_t type;
	uint8_t *desc;		/* owned */
	uint32_t descsz;
};

struct eb {
	bool is64, be;
	uint16_t machine;
	uint16_t type;		/* e_type, default ET_CORE */
	bool force_xnum;	/* use PN_XNUM even below 65535 headers */
	struct eb_seg *segs;
	size_t nsegs, capsegs;
	struct eb_note notes[EB_MAX_NOTES];
	size_t nnotes;
	uint64_t truncate;	/* cut the file to this many bytes (0: no) */
	bool truncate_set;
};

/* The byte at physical address a in pattern-filled segments. */
static inline uint8_t eb_pattern_byte(uint64_t a)
{
	uint64_t w = (a >> 3) * 0x9e3779b97f4a7c15ull;

	return (uint8_t)(w >> (8 * (a & 7)));
}

static inline void eb_pattern(uint64_t paddr, uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = eb_pattern_byte(paddr + i);
}

static inline void eb_init(struct eb *b, bool is64, bool be, uint16_t machine)
{
	memset(b, 0, sizeof(*b));
	b->is64 = is64;
	b->be = be;
	b->machine = machine;
	b->type = 4;
}

static inline void eb_release(struct eb *b)
{
	free(b->segs);
	for (size_t i = 0; i < b->nnotes; i++)
		free(b->notes[i].desc);
	memset(b, 0, sizeof(*b));
}

static inline struct eb_seg *eb_add_load(struct eb *b, uint64_t paddr, uint64_t vaddr, uint64_t memsz, uint64_t filesz)
{
	if (b->nsegs == b->capsegs) {
		size_t n = b->capsegs ? b->capsegs * 2 : 16;
		struct eb_seg *s = realloc(b->segs, n * sizeof(*s));

		if (!s)
			abort();
		b->segs = s;
		b->capsegs = n;
	}
	b->segs[b->nsegs] = (struct eb_seg){ .paddr = paddr, .vaddr = vaddr, .memsz = memsz, .filesz = filesz, .fill = -1 };
	return &b->segs[b->nsegs++];
}

static inline void eb_add_note(struct eb *b, const char *name, uint32_t type, const void *desc, uint32_t descsz)
{
	struct eb_note *n;

	if (b->nnotes >= EB_MAX_NOTES)
		abort();
	n = &b->notes[b->nnotes++];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->type = type;
	n->desc = malloc(descsz ? descsz : 1);
	if (!n->desc)
		abort();
	memcpy(n->desc, desc, descsz);
	n->descsz = descsz;
}

static inline void eb_st16(const struct eb *b, uint8_t *p, uint16_t v) { if (b->be) st_be16(p, v); else st_le16(p, v); }
static inline void eb_st32(const struct eb *b, uint8_t *p, uint32_t v) { if (b->be) st_be32(p, v); else st_le32(p, v); }
static inline void eb_st64(const struct eb *b, uint8_t *p, uint64_t v) { if (b->be) st_be64(p, v); else st_le64(p, v); }
static inline void eb_stw(const struct eb *b, uint8_t *p, uint64_t v) { if (b->is64) eb_st64(b, p, v); else eb_st32(b, p, (uint32_t)v); }

/*
 * An NT_PRSTATUS descriptor for x86_64 (336 bytes) or aarch64 (392 bytes):
 * pr_pid at 32, pr_reg at 112; x86_64 rip is reg 16 and rsp reg 19 (struct
 * pt_regs order), aarch64 sp is reg 31 and pc reg 32 (struct user_pt_regs).
 */
static inline uint32_t eb_prstatus(const struct eb *b, uint8_t *desc, int32_t pid, uint64_t ip, uint64_t sp)
{
	bool arm = b->machine == 183;
	uint32_t size = arm ? 392 : 336;

	memset(desc, 0, size);
	eb_st32(b, desc + 32, (uint32_t)pid);
	if (arm) {
		eb_st64(b, desc + 112 + 31 * 8, sp);
		eb_st64(b, desc + 112 + 32 * 8, ip);
	} else {
		eb_st64(b, desc + 112 + 16 * 8, ip);
		eb_st64(b, desc + 112 + 19 * 8, sp);
	}
	return size;
}

static inline int eb_pwrite(int fd, const void *p, size_t len, uint64_t off)
{
	const uint8_t *c = p;

	while (len) {
		ssize_t n = pwrite(fd, c, len, (off_t)off);

		if (n <= 0)
			return -1;
		c += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* Writes the dump to path.  Returns 0, or -1 on an I/O error. */
static inline int eb_write(const struct eb *b, const char *path)
{
	size_t ehsz = b->is64 ? 64 : 52, phsz = b->is64 ? 56 : 32, shsz = b->is64 ? 64 : 40;
	uint64_t nph = b->nsegs + (b->nnotes ? 1 : 0);
	bool xnum = b->force_xnum || nph >= 0xffff;
	uint64_t phoff = ehsz, shoff = phoff + nph * phsz, noteoff = shoff + (xnum ? shsz : 0);
	uint64_t notesz = 0, dataoff, end;
	uint8_t hdr[64] = { 0 }, *tab, chunk[65536];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), rc = -1;

	if (fd < 0)
		return -1;
	for (size_t i = 0; i < b->nnotes; i++)
		notesz += 12 + ((strlen(b->notes[i].name) + 1 + 3) & ~3ull) + ((b->notes[i].descsz + 3) & ~3ull);
	dataoff = (noteoff + notesz + 15) & ~15ull;
	end = dataoff;

	memcpy(hdr, "\177ELF", 4);
	hdr[4] = b->is64 ? 2 : 1;
	hdr[5] = b->be ? 2 : 1;
	hdr[6] = 1;
	eb_st16(b, hdr + 16, b->type);
	eb_st16(b, hdr + 18, b->machine);
	eb_st32(b, hdr + 20, 1);
	if (b->is64) {
		eb_st64(b, hdr + 32, phoff);
		eb_st64(b, hdr + 40, xnum ? shoff : 0);
		eb_st16(b, hdr + 52, (uint16_t)ehsz);
		eb_st16(b, hdr + 54, (uint16_t)phsz);
		eb_st16(b, hdr + 56, xnum ? 0xffff : (uint16_t)nph);
		eb_st16(b, hdr + 58, (uint16_t)shsz);
		eb_st16(b, hdr + 60, xnum ? 1 : 0);
	} else {
		eb_st32(b, hdr + 28, (uint32_t)phoff);
		eb_st32(b, hdr + 32, xnum ? (uint32_t)shoff : 0);
		eb_st16(b, hdr + 40, (uint16_t)ehsz);
		eb_st16(b, hdr + 42, (uint16_t)phsz);
		eb_st16(b, hdr + 44, xnum ? 0xffff : (uint16_t)nph);
		eb_st16(b, hdr + 46, (uint16_t)shsz);
		eb_st16(b, hdr + 48, xnum ? 1 : 0);
	}
	if (eb_pwrite(fd, hdr, ehsz, 0))
		goto out;
	tab = calloc(nph ? nph : 1, phsz);
	if (!tab)
		goto out;
	{
		uint8_t *e = tab;

		if (b->nnotes) {
			eb_st32(b, e, 4);
			if (b->is64) {
				eb_st64(b, e + 8, noteoff);
				eb_st64(b, e + 32, notesz);
				eb_st64(b, e + 40, notesz);
			} else {
				eb_st32(b, e + 4, (uint32_t)noteoff);
				eb_st32(b, e + 16, (uint32_t)notesz);
				eb_st32(b, e + 20, (uint32_t)notesz);
			}
			e += phsz;
		}
		for (size_t i = 0; i < b->nsegs; i++, e += phsz) {
			const struct eb_seg *s = &b->segs[i];
			uint64_t off = s->has_offset ? s->offset : (s->filesz ? end : 0);

			if (!s->has_offset && s->filesz)
				end += s->filesz;
			eb_st32(b, e, 1);
			if (b->is64) {
				eb_st32(b, e + 4, 7);
				eb_st64(b, e + 8, off);
				eb_st64(b, e + 16, s->vaddr);
				eb_st64(b, e + 24, s->paddr);
				eb_st64(b, e + 32, s->filesz);
				eb_st64(b, e + 40, s->memsz);
			} else {
				eb_st32(b, e + 4, (uint32_t)off);
				eb_st32(b, e + 8, (uint32_t)s->vaddr);
				eb_st32(b, e + 12, (uint32_t)s->paddr);
				eb_st32(b, e + 16, (uint32_t)s->filesz);
				eb_st32(b, e + 20, (uint32_t)s->memsz);
				eb_st32(b, e + 24, 7);
			}
		}
	}
	if (eb_pwrite(fd, tab, nph * phsz, phoff)) {
		free(tab);
		goto out;
	}
	free(tab);
	if (xnum) {
		uint8_t sh[64] = { 0 };

		eb_st32(b, sh + (b->is64 ? 44 : 28), (uint32_t)nph);
		if (eb_pwrite(fd, sh, shsz, shoff))
			goto out;
	}
	{
		uint64_t off = noteoff;

		for (size_t i = 0; i < b->nnotes; i++) {
			const struct eb_note *n = &b->notes[i];
			uint32_t namesz = (uint32_t)strlen(n->name) + 1;
			uint8_t nh[12 + 36] = { 0 };
			uint64_t nal = (namesz + 3) & ~3u, dal = (n->descsz + 3) & ~3u;
			uint8_t *pad = calloc(1, dal + 4);

			if (!pad)
				goto out;
			eb_st32(b, nh, namesz);
			eb_st32(b, nh + 4, n->descsz);
			eb_st32(b, nh + 8, n->type);
			memcpy(nh + 12, n->name, namesz);
			memcpy(pad, n->desc, n->descsz);
			if (eb_pwrite(fd, nh, 12 + nal, off) || eb_pwrite(fd, pad, dal, off + 12 + nal)) {
				free(pad);
				goto out;
			}
			free(pad);
			off += 12 + nal + dal;
		}
	}
	{
		uint64_t packed = dataoff;

		for (size_t i = 0; i < b->nsegs; i++) {
			const struct eb_seg *s = &b->segs[i];
			uint64_t off = s->has_offset ? s->offset : packed;

			if (!s->has_offset)
				packed += s->filesz;
			for (uint64_t done = 0; done < s->filesz;) {
				size_t n = s->filesz - done < sizeof(chunk) ? (size_t)(s->filesz - done) : sizeof(chunk);

				if (s->fill < 0)
					eb_pattern(s->paddr + done, chunk, n);
				else
					memset(chunk, s->fill, n);
				if (eb_pwrite(fd, chunk, n, off + done))
					goto out;
				done += n;
			}
			if (off + s->filesz > end)
				end = off + s->filesz;
		}
	}
	if (ftruncate(fd, (off_t)(b->truncate_set ? b->truncate : end)))
		goto out;
	rc = 0;
out:
	if (close(fd))
		rc = -1;
	return rc;
}

#endif
