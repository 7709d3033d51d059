// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The minimized dump: every page the analysis read (read_recorder_get()),
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
#include "skbfilter/erasenote.h"
#include "skbfilter/slimnote.h"
#include "skbfilter/vmcoreinfo.h"
#include "minicore/dumpwrite.h"
#include "minicore/minikeep.h"
#include "minicore/pageplan.h"
#include "minicore/scrub.h"


struct mc_read_ctx {
	struct dump *d;
	uint32_t psz;
	const struct erase_set *es;	/* bytes to write as 'X' (finished set) */
};

/*
 * The page-read callback of the writers: dump read, then every erased byte
 * of the page (unread parts of partial pages, --scrub) becomes 'X', the
 * poison makedumpfile writes, never a plausible zero.  The set holds only
 * pages with data, so an excluded or missing page stays absent.
 */
static int mc_read_page(void *arg, uint64_t pfn, uint8_t *buf, enum page_state *st, struct sf_err *err)
{
	struct mc_read_ctx *c = arg;
	uint64_t lo = pfn * c->psz, hi = lo + c->psz;
	int rc = dump_read_page(c->d, pfn, buf, st, err);
	const struct erase_range *r;

	if (rc < 0)
		return rc;
	for (r = erase_set_find(c->es, lo, c->psz); r && r < c->es->r + c->es->n && r->start < hi; r++) {
		uint64_t s = r->start > lo ? r->start : lo, e = r->start + r->len < hi ? r->start + r->len : hi;

		memset(buf + (s - lo), ERASE_POISON, e - s);
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

/*
 * The note area to write: the source's notes without the kernel and erase
 * notes of an earlier skbfilter run (a mini.core of a mini.core) and without
 * its ERASEINFO note (the new eraseinfo replaces it), then the new notes,
 * then for -E the ERASEINFO note: makedumpfile -E stores eraseinfo as a note
 * named "ERASEINFO" of type 0 in PT_NOTE (write_elf_eraseinfo(),
 * makedumpfile 1.7.2), the kdump format at the sub-header's offset_eraseinfo.
 */
static int compose_notes(const uint8_t *area, size_t len, bool be, const uint8_t *note, size_t nlen,
			 const uint8_t *enote, size_t elen, const char *eraseinfo, size_t eilen, uint8_t **ret,
			 size_t *retlen, struct sf_err *err)
{
	size_t eisz = eilen ? 12 + 12 + ((eilen + 3) & ~(size_t)3) : 0;
	uint8_t *out = calloc(1, len + nlen + elen + eisz + 1);
	size_t o = 0, w = 0;

	if (!out)
		return sf_err_set(err, SF_ENOMEM, "mini.core: out of memory for the note area");
	while (area && o + 12 <= len) {
		uint32_t namesz = ld32(area + o, be), descsz = ld32(area + o + 4, be), type = ld32(area + o + 8, be);
		uint64_t sz = 12 + (((uint64_t)namesz + 3) & ~3ull) + (((uint64_t)descsz + 3) & ~3ull);
		bool ours = namesz == sizeof(SLIMNOTE_NAME) && !memcmp(area + o + 12, SLIMNOTE_NAME, sizeof(SLIMNOTE_NAME)) &&
			    (type == SLIMNOTE_TYPE || type == ERASENOTE_TYPE);
		bool erase = namesz == sizeof("ERASEINFO") && !memcmp(area + o + 12, "ERASEINFO", sizeof("ERASEINFO"));

		if ((!namesz && !descsz) || sz > len - o)
			break;
		if (!ours && !erase) {
			memcpy(out + w, area + o, sz);
			w += sz;
		}
		o += sz;
	}
	if (nlen)
		memcpy(out + w, note, nlen);
	w += nlen;
	if (elen)
		memcpy(out + w, enote, elen);
	w += elen;
	if (eilen) {
		(be ? st_be32 : st_le32)(out + w, sizeof("ERASEINFO"));
		(be ? st_be32 : st_le32)(out + w + 4, (uint32_t)eilen);
		(be ? st_be32 : st_le32)(out + w + 8, 0);
		memcpy(out + w + 12, "ERASEINFO", sizeof("ERASEINFO"));
		memcpy(out + w + 24, eraseinfo, eilen);
		w += eisz;
	}
	*ret = out;
	*retlen = w;
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
 * (the page is kept, tagged READ_SYMBOLS: crash reads it too), else the
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
	if (kernel_types(k) && kernel_symbol(k, "init_uts_ns", &uts, &err) == 0 &&
	    (off = ktypes_offsetof(kernel_types(k), "uts_namespace.name", &err)) >= 0) {
		int rc = kmem_read(kmem_as(kernel_kmem(k), READ_SYMBOLS), uts + (uint64_t)off, buf, sizeof(buf),
				   "init_uts_ns.name", &err);

		if (rc == 0 && !memcmp(buf, "Linux", 6)) {
			for (int i = 0; i < 6; i++)
				copy_uts(s->uts[i], (const char *)buf + 65 * i, 65);
			return;
		}
	}
	copy_uts(s->uts[0], "Linux", 5);
	copy_uts(s->uts[2], info->uts_release[0] ? info->uts_release : kernel_release(k), 65);
	copy_uts(s->uts[4], info->uts_machine[0] ? info->uts_machine : kernel_arch(k) ? kernel_arch(k)->uts_machine : "", 65);
}

/*
 * The pfns of vmlinux's kallsyms tables (what System.map replaces), from
 * VMCOREINFO's SYMBOL(kallsyms_*) (6.0+): the tables sit together in the
 * kernel image's .rodata, which is physically contiguous.  The last one
 * (kallsyms_token_index, 256 u16) ends within a page of its start.  Other
 * READ_SYMBOLS pages (ORC tables, module kallsyms, init_uts_ns) are not
 * rebuildable from System.map and stay.  *lo > *hi when unknown.
 */
static void kallsyms_pfn_span(struct kernel *k, uint64_t *lo, uint64_t *hi)
{
	static const char *const tabs[] = { "kallsyms_names", "kallsyms_token_table", "kallsyms_token_index",
					    "kallsyms_offsets", "kallsyms_relative_base", "kallsyms_num_syms",
					    "kallsyms_markers", "kallsyms_seqs_of_names", "kallsyms_addresses" };
	uint32_t psz = kmem_page_size(kernel_kmem(k));
	uint64_t vlo = UINT64_MAX, vhi = 0, plo, phi;
	struct sf_err err = { 0 };

	*lo = 1;
	*hi = 0;
	if (!kernel_vmcoreinfo(k))
		return;
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		uint64_t a;

		if (vmcoreinfo_symbol(kernel_vmcoreinfo(k), tabs[i], &a, &err) < 0)
			continue;
		if (a < vlo)
			vlo = a;
		if (a > vhi)
			vhi = a;
	}
	if (vlo > vhi || vhi - vlo > (64u << 20) || kmem_vtop(kernel_kmem(k), vlo, &plo, &err) < 0 ||
	    kmem_vtop(kernel_kmem(k), vhi + psz, &phi, &err) < 0 || phi < plo || phi - plo != vhi + psz - vlo)
		return;
	*lo = plo / psz;
	*hi = phi / psz;
}

/* Index of pfn in the ascending list, or n. */
static size_t pfn_index(const uint64_t *pfns, size_t n, uint64_t pfn)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pfns[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && pfns[lo] == pfn ? lo : n;
}

/*
 * The bytes mini.core writes as 'X' (es), decided before the first page is
 * written because the erase note and ERASEINFO come first in the file:
 *
 *  - the unread 64ths of each partial page whose source page holds data
 *    that is not all zero (an all-zero page stays whole: a zero page is the
 *    truth and costs nothing).  A partial page without data in the source
 *    stays absent, never a page of poison;
 *  - what the source itself had erased (a mini.core of a mini.core) on the
 *    kept pages;
 *  - the --scrub ranges (payload from o, dmesg and comm from extra) on kept
 *    pages with data.
 *
 * Pages that end up whole get partial[] cleared.  *npartial and
 * *partial_bytes are recounted.  The page reads are not recorded.
 */
static int build_erased(struct dump *d, const struct minicore_opts *o, struct mc_partial *part, size_t *npartial,
			uint8_t *partial, uint64_t *partial_bytes, const uint64_t *pfns, size_t nkeep,
			const struct erase_set *extra, struct erase_set *es, struct sf_err *err)
{
	const struct dump_info *info = dump_get_info(d);
	const struct erase_set *src = dump_get_erased(d);
	uint32_t psz = info->page_size, csz = psz / 64 ? psz / 64 : 1;
	uint8_t *buf = malloc(psz);
	size_t w = 0;
	int rc = 0;

	if (!buf)
		return sf_err_set(err, SF_ENOMEM, "mini.core: out of memory");
	*partial_bytes = 0;
	for (size_t i = 0; i < *npartial; i++) {
		struct mc_partial pp = part[i];
		enum page_state st;
		struct sf_err e2 = { 0 };
		bool nonzero = false;

		if (dump_read_page(d, pp.pfn, buf, &st, &e2) == 0 && st == PAGE_PRESENT)
			for (uint32_t b = 0; b < psz && !nonzero; b++)
				nonzero = buf[b] != 0;
		if (!nonzero) {
			partial[pp.rec] = 0;
			continue;
		}
		for (uint32_t c = 0; c < 64 && (uint64_t)c * csz < psz;) {
			uint32_t e = c;

			if (pp.chunks >> c & 1) {
				c++;
				continue;
			}
			while (e < 64 && (uint64_t)e * csz < psz && !(pp.chunks >> e & 1))
				e++;
			rc = erase_set_add(es, pp.pfn * psz + (uint64_t)c * csz,
					   ((uint64_t)e * csz > psz ? psz : (uint64_t)e * csz) - (uint64_t)c * csz, ERASE_UNREAD,
					   err);
			if (rc < 0)
				goto out;
			c = e;
		}
		*partial_bytes += (uint64_t)__builtin_popcountll(pp.chunks) * csz;
		part[w++] = pp;
	}
	*npartial = w;
	for (size_t i = 0; src && i < src->n; i++) {
		const struct erase_range *r = &src->r[i];

		for (uint64_t a = r->start; a < r->start + r->len;) {
			uint64_t pe = (a / psz + 1) * psz, e = pe < r->start + r->len ? pe : r->start + r->len;

			if (pfn_index(pfns, nkeep, a / psz) < nkeep &&
			    (rc = erase_set_add(es, a, e - a, r->reasons | ERASE_SOURCE, err)) < 0)
				goto out;
			a = e;
		}
	}
	for (size_t i = 0; i < o->nscrub + extra->n; i++) {
		bool x = i >= o->nscrub;
		uint64_t s = x ? extra->r[i - o->nscrub].start : o->scrub[i].start;
		uint64_t l = x ? extra->r[i - o->nscrub].len : o->scrub[i].len, end = s + l < s ? UINT64_MAX : s + l;
		uint8_t why = x ? extra->r[i - o->nscrub].reasons : ERASE_PAYLOAD;

		for (uint64_t a = s; a < end;) {
			uint64_t pe = (a / psz + 1) * psz, e = pe < end && pe ? pe : end;
			enum page_state st;

			if (pfn_index(pfns, nkeep, a / psz) < nkeep &&
			    ((st = dump_page_state(d, a / psz)) == PAGE_PRESENT || st == PAGE_ZERO) &&
			    (rc = erase_set_add(es, a, e - a, why, err)) < 0)
				goto out;
			a = e;
		}
	}
	erase_set_finish(es);
out:
	free(buf);
	return rc;
}

/* ---- manifest ---- */

static void json_reasons(struct json *j, const char *key, uint32_t mask)
{
	json_arr_begin(j, key);
	for (int r = 0; r < READ_REASON_MAX; r++)
		if (mask & (1u << r))
			json_str(j, NULL, read_reason_name((enum read_reason)r));
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

/*
 * What the manifest reports: what was asked for, what the analysis read, the
 * page plan made of it, and what the writer wrote.
 */
struct manifest_in {
	const struct minicore_opts *o;
	const char *codec, *keep;		/* as the user names them */
	const struct dump_info *info;		/* the source's */
	const char *build_id, *release;
	const struct recorded_page *rec;	/* the record, n pages, ascending */
	size_t n;
	const struct page_plan *pp;		/* per recorded page: rebuildable, partial; counts */
	const uint8_t *fate;			/* per recorded page: enum dw_page_fate or MC_* */
	const struct dumpwrite_result *res;
	const struct minicore_stats *st;
	const struct erase_set *es;
	const struct scrub_stats *sst;
	const struct slimnote_stats *ns;
	uint64_t printk_bytes, crash_bytes;	/* what the printk and --keep=crash walks asked for */
};

static void build_manifest(struct strbuf *sb, const struct manifest_in *m)
{
	const struct minicore_opts *o = m->o;
	const struct dump_info *info = m->info;
	const struct recorded_page *rec = m->rec;
	const struct dumpwrite_result *res = m->res;
	const struct erase_set *es = m->es;
	const struct scrub_stats *sst = m->sst;
	const struct slimnote_stats *ns = m->ns;
	const uint8_t *fate = m->fate, *rebuild = m->pp->rebuild, *partial = m->pp->partial;
	size_t n = m->n;
	struct json j;
	uint32_t psz = info->page_size;

	json_init(&j, sb, true);
	json_obj_begin(&j, NULL);
	json_str(&j, "file", o->path);
	json_str(&j, "format", o->elf ? "elf" : "kdump-compressed");
	json_str(&j, "codec", m->codec);
	json_str(&j, "keep", m->keep);
	json_bool(&j, "omit_rebuildable", o->omit_rebuildable);
	json_str(&j, "kernel_release", m->release);
	json_str(&j, "build_id", m->build_id);
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
	json_u64(&j, "omitted_rebuildable", m->pp->nomit);
	json_u64(&j, "replaced_by_note", m->pp->nnote);
	json_u64(&j, "partial", m->pp->npartial);
	json_obj_end(&j);
	/* partial pages: only the 64ths that were read are kept, the rest is zero */
	json_u64(&j, "partial_bytes_kept", m->pp->partial_bytes);
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
	json_u64(&j, "scrubbed_bytes", erase_set_bytes(es, ERASE_PAYLOAD | ERASE_DMESG | ERASE_COMM));
	/*
	 * Every byte written as 'X' instead of its value, exactly, with the
	 * reasons (include/skbfilter/erasenote.h); the same ranges are in the
	 * file's erase note and, one line per page, in its ERASEINFO.
	 */
	json_obj_begin(&j, "erased");
	json_str(&j, "poison", "X");
	json_str(&j, "scrub_policy", es->policy);
	if (strstr(es->policy, "dmesg")) {
		/* minicore/scrub.h: the records of SCRUB_DMESG_WINDOW_NS before the panic record and all after it stay */
		json_obj_begin(&j, "dmesg_window");
		json_u64(&j, "panic_ts_ns", sst->dmesg_panic_ns);
		json_u64(&j, "window_from_ns", sst->dmesg_window_from_ns);
		json_u64(&j, "records_kept", sst->dmesg_kept);
		json_u64(&j, "records_erased", sst->dmesg_erased);
		json_obj_end(&j);
	}
	if (strstr(es->policy, "comm")) {
		json_obj_begin(&j, "comm_tasks");
		json_u64(&j, "tasks_kept", sst->comm_kept);
		json_u64(&j, "tasks_erased", sst->comm_erased);
		json_obj_end(&j);
	}
	json_u64(&j, "bytes", erase_set_bytes(es, ERASE_REASON_ALL));
	for (unsigned b = 1; b <= ERASE_REASON_ALL; b <<= 1) {
		char rs[32];

		json_u64(&j, erase_reasons_str((uint8_t)b, rs, sizeof(rs)), erase_set_bytes(es, (uint8_t)b));
	}
	json_arr_begin(&j, "ranges");
	for (size_t i = 0; i < es->n; i++) {
		char rs[64];

		json_obj_begin(&j, NULL);
		json_hex(&j, "start_paddr", es->r[i].start);
		json_hex(&j, "end_paddr", es->r[i].start + es->r[i].len);
		json_u64(&j, "bytes", es->r[i].len);
		json_str(&j, "reasons", erase_reasons_str(es->r[i].reasons, rs, sizeof(rs)));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	json_u64(&j, "printk_bytes_requested", m->printk_bytes);
	json_u64(&j, "crash_bytes_requested", m->crash_bytes);
	/* bytes per reason: a page kept for two reasons counts under both */
	json_arr_begin(&j, "by_reason");
	for (int r = 0; r < READ_REASON_MAX; r++) {
		if (!m->st->pages_by_reason[r])
			continue;
		json_obj_begin(&j, NULL);
		json_str(&j, "reason", read_reason_name((enum read_reason)r));
		json_u64(&j, "pages", m->st->pages_by_reason[r]);
		json_u64(&j, "bytes", m->st->bytes_by_reason[r]);
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
	struct dump *d = kernel_dump(k);
	const struct dump_info *info = dump_get_info(d);
	struct erase_set es, extra;
	struct scrub_stats sst = { 0 };
	struct mc_read_ctx ctx = { .d = d, .psz = info->page_size, .es = &es };
	struct strbuf ei = { 0 };
	struct dumpwrite_src s = { 0 };
	struct dumpwrite_result res = { 0 };
	struct recorded_page *rec = NULL;
	struct strbuf mf = { 0 };
	struct outfile of = { 0 };
	bool of_open = false;
	uint64_t printk_bytes = 0, crash_bytes = 0;
	uint8_t *fate = NULL, *kfate = NULL, *note = NULL, *notes = NULL, *enote = NULL;
	size_t n = 0, note_len = 0, notes_len = 0, enote_len = 0;
	struct page_plan pp = { 0 };
	struct slimnote_stats ns = { 0 };
	enum page_codec codec = CODEC_ZLIB;
	char *mpath = NULL;
	int rc;

	memset(stats, 0, sizeof(*stats));
	strbuf_init(&mf);
	strbuf_init(&ei);
	erase_set_init(&es);
	erase_set_init(&extra);
	if (!o->path || !*o->path)
		return sf_err_set(err, SF_EBUG, "mini.core: no output path");
	if (!o->elf) {
		rc = compress_codec_from_opt(o->codec, &codec, err);
		if (rc < 0)
			return rc;
	}
	if (info->elf_class32 && !o->elf)
		return sf_err_set(err, SF_ENOTSUP, "%s: the kdump-compressed writer handles 64-bit dumps only; use -E",
				  o->path);

	if (!o->recorder)
		return sf_err_set(err, SF_EBUG, "mini.core: the analysis was not recorded");
	/* extra page sets, recorded by the reads themselves */
	printk_bytes = minikeep_printk(k, w);
	if (o->keep_crash)
		crash_bytes = minikeep_crash(k, w);
	fill_uts(k, info, &s);
	/* --scrub=dmesg,comm: walks that find what to erase, not evidence: not recorded (scrub.c) */
	if (o->scrub_dmesg || o->scrub_comm) {
		rc = o->scrub_dmesg ? scrub_dmesg(k, &extra, &sst, err) : 0;
		if (rc >= 0 && o->scrub_comm)
			rc = scrub_comm(k, o->panic_task, &extra, &sst, err);
		if (rc < 0) {
			sf_err_prefix(err, "minimized dump not written (it would hold what --scrub removes)");
			goto out;
		}
	}
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

	rc = read_recorder_get(o->recorder, &rec, &n, err);
	if (rc < 0)
		goto out;
	fate = malloc(n ? n : 1);
	kfate = malloc(n ? n : 1);
	if (!fate || !kfate) {
		rc = sf_err_set(err, SF_ENOMEM, "mini.core: out of memory for %zu pages", n);
		goto out;
	}
	/* which recorded pfn is written, left out or kept partially: pure, from the record (pageplan.c) */
	{
		struct page_plan_opts po = {
			.page_size = info->page_size,
			.omit_rebuildable = o->omit_rebuildable,
			.keep_crash = o->keep_crash,
			.have_note = note_len != 0,
			.by_note = (ns.btf_bytes ? 1u << READ_BTF : 0) | (ns.syms ? 1u << READ_SYMBOLS : 0) |
				   (ns.percpu_cpus ? 1u << READ_DISCOVERY : 0),
			.ks_lo = 1, .ks_hi = 0,
		};

		kallsyms_pfn_span(k, &po.ks_lo, &po.ks_hi);
		rc = page_plan_build(&po, rec, n, &pp, err);
		if (rc < 0)
			goto out;
	}

	snprintf(es.policy, sizeof(es.policy), "%s", o->scrub_policy ? o->scrub_policy : o->nscrub ? "payload" : "");
	rc = build_erased(d, o, pp.part, &pp.npartial, pp.partial, &pp.partial_bytes, pp.pfns, pp.nkeep, &extra, &es, err);
	if (rc < 0)
		goto out;
	{
		struct dumpwrite_src base;
		size_t srclen = 0;
		const char *srctext = dump_get_eraseinfo(d, &srclen);

		dumpwrite_src_from_dump(&base, d);
		memcpy(base.uts, s.uts, sizeof(base.uts));
		s = base;
		/*
		 * eraseinfo: makedumpfile's own lines from the source first (it
		 * copies them too when it refilters), unless the source is a
		 * mini.core whose erasures are carried on as ranges; then ours.
		 */
		if (srctext && srclen && !dump_get_erased(d)->n && !dump_get_erased(d)->policy[0]) {
			strbuf_add(&ei, srctext, srclen);
			if (srctext[srclen - 1] != '\n')
				strbuf_puts(&ei, "\n");
		}
		if (eraseinfo_append(&es, info->page_size, &ei) < 0 || ei.overflow) {
			rc = sf_err_set(err, SF_ENOMEM, "mini.core: eraseinfo too large");
			goto out;
		}
		s.eraseinfo = o->elf ? NULL : ei.buf;
		s.eraseinfo_len = o->elf ? 0 : ei.len;
		if ((es.n || es.policy[0]) && (rc = erasenote_build(&es, s.big_endian, &enote, &enote_len, err)) < 0)
			goto out;
		rc = compose_notes(s.note_area, s.note_len, s.big_endian, note, note_len, enote, enote_len,
				   o->elf ? ei.buf : NULL, o->elf ? ei.len : 0, &notes, &notes_len, err);
		if (rc < 0)
			goto out;
		s.note_area = notes;
		s.note_len = notes_len;
	}
	if (!s.e_machine && kernel_arch(k))
		s.e_machine = kernel_arch(k)->e_machine;
	if (!s.tv_sec)
		s.tv_sec = (int64_t)kernel_crashtime(k);
	if (s.nr_cpus <= 0)
		s.nr_cpus = kernel_nprstatus(k) > 0 ? kernel_nprstatus(k) : kernel_nr_cpus(k);
	if (!info->phys_base_valid && kernel_vmcoreinfo(k)) {
		struct sf_err e2 = { 0 };
		uint64_t pb;

		if (vmcoreinfo_number(kernel_vmcoreinfo(k), "phys_base", &pb, &e2) == 0)
			s.phys_base = pb;
	}
	s.pfns = pp.pfns;
	s.npfns = pp.nkeep;
	s.read_page = mc_read_page;
	s.read_page_stored = mc_read_page_stored;
	s.ctx = &ctx;

	rc = outfile_open(&of, o->path, err);
	if (rc < 0)
		goto out;
	of_open = true;
	res.fate = kfate;
	/* (the writer reads the dump's pages directly, past kmem: they are not recorded) */
	if (o->elf)
		rc = minicore_write_elf(&of, &s, &res, err);
	else
		rc = minicore_write_kdump(&of, &s, codec, &res, err);
	if (rc < 0) {
		sf_err_prefix(err, "minimized dump not written (no partial file left behind)");
		goto out;
	}
	/* fate per recorded pfn: the writer's, or "omitted" */
	page_plan_fates(&pp, kfate, fate);

	stats->pages = res.n_data + res.n_zero;
	stats->file_bytes = res.file_bytes;
	for (size_t i = 0; i < n; i++) {
		if (fate[i] != DW_DATA && fate[i] != DW_ZERO)
			continue;
		for (int r = 0; r < READ_REASON_MAX && r < 32; r++)
			if (rec[i].reasons & (1u << r)) {
				stats->pages_by_reason[r]++;
				stats->bytes_by_reason[r] += info->page_size;
			}
	}
	{
		const struct manifest_in mi = {
			.o = o, .codec = o->elf ? "none" : compress_codec_name(codec),
			.keep = o->keep_crash ? "crash" : "evidence", .info = info,
			.build_id = kernel_build_id(k), .release = kernel_release(k), .rec = rec, .n = n, .pp = &pp,
			.fate = fate, .res = &res, .st = stats, .es = &es, .sst = &sst, .ns = &ns,
			.printk_bytes = printk_bytes, .crash_bytes = crash_bytes,
		};

		build_manifest(&mf, &mi);
	}
	if (mf.overflow) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: manifest too large; not written", o->path);
		goto out;
	}
	if (res.n_ram_only) {
		/* left out by the source's own filter (a note), or missing from a damaged source (a warning) */
		uint64_t excluded = 0;

		for (size_t i = 0; i < n; i++)
			excluded += fate[i] == DW_RAM_ONLY && dump_page_state(d, rec[i].pfn) == PAGE_EXCLUDED;
		if (res.n_ram_only > excluded)
			warn_add(w, "mini.core: %llu recorded pages had no data in the source dump (missing or unreadable); "
				 "they are marked RAM but not dumped", (unsigned long long)(res.n_ram_only - excluded));
		if (excluded)
			warn_note(w, "mini.core: %llu recorded pages were left out of the source dump by its filter "
				  "(makedumpfile -d); they are marked RAM but not dumped, as in the source",
				  (unsigned long long)excluded);
	}

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
	page_plan_release(&pp);
	free(fate);
	free(kfate);
	free(note);
	free(notes);
	free(enote);
	strbuf_release(&ei);
	erase_set_release(&es);
	erase_set_release(&extra);
	return rc;
}
