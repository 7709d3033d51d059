/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sk_buffs: finding them in a dump, validating them, rebuilding their
 * packets and checking their GSO/offload metadata (src/skb/).
 *
 *   find.c      candidates: panic stacks, prstatus registers, softnet_data
 *               queues, --skb; frag_list and fclone siblings
 *   validate.c  struct layouts from BTF (struct skb_layout), the slab check,
 *               reading an sk_buff into struct skb_fields
 *   rebuild.c   the packet bytes: linear part, page frags, frag_list
 *   proto.c     header parsers (Ethernet ... VXLAN/GENEVE/GRE), no memory access
 *   gso.c       SKB_GSO_* names from BTF and the finding rules, over plain structs
 *
 * Memory is reached only through struct skb_mem, so validation and rebuild
 * run over a fake in-memory kernel in the unit tests and fuzzers, and over
 * struct kmem in the tool (skb_mem_from_kmem).  Layouts come only from BTF
 * (skb_layout_load); the tests fill struct skb_layout by hand.
 */
#ifndef SKBFILTER_SKB_H
#define SKBFILTER_SKB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "skbfilter/dump.h"
#include "skbfilter/readrec.h"
#include "skbfilter/err.h"
#include "skbfilter/json.h"
#include "skbfilter/strbuf.h"
#include "skbfilter/warn.h"

struct kernel;
struct kmem;
struct ktypes;
struct panic_context;

/* An unset header offset (skb_mac_header_was_set() etc.: (typeof(offset))~0U). */
#define SKB_HDR_UNSET 0xffffu

/* ---------------------------------------------------------------- memory */

struct skb_mem {
	void *priv;
	/*
	 * Virtual read, recorded for mini.core with why (a tool's struct kmem:
	 * through kmem_as()); fails with -SF_ENODATA (excluded/missing page) or
	 * other codes.
	 */
	int (*read)(void *priv, uint64_t vaddr, void *buf, size_t len, enum read_reason why, const char *what,
		    struct sf_err *err);
	int (*vtop)(void *priv, uint64_t vaddr, uint64_t *paddr, struct sf_err *err);
	/* Direct-map address of a physical address. */
	int (*ptov)(void *priv, uint64_t paddr, uint64_t *vaddr, struct sf_err *err);
	/* Optional (NULL in tests): marks a pfn needed without reading it. */
	void (*record_pfn)(void *priv, uint64_t pfn, enum read_reason r);
	/* Optional: cheap plausibility of a kernel pointer (prefilter). */
	bool (*is_kernel_addr)(void *priv, uint64_t addr);
	bool big_endian;
	uint32_t page_size;
	uint64_t vmemmap_base;		/* virtual base of struct page[] */
};

/* Fills m with callbacks over k (kmem_read, kmem_vtop, ...). */
void skb_mem_from_kmem(struct skb_mem *m, struct kmem *k);
/* Target-endian integer reads through m->read. */
int skb_mem_read_u64(const struct skb_mem *m, uint64_t vaddr, uint64_t *ret, enum read_reason why, const char *what,
		     struct sf_err *err);
int skb_mem_read_u32(const struct skb_mem *m, uint64_t vaddr, uint32_t *ret, enum read_reason why, const char *what,
		     struct sf_err *err);

/* ---------------------------------------------------------------- layouts */

/* One field's place: byte offset/size, or a bitfield (bit_size != 0). */
struct skb_fld {
	bool ok;			/* the field exists in this kernel */
	uint32_t off;			/* byte offset (storage unit for bitfields) */
	uint32_t size;			/* byte size of the type */
	uint32_t bit_off;		/* bitfields: bit offset from the struct start */
	uint32_t bit_size;		/* bitfields: width; 0 otherwise */
	uint32_t nelems, elem_size;	/* arrays */
};

enum skb_frag_kind {
	SKB_FRAG_BIO_VEC = 0,		/* 5.4..6.6 bio_vec / 6.7 skb_frag {bv_page, bv_len, bv_offset} */
	SKB_FRAG_NETMEM,		/* 6.8+: skb_frag {netmem, len, offset}; netmem bit 0 = net_iov */
	SKB_FRAG_OLD,			/* before 5.4: skb_frag_struct {page.p, page_offset, size} */
};

enum skb_slab_mark {
	SLAB_MARK_NONE = 0,		/* unknown: no page is taken for a slab page */
	SLAB_MARK_FLAG,			/* PG_slab bit in page.flags (..6.9) */
	SLAB_MARK_TYPE_BITS,		/* page_type & (PAGE_TYPE_BASE | PG_slab) == PAGE_TYPE_BASE (6.10, 6.11) */
	SLAB_MARK_TYPE_BYTE,		/* page_type >> 24 == PGTY_slab (6.12+) */
};

struct skb_layout {
	uint32_t ptr_size;
	uint32_t skb_size;		/* sizeof(struct sk_buff) */
	/* struct sk_buff */
	struct skb_fld next, prev, dev, sk, tstamp, len, data_len, mac_len, hdr_len, queue_mapping,
		cloned, fclone, head_frag, pp_recycle, pkt_type, ip_summed, encapsulation, vlan_present,
		vlan_all, mono_delivery_time, tstamp_type, csum_start, csum_offset, skb_iif, hash,
		vlan_proto, vlan_tci, mark, inner_protocol, inner_transport_header, inner_network_header,
		inner_mac_header, protocol, transport_header, network_header, mac_header, tail, end, head,
		data, truesize, users;
	bool data_uses_offset;		/* tail/end are offsets from head (NET_SKBUFF_DATA_USES_OFFSET) */
	/* struct skb_shared_info */
	struct skb_fld sh_nr_frags, sh_tx_flags, sh_gso_size, sh_gso_segs, sh_gso_type, sh_frag_list,
		sh_dataref, sh_frags;
	uint32_t max_frags;		/* nelems of skb_shared_info.frags (MAX_SKB_FRAGS) */
	enum skb_frag_kind frag_kind;
	struct skb_fld fr_page, fr_len, fr_off;	/* within one frag element */
	uint32_t frag_size;
	/* struct net_device */
	struct skb_fld nd_name, nd_ifindex, nd_mtu, nd_features, nd_type;
	/* struct page / struct slab / struct kmem_cache */
	uint32_t page_struct_size;
	struct skb_fld pg_flags, pg_compound_head, slab_cache;
	struct skb_fld kc_name, kc_size, kc_object_size, kc_red_left_pad;
	struct skb_fld kc_offset, kc_random, kc_cpu_slab, slab_freelist, kcc_freelist, kcc_slab, slab_objects;
	struct skb_fld kc_refcount;	/* > 1: a merged cache (other caches alias it) */
	struct skb_fld kc_useroffset, kc_usersize, cb;	/* the usercopy region (sk_buff.cb for skbuff_cache) */
	struct skb_fld kc_align;
	uint32_t fclones_size;		/* sizeof(struct sk_buff_fclones), 0 if unknown */
	/*
	 * How a slab page is marked (see skb_page_is_slab): PG_slab in
	 * page.flags up to 6.9; from 6.10 a page type in page.page_type (the
	 * _mapcount word), whose value for slab VMCOREINFO gives as
	 * NUMBER(PAGE_SLAB_MAPCOUNT_VALUE): ~PG_slab (6.10, 6.11: one cleared
	 * bit under PAGE_TYPE_BASE) or PGTY_slab << 24 (6.12+: the top byte).
	 */
	enum skb_slab_mark slab_mark;
	int64_t pg_slab_bit;		/* SLAB_MARK_FLAG: PG_slab, -1 if unknown */
	uint32_t slab_type;		/* SLAB_MARK_TYPE_*: PAGE_SLAB_MAPCOUNT_VALUE */
	uint32_t page_type_base;	/* SLAB_MARK_TYPE_BITS: PAGE_TYPE_BASE */
	struct skb_fld pg_type;		/* page.page_type (or page._mapcount) */
	/* fclones */
	struct skb_fld fc_skb2, fc_ref;
	int64_t fclone_orig, fclone_clone;	/* SKB_FCLONE_ORIG / _CLONE, -1 if unknown */
	int64_t fclone_unavailable;	/* SKB_FCLONE_UNAVAILABLE (0 if BTF lacks it) */
	int64_t clock_monotonic;	/* SKB_CLOCK_MONOTONIC, tstamp_type's monotonic value (6.11+; 1 if unknown) */
	/* queues */
	struct skb_fld q_next, q_qlen;
	struct skb_fld sd_input_pkt_queue, sd_process_queue, sd_completion_queue;
	struct skb_fld nac_skb_count, nac_skb_cache;	/* napi_alloc_cache (freed sk_buffs kept for reuse) */
};

/*
 * Resolves every field by name from BTF; missing optional fields stay !ok.
 * The slab mark comes from BTF (PG_slab in enum pageflags, PGTY_slab, or
 * PG_slab in enum pagetype); skb_layout_set_slab_type() overrides it with
 * VMCOREINFO's NUMBER(PAGE_SLAB_MAPCOUNT_VALUE), the kernel's own word.
 */
int skb_layout_load(const struct ktypes *kt, struct skb_layout *ret, struct sf_err *err);
void skb_layout_set_slab_type(struct skb_layout *L, uint32_t page_slab_mapcount_value);
/* True if the struct page bytes pg[0..len) (a head page) say "slab". */
bool skb_page_is_slab(const struct skb_layout *L, const uint8_t *pg, size_t len, bool big_endian);
/* "PG_slab bit 7", "page_type top byte 0xf5", ... for messages. */
void skb_slab_mark_describe(const struct skb_layout *L, char *buf, size_t n);
/* Extracts an integer field (bitfields, sign not extended) from an object buffer. */
uint64_t skb_fld_get(const struct skb_fld *f, const uint8_t *buf, size_t buflen, bool big_endian);
/* The same for a __be16 field (protocol, vlan_proto): value in host order. */
uint16_t skb_fld_get_be16(const struct skb_fld *f, const uint8_t *buf, size_t buflen);

/* ---------------------------------------------------------------- GSO names */

#define GSO_MAX_NAMES 64

struct gso_names {
	int n;
	struct { char name[48]; uint64_t value; } e[GSO_MAX_NAMES];
};

/* From the kernel's own enum (ktypes_enum_foreach "SKB_GSO_"). */
int gso_names_load(const struct ktypes *kt, struct gso_names *ret, struct sf_err *err);
/* The mask of NAME ("SKB_GSO_UDP_TUNNEL"), 0 if this kernel has no such bit. */
uint64_t gso_bit(const struct gso_names *g, const char *name);
/* "SKB_GSO_TCPV4|SKB_GSO_DODGY|0x100000" into buf; returns the number of names. */
int gso_decode(const struct gso_names *g, uint64_t type, const char **names, int max, uint64_t *unknown);

/* ---------------------------------------------------------------- protocols */

enum proto_kind {
	PROTO_ETH = 0, PROTO_VLAN, PROTO_IPV4, PROTO_IPV6, PROTO_TCP, PROTO_UDP, PROTO_VXLAN,
	PROTO_GENEVE, PROTO_GRE, PROTO_ICMP, PROTO_ICMPV6, PROTO_KIND_MAX
};
const char *proto_kind_name(enum proto_kind k);

struct proto_layer {
	enum proto_kind kind;
	uint32_t off;			/* from the start of the parsed bytes */
	uint32_t hlen;			/* header length (0 if truncated before it could be known) */
	bool truncated;			/* the header runs past the bytes available */
	const char *encap;		/* IP in IP: "IPIP", "SIT", "IPv4-in-IPv6", "IPv6-in-IPv6"; else NULL */
	union {
		struct { uint8_t dst[6], src[6]; uint16_t type; } eth;
		struct { uint16_t tpid, tci, type; } vlan;
		struct { uint8_t ihl, tos, ttl, proto; uint16_t tot_len, id, frag_off, check; uint8_t src[4], dst[4]; bool csum_ok; } ip4;
		struct { uint8_t tclass, next, hop, upper; uint32_t flow; uint16_t plen; uint8_t src[16], dst[16]; } ip6;
		struct { uint16_t sport, dport, win, check, urg; uint32_t seq, ack; uint8_t doff, flags; } tcp;
		struct { uint16_t sport, dport, len, check; } udp;
		struct { uint8_t flags; uint32_t vni; } vxlan;
		struct { uint8_t ver, optlen; uint16_t type; uint32_t vni; bool oam, critical; } geneve;
		struct { uint16_t flags, type; uint32_t key, seq; bool has_csum, has_key, has_seq; } gre;
		struct { uint8_t type, code; } icmp;
	} u;
};

#define PROTO_MAX_LAYERS 16

struct proto_stack {
	int n;
	struct proto_layer l[PROTO_MAX_LAYERS];
	uint32_t payload_off;		/* where the parsed headers end */
	bool truncated;
	/* What stopped the parse: "end of headers", "unknown ethertype 0x88cc", ... */
	char stop[64];
};

/*
 * Parses headers layer by layer from p[0..len).  first: PROTO_ETH, PROTO_IPV4,
 * PROTO_IPV6 (or PROTO_KIND_MAX: guess IPv4/IPv6 from the version nibble).
 * TCP/UDP/ICMP payloads are never parsed as headers, whatever they look like;
 * UDP goes on only to VXLAN (4789, 8472) and GENEVE (6081).
 */
void proto_parse(const uint8_t *p, size_t len, enum proto_kind first, struct proto_stack *ret);
/* One line per layer: "IPv4 192.0.2.1 -> 192.0.2.2 proto 17 len 4296 id 0x0ed7 ttl 64". */
void proto_describe(const struct proto_layer *l, char *buf, size_t n);
void proto_json(struct json *j, const char *key, const struct proto_stack *ps);
/* Internet checksum (RFC 1071) over p, folded, not inverted. */
uint16_t proto_csum_add(uint32_t sum, const uint8_t *p, size_t len);

/* ---------------------------------------------------------------- an skb */

/* The metadata of one sk_buff (numbers as the kernel holds them; __be16 in host order). */
struct skb_fields {
	uint64_t addr;
	uint64_t next, prev, dev, sk, head, data, frag_list, shinfo;
	int64_t tstamp;
	uint32_t len, data_len, truesize, tail, end;	/* tail/end as offsets from head */
	uint16_t mac_len, hdr_len, queue_mapping;
	uint16_t mac_header, network_header, transport_header;
	uint16_t inner_mac_header, inner_network_header, inner_transport_header;
	uint16_t protocol, inner_protocol, csum_start, csum_offset, vlan_proto, vlan_tci;
	uint8_t cloned, fclone, head_frag, pp_recycle, pkt_type, ip_summed, encapsulation;
	uint8_t tstamp_mono;		/* mono_delivery_time (<= 6.10) or tstamp_type == MONO */
	bool vlan_present;		/* skb_vlan_tag_present() for this kernel */
	int32_t skb_iif;
	uint32_t hash, mark, users, dataref;
	/* skb_shared_info */
	uint8_t nr_frags, tx_flags;
	uint16_t gso_size, gso_segs;
	uint32_t gso_type;
};

#define SKB_MAX_FRAGS 64		/* more than any kernel's MAX_SKB_FRAGS (17 .. 45) */

struct skb_frag {
	uint64_t page;			/* struct page * as stored (netmem: with flag bits cleared) */
	uint64_t head_page;		/* compound head */
	uint64_t phys;			/* physical address of the first byte, 0 if unknown */
	uint64_t vaddr;			/* direct-map address of the first byte, 0 if unknown */
	uint32_t off, len;
	bool readable;			/* every byte was read */
};

struct skb_netdev {
	bool valid;
	char name[17];
	int32_t ifindex;
	uint32_t mtu;
	uint16_t type;			/* ARPHRD_* */
	uint64_t features;
};

enum skb_place_kind {
	PLACE_STACK = 0,		/* a word on a stack */
	PLACE_REGISTER,			/* a prstatus register */
	PLACE_SOFTNET,			/* a softnet_data queue */
	PLACE_CMDLINE,			/* --skb */
	PLACE_FRAG_LIST,		/* a member of another skb's frag_list */
	PLACE_FCLONE,			/* the fclone sibling of another skb */
	PLACE_SLAB,			/* --scan all: an object of an skbuff slab page (slot = struct page) */
};

struct skb_place {
	enum skb_place_kind kind;
	int cpu;			/* -1 if not per-CPU */
	int stack_kind;			/* enum stack_kind for PLACE_STACK */
	uint64_t slot;			/* stack slot / queue head / parent skb */
	char frame[160];		/* enclosing frame "fn+0xoff" for stacks, "" if unknown */
	char reg[16];			/* register name */
	char queue[32];			/* "input_pkt_queue", ... */
};
const char *skb_place_kind_name(enum skb_place_kind k);
/* "CPU 0 IRQ stack slot 0xffffc90000003d38 in nf_hook_slow+0x3c" etc. */
void skb_place_describe(const struct skb_place *p, char *buf, size_t n);

enum finding_severity { SEV_ERROR = 0, SEV_WARNING, SEV_INFO };
const char *finding_severity_name(enum finding_severity s);

#define SKB_MAX_FINDINGS 32

struct finding {
	const char *id;			/* stable rule id, e.g. "gso-tunnel-without-encapsulation" */
	enum finding_severity severity;
	char message[320];
};

struct finding_list {
	int n;
	struct finding f[SKB_MAX_FINDINGS];
};

void findings_add(struct finding_list *fl, const char *id, enum finding_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool findings_has(const struct finding_list *fl, const char *id);
int findings_count(const struct finding_list *fl, enum finding_severity sev);

#define SKB_MAX_MISSING 32

struct skb_range { uint32_t off, len; };	/* within the packet */

/* Where a run of packet bytes came from in kernel memory (for --scrub-payload). */
struct skb_seg { uint32_t off, len; uint64_t vaddr; };
#define SKB_MAX_SEGS 96

struct skb_packet {
	bool from_mac;			/* starts at the MAC header, else at the network header */
	bool from_data;			/* no header set (e.g. a socket write queue): skb->data, payload only, not in pcap */
	uint32_t start_off;		/* offset from head of the first byte */
	uint8_t *bytes;			/* owned; len bytes (missing ranges zero-filled, listed below) */
	uint32_t len;
	uint32_t crc32;
	bool complete;
	int nmissing;
	struct skb_range missing[SKB_MAX_MISSING];
	uint32_t missing_bytes;
	bool vlan_inserted;		/* the metadata VLAN tag was put into the frame */
	uint32_t linear_len;		/* bytes of the packet from the linear part (incl. inserted tag) */
	uint32_t l3_off;		/* offset of the network header within bytes, UINT32_MAX if none */
	bool scrubbed;			/* --scrub-payload zeroed bytes[scrubbed_from ..] (crc32 is of the bytes before) */
	uint32_t scrubbed_from;
	int nsegs;
	struct skb_seg segs[SKB_MAX_SEGS];
	bool segs_overflow;		/* more runs than segs[] holds */
};

#define SKB_MAX_PLACES 48

struct skb_record {
	struct skb_fields f;
	uint64_t parent;		/* frag_list parent, 0 for a top-level skb */
	int depth;			/* frag_list depth */
	int nplaces;
	int places_total;		/* places seen, including those beyond places[] */
	struct skb_place places[SKB_MAX_PLACES];
	struct skb_netdev dev;
	char cache[32];			/* kmem_cache name it lives in (shown only: merged caches carry
					 * another cache's name; identity is by pointer) */
	int nfrags;
	struct skb_frag frags[SKB_MAX_FRAGS];
	int nfrag_list;			/* frag_list members (each also a record of its own) */
	uint64_t frag_list_members[16];
	uint8_t *linear;		/* owned: head[0 .. tail) as read (headers), NULL if unreadable */
	uint32_t linear_len;
	struct skb_packet pkt;
	struct proto_stack layers;	/* parsed from pkt.bytes */
	struct finding_list findings;
	uint64_t wall_ns;		/* pcap timestamp (ns since the epoch) */
	const char *ts_source;		/* "skb->tstamp (realtime)", "skb->tstamp (monotonic + offs_real)", "crash time" */
};

void skb_record_release(struct skb_record *r);

/* ------------------------------------------------------------ validation */

/*
 * Reads and checks the sk_buff at addr: slab page whose slab_cache is one of
 * the kernel's skbuff caches (by pointer: skb_cache / fclone_cache), object
 * boundary (or the second skb of an fclone pair) with the fclone value that
 * position must have, head <= data <= tail <= end, len >= data_len,
 * nr_frags <= MAX_SKB_FRAGS, header offsets unset or inside the buffer, head
 * in the direct map, live refcounts.  On rejection returns
 * -SF_ECORRUPT/-SF_ENODATA/... with the reason in err.  skip_slab skips the
 * slab check (no vmemmap known); the tool warns when it sets it.
 */
struct skb_validate_opts {
	bool skip_slab;
	/*
	 * The kmem_caches the kernel's globals point to (skbuff_cache, called
	 * skbuff_head_cache in 6.1 and before, and skbuff_fclone_cache; members of
	 * net_hotdata since 6.9).  SLUB merges caches of one size and a merged
	 * cache keeps the first cache's name, so these pointers, not names,
	 * decide.  Both 0: unknown, and the caches' layouts are the fallback
	 * (skb_cache_kind; the tool says so in a note).
	 */
	uint64_t skb_cache, fclone_cache;
	/* __per_cpu_offset[] for the SLUB per-CPU freelists (free-object check); NULL skips those. */
	const uint64_t *percpu_offset;
	int nr_cpus;
	/*
	 * sk_buffs freed into a CPU's napi_alloc_cache.skb_cache[0..skb_count)
	 * (napi_skb_cache_put(), 5.12+; the bulk-free array of 4.5-5.11): free,
	 * though no SLUB freelist has them.  Sorted; NULL when unknown.
	 */
	const uint64_t *napi_cached;
	int n_napi_cached;
};
int skb_validate(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
		 uint64_t addr, struct skb_record *ret, struct sf_err *err);

enum skb_cache_kind { SKB_CACHE_NONE = 0, SKB_CACHE_SKB, SKB_CACHE_FCLONE };
/*
 * What the kmem_cache at cache holds: the pointers in vo when known; else
 * its layout, read from the cache itself -- skbuff_cache's object_size is
 * sizeof(struct sk_buff) with the usercopy region sk_buff.cb (which, with
 * CONFIG_HARDENED_USERCOPY, also keeps it from being merged), and
 * skbuff_fclone_cache's size is ALIGN(sizeof(struct sk_buff_fclones),
 * align) with no usercopy region -- which other caches of that size share,
 * so their objects meet every structural check, as in a merged cache.
 */
enum skb_cache_kind skb_cache_kind(const struct skb_mem *m, const struct skb_layout *L,
				   const struct skb_validate_opts *vo, uint64_t cache);

/* Reads the net_device (name, ifindex, mtu, type, features). */
int skb_read_netdev(const struct skb_mem *m, const struct skb_layout *L, uint64_t dev, struct skb_netdev *ret,
		    struct sf_err *err);

/* ------------------------------------------------------------ rebuild */

/*
 * Rebuilds the packet of a validated record: linear part from the MAC header
 * (when set and not past the network header) or the network header, then each
 * page frag, then the frag_list members in order (max_depth bounds nesting,
 * a visited set guards loops).  Pages missing from the dump leave listed holes
 * and complete = false; nothing is silently padded.  A metadata VLAN tag is
 * inserted when the packet starts at the MAC header.
 */
int skb_rebuild(const struct skb_mem *m, const struct skb_layout *L, const struct skb_validate_opts *vo,
		struct skb_record *r, struct warnlist *w, struct sf_err *err);
/* Address of the n-th frag_list member (following next pointers), for the walkers. */
int skb_frag_list_walk(const struct skb_mem *m, const struct skb_layout *L, uint64_t first, uint64_t *out, int max,
		       int *n, struct sf_err *err);

/* ------------------------------------------------------------ GSO rules */

struct gso_check_input {
	const struct skb_fields *f;
	const uint8_t *linear;		/* head[0 .. linear_len): the headers, indexed by header offsets */
	uint32_t linear_len;
	const struct gso_names *names;
	uint32_t max_frags;		/* MAX_SKB_FRAGS of this kernel, 0 if unknown */
	const struct skb_packet *pkt;	/* may be NULL */
	uint32_t frag_bytes;		/* sum of the frag lengths + frag_list lens (for data_len) */
	bool frag_bytes_known;
	uint16_t dev_type;		/* skb->dev's ARPHRD_* type, 0 if unknown */
};

/*
 * True when the skb has its network header set.  A socket's write-queue skb
 * has only payload: network_header 0 (never reset after alloc), mac and
 * transport unset.
 */
bool skb_headers_set(const struct skb_fields *f);

/* Runs every rule; appends findings (see docs/report-schema.md for the ids). */
void gso_check(const struct gso_check_input *in, struct finding_list *fl);

/* ------------------------------------------------------------ --segment */

struct skb_segment {
	uint8_t *bytes;			/* owned */
	uint32_t len;
};

/*
 * The segments software GSO would put on the wire for r's packet (TCP over
 * IPv4/IPv6, plain or tunnelled): per-segment lengths, IPv4 ids and header
 * checksums, TCP seq/flags/checksum, tunnel UDP length/checksum.  Returns -1
 * with the reason in why when it cannot (not GSO, not TCP, incomplete).
 */
int skb_segment_packet(const struct skb_record *r, const struct gso_names *g, struct skb_segment **ret, int *n,
		       char *why, size_t whylen);
void skb_segments_free(struct skb_segment *s, int n);

/* ------------------------------------------------------------ the whole job */

struct skb_scan_opts {
	bool all_cpus;
	bool scan_all;			/* --scan all: every object of every skbuff slab page */
	int threads;			/* --scan all: decompression threads (<= 1: none) */
	const uint64_t *extra;		/* --skb addresses */
	int nextra;
	int verbose;			/* keep rejected candidates */
	uint32_t max_records;		/* 0 = default 256 */
	/* --scan all: called now and then with pfns walked so far and max_pfn (may be NULL) */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
};

/* What --scan all read and how fast (skb_scan.scan_all). */
struct skb_scan_all_stats {
	bool ran;
	uint64_t pfns;			/* struct pages looked at */
	uint64_t vmemmap_pages;		/* dump pages of struct page read */
	uint64_t slab_pages;		/* skbuff slab pages walked (their objects read) */
	uint64_t bytes;			/* (vmemmap_pages + slab_pages) x page size */
	double seconds;			/* wall time of the walk */
};

struct skb_rejected {
	uint64_t addr;
	struct skb_place place;
	char reason[256];
};

struct skb_scan {
	struct skb_layout L;
	struct gso_names gso;
	struct gso_names features;	/* NETIF_F_* masks from enum netdev_features (..._BIT) */
	int nrecords;
	struct skb_record *records;	/* owned */
	int nrejected;			/* all rejected candidates */
	int nrejected_kept;
	struct skb_rejected *rejected;	/* the first ones (with -v) */
	struct skb_scan_all_stats scan_all;
	uint64_t candidates;		/* words looked at */
	uint64_t prefiltered;		/* words that passed the cheap filter */
	int64_t offs_real;		/* timekeeper offs_real (ns), valid if have_offs_real */
	bool have_offs_real;
};

/*
 * The main job's analysis: candidates from pc (panic CPU stacks, every CPU's
 * registers, with all_cpus every CPU's stacks), softnet_data queues, --skb;
 * validation, frag_list/fclone following, rebuild, parse, rules.
 */
int skb_scan_run(struct kernel *k, const struct panic_context *pc, const struct skb_scan_opts *o,
		 struct skb_scan **ret, struct warnlist *w, struct sf_err *err);
void skb_scan_destroy(struct skb_scan *s);

/* --scrub-payload: zeroes each packet's bytes beyond its parsed headers (all of a payload-only one). */
void skb_scrub_packets(struct skb_scan *s);
/* Physical ranges of payload bytes beyond the parsed headers (for --scrub-payload). */
int skb_scrub_ranges(const struct skb_mem *m, const struct skb_scan *s, struct phys_range **ret, size_t *n,
		     struct sf_err *err);

#endif
