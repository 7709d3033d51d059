#!/bin/sh
# Runs every test: unit binaries ($BUILD/tests/test_*), then tests/e2e/*.sh.
# Each prints "ok ..."/"FAIL ..." lines and a closing "N passed, N failed";
# this script adds them up and ends with the same line for the whole suite.
# Fixtures come from $SKBFILTER_FIXTURES (default ../shared/fixtures).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build/std}
SKBFILTER=${SKBFILTER:-$top/skbfilter}
SKBFILTER_FIXTURES=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
export BUILD SKBFILTER SKBFILTER_FIXTURES
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
	name=$1; shift
	echo "== $name"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	echo "   ($name: $(( $(date +%s) - t0 ))s)"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name (exit $rc, no summary)"; fi
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
	if [ "$f" -eq 0 ] && [ $rc -ne 0 ]; then failed=$((failed + 1)); echo "FAIL $name (exit $rc)"; fi
}

cd "$top" || exit 1
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	[ "$t" = tests/e2e/lib.sh ] && continue	# sourced by the others, not a test
	run_one "$(basename "$t")" sh "$t"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
