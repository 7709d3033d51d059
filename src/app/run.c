// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The main job: open the dump (recording every page read, for mini.core),
 * open the kernel, analyse the panic, find and rebuild the skbs, then write
 * pcap, pcapng, the JSON report, the minimized dump and the text report.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/app.h"
#include "skbfilter/kernel.h"
#include "skbfilter/minicore.h"
#include "skbfilter/outfile.h"
#include "skbfilter/panic.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"

static int write_text_file(const char *path, const struct strbuf *sb, struct sf_err *err)
{
	struct outfile of = { 0 };
	int rc = outfile_open(&of, path, err);

	if (rc < 0)
		return rc;
	rc = outfile_write(&of, sb->buf ? sb->buf : "", sb->len, err);
	if (rc < 0) {
		outfile_abort(&of);
		return rc;
	}
	return outfile_commit(&of, err);
}

static int do_minicore(const struct app_opts *o, struct kernel *k, const struct read_recorder *rec,
		       const struct panic_context *pc, const struct skb_scan *s, struct strbuf *manifest,
		       struct warnlist *w, struct sf_err *err)
{
	struct minicore_opts mo = { .recorder = rec };
	char policy[32];
	struct minicore_stats st;
	struct phys_range *scrub = NULL;
	size_t nscrub = 0;
	int rc;

	mo.path = o->minicore_file;
	mo.codec = o->minicore_codec;
	mo.elf = o->minicore_elf;
	mo.keep_crash = o->keep == KEEP_LEVEL_CRASH;
	mo.omit_rebuildable = o->keep == KEEP_LEVEL_LEAN;
	if (o->scrub_payload && s) {
		struct skb_mem m;

		skb_mem_from_kmem(&m, kernel_kmem(k));
		rc = skb_scrub_ranges(&m, s, &scrub, &nscrub, err);
		if (rc < 0)
			return sf_err_prefix(err, "--scrub-payload");
	}
	mo.scrub = scrub;
	mo.nscrub = nscrub;
	/* the policy as the user would write it; the erase note and the manifest record it */
	snprintf(policy, sizeof(policy), "%s%s%s%s%s", o->scrub_payload ? "payload" : "",
		 o->scrub_payload && o->scrub_dmesg ? "," : "", o->scrub_dmesg ? "dmesg" : "",
		 (o->scrub_payload || o->scrub_dmesg) && o->scrub_comm ? "," : "", o->scrub_comm ? "comm" : "");
	mo.scrub_policy = policy;
	mo.scrub_dmesg = o->scrub_dmesg;
	mo.scrub_comm = o->scrub_comm;
	mo.panic_task = pc && pc->panic ? pc->panic->task : 0;
	memset(&st, 0, sizeof(st));
	rc = minicore_write(k, &mo, &st, manifest, w, err);
	free(scrub);
	return rc;
}

int app_run(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	struct skb_scan_opts sopts = { .all_cpus = o->all_cpus, .scan_all = o->scan_all, .threads = o->threads, .extra = o->skb_addrs, .nextra = o->nskb_addrs,
		.verbose = o->verbose, .progress = o->progress, .progress_arg = o->progress_arg };
	struct report_ctx rc_ = { 0 };
	struct strbuf manifest, report;
	struct app_session ses;
	struct dump *d;
	struct kernel *k;
	struct panic_context *pc = NULL;
	struct skb_scan *s = NULL;
	struct sf_err e2 = { 0 };
	int rc, result = 0;

	strbuf_init(&manifest);
	strbuf_init(&report);
	rc = app_session_open(o, APP_NEED_RECORDED, &ses, w, err);
	d = ses.d;
	k = ses.k;
	if (rc < 0)
		goto out;
	if (panic_analyze(k, o->all_cpus, &pc, &e2) < 0) {
		warn_add(w, "panic analysis failed: %s", e2.msg);
		pc = NULL;
	}
	rc = skb_scan_run(k, pc, &sopts, &s, w, err);
	if (rc < 0) {
		sf_err_prefix(err, "%s", dump_name(d));
		goto out;
	}
	if (o->filter) {
		rc = app_filter_records(o->filter, s, err);
		if (rc < 0)
			goto out;
	}
	if (o->scan_stats)
		*o->scan_stats = s->scan_all;
	if (o->run_stats) {
		o->run_stats->skbs = s->nrecords;
		for (int i = 0; i < s->nrecords; i++) {
			o->run_stats->findings_error += findings_count(&s->records[i].findings, SEV_ERROR);
			o->run_stats->findings_warning += findings_count(&s->records[i].findings, SEV_WARNING);
			o->run_stats->findings_info += findings_count(&s->records[i].findings, SEV_INFO);
		}
	}
	for (int i = 0; i < s->nrecords; i++) {
		const struct skb_packet *pk = &s->records[i].pkt;

		if (!pk->bytes || pk->complete)
			continue;
		/* exit 1 always comes with a warning that says why */
		warn_add(w, "skb 0x%" PRIx64 ": packet incomplete: %u of its %u bytes could not be read (first gap at "
			 "byte %u, %u bytes; zero-filled in the pcap, listed in the JSON report)", s->records[i].f.addr,
			 pk->missing_bytes, pk->len, pk->nmissing ? pk->missing[0].off : 0,
			 pk->nmissing ? pk->missing[0].len : 0);
		result = APP_PARTIAL;
	}
	if (!s->nrecords && o->filter)
		warn_note(w, "no packet matches the filter '%s'", o->filter);
	else if (!s->nrecords)
		warn_add(w, "no sk_buff found (%" PRIu64 " words looked at, %d candidates rejected%s)", s->candidates,
			 s->nrejected, o->verbose ? "" : "; -v lists them");

	rc_.dump_path = dump_name(d);
	rc_.di = dump_get_info(d);
	rc_.k = k;
	rc_.pc = pc;
	rc_.s = s;
	rc_.w = w;
	rc_.pcap_file = o->pcap_file;
	rc_.pcapng_file = o->pcapng_file;
	rc_.pcap_linktype = skb_pcap_linktype(s);
	rc_.verbose = o->verbose;
	rc_.segment = o->segment;
	rc_.json_file = o->json_file;
	rc_.minicore_file = o->minicore_file;
	rc_.filter = o->filter;
	/* Scrub ranges come from the packets' memory runs, not their bytes: compute them before zeroing. */
	if (o->minicore_file) {
		rc = do_minicore(o, k, ses.rec, pc, s, &manifest, w, err);
		if (rc < 0)
			goto out;
		rc_.minicore_json = manifest.len && manifest.buf[0] == '{' ? manifest.buf : NULL;
	}
	if (o->scrub_payload)
		skb_scrub_packets(s);
	if (o->pcap_file) {
		rc = skb_pcap_write(o->pcap_file, s, o->snaplen, o->segment, err);
		if (rc < 0)
			goto out;
	}
	if (o->pcapng_file) {
		rc = skb_pcapng_write(o->pcapng_file, s, o->snaplen, o->segment, err);
		if (rc < 0)
			goto out;
	}
	if (o->json_file) {
		report_json(&rc_, &report);
		if (report.overflow) {
			rc = sf_err_set(err, SF_ENOMEM, "%s: the JSON report exceeds its size cap", o->json_file);
			goto out;
		}
		rc = write_text_file(o->json_file, &report, err);
		if (rc < 0)
			goto out;
	}
	if (o->listing == APP_OUT_LIST)
		report_list(&rc_, out);
	else if (o->listing == APP_OUT_JSON_LINES)
		report_json_lines(&rc_, out);
	else if (o->text_report)
		report_text(&rc_, out);	/* main prints it on stderr when an output took stdout */
	rc = result;
out:
	strbuf_release(&manifest);
	strbuf_release(&report);
	skb_scan_destroy(s);
	panic_context_destroy(pc);
	return app_session_close(o, &ses, rc, w, err);
}
