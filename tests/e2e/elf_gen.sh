#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Generated ELF vmcores (tests/gen/mkelf) and flattened streams (mkflat)
# through the whole dump layer (pageread): page bytes equal the generator's
# address pattern, states follow the layout, and every flattened variant
# (shuffled, overwritten, odd-sized, sparse records; file or stdin) reads
# exactly like the plain file.
set -u
. "$(dirname "$0")/lib.sh"
G=$BUILD/tests/gen
e2e_tmp elfgen

# page_is_pattern NAME DUMP PFN PAGESIZE: pageread --raw equals mkelf --pattern
page_is_pattern() {
	"$G/pageread" --tmpdir "$tmp" --raw --pfn "$3" "$2" >"$tmp/page" 2>"$tmp/err" &&
	"$G/mkelf" --pattern $(($3 * $4)) "$4" >"$tmp/want" && cmp -s "$tmp/page" "$tmp/want"
}

# states DUMP: "pfn state" lines
states() { "$G/pageread" --tmpdir "$tmp" --all "$1" 2>"$tmp/err" | awk '{print $1, $2}'; }

# 1. PN_XNUM: 70000 PT_LOADs, every 1000th with data, big-endian
spec='be; machine s390x; vmcoreinfo PAGESIZE=4096\n; loads n=70000 paddr=0x100000 step=0x2000 memsz=0x1000 filesz=0
load paddr=0x100000000 memsz=0x3000'
"$G/mkelf" -e "$spec" "$tmp/xnum.elf"
s=$(states "$tmp/xnum.elf" | awk '{c[$2]++} END {print c["present"]+0, c["excluded"]+0}')
if [ "$s" = "3 70000" ] && page_is_pattern x "$tmp/xnum.elf" $((0x100002)) 4096 &&
   [ "$(od -An -tu2 -j56 -N2 --endian=big "$tmp/xnum.elf" | tr -d ' ')" = 65535 ]; then
	ok "PN_XNUM big-endian, 70001 PT_LOADs: 3 present, 70000 excluded, bytes right"
else
	fail "PN_XNUM: states '$s' $(cat "$tmp/err")"
fi

# 2. ELF32 little-endian, /proc/vmcore-like with kernel text overlapping the direct map
"$G/mkelf" -e 'elf32; machine i386; load paddr=0x100000 vaddr=0xc0100000 memsz=0x4000; load paddr=0x0 vaddr=0xc0000000 memsz=0x200000' "$tmp/e32.elf"
if page_is_pattern x "$tmp/e32.elf" $((0x101)) 4096 && page_is_pattern x "$tmp/e32.elf" 0 4096 &&
   [ "$(states "$tmp/e32.elf" | grep -c present)" = 512 ]; then
	ok "ELF32 with overlapping kernel text: 512 present, bytes right"
else
	fail "ELF32: $(cat "$tmp/err")"
fi

# 3. makedumpfile -E shape: p_filesz < p_memsz tails are excluded, segments with p_offset 0 and no data
"$G/mkelf" -e 'load paddr=0x0 memsz=0x100000 filesz=0x10000; load paddr=0x100000 memsz=0x100000 filesz=0; load paddr=0x200000 memsz=0x1000' "$tmp/E.elf"
s=$(states "$tmp/E.elf" | awk '{c[$2]++} END {print c["present"]+0, c["excluded"]+0}')
if [ "$s" = "17 496" ] && page_is_pattern x "$tmp/E.elf" 15 4096 && page_is_pattern x "$tmp/E.elf" 512 4096 &&
   ! "$G/pageread" --raw --pfn 16 "$tmp/E.elf" >/dev/null 2>"$tmp/err" && grep -q excluded "$tmp/err"; then
	ok "filtered (-E) ELF: tails excluded, no zero padding"
else
	fail "filtered ELF: states '$s' $(cat "$tmp/err")"
fi

# 4. truncated file: the cut-off pages are missing, with a warning
"$G/mkelf" -e 'load paddr=0x0 memsz=0x10000; truncate 0x5000' "$tmp/trunc.elf"
s=$(states "$tmp/trunc.elf" | awk '{c[$2]++} END {print c["present"]+0, c["missing"]+0}')
if [ "$s" = "4 12" ] && grep -q "truncated" "$tmp/err"; then
	ok "truncated ELF: 4 present, 12 missing, warned"
else
	fail "truncated ELF: states '$s' $(cat "$tmp/err")"
fi

# 5. flattened variants of one dump read exactly like it, from a file and from stdin
"$G/mkelf" -e 'vmcoreinfo PAGESIZE=4096\n; prstatus pid=1 ip=2 sp=3; load paddr=0x100000 memsz=0x80000 filesz=0x60000; load paddr=0x300000 memsz=0x20000' "$tmp/base.elf"
"$G/pageread" --all "$tmp/base.elf" >"$tmp/base.crc" 2>/dev/null
for opts in "--chunk 4096" "--chunk 1000 --vary 5" "--chunk 4096 --shuffle 3" "--chunk 3000 --shuffle 4 --overwrite 40" "--chunk 512 --vary 6 --shuffle 7 --overwrite 100" "--sparse --shuffle 8"; do
	# shellcheck disable=SC2086
	"$G/mkflat" $opts "$tmp/base.elf" "$tmp/v.flat"
	"$G/pageread" --tmpdir "$tmp" --all "$tmp/v.flat" >"$tmp/v.crc" 2>"$tmp/err"
	# shellcheck disable=SC2086
	"$G/mkflat" $opts "$tmp/base.elf" - | "$G/pageread" --tmpdir "$tmp" --all - >"$tmp/v2.crc" 2>>"$tmp/err"
	if cmp -s "$tmp/base.crc" "$tmp/v.crc" && cmp -s "$tmp/base.crc" "$tmp/v2.crc" && [ ! -s "$tmp/err" ]; then
		ok "flattened ($opts): same pages from the file and from stdin"
	else
		fail "flattened ($opts): differs: $(head -c 200 "$tmp/err")"
	fi
done

# 6. a flattened stream cut short: warning, the rebuilt part reads, the rest is missing (never zeros)
"$G/mkflat" --chunk 4096 --shuffle 11 --head-first --cut 300000 "$tmp/base.elf" - |
	"$G/pageread" --tmpdir "$tmp" --all - >"$tmp/cut.crc" 2>"$tmp/err"
s=$(awk '{c[$2]++} END {print c["present"]+0, c["missing"]+0}' "$tmp/cut.crc")
bad=$(join "$tmp/base.crc" "$tmp/cut.crc" | awk '$4 == "present" && $3 != $5' | wc -l)
p=${s% *} m=${s#* }
if grep -q "flattened stream ends" "$tmp/err" && [ "$p" -gt 10 ] && [ "$m" -gt 10 ] && [ "$bad" = 0 ]; then
	ok "cut flattened stream on stdin: $p pages rebuilt and right, $m missing, warned"
else
	fail "cut flattened stream: '$s', $bad wrong pages: $(head -c 200 "$tmp/err")"
fi

# 7. damaged flattened headers are named errors
"$G/mkflat" --type 2 "$tmp/base.elf" "$tmp/bad.flat"
if ! "$G/pageread" --all "$tmp/bad.flat" >/dev/null 2>"$tmp/err" && grep -q "type 2" "$tmp/err"; then
	ok "flattened type 2: refused, named"
else
	fail "flattened type 2: $(cat "$tmp/err")"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
