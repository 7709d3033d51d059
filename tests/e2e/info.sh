#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# skbfilter --info [--json] on generated dumps (mkelf/mkflat) and, when
# present, on the fixtures against their truth.json.
set -u
. "$(dirname "$0")/lib.sh"
MKELF=$BUILD/tests/gen/mkelf
MKFLAT=$BUILD/tests/gen/mkflat
e2e_tmp info

# check NAME EXPECTED_EXIT JSONFILE PYTHON-ASSERTIONS (j is the parsed document)
check() {
	name=$1 want=$2 rc=$3 json=$4 code=$5
	if [ "$rc" != "$want" ]; then
		echo "FAIL $name: exit $rc, expected $want: $(head -c 300 "$tmp/err")"
		failed=$((failed + 1))
		return
	fi
	if out=$(python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
$code
" "$json" 2>&1); then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name: $(echo "$out" | tail -n 2)"
		failed=$((failed + 1))
	fi
}

spec='machine x86_64
vmcoreinfo OSRELEASE=6.1.0-test\nBUILD-ID=0123abcd\nPAGESIZE=4096\nCRASHTIME=1700000000\n
prstatus pid=411 ip=0xffffffffadf741ba sp=0xffffd4844051b2a0
prstatus pid=0 ip=0xffffffffae8592eb sp=0xffffd4844009bed8
eraseinfo erase jiffies_64 size 8\n
load paddr=0x1000000 vaddr=0xffffffff81000000 memsz=0x100000
load paddr=0x100000 vaddr=0xffff888000100000 memsz=0x1000000 filesz=0x800000
load paddr=0x2000000 memsz=0x10000'
"$MKELF" -e "$spec" "$tmp/a.elf" || { echo "FAIL mkelf"; exit 1; }

"$SKBFILTER" --info --json "$tmp/a.elf" >"$tmp/a.json" 2>"$tmp/err"
check "generated ELF: --info --json fields" 0 $? "$tmp/a.json" '
assert j["format"] == "elf" and j["flattened"] is False and j["stdin"] is False, j["format"]
assert j["codecs"] == "none" and j["header_version"] == 0 and j["page_size"] == 4096
assert j["arch"] == "x86_64" and j["e_machine"] == 62 and j["big_endian"] is False
assert j["kernel_release"] == "6.1.0-test" and j["build_id"] == "0123abcd"
assert j["crash_time"] == 1700000000 and j["crash_time_utc"] == "2023-11-14T22:13:20Z", j["crash_time_utc"]
assert j["vmcoreinfo"] is True and j["eraseinfo"] is True
assert j["cpus"] == [{"cpu": 0, "pid": 411, "sp": "ffffd4844051b2a0", "ip": "ffffffffadf741ba"},
                     {"cpu": 1, "pid": 0, "sp": "ffffd4844009bed8", "ip": "ffffffffae8592eb"}], j["cpus"]
assert j["max_pfn"] == 0x2010, j["max_pfn"]
# the kernel-text segment supplies data for 0x100 pages of the direct-map segment excluded tail
assert j["pages"] == {"ram": 0x1000 + 0x10, "dumped": 0x800 + 0x100 + 0x10, "excluded": 0x700, "zero": 0, "missing": 0}, j["pages"]
assert j["files"] == [sys.argv[1].replace(".json", ".elf")] and j["warnings"] == []
'

"$SKBFILTER" --info "$tmp/a.elf" >"$tmp/a.txt" 2>"$tmp/err"
rc=$?
if [ $rc = 0 ] && grep -q '^format: *elf$' "$tmp/a.txt" && grep -q 'cpu 0 *pid 411 *sp ffffd4844051b2a0  ip ffffffffadf741ba' "$tmp/a.txt" &&
   grep -q '2023-11-14T22:13:20Z' "$tmp/a.txt" && grep -q '4112 ram, 2320 dumped, 1792 excluded, 0 zero, 0 missing' "$tmp/a.txt"; then
	echo "ok   generated ELF: --info text"; passed=$((passed + 1))
else
	echo "FAIL generated ELF: --info text (exit $rc)"; sed 's/^/    /' "$tmp/a.txt"; failed=$((failed + 1))
fi

"$MKFLAT" --chunk 3000 --shuffle 1 --overwrite 5 "$tmp/a.elf" "$tmp/a.flat"
cat "$tmp/a.flat" | "$SKBFILTER" --info --json - >"$tmp/b.json" 2>"$tmp/err"
check "flattened ELF on stdin: flattened, stdin, same counts" 0 $? "$tmp/b.json" '
assert j["format"] == "elf" and j["flattened"] is True and j["stdin"] is True
assert j["files"] == ["<stdin>"] and j["pages"]["dumped"] == 0x910 and j["cpus"][0]["pid"] == 411
'

"$MKELF" -e "$spec
truncate 0x400000" "$tmp/t.elf"
"$SKBFILTER" --info --json "$tmp/t.elf" >"$tmp/t.json" 2>"$tmp/err"
check "truncated ELF: partial result (exit 1), missing pages, warning" 1 $? "$tmp/t.json" '
assert j["incomplete"] is True and j["pages"]["missing"] > 0, j["pages"]
assert j["pages"]["dumped"] + j["pages"]["missing"] == 0x910, j["pages"]
assert any("truncated" in w for w in j["warnings"]), j["warnings"]
'

"$MKELF" -e 'machine aarch64
prstatus pid=42 ip=0xffff800008010000 sp=0xffff80000821aee0
load paddr=0x40000000 memsz=0x10000' "$tmp/arm.elf"
"$SKBFILTER" --info --json "$tmp/arm.elf" >"$tmp/arm.json" 2>"$tmp/err"
check "aarch64 ELF without VMCOREINFO: 4K pages with a warning, registers decoded" 1 $? "$tmp/arm.json" '
assert j["arch"] == "arm64" and j["page_size"] == 4096 and j["vmcoreinfo"] is False
assert j["kernel_release"] is None and j["crash_time"] is None
assert j["cpus"] == [{"cpu": 0, "pid": 42, "sp": "ffff80000821aee0", "ip": "ffff800008010000"}], j["cpus"]
assert any("PAGESIZE" in w for w in j["warnings"]), j["warnings"]
'

"$MKELF" -e 'be; machine s390x; vmcoreinfo PAGESIZE=4096\n; note CORE 1 size=200; load paddr=0 memsz=0x2000' "$tmp/s390.elf"
"$SKBFILTER" --info --json "$tmp/s390.elf" >"$tmp/s390.json" 2>"$tmp/err"
check "big-endian s390x: unknown arch named, CPU listed without registers" 1 $? "$tmp/s390.json" '
assert j["arch"] is None and j["e_machine"] == 22 and j["big_endian"] is True
assert j["cpus"] == [{"cpu": 0, "pid": None, "sp": None, "ip": None}], j["cpus"]
assert j["pages"]["dumped"] == 2
'

"$SKBFILTER" --info "$tmp/nonexistent" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 3 ] && grep -q "nonexistent: cannot open" "$tmp/err"; then
	echo "ok   missing file: exit 3, named"; passed=$((passed + 1))
else
	echo "FAIL missing file: exit $rc: $(cat "$tmp/err")"; failed=$((failed + 1))
fi
: >"$tmp/empty"
"$SKBFILTER" --info "$tmp/empty" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 3 ] && grep -q "empty" "$tmp/err"; then
	echo "ok   empty file: exit 3, named"; passed=$((passed + 1))
else
	echo "FAIL empty file: exit $rc: $(cat "$tmp/err")"; failed=$((failed + 1))
fi

# Fixtures: kernel release and the panic CPU's pid from truth.json.
if [ -d "$FX" ]; then
	for dir in "$FX"/*/; do
		[ -f "$dir/truth.json" ] || continue
		scen=$(basename "$dir")
		for v in "$dir"/vmcore.kdump-* "$dir"/vmcore.flat; do
			[ -f "$v" ] || continue
			name=$(basename "$v")
			"$SKBFILTER" --info --json "$v" >"$tmp/fx.json" 2>"$tmp/err"
			check "$scen/$name: --info matches truth.json" 0 $? "$tmp/fx.json" "
t = json.load(open('$dir/truth.json'))
assert j['kernel_release'] == t['kernel_release'], j['kernel_release']
assert j['arch'] == t.get('arch', 'x86_64'), j['arch']
p = t['panic']
assert j['cpus'][p['cpu']]['pid'] == p['pid'], j['cpus']
assert j['page_size'] == 4096 and j['vmcoreinfo'] and j['crash_time'] > 0
assert j['flattened'] == ('$name' == 'vmcore.flat')
assert j['pages']['dumped'] > 1000 and j['pages']['missing'] == 0
"
		done
	done
else
	echo "skip fixtures: none at $FX"
	skipped=$((skipped + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
