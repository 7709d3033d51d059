/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The commands behind the command line.  src/main.c parses options into a
 * struct app_opts and calls one of these; each writes its human/JSON output
 * to `out` (main prints it) and returns 0, APP_PARTIAL (results with
 * warnings), or a negative SF_E* code with err set.
 */
#ifndef SKBFILTER_APP_H
#define SKBFILTER_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/err.h"
#include "skbfilter/source.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

#define APP_PARTIAL 1

struct skb_scan_all_stats;
#define APP_MAX_SKB_ADDRS 64

/*
 * --keep: evidence = every page the analysis read; lean = the same without the kernel image's
 * BTF and kallsyms pages (identical for every boot of the BUILD-ID; re-analyse with -m and
 * --btf); crash = evidence plus what a full crash session needs.
 */
enum minicore_keep { KEEP_LEVEL_EVIDENCE = 0, KEEP_LEVEL_CRASH, KEEP_LEVEL_LEAN };

struct app_opts {
	const char *const *dumps;	/* VMCORE files ("-" = stdin), ndumps of them */
	int ndumps;
	bool json;			/* --json as a flag (--info, --backtrace) */
	const char *json_file;		/* --json FILE (main job) */
	const char *pcap_file;		/* -w */
	const char *pcapng_file;	/* --pcapng */
	const char *minicore_file;	/* -o */
	char minicore_codec;		/* 'c' zlib, 'l' lzo, 'p' snappy, 'z' zstd, 0 = default */
	bool minicore_elf;		/* -E */
	enum minicore_keep keep;	/* --keep= */
	bool scrub_payload;		/* --scrub-payload */
	bool segment;			/* --segment */
	uint32_t snaplen;		/* --snaplen, 0 = whole packets */
	bool all_cpus;			/* --all-cpus */
	bool scan_all;			/* --scan all */
	int threads;			/* --threads: decompression threads of --scan all */
	uint64_t skb_addrs[APP_MAX_SKB_ADDRS];	/* --skb */
	int nskb_addrs;
	const char *vmlinux;		/* -x */
	const char *system_map;		/* -m */
	const char *btf;		/* --btf */
	const char *tmpdir;		/* --tmpdir */
	struct source_net_opts net;	/* http(s) inputs: --insecure, --header, counters printed with -v */
	int verbose;			/* -v */
	bool text_report;		/* print the text report to stdout */
	/* --scan all: progress callback (main draws a bar on a TTY), and where to put its figures */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	struct skb_scan_all_stats *scan_stats;	/* may be NULL */
};

int app_info(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
int app_backtrace(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
int app_dmesg(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
/* The main job: find skbs, write pcap/pcapng/JSON/mini.core, text report to out. */
int app_run(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);

#endif
