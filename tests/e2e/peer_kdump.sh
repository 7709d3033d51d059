#!/bin/sh
# Our kdump reader vs libkdumpfile's manifest of its own generated dumps
# (the peer corpus): see peer_kdump.py.
set -u
. "$(dirname "$0")/lib.sh"
PEER=${SKBFILTER_PEER:-$(dirname "$FX")/peer/libkdumpfile}
if [ ! -f "$PEER/manifest.json" ]; then
	for cand in "$top/../shared/peer/libkdumpfile" "$top/../../shared/peer/libkdumpfile"; do
		[ -f "$cand/manifest.json" ] && PEER=$cand && break
	done
fi
if [ ! -f "$PEER/manifest.json" ]; then
	echo "skip peer corpus: no manifest.json under $PEER (set SKBFILTER_PEER)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
exec python3 "$top/tests/e2e/peer_kdump.py" "$BUILD/tests/gen/pageread" "$PEER"
