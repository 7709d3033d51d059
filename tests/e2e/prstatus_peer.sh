#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# NT_PRSTATUS register layouts (x86_64, arm64) against libkdumpfile: the peer
# corpus's elf-prstatus-* dumps spell each register's name into its own slot,
# and the manifest lists the values libkdumpfile reads for every register.
set -u
. "$(dirname "$0")/lib.sh"
PEER=${SKBFILTER_PEER:-$FX/../peer/libkdumpfile}
if [ ! -f "$PEER/manifest.json" ]; then
	echo "skip prstatus_peer: no peer corpus at $PEER"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
python3 - "$BUILD/tests/gen/vread" "$PEER" <<'PY'
import json, subprocess, sys
vread, peer = sys.argv[1:3]
m = json.load(open(peer + "/manifest.json"))
files = m["files"] if isinstance(m["files"], list) else list(m["files"].values())
# libkdumpfile's names where ours differ (ours follow the kernel's elf_gregset order)
alias = {"eflags": "rflags", "x30": "lr"}
passed = failed = 0
for name in ("elf-prstatus-x86_64.dump", "elf-prstatus-aarch64.dump"):
    ent = [f for f in files if f["file"] == name]
    if not ent:
        print(f"skip {name}: not in the manifest")
        continue
    exp = {}
    for chk in ent[0].get("test_checks", []):
        exp.update(chk.get("expected_attrs", {}))
    r = subprocess.run([vread, peer + "/" + ent[0]["stored_as"], "--", "prstatus", "regs"],
                       capture_output=True, text=True)
    if r.returncode:
        print(f"FAIL {name}: vread exit {r.returncode}: {r.stderr.strip()}")
        failed += 1
        continue
    regs = {}
    pid = None
    for ln in r.stdout.splitlines():
        f = ln.split()
        if f[0] == "regs" and f[1] == "0":
            regs[f[2]] = int(f[3], 16)
        if f[0] == "prstatus" and f[1] == "0":
            pid = int(f[3])
    bad = []
    compared = 0
    for reg, val in regs.items():
        key = "cpu.0.reg." + alias.get(reg, reg)
        if key not in exp:
            key = "cpu.0.reg." + reg
        if key not in exp:
            continue
        compared += 1
        want = int(exp[key].split(":", 1)[1], 16)
        if want != val:
            bad.append(f"{reg}: {val:#x} != {want:#x}")
    want_pid = exp.get("cpu.0.pid")
    if want_pid is not None and int(want_pid.split(":", 1)[1], 16) != pid:
        bad.append(f"pid {pid} != {want_pid}")
    if bad or compared < 20:
        print(f"FAIL {name}: {compared} registers compared; " + "; ".join(bad))
        failed += 1
    else:
        print(f"ok   {name}: {compared} registers and pid as libkdumpfile reads them")
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
