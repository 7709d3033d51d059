#!/bin/sh
# Generated kdump-compressed dumps (tests/gen/mkdiskdump) read back with
# pageread --all: every pfn's state and crc32 must equal what the generator
# wrote (its OUT.expect file).  Covers header versions 1-7 x every codec,
# 32-bit and big-endian headers, page sizes, zero/excluded/missing pages,
# incomplete and truncated dumps, split sets, and refusals.
set -u
BUILD=${BUILD:-build/std}
GEN=$BUILD/tests/gen/mkdiskdump
PR=$BUILD/tests/gen/pageread
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1${2:+: $2}"; fail=$((fail + 1)); }

# check NAME [file args...]: spec on stdin; pageread over the output must match .expect
check() {
	name=$1; shift
	cat >"$tmp/$name.spec"
	if ! "$GEN" "$tmp/$name.spec" "$tmp/$name" 2>"$tmp/$name.generr"; then
		bad "$name" "mkdiskdump: $(cat "$tmp/$name.generr")"; return
	fi
	if [ $# -eq 0 ]; then set -- "$tmp/$name"; else
		files=""; for s in "$@"; do files="$files $tmp/$name$s"; done; set -- $files; fi
	if ! "$PR" --all "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
		bad "$name" "pageread: $(head -c 300 "$tmp/$name.err")"; return
	fi
	if cmp -s "$tmp/$name.out" "$tmp/$name.expect"; then
		ok "$name ($(wc -l <"$tmp/$name.expect") pfns)"
	else
		bad "$name" "$(diff "$tmp/$name.expect" "$tmp/$name.out" | head -5 | tr '\n' ' ')"
	fi
}

for v in 1 2 3 4 5 6 7; do
	for c in raw zlib lzo snappy zstd; do
		check "v$v-$c" <<-SPEC
		version = $v
		max_mapnr = 0x80
		vmcoreinfo = OSRELEASE=6.1.0\nPAGESIZE=4096\n
		eraseinfo = erase foo size 8\n
		ram = 0-0x6f
		page = 0-0x1f $c pfn
		page = 0x20 $c byte:0xa5
		page = 0x21 $c random:$v
		page = 0x40-0x4f $c pfn
		page = 0x7f $c zero
		SPEC
	done
done

for m in i686 armv7l; do
	for v in 1 3 6; do
		check "w32-$m-v$v" <<-SPEC
		version = $v
		machine = $m
		max_mapnr = 0x30
		vmcoreinfo = OSRELEASE=4.19\n
		ram = 0-0x2f
		page = 0-7 zlib pfn
		page = 9 lzo random:2
		SPEC
	done
done

for ps in 4096 16384 65536; do
	check "be-ppc64-$ps" <<-SPEC
	endian = big
	machine = ppc64
	page_size = $ps
	max_mapnr = 0x20
	ram = 0-0x1f
	page = 0-4 zlib pfn
	page = 5 zstd random:1
	page = 6 snappy pfn
	page = 7 lzo zero
	SPEC
done

check "s390x-zero-page" <<-SPEC
endian = big
machine = s390x
zero_page = 1
max_mapnr = 0x40
page = 0-3 zlib zero
page = 4-9 zstd pfn
page = 0x30-0x31 raw zero
SPEC

check "x86-zero-page-after-data" <<-SPEC
zero_page = 1
max_mapnr = 0x40
ram = 0-0x3f
page = 0 zlib pfn
page = 1-0x20 zstd zero
page = 0x21 lzo pfn
SPEC

check "excluded-only" <<-SPEC
max_mapnr = 0x100
ram = 0-0xff
SPEC

check "incomplete-flag-truncated" <<-SPEC
incomplete = 1
max_mapnr = 0x40
page = 0-0x1f zlib random:5
unwritten = 0x20-0x23
truncate = -9000
SPEC

check "truncated-no-flag" <<-SPEC
max_mapnr = 0x40
page = 0-0x1f lzo random:6
truncate = -1
SPEC

check "split-3" .1 .2 .3 <<-SPEC
max_mapnr = 0x90
zero_page = 1
ram = 0-0x8f
page = 0-0x10 zlib pfn
page = 0x30-0x33 lzo zero
page = 0x34-0x50 zstd pfn
page = 0x88 snappy random:1
part = 0 0x30
part = 0x30 0x60
part = 0x60 0x90
SPEC

check "split-3-reordered" .3 .1 .2 <<-SPEC
max_mapnr = 0x90
ram = 0-0x8f
page = 0-0x8f zlib pfn
part = 0 0x30
part = 0x30 0x60
part = 0x60 0x90
SPEC

# max_mapnr_64 above 2^32 (1 GiB sparse bitmaps): read the listed pfns only,
# pageread --all would visit 2^32 pfns
cat >"$tmp/big.spec" <<-SPEC
max_mapnr = 0x100000100
ram = 0-7
page = 0-3 zlib pfn
page = 0x100000000-0x100000003 zstd pfn
SPEC
if "$GEN" "$tmp/big.spec" "$tmp/big"; then
	args=$(awk '{ printf " --pfn %s", $1 }' "$tmp/big.expect")
	if "$PR" $args "$tmp/big" 2>/dev/null | cmp -s - "$tmp/big.expect"; then
		ok "big-max-mapnr-64 ($(wc -l <"$tmp/big.expect") pfns, max_pfn 0x100000100)"
	else
		bad big-max-mapnr-64 "pages differ"
	fi
else
	bad big-max-mapnr-64 "mkdiskdump failed"
fi

# refusals: each must fail to open with a message naming the problem
refuse() {
	name=$1 want=$2; shift 2
	cat >"$tmp/$name.spec"
	"$GEN" "$tmp/$name.spec" "$tmp/$name" 2>/dev/null || { bad "$name" "mkdiskdump failed"; return; }
	files=""; for s in "$@"; do files="$files $tmp/$name$s"; done
	if "$PR" --all $files >/dev/null 2>"$tmp/$name.err"; then
		bad "$name" "opened, expected refusal"
	elif grep -q "$want" "$tmp/$name.err"; then
		ok "$name refused: $(head -c 160 "$tmp/$name.err")"
	else
		bad "$name" "unexpected message: $(cat "$tmp/$name.err")"
	fi
}

refuse split-mismatch "not from the same dump" .1 .2 .3 <<-SPEC
max_mapnr = 0x30
page = 0-0x2f zlib pfn
part = 0 0x10
part = 0x10 0x20 release=5.10.0-other
part = 0x20 0x30
SPEC

refuse split-overlap "overlaps" .1 .2 <<-SPEC
max_mapnr = 0x30
page = 0-0x2f zlib pfn
part = 0 0x18
part = 0x10 0x30
SPEC

refuse split-pagesize "not from the same dump" .1 .2 <<-SPEC
max_mapnr = 0x30
page = 0-0x2f zlib pfn
part = 0 0x18
part = 0x18 0x30 page_size=8192
SPEC

refuse truncated-in-bitmaps "past the end of the file" "" <<-SPEC
max_mapnr = 0x10000
page = 0 zlib pfn
truncate = 10000
SPEC

refuse truncated-in-header "kdump header needs" "" <<-SPEC
max_mapnr = 0x10
page = 0 zlib pfn
truncate = 300
SPEC

refuse truncated-in-subheader "sub-header" "" <<-SPEC
max_mapnr = 0x10
page = 0 zlib pfn
truncate = 4150
SPEC

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
