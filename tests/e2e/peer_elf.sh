#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ELF and flattened dumps of libkdumpfile's peer corpus: the same page bytes as
# libkdumpfile, the same refusals, and named differences where libkdumpfile is
# lenient about damage (tests/e2e/peer_elf.py says which and why).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build/std}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
FX=${SKBFILTER_FIXTURES:-$top/../shared/fixtures}
PEER=${SKBFILTER_PEER:-$FX/../peer/libkdumpfile}
if [ ! -f "$PEER/manifest.json" ]; then
	echo "skip peer_elf: no peer corpus at $PEER"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/skbf-peer.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 "$top/tests/e2e/peer_elf.py" "$BUILD/tests/gen/pageread" "$PEER" "$tmp"
