#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The ORC walk through .init.text, on a real dump made to look like the boot
CPU's idle stack (init_task returns through rest_init <- arch_call_rest_init
<- start_kernel, all in .init.text, freed after boot but still covered by
vmlinux's ORC table).

    initstack.py --skbfilter BIN --build DIR DUMP.elf

DUMP.elf is a writable ELF copy.  On a CPU that is not the panic CPU, the
return address of the frame before the last (an idle CPU's start_secondary)
is replaced by start_kernel + 0x10 (the dump's own kallsyms); skbfilter
--backtrace --all-cpus --json must then list an unwound (reliable) frame in
start_kernel, which lies in [_sinittext, _einittext).  Before the fix the walk
stopped there with "unwound to an address outside kernel text".
Prints one ok/FAIL/skip line.
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile  # noqa: E402  (Target: symbols, vtop and patching through the project's tools)


def backtrace(a):
    p = subprocess.run([a.skbfilter, "--backtrace", "--all-cpus", "--json", a.dump], capture_output=True, text=True)
    return p.returncode, json.loads(p.stdout) if p.stdout.strip() else {}, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--skbfilter", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("dump")
    a = ap.parse_args()
    t = hostile.Target(a)
    label = "initstack %s" % os.path.basename(a.dump)
    sk, si, ei = t.sym("start_kernel"), t.sym("_sinittext"), t.sym("_einittext")
    if None in (sk, si, ei) or not si <= sk < ei:
        print("skip %s: no start_kernel inside [_sinittext, _einittext) in this dump's symbols" % label)
        return 0
    rc, d, err = backtrace(a)
    panic_cpu = (d.get("panic") or {}).get("cpu")
    cand = [c for c in d.get("cpus", []) if c.get("cpu") != panic_cpu and len(c.get("frames", [])) >= 3
            and all(f.get("reliable") for f in c["frames"][-3:])]
    if not cand:
        print("skip %s: no other CPU with an unwound stack to patch" % label)
        return 0
    c = cand[0]
    slot = int(c["frames"][-2]["slot"], 16)
    target = sk + 0x10
    t.patch(slot, t.pack("Q", target))
    try:
        rc, d, err = backtrace(a)
    finally:
        t.restore()
    cpu = [x for x in d.get("cpus", []) if x.get("cpu") == c["cpu"]]
    frames = cpu[0].get("frames", []) if cpu else []
    hit = [f for f in frames if int(f.get("addr", "0"), 16) == target]
    if hit and hit[0].get("reliable") and hit[0].get("symbol", "").startswith("start_kernel+"):
        # a return address at a function's first byte (after a noreturn call ending the previous
        # function) is named by addr - 1, as the kernel's %pB does: never "start_kernel+0x0"
        t.patch(slot, t.pack("Q", sk))
        try:
            rc, d, err = backtrace(a)
        finally:
            t.restore()
        cpu = [x for x in d.get("cpus", []) if x.get("cpu") == c["cpu"]]
        at = [f for f in (cpu[0].get("frames", []) if cpu else []) if int(f.get("addr", "0"), 16) == sk]
        if not at or at[0].get("symbol", "").startswith("start_kernel+0x0") or "+0x" not in at[0].get("symbol", ""):
            print("FAIL %s: CPU %d: a return address at start_kernel's first byte is named %s, not by addr - 1" %
                  (label, c["cpu"], at[0].get("symbol") if at else "(no frame)"))
            return 1
        print("ok   %s: CPU %d unwinds into .init.text (%s; a return at a function start reads %s)" %
              (label, c["cpu"], hit[0]["symbol"], at[0]["symbol"]))
        return 0
    print("FAIL %s: CPU %d: no unwound frame at start_kernel+0x10 after patching slot 0x%x; frames %s; %s" %
          (label, c["cpu"], slot, [f.get("symbol") for f in frames][-6:], err.strip()[-300:]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
