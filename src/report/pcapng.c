// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcapng output (written by hand: libpcap has no pcapng writer).
 *
 *   SHB  section header, shb_userappl "skbfilter"
 *   IDB  one per net_device (if_name, if_tsresol 9 = nanoseconds); skbs
 *        without a device share an interface named "unknown"
 *   EPB  one per packet, with an opt_comment: skb address, where it was
 *        found, its findings
 *
 * All blocks little-endian (the SHB byte-order magic says so).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/outfile.h"
#include "report/report_int.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"
#include "skbfilter/strbuf.h"

#define MAX_IFACES 256

static void pad4(struct strbuf *b)
{
	static const char z[4] = { 0 };

	if (b->len % 4)
		strbuf_add(b, z, 4 - b->len % 4);
}

static void put32(struct strbuf *b, uint32_t v)
{
	char x[4];

	st_le32(x, v);
	strbuf_add(b, x, 4);
}

static void put16(struct strbuf *b, uint16_t v)
{
	char x[2];

	st_le16(x, v);
	strbuf_add(b, x, 2);
}

static void option(struct strbuf *b, uint16_t code, const void *val, size_t len)
{
	if (len > 0xfff0)
		len = 0xfff0;
	put16(b, code);
	put16(b, (uint16_t)len);
	if (len)
		strbuf_add(b, val, len);
	pad4(b);
}

/* Wraps body into a block of type: type, total length, body, total length. */
static void block(struct strbuf *out, uint32_t type, const struct strbuf *body)
{
	uint32_t total = (uint32_t)body->len + 12;

	put32(out, type);
	put32(out, total);
	strbuf_add(out, body->buf, body->len);
	put32(out, total);
}

struct iface {
	uint64_t dev;
	char name[17];
};

static int iface_of(struct iface *ifs, int *n, const struct skb_record *r)
{
	uint64_t dev = r->dev.valid ? r->f.dev : 0;

	for (int i = 0; i < *n; i++)
		if (ifs[i].dev == dev)
			return i;
	if (*n >= MAX_IFACES)
		return 0;
	ifs[*n].dev = dev;
	snprintf(ifs[*n].name, sizeof(ifs[*n].name), "%s", dev ? r->dev.name : "unknown");
	return (*n)++;
}

/* One Enhanced Packet Block. */
static int epb(struct strbuf *out, struct strbuf *body, const struct skb_record *r, int lt, uint32_t ifidx,
	       uint32_t snaplen, const char *comment, size_t clen, struct sf_err *err)
{
	uint8_t *buf;
	uint32_t len, cap;
	int rc = skb_pcap_frame(r, lt, &buf, &len, err);

	if (rc < 0)
		return rc;
	cap = snaplen && len > snaplen ? snaplen : len;
	body->len = 0;
	put32(body, ifidx);
	put32(body, (uint32_t)(r->wall_ns >> 32));
	put32(body, (uint32_t)r->wall_ns);
	put32(body, cap);
	put32(body, len);
	strbuf_add(body, (const char *)buf, cap);
	pad4(body);
	option(body, 1, comment, clen);	/* opt_comment */
	option(body, 0, NULL, 0);
	block(out, 0x00000006, body);
	free(buf);
	return 0;
}

struct pcapng_seg_ctx {
	struct strbuf *out, *body;
	const struct skb_record *r;
	int lt;
	uint32_t ifidx, snaplen;
};

static int pcapng_segment(void *ctx, const struct skb_record *seg, int j, int nseg, struct sf_err *err)
{
	const struct pcapng_seg_ctx *c = ctx;
	char where[256];

	snprintf(where, sizeof(where), "segment %d/%d of skb 0x%" PRIx64 " (software GSO, --segment)", j + 1, nseg,
		 c->r->f.addr);
	return epb(c->out, c->body, seg, c->lt, c->ifidx, c->snaplen, where, strlen(where), err);
}

int skb_pcapng_write(const char *path, const struct skb_scan *s, uint32_t snaplen, bool segment, struct sf_err *err)
{
	struct iface *ifs = calloc(MAX_IFACES, sizeof(*ifs));
	int nifs = 0, lt = skb_pcap_linktype(s), rc = 0;
	struct strbuf out, body;
	struct outfile of = { 0 };
	int *ifidx = NULL;

	strbuf_init(&out);
	strbuf_init(&body);
	if (!ifs || !(ifidx = calloc((size_t)(s ? s->nrecords : 0) + 1, sizeof(int)))) {
		rc = sf_err_set(err, SF_ENOMEM, "pcapng interfaces");
		goto out;
	}
	/* Section header. */
	put32(&body, 0x1a2b3c4d);
	put16(&body, 1);
	put16(&body, 0);
	put32(&body, 0xffffffff);	/* section length unknown */
	put32(&body, 0xffffffff);
	option(&body, 4, "skbfilter", 9);	/* shb_userappl */
	option(&body, 0, NULL, 0);
	block(&out, 0x0a0d0d0a, &body);
	/* Interfaces in first-use order. */
	for (int i = 0; s && i < s->nrecords; i++)
		if (s->records[i].depth == 0 && s->records[i].pkt.bytes && !s->records[i].pkt.from_data)
			ifidx[i] = iface_of(ifs, &nifs, &s->records[i]);
	if (!nifs)
		nifs = 1, snprintf(ifs[0].name, sizeof(ifs[0].name), "unknown");
	for (int i = 0; i < nifs; i++) {
		uint8_t res = 9;

		body.len = 0;
		put16(&body, (uint16_t)lt);
		put16(&body, 0);
		put32(&body, snaplen);
		option(&body, 2, ifs[i].name, strlen(ifs[i].name));	/* if_name */
		option(&body, 9, &res, 1);				/* if_tsresol: 10^-9 */
		option(&body, 0, NULL, 0);
		block(&out, 0x00000001, &body);
	}
	for (int i = 0; s && i < s->nrecords; i++) {
		const struct skb_record *r = &s->records[i];
		struct pcapng_seg_ctx sc = { .out = &out, .body = &body, .r = r, .lt = lt, .ifidx = (uint32_t)ifidx[i],
					     .snaplen = snaplen };
		struct strbuf c;
		char where[256];

		if (r->depth != 0 || !r->pkt.bytes || !r->pkt.len || r->pkt.from_data)
			continue;
		strbuf_init(&c);
		strbuf_addf(&c, "skb 0x%" PRIx64, r->f.addr);
		for (int j = 0; j < r->nplaces; j++) {
			skb_place_describe(&r->places[j], where, sizeof(where));
			strbuf_addf(&c, "%s%s", j ? "; " : " found: ", where);
		}
		if (!r->pkt.complete)
			strbuf_addf(&c, "; INCOMPLETE: %u bytes missing from the dump", r->pkt.missing_bytes);
		if (r->pkt.scrubbed)
			strbuf_addf(&c, "; payload from byte %u zeroed (--scrub-payload)", r->pkt.scrubbed_from);
		for (int j = 0; j < r->findings.n; j++)
			strbuf_addf(&c, "\n[%s] %s: %s", finding_severity_name(r->findings.f[j].severity),
				    r->findings.f[j].id, r->findings.f[j].message);
		rc = epb(&out, &body, r, lt, (uint32_t)ifidx[i], snaplen, c.buf ? c.buf : "", c.len, err);
		strbuf_release(&c);
		if (rc < 0)
			goto out;
		if (segment && (rc = report_each_segment(s, r, pcapng_segment, &sc, err)) < 0)
			goto out;
	}
	if (out.overflow || body.overflow) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: pcapng output too large", path);
		goto out;
	}
	rc = outfile_open(&of, path, err);
	if (rc < 0)
		goto out;
	rc = outfile_write(&of, out.buf, out.len, err);
	if (rc < 0) {
		outfile_abort(&of);
		goto out;
	}
	rc = outfile_commit(&of, err);
out:
	strbuf_release(&out);
	strbuf_release(&body);
	free(ifs);
	free(ifidx);
	return rc;
}
