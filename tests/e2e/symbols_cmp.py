#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks symdump output against ground truth.

  symbols_cmp.py syms SYMDUMP_OUT SYSTEM_MAP KASLR_HEX
      every kallsyms symbol (name, addr) must be in System.map at addr - KASLR
      (or at addr, for absolute per-cpu symbols); module symbols ([mod]) and the
      VMCOREINFO SYMBOL() additions are counted apart.  Prints one line.
  symbols_cmp.py bt SYMDUMP_RESOLVE_OUT CRASH_CHECK [SYSTEM_MAP]
      each "#N [sp] NAME at ADDR" of crash's bt must resolve to NAME (or an
      alias: another name at the same System.map address).
  symbols_cmp.py truth SYMDUMP_READ_OUT TRUTH_JSON
      "ADDR:sk_buff.FIELD VALUE" lines must equal the truth's primary skb.
Exit 0 when everything matches, 1 otherwise.
"""
import json
import re
import sys

VMCOREINFO_VARS = {"init_uts_ns", "node_online_map", "swapper_pg_dir", "init_top_pgt", "vmap_area_list", "prb",
                   "printk_rb_static", "clear_seq", "log_buf", "log_buf_len", "log_first_idx", "clear_idx",
                   "log_next_idx", "contig_page_data", "high_memory", "mem_map", "kallsyms_names",
                   "kallsyms_num_syms", "kallsyms_token_table", "kallsyms_token_index", "kallsyms_offsets",
                   "kallsyms_relative_base", "kallsyms_addresses", "kallsyms_markers"}


def syms(out, smap, kaslr):
    off = int(kaslr, 16)
    known = set()
    for line in open(smap):
        p = line.split()
        if len(p) >= 3:
            known.add((p[2], int(p[0], 16)))
    ok = mods = extra = 0
    bad = []
    for line in open(out):
        p = line.split()
        if len(p) < 3 or len(p[1]) != 1:
            continue  # not a symbol line ("--resolve" / "--lookup" answers)
        addr, name = int(p[0], 16), p[2]
        if len(p) > 3 and p[3].startswith("["):
            mods += 1
        elif (name, addr - off) in known or (name, addr) in known:
            ok += 1
        elif name in VMCOREINFO_VARS:
            extra += 1
        else:
            bad.append(line.strip())
    print("%d kallsyms symbols in System.map after the KASLR shift, %d not; %d from VMCOREINFO, %d module symbols"
          % (ok, len(bad), extra, mods))
    for b in bad[:10]:
        print("  not in System.map:", b)
    return 0 if ok > 1000 and not bad else 1


def bt(out, crash, smap=None):
    want = {}
    for line in open(crash):
        m = re.match(r"\s*#\d+ \[[0-9a-f]+\] (\S+) at ([0-9a-f]+)", line)
        if m:
            want[int(m.group(2), 16)] = m.group(1)
    got = {}
    for line in open(out):
        p = line.split()
        if len(p) >= 2 and re.fullmatch(r"[0-9a-f]{16}", p[0]):
            got[int(p[0], 16)] = p[1].split("+")[0]
    # crash prints "do_softirq" for an address in "do_softirq.part.0" (gcc's
    # partial-inlining clone); the clone's own name is the more precise answer.
    # Two names at one address (asm_call_irq_on_stack = asm_call_sysvec_on_stack,
    # __softirqentry_text_start = __do_softirq on 5.10) are the same answer: a
    # System.map (optional third argument) tells which names are aliases.
    alias = {}
    if smap:
        at = {}
        for line in open(smap):
            p = line.split()
            if len(p) >= 3:
                at.setdefault(p[0], set()).add(p[2])
        for names in at.values():
            for n in names:
                alias[n] = names

    def same(a, n):
        g = got.get(a)
        if g is None:
            return False
        g = re.sub(r"\.part\.\d+$", "", g) if g != n else g
        return g == n or n in alias.get(g, ())
    bad = [(hex(a), n, got.get(a)) for a, n in want.items() if not same(a, n)]
    print("%d of %d crash bt addresses resolve to crash's names" % (len(want) - len(bad), len(want)))
    for b in bad[:10]:
        print("  mismatch:", b)
    return 0 if want and not bad else 1


def truth(out, tj):
    t = json.load(open(tj))
    skb = next(s for s in t["skbs"] if s.get("role") == "primary")
    bad = n = 0
    for line in open(out):
        p = line.split()
        if len(p) < 2 or ":" not in p[0]:
            continue
        field = p[0].split(":")[1].split(".")[-1]
        if field in skb:
            n += 1
            if p[1] == "?" or int(p[1]) != int(skb[field]):
                bad += 1
                print("  %s: read %s, truth %s" % (p[0], " ".join(p[1:]), skb[field]))
    print("%d of %d sk_buff fields read equal the truth" % (n - bad, n))
    return 0 if n and not bad else 1


if __name__ == "__main__":
    mode = sys.argv[1]
    sys.exit({"syms": syms, "bt": bt, "truth": truth}[mode](*sys.argv[2:]))
