// SPDX-License-Identifier: GPL-2.0-or-later
/* Describing a source dump to the writers (header facts, notes), without the kernel layer. */
#include <string.h>

#include "minicore/dumpwrite.h"

static void copy_uts(char *dst, const char *src)
{
	memset(dst, 0, DW_UTS_LEN);
	if (src)
		memcpy(dst, src, strnlen(src, DW_UTS_LEN - 1));
}

/* e_machine for a utsname.machine the writers may meet (kdump sources carry no ELF header). */
static uint16_t machine_of(const char *m)
{
	static const struct { const char *name; uint16_t em; } tab[] = {
		{ "x86_64", 62 }, { "aarch64", 183 }, { "i686", 3 }, { "i386", 3 }, { "ppc64le", 21 },
		{ "ppc64", 21 }, { "s390x", 22 }, { "riscv64", 243 }, { "arm", 40 }, { "armv7l", 40 },
		{ "loongarch64", 258 }, { "mips64", 8 },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(m, tab[i].name))
			return tab[i].em;
	return 0;
}

void dumpwrite_src_from_dump(struct dumpwrite_src *s, struct dump *d)
{
	const struct dump_info *info = dump_get_info(d);
	size_t note_len = 0;

	memset(s, 0, sizeof(*s));
	s->page_size = info->page_size;
	s->big_endian = info->big_endian;
	s->e_machine = info->e_machine ? info->e_machine : machine_of(info->uts_machine);
	s->max_pfn = info->max_pfn;
	copy_uts(s->uts[0], "Linux");
	copy_uts(s->uts[2], info->uts_release);
	copy_uts(s->uts[4], info->uts_machine);
	s->tv_sec = info->timestamp_sec;
	s->nr_cpus = info->nr_cpus;
	s->phys_base = info->phys_base_valid ? info->phys_base : 0;
	s->dump_level = 31;
	s->note_area = dump_get_note_area(d, &note_len);
	s->note_len = note_len;
	s->vmcoreinfo = dump_get_vmcoreinfo(d, &s->vmcoreinfo_len);
	s->eraseinfo = dump_get_eraseinfo(d, &s->eraseinfo_len);
}
