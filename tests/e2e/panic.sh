#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# --backtrace and --dump-dmesg on every fixture dump, with no vmlinux and no
# System.map: the panic CPU, pid, comm, task and stack kind must equal
# truth.json, the backtrace must hold the call trace console.log shows, and
# the log must end with the panic message.
set -u
. "$(dirname "$0")/lib.sh"
PY=$(command -v python3 || echo /usr/bin/python3)
check="$top/tests/e2e/panic_check.py"

# exit 0 (clean) or 1 (results with warnings) both carry a full result
run() {
	"$@"
	rc=$?
	[ $rc -le 1 ]
}

# lib.sh's fail, plus an optional file shown indented under the line
fail() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2"; failed=$((failed + 1)); }

e2e_tmp panic

# scenario: dump files (a .zst is decompressed once into $tmp)
cases="tx-vxlan-tcp:vmcore.elf.zst,vmcore.kdump-zlib,vmcore.kdump-lzo,vmcore.kdump-snappy,vmcore.kdump-zstd
seed-gso-mismatch:vmcore.flat,vmcore-d31.elf.zst
arm64-tx-vxlan-tcp:vmcore.kdump-lzo,vmcore-d31.elf.zst
k72-seed-gso-mismatch:vmcore.flat"

for c in $cases; do
	scen=${c%%:*}
	dir="$FX/$scen"
	if [ ! -f "$dir/truth.json" ] || [ ! -f "$dir/console.log" ]; then
		skip "panic $scen: fixtures absent ($dir)"
		continue
	fi
	for f in $(echo "${c#*:}" | tr ',' ' '); do
		name="$scen/$f"
		src="$dir/$f"
		if [ ! -f "$src" ]; then
			skip "panic $name: file absent"
			continue
		fi
		case $f in
		*.zst)
			if ! dump=$(fx_unzst "$src"); then
				fail "panic $name: zstd -d" "$tmp/unzst.err"
				continue
			fi
			;;
		*) dump=$src ;;
		esac
		: >"$tmp/out"
		if run "$SKBFILTER" --backtrace --json "$dump" >"$tmp/bt.json" 2>"$tmp/err" &&
		   "$PY" "$check" bt "$dir" "$tmp/bt.json" >"$tmp/out" 2>&1; then
			ok "panic $name: --backtrace: panic CPU, task and call trace as truth.json/console.log"
		else
			cat "$tmp/err" >>"$tmp/out"
			fail "panic $name: --backtrace" "$tmp/out"
		fi
		: >"$tmp/out"
		if run "$SKBFILTER" --dump-dmesg "$dump" >"$tmp/dmesg.txt" 2>"$tmp/err" &&
		   "$PY" "$check" dmesg "$dir" "$tmp/dmesg.txt" >"$tmp/out" 2>&1; then
			ok "panic $name: --dump-dmesg ends with the panic message"
		else
			cat "$tmp/err" >>"$tmp/out"
			fail "panic $name: --dump-dmesg" "$tmp/out"
		fi
		case $f in *.zst) rm -f "$dump" ;; esac
	done
done

# --all-cpus: one entry per CPU note, the panic CPU among them, each with its
# task, frames and its IRQ stack (which needs the CPU's per-CPU data: on the
# arm64 kernel, without per-CPU symbols, found through the runqueue)
for dump in "$FX/tx-vxlan-tcp/vmcore.kdump-zstd" "$FX/arm64-tx-vxlan-tcp/vmcore.kdump-lzo"; do
	name=$(basename "$(dirname "$dump")")/$(basename "$dump")
	if [ ! -f "$dump" ]; then
		skip "panic --all-cpus $name: fixture absent"
		continue
	fi
	: >"$tmp/out"
	if run "$SKBFILTER" --backtrace --json --all-cpus "$dump" >"$tmp/all.json" 2>"$tmp/err" &&
	   "$PY" - "$tmp/all.json" >"$tmp/out" 2>&1 <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
cpus = d.get('cpus') or []
assert len(cpus) >= 2, 'cpus: %d entries' % len(cpus)
assert len({c['cpu'] for c in cpus}) == len(cpus), 'duplicate CPUs'
assert d['panic']['cpu'] in [c['cpu'] for c in cpus], 'panic CPU not in cpus'
for c in cpus:
    assert c['frames'], 'CPU %d: no frames' % c['cpu']
    assert c['task'], 'CPU %d: no task' % c['cpu']
    assert c['stack'] == 'task', 'CPU %d: sp on the %s stack' % (c['cpu'], c['stack'])
    kinds = [s['kind'] for s in c['stacks']]
    assert 'irq' in kinds, 'CPU %d: no IRQ stack (%s)' % (c['cpu'], kinds)
PYEOF
	then
		ok "panic --all-cpus $name: every CPU with task, frames and IRQ stack"
	else
		cat "$tmp/err" >>"$tmp/out"
		fail "panic --all-cpus $name" "$tmp/out"
	fi
done

finish
