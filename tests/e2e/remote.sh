#!/bin/sh
# Remote input (http:// and https:// URLs, issue #16) against real servers on loopback:
# nginx serving the fixtures, and tests/e2e/faultproxy.py in front of it for faults.
#  - every fixture format: the report, pcap and mini.core of the URL are those of the local file
#    (mini.core byte-identical), and --info, --backtrace and --dump-dmesg print the same;
#  - --info needs at most 3 round trips (counted with -v);
#  - TLS is verified (a self-signed certificate fails, --insecure reads), --header, ~/.netrc and a
#    presigned-style query string reach the server untouched; a split set as several URLs;
#  - faults are named errors with exit 3, or hidden by retries with identical output: 503s, a
#    server that ignores Range, truncated and short bodies, a changing ETag, redirect chains,
#    401/403/404, stalls (timeouts).
# Every server is on 127.0.0.1, started here and stopped on exit; every wait is bounded.
. "$(dirname "$0")/lib.sh"
e2e_need remote nginx openssl python3 cmp
e2e_tmp remote
. "$(dirname "$0")/httpd.inc"
trap 'httpd_stop; rm -rf "$tmp"' EXIT INT TERM

www=$tmp/www
mkdir -p "$www"
if ! httpd_start "$www" "$tmp/httpd"; then
	skip "remote: loopback servers did not start: $(tail -n 3 "$tmp/httpd/start.err")"
	finish
fi
H=http://127.0.0.1:$HTTP_PORT
P=http://127.0.0.1:$PROXY_PORT

# serve NAME FILE: makes FILE available as $H/NAME.
serve() { ln -sf "$1" "$www/$2"; }

# Strips what legitimately differs between two runs: file names and output paths.
norm() { sed -E -e "s#$www/##g" -e "s#$H/##g" -e "s#$P/[a-z0-9]*/##g" -e 's#"(file|pcap|pcapng|minicore|json|dump|path)": "[^"]*"#"\1": "X"#g' -e 's#^dump: .*#dump: X#' "$1"; }

# same NAME ARGS...: runs the default job on the local file and on its URL (through the proxy
# mode in $mode, default ok) and compares report, pcap and mini.core.
same() {
	_n=$1
	shift
	_u=$P/${mode:-ok}/$_n
	rm -f "$tmp"/l.* "$tmp"/r.*
	"$SKBFILTER" --force -v -q --json "$tmp/l.json" -w "$tmp/l.pcap" -o "$tmp/l.core" "$@" "$www/$_n" 2>"$tmp/l.err"
	_lrc=$?
	"$SKBFILTER" --force -v -q --json "$tmp/r.json" -w "$tmp/r.pcap" -o "$tmp/r.core" "$@" "$_u" 2>"$tmp/r.err"
	_rrc=$?
	_what="remote ${mode:-ok} $_n: $(grep 'http:' "$tmp/r.err" | sed 's/^skbfilter: //')"
	if [ $_lrc -gt 1 ]; then
		fail "$_what: the local run failed (exit $_lrc): $(tail -n 1 "$tmp/l.err")"
	elif [ $_rrc -ne $_lrc ]; then
		fail "$_what: exit $_rrc, local $_lrc: $(grep error "$tmp/r.err" | tail -n 1)"
	elif ! cmp -s "$tmp/l.pcap" "$tmp/r.pcap"; then
		fail "$_what: pcap differs"
	elif ! cmp -s "$tmp/l.core" "$tmp/r.core"; then
		fail "$_what: mini.core differs"
	elif ! norm "$tmp/l.json" >"$tmp/l.n" || ! norm "$tmp/r.json" >"$tmp/r.n" || ! cmp -s "$tmp/l.n" "$tmp/r.n"; then
		fail "$_what: report differs: $(diff "$tmp/l.n" "$tmp/r.n" | head -n 4 | tr '\n' ' ')"
	else
		ok "$_what"
	fi
}

# same_cmd NAME CMD...: --info/--backtrace/--dump-dmesg print the same for the file and its URL.
same_cmd() {
	_n=$1
	shift
	"$SKBFILTER" "$@" "$www/$_n" >"$tmp/lc.out" 2>/dev/null
	_lrc=$?
	"$SKBFILTER" "$@" "$H/$_n" >"$tmp/rc.out" 2>"$tmp/rc.err"
	_rrc=$?
	norm "$tmp/lc.out" >"$tmp/lc.n"
	norm "$tmp/rc.out" >"$tmp/rc.n"
	if [ $_rrc -eq $_lrc ] && [ -s "$tmp/lc.n" ] && cmp -s "$tmp/lc.n" "$tmp/rc.n"; then
		ok "remote $* $_n: same output as the local file"
	else
		fail "remote $* $_n: exit $_rrc (local $_lrc): $(diff "$tmp/lc.n" "$tmp/rc.n" | head -n 3 | tr '\n' ' ') $(tail -n 1 "$tmp/rc.err")"
	fi
}

# fault NAME EXPECTED-RC PATTERN ARGS... URL: the run ends with EXPECTED-RC and PATTERN on stderr.
fault() {
	_n=$1 _erc=$2 _pat=$3
	shift 3
	timeout 120 "$SKBFILTER" --force -q --json "$tmp/f.json" "$@" >/dev/null 2>"$tmp/f.err"
	_rc=$?
	if [ $_rc -eq "$_erc" ] && grep -q -- "$_pat" "$tmp/f.err"; then
		ok "remote fault $_n: exit $_rc, $(grep -m1 -- "$_pat" "$tmp/f.err" | cut -c1-160)"
	else
		fail "remote fault $_n: exit $_rc (want $_erc, /$_pat/): $(tail -n 2 "$tmp/f.err" | tr '\n' ' ')"
	fi
}

tx=$FX/tx-vxlan-tcp seed=$FX/seed-gso-mismatch arm=$FX/arm64-tx-vxlan-tcp
for c in zlib lzo snappy zstd; do
	[ -f "$tx/vmcore.kdump-$c" ] && serve "$tx/vmcore.kdump-$c" "tx.kdump-$c"
done
[ -f "$seed/vmcore.flat" ] && serve "$seed/vmcore.flat" seed.flat
[ -f "$arm/vmcore.kdump-lzo" ] && serve "$arm/vmcore.kdump-lzo" arm64.kdump-lzo
# every other scenario's flattened dump (other kernels), served as SCENARIO.flat
others=""
for d in "$FX"/*/; do
	sc=$(basename "$d")
	case $sc in tx-vxlan-tcp|seed-gso-mismatch|arm64-tx-vxlan-tcp) continue ;; esac
	[ -f "$d/truth.json" ] && [ -f "$d/vmcore.flat" ] || continue
	serve "$d/vmcore.flat" "$sc.flat" && others="$others $sc.flat"
done
e=$(fx_unzst "$seed/vmcore-d31.elf.zst") && serve "$e" seed-d31.elf
e=$(fx_unzst "$arm/vmcore-d31.elf.zst") && serve "$e" arm64-d31.elf
e=$(fx_unzst "$tx/vmcore.elf.zst") && serve "$e" tx.elf

# 1. every format: remote output == local output
for f in tx.kdump-zlib tx.kdump-lzo tx.kdump-snappy tx.kdump-zstd tx.elf seed.flat seed-d31.elf \
	arm64.kdump-lzo arm64-d31.elf; do
	if [ -e "$www/$f" ]; then same "$f"; else skip "remote $f: fixture missing"; fi
done
# other kernels, with -m where the dump's VMCOREINFO has no kallsyms (lib.sh fx_kernel_opts)
for f in $others; do
	# shellcheck disable=SC2046
	same "$f" $(fx_kernel_opts "$www/$f")
done
# A split set given as several URLs (made here with makedumpfile --split from the seed ELF).
if [ -e "$www/seed-d31.elf" ] && command -v makedumpfile >/dev/null 2>&1 &&
	timeout 120 makedumpfile --split -c -d 31 "$www/seed-d31.elf" "$www/split.1" "$www/split.2" >"$tmp/split.log" 2>&1; then
	"$SKBFILTER" --force -q -w "$tmp/l.pcap" -o "$tmp/l.core" "$www/split.1" "$www/split.2" 2>/dev/null
	_lrc=$?
	"$SKBFILTER" --force -q -w "$tmp/r.pcap" -o "$tmp/r.core" "$H/split.2" "$H/split.1" 2>"$tmp/r.err"
	_rrc=$?
	if [ $_lrc -le 1 ] && [ $_rrc -eq $_lrc ] && cmp -s "$tmp/l.pcap" "$tmp/r.pcap" && cmp -s "$tmp/l.core" "$tmp/r.core"; then
		ok "remote split set of 2 URLs (given out of order): same pcap and mini.core as the local files"
	else
		fail "remote split set: exit $_rrc (local $_lrc): $(tail -n 1 "$tmp/r.err")"
	fi
else
	skip "remote split set: makedumpfile --split unavailable ($(tail -n 1 "$tmp/split.log" 2>/dev/null))"
fi
if [ -e "$www/tx.kdump-zlib" ]; then
	mode=ok
	same tx.kdump-zlib --scan all
	same_cmd tx.kdump-zlib --info
	same_cmd tx.kdump-zlib --info --json
	same_cmd tx.kdump-zlib --backtrace --all-cpus
	same_cmd tx.kdump-zlib --dump-dmesg
	same_cmd seed-d31.elf --backtrace
	# --info: at most 3 dependent round trips
	"$SKBFILTER" -v --info "$H/tx.kdump-zlib" >/dev/null 2>"$tmp/i.err"
	rt=$(sed -nE 's/.* ([0-9]+) round trips.*/\1/p' "$tmp/i.err")
	if [ -n "$rt" ] && [ "$rt" -le 3 ]; then ok "remote --info: $rt round trips (<= 3)"; else fail "remote --info: '$rt' round trips (want <= 3): $(cat "$tmp/i.err")"; fi
	# A flattened dump over HTTP is streamed once, in one request.
	"$SKBFILTER" -v --info "$H/seed.flat" >/dev/null 2>"$tmp/i.err"
	if grep -q ' 2 requests' "$tmp/i.err"; then ok "remote flattened: first block + one streamed GET"; else fail "remote flattened: $(cat "$tmp/i.err")"; fi

	# 2. transport: TLS, headers, netrc, query strings, split sets of URLs
	S=https://127.0.0.1:$HTTPS_PORT
	fault "TLS self-signed, verified" 3 'TLS certificate verification failed' "$S/tx.kdump-zlib"
	"$SKBFILTER" --insecure --info "$S/tx.kdump-zlib" >"$tmp/s.out" 2>"$tmp/s.err" && grep -q '^format: *kdump' "$tmp/s.out" &&
		ok "remote https --insecure reads" || fail "remote https --insecure: $(tail -n 1 "$tmp/s.err")"
	fault "header missing" 3 'HTTP 401: access denied' "$H/hdr/tx.kdump-zlib"
	"$SKBFILTER" --header 'X-Token: sesame' --info "$H/hdr/tx.kdump-zlib" >/dev/null 2>"$tmp/s.err" &&
		ok "remote --header reaches the server" || fail "remote --header: $(tail -n 1 "$tmp/s.err")"
	fault "basic auth, no netrc" 3 'HTTP 401' "$H/basic/tx.kdump-zlib"
	mkdir -p "$tmp/home"
	printf 'machine 127.0.0.1 login u password p\n' >"$tmp/home/.netrc"
	chmod 600 "$tmp/home/.netrc"
	HOME=$tmp/home "$SKBFILTER" --info "$H/basic/tx.kdump-zlib" >/dev/null 2>"$tmp/s.err" &&
		ok "remote ~/.netrc credentials used" || fail "remote ~/.netrc: $(tail -n 1 "$tmp/s.err")"
	q='X-Amz-Signature=abc%2Fdef&X-Amz-Expires=60'
	"$SKBFILTER" --info "$H/signed/tx.kdump-zlib?$q" >"$tmp/s.out" 2>"$tmp/s.err"
	if [ $? -eq 0 ] && ! grep -q 'Signature' "$tmp/s.out"; then
		ok "remote presigned query string passed untouched, not shown in output"
	else
		fail "remote presigned query: $(tail -n 1 "$tmp/s.err") $(grep -m1 Signature "$tmp/s.out")"
	fi
	fault "query string altered" 3 'HTTP 403' "$H/signed/tx.kdump-zlib?X-Amz-Signature=abc/def&X-Amz-Expires=60"
	fault "404" 3 'HTTP 404: no object' "$H/nope.kdump"

	# 3. faults through the proxy
	mode=flaky
	same tx.kdump-lzo
	mode=lat20
	same tx.kdump-zstd
	mode=redir3
	same arm64.kdump-lzo
	mode=ok
	fault "503 forever" 3 'HTTP 503 from the server (gave up after 5 attempts)' "$P/down/tx.kdump-zlib"
	fault "Range ignored" 3 'ignored the Range header.*--spool-remote MIB' "$P/norange/tx.kdump-zlib"
	fault "Range ignored, object above --spool-remote" 3 'raise --spool-remote' --spool-remote 1 "$P/norange/tx.kdump-zlib"
	mode=norange
	same tx.kdump-zlib --spool-remote 64
	mode=ok
	fault "truncated bodies" 3 'gave up after 5 attempts' "$P/trunc/tx.kdump-zlib"
	fault "short 206 bodies" 3 'asked for bytes .* the server answered' "$P/short/tx.kdump-zlib"
	fault "ETag changes" 3 'object changed during the run' "$P/etag/tx.kdump-zlib"
	fault "too many redirects" 3 'more than 5 redirects' "$P/redir9/tx.kdump-zlib"
	export SKBFILTER_HTTP_STALL_TIMEOUT=1
	fault "stalled server" 3 'gave up after 5 attempts' "$P/hang/tx.kdump-zlib"
	unset SKBFILTER_HTTP_STALL_TIMEOUT

	# 4. a sample of the damage campaign's remote-faults class: one fault at a random request
	python3 "$top/tests/damage/remote_faults.py" --work "$tmp/rf" --fixtures "$FX" --skbfilter "$SKBFILTER" \
		--sample 10 >"$tmp/rf.out" 2>&1
	grep -E '^(ok|FAIL)' "$tmp/rf.out" | sed 's/^ok  /ok  /'
	e2e_count "$tmp/rf.out"
	grep -q '^[0-9]* passed, 0 failed' "$tmp/rf.out" || fail "remote faults sample: $(tail -n 3 "$tmp/rf.out" | tr '\n' ' ')"
fi
finish
