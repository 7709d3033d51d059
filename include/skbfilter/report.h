/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The packet outputs and reports of the main job (src/report/): pcap, pcapng,
 * text, --list, --json-lines and JSON.  They read a finished struct skb_scan
 * and never the dump.
 */
#ifndef SKBFILTER_REPORT_H
#define SKBFILTER_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "skbfilter/dump.h"
#include "skbfilter/err.h"
#include "skbfilter/json.h"
#include "skbfilter/skb.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

struct kernel;
struct panic_context;

#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_LINUX_SLL2 276

/* ETHERNET if every packet starts at a MAC header, RAW if every one at the network header, else SLL2. */
int skb_pcap_linktype(const struct skb_scan *s);
/* True when r goes into the pcap/pcapng (a top-level skb with packet bytes that start at a header). */
bool skb_pcap_written(const struct skb_record *r);
/* The bytes one packet gets under linktype (SLL2 header + network layer, ...) into buf (owned by caller, free()). */
int skb_pcap_frame(const struct skb_record *r, int linktype, uint8_t **buf, uint32_t *len, struct sf_err *err);
/*
 * pcap through libpcap (nanosecond timestamps), written atomically; snaplen 0 = whole packets.
 * With segment, each GSO packet is followed by the segments skb_segment_packet() makes of it.
 */
int skb_pcap_write(const char *path, const struct skb_scan *s, uint32_t snaplen, bool segment, struct sf_err *err);
/* pcapng: one interface per net_device, a comment per packet. */
int skb_pcapng_write(const char *path, const struct skb_scan *s, uint32_t snaplen, bool segment, struct sf_err *err);

struct report_ctx {
	const char *dump_path;
	const struct dump_info *di;
	const struct kernel *k;			/* may be NULL */
	const struct panic_context *pc;		/* may be NULL */
	const char *panic_json;			/* the panic object as JSON text, or NULL (built from pc) */
	const struct skb_scan *s;		/* may be NULL */
	const struct warnlist *w;
	const char *minicore_json;		/* manifest/summary object as JSON text, or NULL */
	const char *pcap_file, *pcapng_file;
	int pcap_linktype;
	bool segment;				/* --segment: report the segments */
	int verbose;				/* 0: compact text (repeated places collapsed, payload-only skbs
						 * on one line); 1+: everything */
	const char *json_file, *minicore_file;	/* for the summary and JSON outputs.files */
	const char *filter;			/* the packet filter expression, or NULL */
};

void report_text(const struct report_ctx *rc, struct strbuf *out);
/* --list: one line per skb.  --json-lines: one JSON object per skb, then a {"summary": ...} object. */
void report_list(const struct report_ctx *rc, struct strbuf *out);
void report_json_lines(const struct report_ctx *rc, struct strbuf *out);
void report_json(const struct report_ctx *rc, struct strbuf *out);
/* Appends "key": TEXT (already JSON) to j, handling commas like the json_* calls. */
void report_json_raw(struct json *j, const char *key, const char *text);

#endif
