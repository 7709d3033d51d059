// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GSO report: text (stdout) and JSON (--json FILE).  The JSON contract
 * is documented in docs/report-schema.md; pipelines and acceptance read it,
 * so field names are the kernel's own and numbers are plain numbers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "skbfilter/json.h"
#include "skbfilter/kernel.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/panic.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"
#include "skbfilter/symbols.h"

#define REPORT_VERSION 1

static const char *ip_summed_name(uint8_t v)
{
	static const char *const n[] = { "CHECKSUM_NONE", "CHECKSUM_UNNECESSARY", "CHECKSUM_COMPLETE",
		"CHECKSUM_PARTIAL" };

	return v < 4 ? n[v] : "?";
}

static const char *pkt_type_name(uint8_t v)
{
	static const char *const n[] = { "PACKET_HOST", "PACKET_BROADCAST", "PACKET_MULTICAST", "PACKET_OTHERHOST",
		"PACKET_OUTGOING", "PACKET_LOOPBACK", "PACKET_USER", "PACKET_KERNEL" };

	return v < 8 ? n[v] : "?";
}

static const char *linktype_name(int lt)
{
	switch (lt) {
	case LINKTYPE_ETHERNET: return "ETHERNET";
	case LINKTYPE_RAW: return "RAW";
	case LINKTYPE_LINUX_SLL2: return "LINUX_SLL2";
	default: return "?";
	}
}

void report_json_raw(struct json *j, const char *key, const char *text)
{
	/* Same comma/indent rules as the json_* writers: emit a null through them, then replace it. */
	size_t before;

	json_null(j, key);
	before = j->out->len;
	if (before >= 4 && j->out->buf && !memcmp(j->out->buf + before - 4, "null", 4)) {
		j->out->len -= 4;
		j->out->buf[j->out->len] = 0;
		strbuf_puts(j->out, text);
	}
}

/* ---------------------------------------------------------------- JSON */

static void place_json(struct json *j, const struct skb_place *p)
{
	char d[320];

	json_obj_begin(j, NULL);
	json_str(j, "kind", skb_place_kind_name(p->kind));
	if (p->cpu >= 0)
		json_i64(j, "cpu", p->cpu);
	switch (p->kind) {
	case PLACE_STACK:
		json_str(j, "stack", stack_kind_name((enum stack_kind)p->stack_kind));
		json_hex(j, "slot", p->slot);
		json_str(j, "frame", p->frame[0] ? p->frame : NULL);
		break;
	case PLACE_REGISTER:
		json_str(j, "register", p->reg);
		break;
	case PLACE_SOFTNET:
		json_str(j, "queue", p->queue);
		json_hex(j, "queue_head", p->slot);
		break;
	case PLACE_FRAG_LIST:
	case PLACE_FCLONE:
		json_hex(j, "of", p->slot);
		break;
	case PLACE_SLAB:
		json_hex(j, "slab_page", p->slot);
		break;
	default:
		break;
	}
	skb_place_describe(p, d, sizeof(d));
	json_str(j, "text", d);
	json_obj_end(j);
}

static void features_json(struct json *j, const struct gso_names *feat, uint64_t features)
{
	const char *names[GSO_MAX_NAMES];
	int n = gso_decode(feat, features, names, GSO_MAX_NAMES, NULL);

	json_arr_begin(j, "features_names");
	for (int i = 0; i < n; i++)
		json_str(j, NULL, names[i]);
	json_arr_end(j);
}

static void segments_json(struct json *j, const struct skb_scan *s, const struct skb_record *r)
{
	struct skb_segment *segs;
	int n;
	char why[128];

	json_obj_begin(j, "segments");
	if (skb_segment_packet(r, &s->gso, &segs, &n, why, sizeof(why)) < 0) {
		json_u64(j, "count", 0);
		json_str(j, "not_segmented", why);
	} else {
		json_u64(j, "count", (uint64_t)n);
		json_arr_begin(j, "len");
		for (int i = 0; i < n; i++)
			json_u64(j, NULL, segs[i].len);
		json_arr_end(j);
		skb_segments_free(segs, n);
	}
	json_obj_end(j);
}


/*
 * A header offset from head; the kernel's "unset" value (u16 ~0, what
 * skb_mac_header_was_set() and skb_transport_header_was_set() test) is -1,
 * as in truth.json, so a reader never takes 65535 for an offset.
 */
static void json_hdr_off(struct json *j, const char *key, uint16_t off)
{
	if (off == SKB_HDR_UNSET)
		json_i64(j, key, -1);
	else
		json_u64(j, key, off);
}

/* a header offset for the text report: -1 when unset, as in the JSON */
static int hdr_off_int(uint16_t off)
{
	return off == SKB_HDR_UNSET ? -1 : (int)off;
}

static void record_json(struct json *j, const struct skb_scan *s, const struct skb_record *r, bool segment)
{
	const struct skb_fields *f = &r->f;
	const char *names[GSO_MAX_NAMES];
	uint64_t unknown = 0;
	int n;
	char hex[16];

	json_obj_begin(j, NULL);
	json_hex(j, "addr", f->addr);
	json_arr_begin(j, "found");
	for (int i = 0; i < r->nplaces; i++)
		place_json(j, &r->places[i]);
	json_arr_end(j);
	json_u64(j, "found_total", (uint64_t)(r->places_total > r->nplaces ? r->places_total : r->nplaces));
	if (r->parent)
		json_hex(j, "parent", r->parent);
	json_str(j, "cache", r->cache[0] ? r->cache : NULL);
	json_u64(j, "len", f->len);
	json_u64(j, "data_len", f->data_len);
	json_u64(j, "headlen", f->len - f->data_len);
	json_u64(j, "truesize", f->truesize);
	json_u64(j, "mac_len", f->mac_len);
	json_u64(j, "hdr_len", f->hdr_len);
	json_hex(j, "head", f->head);
	json_hex(j, "data", f->data);
	json_u64(j, "data_off", f->data - f->head);
	json_u64(j, "tail", f->tail);
	json_u64(j, "end", f->end);
	json_hdr_off(j, "mac_header", f->mac_header);
	json_hdr_off(j, "network_header", f->network_header);
	json_hdr_off(j, "transport_header", f->transport_header);
	json_hdr_off(j, "inner_mac_header", f->inner_mac_header);
	json_hdr_off(j, "inner_network_header", f->inner_network_header);
	json_hdr_off(j, "inner_transport_header", f->inner_transport_header);
	json_u64(j, "encapsulation", f->encapsulation);
	json_u64(j, "protocol", f->protocol);
	snprintf(hex, sizeof(hex), "0x%04x", f->protocol);
	json_str(j, "protocol_hex", hex);
	json_u64(j, "inner_protocol", f->inner_protocol);
	json_u64(j, "ip_summed", f->ip_summed);
	json_str(j, "ip_summed_name", ip_summed_name(f->ip_summed));
	json_u64(j, "csum_start", f->csum_start);
	json_u64(j, "csum_offset", f->csum_offset);
	json_u64(j, "pkt_type", f->pkt_type);
	json_str(j, "pkt_type_name", pkt_type_name(f->pkt_type));
	json_u64(j, "cloned", f->cloned);
	json_u64(j, "fclone", f->fclone);
	json_u64(j, "head_frag", f->head_frag);
	json_u64(j, "pp_recycle", f->pp_recycle);
	json_u64(j, "users", f->users);
	json_u64(j, "dataref", f->dataref);
	json_u64(j, "queue_mapping", f->queue_mapping);
	json_i64(j, "skb_iif", f->skb_iif);
	json_u64(j, "mark", f->mark);
	json_u64(j, "hash", f->hash);
	json_i64(j, "tstamp", f->tstamp);
	json_u64(j, "mono_delivery_time", f->tstamp_mono);
	json_bool(j, "vlan_present", f->vlan_present);
	json_u64(j, "vlan_proto", f->vlan_proto);
	json_u64(j, "vlan_tci", f->vlan_tci);
	json_hex(j, "dev_ptr", f->dev);
	json_hex(j, "sk", f->sk);
	json_hex(j, "shinfo", f->shinfo);
	json_u64(j, "gso_size", f->gso_size);
	json_u64(j, "gso_segs", f->gso_segs);
	json_u64(j, "gso_type", f->gso_type);
	n = gso_decode(&s->gso, f->gso_type, names, GSO_MAX_NAMES, &unknown);
	json_arr_begin(j, "gso_type_names");
	for (int i = 0; i < n; i++)
		json_str(j, NULL, names[i]);
	json_arr_end(j);
	if (unknown)
		json_u64(j, "gso_type_unknown_bits", unknown);
	json_u64(j, "nr_frags", f->nr_frags);
	json_u64(j, "tx_flags", f->tx_flags);
	json_hex(j, "frag_list", f->frag_list);
	json_arr_begin(j, "frags");
	for (int i = 0; i < r->nfrags; i++) {
		const struct skb_frag *fr = &r->frags[i];

		json_obj_begin(j, NULL);
		json_u64(j, "idx", (uint64_t)i);
		json_hex(j, "page", fr->page);
		json_hex(j, "head_page", fr->head_page);
		json_hex(j, "page_phys", fr->phys);
		json_hex(j, "vaddr", fr->vaddr);
		json_u64(j, "off", fr->off);
		json_u64(j, "size", fr->len);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_arr_begin(j, "frag_list_members");
	for (int i = 0; i < r->nfrag_list; i++)
		json_hex(j, NULL, r->frag_list_members[i]);
	json_arr_end(j);
	if (r->dev.valid) {
		json_obj_begin(j, "device");
		json_str(j, "name", r->dev.name);
		json_i64(j, "ifindex", r->dev.ifindex);
		json_u64(j, "mtu", r->dev.mtu);
		json_u64(j, "type", r->dev.type);
		json_u64(j, "features", r->dev.features);
		features_json(j, &s->features, r->dev.features);
		json_obj_end(j);
	} else {
		json_null(j, "device");
	}
	if (r->pkt.bytes) {
		char crc[9];

		json_obj_begin(j, "packet");
		json_str(j, "from", r->pkt.from_mac ? "mac" : r->pkt.from_data ? "data" : "network");
		json_u64(j, "start_off", r->pkt.start_off);
		json_u64(j, "len", r->pkt.len);
		snprintf(crc, sizeof(crc), "%08x", r->pkt.crc32);
		json_str(j, "crc32", crc);
		json_bool(j, "complete", r->pkt.complete);
		json_u64(j, "missing_bytes", r->pkt.missing_bytes);
		json_arr_begin(j, "missing");
		for (int i = 0; i < r->pkt.nmissing; i++) {
			json_obj_begin(j, NULL);
			json_u64(j, "off", r->pkt.missing[i].off);
			json_u64(j, "len", r->pkt.missing[i].len);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_bool(j, "vlan_inserted", r->pkt.vlan_inserted);
		json_bool(j, "scrubbed", r->pkt.scrubbed);
		if (r->pkt.scrubbed)
			json_u64(j, "scrubbed_from", r->pkt.scrubbed_from);
		json_u64(j, "timestamp_ns", r->wall_ns);
		json_str(j, "timestamp_source", r->ts_source);
		json_bool(j, "in_pcap", r->depth == 0 && !r->pkt.from_data && r->pkt.len);
		json_obj_end(j);
	} else {
		json_null(j, "packet");
	}
	proto_json(j, "headers", &r->layers);
	if (segment && r->depth == 0)
		segments_json(j, s, r);
	json_arr_begin(j, "findings");
	for (int i = 0; i < r->findings.n; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "id", r->findings.f[i].id);
		json_str(j, "severity", finding_severity_name(r->findings.f[i].severity));
		json_str(j, "message", r->findings.f[i].message);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void dump_json(struct json *j, const struct report_ctx *rc)
{
	const struct dump_info *di = rc->di;
	const struct kernel *k = rc->k;

	json_obj_begin(j, "dump");
	json_str(j, "file", rc->dump_path);
	if (di) {
		json_str(j, "format", di->format);
		json_str(j, "codecs", di->codecs);
		json_u64(j, "page_size", di->page_size);
		json_bool(j, "flattened", di->flattened);
		json_bool(j, "incomplete", di->incomplete);
		json_i64(j, "dump_level", di->dump_level);
	}
	if (k) {
		json_str(j, "arch", kernel_arch(k) ? kernel_arch(k)->name : NULL);
		json_str(j, "kernel_release", kernel_release(k)[0] ? kernel_release(k) : NULL);
		json_u64(j, "crashtime", kernel_crashtime(k));
		json_hex(j, "kaslr_offset", kernel_kaslr_offset(k));
		json_i64(j, "nr_cpus", kernel_nr_cpus(k));
		json_str(j, "symbols", kernel_symtab(k) ? symtab_source(kernel_symtab(k)) : NULL);
		json_str(j, "btf", kernel_types(k) ? ktypes_source(kernel_types(k)) : NULL);
	}
	json_obj_end(j);
}

static int packets_written(const struct skb_scan *s)
{
	int n = 0;

	for (int i = 0; s && i < s->nrecords; i++)
		n += skb_pcap_written(&s->records[i]);
	return n;
}

/* Every file this run writes, "-" for standard output: the report lists them all (issue #14). */
static int outputs_files(const struct report_ctx *rc, const char *kinds[5], const char *paths[5], char *manifest,
			 size_t msz)
{
	int n = 0;

#define OUT_ADD(k_, p_) do { if (p_) { kinds[n] = (k_); paths[n++] = (p_); } } while (0)
	OUT_ADD("pcap", rc->pcap_file);
	OUT_ADD("pcapng", rc->pcapng_file);
	OUT_ADD("json", rc->json_file);
	OUT_ADD("minicore", rc->minicore_file);
#undef OUT_ADD
	if (rc->minicore_file && strcmp(rc->minicore_file, "-")) {
		snprintf(manifest, msz, "%s.manifest.json", rc->minicore_file);
		kinds[n] = "minicore_manifest";
		paths[n++] = manifest;
	}
	return n;
}

static void outputs_files_json(struct json *j, const struct report_ctx *rc)
{
	const char *kinds[5], *paths[5];
	char manifest[4200];
	int n = outputs_files(rc, kinds, paths, manifest, sizeof(manifest));

	json_arr_begin(j, "files");
	for (int i = 0; i < n; i++) {
		json_obj_begin(j, NULL);
		json_str(j, "kind", kinds[i]);
		json_str(j, "path", paths[i]);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void report_json(const struct report_ctx *rc, struct strbuf *out)
{
	const struct skb_scan *s = rc->s;
	struct json j;

	json_init(&j, out, true);
	json_obj_begin(&j, NULL);
	json_u64(&j, "report_version", REPORT_VERSION);
	dump_json(&j, rc);
	if (rc->panic_json)
		report_json_raw(&j, "panic", rc->panic_json);
	else if (rc->pc)
		panic_to_json(rc->pc, &j);
	else
		json_null(&j, "panic");
	json_arr_begin(&j, "skbs");
	for (int i = 0; s && i < s->nrecords; i++)
		record_json(&j, s, &s->records[i], rc->segment);
	json_arr_end(&j);
	json_obj_begin(&j, "scan");
	if (s) {
		json_u64(&j, "words", s->candidates);
		json_u64(&j, "plausible", s->prefiltered);
		json_u64(&j, "skbs", (uint64_t)s->nrecords);
		json_u64(&j, "rejected", (uint64_t)s->nrejected);
		json_bool(&j, "offs_real_known", s->have_offs_real);
		if (s->have_offs_real)
			json_i64(&j, "offs_real", s->offs_real);
		json_arr_begin(&j, "rejected_candidates");
		for (int i = 0; i < s->nrejected_kept; i++) {
			json_obj_begin(&j, NULL);
			json_hex(&j, "addr", s->rejected[i].addr);
			json_arr_begin(&j, "found");
			place_json(&j, &s->rejected[i].place);
			json_arr_end(&j);
			json_str(&j, "reason", s->rejected[i].reason);
			json_obj_end(&j);
		}
		json_arr_end(&j);
	}
	json_obj_end(&j);
	json_obj_begin(&j, "outputs");
	if (rc->pcap_file || rc->pcapng_file) {
		json_str(&j, "pcap", rc->pcap_file);
		json_str(&j, "pcapng", rc->pcapng_file);
		json_u64(&j, "linktype", (uint64_t)rc->pcap_linktype);
		json_str(&j, "linktype_name", linktype_name(rc->pcap_linktype));
	}
	outputs_files_json(&j, rc);
	json_u64(&j, "packets", (uint64_t)packets_written(s));
	json_str(&j, "filter", rc->filter);
	json_obj_end(&j);
	if (rc->minicore_json)
		report_json_raw(&j, "minicore", rc->minicore_json);
	json_warnlist(&j, rc->w);
	json_u64(&j, "warnings_total", rc->w ? rc->w->count : 0);
	json_obj_end(&j);
	strbuf_puts(out, "\n");
}

/* ---------------------------------------------------------------- text */

static void record_text(struct strbuf *o, const struct skb_scan *s, const struct skb_record *r, bool verbose)
{
	const struct skb_fields *f = &r->f;
	const char *names[GSO_MAX_NAMES];
	uint64_t unknown = 0;
	char d[320];
	int n, more = r->places_total > r->nplaces ? r->places_total - 1 : r->nplaces - 1;

	if (r->nplaces)
		skb_place_describe(&r->places[0], d, sizeof(d));
	/* compact: an skb whose packet has no headers set (a socket queue's payload) takes one line */
	if (!verbose && r->pkt.bytes && r->pkt.from_data && !findings_count(&r->findings, SEV_ERROR) &&
	    !findings_count(&r->findings, SEV_WARNING)) {
		strbuf_addf(o, "\nsk_buff %016" PRIx64 "%s%s%s: payload only (no headers set), %u bytes; found: %s",
			    f->addr, r->cache[0] ? " (" : "", r->cache, r->cache[0] ? ")" : "", r->pkt.len,
			    r->nplaces ? d : "?");
		if (more > 0)
			strbuf_addf(o, " (+%d more)", more);
		for (int i = 0; i < r->findings.n; i++)
			strbuf_addf(o, "%s%s", i ? ", " : "; info: ", r->findings.f[i].id);
		strbuf_puts(o, "\n");
		return;
	}
	strbuf_addf(o, "\nsk_buff %016" PRIx64 "%s%s%s\n", f->addr, r->cache[0] ? " (" : "", r->cache,
		    r->cache[0] ? ")" : "");
	if (!verbose && r->nplaces) {	/* compact: the first place and a count; -v lists them all */
		strbuf_addf(o, "  found: %s", d);
		if (more > 0)
			strbuf_addf(o, " (and %d more place%s; -v lists them)", more, more == 1 ? "" : "s");
		strbuf_puts(o, "\n");
	}
	for (int i = 0; verbose && i < r->nplaces; i++) {
		skb_place_describe(&r->places[i], d, sizeof(d));
		strbuf_addf(o, "  found: %s\n", d);
	}
	if (r->dev.valid) {
		n = gso_decode(&s->features, r->dev.features, names, GSO_MAX_NAMES, NULL);
		strbuf_addf(o, "  device: %s ifindex %d mtu %u features 0x%" PRIx64, r->dev.name, r->dev.ifindex,
			    r->dev.mtu, r->dev.features);
		for (int i = 0; i < n; i++)
			strbuf_addf(o, "%s%s", i ? " " : " (", strncmp(names[i], "NETIF_F_", 8) ? names[i] : names[i] + 8);
		strbuf_puts(o, n ? ")\n" : "\n");
	}
	strbuf_addf(o, "  len %u data_len %u headlen %u truesize %u  head %016" PRIx64 " data +%" PRIu64 " tail %u end %u\n",
		    f->len, f->data_len, f->len - f->data_len, f->truesize, f->head, f->data - f->head, f->tail, f->end);
	strbuf_addf(o, "  headers: mac %d network %d transport %d  inner: mac %d network %d transport %d\n",
		    hdr_off_int(f->mac_header), hdr_off_int(f->network_header), hdr_off_int(f->transport_header),
		    hdr_off_int(f->inner_mac_header), hdr_off_int(f->inner_network_header),
		    hdr_off_int(f->inner_transport_header));
	strbuf_addf(o, "  protocol 0x%04x inner_protocol 0x%04x encapsulation %u ip_summed %s csum_start %u "
		    "csum_offset %u\n", f->protocol, f->inner_protocol, f->encapsulation, ip_summed_name(f->ip_summed),
		    f->csum_start, f->csum_offset);
	n = gso_decode(&s->gso, f->gso_type, names, GSO_MAX_NAMES, &unknown);
	strbuf_addf(o, "  gso_size %u gso_segs %u gso_type 0x%x (", f->gso_size, f->gso_segs, f->gso_type);
	for (int i = 0; i < n; i++)
		strbuf_addf(o, "%s%s", i ? "|" : "", names[i]);
	if (unknown)
		strbuf_addf(o, "%s0x%" PRIx64, n ? "|" : "", unknown);
	strbuf_addf(o, ")\n  nr_frags %u frag_list %016" PRIx64 "%s\n", f->nr_frags, f->frag_list,
		    f->vlan_present ? "  VLAN tag in metadata" : "");
	if (r->pkt.bytes) {
		strbuf_addf(o, "  packet: from %s header, %u bytes, crc32 %08x%s\n", r->pkt.from_mac ? "MAC" : r->pkt.from_data ? "data (no headers)" : "network",
			    r->pkt.len, r->pkt.crc32, r->pkt.complete ? "" : ", INCOMPLETE");
		for (int i = 0; i < r->pkt.nmissing; i++)
			strbuf_addf(o, "    missing bytes %u..%u (page not in the dump)\n", r->pkt.missing[i].off,
				    r->pkt.missing[i].off + r->pkt.missing[i].len);
	}
	for (int i = 0; i < r->layers.n; i++) {
		proto_describe(&r->layers.l[i], d, sizeof(d));
		strbuf_addf(o, "    %*s%s\n", i * 2, "", d);
	}
	for (int i = 0; i < r->findings.n; i++)
		strbuf_addf(o, "  %-7s %s: %s\n", finding_severity_name(r->findings.f[i].severity), r->findings.f[i].id,
			    r->findings.f[i].message);
}

static void findings_totals(const struct skb_scan *s, int sev[3])
{
	sev[0] = sev[1] = sev[2] = 0;
	for (int i = 0; s && i < s->nrecords; i++)
		for (int j = 0; j < s->records[i].findings.n; j++)
			if ((unsigned)s->records[i].findings.f[j].severity < 3)
				sev[s->records[i].findings.f[j].severity]++;
}

/* The first lines of the text report: what a reader needs before the detail (issue #14). */
static void summary_text(const struct report_ctx *rc, struct strbuf *out)
{
	const struct skb_scan *s = rc->s;
	const struct cpu_context *pcc = rc->pc ? rc->pc->panic : NULL;
	const char *kinds[5], *paths[5];
	char manifest[4200];
	int sev[3], n;

	strbuf_addf(out, "summary\n  dump:      %s", rc->dump_path ? rc->dump_path : "?");
	if (rc->di)
		strbuf_addf(out, " (%s%s%s%s)", rc->di->format, rc->di->flattened ? " flattened" : "",
			    rc->di->codecs[0] ? ", " : "", rc->di->codecs);
	strbuf_addf(out, "\n  kernel:    %s %s\n", rc->k && kernel_arch(rc->k) ? kernel_arch(rc->k)->name : "?",
		    rc->k && kernel_release(rc->k)[0] ? kernel_release(rc->k) : "?");
	if (pcc)
		strbuf_addf(out, "  panic:     CPU %d, pid %d \"%s\" (CPU from %s)\n", rc->pc->panic_cpu, pcc->pid, pcc->comm,
			    rc->pc->panic_cpu_source ? rc->pc->panic_cpu_source : "?");
	else
		strbuf_puts(out, "  panic:     CPU not determined\n");
	strbuf_addf(out, "  skbs:      %d found\n", s ? s->nrecords : 0);
	if (rc->pcap_file || rc->pcapng_file)
		strbuf_addf(out, "  packets:   %d written%s%s%s%s\n", packets_written(s), rc->segment ? " (plus GSO segments)" : "",
			    rc->filter ? " (filter '" : "", rc->filter ? rc->filter : "", rc->filter ? "')" : "");
	else if (rc->filter)
		strbuf_addf(out, "  filter:    '%s'\n", rc->filter);
	findings_totals(s, sev);
	strbuf_addf(out, "  findings:  %d error, %d warning, %d info\n", sev[SEV_ERROR], sev[SEV_WARNING], sev[SEV_INFO]);
	if (rc->w && rc->w->count)
		strbuf_addf(out, "  warnings:  %zu (on standard error)\n", rc->w->count);
	n = outputs_files(rc, kinds, paths, manifest, sizeof(manifest));
	strbuf_puts(out, "  files:     ");
	for (int i = 0; i < n; i++)
		strbuf_addf(out, "%s%s (%s)", i ? ", " : "", strcmp(paths[i], "-") ? paths[i] : "standard output", kinds[i]);
	strbuf_puts(out, n ? "\n" : "none\n");
}

void report_text(const struct report_ctx *rc, struct strbuf *out)
{
	const struct skb_scan *s = rc->s;
	char d[320];

	summary_text(rc, out);
	strbuf_addf(out, "\ndump: %s", rc->dump_path ? rc->dump_path : "?");
	if (rc->di)
		strbuf_addf(out, " (%s%s%s)", rc->di->format, rc->di->codecs[0] ? ", " : "", rc->di->codecs);
	if (rc->k)
		strbuf_addf(out, ", %s %s", kernel_arch(rc->k) ? kernel_arch(rc->k)->name : "?", kernel_release(rc->k));
	strbuf_puts(out, "\n");
	if (rc->pc)
		panic_to_text(rc->pc, false, out);
	if (!s) {
		strbuf_puts(out, "no skb scan\n");
		return;
	}
	strbuf_addf(out, "\n%d sk_buff(s) found (%" PRIu64 " words looked at, %" PRIu64 " plausible, %d rejected)\n",
		    s->nrecords, s->candidates, s->prefiltered, s->nrejected);
	for (int i = 0; i < s->nrecords; i++)
		record_text(out, s, &s->records[i], rc->verbose > 0);
	if (rc->verbose && s->nrejected_kept) {
		strbuf_puts(out, "\nrejected candidates:\n");
		for (int i = 0; i < s->nrejected_kept; i++) {
			skb_place_describe(&s->rejected[i].place, d, sizeof(d));
			strbuf_addf(out, "  %016" PRIx64 " (%s): %s\n", s->rejected[i].addr, d, s->rejected[i].reason);
		}
	}
	if (rc->pcap_file)
		strbuf_addf(out, "\npcap: %s (LINKTYPE_%s)\n", rc->pcap_file, linktype_name(rc->pcap_linktype));
	if (rc->pcapng_file)
		strbuf_addf(out, "pcapng: %s\n", rc->pcapng_file);
}

/* --list: one line per skb, for grep and awk: address, cache, length, layers, GSO type, findings. */
void report_list(const struct report_ctx *rc, struct strbuf *out)
{
	const struct skb_scan *s = rc->s;
	const char *names[GSO_MAX_NAMES];
	char d[320];

	for (int i = 0; s && i < s->nrecords; i++) {
		const struct skb_record *r = &s->records[i];
		uint64_t unknown = 0;
		int n;

		strbuf_addf(out, "%016" PRIx64 " %s len %u", r->f.addr, r->cache[0] ? r->cache : "-", r->f.len);
		if (r->pkt.from_data)
			strbuf_puts(out, " payload-only");
		else if (r->layers.n) {
			proto_describe(&r->layers.l[r->layers.n - 1], d, sizeof(d));
			strbuf_addf(out, " %s", d);
		}
		n = gso_decode(&s->gso, r->f.gso_type, names, GSO_MAX_NAMES, &unknown);
		if (r->f.gso_type) {
			strbuf_puts(out, " gso ");
			for (int k = 0; k < n; k++)
				strbuf_addf(out, "%s%s", k ? "|" : "", names[k]);
			if (unknown)
				strbuf_addf(out, "%s0x%" PRIx64, n ? "|" : "", unknown);
			strbuf_addf(out, " size %u", r->f.gso_size);
		}
		for (int k = 0; k < r->findings.n; k++)
			strbuf_addf(out, "%s%s:%s", k ? "," : " findings ", finding_severity_name(r->findings.f[k].severity),
				    r->findings.f[k].id);
		strbuf_puts(out, "\n");
	}
}

/* --json-lines: one compact JSON object per skb (the report's skbs[] entries), then one summary object. */
void report_json_lines(const struct report_ctx *rc, struct strbuf *out)
{
	const struct skb_scan *s = rc->s;
	struct json j;
	int sev[3];

	for (int i = 0; s && i < s->nrecords; i++) {
		json_init(&j, out, false);
		record_json(&j, s, &s->records[i], rc->segment);
		strbuf_puts(out, "\n");
	}
	findings_totals(s, sev);
	json_init(&j, out, false);
	json_obj_begin(&j, NULL);
	json_obj_begin(&j, "summary");
	json_str(&j, "dump", rc->dump_path);
	json_str(&j, "arch", rc->k && kernel_arch(rc->k) ? kernel_arch(rc->k)->name : NULL);
	json_str(&j, "kernel_release", rc->k && kernel_release(rc->k)[0] ? kernel_release(rc->k) : NULL);
	if (rc->pc && rc->pc->panic_cpu >= 0)
		json_i64(&j, "panic_cpu", rc->pc->panic_cpu);
	else
		json_null(&j, "panic_cpu");
	json_u64(&j, "skbs", s ? (uint64_t)s->nrecords : 0);
	json_u64(&j, "packets", (uint64_t)packets_written(s));
	json_str(&j, "filter", rc->filter);
	json_obj_begin(&j, "findings");
	json_u64(&j, "error", (uint64_t)sev[SEV_ERROR]);
	json_u64(&j, "warning", (uint64_t)sev[SEV_WARNING]);
	json_u64(&j, "info", (uint64_t)sev[SEV_INFO]);
	json_obj_end(&j);
	json_u64(&j, "warnings", rc->w ? rc->w->count : 0);
	outputs_files_json(&j, rc);
	json_obj_end(&j);
	json_obj_end(&j);
	strbuf_puts(out, "\n");
}
