// SPDX-License-Identifier: GPL-2.0-or-later
/* ELF vmcore reader: probe only for now; the reader follows. */
#include <string.h>

#include "format.h"

static bool elf_probe(const uint8_t *head, size_t headlen)
{
	return headlen >= 16 && !memcmp(head, "\177ELF", 4);
}

static int elf_open(struct dump *d, struct source *const *srcs, int nsrc, struct sf_err *err)
{
	return sf_err_set(err, SF_ENOTSUP, "%s: ELF vmcore reader not implemented yet", source_name(srcs[0]));
}

static int elf_read_page(struct dump *d, uint64_t pfn, void *buf, enum page_state *state, struct sf_err *err)
{
	*state = PAGE_MISSING;
	return sf_err_set(err, SF_ENOTSUP, "ELF vmcore reader not implemented yet");
}

static enum page_state elf_page_state(struct dump *d, uint64_t pfn)
{
	return PAGE_MISSING;
}

const struct dump_format dump_format_elf = {
	.name = "elf",
	.probe = elf_probe,
	.open = elf_open,
	.read_page = elf_read_page,
	.page_state = elf_page_state,
};
