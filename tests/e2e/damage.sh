#!/bin/sh
# Damaged input (part of make test): truncations at every header field boundary
# and at random offsets, >= 2,000 random bit flips over headers, bitmaps,
# descriptors and page data, and hostile header values, on small copies of the
# fixtures (shrunk kdump files of every codec, a re-flattened stream, truncated
# ELFs).  Every run must end in a named error, a labelled partial result or the
# undamaged result; no crash, hang, sanitizer report or runaway allocation, and
# the input file is never modified.  The full campaign is `make damage`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build/std}
SKBFILTER=${SKBFILTER:-$top/skbfilter}
SKBFILTER_FIXTURES=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
PY=python3
command -v zstd >/dev/null 2>&1 || { echo "skip damage: zstd not installed"; echo "0 passed, 0 failed, 1 skipped"; exit 0; }
if [ ! -d "$SKBFILTER_FIXTURES" ]; then
	echo "skip damage: no fixtures at $SKBFILTER_FIXTURES"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/skbf-damage.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
cd "$top" || exit 1
$PY tests/damage/damage.py --mode quick --work "$work" --fixtures "$SKBFILTER_FIXTURES" \
	--skbfilter "$SKBFILTER" --build "$BUILD" --jobs "${DAMAGE_JOBS:-2}" --leak-every 3 ${DAMAGE_SCALE:+--scale $DAMAGE_SCALE}
