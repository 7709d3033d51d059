// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * skbfilter: find the sk_buffs live in a Linux kernel crash dump and write
 * them as pcap, a GSO report and a minimized dump.
 *
 * This file is the command line: it parses options, calls one command
 * (include/skbfilter/app.h), prints the one error message and picks the exit
 * code.  Exit codes: 0 ok, 1 partial result with warnings, 2 usage (and
 * refused outputs), 3 input unreadable (or any other failure to produce a
 * result, including an internal error SF_EBUG), 4 --fail-on found findings of that severity, 128+N signal N.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/remote.h"
#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/outfile.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"

#define EXIT_PARTIAL 1
#define EXIT_USAGE 2
#define EXIT_INPUT 3
#define EXIT_FINDINGS 4

#ifndef SKBFILTER_VERSION
#define SKBFILTER_VERSION "0.1"
#endif

static const char usage_text[] =
"usage: skbfilter [options] VMCORE [VMCORE...] [FILTER EXPRESSION]\n"
"       skbfilter --info [--json] VMCORE\n"
"       skbfilter --backtrace [--json] [--all-cpus] VMCORE\n"
"       skbfilter --dump-dmesg VMCORE\n"
"\n"
"Finds the sk_buffs that were live when a Linux kernel crashed and writes the\n"
"packets (pcap), a GSO/offload report (text and JSON) and a minimized dump.\n"
"VMCORE is an ELF /proc/vmcore, a makedumpfile kdump-compressed dump (zlib, lzo,\n"
"snappy, zstd), a flattened stream (\"-\" reads standard input) or a qemu memory\n"
"dump; several files form a split set.  No debuginfo is needed when the dump\n"
"carries kallsyms and BTF (Linux >= 6.0).  A gzip, xz, zstd or bzip2 file of any\n"
"of these is read directly.  Trailing words that are not files form a libpcap\n"
"filter expression, as in tcpdump: skbfilter -w out.pcap vmcore 'tcp port 5001'.\n"
"\n"
"Commands:\n"
"  --info                 format, codecs, kernel, CPUs and page counts\n"
"  --backtrace            panic CPU, task, stacks and frames\n"
"  --dump-dmesg           the kernel log from the printk ring buffer\n"
"  (default)              find skbs and write the outputs below\n"
"\n"
"Outputs of the main job:\n"
"  -w FILE                packets as pcap (LINKTYPE_ETHERNET, RAW or LINUX_SLL2)\n"
"  --pcapng FILE          packets as pcapng, one interface per device, comments\n"
"  --json FILE            the JSON report (\"-\" for standard output)\n"
"  -o FILE                a minimized dump holding only the evidence pages\n"
"  -c | -l | -p | -z      mini.core codec: zlib, lzo, snappy, zstd (default zlib)\n"
"  -E                     write the minimized dump as ELF\n"
"  --keep=evidence|lean|crash\n"
"                         page set of the minimized dump: the pages the analysis\n"
"                         read, with the BTF and kallsyms it used in a kernel note\n"
"                         instead of their pages (default; lean is the same); or\n"
"                         enough for a full crash session\n"
"  --scrub=LIST           erase for sharing, as 'X' in mini.core (recorded in it):\n"
"                         payload (packet bytes past the innermost L4 header,\n"
"                         also in the pcap), dmesg (printk records before the\n"
"                         panic's 5 s window), comm (task names but the\n"
"                         panicking task's); --scrub-payload = --scrub=payload\n"
"  --segment              also write the segments software GSO would produce\n"
"  --snaplen N            truncate packets in the pcap to N bytes\n"
"  -q                     no text report\n"
"  --filter EXPR          keep only the packets that match the libpcap filter\n"
"                         EXPR in every output and the report\n"
"  --list                 one line per skb on standard output instead of the report\n"
"  --json-lines           one JSON object per skb, then a summary object\n"
"  --force                replace existing output files (never an input: an\n"
"                         output that is an input or another output is refused)\n"
"  With -w -, --pcapng -, --json - or -o -, standard output carries only that\n"
"  stream and the text report goes to standard error.\n"
"\n"
"Finding skbs:\n"
"  --all-cpus             scan every CPU's stacks, not only the panic CPU's\n"
"  --skb ADDR             also examine the sk_buff at ADDR (repeatable)\n"
"  --scan all             walk every skbuff slab page in memory\n"
"  --threads N            --scan all: decompress on N threads (1-8; default: one\n"
"                         per online CPU)\n"
"\n"
"Kernel information (optional):\n"
"  -x VMLINUX             symbols and BTF from a vmlinux\n"
"  -m SYSTEM.MAP          symbols from a System.map\n"
"  --btf FILE             BTF from a raw file (e.g. /sys/kernel/btf/vmlinux)\n"
"\n"
"Other:\n"
"  --json                 with --info or --backtrace: JSON on standard output\n"
"  --tmpdir DIR           where to spool standard input / flattened dumps\n"
"  --insecure             http(s) input: do not verify the server's TLS certificate\n"
"  --header 'NAME: VALUE' http(s) input: send this header (repeatable); ~/.netrc\n"
"                         is read too; a VMCORE may be an http:// or https:// URL\n"
"  --spool-remote MIB     http(s) input from a server that ignores Range: download\n"
"                         objects up to MIB MiB whole to --tmpdir (default: refuse)\n"
"  --fail-on=error|warning  exit 4 when a GSO finding of that severity (or worse)\n"
"                         was raised\n"
"  -v                     verbose: every place an skb was found, payload-only skbs\n"
"                         in full, rejected candidates and why, error detail\n"
"  -h, --help             this text\n"
"  --version              print the version and exit\n"
"\n"
"Exit status: 0 ok, 1 partial result with warnings, 2 usage error or refused\n"
"output, 3 the input could not be read or no result could be produced, or an\n"
"internal error (a bug in skbfilter: the message says so), 4 --fail-on matched,\n"
"128+N killed by signal N (temporary files removed).\n";

enum mode { MODE_RUN, MODE_INFO, MODE_BACKTRACE, MODE_DMESG };

enum {
	OPT_INFO = 256, OPT_BACKTRACE, OPT_DMESG, OPT_JSON, OPT_PCAPNG, OPT_KEEP, OPT_SCRUB,
	OPT_SEGMENT, OPT_SNAPLEN, OPT_ALL_CPUS, OPT_SKB, OPT_SCAN, OPT_THREADS, OPT_BTF, OPT_TMPDIR, OPT_VERSION,
	OPT_FORCE, OPT_FAIL_ON, OPT_FILTER, OPT_LIST, OPT_JSON_LINES,
	OPT_INSECURE, OPT_HEADER, OPT_SPOOL_REMOTE,
};

enum fail_on { FAIL_ON_NONE, FAIL_ON_ERROR, FAIL_ON_WARNING };

/* SIGINT/SIGTERM/SIGHUP/SIGPIPE: no `*.tmp-XXXXXX` may be left beside the outputs. */
static void on_signal(int sig)
{
	outfile_remove_temporaries();
	_exit(128 + sig);
}

static void install_signal_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		/* a signal ignored on entry (nohup, a background job of sh) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

static int parse_u64(const char *s, int base, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, base);
	return errno || !*s || *end ? -1 : 0;
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "skbfilter: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'skbfilter --help'.\n");
	return EXIT_USAGE;
}

/*
 * tcpdump habit: `skbfilter vmcore 'tcp port 5001'`.  After the first VMCORE,
 * the words from the first one that is not a file (nor "-") on form the
 * filter expression when they contain a space or compile as one; a lone
 * mistyped file name (split set) stays a file and fails to open as such.
 */
static int split_filter(struct app_opts *o, char **args, int nargs, char **buf)
{
	struct sf_err e = { 0 };
	struct stat st;
	size_t len = 0;
	int i;

	/* dumps are files, "-" or http(s) URLs (a split set may be several URLs) */
	for (i = 1; i < nargs; i++)
		if (strcmp(args[i], "-") && !remote_is_url(args[i]) && stat(args[i], &st) != 0)
			break;
	if (i >= nargs)
		return 0;
	for (int j = i; j < nargs; j++)
		len += strlen(args[j]) + 1;
	*buf = malloc(len + 1);
	if (!*buf)
		return usage_error("%s", "out of memory");
	(*buf)[0] = '\0';
	for (int j = i; j < nargs; j++) {
		if (j > i)
			strcat(*buf, " ");
		strcat(*buf, args[j]);
	}
	if (!strchr(*buf, ' ') && app_filter_compile_check(*buf, &e) < 0)
		return 0;	/* a file that is not there: dump_open names it */
	if (o->filter)
		return usage_error("both --filter '%s' and a filter expression '%s' given", o->filter, *buf);
	o->filter = *buf;
	o->ndumps = i;
	return 0;
}

/* --scan all progress bar on a terminal's stderr: redrawn at most 10 times a second. */
struct progress_bar {
	struct timespec last;
	bool drawn;
};

static void progress_draw(void *arg, uint64_t done, uint64_t total)
{
	struct progress_bar *b = arg;
	struct timespec now;
	int pct = total ? (int)(done * 100 / total) : 100, fill = pct / 4;

	if (done >= total) {
		if (b->drawn)
			fputs("\r\033[K", stderr);
		b->drawn = false;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (b->drawn && (now.tv_sec - b->last.tv_sec) * 1000 + (now.tv_nsec - b->last.tv_nsec) / 1000000 < 100)
		return;
	b->last = now;
	b->drawn = true;
	fprintf(stderr, "\rskbfilter: --scan all [%.*s%*s] %3d%% of %" PRIu64 " MiB of RAM", fill,
		"#########################", 25 - fill, "", pct, total * 4096 / (1024 * 1024));
	fflush(stderr);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "info", no_argument, NULL, OPT_INFO },
		{ "backtrace", no_argument, NULL, OPT_BACKTRACE },
		{ "dump-dmesg", no_argument, NULL, OPT_DMESG },
		{ "json", optional_argument, NULL, OPT_JSON },
		{ "pcapng", required_argument, NULL, OPT_PCAPNG },
		{ "keep", required_argument, NULL, OPT_KEEP },
		{ "scrub-payload", no_argument, NULL, OPT_SCRUB },
		{ "scrub", required_argument, NULL, OPT_SCRUB },
		{ "segment", no_argument, NULL, OPT_SEGMENT },
		{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
		{ "all-cpus", no_argument, NULL, OPT_ALL_CPUS },
		{ "skb", required_argument, NULL, OPT_SKB },
		{ "scan", required_argument, NULL, OPT_SCAN },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "btf", required_argument, NULL, OPT_BTF },
		{ "tmpdir", required_argument, NULL, OPT_TMPDIR },
		{ "insecure", no_argument, NULL, OPT_INSECURE },
		{ "header", required_argument, NULL, OPT_HEADER },
		{ "spool-remote", required_argument, NULL, OPT_SPOOL_REMOTE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "filter", required_argument, NULL, OPT_FILTER },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "json-lines", no_argument, NULL, OPT_JSON_LINES },
		{ NULL, 0, NULL, 0 },
	};
	struct app_opts o = { .text_report = true };
	struct progress_bar bar = { 0 };
	struct skb_scan_all_stats scan_stats = { 0 };
	struct app_run_stats run_stats = { 0 };
	struct source_net_stats net_stats = { 0 };
	const char *headers[SOURCE_NET_MAX_HEADERS];
	enum mode mode = MODE_RUN;
	enum fail_on fail_on = FAIL_ON_NONE;
	bool json_flag_mode, stdout_taken;
	FILE *report_fp;
	char *filter_buf = NULL;
	struct strbuf out;
	struct warnlist warnings;
	struct sf_err err = { 0 };
	uint64_t v;
	int c, rc, status;

	/* --json is a flag with --info/--backtrace and takes FILE in the main job. */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--info") || !strcmp(argv[i], "--backtrace"))
			mode = MODE_INFO;
	json_flag_mode = mode == MODE_INFO;
	mode = MODE_RUN;

	while ((c = getopt_long(argc, argv, "w:o:clpzEx:m:vqh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INFO: mode = MODE_INFO; break;
		case OPT_BACKTRACE: mode = MODE_BACKTRACE; break;
		case OPT_DMESG: mode = MODE_DMESG; break;
		case OPT_JSON:
			if (json_flag_mode) {
				if (optarg)
					return usage_error("--json takes no FILE with --info or --backtrace (got '%s')", optarg);
				o.json = true;
			} else if (optarg) {
				o.json_file = optarg;
			} else if (optind < argc) {
				o.json_file = argv[optind++];
			} else {
				return usage_error("%s", "--json needs a FILE in the main job");
			}
			break;
		case 'w': o.pcap_file = optarg; break;
		case OPT_PCAPNG: o.pcapng_file = optarg; break;
		case 'o': o.minicore_file = optarg; break;
		case 'c': case 'l': case 'p': case 'z':
			if (o.minicore_codec && o.minicore_codec != c)
				return usage_error("%s", "choose one codec of -c, -l, -p, -z");
			o.minicore_codec = (char)c;
			break;
		case 'E': o.minicore_elf = true; break;
		case OPT_KEEP:
			if (!strcmp(optarg, "evidence"))
				o.keep = KEEP_LEVEL_EVIDENCE;
			else if (!strcmp(optarg, "crash"))
				o.keep = KEEP_LEVEL_CRASH;
			else if (!strcmp(optarg, "lean"))
				o.keep = KEEP_LEVEL_LEAN;
			else
				return usage_error("--keep takes 'evidence', 'lean' or 'crash', not '%s'", optarg);
			break;
		case OPT_SCRUB:
			for (const char *p = optarg ? optarg : "payload"; *p;) {
				size_t n = strcspn(p, ",");

				if (n == 7 && !strncmp(p, "payload", n))
					o.scrub_payload = true;
				else if (n == 5 && !strncmp(p, "dmesg", n))
					o.scrub_dmesg = true;
				else if (n == 4 && !strncmp(p, "comm", n))
					o.scrub_comm = true;
				else
					return usage_error("--scrub takes a list of payload, dmesg, comm, not '%s'", optarg);
				p += n + (p[n] == ',');
			}
			break;
		case OPT_SEGMENT: o.segment = true; break;
		case OPT_SNAPLEN:
			if (parse_u64(optarg, 0, &v) || v == 0 || v > 262144)
				return usage_error("--snaplen takes a number from 1 to 262144, not '%s'", optarg);
			o.snaplen = (uint32_t)v;
			break;
		case OPT_ALL_CPUS: o.all_cpus = true; break;
		case OPT_SKB:
			if (o.nskb_addrs >= APP_MAX_SKB_ADDRS)
				return usage_error("%s", "too many --skb addresses");
			if (parse_u64(optarg, 16, &v))
				return usage_error("--skb takes a hex address, not '%s'", optarg);
			o.skb_addrs[o.nskb_addrs++] = v;
			break;
		case OPT_SCAN:
			if (strcmp(optarg, "all"))
				return usage_error("--scan takes 'all', not '%s'", optarg);
			o.scan_all = true;
			break;
		case OPT_THREADS:
			if (parse_u64(optarg, 0, &v) || v < 1 || v > DUMP_MAX_THREADS)
				return usage_error("--threads takes a number from 1 to %d, not '%s'", DUMP_MAX_THREADS, optarg);
			o.threads = (int)v;
			break;
		case 'x': o.vmlinux = optarg; break;
		case 'm': o.system_map = optarg; break;
		case OPT_BTF: o.btf = optarg; break;
		case OPT_TMPDIR: o.tmpdir = optarg; break;
		case OPT_INSECURE: o.net.insecure = true; break;
		case OPT_HEADER:
			if (!strchr(optarg, ':') || strpbrk(optarg, "\r\n"))
				return usage_error("--header takes 'Name: value' on one line, not '%s'", optarg);
			if (o.net.nheaders >= SOURCE_NET_MAX_HEADERS)
				return usage_error("at most %d --header options", SOURCE_NET_MAX_HEADERS);
			headers[o.net.nheaders++] = optarg;
			break;
		case OPT_SPOOL_REMOTE:
			if (parse_u64(optarg, 10, &v) || v < 1 || v > (1u << 20))
				return usage_error("--spool-remote takes MiB from 1 to 1048576, not '%s'", optarg);
			o.net.spool_max = v << 20;
			break;
		case 'v': o.verbose++; break;
		case 'q': o.text_report = false; break;
		case OPT_FORCE: o.force = true; break;
		case OPT_FILTER: o.filter = optarg; break;
		case OPT_LIST: o.listing = APP_OUT_LIST; break;
		case OPT_JSON_LINES: o.listing = APP_OUT_JSON_LINES; break;
		case OPT_FAIL_ON:
			if (!strcmp(optarg, "error"))
				fail_on = FAIL_ON_ERROR;
			else if (!strcmp(optarg, "warning"))
				fail_on = FAIL_ON_WARNING;
			else
				return usage_error("--fail-on takes 'error' or 'warning', not '%s'", optarg);
			break;
		case 'h': fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf("skbfilter %s\n", SKBFILTER_VERSION); return 0;
		default:
			fprintf(stderr, "Try 'skbfilter --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no VMCORE given");
	/* tcpdump habit: `-c 1` is a packet count there; here -c is mini.core's codec */
	if ((o.minicore_codec || o.minicore_elf) && !o.minicore_file)
		return usage_error("-%c chooses how the minimized dump is written and needs -o FILE (skbfilter has no "
				   "packet count: tcpdump's -c has no equivalent; a filter expression selects packets)",
				   o.minicore_codec ? o.minicore_codec : 'E');
	o.net.headers = headers;
	o.net.stats = &net_stats;
	o.dumps = (const char *const *)&argv[optind];
	o.ndumps = argc - optind;
	if (mode == MODE_RUN) {
		status = split_filter(&o, argv + optind, argc - optind, &filter_buf);
		if (status)
			goto out_args;
	}
	if (o.filter && (rc = app_filter_compile_check(o.filter, &err)) < 0) {
		status = usage_error("%s", err.msg);
		goto out_args;
	}
	if (mode != MODE_RUN && (o.pcap_file || o.pcapng_file || o.minicore_file || o.json_file)) {
		status = usage_error("%s", "-w, --pcapng, -o and --json FILE belong to the main job");
		goto out_args;
	}
	if (mode == MODE_RUN) {
		rc = app_check_outputs(&o, &err);
		if (rc < 0) {
			status = usage_error("%s", err.msg);
			goto out_args;
		}
	}
	/* "-" or /dev/stdout: then stdout carries only that stream and the text report goes to stderr */
	stdout_taken = (o.pcap_file && outfile_is_stdout(o.pcap_file)) || (o.pcapng_file && outfile_is_stdout(o.pcapng_file)) ||
		       (o.json_file && outfile_is_stdout(o.json_file)) || (o.minicore_file && outfile_is_stdout(o.minicore_file));
	if (stdout_taken && o.listing != APP_OUT_TEXT) {
		status = usage_error("%s", "--list and --json-lines write to standard output, which an output '-' already takes");
		goto out_args;
	}
	if (mode != MODE_RUN && (o.listing != APP_OUT_TEXT || o.filter)) {
		status = usage_error("%s", "--list, --json-lines and filter expressions belong to the main job");
		goto out_args;
	}
	report_fp = stdout_taken ? stderr : stdout;
	o.run_stats = &run_stats;
	install_signal_handlers();

	if (o.scan_all) {
		if (!o.threads) {	/* one decompression thread per online CPU */
			long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

			o.threads = ncpu < 1 ? 1 : ncpu > DUMP_MAX_THREADS ? DUMP_MAX_THREADS : (int)ncpu;
		}
		o.scan_stats = &scan_stats;
		if (o.text_report && isatty(STDERR_FILENO)) {
			o.progress = progress_draw;
			o.progress_arg = &bar;
		}
	}
	strbuf_init(&out);
	warnlist_init(&warnings);
	switch (mode) {
	case MODE_INFO: rc = app_info(&o, &out, &warnings, &err); break;
	case MODE_BACKTRACE: rc = app_backtrace(&o, &out, &warnings, &err); break;
	case MODE_DMESG: rc = app_dmesg(&o, &out, &warnings, &err); break;
	default: rc = app_run(&o, &out, &warnings, &err); break;
	}
	if (bar.drawn)
		progress_draw(&bar, 1, 1);
	if (scan_stats.ran && o.text_report) {
		double sec = scan_stats.seconds > 1e-6 ? scan_stats.seconds : 1e-6;

		fprintf(stderr, "skbfilter: --scan all: %" PRIu64 " struct pages in %" PRIu64 " dump pages, %" PRIu64
			" skbuff slab pages: %.1f MiB read in %.3f s, %.0f MiB/s, %.0f pages/s, %d thread%s\n", scan_stats.pfns,
			scan_stats.vmemmap_pages, scan_stats.slab_pages, scan_stats.bytes / 1048576.0, scan_stats.seconds,
			scan_stats.bytes / 1048576.0 / sec, (scan_stats.vmemmap_pages + scan_stats.slab_pages) / sec,
			o.threads, o.threads == 1 ? "" : "s");
	}
	if (net_stats.sources && o.verbose)
		fprintf(stderr, "skbfilter: http: %" PRIu64 " requests, %" PRIu64 " round trips, %.1f KiB received, %" PRIu64
			" retries, %.3f s waiting; %" PRIu64 " of %" PRIu64 " reads from the cache\n", net_stats.requests,
			net_stats.round_trips, net_stats.bytes / 1024.0, net_stats.retries, net_stats.seconds, net_stats.hits,
			net_stats.reads);
	if (net_stats.failed[0]) {
		/* A remote source stopped (src/io/remote.c): that is the cause, whatever the job made of it. */
		rc = sf_err_set(&err, SF_EIO, "%s", net_stats.failed);
	}
	if (out.len)
		fwrite(out.buf, 1, out.len, report_fp);
	if (fflush(stdout) != 0 && rc >= 0) {
		rc = sf_err_set(&err, SF_EIO, "standard output: %s", strerror(errno));
	}
	for (size_t i = 0; (o.text_report || o.verbose) && i < warnings.notes_kept; i++)
		fprintf(stderr, "skbfilter: note: %s\n", warnings.notes[i]);
	for (size_t i = 0; i < warnings.kept; i++)
		fprintf(stderr, "skbfilter: warning: %s\n", warnings.msgs[i]);
	if (warnings.count > warnings.kept)
		fprintf(stderr, "skbfilter: warning: %zu more warnings not shown\n", warnings.count - warnings.kept);
	if (rc < 0) {
		/* the one place an error is formatted (src/util/err.c); -v adds its data (file, offset, address) */
		char msg[SF_ERR_MSG_MAX + SF_ERR_PATH_MAX + 80];

		sf_err_format(&err, o.verbose, msg, sizeof(msg));
		/* a broken internal contract is a bug, never blamed on the user's arguments (exit 2) */
		if (rc == -SF_EBUG)
			fprintf(stderr, "skbfilter: internal error (a bug in skbfilter, please report it): %s\n", msg);
		else
			fprintf(stderr, "skbfilter: error: %s\n", msg);
		status = rc == -SF_EINVAL ? EXIT_USAGE : EXIT_INPUT;
	} else {
		status = rc == APP_PARTIAL || warnings.count ? EXIT_PARTIAL : 0;
		/* --fail-on wins over "partial": a pipeline asked about findings */
		if ((fail_on == FAIL_ON_ERROR && run_stats.findings_error) ||
		    (fail_on == FAIL_ON_WARNING && (run_stats.findings_error || run_stats.findings_warning))) {
			fprintf(stderr, "skbfilter: --fail-on=%s: %d error and %d warning findings\n",
				fail_on == FAIL_ON_ERROR ? "error" : "warning", run_stats.findings_error,
				run_stats.findings_warning);
			status = EXIT_FINDINGS;
		}
	}
	strbuf_release(&out);
	warnlist_release(&warnings);
out_args:
	free(filter_buf);
	return status;
}
