#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile kernel memory (issue #6): dumps whose kernel memory lies, made at
# test time from the real fixtures.  Each x86_64 and arm64 fixture ELF is cut
# to a self-contained ELF mini dump (skbfilter -E --keep=crash), then
# tests/e2e/hostile.py patches its memory one case at a time -- a cyclic
# frag_list (self and 2-cycle), page-table entries pointing back to their own
# table or the root (and a leaf mapping its own table page under the first
# stack frame), nr_frags = 255, header offsets past the buffer end, an absurd
# in-memory BTF header and __start_BTF/__stop_BTF bounds, absurd kallsyms
# counts, token tables and VMCOREINFO SYMBOL()s, __per_cpu_offset[] outside
# memory (arm64, without that symbol: the running task's runqueue pointer, and a
# garbled kmem_cache.cpu_slab for __per_cpu_start from SLUB) --
# and runs skbfilter under /usr/bin/time and timeout 20.  Every case must end
# within the timeout, under 64 MiB peak RSS (1 GiB in sanitizer builds), with
# exit 1 or 3 and the message naming the problem (which the unpatched dump
# does not print), and no sanitizer report.  Nothing is hard-coded: addresses
# come from the dump's own report, symbols and BTF.  Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need_gen hostile vread symdump percpudump
e2e_need hostile python3 timeout
if [ ! -x /usr/bin/time ]; then
	skip "hostile: /usr/bin/time missing (apt-get install time)"
	finish
fi
san=
case $BUILD in *san*) san=--sanitizer ;; esac
e2e_tmp hostile

# label:scenario/file
for c in x86_64:seed-gso-mismatch/vmcore-d31.elf.zst arm64:arm64-tx-vxlan-tcp/vmcore-d31.elf.zst; do
	label=${c%%:*}
	src=$FX/${c#*:}
	if [ ! -f "$src" ]; then
		skip "hostile $label: $src absent"
		continue
	fi
	mini=$tmp/$label.mini.elf
	if ! full=$(fx_unzst "$src"); then
		fail "hostile $label: zstd -d $src: $(head -c 300 "$tmp/unzst.err")"
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
	e2e_count "$tmp/out"
	if [ $prc -ne 0 ]; then
		fail "hostile $label: hostile.py exit $prc"
	fi
	rm -f "$mini" "$mini.manifest.json"
done
finish
