// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Backtraces without debuginfo.
 *
 *  - ORC (x86_64, 4.14+): the kernel's own unwind tables, in the image
 *    (__start_orc_unwind_ip[] of self-relative s32 ips sorted ascending,
 *    __start_orc_unwind[] of 6-byte struct orc_entry in the same order) and,
 *    for modules, at module.arch.orc_unwind_ip/orc_unwind/num_orcs.  The
 *    step follows unwind_orc.c (6.1, with 6.3's signal bit); it crosses from
 *    the IRQ stack to the task stack by itself (call_on_stack() leaves
 *    ORC_REG_SP_INDIRECT).  Entry layouts and register numbering: unwind.h.
 *  - Frame records (arm64): x29 points at {previous x29, x30}; the chain
 *    runs across the IRQ stack into the task stack.
 *  - Scan (any arch, the fallback): every word from the stack pointer up
 *    that points into kernel text right after a call instruction.  Scan
 *    frames are never marked reliable.
 *
 * Struct layouts (orc_entry bitfields, pt_regs, module) come from BTF.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/ktypes_int.h"
#include "skbfilter/bytes.h"
#include "skbfilter/kernel.h"
#include "skbfilter/kmem.h"
#include "skbfilter/ktypes.h"
#include "skbfilter/symbols.h"
#include "skbfilter/vmcoreinfo.h"
#include "panic/unwind.h"

#define EM_X86_64 62
#define EM_AARCH64 183

/* A symbol farther than this below an address does not explain it. */
#define SYM_MAX_OFFSET 0x100000
#define MAX_MODULES 4096
#define MAX_ORC_ENTRIES (16u << 20)

/* ---------- symbols ---------- */

void unwind_symbolize(struct kernel *k, uint64_t addr, char *buf, size_t len)
{
	struct sym_hit h;

	buf[0] = 0;
	if (!kernel_symtab(k) || !symtab_resolve(kernel_symtab(k), addr, SYM_MAX_OFFSET, &h))
		return;
	if (h.module)
		snprintf(buf, len, "%s+0x%" PRIx64 " [%s]", h.name, h.offset, h.module);
	else
		snprintf(buf, len, "%s+0x%" PRIx64, h.name, h.offset);
}

bool unwind_is_text(struct kernel *k, uint64_t addr)
{
	uint64_t s, e;
	struct sym_hit h;

	if (!kernel_symtab(k))
		return false;
	symtab_text_bounds(kernel_symtab(k), &s, &e);
	if (s && addr >= s && addr < e)
		return true;
	if (symtab_resolve(kernel_symtab(k), addr, SYM_MAX_OFFSET, &h) && h.module && (h.type == 't' || h.type == 'T'))
		return true;
	return false;
}

/* ---------- the ORC step (pure: memory through ops) ---------- */

static uint64_t *orc_regp(struct orc_state *st, unsigned orc_reg, bool **have)
{
	int i;

	switch (orc_reg) {
	case ORC_REG_R10: i = ORC_R_R10; break;
	case ORC_REG_R13: i = ORC_R_R13; break;
	case ORC_REG_DI: i = ORC_R_DI; break;
	case ORC_REG_DX: i = ORC_R_DX; break;
	default: return NULL;
	}
	*have = &st->have[i];
	return &st->reg[i];
}

/* Loads the registers a later frame may base on from the pt_regs at addr. */
static void orc_load_regs(const struct orc_ops *ops, void *ctx, const struct orc_regs_layout *pr,
			  struct orc_state *st, uint64_t addr, bool full)
{
	const uint32_t offs[ORC_R_N] = { pr->bp, pr->r10, pr->r13, pr->di, pr->dx };

	for (int i = 0; i < ORC_R_N; i++) {
		/* a partial (iret) frame holds only ip..ss: nothing below ip is valid */
		st->have[i] = full && ops->read_u64(ctx, addr + offs[i], &st->reg[i]) == 0;
	}
}

enum orc_step_result orc_step(const struct orc_ops *ops, void *ctx, const struct orc_regs_layout *pr,
			      struct orc_state *st, uint64_t *slot, bool *fallback, const char **why)
{
	/* what the kernel uses when no entry covers ip: a frame-pointer frame (orc_fp_entry) */
	static const struct orc_entry_dec fp_entry = {
		.sp_offset = 16, .bp_offset = -16, .sp_reg = ORC_REG_BP, .bp_reg = ORC_REG_PREV_SP, .type = ORC_T_CALL,
	};
	struct orc_entry_dec e;
	uint64_t sp = 0, tmp, *rp;
	bool indirect = false, *hp;

	*fallback = false;
	*why = NULL;
	/* a return address points after the call; the call itself is at ip - 1 */
	if (!ops->find(ctx, st->signal ? st->ip : st->ip - 1, &e)) {
		e = fp_entry;
		*fallback = true;
	}
	if (e.type == ORC_T_END)
		return ORC_STEP_END;
	if (e.sp_reg == ORC_REG_UNDEFINED) {
		if (e.type == ORC_T_UNDEFINED) {
			*why = "ORC entry with undefined stack pointer";
			return ORC_STEP_ERROR;
		}
		return ORC_STEP_END;
	}
	switch (e.sp_reg) {
	case ORC_REG_SP:
		sp = st->sp + (uint64_t)(int64_t)e.sp_offset;
		break;
	case ORC_REG_BP:
		sp = st->bp + (uint64_t)(int64_t)e.sp_offset;
		break;
	case ORC_REG_SP_INDIRECT:
		sp = st->sp;
		indirect = true;
		break;
	case ORC_REG_BP_INDIRECT:
		sp = st->bp + (uint64_t)(int64_t)e.sp_offset;
		indirect = true;
		break;
	case ORC_REG_R10: case ORC_REG_R13: case ORC_REG_DI: case ORC_REG_DX:
		rp = orc_regp(st, e.sp_reg, &hp);
		if (!*hp) {
			*why = "ORC base register not saved in this frame";
			return ORC_STEP_ERROR;
		}
		sp = *rp;
		break;
	default:
		*why = "unknown ORC sp_reg";
		return ORC_STEP_ERROR;
	}
	if (indirect) {
		if (ops->read_u64(ctx, sp, &sp) != 0) {
			*why = "indirect stack pointer unreadable";
			return ORC_STEP_ERROR;
		}
		if (e.sp_reg == ORC_REG_SP_INDIRECT)
			sp += (uint64_t)(int64_t)e.sp_offset;
	}
	switch (e.type) {
	case ORC_T_CALL:
		*slot = sp - 8;
		if (ops->read_u64(ctx, sp - 8, &st->ip) != 0) {
			*why = "return address unreadable";
			return ORC_STEP_ERROR;
		}
		st->sp = sp;
		st->signal = e.signal;	/* 6.3+: the entry says; before, false for CALL */
		st->regs_addr = 0;
		for (int i = ORC_R_R10; i < ORC_R_N; i++)
			st->have[i] = false;
		break;
	case ORC_T_REGS:
		*slot = sp + pr->ip;
		if (ops->read_u64(ctx, sp + pr->ip, &st->ip) != 0 || ops->read_u64(ctx, sp + pr->sp, &tmp) != 0) {
			*why = "pt_regs unreadable";
			return ORC_STEP_ERROR;
		}
		st->sp = tmp;
		st->regs_addr = sp;
		st->full_regs = true;
		st->signal = true;
		orc_load_regs(ops, ctx, pr, st, sp, true);
		break;
	case ORC_T_REGS_PARTIAL:
		/* sp points at the iret frame, i.e. at pt_regs.ip */
		*slot = sp;
		if (ops->read_u64(ctx, sp, &st->ip) != 0 || ops->read_u64(ctx, sp + (pr->sp - pr->ip), &tmp) != 0) {
			*why = "iret frame unreadable";
			return ORC_STEP_ERROR;
		}
		st->sp = tmp;
		st->regs_addr = sp - pr->ip;
		st->full_regs = false;
		st->signal = true;
		for (int i = ORC_R_R10; i < ORC_R_N; i++)
			st->have[i] = false;
		break;
	default:
		*why = "unknown ORC frame type";
		return ORC_STEP_ERROR;
	}
	switch (e.bp_reg) {
	case ORC_REG_UNDEFINED:
		/* bp unchanged, unless a REGS frame just gave its saved value */
		if (e.type == ORC_T_REGS && st->have[ORC_R_BP])
			st->bp = st->reg[ORC_R_BP];
		break;
	case ORC_REG_PREV_SP:
		if (ops->read_u64(ctx, sp + (uint64_t)(int64_t)e.bp_offset, &st->bp) != 0) {
			*why = "saved frame pointer unreadable";
			return ORC_STEP_ERROR;
		}
		break;
	case ORC_REG_BP:
		if (ops->read_u64(ctx, st->bp + (uint64_t)(int64_t)e.bp_offset, &st->bp) != 0) {
			*why = "saved frame pointer unreadable";
			return ORC_STEP_ERROR;
		}
		break;
	default:
		*why = "unknown ORC bp_reg";
		return ORC_STEP_ERROR;
	}
	st->have[ORC_R_BP] = true;
	st->reg[ORC_R_BP] = st->bp;
	return ORC_STEP_OK;
}

/* ---------- struct orc_entry: layout (BTF) and register numbering (probe) ---------- */

void orc_layout_std_regs(struct orc_layout *l)
{
	for (unsigned i = 0; i < 16; i++)
		l->regmap[i] = i <= ORC_REG_SP_INDIRECT ? (uint8_t)i : ORC_REG_UNKNOWN;
}

static bool orc_get(const struct orc_layout *l, const struct kfield *f, const uint8_t *raw, uint64_t *v)
{
	return ktypes_extract(f, raw, ORC_ENTRY_SIZE, 0, l->big_endian, v) == 0;
}

/* The raw type value of a CALL frame in this layout. */
static unsigned orc_raw_call_type(const struct orc_layout *l)
{
	return l->has_end ? 0 : 2;
}

bool orc_decode(const struct orc_layout *l, const uint8_t raw[ORC_ENTRY_SIZE], struct orc_entry_dec *ret)
{
	uint64_t v, sr, br, type, end = 0, sig = 0;

	if (!orc_get(l, &l->sp_off, raw, &v))
		return false;
	ret->sp_offset = (int16_t)v;
	if (!orc_get(l, &l->bp_off, raw, &v))
		return false;
	ret->bp_offset = (int16_t)v;
	if (!orc_get(l, &l->sp_reg, raw, &sr) || !orc_get(l, &l->bp_reg, raw, &br) || !orc_get(l, &l->type, raw, &type) ||
	    (l->has_end && !orc_get(l, &l->end, raw, &end)) || (l->has_signal && !orc_get(l, &l->signal, raw, &sig)))
		return false;
	ret->sp_reg = l->regmap[sr & 15];
	ret->bp_reg = l->regmap[br & 15];
	if (l->has_end) {
		/* before 6.4: CALL 0, REGS 1, REGS_PARTIAL 2; end-of-stack is sp_reg UNDEFINED with "end" */
		ret->type = type == 0 ? ORC_T_CALL : type == 1 ? ORC_T_REGS : type == 2 ? ORC_T_REGS_PARTIAL
									  : ORC_T_UNDEFINED;
		if (ret->sp_reg == ORC_REG_UNDEFINED)
			ret->type = end ? ORC_T_END : ORC_T_UNDEFINED;
	} else {
		/* 6.4+: UNDEFINED 0, END_OF_STACK 1, CALL 2, REGS 3, REGS_PARTIAL 4 */
		static const enum orc_type map[] = { ORC_T_UNDEFINED, ORC_T_END, ORC_T_CALL, ORC_T_REGS,
						     ORC_T_REGS_PARTIAL };
		ret->type = type < 5 ? map[type] : ORC_T_UNDEFINED;
	}
	/* before 6.3 (no "signal" bit) the kernel took REGS frames' ip as exact, CALL frames' as a return address */
	ret->signal = l->has_signal ? sig != 0 : (ret->type == ORC_T_REGS || ret->type == ORC_T_REGS_PARTIAL);
	return true;
}

#define ORC_PROBE_MIN_CALLS 64

static unsigned orc_argmax(const uint32_t cnt[16], uint32_t *best)
{
	unsigned r = 0;

	*best = 0;
	for (unsigned i = 1; i < 16; i++)	/* never 0: UNDEFINED is 0 in every numbering */
		if (cnt[i] > *best) {
			*best = cnt[i];
			r = i;
		}
	return r;
}

int orc_probe_regs(struct orc_layout *l, const uint8_t *raw, size_t n, char *why, size_t whylen)
{
	uint32_t sp_cnt[16] = { 0 }, prev_cnt[16] = { 0 }, bp_cnt[16] = { 0 }, ncall = 0, best;
	unsigned call = orc_raw_call_type(l), rs, rp = ORC_REG_PREV_SP, rb;
	const unsigned logical[3] = { ORC_REG_SP, ORC_REG_PREV_SP, ORC_REG_BP };
	unsigned rawc[3];
	uint8_t m[16];

	orc_layout_std_regs(l);
	if (why && whylen)
		why[0] = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t t, sr;

		if (orc_get(l, &l->type, raw + i * ORC_ENTRY_SIZE, &t) && t == call &&
		    orc_get(l, &l->sp_reg, raw + i * ORC_ENTRY_SIZE, &sr) && sr) {
			sp_cnt[sr & 15]++;
			ncall++;
		}
	}
	rs = orc_argmax(sp_cnt, &best);
	if (ncall < ORC_PROBE_MIN_CALLS || best * 2 < ncall)
		return -1;
	/* PREV_SP: where SP-based CALL frames find the saved bp; BP: the base of frame-pointer prologues */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const uint8_t *e = raw + i * ORC_ENTRY_SIZE;
			uint64_t t, sr, br, so, bo;

			if (!orc_get(l, &l->type, e, &t) || t != call || !orc_get(l, &l->sp_reg, e, &sr) ||
			    !orc_get(l, &l->bp_reg, e, &br) || !orc_get(l, &l->sp_off, e, &so) ||
			    !orc_get(l, &l->bp_off, e, &bo) || !br)
				continue;
			if (pass == 0 && sr == rs)
				prev_cnt[br & 15]++;
			else if (pass == 1 && sr && sr != rs && br == rp && (int16_t)so == 16 && (int16_t)bo == -16)
				bp_cnt[sr & 15]++;
		}
		if (pass == 0) {
			rp = orc_argmax(prev_cnt, &best);
			if (!best)
				rp = ORC_REG_PREV_SP;	/* no SP frame saves bp in the sample: keep the old code */
		}
	}
	rb = orc_argmax(bp_cnt, &best);
	if (!best)
		rb = ORC_REG_BP;
	if (rs == ORC_REG_SP && rp == ORC_REG_PREV_SP && rb == ORC_REG_BP)
		return 0;
	if (rs == rp || rs == rb || rp == rb)
		return -1;
	/* a code that meant SP/PREV_SP/BP before and is none of them now: unknown */
	rawc[0] = rs;
	rawc[1] = rp;
	rawc[2] = rb;
	memcpy(m, l->regmap, sizeof(m));
	for (int i = 0; i < 3; i++)
		if (logical[i] != rawc[0] && logical[i] != rawc[1] && logical[i] != rawc[2])
			m[logical[i]] = ORC_REG_UNKNOWN;
	for (int i = 0; i < 3; i++)
		m[rawc[i]] = (uint8_t)logical[i];
	memcpy(l->regmap, m, sizeof(m));
	if (why && whylen)
		snprintf(why, whylen, "ORC register numbering differs from 4.14-6.x: SP is %u, PREV_SP %u, BP %u "
			 "(from %" PRIu32 " CALL entries); codes it cannot place are taken as unknown", rs, rp, rb, ncall);
	return 1;
}

/* ---------- modules (text ranges and ORC tables) ---------- */

struct mod_range {
	uint64_t base, size;
	uint64_t orc_ip, orc;		/* module.arch tables (x86_64) */
	uint32_t num_orcs;
};

struct unwinder {
	struct kernel *k;
	struct kmem *mem;		/* the stacks' view (READ_STACK); tables and code through kmem_as(mem, READ_UNWIND) */
	struct cpu_context *cc;
	struct warnlist *w;
	/* vmlinux ORC */
	bool have_orc;
	uint64_t orc_ip_start, orc_start;
	uint64_t norc;
	uint64_t text_start, text_end;
	uint64_t inittext_start, inittext_end;	/* .init.text: freed after boot, still in the ORC table */
	uint64_t pac;			/* arm64: PAC bits of signed return addresses (0: none) */
	struct orc_layout lay;
	struct orc_regs_layout pr;
	/* modules, loaded on first use */
	bool mods_loaded;
	struct mod_range *mods;
	int nmods;
};

static int uw_read_u64(void *ctx, uint64_t addr, uint64_t *ret)
{
	struct unwinder *u = ctx;
	struct sf_err e;

	return kmem_read_u64(u->mem, addr, ret, "stack", &e);
}

/* Walks the modules list once; text ranges and ORC tables of each. */
static void uw_load_modules(struct unwinder *u)
{
	struct kernel *k = u->k;
	struct ktypes *kt = kernel_types(k);
	struct sf_err e = { 0 };
	uint64_t head, pos, off_list, off_base, off_size;
	int64_t o;
	bool mem_layout;
	struct kmem *as_unwind = kmem_as(u->mem, READ_UNWIND);	/* the module list */

	u->mods_loaded = true;
	if (!kt || kernel_symbol(k, "modules", &head, &e) != 0)
		return;
	o = ktypes_offsetof(kt, "module.list", &e);
	if (o < 0)
		return;
	off_list = (uint64_t)o;
	/* 6.4 replaced core_layout with mem[MOD_MEM_TYPES]; MOD_TEXT is mem[0] there */
	mem_layout = !ktypes_has_field(kt, "module.core_layout");
	if (mem_layout) {
		struct kfield fm;
		int64_t b, s, idx = 0;

		if (ktypes_field(kt, "module.mem", &fm, &e) != 0)
			return;
		ktypes_enum_value(kt, "MOD_TEXT", &idx, SF_NOERR);
		b = ktypes_offsetof(kt, "module_memory.base", &e);
		s = ktypes_offsetof(kt, "module_memory.size", &e);
		if (b < 0 || s < 0)
			return;
		off_base = fm.offset + (uint64_t)idx * fm.elem_size + (uint64_t)b;
		off_size = fm.offset + (uint64_t)idx * fm.elem_size + (uint64_t)s;
	} else {
		int64_t b = ktypes_offsetof(kt, "module.core_layout.base", &e);
		int64_t s = ktypes_offsetof(kt, "module.core_layout.text_size", &e);

		if (b < 0 || s < 0)
			return;
		off_base = (uint64_t)b;
		off_size = (uint64_t)s;
	}
	int64_t o_num = ktypes_offsetof(kt, "module.arch.num_orcs", SF_NOERR);
	int64_t o_oip = ktypes_offsetof(kt, "module.arch.orc_unwind_ip", SF_NOERR);
	int64_t o_orc = ktypes_offsetof(kt, "module.arch.orc_unwind", SF_NOERR);

	if (kmem_read_u64(as_unwind, head, &pos, "modules.next", &e) != 0)
		return;
	while (pos != head && u->nmods < MAX_MODULES) {
		uint64_t mod = pos - off_list, base = 0, size = 0, v;
		struct mod_range *mr, *nm;

		if (kmem_read_u64(as_unwind, mod + off_base, &base, "module text base", &e) != 0 ||
		    kmem_read_u64(as_unwind, mod + off_size, &v, "module text size", &e) != 0)
			break;
		size = v & 0xffffffffu;	/* text_size/size are unsigned int */
		nm = realloc(u->mods, (size_t)(u->nmods + 1) * sizeof(*u->mods));
		if (!nm)
			break;
		u->mods = nm;
		mr = &u->mods[u->nmods++];
		memset(mr, 0, sizeof(*mr));
		mr->base = base;
		mr->size = size;
		if (o_num >= 0 && o_oip >= 0 && o_orc >= 0) {
			uint32_t n = 0;

			if (kmem_read_u32(as_unwind, mod + (uint64_t)o_num, &n, "module.arch.num_orcs", &e) == 0 &&
			    n < MAX_ORC_ENTRIES &&
			    kmem_read_u64(as_unwind, mod + (uint64_t)o_oip, &mr->orc_ip, "module.arch.orc_unwind_ip", &e) == 0 &&
			    kmem_read_u64(as_unwind, mod + (uint64_t)o_orc, &mr->orc, "module.arch.orc_unwind", &e) == 0)
				mr->num_orcs = n;
		}
		if (kmem_read_u64(as_unwind, pos, &pos, "module.list.next", &e) != 0)
			break;
	}
}

static const struct mod_range *uw_module_of(struct unwinder *u, uint64_t ip)
{
	if (!u->mods_loaded)
		uw_load_modules(u);
	for (int i = 0; i < u->nmods; i++)
		if (ip >= u->mods[i].base && ip - u->mods[i].base < u->mods[i].size)
			return &u->mods[i];
	return NULL;
}

static bool uw_after_call(struct unwinder *u, uint64_t addr);

/*
 * Kernel text, or module text from the modules list (works before module
 * symbols are known).  A kernel address right after a call instruction that
 * is in no known text is likely a module's while the module list is still
 * unknown: look for the list from there, then ask again.
 */
static bool uw_is_text(struct unwinder *u, uint64_t addr)
{
	if (unwind_is_text(u->k, addr) || uw_module_of(u, addr) != NULL)
		return true;
	if (!kernel_modules_unknown(u->k) || !kernel_arch(u->k)->is_kernel_addr(kmem_arch_env(u->mem), addr) ||
	    !uw_after_call(u, addr) || kernel_load_modules_near(u->k, addr, SF_NOERR) != 0)
		return false;
	free(u->mods);
	u->mods = NULL;
	u->nmods = 0;
	u->mods_loaded = false;
	return unwind_is_text(u->k, addr) || uw_module_of(u, addr) != NULL;
}

/*
 * .init.text (_sinittext.._einittext) is freed after boot, but the boot
 * CPU's idle task still returns through it (rest_init <- arch_call_rest_init
 * <- start_kernel): an ip that an unwinder computed (ORC, which still covers
 * it: orc_find()'s is_kernel_inittext() path, arch/x86/kernel/unwind_orc.c;
 * an arm64 frame record) is taken there.  The scanner never trusts freed init
 * pages (it would read the bytes before the address).
 */
static bool uw_in_inittext(const struct unwinder *u, uint64_t ip)
{
	return ip >= u->inittext_start && ip < u->inittext_end;
}

/*
 * A return address right after a call that ends its function (a noreturn
 * callee: arch_call_rest_init's rest_init(), a final panic()) is the next
 * function's first byte: name it by addr - 1, as the kernel's %pB does
 * (sprint_backtrace()), so "arch_call_rest_init+0xc", not "next_fn+0x0".
 */
static void uw_symbolize_return(struct kernel *k, uint64_t addr, bool is_return, char *buf, size_t len)
{
	struct sym_hit h;

	if (is_return && addr && kernel_symtab(k) && symtab_resolve(kernel_symtab(k), addr, SYM_MAX_OFFSET, &h) &&
	    h.offset == 0 && symtab_resolve(kernel_symtab(k), addr - 1, SYM_MAX_OFFSET, &h)) {
		if (h.module)
			snprintf(buf, len, "%s+0x%" PRIx64 " [%s]", h.name, h.offset + 1, h.module);
		else
			snprintf(buf, len, "%s+0x%" PRIx64, h.name, h.offset + 1);
		return;
	}
	unwind_symbolize(k, addr, buf, len);
}

/* ---------- ORC tables in memory ---------- */

static bool uw_orc_decode(struct unwinder *u, uint64_t addr, struct orc_entry_dec *ret)
{
	struct sf_err e;
	uint8_t b[ORC_ENTRY_SIZE];

	if (kmem_read(kmem_as(u->mem, READ_UNWIND), addr, b, sizeof(b), "orc_entry", &e) != 0)
		return false;
	return orc_decode(&u->lay, b, ret);
}

/* Last entry whose ip <= ip in a sorted table of self-relative s32 ips. */
static bool uw_orc_search(struct unwinder *u, uint64_t tab_ip, uint64_t tab_orc, uint64_t n, uint64_t ip,
			  struct orc_entry_dec *ret)
{
	struct kmem *km = kmem_as(u->mem, READ_UNWIND);
	struct sf_err e;
	uint64_t lo = 0, hi = n, found = UINT64_MAX;
	uint32_t raw;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2, a = tab_ip + 4 * mid, eip;

		if (kmem_read_u32(km, a, &raw, "orc_unwind_ip", &e) != 0)
			return false;
		eip = a + (uint64_t)(int64_t)(int32_t)raw;
		if (eip <= ip) {
			found = mid;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	if (found == UINT64_MAX)
		return false;
	return uw_orc_decode(u, tab_orc + 6 * found, ret);
}

static bool uw_orc_find(void *ctx, uint64_t ip, struct orc_entry_dec *ret)
{
	struct unwinder *u = ctx;
	const struct mod_range *m;
	bool ok = false;

	if (ip >= u->text_start && ip < u->text_end) {
		ok = uw_orc_search(u, u->orc_ip_start, u->orc_start, u->norc, ip, ret);
	} else {
		m = uw_module_of(u, ip);
		if (m && m->num_orcs)
			ok = uw_orc_search(u, m->orc_ip, m->orc, m->num_orcs, ip, ret);
	}
	return ok;
}

/*
 * The register numbering is not in BTF (orc_types.h #defines): check it on a
 * window of the kernel's own table (a few pages from its middle, where C
 * functions dominate) and map it if it differs.
 */
#define ORC_PROBE_ENTRIES 4096

static void uw_orc_probe(struct unwinder *u)
{
	uint64_t n = u->norc < ORC_PROBE_ENTRIES ? u->norc : ORC_PROBE_ENTRIES;
	uint64_t first = (u->norc - n) / 2;
	uint8_t *buf;
	struct sf_err e;
	char why[200];
	struct kmem *as_unwind = kmem_as(u->mem, READ_UNWIND);

	orc_layout_std_regs(&u->lay);
	buf = malloc((size_t)n * ORC_ENTRY_SIZE);
	if (!buf)
		return;
	if (kmem_read(as_unwind, u->orc_start + first * ORC_ENTRY_SIZE, buf, (size_t)n * ORC_ENTRY_SIZE, "orc_entry",
		      &e) == 0 &&
	    orc_probe_regs(&u->lay, buf, (size_t)n, why, sizeof(why)) == 1) {
		bool seen = false;	/* each CPU's unwind probes again: one note */

		for (size_t i = 0; i < u->w->notes_kept && !seen; i++)
			seen = !strcmp(u->w->notes[i], why);
		if (!seen)
			warn_note(u->w, "%s", why);
	}
	free(buf);
}

static bool uw_orc_init(struct unwinder *u)
{
	struct kernel *k = u->k;
	struct ktypes *kt = kernel_types(k);
	uint64_t stop_ip, a;
	int64_t o;
	struct sf_err e = { 0 };

	if (!kt || !kernel_symtab(k))
		return false;
	if (kernel_symbol(k, "__start_orc_unwind_ip", &u->orc_ip_start, &e) ||
	    kernel_symbol(k, "__stop_orc_unwind_ip", &stop_ip, &e) ||
	    kernel_symbol(k, "__start_orc_unwind", &u->orc_start, &e))
		return false;
	if (stop_ip <= u->orc_ip_start || (stop_ip - u->orc_ip_start) / 4 > MAX_ORC_ENTRIES) {
		warn_add(u->w, "ORC table 0x%" PRIx64 "..0x%" PRIx64 " implausible; not used", u->orc_ip_start, stop_ip);
		return false;
	}
	u->norc = (stop_ip - u->orc_ip_start) / 4;
	if (ktypes_field(kt, "orc_entry.sp_offset", &u->lay.sp_off, &e) ||
	    ktypes_field(kt, "orc_entry.bp_offset", &u->lay.bp_off, &e) ||
	    ktypes_field(kt, "orc_entry.sp_reg", &u->lay.sp_reg, &e) ||
	    ktypes_field(kt, "orc_entry.bp_reg", &u->lay.bp_reg, &e) ||
	    ktypes_field(kt, "orc_entry.type", &u->lay.type, &e)) {
		warn_add(u->w, "ORC tables present but BTF lacks struct orc_entry (%s); not used", e.msg);
		return false;
	}
	/* "end" until 6.3, "signal" from 6.3: the type numbering follows "end" (see unwind.h) */
	u->lay.has_end = ktypes_field(kt, "orc_entry.end", &u->lay.end, SF_NOERR) == 0;
	u->lay.has_signal = ktypes_field(kt, "orc_entry.signal", &u->lay.signal, SF_NOERR) == 0;
	u->lay.big_endian = kmem_big_endian(kernel_kmem(k));
	uw_orc_probe(u);
	struct { const char *path; uint32_t *dst; } regs[] = {
		{ "pt_regs.ip", &u->pr.ip }, { "pt_regs.sp", &u->pr.sp }, { "pt_regs.bp", &u->pr.bp },
		{ "pt_regs.r10", &u->pr.r10 }, { "pt_regs.r13", &u->pr.r13 }, { "pt_regs.di", &u->pr.di },
		{ "pt_regs.dx", &u->pr.dx },
	};
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		o = ktypes_offsetof(kt, regs[i].path, &e);
		if (o < 0) {
			warn_add(u->w, "ORC: %s; not used", e.msg);
			return false;
		}
		*regs[i].dst = (uint32_t)o;
	}
	/* the vmlinux table covers the core kernel text; modules have their own */
	symtab_text_bounds(kernel_symtab(k), &u->text_start, &u->text_end);
	if (kernel_symbol(k, "_einittext", &a, SF_NOERR) == 0 && a > u->text_end)
		u->text_end = a;
	if (!u->text_start)
		return false;
	return true;
}

/* ---------- helpers over the CPU's stacks ---------- */

static const struct stack_region *uw_region_of(const struct cpu_context *cc, uint64_t addr)
{
	for (int i = 0; i < cc->nstacks; i++)
		if (addr >= cc->stacks[i].base && addr < cc->stacks[i].top)
			return &cc->stacks[i];
	return NULL;
}

static int uw_add_frame(struct unwinder *u, uint64_t slot, uint64_t addr, uint64_t sp, bool reliable)
{
	struct cpu_context *cc = u->cc;
	const struct stack_region *r;
	struct frame *f;

	if (cc->nframes >= PANIC_MAX_FRAMES)
		return -1;
	f = &cc->frames[cc->nframes++];
	memset(f, 0, sizeof(*f));
	f->slot = slot;
	f->addr = addr;
	f->sp = sp;
	f->reliable = reliable;
	r = uw_region_of(cc, slot ? slot : sp);
	f->stack = r ? r->kind : STACK_UNKNOWN;
	uw_symbolize_return(u->k, addr, slot != 0, f->symbol, sizeof(f->symbol));
	return 0;
}

static int prstatus_reg(const struct prstatus *p, const char *a, const char *b, uint64_t *ret)
{
	if (!p->names)
		return -1;
	for (int i = 0; i < p->nregs && i < ARCH_MAX_REGS; i++) {
		if (!p->names[i])
			continue;
		if (!strcasecmp(p->names[i], a) || (b && !strcasecmp(p->names[i], b))) {
			*ret = p->regs[i];
			return 0;
		}
	}
	return -1;
}

/* True if the bytes before addr end in a call instruction (x86_64 or arm64). */
static bool uw_after_call(struct unwinder *u, uint64_t addr)
{
	struct kmem *as_unwind = kmem_as(u->mem, READ_UNWIND);	/* code bytes */
	uint16_t em = kernel_arch(u->k)->e_machine;
	struct sf_err e;
	uint8_t b[8];
	bool ok = false;

	if (em == EM_X86_64) {
		if (kmem_read(as_unwind, addr - 7, b, 7, "code", &e) == 0) {
			/* b[2] = addr-5 ... b[6] = addr-1 */
			if (b[2] == 0xe8)					/* call rel32 */
				ok = true;
			else if (b[5] == 0xff && (b[6] & 0x38) == 0x10)		/* call *%reg / *(%reg) */
				ok = true;
			else if (b[4] == 0xff && (b[5] & 0x38) == 0x10)		/* call *disp8(%reg), REX forms */
				ok = true;
			else if (b[1] == 0xff && (b[2] & 0x38) == 0x10)		/* call *disp32(%rip) */
				ok = true;
			else if (b[0] == 0xff && (b[1] & 0x38) == 0x10)		/* call *disp32(%reg,...) */
				ok = true;
		}
	} else if (em == EM_AARCH64) {
		if (kmem_read(as_unwind, addr - 4, b, 4, "code", &e) == 0) {
			uint32_t insn = ld32(b, kmem_big_endian(as_unwind));

			ok = (insn & 0xfc000000u) == 0x94000000u ||		/* bl */
			     (insn & 0xfffffc1fu) == 0xd63f0000u ||		/* blr */
			     (insn & 0xfffff800u) == 0xd63f0800u;		/* blraa/blrab family */
		}
	} else {
		ok = true;
	}
	return ok;
}

/*
 * Scan from sp to the top of its stack; on x86_64 the IRQ stack's top word
 * holds the interrupted stack pointer (call_on_stack(), 5.12+; the -8 slot
 * hardirq_stack_ptr points at), so the scan continues there.
 */
static void uw_scan(struct unwinder *u, uint64_t sp)
{
	struct cpu_context *cc = u->cc;
	struct kmem *km = u->mem;
	const struct stack_region *r = uw_region_of(cc, sp);
	struct sf_err e;
	int hops = 0;

	sp &= ~7ull;
	while (r && hops++ < PANIC_MAX_STACKS) {
		uint64_t a, v, next_sp = 0;

		for (a = sp; a + 8 <= r->top && cc->nframes < PANIC_MAX_FRAMES; a += 8) {
			if (kmem_read_u64(km, a, &v, "stack word", &e) != 0) {
				a = (a | (kmem_page_size(km) - 1)) - 7;	/* skip the unreadable page */
				continue;
			}
			v = unwind_arm64_strip_pac(v, u->pac);	/* a signed LR left on the stack */
			if (!uw_is_text(u, v) || !uw_after_call(u, v))
				continue;
			uw_add_frame(u, a, v, 0, false);
		}
		if (r->kind != STACK_IRQ || kernel_arch(u->k)->e_machine != EM_X86_64)
			break;
		if (kmem_read_u64(km, r->top - 8, &next_sp, "IRQ stack link", &e) != 0)
			break;
		r = uw_region_of(cc, next_sp);
		if (!r || r->kind == STACK_IRQ)
			break;
		sp = next_sp & ~7ull;
	}
}

/* Stack blocks may be guessed only when per-CPU data gave no IRQ stack (so nothing is known). */
static bool uw_may_guess_stacks(const struct cpu_context *cc)
{
	for (int i = 0; i < cc->nstacks; i++)
		if (cc->stacks[i].kind == STACK_IRQ || cc->stacks[i].kind == STACK_TASK)
			return false;
	return true;
}

/* The region holding addr, adding the THREAD_SIZE block around it when stacks may be guessed. */
static const struct stack_region *uw_region_or_guess(struct unwinder *u, uint64_t addr)
{
	struct cpu_context *cc = u->cc;
	const struct stack_region *r = uw_region_of(cc, addr);
	uint64_t ts;

	if (r || !uw_may_guess_stacks(cc) || cc->nstacks >= PANIC_MAX_STACKS ||
	    !kernel_arch(u->k)->is_kernel_addr(kmem_arch_env(u->mem), addr))
		return r;
	ts = kernel_thread_size(u->k);
	cc->stacks[cc->nstacks++] = (struct stack_region){ STACK_UNKNOWN, addr & ~(ts - 1), (addr & ~(ts - 1)) + ts };
	return uw_region_of(cc, addr);
}

/* ---------- x86_64 ORC ---------- */

enum { STEP_NEXT, STEP_DONE, STEP_BAD };

/*
 * One ORC step plus the sanity checks of unwind_orc.c: the new ip must be
 * text, and the stack pointer must move up within a stack or land on another
 * known stack.  A REGS frame from user mode (syscall entry) ends the walk.
 */
static int uw_orc_next(struct unwinder *u, const struct orc_ops *ops, struct orc_state *st, uint64_t *slot,
		       bool *fallback, const char **why)
{
	struct cpu_context *cc = u->cc;
	const struct stack_region *pr = uw_region_of(cc, st->sp), *r;
	uint64_t prev_sp = st->sp;
	enum orc_step_result res;

	res = orc_step(ops, u, &u->pr, st, slot, fallback, why);
	if (res == ORC_STEP_END)
		return STEP_DONE;
	if (res == ORC_STEP_ERROR)
		return STEP_BAD;
	if (st->signal && !kernel_arch(u->k)->is_kernel_addr(kmem_arch_env(u->mem), st->ip))
		return STEP_DONE;
	/* .init.text too: the boot CPU's idle task returns through it (uw_in_inittext) */
	if (!uw_is_text(u, st->ip) && !uw_in_inittext(u, st->ip)) {
		*why = "unwound to an address outside kernel text";
		return STEP_BAD;
	}
	r = uw_region_or_guess(u, st->sp);
	if (!r) {
		*why = "stack pointer left the known stacks";
		return STEP_BAD;
	}
	if (r == pr && st->sp <= prev_sp) {
		*why = "stack pointer did not move up";
		return STEP_BAD;
	}
	return STEP_NEXT;
}

/*
 * Where ORC has no answer (code objtool skipped: kexec_core.o in 6.1 has no
 * ORC entries, so the kdump registers saved in __crash_kexec() cannot be
 * unwound), look up the stack for a return address from which ORC unwinds
 * cleanly for a few frames, and go on from there.  The frame found this way
 * is a guess (not reliable); the ones after it are unwound.
 */
#define RESYNC_CHECK_STEPS 3
#define RESYNC_BP_WINDOW 1024

/* True if ORC unwinds cleanly for a few frames from ip at sp with this bp. */
static bool uw_resync_try(struct unwinder *u, const struct orc_ops *ops, uint64_t ip, uint64_t sp, uint64_t bp)
{
	struct orc_state t;
	int res = STEP_NEXT;

	memset(&t, 0, sizeof(t));
	t.ip = ip;
	t.sp = sp;
	t.bp = bp;
	t.have[ORC_R_BP] = true;
	t.reg[ORC_R_BP] = bp;
	for (int i = 0; i < RESYNC_CHECK_STEPS && res == STEP_NEXT; i++) {
		uint64_t sl;
		bool fb;
		const char *why;

		res = uw_orc_next(u, ops, &t, &sl, &fb, &why);
		if (res == STEP_NEXT && fb)
			res = STEP_BAD;	/* resync only onto real ORC data */
	}
	return res != STEP_BAD;
}

static bool uw_resync(struct unwinder *u, const struct orc_ops *ops, struct orc_state *st, uint64_t *slot_ret)
{
	struct cpu_context *cc = u->cc;
	struct kmem *km = u->mem;
	const struct stack_region *r = uw_region_of(cc, st->sp);
	uint64_t a, v, bp;
	struct sf_err e;
	int hops = 0;

	a = (st->sp + 7) & ~7ull;
	while (r && hops++ < PANIC_MAX_STACKS) {
		for (; a + 8 <= r->top; a += 8) {
			if (kmem_read_u64(km, a, &v, "stack word", &e) != 0 || !uw_is_text(u, v) ||
			    !uw_after_call(u, v))
				continue;
			if (!uw_resync_try(u, ops, v, a + 8, st->bp)) {
				/*
				 * A frame-pointer function (ORC sp_reg BP) needs its own
				 * rbp, which the code without ORC data may have reused:
				 * try the frames above whose saved return address is text.
				 */
				struct orc_entry_dec oe;
				uint64_t b, ret = 0;
				bool ok = false;

				if (!uw_orc_find(u, v - 1, &oe) || oe.sp_reg != ORC_REG_BP)
					continue;
				for (b = a + 8; !ok && b + 16 <= r->top && b < a + 8 + RESYNC_BP_WINDOW; b += 8)
					ok = kmem_read_u64(km, b + 8, &ret, "stack word", &e) == 0 && uw_is_text(u, ret) &&
					     uw_after_call(u, ret) && uw_resync_try(u, ops, v, a + 8, b);
				if (!ok)
					continue;
				st->bp = b - 8;
			}
			bp = st->bp;
			memset(st, 0, sizeof(*st));
			st->ip = v;
			st->sp = a + 8;
			st->bp = bp;
			st->have[ORC_R_BP] = true;
			st->reg[ORC_R_BP] = bp;
			*slot_ret = a;
			return true;
		}
		/* x86_64 IRQ stack: its top word links to the interrupted stack (call_on_stack(), 5.12+) */
		if (r->kind != STACK_IRQ || kmem_read_u64(km, r->top - 8, &v, "IRQ stack link", &e) != 0)
			break;
		r = uw_region_of(cc, v);
		if (!r || r->kind == STACK_IRQ)
			break;
		a = v & ~7ull;
	}
	return false;
}

static void uw_orc(struct unwinder *u)
{
	struct cpu_context *cc = u->cc;
	const struct orc_ops ops = { uw_read_u64, uw_orc_find };
	struct orc_state st;
	uint64_t v;
	int resyncs = 0;

	memset(&st, 0, sizeof(st));
	st.ip = cc->regs.ip;
	st.sp = cc->regs.sp;
	st.bp = cc->regs.fp;
	if (!st.bp)
		prstatus_reg(&cc->regs, "bp", "rbp", &st.bp);
	st.signal = true;
	st.have[ORC_R_BP] = true;
	st.reg[ORC_R_BP] = st.bp;
	if (prstatus_reg(&cc->regs, "r10", NULL, &v) == 0) { st.have[ORC_R_R10] = true; st.reg[ORC_R_R10] = v; }
	if (prstatus_reg(&cc->regs, "r13", NULL, &v) == 0) { st.have[ORC_R_R13] = true; st.reg[ORC_R_R13] = v; }
	if (prstatus_reg(&cc->regs, "di", "rdi", &v) == 0) { st.have[ORC_R_DI] = true; st.reg[ORC_R_DI] = v; }
	if (prstatus_reg(&cc->regs, "dx", "rdx", &v) == 0) { st.have[ORC_R_DX] = true; st.reg[ORC_R_DX] = v; }

	cc->unwinder = "orc";
	uw_add_frame(u, 0, st.ip, st.sp, true);
	while (cc->nframes < PANIC_MAX_FRAMES) {
		struct orc_state before = st;
		uint64_t slot = 0;
		bool fallback = false;
		const char *why = NULL;
		int res = uw_orc_next(u, &ops, &st, &slot, &fallback, &why);

		if (res == STEP_DONE)
			return;
		if (res == STEP_NEXT && !fallback) {
			uw_add_frame(u, slot, st.ip, st.sp, true);
			continue;
		}
		/* no ORC data or a failed step: find the next frame ORC can take over from */
		st = before;
		if (resyncs++ < 8 && uw_resync(u, &ops, &st, &slot)) {
			uw_add_frame(u, slot, st.ip, st.sp, false);
			continue;
		}
		warn_add(u->w, "CPU %d: ORC unwind stopped at %" PRIx64 " (sp %" PRIx64 "): %s; scanning the rest",
			 cc->cpu, before.ip, before.sp, why ? why : "no ORC entry");
		cc->unwinder = "orc+scan";
		uw_scan(u, before.sp);
		return;
	}
}

/* ---------- arm64 frame records ---------- */

uint64_t unwind_arm64_pac_mask(const struct vmcoreinfo *vi)
{
	uint64_t pac = 0;

	/*
	 * A NUMBER(), not a bare key like KERNELOFFSET: looked up as
	 * "KERNELPACMASK" it was never found, and every signed LR (a CPU with
	 * FEAT_PAuth, e.g. qemu -cpu max) ended the unwind after frame #0.
	 */
	if (!vi || vmcoreinfo_number(vi, "KERNELPACMASK", &pac, SF_NOERR) != 0)
		return 0;
	return pac;
}

uint64_t unwind_arm64_strip_pac(uint64_t lr, uint64_t mask)
{
	return mask && ((lr >> 55) & 1) ? lr | mask : lr;
}

static void uw_frame_records(struct unwinder *u)
{
	struct cpu_context *cc = u->cc;
	struct kmem *km = u->mem;
	uint64_t fp = cc->regs.fp, pc, pac = u->pac, last_fp = 0;
	const struct stack_region *r, *lr = NULL;
	struct sf_err e;

	if (!fp)
		prstatus_reg(&cc->regs, "x29", "fp", &fp);
	/* return addresses may carry a pointer authentication code: restore the kernel's top bits */
	cc->unwinder = "frame-pointer";
	uw_add_frame(u, 0, cc->regs.ip, cc->regs.sp, true);
	while (fp && cc->nframes < PANIC_MAX_FRAMES) {
		uint64_t next;

		/* stacks unknown from per-CPU data: the THREAD_SIZE block the record is in */
		r = uw_region_or_guess(u, fp);
		if (!r || (fp & 7) || (r == lr && fp <= last_fp)) {
			if (fp)
				warn_add(u->w, "CPU %d: frame record at %" PRIx64 " %s; scanning the rest", cc->cpu, fp,
					 r ? "does not move up the stack" : "is on no known stack");
			goto scan;
		}
		if (kmem_read_u64(km, fp, &next, "frame record fp", &e) != 0 ||
		    kmem_read_u64(km, fp + 8, &pc, "frame record lr", &e) != 0) {
			warn_add(u->w, "CPU %d: %s; scanning the rest", cc->cpu, e.msg);
			goto scan;
		}
		pc = unwind_arm64_strip_pac(pc, pac);
		if (!pc)
			return;		/* the final record of a task (pt_regs stackframe) */
		/* an exact return address from a frame record: .init.text too (see uw_in_inittext) */
		if (!uw_is_text(u, pc) && !uw_in_inittext(u, pc)) {
			if (!kernel_arch(u->k)->is_kernel_addr(kmem_arch_env(km), pc))
				return;
			warn_add(u->w, "CPU %d: frame record at %" PRIx64 " holds non-text %" PRIx64 "; scanning the rest",
				 cc->cpu, fp, pc);
			goto scan;
		}
		uw_add_frame(u, fp + 8, pc, fp + 16, true);
		last_fp = fp;
		lr = r;
		fp = next;
	}
	return;
scan:
	cc->unwinder = "frame-pointer+scan";
	uw_scan(u, last_fp ? last_fp + 16 : cc->regs.sp);
}

int unwind_cpu(struct kernel *k, struct cpu_context *cc, struct warnlist *w, struct sf_err *err)
{
	struct unwinder u;

	memset(&u, 0, sizeof(u));
	u.k = k;
	u.mem = kmem_as(kernel_kmem(k), READ_STACK);
	u.cc = cc;
	u.w = w;
	free(cc->frames);
	cc->frames = calloc(PANIC_MAX_FRAMES, sizeof(*cc->frames));
	cc->nframes = 0;
	if (!cc->frames)
		return sf_err_set(err, SF_ENOMEM, "frames");
	if (!cc->have_prstatus || !cc->regs.sp) {
		cc->unwinder = "none";
		return 0;
	}
	if (kernel_symbol(k, "_sinittext", &u.inittext_start, SF_NOERR) != 0 ||
	    kernel_symbol(k, "_einittext", &u.inittext_end, SF_NOERR) != 0 || u.inittext_end <= u.inittext_start)
		u.inittext_start = u.inittext_end = 0;
	if (kernel_arch(k)->e_machine == EM_AARCH64)
		u.pac = unwind_arm64_pac_mask(kernel_vmcoreinfo(k));
	if (uw_orc_init(&u)) {
		uw_orc(&u);
	} else if (kernel_arch(k)->e_machine == EM_AARCH64) {
		uw_frame_records(&u);
	} else {
		cc->unwinder = "scan";
		uw_add_frame(&u, 0, cc->regs.ip, cc->regs.sp, true);
		uw_scan(&u, cc->regs.sp);
	}
	/*
	 * Frames named before the module list was found (arm64 without a
	 * `modules` symbol finds it from the first module return address,
	 * modfind.c): an oops in a module has its pc as frame #0.  Name them now.
	 */
	for (int i = 0; i < cc->nframes; i++)
		if (!cc->frames[i].symbol[0])
			uw_symbolize_return(k, cc->frames[i].addr, cc->frames[i].slot != 0, cc->frames[i].symbol,
					    sizeof(cc->frames[i].symbol));
	free(u.mods);
	return 0;
}
