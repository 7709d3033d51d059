#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Address translation on the real fixtures, checked against truth.json.

usage: translate.py VREAD TRUTH_JSON LABEL DUMPFILE...

Runs the vread test tool over one dump and checks, for that dump:
  - the translation set up from VMCOREINFO: describe() has a direct/linear map
    and a vmemmap, and the KASLR offset of truth.json;
  - init_uts_ns (SYMBOL from VMCOREINFO, kernel-image mapping): the release
    string appears within its first 512 bytes;
  - the panic task (direct/linear map) translates and reads;
  - the task's stack (vmalloc: a real page-table walk) holds the primary skb
    pointer at truth's skb_pointer_stack_slot (IRQ stack for the seed);
  - the frag page: vaddr -> page_phys, page_phys -> vaddr, and
    vmemmap + pfn * 64 == the frag's struct page;
  - the panic CPU's NT_PRSTATUS pid;
  - page-table pages were recorded for the minimized dump.
Prints ok/FAIL/skip lines; the caller sums them.
"""
import json
import subprocess
import sys


def main():
    vread, truth_path, label = sys.argv[1:4]
    dumps = sys.argv[4:]
    t = json.load(open(truth_path))
    p = t["panic"]
    skb = t["skbs"][0]
    frag = skb["frags"][0] if skb.get("frags") else None
    cmds = ["describe", "vmemmap", "sym", "init_uts_ns", "vtop", p["task"], "u64", p["task"],
            "vtop", p["task_stack_base"], "u64", p["skb_pointer_stack_slot"], "prstatus"]
    if frag:
        cmds += ["vtop", frag["vaddr"], "ptov", frag["page_phys"]]
    cmds += ["recorded"]
    r = subprocess.run([vread] + dumps + ["--"] + cmds, capture_output=True, text=True)
    if r.returncode == 3 and "not implemented" in r.stderr:
        print(f"skip {label}: reader not available ({r.stderr.strip()})")
        return 0, 0, 1
    if r.returncode != 0:
        print(f"FAIL {label}: vread exit {r.returncode}: {r.stderr.strip()}")
        return 0, 1, 0
    out = {}
    lines = r.stdout.splitlines()
    for ln in lines:
        f = ln.split(" ", 2)
        out.setdefault(f[0], []).append(f[1:])
    passed = failed = 0

    def check(name, cond, detail=""):
        nonlocal passed, failed
        if cond:
            print(f"ok   {label}: {name}")
            passed += 1
        else:
            print(f"FAIL {label}: {name} {detail}")
            failed += 1

    desc = out["describe"][0][0] + " " + out["describe"][0][1]
    check("describe has the map bases", "unknown" not in desc and ("direct map 0x" in desc or "linear map 0x" in desc), desc)
    check("KASLR offset", f"KASLR offset {t['kaslr_offset']}" in desc, f"{desc} vs {t['kaslr_offset']}")
    warnings = [ln for ln in lines if ln.startswith("warning ")]
    check("no warnings", not warnings, str(warnings))

    # init_uts_ns: release within the first 512 bytes
    uts = int(out["sym"][0][1], 16)
    r2 = subprocess.run([vread] + dumps + ["--", "find", hex(uts), "512", t["kernel_release"]],
                        capture_output=True, text=True)
    check("init_uts_ns release", r2.returncode == 0 and "none" not in r2.stdout and "error" not in r2.stdout,
          r2.stdout + r2.stderr)

    vt = {}
    for a, b in out.get("vtop", []):
        vt[int(a, 16)] = b
    u64 = {int(a, 16): b for a, b in out.get("u64", [])}
    task = int(p["task"], 16)
    check("task translates", "error" not in vt.get(task, "error"), vt.get(task))
    check("task reads", "error" not in u64.get(task, "error"), u64.get(task))
    stack = int(p["task_stack_base"], 16)
    check("task stack (vmalloc) translates", "error" not in vt.get(stack, "error"), vt.get(stack))
    slot = int(p["skb_pointer_stack_slot"], 16)
    check("skb pointer in the stack slot", u64.get(slot) == t["primary_skb"].lower().lstrip("0") or
          u64.get(slot) == t["primary_skb"], f"{u64.get(slot)} vs {t['primary_skb']}")
    if frag:
        va, pa = int(frag["vaddr"], 16), int(frag["page_phys"], 16)
        got = vt.get(va, "error")
        check("frag vaddr -> page_phys", "error" not in got and int(got, 16) == pa, f"{got} vs {hex(pa)}")
        pt = out.get("ptov", [["", "error"]])[0][1]
        check("frag page_phys -> vaddr", "error" not in pt and int(pt, 16) == va, f"{pt} vs {hex(va)}")
        vm = int(out["vmemmap"][0][0], 16)
        check("vmemmap + pfn * 64 == frag page", vm + (pa >> 12) * 64 == int(frag["page"], 16),
              f"{hex(vm)} + {hex(pa >> 12)} * 64 vs {frag['page']}")
    pr = [x for x in out.get("prstatus", []) if x[0] == str(p["cpu"])]
    check("prstatus pid of the panic CPU", pr and pr[0][1].split()[1] == str(p["pid"]), str(pr))
    rec = out.get("recorded", [["", "0"]])[0][1]
    check("page-table pages recorded", int(rec) > 0, rec)
    return passed, failed, 0


if __name__ == "__main__":
    ps, fl, sk = main()
    print(f"{ps} passed, {fl} failed, {sk} skipped")
    sys.exit(1 if fl else 0)
