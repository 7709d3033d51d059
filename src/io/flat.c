// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's flattened format (makedumpfile.h, `makedumpfile -F`, and
 * qemu's dump-guest-memory kdump-zlib/lzo/snappy):
 *
 *   0      +---------------------------------------------+
 *          | char signature[16] = "makedumpfile"         |
 *          | int64 type = 1      (big-endian)            |
 *          | int64 version = 1   (big-endian)            |
 *          | zero padding to 4096 (MAX_SIZE_MDF_HEADER)   |
 *   4096   +---------------------------------------------+
 *          | int64 offset | int64 buf_size  (big-endian) |  record
 *          | buf_size bytes for [offset, offset+buf_size)|
 *          +---------------------------------------------+
 *          | ... more records, any order, may overlap    |
 *          +---------------------------------------------+
 *          | int64 offset = -1 | ...                     |  end mark
 *          +---------------------------------------------+
 *
 * Design: rebuild, streaming, into a sparse unlinked temporary file.
 *
 *  - crash builds an in-memory index of every record and then seeks around
 *    the stream.  Its memory grows with the number of records (one per write
 *    makedumpfile made: about one per page), and users report minutes to an
 *    hour on large dumps; it also cannot work on a pipe.
 *  - `makedumpfile -R` instead replays the records with pwrite into a plain
 *    file.  We do the same: one pass, fixed buffers (FLAT_BUF bytes in, the
 *    same out), memory O(1) whatever the dump size, and afterwards every
 *    reader does plain preads at the real offsets.  It works the same on a
 *    file and on a pipe (stdin), and "last write wins" falls out of replaying
 *    in stream order.  The cost is disk: at most the size of the stream
 *    (every byte written came from the input; holes stay sparse).
 *  - Contiguous records (the common case: makedumpfile writes the file
 *    front to back) are coalesced in the out buffer before one pwrite, so
 *    small per-page records do not cost one system call each.
 *
 *  - From a pipe, records of 16 KiB or more (makedumpfile -F writes its page
 *    data in ~60 KiB records) are spliced from the pipe into the file once
 *    the buffered bytes are used: one copy instead of two.
 *  - A flattened *regular file* (named, or standard input redirected from
 *    one) is not rebuilt at all: flat_index_build() reads only the record
 *    headers and the source reads the data in place (src/io/source.c).
 *
 * Measured (2-core VM, best of several runs, page cache warm):
 *   17 MB seed-gso-mismatch/vmcore.flat (makedumpfile -F -c): rebuild from
 *   the file 27 ms (650 MB/s), from stdin 40 ms (430 MB/s); `cat > /dev/null`
 *   15 ms, `cat > tmpfile` 39 ms.
 *   424 MB flattened raw ELF (mkflat, 4 KiB records): 0.35 s of CPU (0.02 s
 *   user), wall time 1.4-1.9 s like `cat > tmpfile` (1.3-1.8 s): the rebuild
 *   costs what copying the stream to a file costs, with memory fixed at
 *   2 x FLAT_BUF.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skbfilter/bytes.h"
#include "io/flat.h"

#define FLAT_BUF (1u << 20)
#define FLAT_TYPE 1		/* TYPE_FLAT_HEADER */
#define FLAT_VERSION 1		/* VERSION_FLAT_HEADER */
#define FLAT_END_MARK (-1)	/* END_FLAG_FLAT_HEADER */

bool flat_has_signature(const uint8_t *p, size_t len)
{
	/* makedumpfile compares with strcmp, so the NUL after the 12 letters is part of it. */
	return len >= FLAT_SIG_LEN && !memcmp(p, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE));
}

struct flat_reader {
	struct flat_input *in;
	size_t prepos;
	uint8_t *buf;
	size_t pos, len;
	uint64_t consumed;	/* stream offset of buf[pos] */
	bool eof;
	int err;		/* errno of a failed read */
};

/* Makes at least `want` bytes available (fewer only at end of stream or on error). */
static size_t reader_fill(struct flat_reader *r, size_t want)
{
	if (r->len - r->pos >= want || r->eof)
		return r->len - r->pos;
	memmove(r->buf, r->buf + r->pos, r->len - r->pos);
	r->len -= r->pos;
	r->pos = 0;
	while (r->len < want && !r->eof) {
		size_t room = FLAT_BUF - r->len;

		if (r->prepos < r->in->prelen) {
			size_t n = r->in->prelen - r->prepos < room ? r->in->prelen - r->prepos : room;

			memcpy(r->buf + r->len, r->in->pre + r->prepos, n);
			r->prepos += n;
			r->len += n;
			continue;
		}
		if (r->in->fd < 0) {
			r->eof = true;
			break;
		}
		ssize_t n = read(r->in->fd, r->buf + r->len, room);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r->err = errno;
			r->eof = true;
			break;
		}
		if (n == 0)
			r->eof = true;
		r->len += (size_t)n;
	}
	return r->len - r->pos;
}

struct flat_writer {
	int fd;
	uint8_t *buf;
	uint64_t off;		/* file offset of buf[0] */
	size_t len;
};

static int writer_flush(struct flat_writer *w)
{
	size_t done = 0;

	while (done < w->len) {
		ssize_t n = pwrite(w->fd, w->buf + done, w->len - done, (off_t)(w->off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		done += (size_t)n;
	}
	w->off += w->len;
	w->len = 0;
	return 0;
}

/* Queues bytes for file offset off; flushes first when they do not extend the pending run. */
static int writer_put(struct flat_writer *w, uint64_t off, const uint8_t *p, size_t n)
{
	int e;

	if (w->len && w->off + w->len != off) {
		e = writer_flush(w);
		if (e)
			return e;
	}
	if (!w->len)
		w->off = off;
	while (n) {
		size_t room = FLAT_BUF - w->len, c = n < room ? n : room;

		memcpy(w->buf + w->len, p, c);
		w->len += c;
		p += c;
		n -= c;
		if (w->len == FLAT_BUF) {
			e = writer_flush(w);
			if (e)
				return e;
		}
	}
	return 0;
}

/*
 * Records of at least SPLICE_MIN bytes coming from a pipe are moved into the
 * rebuilt file with splice(2) once the bytes already buffered are used: the
 * data then goes from the pipe to the page cache in one copy instead of two
 * (read into our buffer, pwrite out of it).  makedumpfile -F writes records
 * of up to 60 KiB (its page data buffer), qemu one per page.
 */
#define SPLICE_MIN (16u * 1024)

/* Flushes w, then splices up to n bytes from in_fd to w's file at off: bytes moved, 0 at EOF, -errno. */
static int64_t splice_to(struct flat_writer *w, int in_fd, uint64_t off, uint64_t n)
{
	loff_t o = (loff_t)off;
	ssize_t m;
	int e;

	e = writer_flush(w);
	if (e)
		return -e;
	do
		m = splice(in_fd, NULL, w->fd, &o, n > (1u << 30) ? (1u << 30) : (size_t)n, SPLICE_F_MOVE | SPLICE_F_MORE);
	while (m < 0 && errno == EINTR);
	if (m < 0)
		return errno == EINVAL || errno == ENOSYS || errno == ESPIPE ? -EINVAL : -errno;
	return m;
}

/*
 * The stream ended inside a record whose data stopped at file offset `at`.
 * Never-written ranges are found later as holes of the sparse file, but a
 * file-system block is either a hole or data: the block holding `at` has a
 * written head and a never-written tail that would read as zeros.  Punch it
 * out, losing at most one block of good data (reads there then report
 * missing data instead of zeros).  Without hole punching the tail stays zero;
 * nothing else to do.
 */
static void punch_partial_block(int fd, uint64_t at)
{
	struct stat sb;
	uint64_t bs;

	if (fstat(fd, &sb) < 0 || sb.st_blksize <= 0)
		return;
	bs = (uint64_t)sb.st_blksize;
	if (at % bs)
		(void)fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)(at - at % bs), (off_t)bs);
}

static void set_truncated(struct flat_stats *st, const char *name, const char *what, uint64_t at, int rerr)
{
	st->truncated = true;
	snprintf(st->warning, sizeof(st->warning),
		 "%s: flattened stream ends %s at stream offset 0x%llx%s%s; using the %llu records rebuilt so far (later data is missing)",
		 name, what, (unsigned long long)at, rerr ? ": " : "", rerr ? strerror(rerr) : "",
		 (unsigned long long)st->records);
}

int flat_rebuild(const char *name, struct flat_input *in, int out_fd, struct flat_stats *st, struct sf_err *err)
{
	struct flat_reader r = { .in = in };
	struct flat_writer w = { .fd = out_fd };
	uint64_t type, version;
	int rc, e;

	memset(st, 0, sizeof(*st));
	r.buf = malloc(FLAT_BUF);
	w.buf = malloc(FLAT_BUF);
	if (!r.buf || !w.buf) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: flattened format: out of memory for buffers", name);
		goto out;
	}
	if (reader_fill(&r, FLAT_HEADER_SIZE) < FLAT_HEADER_SIZE) {
		rc = r.err ? sf_err_errno(err, r.err, "%s: flattened format: reading the header", name)
			   : sf_err_set(err, SF_ETRUNC, "%s: flattened format: the stream ends inside the %u-byte header (%zu bytes)",
					name, FLAT_HEADER_SIZE, r.len);
		goto out;
	}
	if (!flat_has_signature(r.buf, r.len)) {
		rc = sf_err_set(err, SF_ECORRUPT, "%s: flattened format: offset 0: no \"makedumpfile\" signature", name);
		goto out;
	}
	type = ld_be64(r.buf + 16);
	version = ld_be64(r.buf + 24);
	if (type != FLAT_TYPE || version != FLAT_VERSION) {
		rc = sf_err_set(err, SF_ENOTSUP, "%s: flattened format: offset 16: type %lld version %lld (expected type %d version %d)",
				name, (long long)type, (long long)version, FLAT_TYPE, FLAT_VERSION);
		goto out;
	}
	r.pos = FLAT_HEADER_SIZE;
	r.consumed = FLAT_HEADER_SIZE;
	for (;;) {
		uint64_t rec_at = r.consumed, off, size, end;
		int64_t soff;

		if (reader_fill(&r, 16) < 16) {
			set_truncated(st, name, r.len - r.pos ? "inside a record header" : "without the end mark",
				      rec_at, r.err);
			break;
		}
		soff = (int64_t)ld_be64(r.buf + r.pos);
		size = ld_be64(r.buf + r.pos + 8);
		r.pos += 16;
		r.consumed += 16;
		if (soff == FLAT_END_MARK)
			break;
		if (soff < 0) {
			rc = sf_err_set(err, SF_ECORRUPT, "%s: flattened format: record at stream offset 0x%llx: offset %lld is negative (only -1, the end mark, may be)",
					name, (unsigned long long)rec_at, (long long)soff);
			goto out;
		}
		off = (uint64_t)soff;
		if (size > FLAT_RECORD_MAX) {
			rc = sf_err_set(err, SF_ENOMEM, "%s: flattened format: record at stream offset 0x%llx: buf_size %llu is above the %llu-byte cap",
					name, (unsigned long long)rec_at, (unsigned long long)size,
					(unsigned long long)FLAT_RECORD_MAX);
			goto out;
		}
		if (add_overflows_u64(off, size, &end) || end > FLAT_OFFSET_MAX) {
			rc = sf_err_set(err, SF_ECORRUPT, "%s: flattened format: record at stream offset 0x%llx: offset 0x%llx + %llu bytes is beyond the 0x%llx limit",
					name, (unsigned long long)rec_at, (unsigned long long)off,
					(unsigned long long)size, (unsigned long long)FLAT_OFFSET_MAX);
			goto out;
		}
		while (size) {
			size_t avail, c;

			if (r.pos == r.len && size >= SPLICE_MIN && r.prepos >= in->prelen && in->fd >= 0 && !in->no_splice &&
			    !r.eof) {
				/* nothing buffered: move the rest of a big record from the pipe into the file */
				int64_t n = splice_to(&w, in->fd, off, size);

				if (n > 0) {
					if (off + (uint64_t)n > st->size)
						st->size = off + (uint64_t)n;
					r.consumed += (uint64_t)n;
					off += (uint64_t)n;
					size -= (uint64_t)n;
					continue;
				}
				if (n < 0 && n != -EINVAL) {	/* EINVAL: not a pipe, or splice unsupported here */
					rc = sf_err_errno(err, (int)-n, "%s: flattened format: moving record data into the rebuilt file at offset 0x%llx",
							  name, (unsigned long long)off);
					goto out;
				}
				if (n == 0) {	/* end of stream inside the record */
					r.eof = true;
					break;
				}
				in->no_splice = true;
			}
			avail = reader_fill(&r, 1);
			if (!avail)
				break;
			c = avail < size ? avail : (size_t)size;
			e = writer_put(&w, off, r.buf + r.pos, c);
			if (e) {
				rc = sf_err_errno(err, e, "%s: flattened format: writing the rebuilt file at offset 0x%llx",
						  name, (unsigned long long)off);
				goto out;
			}
			if (off + c > st->size)
				st->size = off + c;
			r.pos += c;
			r.consumed += c;
			off += c;
			size -= c;
		}
		if (size) {
			set_truncated(st, name, "inside the data of a record", rec_at, r.err);
			e = writer_flush(&w);
			if (e) {
				rc = sf_err_errno(err, e, "%s: flattened format: writing the rebuilt file", name);
				goto out;
			}
			if (off < st->size)	/* at the end of the file the tail is past EOF anyway */
				punch_partial_block(out_fd, off);
			break;
		}
		st->records++;
	}
	e = writer_flush(&w);
	if (e) {
		rc = sf_err_errno(err, e, "%s: flattened format: writing the rebuilt file", name);
		goto out;
	}
	/* The rebuilt file ends at the furthest byte any record wrote. */
	if (ftruncate(out_fd, (off_t)st->size) < 0) {
		rc = sf_err_errno(err, errno, "%s: flattened format: sizing the rebuilt file", name);
		goto out;
	}
	st->bytes_in = r.consumed;
	rc = 0;
out:
	free(r.buf);
	free(w.buf);
	return rc;
}

/* ---- reading a flattened file in place ---- */

static int pread_full(int fd, uint8_t *buf, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* the file shrank under us */
		buf += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int ext_cmp(const void *a, const void *b)
{
	const struct flat_extent *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

void flat_index_free(struct flat_index *ix)
{
	if (!ix)
		return;
	free(ix->ext);
	memset(ix, 0, sizeof(*ix));
}

int flat_index_build(const char *name, int fd, uint64_t fsize, struct flat_index *ix, struct sf_err *err)
{
	enum { WIN = 64 * 1024 };
	uint8_t *win = malloc(WIN);
	uint64_t wstart = 0, wlen = 0, at = FLAT_HEADER_SIZE;
	size_t alloc = 0;
	int rc = 0, e;

	memset(ix, 0, sizeof(*ix));
	if (!win)
		return sf_err_set(err, SF_ENOMEM, "%s: flattened format: out of memory", name);
	if (fsize < FLAT_HEADER_SIZE)
		goto out;
	e = pread_full(fd, win, FLAT_HEADER_SIZE, 0);
	if (e) {
		rc = sf_err_errno(err, -e, "%s: flattened format: reading the header", name);
		goto out;
	}
	if (!flat_has_signature(win, FLAT_HEADER_SIZE) || ld_be64(win + 16) != FLAT_TYPE ||
	    ld_be64(win + 24) != FLAT_VERSION)
		goto out;
	for (;;) {
		uint64_t off, size, end;
		int64_t soff;
		const uint8_t *h;

		if (at + 16 > fsize)
			goto out;	/* no end mark: the rebuild reports the truncation */
		if (at < wstart || at + 16 > wstart + wlen) {
			wstart = at;
			wlen = fsize - at < WIN ? fsize - at : WIN;
			e = pread_full(fd, win, (size_t)wlen, wstart);
			if (e) {
				rc = sf_err_errno(err, -e, "%s: flattened format: reading the record header at stream offset 0x%llx",
						  name, (unsigned long long)at);
				goto out;
			}
		}
		h = win + (at - wstart);
		soff = (int64_t)ld_be64(h);
		size = ld_be64(h + 8);
		if (soff == FLAT_END_MARK)
			break;
		off = (uint64_t)soff;
		if (soff < 0 || size > FLAT_RECORD_MAX || add_overflows_u64(off, size, &end) || end > FLAT_OFFSET_MAX ||
		    size > fsize - at - 16 || ix->n == FLAT_INDEX_MAX)
			goto out;
		if (size) {
			if (ix->n == alloc) {
				size_t na = alloc ? 2 * alloc : 1024;
				struct flat_extent *ne;

				if (na > FLAT_INDEX_MAX)
					na = FLAT_INDEX_MAX;
				ne = realloc(ix->ext, na * sizeof(*ne));
				if (!ne) {
					rc = sf_err_set(err, SF_ENOMEM, "%s: flattened format: out of memory for the record index",
							name);
					goto out;
				}
				ix->ext = ne;
				alloc = na;
			}
			ix->ext[ix->n++] = (struct flat_extent){ .off = off, .size = size, .pos = at + 16 };
			if (end > ix->size)
				ix->size = end;
		}
		at += 16 + size;
	}
	if (ix->n)	/* qsort's base must not be NULL, even for 0 elements */
		qsort(ix->ext, ix->n, sizeof(*ix->ext), ext_cmp);
	for (size_t i = 1; i < ix->n; i++)
		if (ix->ext[i].off < ix->ext[i - 1].off + ix->ext[i - 1].size)
			goto out;	/* overlapping records: last write wins, which the rebuild does */
	free(win);
	return 1;
out:
	free(win);
	flat_index_free(ix);
	return rc;
}

int flat_index_read(const struct flat_index *ix, int fd, uint64_t off, uint8_t *buf, size_t len, struct sf_err *err)
{
	size_t lo = 0, hi = ix->n;

	/* first extent ending after off */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->ext[mid].off + ix->ext[mid].size <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (len) {
		const struct flat_extent *x = lo < ix->n ? &ix->ext[lo] : NULL;
		size_t c;

		if (!x || x->off > off) {	/* a gap: zeros, like a hole of the rebuilt file */
			c = !x || x->off - off > len ? len : (size_t)(x->off - off);
			memset(buf, 0, c);
		} else {
			int e;

			c = x->off + x->size - off > len ? len : (size_t)(x->off + x->size - off);
			e = pread_full(fd, buf, c, x->pos + (off - x->off));
			if (e)
				return sf_err_errno(err, -e, "reading stream offset 0x%llx",
						    (unsigned long long)(x->pos + (off - x->off)));
			lo++;
		}
		buf += c;
		off += c;
		len -= c;
	}
	return 0;
}
