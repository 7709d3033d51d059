// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dump behind an http:// or https:// URL, read with HTTP range requests
 * (RFC 9110 section 14) through libcurl.
 *
 * What costs is the number of dependent round trips, not bytes: at 50 ms per
 * request a job that reads 300 scattered 24-byte page descriptors one after
 * the other takes 15 s whatever the link's bandwidth.  So:
 *
 *  - reads go through a cache of 64 KiB blocks (REMOTE_CACHE_BLOCKS of them:
 *    16 MiB, the job stays well inside 64 MiB RSS), evicted least recently
 *    used;
 *  - a miss fetches every missing block the read needs in one request, plus
 *    readahead: when the block before the missed one is cached, the miss
 *    continues a sequential run (page descriptors, page data in pfn order,
 *    a bitmap scan) and fetches twice the window that brought that block in,
 *    up to 2 MiB: the way the Linux page cache grows its readahead;
 *  - readers that know what comes next say so (source_prefetch): several
 *    ranges go out at once on a curl multi handle, one round trip for all;
 *  - reads of 1 MiB or more (BTF and note areas) bypass the cache and are
 *    fetched in one request straight into the caller's buffer.
 *
 * Faults never become data.  Every response must be 206 with a
 * Content-Range naming exactly the bytes asked and a body of exactly that
 * length, and the same validator (ETag, else Last-Modified) as the first
 * response; anything else is a named error.  5xx, 408, 429, timeouts,
 * dropped connections and short bodies are retried REMOTE_RETRIES times with
 * exponential backoff; 200 to a range request (the server ignores Range),
 * 401/403/404/416, a changed object, too many redirects and TLS failures are
 * not.
 *
 * The URL is handed to libcurl as given: the query string of a presigned
 * S3 / GCS / Azure SAS URL is its credential and must not be re-encoded.
 * Messages and reports name the URL without its query (remote_display_name).
 *
 * libcurl is loaded with dlopen() when a URL is opened, not linked: linked,
 * it and what it pulls in (OpenSSL, nghttp2, libssh2, LDAP, Kerberos: 49
 * shared objects instead of 21) cost every run about 6 MiB of peak RSS,
 * local dumps included.  <curl/curl.h> still gives the types and constants;
 * the functions come from a table (struct curl_api) each remote resolves.
 */
#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "skbfilter/bytes.h"
#include "io/remote.h"

#define REMOTE_BLOCK_SHIFT 16
#define REMOTE_BLOCK (1u << REMOTE_BLOCK_SHIFT)	/* 64 KiB */
#define REMOTE_CACHE_BLOCKS 256			/* 16 MiB of cache */
#define REMOTE_HASH 1024			/* buckets, a power of two */
#define REMOTE_RA_MAX 32			/* blocks of readahead at most: 2 MiB */
#define REMOTE_DIRECT_MIN (1u << 20)		/* reads this large skip the cache */
#define REMOTE_PAR_MAX 16			/* parallel requests in one batch */
#define REMOTE_BATCH_BLOCKS 64			/* and at most 4 MiB of buffers for them */
#define REMOTE_REGION_SHIFT 21			/* 2 MiB regions for the hot-region rule */
#define REMOTE_REGION_MISSES 4			/* the miss that fetches the rest of its region */
#define REMOTE_REGIONS 64			/* regions tracked (direct-mapped) */
#define REMOTE_RETRIES 4			/* after the first attempt: 5 requests at most */
#define REMOTE_BACKOFF_MS 100			/* 100, 200, 400, 800 ms */
#define REMOTE_MAX_REDIRS 5
#define REMOTE_CONNECT_TIMEOUT 15		/* seconds */
#define REMOTE_STALL_TIMEOUT 30			/* seconds without a byte: a timeout (retried) */

/* ---- libcurl, loaded on first use ---- */

/*
 * The shared object of libcurl's ABI 4 (every libcurl since 7.16.0; Debian's
 * libcurl4, libcurl4t64 from trixie on).  SKBFILTER_LIBCURL names another
 * file instead: for tests of the load errors, and for a libcurl installed
 * outside the loader's path.
 */
#define REMOTE_LIBCURL "libcurl.so.4"
/*
 * The oldest libcurl we accept: 7.85.0 added CURLOPT_PROTOCOLS_STR and
 * CURLOPT_REDIR_PROTOCOLS_STR, which keep requests and redirects to http and
 * https (an older libcurl ignores the option it does not know, silently, and
 * would follow a redirect to any scheme it was built with).  The next newest
 * need is curl_multi_poll (7.66.0).  Debian 12 ships 7.88.1.
 */
#define REMOTE_CURL_MIN 0x075500
#define REMOTE_CURL_MIN_STR "7.85.0"

/*
 * Every libcurl function remote.c calls.  Each pointer has the type of the
 * declaration in <curl/curl.h> (__typeof__ of the name: a function-like
 * macro such as the typecheck wrapper of curl_easy_setopt does not expand
 * without its parentheses): arguments are checked against the prototypes.
 * The per-option checks of curl's typecheck-gcc.h only apply to direct calls
 * of curl_easy_setopt/getinfo and are lost here.
 */
#define CURL_API_FUNCS(X)					\
	X(version_info, curl_version_info)			\
	X(global_init, curl_global_init)			\
	X(global_cleanup, curl_global_cleanup)			\
	X(easy_init, curl_easy_init)				\
	X(easy_reset, curl_easy_reset)				\
	X(easy_setopt, curl_easy_setopt)			\
	X(easy_perform, curl_easy_perform)			\
	X(easy_getinfo, curl_easy_getinfo)			\
	X(easy_strerror, curl_easy_strerror)			\
	X(easy_cleanup, curl_easy_cleanup)			\
	X(share_init, curl_share_init)				\
	X(share_setopt, curl_share_setopt)			\
	X(share_cleanup, curl_share_cleanup)			\
	X(multi_init, curl_multi_init)				\
	X(multi_setopt, curl_multi_setopt)			\
	X(multi_add_handle, curl_multi_add_handle)		\
	X(multi_remove_handle, curl_multi_remove_handle)	\
	X(multi_perform, curl_multi_perform)			\
	X(multi_poll, curl_multi_poll)				\
	X(multi_info_read, curl_multi_info_read)		\
	X(multi_cleanup, curl_multi_cleanup)			\
	X(slist_append, curl_slist_append)			\
	X(slist_free_all, curl_slist_free_all)

/* Filled once by curl_api_load(), read-only after (remotes hold it const). */
struct curl_api {
	void *lib;		/* the dlopen() handle */
#define X(field, sym) __typeof__(sym) *field;
	CURL_API_FUNCS(X)
#undef X
};

static void curl_api_unload(const struct curl_api *c)
{
	if (!c)
		return;
	/* RTLD_NODELETE: this only drops a reference; the mapping stays (see curl_api_load). */
	if (c->lib)
		dlclose(c->lib);
	free((void *)c);
}

/* dlsym() of one libcurl function, or a named error. */
static int curl_api_sym(void *lib, const char *file, const char *sym, void **ret, const char *name, struct sf_err *err)
{
	const char *why;

	dlerror();
	*ret = dlsym(lib, sym);
	if (*ret)
		return 0;
	why = dlerror();
	return sf_err_set(err, SF_ENOTSUP, "%s: %s is not a usable libcurl: it has no %s (%s); install libcurl "
			  REMOTE_CURL_MIN_STR " or newer (Debian and Ubuntu: package libcurl4, libcurl4t64 on newer releases)",
			  name, file, sym, why ? why : "no such symbol");
}

/*
 * Loads libcurl and resolves the table; a named error (never a crash) when
 * the library is missing, lacks a function or is older than
 * REMOTE_CURL_MIN.  `name` is the URL as shown in messages.
 *
 * RTLD_NODELETE: libcurl stays mapped after the last dlclose().  It and the
 * libraries it loads (OpenSSL, GnuTLS under libldap, Kerberos) register
 * atexit handlers and thread-specific data destructors that are not all
 * safe to unmap while the process runs; a later URL (the second file of a
 * split set, a flattened dump streamed then closed) finds it loaded.
 */
static int curl_api_load(const char *name, const struct curl_api **ret, struct sf_err *err)
{
	const char *file = secure_getenv("SKBFILTER_LIBCURL");
	const curl_version_info_data *v;
	struct curl_api *c;
	void *p;
	int rc;

	*ret = NULL;
	if (!file || !*file)
		file = REMOTE_LIBCURL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	c->lib = dlopen(file, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!c->lib) {
		const char *why = dlerror();

		rc = sf_err_set(err, SF_ENOTSUP, "%s: reading a URL needs libcurl, which could not be loaded (%s); install it "
				"(Debian and Ubuntu: package libcurl4, libcurl4t64 on newer releases)",
				name, why ? why : file);
		goto fail;
	}
	/* The version first: an old libcurl is named as such, not by the first function it lacks. */
	rc = curl_api_sym(c->lib, file, "curl_version_info", &p, name, err);
	if (rc < 0)
		goto fail;
	c->version_info = (__typeof__(c->version_info))p;
	/* CURLVERSION_FIRST: version and version_num are in every age of the struct. */
	v = c->version_info(CURLVERSION_FIRST);
	if (!v || v->version_num < REMOTE_CURL_MIN) {
		rc = sf_err_set(err, SF_ENOTSUP, "%s: %s is libcurl %s, older than " REMOTE_CURL_MIN_STR
				" (the first that can keep requests and redirects to http and https); install a newer "
				"libcurl (Debian and Ubuntu: package libcurl4, libcurl4t64 on newer releases)",
				name, file, v && v->version ? v->version : "of unknown version");
		goto fail;
	}
#define X(field, sym)								\
	rc = curl_api_sym(c->lib, file, #sym, &p, name, err);			\
	if (rc < 0)								\
		goto fail;							\
	c->field = (__typeof__(c->field))p;
	CURL_API_FUNCS(X)
#undef X
	*ret = c;
	return 0;
fail:
	curl_api_unload(c);
	return rc;
}

struct rblock {
	uint64_t blk;		/* block number: offset >> REMOTE_BLOCK_SHIFT */
	uint8_t *data;		/* REMOTE_BLOCK bytes, allocated on first use and kept */
	uint32_t len;		/* bytes valid (the last block of the object is shorter) */
	uint32_t window;	/* blocks fetched by the request that brought this one */
	uint64_t stamp;		/* last use, for LRU */
	int next;		/* hash chain, -1 ends */
	bool used;
};

struct remote {
	char *url;
	const char *name;
	const struct curl_api *curl;	/* libcurl's functions, loaded by remote_open */
	bool curl_global;		/* curl_global_init succeeded: cleanup owed */
	CURLSH *share;		/* connections, DNS and TLS sessions shared by every handle */
	CURL *easy;		/* for single requests */
	CURL *par[REMOTE_PAR_MAX];
	CURLM *multi;
	struct curl_slist *headers;
	bool insecure;
	bool no_range;		/* the server ignores Range; allowed by spool_max: download whole */
	uint64_t spool_max;
	long stall_timeout;
	uint64_t size;
	char etag[256], lastmod[128];	/* validator of the first response */
	struct rblock blk[REMOTE_CACHE_BLOCKS];
	struct {
		uint64_t tag;	/* region number + 1; 0 = empty */
		unsigned misses;
	} region[REMOTE_REGIONS];
	int bucket[REMOTE_HASH];
	uint64_t clock;
	uint8_t *stage;		/* REMOTE_RA_MAX blocks: a fill's body before it is cut into blocks */
	struct source_net_stats st;
	struct source_net_stats *out;
	struct sf_err fatal;	/* the fault that stopped this source: every later read fails with it */
};

/* One request: a range [off, off + len) into dst, or (whole) the object into fd. */
struct xfer {
	struct remote *r;
	CURL *h;
	uint64_t off, len;
	uint8_t *dst;
	int fd;
	bool whole;		/* no Range: remote_download */
	bool open;		/* the first request: the object may be shorter than asked */
	uint64_t got;
	long status;		/* of the last status line seen (redirects go by) */
	bool ignored_range;	/* 200 to a range request: aborted after the headers */
	bool overflow;		/* more body than asked */
	int write_errno;
	char content_range[128], etag[256], lastmod[128];
	int64_t content_length;	/* -1: none */
	char curlmsg[CURL_ERROR_SIZE];
};

static int ci_prefix(const char *s, const char *p)
{
	return !strncasecmp(s, p, strlen(p));
}

bool remote_is_url(const char *path)
{
	return ci_prefix(path, "http://") || ci_prefix(path, "https://");
}

void remote_display_name(const char *url, char *buf, size_t cap)
{
	const char *auth = strstr(url, "://"), *end, *at;
	size_t n = 0;

	if (!cap)
		return;
	end = url + strcspn(url, "?#");
	auth = auth && auth < end ? auth + 3 : url;
	/* user:password@host: drop the credentials. */
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at && at < auth + strcspn(auth, "/")) {
		n = (size_t)(auth - url);
		n = n < cap - 1 ? n : cap - 1;
		memcpy(buf, url, n);
		url = at + 1;
	}
	for (; url < end && n < cap - 1; url++)
		buf[n++] = *url;
	buf[n] = 0;
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void copy_hval(char *dst, size_t cap, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = 0;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nitems;

	if (n >= 5 && !memcmp(line, "HTTP/", 5)) {
		/* A new response (after a redirect or a 100 Continue): forget the last one's headers. */
		const char *sp = memchr(line, ' ', n);

		x->status = sp ? strtol(sp + 1, NULL, 10) : 0;
		x->content_range[0] = x->etag[0] = x->lastmod[0] = 0;
		x->content_length = -1;
	} else if (n > 15 && ci_prefix(line, "content-length:")) {
		char v[32];

		copy_hval(v, sizeof(v), line + 15, n - 15);
		x->content_length = v[0] >= '0' && v[0] <= '9' ? strtoll(v, NULL, 10) : -1;
	} else if (n > 14 && ci_prefix(line, "content-range:")) {
		copy_hval(x->content_range, sizeof(x->content_range), line + 14, n - 14);
	} else if (n > 5 && ci_prefix(line, "etag:")) {
		copy_hval(x->etag, sizeof(x->etag), line + 5, n - 5);
	} else if (n > 14 && ci_prefix(line, "last-modified:")) {
		copy_hval(x->lastmod, sizeof(x->lastmod), line + 14, n - 14);
	}
	return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;

	if (!x->whole && x->status == 200) {
		/* The server sends the whole object: stop before it streams a TiB. */
		x->ignored_range = true;
		return 0;
	}
	if (x->whole) {
		for (size_t done = 0; done < n;) {
			ssize_t w = pwrite(x->fd, data + done, n - done, (off_t)(x->got + done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				x->write_errno = w < 0 ? errno : EIO;
				return 0;
			}
			done += (size_t)w;
		}
	} else {
		if (n > x->len - x->got) {
			x->overflow = true;
			return 0;
		}
		memcpy(x->dst + x->got, data, n);
	}
	x->got += n;
	return n;
}

static void xfer_setup(struct remote *r, struct xfer *x, CURL *h)
{
	const struct curl_api *c = r->curl;
	char range[64];

	x->r = r;
	x->h = h;
	x->got = 0;
	x->status = 0;
	x->ignored_range = x->overflow = false;
	x->write_errno = 0;
	x->content_range[0] = x->etag[0] = x->lastmod[0] = x->curlmsg[0] = 0;
	x->content_length = -1;
	c->easy_reset(h);
	c->easy_setopt(h, CURLOPT_URL, r->url);
	c->easy_setopt(h, CURLOPT_SHARE, r->share);
	c->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	c->easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	c->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	c->easy_setopt(h, CURLOPT_MAXREDIRS, (long)REMOTE_MAX_REDIRS);
	c->easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	c->easy_setopt(h, CURLOPT_HTTPHEADER, r->headers);
	c->easy_setopt(h, CURLOPT_SSL_VERIFYPEER, r->insecure ? 0L : 1L);
	c->easy_setopt(h, CURLOPT_SSL_VERIFYHOST, r->insecure ? 0L : 2L);
	c->easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	c->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)REMOTE_CONNECT_TIMEOUT);
	c->easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	c->easy_setopt(h, CURLOPT_LOW_SPEED_TIME, r->stall_timeout);
	c->easy_setopt(h, CURLOPT_USERAGENT, "skbfilter");
	c->easy_setopt(h, CURLOPT_ERRORBUFFER, x->curlmsg);
	c->easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	c->easy_setopt(h, CURLOPT_HEADERDATA, x);
	c->easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	c->easy_setopt(h, CURLOPT_WRITEDATA, x);
	c->easy_setopt(h, CURLOPT_PRIVATE, x);
	if (!x->whole) {
		snprintf(range, sizeof(range), "%" PRIu64 "-%" PRIu64, x->off, x->off + x->len - 1);
		c->easy_setopt(h, CURLOPT_RANGE, range);
	}
}

/* Content-Range: bytes FIRST-LAST/TOTAL (TOTAL may be "*"). */
static bool parse_content_range(const char *s, uint64_t *first, uint64_t *last, uint64_t *total, bool *total_known)
{
	char *e;

	if (strncasecmp(s, "bytes ", 6))
		return false;
	s += 6;
	errno = 0;
	*first = strtoull(s, &e, 10);
	if (e == s || *e != '-' || errno)
		return false;
	s = e + 1;
	*last = strtoull(s, &e, 10);
	if (e == s || *e != '/' || errno || *last < *first)
		return false;
	s = e + 1;
	if (*s == '*') {
		*total_known = false;
		return true;
	}
	*total = strtoull(s, &e, 10);
	*total_known = true;
	return e != s && !errno && *last < *total;
}

/* Returns 0, 1 for a fault worth retrying (err says which), or a negative code. */
static int xfer_check(struct xfer *x, CURLcode cc, struct sf_err *err)
{
	struct remote *r = x->r;
	const char *name = r->name;
	uint64_t first = 0, last = 0, total = 0, want_last;
	bool total_known = false;
	long code = 0;

	r->curl->easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
	if (x->ignored_range) {
		if (x->open && r->spool_max && x->content_length > 0 && (uint64_t)x->content_length <= r->spool_max) {
			/* Allowed: the caller downloads the whole object once (remote_download). */
			r->no_range = true;
			r->size = (uint64_t)x->content_length;
			copy_hval(r->etag, sizeof(r->etag), x->etag, strlen(x->etag));
			copy_hval(r->lastmod, sizeof(r->lastmod), x->lastmod, strlen(x->lastmod));
			return 0;
		}
		return sf_err_set(err, SF_ENOTSUP, "%s: the server ignored the Range header (HTTP 200 with the whole object instead of 206 Partial Content): the dump cannot be read at random over this server; download it first%s",
				  name, !x->open ? " (and it did serve ranges earlier in the run)" :
				  r->spool_max ? ", or raise --spool-remote (the object is larger, or of unknown size)" :
				  ", or allow spooling objects up to a size with --spool-remote MIB");
	}
	if (x->overflow)
		return sf_err_set(err, SF_EIO, "%s: bytes %" PRIu64 "-%" PRIu64 ": the response body is longer than the range asked",
				  name, x->off, x->off + x->len - 1), 1;
	if (x->write_errno)
		return sf_err_errno(err, x->write_errno, "%s: writing the downloaded object to a temporary file", name);
	switch (cc) {
	case CURLE_OK:
		break;
	case CURLE_HTTP_RETURNED_ERROR:
		if (code >= 500 || code == 408 || code == 429)
			return sf_err_set(err, SF_EIO, "%s: HTTP %ld from the server", name, code), 1;
		if (code == 401 || code == 403)
			return sf_err_set(err, SF_EIO, "%s: HTTP %ld: access denied (check --header, ~/.netrc, or whether a presigned URL expired)",
					  name, code);
		if (code == 404 || code == 410)
			return sf_err_set(err, SF_EIO, "%s: HTTP %ld: no object at this URL", name, code);
		if (code == 416)
			return sf_err_set(err, SF_ETRUNC, "%s: HTTP 416: bytes %" PRIu64 "-%" PRIu64 " are past the end of the object (size 0x%" PRIx64 " when opened): the object changed during the run",
					  name, x->off, x->off + x->len - 1, r->size);
		return sf_err_set(err, SF_EIO, "%s: HTTP %ld from the server", name, code);
	case CURLE_TOO_MANY_REDIRECTS:
		return sf_err_set(err, SF_ELOOP, "%s: more than %d redirects", name, REMOTE_MAX_REDIRS);
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		return sf_err_set(err, SF_EIO, "%s: TLS certificate verification failed (%s); --insecure skips the check",
				  name, x->curlmsg[0] ? x->curlmsg : r->curl->easy_strerror(cc));
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return sf_err_set(err, SF_EIO, "%s: bytes %" PRIu64 "-%" PRIu64 ": %s", name, x->off,
				  x->off + x->len - 1, x->curlmsg[0] ? x->curlmsg : r->curl->easy_strerror(cc)), 1;
	default:
		return sf_err_set(err, SF_EIO, "%s: %s", name, x->curlmsg[0] ? x->curlmsg : r->curl->easy_strerror(cc));
	}
	/* The object must be the one we opened. */
	if (r->etag[0] || r->lastmod[0]) {
		if (r->etag[0] ? strcmp(r->etag, x->etag) : strcmp(r->lastmod, x->lastmod))
			return sf_err_set(err, SF_EIO, "%s: the object changed during the run (%s was %s, now %s): stopping rather than mixing two dumps",
					  name, r->etag[0] ? "ETag" : "Last-Modified", r->etag[0] ? r->etag : r->lastmod,
					  r->etag[0] ? (x->etag[0] ? x->etag : "absent") : (x->lastmod[0] ? x->lastmod : "absent"));
	}
	if (x->whole) {
		if (code != 200 || x->got != r->size)
			return sf_err_set(err, SF_ETRUNC, "%s: download ended after %" PRIu64 " of %" PRIu64 " bytes (HTTP %ld)",
					  name, x->got, r->size, code), 1;
		return 0;
	}
	if (code != 206)
		return sf_err_set(err, SF_EIO, "%s: HTTP %ld to a range request (206 Partial Content expected)", name, code);
	if (!parse_content_range(x->content_range, &first, &last, &total, &total_known))
		return sf_err_set(err, SF_EIO, "%s: 206 response without a usable Content-Range (got '%s')", name,
				  x->content_range), 1;
	if (x->open) {
		if (!total_known)
			return sf_err_set(err, SF_ENOTSUP, "%s: the server does not say the object's size (Content-Range '%s')",
					  name, x->content_range);
		r->size = total;
	} else if (total_known && total != r->size) {
		return sf_err_set(err, SF_EIO, "%s: the object changed during the run (size 0x%" PRIx64 ", now 0x%" PRIx64 ")",
				  name, r->size, total);
	}
	want_last = x->off + x->len - 1;
	if (x->open && total_known && want_last >= total)
		want_last = total - 1;
	if (first != x->off || last != want_last)
		return sf_err_set(err, SF_EIO, "%s: asked for bytes %" PRIu64 "-%" PRIu64 ", the server answered %s", name,
				  x->off, want_last, x->content_range), 1;
	if (x->got != last - first + 1)
		return sf_err_set(err, SF_ETRUNC, "%s: bytes %" PRIu64 "-%" PRIu64 ": short body, %" PRIu64 " of %" PRIu64 " bytes",
				  name, first, last, x->got, last - first + 1), 1;
	if (x->open) {
		copy_hval(r->etag, sizeof(r->etag), x->etag, strlen(x->etag));
		copy_hval(r->lastmod, sizeof(r->lastmod), x->lastmod, strlen(x->lastmod));
	}
	return 0;
}

static void backoff(int attempt)
{
	unsigned ms = REMOTE_BACKOFF_MS << attempt;
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Remembers the fault that stops the source; returns -code. */
static int latch(struct remote *r, struct sf_err *err)
{
	if (!r->fatal.code)
		r->fatal = *err;
	return -err->code;
}

/* One request with bounded retries, on the single handle. */
static int fetch_one(struct remote *r, struct xfer *x, struct sf_err *err)
{
	int rc = 0;

	for (int attempt = 0; attempt <= REMOTE_RETRIES; attempt++) {
		double t0 = now_sec();
		CURLcode cc;

		if (attempt) {
			backoff(attempt - 1);
			r->st.retries++;
		}
		xfer_setup(r, x, r->easy);
		cc = r->curl->easy_perform(r->easy);
		r->st.requests++;
		r->st.round_trips++;
		r->st.bytes += x->got;
		r->st.seconds += now_sec() - t0;
		rc = xfer_check(x, cc, err);
		if (rc == 0)
			return 0;
		if (rc < 0)
			return latch(r, err);
	}
	{
		size_t l = strlen(err->msg);

		snprintf(err->msg + l, sizeof(err->msg) - l, " (gave up after %d attempts)", REMOTE_RETRIES + 1);
	}
	return latch(r, err);
}

static int fetch_range(struct remote *r, uint64_t off, uint64_t len, uint8_t *dst, struct sf_err *err)
{
	struct xfer x = { .off = off, .len = len, .dst = dst, .fd = -1 };

	return fetch_one(r, &x, err);
}

/* ---- the block cache ---- */

static unsigned hash_blk(uint64_t b)
{
	return (unsigned)((b * 0x9e3779b97f4a7c15ull) >> 54) & (REMOTE_HASH - 1);
}

static struct rblock *cache_find(struct remote *r, uint64_t b)
{
	for (int i = r->bucket[hash_blk(b)]; i >= 0; i = r->blk[i].next)
		if (r->blk[i].blk == b) {
			r->blk[i].stamp = ++r->clock;
			return &r->blk[i];
		}
	return NULL;
}

static void cache_unlink(struct remote *r, int i)
{
	int *pp = &r->bucket[hash_blk(r->blk[i].blk)];

	while (*pp != i)
		pp = &r->blk[*pp].next;
	*pp = r->blk[i].next;
	r->blk[i].used = false;
}

/* Inserts a block (if absent), evicting the least recently used one when full. */
static int cache_put(struct remote *r, uint64_t b, const uint8_t *data, uint32_t len, uint32_t window)
{
	int victim = -1;
	unsigned h;

	if (cache_find(r, b))
		return 0;
	for (int i = 0; i < REMOTE_CACHE_BLOCKS; i++) {
		if (!r->blk[i].used) {
			victim = i;
			break;
		}
		if (victim < 0 || r->blk[i].stamp < r->blk[victim].stamp)
			victim = i;
	}
	if (r->blk[victim].used)
		cache_unlink(r, victim);
	if (!r->blk[victim].data && !(r->blk[victim].data = malloc(REMOTE_BLOCK)))
		return -SF_ENOMEM;
	memcpy(r->blk[victim].data, data, len);
	r->blk[victim].blk = b;
	r->blk[victim].len = len;
	r->blk[victim].window = window;
	r->blk[victim].stamp = ++r->clock;
	h = hash_blk(b);
	r->blk[victim].next = r->bucket[h];
	r->bucket[h] = victim;
	r->blk[victim].used = true;
	return 0;
}

static uint64_t nblocks(const struct remote *r)
{
	return (r->size + REMOTE_BLOCK - 1) >> REMOTE_BLOCK_SHIFT;
}

/* Cuts a body of blocks [b, b + n) (stage) into the cache. */
static int cache_fill_from(struct remote *r, uint64_t b, uint64_t n, const uint8_t *stage, uint32_t window)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = (b + i) << REMOTE_BLOCK_SHIFT;
		uint32_t len = r->size - off < REMOTE_BLOCK ? (uint32_t)(r->size - off) : REMOTE_BLOCK;

		if (cache_put(r, b + i, stage + (i << REMOTE_BLOCK_SHIFT), len, window) < 0)
			return -SF_ENOMEM;
	}
	return 0;
}

void remote_prefetch(struct remote *r, const struct source_range *ranges, size_t nr);

/*
 * The hot-region rule.  After the header and tables, a job's reads are
 * dependent and scattered (page tables, task, stacks, per-CPU data, skbs),
 * but they cluster: the kernel allocated those objects close together, and
 * makedumpfile stores pages in pfn order.  On the fourth miss in one 2 MiB
 * region of the file, every block of the region still missing is fetched in
 * one parallel round: at most 2 MiB that saves up to 28 round trips
 * (measured on the 1 TiB bench dump: 2 MiB regions and the 4th miss gave 26
 * round trips and 7.8 MiB; the 3rd miss 23 and 10.8 MiB; no rule 43 and 6.6).
 */
static bool region_hot(struct remote *r, uint64_t b)
{
	uint64_t reg = b >> (REMOTE_REGION_SHIFT - REMOTE_BLOCK_SHIFT);
	unsigned i = (unsigned)(reg % REMOTE_REGIONS);

	if (r->region[i].tag != reg + 1) {
		r->region[i].tag = reg + 1;
		r->region[i].misses = 0;
	}
	return ++r->region[i].misses == REMOTE_REGION_MISSES;
}

/* Fetches block b (missing) through at least need_last, with readahead when b continues a run. */
static int cache_fill(struct remote *r, uint64_t b, uint64_t need_last, struct sf_err *err)
{
	struct rblock *prev = b ? cache_find(r, b - 1) : NULL;
	uint64_t window = prev ? 2ull * (prev->window ? prev->window : 1) : 1, last, off, end;
	int rc;

	if (!prev && region_hot(r, b)) {
		struct source_range reg = { .off = b >> (REMOTE_REGION_SHIFT - REMOTE_BLOCK_SHIFT) << REMOTE_REGION_SHIFT,
					    .len = 1ull << REMOTE_REGION_SHIFT };

		remote_prefetch(r, &reg, 1);
		if (cache_find(r, b) && (need_last == b || cache_find(r, need_last)))
			return 0;	/* else (a failed or partial fetch): the plain request, with its errors */
	}

	if (window > REMOTE_RA_MAX)
		window = REMOTE_RA_MAX;
	last = b + window - 1;
	if (last < need_last)
		last = need_last;
	if (last >= nblocks(r))
		last = nblocks(r) - 1;
	if (last - b + 1 > REMOTE_RA_MAX)
		last = b + REMOTE_RA_MAX - 1;
	/* Readahead stops at a block already held. */
	for (uint64_t x = need_last + 1; x <= last; x++)
		if (cache_find(r, x)) {
			last = x - 1;
			break;
		}
	off = b << REMOTE_BLOCK_SHIFT;
	end = (last + 1) << REMOTE_BLOCK_SHIFT;
	if (end > r->size)
		end = r->size;
	rc = fetch_range(r, off, end - off, r->stage, err);
	if (rc < 0)
		return rc;
	if (cache_fill_from(r, b, last - b + 1, r->stage, (uint32_t)(last - b + 1)) < 0)
		return sf_err_set(err, SF_ENOMEM, "%s: out of memory for the block cache", r->name);
	return 0;
}

int remote_read(struct remote *r, uint64_t off, void *buf, size_t len, struct sf_err *err)
{
	uint8_t *p = buf;
	bool missed = false;

	r->st.reads++;
	if (r->fatal.code) {
		*err = r->fatal;
		return -err->code;
	}
	if (len >= REMOTE_DIRECT_MIN) {
		/* Large areas (BTF, notes) are read once: straight into the caller's buffer. */
		return fetch_range(r, off, len, p, err);
	}
	while (len) {
		uint64_t b = off >> REMOTE_BLOCK_SHIFT, in = off & (REMOTE_BLOCK - 1);
		struct rblock *blk = cache_find(r, b);
		size_t n;

		if (!blk) {
			int rc = cache_fill(r, b, (off + len - 1) >> REMOTE_BLOCK_SHIFT, err);

			if (rc < 0)
				return rc;
			missed = true;
			blk = cache_find(r, b);
			if (!blk)
				return sf_err_set(err, SF_EIO, "%s: block at 0x%" PRIx64 " vanished from the cache", r->name, off);
		}
		if (in >= blk->len)
			return sf_err_set(err, SF_ETRUNC, "%s: offset 0x%" PRIx64 " past the end of the object", r->name, off);
		n = blk->len - in < len ? (size_t)(blk->len - in) : len;
		memcpy(p, blk->data + in, n);
		p += n;
		off += n;
		len -= n;
	}
	if (!missed)
		r->st.hits++;
	return 0;
}

/* ---- parallel prefetch ---- */

struct pref {
	struct xfer x;
	uint64_t b, n;		/* blocks [b, b + n) */
	uint8_t *buf;
};

/* One round trip: jobs [0, nj) on the multi handle; good bodies go into the cache. */
static void prefetch_batch(struct remote *r, struct pref *job, size_t nj)
{
	const struct curl_api *c = r->curl;
	struct sf_err ignored = { 0 };
	double t0 = now_sec();
	int running = 0, rc;

	if (nj == 1) {
		/* No parallelism to gain: the ordinary path (with its retries). */
		uint64_t off = job[0].b << REMOTE_BLOCK_SHIFT, end = (job[0].b + job[0].n) << REMOTE_BLOCK_SHIFT;

		if (end > r->size)
			end = r->size;
		if (fetch_range(r, off, end - off, r->stage, &ignored) == 0)
			cache_fill_from(r, job[0].b, job[0].n, r->stage, (uint32_t)job[0].n);
		return;
	}
	for (size_t j = 0; j < nj; j++) {
		uint64_t off = job[j].b << REMOTE_BLOCK_SHIFT, end = (job[j].b + job[j].n) << REMOTE_BLOCK_SHIFT;

		if (end > r->size)
			end = r->size;
		memset(&job[j].x, 0, sizeof(job[j].x));
		job[j].buf = malloc(job[j].n << REMOTE_BLOCK_SHIFT);
		if (!job[j].buf)
			continue;
		job[j].x.off = off;
		job[j].x.len = end - off;
		job[j].x.dst = job[j].buf;
		job[j].x.fd = -1;
		xfer_setup(r, &job[j].x, r->par[j]);
		c->multi_add_handle(r->multi, r->par[j]);
		r->st.requests++;
	}
	/* Bounded: each transfer has the connect and stall timeouts of a single one. */
	do {
		if (c->multi_perform(r->multi, &running) != CURLM_OK)
			break;
		if (running && c->multi_poll(r->multi, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	} while (running);
	r->st.round_trips++;
	for (;;) {
		int left;
		CURLMsg *m = c->multi_info_read(r->multi, &left);
		struct xfer *x = NULL;

		if (!m)
			break;
		if (m->msg != CURLMSG_DONE)
			continue;
		c->easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (!x)
			continue;
		r->st.bytes += x->got;
		rc = xfer_check(x, m->data.result, &ignored);
		if (rc < 0)
			latch(r, &ignored);	/* definite (object changed, Range ignored, 4xx): no retry will help */
		if (rc == 0) {
			struct pref *pj = (struct pref *)x;	/* x is the first member */

			cache_fill_from(r, pj->b, pj->n, pj->buf, (uint32_t)pj->n);
		}
	}
	for (size_t j = 0; j < nj; j++) {
		if (job[j].buf)
			c->multi_remove_handle(r->multi, r->par[j]);
		free(job[j].buf);
	}
	r->st.seconds += now_sec() - t0;
}

/*
 * The missing blocks of all ranges, sorted, cut into runs of adjacent blocks
 * (a one-block gap is fetched too: cheaper than a request of its own) of at
 * most REMOTE_RA_MAX blocks; REMOTE_PAR_MAX runs go out per round trip.  At
 * most REMOTE_PREFETCH_MAX blocks per call, a quarter of the cache, so a hint
 * never evicts what it brought in.
 */
#define REMOTE_PREFETCH_MAX (REMOTE_CACHE_BLOCKS / 4)
void remote_prefetch(struct remote *r, const struct source_range *ranges, size_t nr)
{
	uint64_t want[REMOTE_PREFETCH_MAX], inflight = 0;
	struct pref job[REMOTE_PAR_MAX];
	size_t nw = 0, nj = 0;

	if (r->fatal.code)
		return;
	for (size_t i = 0; i < nr && nw < REMOTE_PREFETCH_MAX; i++) {
		uint64_t end;

		if (!ranges[i].len || ranges[i].off >= r->size)
			continue;
		end = ranges[i].len > r->size - ranges[i].off ? r->size : ranges[i].off + ranges[i].len;
		for (uint64_t b = ranges[i].off >> REMOTE_BLOCK_SHIFT; b <= (end - 1) >> REMOTE_BLOCK_SHIFT &&
		     nw < REMOTE_PREFETCH_MAX; b++)
			if ((!nw || want[nw - 1] != b) && !cache_find(r, b))	/* ranges come mostly in order */
				want[nw++] = b;
	}
	if (!nw)
		return;
	qsort(want, nw, sizeof(want[0]), cmp_u64);
	for (size_t i = 0; i < nw;) {
		uint64_t b = want[i], n = 1;

		for (i++; i < nw && want[i] - b < REMOTE_RA_MAX && want[i] <= b + n + 1; i++)
			n = want[i] - b + 1;	/* duplicates (want[i] < b + n) change nothing */
		/* A run that continues a cached one grows like the readahead of cache_fill(). */
		if (b) {
			struct rblock *prev = cache_find(r, b - 1);
			uint64_t grow = prev ? 2ull * (prev->window ? prev->window : 1) : 0;

			if (grow > REMOTE_RA_MAX)
				grow = REMOTE_RA_MAX;
			while (n < grow && b + n < nblocks(r) && (i >= nw || b + n < want[i]) && !cache_find(r, b + n))
				n++;
		}
		if (nj && inflight + n > REMOTE_BATCH_BLOCKS) {
			prefetch_batch(r, job, nj);	/* bounds the batch's buffers, not only the cache */
			nj = 0;
			inflight = 0;
		}
		job[nj].b = b;
		job[nj].n = n;
		inflight += n;
		if (++nj == REMOTE_PAR_MAX) {
			prefetch_batch(r, job, nj);
			nj = 0;
			inflight = 0;
		}
	}
	if (nj)
		prefetch_batch(r, job, nj);
}

/* ---- open / download / destroy ---- */

int remote_download(struct remote *r, int fd, struct sf_err *err)
{
	struct xfer x = { .whole = true, .fd = fd, .len = r->size };

	return fetch_one(r, &x, err);
}

int remote_open(const char *url, const char *name, const struct source_net_opts *o, struct remote **ret,
		struct sf_err *err)
{
	static const uint8_t nothing[1];
	struct remote *r;
	struct xfer x = { .off = 0, .len = REMOTE_BLOCK, .fd = -1, .open = true };
	const char *t = getenv("SKBFILTER_HTTP_STALL_TIMEOUT");	/* seconds; for tests of the timeout path */
	const struct curl_api *c;
	int rc;

	*ret = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	r->name = name;
	rc = curl_api_load(name, &r->curl, err);
	if (rc < 0)
		goto fail;
	c = r->curl;
	/*
	 * Per remote, paired with curl_global_cleanup() in remote_destroy():
	 * libcurl counts the calls itself, so no process-wide flag of ours is
	 * needed.  The pair is thread-safe in libcurl >= 7.84.0 builds that
	 * report CURL_VERSION_THREADSAFE (Debian's do); either way sources are
	 * opened and destroyed on the main thread only.
	 */
	if (c->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = sf_err_set(err, SF_EIO, "%s: libcurl could not be initialised", name);
		goto fail;
	}
	r->curl_global = true;
	r->out = o ? o->stats : NULL;
	r->insecure = o && o->insecure;
	r->spool_max = o ? o->spool_max : 0;
	r->stall_timeout = t && atol(t) > 0 ? atol(t) : REMOTE_STALL_TIMEOUT;
	for (int i = 0; i < REMOTE_HASH; i++)
		r->bucket[i] = -1;
	r->url = strdup(url);
	r->stage = malloc((size_t)REMOTE_RA_MAX << REMOTE_BLOCK_SHIFT);
	r->share = c->share_init();
	r->easy = c->easy_init();
	r->multi = c->multi_init();
	if (!r->url || !r->stage || !r->share || !r->easy || !r->multi) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: out of memory setting up HTTP", name);
		goto fail;
	}
	for (int i = 0; i < REMOTE_PAR_MAX; i++)
		if (!(r->par[i] = c->easy_init())) {
			rc = sf_err_set(err, SF_ENOMEM, "%s: out of memory setting up HTTP", name);
			goto fail;
		}
	c->share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	c->share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	c->share_setopt(r->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	c->multi_setopt(r->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)REMOTE_PAR_MAX);
	for (size_t i = 0; o && i < o->nheaders; i++) {
		struct curl_slist *n = c->slist_append(r->headers, o->headers[i]);

		if (!n) {
			rc = sf_err_set(err, SF_ENOMEM, "%s: out of memory for --header", name);
			goto fail;
		}
		r->headers = n;
	}
	x.dst = r->stage;
	rc = fetch_one(r, &x, err);
	if (rc < 0)
		goto fail;
	if (r->no_range) {
		r->st.sources = 1;
		*ret = r;
		return 0;
	}
	if (!r->size) {
		rc = sf_err_set(err, SF_ETRUNC, "%s: the object is empty", name);
		goto fail;
	}
	rc = cache_fill_from(r, 0, 1, x.got ? r->stage : nothing, 1);
	if (rc < 0) {
		rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		goto fail;
	}
	r->st.sources = 1;
	*ret = r;
	return 0;
fail:
	remote_destroy(r);
	return rc;
}

bool remote_ignores_range(const struct remote *r)
{
	return r->no_range;
}

uint64_t remote_size(const struct remote *r)
{
	return r->size;
}

void remote_destroy(struct remote *r)
{
	if (!r)
		return;
	if (r->out) {
		r->out->requests += r->st.requests;
		r->out->round_trips += r->st.round_trips;
		r->out->bytes += r->st.bytes;
		r->out->retries += r->st.retries;
		r->out->reads += r->st.reads;
		r->out->hits += r->st.hits;
		r->out->seconds += r->st.seconds;
		r->out->sources += r->st.sources;
		if (r->fatal.code && !r->out->failed[0])
			snprintf(r->out->failed, sizeof(r->out->failed), "%s", r->fatal.msg);
	}
	if (r->curl) {
		const struct curl_api *c = r->curl;

		for (int i = 0; i < REMOTE_PAR_MAX; i++)
			if (r->par[i])
				c->easy_cleanup(r->par[i]);
		if (r->multi)
			c->multi_cleanup(r->multi);
		if (r->easy)
			c->easy_cleanup(r->easy);
		if (r->share)
			c->share_cleanup(r->share);
		c->slist_free_all(r->headers);
		if (r->curl_global)
			c->global_cleanup();
		curl_api_unload(c);
	}
	for (int i = 0; i < REMOTE_CACHE_BLOCKS; i++)
		free(r->blk[i].data);
	free(r->stage);
	free(r->url);
	free(r);
}
