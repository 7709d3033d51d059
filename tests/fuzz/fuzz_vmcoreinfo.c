// SPDX-License-Identifier: GPL-2.0-or-later
/* VMCOREINFO parsing over hostile text: every accessor on keys the kernel uses and on keys from the input. */
#include <stdint.h>
#include <string.h>

#include "skbfilter/vmcoreinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "init_top_pgt", "swapper_pg_dir", "mem_section", "phys_base",
					     "VA_BITS", "PHYS_OFFSET", "page", "mem_section.section_mem_map", "" };
	struct vmcoreinfo *vi = NULL;
	struct sf_err err = { 0 };
	uint64_t v;
	char key[64];

	if (vmcoreinfo_parse((const char *)data, size, &vi, &err) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		vmcoreinfo_symbol(vi, names[i], &v, &err);
		vmcoreinfo_number(vi, names[i], &v, &err);
		vmcoreinfo_offset(vi, names[i], &v, &err);
		vmcoreinfo_size(vi, names[i], &v, &err);
		vmcoreinfo_length(vi, names[i], &v, &err);
		vmcoreinfo_hex(vi, names[i], &v, &err);
		vmcoreinfo_dec(vi, names[i], &v, &err);
	}
	/* the first key of the input, however odd */
	{
		size_t n = 0;

		while (n < size && n < sizeof(key) - 1 && data[n] != '=' && data[n] != '\n')
			n++;
		memcpy(key, data, n);
		key[n] = '\0';
		vmcoreinfo_get(vi, key);
		vmcoreinfo_hex(vi, key, &v, &err);
		vmcoreinfo_dec(vi, key, &v, &err);
	}
	vmcoreinfo_destroy(vi);
	return 0;
}
