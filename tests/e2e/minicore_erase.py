#!/usr/bin/python3
"""Every page of a mini.core against the original, through libkdumpfile
(python3-libkdumpfile, an independent reader), issue 15:

  each page that mini.core holds equals the original page, except bytes that
  are exactly 'X' (0x58) inside the erased ranges of the manifest, in pages
  the manifest marks partial or scrubbed; every byte of those ranges is 'X';
  no page that the original lacks (excluded, missing) is in mini.core.

The check walks every pfn below the manifest's max_mapnr.

usage: minicore_erase.py ORIGINAL MINI.CORE [MANIFEST]
       minicore_erase.py eraseinfo MINI.CORE [MANIFEST]
The second form checks makedumpfile's ERASEINFO of a mini.core (kdump: the
text at the sub-header's offset_eraseinfo/size_eraseinfo; ELF: the note
named ERASEINFO of type 0): one "erase REASONS@0xPAGE size N" line per page,
N the erased bytes of the page in the manifest.
prints "ok ..." or "FAIL ..."; exit 0 when all passed, 77 when the kdumpfile
module is missing."""
import json
import struct
import sys


def eraseinfo_text(path):
    b = open(path, "rb").read()
    if b[:4] == b"\x7fELF":
        phoff, = struct.unpack_from("<Q", b, 32)
        phnum, = struct.unpack_from("<H", b, 56)
        for i in range(phnum):
            ptype, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", b, phoff + 56 * i)
            if ptype != 4:
                continue
            o = off
            while o + 12 <= off + filesz:
                nsz, dsz, typ = struct.unpack_from("<III", b, o)
                name = b[o + 12:o + 12 + nsz]
                desc = o + 12 + (nsz + 3 & ~3)
                if name == b"ERASEINFO\0" and typ == 0:
                    return b[desc:desc + dsz].decode()
                o = desc + (dsz + 3 & ~3)
        return None
    block, = struct.unpack_from("<I", b, 8 + 4 + 390 + 6 + 16 + 4)  # past signature, version, utsname, pad, timeval, status
    off, size = struct.unpack_from("<QQ", b, block + 64)
    return b[off:off + size].decode() if size else None


def elf_pfns(path, psz):
    b = open(path, "rb").read(1 << 20)
    phoff, = struct.unpack_from("<Q", b, 32)
    phnum, = struct.unpack_from("<H", b, 56)
    if phnum == 0xffff:
        shoff, = struct.unpack_from("<Q", b, 40)
        phnum, = struct.unpack_from("<I", b, shoff + 44)
    b = open(path, "rb").read(phoff + 56 * phnum)
    out = []
    for i in range(phnum):
        ptype, _, _, _, paddr, filesz = struct.unpack_from("<IIQQQQ", b, phoff + 56 * i)
        if ptype == 1:
            out.extend(range(paddr // psz, (paddr + filesz) // psz))
    return out


def check_eraseinfo(mini, man):
    psz = man["page_size"]
    want = {}
    for r in man["erased"]["ranges"]:
        a, e = int(r["start_paddr"], 16), int(r["end_paddr"], 16)
        while a < e:
            pe = min((a // psz + 1) * psz, e)
            want[a // psz] = want.get(a // psz, 0) + pe - a
            a = pe
    text = eraseinfo_text(mini)
    if text is None:
        print("FAIL %s: no ERASEINFO" % mini)
        return 1
    got = {}
    for line in text.splitlines():
        w = line.split()
        if len(w) != 4 or w[0] != "erase" or w[2] != "size" or "@0x" not in w[1]:
            print("FAIL %s: ERASEINFO line %r is not 'erase EXPR size N'" % (mini, line))
            return 1
        got[int(w[1].split("@")[1], 16) // psz] = int(w[3])
    if got != want:
        diff = [p for p in set(got) | set(want) if got.get(p) != want.get(p)][:3]
        print("FAIL %s: ERASEINFO and manifest differ at pfns %s" % (mini, ", ".join("0x%x" % p for p in diff)))
        return 1
    print("ok   ERASEINFO of %s: %d lines, %d bytes, the manifest's erased bytes page by page" %
          (mini.rsplit("/", 1)[-1], len(got), len(text)))
    return 0

try:
    import kdumpfile
except ImportError:
    kdumpfile = None

POISON = 0x58
SCRUB = ("payload", "dmesg", "comm")


def read(k, addr, n):
    try:
        return bytes(k.read(kdumpfile.KDUMP_MACHPHYSADDR, addr, n))
    except Exception:  # excluded / not in the dump, in libkdumpfile's terms
        return None


def main():
    if sys.argv[1] == "eraseinfo":
        return check_eraseinfo(sys.argv[2], json.load(open(sys.argv[3] if len(sys.argv) > 3 else
                                                            sys.argv[2] + ".manifest.json")))
    if kdumpfile is None:
        print("skip libkdumpfile page check: python3 kdumpfile module not installed")
        return 77
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
    if man["format"] != "elf":
        top = man["max_mapnr"]
        walk = range(top)
    else:
        # libkdumpfile 0.5.1 answers a read of the page just below an ELF
        # segment with zeros: walk what the PT_LOADs hold (pages with data)
        walk = elf_pfns(mini, psz)
        top = len(walk)
    for pfn in walk:
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


if __name__ == "__main__":
    sys.exit(main())
