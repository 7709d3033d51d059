#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# libcurl is loaded only when a URL is opened (src/io/remote.c dlopen()s it):
#  - the binary has no libcurl DT_NEEDED;
#  - a local dump never loads it (LD_DEBUG=files, glibc), a URL does;
#  - a libcurl that cannot be loaded, is older than 7.85.0 or lacks a function
#    is a named error with exit 3 (SKBFILTER_LIBCURL points the loader at a
#    missing file, and at stub libraries built here), never a crash.
# Needs no server: the load happens before the first request.
set -u
. "$(dirname "$0")/lib.sh"

e2e_tmp libcurl
# a URL nothing listens on: only reached when libcurl did load (connection refused, retried)
URL=http://127.0.0.1:1/vmcore

# 1. no DT_NEEDED on libcurl
if command -v readelf >/dev/null 2>&1; then
	readelf -d "$SKBFILTER" >"$tmp/dyn" 2>&1
	if ! grep -q NEEDED "$tmp/dyn"; then
		fail "readelf -d: no NEEDED entries at all (not a dynamic binary?): $(head -n 2 "$tmp/dyn" | tr '\n' ' ')"
	elif grep NEEDED "$tmp/dyn" | grep -q 'libcurl'; then
		fail "readelf -d: skbfilter still links libcurl: $(grep libcurl "$tmp/dyn" | tr -s ' ')"
	else
		ok "readelf -d: $(grep -c NEEDED "$tmp/dyn") NEEDED entries, none is libcurl"
	fi
else
	skip "libcurl: readelf not installed"
fi

# 2. who loads it (glibc's LD_DEBUG lists every object the loader maps)
loaded() { LD_DEBUG=files "$SKBFILTER" "$@" 2>&1 >/dev/null | grep -c 'file=libcurl\.so'; }
if LD_DEBUG=files "$SKBFILTER" --version 2>&1 >/dev/null | grep -q 'file=libc\.so'; then
	dump=""
	for f in "$FX"/seed-gso-mismatch/vmcore.flat "$FX"/tx-vxlan-tcp/vmcore.kdump-zlib; do
		[ -f "$f" ] && { dump=$f; break; }
	done
	if [ -n "$dump" ]; then
		n=$(loaded --info "$dump")
		[ "$n" -eq 0 ] && ok "a local dump (--info) does not load libcurl" ||
			fail "a local dump loads libcurl ($n LD_DEBUG lines)"
		n=$(loaded --force -q --json "$tmp/r.json" -w "$tmp/o.pcap" -o "$tmp/m.core" "$dump")
		[ "$n" -eq 0 ] && ok "a local dump (default job) does not load libcurl" ||
			fail "the default job on a local dump loads libcurl ($n LD_DEBUG lines)"
	else
		skip "libcurl: no local fixture dump under $FX"
	fi
	n=$(SKBFILTER_HTTP_STALL_TIMEOUT=1 loaded --info "$URL")
	[ "$n" -gt 0 ] && ok "a URL loads libcurl" || fail "a URL did not load libcurl (LD_DEBUG shows no libcurl.so)"
else
	skip "libcurl: LD_DEBUG not supported by this loader (not glibc?)"
fi

# load_fault WHAT PATTERN: the URL with SKBFILTER_LIBCURL set ends with exit 3 and PATTERN on stderr.
load_fault() {
	_what=$1 _pat=$2
	timeout 60 "$SKBFILTER" --info "$URL" >/dev/null 2>"$tmp/err"
	_rc=$?
	if [ $_rc -eq 3 ] && grep -q -- "$_pat" "$tmp/err" && grep -q 'libcurl4' "$tmp/err"; then
		ok "libcurl $_what: exit 3, $(cut -c1-200 "$tmp/err")"
	else
		fail "libcurl $_what: exit $_rc (want 3, /$_pat/ and the package to install): $(tail -n 2 "$tmp/err" | tr '\n' ' ')"
	fi
}

# 3. cannot be loaded
SKBFILTER_LIBCURL=$tmp/nonexistent/libcurl.so.4 load_fault "missing" \
	"reading a URL needs libcurl, which could not be loaded ($tmp/nonexistent/libcurl.so.4: cannot open shared object file"

# 4. stub libraries: too old, and new enough but without the functions we call
CC=${CC:-cc}
if command -v "$CC" >/dev/null 2>&1; then
	# stub VERSION_NUM VERSION_STRING OUT.so
	stub() {
		cat >"$tmp/stub.c" <<EOF
#include <curl/curl.h>
static curl_version_info_data v = { .age = CURLVERSION_FIRST, .version = "$2", .version_num = $1 };
curl_version_info_data *curl_version_info(CURLversion age) { (void)age; return &v; }
EOF
		# shellcheck disable=SC2046
		$CC -shared -fPIC $(pkg-config --cflags libcurl 2>/dev/null) -o "$3" "$tmp/stub.c" 2>"$tmp/cc.err"
	}
	if stub 0x075400 7.84.0 "$tmp/old.so"; then
		SKBFILTER_LIBCURL=$tmp/old.so load_fault "7.84.0 (too old)" "$tmp/old.so is libcurl 7.84.0, older than 7.85.0"
	else
		fail "libcurl: building a stub library: $(head -n 3 "$tmp/cc.err" | tr '\n' ' ')"
	fi
	if stub 0x075500 7.85.0 "$tmp/bare.so"; then
		SKBFILTER_LIBCURL=$tmp/bare.so load_fault "7.85.0 without its functions" \
			"$tmp/bare.so is not a usable libcurl: it has no curl_global_init (.*undefined symbol: curl_global_init)"
	else
		fail "libcurl: building a stub library: $(head -n 3 "$tmp/cc.err" | tr '\n' ' ')"
	fi
else
	skip "libcurl: no C compiler for the stub libraries"
fi
finish
