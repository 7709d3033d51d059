#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The main job on every fixture scenario and every stored format of it, with
# no vmlinux (and -m System.map only where the dump's VMCOREINFO has no
# kallsyms, as a user would; lib.sh fx_kernel_opts): skbfilter -w out.pcap --pcapng out.pcapng --json r.json DUMP,
# then
#   - the acceptance checker ($SKBFILTER_FIXTURES/../tools/check-report.py)
#     passes (panic, skb fields, gso names, byte-exact packet, findings, pcap);
#   - tests/e2e/report_check.py: the report contract (docs/report-schema.md),
#     the primary packet equals expected.pcap byte for byte with the same link
#     type, the seed raises its findings and the healthy skb none;
#   - tshark reads the pcap and the pcapng without a malformed packet.
# The flattened dump is also read from standard input once.  Skips cleanly
# without fixtures.
set -u
. "$(dirname "$0")/lib.sh"
CHECK=$FX/../tools/check-report.py

e2e_need report
have_check=1
[ -f "$CHECK" ] || { have_check=0; skip "report: no acceptance checker at $CHECK"; }
have_tshark=1
command -v tshark >/dev/null 2>&1 || { have_tshark=0; skip "report: tshark not installed"; }
e2e_tmp report

tshark_ok() { # file label
	if ! tshark -r "$1" -V >"$tmp/tshark.out" 2>&1; then
		fail "$2: tshark cannot read $(basename "$1"): $(head -c 300 "$tmp/tshark.out")"
	elif grep -qi malformed "$tmp/tshark.out"; then
		fail "$2: tshark reports a malformed packet in $(basename "$1")"
	else
		ok "$2: tshark reads $(basename "$1") ($(grep -c '^Frame ' "$tmp/tshark.out") frames)"
	fi
}

run_one() { # scenario-dir dump-path label [stdin]
	dir=$1 dump=$2 label=$3
	out=$tmp/out
	rm -rf "$out"; mkdir -p "$out"
	if [ "${4:-}" = stdin ]; then
		"$SKBFILTER" $kopts --tmpdir "$tmp" -w "$out/out.pcap" --pcapng "$out/out.pcapng" --json "$out/r.json" - \
			<"$dump" >"$out/stdout" 2>"$out/stderr"
	else
		"$SKBFILTER" $kopts -w "$out/out.pcap" --pcapng "$out/out.pcapng" --json "$out/r.json" "$dump" \
			>"$out/stdout" 2>"$out/stderr"
	fi
	rc=$?
	# 0 ok, 1 partial with warnings; anything else is a failure (sanitizers exit 1 too: look for them)
	if grep -qE 'runtime error|Sanitizer' "$out/stderr"; then
		fail "$label: sanitizer report: $(grep -m 1 -E 'runtime error|Sanitizer' "$out/stderr")"
		return
	fi
	if [ $rc -gt 1 ] || [ ! -s "$out/r.json" ]; then
		fail "$label: skbfilter exit $rc: $(tail -n 3 "$out/stderr")"
		return
	fi
	ok "$label: skbfilter exit $rc"
	if [ $have_check -eq 1 ]; then
		if python3 "$CHECK" "$dir" "$out/r.json" "$out/out.pcap" >"$out/check" 2>&1; then
			ok "$label: check-report ($(tail -n 1 "$out/check"))"
		elif ! grep '^FAIL' "$out/check" | grep -qv '^FAIL panic\.' &&
		     python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["panic"]["cpu"] != -1)' "$out/r.json"; then
			# The tool says the panic CPU is unknown (a labelled partial result, from the
			# panic analysis, not this test's subject); everything about the skbs passed.
			skip "$label: check-report: only the panic.* checks fail and the report says the panic CPU is unknown"
		else
			fail "$label: check-report: $(grep -v '^ok' "$out/check" | head -n 5 | tr '\n' ' ')"
		fi
	fi
	if python3 "$top/tests/e2e/report_check.py" "$dir" "$out/r.json" "$out/out.pcap" "$out/out.pcapng" \
		"$out/stdout" >"$out/rc" 2>&1; then
		ok "$label: report contract, expected.pcap, findings ($(tail -n 1 "$out/rc"))"
	else
		fail "$label: report_check: $(grep -v '^ok' "$out/rc" | head -n 5 | tr '\n' ' ')"
	fi
	if [ $have_tshark -eq 1 ]; then
		tshark_ok "$out/out.pcap" "$label"
		tshark_ok "$out/out.pcapng" "$label"
	fi
}

# --segment on a healthy GSO skb: as many wire segments as gso_segs, every
# checksum of every segment correct (tshark verifies IPv4, UDP and TCP).
segment_check() { # scenario-dir dump label
	out=$tmp/seg
	rm -rf "$out"; mkdir -p "$out"
	if ! "$SKBFILTER" $kopts -q --segment -w "$out/s.pcap" --json "$out/s.json" "$2" >"$out/stderr" 2>&1; then
		[ $? -le 1 ] || { fail "$3 --segment: $(tail -n 2 "$out/stderr")"; return; }
	fi
	want=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2]))
p=[s for s in r["skbs"] if s["addr"]==t["primary_skb"]][0]
print(t["skbs"][0]["gso_segs"] if p["segments"]["count"]==t["skbs"][0]["gso_segs"] else -1)' "$1/truth.json" "$out/s.json")
	if [ "$want" -le 0 ]; then
		fail "$3 --segment: segment count differs from gso_segs"
		return
	fi
	if [ $have_tshark -eq 0 ]; then
		ok "$3 --segment: $want segments"
		return
	fi
	tshark -r "$out/s.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE \
		-Y 'frame.number > 1 && (ip.checksum.status == "Bad" || udp.checksum.status == "Bad" || tcp.checksum.status == "Bad" || _ws.malformed)' \
		>"$out/bad" 2>/dev/null
	frames=$(tshark -r "$out/s.pcap" 2>/dev/null | wc -l)
	if [ -s "$out/bad" ] || [ "$frames" -ne $((want + 1)) ]; then
		fail "$3 --segment: $frames frames for 1 + $want, bad: $(head -n 2 "$out/bad" | tr '\n' ' ')"
	else
		ok "$3 --segment: the packet and its $want software-GSO segments, every checksum correct"
	fi
}

# --scan all: the walk over every skbuff slab page finds the primary skb there too.
scanall_check() { # scenario-dir dump label
	out=$tmp/scanall
	rm -rf "$out"; mkdir -p "$out"
	"$SKBFILTER" $kopts -q --scan all --json "$out/a.json" "$2" >"$out/stderr" 2>&1
	rc=$?
	if [ $rc -gt 1 ]; then
		fail "$3 --scan all: exit $rc: $(tail -n 2 "$out/stderr")"
	elif python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); r=json.load(open(sys.argv[2]))
p=[s for s in r["skbs"] if s["addr"]==t["primary_skb"]]
sys.exit(not (p and any(f["kind"]=="slab" for f in p[0]["found"])))' "$1/truth.json" "$out/a.json"; then
		ok "$3 --scan all: the primary skb is also found by walking the skbuff slabs"
	else
		fail "$3 --scan all: the primary skb is not among the slab objects"
	fi
}

# --scan all decompresses the walk's pages on several threads (kdump): the outputs must not depend on it.
threads_check() { # dump label
	out=$tmp/threads
	rm -rf "$out"; mkdir -p "$out"
	for t in 1 3; do
		"$SKBFILTER" $kopts -q --scan all --threads $t --json "$out/$t.json" -w "$out/$t.pcap" -o "$out/$t.core" "$1" \
			>"$out/$t.stderr" 2>&1
		echo $? >"$out/$t.rc"
	done
	if ! cmp -s "$out/1.rc" "$out/3.rc" || [ "$(cat "$out/1.rc")" -gt 1 ]; then
		fail "$2 --scan all --threads: exit $(cat "$out/1.rc") with 1 thread, $(cat "$out/3.rc") with 3"
	elif ! cmp -s "$out/1.pcap" "$out/3.pcap" || ! cmp -s "$out/1.core" "$out/3.core"; then
		fail "$2 --scan all --threads: the pcap or mini.core differs between 1 and 3 threads"
	elif ! python3 -c 'import json,sys
def norm(p):
    r = json.load(open(p))
    r.get("scan_all", {}).pop("seconds", None)
    return json.dumps(r, sort_keys=True).replace(sys.argv[3] + "1.", "N.").replace(sys.argv[3] + "3.", "N.")
sys.exit(norm(sys.argv[1]) != norm(sys.argv[2]))' "$out/1.json" "$out/3.json" "$out/"; then
		fail "$2 --scan all --threads: the report differs between 1 and 3 threads"
	else
		ok "$2 --scan all: same report, pcap and mini.core with 1 and 3 decompression threads"
	fi
}

found=0
for dir in "$FX"/*/; do
	dir=${dir%/}
	scen=$(basename "$dir")
	[ -f "$dir/truth.json" ] || continue
	for f in "$dir"/vmcore*; do
		[ -f "$f" ] || continue
		found=1
		base=$(basename "$f")
		case $base in
		*.zst)
			if ! plain=$(fx_unzst "$f"); then
				fail "$scen/$base: zstd -d failed: $(head -c 300 "$tmp/unzst.err")"
				continue
			fi
			kopts=$(fx_kernel_opts "$plain")
			run_one "$dir" "$plain" "$scen/$base"
			if grep -q '"gso_segs_matches": true' "$dir/truth.json"; then
				segment_check "$dir" "$plain" "$scen/$base"
			fi
			scanall_check "$dir" "$plain" "$scen/$base"
			rm -f "$plain"
			;;
		*.flat)
			kopts=$(fx_kernel_opts "$f")
			run_one "$dir" "$f" "$scen/$base"
			run_one "$dir" "$f" "$scen/$base (stdin)" stdin
			;;
		*)
			kopts=$(fx_kernel_opts "$f")
			run_one "$dir" "$f" "$scen/$base"
			threads_check "$f" "$scen/$base"
			;;
		esac
	done
done
[ $found -eq 1 ] || skip "report: no scenario with truth.json and a dump in $FX"
finish
