#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks our kdump reader against libkdumpfile's manifest of the peer corpus.

usage: peer_kdump.py PAGEREAD PEER_DIR

For every diskdump-* / extra-diskdump-* file and every split set in
manifest.json: the pages libkdumpfile read must come back with the same
sha256 (pageread --raw); where libkdumpfile failed a page we must not return
data for it; pfn == max_pfn must be "not in memory" and RAM pfns without
data "excluded" (or "missing" for a lone split part).  Where libkdumpfile is
lenient with truncated files (it reads bytes past EOF as zeros) we must
either agree on the bytes or refuse with an error naming the problem.
Plain python3 + hashlib; prints one ok/FAIL/skip line per file or set.
"""
import hashlib
import json
import os
import subprocess
import sys

PAGEREAD, PEER = sys.argv[1], sys.argv[2]
FILES = os.path.join(PEER, "files")


def run(args):
    p = subprocess.run([PAGEREAD] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace")


def states(paths, pfns):
    args = []
    for pfn in pfns:
        args += ["--pfn", str(pfn)]
    rc, out, err = run(args + paths)
    if rc != 0:
        return None, err.strip()
    res = {}
    for line in out.decode().splitlines():
        pfn, st, crc = line.rsplit(" ", 2) if line.count(" ") >= 2 else (line, "?", "?")
        # state names may contain a space ("not in memory")
        first, rest = line.split(" ", 1)
        st, crc = rest.rsplit(" ", 1)
        res[int(first)] = (st, crc)
    return res, err


def check(name, paths, entry, lenient_trunc):
    """Returns (status, message)."""
    page_size = entry.get("page_size") or 0
    pages = entry.get("pages", [])
    probes = entry.get("negative_probes", [])
    if not entry.get("open_ok"):
        rc, _, err = run(["--pfn", "0"] + paths)
        if rc == 3:
            return "ok", "both refuse: libkdumpfile \"%s\", ours \"%s\"" % (entry.get("open_error", "?"), err.strip()[:120])
        return "FAIL", "libkdumpfile refuses (%s) but we opened it" % entry.get("open_error")
    pfns = [p["pfn"] for p in pages] + [n["pfn"] for n in probes]
    res, err = states(paths, pfns)
    if res is None:
        flat = False
        for path in paths:
            with open(path, "rb") as f:
                flat = flat or f.read(16).startswith(b"makedumpfile")
        if flat and ("unknown dump format" in err or "signature is not" in err):
            return "skip", "flattened input is not rebuilt by this build's byte source"
        if lenient_trunc and ("past the end" in err or "needs" in err):
            return "ok", "refused with a named error (libkdumpfile reads zeros past EOF): " + err[:140]
        return "FAIL", "open failed: " + err[:300]
    good = [p["pfn"] for p in pages if res.get(p["pfn"], ("", ""))[0] in ("present", "zero")]
    raw = b""
    if good:
        args = []
        for pfn in good:
            args += ["--pfn", str(pfn)]
        rc, raw, err2 = run(["--raw"] + args + paths)
        if rc != 0:
            return "FAIL", "pageread --raw failed: " + err2[:200]
        if len(raw) != page_size * len(good):
            return "FAIL", "page size: got %d bytes for %d pages, libkdumpfile page_size %d" % (len(raw), len(good), page_size)
    nsame = nmissing = 0
    for p in pages:
        pfn = p["pfn"]
        st = res.get(pfn, ("?", "?"))[0]
        if p["machphys_status"] != "OK":
            if st in ("present", "zero"):
                return "FAIL", "pfn %d: libkdumpfile fails (%s) but we return data" % (pfn, p.get("error"))
            if st != "missing":
                return "FAIL", "pfn %d: libkdumpfile fails (%s), we say %s (expected missing)" % (pfn, p.get("error"), st)
            nmissing += 1
            continue
        if st not in ("present", "zero"):
            if lenient_trunc and st == "missing":
                nmissing += 1
                continue
            return "FAIL", "pfn %d: libkdumpfile reads it, we say %s" % (pfn, st)
        k = good.index(pfn)
        data = raw[k * page_size:(k + 1) * page_size]
        if hashlib.sha256(data).hexdigest() != p["sha256"]:
            return "FAIL", "pfn %d: sha256 differs (ours starts %s, libkdumpfile %s)" % (pfn, data[:16].hex(), p["first16_hex"])
        nsame += 1
    ram = entry.get("libkdumpfile_attrs", {}).get("memory.pagemap", {}).get("ranges")
    for n in probes:
        st = res.get(n["pfn"], ("?", "?"))[0]
        if n["kind"] == "pfn_at_max_pfn":
            if st != "not in memory":
                return "FAIL", "pfn %d == max_pfn: we say %s" % (n["pfn"], st)
        elif ram is not None and not any(a <= n["pfn"] < b for a, b in ram):
            # libkdumpfile answers "Excluded page" for any pfn without data; its
            # memory.pagemap (the 1st bitmap) says this one is not RAM at all
            if st != "not in memory":
                return "FAIL", "pfn %d is not in libkdumpfile's memory.pagemap, we say %s" % (n["pfn"], st)
        elif st not in ("excluded", "missing"):
            return "FAIL", "pfn %d (%s; libkdumpfile: %s): we say %s" % (n["pfn"], n["kind"], n["MACHPHYSADDR"].get("error"), st)
    return "ok", "%d pages identical, %d missing where libkdumpfile fails, %d probes agree" % (nsame, nmissing, len(probes))


def main():
    with open(os.path.join(PEER, "manifest.json")) as f:
        m = json.load(f)
    npass = nfail = nskip = 0
    todo = []
    for e in m["files"]:
        fn = e["file"]
        if fn.startswith("diskdump-") or fn.startswith("extra-diskdump-"):
            todo.append((fn, [os.path.join(FILES, fn)], e, "trunc" in fn or "incomplete" in fn))
    for s in m["sets"]:
        todo.append((s["set"] + " (set of %d)" % len(s["files"]), [os.path.join(FILES, x) for x in s["files"]], s, False))
    for name, paths, e, lenient in todo:
        st, msg = check(name, paths, e, lenient)
        print("%-4s %s: %s" % (st, name, msg))
        if st == "ok":
            npass += 1
        elif st == "skip":
            nskip += 1
        else:
            nfail += 1
    print("%d passed, %d failed, %d skipped" % (npass, nfail, nskip))
    return 1 if nfail else 0


sys.exit(main())
