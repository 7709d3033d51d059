#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Compressed dump files are read directly (issue #14): the seed's flattened
# dump and the arm64 kdump-lzo dump, compressed with gzip, xz, zstd and bzip2
# (also a two-member gzip and a two-frame zstd), give the same JSON report
# (all but dump.file) and the same pcap as the plain file, by name and on
# standard input.  A truncated .gz gives a warning naming the bytes found; a
# corrupt .zst a named error (exit 3), never a report.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need compressed gzip xz bzip2 python3
e2e_tmp compressed
cd "$tmp" || exit 1

same_report() { # label plain.json other.json plain.pcap other.pcap
	if python3 - "$2" "$3" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d["dump"].pop("file", None)
    d.pop("outputs", None)
sys.exit(0 if a == b else 1)
PY
	then
		if cmp -s "$4" "$5"; then ok "$1: same report and pcap as the plain file"; else fail "$1: pcap differs"; fi
	else
		fail "$1: report differs from the plain file's"
	fi
}

n=0
for src in "$FX/seed-gso-mismatch/vmcore.flat" "$FX/arm64-tx-vxlan-tcp/vmcore.kdump-lzo"; do
	[ -f "$src" ] || { skip "compressed: no $src"; continue; }
	n=$((n + 1))
	sc=$(basename "$(dirname "$src")")
	cp "$src" d$n
	"$SKBFILTER" -q --json p$n.json -w p$n.pcap d$n 2>/dev/null
	gzip -1 -c d$n >d$n.gz
	xz -T2 -0 -c d$n >d$n.xz
	zstd -q -c d$n >d$n.zst
	bzip2 -1 -c d$n >d$n.bz2
	for e in gz xz zst bz2; do
		"$SKBFILTER" -q --json c.json -w c.pcap d$n.$e 2>err
		rc=$?
		if [ $rc -gt 1 ]; then fail "$sc.$e: exit $rc: $(head -c 300 err)"; continue; fi
		same_report "$sc.$e" p$n.json c.json p$n.pcap c.pcap
		rm -f c.json c.pcap
	done
	"$SKBFILTER" -q --json c.json -w c.pcap - <d$n.xz 2>err
	same_report "$sc.xz on standard input" p$n.json c.json p$n.pcap c.pcap
	rm -f c.json c.pcap
	zstd -q -c d$n | "$SKBFILTER" -q --json c.json -w c.pcap - 2>err
	same_report "$sc.zst through a pipe" p$n.json c.json p$n.pcap c.pcap
	rm -f c.json c.pcap
done
[ $n -gt 0 ] || finish

# several members / frames, as pigz and zstd -T write
half=$(( $(wc -c <d1) / 2 ))
head -c $half d1 | gzip -1 >multi.gz
tail -c +$((half + 1)) d1 | gzip -1 >>multi.gz
head -c $half d1 | zstd -q >multi.zst
tail -c +$((half + 1)) d1 | zstd -q >>multi.zst
for f in multi.gz multi.zst; do
	"$SKBFILTER" -q --json c.json -w c.pcap $f 2>err
	same_report "$f (two members)" p1.json c.json p1.pcap c.pcap
	rm -f c.json c.pcap
done

# truncated: a warning that says how much was there; corrupt: a named error
head -c $(( $(wc -c <d1.gz) / 2 )) d1.gz >trunc.gz
"$SKBFILTER" -q --json c.json trunc.gz 2>err
rc=$?
if grep -q "gzip stream ends early (compressed file truncated at [0-9]* bytes, [0-9]* bytes decompressed)" err; then
	ok "truncated .gz: named (exit $rc)"
else
	fail "truncated .gz: exit $rc: $(head -c 400 err)"
fi
rm -f c.json
cp d1.zst bad.zst
printf 'XXXXXXXXXXXXXXXX' | dd of=bad.zst bs=1 seek=$(( $(wc -c <bad.zst) / 2 )) conv=notrunc 2>/dev/null
"$SKBFILTER" -q --json c.json bad.zst 2>err
rc=$?
if [ $rc -eq 3 ] && grep -q "zstd data is corrupt" err && [ ! -e c.json ]; then
	ok "corrupt .zst: exit 3, named, no report"
else
	fail "corrupt .zst: exit $rc: $(head -c 300 err)"
fi
finish
