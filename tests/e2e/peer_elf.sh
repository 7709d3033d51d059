#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# ELF and flattened dumps of libkdumpfile's peer corpus: the same page bytes as
# libkdumpfile, the same refusals, and named differences where libkdumpfile is
# lenient about damage (tests/e2e/peer_elf.py says which and why).
set -u
. "$(dirname "$0")/lib.sh"
PEER=${SKBFILTER_PEER:-$FX/../peer/libkdumpfile}
if [ ! -f "$PEER/manifest.json" ]; then
	echo "skip peer_elf: no peer corpus at $PEER"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
e2e_tmp peer
python3 "$top/tests/e2e/peer_elf.py" "$BUILD/tests/gen/pageread" "$PEER" "$tmp"
