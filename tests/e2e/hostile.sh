#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile kernel memory (issue #6): dumps whose kernel memory lies, made at
# test time from the real fixtures.  Each x86_64 and arm64 fixture ELF is cut
# to a self-contained ELF mini dump (skbfilter -E --keep=crash), then
# tests/e2e/hostile.py patches its memory one case at a time -- a cyclic
# frag_list (self and 2-cycle), page-table entries pointing back to their own
# table or the root, nr_frags = 255, header offsets past the buffer end, an
# absurd in-memory BTF header and __start_BTF/__stop_BTF bounds, absurd
# kallsyms counts and token tables, __per_cpu_offset[] outside memory -- and
# runs skbfilter under /usr/bin/time and timeout 20.  Every case must end
# within the timeout, under 64 MiB peak RSS (1 GiB in sanitizer builds), with
# exit 1 or 3 and the message naming the problem (which the unpatched dump
# does not print), and no sanitizer report.  Nothing is hard-coded: addresses
# come from the dump's own report, symbols and BTF.  Skips without fixtures.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
SKBFILTER=${SKBFILTER:-$top/skbfilter}
BUILD=${BUILD:-build/std}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
FX=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
passed=0 failed=0 skipped=0

ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
skip() { echo "skip $*"; skipped=$((skipped + 1)); }
finish() { echo "$passed passed, $failed failed, $skipped skipped"; [ "$failed" -eq 0 ]; exit $?; }

for tool in vread symdump; do
	if [ ! -x "$BUILD/tests/gen/$tool" ]; then
		fail "hostile: $BUILD/tests/gen/$tool not built"
		finish
	fi
done
if [ ! -d "$FX" ]; then
	skip "hostile: no fixtures at $FX"
	finish
fi
if ! command -v zstd >/dev/null 2>&1; then
	skip "hostile: zstd not installed"
	finish
fi
if [ ! -x /usr/bin/time ] || ! command -v timeout >/dev/null 2>&1; then
	skip "hostile: /usr/bin/time or timeout missing (apt-get install time coreutils)"
	finish
fi
san=
case $BUILD in *san*) san=--sanitizer ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skbf-hostile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# label:scenario/file
for c in x86_64:seed-gso-mismatch/vmcore-d31.elf.zst arm64:arm64-tx-vxlan-tcp/vmcore-d31.elf.zst; do
	label=${c%%:*}
	src=$FX/${c#*:}
	if [ ! -f "$src" ]; then
		skip "hostile $label: $src absent"
		continue
	fi
	full=$tmp/$label.elf
	mini=$tmp/$label.mini.elf
	if ! zstd -q -d --long=31 -f -o "$full" "$src" 2>"$tmp/err"; then
		fail "hostile $label: zstd -d $src: $(head -c 300 "$tmp/err")"
		continue
	fi
	"$SKBFILTER" -q -E --keep=crash -o "$mini" "$full" >/dev/null 2>"$tmp/err"
	rc=$?
	rm -f "$full"
	if [ $rc -gt 1 ] || [ ! -s "$mini" ]; then
		fail "hostile $label: making the ELF mini dump: exit $rc: $(tail -n 2 "$tmp/err")"
		continue
	fi
	python3 "$top/tests/e2e/hostile.py" --skbfilter "$SKBFILTER" --build "$BUILD" --label "$label" $san "$mini" \
		>"$tmp/out" 2>&1
	prc=$?
	cat "$tmp/out"
	passed=$((passed + $(grep -c '^ok' "$tmp/out")))
	failed=$((failed + $(grep -c '^FAIL' "$tmp/out")))
	skipped=$((skipped + $(grep -c '^skip' "$tmp/out")))
	if [ $prc -ne 0 ]; then
		fail "hostile $label: hostile.py exit $prc"
	fi
	rm -f "$mini" "$mini.manifest.json"
done
finish
