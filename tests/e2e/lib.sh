# SPDX-License-Identifier: GPL-2.0-or-later
# The common preamble of the end-to-end tests, sourced (POSIX sh):
#     . "$(dirname "$0")/lib.sh"
# Sets top (the repository), SKBFILTER, BUILD (absolute), FX (the fixtures:
# $SKBFILTER_FIXTURES, default ../shared/fixtures next to the repository) and
# the counters, and defines:
#   ok/fail/skip MSG     one result line ("ok   ...", "FAIL ...", "skip ...")
#   finish               the closing "N passed, N failed, N skipped"; exits
#                        non-zero on a failure
#   e2e_count FILE       adds the ok/FAIL/skip lines of a sub-script's output
#   e2e_need NAME [TOOL...]  skip and finish unless the fixtures and every TOOL
#                        (zstd always) are there
#   e2e_tmp NAME         $tmp, a fresh directory removed on exit
#   fx_unzst FILE.zst    decompresses a fixture into $tmp once per run
#                        (--long=31) and prints the path; prints nothing if it
#                        cannot (the reason is in $tmp/unzst.err)
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

e2e_count() {
	passed=$((passed + $(grep -c '^ok' "$1")))
	failed=$((failed + $(grep -c '^FAIL' "$1")))
	skipped=$((skipped + $(grep -c '^skip' "$1")))
}

e2e_need() {
	_name=$1
	shift
	if [ ! -d "$FX" ]; then
		skip "$_name: no fixtures at $FX"
		finish
	fi
	for _t in zstd "$@"; do
		if ! command -v "$_t" >/dev/null 2>&1; then
			skip "$_name: $_t not installed"
			finish
		fi
	done
}

# e2e_need_gen NAME TOOL...: the tests/gen generators the script runs must be built (a failure, not a skip).
e2e_need_gen() {
	_name=$1
	shift
	for _t in "$@"; do
		if [ ! -x "$BUILD/tests/gen/$_t" ]; then
			fail "$_name: $BUILD/tests/gen/$_t not built"
			finish
		fi
	done
}

e2e_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/skbf-$1.XXXXXX") || exit 1
	trap 'rm -rf "$tmp"' EXIT INT TERM
}

fx_unzst() {
	_out=$tmp/$(basename "$(dirname "$1")")-$(basename "$1" .zst)
	if [ ! -s "$_out" ]; then
		if ! zstd -q -d --long=31 -f -o "$_out" "$1" 2>"$tmp/unzst.err"; then
			rm -f "$_out"
			return 1
		fi
	fi
	echo "$_out"
}

# fx_kernel_dir DUMP: the fixtures' kernel-<release>/ folder whose release is the
# one the dump's VMCOREINFO names (OSRELEASE), or nothing.  Tests pick kernel
# files (System.map, raw BTF) this way, never by a fixture's name.
fx_kernel_dir() {
	_rel=$("$SKBFILTER" --info --json "$1" 2>/dev/null |
		sed -n 's/^ *"kernel_release": "\([^"]*\)".*/\1/p' | head -n 1)
	[ -n "$_rel" ] && [ -d "$FX/kernel-$_rel" ] && echo "$FX/kernel-$_rel"
}

# fx_kernel_file DIR PREFIX SUFFIX: decompressed path of DIR/PREFIX<release>SUFFIX.zst
# (e.g. fx_kernel_file "$kd" System.map- ""), or nothing.
fx_kernel_file() {
	_f=$1/$2${1##*/kernel-}$3.zst
	[ -f "$_f" ] && fx_unzst "$_f"
}

# fx_kernel_opts DUMP: the options a user passes for this dump: "-m System.map"
# when the dump's VMCOREINFO has no kallsyms (kernels before 6.0, enterprise
# kernels) and the kernel-<release>/ folder has its System.map; else nothing.
fx_kernel_opts() {
	"$BUILD/tests/gen/symdump" --no-symbols --lookup _stext "$1" >/dev/null 2>&1 && return 0
	_kd=$(fx_kernel_dir "$1") || return 0
	_map=$(fx_kernel_file "$_kd" System.map- "") || return 0
	[ -n "$_map" ] && echo "-m $_map"
}
