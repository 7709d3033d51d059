#!/bin/sh
# make damage: the full hostile/damaged-input campaign over every real fixture
# and format (as delivered, full size): truncation at every header field
# boundary and at ~1,000 random offsets, >10,000 random bit flips, hostile
# field values, zeroed pages, descriptors past EOF or at each other, compressed
# sizes above the page size, bitmaps that lie; the same shrunk kdump gzip-,
# xz-, zstd- and bzip2-compressed (read directly, issue #14).  Crashes, hangs (> 10 s) and
# sanitizer reports must be 0; the default job's peak RSS is held to 64 MiB.
# Writes docs/reliability.md.  Runs on 2 cores (DAMAGE_JOBS).
# Environment: SKBFILTER, BUILD (default build/std), SKBFILTER_FIXTURES,
#   DAMAGE_JOBS (2), DAMAGE_SCALE (1.0: multiplies the case counts),
#   DAMAGE_REPORT (docs/reliability.md), DAMAGE_SEED.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build/std}
SKBFILTER=${SKBFILTER:-$top/skbfilter}
SKBFILTER_FIXTURES=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
[ -x /usr/bin/time ] || echo "damage: /usr/bin/time missing (apt-get install time): undamaged RSS table skipped"
work=$(mktemp -d "${TMPDIR:-/tmp}/skbf-damage-full.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
python3 tests/damage/damage.py --mode full --work "$work" --fixtures "$SKBFILTER_FIXTURES" \
	--skbfilter "$SKBFILTER" --build "$BUILD" --jobs "${DAMAGE_JOBS:-2}" --compressed \
	--report "${DAMAGE_REPORT:-docs/reliability.md}" ${DAMAGE_SCALE:+--scale $DAMAGE_SCALE} \
	${DAMAGE_SEED:+--seed $DAMAGE_SEED} || status=1
# The "remote faults" class: one HTTP fault moved through every request of a remote run (nginx and
# tests/e2e/faultproxy.py on loopback), spliced into the same report.
if command -v nginx >/dev/null 2>&1 && command -v curl >/dev/null 2>&1; then
	python3 tests/damage/remote_faults.py --work "$work/remote" --fixtures "$SKBFILTER_FIXTURES" \
		--skbfilter "$SKBFILTER" --jobs "${DAMAGE_JOBS:-2}" --report "${DAMAGE_REPORT:-docs/reliability.md}" \
		${DAMAGE_SEED:+--seed $DAMAGE_SEED} || status=1
else
	echo "damage: nginx or curl missing: remote faults class skipped"
fi
exit ${status:-0}
