# SPDX-License-Identifier: GPL-2.0-or-later
"""
Layouts of the dump formats skbfilter reads, as the damage tests and the
benchmarks need them: where every header field, bitmap, descriptor and page
lies in a file, and writers for well-formed kdump-compressed and flattened
files derived from real fixtures (a shrunk dump for fast damage tests, scaled
dumps for the benchmarks).

Written from makedumpfile's diskdump_mod.h / makedumpfile.h and the ELF gABI,
checked against the fixtures (header_version 6, block_size 4096, 64-bit).
Python stdlib only, so it runs with any python3.
"""
import struct

KDUMP_SIG = b"KDUMP   "
FLAT_SIG = b"makedumpfile"
FLAT_HDR = 4096

# disk_dump_header on 64-bit (LP64): (name, offset, size)
KDUMP_HDR_FIELDS = [
    ("signature", 0, 8), ("header_version", 8, 4),
    ("utsname.sysname", 12, 65), ("utsname.nodename", 77, 65), ("utsname.release", 142, 65),
    ("utsname.version", 207, 65), ("utsname.machine", 272, 65), ("utsname.domainname", 337, 65),
    ("pad", 402, 6), ("timestamp.tv_sec", 408, 8), ("timestamp.tv_usec", 416, 8),
    ("status", 424, 4), ("block_size", 428, 4), ("sub_hdr_size", 432, 4),
    ("bitmap_blocks", 436, 4), ("max_mapnr", 440, 4), ("total_ram_blocks", 444, 4),
    ("device_blocks", 448, 4), ("written_blocks", 452, 4), ("current_cpu", 456, 4),
    ("nr_cpus", 460, 4),
]
KDUMP_HDR_SIZE = 464

# kdump_sub_header (64-bit), offsets relative to block 1
KDUMP_SUB_FIELDS = [
    ("phys_base", 0, 8), ("dump_level", 8, 4), ("split", 12, 4), ("start_pfn", 16, 8),
    ("end_pfn", 24, 8), ("offset_vmcoreinfo", 32, 8), ("size_vmcoreinfo", 40, 8),
    ("offset_note", 48, 8), ("size_note", 56, 8), ("offset_eraseinfo", 64, 8),
    ("size_eraseinfo", 72, 8), ("start_pfn_64", 80, 8), ("end_pfn_64", 88, 8),
    ("max_mapnr_64", 96, 8),
]
KDUMP_SUB_SIZE = 104
DESC_SIZE = 24  # { int64 offset; u32 size; u32 flags; u64 page_flags }

CODEC_FLAGS = {0x1: "zlib", 0x2: "lzo", 0x4: "snappy", 0x20: "zstd"}


SKBF_NOTES = {0x4d494c53: "kernel_note", 0x53415245: "erase_note"}  # mini.core's "SKBFILTER" notes


def skbf_notes(data, a, b):
    """(region name, desc start, desc end) of mini.core's SKBFILTER notes in the note area [a, b)."""
    out = []
    o = a
    while o + 12 <= min(b, len(data)):
        nsz, dsz, typ = struct.unpack_from("<III", data, o)
        desc = o + 12 + ((nsz + 3) & ~3)
        if (nsz == 0 and dsz == 0) or desc + dsz > b:
            break
        if data[o + 12:o + 12 + nsz] == b"SKBFILTER\0" and typ in SKBF_NOTES:
            out.append((SKBF_NOTES[typ], desc, desc + dsz))
        o = desc + ((dsz + 3) & ~3)
    return out


def popcount_bytes(b):
    return int.from_bytes(b, "little").bit_count() if hasattr(int, "bit_count") else bin(int.from_bytes(b, "little")).count("1")


class Kdump:
    """A parsed kdump-compressed file (whole file in memory: the caller keeps it small
    or passes only the head plus the file for page data)."""

    def __init__(self, data):
        self.data = data
        if data[:8] != KDUMP_SIG:
            raise ValueError("not a kdump-compressed file")
        g = lambda off, fmt: struct.unpack_from("<" + fmt, data, off)[0]
        self.header_version = g(8, "i")
        self.status = g(424, "I")
        self.block_size = bs = g(428, "i")
        self.sub_hdr_size = g(432, "i")
        self.bitmap_blocks = g(436, "I")
        self.max_mapnr32 = g(440, "I")
        self.nr_cpus = g(460, "i")
        sub = bs
        self.sub = {n: struct.unpack_from("<" + ("Q" if s == 8 else "i"), data, sub + o)[0]
                    for n, o, s in KDUMP_SUB_FIELDS}
        self.max_mapnr = self.sub["max_mapnr_64"] if self.header_version >= 6 else self.max_mapnr32
        self.bitmap_off = (1 + self.sub_hdr_size) * bs
        self.bitmap_len = self.bitmap_blocks * bs
        half = self.bitmap_len // 2
        self.bm1 = data[self.bitmap_off:self.bitmap_off + half]
        self.bm2 = data[self.bitmap_off + half:self.bitmap_off + self.bitmap_len]
        self.desc_off = self.bitmap_off + self.bitmap_len
        # dumped pfns in order (2nd bitmap, below max_mapnr)
        self.dumped = []
        b2 = int.from_bytes(self.bm2, "little")
        pfn = 0
        while b2:
            low = b2 & -b2
            p = low.bit_length() - 1
            if p >= self.max_mapnr:
                break
            self.dumped.append(p)
            b2 ^= low
        self.ndesc = len(self.dumped)
        self.desc_end = self.desc_off + self.ndesc * DESC_SIZE

    def desc(self, i, data=None):
        d = self.data if data is None else data
        return struct.unpack_from("<qIIQ", d, self.desc_off + i * DESC_SIZE)

    def regions(self):
        """Named byte ranges [start, end) of the file, for spreading damage."""
        bs = self.block_size
        r = [("header", 0, KDUMP_HDR_SIZE), ("sub_header", bs, bs + KDUMP_SUB_SIZE)]
        s = self.sub
        if s.get("size_note"):
            r.append(("notes", s["offset_note"], s["offset_note"] + s["size_note"]))
            r += skbf_notes(self.data, s["offset_note"], s["offset_note"] + s["size_note"])
        if s.get("size_eraseinfo"):
            r.append(("eraseinfo", s["offset_eraseinfo"], s["offset_eraseinfo"] + s["size_eraseinfo"]))
        if s.get("size_vmcoreinfo"):
            r.append(("vmcoreinfo", s["offset_vmcoreinfo"], s["offset_vmcoreinfo"] + s["size_vmcoreinfo"]))
        half = self.bitmap_len // 2
        r.append(("bitmap1", self.bitmap_off, self.bitmap_off + half))
        r.append(("bitmap2", self.bitmap_off + half, self.bitmap_off + self.bitmap_len))
        r.append(("descriptors", self.desc_off, self.desc_end))
        if self.ndesc:
            first = min(self.desc(i)[0] for i in range(min(self.ndesc, 64)))
            end = len(self.data)
            if s.get("size_eraseinfo") and s["offset_eraseinfo"] > first:
                end = min(end, s["offset_eraseinfo"])
            r.append(("page_data", first, end))
        return [x for x in r if x[2] > x[1] and x[1] < len(self.data)]

    def field_boundaries(self):
        """Offsets at which a truncation cuts between two header fields or structures."""
        bs = self.block_size
        cuts = {0}
        for _, o, s in KDUMP_HDR_FIELDS:
            cuts.update((o, o + s))
        for _, o, s in KDUMP_SUB_FIELDS:
            cuts.update((bs + o, bs + o + s))
        s = self.sub
        for k in ("note", "vmcoreinfo", "eraseinfo"):
            off, size = s.get("offset_" + k, 0), s.get("size_" + k, 0)
            if size:
                cuts.update((off, off + size // 2, off + size))
        half = self.bitmap_len // 2
        cuts.update((self.bitmap_off, self.bitmap_off + 1, self.bitmap_off + half // 2,
                     self.bitmap_off + half, self.bitmap_off + half + half // 2,
                     self.bitmap_off + self.bitmap_len))
        cuts.update((self.desc_off, self.desc_off + 8, self.desc_off + 12, self.desc_off + 16,
                     self.desc_off + DESC_SIZE, self.desc_off + DESC_SIZE * (self.ndesc // 2),
                     self.desc_end - DESC_SIZE, self.desc_end))
        if self.ndesc:
            off0, size0, _, _ = self.desc(0)
            cuts.update((off0, off0 + size0 // 2, off0 + size0))
            offl, sizel, _, _ = self.desc(self.ndesc - 1)
            cuts.update((offl, offl + sizel - 1, offl + sizel))
        return sorted(c for c in cuts if 0 <= c < len(self.data))


def flatten(kdump_bytes, chunk=1 << 20, split_points=()):
    """makedumpfile -F style stream of a kdump file held in memory: the 4096-byte
    header, then {be64 offset, be64 size, data} records in write order (header,
    sub-header blocks, bitmaps, descriptors, data in chunks) and the end mark."""
    out = bytearray()
    hdr = bytearray(FLAT_HDR)
    hdr[:len(FLAT_SIG)] = FLAT_SIG
    struct.pack_into(">qq", hdr, 16, 1, 1)
    out += hdr
    cuts = sorted(set([0, len(kdump_bytes)] + [p for p in split_points if 0 < p < len(kdump_bytes)]))
    for a, b in zip(cuts, cuts[1:]):
        o = a
        while o < b:
            n = min(chunk, b - o)
            out += struct.pack(">qq", o, n)
            out += kdump_bytes[o:o + n]
            o += n
    out += struct.pack(">qq", -1, 0)
    return bytes(out)


def unflatten(data):
    """Rebuilds the kdump file a flattened stream describes (last write wins)."""
    if data[:12] != FLAT_SIG:
        raise ValueError("not a flattened file")
    recs = []
    o = FLAT_HDR
    size = 0
    while o + 16 <= len(data):
        off, n = struct.unpack_from(">qq", data, o)
        if off == -1:
            break
        recs.append((off, o + 16, n))
        size = max(size, off + n)
        o += 16 + n
    out = bytearray(size)
    for off, src, n in recs:
        out[off:off + n] = data[src:src + n]
    return bytes(out), recs


def flat_regions_and_cuts(data):
    """Regions and truncation points of a flattened stream: its header, each record header."""
    recs = []
    o = FLAT_HDR
    while o + 16 <= len(data):
        off, n = struct.unpack_from(">qq", data, o)
        recs.append(o)
        if off == -1:
            break
        o += 16 + n
    cuts = {0, 12, 16, 24, 32, FLAT_HDR}
    for r in recs:
        cuts.update((r, r + 8, r + 16, r + 17))
    regions = [("flat_header", 0, 32)]
    regions += [("record_header", r, r + 16) for r in recs]
    return regions, sorted(c for c in cuts if c < len(data)), recs


def kdump_shrink(k, keep_pfns, max_mapnr=None):
    """A well-formed kdump holding only the dumped pages in keep_pfns (real page
    data copied as is, 2nd bitmap and descriptors rewritten, eraseinfo dropped).
    With max_mapnr, the dump is also cut to that many pfns (bitmaps shrink; a
    smaller machine), so tools that walk every pfn finish sooner."""
    if max_mapnr is None:
        max_mapnr = k.max_mapnr
    keep = sorted(p for p in set(keep_pfns) & set(k.dumped) if p < max_mapnr)
    idx = {p: i for i, p in enumerate(k.dumped)}
    bs = k.block_size
    half = -(-((max_mapnr + 7) // 8) // bs) * bs
    head = bytearray(k.data[:k.bitmap_off])
    struct.pack_into("<QQ", head, bs + 64, 0, 0)  # no eraseinfo
    struct.pack_into("<I", head, 436, 2 * half // bs)
    struct.pack_into("<I", head, 440, min(max_mapnr, 0xffffffff))
    if k.header_version >= 6:
        struct.pack_into("<Q", head, bs + 96, max_mapnr)
    bm1 = bytearray(k.bm1[:half].ljust(half, b"\0"))
    if max_mapnr % 8:
        bm1[max_mapnr // 8] &= (1 << (max_mapnr % 8)) - 1
    for i in range((max_mapnr + 7) // 8, half):
        bm1[i] = 0
    bm2 = bytearray(half)
    for p in keep:
        bm2[p >> 3] |= 1 << (p & 7)
    desc_off = k.bitmap_off + 2 * half
    data_off = desc_off + len(keep) * DESC_SIZE
    descs = bytearray()
    blobs = bytearray()
    seen = {}
    for p in keep:
        off, size, flags, pflags = k.desc(idx[p])
        if off in seen:  # shared (zero page) data stays shared
            noff = seen[off]
        else:
            noff = data_off + len(blobs)
            seen[off] = noff
            blobs += k.data[off:off + size]
        descs += struct.pack("<qIIQ", noff, size, flags, pflags)
    return bytes(head) + bytes(bm1) + bytes(bm2) + bytes(descs) + bytes(blobs)


# ---- ELF ----

class Elf:
    def __init__(self, data):
        self.data = data
        if data[:4] != b"\x7fELF":
            raise ValueError("not ELF")
        self.cls64 = data[4] == 2
        e = "<" if data[5] == 1 else ">"
        self.e = e
        if self.cls64:
            (self.type, self.machine, _, _, self.phoff, self.shoff, _, self.ehsize, self.phentsize,
             self.phnum, _, _, _) = struct.unpack_from(e + "HHIQQQIHHHHHH", data, 16)
        else:
            (self.type, self.machine, _, _, self.phoff, self.shoff, _, self.ehsize, self.phentsize,
             self.phnum, _, _, _) = struct.unpack_from(e + "HHIIIIIHHHHHH", data, 16)
        self.phdrs = []
        for i in range(self.phnum):
            o = self.phoff + i * self.phentsize
            if o + self.phentsize > len(data):
                break
            if self.cls64:
                t, fl, off, va, pa, fsz, msz, al = struct.unpack_from(e + "IIQQQQQQ", data, o)
            else:
                t, off, va, pa, fsz, msz, fl, al = struct.unpack_from(e + "IIIIIIII", data, o)
            self.phdrs.append(dict(type=t, offset=off, vaddr=va, paddr=pa, filesz=fsz, memsz=msz, hdr_off=o))

    EHDR64 = [("e_ident.magic", 0, 4), ("e_ident.class", 4, 1), ("e_ident.data", 5, 1),
              ("e_ident.version", 6, 1), ("e_ident.osabi", 7, 1), ("e_ident.pad", 8, 8),
              ("e_type", 16, 2), ("e_machine", 18, 2), ("e_version", 20, 4), ("e_entry", 24, 8),
              ("e_phoff", 32, 8), ("e_shoff", 40, 8), ("e_flags", 48, 4), ("e_ehsize", 52, 2),
              ("e_phentsize", 54, 2), ("e_phnum", 56, 2), ("e_shentsize", 58, 2), ("e_shnum", 60, 2),
              ("e_shstrndx", 62, 2)]
    PHDR64 = [("p_type", 0, 4), ("p_flags", 4, 4), ("p_offset", 8, 8), ("p_vaddr", 16, 8),
              ("p_paddr", 24, 8), ("p_filesz", 32, 8), ("p_memsz", 40, 8), ("p_align", 48, 8)]

    def note_ranges(self):
        return [(p["offset"], p["offset"] + p["filesz"]) for p in self.phdrs if p["type"] == 4]

    def regions(self, limit=None):
        n = len(self.data) if limit is None else limit
        r = [("ehdr", 0, 64 if self.cls64 else 52)]
        if self.phdrs:
            r.append(("phdrs", self.phoff, self.phoff + len(self.phdrs) * self.phentsize))
        for a, b in self.note_ranges():
            r.append(("notes", a, b))
            r += skbf_notes(self.data, a, b)
        loads = [p for p in self.phdrs if p["type"] == 1 and p["filesz"]]
        if loads:
            a = min(p["offset"] for p in loads)
            r.append(("page_data", a, n))
        return [(name, a, min(b, n)) for name, a, b in r if a < min(b, n)]

    def field_boundaries(self):
        cuts = {0}
        for _, o, s in self.EHDR64:
            cuts.update((o, o + s))
        for p in self.phdrs:
            for _, o, s in self.PHDR64:
                cuts.update((p["hdr_off"] + o, p["hdr_off"] + o + s))
        for a, b in self.note_ranges():
            # each note record: namesz, descsz, type, name, desc
            o = a
            while o + 12 <= b:
                nsz, dsz, _ = struct.unpack_from(self.e + "III", self.data, o)
                cuts.update((o, o + 4, o + 8, o + 12, o + 12 + ((nsz + 3) & ~3)))
                o += 12 + ((nsz + 3) & ~3) + ((dsz + 3) & ~3)
            cuts.add(b)
        for p in self.phdrs:
            if p["type"] == 1 and p["filesz"]:
                cuts.update((p["offset"], p["offset"] + 4096))
        return sorted(c for c in cuts if 0 <= c < len(self.data))
