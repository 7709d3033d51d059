// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The minimized dump: every page the analysis read (dump_get_recorded()),
 * plus the printk buffer (so `makedumpfile --dump-dmesg` and crash's `log`
 * show the panic), plus with --keep=crash what a crash session reads at
 * start-up.  Written as kdump-compressed (default) or ELF (-E), atomically,
 * with a manifest listing every kept pfn range and why it was kept.
 * docs/minicore.md describes the choices (1st bitmap, max_mapnr, codec).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/json.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/minicore.h"
#include "skbfilter/outfile.h"
#include "skbfilter/bytes.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/vmcoreinfo.h"
#include "out/dumpwrite.h"
#include "out/minikeep.h"

/* A recorded pfn left out by omit_rebuildable (beside enum dw_page_fate). */
#define MC_OMITTED 100
/* A recorded pfn left out because the kernel note replaces it (BTF, kallsyms). */
#define MC_IN_NOTE 101

/*
 * Reasons whose pages only our own analysis reads: of those, mini.core keeps
 * only the 64ths of the page that were read (dump_recorded.chunks) and
 * zeroes the rest.  Re-analysis reads exactly the same bytes.  Pages that
 * other tools read whole (printk for makedumpfile --dump-dmesg and crash's
 * log, page tables, stacks, the skb and its data for crash's rd/struct,
 * everything of --keep=crash) are kept whole.
 */
#define MC_PARTIAL_OK MINICORE_PARTIAL_REASONS

struct mc_partial {
	uint64_t pfn;
	uint64_t chunks;
};

struct mc_read_ctx {
	struct dump *d;
	uint32_t psz;
	const struct phys_range *scrub;
	size_t nscrub;
	const struct mc_partial *part;	/* sorted by pfn */
	size_t npart;
	uint8_t *tmp;			/* a page */
};

/* Zeroes the chunks of a partial page that were not read, unless that would zero a non-zero page. */
static void mc_partial(struct mc_read_ctx *c, uint64_t pfn, uint8_t *buf)
{
	size_t lo = 0, hi = c->npart;
	uint32_t csz = c->psz / 64 ? c->psz / 64 : 1;
	bool any = false;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->part[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == c->npart || c->part[lo].pfn != pfn || !c->tmp)
		return;
	memcpy(c->tmp, buf, c->psz);
	for (uint32_t i = 0; i < 64 && (uint64_t)i * csz < c->psz; i++) {
		uint32_t n = c->psz - i * csz < csz ? c->psz - i * csz : csz;

		if (!(c->part[lo].chunks >> i & 1)) {
			memset(c->tmp + (size_t)i * csz, 0, n);
		} else {
			for (uint32_t b = 0; b < n && !any; b++)
				any = c->tmp[(size_t)i * csz + b] != 0;
		}
	}
	/* an all-zero result would turn the page into a zero page: keep it whole then */
	if (any)
		memcpy(buf, c->tmp, c->psz);
}

/* The page-read callback of the writers: dump read, then --scrub-payload. */
static int mc_read_page(void *arg, uint64_t pfn, uint8_t *buf, enum page_state *st, struct sf_err *err)
{
	struct mc_read_ctx *c = arg;
	uint64_t lo = pfn * c->psz, hi = lo + c->psz;
	int rc = dump_read_page(c->d, pfn, buf, st, err);

	if (rc < 0)
		return rc;
	if (c->npart && (*st == PAGE_PRESENT))
		mc_partial(c, pfn, buf);
	for (size_t i = 0; i < c->nscrub; i++) {
		uint64_t s = c->scrub[i].start, e = s + c->scrub[i].len;

		if (e < s)
			e = UINT64_MAX;
		if (e <= lo || s >= hi)
			continue;
		if (s < lo)
			s = lo;
		if (e > hi)
			e = hi;
		memset(buf + (s - lo), 0, e - s);
	}
	return 0;
}

/*
 * mc_read_page() that also hands out the source's stored bytes, only when
 * the page it returns is the page they decode to: whatever mc_read_page()
 * changes (--scrub-payload, ...) makes the writer compress the changed page.
 * dump_read_page_stored() leaves the page in the dump's cache, so
 * mc_read_page() does not decompress it again.
 */
static int mc_read_page_stored(void *arg, uint64_t pfn, uint8_t *buf, enum page_state *st, uint8_t *stored,
			       size_t cap, size_t *stored_len, uint32_t *stored_flags, struct sf_err *err)
{
	struct mc_read_ctx *c = arg;
	uint8_t *raw = malloc(c->psz);
	int rc;

	*stored_len = 0;
	*stored_flags = 0;
	if (raw && dump_read_page_stored(c->d, pfn, raw, st, stored, cap, stored_len, stored_flags, err) < 0) {
		*stored_len = 0;
		sf_err_clear(err);
	}
	rc = mc_read_page(arg, pfn, buf, st, err);
	if (rc < 0 || !raw || memcmp(raw, buf, c->psz))
		*stored_len = 0;
	free(raw);
	return rc;
}

/* Bytes of [lo, lo+len) inside the scrub ranges (ranges may overlap each other; counted once). */
static uint64_t scrub_overlap(const struct minicore_opts *o, uint64_t lo, uint64_t len)
{
	uint64_t n = 0;

	for (uint64_t a = lo; a < lo + len;) {
		uint64_t next = lo + len;
		bool in = false;

		for (size_t i = 0; i < o->nscrub; i++) {
			uint64_t s = o->scrub[i].start, e = s + o->scrub[i].len < s ? UINT64_MAX : s + o->scrub[i].len;

			if (a >= s && a < e) {
				in = true;
				if (e < next)
					next = e;
			} else if (s > a && s < next) {
				next = s;
			}
		}
		if (in)
			n += next - a;
		a = next;
	}
	return n;
}

/*
 * The note area to write: the source's notes without any kernel note of an
 * earlier skbfilter run (a mini.core of a mini.core), then the new note.
 */
static int compose_notes(const uint8_t *area, size_t len, bool be, const uint8_t *note, size_t nlen,
			 uint8_t **ret, size_t *retlen, struct sf_err *err)
{
	uint8_t *out = malloc(len + nlen + 1);
	size_t o = 0, w = 0;

	if (!out)
		return sf_err_set(err, SF_ENOMEM, "mini.core: out of memory for the note area");
	while (area && o + 12 <= len) {
		uint32_t namesz = ld32(area + o, be), descsz = ld32(area + o + 4, be), type = ld32(area + o + 8, be);
		uint64_t sz = 12 + (((uint64_t)namesz + 3) & ~3ull) + (((uint64_t)descsz + 3) & ~3ull);

		if ((!namesz && !descsz) || sz > len - o)
			break;
		if (!(type == SLIMNOTE_TYPE && namesz == sizeof(SLIMNOTE_NAME) &&
		      !memcmp(area + o + 12, SLIMNOTE_NAME, sizeof(SLIMNOTE_NAME)))) {
			memcpy(out + w, area + o, sz);
			w += sz;
		}
		o += sz;
	}
	if (nlen)
		memcpy(out + w, note, nlen);
	*ret = out;
	*retlen = w + nlen;
	return 0;
}

static void copy_uts(char *dst, const char *src, size_t n)
{
	memset(dst, 0, DW_UTS_LEN);
	if (src)
		memcpy(dst, src, strnlen(src, n < DW_UTS_LEN - 1 ? n : DW_UTS_LEN - 1));
}

/*
 * utsname for the kdump header: init_uts_ns from memory when it can be read
 * (the page is kept, tagged KEEP_SYMBOLS: crash reads it too), else the
 * source header's release/machine, else VMCOREINFO OSRELEASE and the arch.
 */
static void fill_uts(struct kernel *k, const struct dump_info *info, struct dumpwrite_src *s)
{
	struct sf_err err = { 0 };
	uint64_t uts;
	int64_t off;
	uint8_t buf[6 * 65];

	for (int i = 0; i < 6; i++)
		copy_uts(s->uts[i], NULL, 0);
	if (k->types && kernel_symbol(k, "init_uts_ns", &uts, &err) == 0 &&
	    (off = ktypes_offsetof(k->types, "uts_namespace.name", &err)) >= 0) {
		enum keep_reason old = kmem_set_reason(k->kmem, KEEP_SYMBOLS);
		int rc = kmem_read(k->kmem, uts + (uint64_t)off, buf, sizeof(buf), "init_uts_ns.name", &err);

		kmem_set_reason(k->kmem, old);
		if (rc == 0 && !memcmp(buf, "Linux", 6)) {
			for (int i = 0; i < 6; i++)
				copy_uts(s->uts[i], (const char *)buf + 65 * i, 65);
			return;
		}
	}
	copy_uts(s->uts[0], "Linux", 5);
	copy_uts(s->uts[2], info->uts_release[0] ? info->uts_release : k->release, 65);
	copy_uts(s->uts[4], info->uts_machine[0] ? info->uts_machine : k->arch ? k->arch->uts_machine : "", 65);
}

/*
 * The pfns of vmlinux's kallsyms tables (what System.map replaces), from
 * VMCOREINFO's SYMBOL(kallsyms_*) (6.0+): the tables sit together in the
 * kernel image's .rodata, which is physically contiguous.  The last one
 * (kallsyms_token_index, 256 u16) ends within a page of its start.  Other
 * KEEP_SYMBOLS pages (ORC tables, module kallsyms, init_uts_ns) are not
 * rebuildable from System.map and stay.  *lo > *hi when unknown.
 */
static void kallsyms_pfn_span(struct kernel *k, uint64_t *lo, uint64_t *hi)
{
	static const char *const tabs[] = { "kallsyms_names", "kallsyms_token_table", "kallsyms_token_index",
					    "kallsyms_offsets", "kallsyms_relative_base", "kallsyms_num_syms",
					    "kallsyms_markers", "kallsyms_seqs_of_names", "kallsyms_addresses" };
	uint32_t psz = kmem_page_size(k->kmem);
	uint64_t vlo = UINT64_MAX, vhi = 0, plo, phi;
	struct sf_err err = { 0 };

	*lo = 1;
	*hi = 0;
	if (!k->vi)
		return;
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		uint64_t a;

		if (vmcoreinfo_symbol(k->vi, tabs[i], &a, &err) < 0)
			continue;
		if (a < vlo)
			vlo = a;
		if (a > vhi)
			vhi = a;
	}
	if (vlo > vhi || vhi - vlo > (64u << 20) || kmem_vtop(k->kmem, vlo, &plo, &err) < 0 ||
	    kmem_vtop(k->kmem, vhi + psz, &phi, &err) < 0 || phi < plo || phi - plo != vhi + psz - vlo)
		return;
	*lo = plo / psz;
	*hi = phi / psz;
}

/* ---- manifest ---- */

static void json_reasons(struct json *j, const char *key, uint32_t mask)
{
	json_arr_begin(j, key);
	for (int r = 0; r < KEEP_REASON_MAX; r++)
		if (mask & (1u << r))
			json_str(j, NULL, keep_reason_name((enum keep_reason)r));
	json_arr_end(j);
}

static const char *fate_name(uint8_t f)
{
	switch (f) {
	case DW_DATA: return "data";
	case DW_ZERO: return "zero";
	case DW_RAM_ONLY: return "not-in-source";
	case DW_ABSENT: return "not-ram";
	case MC_OMITTED: return "omitted";
	case MC_IN_NOTE: return "replaced-by-note";
	}
	return "?";
}

static void build_manifest(struct strbuf *sb, const struct minicore_opts *o, const char *codec, const char *keep,
			   const struct dump_info *info, const struct dump_recorded *rec, size_t n,
			   const uint8_t *fate, const struct dumpwrite_result *res, const struct minicore_stats *st,
			   uint64_t scrubbed, uint64_t printk_bytes, uint64_t crash_bytes, uint64_t nomit,
			   const char *build_id, const char *release, const uint8_t *rebuild,
			   const struct slimnote_stats *ns, uint64_t nnote, const uint8_t *partial, uint64_t npartial,
			   uint64_t partial_bytes)
{
	struct json j;
	uint32_t psz = info->page_size;

	json_init(&j, sb, true);
	json_obj_begin(&j, NULL);
	json_str(&j, "file", o->path);
	json_str(&j, "format", o->elf ? "elf" : "kdump-compressed");
	json_str(&j, "codec", codec);
	json_str(&j, "keep", keep);
	json_bool(&j, "omit_rebuildable", o->omit_rebuildable);
	json_str(&j, "kernel_release", release);
	json_str(&j, "build_id", build_id);
	json_u64(&j, "page_size", psz);
	json_u64(&j, "source_max_pfn", info->max_pfn);
	json_u64(&j, "max_mapnr", res->max_mapnr);
	json_u64(&j, "file_bytes", res->file_bytes);
	json_u64(&j, "page_data_bytes", res->data_bytes);
	json_obj_begin(&j, "pages");
	json_u64(&j, "recorded", n);
	json_u64(&j, "with_data", res->n_data);
	json_u64(&j, "zero", res->n_zero);
	json_u64(&j, "no_data_in_source", res->n_ram_only);
	json_u64(&j, "not_ram_in_source", res->n_absent);
	json_u64(&j, "omitted_rebuildable", nomit);
	json_u64(&j, "replaced_by_note", nnote);
	json_u64(&j, "partial", npartial);
	json_obj_end(&j);
	/* partial pages: only the 64ths that were read are kept, the rest is zero */
	json_u64(&j, "partial_bytes_kept", partial_bytes);
	/* the kernel description note (include/skbfilter/slimnote.h): what replaces the BTF and kallsyms pages */
	json_obj_begin(&j, "kernel_note");
	json_bool(&j, "written", ns->note_bytes != 0);
	json_u64(&j, "bytes", ns->note_bytes);
	json_u64(&j, "uncompressed_bytes", ns->raw_len);
	json_u64(&j, "btf_bytes", ns->btf_bytes);
	json_u64(&j, "btf_types", ns->btf_types);
	json_u64(&j, "symbols", ns->syms);
	json_u64(&j, "module_symbols", ns->module_syms);
	json_obj_end(&j);
	json_u64(&j, "scrubbed_bytes", scrubbed);
	json_u64(&j, "printk_bytes_requested", printk_bytes);
	json_u64(&j, "crash_bytes_requested", crash_bytes);
	/* bytes per reason: a page kept for two reasons counts under both */
	json_arr_begin(&j, "by_reason");
	for (int r = 0; r < KEEP_REASON_MAX; r++) {
		if (!st->pages_by_reason[r])
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "reason", keep_reason_name((enum keep_reason)r));
		json_u64(&j, "pages", st->pages_by_reason[r]);
		json_u64(&j, "bytes", st->bytes_by_reason[r]);
		json_obj_end(&j);
	}
	if (ns->note_bytes) {
		/* not pages: the note's bytes in the note area */
		json_obj_begin(&j, NULL);
		json_str(&j, "reason", "kernel-note");
		json_u64(&j, "pages", 0);
		json_u64(&j, "bytes", ns->note_bytes);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	/* merged ranges: consecutive pfns with the same reasons and the same fate */
	json_arr_begin(&j, "ranges");
	for (size_t i = 0; i < n;) {
		size_t e = i + 1;

		while (e < n && rec[e].pfn == rec[e - 1].pfn + 1 && rec[e].reasons == rec[i].reasons &&
		       fate[e] == fate[i] && rebuild[e] == rebuild[i] && partial[e] == partial[i])
			e++;
		json_obj_begin(&j, NULL);
		json_hex(&j, "start_pfn", rec[i].pfn);
		json_u64(&j, "pages", e - i);
		json_hex(&j, "start_paddr", rec[i].pfn * psz);
		json_hex(&j, "end_paddr", (rec[e - 1].pfn + 1) * psz);
		json_reasons(&j, "reasons", rec[i].reasons);
		json_str(&j, "stored", fate_name(fate[i]));
		/* the kernel image's BTF / kallsyms: omit_rebuildable leaves these out */
		json_bool(&j, "rebuildable", rebuild[i]);
		json_bool(&j, "partial", partial[i]);
		json_obj_end(&j);
		i = e;
	}
	json_arr_end(&j);
	json_obj_end(&j);
	strbuf_puts(sb, "\n");
}

static int write_manifest(const char *path, const struct strbuf *sb, struct sf_err *err)
{
	struct outfile of;
	int rc = outfile_open(&of, path, err);

	if (rc < 0)
		return rc;
	rc = outfile_write(&of, sb->buf, sb->len, err);
	if (rc < 0) {
		outfile_abort(&of);
		return rc;
	}
	return outfile_commit(&of, err);
}

int minicore_write(struct kernel *k, const struct minicore_opts *o, struct minicore_stats *stats,
		   struct strbuf *manifest, struct warnlist *w, struct sf_err *err)
{
	struct dump *d = k->dump;
	const struct dump_info *info = dump_get_info(d);
	struct mc_read_ctx ctx = { .d = d, .psz = info->page_size, .scrub = o->scrub, .nscrub = o->nscrub };
	struct dumpwrite_src s = { 0 };
	struct dumpwrite_result res = { 0 };
	struct dump_recorded *rec = NULL;
	struct strbuf mf = { 0 };
	struct outfile of = { 0 };
	bool of_open = false;
	uint64_t *pfns = NULL, printk_bytes = 0, crash_bytes = 0, scrubbed = 0;
	uint8_t *fate = NULL, *kfate = NULL, *omit = NULL, *rebuild = NULL, *note = NULL, *notes = NULL;
	size_t n = 0, nkeep = 0, nomit = 0, note_len = 0, notes_len = 0, nnote = 0, npartial = 0;
	struct mc_partial *part = NULL;
	uint8_t *partial = NULL;
	uint64_t partial_bytes = 0;
	struct slimnote_stats ns = { 0 };
	enum page_codec codec = CODEC_ZLIB;
	char *mpath = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	strbuf_init(&mf);
	if (!o->path || !*o->path)
		return sf_err_set(err, SF_EINVAL, "mini.core: no output path");
	if (!o->elf) {
		rc = compress_codec_from_opt(o->codec, &codec, err);
		if (rc < 0)
			return rc;
	}
	if (info->elf_class32 && !o->elf)
		return sf_err_set(err, SF_ENOTSUP, "%s: the kdump-compressed writer handles 64-bit dumps only; use -E",
				  o->path);

	/* extra page sets, recorded by the reads themselves (recording may have been switched off) */
	dump_record(d, true);
	printk_bytes = minikeep_printk(k, w);
	if (o->keep_crash)
		crash_bytes = minikeep_crash(k, w);
	fill_uts(k, info, &s);
	/*
	 * The kernel note: last, after every lookup the steps above made.
	 * --keep=crash keeps the BTF and kallsyms pages themselves (crash and
	 * other tools read them), so the file describes itself the way the
	 * source did and needs no note.
	 */
	if (!o->keep_crash) {
		struct sf_err ne = { 0 };

		if (slimnote_build(k, info->big_endian, &note, &note_len, &ns, &ne) < 0) {
			warn_add(w, "mini.core: kernel note not written (%s): the BTF and kallsyms pages are kept instead",
				 ne.msg);
			free(note);
			note = NULL;
			note_len = 0;
			memset(&ns, 0, sizeof(ns));
		}
	}

	rc = dump_get_recorded(d, &rec, &n, err);
	if (rc < 0)
		goto out;
	pfns = malloc((n ? n : 1) * sizeof(*pfns));
	fate = malloc(n ? n : 1);
	kfate = malloc(n ? n : 1);
	omit = malloc(n ? n : 1);
	rebuild = malloc(n ? n : 1);
	partial = calloc(n ? n : 1, 1);
	part = malloc((n ? n : 1) * sizeof(*part));
	ctx.tmp = malloc(info->page_size);
	if (!pfns || !fate || !kfate || !omit || !rebuild || !partial || !part || !ctx.tmp) {
		rc = sf_err_set(err, SF_ENOMEM, "mini.core: out of memory for %zu pages", n);
		goto out;
	}
	/* omit_rebuildable: drop pages kept only for the kernel image's BTF or its kallsyms tables */
	{
		uint64_t ks_lo = 1, ks_hi = 0;

		kallsyms_pfn_span(k, &ks_lo, &ks_hi);
		for (size_t i = 0; i < n; i++) {
			uint32_t r = rec[i].reasons;
			bool in_ks = rec[i].pfn >= ks_lo && rec[i].pfn <= ks_hi;

			uint64_t chunks;
			bool by_note_all;
			uint32_t by_note = (ns.btf_bytes ? 1u << KEEP_BTF : 0) | (ns.syms ? 1u << KEEP_SYMBOLS : 0) |
					   (ns.percpu_cpus ? 1u << KEEP_DISCOVERY : 0);

			rebuild[i] = r == 1u << KEEP_BTF || (in_ks && !(r & ~(1u << KEEP_BTF | 1u << KEEP_SYMBOLS)));
			omit[i] = o->omit_rebuildable && rebuild[i];
			/*
			 * Pages read only for the kernel's BTF, for kallsyms (vmlinux,
			 * modules, the module-list search) or to find the per-CPU
			 * data without __per_cpu_offset: the note holds what was
			 * used of them.  --keep=crash keeps them for other tools.
			 */
			if (!omit[i] && note_len && !o->keep_crash && r && !(r & ~by_note))
				omit[i] = 2;
			/*
			 * A page read for the note's reasons and others: the note stands
			 * in for the former, so only the others' chunks need to stay.
			 */
			by_note_all = note_len && !o->keep_crash && !(r & KEEP_REASONS_NOTE & ~by_note);
			chunks = by_note_all ? rec[i].chunks_kept : rec[i].chunks;
			if (!omit[i] && !o->keep_crash && r && !(r & ~(MC_PARTIAL_OK | (by_note_all ? by_note : 0))) &&
			    chunks != ~0ull) {
				uint32_t csz = info->page_size / 64 ? info->page_size / 64 : 1;

				partial[i] = 1;
				part[npartial++] = (struct mc_partial){ rec[i].pfn, chunks };
				partial_bytes += (uint64_t)__builtin_popcountll(chunks) * csz;
			}
			if (!omit[i])
				pfns[nkeep++] = rec[i].pfn;
			else if (omit[i] == 2)
				nnote++;
			else
				nomit++;
		}
	}

	{
		struct dumpwrite_src base;

		dumpwrite_src_from_dump(&base, d);
		memcpy(base.uts, s.uts, sizeof(base.uts));
		s = base;
		rc = compose_notes(s.note_area, s.note_len, s.big_endian, note, note_len, &notes, &notes_len, err);
		if (rc < 0)
			goto out;
		s.note_area = notes;
		s.note_len = notes_len;
	}
	if (!s.e_machine && k->arch)
		s.e_machine = k->arch->e_machine;
	if (!s.tv_sec)
		s.tv_sec = (int64_t)k->crashtime;
	if (s.nr_cpus <= 0)
		s.nr_cpus = k->nprstatus > 0 ? k->nprstatus : k->nr_cpu_ids;
	if (!info->phys_base_valid && k->vi) {
		struct sf_err e2 = { 0 };
		uint64_t pb;

		if (vmcoreinfo_number(k->vi, "phys_base", &pb, &e2) == 0)
			s.phys_base = pb;
	}
	ctx.part = part;
	ctx.npart = npartial;
	s.pfns = pfns;
	s.npfns = nkeep;
	s.read_page = mc_read_page;
	s.read_page_stored = mc_read_page_stored;
	s.ctx = &ctx;

	rc = outfile_open(&of, o->path, err);
	if (rc < 0)
		goto out;
	of_open = true;
	res.fate = kfate;
	/* the writer's whole-page reads are not the analysis's: keep them out of the record */
	dump_record(d, false);
	if (o->elf)
		rc = minicore_write_elf(&of, &s, &res, err);
	else
		rc = minicore_write_kdump(&of, &s, codec, &res, err);
	dump_record(d, true);
	if (rc < 0) {
		sf_err_prefix(err, "minimized dump not written (no partial file left behind)");
		goto out;
	}
	/* fate per recorded pfn: the writer's, or "omitted" */
	for (size_t i = 0, j = 0; i < n; i++)
		fate[i] = omit[i] == 2 ? MC_IN_NOTE : omit[i] ? MC_OMITTED : kfate[j++];

	stats->pages = res.n_data + res.n_zero;
	stats->file_bytes = res.file_bytes;
	for (size_t i = 0; i < n; i++) {
		if (fate[i] != DW_DATA && fate[i] != DW_ZERO)
			continue;
		scrubbed += scrub_overlap(o, pfns[i] * info->page_size, info->page_size);
		for (int r = 0; r < KEEP_REASON_MAX && r < 32; r++)
			if (rec[i].reasons & (1u << r)) {
				stats->pages_by_reason[r]++;
				stats->bytes_by_reason[r] += info->page_size;
			}
	}
	build_manifest(&mf, o, o->elf ? "none" : compress_codec_name(codec), o->keep_crash ? "crash" : "evidence",
		       info, rec, n, fate, &res, stats, scrubbed, printk_bytes, crash_bytes, nomit,
		       k->build_id, k->release, rebuild, &ns, nnote, partial, npartial, partial_bytes);
	if (mf.overflow) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: manifest too large; not written", o->path);
		goto out;
	}
	if (res.n_ram_only)
		warn_add(w, "mini.core: %llu recorded pages had no data in the source dump (excluded or missing); they are marked RAM but not dumped",
			 (unsigned long long)res.n_ram_only);

	rc = outfile_commit(&of, err);
	of_open = false;
	if (rc < 0) {
		sf_err_prefix(err, "minimized dump not written (no partial file left behind)");
		goto out;
	}
	if (strcmp(o->path, "-")) {
		size_t pl = strlen(o->path) + sizeof(".manifest.json");

		mpath = malloc(pl);
		if (!mpath) {
			rc = sf_err_set(err, SF_ENOMEM, "out of memory");
		} else {
			snprintf(mpath, pl, "%s.manifest.json", o->path);
			rc = write_manifest(mpath, &mf, err);
		}
		if (rc < 0) {
			/* a mini.core without its manifest would hold pages without a stated reason */
			remove(o->path);
			sf_err_prefix(err, "%s: removed because its manifest could not be written", o->path);
			goto out;
		}
	}
	if (manifest)
		strbuf_add(manifest, mf.buf, mf.len);
out:
	if (of_open)
		outfile_abort(&of);
	strbuf_release(&mf);
	free(mpath);
	free(rec);
	free(pfns);
	free(fate);
	free(kfate);
	free(omit);
	free(rebuild);
	free(note);
	free(notes);
	free(partial);
	free(part);
	free(ctx.tmp);
	return rc;
}
