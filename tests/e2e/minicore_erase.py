#!/usr/bin/python3
"""Every page of a mini.core against the original, through libkdumpfile
(python3-libkdumpfile, an independent reader), issue 15:

  each page that mini.core holds equals the original page, except bytes that
  are exactly 'X' (0x58) inside the erased ranges of the manifest, in pages
  the manifest marks partial or scrubbed; every byte of those ranges is 'X';
  no page that the original lacks (excluded, missing) is in mini.core.

The check walks every pfn below the manifest's max_mapnr.

usage: minicore_erase.py ORIGINAL MINI.CORE [MANIFEST]
prints "ok ..." or "FAIL ..."; exit 0 when all passed, 77 when the kdumpfile
module is missing."""
import json
import sys

try:
    import kdumpfile
except ImportError:
    print("skip libkdumpfile page check: python3 kdumpfile module not installed")
    sys.exit(77)

POISON = 0x58
SCRUB = ("payload", "dmesg", "comm")


def read(k, addr, n):
    try:
        return bytes(k.read(kdumpfile.KDUMP_MACHPHYSADDR, addr, n))
    except Exception:  # excluded / not in the dump, in libkdumpfile's terms
        return None


def main():
    orig, mini = sys.argv[1], sys.argv[2]
    man = json.load(open(sys.argv[3] if len(sys.argv) > 3 else mini + ".manifest.json"))
    psz = man["page_size"]
    ko, km = kdumpfile.kdumpfile(orig), kdumpfile.kdumpfile(mini)
    # erased bytes per pfn: list of (start, end) offsets, and why
    erased, scrubbed = {}, set()
    for r in man["erased"]["ranges"]:
        a, e = int(r["start_paddr"], 16), int(r["end_paddr"], 16)
        while a < e:
            pfn = a // psz
            pe = min((pfn + 1) * psz, e)
            erased.setdefault(pfn, []).append((a - pfn * psz, pe - pfn * psz))
            if any(x in r["reasons"] for x in SCRUB):
                scrubbed.add(pfn)
            a = pe
    partial = set()
    for r in man["ranges"]:
        if r["partial"]:
            s = int(r["start_pfn"], 16)
            partial.update(range(s, s + r["pages"]))
    bad, same, poisoned, absent, xbytes = [], 0, 0, 0, 0
    top = man["max_mapnr"] if man["format"] != "elf" else max(
        [int(r["end_paddr"], 16) // psz for r in man["ranges"]] + [0])
    for pfn in range(top):
        m = read(km, pfn * psz, psz)
        if m is None:
            absent += 1
            continue
        o = read(ko, pfn * psz, psz)
        if o is None:
            bad.append("pfn 0x%x: in mini.core but not readable in the original" % pfn)
            continue
        spans = erased.get(pfn, [])
        inside = bytearray(psz)
        for a, e in spans:
            inside[a:e] = b"\1" * (e - a)
            if m[a:e] != bytes([POISON]) * (e - a):
                bad.append("pfn 0x%x: erased bytes 0x%x-0x%x are not all 'X'" % (pfn, a, e))
        if m == o:
            same += 1
            continue
        if spans and pfn not in partial and pfn not in scrubbed:
            bad.append("pfn 0x%x: erased bytes in a page the manifest marks neither partial nor scrubbed" % pfn)
        for i in range(psz):
            if m[i] != o[i] and (m[i] != POISON or not inside[i]):
                bad.append("pfn 0x%x: byte 0x%x is 0x%02x in mini.core, 0x%02x in the original, not an erased 'X'" %
                           (pfn, i, m[i], o[i]))
                break
        xbytes += sum(1 for i in range(psz) if inside[i] and m[i] != o[i])
        poisoned += 1
    name = mini.rsplit("/", 1)[-1]
    if bad or not same:
        print("FAIL libkdumpfile page walk of %s: %d problems: %s" % (name, len(bad), "; ".join(bad[:4])))
        return 1
    print("ok   libkdumpfile walked all %d pfns of %s: %d pages equal the original, %d differ only in %d erased "
          "'X' bytes, %d absent" % (top, name, same, poisoned, xbytes, absent))
    return 0


sys.exit(main())
