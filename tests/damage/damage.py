# SPDX-License-Identifier: GPL-2.0-or-later
"""
Damaged-input runner shared by tests/e2e/damage.sh (quick, part of make test)
and tests/damage/run.sh (the full campaign, make damage).

  damage.py --mode quick|full --work DIR [--fixtures DIR] [--report FILE]

Builds base inputs from the real fixtures, derives damaged cases from them
(truncations at every header field boundary and at random offsets, random bit
flips spread over headers, bitmaps, descriptors and page data, hostile field
values, and in full mode zeroed pages, descriptors past EOF or at each other,
oversized compressed sizes and lying bitmaps), runs skbfilter --info --json,
pageread --all and the default job on each, and classes every run:

  named error      exit 3, "skbfilter: error: <file>: ..." naming the file
  labelled partial exit 1 with warnings (pageread: output differs, with warnings
                   or pages reported missing)
  identical        same exit status and output as on the undamaged input
  silent change    exit 0, output differs, no warning: the damage hit bytes the
                   format cannot check (raw page data, text fields, unchecksummed
                   codecs); reported, not a failure
and the failures: crash (signal / exit >= 128), hang (> timeout), sanitizer
report, allocation failure or RSS above the bound, exit 1 without a warning,
exit 3 without naming the file, other exit codes, input file modified.

Reproducible: every random choice comes from random.Random(seed).
Damage is applied to one working copy per worker and undone after each case
(patched bytes restored, truncation restored from the base), so big fixtures
need no per-case copy.
"""
import argparse
import bisect
import concurrent.futures as cf
import hashlib
import os
import random
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dumpfmt  # noqa: E402

MiB = 1 << 20
OK_CLASSES = ("named error", "partial", "identical", "silent change")
FAIL_CLASSES = ("crash", "hang", "sanitizer", "alloc", "unlabelled partial", "unnamed error",
                "bad exit", "input modified")

# ---------------------------------------------------------------- inputs


def zstd_head(src, dst, nbytes):
    """The first nbytes of a .zst fixture (stops decompressing early)."""
    with open(dst, "wb") as out:
        p = subprocess.Popen(["zstd", "-dc", "--long=31", src], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        left = nbytes
        while left > 0:
            b = p.stdout.read(min(left, MiB))
            if not b:
                break
            out.write(b)
            left -= len(b)
        p.kill()
        p.wait()


def zstd_full(src, dst):
    subprocess.run(["zstd", "-dqf", "--long=31", src, "-o", dst], check=True)


SHRINK_PFNS = 32768  # the shrunk dumps cover 128 MiB of 4 KiB pages


def shrink_plan(k, npages):
    """pfns kept by a shrunk dump and its max_mapnr: the first 16 dumped pages and an
    even sample of the dumped pages in the first SHRINK_PFNS pfns from the lowest RAM pfn."""
    lo = k.dumped[0] if k.dumped else 0
    max_mapnr = min(k.max_mapnr, (lo + SHRINK_PFNS + 7) // 8 * 8)
    window = [p for p in k.dumped if p < max_mapnr]
    step = max(1, len(window) // npages)
    return set(window[:16]) | set(window[::step]), max_mapnr


def shrink(k, npages):
    keep, max_mapnr = shrink_plan(k, npages)
    return dumpfmt.kdump_shrink(k, keep, max_mapnr), len(keep), max_mapnr


def prepare_compressed(fx, base_dir, log, add):
    """gzip/xz/zstd/bzip2 files of the tx kdump-zstd shrunk to 300 pages (issue #14: compressed
    dump files are read directly, so their decoders meet damage too)."""
    src = os.path.join(fx, "tx-vxlan-tcp", "vmcore.kdump-zstd")
    if not os.path.exists(src):
        return
    k = dumpfmt.Kdump(open(src, "rb").read())
    small, nkeep, _ = shrink(k, 300)
    for ext, argv in (("gz", ["gzip", "-c", "-6"]), ("xz", ["xz", "-c", "-1"]),
                      ("zst", ["zstd", "-q", "-c", "-3"]), ("bz2", ["bzip2", "-c", "-9"])):
        if not shutil.which(argv[0]):
            log("no %s input: %s not installed" % (ext, argv[0]))
            continue
        d = os.path.join(base_dir, "compressed-" + ext)
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, "vmcore.kdump." + ext)
        with open(p, "wb") as f:
            subprocess.run(argv, input=small, stdout=f, check=True)
        add(ext, p, "compressed", "tx vmcore.kdump-zstd shrunk to %d pages, %s-compressed" % (nkeep, argv[0]))


def prepare_inputs(mode, fx, base_dir, log, skbfilter=None, compressed=False):
    """Returns a list of input dicts: name, path, kind (kdump/flat/elf/compressed), note."""
    os.makedirs(base_dir, exist_ok=True)
    inputs = []

    def add(name, path, kind, note):
        inputs.append(dict(name=name, path=path, kind=kind, note=note))

    tx = os.path.join(fx, "tx-vxlan-tcp")
    seed = os.path.join(fx, "seed-gso-mismatch")
    arm = os.path.join(fx, "arm64-tx-vxlan-tcp")

    def add_minicores():
        # skbfilter's own minimized dump (makedumpfile's format): the pages the default job
        # needs, so on this input the job runs to the end and damage reaches its later stages.
        src = os.path.join(tx, "vmcore.kdump-zstd")
        if skbfilter and os.path.exists(src):
            d = os.path.join(base_dir, "minicore")
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, "vmcore.mini")
            r = subprocess.run([skbfilter, "-q", "--force", "-o", p, src], cwd=d, capture_output=True)
            if r.returncode in (0, 1) and os.path.exists(p):
                add("minicore", p, "kdump", "skbfilter -o mini.core of tx vmcore.kdump-zstd (zlib)")
            else:
                log("no mini.core input: skbfilter -o failed (%s)" % r.stderr.decode("utf-8", "replace").strip()[-120:])
            # -E with every scrub policy: the kernel note, the erase note and the ERASEINFO note in PT_NOTE
            p = os.path.join(d, "vmcore.mini.elf")
            r = subprocess.run([skbfilter, "-q", "--force", "-E", "--scrub=payload,dmesg,comm", "-o", p, src], cwd=d,
                               capture_output=True)
            if r.returncode in (0, 1) and os.path.exists(p):
                add("minicore-elf", p, "elf", "skbfilter -E --scrub=payload,dmesg,comm -o of tx vmcore.kdump-zstd")

    if mode == "quick":
        npages = 300
        for scen, codec, tag in ((tx, "zlib", ""), (tx, "lzo", ""), (tx, "snappy", ""), (tx, "zstd", ""),
                                 (arm, "lzo", "arm64-")):
            src = os.path.join(scen, "vmcore.kdump-" + codec)
            if not os.path.exists(src):
                continue
            k = dumpfmt.Kdump(open(src, "rb").read())
            d = os.path.join(base_dir, tag + "kdump-" + codec)
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, "vmcore.kdump")
            small, nkeep, mm = shrink(k, npages)
            with open(p, "wb") as f:
                f.write(small)
            add(tag + "kdump-" + codec, p, "kdump",
                "%s shrunk to %d of its %d dumped pages, max_mapnr %d" % (os.path.basename(src), nkeep, k.ndesc, mm))
        src = os.path.join(seed, "vmcore.flat")
        if os.path.exists(src):
            data = open(src, "rb").read()
            kb, _ = dumpfmt.unflatten(data)
            k = dumpfmt.Kdump(kb)
            small, _, _ = shrink(k, npages)
            ks = dumpfmt.Kdump(small)
            cuts = [x[1] for x in ks.regions()]
            d = os.path.join(base_dir, "flat")
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, "vmcore.flat")
            with open(p, "wb") as f:
                f.write(dumpfmt.flatten(small, chunk=65536, split_points=cuts))
            add("flat", p, "flat", "seed vmcore.flat rebuilt, shrunk to %d pages, re-flattened" % ks.ndesc)
        add_minicores()
        for scen, fn, tag in ((tx, "vmcore.elf.zst", "elf"), (arm, "vmcore-d31.elf.zst", "arm64-elf-d31")):
            src = os.path.join(scen, fn)
            if not os.path.exists(src):
                continue
            d = os.path.join(base_dir, tag)
            os.makedirs(d, exist_ok=True)
            p = os.path.join(d, "vmcore.elf")
            zstd_head(src, p, 4 * MiB)
            add(tag, p, "elf", "first 4 MiB of %s (a truncated ELF)" % fn)
    else:
        for scen in (tx, seed, arm):
            if not os.path.isdir(scen):
                continue
            sname = os.path.basename(scen)
            for fn in sorted(os.listdir(scen)):
                src = os.path.join(scen, fn)
                if fn.startswith("vmcore.kdump-"):
                    add(sname + "/" + fn[7:], src, "kdump", "as delivered")
                elif fn == "vmcore.flat":
                    add(sname + "/flat", src, "flat", "as delivered")
                elif fn.endswith(".elf.zst"):
                    d = os.path.join(base_dir, sname)
                    os.makedirs(d, exist_ok=True)
                    p = os.path.join(d, fn[:-4])
                    if not os.path.exists(p):
                        log("decompressing %s" % src)
                        zstd_full(src, p)
                    add(sname + "/" + fn[7:-4], p, "elf", "decompressed")
        add_minicores()
    if compressed:
        prepare_compressed(fx, base_dir, log, add)
    return inputs


# ---------------------------------------------------------------- cases

def flip(data, off, bit):
    return (off, bytes([data[off] ^ (1 << bit)]))


def put(data, off, fmt, val):
    b = struct.pack(fmt, val)
    return (off, b)


def kdump_layout(path, kind):
    head = open(path, "rb").read()
    if kind == "flat":
        kb, recs = dumpfmt.unflatten(head)
        return head, dumpfmt.Kdump(kb), recs
    return head, dumpfmt.Kdump(head), None


def gen_cases(inp, rng, P, fsize, data):
    """Cases for one input.  data: the file (or its first MiBs for huge ELFs).
    A case: (category, description, patches [(off, bytes)], truncate_to or None, stdin)."""
    cases = []
    kind = inp["kind"]
    regions = []
    cuts = []
    k = None
    elf = None
    if kind == "kdump":
        k = dumpfmt.Kdump(data)
        regions = k.regions()
        cuts = k.field_boundaries()
    elif kind == "flat":
        fregions, fcuts, recs = dumpfmt.flat_regions_and_cuts(data)
        regions = fregions[:1] + fregions[1:1 + 64]
        cuts = fcuts
        # map the kdump structures through the first records (header, bitmaps, descriptors)
        kb, rrecs = dumpfmt.unflatten(data)
        k = dumpfmt.Kdump(kb)
        for name, a, b in k.regions():
            for off, src, n in rrecs:
                lo, hi = max(a, off), min(b, off + n)
                if lo < hi:
                    regions.append((name, src + lo - off, src + hi - off))
                    break
        k = None
    elif kind == "compressed":
        # the container's header (magic, flags, first block header) and its body; cuts in the header
        regions = [("stream_header", 0, min(32, fsize)), ("stream_body", min(32, fsize), fsize)]
        cuts = list(range(1, min(32, fsize)))
    else:
        elf = dumpfmt.Elf(data)
        regions = elf.regions(limit=len(data))
        cuts = elf.field_boundaries()

    # truncation at every header field boundary (quick mode: every boundary in the
    # first 48, an even sample of the rest: record headers of a flattened stream)
    cuts = [c for c in cuts if c < fsize]
    if len(cuts) > P["cuts_max"]:
        rest = cuts[48:]
        step = len(rest) / (P["cuts_max"] - 48)
        cuts = cuts[:48] + [rest[int(i * step)] for i in range(P["cuts_max"] - 48)]
    for c in cuts:
        if c < fsize:
            cases.append(("truncate-fields", "truncate at %d" % c, [], c, False))
    # random truncations
    for _ in range(P["trunc_random"]):
        c = rng.randrange(1, fsize)
        cases.append(("truncate-random", "truncate at %d" % c, [], c, False))
    # bit flips spread over the regions (round robin, the bits of a case in one region)
    nreg = len(regions)
    names = sorted(set(r[0] for r in regions))
    for i in range(P["flip_cases"]):
        name = names[i % len(names)]
        rs = [r for r in regions if r[0] == name]
        _, a, b = rs[rng.randrange(len(rs))]
        nbits = 1 if name in ("header", "sub_header", "ehdr", "phdrs", "flat_header", "record_header",
                              "stream_header") else P["bits_bulk"]
        patches = {}
        for _ in range(nbits):
            off = rng.randrange(a, b)
            cur = patches.get(off, data[off:off + 1])[0] if off < len(data) else 0
            patches[off] = bytes([cur ^ (1 << rng.randrange(8))])
        cases.append(("bitflip-" + name, "flip %d bit(s) in %s at %s" % (
            nbits, name, ",".join(str(o) for o in sorted(patches))), sorted(patches.items()), None, False))
    # hostile field values
    hostile = []
    if kind == "kdump":
        bs = k.block_size
        for fname, o, s in dumpfmt.KDUMP_HDR_FIELDS[1:]:
            if fname.startswith("utsname") or fname == "pad":
                hostile.append((fname, o, b"\xff" * s))
                continue
            for v in (0, (1 << (8 * s)) - 1, (1 << (8 * s - 1)) - 1, 1 << (8 * s - 1)):
                hostile.append((fname, o, v.to_bytes(s, "little")))
        for fname, o, s in dumpfmt.KDUMP_SUB_FIELDS:
            for v in (0, (1 << (8 * s)) - 1, (1 << (8 * s - 1)) - 1, fsize + 4096):
                hostile.append((fname, bs + o, v.to_bytes(s, "little")))
        for i in sorted(set([0, 1, k.ndesc // 2, k.ndesc - 1])):
            if not 0 <= i < k.ndesc:
                continue
            doff = k.desc_off + i * dumpfmt.DESC_SIZE
            off, size, flags, pflags = k.desc(i)
            for what, fo, fmt, v in (("offset", 0, "<q", -1), ("offset", 0, "<q", fsize),
                                     ("offset", 0, "<q", (1 << 63) - 1), ("offset", 0, "<q", fsize - 10),
                                     ("offset", 0, "<q", 0), ("offset", 0, "<q", k.desc_off),
                                     ("size", 8, "<I", 0), ("size", 8, "<I", k.block_size + 1),
                                     ("size", 8, "<I", 0xffffffff), ("size", 8, "<I", 1 << 20),
                                     ("flags", 12, "<I", 0xffffffff), ("flags", 12, "<I", 0x3),
                                     ("flags", 12, "<I", 0x40), ("flags", 12, "<I", 0)):
                hostile.append(("desc[%d].%s" % (i, what), doff + fo, struct.pack(fmt, v)))
    elif kind == "elf":
        for fname, o, s in dumpfmt.Elf.EHDR64[1:]:
            for v in (0, (1 << (8 * s)) - 1):
                hostile.append((fname, o, v.to_bytes(s, "little")))
        hostile.append(("e_phnum=PN_XNUM", 56, (0xffff).to_bytes(2, "little")))
        for j, ph in enumerate(elf.phdrs[:4] + elf.phdrs[-2:]):
            for fname, o, s in dumpfmt.Elf.PHDR64:
                for v in (0, (1 << (8 * s)) - 1, fsize + 4096 if s == 8 else 1):
                    hostile.append(("phdr@%d.%s" % (ph["hdr_off"], fname), ph["hdr_off"] + o, v.to_bytes(s, "little")))
        for a, b in elf.note_ranges():
            o = a
            n = 0
            while o + 12 <= min(b, len(data)) and n < 4:
                for fo, fname in ((0, "namesz"), (4, "descsz")):
                    for v in (0xffffffff, 0x7ffffffc, b - o):
                        hostile.append(("note@%d.%s" % (o, fname), o + fo, struct.pack("<I", v)))
                nsz, dsz = struct.unpack_from("<II", data, o)
                o += 12 + ((nsz + 3) & ~3) + ((dsz + 3) & ~3)
                n += 1
    elif kind == "compressed":
        pass
    else:  # flat
        _, _, recs = dumpfmt.flat_regions_and_cuts(data)
        hostile.append(("type", 16, struct.pack(">q", 2)))
        hostile.append(("version", 24, struct.pack(">q", 99)))
        for r in recs[:3] + recs[len(recs) // 2:len(recs) // 2 + 1] + recs[-2:]:
            for what, fo, v in (("offset", 0, -2), ("offset", 0, (1 << 62)), ("offset", 0, (1 << 63) - 1),
                                ("offset", 0, 0), ("buf_size", 8, -1), ("buf_size", 8, 1 << 40),
                                ("buf_size", 8, 0), ("buf_size", 8, fsize), ("offset", 0, -1)):
                hostile.append(("record@%d.%s" % (r, what), r + fo, struct.pack(">q", v)))
    # mini.core's own notes: the header fields of the kernel and erase notes (magic, version, flags,
    # raw_len, comp_len) and the ERASEINFO text
    for name, a, b in regions:
        if name in ("kernel_note", "erase_note"):
            for what, fo, fmt, vals in (("version", 8, "<I", (0, 2, 0xffffffff)), ("flags", 12, "<I", (0, 2)),
                                        ("raw_len", 16, "<Q", (0, 1, 1 << 40, (1 << 64) - 1)),
                                        ("comp_len", 24, "<Q", (0, 1 << 40, b - a))):
                for v in vals:
                    hostile.append(("%s.%s" % (name, what), a + fo, struct.pack(fmt, v)))
            hostile.append(("%s.magic" % name, a, b"SKBFXXXX"))
        elif name == "eraseinfo":
            hostile.append(("eraseinfo.text", a, b"\0\xff" * min(16, (b - a) // 2)))
    hostile = [h for h in hostile if h[1] + len(h[2]) <= fsize]
    if len(hostile) > P["hostile_max"]:
        hostile = rng.sample(hostile, P["hostile_max"])
    for fname, o, b in hostile:
        if o + len(b) <= fsize:
            cases.append(("hostile-fields", "%s = %s" % (fname, b.hex()), [(o, b)], None, False))

    if P["full"]:
        cases += gen_structural(inp, rng, P, fsize, data, regions)

    # stdin: flattened streams and compressed files also come through pipes
    if kind in ("flat", "compressed"):
        picked = [c for c in cases if c[0] != "hostile-fields"]
        for c in rng.sample(picked, min(P["stdin_cases"], len(picked))):
            cases.append(("stdin", c[1] + " (via stdin)", c[2], c[3], True))
    return cases


def gen_structural(inp, rng, P, fsize, data, regions):
    """Full campaign only: zeroed pages, descriptors past EOF / at each other,
    compressed sizes above the page size, lying bitmaps."""
    cases = []
    kind = inp["kind"]
    # zeroed 4 KiB pages across the regions
    for i in range(P["zero_pages"]):
        name, a, b = regions[i % len(regions)]
        off = (rng.randrange(a, b) // 4096) * 4096
        n = min(4096, fsize - off)
        cases.append(("zeroed-page", "zero 4096 bytes at %d (%s)" % (off, name), [(off, bytes(n))], None, False))
    if kind != "kdump":
        return cases
    k = dumpfmt.Kdump(data)
    ps = k.block_size
    idxs = [rng.randrange(k.ndesc) for _ in range(P["desc_cases"])]
    for i in idxs:
        doff = k.desc_off + i * dumpfmt.DESC_SIZE
        off, size, flags, pflags = k.desc(i)
        j = rng.randrange(k.ndesc)
        joff, jsize, jflags, jp = k.desc(j)
        choice = rng.randrange(6)
        if choice == 0:
            cases.append(("desc-past-eof", "desc[%d].offset = EOF+%d" % (i, rng.randrange(1 << 30)),
                          [(doff, struct.pack("<q", fsize + rng.randrange(1 << 30)))], None, False))
        elif choice == 1:
            cases.append(("desc-past-eof", "desc[%d] straddles EOF" % i,
                          [(doff, struct.pack("<q", fsize - max(1, size // 2)))], None, False))
        elif choice == 2:
            cases.append(("desc-aliased", "desc[%d] -> desc[%d]'s data" % (i, j),
                          [(doff, struct.pack("<qII", joff, jsize, jflags))], None, False))
        elif choice == 3:
            t = k.desc_off + rng.randrange(k.ndesc) * dumpfmt.DESC_SIZE
            cases.append(("desc-aliased", "desc[%d] -> the descriptor table at %d" % (i, t),
                          [(doff, struct.pack("<qI", t, ps))], None, False))
        elif choice == 4:
            v = rng.choice([ps + 1, 2 * ps, 1 << 24, 0x7fffffff, 0xffffffff])
            cases.append(("desc-size-big", "desc[%d].size = %d" % (i, v),
                          [(doff + 8, struct.pack("<I", v))], None, False))
        else:
            v = rng.choice([ps - 1, 1, size + 1 if size < ps else ps - 1])
            cases.append(("desc-size-big", "desc[%d].size = %d (page %d)" % (i, v, ps),
                          [(doff + 8, struct.pack("<I", v))], None, False))
    half = k.bitmap_len // 2
    b1, b2 = k.bitmap_off, k.bitmap_off + half
    maxbyte = min(half, (k.max_mapnr + 7) // 8)
    for n in range(P["bitmap_cases"]):
        choice = n % 5
        if choice == 0:  # 2nd bitmap claims a page that has no descriptor
            zero_bytes = [i for i in range(0, maxbyte, max(1, maxbyte // 4096)) if data[b2 + i] != 0xff]
            o = rng.choice(zero_bytes)
            cases.append(("bitmap-lies", "2nd bitmap: set all bits of byte %d" % o,
                          [(b2 + o, b"\xff")], None, False))
        elif choice == 1:  # 2nd bitmap hides dumped pages
            p = k.dumped[rng.randrange(k.ndesc)]
            cases.append(("bitmap-lies", "2nd bitmap: clear pfn %d's byte" % p,
                          [(b2 + p // 8, b"\x00")], None, False))
        elif choice == 2:  # dumped but not RAM
            p = k.dumped[rng.randrange(k.ndesc)]
            cases.append(("bitmap-lies", "1st bitmap: clear pfn %d's byte" % p,
                          [(b1 + p // 8, b"\x00")], None, False))
        elif choice == 3:  # every page dumped: count far above the descriptors
            cases.append(("bitmap-lies", "2nd bitmap all ones", [(b2, b"\xff" * half)], None, False))
        else:  # 2nd bitmap zeroed / 1st all ones
            if rng.randrange(2):
                cases.append(("bitmap-lies", "2nd bitmap all zero", [(b2, bytes(half))], None, False))
            else:
                cases.append(("bitmap-lies", "1st bitmap all ones", [(b1, b"\xff" * half)], None, False))
    return cases


METADATA = ("truncate-fields", "hostile-fields", "bitmap-lies", "stdin", "bitflip-header", "bitflip-sub_header",
            "bitflip-notes", "bitflip-vmcoreinfo", "bitflip-bitmap1", "bitflip-bitmap2", "bitflip-descriptors",
            "bitflip-ehdr", "bitflip-phdrs", "bitflip-flat_header", "bitflip-record_header")


def target_pageread(inp, data, cases, base_pr, rng, P):
    """Full campaign: pageread --all on every P["all_every"]th case that damages the page
    map (headers, bitmaps, descriptor table); otherwise pageread --pfn on the pages the
    damage can reach plus a sample of 48 held pages (compared line by line with the
    undamaged --all output), so the campaign's cost stays proportional."""
    if not base_pr or "held" not in base_pr:
        return cases
    held = base_pr["held"]
    locate = lambda off: []
    if inp["kind"] == "kdump":
        k = dumpfmt.Kdump(data)
        blobs = sorted((k.desc(i)[0], k.dumped[i]) for i in range(k.ndesc))
        starts = [b[0] for b in blobs]

        def locate(off):
            if k.desc_off <= off < k.desc_end:
                return [k.dumped[(off - k.desc_off) // dumpfmt.DESC_SIZE]]
            j = bisect.bisect_right(starts, off) - 1
            return [blobs[j][1]] if j >= 0 and off >= k.desc_end else []
    elif inp["kind"] == "elf":
        e = dumpfmt.Elf(data)

        def locate(off):
            for ph in e.phdrs:
                if ph["type"] == 1 and ph["offset"] <= off < ph["offset"] + ph["filesz"]:
                    return [(ph["paddr"] + off - ph["offset"]) // 4096]
            return []
    out = []
    for i, c in enumerate(cases):
        if c[0] in METADATA and i % P["all_every"] == 0:
            out.append(c)
            continue
        pf = []
        for off, b in c[2][:16]:
            pf += locate(off)
        m = re.search(r"desc\[(\d+)\]", c[1])
        if m and inp["kind"] == "kdump":
            pf.append(k.dumped[int(m.group(1))])
        if c[3] is not None:  # truncation: pages around and after the cut
            pf += locate(min(c[3], len(data) - 1))
        pf += rng.sample(held, min(48, len(held)))
        out.append(tuple(c[:5]) + (sorted(set(pf))[:4000],))
    return out


# ---------------------------------------------------------------- running

G = {}  # per worker process state (set by worker_init; no state shared between processes)


def worker_init(cfg):
    G.update(cfg)
    G["wdir"] = os.path.join(cfg["work"], "w%d" % os.getpid())
    os.makedirs(G["wdir"], exist_ok=True)
    G["copies"] = {}


def working_copy(inp):
    c = G["copies"].get(inp["name"])
    if c:
        return c
    d = os.path.join(G["wdir"], inp["name"].replace("/", "_"))
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, os.path.basename(inp["path"]))
    shutil.copyfile(inp["path"], p)
    G["copies"][inp["name"]] = p
    return p


def run_cmd(argv, cwd, stdin_path, timeout, limit_as, env=None):
    """Runs argv; returns (rc or None on timeout, stdout bytes, stderr bytes, maxrss KiB, secs)."""
    out_f = os.path.join(cwd, ".out")
    err_f = os.path.join(cwd, ".err")
    rss_f = os.path.join(cwd, ".rss")
    # Peak RSS comes from /usr/bin/time: a child forked from this (large) Python process
    # inherits its high-water mark, so wait4's ru_maxrss would report Python's size.
    timed = os.access("/usr/bin/time", os.X_OK)
    if timed:
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_f] + argv

    def pre():
        os.setsid()
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    with open(out_f, "wb") as fo, open(err_f, "wb") as fe, \
            open(stdin_path if stdin_path else os.devnull, "rb") as fi:
        t0 = time.monotonic()
        p = subprocess.Popen(argv, cwd=cwd, stdin=fi, stdout=fo, stderr=fe, preexec_fn=pre,
                             env=env or G["env"])
        timed_out = []

        def kill():
            timed_out.append(1)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        t = threading.Timer(timeout, kill)
        t.start()
        _, status, ru = os.wait4(p.pid, 0)
        t.cancel()
        p.returncode = 0  # reaped here; keep Popen from waiting again
        secs = time.monotonic() - t0
    rc = None if timed_out else (os.waitstatus_to_exitcode(status))
    rss = ru.ru_maxrss
    if timed:
        try:
            with open(rss_f) as f:
                rss = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            rss = 0
    with open(out_f, "rb") as f:
        out = f.read()
    with open(err_f, "rb") as f:
        err = f.read()
    G["cpu"] = G.get("cpu", 0.0) + ru.ru_utime + ru.ru_stime
    return rc, out, err, rss, secs


def commands(cfg, fname, stdin, pfns=None):
    """The commands run on a case.  pfns: None = pageread --all, else pageread --pfn for those."""
    arg = "-" if stdin else fname
    cmds = [("info", [cfg["skbfilter"], "--info", "--json", arg], None)]
    if cfg.get("pageread"):
        if pfns is None:
            cmds.append(("pageread", [cfg["pageread"], "--all", arg], None))
        else:
            sel = []
            for p in pfns:
                sel += ["--pfn", str(p)]
            cmds.append(("pageread", [cfg["pageread"]] + sel + [arg], None))
    cmds.append(("job", [cfg["skbfilter"], "-q", "--json", "out.json", "-w", "out.pcap", arg],
                 ["out.json", "out.pcap"]))
    return cmds


def digest(out, cwd, files):
    h = hashlib.sha1(out)
    for f in files or ():
        p = os.path.join(cwd, f)
        if os.path.exists(p):
            with open(p, "rb") as fh:
                h.update(fh.read())
            os.unlink(p)
        h.update(b"|")
    return h.hexdigest()


def classify(name, rc, out, err, rss, base, fname, stdin, cfg, changed):
    e = err.decode("utf-8", "replace")
    if rc is None:
        return "hang", "no exit after %ds" % cfg["timeout"]
    if "runtime error" in e or "Sanitizer" in e:
        line = next((ln for ln in e.splitlines() if "runtime error" in ln or "Sanitizer" in ln), "")
        return "sanitizer", line[:300]
    if rc < 0 or rc >= 128:
        return "crash", "exit %d" % rc
    if "out of memory" in e or rss > cfg["rss_kib"]:
        return "alloc", "peak RSS %d KiB; %s" % (rss, e.strip()[:200])
    warned = "warning:" in e
    if name == "pageread":
        if rc == 3:
            msg = e.strip()
            names_it = any(s in msg for s in ((["-", "stdin", "standard input"] if stdin else [fname])))
            return ("named error", msg[:200]) if names_it else ("unnamed error", msg[:300])
        if rc == 1 and warned:
            return "partial", ""
        if rc != 0:
            return "bad exit", "exit %d: %s" % (rc, e.strip()[:200])
        if not changed:
            return "identical", ""
        if warned or b" missing " in out or b" -\n" in out:
            return "partial", ""
        return "silent change", ""
    if rc == 3:
        lines = [ln for ln in e.splitlines() if ln.startswith("skbfilter: error: ")]
        if not lines:
            return "unnamed error", e.strip()[:300]
        msg = lines[-1][len("skbfilter: error: "):]
        if "not implemented yet" in msg:
            return "named error", msg
        ok_names = ["-", "stdin", "<stdin>", "standard input"] if stdin else [fname]
        if any(msg.startswith(s) or (s + ":") in msg or ("'" + s + "'") in msg for s in ok_names):
            return "named error", msg[:200]
        return "unnamed error", msg[:300]
    if rc == 1:
        return ("partial", "") if warned else ("unlabelled partial", e.strip()[:200])
    if rc == 0:
        return ("identical", "") if not changed else ("silent change", "")
    return "bad exit", "exit %d: %s" % (rc, e.strip()[:200])


def apply_case(path, patches, trunc, base_path):
    with open(path, "r+b") as f:
        for off, b in patches:
            f.seek(off)
            f.write(b)
        if trunc is not None:
            f.truncate(trunc)


def undo_case(path, patches, trunc, base_path, fsize):
    with open(base_path, "rb") as src, open(path, "r+b") as f:
        if trunc is not None:
            src.seek(trunc)
            f.seek(trunc)
            left = fsize - trunc
            while left > 0:
                b = src.read(min(left, 8 * MiB))
                f.write(b)
                left -= len(b)
        for off, b in patches:
            src.seek(off)
            orig = src.read(len(b))
            f.seek(off)
            f.write(orig)


def run_case(job):
    inp, idx, case = job
    cat, desc, patches, trunc, stdin = case[:5]
    pfns = case[5] if len(case) > 5 else None
    path = working_copy(inp)
    cwd = os.path.dirname(path)
    fname = os.path.basename(path)
    apply_case(path, patches, trunc, inp["path"])
    st0 = os.stat(path)
    crc0 = None
    if st0.st_size <= 64 * MiB:
        with open(path, "rb") as f:
            crc0 = zlib.crc32(f.read())
    results = []
    env = G["env"]
    if G["leak_every"] > 1 and idx % G["leak_every"]:
        env = dict(env, ASAN_OPTIONS="detect_leaks=0:" + env.get("ASAN_OPTIONS", ""))
    for name, argv, files in commands(G, fname, stdin, pfns):
        if name not in G["base"][inp["name"]]:
            continue
        rc, out, err, rss, secs = run_cmd(argv, cwd, path if stdin else None, G["timeout"], G["limit_as"], env)
        b = G["base"][inp["name"]][name]
        if name == "pageread" and pfns is not None:
            want = "\n".join(b["lines"].get(p, "%d not in memory -" % p) for p in pfns) + "\n"
            changed = out.decode("utf-8", "replace") != want or rc != b["rc"]
        else:
            dg = digest(out, cwd, files)
            changed = dg != b["digest"] or rc != b["rc"]
        cls, why = classify(name, rc, out, err, rss, b, fname, stdin, G, changed)
        if cls not in FAIL_CLASSES and name == "job" and G["job_rss_kib"] and rss > G["job_rss_kib"]:
            cls, why = "alloc", "default job peak RSS %d KiB above the %d KiB bound" % (rss, G["job_rss_kib"])
        results.append((name, cls, why, rss, secs))
    st1 = os.stat(path)
    modified = st1.st_size != st0.st_size or st1.st_mtime_ns != st0.st_mtime_ns
    if not modified and crc0 is not None:
        with open(path, "rb") as f:
            modified = zlib.crc32(f.read()) != crc0
    undo_case(path, patches, trunc, inp["path"], inp["size"])
    if os.path.getsize(path) != inp["size"]:
        raise RuntimeError("working copy of %s not restored" % inp["name"])
    cpu, G["cpu"] = G.get("cpu", 0.0), 0.0
    return inp["name"], idx, cat, desc, results, modified, cpu


def baseline(cfg, inp):
    """Undamaged results for one input (run twice to catch nondeterminism)."""
    d = os.path.join(cfg["work"], "base", inp["name"].replace("/", "_"))
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, os.path.basename(inp["path"]))
    if not os.path.exists(p):
        try:
            os.link(inp["path"], p)
        except OSError:
            shutil.copyfile(inp["path"], p)
    res = {}
    G.update(cfg)
    for stdin in (False,):
        for name, argv, files in commands(cfg, os.path.basename(p), stdin):
            runs = []
            for _ in range(2):
                rc, out, err, rss, secs = run_cmd(argv, d, None, cfg["timeout"] * 6, cfg["limit_as"])
                runs.append((rc, digest(out, d, files), err, rss, secs))
            rc, dg, err, rss, secs = runs[0]
            res[name] = dict(rc=rc, digest=dg, err=err.decode("utf-8", "replace")[-300:], rss=rss,
                             secs=secs, deterministic=runs[0][1] == runs[1][1])
            if name == "pageread" and cfg["full"]:
                _, out, _, _, _ = run_cmd(argv, d, None, cfg["timeout"] * 6, cfg["limit_as"])
                lines = {}
                for ln in out.decode("utf-8", "replace").splitlines():
                    f = ln.split(" ", 1)
                    if len(f) == 2 and f[0].isdigit():
                        lines[int(f[0])] = ln
                res[name]["lines"] = lines
                res[name]["held"] = sorted(p for p, ln in lines.items() if not ln.endswith(" -"))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=("quick", "full"), default="quick")
    ap.add_argument("--work", required=True)
    ap.add_argument("--fixtures", default=os.environ.get("SKBFILTER_FIXTURES", ""))
    ap.add_argument("--skbfilter", default=os.environ.get("SKBFILTER", ""))
    ap.add_argument("--build", default=os.environ.get("BUILD", "build/std"))
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--report", default="")
    ap.add_argument("--only", default="", help="comma-separated input names")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply case counts")
    ap.add_argument("--compressed", action="store_true",
                    help="add gzip/xz/zstd/bzip2 inputs (a shrunk kdump, compressed): names gz, xz, zst, bz2")
    ap.add_argument("--leak-every", type=int, default=1,
                    help="sanitizer builds: LeakSanitizer on every Nth case only (it costs ~30 ms a run)")
    a = ap.parse_args()

    t_start = time.monotonic()
    log = lambda s: print("# " + s, flush=True)
    san = "san" in a.build
    pageread = os.path.join(a.build, "tests/gen/pageread")
    pageread = os.path.abspath(pageread) if os.access(pageread, os.X_OK) else ""
    full = a.mode == "full"
    P = dict(full=full,
             trunc_random=int((115 if full else 26) * a.scale),
             flip_cases=int((240 if full else 50) * a.scale),
             bits_bulk=8,
             stdin_cases=int((60 if full else 12) * a.scale),
             cuts_max=(100000 if a.scale >= 1 else max(60, int(400 * a.scale))) if full else 40, hostile_max=int((100 if full else 30) * a.scale),
             zero_pages=int(60 * a.scale), desc_cases=int(150 * a.scale), bitmap_cases=int(40 * a.scale),
             all_every=4)
    if not os.path.isdir(a.fixtures):
        print("skip damage: no fixtures at %s" % a.fixtures)
        print("0 passed, 0 failed, 1 skipped")
        return 0
    # Snapshot the binaries: a rebuild during a long campaign must not change (or remove) them.
    bindir = os.path.join(a.work, "bin")
    os.makedirs(bindir, exist_ok=True)
    skb = os.path.join(bindir, "skbfilter")
    shutil.copy2(a.skbfilter, skb)
    if pageread:
        shutil.copy2(pageread, os.path.join(bindir, "pageread"))
        pageread = os.path.join(bindir, "pageread")
    a.skbfilter = skb
    inputs = prepare_inputs(a.mode, a.fixtures, os.path.join(a.work, "inputs"), log, skb, a.compressed)
    if a.only:
        inputs = [i for i in inputs if i["name"] in a.only.split(",")]
    if not inputs:
        print("skip damage: no dump files under %s" % a.fixtures)
        print("0 passed, 0 failed, 1 skipped")
        return 0
    for inp in inputs:
        inp["size"] = os.path.getsize(inp["path"])
        with open(inp["path"], "rb") as f:
            inp["sha"] = hashlib.sha256(f.read(64 * MiB)).hexdigest()
    env = dict(os.environ)
    if san:
        env["ASAN_OPTIONS"] = "detect_leaks=1:allocator_may_return_null=0:abort_on_error=0:" + env.get("ASAN_OPTIONS", "")
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:" + env.get("UBSAN_OPTIONS", "")
    cfg = dict(work=a.work, skbfilter=os.path.abspath(a.skbfilter), pageread=pageread, timeout=a.timeout,
               limit_as=0 if san else (1 << 30), rss_kib=(1 << 30) // 1024, env=env,
               leak_every=a.leak_every if san else 1, full=full,
               job_rss_kib=0 if san or not full else 64 * 1024)
    log("inputs: " + ", ".join("%s (%s, %d bytes)" % (i["name"], i["note"], i["size"]) for i in inputs))
    log("commands: skbfilter --info --json; %s; skbfilter -q --json out.json -w out.pcap" %
        ("pageread --all" if pageread else "pageread not built (skipped)"))
    log("limits: timeout %gs, %s" % (a.timeout, "RSS <= 1 GiB (sanitizer build: no address-space limit)" if san
                                      else "address space 1 GiB (ulimit -v), RSS <= 1 GiB"))
    if cfg["leak_every"] > 1:
        log("LeakSanitizer on every %dth case" % cfg["leak_every"])
    base = {}
    for inp in inputs:
        base[inp["name"]] = baseline(cfg, inp)
        b = base[inp["name"]]
        log("baseline %s: %s" % (inp["name"], ", ".join(
            "%s exit %s%s" % (n, r["rc"], "" if r["deterministic"] else " (nondeterministic output)")
            for n, r in b.items())))
        for n, r in b.items():
            if not r["deterministic"]:
                r["digest"] = None  # compare exit codes only
    cfg["base"] = base
    timev = []
    if full and os.access("/usr/bin/time", os.X_OK):
        for inp in inputs:
            d = os.path.join(a.work, "base", inp["name"].replace("/", "_"))
            tf = os.path.join(d, ".timev")
            argv = ["/usr/bin/time", "-v", "-o", tf] + commands(cfg, os.path.basename(inp["path"]), False)[-1][1]
            rc, out, err, rss, secs = run_cmd(argv, d, None, cfg["timeout"] * 6, cfg["limit_as"])
            t = open(tf).read() if os.path.exists(tf) else ""
            m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
            m2 = re.search(r"Exit status: (\d+)", t)
            timev.append((inp["name"], int(m.group(1)) if m else None, int(m2.group(1)) if m2 else rc))
            log("default job on undamaged %s: exit %s, peak RSS %s KiB (/usr/bin/time -v)" % (timev[-1][0], timev[-1][2], timev[-1][1]))
    cfg["timev"] = timev

    rng = random.Random(a.seed)
    jobs = []
    for inp in inputs:
        with open(inp["path"], "rb") as f:
            data = f.read(min(inp["size"], 64 * MiB) if inp["kind"] == "elf" else inp["size"])
        cases = gen_cases(inp, rng, P, inp["size"], data)
        if full:
            cases = target_pageread(inp, data, cases, base[inp["name"]].get("pageread"), rng, P)
        for i, c in enumerate(cases):
            jobs.append((inp, i, c))
    nbits = 0
    for inp, _, c in jobs:
        if c[0].startswith("bitflip"):
            nbits += len(c[2])
    log("%d cases over %d inputs (%d bits flipped), seed %d, %d jobs" % (len(jobs), len(inputs), nbits, a.seed, a.jobs))

    stats = {}   # category -> class -> count
    fails = []
    modified = 0
    rss_max = {}
    secs_sum = {}
    runs = 0
    cpu_total = 0.0
    with cf.ProcessPoolExecutor(max_workers=a.jobs, initializer=worker_init, initargs=(cfg,)) as ex:
        for name, idx, cat, desc, results, mod, cpu in ex.map(run_case, jobs, chunksize=8):
            cpu_total += cpu
            st = stats.setdefault(cat, {})
            st["cases"] = st.get("cases", 0) + 1
            if mod:
                modified += 1
                fails.append((cat, name, desc, "all", "input modified", ""))
            for cmd, cls, why, rss, secs in results:
                runs += 1
                st[cls] = st.get(cls, 0) + 1
                key = (name, cmd)
                rss_max[key] = max(rss_max.get(key, 0), rss)
                secs_sum[cmd] = secs_sum.get(cmd, 0) + secs
                if cls in FAIL_CLASSES:
                    fails.append((cat, name, desc, cmd, cls, why))
    # inputs themselves unchanged
    for inp in inputs:
        with open(inp["path"], "rb") as f:
            if hashlib.sha256(f.read(64 * MiB)).hexdigest() != inp["sha"] or os.path.getsize(inp["path"]) != inp["size"]:
                fails.append(("input-unmodified", inp["name"], "base file changed", "all", "input modified", ""))

    passed = failed = 0
    order = sorted(stats)
    for cat in order:
        st = stats[cat]
        f = sum(st.get(c, 0) for c in FAIL_CLASSES)
        parts = ", ".join("%d %s" % (st[c], c) for c in OK_CLASSES + FAIL_CLASSES if st.get(c))
        line = "%s damage %s: %d cases: %s" % ("ok" if f == 0 else "FAIL", cat, st["cases"], parts)
        print(line)
        if f:
            failed += 1
        else:
            passed += 1
    bad_mod = [x for x in fails if x[4] == "input modified"]
    print("%s damage input-unmodified: %d cases checked, %d modified" % ("ok" if not bad_mod else "FAIL",
                                                                          len(jobs), len(bad_mod)))
    if bad_mod:
        failed += 1
    else:
        passed += 1
    for cat, name, desc, cmd, cls, why in fails[:30]:
        print("#   %s: %s [%s] %s: %s %s" % (cls, name, cat, desc, cmd, why))
    if len(fails) > 30:
        print("#   ... %d more failures" % (len(fails) - 30))
    elapsed = time.monotonic() - t_start
    tot = {}
    for st in stats.values():
        for c, n in st.items():
            if c != "cases":
                tot[c] = tot.get(c, 0) + n
    log("%d cases, %d runs in %.0fs wall, %.0fs CPU in the tools (load average now %.1f): %s" % (
        len(jobs), runs, elapsed, cpu_total, os.getloadavg()[0],
                                          ", ".join("%d %s" % (tot[c], c) for c in OK_CLASSES + FAIL_CLASSES if tot.get(c))))
    log("time per command: " + ", ".join("%s %.3fs" % (c, s / max(1, runs // max(1, len(secs_sum))))
                                          for c, s in secs_sum.items()))
    if a.report:
        write_report(a, inputs, base, stats, fails, tot, rss_max, len(jobs), runs, nbits, elapsed, pageread, san,
                     timev, cpu_total, P)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def write_report(a, inputs, base, stats, fails, tot, rss_max, ncases, runs, nbits, elapsed, pageread, san,
                 timev, cpu_total, P):
    """Writes the campaign results as markdown (docs/reliability.md)."""
    import datetime
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    L = []
    L.append("# Reliability: damaged and hostile input\n")
    L.append("Generated by `make damage` (tests/damage/run.sh -> tests/damage/damage.py --mode full) on %s, "
             "commit %s, %s build, seed %d%s. Do not edit by hand: rerun `make damage`.\n" % (
                 datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"), rev or "?",
                 "sanitizer" if san else "standard", a.seed,
                 "" if a.scale == 1 else ", **case counts scaled by DAMAGE_SCALE=%g** (the default campaign, "
                 "scale 1, runs >= 1,000 random truncations and > 10,000 bit flips)" % a.scale))
    L.append("## What is run\n")
    L.append("Every case is a copy of a real fixture with one kind of damage. On each case three commands run, "
             "each with a %gs timeout%s:\n" % (a.timeout, "" if san else " and a 1 GiB address-space limit (`ulimit -v`)"))
    L.append("- `skbfilter --info --json FILE`")
    L.append("- `pageread --all FILE` (reads and CRCs every page through the dump layer) on every %s case that "
             "damages the page map (headers, notes, bitmaps, descriptor table, hostile fields, field-boundary "
             "truncations); on the other cases (page data, descriptors of single pages, zeroed pages, random "
             "truncations) `pageread --pfn` on the pages the damage reaches plus 48 random held pages, compared "
             "line by line with the undamaged `--all` output%s" % (
                 "%dth" % P["all_every"], "" if pageread else " — **not built in this tree, skipped**"))
    L.append("- the default job `skbfilter -q --json out.json -w out.pcap FILE`\n")
    L.append("Outcome classes: **named error** (exit 3, `skbfilter: error: FILE: ...`), **partial** (exit 1 with "
             "warnings; pageread: pages reported missing or warnings), **identical** (same exit status and output "
             "as the undamaged file), **silent change** (exit 0, output differs, no warning: damage to bytes the "
             "format cannot check, such as raw page data, text fields, or lzo/snappy/zstd streams without "
             "checksums). Failures: crash (signal or exit >= 128), hang (> timeout), sanitizer report, allocation "
             "failure / RSS above 1 GiB, exit 1 without a warning, exit 3 without the file name, other exit "
             "codes, input file modified (size, mtime and CRC checked after every case).\n")
    L.append("## Inputs\n")
    L.append("| input | bytes | what | baseline exits (info / pageread / job) |")
    L.append("|---|---:|---|---|")
    for i in inputs:
        b = base[i["name"]]
        L.append("| %s | %d | %s | %s |" % (i["name"], i["size"], i["note"],
                                            " / ".join(str(b[n]["rc"]) if n in b else "-" for n in ("info", "pageread", "job"))))
    L.append("\n## Results\n")
    L.append("%d cases, %d command runs, %d bits flipped, %.0f s wall on %d jobs (%.0f s CPU in the tools; "
             "load average at the end %.1f).\n" % (ncases, runs, nbits, elapsed, a.jobs, cpu_total, os.getloadavg()[0]))
    cols = list(OK_CLASSES) + ["crash", "hang", "sanitizer", "alloc", "other failures"]
    L.append("| damage | cases | " + " | ".join(cols) + " |")
    L.append("|---|---:|" + "---:|" * len(cols))
    for cat in sorted(stats):
        st = stats[cat]
        other = sum(st.get(c, 0) for c in FAIL_CLASSES if c not in ("crash", "hang", "sanitizer", "alloc"))
        vals = [st.get(c, 0) for c in OK_CLASSES] + [st.get(c, 0) for c in ("crash", "hang", "sanitizer", "alloc")] + [other]
        L.append("| %s | %d | %s |" % (cat, st["cases"], " | ".join(str(v) for v in vals)))
    other = sum(tot.get(c, 0) for c in FAIL_CLASSES if c not in ("crash", "hang", "sanitizer", "alloc"))
    vals = [tot.get(c, 0) for c in OK_CLASSES] + [tot.get(c, 0) for c in ("crash", "hang", "sanitizer", "alloc")] + [other]
    L.append("| **total** | %d | %s |" % (ncases, " | ".join("**%d**" % v for v in vals)))
    L.append("\n## Default job peak RSS on the undamaged inputs\n")
    L.append("Measured with `/usr/bin/time -v` (*Maximum resident set size*); bound 64 MiB.\n")
    L.append("| input | exit | peak RSS KiB | within 64 MiB |")
    L.append("|---|---:|---:|---|")
    for name, rss, rc in timev:
        L.append("| %s | %s | %s | %s |" % (name, rc, rss if rss is not None else "-",
                                            "-" if rss is None else ("yes" if rss <= 65536 else "**no**")))
    L.append("\nOn damaged input the same bound is checked on every default-job run (peak RSS from "
             "`/usr/bin/time -f %%M`)%s.\n" % (" — not in this sanitizer build" if san else ""))
    L.append("\n## Peak RSS on damaged input (KiB, max over all cases)\n")
    L.append("| input | info | pageread | job |")
    L.append("|---|---:|---:|---:|")
    for i in inputs:
        L.append("| %s | %s |" % (i["name"], " | ".join(str(rss_max.get((i["name"], c), "-")) for c in ("info", "pageread", "job"))))
    L.append("\n## Failures\n")
    if not fails:
        L.append("None.\n")
    else:
        L.append("%d failing runs; the first 50 (reproduce: apply the damage to a copy of the input and run the command):\n" % len(fails))
        for cat, name, desc, cmd, cls, why in fails[:50]:
            L.append("- %s: `%s` [%s] %s: %s %s" % (cls, name, cat, desc, cmd, why.replace("|", "\\|")))
    os.makedirs(os.path.dirname(os.path.abspath(a.report)), exist_ok=True)
    with open(a.report, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    sys.exit(main())
