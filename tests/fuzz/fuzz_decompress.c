// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the page decompressors: byte 0 picks the codec, byte 1 the page
 * size (512 << (b % 8)); the rest is the compressed page.  The output buffer
 * is exactly one page, so ASan catches any write past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/decompress.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_err err = { 0 };
	struct decomp *dc = NULL;
	enum codec c;
	size_t ps;
	uint8_t *out;

	if (size < 2)
		return 0;
	c = (enum codec)(data[0] % CODEC_MAX);
	ps = (size_t)512 << (data[1] % 8);
	out = malloc(ps);
	if (!out)
		return 0;
	(void)decompress_page(NULL, c, data + 2, size - 2, out, ps, &err);
	if (decomp_create(&dc, &err) == 0) {
		(void)decompress_page(dc, c, data + 2, size - 2, out, ps, &err);
		decomp_destroy(dc);
	}
	free(out);
	return 0;
}
