// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * skbfilter: find the sk_buffs live in a Linux kernel crash dump and write
 * them as pcap, a GSO report and a minimized dump.
 *
 * This file is the command line: it parses options, calls one command
 * (include/skbfilter/app.h), prints the one error message and picks the exit
 * code.  Exit codes: 0 ok, 1 partial result with warnings, 2 usage, 3 input
 * unreadable (or any other failure to produce a result).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "skbfilter/app.h"
#include "skbfilter/dump.h"
#include "skbfilter/skb.h"

#define EXIT_PARTIAL 1
#define EXIT_USAGE 2
#define EXIT_INPUT 3

#ifndef SKBFILTER_VERSION
#define SKBFILTER_VERSION "0.1"
#endif

static const char usage_text[] =
"usage: skbfilter [options] VMCORE [VMCORE...]\n"
"       skbfilter --info [--json] VMCORE\n"
"       skbfilter --backtrace [--json] [--all-cpus] VMCORE\n"
"       skbfilter --dump-dmesg VMCORE\n"
"\n"
"Finds the sk_buffs that were live when a Linux kernel crashed and writes the\n"
"packets (pcap), a GSO/offload report (text and JSON) and a minimized dump.\n"
"VMCORE is an ELF /proc/vmcore, a makedumpfile kdump-compressed dump (zlib, lzo,\n"
"snappy, zstd), a flattened stream (\"-\" reads standard input) or a qemu memory\n"
"dump; several files form a split set.  No debuginfo is needed when the dump\n"
"carries kallsyms and BTF (Linux >= 6.0).\n"
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
"  --scrub-payload        zero packet payload beyond the headers in outputs\n"
"  --segment              also write the segments software GSO would produce\n"
"  --snaplen N            truncate packets in the pcap to N bytes\n"
"  -q                     no text report on standard output\n"
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
"  -v                     verbose (rejected skb candidates and why)\n"
"  -h, --help             this text\n"
"  --version              the version\n"
"\n"
"Exit status: 0 ok, 1 partial result with warnings, 2 usage error,\n"
"3 the input could not be read or no result could be produced.\n";

enum mode { MODE_RUN, MODE_INFO, MODE_BACKTRACE, MODE_DMESG };

enum {
	OPT_INFO = 256, OPT_BACKTRACE, OPT_DMESG, OPT_JSON, OPT_PCAPNG, OPT_KEEP, OPT_SCRUB,
	OPT_SEGMENT, OPT_SNAPLEN, OPT_ALL_CPUS, OPT_SKB, OPT_SCAN, OPT_THREADS, OPT_BTF, OPT_TMPDIR, OPT_VERSION,
	OPT_INSECURE, OPT_HEADER, OPT_SPOOL_REMOTE,
};

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
		{ NULL, 0, NULL, 0 },
	};
	struct app_opts o = { .text_report = true };
	struct progress_bar bar = { 0 };
	struct skb_scan_all_stats scan_stats = { 0 };
	struct source_net_stats net_stats = { 0 };
	const char *headers[SOURCE_NET_MAX_HEADERS];
	enum mode mode = MODE_RUN;
	bool json_flag_mode;
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
		case OPT_SCRUB: o.scrub_payload = true; break;
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
		case 'h': fputs(usage_text, stdout); return 0;
		case OPT_VERSION: printf("skbfilter %s\n", SKBFILTER_VERSION); return 0;
		default:
			fprintf(stderr, "Try 'skbfilter --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error("%s", "no VMCORE given");
	o.net.headers = headers;
	o.net.stats = &net_stats;
	o.dumps = (const char *const *)&argv[optind];
	o.ndumps = argc - optind;
	if (mode != MODE_RUN && (o.pcap_file || o.pcapng_file || o.minicore_file || o.json_file))
		return usage_error("%s", "-w, --pcapng, -o and --json FILE belong to the main job");

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
		fwrite(out.buf, 1, out.len, stdout);
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
		fprintf(stderr, "skbfilter: error: %s\n", err.msg);
		status = rc == -SF_EINVAL ? EXIT_USAGE : EXIT_INPUT;
	} else {
		status = rc == APP_PARTIAL || warnings.count ? EXIT_PARTIAL : 0;
	}
	strbuf_release(&out);
	warnlist_release(&warnings);
	return status;
}
