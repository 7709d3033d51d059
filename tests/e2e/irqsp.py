#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Per-CPU data of a CPU that panicked on its IRQ stack, without
__per_cpu_offset (Debian's arm64 kallsyms has no data symbols): a copy of a
real dump whose panic CPU's NT_PRSTATUS sp is moved onto that CPU's IRQ stack
(fp still leads, through the frame records, to the task's stack), as a panic
in a softirq leaves it.  skbfilter --backtrace --json must still locate the
per-CPU data of every CPU (the note "per-CPU data located for all N CPUs"),
name the panic CPU's task, and know its IRQ stack.

    irqsp.py --skbfilter BIN DUMP.elf        (DUMP.elf writable; restored after)

Prints one ok/FAIL/skip line.
"""
import argparse
import json
import struct
import subprocess
import sys


def notes(f):
    """(file offset of desc, type, name, desc bytes) of every note in the PT_NOTE segments."""
    f.seek(0)
    eh = f.read(64)
    e = ">" if eh[5] == 2 else "<"
    phoff, = struct.unpack_from(e + "Q", eh, 32)
    phentsize, phnum = struct.unpack_from(e + "HH", eh, 54)
    out = []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        ph = f.read(56)
        p_type, = struct.unpack_from(e + "I", ph, 0)
        p_offset, = struct.unpack_from(e + "Q", ph, 8)
        p_filesz, = struct.unpack_from(e + "Q", ph, 32)
        if p_type != 4:
            continue
        f.seek(p_offset)
        blob = f.read(p_filesz)
        o = 0
        while o + 12 <= len(blob):
            nsz, dsz, typ = struct.unpack_from(e + "III", blob, o)
            name = blob[o + 12:o + 12 + nsz].rstrip(b"\0")
            d = o + 12 + ((nsz + 3) & ~3)
            out.append((p_offset + d, typ, name, blob[d:d + dsz], e))
            o = d + ((dsz + 3) & ~3)
    return out


def bt(a):
    p = subprocess.run([a.skbfilter, "--backtrace", "--json", a.dump], capture_output=True, text=True)
    return json.loads(p.stdout) if p.stdout.strip() else {}, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skbfilter", required=True)
    ap.add_argument("dump")
    a = ap.parse_args()
    label = "irqsp %s" % a.dump.split("/")[-1]
    d, err = bt(a)
    if "per-CPU data located for all" not in err:
        print("skip %s: this dump's per-CPU data does not come from the runqueues" % label)
        return 0
    p = d.get("panic") or {}
    cpu = [p] if p.get("sp") else []
    irq = [s for s in (cpu[0].get("stacks", []) if cpu else []) if s.get("kind") == "irq"]
    if not cpu or not irq or cpu[0].get("stack") != "task":
        print("skip %s: the panic CPU is not on its task stack, or has no IRQ stack" % label)
        return 0
    sp = int(cpu[0]["sp"], 16)
    new_sp = int(irq[0]["base"], 16) + 0x3000
    with open(a.dump, "r+b") as f:
        hits = [(off, desc, e) for off, typ, name, desc, e in notes(f) if typ == 1 and name == b"CORE" and
                struct.unpack_from(e + "I", desc, 32)[0] == int(p["pid"])]
        if len(hits) != 1 or desc_count(hits[0][1], hits[0][2], sp) != 1:
            print("FAIL %s: cannot find the panic CPU's NT_PRSTATUS sp 0x%x once" % (label, sp))
            return 1
        off, desc, e = hits[0]
        i = desc.index(struct.pack(e + "Q", sp))
        f.seek(off + i)
        f.write(struct.pack(e + "Q", new_sp))
        f.flush()
        try:
            d2, err2 = bt(a)
        finally:
            f.seek(off + i)
            f.write(struct.pack(e + "Q", sp))
    c2 = [d2["panic"]] if (d2.get("panic") or {}).get("cpu") == p.get("cpu") else []
    ok = ("per-CPU data located for all" in err2 and c2 and c2[0].get("task") == cpu[0].get("task") and
          c2[0].get("stack") == "irq")
    if ok:
        print("ok   %s: CPU %d with sp on its IRQ stack: per-CPU data, task and IRQ stack found" % (label, p["cpu"]))
        return 0
    print("FAIL %s: CPU %d with sp 0x%x on its IRQ stack: stack %s task %s; %s" %
          (label, p["cpu"], new_sp, c2[0].get("stack") if c2 else None, c2[0].get("task") if c2 else None,
           " | ".join(ln for ln in err2.splitlines() if "per-CPU" in ln or "no stack" in ln)[:400]))
    return 1


def desc_count(desc, e, v):
    return desc.count(struct.pack(e + "Q", v))


if __name__ == "__main__":
    sys.exit(main())
