#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Give a kdump-compressed dump (makedumpfile, header_version >= 4) the note
area of a QEMU dump, IN PLACE: NOTES (from qemu_elf.py --notes-out, made from
the ELF of the same crash) is appended at the end of the file and the
sub-header's offset_note/size_note point at it.  QEMU's kdump-* output
(dump-guest-memory format kdump-zlib/lzo/snappy) carries the same notes
(NT_PRSTATUS with pr_pid = vCPU number + 1, "QEMU" notes, VMCOREINFO); pipe
the result through mkflat for QEMU's flattened stream.

usage: qemu_kdump.py KDUMP NOTES
"""
import struct
import sys


def main():
    path, notes = sys.argv[1], open(sys.argv[2], 'rb').read()
    f = open(path, 'r+b')
    h = f.read(432)
    if h[:8] != b'KDUMP   ':
        sys.exit('%s: not a kdump-compressed dump' % path)
    version, = struct.unpack_from('<i', h, 8)
    block_size, = struct.unpack_from('<i', h, 428)
    if version < 4 or block_size not in (4096, 8192, 16384, 65536):
        sys.exit('%s: header_version %d / block_size %d not handled' % (path, version, block_size))
    f.seek(0, 2)
    end = f.tell()
    f.write(notes)
    # kdump_sub_header: phys_base, dump_level, split, start_pfn, end_pfn,
    # offset_vmcoreinfo, size_vmcoreinfo, offset_note (48), size_note (56)
    f.seek(block_size + 48)
    f.write(struct.pack('<QQ', end, len(notes)))
    f.close()


if __name__ == '__main__':
    main()
