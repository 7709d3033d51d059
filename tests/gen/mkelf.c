// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mkelf: writes a small ELF vmcore from a compact spec.
 *
 *   mkelf -e 'SPEC' OUT          spec on the command line
 *   mkelf -f SPECFILE OUT        spec from a file ("-" = stdin)
 *   mkelf --pattern PADDR LEN    print the pattern bytes a segment holds at PADDR (raw, stdout)
 *
 * SPEC is statements separated by ';' or newlines ('#' starts a comment):
 *   elf64 | elf32                class (default elf64)
 *   le | be                      byte order (default le)
 *   machine x86_64|aarch64|ppc64|s390x|i386|N   e_machine (default x86_64)
 *   type N                       e_type (default 4, ET_CORE)
 *   xnum                         use PN_XNUM even with fewer than 65535 headers
 *   load paddr=A [vaddr=V] memsz=M [filesz=F] [fill=B] [offset=O]
 *                                one PT_LOAD; filesz defaults to memsz; data is the
 *                                address pattern (or byte B); offset forces p_offset
 *   loads n=N paddr=A step=S memsz=M [filesz=F] [vaddr=V]
 *                                N PT_LOADs at A, A+S, ... (e.g. > 65535 for PN_XNUM)
 *   prstatus pid=P ip=I sp=S     an NT_PRSTATUS "CORE" note (x86_64 or aarch64 layout)
 *   vmcoreinfo TEXT              a VMCOREINFO note; "\n" in TEXT is a newline
 *   eraseinfo TEXT               an ERASEINFO note
 *   note NAME TYPE size=N | HEX  any note (QEMU ...), N zero bytes or the given hex bytes
 *   truncate N                   cut the file to N bytes
 * Numbers are C literals (0x.., decimal).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfbuild.h"

static int fail(const char *what, const char *stmt)
{
	fprintf(stderr, "mkelf: %s in '%s'\n", what, stmt);
	return -1;
}

static int get_num(const char *s, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno || end == s || (*end && *end != ' ' && *end != '\t') ? -1 : 0;
}

/* Finds "key=" among the words of args and parses its number. */
static int kv(const char *args, const char *key, uint64_t *ret, bool required)
{
	size_t kl = strlen(key);

	for (const char *p = args; p && *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, key, kl) && p[kl] == '=')
			return get_num(p + kl + 1, ret);
		p = strpbrk(p, " \t");
	}
	return required ? -1 : 1;
}

static void unescape(const char *in, char *out, size_t *len)
{
	size_t n = 0;

	for (const char *p = in; *p; p++) {
		if (p[0] == '\\' && p[1] == 'n') {
			out[n++] = '\n';
			p++;
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*len = n;
}

static int machine_of(const char *s, uint16_t *ret)
{
	static const struct { const char *name; uint16_t em; } tab[] = {
		{ "x86_64", 62 }, { "aarch64", 183 }, { "ppc64", 21 }, { "s390x", 22 }, { "i386", 3 },
		{ "arm", 40 }, { "riscv64", 243 },
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name)) {
			*ret = tab[i].em;
			return 0;
		}
	if (get_num(s, &v) || v > 0xffff)
		return -1;
	*ret = (uint16_t)v;
	return 0;
}

static int statement(struct eb *b, char *st)
{
	char *args, *cmd;
	uint64_t a, v, m, f, o, n, s, fill;

	while (*st == ' ' || *st == '\t')
		st++;
	if (!*st || *st == '#')
		return 0;
	cmd = st;
	args = strpbrk(st, " \t");
	if (args)
		*args++ = '\0';
	else
		args = st + strlen(st);
	if (!strcmp(cmd, "elf64") || !strcmp(cmd, "elf32")) {
		b->is64 = cmd[3] == '6';
	} else if (!strcmp(cmd, "le") || !strcmp(cmd, "be")) {
		b->be = cmd[0] == 'b';
	} else if (!strcmp(cmd, "machine")) {
		if (machine_of(args, &b->machine))
			return fail("bad machine", args);
	} else if (!strcmp(cmd, "type")) {
		if (get_num(args, &v))
			return fail("bad type", args);
		b->type = (uint16_t)v;
	} else if (!strcmp(cmd, "xnum")) {
		b->force_xnum = true;
	} else if (!strcmp(cmd, "load")) {
		struct eb_seg *sg;

		if (kv(args, "paddr", &a, true) || kv(args, "memsz", &m, true))
			return fail("load needs paddr= and memsz=", args);
		if (kv(args, "vaddr", &v, false) > 0)
			v = 0;
		if (kv(args, "filesz", &f, false) > 0)
			f = m;
		sg = eb_add_load(b, a, v, m, f);
		if (!kv(args, "fill", &fill, false))
			sg->fill = (int)(fill & 0xff);
		if (!kv(args, "offset", &o, false)) {
			sg->has_offset = true;
			sg->offset = o;
		}
	} else if (!strcmp(cmd, "loads")) {
		if (kv(args, "n", &n, true) || kv(args, "paddr", &a, true) || kv(args, "step", &s, true) ||
		    kv(args, "memsz", &m, true))
			return fail("loads needs n=, paddr=, step=, memsz=", args);
		if (kv(args, "filesz", &f, false) > 0)
			f = m;
		if (kv(args, "vaddr", &v, false) > 0)
			v = 0;
		for (uint64_t i = 0; i < n; i++)
			eb_add_load(b, a + i * s, v ? v + i * s : 0, m, f);
	} else if (!strcmp(cmd, "prstatus")) {
		uint64_t pid, ip, sp;
		uint8_t desc[512];
		uint32_t sz;

		if (kv(args, "pid", &pid, true) || kv(args, "ip", &ip, true) || kv(args, "sp", &sp, true))
			return fail("prstatus needs pid=, ip=, sp=", args);
		sz = eb_prstatus(b, desc, (int32_t)pid, ip, sp);
		eb_add_note(b, "CORE", 1, desc, sz);
	} else if (!strcmp(cmd, "vmcoreinfo") || !strcmp(cmd, "eraseinfo")) {
		char *text = malloc(strlen(args) + 1);
		size_t len;

		if (!text)
			abort();
		unescape(args, text, &len);
		eb_add_note(b, cmd[0] == 'v' ? "VMCOREINFO" : "ERASEINFO", 0, text, (uint32_t)len);
		free(text);
	} else if (!strcmp(cmd, "note")) {
		char name[32];
		unsigned type;
		int used = 0;
		uint8_t *desc;
		size_t dl = 0;
		const char *hex;

		if (sscanf(args, "%31s %u %n", name, &type, &used) < 2)
			return fail("note needs NAME TYPE", args);
		hex = args + used;
		desc = calloc(1, strlen(hex) / 2 + (1 << 16));
		if (!desc)
			abort();
		if (!strncmp(hex, "size=", 5)) {
			if (get_num(hex + 5, &n) || n > (1 << 16))
				return fail("bad note size", hex);
			dl = n;
		} else {
			for (const char *p = hex; p[0] && p[1]; p += 2) {
				unsigned byte;

				if (sscanf(p, "%2x", &byte) != 1)
					return fail("bad hex", hex);
				desc[dl++] = (uint8_t)byte;
			}
		}
		eb_add_note(b, name, type, desc, (uint32_t)dl);
		free(desc);
	} else if (!strcmp(cmd, "truncate")) {
		if (get_num(args, &b->truncate))
			return fail("bad truncate", args);
		b->truncate_set = true;
	} else {
		return fail("unknown statement", cmd);
	}
	return 0;
}

static int parse_spec(struct eb *b, char *spec)
{
	char *save = NULL;

	for (char *st = strtok_r(spec, ";\n", &save); st; st = strtok_r(NULL, ";\n", &save))
		if (statement(b, st))
			return -1;
	return 0;
}

static char *read_all(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;

	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		buf[len++] = (char)c;
	}
	if (f != stdin)
		fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	struct eb b;
	char *spec;
	int rc;

	if (argc == 4 && !strcmp(argv[1], "--pattern")) {
		uint64_t a, n;
		uint8_t buf[4096];

		if (get_num(argv[2], &a) || get_num(argv[3], &n))
			return 2;
		while (n) {
			size_t c = n < sizeof(buf) ? (size_t)n : sizeof(buf);

			eb_pattern(a, buf, c);
			fwrite(buf, 1, c, stdout);
			a += c;
			n -= c;
		}
		return 0;
	}
	if (argc != 4 || (strcmp(argv[1], "-e") && strcmp(argv[1], "-f"))) {
		fprintf(stderr, "usage: mkelf -e 'SPEC' OUT | mkelf -f SPECFILE OUT | mkelf --pattern PADDR LEN\n");
		return 2;
	}
	spec = argv[1][1] == 'e' ? strdup(argv[2]) : read_all(argv[2]);
	if (!spec) {
		fprintf(stderr, "mkelf: cannot read %s\n", argv[2]);
		return 2;
	}
	eb_init(&b, true, false, 62);
	rc = parse_spec(&b, spec);
	if (!rc && eb_write(&b, argv[3])) {
		fprintf(stderr, "mkelf: cannot write %s: %s\n", argv[3], strerror(errno));
		rc = -1;
	}
	eb_release(&b);
	free(spec);
	return rc ? 1 : 0;
}
