#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Address translation on the real fixtures (x86_64 and arm64, ELF, kdump,
# flattened), checked against each scenario's truth.json by translate.py.
set -u
. "$(dirname "$0")/lib.sh"
VREAD=$BUILD/tests/gen/vread

e2e_need translate python3
e2e_tmp translate

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

s=$FX/tx-vxlan-tcp
for f in kdump-lzo kdump-zlib kdump-snappy kdump-zstd; do
	run "x86_64 tx-vxlan-tcp $f" "$s/truth.json" "$s/vmcore.$f"
done
run "x86_64 tx-vxlan-tcp elf" "$s/truth.json" "$(fx_unzst "$s/vmcore.elf.zst")"
rm -f "$tmp"/tx-vxlan-tcp-*
s=$FX/seed-gso-mismatch
run "x86_64 seed-gso-mismatch flattened" "$s/truth.json" "$s/vmcore.flat"
run "x86_64 seed-gso-mismatch elf -E" "$s/truth.json" "$(fx_unzst "$s/vmcore-d31.elf.zst")"
rm -f "$tmp"/seed-gso-mismatch-*
s=$FX/arm64-tx-vxlan-tcp
run "arm64 tx-vxlan-tcp kdump-lzo" "$s/truth.json" "$s/vmcore.kdump-lzo"
run "arm64 tx-vxlan-tcp elf -E" "$s/truth.json" "$(fx_unzst "$s/vmcore-d31.elf.zst")"

finish
