// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * System.map (and /proc/kallsyms, which adds an optional "[module]"):
 *   ffffffff81000000 T _stext
 *   ffffffffc0a01000 t vxlan_xmit	[vxlan]
 * Addresses are link-time; the table's reloc (KERNELOFFSET) is added to every
 * symbol except absolute ones ('A'/'a') and zero-based per-cpu variables:
 * x86_64 SMP links .data..percpu at 0 (__per_cpu_start = 0), those symbols
 * are offsets, not addresses, and do not move with KASLR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/syms_int.h"

#define SYSMAP_LINE_MAX 4096

static bool is_type_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '?';
}

/* Parses one line into its parts (in place).  Returns false if malformed. */
static bool parse_line(char *line, uint64_t *addr, char *type, char **name, char **module)
{
	char *p = line, *end;
	unsigned long long v;

	while (*p == ' ' || *p == '\t')
		p++;
	errno = 0;
	v = strtoull(p, &end, 16);
	if (end == p || errno || (*end != ' ' && *end != '\t'))
		return false;
	p = end;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!is_type_char(p[0]) || (p[1] != ' ' && p[1] != '\t'))
		return false;
	*type = p[0];
	p += 2;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return false;
	*name = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*module = NULL;
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '[') {
			char *close = strchr(p, ']');

			if (!close)
				return false;
			*close = '\0';
			*module = p + 1;
		}
	}
	*addr = v;
	return true;
}

/* [__per_cpu_start, __per_cpu_end) if the per-cpu section is linked at 0, else [0, 0). */
static void find_zero_based_percpu(FILE *f, uint64_t *end)
{
	char line[SYSMAP_LINE_MAX];
	bool zero_start = false;
	uint64_t e = 0;

	while (fgets(line, sizeof(line), f)) {
		char *name, *module, type;
		uint64_t addr;

		line[strcspn(line, "\r\n")] = '\0';
		if (!parse_line(line, &addr, &type, &name, &module))
			continue;
		if (!strcmp(name, "__per_cpu_start"))
			zero_start = addr == 0;
		else if (!strcmp(name, "__per_cpu_end"))
			e = addr;
	}
	*end = zero_start ? e : 0;
	rewind(f);
}

int symtab_load_system_map(struct symtab *st, const char *path, struct sf_err *err)
{
	char line[SYSMAP_LINE_MAX];
	uint64_t lineno = 0, bad = 0, added = 0, reloc = symtab_reloc(st), percpu_end = 0;
	char desc[600];
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (!f)
		return sf_err_errno(err, errno, "System.map %s", path);
	if (reloc)
		find_zero_based_percpu(f, &percpu_end);
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		char *name, *module, type;
		uint64_t addr;

		lineno++;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			rc = sf_err_set(err, SF_ECORRUPT, "System.map %s: line %llu longer than %d bytes",
					path, (unsigned long long)lineno, SYSMAP_LINE_MAX);
			goto out;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!len)
			continue;
		if (!parse_line(line, &addr, &type, &name, &module)) {
			/* A text file that is not a System.map fails on its first lines. */
			if (++bad > 16 && bad > added) {
				rc = sf_err_set(err, SF_ECORRUPT,
						"System.map %s: line %llu: expected \"ADDRESS TYPE NAME\", found \"%.60s\"",
						path, (unsigned long long)lineno, line);
				goto out;
			}
			continue;
		}
		if (type != 'A' && type != 'a' && addr >= percpu_end)
			addr += reloc;
		rc = symtab_add(st, name, addr, type, module, err);
		if (rc < 0) {
			sf_err_prefix(err, "System.map %s: line %llu", path, (unsigned long long)lineno);
			goto out;
		}
		added++;
	}
	if (ferror(f)) {
		rc = sf_err_errno(err, errno, "System.map %s: read error after line %llu", path,
				  (unsigned long long)lineno);
		goto out;
	}
	if (!added) {
		rc = sf_err_set(err, SF_ECORRUPT, "System.map %s: no symbols (%llu lines, none of the form \"ADDRESS TYPE NAME\")",
				path, (unsigned long long)lineno);
		goto out;
	}
	snprintf(desc, sizeof(desc), "System.map %s", path);
	symtab_set_source(st, desc);
out:
	fclose(f);
	return rc;
}
