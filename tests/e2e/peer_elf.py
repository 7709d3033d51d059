#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Our ELF and flattened readers against libkdumpfile's peer corpus.

usage: peer_elf.py PAGEREAD PEERDIR TMPDIR

For every ELF file (elf-*, early-*, multixlat-*, extra-elf-*), the empty file,
the flattened diskdumps (diskdump-flat-*) and the flattened/mixed split sets of
PEERDIR/manifest.json:
  - libkdumpfile refused it: we refuse it too;
  - libkdumpfile read it: we open it, and every sampled page has the same
    sha256 as libkdumpfile's bytes (pageread --raw --pfn N);
  - negative probes libkdumpfile answered with "no data" are no data for us
    either (not present, not zero);
  - deliberate differences, each named below: where libkdumpfile is lenient
    about damage (data past the end of a truncated file read as zeros, a
    program header table cut off, a Xen xc_core file opened with no pages)
    we report a missing page or refuse with a named error.
One "ok"/"FAIL" line per file or set; the caller adds up.
Uses only the standard library.
"""
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys

PREFIXES = ('elf-', 'early-', 'multixlat-', 'extra-elf-', 'diskdump-flat-', 'zero-size')
SETS = ('diskdump-split-flat', 'diskdump-split-mixed')

# Files where we differ from libkdumpfile on purpose: expected outcome + reason.
DIFFERENCES = {
    'extra-elf-trunc-load.dump': ('missing', 'libkdumpfile pads the cut-off half page with zeros; we say missing'),
    'extra-elf-trunc-phdr.dump': ('refuse:program header table',
                                  'program headers beyond the end of the file: refused, not opened empty'),
    'elf-xen_prstatus.dump': ('refuse:not supported', 'Xen xc_core ELF: refused with a named error'),
}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def states(pageread, tmp, files, pfns):
    """pfn -> state via one `pageread --pfn ...` call."""
    cmd = [pageread, '--tmpdir', tmp]
    for pfn in pfns:
        cmd += ['--pfn', str(pfn)]
    rc, out, err = run(cmd + files)
    if rc != 0:
        return None, err.strip()
    res = {}
    for line in out.decode().splitlines():
        parts = line.split()
        if len(parts) == 3:
            res[int(parts[0])] = parts[1]
    return res, ''


def check(pageread, tmp, name, entry, files):
    """Returns (ok, message)."""
    expect = DIFFERENCES.get(name)
    refused_by_peer = not entry.get('open_ok')
    rc, _, err = run([pageread, '--tmpdir', tmp] + files)   # open only, no pages
    if rc == 3:
        if refused_by_peer:
            return True, 'refused, as libkdumpfile (%s)' % err.strip().replace('pageread: ', '')[:100]
        if expect and expect[0].startswith('refuse:') and expect[0][7:] in err:
            return True, 'refused on purpose: %s (%s)' % (expect[1], err.strip()[:120])
        return False, 'we refuse what libkdumpfile reads: %s' % err.strip()[:200]
    if rc != 0:
        return False, 'pageread exit %d: %s' % (rc, err.strip()[:200])
    if refused_by_peer:
        return False, 'libkdumpfile refused it (%s), we opened it' % entry.get('open_status')
    if expect and expect[0].startswith('refuse:'):
        return False, 'expected a refusal (%s)' % expect[1]

    pages = entry.get('pages') or []
    probes = entry.get('negative_probes') or []
    st, err = states(pageread, tmp, files, [p['pfn'] for p in pages] + [p['pfn'] for p in probes])
    if st is None:
        return False, 'pageread --pfn failed: %s' % err[:200]
    compared = 0
    for p in pages:
        pfn = p['pfn']
        if p.get('machphys_status') != 'OK':
            continue
        if expect and expect[0] == 'missing':
            if st.get(pfn) != 'missing':
                return False, 'pfn %d: %s, expected missing (%s)' % (pfn, st.get(pfn), expect[1])
            continue
        rc, data, err = run([pageread, '--tmpdir', tmp, '--raw', '--pfn', str(pfn)] + files)
        if rc != 0:
            return False, 'pfn %d: libkdumpfile reads it, we say %s: %s' % (pfn, st.get(pfn), err.strip()[:160])
        if hashlib.sha256(data).hexdigest() != p['sha256']:
            return False, 'pfn %d: %d bytes, sha256 differs from libkdumpfile (%d bytes)' % (
                pfn, len(data), p.get('bytes_read', 0))
        compared += 1
    lenient = 0
    for p in probes:
        peer = p['MACHPHYSADDR']['status']
        ours = st.get(p['pfn'], 'not-listed')
        if peer == 'OK':
            lenient += 1    # libkdumpfile reads holes/past-max as zeros; any named state is fine
            continue
        if ours in ('present', 'zero'):
            return False, 'pfn %d (%s): libkdumpfile says %s, we read it as %s' % (
                p['pfn'], p['kind'], p['MACHPHYSADDR'].get('error'), ours)
    msg = '%d pages identical, %d no-data probes agree' % (compared, len(probes) - lenient)
    if lenient:
        msg += ', %d probes libkdumpfile reads as zeros (holes) not compared' % lenient
    if expect:
        msg += '; on purpose: ' + expect[1]
    return True, msg


def main():
    pageread, peer, tmp = sys.argv[1:4]
    manifest = json.load(open(os.path.join(peer, 'manifest.json')))
    files_dir = os.path.join(peer, 'files')
    failed = 0
    done = 0
    for entry in manifest['files']:
        name = entry['file']
        if not name.startswith(PREFIXES) or name.startswith('diskdump-split'):
            continue
        stored = os.path.join(peer, entry.get('stored_as', 'files/' + name))
        path = stored
        if stored.endswith('.gz'):
            path = os.path.join(tmp, name)
            with gzip.open(stored, 'rb') as src, open(path, 'wb') as dst:
                shutil.copyfileobj(src, dst)
        ok, msg = check(pageread, tmp, name, entry, [path])
        print('%s %s: %s' % ('ok  ' if ok else 'FAIL', name, msg))
        failed += not ok
        done += 1
    for s in manifest.get('sets', []):
        if s['set'] not in SETS:
            continue
        ok, msg = check(pageread, tmp, s['set'], s, [os.path.join(files_dir, f) for f in s['files']])
        print('%s %s (set of %d): %s' % ('ok  ' if ok else 'FAIL', s['set'], len(s['files']), msg))
        failed += not ok
        done += 1
    print('%d passed, %d failed' % (done - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
