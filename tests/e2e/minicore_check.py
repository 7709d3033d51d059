#!/usr/bin/python3
"""Cross-checks a mini.core with libkdumpfile (python3-libkdumpfile, an
independent reader): every page that our reader lists as present/zero in
LIST ("pfn state crc32" lines from pageread) must read back through
libkdumpfile with the same CRC, and excluded/not-in-memory pages must fail.

usage: minicore_check.py MINI.CORE LIST
prints "ok ..." / "FAIL ..." lines; exit 0 when all passed, 77 when the
kdumpfile module is missing."""
import sys
import zlib

try:
    import kdumpfile
except ImportError:
    print("skip libkdumpfile cross-check: python3 kdumpfile module not installed")
    sys.exit(77)


def main():
    path, listing = sys.argv[1], sys.argv[2]
    k = kdumpfile.kdumpfile(path)
    psz = k.attr["arch.page_size"] if "arch.page_size" in k.attr else 4096
    good = bad = absent_ok = 0
    for line in open(listing):
        pfn_s, state, crc = line.split()[0], " ".join(line.split()[1:-1]), line.split()[-1]
        pfn = int(pfn_s)
        try:
            data = k.read(kdumpfile.KDUMP_MACHPHYSADDR, pfn * psz, psz)
        except Exception:  # excluded / not present in libkdumpfile's terms
            data = None
        if state in ("present", "zero"):
            if data is None or "%08x" % zlib.crc32(bytes(data)) != crc:
                bad += 1
                if bad < 5:
                    print("  pfn %d: libkdumpfile %s, pageread %s" % (pfn, "error" if data is None else
                                                                     "%08x" % zlib.crc32(bytes(data)), crc))
            else:
                good += 1
        elif data is None:
            absent_ok += 1
        else:
            bad += 1
            if bad < 5:
                print("  pfn %d: pageread says %s but libkdumpfile reads it" % (pfn, state))
    fmt = k.attr["file.format"]
    if bad or not good:
        print("FAIL libkdumpfile reads %s (%s): %d pages differ, %d match" % (path, fmt, bad, good))
        return 1
    print("ok   libkdumpfile reads %s (%s): %d pages identical, %d absent pages refused" %
          (path.rsplit("/", 1)[-1], fmt, good, absent_ok))
    return 0


sys.exit(main())
