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

#define KFX_SKIP(what)                                                   \
	do {                                                             \
		printf("skip %s: fixture %s absent under %s\n", __func__, what, kfx_dir()); \
		return;                                                  \
	} while (0)

#endif
