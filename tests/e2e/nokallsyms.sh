#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Kernels whose VMCOREINFO has no kallsyms (before 6.0: Debian 11, RHEL 8/9,
# Ubuntu LTS), so symbols come from the distribution's System.map (-m) and
# the BTF from the dump's own .BTF section (__start_BTF/__stop_BTF of the
# System.map) or from --btf.
#
# Generated: every fixture dump that does carry kallsyms is rewritten by
# tests/gen/mkmini --all (every page kept) with the VMCOREINFO lines such
# kernels lack left out (SYMBOL(kallsyms_*), SYMBOL(vmemmap),
# NUMBER(VMEMMAP_START), NUMBER(VMALLOC_START/END), OFFSET(uts_namespace.name)),
# and a System.map (link-time addresses: minus KERNELOFFSET) is written from
# the source dump's kallsyms (tests/gen/symdump).  Then
#   - with -m: the main job passes the acceptance checker on the scenario's
#     truth.json (the memory is the same), and --backtrace finds the panic CPU;
#   - without -m: exit 3 and the error names /boot/System.map-<OSRELEASE>.
# Real: fixture dumps without kallsyms in VMCOREINFO, with the kernel-<release>/
# folder (found by the dump's OSRELEASE) next to the fixtures: -m alone, -m
# with --btf (the raw BTF, as /sys/kernel/btf/vmlinux), and a mini.core made
# with -m then read without it (its kernel note), pass the checker.
set -u
. "$(dirname "$0")/lib.sh"
CHECK=$FX/../tools/check-report.py
G=$BUILD/tests/gen

e2e_need nokallsyms python3
for t in mkmini symdump; do
	[ -x "$G/$t" ] || { skip "nokallsyms: $G/$t not built"; finish; }
done
[ -f "$CHECK" ] || { skip "nokallsyms: no acceptance checker at $CHECK"; finish; }
e2e_tmp nokallsyms

# The dump's VMCOREINFO has kallsyms (symdump reads symbols from them alone).
has_kallsyms() { "$G/symdump" --no-symbols --lookup _stext "$1" >/dev/null 2>&1; }

release_of() {
	"$SKBFILTER" --info --json "$1" 2>/dev/null | sed -n 's/^ *"kernel_release": "\([^"]*\)".*/\1/p' | head -n 1
}

# named_error LABEL DUMP [ARGS]: exit 3 and the message naming the System.map of the dump's release
named_error() {
	_label=$1 _dump=$2
	shift 2
	"$SKBFILTER" "$@" "$_dump" >"$tmp/ne.out" 2>"$tmp/ne.err"
	_rc=$?
	_rel=$(release_of "$_dump")
	if [ $_rc -eq 3 ] && grep -q "VMCOREINFO has no kallsyms" "$tmp/ne.err" &&
	   grep -qF "pass -m /boot/System.map-$_rel " "$tmp/ne.err"; then
		ok "$_label: without -m: exit 3, the error names /boot/System.map-$_rel"
	else
		fail "$_label: without -m: exit $_rc: $(head -c 400 "$tmp/ne.err")"
	fi
}

# main_job LABEL SCENARIO-DIR DUMP ARGS...: exit <= 1, check-report passes
main_job() {
	_label=$1 _dir=$2 _dump=$3
	shift 3
	rm -f "$tmp/r.json" "$tmp/o.pcap"
	"$SKBFILTER" -q --force "$@" -w "$tmp/o.pcap" --json "$tmp/r.json" "$_dump" >"$tmp/mj.out" 2>"$tmp/mj.err"
	_rc=$?
	if [ $_rc -gt 1 ] || [ ! -s "$tmp/r.json" ]; then
		fail "$_label: exit $_rc: $(tail -n 3 "$tmp/mj.err" | head -c 600)"
	elif python3 "$CHECK" "$_dir" "$tmp/r.json" "$tmp/o.pcap" >"$tmp/check" 2>&1; then
		ok "$_label: exit $_rc, check-report ($(tail -n 1 "$tmp/check")); symbols: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["dump"]; print(d["symbols"][:40], "| btf:", d["btf"][:40])' "$tmp/r.json")"
	else
		fail "$_label: check-report: $(grep -v '^ok' "$tmp/check" | head -n 4 | tr '\n' ' ')"
	fi
}

gen=0 real=0
for dir in "$FX"/*/; do
	dir=${dir%/}
	scen=$(basename "$dir")
	[ -f "$dir/truth.json" ] || continue
	src=
	for f in "$dir"/vmcore.flat "$dir"/vmcore.kdump-*; do
		[ -f "$f" ] && { src=$f; break; }
	done
	[ -n "$src" ] || continue
	name=$scen/$(basename "$src")
	if ! has_kallsyms "$src"; then
		# ---- a real dump without kallsyms: its kernel's files by OSRELEASE ----
		rel=$(release_of "$src")
		kd=$FX/kernel-$rel
		if [ -z "$rel" ] || [ ! -f "$kd/System.map-$rel.zst" ]; then
			skip "$name: no kallsyms in VMCOREINFO and no $kd/System.map-$rel.zst"
			continue
		fi
		real=1
		map=$(fx_unzst "$kd/System.map-$rel.zst") || { fail "$name: zstd -d System.map"; continue; }
		named_error "$name" "$src"
		main_job "$name -m" "$dir" "$src" -m "$map"
		# a mini.core made with -m carries the symbols it used in its kernel note: no -m needed again
		if "$SKBFILTER" -q --force -m "$map" -o "$tmp/mini.core" "$src" >/dev/null 2>"$tmp/mini.err" || [ $? -le 1 ]; then
			main_job "$name mini.core (made with -m, read without)" "$dir" "$tmp/mini.core"
		else
			fail "$name: -o mini.core: $(tail -n 2 "$tmp/mini.err")"
		fi
		if [ -f "$kd/vmlinux-$rel.btf.zst" ] && btf=$(fx_unzst "$kd/vmlinux-$rel.btf.zst"); then
			main_job "$name -m --btf" "$dir" "$src" -m "$map" --btf "$btf"
		else
			skip "$name: no $kd/vmlinux-$rel.btf.zst for --btf"
		fi
		continue
	fi
	# ---- generated: the same memory, VMCOREINFO as a kernel before 6.0 writes it ----
	gen=1
	out=$tmp/$scen.kdump
	if ! "$G/mkmini" -z --all --drop-vmcoreinfo 'SYMBOL(kallsyms_' --drop-vmcoreinfo 'SYMBOL(vmemmap)' \
		--drop-vmcoreinfo 'NUMBER(VMEMMAP_START)' --drop-vmcoreinfo 'NUMBER(VMALLOC_START)' \
		--drop-vmcoreinfo 'NUMBER(VMALLOC_END)' --drop-vmcoreinfo 'OFFSET(uts_namespace.name)' \
		"$src" "$out" >"$tmp/mkmini.out" 2>&1; then
		fail "$name: mkmini: $(head -c 300 "$tmp/mkmini.out")"
		continue
	fi
	if has_kallsyms "$out"; then
		fail "$name: the generated dump still has kallsyms in VMCOREINFO"
		continue
	fi
	# System.map from the source's kallsyms, at link-time addresses (System.map's, before KASLR)
	if ! "$G/symdump" "$src" >"$tmp/syms" 2>"$tmp/syms.err"; then
		fail "$name: symdump: $(head -c 300 "$tmp/syms.err")"
		continue
	fi
	kaslr=$(sed -n 's/^symdump: kaslr \(0x[0-9a-f]*\).*/\1/p' "$tmp/syms.err" | head -n 1)
	python3 -c '
import sys
k = int(sys.argv[1] or "0", 16)
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) != 3:
        continue
    a = int(f[0], 16)
    if a >> 63:
        a = (a - k) & (2**64 - 1)
    print("%016x %s %s" % (a, f[1], f[2]))' "$kaslr" "$tmp/syms" >"$tmp/System.map"
	[ -s "$tmp/System.map" ] || { fail "$name: empty System.map"; continue; }
	named_error "$name (generated, no kallsyms)" "$out"
	# The source itself (kallsyms) sets the bar: a check it fails is another test's subject.
	"$SKBFILTER" -q --force -w "$tmp/src.pcap" --json "$tmp/src.json" "$src" >/dev/null 2>&1
	if python3 "$CHECK" "$dir" "$tmp/src.json" "$tmp/src.pcap" >"$tmp/src.check" 2>&1; then
		main_job "$name (generated, no kallsyms) -m System.map" "$dir" "$out" -m "$tmp/System.map"
	else
		"$SKBFILTER" -q --force -m "$tmp/System.map" -w "$tmp/o.pcap" --json "$tmp/r.json" "$out" >/dev/null 2>"$tmp/mj.err"
		python3 "$CHECK" "$dir" "$tmp/r.json" "$tmp/o.pcap" >"$tmp/check" 2>&1
		if cmp -s "$tmp/src.check" "$tmp/check"; then
			ok "$name (generated, no kallsyms) -m System.map: the same check-report as the source with kallsyms ($(tail -n 1 "$tmp/check"); those failures are not this test's subject)"
		else
			fail "$name (generated, no kallsyms) -m System.map: check-report differs from the source's: $(diff "$tmp/src.check" "$tmp/check" | head -n 6 | tr '\n' ' ')"
		fi
	fi
	if "$SKBFILTER" --backtrace --json -m "$tmp/System.map" "$out" >"$tmp/bt.json" 2>"$tmp/bt.err" ||
	   [ $? -le 1 ]; then
		if python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); t=json.load(open(sys.argv[2]))
sys.exit(b["panic"]["cpu"] != t["panic"]["cpu"] or b["panic"]["task"] != t["panic"]["task"])' "$tmp/bt.json" "$dir/truth.json" 2>"$tmp/bt.py"; then
			ok "$name (generated, no kallsyms): --backtrace -m: panic CPU and task as truth.json"
		else
			fail "$name (generated, no kallsyms): --backtrace -m: $(head -c 300 "$tmp/bt.py")"
		fi
	else
		fail "$name (generated, no kallsyms): --backtrace -m: $(tail -n 2 "$tmp/bt.err")"
	fi
	rm -f "$out"
done
[ $gen -eq 1 ] || skip "nokallsyms: no fixture dump with kallsyms to generate from"
[ $real -eq 1 ] || skip "nokallsyms: no fixture dump without kallsyms in VMCOREINFO"
finish
