#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Slab identity and struct layouts on real kernel memory (issue #13, items 1, 2, 4).

    slabid.py --skbfilter BIN --build DIR --label NAME DUMP.elf

DUMP.elf is a writable ELF mini dump (skbfilter -E --keep=crash).  Cases,
each on the patched dump, restored afterwards (hostile.py's Target does the
reading, patching and restoring; nothing is hard-coded, every address comes
from the dump's own kallsyms, BTF and baseline report):

  renamed   the kmem_caches the kernel's skbuff cache pointers hold get
            other caches' names ("pool_workqueue", as SLUB merging does on
            Debian 6.12): the same skbs and the same packets are found, and
            the report shows the new name.
  decoys    the skbuff_cache (then the skbuff_fclone_cache) pointer is set
            to another cache whose objects the stacks point to (task_struct,
            kmalloc-*, TCP, ...), as if those objects shared a merged skbuff
            cache: no skb that the baseline does not have may appear, and
            those objects must be rejected by the structural checks with a
            reason, not by the cache identity.
  btf-moved the dump's in-memory BTF rewritten so that sk_buff and
            skb_shared_info members trade places (tests/gen/btfmove), and
            every found skb's bytes moved to match: the same skbs, fields
            and packets (nothing may depend on one kernel's offsets).
Prints "ok ..."/"FAIL ..."/"skip ..." lines; slabid.sh counts them.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile import Absent, Target, run_skbfilter  # noqa: E402

NEW_NAMES = ["pool_workqueue", "kmalloc-512", "dmaengine-unmap-256", "bio-256"]

# (struct, member a, member b): same-size members whose places are swapped
MOVES = [("sk_buff", "len", "data_len"), ("sk_buff", "network_header", "transport_header"),
         ("sk_buff", "head", "data"), ("skb_shared_info", "gso_size", "gso_segs"),
         ("skb_shared_info", "nr_frags", "tx_flags")]


class MapTarget(Target):
    """A Target whose symbols come from a System.map (a kallsyms without data symbols, as on arm64)."""

    def symdump_run(self, opts):
        if self.a.use_map:
            opts = ["-m", self.a.system_map] + opts
        return Target.symdump_run(self, opts)


def skbf(a, extra, work):
    """run_skbfilter, with -m when the dump's kallsyms lacks data symbols."""
    return run_skbfilter(a, a.dump, (["-m", a.system_map] if a.use_map else []) + list(extra), work)


def skb_set(rep):
    return sorted(s["addr"] for s in rep.get("skbs") or [])


def cache_globals(t):
    """{"skb": va, "fclone": va}: where the kernel keeps its skbuff cache pointers."""
    res = {}
    nh = t.sym("net_hotdata")
    if nh is not None:
        for k, m in (("skb", "skbuff_cache"), ("fclone", "skbuff_fclone_cache")):
            try:
                res[k] = nh + t.off("net_hotdata." + m)
            except (IndexError, ValueError):
                pass
    for k, names in (("skb", ("skbuff_cache", "skbuff_head_cache")), ("fclone", ("skbuff_fclone_cache",))):
        for n in names:
            if k not in res and t.sym(n) is not None:
                res[k] = t.sym(n)
    if "skb" not in res or "fclone" not in res:
        raise Absent("no skbuff cache pointers among the symbols (%s)" % sorted(res))
    return res


def u64(t, va):
    return t.unpack("Q", t.vread_bytes(va, 8))[0]


def cstr(t, va, n=32):
    b = t.vread_bytes(va, n)
    return b.split(b"\0")[0].decode("ascii", "replace")


def pcap_bytes(work):
    try:
        with open(os.path.join(work, "o.pcap"), "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def case_renamed(a, t, work, base):
    g = cache_globals(t)
    name_off = t.off("kmem_cache.name")
    renamed = []
    for k in ("skb", "fclone"):
        cache = u64(t, g[k])
        np = u64(t, cache + name_off)
        old = cstr(t, np)
        new = [n for n in NEW_NAMES if n != old and len(n) <= len(old)][0]
        t.patch(np, new.encode() + b"\0")
        renamed.append((k, old, new))
    try:
        rc, text, _, _, rep = skbf(a, [], work)
    finally:
        t.restore()
    label = "%s renamed skbuff caches (%s)" % (a.label, ", ".join("%s \"%s\" -> \"%s\"" % r for r in renamed))
    if rc > 1 or not rep:
        print("FAIL %s: exit %d: %s" % (label, rc, text.strip()[-300:]))
    elif skb_set(rep) != skb_set(base["rep"]):
        print("FAIL %s: skbs %s, baseline %s" % (label, skb_set(rep), skb_set(base["rep"])))
    elif pcap_bytes(work) != base["pcap"]:
        print("FAIL %s: the pcap differs from the baseline's" % label)
    elif not {s.get("cache") for s in rep["skbs"]} & {r[2] for r in renamed}:
        print("FAIL %s: no skb shows a new cache name (the rename did not take)" % label)
    else:
        print("ok   %s: the same %d skbs and pcap, shown in %s" %
              (label, len(rep["skbs"]), sorted({s.get("cache") for s in rep["skbs"]})))


def case_decoys(a, t, work, base):
    g = cache_globals(t)
    others = {}
    for rj in base["rep"].get("scan", {}).get("rejected_candidates") or []:
        m = re.match(r'in slab cache (0x[0-9a-f]+) "([^"]*)", which is neither', rj["reason"])
        if m:
            others.setdefault(int(m.group(1), 16), (m.group(2), []))[1].append(rj["addr"])
    if not others:
        raise Absent("the baseline rejected no object of another cache")
    caches = sorted(others.items(), key=lambda kv: -len(kv[1][1]))[:6]
    want = set(skb_set(base["rep"]))
    for which in ("skb", "fclone"):
        deep = 0
        bad = []
        reasons = {}
        for cache, (name, addrs) in caches:
            t.patch(g[which], t.pack("Q", cache))
            try:
                rc, text, _, _, rep = skbf(a, [], work)
            finally:
                t.restore()
            if rc > 1 or not rep:
                bad.append("%s: exit %d: %s" % (name, rc, text.strip()[-200:]))
                continue
            extra = set(skb_set(rep)) - want
            if extra:
                bad.append("%s: false skbs %s" % (name, sorted(extra)))
            rej = {r["addr"]: r["reason"] for r in rep["scan"].get("rejected_candidates") or []}
            for ad in addrs:
                r = rej.get(ad)
                if r is None:
                    if ad not in want:
                        bad.append("%s: %s neither found nor rejected" % (name, ad))
                    continue
                if "which is neither" in r:
                    bad.append("%s: %s still rejected by identity: %s" % (name, ad, r))
                    continue
                if "not in the dump" in r or "excluded" in r:
                    continue  # a page the mini dump did not keep: not a structural rejection
                deep += 1
                key = re.sub(r"0x[0-9a-f]+|\d+", "N", r)[:60]
                reasons[key] = reasons.get(key, 0) + 1
        label = "%s decoys: skbuff_%scache pointer set to each of %d other caches (%s)" % (
            a.label, "" if which == "skb" else "fclone_", len(caches), ", ".join(c[1][0] for c in caches))
        if bad:
            print("FAIL %s: %s" % (label, "; ".join(bad)[:600]))
        elif deep == 0:
            print("FAIL %s: no decoy reached the structural checks" % label)
        else:
            top = sorted(reasons.items(), key=lambda kv: -kv[1])[:4]
            print("ok   %s: no false skb; %d decoys rejected by structure (%s)" %
                  (label, deep, "; ".join("%d x %s" % (n, k) for k, n in top)))
        sys.stdout.flush()


def case_btf_moved(a, t, work, base):
    btf = os.path.join(work, "dump.btf")
    moved = os.path.join(work, "moved.btf")
    t.symdump_run(["--btf-out", btf])
    btfmove = os.path.join(a.build, "tests/gen/btfmove")
    argv = [btfmove, btf, moved]
    for st, m1, m2 in MOVES:
        argv.append("%s.%s:%s" % (st, m1, m2))
    p = subprocess.run(argv, capture_output=True, text=True)
    if p.returncode:
        print("FAIL %s btf-moved: btfmove: %s" % (a.label, p.stderr.strip()[-300:]))
        return
    # The dump's own BTF becomes the moved one (same size: only member offsets change) ...
    if not t.btf_at:
        raise Absent("the types do not come from BTF in dump memory")
    with open(btf, "rb") as f:
        old = f.read()
    with open(moved, "rb") as f:
        new = f.read()
    if len(old) != len(new) or len(old) != t.btf_at[1]:
        raise ValueError("btfmove changed the BTF size (%d -> %d)" % (len(old), len(new)))
    changed = [i for i in range(0, len(old), 8) if old[i:i + 8] != new[i:i + 8]]
    for i in changed:
        t.patch(t.btf_at[0] + i, new[i:i + 8])
    # ... and every found skb's bytes (and its skb_shared_info's) move the same way.
    # (a clone shares its skb_shared_info with the original: move each object once)
    objs = {("sk_buff", int(s["addr"], 16)) for s in base["rep"]["skbs"]}
    objs |= {("skb_shared_info", int(s["shinfo"], 16)) for s in base["rep"]["skbs"]}
    for kind, obj in sorted(objs):
        for st, m1, m2 in MOVES:
            if st != kind:
                continue
            o1, n1 = t.field("%s.%s" % (st, m1))
            o2, n2 = t.field("%s.%s" % (st, m2))
            if n1 != n2:
                raise ValueError("%s.%s and .%s differ in size" % (st, m1, m2))
            b1, b2 = t.vread_bytes(obj + o1, n1), t.vread_bytes(obj + o2, n2)
            t.patch(obj + o1, b2)
            t.patch(obj + o2, b1)
    try:
        rc, text, _, _, rep = skbf(a, [], work)
    finally:
        t.restore()
    label = "%s btf-moved (%s)" % (a.label, ", ".join("%s.%s<->%s" % m for m in MOVES))
    keys = ("len", "data_len", "head", "data", "network_header", "transport_header", "gso_size", "gso_segs",
            "nr_frags", "tx_flags", "gso_type")
    if rc > 1 or not rep:
        print("FAIL %s: exit %d: %s" % (label, rc, text.strip()[-300:]))
        return
    got = {s["addr"]: s for s in rep["skbs"]}
    rej = {r["addr"]: r["reason"] for r in rep["scan"].get("rejected_candidates") or []}
    diffs = []
    for s in base["rep"]["skbs"]:
        g = got.get(s["addr"])
        if g is None:
            diffs.append("%s not found (%s)" % (s["addr"], rej.get(s["addr"], "not a candidate")))
            continue
        for k in keys:
            if g.get(k) != s.get(k):
                diffs.append("%s.%s %s != %s" % (s["addr"], k, g.get(k), s.get(k)))
        if (g.get("packet") or {}).get("crc32") != (s.get("packet") or {}).get("crc32"):
            diffs.append("%s packet crc32 differs" % s["addr"])
    if set(got) - {s["addr"] for s in base["rep"]["skbs"]}:
        diffs.append("new skbs %s" % sorted(set(got) - {s["addr"] for s in base["rep"]["skbs"]}))
    if pcap_bytes(work) != base["pcap"]:
        diffs.append("pcap differs")
    if diffs:
        print("FAIL %s: %s" % (label, "; ".join(diffs)[:600]))
    else:
        print("ok   %s: the same %d skbs, fields and pcap" % (label, len(got)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skbfilter", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--sanitizer", action="store_true")
    ap.add_argument("--system-map", help="the kernel's System.map: used (skbfilter -m) when the dump's "
                    "kallsyms has no skbuff cache pointer (no CONFIG_KALLSYMS_ALL, as Debian arm64)")
    ap.add_argument("dump")
    a = ap.parse_args()
    a.use_map = False
    t = MapTarget(a)
    try:
        cache_globals(t)
    except (Absent, RuntimeError, IndexError, ValueError):
        if a.system_map:
            a.use_map = True
            t.sym_cache = {}
            print("ok   %s: the dump's kallsyms has no skbuff cache pointer: symbols from %s" %
                  (a.label, os.path.basename(a.system_map)))
    with tempfile.TemporaryDirectory(prefix="skbf-slabid.") as work:
        rc, text, _, _, rep = skbf(a, [], work)
        if rc > 1 or not rep or not rep.get("skbs"):
            # Finding the skbs is report.sh's to judge; these cases compare against a baseline.
            print("skip %s: the baseline finds no skb (exit %d): %s" % (a.label, rc, text.strip()[-200:]))
            t.elf.f.close()
            return
        base = {"rep": rep, "pcap": pcap_bytes(work)}
        print("ok   %s baseline: %d skbs" % (a.label, len(rep["skbs"])))
        for name, fn in (("renamed", case_renamed), ("decoys", case_decoys), ("btf-moved", case_btf_moved)):
            try:
                fn(a, t, work, base)
            except Absent as e:
                t.restore()
                print("skip %s %s: %s" % (a.label, name, e))
            except (KeyError, IndexError, ValueError, RuntimeError) as e:
                t.restore()
                print("FAIL %s %s: cannot set up the case: %s" % (a.label, name, e))
            sys.stdout.flush()
    t.elf.f.close()


if __name__ == "__main__":
    main()
