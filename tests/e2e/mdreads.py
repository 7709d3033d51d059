#!/usr/bin/env python3
"""mdreads.py KDUMP STRACE_LOG: the pfns a program read from a kdump-compressed
file, one hex pfn a line, from an `strace -f -e trace=openat,read,pread64,lseek`
log of it.  makedumpfile reads a page by reading its 24-byte page descriptor
(lseek + read, or pread) and then the data: descriptor i belongs to the i-th
pfn set in the 2nd (dumpable) bitmap.  tests/e2e/minicore.sh compares these
with the pfns kept in mini.core."""
import re, struct, sys
if len(sys.argv) != 3:
    sys.exit(__doc__)
path, log = sys.argv[1], sys.argv[2]
with open(path, 'rb') as f:
    h = f.read(4096)
    if h[:8] != b'KDUMP   ':
        sys.exit('%s: not a kdump-compressed file' % path)
    # disk_dump_header: block_size, sub_hdr_size, bitmap_blocks at 428 (little-endian dumps)
    bs, sub, bmb = struct.unpack_from('<iiI', h, 428)
    f.seek(bs * (1 + sub))
    bm = f.read(bmb * bs)
half = len(bm) // 2
bm2 = bm[half:]
desc0 = bs * (1 + sub + bmb)
dumpable = [p for p in range(half * 8) if bm2[p >> 3] >> (p & 7) & 1]
fds, pos, pfns = set(), {}, set()
for line in open(log):
    m = re.search(r'openat\(AT_FDCWD, "([^"]+)".*= (\d+)', line)
    if m:
        fd = int(m.group(2))
        (fds.add if m.group(1).endswith(path.split('/')[-1]) else fds.discard)(fd)
        continue
    m = re.search(r'lseek\((\d+), (\d+), SEEK_SET\)', line)
    if m and int(m.group(1)) in fds:
        pos[int(m.group(1))] = int(m.group(2)); continue
    m = re.search(r'pread64\((\d+), .*, (\d+), (\d+)\) = (\d+)', line)
    if m and int(m.group(1)) in fds:
        off, n = int(m.group(3)), int(m.group(4))
    else:
        m = re.search(r'^\d+\s+read\((\d+), .*, (\d+)\) = (\d+)', line)
        if not m or int(m.group(1)) not in fds:
            continue
        fd = int(m.group(1)); off = pos.get(fd, 0); n = int(m.group(3)); pos[fd] = off + n
    if n == 24 and off >= desc0 and (off - desc0) % 24 == 0:
        i = (off - desc0) // 24
        if i < len(dumpable):
            pfns.add(dumpable[i])
for p in sorted(pfns):
    print('%x' % p)
