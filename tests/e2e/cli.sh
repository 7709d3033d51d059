#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line that users script (issue #14):
#   - an output that is the input (same name, hard link, symlink, manifest) or
#     another output is refused with exit 2 and the input's checksum is unchanged;
#   - an existing output is refused unless --force, and the message names --force;
#   - two outputs on stdout are a usage error; with -w - stdout holds only the
#     pcap (tshark reads it) and the text report goes to stderr;
#   - signals at random moments leave no temporary file (cli_signals.py);
#   - exit codes: directory or missing input 3, --fail-on=error|warning 4.
# Uses the seed fixture's flattened dump; skips without fixtures.
set -u
. "$(dirname "$0")/lib.sh"

e2e_need cli sha256sum python3
SRC=$FX/seed-gso-mismatch/vmcore.flat
[ -f "$SRC" ] || { skip "cli: no $SRC"; finish; }
e2e_tmp cli
cd "$tmp" || exit 1
cp "$SRC" in.kdump
sum0=$(sha256sum <in.kdump)

expect() { # label want-rc cmd... (stdout/stderr in $tmp/o, $tmp/e)
	_label=$1 _want=$2
	shift 2
	"$@" >o 2>e
	_rc=$?
	if [ $_rc -eq "$_want" ]; then ok "$_label: exit $_rc"; else fail "$_label: exit $_rc, want $_want: $(head -c 300 e)"; fi
}
unchanged() { # label
	if [ "$(sha256sum <in.kdump)" = "$sum0" ]; then ok "$1: input unchanged"; else fail "$1: the input was modified"; fi
}

# ---- outputs never destroy anything
expect "same name" 2 "$SKBFILTER" -w in.kdump in.kdump
grep -q "same file" e || fail "same name: message does not say why: $(cat e)"
unchanged "same name"
expect "same name with --force" 2 "$SKBFILTER" --force --json in.kdump in.kdump
unchanged "same name with --force"
ln in.kdump hard.kdump
for opt in -w --pcapng --json -o; do
	expect "hard link as $opt" 2 "$SKBFILTER" --force $opt hard.kdump in.kdump
done
unchanged "hard link"
ln -s "$tmp/in.kdump" sym.kdump
expect "symlink as -w" 2 "$SKBFILTER" --force -w sym.kdump in.kdump
unchanged "symlink"
mkdir sub
expect "same file through ./sub/../" 2 "$SKBFILTER" --force -w ./sub/../in.kdump in.kdump
unchanged "dot-dot path"
expect "input on stdin is the output" 2 "$SKBFILTER" --force -w in.kdump - <in.kdump
unchanged "stdin"
cp in.kdump m.core.manifest.json 2>/dev/null
expect "manifest is the input" 2 "$SKBFILTER" --force -o m.core m.core.manifest.json
rm -f m.core.manifest.json
expect "three outputs one name" 2 "$SKBFILTER" -w X -o X --json X in.kdump
[ ! -e X ] && ok "three outputs one name: nothing written" || fail "three outputs one name: X was written"
expect "--json is the -o manifest" 2 "$SKBFILTER" -o m.core --json m.core.manifest.json in.kdump
expect "-w - and --json -" 2 "$SKBFILTER" -w - --json - in.kdump
expect "--pcapng - and -o -" 2 "$SKBFILTER" --pcapng - -o - in.kdump

expect "first run" 0 "$SKBFILTER" -q -w out.pcap -o m.core in.kdump
s1=$(sha256sum <out.pcap)
echo junk >>out.pcap
s2=$(sha256sum <out.pcap)
expect "existing output" 2 "$SKBFILTER" -q -w out.pcap in.kdump
grep -q -- "--force" e && ok "existing output: message names --force" || fail "existing output: no --force in: $(cat e)"
[ "$(sha256sum <out.pcap)" = "$s2" ] && ok "existing output: left alone" || fail "existing output: modified"
rm out.pcap
expect "existing manifest only" 2 "$SKBFILTER" -q -o m.core in.kdump
expect "--force" 0 "$SKBFILTER" -q --force -w out.pcap -o m.core in.kdump
[ "$(sha256sum <out.pcap)" = "$s1" ] && ok "--force: output replaced" || fail "--force: output differs from the first run"
expect "missing output directory" 2 "$SKBFILTER" -q -w nodir/out.pcap in.kdump
grep -q "does not exist" e && ok "missing output directory: says so" || fail "missing output directory: $(cat e)"
expect "/dev/null as output" 0 "$SKBFILTER" -q -w /dev/null in.kdump
[ -c /dev/null ] && ok "/dev/null is still a device" || fail "/dev/null was replaced"
"$SKBFILTER" -q -w /dev/stdout in.kdump >ds.pcap 2>e
rc=$?
[ $rc -le 1 ] && [ -L /dev/stdout ] && cmp -s ds.pcap out.pcap && ok "-w /dev/stdout > file: written to stdout, /dev/stdout intact" ||
	fail "-w /dev/stdout: exit $rc: $(cat e)"
echo old >tgt.pcap && ln -s tgt.pcap lnk.pcap
expect "--force through a symlink" 0 "$SKBFILTER" -q --force -w lnk.pcap in.kdump
[ -L lnk.pcap ] && cmp -s tgt.pcap out.pcap && ok "--force through a symlink: the link stays, its target is replaced" ||
	fail "--force through a symlink: link or target wrong"
ls ./*.tmp-* >/dev/null 2>&1 && fail "temporary files left: $(ls ./*.tmp-*)" || ok "no temporary file left by the runs above"

# ---- stdout carries one thing
"$SKBFILTER" -w - in.kdump >stdout.pcap 2>stderr.txt
rc=$?
[ $rc -le 1 ] && ok "-w -: exit $rc" || fail "-w -: exit $rc"
python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(d[:4] not in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"))' stdout.pcap &&
	ok "-w -: stdout starts with a pcap header" || fail "-w -: stdout is not a pcap"
grep -q "sk_buff\|skb" stderr.txt && ok "-w -: text report on stderr" || fail "-w -: no text report on stderr"
if command -v tshark >/dev/null 2>&1; then
	"$SKBFILTER" -w - in.kdump 2>/dev/null | tshark -r - -V >ts.out 2>&1
	if [ $? -eq 0 ] && ! grep -qi malformed ts.out && grep -q '^Frame ' ts.out; then
		ok "-w - | tshark -r - reads clean ($(grep -c '^Frame ' ts.out) frames)"
	else
		fail "-w - | tshark -r -: $(head -c 300 ts.out)"
	fi
else
	skip "cli: tshark not installed"
fi
"$SKBFILTER" --json - in.kdump >j.out 2>/dev/null
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' j.out && ok "--json -: stdout is one JSON document" ||
	fail "--json -: stdout is not JSON"

# ---- exit codes
expect "directory as input" 3 "$SKBFILTER" -q sub
expect "missing input" 3 "$SKBFILTER" -q no-such-file
cp in.kdump noperm.kdump && chmod 000 noperm.kdump
if [ "$(id -u)" != 0 ]; then
	expect "unreadable input" 3 "$SKBFILTER" -q noperm.kdump
elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups "$SKBFILTER" --version >/dev/null 2>&1; then
	chmod 755 "$tmp"
	expect "unreadable input (as nobody)" 3 setpriv --reuid=65534 --regid=65534 --clear-groups "$SKBFILTER" -q noperm.kdump
	grep -q "Permission denied" e || fail "unreadable input: $(cat e)"
else
	skip "cli: permission-denied input (root, and setpriv cannot run skbfilter as nobody)"
fi
expect "--fail-on=error on the seed (error findings)" 4 "$SKBFILTER" -q --fail-on=error in.kdump
expect "--fail-on=warning on the seed" 4 "$SKBFILTER" -q --fail-on=warning in.kdump
expect "tcpdump's -c 1" 2 "$SKBFILTER" -c 1 in.kdump
grep -q "needs -o" e && ok "-c without -o: says it needs -o" || fail "-c 1: $(cat e)"
expect "--fail-on=bogus" 2 "$SKBFILTER" -q --fail-on=bogus in.kdump
HEALTHY=$FX/tx-vxlan-tcp/vmcore.kdump-zstd
if [ -f "$HEALTHY" ]; then
	expect "--fail-on=error without error findings" 0 "$SKBFILTER" -q --fail-on=error "$HEALTHY"
fi

# ---- errors say what to do, in one line; the chain behind -v
KZ=$FX/tx-vxlan-tcp/vmcore.kdump-zstd
if [ -f "$KZ" ]; then
	full=$(wc -c <"$KZ")
	head -c $((full / 2)) "$KZ" >trunc.kdump
	expect "truncated kdump" 3 "$SKBFILTER" -q trunc.kdump
	if grep "error:" e | grep -q "truncated (at least $full bytes expected, $((full / 2)) found).*copy the whole dump again"; then
		ok "truncated kdump: one line with the bytes expected and found"
	else
		fail "truncated kdump: $(grep error: e)"
	fi
	[ "$(grep -c 'error:' e)" -eq 1 ] && [ "$(grep 'error:' e | wc -c)" -lt 300 ] && ok "truncated kdump: a short error line" ||
		fail "truncated kdump: error too long: $(grep error: e | head -c 400)"
	"$SKBFILTER" -q -v trunc.kdump >o 2>e
	grep -q "note: detail of the error: .*page-table" e && ok "truncated kdump: -v shows the detail" ||
		fail "truncated kdump: -v has no detail: $(tail -n 3 e)"
fi
mkdir tarme && cp "$SRC" tarme/vmcore && tar czf up.tar.gz tarme
expect "vmcore.tar.gz" 3 "$SKBFILTER" -q up.tar.gz
grep -q "tar archive: extract" e && ok "vmcore.tar.gz: says to extract it" || fail "vmcore.tar.gz: $(cat e)"
rm -rf tarme up.tar.gz

# ---- signals
mkdir sig
python3 "$top/tests/e2e/cli_signals.py" "$SKBFILTER" in.kdump "$tmp/sig" "${CLI_SIGNAL_ROUNDS:-30}" >sig.out 2>&1
cat sig.out
e2e_count sig.out
finish
