// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Byte sources: a file read with pread, a borrowed memory buffer, standard
 * input spooled to an unlinked temporary file, and the flattened format
 * rebuilt into one (src/io/flat.c).  A flattened regular file (also when it
 * is standard input, `skbfilter - < file`) is read in place through an index
 * of its record headers instead: no copy, and the cost of opening it follows
 * the number of records (~1 per 32 KiB from makedumpfile), not its size.
 * Standard input that is a regular file at offset 0 is read like a named file.
 *
 * Why spool stdin to disk rather than memory: a vmcore is as large as the
 * machine's RAM, and the readers need random access (page descriptors, then
 * data far away).  An unlinked file in tmpdir/$TMPDIR//tmp costs disk, not
 * memory, and disappears on exit whatever happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skbfilter/bytes.h"
#include "skbfilter/source.h"
#include "skbfilter/warn.h"
#include "io/flat.h"
#include "io/zstream.h"
#include "io/remote.h"

#define SPOOL_CHUNK (1u << 20)

struct source {
	char *name;
	int fd;			/* -1 for a memory source */
	const uint8_t *mem;
	uint64_t size;
	bool flattened;
	bool is_stdin;
	bool truncated;		/* flattened stream ended early: holes were never written */
	bool indexed;		/* flattened file read in place through ix */
	struct flat_index ix;
	struct remote *remote;	/* an http(s) URL read with range requests */
};

static const char *pick_tmpdir(const struct source_opts *opts)
{
	const char *t = opts && opts->tmpdir ? opts->tmpdir : getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/* An anonymous file in dir: O_TMPFILE where the filesystem has it, else mkstemp + unlink. */
static int tmpfile_open(const char *dir, struct sf_err *err)
{
	char path[4096];
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	if ((size_t)snprintf(path, sizeof(path), "%s/skbfilter-spool-XXXXXX", dir) >= sizeof(path))
		return sf_err_set(err, SF_EINVAL, "temporary directory name too long: %s", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return sf_err_errno(err, errno, "cannot create a temporary file in %s", dir);
	unlink(path);
	return fd;
}

static int write_all(int fd, const uint8_t *p, size_t len, uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

/* read() until len bytes or end of file; returns bytes read or -errno. */
static ssize_t read_full(int fd, uint8_t *p, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static struct source *source_new(const char *name)
{
	struct source *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name);
	if (!s->name) {
		free(s);
		return NULL;
	}
	s->fd = -1;
	return s;
}

/* Rebuilds a flattened stream (head already read, then in_fd) into a temp file that becomes s->fd. */
static int source_unflatten(struct source *s, const uint8_t *head, size_t headlen, int in_fd,
			    const struct source_opts *opts, struct sf_err *err)
{
	struct flat_input in = { .pre = head, .prelen = headlen, .fd = in_fd };
	struct flat_stats st;
	int out = tmpfile_open(pick_tmpdir(opts), err);
	int rc;

	if (out < 0)
		return sf_err_prefix(err, "%s: flattened format", s->name);
	rc = flat_rebuild(s->name, &in, out, &st, err);
	if (rc < 0) {
		close(out);
		return rc;
	}
	if (st.truncated) {
		s->truncated = true;
		if (opts && opts->warnings)
			warn_add(opts->warnings, "%s", st.warning);
	}
	s->fd = out;
	s->size = st.size;
	s->flattened = true;
	return 0;
}

static int source_spool(struct source *s, int in_fd, const struct source_opts *opts, struct sf_err *err);

/*
 * A gzip/xz/zstd/bzip2 file (src/io/zstream.c): its decompressed bytes are
 * spooled like a pipe.  A stream that ends early leaves a correct prefix (a
 * truncated dump, which the readers label); a corrupt one fails, since
 * bytes decoded before the error are not checked by any CRC yet.
 */
static int source_spool_compressed(struct source *s, enum zs_kind kind, const uint8_t *pre, size_t prelen, int in_fd,
				   const struct source_opts *opts, struct sf_err *err)
{
	struct zstream *zs;
	struct sf_err zerr = { 0 };
	int zfd, rc, zrc;

	rc = zstream_start(kind, s->name, pre, prelen, in_fd, &zs, &zfd, err);
	if (rc < 0)
		return rc;
	rc = source_spool(s, zfd, opts, err);
	zrc = zstream_finish(zs, &zerr);
	if (rc < 0 || zrc == 0)
		return rc;
	if (zrc == -SF_ETRUNC && s->size) {
		if (opts && opts->warnings)
			warn_add(opts->warnings, "%s; reading what was decompressed (%llu bytes of dump)", zerr.msg,
				 (unsigned long long)s->size);
		return 0;
	}
	*err = zerr;
	return zrc;
}

/* Spools a stream (stdin, a pipe given by name) into a temp file, or rebuilds it if flattened. */
static int source_spool(struct source *s, int in_fd, const struct source_opts *opts, struct sf_err *err)
{
	uint8_t *buf = malloc(SPOOL_CHUNK);
	uint64_t off = 0;
	ssize_t n;
	int out = -1, rc;

	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "%s: out of memory for the spool buffer", s->name);
	/* Peek: the first chunk tells a flattened stream from a plain dump. */
	n = read_full(in_fd, buf, FLAT_HEADER_SIZE);
	if (n < 0) {
		rc = sf_err_errno(err, (int)-n, "%s: read failed at offset 0", s->name);
		goto out;
	}
	if (flat_has_signature(buf, (size_t)n)) {
		rc = source_unflatten(s, buf, (size_t)n, in_fd, opts, err);
		goto out;
	}
	if (zstream_detect(buf, (size_t)n) != ZS_NONE) {
		rc = source_spool_compressed(s, zstream_detect(buf, (size_t)n), buf, (size_t)n, in_fd, opts, err);
		goto out;
	}
	out = tmpfile_open(pick_tmpdir(opts), err);
	if (out < 0) {
		rc = sf_err_prefix(err, "%s", s->name);
		goto out;
	}
	while (n > 0) {
		rc = write_all(out, buf, (size_t)n, off);
		if (rc < 0) {
			rc = sf_err_errno(err, -rc, "%s: spooling to %s failed at offset %llu",
					  s->name, pick_tmpdir(opts), (unsigned long long)off);
			goto out;
		}
		off += (uint64_t)n;
		n = read_full(in_fd, buf, SPOOL_CHUNK);
		if (n < 0) {
			rc = sf_err_errno(err, (int)-n, "%s: read failed at offset %llu",
					  s->name, (unsigned long long)off);
			sf_err_path(err, s->name);
			sf_err_offset(err, off);
			goto out;
		}
	}
	s->fd = out;
	out = -1;
	s->size = off;
	rc = 0;
out:
	if (out >= 0)
		close(out);
	free(buf);
	return rc;
}

/*
 * An http(s) URL.  A flattened dump cannot be read at random (finding a
 * byte needs every record header before it: one dependent round trip per
 * 32 KiB record), so it is streamed once, in one request, into an unlinked
 * temporary file and read from there like a local flattened file.  So is an
 * object whose server ignores Range, when --spool-remote allows its size.
 */
static int source_open_remote(const char *url, const struct source_opts *opts, struct source **ret,
			      struct sf_err *err)
{
	char shown[1024];
	uint8_t head[FLAT_SIG_LEN];
	struct source *s;
	bool spool;
	int rc, fd;

	remote_display_name(url, shown, sizeof(shown));
	s = source_new(shown);
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	rc = remote_open(url, s->name, opts ? opts->net : NULL, &s->remote, err);
	if (rc < 0)
		goto fail;
	s->size = remote_size(s->remote);
	spool = remote_ignores_range(s->remote);	/* and --spool-remote allowed its size */
	if (!spool && (s->size < sizeof(head) || remote_read(s->remote, 0, head, sizeof(head), err) < 0 ||
		       !flat_has_signature(head, sizeof(head)))) {
		*ret = s;
		return 0;
	}
	fd = tmpfile_open(pick_tmpdir(opts), err);
	if (fd < 0) {
		rc = sf_err_prefix(err, "%s: %s is streamed to a temporary file", s->name,
				   spool ? "an object served without range support" : "a flattened dump");
		goto fail;
	}
	rc = remote_download(s->remote, fd, err);
	if (rc < 0) {
		close(fd);
		rc = sf_err_prefix(err, "%s", spool ? "spooling the object (the server ignores Range)" : "streaming the flattened dump");
		goto fail;
	}
	/* From here on the file is local: read with pread, a flattened one indexed in place (or rebuilt). */
	remote_destroy(s->remote);
	s->remote = NULL;
	if (spool && (s->size < sizeof(head) || pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
		      !flat_has_signature(head, sizeof(head)))) {
		s->fd = fd;
		*ret = s;
		return 0;
	}
	rc = flat_index_build(s->name, fd, s->size, &s->ix, err);
	if (rc < 0) {
		close(fd);
		goto fail;
	}
	s->flattened = true;
	if (rc == 1) {
		s->fd = fd;
		s->indexed = true;
		s->size = s->ix.size;
		*ret = s;
		return 0;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		rc = sf_err_errno(err, errno, "%s: cannot seek", s->name);
		close(fd);
		goto fail;
	}
	rc = source_unflatten(s, NULL, 0, fd, opts, err);
	close(fd);
	if (rc < 0)
		goto fail;
	*ret = s;
	return 0;
fail:
	source_destroy(s);
	return rc;
}

int source_open(const char *path, const struct source_opts *opts, struct source **ret, struct sf_err *err)
{
	struct source *s;
	uint8_t head[FLAT_SIG_LEN];
	struct stat sb;
	ssize_t n;
	int fd = -1, rc;

	*ret = NULL;
	if (remote_is_url(path))
		return source_open_remote(path, opts, ret, err);
	s = source_new(strcmp(path, "-") ? path : "<stdin>");
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	if (!strcmp(path, "-")) {
		s->is_stdin = true;
		if (fstat(STDIN_FILENO, &sb) == 0 && S_ISREG(sb.st_mode) && lseek(STDIN_FILENO, 0, SEEK_CUR) == 0 &&
		    (fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)) >= 0)
			goto regular;
		rc = source_spool(s, STDIN_FILENO, opts, err);
		if (rc < 0)
			goto fail;
		*ret = s;
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = sf_err_errno(err, errno, "%s: cannot open", path);
		sf_err_path(err, path);
		goto fail;
	}
	if (fstat(fd, &sb) < 0) {
		rc = sf_err_errno(err, errno, "%s: cannot stat", path);
		sf_err_path(err, path);
		goto fail;
	}
	if (S_ISDIR(sb.st_mode)) {
		rc = sf_err_set(err, SF_EIO, "%s: is a directory; give the dump file inside it (e.g. %s/vmcore)", path, path);
		goto fail;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISBLK(sb.st_mode)) {
		/* A pipe or FIFO given by name (e.g. <(zstdcat ...)): spool it like stdin. */
		rc = source_spool(s, fd, opts, err);
		if (rc < 0)
			goto fail;
		close(fd);
		*ret = s;
		return 0;
	}
regular:
	s->fd = fd;
	if (S_ISBLK(sb.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		s->size = end > 0 ? (uint64_t)end : 0;
	} else {
		s->size = (uint64_t)sb.st_size;
	}
	n = s->size >= sizeof(head) ? pread(fd, head, sizeof(head), 0) : 0;
	if (n == (ssize_t)sizeof(head) && zstream_detect(head, sizeof(head)) != ZS_NONE) {
		s->fd = -1;
		rc = lseek(fd, 0, SEEK_SET) < 0 ? sf_err_errno(err, errno, "%s: cannot seek", path)
			: source_spool_compressed(s, zstream_detect(head, sizeof(head)), NULL, 0, fd, opts, err);
		if (rc < 0)
			goto fail;
		close(fd);
		*ret = s;
		return 0;
	}
	if (n == (ssize_t)sizeof(head) && flat_has_signature(head, sizeof(head)) && S_ISREG(sb.st_mode)) {
		rc = flat_index_build(s->name, fd, s->size, &s->ix, err);
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			s->indexed = true;
			s->flattened = true;
			s->size = s->ix.size;
			*ret = s;
			return 0;
		}
	}
	if (n == (ssize_t)sizeof(head) && flat_has_signature(head, sizeof(head))) {
		s->fd = -1;
		if (lseek(fd, 0, SEEK_SET) < 0) {
			rc = sf_err_errno(err, errno, "%s: cannot seek", path);
			goto fail;
		}
		rc = source_unflatten(s, NULL, 0, fd, opts, err);
		if (rc < 0)
			goto fail;
		close(fd);
	}
	*ret = s;
	return 0;
fail:
	if (fd >= 0 && s->fd != fd)
		close(fd);
	source_destroy(s);
	return rc;
}

int source_open_mem(const char *name, const void *data, size_t len, struct source **ret, struct sf_err *err)
{
	struct source *s = source_new(name);

	*ret = NULL;
	if (!s)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	s->mem = data;
	s->size = len;
	*ret = s;
	return 0;
}

void source_destroy(struct source *src)
{
	if (!src)
		return;
	if (src->fd >= 0)
		close(src->fd);
	remote_destroy(src->remote);
	flat_index_free(&src->ix);
	free(src->name);
	free(src);
}

int source_read(struct source *src, uint64_t off, void *buf, size_t len, const char *what, struct sf_err *err)
{
	uint8_t *p = buf;
	uint64_t end;

	if (add_overflows_u64(off, len, &end) || end > src->size)
		return sf_err_set(err, SF_ETRUNC, "%s: %s at offset 0x%llx (%zu bytes) is past the end of the file (size 0x%llx)",
				  src->name, what ? what : "data", (unsigned long long)off, len,
				  (unsigned long long)src->size);
	if (!len)
		return 0;
	if (src->mem) {
		memcpy(p, src->mem + off, len);
		return 0;
	}
	if (src->remote) {
		int rc = remote_read(src->remote, off, p, len, err);

		return rc < 0 ? sf_err_prefix(err, "reading %s at offset 0x%llx", what ? what : "data",
					      (unsigned long long)off) : 0;
	}
	if (src->indexed) {
		int rc = flat_index_read(&src->ix, src->fd, off, p, len, err);

		return rc < 0 ? sf_err_prefix(err, "%s: reading %s at offset 0x%llx of the flattened dump", src->name,
					      what ? what : "data", (unsigned long long)off) : 0;
	}
	if (src->truncated) {
		/*
		 * A truncated flattened stream leaves holes where records never
		 * arrived; they would read as zeros.  The sparse rebuilt file knows
		 * them (SEEK_DATA/SEEK_HOLE, file-system block granularity), so such
		 * reads fail instead of inventing zeros.
		 */
		off_t d = lseek(src->fd, (off_t)off, SEEK_DATA);
		bool hole = d < 0 ? errno == ENXIO : d != (off_t)off;	/* other errors: no SEEK_DATA here */

		if (!hole && d >= 0) {
			off_t h = lseek(src->fd, (off_t)off, SEEK_HOLE);

			hole = h >= 0 && (uint64_t)h < end;
		}
		if (hole)
			return sf_err_set(err, SF_ETRUNC, "%s: %s at offset 0x%llx (%zu bytes) was never written: the flattened stream was truncated",
					  src->name, what ? what : "data", (unsigned long long)off, len);
	}
	while (len) {
		ssize_t n = pread(src->fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sf_err_errno(err, errno, "%s: reading %s at offset 0x%llx failed", src->name,
					    what ? what : "data", (unsigned long long)off);
		if (n == 0)	/* the file shrank under us */
			return sf_err_set(err, SF_ETRUNC, "%s: %s at offset 0x%llx: unexpected end of file",
					  src->name, what ? what : "data", (unsigned long long)off);
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

void source_display_name(const char *path, char *buf, size_t cap)
{
	if (remote_is_url(path))
		remote_display_name(path, buf, cap);
	else
		snprintf(buf, cap, "%s", strcmp(path, "-") ? path : "<stdin>");
}

void source_prefetch(struct source *src, const struct source_range *ranges, size_t n)
{
	if (src->remote && n)
		remote_prefetch(src->remote, ranges, n);
}

bool source_is_remote(const struct source *src)
{
	return src->remote != NULL;
}

uint64_t source_size(const struct source *src)
{
	return src->size;
}

const char *source_name(const struct source *src)
{
	return src->name;
}

bool source_was_flattened(const struct source *src)
{
	return src->flattened;
}

bool source_was_stdin(const struct source *src)
{
	return src->is_stdin;
}
