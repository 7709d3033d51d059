/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fixture access for the symbol/type unit tests: the kernel files live
 * zstd-compressed under $SKBFILTER_FIXTURES (default ../shared/fixtures);
 * kfx_load() decompresses one into memory, kfx_file() into a temp file.
 * Both return NULL when the fixture is absent, and the test prints "skip".
 */
#ifndef SKBFILTER_TEST_KFIXTURE_H
#define SKBFILTER_TEST_KFIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "skbfilter/arch.h"
#include "skbfilter/dump.h"
#include "skbfilter/kmem.h"
#include "skbfilter/vmcoreinfo.h"

static __attribute__((unused)) const char *kfx_dir(void)
{
	const char *d = getenv("SKBFILTER_FIXTURES");

	return d && *d ? d : "../shared/fixtures";
}

/* Compressed path of REL (e.g. "kernel-6.1.0-56-amd64/System.map-6.1.0-56-amd64"), or NULL. */
static __attribute__((unused)) char *kfx_zst(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s.zst", kfx_dir(), rel);
	return access(path, R_OK) == 0 ? path : NULL;
}

static __attribute__((unused)) unsigned char *kfx_load(const char *rel, size_t *len)
{
	char cmd[4200];
	const char *z = kfx_zst(rel);
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;
	FILE *p;

	if (!z)
		return NULL;
	snprintf(cmd, sizeof(cmd), "zstd -dc --long=31 '%s' 2>/dev/null", z);
	p = popen(cmd, "r");
	if (!p)
		return NULL;
	for (;;) {
		size_t got;

		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 20;
			buf = realloc(buf, cap);
			if (!buf)
				break;
		}
		got = fread(buf + n, 1, cap - n, p);
		if (!got)
			break;
		n += got;
	}
	if (pclose(p) != 0 || !buf || !n) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Decompresses into a temp file; the caller unlinks and frees the returned path. */
static __attribute__((unused)) char *kfx_file(const char *rel)
{
	char cmd[8400];
	char *tmp;
	const char *z = kfx_zst(rel);
	int fd;

	if (!z)
		return NULL;
	tmp = strdup("/tmp/skbf-kfx-XXXXXX");
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return NULL;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "zstd -dcf --long=31 '%s' -o '%s' 2>/dev/null", z, tmp);
	if (system(cmd) != 0) {
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

/* A kmem over a fixture dump that needs no decompression (kdump-compressed). */
struct fxkernel {
	struct warnlist wl;
	struct dump *d;
	struct vmcoreinfo *vi;
	struct kmem *k;
};

static __attribute__((unused)) bool fx_open(struct fxkernel *fk, const char *rel)
{
	char path[4096];
	const char *p = path;
	struct dump_open_opts o = { 0 };
	struct sf_err err = { 0 };
	const char *vt;
	size_t vl;
	const struct arch_ops *arch;

	snprintf(path, sizeof(path), "%s/%s", kfx_dir(), rel);
	if (access(path, R_OK))
		return false;
	warnlist_init(&fk->wl);
	o.warnings = &fk->wl;
	ASSERT_OK(dump_open(&p, 1, &o, &fk->d, &err), &err);
	vt = dump_get_vmcoreinfo(fk->d, &vl);
	ASSERT_TRUE(vt);
	ASSERT_OK(vmcoreinfo_parse(vt, vl, &fk->vi, &err), &err);
	arch = arch_by_e_machine(dump_get_info(fk->d)->e_machine);
	ASSERT_TRUE(arch);
	ASSERT_OK(kmem_create(fk->d, arch, fk->vi, &fk->wl, NULL, &fk->k, &err), &err);
	return true;
}

static __attribute__((unused)) void fx_close(struct fxkernel *fk)
{
	kmem_destroy(fk->k);
	vmcoreinfo_destroy(fk->vi);
	dump_close(fk->d);
	warnlist_release(&fk->wl);
}

#define KFX_SKIP(what)                                                   \
	do {                                                             \
		printf("skip %s: fixture %s absent under %s\n", __func__, what, kfx_dir()); \
		return;                                                  \
	} while (0)

#endif
