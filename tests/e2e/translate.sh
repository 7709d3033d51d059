#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Address translation on the real fixtures (x86_64 and arm64, ELF, kdump,
# flattened), checked against each scenario's truth.json by translate.py.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build/std}
FIX=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
VREAD=$BUILD/tests/gen/vread
passed=0 failed=0 skipped=0

if [ ! -d "$FIX" ]; then
	echo "skip translate: no fixtures at $FIX"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/translate.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

run() {	# label truth dump
	label=$1 truth=$2 dump=$3
	if [ ! -f "$dump" ] || [ ! -f "$truth" ]; then
		echo "skip $label: fixture missing"
		skipped=$((skipped + 1))
		return
	fi
	python3 "$top/tests/e2e/translate.py" "$VREAD" "$truth" "$label" "$dump" >"$tmp/out" 2>&1
	grep -v -E '^[0-9]+ passed' "$tmp/out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$tmp/out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $label: no result"
		failed=$((failed + 1))
		return
	fi
	set -- $(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/')
	passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0}))
}

unzst() {	# file.zst -> decompressed path in $tmp (once per run)
	out=$tmp/$(basename "$(dirname "$1")")-$(basename "$1" .zst)
	if [ ! -f "$out" ] && [ -f "$1" ]; then
		zstd -q -d --long=31 -o "$out" "$1" || rm -f "$out"
	fi
	echo "$out"
}

s=$FIX/tx-vxlan-tcp
for f in kdump-lzo kdump-zlib kdump-snappy kdump-zstd; do
	run "x86_64 tx-vxlan-tcp $f" "$s/truth.json" "$s/vmcore.$f"
done
run "x86_64 tx-vxlan-tcp elf" "$s/truth.json" "$(unzst "$s/vmcore.elf.zst")"
rm -f "$tmp"/tx-vxlan-tcp-*
s=$FIX/seed-gso-mismatch
run "x86_64 seed-gso-mismatch flattened" "$s/truth.json" "$s/vmcore.flat"
run "x86_64 seed-gso-mismatch elf -E" "$s/truth.json" "$(unzst "$s/vmcore-d31.elf.zst")"
rm -f "$tmp"/seed-gso-mismatch-*
s=$FIX/arm64-tx-vxlan-tcp
run "arm64 tx-vxlan-tcp kdump-lzo" "$s/truth.json" "$s/vmcore.kdump-lzo"
run "arm64 tx-vxlan-tcp elf -E" "$s/truth.json" "$(unzst "$s/vmcore-d31.elf.zst")"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
