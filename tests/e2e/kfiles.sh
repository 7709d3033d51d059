#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernel files belong to the dump (issue #14): -m, -x and --btf are always
# used or fail with one named error (exit 3):
#   - a missing file: "cannot open", the path once;
#   - a System.map, BTF or vmlinux of another kernel or architecture: one
#     "does not belong to the dump" line naming the file and the dump's kernel;
#   - the right files pass on every kernel the fixtures have (5.10 .. 7.2).
# Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need kfiles
e2e_tmp kfiles
K61=$FX/kernel-6.1.0-56-amd64
KA=$FX/kernel-6.1.0-56-arm64
SEED=$FX/seed-gso-mismatch/vmcore.flat
ARM=$FX/arm64-tx-vxlan-tcp/vmcore.kdump-lzo
[ -f "$SEED" ] && [ -d "$K61" ] && [ -d "$KA" ] || { skip "kfiles: 6.1 fixtures missing"; finish; }

un() { zstd -q -d -f "$1" -o "$2" 2>/dev/null; }
un "$K61/System.map-6.1.0-56-amd64.zst" "$tmp/x86.map"
un "$K61/vmlinux-6.1.0-56-amd64.btf.zst" "$tmp/x86.btf"
un "$K61/vmlinux-6.1.0-56-amd64.nodebug.zst" "$tmp/x86.vmlinux"
un "$KA/System.map-6.1.0-56-arm64.zst" "$tmp/arm.map"
un "$KA/vmlinux-6.1.0-56-arm64.btf.zst" "$tmp/arm.btf"

named() { # label dump want-regex args...
	_label=$1 _dump=$2 _re=$3
	shift 3
	"$SKBFILTER" -q "$@" "$_dump" >"$tmp/o" 2>"$tmp/e"
	_rc=$?
	_n=$(grep -c 'error:' "$tmp/e")
	if [ $_rc -eq 3 ] && [ "$_n" -eq 1 ] && grep 'error:' "$tmp/e" | grep -q -- "$_re" && [ "$(wc -l <"$tmp/e")" -le 3 ]; then
		ok "$_label: exit 3, one named error"
	else
		fail "$_label: exit $_rc, $(wc -l <"$tmp/e") lines: $(head -c 400 "$tmp/e")"
	fi
}
passes() { # label dump args...
	_label=$1 _dump=$2
	shift 2
	"$SKBFILTER" -q "$@" "$_dump" >"$tmp/o" 2>"$tmp/e"
	_rc=$?
	if [ $_rc -le 1 ] && ! grep -q "belong" "$tmp/e"; then ok "$_label: accepted (exit $_rc)"; else
		fail "$_label: exit $_rc: $(head -c 300 "$tmp/e")"; fi
}

# missing files: always an error, even when the dump carries BTF and kallsyms
for opt in -m -x --btf; do
	named "$opt /nonexistent" "$SEED" "/nonexistent: cannot open" $opt "$tmp/nonexistent"
	if [ "$(grep -o nonexistent "$tmp/e" | wc -l)" -eq 1 ]; then ok "$opt /nonexistent: path printed once"; else
		fail "$opt /nonexistent: path printed $(grep -o nonexistent "$tmp/e" | wc -l) times"; fi
done
named "-x with a raw BTF file" "$SEED" "not an ELF file.*--btf" -x "$tmp/x86.btf"

# the right files
passes "x86_64 6.1: -m, --btf, -x of the same kernel" "$SEED" -m "$tmp/x86.map" --btf "$tmp/x86.btf" -x "$tmp/x86.vmlinux"
passes "arm64 6.1: -m and --btf of the same kernel" "$ARM" -m "$tmp/arm.map" --btf "$tmp/arm.btf"
"$SKBFILTER" -q --btf "$tmp/x86.btf" --json "$tmp/r.json" "$SEED" 2>/dev/null
python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["dump"]["btf"]; sys.exit("x86.btf" not in b)' "$tmp/r.json" &&
	ok "--btf is used although the dump carries BTF" || fail "--btf not used: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dump"]["btf"])' "$tmp/r.json")"

# wrong architecture
named "arm64 System.map for an x86_64 dump" "$SEED" "arm.map does not belong to the dump: the file is arm64, the dump x86_64" -m "$tmp/arm.map"
named "x86_64 System.map for an arm64 dump" "$ARM" "x86.map does not belong to the dump: the file is x86_64, the dump arm64" -m "$tmp/x86.map"
named "x86_64 vmlinux for an arm64 dump" "$ARM" "x86.vmlinux does not belong to the dump: the file is x86_64, the dump arm64" -x "$tmp/x86.vmlinux"
named "arm64 BTF for an x86_64 dump" "$SEED" "arm.btf does not belong to the dump (x86_64, kernel 6.1.0-56-amd64)" --btf "$tmp/arm.btf"
named "x86_64 BTF for an arm64 dump" "$ARM" "x86.btf does not belong to the dump (arm64" --btf "$tmp/x86.btf"

# other kernels of the same architecture: each dump with its own files, and with 6.1's
for pair in "k510 5.10.0-32-amd64" "k612 6.12.117+deb12-amd64" "k72 7.2.13+deb14-amd64"; do
	set -- $pair
	d=$FX/$1-seed-gso-mismatch/vmcore.flat
	kd=$FX/kernel-$2
	[ -f "$d" ] && [ -d "$kd" ] || { skip "kfiles: $1 fixtures missing"; continue; }
	un "$kd/System.map-$2.zst" "$tmp/$1.map"
	un "$kd/vmlinux-$2.btf.zst" "$tmp/$1.btf"
	"$SKBFILTER" -q -m "$tmp/$1.map" --btf "$tmp/$1.btf" "$d" >"$tmp/o" 2>"$tmp/e"
	if grep -q "belong\|cannot open" "$tmp/e"; then fail "$1: its own files refused: $(grep error "$tmp/e")"; else
		ok "$1: its own System.map and BTF accepted"; fi
	named "$1 dump with the 6.1 System.map" "$d" "x86.map does not belong to the dump (x86_64, kernel $2): SYMBOL(" -m "$tmp/x86.map"
	named "$1 dump with the 6.1 BTF" "$d" "x86.btf does not belong to the dump (x86_64, kernel $2)" --btf "$tmp/x86.btf"
	named "6.1 dump with the $1 System.map" "$SEED" "$1.map does not belong to the dump (x86_64, kernel 6.1.0-56-amd64)" -m "$tmp/$1.map"
	named "6.1 dump with the $1 BTF" "$SEED" "$1.btf does not belong to the dump" --btf "$tmp/$1.btf"
done
finish
