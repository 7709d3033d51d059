#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Differential test: our kdump reader vs Debian's python3-libkdumpfile.

usage: kdump_vs_libkdumpfile.py PAGEREAD DUMP [NRANDOM]

Takes the dumped pfns from libkdumpfile's file.pagemap, then compares the
first and last 100 of them plus NRANDOM (default 2000) random ones: the crc32
pageread prints must equal zlib.crc32 of kdumpfile's read.  Also checks that
pfns libkdumpfile has no data for are not returned by us as data.
Prints one ok/FAIL line and the closing counts line.
"""
import random
import subprocess
import sys
import zlib

import kdumpfile

PAGEREAD, DUMP = sys.argv[1], sys.argv[2]
NRANDOM = int(sys.argv[3]) if len(sys.argv) > 3 else 2000


def dumped_pfns(k, max_pfn):
    bmp = k.attr["file.pagemap"]
    pfns = []
    pfn = 0
    while pfn < max_pfn:
        try:
            start = bmp.find_set(pfn)
        except Exception:
            break
        if start >= max_pfn:
            break
        end = bmp.find_clear(start)
        pfns.extend(range(start, min(end, max_pfn)))
        pfn = end
    return pfns


def ours(pfns):
    res = {}
    for i in range(0, len(pfns), 4000):
        args = [PAGEREAD]
        for p in pfns[i:i + 4000]:
            args += ["--pfn", str(p)]
        out = subprocess.run(args + [DUMP], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True).stdout
        for line in out.decode().splitlines():
            pfn, rest = line.split(" ", 1)
            st, crc = rest.rsplit(" ", 1)
            res[int(pfn)] = (st, crc)
    return res


def main():
    k = kdumpfile.kdumpfile(DUMP)
    max_pfn = k.attr["max_pfn"]
    ps = k.attr["arch.page_size"]
    dumped = dumped_pfns(k, max_pfn)
    rng = random.Random(0x5eed ^ len(dumped))
    sample = sorted(set(dumped[:100] + dumped[-100:] + rng.sample(dumped, min(NRANDOM, len(dumped)))))
    dset = set(dumped)
    # pfns libkdumpfile has no data for: next to dumped ones, and at max_pfn
    holes = {p + 1 for p in sample if p + 1 not in dset and p + 1 < max_pfn} | {max_pfn}
    for _ in range(2000):
        p = rng.randrange(max_pfn)
        if p not in dset:
            holes.add(p)
        if len(holes) >= 300:
            break
    holes = sorted(holes)
    res = ours(sample + holes)
    bad = []
    for pfn in sample:
        data = k.read(kdumpfile.KDUMP_MACHPHYSADDR, pfn * ps, ps)
        want = "%08x" % (zlib.crc32(data) & 0xffffffff)
        st, crc = res.get(pfn, ("?", "?"))
        if st not in ("present", "zero") or crc != want:
            bad.append("pfn %d: libkdumpfile crc %s, ours %s %s" % (pfn, want, st, crc))
    for pfn in holes:
        st, _ = res.get(pfn, ("?", "?"))
        try:
            k.read(kdumpfile.KDUMP_MACHPHYSADDR, pfn * ps, ps)
            lk = "data"
        except Exception:
            lk = "no data"
        if lk == "no data" and st in ("present", "zero"):
            bad.append("pfn %d: libkdumpfile has no data, we say %s" % (pfn, st))
    name = DUMP.rsplit("/", 2)[-2] + "/" + DUMP.rsplit("/", 1)[-1]
    if bad:
        print("FAIL %s: %d of %d pages differ: %s" % (name, len(bad), len(sample) + len(holes), "; ".join(bad[:5])))
        print("0 passed, 1 failed")
        return 1
    print("ok   %s: %d dumped pfns (max_pfn %d), %d sampled pages identical, %d pfns without data agree"
          % (name, len(dumped), max_pfn, len(sample), len(holes)))
    print("1 passed, 0 failed")
    return 0


sys.exit(main())
