#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile kernel memory (issue #6): patches a real ELF dump's memory in
place, one case at a time, runs skbfilter on it under /usr/bin/time and
timeout, checks the outcome, and restores the original bytes.

    hostile.py --skbfilter BIN --build DIR --label NAME DUMP.elf

DUMP.elf is a writable working copy (an ELF mini dump made with
skbfilter -E --keep=crash, or a full /proc/vmcore ELF).  Everything the
cases patch is located at run time from the dump itself: skb addresses
from a baseline JSON report, struct offsets from the dump's own BTF
(tests/gen/symdump --field), symbols from its kallsyms / VMCOREINFO,
virtual -> physical through tests/gen/vread, physical -> file offset
through the PT_LOAD headers, page-table entries by walking the tables
(x86_64 4-level, arm64 4K granule) from the root VMCOREINFO names.

Each case passes when skbfilter
  - exits within the timeout with status 1 (labelled partial result) or
    3 (named error), never a signal, 2, or a sanitizer report;
  - stays under the RSS bound (64 MiB; sanitizer builds: 1 GiB);
  - prints the message naming the problem (a regular expression that the
    unpatched baseline does not print).
Prints "ok ..."/"FAIL ..."/"skip ..." lines; hostile.sh counts them.
"""
import argparse
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time

TIMEOUT = 20


class Absent(Exception):
    """The dump lacks what a case needs (a symbol this kernel's kallsyms omits): skip, not fail."""


def h(v):
    return "0x%x" % v


class Elf:
    """Physical memory of an ELF64 dump through its PT_LOAD headers, read and patched in place."""

    def __init__(self, path):
        self.path = path
        self.f = open(path, "r+b")
        hdr = self.f.read(64)
        if hdr[:4] != b"\x7fELF" or hdr[4] != 2:
            raise ValueError("%s: not an ELF64 file" % path)
        self.be = hdr[5] == 2
        e = ">" if self.be else "<"
        self.e = e
        phoff, = struct.unpack_from(e + "Q", hdr, 32)
        phentsize, phnum = struct.unpack_from(e + "HH", hdr, 54)
        if phnum == 0xffff:  # PN_XNUM: the real count is section 0's sh_info
            shoff, = struct.unpack_from(e + "Q", hdr, 40)
            self.f.seek(shoff + 44)
            phnum, = struct.unpack(e + "I", self.f.read(4))
        self.loads = []
        self.f.seek(phoff)
        ph = self.f.read(phentsize * phnum)
        for i in range(phnum):
            p_type, _, p_off, _, p_paddr, p_filesz, _, _ = struct.unpack_from(e + "IIQQQQQQ", ph, i * phentsize)
            if p_type == 1 and p_filesz:
                self.loads.append((p_paddr, p_filesz, p_off))

    def foff(self, pa, n):
        for base, size, off in self.loads:
            if base <= pa and pa + n <= base + size:
                return off + pa - base
        raise KeyError("phys 0x%x (+%d) is not in any PT_LOAD with file data" % (pa, n))

    def read(self, pa, n):
        self.f.seek(self.foff(pa, n))
        return self.f.read(n)

    def write(self, pa, data):
        self.f.seek(self.foff(pa, len(data)))
        self.f.write(data)
        self.f.flush()

    def u64(self, pa):
        return struct.unpack(self.e + "Q", self.read(pa, 8))[0]


class Target:
    """One dump: its facts (from the project's own tools) and a patch/restore log."""

    def __init__(self, args):
        self.a = args
        self.elf = Elf(args.dump)
        self.undo = []
        self.undo_file = []
        self.vread = os.path.join(args.build, "tests/gen/vread")
        self.symdump = os.path.join(args.build, "tests/gen/symdump")
        desc = self.vr(["describe"])[0]
        self.describe = desc
        self.arch = desc.split()[1]
        self.page = 4096
        self.field_cache = {}
        self.sym_cache = {}
        self.btf_at = None

    # ---- the project's tools
    def vr(self, cmds):
        p = subprocess.run([self.vread, self.a.dump, "--"] + cmds, capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError("vread %s: %s" % (" ".join(cmds[:4]), p.stderr.strip()))
        return [ln for ln in p.stdout.splitlines() if not ln.startswith("warning ")]

    def vtop(self, va):
        out = self.vr(["vtop", h(va)])[0].split()
        if out[2] == "error":
            raise KeyError("vtop %s: %s" % (h(va), " ".join(out[3:])))
        return int(out[2], 16)

    def vtop_range(self, va, n):
        """[(pa, len)] for the virtual range, page by page."""
        pages = []
        a = va
        while a < va + n:
            pages.append(a)
            a = (a // self.page + 1) * self.page
        outs = self.vr(sum((["vtop", h(p)] for p in pages), []))
        res = []
        for p, o in zip(pages, outs):
            w = o.split()
            if w[2] == "error":
                raise KeyError("vtop %s: %s" % (h(p), " ".join(w[3:])))
            end = min(va + n, (p // self.page + 1) * self.page)
            res.append((int(w[2], 16), end - p))
        return res

    def vread_bytes(self, va, n):
        return b"".join(self.elf.read(pa, ln) for pa, ln in self.vtop_range(va, n))

    def symdump_run(self, opts):
        p = subprocess.run([self.symdump, "--no-symbols"] + opts + [self.a.dump], capture_output=True, text=True)
        if p.returncode:
            raise RuntimeError("symdump: %s" % p.stderr.strip()[-300:])
        m = re.search(r"types: BTF in dump memory \((\d+) bytes at 0x([0-9a-f]+)", p.stderr)
        if m:
            self.btf_at = (int(m.group(2), 16), int(m.group(1)))
        return p.stdout.splitlines()

    def field(self, path):
        if path not in self.field_cache:
            out = self.symdump_run(["--field", path])
            w = [ln for ln in out if ln.startswith(path + " ")][0].split()
            self.field_cache[path] = (int(w[1]), int(w[2]))
        return self.field_cache[path]

    def off(self, path):
        return self.field(path)[0]

    def sym(self, name):
        """A symbol from the dump's kallsyms or VMCOREINFO; None if absent."""
        if name not in self.sym_cache:
            out = self.symdump_run(["--lookup", name])
            w = [ln for ln in out if ln.startswith(name + " ")][0].split()
            self.sym_cache[name] = None if w[1] == "?" else int(w[1], 16)
        return self.sym_cache[name]

    def vmcoreinfo_sym(self, name):
        w = self.vr(["sym", name])[0].split()
        return None if w[2] == "error" else int(w[2], 16)

    # ---- patching (virtual addresses, page by page); every patch is undone by restore()
    def patch(self, va, data):
        pos = 0
        for pa, ln in self.vtop_range(va, len(data)):
            self.patch_phys(pa, data[pos:pos + ln])
            pos += ln

    def patch_phys(self, pa, data):
        self.undo.append((pa, self.elf.read(pa, len(data))))
        self.elf.write(pa, data)

    def patch_vmcoreinfo(self, name, value):
        """Rewrites SYMBOL(name)=... in the VMCOREINFO note (the notes lead the file), same length."""
        key = ("SYMBOL(%s)=" % name).encode()
        self.elf.f.seek(0)
        head = self.elf.f.read(1 << 20)
        i = head.find(key)
        if i < 0:
            raise Absent("VMCOREINFO has no SYMBOL(%s)" % name)
        i += len(key)
        j = head.index(b"\n", i)
        new = ("%x" % value).encode()
        if len(new) != j - i:
            raise ValueError("SYMBOL(%s): %d hex digits, not %d" % (name, len(new), j - i))
        self.undo_file.append((i, head[i:j]))
        self.elf.f.seek(i)
        self.elf.f.write(new)
        self.elf.f.flush()

    def restore(self):
        for off, old in reversed(self.undo_file):
            self.elf.f.seek(off)
            self.elf.f.write(old)
        self.elf.f.flush()
        self.undo_file = []
        for pa, old in reversed(self.undo):
            self.elf.write(pa, old)
        self.undo = []

    def pack(self, fmt, *v):
        return struct.pack(self.elf.e + fmt, *v)

    def unpack(self, fmt, b):
        return struct.unpack(self.elf.e + fmt, b)


# ---------------------------------------------------------------- running skbfilter

def run_skbfilter(a, dump, extra, work):
    rss_f = os.path.join(work, "rss")
    out_json = os.path.join(work, "r.json")
    for f in (rss_f, out_json):
        if os.path.exists(f):
            os.unlink(f)
    argv = ["/usr/bin/time", "-f", "%M", "-o", rss_f, "timeout", str(TIMEOUT), a.skbfilter,
            "-v", "-q", "--force", "--json", out_json, "-w", os.path.join(work, "o.pcap")] + extra + [dump]
    t0 = time.monotonic()
    p = subprocess.run(argv, capture_output=True, text=True, errors="replace")
    secs = time.monotonic() - t0
    try:
        with open(rss_f) as f:
            rss = int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        rss = -1
    report = None
    try:
        with open(out_json) as f:
            report = json.load(f)
    except (OSError, ValueError):
        pass
    # /usr/bin/time appends "Command exited with non-zero status N" to its -o file, not stderr.
    return p.returncode, p.stdout + p.stderr, rss, secs, report


class Runner:
    def __init__(self, a, t, work, baseline_text):
        self.a, self.t, self.work = a, t, work
        self.base = baseline_text
        self.rss_bound = (1 << 30) // 1024 if a.sanitizer else 64 * 1024

    def case(self, name, setup, expect, extra=()):
        """setup(t) patches (or raises to skip); expect: regex the output must match."""
        label = "%s %s" % (self.a.label, name)
        try:
            extra = list(setup(self.t) or []) + list(extra)
        except Absent as e:
            self.t.restore()
            print("skip %s: not applicable to this dump: %s" % (label, e))
            return
        except (KeyError, IndexError, ValueError, RuntimeError, struct.error) as e:
            self.t.restore()
            print("FAIL %s: cannot set up the case: %s" % (label, e))
            return
        try:
            rc, text, rss, secs, _ = run_skbfilter(self.a, self.a.dump, extra, self.work)
        finally:
            self.t.restore()
        m = re.search(expect, text)
        san = re.search(r"runtime error|Sanitizer|LeakSanitizer", text)
        figs = "exit %d, %.1f MiB, %.2f s" % (rc, rss / 1024.0, secs)
        if rc == 124:
            print("FAIL %s: timed out after %d s" % (label, TIMEOUT))
        elif san:
            print("FAIL %s: sanitizer report: %s" % (label, text[san.start():san.start() + 300].splitlines()[0]))
        elif rc not in (1, 3):
            print("FAIL %s: exit %d (want 1 partial with warnings or 3 named error): %s" %
                  (label, rc, text.strip()[-300:]))
        elif rss < 0 or rss > self.rss_bound:
            print("FAIL %s: peak RSS %d KiB above %d KiB" % (label, rss, self.rss_bound))
        elif not m:
            print("FAIL %s: no message matching /%s/ (%s): %s" % (label, expect, figs, text.strip()[-400:]))
        elif re.search(expect, self.base):
            print("FAIL %s: the unpatched dump prints /%s/ too: the case proves nothing" % (label, expect))
        else:
            line = text[text.rfind("\n", 0, m.start()) + 1:].split("\n")[0]
            print("ok   %s: %s (%s)" % (label, line.strip()[:240], figs))
        sys.stdout.flush()


# ---------------------------------------------------------------- page tables

def pt_levels(t):
    """The table format the walk needs: index shifts per level, the next-table/page address
    mask, and present(entry, level), leaf(entry, level), table_bits(entry, level) (the entry
    rewritten as a pointer to a next-level table)."""
    if t.arch == "x86_64":
        if "4-level" not in t.describe:
            raise Absent("only 4-level x86_64 paging is walked here (%s)" % t.describe)
        return dict(shifts=[39, 30, 21, 12], mask=0x000ffffffffff000,
                    present=lambda e, l: e & 1,
                    leaf=lambda e, l: l == 3 or (l in (1, 2) and e & 0x80),
                    table_bits=lambda e, l: (e | 1) & ~0x80)
    if t.arch == "arm64":
        if "4K pages, 48-bit VA" not in t.describe:
            raise Absent("only 4K/48-bit arm64 tables are walked here (%s)" % t.describe)
        return dict(shifts=[39, 30, 21, 12], mask=0x0000fffffffff000,
                    present=lambda e, l: e & 1,
                    leaf=lambda e, l: l == 3 or (e & 3) == 1,
                    table_bits=lambda e, l: (e & ~0x3) | 3)
    raise Absent("architecture %s" % t.arch)


def root_pa(t):
    for name in ("init_top_pgt", "init_level4_pgt", "swapper_pg_dir"):
        v = t.vmcoreinfo_sym(name)
        if v is not None:
            return t.vtop(v)
    raise KeyError("VMCOREINFO names no page-table root")


def walk(t, va):
    """[(level, table_pa, entry_pa, entry)] down to the leaf mapping va."""
    f = pt_levels(t)
    table = root_pa(t)
    path = []
    for lvl, sh in enumerate(f["shifts"]):
        ea = table + ((va >> sh) & 511) * 8
        e = t.elf.u64(ea)
        path.append((lvl, table, ea, e))
        if not f["present"](e, lvl):
            raise KeyError("%s not mapped at level %d" % (h(va), lvl))
        if f["leaf"](e, lvl):
            return path
        table = e & f["mask"]
    return path


def pt_self(level, to_level=None, at_sp=False):
    """The level-`level` entry that maps the panic stack (or the page holding the first
    saved frame of the panic backtrace) points back to the level-`to_level` table."""
    def setup(t):
        va = t.panic_sp if at_sp else t.stack_va
        path = walk(t, va)
        if level >= len(path):
            raise Absent("%s is mapped by a level-%d leaf; no level-%d entry" % (h(va), len(path) - 1, level))
        f = pt_levels(t)
        _, table, ea, e = path[level]
        target = path[to_level if to_level is not None else level][1]
        new = f["table_bits"]((e & ~f["mask"]) | target, level)
        t.patch_phys(ea, t.pack("Q", new))
        return []
    return setup


# ---------------------------------------------------------------- sk_buff cases

def shinfo_field(t, skb, path):
    return int(skb["shinfo"], 16) + t.off(path)


def frag_list_self(t):
    s = t.skbs[0]
    a = int(s["addr"], 16)
    t.patch(shinfo_field(t, s, "skb_shared_info.frag_list"), t.pack("Q", a))
    return []


def frag_list_two(t):
    if len(t.skbs) < 2:
        raise Absent("the baseline report has fewer than 2 skbs")
    s0, s1 = t.skbs[0], t.skbs[1]
    a, b = int(s0["addr"], 16), int(s1["addr"], 16)
    t.patch(shinfo_field(t, s0, "skb_shared_info.frag_list"), t.pack("Q", b))
    t.patch(b + t.off("sk_buff.next"), t.pack("Q", a))
    t.patch(shinfo_field(t, s1, "skb_shared_info.frag_list"), t.pack("Q", a))
    return []


def nr_frags(value):
    def setup(t):
        s = t.skbs[0]
        off, size = t.field("skb_shared_info.nr_frags")
        if size != 1:
            raise ValueError("skb_shared_info.nr_frags is %d bytes" % size)
        t.patch(int(s["shinfo"], 16) + off, bytes([value]))
        return ["--skb", s["addr"]]
    return setup


def header_past_end(name, delta):
    def setup(t):
        s = t.skbs[0]
        end = int(s["end"])
        v = min(end + delta, 0xfffe)
        if v <= end:
            raise ValueError("end %d leaves no u16 room" % end)
        off, size = t.field("sk_buff." + name)
        t.patch(int(s["addr"], 16) + off, t.pack("H", v))
        return ["--skb", s["addr"]]
    return setup


# ---------------------------------------------------------------- BTF

def btf_start(t):
    a = t.sym("__start_BTF")
    if a is None:
        t.symdump_run(["--field", "sk_buff.len"])
        if not t.btf_at:
            raise KeyError("BTF location unknown")
        a = t.btf_at[0]
    return a


def btf_header(field_off, value):
    def setup(t):
        a = btf_start(t)
        if t.unpack("H", t.vread_bytes(a, 2))[0] != 0xeb9f:
            raise ValueError("no BTF magic at %s" % h(a))
        t.patch(a + field_off, t.pack("I", value))
        return []
    return setup


def kallsyms_tables(t):
    names = {n: t.vmcoreinfo_sym(n) for n in ("kallsyms_num_syms", "kallsyms_offsets", "kallsyms_relative_base",
                                              "kallsyms_token_table", "kallsyms_token_index", "kallsyms_names",
                                              "kallsyms_markers", "_stext")}
    if names["kallsyms_num_syms"] is None:
        raise Absent("VMCOREINFO does not describe kallsyms (Linux < 6.0)")
    return names


def kallsyms_index_of(t, addr):
    """Indexes i of kallsyms_offsets[] that decode to addr, under the base-relative or
    absolute-percpu encoding (whichever reproduces _stext)."""
    ks = kallsyms_tables(t)
    if ks["kallsyms_offsets"] is None or ks["kallsyms_relative_base"] is None:
        raise Absent("no kallsyms_offsets/relative_base (absolute kallsyms_addresses)")
    num = t.unpack("I", t.vread_bytes(ks["kallsyms_num_syms"], 4))[0]
    base = t.unpack("Q", t.vread_bytes(ks["kallsyms_relative_base"], 8))[0]
    raw = t.vread_bytes(ks["kallsyms_offsets"], 4 * num)
    offs = t.unpack("%di" % num, raw)
    stext = ks["_stext"]

    def rel(o):
        return (base + (o & 0xffffffff)) & (2 ** 64 - 1)

    def absp(o):
        return o if o >= 0 else (base - 1 - o) & (2 ** 64 - 1)
    # absolute-percpu first: its per-CPU entries (small absolutes, 0 among them) would
    # decode to relative_base, which is _stext, under the plain base-relative rule.
    for dec, enc in ((absp, lambda v: (base - 1 - v) & 0xffffffff), (rel, lambda v: (v - base) & 0xffffffff)):
        idx = [i for i, o in enumerate(offs) if dec(o) == addr]
        if idx and stext in (dec(o) for o in offs):
            return idx, enc, ks
    raise KeyError("no kallsyms address encoding reproduces _stext")


def btf_stop_symbol(delta_from_start):
    def setup(t):
        start, stop = t.sym("__start_BTF"), t.sym("__stop_BTF")
        if start is None or stop is None:
            raise Absent("kallsyms has no __start_BTF/__stop_BTF (no CONFIG_KALLSYMS_ALL)")
        idx, enc, ks = kallsyms_index_of(t, stop)
        if not idx:
            raise KeyError("__stop_BTF not found in kallsyms_offsets")
        for i in idx:
            t.patch(ks["kallsyms_offsets"] + 4 * i, t.pack("I", enc(start + delta_from_start)))
        return []
    return setup


# ---------------------------------------------------------------- kallsyms

def kallsyms_num(value):
    def setup(t):
        t.patch(kallsyms_tables(t)["kallsyms_num_syms"], t.pack("I", value))
        return []
    return setup


def vmcoreinfo_symbol(name, value_fn):
    def setup(t):
        t.patch_vmcoreinfo(name, value_fn(kallsyms_tables(t)))
        return []
    return setup


def kallsyms_fill(table, length, byte):
    def setup(t):
        ks = kallsyms_tables(t)
        a = ks[table]
        if a is None:
            raise Absent("VMCOREINFO has no SYMBOL(%s)" % table)
        n = length
        if n is None:  # the whole table: up to the next table above it
            n = min(v for v in ks.values() if v is not None and v > a) - a
            if n > 1 << 16:
                raise ValueError("%s: %d bytes to the next table" % (table, n))
        t.patch(a, bytes([byte]) * n)
        return []
    return setup


# ---------------------------------------------------------------- per-CPU

def percpu_offset(value_fn):
    def setup(t):
        a = t.sym("__per_cpu_offset")
        if a is None:
            raise Absent("kallsyms has no __per_cpu_offset (no CONFIG_KALLSYMS_ALL)")
        cpu = t.panic_cpu if t.panic_cpu >= 0 else 0
        old = t.unpack("Q", t.vread_bytes(a + 8 * cpu, 8))[0]
        t.patch(a + 8 * cpu, t.pack("Q", value_fn(old)))
        return []
    return setup


def runqueue_pointer(value):
    """Without __per_cpu_offset (arm64 kallsyms has no data symbols) a CPU's per-CPU base
    comes from its running task's runqueue: point task->se.cfs_rq elsewhere."""
    def setup(t):
        if t.sym("__per_cpu_offset") is not None:
            raise Absent("the kernel has __per_cpu_offset; the runqueue route is not taken")
        if not t.panic_task:
            raise Absent("the baseline report names no panic task")
        t.patch(t.panic_task + t.off("task_struct.se.cfs_rq"), t.pack("Q", value))
        return []
    return setup


def slub_cpu_slab(value_fn):
    """Without __per_cpu_offset, __per_cpu_start comes from SLUB's per-CPU data (every
    cache's kmem_cache_cpu must fit one page-aligned start): garble the cpu_slab of the
    panic task's kmem_cache.  No start may be accepted then."""
    def setup(t):
        if t.sym("__per_cpu_offset") is not None:
            raise Absent("the kernel has __per_cpu_offset; the SLUB route is not taken")
        if not t.panic_task:
            raise Absent("the baseline report names no panic task")
        p = subprocess.run([os.path.join(t.a.build, "tests/gen/percpudump"), "--cache-of", h(t.panic_task), t.a.dump],
                           capture_output=True, text=True)
        w = ([ln.split() for ln in p.stdout.splitlines() if ln.startswith("cache_of ")] or [[]])[0]
        if p.returncode or len(w) != 4:
            raise RuntimeError("percpudump --cache-of: %s" % (p.stdout + p.stderr).strip()[-300:])
        cache, cpu_slab = int(w[2], 16), int(w[3], 16)
        t.patch(cache + t.off("kmem_cache.cpu_slab"), t.pack("Q", value_fn(cpu_slab)))
        return []
    return setup


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skbfilter", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--label", required=True)
    ap.add_argument("--sanitizer", action="store_true")
    ap.add_argument("dump")
    a = ap.parse_args()
    with open(a.dump, "rb") as f:
        sha0 = hashlib.sha256(f.read()).hexdigest()
    t = Target(a)
    with tempfile.TemporaryDirectory(prefix="skbf-hostile.") as work:
        rc, base_text, rss, secs, rep = run_skbfilter(a, a.dump, [], work)
        if rc > 1 or not rep or not rep.get("skbs"):
            print("FAIL %s baseline: exit %d, %s" % (a.label, rc, base_text.strip()[-300:]))
            return
        print("ok   %s baseline: exit %d, %d skbs (%.1f MiB, %.2f s)" %
              (a.label, rc, len(rep["skbs"]), rss / 1024.0, secs))
        t.skbs = rep["skbs"]
        t.panic_cpu = rep["panic"]["cpu"]
        t.panic_task = int(rep["panic"].get("task") or "0", 16)
        stacks = rep["panic"].get("stacks") or []
        t.stack_va = int(stacks[0]["base"], 16) if stacks else None
        # the page holding the first saved frame (frame record / return address slot)
        slots = [int(f["slot"], 16) for f in rep["panic"].get("frames") or [] if int(f["slot"], 16)]
        t.panic_sp = slots[0] if slots else int(rep["panic"]["sp"], 16)
        r = Runner(a, t, work, base_text)

        r.case("frag_list points to its own skb", frag_list_self, r"frag_list (revisits|loops back to)")
        r.case("frag_list 2-cycle (A->B->A)", frag_list_two, r"frag_list (revisits|loops back to)")
        r.case("nr_frags = 255", nr_frags(255), r"nr_frags 255 above MAX_SKB_FRAGS")
        r.case("network_header past end", header_past_end("network_header", 1),
               r"header offset lies past the buffer end")
        r.case("transport_header past end", header_past_end("transport_header", 0x8000),
               r"header offset lies past the buffer end")
        r.case("mac_header past end", header_past_end("mac_header", 100), r"header offset lies past the buffer end")

        if t.stack_va is None:
            print("skip %s page tables: the baseline report names no stack" % a.label)
        else:
            for lvl in (0, 1, 2):
                r.case("page table: level-%d entry points to its own table" % lvl, pt_self(lvl),
                       r"page-table loop")
            r.case("page table: level-2 entry points back to the root", pt_self(2, 0), r"page-table loop")
            # A leaf mapping its own table page is legal (the direct map does it), so no loop can be
            # named: the SP's page then reads as page-table entries and the unwinder must say it stopped.
            r.case("page table: the first frame's level-3 entry maps its own table page", pt_self(3, at_sp=True),
                   r"unwind stopped|running task not found")

        r.case("BTF header type_len 0xfffffff0", btf_header(12, 0xfffffff0),
               r"BTF types end at \d+ \(hdr_len \d+ \+ type_off \d+ \+ type_len 4294967280\)|BTF header at 0x[0-9a-f]+ after _etext has implausible sizes")
        r.case("BTF header str_len 0xfffffff0", btf_header(20, 0xfffffff0),
               r"BTF strings end at \d+ \(hdr_len \d+ \+ str_off \d+ \+ str_len 4294967280\)|BTF header at 0x[0-9a-f]+ after _etext has implausible sizes")
        r.case("__stop_BTF symbol 1 GiB above __start_BTF", btf_stop_symbol(1 << 30), r"BTF.*above the \d+ MiB cap")
        r.case("__stop_BTF symbol below __start_BTF", btf_stop_symbol(-4096), r"__stop_BTF .* is not above __start_BTF")

        r.case("kallsyms_num_syms = 0xffffffff", kallsyms_num(0xffffffff), r"kallsyms_num_syms .* is 4294967295")
        r.case("kallsyms_num_syms = 4000000", kallsyms_num(4000000),
               r"kallsyms_num_syms 4000000: the kallsyms_\w+ table at 0x[0-9a-f]+ would run into the next table")
        r.case("kallsyms_token_table without NULs", kallsyms_fill("kallsyms_token_table", None, 0x41),
               r"kallsyms_token_table: token \d+ at offset \d+ (is not NUL-terminated|runs past)")
        r.case("kallsyms_token_index all 0xffff", kallsyms_fill("kallsyms_token_index", 512, 0xff),
               r"kallsyms_token_index: token \d+ at offset 65535 is past the end of kallsyms_token_table")
        r.case("VMCOREINFO SYMBOL(kallsyms_names) = 0x8000dead00000000",
               vmcoreinfo_symbol("kallsyms_names", lambda ks: 0x8000dead00000000),
               r"kallsyms_names at 0x8000dead00000000: 0x8000dead00000000 is (not a canonical|a user-space)")
        r.case("VMCOREINFO SYMBOL(kallsyms_token_index) = SYMBOL(kallsyms_names)",
               vmcoreinfo_symbol("kallsyms_token_index", lambda ks: ks["kallsyms_names"]),
               r"kallsyms_token_index: token \d+ at offset \d+, expected \d+ .*does not describe kallsyms_token_table")
        r.case("kallsyms_markers nonsense", kallsyms_fill("kallsyms_markers", 4096, 0xff), r"kallsyms")

        r.case("__per_cpu_offset[panic cpu] non-canonical", percpu_offset(lambda v: 0x8000dead00000000),
               r"__per_cpu_offset\[\d+\] is 0x[0-9a-f]+: CPU \d+'s per-CPU area 0x[0-9a-f]+ is not in memory")
        r.case("__per_cpu_offset[panic cpu] 1 TiB past memory", percpu_offset(lambda v: v + (1 << 40)),
               r"__per_cpu_offset\[\d+\] is 0x[0-9a-f]+: CPU \d+'s per-CPU area 0x[0-9a-f]+ is not in memory")

        r.case("running task's se.cfs_rq non-canonical (per-CPU base via the runqueue)",
               runqueue_pointer(0x8000dead00000000),
               r"CPU \d+: per-CPU data not located through the runqueue of task 0x[0-9a-f]+: (task_struct\.se\.cfs_rq|cfs_rq\.rq)")
        r.case("task_struct cache's kmem_cache.cpu_slab 1 MiB low (__per_cpu_start from SLUB)",
               slub_cpu_slab(lambda v: v - (1 << 20)),
               r"__per_cpu_start not found \(.*SLUB: (no page-aligned start|\d+ page-aligned starts fit)")
        r.case("task_struct cache's kmem_cache.cpu_slab non-canonical (__per_cpu_start from SLUB)",
               slub_cpu_slab(lambda v: 0x8000dead00000000),
               r"__per_cpu_start not found \(.*SLUB: (no page-aligned start|\d+ page-aligned starts fit)")

    t.elf.f.close()
    with open(a.dump, "rb") as f:
        sha1 = hashlib.sha256(f.read()).hexdigest()
    if sha1 == sha0:
        print("ok   %s: working copy restored byte for byte after every case" % a.label)
    else:
        print("FAIL %s: working copy differs after the cases (restore is broken)" % a.label)


if __name__ == "__main__":
    main()
