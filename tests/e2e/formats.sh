#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Cross-format equivalence on the real fixtures: for every scenario with a raw
# or -E ELF dump, each other variant of the same crash (kdump zlib/lzo/snappy/
# zstd, flattened, -E ELF) must give byte-identical pages wherever both have
# them (pageread --all crc lists), and keep no page the ELF lacks.  The
# flattened dump must read the same from a file and from standard input.
# Where the raw ELF is there, makedumpfile makes a flattened and an -E variant
# at test time.  Skips cleanly without fixtures.
set -u
. "$(dirname "$0")/lib.sh"
PAGEREAD=$BUILD/tests/gen/pageread
CMP="python3 $top/tests/e2e/formats_cmp.py"
record() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

e2e_need formats
e2e_tmp formats

# crc list of a dump; a failure to open is a failure of the test
crcs() { # out file...
	out=$1; shift
	if ! "$PAGEREAD" --tmpdir "$tmp" --all "$@" >"$out" 2>"$out.err"; then
		fail "pageread --all $*: $(head -c 300 "$out.err")"
		return 1
	fi
	if grep -q ' missing ' "$out"; then
		fail "pageread --all $*: $(grep -c ' missing ' "$out") missing pages"
		return 1
	fi
	return 0
}

found=0
for dir in "$FX"/*/; do
	scen=$(basename "$dir")
	ref=
	for e in vmcore.elf.zst vmcore.elf vmcore-d31.elf.zst vmcore-d31.elf; do
		[ -f "$dir/$e" ] && { ref=$e; break; }
	done
	[ -n "$ref" ] || continue
	found=1
	sd=$tmp/$scen
	mkdir -p "$sd"
	case $ref in
	*.zst) zstd -q -d --long=31 "$dir/$ref" -o "$sd/ref.elf" || { fail "$scen: cannot decompress $ref"; continue; } ;;
	*) ln -s "$dir/$ref" "$sd/ref.elf" ;;
	esac
	crcs "$sd/ref.crc" "$sd/ref.elf" || continue
	raw=no
	case $ref in vmcore.elf*) raw=yes ;; esac

	for v in "$dir"/vmcore*; do
		name=$(basename "$v")
		[ "$name" = "$ref" ] && continue
		case $name in
		*.zst)
			zstd -q -d --long=31 "$v" -o "$sd/$name.dec" || { fail "$scen/$name: cannot decompress"; continue; }
			v=$sd/$name.dec ;;
		esac
		crcs "$sd/$name.crc" "$v" || continue
		record $CMP "$sd/ref.crc" "$sd/$name.crc" "$scen: $name vs $ref"
		if head -c 12 "$v" | grep -q makedumpfile; then
			# the flattened stream from standard input gives the same answer
			if cat "$v" | "$PAGEREAD" --tmpdir "$tmp" --all - >"$sd/$name.stdin.crc" 2>/dev/null &&
			   cmp -s "$sd/$name.crc" "$sd/$name.stdin.crc"; then
				ok "$scen: $name from standard input = from the file"
			else
				fail "$scen: $name from standard input differs from the file"
			fi
		fi
	done

	# Variants made now from the raw ELF with Debian's makedumpfile (zlib/lzo only).
	if [ $raw = yes ]; then
		if ! command -v makedumpfile >/dev/null 2>&1; then
			skip "$scen: makedumpfile not installed"
			continue
		fi
		if makedumpfile -F -c -d 31 "$sd/ref.elf" >"$sd/made.flat" 2>"$sd/made.flat.log"; then
			if crcs "$sd/made.flat.crc" "$sd/made.flat"; then
				record $CMP "$sd/ref.crc" "$sd/made.flat.crc" "$scen: makedumpfile -F -c -d 31 vs $ref"
				if cat "$sd/made.flat" | "$PAGEREAD" --tmpdir "$tmp" --all - >"$sd/made.stdin.crc" 2>/dev/null &&
				   cmp -s "$sd/made.flat.crc" "$sd/made.stdin.crc"; then
					ok "$scen: made flattened from standard input = from the file"
				else
					fail "$scen: made flattened from standard input differs from the file"
				fi
			fi
		else
			fail "$scen: makedumpfile -F failed: $(tail -n 2 "$sd/made.flat.log")"
		fi
		rm -f "$sd/made.flat"
		if makedumpfile -E -d 31 "$sd/ref.elf" "$sd/made-E.elf" >"$sd/made-E.log" 2>&1; then
			if crcs "$sd/made-E.crc" "$sd/made-E.elf"; then
				record $CMP "$sd/ref.crc" "$sd/made-E.crc" "$scen: makedumpfile -E -d 31 vs $ref"
				# the -E ELF keeps at least what the kdump -d 31 keeps
				[ -f "$sd/made.flat.crc" ] &&
					record $CMP "$sd/made-E.crc" "$sd/made.flat.crc" "$scen: makedumpfile -F -d 31 vs -E -d 31"
			fi
		else
			fail "$scen: makedumpfile -E failed: $(tail -n 2 "$sd/made-E.log")"
		fi
		rm -f "$sd/made-E.elf"
		# the same raw ELF through a flattened stream of our own (shuffled, overwritten records), on stdin
		if "$BUILD/tests/gen/mkflat" --chunk 65536 --shuffle 7 --overwrite 50 "$sd/ref.elf" - 2>/dev/null |
		   "$PAGEREAD" --tmpdir "$tmp" --all - >"$sd/mkflat.crc" 2>/dev/null && cmp -s "$sd/ref.crc" "$sd/mkflat.crc"; then
			ok "$scen: $ref through a shuffled, overwritten flattened stream on stdin reads the same"
		else
			fail "$scen: $ref through mkflat on stdin differs"
		fi
	fi
	rm -rf "$sd"
done
[ $found = 1 ] || skip "formats: no scenario with an ELF dump in $FX"
finish
