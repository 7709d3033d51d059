#!/bin/sh
# make bench: read speed per format and codec, the 0.5 GiB -> 1 TiB scale
# benchmark on synthetic dumps (bench/mkscaled.py), flattened stdin, and the
# makedumpfile / crash references.  Writes docs/performance.md.  Not a test.
# Environment: SKBFILTER, BUILD (from make), SKBFILTER_FIXTURES,
#   BENCH_RUNS (default 3), BENCH_HUGE=1 (also the 6 GiB-descriptor 1 TiB kdump),
#   BENCH_QUICK=1 (one run, fewer scales), BENCH_NO_CRASH=1, BENCH_REAL_ONLY=1 (only --info
#   and the default job on every fixture dump, rows printed, no doc written), BENCH_OUT (default
#   docs/performance.md), TMPDIR (scratch; needs ~2 GiB, ~8 GiB with BENCH_HUGE).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build/std}
SKBFILTER=${SKBFILTER:-$top/skbfilter}
SKBFILTER_FIXTURES=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
[ -x /usr/bin/time ] || echo "bench: /usr/bin/time missing (apt-get install time): using wall clock only, no RSS"
work=$(mktemp -d "${TMPDIR:-/tmp}/skbf-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
set --
[ -n "${BENCH_HUGE:-}" ] && set -- "$@" --huge
[ -n "${BENCH_QUICK:-}" ] && set -- "$@" --quick
[ -n "${BENCH_NO_CRASH:-}" ] && set -- "$@" --no-crash
[ -n "${BENCH_REAL_ONLY:-}" ] && set -- "$@" --real-only
python3 bench/bench.py --work "$work" --out "${BENCH_OUT:-docs/performance.md}" --fixtures "$SKBFILTER_FIXTURES" \
	--skbfilter "$SKBFILTER" --build "$BUILD" --runs "${BENCH_RUNS:-3}" "$@"
# The remote-input section (nginx + tests/e2e/faultproxy.py on loopback), spliced into the same document.
python3 bench/remote.py --work "$work/remote" --doc "${BENCH_OUT:-docs/performance.md}" --fixtures "$SKBFILTER_FIXTURES" \
	--skbfilter "$SKBFILTER" --runs "${BENCH_RUNS:-3}"
