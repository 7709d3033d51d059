#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Regenerates the seed corpora tests/fuzz/corpus/fuzz_kallsyms and
tests/fuzz/corpus/fuzz_btf from the specs below (see the input layouts in
fuzz_kallsyms.c; BTF per include/uapi/linux/btf.h)."""
import os
import struct

top = os.path.dirname(os.path.abspath(__file__))


def kallsyms_seed(enc, be, ptr4=False):
    """enc: 'abs_percpu', 'base_rel', 'place_rel', 'absolute'. Image at IMG_BASE."""
    e = ">" if be else "<"
    base = 0xffffffff81000000
    img = bytearray(0x1000)
    syms = [("T_stext", 0x10), ("Tfoo", 0x20), ("tbar.part.0", 0x30), ("D" + "x" * 150, 0x40), ("Dpcpu", 0x8)]
    if enc != "abs_percpu":
        syms.pop()
    struct.pack_into(e + "I", img, 0, len(syms))
    tt, idx = bytearray(), []
    for c in range(256):
        idx.append(len(tt))
        if 0x20 <= c < 0x7f:
            tt += bytes([c])
        tt += b"\0"
    img[0x800:0x800 + len(tt)] = tt
    for i, o in enumerate(idx):
        struct.pack_into(e + "H", img, 0xa00 + 2 * i, o)
    pos = 0x100
    for n, _ in syms:
        b = n.encode()
        if len(b) >= 0x80:
            img[pos], img[pos + 1] = 0x80 | (len(b) & 0x7f), len(b) >> 7
            pos += 2
        else:
            img[pos] = len(b)
            pos += 1
        img[pos:pos + len(b)] = b
        pos += len(b)
    flags = (1 if be else 0) | 16
    if enc == "absolute":
        flags |= 8 | (2 if ptr4 else 0)
        for i, (_, a) in enumerate(syms):
            if ptr4:
                struct.pack_into(e + "I", img, 0xc00 + 4 * i, (base + a) & 0xffffffff)
            else:
                struct.pack_into(e + "Q", img, 0xc00 + 8 * i, base + a)
    else:
        if enc != "place_rel":
            flags |= 4
            struct.pack_into(e + "Q", img, 0xd00, base)
        for i, (n, a) in enumerate(syms):
            if enc == "abs_percpu":
                v = a if n == "Dpcpu" else -a - 1
            elif enc == "base_rel":
                v = a
            else:
                v = a - (0xc00 + 4 * i)
            struct.pack_into(e + "i", img, 0xc00 + 4 * i, v)
    hdr = bytes([flags]) + struct.pack("<7H", 0x100, 0, 0x800, 0xa00, 0xc00, 0xd00, 0x10)
    return hdr + img


def btf_seed(be=False):
    e = ">" if be else "<"
    strs = bytearray(b"\0")

    def s(name):
        if not name:
            return 0
        off = len(strs)
        strs.extend(name.encode() + b"\0")
        return off

    types = bytearray()

    def t(name, kind, vlen, size_or_type, kflag=0):
        types.extend(struct.pack(e + "III", s(name), (kflag << 31) | (kind << 24) | vlen, size_or_type))

    def u32(*v):
        types.extend(struct.pack(e + "I" * len(v), *v))

    t("int", 1, 0, 4); u32((1 << 24) | 32)                       # 1
    t("unsigned char", 1, 0, 1); u32(8)                           # 2
    t(None, 4, 2, 8); u32(s("len"), 1, 0); u32(s("data_len"), 1, 32)   # 3 anon struct
    t(None, 5, 1, 8); u32(0, 3, 0)                                # 4 anon union
    t(None, 3, 0, 0); u32(1, 1, 4)                                # 5 int[4]
    t("sk_buff", 4, 4, 40, kflag=1)                               # 6
    u32(0, 4, 0); u32(s("encapsulation"), 2, (1 << 24) | 64); u32(s("head"), 7, 128); u32(s("arr"), 5, 192)
    t(None, 2, 0, 6)                                              # 7 ptr
    t(None, 6, 2, 4); u32(s("SKB_GSO_TCPV4"), 1); u32(s("SKB_GSO_DODGY"), 2)   # 8 anon enum
    t("skb_shared_info", 4, 1, 16); u32(s("frags"), 5, 0)         # 9
    t("sk_buff_t", 8, 0, 6)                                       # 10
    hdr = struct.pack(e + "HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
    return hdr + bytes(types) + bytes(strs)


def main():
    kd = os.path.join(top, "corpus", "fuzz_kallsyms")
    bd = os.path.join(top, "corpus", "fuzz_btf")
    os.makedirs(kd, exist_ok=True)
    os.makedirs(bd, exist_ok=True)
    for enc in ("abs_percpu", "base_rel", "place_rel", "absolute"):
        for be in (False, True):
            with open(os.path.join(kd, "%s-%s" % (enc, "be" if be else "le")), "wb") as f:
                f.write(kallsyms_seed(enc, be))
    with open(os.path.join(kd, "absolute-32"), "wb") as f:
        f.write(kallsyms_seed("absolute", False, ptr4=True))
    for be in (False, True):
        with open(os.path.join(bd, "skb-%s" % ("be" if be else "le")), "wb") as f:
            f.write(btf_seed(be))


if __name__ == "__main__":
    main()
