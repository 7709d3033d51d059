#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Per-CPU offsets without data symbols (src/kernel/percpu.c, percpu_slub.c).
# The arm64 fixture's kallsyms has no __per_cpu_offset or __per_cpu_start;
# skbfilter finds each CPU's per-CPU base through the running task's
# runqueue and __per_cpu_start from SLUB's per-CPU data.  Checked against
# the symbol route (-m System.map: __per_cpu_start from the map, shifted by
# KASLR, and __per_cpu_offset[] read from the dump at the map's address):
#   - the same __per_cpu_start and every CPU's __per_cpu_offset;
#   - the default job exits 0 (no "SLUB per-CPU freelists not checked"
#     warning) and its JSON notes name that __per_cpu_start;
#   - its mini.core gives the same start and offsets, and the default job on
#     the mini.core exits 0 too (probing must not depend on unrecorded pages);
#   - x86_64 (which has __per_cpu_offset) does not take the route.
# Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

tool=$BUILD/tests/gen/percpudump
if [ ! -x "$tool" ]; then
	fail "percpu: $tool not built"
	finish
fi
e2e_need percpu python3
e2e_tmp percpu

# "start" and "offset" lines only
facts() { grep -E '^(start|offset) ' "$1"; }

arm=$FX/arm64-tx-vxlan-tcp/vmcore.kdump-lzo
mapz=$FX/kernel-6.1.0-56-arm64/System.map-6.1.0-56-arm64.zst
if [ ! -f "$arm" ] || [ ! -f "$mapz" ]; then
	skip "percpu arm64: $arm or $mapz absent"
else
	if ! map=$(fx_unzst "$mapz"); then
		fail "percpu arm64: zstd -d $mapz: $(head -c 300 "$tmp/unzst.err")"
		finish
	fi
	"$tool" "$arm" >"$tmp/slub.out" 2>"$tmp/err" || fail "percpu arm64: percpudump exit $?: $(cat "$tmp/err")"
	"$tool" -m "$map" "$arm" >"$tmp/map.out" 2>"$tmp/err" || fail "percpu arm64 -m: percpudump exit $?: $(cat "$tmp/err")"
	# the map's __per_cpu_start is link-time: shift it by KERNELOFFSET
	kaslr=$(sed -n 's/^kaslr //p' "$tmp/map.out")
	mstart=$(awk '$3 == "__per_cpu_start" { print $1 }' "$map")
	want=$(python3 -c "print('%x' % ((int('$mstart', 16) + int('${kaslr:-0}', 16)) % (1 << 64)))" 2>/dev/null)
	got=$(sed -n 's/^start //p' "$tmp/slub.out")
	if [ -n "$mstart" ] && [ "$got" = "$want" ] && grep -q "^start $want\$" "$tmp/map.out"; then
		ok "percpu arm64: __per_cpu_start $got from SLUB = System.map $mstart + KASLR $kaslr"
	else
		fail "percpu arm64: __per_cpu_start '$got' from SLUB, want '$want' (System.map $mstart + KASLR $kaslr)"
		sed 's/^/    /' "$tmp/slub.out"
	fi
	n=$(grep -c '^offset ' "$tmp/map.out")
	if [ "$n" -gt 0 ] && facts "$tmp/slub.out" | grep '^offset' >"$tmp/a" && facts "$tmp/map.out" | grep '^offset' >"$tmp/b" &&
	   cmp -s "$tmp/a" "$tmp/b"; then
		ok "percpu arm64: __per_cpu_offset[] of all $n CPUs = the values read at System.map's __per_cpu_offset"
	else
		fail "percpu arm64: __per_cpu_offset[] differ from the System.map route"
		diff "$tmp/a" "$tmp/b" | sed 's/^/    /'
	fi
	if grep -q "^note __per_cpu_offset\[\] derived from the per-CPU bases and __per_cpu_start 0x$want (the only page-aligned start" \
		"$tmp/slub.out"; then
		ok "percpu arm64: a note (not a warning) says how __per_cpu_start was found"
	else
		fail "percpu arm64: no note naming __per_cpu_start 0x$want"
		sed 's/^/    /' "$tmp/slub.out"
	fi

	"$SKBFILTER" -q --json "$tmp/r.json" -w "$tmp/r.pcap" -o "$tmp/m.core" "$arm" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q "freelists not checked" "$tmp/err" &&
	   grep -q "__per_cpu_start 0x$want" "$tmp/r.json"; then
		ok "percpu arm64: default job exits 0, SLUB per-CPU freelists checked, JSON note names the start"
	else
		fail "percpu arm64: default job exit $rc: $(head -c 600 "$tmp/err")"
	fi
	"$tool" "$tmp/m.core" >"$tmp/mini.out" 2>"$tmp/err"
	if facts "$tmp/mini.out" >"$tmp/a" && facts "$tmp/slub.out" >"$tmp/b" && cmp -s "$tmp/a" "$tmp/b"; then
		ok "percpu arm64: the mini.core gives the same __per_cpu_start and offsets"
	else
		fail "percpu arm64: the mini.core's per-CPU facts differ"
		diff "$tmp/a" "$tmp/b" | sed 's/^/    /'
		sed 's/^/    /' "$tmp/mini.out"
	fi
	"$SKBFILTER" -q --json "$tmp/m.json" "$tmp/m.core" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] && python3 - "$tmp/r.json" "$tmp/m.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda r: sorted((s["addr"], s.get("packet", {}).get("crc32")) for s in r["skbs"])
pcpu = lambda r: [n for n in r["notes"] if "per-CPU" in n or "__per_cpu" in n]
# the original searched; the mini.core takes the result from its kernel note, and says so
sys.exit(0 if key(a) == key(b) and pcpu(a) and len(pcpu(b)) == 1 and "from the mini.core kernel note" in pcpu(b)[0]
         else 1)
EOF
	then
		ok "percpu arm64: the mini.core's default job exits 0 with the same skbs, per-CPU data from the kernel note"
	else
		fail "percpu arm64: the mini.core's default job: exit $rc or other skbs/per-CPU notes: $(head -c 600 "$tmp/err")"
	fi
fi

x86=$FX/tx-vxlan-tcp/vmcore.kdump-lzo
if [ ! -f "$x86" ]; then
	skip "percpu x86_64: $x86 absent"
else
	"$tool" "$x86" >"$tmp/x86.out" 2>"$tmp/err"
	if grep -q '^offset 0 ' "$tmp/x86.out" && ! grep -q 'derived from the per-CPU bases' "$tmp/x86.out"; then
		ok "percpu x86_64: __per_cpu_offset[] from the symbol, the SLUB route not taken"
	else
		fail "percpu x86_64: unexpected per-CPU facts"
		sed 's/^/    /' "$tmp/x86.out"
	fi
fi
finish
