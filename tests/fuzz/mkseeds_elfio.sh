#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Regenerates the seed corpora tests/fuzz/corpus/elf and tests/fuzz/corpus/flat
# from compact specs (tests/gen/mkelf, tests/gen/mkflat).  Run after `make`.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${BUILD:-$top/build/std}/tests/gen
E=$top/tests/fuzz/corpus/elf
F=$top/tests/fuzz/corpus/flat
mkdir -p "$E" "$F"
notes='vmcoreinfo OSRELEASE=6.1.0\nPAGESIZE=4096\nCRASHTIME=1700000000\nBUILD-ID=ab\n
prstatus pid=1 ip=0xffffffff81000000 sp=0xffffc90000000000
prstatus pid=0 ip=0xffffffff81000010 sp=0xffffc90000001000
eraseinfo erase x size 8\n
note QEMU 0 size=64'
"$B/mkelf" -e "$notes
load paddr=0x3000 vaddr=0xffffffff81000000 memsz=0x2000
load paddr=0x1000 vaddr=0xffff888000001000 memsz=0x6000 filesz=0x3000
load paddr=0x9000 memsz=0x1000" "$E/proc-vmcore-le.elf"
"$B/mkelf" -e 'be; machine s390x; vmcoreinfo PAGESIZE=4096\n; load paddr=0 memsz=0x2000; load paddr=0x4000 memsz=0x3000 filesz=0x1000' "$E/be-s390x.elf"
"$B/mkelf" -e 'elf32; machine i386; prstatus pid=3 ip=1 sp=2; load paddr=0x100000 vaddr=0xc0100000 memsz=0x2000' "$E/elf32-i386.elf"
"$B/mkelf" -e 'elf32; be; machine s390x; xnum; load paddr=0x1000 memsz=0x1000' "$E/elf32-be-xnum.elf"
"$B/mkelf" -e 'xnum; loads n=12 paddr=0x10000 step=0x3000 memsz=0x2000 filesz=0x800' "$E/xnum-12.elf"
"$B/mkelf" -e "$notes
load paddr=0x0 memsz=0x4000
truncate 0x2a00" "$E/truncated.elf"
"$B/mkelf" -e 'load paddr=0x200 memsz=0x400 filesz=0x200 fill=0x55; load paddr=0x800 memsz=0x400 filesz=0; load paddr=0xc00 memsz=0x200 fill=0xaa; load paddr=0x1000 memsz=0x4000 filesz=0x1000 offset=0x40; load paddr=0x2000 memsz=0x2000' "$E/partial-overlap.elf"
"$B/mkelf" -e 'machine aarch64; vmcoreinfo PAGESIZE=65536\n; prstatus pid=5 ip=0xffff800008000000 sp=0xffff800008010000; load paddr=0x40000000 memsz=0x20000 filesz=0x100' "$E/aarch64-64k.elf"
"$B/mkflat" --chunk 512 "$E/proc-vmcore-le.elf" "$F/le-inorder.flat"
"$B/mkflat" --chunk 700 --vary 3 --shuffle 9 --overwrite 4 "$E/be-s390x.elf" "$F/be-shuffled-overwritten.flat"
"$B/mkflat" --chunk 1024 --shuffle 2 --cut 9000 "$E/proc-vmcore-le.elf" "$F/cut.flat"
"$B/mkflat" --sparse --no-end "$E/partial-overlap.elf" "$F/sparse-noend.flat"
"$B/mkflat" --chunk 4096 "$E/xnum-12.elf" "$F/xnum.flat"
for k in "$top"/tests/fuzz/corpus/kdump/*; do
	# a kdump-compressed seed of the kdump reader's corpus, flattened
	[ -f "$k" ] || continue
	"$B/mkflat" --chunk 1000 --shuffle 3 "$k" "$F/kdump-$(basename "$k").flat"
	break
done
