// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap output through libpcap (nanosecond timestamps), written into an
 * atomic outfile.  The link type: ETHERNET when every packet starts at a MAC
 * header, RAW (101) when every one starts at the network header, else
 * LINUX_SLL2 (276) with protocol, ifindex and packet type from the skb.
 */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/bytes.h"
#include "skbfilter/outfile.h"
#include "report/report_int.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"

#define SLL2_HDR_LEN 20
#define ARPHRD_ETHER 1

bool skb_pcap_written(const struct skb_record *r)
{
	return r->depth == 0 && r->pkt.bytes && r->pkt.len && !r->pkt.from_data;
}

static bool written(const struct skb_record *r)
{
	return skb_pcap_written(r);
}

int skb_pcap_linktype(const struct skb_scan *s)
{
	int mac = 0, net = 0;

	for (int i = 0; s && i < s->nrecords; i++) {
		if (!written(&s->records[i]))
			continue;
		if (s->records[i].pkt.from_mac)
			mac++;
		else
			net++;
	}
	if (mac && !net)
		return LINKTYPE_ETHERNET;
	if (net && !mac)
		return LINKTYPE_RAW;
	return mac ? LINKTYPE_LINUX_SLL2 : LINKTYPE_ETHERNET;
}

int skb_pcap_frame(const struct skb_record *r, int linktype, uint8_t **buf, uint32_t *len, struct sf_err *err)
{
	const struct skb_packet *p = &r->pkt;
	uint32_t l3 = 0, n;
	uint8_t *b;

	*buf = NULL;
	*len = 0;
	if (linktype != LINKTYPE_LINUX_SLL2) {
		b = malloc(p->len ? p->len : 1);
		if (!b)
			return sf_err_set(err, SF_ENOMEM, "pcap frame");
		memcpy(b, p->bytes, p->len);
		*buf = b;
		*len = p->len;
		return 0;
	}
	/* SLL2 carries the network layer; the MAC source goes into the header. */
	if (p->from_mac)
		l3 = p->l3_off != UINT32_MAX && p->l3_off <= p->len ? p->l3_off : (p->len >= 14 ? 14 : p->len);
	n = p->len - l3;
	b = calloc(1, SLL2_HDR_LEN + (size_t)n);
	if (!b)
		return sf_err_set(err, SF_ENOMEM, "pcap frame");
	st_be16(b, r->f.protocol);
	st_be32(b + 4, (uint32_t)(r->dev.valid ? r->dev.ifindex : 0));
	st_be16(b + 8, r->dev.valid && r->dev.type ? r->dev.type : ARPHRD_ETHER);
	b[10] = r->f.pkt_type;
	if (p->from_mac && p->len >= 12) {
		b[11] = 6;
		memcpy(b + 12, p->bytes + 6, 6);
	}
	memcpy(b + SLL2_HDR_LEN, p->bytes + l3, n);
	*buf = b;
	*len = SLL2_HDR_LEN + n;
	return 0;
}

static int dump_one(pcap_dumper_t *dumper, const struct skb_record *r, int lt, uint32_t snaplen, struct sf_err *err)
{
	struct pcap_pkthdr h;
	uint8_t *buf;
	uint32_t len;
	int rc = skb_pcap_frame(r, lt, &buf, &len, err);

	if (rc < 0)
		return rc;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(r->wall_ns / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(r->wall_ns % 1000000000ull);	/* nanoseconds with PRECISION_NANO */
	h.len = len;
	h.caplen = snaplen && len > snaplen ? snaplen : len;
	pcap_dump((u_char *)dumper, &h, buf);
	free(buf);
	return 0;
}

int report_each_segment(const struct skb_scan *s, const struct skb_record *r, report_segment_fn emit, void *ctx,
			struct sf_err *err)
{
	struct skb_record *tmp = NULL;
	struct skb_segment *segs;
	int nseg, rc = 0;
	char why[128];

	if (skb_segment_packet(r, &s->gso, &segs, &nseg, why, sizeof(why)) < 0)
		return 0;
	for (int j = 0; j < nseg && rc == 0; j++) {
		if (!tmp && !(tmp = malloc(sizeof(*tmp)))) {
			rc = sf_err_set(err, SF_ENOMEM, "segment record");
			break;
		}
		memcpy(tmp, r, sizeof(*tmp));
		tmp->pkt.bytes = segs[j].bytes;
		tmp->pkt.len = segs[j].len;
		rc = emit(ctx, tmp, j, nseg, err);
	}
	skb_segments_free(segs, nseg);
	free(tmp);
	return rc;
}

struct pcap_seg_ctx {
	pcap_dumper_t *dumper;
	int lt;
	uint32_t snaplen;
};

static int pcap_segment(void *ctx, const struct skb_record *seg, int j, int nseg, struct sf_err *err)
{
	const struct pcap_seg_ctx *c = ctx;

	return dump_one(c->dumper, seg, c->lt, c->snaplen, err);
}

int skb_pcap_write(const char *path, const struct skb_scan *s, uint32_t snaplen, bool segment, struct sf_err *err)
{
	struct outfile of = { 0 };
	int lt = skb_pcap_linktype(s), rc;
	uint32_t maxlen = 262144;
	pcap_t *pd = NULL;
	pcap_dumper_t *dumper;

	for (int i = 0; s && i < s->nrecords; i++)
		if (s->records[i].pkt.len + SLL2_HDR_LEN > maxlen)
			maxlen = s->records[i].pkt.len + SLL2_HDR_LEN;
	rc = outfile_open(&of, path, err);
	if (rc < 0)
		return rc;
	/* libpcap takes DLT_ values (DLT_RAW is 12 or 14 by platform) and writes the LINKTYPE_ value. */
	pd = pcap_open_dead_with_tstamp_precision(lt == LINKTYPE_RAW ? DLT_RAW : lt == LINKTYPE_LINUX_SLL2 ? DLT_LINUX_SLL2
						  : DLT_EN10MB, (int)(snaplen ? snaplen : maxlen), PCAP_TSTAMP_PRECISION_NANO);
	if (!pd) {
		rc = sf_err_set(err, SF_ENOMEM, "%s: pcap_open_dead failed", path);
		goto out;
	}
	/* pcap_dump_fopen writes the file header; the dumper is the FILE itself, closed by outfile_commit. */
	dumper = pcap_dump_fopen(pd, of.fp);
	if (!dumper) {
		rc = sf_err_set(err, SF_EIO, "%s: %s", path, pcap_geterr(pd));
		goto out;
	}
	for (int i = 0; s && i < s->nrecords; i++) {
		const struct skb_record *r = &s->records[i];
		struct pcap_seg_ctx sc = { .dumper = dumper, .lt = lt, .snaplen = snaplen };

		if (!written(r))
			continue;
		rc = dump_one(dumper, r, lt, snaplen, err);
		if (rc < 0)
			goto out;
		if (segment && (rc = report_each_segment(s, r, pcap_segment, &sc, err)) < 0)
			goto out;
	}
	if (pcap_dump_flush(dumper) != 0) {
		rc = sf_err_set(err, SF_EIO, "%s: write failed", path);
		goto out;
	}
	pcap_close(pd);
	return outfile_commit(&of, err);
out:
	if (pd)
		pcap_close(pd);
	outfile_abort(&of);
	return rc;
}
