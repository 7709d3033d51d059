// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decoders for compressed dump files: gzip (zlib), xz (liblzma), zstd
 * (libzstd) and bzip2 (libbz2), each streamed from a file descriptor into a
 * socket on a thread.  See zstream.h for why a thread and a socket.
 *
 * Concatenated streams are read to the end, as gzip -d, xz -d, zstd -d and
 * bzip2 -d do: pigz/pbzip2 write several members, and `cat a.gz b.gz` is one
 * gzip file.  Bytes after the last member that are not another member
 * (zero padding from some uploaders) are reported as trailing garbage.
 */
#include <bzlib.h>
#include <errno.h>
#include <lzma.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "io/zstream.h"

#define ZS_IN_CHUNK (256u * 1024)
#define ZS_OUT_CHUNK (1u << 20)

struct zstream {
	enum zs_kind kind;
	char *name;
	uint8_t *pre;
	size_t prelen, prepos;
	int in_fd;
	int wfd, rfd;
	pthread_t thread;
	bool started;
	/* set by the thread, read after the join */
	uint64_t in_off;	/* compressed bytes consumed */
	uint64_t out_off;	/* decompressed bytes delivered */
	struct sf_err err;
	int rc;
	uint8_t *in, *out;
};

enum zs_kind zstream_detect(const uint8_t *p, size_t n)
{
	static const uint8_t xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return ZS_GZIP;
	if (n >= 6 && !memcmp(p, xz, 6))
		return ZS_XZ;
	if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return ZS_ZSTD;
	if (n >= 4 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h' && p[3] >= '1' && p[3] <= '9')
		return ZS_BZIP2;
	return ZS_NONE;
}

const char *zstream_name(enum zs_kind kind)
{
	switch (kind) {
	case ZS_GZIP: return "gzip";
	case ZS_XZ: return "xz";
	case ZS_ZSTD: return "zstd";
	case ZS_BZIP2: return "bzip2";
	default: return "none";
	}
}

/* Next compressed bytes: the pre-read head first, then the file.  Returns bytes, 0 at EOF, <0 -errno. */
static ssize_t zs_fill(struct zstream *zs)
{
	size_t got = 0;

	if (zs->prepos < zs->prelen) {
		got = zs->prelen - zs->prepos;
		if (got > ZS_IN_CHUNK)
			got = ZS_IN_CHUNK;
		memcpy(zs->in, zs->pre + zs->prepos, got);
		zs->prepos += got;
		return (ssize_t)got;
	}
	for (;;) {
		ssize_t n = read(zs->in_fd, zs->in, ZS_IN_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		return n < 0 ? -errno : n;
	}
}

/* Delivers len decompressed bytes; -1 when the reader has gone (not an error of the input). */
static int zs_emit(struct zstream *zs, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = send(zs->wfd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
		zs->out_off += (uint64_t)n;
	}
	return 0;
}

static int zs_readerr(struct zstream *zs, ssize_t n)
{
	return sf_err_errno(&zs->err, (int)-n, "%s: reading the %s-compressed file at offset %llu failed", zs->name,
			    zstream_name(zs->kind), (unsigned long long)zs->in_off);
}

static int zs_truncated(struct zstream *zs)
{
	return sf_err_set(&zs->err, SF_ETRUNC, "%s: the %s stream ends early (compressed file truncated at %llu bytes, "
			  "%llu bytes decompressed)", zs->name, zstream_name(zs->kind), (unsigned long long)zs->in_off,
			  (unsigned long long)zs->out_off);
}

static int zs_corrupt(struct zstream *zs, const char *what)
{
	return sf_err_set(&zs->err, SF_ECORRUPT, "%s: %s data is corrupt near compressed offset %llu (%s; %llu bytes "
			  "decompressed before it)", zs->name, zstream_name(zs->kind), (unsigned long long)zs->in_off,
			  what, (unsigned long long)zs->out_off);
}

static int run_gzip(struct zstream *zs)
{
	z_stream s;
	int zr = Z_OK, rc = 0;
	bool in_member = false;

	memset(&s, 0, sizeof(s));
	if (inflateInit2(&s, 15 + 16) != Z_OK)
		return sf_err_set(&zs->err, SF_ENOMEM, "%s: gzip: inflateInit2 failed", zs->name);
	for (;;) {
		if (!s.avail_in) {
			ssize_t n = zs_fill(zs);

			if (n < 0) {
				rc = zs_readerr(zs, n);
				break;
			}
			if (n == 0) {
				if (in_member)
					rc = zs_truncated(zs);
				break;
			}
			s.next_in = zs->in;
			s.avail_in = (uInt)n;
		}
		if (!in_member) {	/* a new member must start with the magic; else trailing garbage */
			if (s.avail_in >= 1 && s.next_in[0] != 0x1f) {
				bool zeros = true;

				for (uInt i = 0; i < s.avail_in; i++)
					zeros = zeros && !s.next_in[i];
				if (zeros && zs->out_off) {	/* zero padding: skip it */
					zs->in_off += s.avail_in;
					s.avail_in = 0;
					continue;
				}
				rc = zs_corrupt(zs, "trailing bytes after the last gzip member");
				break;
			}
			in_member = true;
		}
		s.next_out = zs->out;
		s.avail_out = ZS_OUT_CHUNK;
		{
			uInt before = s.avail_in;

			zr = inflate(&s, Z_NO_FLUSH);
			zs->in_off += before - s.avail_in;
		}
		if (ZS_OUT_CHUNK - s.avail_out && zs_emit(zs, zs->out, ZS_OUT_CHUNK - s.avail_out) < 0)
			break;
		if (zr == Z_STREAM_END) {
			in_member = false;
			inflateReset(&s);
		} else if (zr == Z_BUF_ERROR && !s.avail_in) {
			continue;	/* needs input */
		} else if (zr != Z_OK) {
			rc = zs_corrupt(zs, s.msg ? s.msg : "inflate failed");
			break;
		}
	}
	inflateEnd(&s);
	return rc;
}

static int run_xz(struct zstream *zs)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_action act = LZMA_RUN;
	lzma_ret lr;
	int rc = 0;

	/* LZMA_CONCATENATED: read every stream, as xz -d does; no memory limit beyond liblzma's own checks */
	if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
		return sf_err_set(&zs->err, SF_ENOMEM, "%s: xz: lzma_stream_decoder failed", zs->name);
	for (;;) {
		if (!s.avail_in && act == LZMA_RUN) {
			ssize_t n = zs_fill(zs);

			if (n < 0) {
				rc = zs_readerr(zs, n);
				break;
			}
			if (n == 0)
				act = LZMA_FINISH;
			s.next_in = zs->in;
			s.avail_in = (size_t)n;
		}
		s.next_out = zs->out;
		s.avail_out = ZS_OUT_CHUNK;
		{
			size_t before = s.avail_in;

			lr = lzma_code(&s, act);
			zs->in_off += before - s.avail_in;
		}
		if (ZS_OUT_CHUNK - s.avail_out && zs_emit(zs, zs->out, ZS_OUT_CHUNK - s.avail_out) < 0)
			break;
		if (lr == LZMA_STREAM_END)
			break;
		if (lr == LZMA_BUF_ERROR && act == LZMA_FINISH) {
			rc = zs_truncated(zs);
			break;
		}
		if (lr != LZMA_OK) {
			rc = lr == LZMA_MEM_ERROR ? sf_err_set(&zs->err, SF_ENOMEM, "%s: xz: out of memory", zs->name)
						   : zs_corrupt(zs, lr == LZMA_DATA_ERROR ? "data error" :
								lr == LZMA_FORMAT_ERROR ? "not xz" : "decoder error");
			break;
		}
	}
	lzma_end(&s);
	return rc;
}

static int run_zstd(struct zstream *zs)
{
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	ZSTD_inBuffer in = { zs->in, 0, 0 };
	size_t last = 0;	/* 0 after a complete frame */
	int rc = 0;

	if (!dc)
		return sf_err_set(&zs->err, SF_ENOMEM, "%s: zstd: ZSTD_createDCtx failed", zs->name);
	/* long-distance matching (zstd --long=31) needs the larger window */
	ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, 31);
	for (;;) {
		if (in.pos == in.size) {
			ssize_t n = zs_fill(zs);

			if (n < 0) {
				rc = zs_readerr(zs, n);
				break;
			}
			if (n == 0) {
				if (last)
					rc = zs_truncated(zs);
				break;
			}
			in.size = (size_t)n;
			in.pos = 0;
		}
		while (in.pos < in.size) {
			ZSTD_outBuffer out = { zs->out, ZS_OUT_CHUNK, 0 };
			size_t before = in.pos;

			last = ZSTD_decompressStream(dc, &out, &in);
			zs->in_off += in.pos - before;
			if (ZSTD_isError(last)) {
				rc = zs_corrupt(zs, ZSTD_getErrorName(last));
				goto out;
			}
			if (out.pos && zs_emit(zs, zs->out, out.pos) < 0)
				goto out;
		}
	}
out:
	ZSTD_freeDCtx(dc);
	return rc;
}

static int run_bzip2(struct zstream *zs)
{
	bz_stream s;
	int br = BZ_OK, rc = 0;
	bool open = false, eof = false;

	memset(&s, 0, sizeof(s));
	for (;;) {
		if (!s.avail_in && !eof) {
			ssize_t n = zs_fill(zs);

			if (n < 0) {
				rc = zs_readerr(zs, n);
				break;
			}
			if (n == 0)
				eof = true;
			s.next_in = (char *)zs->in;
			s.avail_in = (unsigned)n;
		}
		if (!open) {
			if (!s.avail_in)
				break;	/* end of file between streams */
			if (s.next_in[0] != 'B') {
				rc = zs_corrupt(zs, "trailing bytes after the last bzip2 stream");
				break;
			}
			if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK) {
				rc = sf_err_set(&zs->err, SF_ENOMEM, "%s: bzip2: BZ2_bzDecompressInit failed", zs->name);
				break;
			}
			open = true;
		}
		s.next_out = (char *)zs->out;
		s.avail_out = ZS_OUT_CHUNK;
		{
			unsigned before = s.avail_in;

			br = BZ2_bzDecompress(&s);
			zs->in_off += before - s.avail_in;
		}
		if (ZS_OUT_CHUNK - s.avail_out && zs_emit(zs, zs->out, ZS_OUT_CHUNK - s.avail_out) < 0)
			break;
		if (br == BZ_STREAM_END) {	/* pbzip2 writes several streams */
			BZ2_bzDecompressEnd(&s);
			open = false;
			continue;
		}
		if (br != BZ_OK) {
			rc = zs_corrupt(zs, br == BZ_DATA_ERROR ? "data error" : br == BZ_DATA_ERROR_MAGIC ? "bad magic" :
					"decoder error");
			break;
		}
		if (eof && !s.avail_in && s.avail_out) {
			rc = zs_truncated(zs);
			break;
		}
	}
	if (open)
		BZ2_bzDecompressEnd(&s);
	return rc;
}

static void *zs_thread(void *arg)
{
	struct zstream *zs = arg;

	switch (zs->kind) {
	case ZS_GZIP: zs->rc = run_gzip(zs); break;
	case ZS_XZ: zs->rc = run_xz(zs); break;
	case ZS_ZSTD: zs->rc = run_zstd(zs); break;
	case ZS_BZIP2: zs->rc = run_bzip2(zs); break;
	default: zs->rc = sf_err_set(&zs->err, SF_ENOTSUP, "%s: not a compressed file", zs->name); break;
	}
	close(zs->wfd);		/* end of file for the reader */
	zs->wfd = -1;
	return NULL;
}

static void zs_free(struct zstream *zs)
{
	if (!zs)
		return;
	if (zs->rfd >= 0)
		close(zs->rfd);
	if (zs->wfd >= 0)
		close(zs->wfd);
	free(zs->pre);
	free(zs->in);
	free(zs->out);
	free(zs->name);
	free(zs);
}

int zstream_start(enum zs_kind kind, const char *name, const uint8_t *pre, size_t prelen, int in_fd,
		  struct zstream **ret, int *ret_fd, struct sf_err *err)
{
	struct zstream *zs = calloc(1, sizeof(*zs));
	int sv[2];

	*ret = NULL;
	*ret_fd = -1;
	if (!zs)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	zs->rfd = zs->wfd = -1;
	zs->kind = kind;
	zs->in_fd = in_fd;
	zs->name = strdup(name);
	zs->pre = prelen ? malloc(prelen) : NULL;
	zs->in = malloc(ZS_IN_CHUNK);
	zs->out = malloc(ZS_OUT_CHUNK);
	if (!zs->name || (prelen && !zs->pre) || !zs->in || !zs->out) {
		zs_free(zs);
		return sf_err_set(err, SF_ENOMEM, "%s: out of memory for the %s decoder", name, zstream_name(kind));
	}
	if (prelen)
		memcpy(zs->pre, pre, prelen);
	zs->prelen = prelen;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		int e = errno;

		zs_free(zs);
		return sf_err_errno(err, e, "%s: socketpair for the %s decoder", name, zstream_name(kind));
	}
	zs->rfd = sv[0];
	zs->wfd = sv[1];
	shutdown(zs->rfd, SHUT_WR);
	shutdown(zs->wfd, SHUT_RD);
	if (pthread_create(&zs->thread, NULL, zs_thread, zs) != 0) {
		zs_free(zs);
		return sf_err_set(err, SF_ENOMEM, "%s: cannot start the %s decoder thread", name, zstream_name(kind));
	}
	zs->started = true;
	*ret = zs;
	*ret_fd = zs->rfd;
	return 0;
}

int zstream_finish(struct zstream *zs, struct sf_err *err)
{
	int rc;

	if (!zs)
		return 0;
	/* closing the read end first makes a decoder blocked in send() fail with EPIPE and stop */
	if (zs->rfd >= 0)
		close(zs->rfd);
	zs->rfd = -1;
	if (zs->started)
		pthread_join(zs->thread, NULL);
	rc = zs->rc;
	if (rc < 0 && err)
		*err = zs->err;
	zs_free(zs);
	return rc;
}
