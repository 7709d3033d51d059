#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
mkscaled: well-formed crash dumps of a large machine, built from a real one.

  mkscaled.py kdump SRC OUT --ram-gib N [--filler excluded|zero]
  mkscaled.py elf   SRC OUT --ram-gib N

kdump (SRC: kdump-compressed or flattened): every real page stays at its pfn
with its real compressed bytes; max_mapnr grows to N GiB of RAM, and the 1st
and 2nd bitmaps and the descriptor table really are that large:
  --filler excluded  the added RAM is in the 1st bitmap (RAM) and clear in the
                     2nd (not dumped): what `makedumpfile -d 31` writes for a big
                     machine whose memory is mostly free or cache pages.  The 1st
                     bitmap is written (all ones), the 2nd bitmap's filler part is
                     a hole in a sparse file (it is zero).
  --filler zero      the added RAM is dumped as zero pages: every filler pfn has a
                     real 24-byte descriptor pointing at the one shared zero page
                     (what makedumpfile writes when zero pages are not excluded,
                     e.g. -d 30), so the descriptor table is 24 bytes per page.
                     dump_level in the sub-header is set to 30 to match.
The filler starts at the first 128 MiB boundary above the real RAM (a memory
section), the gap before it is not RAM.  The header's max_mapnr, max_mapnr_64,
bitmap_blocks and every descriptor offset are rewritten; notes, VMCOREINFO and
the page data are copied byte for byte; eraseinfo is dropped.

elf: the real ELF is copied, a PT_LOAD for the added RAM is appended, and the
program header table is rewritten at the end of the file (e_phoff moved).  The
new segment has p_filesz == p_memsz and its file offsets lie in a hole of a
sparse file, so it reads as zero pages like an unfiltered /proc/vmcore of an
idle machine, while the file occupies only the source's blocks.

Prints a one-line JSON summary.
"""
import argparse
import json
import os
import shutil
import subprocess
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "damage"))
import dumpfmt  # noqa: E402

GiB = 1 << 30
SECTION_PFNS = 32768  # 128 MiB of 4 KiB pages: x86_64 memory section size


def scale_kdump(src, out, ram_gib, filler):
    data = open(src, "rb").read()
    if data[:12] == dumpfmt.FLAT_SIG:
        data, _ = dumpfmt.unflatten(data)
    k = dumpfmt.Kdump(data)
    bs = k.block_size
    mm0 = k.max_mapnr
    mm = ram_gib * GiB // bs
    if mm <= mm0:
        raise SystemExit("mkscaled: %d GiB is not larger than the source's %d pfns" % (ram_gib, mm0))
    F = -(-mm0 // SECTION_PFNS) * SECTION_PFNS  # first filler pfn
    half = -(-((mm + 7) // 8) // bs) * bs
    head = bytearray(data[:k.bitmap_off])
    for key in ("note", "vmcoreinfo"):
        if k.sub.get("size_" + key) and k.sub["offset_" + key] + k.sub["size_" + key] > len(head):
            raise SystemExit("mkscaled: %s is outside the header blocks" % key)
    struct.pack_into("<I", head, 436, 2 * half // bs)
    struct.pack_into("<I", head, 440, min(mm, 0xffffffff))
    if k.header_version >= 6:
        struct.pack_into("<Q", head, bs + 96, mm)
    struct.pack_into("<QQ", head, bs + 64, 0, 0)  # no eraseinfo
    nfill = mm - F if filler == "zero" else 0
    if filler == "zero":
        struct.pack_into("<i", head, bs + 8, 30)
    desc_off = k.bitmap_off + 2 * half
    data_off = desc_off + (k.ndesc + nfill) * dumpfmt.DESC_SIZE
    # makedumpfile writes the shared zero page first in the data area; reuse it when the
    # source has one (descriptors of zero pages share its offset), else add one.
    shared = None
    if filler == "zero":
        for i in range(k.ndesc):
            off, size, flags, _ = k.desc(i)
            if off == k.desc_end:
                shared = (size, flags)
                break
    zero_len = bs if filler == "zero" and shared is None else 0
    data_end = len(data)
    if k.sub.get("size_eraseinfo") and k.sub["offset_eraseinfo"] >= k.desc_end:
        data_end = k.sub["offset_eraseinfo"]
    delta = data_off + zero_len - k.desc_end
    chunk = 1 << 24
    with open(out, "wb") as f:
        f.write(head)
        # 1st bitmap: real part, then the filler as ones
        real = bytearray(k.bm1[:(mm0 + 7) // 8])
        f.write(real)
        pos = len(real)
        fb = F // 8  # F is a multiple of 8
        f.write(bytes(fb - pos))
        pos = fb
        ones_end = mm // 8
        while pos < ones_end:
            n = min(chunk, ones_end - pos)
            f.write(b"\xff" * n)
            pos += n
        tail = bytearray(half - pos)
        if mm % 8:
            tail[0] = (1 << (mm % 8)) - 1
        f.write(tail)
        # 2nd bitmap
        real2 = bytes(k.bm2[:(mm0 + 7) // 8])
        f.write(real2)
        pos = len(real2)
        if filler == "zero":
            f.write(bytes(fb - pos))
            pos = fb
            while pos < ones_end:
                n = min(chunk, ones_end - pos)
                f.write(b"\xff" * n)
                pos += n
            tail2 = bytearray(half - pos)
            if mm % 8:
                tail2[0] = (1 << (mm % 8)) - 1
            f.write(tail2)
        else:
            f.seek(desc_off)  # the filler part of the 2nd bitmap is zero: a hole
        # descriptors: the real ones moved by delta, then the filler's
        assert f.tell() == desc_off
        descs = bytearray(data[k.desc_off:k.desc_end])
        for i in range(k.ndesc):
            o = i * dumpfmt.DESC_SIZE
            off = struct.unpack_from("<q", descs, o)[0]
            struct.pack_into("<q", descs, o, off + delta)
        f.write(descs)
        if nfill:
            size, flags = shared or (bs, 0)
            rec = struct.pack("<qIIQ", data_off, size, flags, 0)
            per = chunk // len(rec)
            left = nfill
            blk = rec * per
            while left:
                n = min(per, left)
                f.write(blk if n == per else rec * n)
                left -= n
        if zero_len:
            f.write(bytes(bs))  # the shared zero page, stored raw (flags 0)
        assert f.tell() == data_off + zero_len
        f.write(data[k.desc_end:data_end])
    st = os.stat(out)
    return dict(format="kdump", filler=filler, ram_gib=ram_gib, max_mapnr=mm, real_max_mapnr=mm0,
                first_filler_pfn=F, bitmap_bytes=2 * half, descriptors=k.ndesc + nfill,
                descriptor_bytes=(k.ndesc + nfill) * dumpfmt.DESC_SIZE, file_bytes=st.st_size,
                disk_bytes=st.st_blocks * 512)


def scale_elf(src, out, ram_gib):
    if subprocess.run(["cp", "--sparse=always", src, out]).returncode != 0:
        shutil.copyfile(src, out)
    with open(out, "r+b") as f:
        head = f.read(1 << 20)
        e = dumpfmt.Elf(head)
        if not e.cls64 or e.e != "<":
            raise SystemExit("mkscaled: only little-endian ELF64 vmcores")
        loads = [p for p in e.phdrs if p["type"] == 1]
        top = max(p["paddr"] + p["memsz"] for p in loads)
        last = max(loads, key=lambda p: p["paddr"] + p["memsz"])  # the direct map's top segment
        start = -(-top // (SECTION_PFNS * 4096)) * SECTION_PFNS * 4096
        end = ram_gib * GiB
        if end <= start:
            raise SystemExit("mkscaled: %d GiB is not larger than the source's RAM" % ram_gib)
        size = os.fstat(f.fileno()).st_size
        phoff = -(-size // 4096) * 4096
        f.seek(e.phoff)
        table = bytearray(f.read(e.phnum * e.phentsize))
        vaddr = (last["vaddr"] - last["paddr"] + start) & (2**64 - 1) if last["vaddr"] else 0
        seg_off = -(-(phoff + (e.phnum + 1) * e.phentsize) // 4096) * 4096
        table += struct.pack("<IIQQQQQQ", 1, 7, seg_off, vaddr, start, end - start, end - start, 0)
        f.seek(phoff)
        f.write(table)
        f.seek(32)
        f.write(struct.pack("<Q", phoff))
        f.seek(56)
        f.write(struct.pack("<H", e.phnum + 1))
        f.truncate(seg_off + end - start)
    st = os.stat(out)
    return dict(format="elf", ram_gib=ram_gib, segment_paddr=start, segment_bytes=end - start,
                phnum=e.phnum + 1, file_bytes=st.st_size, disk_bytes=st.st_blocks * 512)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("format", choices=("kdump", "elf"))
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--ram-gib", type=int, required=True)
    ap.add_argument("--filler", choices=("excluded", "zero"), default="excluded")
    a = ap.parse_args()
    if a.format == "kdump":
        r = scale_kdump(a.src, a.out, a.ram_gib, a.filler)
    else:
        r = scale_elf(a.src, a.out, a.ram_gib)
    print(json.dumps(r))


if __name__ == "__main__":
    main()
