// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes the parser of mini.core's erase note (src/dump/erasenote.c) and what
 * the dump layer does with a parsed set: lookups and the ERASEINFO text.
 * Seeds: erase notes of real mini.cores (tests/fuzz/corpus/fuzz_erasenote/).
 */
#include <stdint.h>
#include <stdlib.h>

#include "skbfilter/erasenote.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sf_err err = { 0 };
	struct erase_set s;
	struct strbuf sb;

	if (erasenote_parse(data, size, &s, &err) < 0)
		return 0;
	for (size_t i = 0; i < s.n; i++)
		if (erase_set_find(&s, s.r[i].start, 1) != &s.r[i])
			abort();
	erase_set_bytes(&s, ERASE_REASON_ALL);
	strbuf_init(&sb);
	sb.max = 1 << 20;
	eraseinfo_append(&s, 4096, &sb);
	strbuf_release(&sb);
	erase_set_release(&s);
	return 0;
}
