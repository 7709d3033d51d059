#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Checks skbfilter --backtrace --json / --dump-dmesg output against a fixture.

  panic_check.py bt SCENARIO_DIR BACKTRACE_JSON   panic CPU, pid, comm, task, stack
                                                  kind vs truth.json; frames vs the
                                                  panic's call trace in console.log
  panic_check.py dmesg SCENARIO_DIR DMESG_TXT     the panic line of console.log is
                                                  among the last lines of the log

Prints one line per failed check to stdout and exits 1 if any failed.
Nothing here is fixture-specific: every expectation is read from the
scenario's truth.json and console.log.
"""
import json
import os
import re
import sys

FRAME_RE = re.compile(r'^\[\s*[0-9.]+\]\s+(\? )?([A-Za-z0-9_.$]+)\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[(\w+)\])?\s*$')
MARKER_RE = re.compile(r'^\[\s*[0-9.]+\]\s+</?(IRQ|TASK|NMI|SOFTIRQ|EOI)>\s*$')
PANIC_RE = re.compile(r'Kernel panic - not syncing: (.*)$')


def console_panic(path):
    """(panic line, [(name, module)] of the call trace printed by panic())."""
    with open(path, errors='replace') as f:
        lines = f.read().splitlines()
    start = None
    for i, l in enumerate(lines):
        if PANIC_RE.search(l):
            start = i
            break
    if start is None:
        return None, []
    panic_line = PANIC_RE.search(lines[start]).group(0)
    frames, in_trace = [], False
    for l in lines[start + 1:]:
        if not in_trace:
            if re.search(r'Call [Tt]race:', l):
                in_trace = True
            continue
        if MARKER_RE.match(l):
            continue
        m = FRAME_RE.match(l)
        if not m:
            break
        if m.group(1):          # "? fn": a scan guess of the kernel's own unwinder
            continue
        frames.append((m.group(2), m.group(3)))
    # frames above panic() had returned when the registers were saved
    names = [n for n, _ in frames]
    if 'panic' in names:
        frames = frames[names.index('panic'):]
    return panic_line, frames


def split_symbol(sym):
    m = re.match(r'^([^+\s]+)\+0x[0-9a-f]+(?: \[(\w+)\])?$', sym or '')
    return (m.group(1), m.group(2)) if m else (None, None)


def check_bt(scen, path):
    errors = []
    truth = json.load(open(os.path.join(scen, 'truth.json')))['panic']
    doc = json.load(open(path))
    p = doc.get('panic') or {}
    for key in ('cpu', 'pid', 'comm', 'task'):
        if p.get(key) != truth.get(key):
            errors.append('panic.%s: got %r, truth.json has %r' % (key, p.get(key), truth.get(key)))
    want_stack = 'irq' if truth.get('on_irq_stack') else 'task'
    if p.get('stack') != want_stack:
        errors.append('panic.stack: got %r, expected %r (truth on_irq_stack=%r)'
                      % (p.get('stack'), want_stack, truth.get('on_irq_stack')))
    for f in p.get('frames', []):
        for k in ('slot', 'addr'):
            if not re.match(r'^[0-9a-f]{16}$', str(f.get(k))):
                errors.append('frame %s %r is not a 16-digit hex string' % (k, f.get(k)))
    _, want = console_panic(os.path.join(scen, 'console.log'))
    if len(want) < 5:
        errors.append('console.log: fewer than 5 frames in the panic call trace (%d)' % len(want))
    have = [(split_symbol(f.get('symbol')), f.get('reliable')) for f in p.get('frames', [])]
    # console frames must appear in order (a subsequence) with the same module
    j = 0
    for name, mod in want:
        while j < len(have) and have[j][0] != (name, mod):
            j += 1
        if j == len(have):
            errors.append('frame %s%s of console.log call trace not found (in order) in the backtrace'
                          % (name, ' [%s]' % mod if mod else ''))
            break
        # only the resync onto panic() after kdump's __crash_kexec may be a guess
        if not have[j][1] and name != 'panic':
            errors.append('frame %s found but not marked reliable' % name)
        j += 1
    if not any(mod == 'skbtruth' for _, mod in want):
        errors.append('console.log: no frame of module skbtruth (the hook) in the call trace')
    return errors


def check_dmesg(scen, path, last=80):
    errors = []
    panic_line, _ = console_panic(os.path.join(scen, 'console.log'))
    if not panic_line:
        return ['console.log has no "Kernel panic - not syncing" line']
    with open(path, errors='replace') as f:
        lines = f.read().splitlines()
    if not lines:
        return ['empty log']
    if not all(re.match(r'^\[\s*[0-9]+\.[0-9]{6}\] ', l) or l.startswith(' ') for l in lines):
        errors.append('lines without a "[    s.uuuuuu] " prefix')
    if not any(panic_line in l for l in lines[-last:]):
        errors.append('"%s" not among the last %d lines' % (panic_line, last))
    return errors


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('bt', 'dmesg'):
        print(__doc__)
        return 2
    errs = check_bt(sys.argv[2], sys.argv[3]) if sys.argv[1] == 'bt' else check_dmesg(sys.argv[2], sys.argv[3])
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main())
