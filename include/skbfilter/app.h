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

/* What the main job found, for the exit code (--fail-on) and the summary. */
struct app_run_stats {
	int findings_error, findings_warning, findings_info;
	int skbs;
};
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
	bool scrub_payload;		/* --scrub=payload (--scrub-payload) */
	bool scrub_dmesg, scrub_comm;	/* --scrub=dmesg, --scrub=comm (mini.core only) */
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
	bool force;			/* --force: existing output files may be replaced */
	const char *filter;		/* libpcap filter expression selecting packets, or NULL */
	enum { APP_OUT_TEXT, APP_OUT_LIST, APP_OUT_JSON_LINES } listing;	/* what goes to `out` */
	/* --scan all: progress callback (main draws a bar on a TTY), and where to put its figures */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	struct skb_scan_all_stats *scan_stats;	/* may be NULL */
	struct app_run_stats *run_stats;	/* may be NULL */
};

int app_info(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
int app_backtrace(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
int app_dmesg(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);
/*
 * Before anything is read: refuses (-SF_EINVAL, err names both) an output that
 * is an input (-x/-m/--btf included) or another output, by device and inode
 * and by canonical name, the mini.core manifest included; two outputs on
 * standard output; and an existing output file unless o->force.
 */
int app_check_outputs(const struct app_opts *o, struct sf_err *err);
struct dump;
/*
 * When the dump explains a failure (truncated, incomplete, no VMCOREINFO),
 * rewrites err into one line that says what to do; with o->verbose the
 * original chain becomes a note in w.  d may be NULL (then err is unchanged).
 */
void app_explain_error(const struct app_opts *o, struct dump *d, struct warnlist *w, struct sf_err *err);
struct skb_scan;
/* Keeps the skbs whose rebuilt frame matches the libpcap filter expr (-SF_EINVAL: it does not compile). */
int app_filter_records(const char *expr, struct skb_scan *s, struct sf_err *err);
/* -SF_EINVAL with pcap's message when expr does not compile. */
int app_filter_compile_check(const char *expr, struct sf_err *err);
struct kernel;
/* What a command opens: the dump alone (--info), its memory (--dump-dmesg), the kernel with symbols
 * and types (--backtrace), the same with every read recorded from the first on (the main job). */
enum app_need { APP_NEED_DUMP, APP_NEED_MEMORY, APP_NEED_KERNEL, APP_NEED_RECORDED };
struct app_session {
	struct dump *d;
	struct kernel *k;		/* NULL with APP_NEED_DUMP */
	struct read_recorder *rec;	/* APP_NEED_RECORDED: every page the analysis reads, for mini.core */
};
/* Opens what need asks for from o's dumps and kernel files (src/app/session.c); s is filled even on error. */
int app_session_open(const struct app_opts *o, enum app_need need, struct app_session *s, struct warnlist *w,
		     struct sf_err *err);
/* Closes s; when rc < 0, first lets the dump explain err (app_explain_error).  Returns rc. */
int app_session_close(const struct app_opts *o, struct app_session *s, int rc, struct warnlist *w,
		      struct sf_err *err);
/* The main job: find skbs, write pcap/pcapng/JSON/mini.core, text report to out. */
int app_run(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err);

#endif
