// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rebuilding the packet of an sk_buff: the linear part, then each page frag
 * (struct page -> pfn through vmemmap, read through the direct map), then the
 * frag_list members in order.  Bytes in pages the dump does not hold are
 * listed as missing ranges and the packet is marked incomplete: nothing is
 * silently padded (the holes are zero in the buffer, and said so).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "skbfilter/bytes.h"
#include "skbfilter/skb.h"

#define SKB_MAX_PKT (1u << 20)		/* BIG TCP tops out at 512 KiB; cap what one packet may claim */
#define FRAG_LIST_MAX 64		/* members followed per packet */
#define FRAG_LIST_DEPTH 3

struct builder {
	const struct skb_mem *m;
	const struct skb_layout *L;
	const struct skb_validate_opts *vo;
	struct skb_packet *p;
	struct skb_record *top;
	uint32_t pos;			/* bytes placed so far */
	uint64_t visited[FRAG_LIST_MAX + 1];
	int nvisited;
	struct warnlist *w;
};

static void add_missing(struct builder *b, uint32_t off, uint32_t len)
{
	struct skb_packet *p = b->p;

	if (!len)
		return;
	p->complete = false;
	p->missing_bytes += len;
	if (p->nmissing > 0) {
		struct skb_range *last = &p->missing[p->nmissing - 1];

		if (last->off + last->len == off) {
			last->len += len;
			return;
		}
	}
	if (p->nmissing < SKB_MAX_MISSING) {
		p->missing[p->nmissing].off = off;
		p->missing[p->nmissing].len = len;
		p->nmissing++;
	}
}

/* Room left in the packet buffer. */
static uint32_t room(const struct builder *b)
{
	return b->pos < b->p->len ? b->p->len - b->pos : 0;
}

static void seg_add(struct builder *b, uint64_t vaddr, uint32_t n)
{
	struct skb_packet *p = b->p;

	if (!vaddr || !n)
		return;
	if (p->nsegs > 0) {
		struct skb_seg *l = &p->segs[p->nsegs - 1];

		if (l->off + l->len == b->pos && l->vaddr + l->len == vaddr) {
			l->len += n;
			return;
		}
	}
	if (p->nsegs >= SKB_MAX_SEGS) {
		p->segs_overflow = true;
		return;
	}
	p->segs[p->nsegs].off = b->pos;
	p->segs[p->nsegs].len = n;
	p->segs[p->nsegs].vaddr = vaddr;
	p->nsegs++;
}

/* Copies already-read bytes (vaddr: where they live, 0 for synthesized ones like a VLAN tag). */
static void put_bytes(struct builder *b, const uint8_t *src, uint32_t n, uint64_t vaddr)
{
	n = n < room(b) ? n : room(b);
	seg_add(b, vaddr, n);
	memcpy(b->p->bytes + b->pos, src, n);
	b->pos += n;
}

/* Reads n bytes at a kernel virtual address into the packet, page by page; holes become missing ranges. */
static void put_mem(struct builder *b, uint64_t vaddr, uint32_t n, enum read_reason why)
{
	const struct skb_mem *m = b->m;

	n = n < room(b) ? n : room(b);
	while (n) {
		uint32_t chunk = m->page_size - (uint32_t)(vaddr % m->page_size);
		struct sf_err e = { 0 };

		chunk = chunk < n ? chunk : n;
		seg_add(b, vaddr, chunk);
		if (!vaddr || m->read(m->priv, vaddr, b->p->bytes + b->pos, chunk, why, "packet data", &e) < 0) {
			uint64_t pa;

			memset(b->p->bytes + b->pos, 0, chunk);
			add_missing(b, b->pos, chunk);
			if (vaddr && m->record_pfn && m->vtop && m->vtop(m->priv, vaddr, &pa, &e) == 0)
				m->record_pfn(m->priv, pa / m->page_size, why);
		}
		b->pos += chunk;
		vaddr += chunk;
		n -= chunk;
	}
}

static void put_frags(struct builder *b, const struct skb_record *r)
{
	for (int i = 0; i < r->nfrags && room(b); i++) {
		const struct skb_frag *fr = &r->frags[i];
		uint32_t n = fr->len < room(b) ? fr->len : room(b);

		if (!fr->vaddr) {
			memset(b->p->bytes + b->pos, 0, n);
			add_missing(b, b->pos, n);
			b->pos += n;
			continue;
		}
		put_mem(b, fr->vaddr, n, READ_FRAG);
	}
}

static bool visit(struct builder *b, uint64_t addr)
{
	for (int i = 0; i < b->nvisited; i++)
		if (b->visited[i] == addr)
			return false;
	if (b->nvisited >= FRAG_LIST_MAX + 1)
		return false;
	b->visited[b->nvisited++] = addr;
	return true;
}

static void put_frag_list(struct builder *b, uint64_t first, int depth);

/* A frag_list member contributes skb->data .. +len: its linear part, frags, own frag_list. */
static void put_member(struct builder *b, uint64_t addr, int depth)
{
	struct skb_record mr;
	struct sf_err e = { 0 };
	uint32_t data_off, headlen;

	if (skb_validate(b->m, b->L, b->vo, addr, &mr, &e) < 0) {
		if (b->w)
			warn_add(b->w, "skb 0x%" PRIx64 ": frag_list member 0x%" PRIx64 " rejected: %s", b->top->f.addr,
				 addr, e.msg);
		return;
	}
	if (depth == 0 && b->top->nfrag_list < (int)(sizeof(b->top->frag_list_members) / sizeof(uint64_t)))
		b->top->frag_list_members[b->top->nfrag_list++] = addr;
	data_off = (uint32_t)(mr.f.data - mr.f.head);
	headlen = mr.f.tail - data_off;
	if (mr.linear && data_off + headlen <= mr.linear_len)
		put_bytes(b, mr.linear + data_off, headlen, mr.f.data);
	else
		put_mem(b, mr.f.data, headlen, READ_SKB_DATA);
	put_frags(b, &mr);
	if (mr.f.frag_list)
		put_frag_list(b, mr.f.frag_list, depth + 1);
	skb_record_release(&mr);
}

static void put_frag_list(struct builder *b, uint64_t first, int depth)
{
	uint64_t cur = first;

	if (depth >= FRAG_LIST_DEPTH) {
		if (b->w)
			warn_add(b->w, "skb 0x%" PRIx64 ": frag_list nested deeper than %d, not followed", b->top->f.addr,
				 FRAG_LIST_DEPTH);
		return;
	}
	/*
	 * Walked to its end even when the packet is already full (frags that
	 * cover data_len): a list that loops is corruption worth naming, and
	 * visit() bounds the walk.
	 */
	while (cur) {
		struct sf_err e = { 0 };

		if (!visit(b, cur)) {
			if (b->w)
				warn_add(b->w, "skb 0x%" PRIx64 ": frag_list revisits 0x%" PRIx64 " or exceeds %d members; "
					 "stopped there", b->top->f.addr, cur, FRAG_LIST_MAX);
			return;
		}
		if (room(b))
			put_member(b, cur, depth);
		if (!b->L->next.ok || skb_mem_read_u64(b->m, cur + b->L->next.off, &cur, READ_OTHER, "sk_buff.next", &e) < 0)
			return;
	}
}

int skb_frag_list_walk(const struct skb_mem *m, const struct skb_layout *L, uint64_t first, uint64_t *out, int max,
		       int *n, struct sf_err *err)
{
	uint64_t cur = first;

	*n = 0;
	while (cur) {

		for (int i = 0; i < *n; i++)
			if (out[i] == cur)
				return sf_err_set(err, SF_ELOOP, "frag_list loops back to 0x%" PRIx64, cur);
		if (*n >= max)
			return sf_err_set(err, SF_ELOOP, "frag_list longer than %d members", max);
		out[(*n)++] = cur;
		if (!L->next.ok)
			return 0;
		if (skb_mem_read_u64(m, cur + L->next.off, &cur, READ_OTHER, "sk_buff.next", err) < 0)
			return -err->code;
	}
	return 0;
}

int skb_rebuild(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
		struct skb_record *r, struct warnlist *w, struct sf_err *err)
{
	const struct skb_fields *f = &r->f;
	struct skb_packet *p = &r->pkt;
	struct builder b = { .m = m, .L = L, .vo = vo, .p = p, .top = r, .w = w };
	uint32_t data_off = (uint32_t)(f->data - f->head), start, lin_end, vlan = 0;
	uint64_t want;

	free(p->bytes);
	memset(p, 0, sizeof(*p));
	p->complete = true;
	p->l3_off = UINT32_MAX;
	/*
	 * From the MAC header when it is set and not past the network header;
	 * on transmit through a tunnel mac_header can still point at the inner
	 * frame (tx-vxlan-tcp: mac 254 > network 218), so start at the network
	 * header then.  A MAC header shorter than Ethernet (tun: mac == network) is
	 * no MAC header for the pcap either.
	 */
	if (f->mac_header != SKB_HDR_UNSET && f->mac_header <= f->tail && skb_headers_set(f) &&
	    f->mac_header <= f->network_header && f->network_header - f->mac_header >= 14) {
		p->from_mac = true;
		start = f->mac_header;
	} else if (skb_headers_set(f) && f->network_header <= f->tail) {
		start = f->network_header;
	} else {
		p->from_data = true;
		start = data_off;
	}
	/* Bytes before data are still in the buffer; bytes after it are part of len. */
	if (start <= data_off)
		want = (uint64_t)f->len + (data_off - start);
	else if (start - data_off <= f->len)
		want = f->len - (start - data_off);
	else
		want = 0;
	if (p->from_mac && f->vlan_present)
		vlan = 4;
	want += vlan;
	if (want > SKB_MAX_PKT) {
		if (w)
			warn_add(w, "skb 0x%" PRIx64 ": packet of %" PRIu64 " bytes truncated to %u", f->addr, want,
				 SKB_MAX_PKT);
		want = SKB_MAX_PKT;
	}
	p->start_off = start;
	p->len = (uint32_t)want;
	p->bytes = calloc(1, p->len ? p->len : 1);
	if (!p->bytes)
		return sf_err_set(err, SF_ENOMEM, "packet buffer of %u bytes", p->len);
	if (!p->from_data && f->network_header >= start)
		p->l3_off = f->network_header - start + (p->from_mac ? vlan : 0);

	/* Linear part: head + start .. head + tail. */
	lin_end = f->tail;
	if (lin_end > start) {
		uint32_t n = lin_end - start;

		if (vlan && n >= 12) {
			uint8_t tag[4];

			if (r->linear && start + 12 <= r->linear_len)
				put_bytes(&b, r->linear + start, 12, f->head + start);
			else
				put_mem(&b, f->head + start, 12, READ_SKB_DATA);
			st_be16(tag, f->vlan_proto ? f->vlan_proto : 0x8100);
			st_be16(tag + 2, f->vlan_tci);
			put_bytes(&b, tag, 4, 0);
			p->vlan_inserted = true;
			start += 12;
			n -= 12;
		}
		if (r->linear && lin_end <= r->linear_len)
			put_bytes(&b, r->linear + start, n, f->head + start);
		else
			put_mem(&b, f->head + start, n, READ_SKB_DATA);
	}
	p->linear_len = b.pos;
	put_frags(&b, r);
	if (f->frag_list) {
		visit(&b, f->addr);
		put_frag_list(&b, f->frag_list, 0);
	}
	if (b.pos < p->len) {
		/* data_len promised more than the frags and frag_list delivered. */
		add_missing(&b, b.pos, p->len - b.pos);
		if (w)
			warn_add(w, "skb 0x%" PRIx64 ": len says %u bytes but the buffers hold %u", f->addr, p->len, b.pos);
	}
	p->crc32 = (uint32_t)crc32(crc32(0L, Z_NULL, 0), p->bytes, p->len);
	return 0;
}

static int range_push(struct phys_range **v, size_t *n, size_t *cap, uint64_t start, uint64_t len)
{
	if (*n && (*v)[*n - 1].start + (*v)[*n - 1].len == start) {
		(*v)[*n - 1].len += len;
		return 0;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct phys_range *nv = realloc(*v, nc * sizeof(*nv));

		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[*n].start = start;
	(*v)[*n].len = len;
	(*n)++;
	return 0;
}

void skb_scrub_packets(struct skb_scan *s)
{
	for (int i = 0; s && i < s->nrecords; i++) {
		struct skb_packet *p = &s->records[i].pkt;
		uint32_t from = s->records[i].layers.n ? s->records[i].layers.payload_off : 0;

		if (!p->bytes || from >= p->len)
			continue;
		memset(p->bytes + from, 0, p->len - from);
		p->scrubbed = true;
		p->scrubbed_from = from;
	}
}

int skb_scrub_ranges(const struct skb_mem *m, const struct skb_scan *s, struct phys_range **ret, size_t *n,
		     struct sf_err *err)
{
	struct phys_range *v = NULL;
	size_t cap = 0;

	*ret = NULL;
	*n = 0;
	for (int i = 0; s && i < s->nrecords; i++) {
		const struct skb_record *r = &s->records[i];
		const struct skb_packet *p = &r->pkt;
		/* Payload: everything after the last parsed header (all of it if none parsed). */
		uint32_t from = r->layers.n ? r->layers.payload_off : 0;

		if (r->depth != 0 || !p->bytes)
			continue;
		if (p->segs_overflow)
			return sf_err_set(err, SF_ENOTSUP, "skb 0x%" PRIx64 ": packet made of more than %d memory runs; "
					  "cannot scrub it", r->f.addr, SKB_MAX_SEGS);
		for (int j = 0; j < p->nsegs; j++) {
			const struct skb_seg *sg = &p->segs[j];
			uint64_t a, end = (uint64_t)sg->off + sg->len;

			if (end <= from)
				continue;
			a = sg->off >= from ? sg->off : from;
			while (a < end) {
				uint64_t va = sg->vaddr + (a - sg->off), pa;
				uint64_t chunk = m->page_size - va % m->page_size;
				struct sf_err e = { 0 };

				chunk = chunk < end - a ? chunk : end - a;
				if (m->vtop(m->priv, va, &pa, &e) == 0 && range_push(&v, n, &cap, pa, chunk) < 0) {
					free(v);
					*n = 0;
					return sf_err_set(err, SF_ENOMEM, "scrub ranges");
				}
				a += chunk;
			}
		}
	}
	*ret = v;
	return 0;
}
