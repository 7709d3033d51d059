// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Outputs never destroy anything (issue #14): before the dump is opened,
 * every output path is compared with every input and with the others, by
 * device and inode (so through symlinks and hard links) and by canonical
 * name (for outputs that do not exist yet).  The mini.core manifest
 * (PATH.manifest.json) counts as an output.  makedumpfile refuses an existing
 * dump file with "File exists"; we refuse an existing output unless --force.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "skbfilter/app.h"
#include "skbfilter/outfile.h"

#define MAX_OUTPUTS 5
#define MAX_INPUTS (64 + 3)

struct guard_file {
	const char *opt;	/* "-w", "--json", ... or "input" */
	const char *path;
	char canon[PATH_MAX];	/* "" when unknown */
	bool exists;		/* lstat found something */
	bool have_id;		/* stat found its target */
	bool regular;
	dev_t dev;
	ino_t ino;
};

/* realpath of the file, or of its directory plus its last component when it does not exist. */
static int canonical(const char *path, char *out, struct sf_err *err)
{
	char dir[PATH_MAX], rdir[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t dl = slash ? (size_t)(slash - path) : 0;

	if (realpath(path, out))
		return 0;
	if (dl >= sizeof(dir))
		return sf_err_set(err, SF_EINVAL, "%s: path too long", path);
	if (slash) {
		memcpy(dir, path, dl);
		dir[dl] = '\0';
		if (!dl)
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
	}
	if (!realpath(dir, rdir))
		return sf_err_set(err, SF_EINVAL, "%s: the directory '%s' does not exist; create it or choose another path",
				  path, dir);
	if ((size_t)snprintf(out, PATH_MAX, "%s/%s", strcmp(rdir, "/") ? rdir : "", base) >= PATH_MAX)
		return sf_err_set(err, SF_EINVAL, "%s: path too long", path);
	return 0;
}

static void identify(struct guard_file *f)
{
	struct stat st;

	if (!strcmp(f->path, "-")) {
		/* standard input: its file, for `skbfilter -w x.pcap - < x.pcap` */
		if (fstat(STDIN_FILENO, &st) == 0) {
			f->have_id = true;
			f->regular = S_ISREG(st.st_mode);
			f->dev = st.st_dev;
			f->ino = st.st_ino;
		}
		return;
	}
	f->exists = lstat(f->path, &st) == 0;
	if (stat(f->path, &st) == 0) {
		f->have_id = true;
		f->regular = S_ISREG(st.st_mode);
		f->dev = st.st_dev;
		f->ino = st.st_ino;
	}
}

static bool same_file(const struct guard_file *a, const struct guard_file *b)
{
	if (a->have_id && b->have_id)
		return a->dev == b->dev && a->ino == b->ino;
	return a->canon[0] && !strcmp(a->canon, b->canon);
}

int app_check_outputs(const struct app_opts *o, struct sf_err *err)
{
	struct guard_file out[MAX_OUTPUTS], in[MAX_INPUTS];
	char manifest[PATH_MAX];
	int nout = 0, nin = 0, nstdout = 0;
	const char *stdout_opts[MAX_OUTPUTS];

	memset(out, 0, sizeof(out));
	memset(in, 0, sizeof(in));
	{
		const char *opts[] = { "-w", "--pcapng", "--json", "-o" };
		const char *paths[] = { o->pcap_file, o->pcapng_file, o->json_file, o->minicore_file };

		for (int i = 0; i < 4; i++)
			if (paths[i]) {
				out[nout].opt = opts[i];
				out[nout++].path = paths[i];
			}
	}
	if (o->minicore_file && strcmp(o->minicore_file, "-")) {
		if ((size_t)snprintf(manifest, sizeof(manifest), "%s.manifest.json", o->minicore_file) >= sizeof(manifest))
			return sf_err_set(err, SF_EINVAL, "-o %s: path too long", o->minicore_file);
		out[nout].opt = "-o (its manifest)";
		out[nout++].path = manifest;
	}
	for (int i = 0; i < o->ndumps && nin < MAX_INPUTS - 3; i++) {
		in[nin].opt = "the input dump";
		in[nin++].path = o->dumps[i];
	}
	if (o->vmlinux) {
		in[nin].opt = "the -x file";
		in[nin++].path = o->vmlinux;
	}
	if (o->system_map) {
		in[nin].opt = "the -m file";
		in[nin++].path = o->system_map;
	}
	if (o->btf) {
		in[nin].opt = "the --btf file";
		in[nin++].path = o->btf;
	}

	for (int i = 0; i < nout; i++) {
		if (outfile_is_stdout(out[i].path)) {	/* "-" or /dev/stdout: written to stdout as it is */
			stdout_opts[nstdout++] = out[i].opt;
			out[i].path = "-";
			continue;
		}
		identify(&out[i]);
		if (canonical(out[i].path, out[i].canon, err) < 0)
			return sf_err_prefix(err, "%s", out[i].opt);
	}
	if (nstdout > 1)
		return sf_err_set(err, SF_EINVAL, "%s - and %s - both write to standard output; give one of them a file name",
				  stdout_opts[0], stdout_opts[1]);
	for (int i = 0; i < nin; i++) {
		identify(&in[i]);
		if (strcmp(in[i].path, "-") && !realpath(in[i].path, in[i].canon))
			in[i].canon[0] = '\0';
	}
	for (int i = 0; i < nout; i++) {
		if (!strcmp(out[i].path, "-"))
			continue;
		for (int j = 0; j < nin; j++)
			if (same_file(&out[i], &in[j]))
				return sf_err_set(err, SF_EINVAL, "refusing to write %s %s: it is %s %s (the same file); "
						  "choose another output name", out[i].opt, out[i].path, in[j].opt,
						  !strcmp(in[j].path, "-") ? "on standard input" : in[j].path);
		for (int j = 0; j < i; j++)
			if (strcmp(out[j].path, "-") && same_file(&out[i], &out[j]))
				return sf_err_set(err, SF_EINVAL, "%s %s and %s %s are the same file; give each output its own name",
						  out[j].opt, out[j].path, out[i].opt, out[i].path);
	}
	for (int i = 0; i < nout && !o->force; i++) {
		if (!strcmp(out[i].path, "-") || !out[i].exists || (out[i].have_id && !out[i].regular))
			continue;	/* devices and FIFOs are written in place: nothing is replaced */
		return sf_err_set(err, SF_EINVAL, "%s %s: the file exists; add --force to overwrite it", out[i].opt,
				  out[i].path);
	}
	return 0;
}
