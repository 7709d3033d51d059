// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Atomic output files (see include/skbfilter/outfile.h).
 *
 * The one piece of process-wide state in the tool lives here: the table of
 * temporary files not yet committed.  A signal handler cannot be handed a
 * context pointer, and SIGINT during the job must remove every `*.tmp-XXXXXX`
 * beside the outputs (issue #14), so the table is static.  It holds only
 * paths, written before the file exists and cleared after it is gone, with
 * the signals blocked around each change, so outfile_remove_temporaries()
 * (unlink only: async-signal-safe) never sees a half-written slot.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "skbfilter/outfile.h"

#define OUTFILE_MAX_TMP 16
#define OUTFILE_TMP_MAX_PATH 4096

static struct {
	volatile sig_atomic_t used;
	char path[OUTFILE_TMP_MAX_PATH];
} tmp_table[OUTFILE_MAX_TMP];

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void restore_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* With the signals blocked: a free slot for path, or -1. */
static int tmp_register(const char *path)
{
	for (int i = 0; i < OUTFILE_MAX_TMP; i++) {
		if (tmp_table[i].used)
			continue;
		if (strlen(path) >= sizeof(tmp_table[i].path))
			return -1;
		strcpy(tmp_table[i].path, path);
		tmp_table[i].used = 1;
		return i;
	}
	return -1;
}

static void tmp_unregister(const char *path)
{
	for (int i = 0; i < OUTFILE_MAX_TMP; i++)
		if (tmp_table[i].used && !strcmp(tmp_table[i].path, path))
			tmp_table[i].used = 0;
}

void outfile_remove_temporaries(void)
{
	for (int i = 0; i < OUTFILE_MAX_TMP; i++)
		if (tmp_table[i].used)
			unlink(tmp_table[i].path);
}

bool outfile_is_stdout(const char *path)
{
	struct stat a, b;

	if (!strcmp(path, "-"))
		return true;
	return stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* An existing device, FIFO or socket (/dev/null, >(tshark -r -)): written in place, nothing to replace. */
static int open_special(struct outfile *of, const char *path, struct sf_err *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return sf_err_errno(err, errno, "%s: cannot open for writing", path);
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		int e = errno;

		close(fd);
		return sf_err_errno(err, e, "%s: fdopen", path);
	}
	of->special = true;
	return 0;
}

int outfile_open(struct outfile *of, const char *path, struct sf_err *err)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = strlen(path);
	struct stat st;
	sigset_t old;
	int fd = -1, e = 0;

	memset(of, 0, sizeof(*of));
	of->path = strdup(path);
	if (!of->path)
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	if (outfile_is_stdout(path)) {	/* "-", /dev/stdout, /proc/self/fd/1: never renamed over */
		of->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		outfile_abort(of);
		return sf_err_set(err, SF_EINVAL, "%s: is a directory; give a file name", path);
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		int rc = open_special(of, path, err);

		if (rc < 0)
			outfile_abort(of);
		return rc;
	}
	{	/* a symlink to a file (--force): replace the file it names, keep the link */
		struct stat lst;
		char *real;

		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) && (real = realpath(path, NULL)) != NULL) {
			free(of->path);
			of->path = real;
			path = real;
			n = strlen(path);
		}
	}
	of->tmp = malloc(n + 16);
	if (!of->tmp) {
		outfile_abort(of);
		return sf_err_set(err, SF_ENOMEM, "out of memory");
	}
	block_signals(&old);
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
		if (tmp_register(of->tmp) < 0) {
			e = ENAMETOOLONG;
			break;
		}
		fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		e = errno;
		if (fd < 0)
			tmp_unregister(of->tmp);
		if (fd < 0 && e != EEXIST)
			break;
	}
	restore_signals(&old);
	if (fd < 0) {
		char dir[PATH_MAX];
		const char *slash = strrchr(path, '/');
		size_t dl = slash ? (size_t)(slash - path) : 0;

		free(of->tmp);
		of->tmp = NULL;
		outfile_abort(of);
		if (e == ENOENT && slash && dl < sizeof(dir)) {
			memcpy(dir, path, dl);
			dir[dl] = '\0';
			return sf_err_set(err, SF_EIO, "%s: the directory '%s' does not exist; create it or choose another path",
					  path, dl ? dir : "/");
		}
		return sf_err_errno(err, e, "%s: cannot create a temporary file beside the output", path);
	}
	of->fp = fdopen(fd, "w");
	if (!of->fp) {
		e = errno;
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
	sigset_t old;
	int rc = 0;

	if (!of->tmp) {		/* stdout, a device or a FIFO */
		if (fflush(of->fp) != 0 || ferror(of->fp))
			rc = sf_err_errno(err, errno ? errno : EIO, "%s: write failed",
					  of->special ? of->path : "standard output");
		if (of->special && fclose(of->fp) != 0 && !rc)
			rc = sf_err_errno(err, errno, "%s: close failed", of->path);
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
	/* rename and unregister as one step: a signal in between would unlink nothing or the wrong name */
	block_signals(&old);
	if (!rc && rename(of->tmp, of->path) != 0)
		rc = sf_err_errno(err, errno, "%s: rename from %s failed", of->path, of->tmp);
	if (!rc) {
		tmp_unregister(of->tmp);
		free(of->tmp);
		of->tmp = NULL;
	}
	restore_signals(&old);
	outfile_abort(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	sigset_t old;

	if (of->fp && of->fp != stdout)
		fclose(of->fp);
	if (of->tmp) {
		block_signals(&old);
		unlink(of->tmp);
		tmp_unregister(of->tmp);
		restore_signals(&old);
	}
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
}
