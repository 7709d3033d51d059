#!/usr/bin/env python3
"""Helpers for tests/e2e/minicore.sh.
  compare R1 R2       the reports agree on skbs, panic, scan and warnings (dump-format fields
                      and symbol/BTF source names ignored)
  manifest M CORE     the manifest is valid: ranges sorted, disjoint, each with reasons,
                      page counts add up, file size matches
"""
import json
import os
import re
import sys

FORMAT_KEYS = {"dump", "format", "file", "files", "codecs", "header_version", "flattened", "timing",
               "elapsed", "input", "warnings", "minicore", "source", "path", "paths", "dump_info"}


def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items() if k not in FORMAT_KEYS}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x


def sources(r):
    d = r.get("dump") or {}
    out = []
    for x in (d.get("symbols"), d.get("btf")):
        if x:
            # warnings given before module symbols were added name the table without them
            out += [x, x.split(" + module")[0]]
    return sorted(out, key=len, reverse=True)


def norm_warnings(r, key="warnings"):
    """Warnings (or notes) with the symbol/BTF source descriptions (which name where they came from)
    blanked, and where the CPU count came from (a kdump header has nr_cpus, an ELF core does not)."""
    out = []
    for w in r.get(key) or []:
        for s in sources(r):
            w = w.replace(s, "<source>")
        w = re.sub(r"using (the dump header's|the) (\d+) CPUs( that saved crash notes)?", r"using \2 CPUs", w)
        # per-CPU data without __per_cpu_offset: searched for in the original (runqueues, SRCU/SLUB), read
        # back from the kernel note in the mini.core; one provenance line either way
        if re.match(r"per-CPU data located for all \d+ CPUs through|__per_cpu_offset\[\] derived from the per-CPU bases|"
                    r"per-CPU data of \d+ CPUs.* from the mini.core kernel note", w):
            w = "<per-CPU data found without __per_cpu_offset>"
            if w in out:
                continue
        out.append(w)
    return out


def compare(a, b):
    r1, r2 = json.load(open(a)), json.load(open(b))
    for key in ("skbs", "panic", "scan"):
        if key not in r1:
            print("FAIL report %s has no '%s'" % (a, key))
            return 1
        if strip(r1[key]) != strip(r2.get(key)):
            print("FAIL report from mini.core differs in '%s'" % key)
            return 1
    for key in ("warnings", "notes"):
        if norm_warnings(r1, key) != norm_warnings(r2, key):
            print("FAIL report from mini.core differs in '%s': %s" %
                  (key, sorted(set(norm_warnings(r1, key)) ^ set(norm_warnings(r2, key)))[:3]))
            return 1
    print("ok   report from mini.core has the same skbs (%d), panic, scan counts, warnings (%d) and notes (%d)" %
          (len(r1["skbs"]), len(r1.get("warnings") or []), len(r1.get("notes") or [])))
    return 0


def manifest(m, core):
    j = json.load(open(m))
    prev_end = -1
    pages = 0
    for r in j["ranges"]:
        start = int(r["start_pfn"], 16)
        if start < prev_end:
            print("FAIL manifest ranges overlap or are unsorted at pfn 0x%x" % start)
            return 1
        if not r["reasons"]:
            print("FAIL manifest range at pfn 0x%x has no reason" % start)
            return 1
        prev_end = start + r["pages"]
        pages += r["pages"]
    if pages != j["pages"]["recorded"]:
        print("FAIL manifest ranges hold %d pages, recorded %d" % (pages, j["pages"]["recorded"]))
        return 1
    if j["file_bytes"] != os.path.getsize(core):
        print("FAIL manifest file_bytes %d, file has %d" % (j["file_bytes"], os.path.getsize(core)))
        return 1
    reasons = ", ".join("%s %d" % (r["reason"], r["pages"]) for r in j["by_reason"])
    print("ok   manifest: %d ranges, %d pages; by reason: %s" % (len(j["ranges"]), pages, reasons))
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    sys.exit(manifest(sys.argv[2], sys.argv[3]))
