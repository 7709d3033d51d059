// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "skbfilter/outfile.h"

int outfile_open(struct outfile *of, const char *path, struct sf_err *err)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = strlen(path);
	int fd = -1;

	memset(of, 0, sizeof(*of));
	if (!strcmp(path, "-")) {
		of->fp = stdout;
		of->path = strdup(path);
		return of->path ? 0 : sf_err_set(err, SF_ENOMEM, "out of memory");
	}
	of->path = strdup(path);
	of->tmp = malloc(n + 16);
	if (!of->path || !of->tmp) {
		outfile_abort(of);
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	}
	for (int attempt = 0; attempt < 32 && fd < 0; attempt++) {
		char suffix[8];
		struct timespec ts;
		unsigned r;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		r = (unsigned)getpid() * 2654435761u ^ (unsigned)ts.tv_nsec ^ (unsigned)attempt * 40503u;

		for (int i = 0; i < 6; i++, r /= 36)
			suffix[i] = alnum[r % 36];
		suffix[6] = '\0';
		snprintf(of->tmp, n + 16, "%s.tmp-%s", path, suffix);
		fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		int e = errno;

		free(of->tmp);
		of->tmp = NULL;
		outfile_abort(of);
		return sf_err_errno(err, e, "%s: cannot create a temporary output file", path);
	}
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		int e = errno;

		close(fd);
		outfile_abort(of);
		return sf_err_errno(err, e, "%s: fdopen", path);
	}
	return 0;
}

int outfile_write(struct outfile *of, const void *buf, size_t len, struct sf_err *err)
{
	if (len && fwrite(buf, 1, len, of->fp) != len) {
		of->failed = true;
		return sf_err_errno(err, errno ? errno : EIO, "%s: write failed", of->path);
	}
	return 0;
}

int outfile_commit(struct outfile *of, struct sf_err *err)
{
	int rc = 0;

	if (!of->tmp) {		/* stdout */
		if (fflush(of->fp) != 0 || ferror(of->fp))
			rc = sf_err_errno(err, errno ? errno : EIO, "standard output: write failed");
		of->fp = NULL;
		outfile_abort(of);
		return rc;
	}
	if (of->failed || fflush(of->fp) != 0 || ferror(of->fp))
		rc = sf_err_errno(err, errno ? errno : EIO, "%s: write failed; no output was left behind", of->path);
	else if (fsync(fileno(of->fp)) != 0)
		rc = sf_err_errno(err, errno, "%s: fsync failed; no output was left behind", of->path);
	if (fclose(of->fp) != 0 && !rc)
		rc = sf_err_errno(err, errno, "%s: close failed; no output was left behind", of->path);
	of->fp = NULL;
	if (!rc && rename(of->tmp, of->path) != 0)
		rc = sf_err_errno(err, errno, "%s: rename from %s failed", of->path, of->tmp);
	if (!rc) {
		free(of->tmp);
		of->tmp = NULL;
	}
	outfile_abort(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp && of->fp != stdout)
		fclose(of->fp);
	if (of->tmp)
		unlink(of->tmp);
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
}
