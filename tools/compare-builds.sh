#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tools/compare-builds.sh [REV] — behaviour must not change across a refactor.
# Builds the skbfilter of git revision REV (default: main) in a temporary
# worktree, then runs it and the current ./skbfilter on every fixture scenario
# and dump file and compares byte for byte: the default job's text report,
# JSON report (paths normalised), pcap, pcapng, mini.core and its manifest
# (--keep=evidence, crash and lean; kdump and -E ELF; --segment, --scrub),
# --info [--json], --backtrace [--json] and --dump-dmesg output, and every
# exit status.  A dump whose kernel has a folder in the fixtures also gets a
# run with its System.map and raw BTF, and with -x when the folder has a
# vmlinux.  Prints "identical: N comparisons" or each difference; exits 1 on
# a difference.  KEEP=1 keeps the outputs.
#   SKBFILTER_FIXTURES   fixtures (default ../shared/fixtures)
#   REF_BIN              use this reference binary instead of building REV
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-main}
FX=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
NEW=${NEW_BIN:-$top/skbfilter}
[ -d "$FX" ] || { echo "compare-builds: no fixtures at $FX" >&2; exit 2; }
[ -x "$NEW" ] || { echo "compare-builds: build ./skbfilter first (make)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/skbf-cmp.XXXXXX") || exit 2
refwt=
cleanup() {
	[ -n "$refwt" ] && git -C "$top" worktree remove --force "$refwt" >/dev/null 2>&1
	[ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"
}
# a signal ends the run (cleanup alone would let the loop go on); EXIT cleans up
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "${REF_BIN:-}" ]; then
	REF=$REF_BIN
else
	sha=$(git -C "$top" rev-parse --verify "$rev^{commit}") || exit 2
	cache=${TMPDIR:-/tmp}/skbf-ref-$sha
	if [ ! -x "$cache/skbfilter" ]; then
		refwt=$work/refsrc
		git -C "$top" worktree add --detach "$refwt" "$sha" >/dev/null 2>&1 || { echo "compare-builds: cannot check out $rev" >&2; exit 2; }
		make -C "$refwt" -j2 skbfilter >"$work/refbuild.log" 2>&1 || { cat "$work/refbuild.log" >&2; exit 2; }
		mkdir -p "$cache" && cp "$refwt/skbfilter" "$cache/skbfilter"
	fi
	REF=$cache/skbfilter
fi

n=0 bad=0
differ() { echo "DIFF $*"; bad=$((bad + 1)); }

# run_both TAG ARGS...: runs both binaries in $work/{ref,new}/TAG with ARGS, where
# @OUT@ in an argument is that binary's output folder; records stdout, stderr, rc.
run_both() {
	_tag=$1
	shift
	for _side in ref new; do
		_d=$work/$_side/$_tag
		mkdir -p "$_d"
		_bin=$REF
		[ $_side = new ] && _bin=$NEW
		_args=
		for _a in "$@"; do
			_a=$(printf '%s' "$_a" | sed "s|@OUT@|$_d|g")
			_args="$_args '$_a'"
		done
		(cd "$_d" && eval "\"$_bin\" $_args" >"$_d/stdout" 2>"$_d/stderr"; echo $? >"$_d/rc")
		# outputs name their own folder: normalise it
		for _f in "$_d"/*; do
			case $_f in *.json|*/stdout|*/stderr) sed -i "s|$_d|@OUT@|g; s|$_bin|@BIN@|g" "$_f" ;; esac
		done
	done
	for _f in "$work/ref/$_tag"/*; do
		_b=$(basename "$_f")
		n=$((n + 1))
		if [ ! -e "$work/new/$_tag/$_b" ]; then
			differ "$_tag: $_b missing in the new build"
		elif ! cmp -s "$_f" "$work/new/$_tag/$_b"; then
			differ "$_tag: $_b differs"
			case $_b in *.json|stdout|stderr|rc) diff "$_f" "$work/new/$_tag/$_b" | head -n 10 ;; esac
		fi
	done
	for _f in "$work/new/$_tag"/*; do
		[ -e "$work/ref/$_tag/$(basename "$_f")" ] || differ "$_tag: $(basename "$_f") only in the new build"
	done
}

for sc in "$FX"/*/; do
	[ -f "$sc/truth.json" ] || continue
	scn=$(basename "$sc")
	for f in "$sc"vmcore*; do
		case $f in
		*.zst)
			d=$work/dumps/$scn-$(basename "$f" .zst)
			mkdir -p "$work/dumps"
			zstd -q -d --long=31 -f -o "$d" "$f" || { differ "$f: cannot decompress"; continue; }
			;;
		*) d=$f ;;
		esac
		t=$scn-$(basename "$d")
		kopts=
		rel=$("$REF" --info --json "$d" 2>/dev/null | sed -n 's/^ *"kernel_release": "\([^"]*\)".*/\1/p' | head -n 1)
		run_both "$t-info" --info "$d"
		run_both "$t-infojson" --info --json "$d"
		run_both "$t-bt" --backtrace "$d"
		run_both "$t-btjson" --backtrace --json --all-cpus "$d"
		run_both "$t-dmesg" --dump-dmesg "$d"
		run_both "$t-job" -w @OUT@/out.pcap --pcapng @OUT@/out.pcapng --json @OUT@/report.json -o @OUT@/mini.core "$d"
		run_both "$t-crash" -q --keep=crash -o @OUT@/mini.core "$d"
		run_both "$t-lean" -q --keep=lean -o @OUT@/mini.core "$d"
		run_both "$t-jobE" -q -E -z --segment --scrub=payload -w @OUT@/seg.pcap --pcapng @OUT@/seg.pcapng -o @OUT@/mini.elf "$d"
		kd=$FX/kernel-$rel
		if [ -n "$rel" ] && [ -d "$kd" ]; then
			sm=$work/dumps/System.map-$rel
			btf=$work/dumps/btf-$rel
			[ -s "$sm" ] || zstd -q -d -f -o "$sm" "$kd/System.map-$rel.zst"
			[ -s "$btf" ] || zstd -q -d -f -o "$btf" "$kd/vmlinux-$rel.btf.zst"
			run_both "$t-kfiles" -m "$sm" --btf "$btf" -w @OUT@/out.pcap --json @OUT@/report.json -o @OUT@/mini.core "$d"
			vml=$kd/vmlinux-$rel.nodebug.zst
			if [ -f "$vml" ]; then
				vm=$work/dumps/vmlinux-$rel
				[ -s "$vm" ] || zstd -q -d -f -o "$vm" "$vml"
				run_both "$t-vmlinux" -x "$vm" -w @OUT@/out.pcap --json @OUT@/report.json -o @OUT@/mini.core "$d"
				run_both "$t-vmlinux-bt" -x "$vm" --backtrace --json "$d"
			fi
		fi
	done
done
if [ "$bad" -eq 0 ]; then
	echo "identical: $n comparisons"
	exit 0
fi
echo "$bad of $n comparisons differ"
exit 1
