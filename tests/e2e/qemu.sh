#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU dump-guest-memory / "virsh dump --memory-only" ELF dumps.  The stored
# tx-vxlan-tcp kdump ELF is rewritten at test time into QEMU's shape by
# tests/e2e/qemu_elf.py (p_vaddr 0 on every PT_LOAD, no kernel-text PT_LOAD,
# pr_pid = vCPU number + 1, one "QEMU" QEMUCPUState note per vCPU, VMCOREINFO
# kept as with -device vmcoreinfo), then:
#   - --info lists the CPUs without taking pr_pid for a pid;
#   - --backtrace --json names the truth's panic CPU and pid from per-CPU data
#     (not from pr_pid) and sees no pid mismatch;
#   - the main job passes the acceptance checker against the fixture's truth;
#   - the same for QEMU's kdump-zlib shape: the stored vmcore.kdump-zlib of the
#     same crash with that note area (qemu_kdump.py), flattened by mkflat;
#   - without VMCOREINFO (QEMU without -device vmcoreinfo): with no
#     System.map skbfilter fails cleanly asking for -m; with -m System.map the
#     KASLR offset and phys_base come from the QEMU notes' CR3 page tables
#     (vCPU 0's CR3 is made bad: vCPU 1's is used) and the main job passes the
#     acceptance checker again;
#   - arm64 (arm64-tx-vxlan-tcp/vmcore-d31.elf): QEMU's arm64 shape (no
#     "QEMU" note, NT_PRFPREG after each NT_PRSTATUS, pr_pid = vCPU + 1,
#     p_vaddr 0, no kernel-image PT_LOAD): the acceptance checker passes.
# Skips cleanly without fixtures, zstd or python3.
set -u
. "$(dirname "$0")/lib.sh"
CHECK=$FX/../tools/check-report.py

dir=$FX/tx-vxlan-tcp
map=$FX/kernel-6.1.0-56-amd64/System.map-6.1.0-56-amd64.zst
if [ ! -f "$dir/vmcore.elf.zst" ] || [ ! -f "$map" ]; then
	skip "qemu: no tx-vxlan-tcp ELF fixture or System.map at $FX"
	finish
fi
e2e_need qemu python3
e2e_tmp qemu

if ! zstd -q -d --long=31 "$dir/vmcore.elf.zst" -o "$tmp/qemu.elf" ||
   ! zstd -q -d "$map" -o "$tmp/System.map"; then
	fail "qemu: cannot decompress the fixture"
	finish
fi
if ! python3 "$top/tests/e2e/qemu_elf.py" "$tmp/qemu.elf" "$tmp/System.map" --notes-out "$tmp/qemu.notes" \
	2>"$tmp/conv.err"; then
	fail "qemu: qemu_elf.py: $(head -c 300 "$tmp/conv.err")"
	finish
fi

# --info: two CPUs, no pid taken from pr_pid
if "$SKBFILTER" --info --json "$tmp/qemu.elf" >"$tmp/info.json" 2>"$tmp/info.err" &&
   python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["cpus"]
sys.exit(not (len(c) == 2 and all(x["pid"] is None for x in c)))' "$tmp/info.json"; then
	ok "qemu: --info lists 2 vCPUs with no pid"
else
	fail "qemu: --info: $(head -c 300 "$tmp/info.json") $(head -c 300 "$tmp/info.err")"
fi

# --backtrace: panic CPU and task from per-CPU data, no pid-mismatch warning
"$SKBFILTER" --backtrace --json "$tmp/qemu.elf" >"$tmp/bt.json" 2>"$tmp/bt.err"
rc=$?
if [ $rc -le 1 ] && python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))["panic"]
p = b["panic"]
ok = p["cpu"] == t["cpu"] and p.get("pid") == t["pid"] and p.get("comm") == t["comm"]
if not ok:
    print("report cpu %s pid %s comm %s, truth cpu %s pid %s comm %s" % (p["cpu"], p.get("pid"), p.get("comm"), t["cpu"], t["pid"], t["comm"]))
sys.exit(not ok)' "$tmp/bt.json" "$dir/truth.json" >"$tmp/bt.cmp" 2>&1; then
	ok "qemu: --backtrace names the truth's panic CPU, pid and comm"
else
	fail "qemu: --backtrace exit $rc: $(head -c 300 "$tmp/bt.cmp") $(tail -n 2 "$tmp/bt.err")"
fi
if grep -q "NT_PRSTATUS says pid" "$tmp/bt.err"; then
	fail "qemu: --backtrace took pr_pid for a pid: $(grep 'NT_PRSTATUS says pid' "$tmp/bt.err" | head -n 1)"
else
	ok "qemu: pr_pid not taken for a pid"
fi

# main job + acceptance checker
mkdir -p "$tmp/out"
"$SKBFILTER" -q -w "$tmp/out/out.pcap" --json "$tmp/out/r.json" "$tmp/qemu.elf" >"$tmp/out/stdout" 2>"$tmp/out/stderr"
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$tmp/out/r.json" ]; then
	fail "qemu: skbfilter exit $rc: $(tail -n 3 "$tmp/out/stderr")"
elif [ ! -f "$CHECK" ]; then
	skip "qemu: no acceptance checker at $CHECK"
elif python3 "$CHECK" "$dir" "$tmp/out/r.json" "$tmp/out/out.pcap" >"$tmp/out/check" 2>&1; then
	ok "qemu: check-report ($(tail -n 1 "$tmp/out/check"))"
else
	fail "qemu: check-report: $(grep -v '^ok' "$tmp/out/check" | head -n 5 | tr '\n' ' ')"
fi

# QEMU's kdump-zlib: flattened, QEMU note area
if [ -f "$dir/vmcore.kdump-zlib" ] && [ -x "$BUILD/tests/gen/mkflat" ]; then
	cp "$dir/vmcore.kdump-zlib" "$tmp/qemu.kdump" && chmod u+w "$tmp/qemu.kdump"
	if ! python3 "$top/tests/e2e/qemu_kdump.py" "$tmp/qemu.kdump" "$tmp/qemu.notes" 2>"$tmp/conv.err" ||
	   ! "$BUILD/tests/gen/mkflat" "$tmp/qemu.kdump" "$tmp/qemu.flat" 2>>"$tmp/conv.err"; then
		fail "qemu: kdump-zlib variant: $(head -c 300 "$tmp/conv.err")"
	else
		rm -f "$tmp/qemu.kdump"
		rm -rf "$tmp/out"; mkdir -p "$tmp/out"
		"$SKBFILTER" -q -w "$tmp/out/out.pcap" --json "$tmp/out/r.json" "$tmp/qemu.flat" \
			>"$tmp/out/stdout" 2>"$tmp/out/stderr"
		rc=$?
		if [ $rc -gt 1 ] || [ ! -s "$tmp/out/r.json" ]; then
			fail "qemu: flattened kdump-zlib: skbfilter exit $rc: $(tail -n 3 "$tmp/out/stderr")"
		elif grep -q "NT_PRSTATUS says pid" "$tmp/out/stderr"; then
			fail "qemu: flattened kdump-zlib: pr_pid taken for a pid"
		elif [ ! -f "$CHECK" ]; then
			skip "qemu: no acceptance checker at $CHECK"
		elif python3 "$CHECK" "$dir" "$tmp/out/r.json" "$tmp/out/out.pcap" >"$tmp/out/check" 2>&1; then
			ok "qemu: flattened kdump-zlib: check-report ($(tail -n 1 "$tmp/out/check"))"
		else
			fail "qemu: flattened kdump-zlib: check-report: $(grep -v '^ok' "$tmp/out/check" | head -n 5 | tr '\n' ' ')"
		fi
		rm -f "$tmp/qemu.flat"
	fi
else
	skip "qemu: no vmcore.kdump-zlib or no $BUILD/tests/gen/mkflat"
fi

# without VMCOREINFO: a clean error, not a crash or a wrong result
if ! zstd -q -f -d --long=31 "$dir/vmcore.elf.zst" -o "$tmp/qemu.elf" ||
   ! python3 "$top/tests/e2e/qemu_elf.py" "$tmp/qemu.elf" "$tmp/System.map" --no-vmcoreinfo --bad-cr3 \
	2>"$tmp/conv.err"; then
	fail "qemu: no-VMCOREINFO variant: $(head -c 300 "$tmp/conv.err")"
	finish
fi
"$SKBFILTER" -q -w "$tmp/nv.pcap" "$tmp/qemu.elf" >/dev/null 2>"$tmp/nv.err"
rc=$?
if [ $rc -gt 1 ] && [ $rc -lt 128 ] && grep -q "System.map" "$tmp/nv.err"; then
	ok "qemu: no VMCOREINFO, no -m: clean error asking for System.map"
else
	fail "qemu: no VMCOREINFO, no -m: exit $rc: $(tail -n 2 "$tmp/nv.err")"
fi
rm -rf "$tmp/out"; mkdir -p "$tmp/out"
"$SKBFILTER" -q -m "$tmp/System.map" -w "$tmp/out/out.pcap" --json "$tmp/out/r.json" -o "$tmp/mini.core" \
	"$tmp/qemu.elf" >"$tmp/out/stdout" 2>"$tmp/out/stderr"
rc=$?
if [ $rc -gt 1 ] || [ ! -s "$tmp/out/r.json" ]; then
	fail "qemu: no VMCOREINFO, -m System.map: skbfilter exit $rc: $(tail -n 3 "$tmp/out/stderr")"
elif ! grep -q "from the vCPU's page tables (CR3)" "$tmp/out/stderr"; then
	fail "qemu: no VMCOREINFO, -m System.map: no warning about the CR3-derived layout"
elif [ ! -f "$CHECK" ]; then
	skip "qemu: no acceptance checker at $CHECK"
elif python3 "$CHECK" "$dir" "$tmp/out/r.json" "$tmp/out/out.pcap" >"$tmp/out/check" 2>&1; then
	ok "qemu: no VMCOREINFO, -m System.map: check-report ($(tail -n 1 "$tmp/out/check"))"
else
	fail "qemu: no VMCOREINFO, -m System.map: check-report: $(grep -v '^ok' "$tmp/out/check" | head -n 5 | tr '\n' ' ')"
fi
# its minimized dump keeps the QEMU notes and the CR3 tables: it reads the same way
rm -f "$tmp/qemu.elf"
rm -rf "$tmp/out"; mkdir -p "$tmp/out"
if [ ! -s "$tmp/mini.core" ]; then
	fail "qemu: no VMCOREINFO: no mini.core written"
else
	"$SKBFILTER" -q -m "$tmp/System.map" -w "$tmp/out/out.pcap" --json "$tmp/out/r.json" "$tmp/mini.core" \
		>"$tmp/out/stdout" 2>"$tmp/out/stderr"
	rc=$?
	if [ $rc -gt 1 ] || [ ! -s "$tmp/out/r.json" ]; then
		fail "qemu: no VMCOREINFO, mini.core: skbfilter exit $rc: $(tail -n 3 "$tmp/out/stderr")"
	elif [ ! -f "$CHECK" ]; then
		skip "qemu: no acceptance checker at $CHECK"
	elif python3 "$CHECK" "$dir" "$tmp/out/r.json" "$tmp/out/out.pcap" >"$tmp/out/check" 2>&1; then
		ok "qemu: no VMCOREINFO, mini.core ($(wc -c <"$tmp/mini.core") bytes): check-report ($(tail -n 1 "$tmp/out/check"))"
	else
		fail "qemu: no VMCOREINFO, mini.core: check-report: $(grep -v '^ok' "$tmp/out/check" | head -n 5 | tr '\n' ' ')"
	fi
fi

# arm64
adir=$FX/arm64-tx-vxlan-tcp
if [ -f "$adir/vmcore-d31.elf.zst" ]; then
	rm -f "$tmp/qemu.elf"
	if ! zstd -q -d --long=31 "$adir/vmcore-d31.elf.zst" -o "$tmp/qemu-arm64.elf" ||
	   ! python3 "$top/tests/e2e/qemu_elf.py" "$tmp/qemu-arm64.elf" - 2>"$tmp/conv.err"; then
		fail "qemu: arm64 variant: $(head -c 300 "$tmp/conv.err")"
	else
		rm -rf "$tmp/out"; mkdir -p "$tmp/out"
		"$SKBFILTER" -q -w "$tmp/out/out.pcap" --json "$tmp/out/r.json" "$tmp/qemu-arm64.elf" \
			>"$tmp/out/stdout" 2>"$tmp/out/stderr"
		rc=$?
		if [ $rc -gt 1 ] || [ ! -s "$tmp/out/r.json" ]; then
			fail "qemu: arm64: skbfilter exit $rc: $(tail -n 3 "$tmp/out/stderr")"
		elif grep -q "NT_PRSTATUS says pid" "$tmp/out/stderr"; then
			fail "qemu: arm64: pr_pid taken for a pid"
		elif [ ! -f "$CHECK" ]; then
			skip "qemu: no acceptance checker at $CHECK"
		elif python3 "$CHECK" "$adir" "$tmp/out/r.json" "$tmp/out/out.pcap" >"$tmp/out/check" 2>&1; then
			ok "qemu: arm64: check-report ($(tail -n 1 "$tmp/out/check"))"
		else
			fail "qemu: arm64: check-report: $(grep -v '^ok' "$tmp/out/check" | head -n 5 | tr '\n' ' ')"
		fi
	fi
else
	skip "qemu: no arm64-tx-vxlan-tcp fixture"
fi
finish
