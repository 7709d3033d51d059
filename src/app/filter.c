// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A libpcap filter expression selects the packets written and reported, as
 * in tcpdump (`skbfilter vmcore 'tcp port 5001'`).  Each skb's frame is
 * rebuilt exactly as the pcap gets it (skb_pcap_frame(), under the link type
 * the pcap would have) and run through pcap_offline_filter().  An skb that
 * is not a packet (payload only, or no bytes) cannot match and is dropped;
 * frag_list members follow their parent.
 */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "skbfilter/app.h"
#include "skbfilter/report.h"
#include "skbfilter/skb.h"

static int dlt_of(int linktype)
{
	/* libpcap takes DLT_ values (DLT_RAW is 12 or 14 by platform), as in src/report/pcap.c */
	return linktype == LINKTYPE_RAW ? DLT_RAW : linktype == LINKTYPE_LINUX_SLL2 ? DLT_LINUX_SLL2 : DLT_EN10MB;
}

int app_filter_compile_check(const char *expr, struct sf_err *err)
{
	struct bpf_program prog;
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 262144);
	int rc = 0;

	if (!pd)
		return sf_err_set(err, SF_ENOMEM, "pcap_open_dead failed");
	if (pcap_compile(pd, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0)
		rc = sf_err_set(err, SF_EINVAL, "filter expression '%s': %s", expr, pcap_geterr(pd));
	else
		pcap_freecode(&prog);
	pcap_close(pd);
	return rc;
}

/*
 * frag_list members follow their parent: a member reached only through the
 * frag_list (depth > 0) is kept exactly when its parent is; one that was also
 * found on its own (a stack slot, found before the parent: rx-ipfrag, a
 * non-first IP fragment that no port filter matches) is kept when either it
 * or a parent listing it in frag_list_members matches.  Repeated until
 * nothing changes, for frag_lists inside frag_lists.
 */
static void follow_parents(const struct skb_scan *s, bool *match)
{
	bool changed = true;

	for (int pass = 0; changed && pass <= s->nrecords; pass++) {
		changed = false;
		for (int i = 0; i < s->nrecords; i++) {
			const struct skb_record *r = &s->records[i];
			bool parent_match = false, parent_seen = false;

			for (int j = 0; j < s->nrecords; j++) {
				const struct skb_record *p = &s->records[j];

				bool member = j != i && r->depth > 0 && p->f.addr == r->parent;

				for (int k = 0; j != i && !member && k < p->nfrag_list; k++)
					member = p->frag_list_members[k] == r->f.addr;
				if (member) {
					parent_seen = true;
					parent_match |= match[j];
				}
			}
			if (!parent_seen)
				continue;
			if ((r->depth > 0 && match[i] != parent_match) || (r->depth == 0 && parent_match && !match[i])) {
				match[i] = parent_match;
				changed = true;
			}
		}
	}
}

int app_filter_records(const char *expr, struct skb_scan *s, struct sf_err *err)
{
	int lt = skb_pcap_linktype(s), keep = 0, rc = 0;
	struct bpf_program prog;
	pcap_t *pd;
	bool *match;

	if (!s->nrecords)
		return 0;
	match = calloc((size_t)s->nrecords, sizeof(*match));
	pd = pcap_open_dead(dlt_of(lt), 262144);
	if (!match || !pd) {
		rc = sf_err_set(err, SF_ENOMEM, "packet filter");
		goto out;
	}
	if (pcap_compile(pd, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		rc = sf_err_set(err, SF_EINVAL, "filter expression '%s': %s", expr, pcap_geterr(pd));
		goto out;
	}
	for (int i = 0; i < s->nrecords; i++) {
		struct skb_record *r = &s->records[i];
		struct pcap_pkthdr h;
		uint8_t *buf;
		uint32_t len;

		if (!skb_pcap_written(r))
			continue;
		if (skb_pcap_frame(r, lt, &buf, &len, err) < 0) {
			rc = -err->code;
			break;
		}
		memset(&h, 0, sizeof(h));
		h.caplen = h.len = len;
		match[i] = pcap_offline_filter(&prog, &h, buf) != 0;
		free(buf);
	}
	pcap_freecode(&prog);
	if (rc < 0)
		goto out;
	follow_parents(s, match);
	for (int i = 0; i < s->nrecords; i++) {
		if (match[i])
			s->records[keep++] = s->records[i];
		else
			skb_record_release(&s->records[i]);
	}
	s->nrecords = keep;
out:
	if (pd)
		pcap_close(pd);
	free(match);
	return rc;
}
