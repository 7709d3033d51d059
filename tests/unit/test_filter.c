// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The packet filter (src/app/filter.c) over hand-made records: frag_list
 * members follow their parent, also a member that was found on its own
 * before the parent (a reassembled IPv4 datagram: the non-first fragments
 * have no UDP header, so only the parent matches 'udp port 6000').
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "pktbuild.h"

#include "skbfilter/app.h"
#include "skbfilter/skb.h"

#define ADDR(i) (0xffff888000200000ull + 0x100u * (unsigned)(i))

/* raw IPv4: first fragment (UDP header, dport) or a later one (offset, no UDP header) */
static void mk_ip(struct skb_record *r, uint64_t addr, bool first, uint16_t dport, int depth, uint64_t parent)
{
	uint8_t *p = calloc(1, 60);

	memset(r, 0, sizeof(*r));
	r->f.addr = addr;
	r->f.protocol = 0x0800;
	r->depth = depth;
	r->parent = parent;
	pb_ipv4(p, 17, 60, 7, PB_IP_A, PB_IP_B);
	if (first) {
		p[6] = 0x20;	/* MF */
		p[7] = 0;
		pb_udp(p + 20, 40000, dport, 40);
	} else {
		p[6] = 0x00;	/* fragment offset 1480 / 8 */
		p[7] = 185;
	}
	r->pkt.bytes = p;
	r->pkt.len = 60;
	r->pkt.l3_off = 0;
	r->pkt.complete = true;
	r->nplaces = 1;
	r->places[0].kind = depth ? PLACE_FRAG_LIST : PLACE_STACK;
	r->places[0].slot = depth ? parent : 0xffffc90000003d00ull;
}

/* 0: a member found on a stack first; 1: the parent; 2: a member found only through the frag_list;
 * 3: an unrelated datagram to another port */
static struct skb_scan *mk_scan(void)
{
	struct skb_scan *s = calloc(1, sizeof(*s));

	s->nrecords = 4;
	s->records = calloc(4, sizeof(*s->records));
	mk_ip(&s->records[0], ADDR(0), false, 0, 0, 0);
	mk_ip(&s->records[1], ADDR(1), true, 6000, 0, 0);
	mk_ip(&s->records[2], ADDR(2), false, 0, 1, ADDR(1));
	mk_ip(&s->records[3], ADDR(3), true, 7000, 0, 0);
	s->records[1].nfrag_list = 2;
	s->records[1].frag_list_members[0] = ADDR(2);
	s->records[1].frag_list_members[1] = ADDR(0);
	return s;
}

static bool kept(const struct skb_scan *s, uint64_t addr)
{
	for (int i = 0; i < s->nrecords; i++)
		if (s->records[i].f.addr == addr)
			return true;
	return false;
}

TEST(frag_list_members_follow_parent)
{
	struct skb_scan *s = mk_scan();
	struct sf_err e;

	ASSERT_EQ(app_filter_records("udp port 6000", s, &e), 0);
	ASSERT_EQ(s->nrecords, 3);
	ASSERT_TRUE(kept(s, ADDR(0)));	/* found on a stack too: still a member of a match */
	ASSERT_TRUE(kept(s, ADDR(1)));
	ASSERT_TRUE(kept(s, ADDR(2)));
	ASSERT_TRUE(!kept(s, ADDR(3)));
	skb_scan_destroy(s);
}

TEST(members_of_a_dropped_parent_go)
{
	struct skb_scan *s = mk_scan();
	struct sf_err e;

	ASSERT_EQ(app_filter_records("udp port 7000", s, &e), 0);
	ASSERT_EQ(s->nrecords, 1);
	ASSERT_TRUE(kept(s, ADDR(3)));
	skb_scan_destroy(s);
}

TEST(a_member_that_matches_on_its_own_stays)
{
	struct skb_scan *s = mk_scan();
	struct sf_err e;

	/* every fragment is IPv4 from 192.0.2.1; the parent matches too */
	ASSERT_EQ(app_filter_records("ip src 192.0.2.1 and not udp port 6000", s, &e), 0);
	ASSERT_TRUE(kept(s, ADDR(0)));	/* a later fragment: 'udp port' cannot see its ports */
	ASSERT_TRUE(kept(s, ADDR(3)));
	ASSERT_TRUE(!kept(s, ADDR(1)));
	ASSERT_TRUE(!kept(s, ADDR(2)));	/* only reached through the dropped parent */
	skb_scan_destroy(s);
}

TEST_MAIN()
