#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# tools/check-layers.sh — the folders are the pipeline (docs/architecture.md):
#
#   util < io < dump < arch < mem < kernel < panic < skb < report < minicore < app < main.c
#
# A file may include headers of its own stage and of earlier ones, never of a
# later one, so no include cycle can form between folders.  arch/ is fed by
# callbacks (struct arch_env) and includes nothing from src/.  Each public
# header in include/skbfilter/ belongs to the stage that implements it (the
# table below); a header missing from the table is an error, so a new one gets
# a place.  src/kernel/kernel_int.h (struct kernel's fields) is private to
# src/kernel: later stages read the kernel through kernel.h's accessors (unit
# tests, outside the checked tree, may include it).  Prints each violation; exits 1 if there is one.  LAYERS_ROOT: check
# that tree instead of this one.
set -u
top=${LAYERS_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 2

order="util io dump arch mem kernel panic skb report minicore app main"

# public header -> stage
header_stage() {
	case $1 in
	err.h | strbuf.h | warn.h | json.h | bytes.h | outfile.h) echo util ;;
	source.h) echo io ;;
	dump.h | decompress.h | erasenote.h) echo dump ;;
	arch.h) echo arch ;;
	kmem.h | vmcoreinfo.h | readrec.h) echo mem ;;
	kernel.h | ktypes.h | symbols.h | slimnote.h | page.h) echo kernel ;;
	panic.h) echo panic ;;
	skb.h) echo skb ;;
	report.h) echo report ;;
	minicore.h | compress.h) echo minicore ;;
	app.h) echo app ;;
	*) echo "" ;;
	esac
}

rank() {
	_i=0
	for _s in $order; do
		[ "$_s" = "$1" ] && { echo $_i; return; }
		_i=$((_i + 1))
	done
	echo ""
}

# stage of a file of the tree
file_stage() {
	case $1 in
	include/skbfilter/*) header_stage "${1#include/skbfilter/}" ;;
	arch/*) echo arch ;;
	src/main.c) echo main ;;
	src/*/*) _d=${1#src/}; echo "${_d%%/*}" ;;
	*) echo "" ;;
	esac
}

bad=0 n=0
violation() { echo "layer violation: $*"; bad=$((bad + 1)); }

for f in $(ls src/main.c src/*/*.[ch] arch/*.[ch] include/skbfilter/*.h 2>/dev/null); do
	fs=$(file_stage "$f")
	fr=$(rank "$fs")
	if [ -z "$fs" ] || [ -z "$fr" ]; then
		violation "$f: no stage (add its folder or header to tools/check-layers.sh)"
		continue
	fi
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		n=$((n + 1))
		case $inc in
		skbfilter/*) t=include/$inc ;;
		*/*) t=src/$inc ;;
		*) t=$(dirname "$f")/$inc ;;	# a header next to the file
		esac
		if [ ! -f "$t" ]; then
			violation "$f includes \"$inc\", which is not in the tree"
			continue
		fi
		ts=$(file_stage "$t")
		tr=$(rank "$ts")
		if [ -z "$ts" ] || [ -z "$tr" ]; then
			violation "$f includes $t, which has no stage (add it to tools/check-layers.sh)"
			continue
		fi
		if [ "$t" = src/kernel/kernel_int.h ] && [ "$fs" != kernel ]; then
			# struct kernel is opaque outside src/kernel (issue #17 step 5)
			violation "$f ($fs) includes $t: struct kernel's fields are private to src/kernel (use kernel.h)"
		elif [ "$fs" = arch ] && [ "${t#src/}" != "$t" ]; then
			violation "$f ($fs) includes $t: arch/ includes nothing from src/"
		elif [ "$tr" -gt "$fr" ]; then
			violation "$f ($fs) includes $t ($ts), a later stage"
		fi
	done
done
if [ "$bad" -ne 0 ]; then
	echo "$bad layer violations in $n includes"
	exit 1
fi
echo "layers ok: $n includes follow $order"
