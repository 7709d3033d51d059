#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The report and the scriptable interfaces (issue #14):
#   - a libpcap filter expression (tcpdump style, or --filter) selects the
#     packets written and reported: the seed's primary packet for its own
#     port, nothing for another, and tshark agrees on what was written;
#   - the text report starts with a summary; compact by default (one found:
#     line per skb, payload-only skbs on one line), -v shows every place;
#   - JSON outputs.files lists every file written (also with -o or --json only);
#   - --list prints one line per skb; --json-lines one object per skb and a
#     final summary; --help mentions --version.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need interfaces python3
SEED=$FX/seed-gso-mismatch
[ -f "$SEED/vmcore.flat" ] || { skip "interfaces: no seed fixture"; finish; }
e2e_tmp interfaces
cd "$tmp" || exit 1
D=$SEED/vmcore.flat
prim=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["primary_skb"])' "$SEED/truth.json")
# the primary packet's TCP ports, from the expected pcap (Ethernet/IPv4/TCP in the seed)
ports=$(python3 - "$SEED/expected.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
lt = struct.unpack_from("<I", d, 20)[0]
off = 24 + 16
ip = 14 if lt == 1 else 0
ihl = (d[off + ip] & 15) * 4
print(*struct.unpack_from(">HH", d, off + ip + ihl))
PY
)
sport=${ports% *} dport=${ports#* }

"$SKBFILTER" -q --json all.json -w all.pcap "$D" 2>/dev/null
nall=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["skbs"]))' all.json)

# ---- filter expression
"$SKBFILTER" -q --json f.json -w f.pcap "$D" "tcp port $dport" 2>err
rc=$?
got=$(python3 -c 'import json,sys; print(" ".join(s["addr"] for s in json.load(open(sys.argv[1]))["skbs"]))' f.json 2>/dev/null)
if [ $rc -le 1 ] && [ "$got" = "$prim" ]; then ok "filter 'tcp port $dport': only the primary skb ($nall without)"; else
	fail "filter 'tcp port $dport': exit $rc, skbs '$got', want '$prim': $(head -c 200 err)"; fi
pkts() { # the packet bytes of a pcap, hex, one per line (timestamps and magic aside)
	python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 24
while off + 16 <= len(d):
    cap = struct.unpack_from("<I", d, off + 8)[0]
    print(d[off + 16:off + 16 + cap].hex())
    off += 16 + cap
PY
}
[ "$(pkts f.pcap)" = "$(pkts "$SEED/expected.pcap")" ] && ok "filter: the pcap holds exactly the expected packet" ||
	fail "filter: the pcap's packets differ from expected.pcap's"
"$SKBFILTER" -q --json g.json -w g.pcap --filter "tcp src port $sport and dst port $dport" "$D" 2>/dev/null
cmp -s f.pcap g.pcap && ok "--filter gives the same packets" || fail "--filter differs from the trailing expression"
"$SKBFILTER" -q --json n.json -w n.pcap "$D" udp 2>/dev/null
rc=$?
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["skbs"]), d["outputs"]["packets"])' n.json)
[ $rc -le 1 ] && [ "$n" = "0 0" ] && ok "filter 'udp': no skb, no packet (exit $rc)" || fail "filter 'udp': exit $rc, $n"
if command -v tshark >/dev/null 2>&1; then
	c=$(tshark -r n.pcap 2>/dev/null | wc -l)
	[ "$c" -eq 0 ] && ok "tshark: the 'udp' pcap is empty and readable" || fail "tshark: $c packets in the 'udp' pcap"
	c1=$(tshark -r all.pcap -Y "tcp.port == $dport" 2>/dev/null | wc -l)
	c2=$(tshark -r f.pcap 2>/dev/null | wc -l)
	[ "$c1" -eq "$c2" ] && ok "tshark agrees: $c1 packet(s) match tcp port $dport" || fail "tshark: $c1 vs $c2"
fi
"$SKBFILTER" -q "$D" 'tcp port' >o 2>e
rc=$?
[ $rc -eq 2 ] && grep -q "filter expression" e && ok "a bad filter expression: usage error naming it" ||
	fail "bad filter: exit $rc: $(cat e)"

# ---- summary and compact text
"$SKBFILTER" "$D" >t.txt 2>/dev/null
"$SKBFILTER" -v "$D" >tv.txt 2>/dev/null
if [ "$(head -n 1 t.txt)" = summary ] && grep -q '^  skbs: *[0-9]* found' t.txt && grep -q '^  findings: *[0-9]* error' t.txt &&
   grep -q '^  panic: ' t.txt && grep -q '^  kernel: ' t.txt && grep -q '^  files: ' t.txt; then
	ok "text report starts with a summary"
else
	fail "no summary: $(head -n 8 t.txt)"
fi
nf=$(grep -c '^  found:' t.txt)
nfv=$(grep -c '^  found:' tv.txt)
if [ "$nf" -lt "$nfv" ] && [ "$(wc -l <t.txt)" -lt "$(wc -l <tv.txt)" ] && grep -q "more place" t.txt; then
	ok "compact: $nf found: lines ($nfv with -v), $(wc -l <t.txt) lines ($(wc -l <tv.txt) with -v)"
else
	fail "compact: $nf found: lines, $nfv with -v"
fi
grep -q "$prim" t.txt && grep -q "gso_type" t.txt && ok "compact report still names the primary skb and its gso_type" ||
	fail "compact report lost the primary skb"

# ---- JSON outputs lists every file
"$SKBFILTER" -q -o m.core --json j.json "$D" 2>/dev/null
python3 - j.json <<'PY' && ok "JSON outputs.files lists mini.core, its manifest and the report" || fail "JSON outputs.files: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["outputs"])' j.json)"
import json, sys
f = {(x["kind"], x["path"]) for x in json.load(open(sys.argv[1]))["outputs"]["files"]}
sys.exit(f != {("minicore", "m.core"), ("minicore_manifest", "m.core.manifest.json"), ("json", "j.json")})
PY

# ---- --list, --json-lines, --help
"$SKBFILTER" --list "$D" >l.txt 2>/dev/null
[ "$(wc -l <l.txt)" -eq "$nall" ] && grep -q "^$prim " l.txt && ok "--list: one line per skb ($nall)" ||
	fail "--list: $(wc -l <l.txt) lines for $nall skbs"
"$SKBFILTER" --json-lines "$D" >jl.txt 2>/dev/null
python3 - jl.txt "$nall" "$prim" <<'PY' && ok "--json-lines: one object per skb and a final summary" || fail "--json-lines: $(head -c 300 jl.txt)"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
n = int(sys.argv[2])
sys.exit(not (len(lines) == n + 1 and all("addr" in l for l in lines[:n]) and lines[0]["addr"] == sys.argv[3]
              and lines[-1]["summary"]["skbs"] == n))
PY
"$SKBFILTER" --list -w - "$D" >/dev/null 2>e
[ $? -eq 2 ] && ok "--list with -w -: usage error" || fail "--list with -w -: $(cat e)"
"$SKBFILTER" --help | grep -q -- "--version" && ok "--help mentions --version" || fail "--help has no --version"
finish
