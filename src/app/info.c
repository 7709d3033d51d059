// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * skbfilter --info [--json] VMCORE...: what the dump is (format, codecs,
 * page size, architecture, kernel, crash time), its CPUs as NT_PRSTATUS
 * records them, and how many pages it holds in each state.  Several files
 * are one split dump, as in the main job.
 *
 * Everything comes from the dump headers and notes; no page is read, so this
 * works on dumps whose memory is damaged.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "skbfilter/slimnote.h"
#include "skbfilter/app.h"
#include "skbfilter/arch.h"
#include "skbfilter/dump.h"
#include "skbfilter/erasenote.h"
#include "skbfilter/json.h"
#include "skbfilter/vmcoreinfo.h"
#include "mem/qemu.h"	/* qemu_notes_detect */

#define NT_PRSTATUS 1
#define INFO_MAX_CPUS 8192	/* CPUs listed; more NT_PRSTATUS notes are counted, not listed */

struct info_cpu {
	int32_t pid;
	uint64_t sp, ip;
	bool parsed;
};

struct info {
	const struct dump_info *di;
	bool is_stdin;
	const struct arch_ops *arch;
	char release[128];
	char build_id[128];
	bool have_crashtime;
	int64_t crashtime;
	bool crashtime_from_header;
	char crashtime_utc[32];
	bool have_vmcoreinfo, have_eraseinfo;
	/* mini.core's kernel note (symbols and slim BTF that re-analysis uses instead of memory) */
	bool have_note;
	/* mini.core's erase note: the --scrub policy and the erased bytes (skbfilter/erasenote.h) */
	bool have_erased;
	char scrub_policy[ERASENOTE_POLICY_MAX];
	uint64_t erased_bytes, erased_ranges;
	char note[160];
	struct info_cpu *cpus;
	size_t ncpus, ncpus_listed;
	bool qemu;		/* "QEMU" notes: NT_PRSTATUS is vCPU state, pr_pid the vCPU number + 1 */
};

static void copy_value(char *dst, size_t dstlen, const char *v)
{
	snprintf(dst, dstlen, "%s", v ? v : "");
}

static void utc_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

static int info_collect(struct dump *d, struct info *in, struct warnlist *w, struct sf_err *err)
{
	const struct dump_note *notes;
	struct vmcoreinfo *vi = NULL;
	size_t nnotes, vilen;
	const char *vitext;
	uint64_t v;

	in->di = dump_get_info(d);
	in->arch = arch_by_e_machine(in->di->e_machine);
	if (!in->arch && in->di->uts_machine[0])
		in->arch = arch_by_uts_machine(in->di->uts_machine);
	vitext = dump_get_vmcoreinfo(d, &vilen);
	in->have_vmcoreinfo = vitext != NULL;
	in->have_eraseinfo = dump_get_eraseinfo(d, NULL) != NULL;
	{
		const struct erase_set *es = dump_get_erased(d);

		in->have_erased = es->n || es->policy[0];
		snprintf(in->scrub_policy, sizeof(in->scrub_policy), "%s", es->policy[0] ? es->policy : "none");
		in->erased_bytes = erase_set_bytes(es, ERASE_REASON_ALL);
		in->erased_ranges = es->n;
	}
	{
		size_t nlen = 0;
		const uint8_t *nd = slimnote_find(d, &nlen);
		struct slimnote *sn = NULL;
		struct sf_err nerr = { 0 };

		in->have_note = nd != NULL;
		if (nd && slimnote_parse(nd, nlen, &sn, &nerr) == 0)
			snprintf(in->note, sizeof(in->note), "%zu symbols (%zu of modules), %zu bytes of BTF",
				 sn->nsyms, sn->nmodsyms, sn->btf_len);
		else if (nd) {
			snprintf(in->note, sizeof(in->note), "unreadable: %.120s", nerr.msg);
			warn_add(w, "mini.core kernel note unreadable: %s", nerr.msg);
		}
		slimnote_destroy(sn);
	}
	if (vitext) {
		struct sf_err verr = { 0 };

		if (vmcoreinfo_parse(vitext, vilen, &vi, &verr) < 0)
			warn_add(w, "VMCOREINFO cannot be parsed: %s", verr.msg);
	}
	if (vi) {
		struct sf_err verr = { 0 };

		copy_value(in->release, sizeof(in->release), vmcoreinfo_get(vi, "OSRELEASE"));
		copy_value(in->build_id, sizeof(in->build_id), vmcoreinfo_get(vi, "BUILD-ID"));
		if (vmcoreinfo_get(vi, "CRASHTIME")) {
			if (vmcoreinfo_dec(vi, "CRASHTIME", &v, &verr) == 0 && v <= INT64_MAX) {
				in->have_crashtime = true;
				in->crashtime = (int64_t)v;
			} else {
				warn_add(w, "VMCOREINFO CRASHTIME=%s is not a number of seconds", vmcoreinfo_get(vi, "CRASHTIME"));
			}
		}
	}
	if (!in->release[0])
		copy_value(in->release, sizeof(in->release), in->di->uts_release);
	if (!in->have_crashtime && in->di->timestamp_sec > 0) {
		/* The kdump header's time of writing the dump: close to, not exactly, the crash. */
		in->have_crashtime = true;
		in->crashtime_from_header = true;
		in->crashtime = in->di->timestamp_sec;
	}
	if (in->have_crashtime)
		utc_time(in->crashtime, in->crashtime_utc, sizeof(in->crashtime_utc));

	nnotes = dump_get_notes(d, &notes);
	for (size_t i = 0; i < nnotes; i++)
		if (notes[i].type == NT_PRSTATUS && !strcmp(notes[i].name, "CORE"))
			in->ncpus++;
	in->qemu = qemu_notes_detect(notes, nnotes);
	in->ncpus_listed = in->ncpus < INFO_MAX_CPUS ? in->ncpus : INFO_MAX_CPUS;
	if (in->ncpus > INFO_MAX_CPUS)
		warn_add(w, "%zu NT_PRSTATUS notes; only the first %d are listed", in->ncpus, INFO_MAX_CPUS);
	in->cpus = calloc(in->ncpus_listed ? in->ncpus_listed : 1, sizeof(*in->cpus));
	if (!in->cpus) {
		vmcoreinfo_destroy(vi);
		return sf_err_set(err, SF_ENOMEM, "out of memory for %zu CPUs", in->ncpus_listed);
	}
	if (in->ncpus && !in->arch)
		warn_add(w, "unknown architecture (ELF machine %u): NT_PRSTATUS registers are not decoded",
			 in->di->e_machine);
	for (size_t i = 0, c = 0; i < nnotes && c < in->ncpus_listed; i++) {
		struct prstatus pr;
		struct sf_err perr = { 0 };

		if (notes[i].type != NT_PRSTATUS || strcmp(notes[i].name, "CORE"))
			continue;
		if (in->arch) {
			if (in->arch->parse_prstatus(notes[i].desc, notes[i].descsz, in->di->big_endian, &pr, &perr) == 0)
				in->cpus[c] = (struct info_cpu){ in->qemu ? -1 : pr.pid, pr.sp, pr.ip, true };
			else
				warn_add(w, "cpu %zu: %s", c, perr.msg);
		}
		c++;
	}
	vmcoreinfo_destroy(vi);
	return 0;
}

static const char *arch_name(const struct info *in)
{
	return in->arch ? in->arch->name : NULL;
}

static void info_text(const struct app_opts *o, const struct info *in, struct strbuf *out)
{
	const struct dump_info *di = in->di;

	strbuf_addf(out, "dump:            ");
	for (int i = 0; i < o->ndumps; i++) {
		char name[1024];

		source_display_name(o->dumps[i], name, sizeof(name));	/* a URL without its query (credentials) */
		strbuf_addf(out, "%s%s", i ? " " : "", name);
	}
	strbuf_addf(out, "\nformat:          %s%s%s%s\n", di->format, di->flattened ? " (flattened)" : "",
		    in->is_stdin ? " (standard input)" : "", di->split ? " (split set)" : "");
	strbuf_addf(out, "codecs:          %s\n", di->codecs[0] ? di->codecs : "none");
	if (strcmp(di->format, "elf"))
		strbuf_addf(out, "header version:  %d\n", di->header_version);
	strbuf_addf(out, "page size:       %u\n", di->page_size);
	if (arch_name(in))
		strbuf_addf(out, "architecture:    %s (%s-endian)\n", arch_name(in), di->big_endian ? "big" : "little");
	else
		strbuf_addf(out, "architecture:    unknown (ELF machine %u%s%s, %s-endian)\n", di->e_machine,
			    di->uts_machine[0] ? ", utsname " : "", di->uts_machine, di->big_endian ? "big" : "little");
	strbuf_addf(out, "kernel release:  %s\n", in->release[0] ? in->release : "unknown");
	if (in->build_id[0])
		strbuf_addf(out, "build id:        %s\n", in->build_id);
	if (in->have_crashtime)
		strbuf_addf(out, "crash time:      %" PRId64 " (%s)%s\n", in->crashtime, in->crashtime_utc,
			    in->crashtime_from_header ? " [dump header time]" : "");
	else
		strbuf_addf(out, "crash time:      unknown\n");
	strbuf_addf(out, "vmcoreinfo:      %s\n", in->have_vmcoreinfo ? "yes" : "no");
	strbuf_addf(out, "eraseinfo:       %s\n", in->have_eraseinfo ? "yes" : "no");
	if (in->have_erased)
		strbuf_addf(out, "erased:          %" PRIu64 " bytes in %" PRIu64 " ranges stored as 'X' (read as missing); "
			    "scrub policy: %s\n", in->erased_bytes, in->erased_ranges, in->scrub_policy);
	if (in->have_note)
		strbuf_addf(out, "kernel note:     mini.core kernel description: %s\n", in->note);
	if (di->dump_level >= 0)
		strbuf_addf(out, "dump level:      %d\n", di->dump_level);
	strbuf_addf(out, "cpus:            %zu (NT_PRSTATUS notes%s)\n", in->ncpus,
		    in->qemu ? "; QEMU vCPU state at dump time, pr_pid is not a pid" : "");
	for (size_t i = 0; i < in->ncpus_listed; i++) {
		if (in->cpus[i].parsed && in->cpus[i].pid < 0)
			strbuf_addf(out, "  cpu %-4zu pid -       sp %016" PRIx64 "  ip %016" PRIx64 "\n", i,
				    in->cpus[i].sp, in->cpus[i].ip);
		else if (in->cpus[i].parsed)
			strbuf_addf(out, "  cpu %-4zu pid %-7" PRId32 " sp %016" PRIx64 "  ip %016" PRIx64 "\n", i,
				    in->cpus[i].pid, in->cpus[i].sp, in->cpus[i].ip);
		else
			strbuf_addf(out, "  cpu %-4zu (registers not decoded)\n", i);
	}
	strbuf_addf(out, "max pfn:         0x%" PRIx64 " (%" PRIu64 ")\n", di->max_pfn, di->max_pfn);
	strbuf_addf(out, "pages:           %" PRIu64 " ram, %" PRIu64 " dumped, %" PRIu64 " excluded, %" PRIu64
		    " zero, %" PRIu64 " missing\n", di->n_ram, di->n_dumped, di->n_excluded, di->n_zero, di->n_missing);
	if (di->incomplete)
		strbuf_addf(out, "status:          incomplete dump\n");
}

static void info_json(const struct app_opts *o, const struct info *in, const struct warnlist *w, struct strbuf *out)
{
	const struct dump_info *di = in->di;
	struct json j;

	json_init(&j, out, true);
	json_obj_begin(&j, NULL);
	json_str(&j, "format", di->format);
	json_bool(&j, "flattened", di->flattened);
	json_bool(&j, "stdin", in->is_stdin);
	json_str(&j, "codecs", di->codecs[0] ? di->codecs : "none");
	json_i64(&j, "header_version", di->header_version);
	json_u64(&j, "page_size", di->page_size);
	json_str(&j, "arch", arch_name(in));
	json_u64(&j, "e_machine", di->e_machine);
	json_bool(&j, "big_endian", di->big_endian);
	json_str(&j, "kernel_release", in->release[0] ? in->release : NULL);
	json_str(&j, "build_id", in->build_id[0] ? in->build_id : NULL);
	if (in->have_crashtime) {
		json_i64(&j, "crash_time", in->crashtime);
		json_str(&j, "crash_time_utc", in->crashtime_utc);
	} else {
		json_null(&j, "crash_time");
		json_null(&j, "crash_time_utc");
	}
	json_bool(&j, "crash_time_from_header", in->crashtime_from_header);
	json_bool(&j, "vmcoreinfo", in->have_vmcoreinfo);
	json_bool(&j, "eraseinfo", in->have_eraseinfo);
	if (in->have_erased) {
		json_obj_begin(&j, "erased");
		json_u64(&j, "bytes", in->erased_bytes);
		json_u64(&j, "ranges", in->erased_ranges);
		json_str(&j, "scrub_policy", in->scrub_policy);
		json_obj_end(&j);
	}
	if (in->have_note)
		json_str(&j, "kernel_note", in->note);
	else
		json_null(&j, "kernel_note");
	json_i64(&j, "dump_level", di->dump_level);
	json_bool(&j, "incomplete", di->incomplete);
	json_arr_begin(&j, "cpus");
	for (size_t i = 0; i < in->ncpus_listed; i++) {
		json_obj_begin(&j, NULL);
		json_u64(&j, "cpu", i);
		if (in->cpus[i].parsed) {
			if (in->cpus[i].pid >= 0)
				json_i64(&j, "pid", in->cpus[i].pid);
			else
				json_null(&j, "pid");
			json_hex(&j, "sp", in->cpus[i].sp);
			json_hex(&j, "ip", in->cpus[i].ip);
		} else {
			json_null(&j, "pid");
			json_null(&j, "sp");
			json_null(&j, "ip");
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_u64(&j, "max_pfn", di->max_pfn);
	json_obj_begin(&j, "pages");
	json_u64(&j, "ram", di->n_ram);
	json_u64(&j, "dumped", di->n_dumped);
	json_u64(&j, "excluded", di->n_excluded);
	json_u64(&j, "zero", di->n_zero);
	json_u64(&j, "missing", di->n_missing);
	json_obj_end(&j);
	json_arr_begin(&j, "files");
	for (int i = 0; i < o->ndumps; i++) {
		char name[1024];

		source_display_name(o->dumps[i], name, sizeof(name));
		json_str(&j, NULL, name);
	}
	json_arr_end(&j);
	json_warnlist(&j, w);
	json_obj_end(&j);
	strbuf_puts(out, "\n");
}

int app_info(const struct app_opts *o, struct strbuf *out, struct warnlist *w, struct sf_err *err)
{
	struct app_session ses;
	struct info in = { 0 };
	int rc;

	rc = app_session_open(o, APP_NEED_DUMP, &ses, w, err);
	if (rc < 0)
		return rc;
	for (int i = 0; i < o->ndumps; i++)
		if (!strcmp(o->dumps[i], "-"))
			in.is_stdin = true;
	rc = info_collect(ses.d, &in, w, err);
	if (rc < 0)
		goto out;
	if (o->json)
		info_json(o, &in, w, out);
	else
		info_text(o, &in, out);
	rc = in.di->incomplete || in.di->n_missing ? APP_PARTIAL : 0;
out:
	free(in.cpus);
	return app_session_close(o, &ses, rc, w, err);
}
