#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Real dumps patched into stack situations the fixtures do not show
# (nothing hard-coded: addresses from the dumps' own reports and symbols):
#   initstack.py  an idle CPU's stack returning into start_kernel (.init.text,
#                 freed after boot: the boot CPU's idle task) must unwind
#                 through it -- x86_64 ORC (seed ELF) and arm64 frame records;
#   irqsp.py      the arm64 panic CPU's NT_PRSTATUS sp moved onto its IRQ
#                 stack (a softirq panic) must still give per-CPU data of
#                 every CPU (no __per_cpu_offset there), its task and IRQ stack.
# Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need_gen stackvariants vread symdump
e2e_need stackvariants python3
e2e_tmp stackvariants

for c in x86_64:seed-gso-mismatch/vmcore-d31.elf.zst arm64:arm64-tx-vxlan-tcp/vmcore-d31.elf.zst; do
	label=${c%%:*}
	src=$FX/${c#*:}
	if [ ! -f "$src" ]; then
		skip "stackvariants $label: $src absent"
		continue
	fi
	if ! full=$(fx_unzst "$src"); then
		fail "stackvariants $label: zstd -d $src: $(head -c 300 "$tmp/unzst.err")"
		continue
	fi
	chmod u+w "$full"
	: >"$tmp/out"
	python3 "$top/tests/e2e/initstack.py" --skbfilter "$SKBFILTER" --build "$BUILD" "$full" >>"$tmp/out" 2>&1
	[ "$label" = arm64 ] && python3 "$top/tests/e2e/irqsp.py" --skbfilter "$SKBFILTER" "$full" >>"$tmp/out" 2>&1
	sed "s/^\(ok  \|FAIL\|skip\) /\1 $label /" "$tmp/out"
	e2e_count "$tmp/out"
	n=$(grep -c '^\(ok\|FAIL\|skip\)' "$tmp/out")
	want=1
	[ "$label" = arm64 ] && want=2
	[ "$n" -eq "$want" ] || fail "stackvariants $label: $n result lines, want $want: $(tail -c 300 "$tmp/out")"
	rm -f "$full"
done
finish
