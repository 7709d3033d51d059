#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Symbols and types from the dumps alone, on every fixture and format:
#  - the dump's kallsyms (no vmlinux, no System.map): every symbol is in the
#    kernel's System.map once shifted by KERNELOFFSET;
#  - the BTF read from dump memory is byte-identical to the kernel's .btf file
#    (arm64: found by scanning the image, its kallsyms has no data symbols);
#  - modules' kallsyms: crash's backtrace addresses resolve to crash's names,
#    "fn+0xoff [vxlan]" included;
#  - typed reads (bitfields too) of the primary sk_buff equal truth.json;
#  - System.map with -m gives the same addresses as kallsyms.
# Skips cleanly without fixtures.
set -u
. "$(dirname "$0")/lib.sh"
SYMDUMP=$BUILD/tests/gen/symdump
CMP="python3 $top/tests/e2e/symbols_cmp.py"

e2e_need symbols
e2e_tmp symbols

found=0
for dir in "$FX"/*/; do
	scen=$(basename "$dir")
	[ -f "$dir/truth.json" ] || continue
	# the kernel's files: the kernel-<release>/ folder the dump's OSRELEASE names
	first_dump=$(ls "$dir"/vmcore* 2>/dev/null | grep -v '\.zst$' | head -n 1)
	[ -n "$first_dump" ] || first_dump=$(fx_unzst "$(ls "$dir"/vmcore*.zst | head -n 1)")
	kdir=$(fx_kernel_dir "$first_dump")
	case $first_dump in "$tmp"/*) rm -f "$first_dump" ;; esac
	smap= btf=
	if [ -n "$kdir" ]; then
		smap=$(fx_kernel_file "$kdir" System.map- "")
		btf=$(fx_kernel_file "$kdir" vmlinux- .btf)
	fi
	if [ -z "$smap" ] || [ -z "$btf" ]; then
		skip "$scen: no kernel-<release>/ System.map and .btf for its dump"
		continue
	fi
	case $(basename "$kdir") in *-arm64) arch=arm64 ;; *) arch=amd64 ;; esac
	found=1
	first=1
	for f in "$dir"/vmcore*; do
		[ -f "$f" ] || continue
		name=$(basename "$f")
		case $name in
		*.zst)
			d=$(fx_unzst "$f") || { fail "$scen/$name: zstd -d: $(head -c 300 "$tmp/unzst.err")"; continue; }
			;;
		*) d=$f ;;
		esac
		out=$tmp/$scen-$name.syms
		mods=--modules
		# Kernels whose VMCOREINFO has no kallsyms (before 6.0, and enterprise kernels)
		# are analysed with their System.map (-m): symbols come from it, the rest
		# (BTF, modules, typed reads) from dump memory as usual.
		kall=1 mapopt=
		if ! "$SYMDUMP" --no-symbols --lookup _stext "$d" >/dev/null 2>&1; then
			kall=0 mapopt="-m $smap"
		fi
		# crash's bt addresses, for the module and vmlinux resolution check
		res=
		if [ -f "$dir/crash-check.txt" ]; then
			res=$(sed -nE 's/^ *#[0-9]+ \[[0-9a-f]+\] [^ ]+ at ([0-9a-f]+).*/--resolve \1/p' "$dir/crash-check.txt" | sort -u | tr '\n' ' ')
		fi
		skb=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['primary_skb'])" "$dir/truth.json")
		reads=
		for fld in len data_len truesize mac_len encapsulation; do
			reads="$reads --read-field $skb:sk_buff.$fld"
		done
		# shellcheck disable=SC2086
		if ! "$SYMDUMP" $mapopt $mods --btf-out "$out.btf" $res $reads "$d" >"$out" 2>"$out.err"; then
			fail "$scen/$name: symdump: $(grep -v warning "$out.err" | head -c 400)"
			[ "$d" != "$f" ] && rm -f "$d"
			continue
		fi
		kaslr=$(sed -n 's/^symdump: kaslr 0x//p' "$out.err")
		src=$(sed -n 's/^symdump: source: //p' "$out.err")
		if [ $kall = 0 ]; then
			skip "$scen/$name: VMCOREINFO has no kallsyms: symbols from System.map ($src)"
		elif msg=$($CMP syms "$out" "$smap" "$kaslr"); then
			ok "$scen/$name: $msg ($src)"
		else
			fail "$scen/$name: $msg"
		fi
		if cmp -s "$out.btf" "$btf"; then
			ok "$scen/$name: BTF from dump memory ($(wc -c <"$out.btf") bytes) is identical to $(basename "$btf")"
		else
			fail "$scen/$name: BTF from dump memory differs from $(basename "$btf"): $(grep 'types:' "$out.err")"
		fi
		if msg=$($CMP truth "$out" "$dir/truth.json"); then
			ok "$scen/$name: $msg"
		else
			fail "$scen/$name: $msg"
		fi
		if [ -n "$res" ]; then
			if msg=$($CMP bt "$out" "$dir/crash-check.txt" "$smap"); then
				ok "$scen/$name: $msg"
			else
				fail "$scen/$name: $msg"
			fi
		fi
		if [ $first = 1 ] && [ $kall = 1 ]; then
			first=0
			# System.map (-m, shifted by KERNELOFFSET) and kallsyms agree on addresses.
			names="--lookup _stext --lookup panic --lookup __start_BTF --lookup init_task --lookup __per_cpu_offset"
			# shellcheck disable=SC2086
			"$SYMDUMP" --no-symbols $names "$d" >"$out.k" 2>/dev/null
			# shellcheck disable=SC2086
			"$SYMDUMP" --no-symbols -m "$smap" $names "$d" >"$out.m" 2>"$out.merr"
			if [ -s "$out.m" ] && ! grep -q '?' "$out.m" && grep -q 'source: System.map' "$out.merr"; then
				# kallsyms without KALLSYMS_ALL (arm64) lacks the data symbols: compare the ones it has
				if awk 'NR==FNR { if ($2 != "?") k[$1] = $2; next } ($1 in k) && k[$1] != $2 { bad++ } END { exit bad > 0 }' "$out.k" "$out.m"; then
					ok "$scen/$name: System.map with KASLR shift agrees with kallsyms ($(grep -vc '?' "$out.k") names)"
				else
					fail "$scen/$name: System.map and kallsyms disagree: $(paste "$out.k" "$out.m" | tr '\n' ';')"
				fi
			else
				fail "$scen/$name: -m System.map lookups: $(cat "$out.m" "$out.merr" | head -c 400)"
			fi
			# Module symbols: the same whether the list head comes from System.map or from
			# kallsyms (arm64: found by scanning module memory, no data symbols there).
			"$SYMDUMP" --modules -m "$smap" "$d" 2>/dev/null | grep ' \[' | sort >"$out.mm"
			grep ' \[' "$out" | grep -v '+0x' | sort >"$out.mk"
			if [ -s "$out.mm" ] && cmp -s "$out.mm" "$out.mk"; then
				ok "$scen/$name: $(wc -l <"$out.mk") module symbols, the same with -m System.map ($(sed -n 's/.*module kallsyms (\([^)]*\)).*/\1/p' "$out.err"))"
			else
				fail "$scen/$name: module symbols differ: kallsyms $(wc -l <"$out.mk"), System.map $(wc -l <"$out.mm")"
			fi
		fi
		if [ $arch = amd64 ] && [ "$name" = vmcore.kdump-zstd ]; then
			# vxlan's split BTF, from the BPF core's btf_modules copy (btf_data is NULL once live)
			if "$SYMDUMP" --no-symbols --module-btf vxlan --field vxlan_dev.cfg --field sk_buff.head "$d" >"$out.mb" 2>"$out.mberr" &&
			   ! grep -q '?' "$out.mb" && [ "$(wc -l <"$out.mb")" -eq 2 ]; then
				ok "$scen/$name: module BTF: $(sed -n 's/^symdump: module types: //p' "$out.mberr"): $(head -n 1 "$out.mb")"
			else
				fail "$scen/$name: module BTF: $(cat "$out.mb" "$out.mberr" | head -c 400)"
			fi
		fi
		[ "$d" != "$f" ] && rm -f "$d"
	done
done
[ $found = 1 ] || skip "symbols: no scenario with kernel files"
finish
