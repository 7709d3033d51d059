// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzzes sk_buff validation, packet rebuild and the GSO rules over a fake
 * in-memory kernel (tests/unit/fakekernel.h).  The fake kernel starts with a
 * valid skb (linear headers, two frags, a frag_list member); the input is a
 * list of edits { u16 offset, u8 value } applied to its memory (slab, heads,
 * frag pages and struct pages), then a byte of "missing page" flags.  The
 * input size picks cache identity by pointer (odd) or by name, and the slab
 * mark: PG_slab or the 6.12 page type (size & 2).
 */
#include <stdint.h>
#include <string.h>

#include "../unit/fakekernel.h"
#include "../unit/pktbuild.h"

#include "skbfilter/skb.h"

static struct fakekernel fk;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct skb_record r;
	struct skb_validate_opts vo = { 0 };
	struct finding_list fl = { 0 };
	struct gso_check_input in;
	struct gso_names g;
	struct warnlist w;
	struct sf_err err = { 0 };
	uint8_t hdr[54];
	size_t i = 0;

	fk_init(&fk);
	pb_eth(hdr, PB_MAC_B, PB_MAC_A, 0x0800);
	pb_ipv4(hdr + 14, 6, 4040, 1, PB_IP_A, PB_IP_B);
	pb_tcp(hdr + 34, 1, 2, 3, 5);
	fk_make_skb(&fk, fk_obj(0), 4 * FK_PAGE, hdr, 54, 64, 2, 2000);
	fk_set(&fk, fk_obj(0), &fk.L.mac_header, 64);
	fk_set(&fk, fk_obj(0), &fk.L.network_header, 78);
	fk_set(&fk, fk_obj(0), &fk.L.transport_header, 98);
	fk_make_skb(&fk, fk_obj(1), 4 * FK_PAGE + 1024, hdr + 14, 40, 64, 0, 0);
	fk_set(&fk, fk_va(4 * FK_PAGE) + 512, &fk.L.sh_frag_list, fk_obj(1));
	st_le64(fk.phys + (fk_va(4 * FK_PAGE) + 512 - FK_DIRECT) + 4, 0);
	/* Odd sizes: caches identified by pointer (kmalloc-512 standing for skbuff_cache: decoys). */
	if (size & 1) {
		vo.skb_cache = fk.other_cache;
		vo.fclone_cache = fk.cache;
	}
	/* Sizes 2, 3 mod 4: the 6.12 slab page type instead of PG_slab. */
	if (size & 2) {
		skb_layout_set_slab_type(&fk.L, 0xf5000000u);
		fk_page_set(&fk, 1, 48, 0xf5000000u);
		fk_page_set(&fk, 3, 48, 0xf5000000u);
	}
	if (size >= 1) {
		for (int p = 0; p < 8; p++)
			fk.missing[8 + p] = (data[0] >> p) & 1;
		i = 1;
	}
	for (; i + 3 <= size; i += 3) {
		uint32_t off = (uint32_t)(data[i] | data[i + 1] << 8);

		if (off < 0xc000)
			fk.phys[FK_PAGE + off % (sizeof(fk.phys) - FK_PAGE)] = data[i + 2];
		else
			fk.pages[off % sizeof(fk.pages)] = data[i + 2];
	}
	warnlist_init(&w);
	pb_gso_names(&g);
	if (skb_validate(&fk.m, &fk.L, &vo, fk_obj(0), &r, &err) == 0) {
		skb_rebuild(&fk.m, &fk.L, &vo, &r, &w, &err);
		if (r.pkt.bytes)
			proto_parse(r.pkt.bytes, r.pkt.len, r.pkt.from_mac ? PROTO_ETH : PROTO_KIND_MAX, &r.layers);
		memset(&in, 0, sizeof(in));
		in.f = &r.f;
		in.linear = r.linear;
		in.linear_len = r.linear_len;
		in.names = &g;
		in.max_frags = fk.L.max_frags;
		in.pkt = r.pkt.bytes ? &r.pkt : NULL;
		gso_check(&in, &fl);
		skb_record_release(&r);
	}
	warnlist_release(&w);
	return 0;
}
