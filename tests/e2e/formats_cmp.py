#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Compares two `pageread --all` listings ("pfn state crc32") of the same crash.

usage: formats_cmp.py REF.crc OTHER.crc LABEL [--superset]

REF is an ELF dump of the crash (raw /proc/vmcore or makedumpfile -E), OTHER
another variant (kdump-compressed, flattened, -E).  Checks:
  - every pfn present (or zero) in both has the same crc32;
  - every pfn OTHER has present is present in REF (REF keeps at least what a
    filtered variant keeps: a raw ELF keeps everything, -E -d N keeps what the
    kdump -d N keeps plus short excluded runs);
  - a pfn OTHER stores as the zero page reads as zeros in REF wherever REF has it;
  - the overlap is not trivially small.
With --superset the second check runs the other way too (OTHER must have every
page REF has: for two raw variants of one file).
Prints one "ok"/"FAIL" line and exits 0/1.
"""
import sys


def load(path):
    pages = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            pages[int(parts[0])] = (parts[1], parts[2])
    return pages


def main():
    ref_path, other_path, label = sys.argv[1:4]
    both_ways = '--superset' in sys.argv[4:]
    ref, other = load(ref_path), load(other_path)
    have = ('present', 'zero')
    problems = []
    common = 0
    for pfn, (st, crc) in other.items():
        rst, rcrc = ref.get(pfn, ('not-listed', '-'))
        if st in have and rst in have:
            common += 1
            if crc != rcrc:
                problems.append('pfn %d: crc %s (%s) vs %s (%s) in the reference' % (pfn, crc, st, rcrc, rst))
        elif st == 'present' and rst not in have:
            problems.append('pfn %d: present here but %s in the reference' % (pfn, rst))
        elif st == 'missing':
            problems.append('pfn %d: missing' % pfn)
    if both_ways:
        for pfn, (rst, _) in ref.items():
            if rst in have and other.get(pfn, ('not-listed',))[0] not in have:
                problems.append('pfn %d: in the reference but %s here' % (pfn, other.get(pfn, ('not-listed',))[0]))
    if common < 1000:
        problems.append('only %d pages in common' % common)
    if problems:
        print('FAIL %s: %d problems, first: %s' % (label, len(problems), '; '.join(problems[:3])))
        return 1
    print('ok   %s: %d pages compared, identical' % (label, common))
    return 0


if __name__ == '__main__':
    sys.exit(main())
