#!/bin/sh
# Differential test of the kdump reader on the real fixtures against Debian's
# independent reader (python3-libkdumpfile): see kdump_vs_libkdumpfile.py.
set -u
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
pass=0 fail=0 skip=0
if ! $PY -c 'import kdumpfile' 2>/dev/null; then
	echo "skip kdump vs libkdumpfile: /usr/bin/python3 has no kdumpfile module (python3-libkdumpfile)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
for f in tx-vxlan-tcp/vmcore.kdump-lzo tx-vxlan-tcp/vmcore.kdump-snappy tx-vxlan-tcp/vmcore.kdump-zlib \
	 tx-vxlan-tcp/vmcore.kdump-zstd arm64-tx-vxlan-tcp/vmcore.kdump-lzo; do
	if [ ! -f "$FX/$f" ]; then
		echo "skip $f: not in \$SKBFILTER_FIXTURES ($FX)"
		skip=$((skip + 1))
		continue
	fi
	out=$($PY "$top/tests/e2e/kdump_vs_libkdumpfile.py" "$BUILD/tests/gen/pageread" "$FX/$f" 2>&1)
	echo "$out" | grep -v -E '^[0-9]+ passed'
	if echo "$out" | grep -q '^1 passed, 0 failed'; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
