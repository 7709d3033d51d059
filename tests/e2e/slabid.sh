#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Slab identity and struct layouts on real kernel memory (issue #13): each
# fixture scenario (x86_64 6.1, arm64 6.1, 6.12, ...) is cut to an ELF mini dump
# (skbfilter -E --keep=crash) and tests/e2e/slabid.py patches it one case
# at a time: the skbuff caches renamed as SLUB merging renames them (same
# skbs and packets must be found); the kernel's skbuff cache pointers aimed
# at other caches whose objects the stacks point to (no false skb, each
# decoy rejected by the structural checks with a reason); and a synthetic
# BTF with sk_buff / skb_shared_info members moved, the skbs' bytes moved
# to match (same skbs, fields and packets).  Skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need_gen slabid vread symdump btfmove
e2e_need slabid python3 timeout
if [ ! -x /usr/bin/time ]; then
	skip "slabid: /usr/bin/time missing (apt-get install time)"
	finish
fi
san=
case $BUILD in *san*) san=--sanitizer ;; esac
e2e_tmp slabid

# The kernel-<release>/ folder of a dump, by its VMCOREINFO OSRELEASE (never by fixture name).
slabid_map() {
	_rel=$("$SKBFILTER" --info --json "$1" 2>/dev/null |
		sed -n 's/^ *"kernel_release": "\([^"]*\)".*/\1/p' | head -n 1)
	[ -n "$_rel" ] && [ -f "$FX/kernel-$_rel/System.map-$_rel.zst" ] && fx_unzst "$FX/kernel-$_rel/System.map-$_rel.zst"
}

# Every fixture scenario, from its first stored dump that is not zstd-compressed.
for dir in "$FX"/*/; do
	[ -f "$dir/truth.json" ] || continue
	label=$(basename "$dir")
	src=
	for f in vmcore.flat vmcore.kdump-lzo vmcore.kdump-zstd vmcore.kdump-zlib vmcore.kdump-snappy vmcore.elf; do
		[ -f "$dir/$f" ] && { src=$dir/$f; break; }
	done
	if [ -z "$src" ]; then
		skip "slabid $label: no uncompressed dump in $dir"
		continue
	fi
	map=$(slabid_map "$src")
	mini=$tmp/$label.mini.elf
	"$SKBFILTER" -q -E --keep=crash -o "$mini" "$src" >/dev/null 2>"$tmp/err"
	rc=$?
	# kernels without kallsyms in VMCOREINFO (before 6.0) need their System.map
	if { [ $rc -gt 1 ] || [ ! -s "$mini" ]; } && [ -n "$map" ]; then
		rm -f "$mini" "$mini.manifest.json"
		"$SKBFILTER" -q -E --keep=crash -m "$map" -o "$mini" "$src" >/dev/null 2>"$tmp/err"
		rc=$?
	fi
	if [ $rc -gt 1 ] || [ ! -s "$mini" ]; then
		skip "slabid $label: no ELF mini dump (exit $rc: $(tail -n 1 "$tmp/err" | cut -c1-200)); report.sh judges this dump"
		continue
	fi
	python3 "$top/tests/e2e/slabid.py" --skbfilter "$SKBFILTER" --build "$BUILD" --label "$label" $san \
		${map:+--system-map "$map"} "$mini" \
		>"$tmp/out" 2>&1
	prc=$?
	cat "$tmp/out"
	e2e_count "$tmp/out"
	if [ $prc -ne 0 ]; then
		fail "slabid $label: slabid.py exit $prc"
	fi
	rm -f "$mini" "$mini.manifest.json"
done
finish
