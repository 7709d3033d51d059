#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The ORC walk through .init.text (the boot CPU's idle task): a copy of the
# seed-gso-mismatch ELF whose idle CPU's stack returns into start_kernel
# (tests/e2e/initstack.py) must unwind through it.  Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

for tool in vread symdump; do
	if [ ! -x "$BUILD/tests/gen/$tool" ]; then
		fail "initstack: $BUILD/tests/gen/$tool not built"
		finish
	fi
done
e2e_need initstack python3
e2e_tmp initstack
src=$FX/seed-gso-mismatch/vmcore-d31.elf.zst
if [ ! -f "$src" ]; then
	skip "initstack: $src absent"
	finish
fi
if ! full=$(fx_unzst "$src"); then
	fail "initstack: zstd -d $src: $(head -c 300 "$tmp/unzst.err")"
	finish
fi
chmod u+w "$full"
python3 "$top/tests/e2e/initstack.py" --skbfilter "$SKBFILTER" --build "$BUILD" "$full" >"$tmp/out" 2>&1
cat "$tmp/out"
e2e_count "$tmp/out"
grep -q '^\(ok\|FAIL\|skip\)' "$tmp/out" || fail "initstack: initstack.py printed no result: $(tail -c 300 "$tmp/out")"
finish
