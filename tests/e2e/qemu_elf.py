#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Rewrite a kdump ELF vmcore (x86_64 or arm64) IN PLACE into the shape of QEMU's
dump-guest-memory ELF (paging=false, what `virsh dump --memory-only` writes):

  - every PT_LOAD gets p_vaddr 0 (QEMU knows guest-physical addresses only);
  - the kernel-text PT_LOAD (an alias of physical memory that kexec's
    elfcorehdr adds) is dropped: QEMU has one PT_LOAD per guest RAM block;
  - NT_PRSTATUS pr_pid is the vCPU number + 1 (QEMU's x86_64_write_elf64_note
    stores cpu_index + 1 there, not a task pid);
  - one "QEMU" note (type 0, QEMUCPUState version 1, 440 bytes, with
    kernel_gs_base) per vCPU after the PRSTATUS notes, its registers copied from
    the PRSTATUS note, cr3 = physical address of init_top_pgt and gs base = the
    CPU's __per_cpu_offset (what a vCPU in kernel mode has);
  - arm64 (target/arm/arch_dump.c): no "QEMU" note; each NT_PRSTATUS is
    followed by an NT_PRFPREG "CORE" note (user_fpsimd_state, 528 bytes,
    zeroed here: the kdump note has no FP state); the kernel-text PT_LOAD is
    the one with p_vaddr = p_paddr + kimage_voffset (SYSTEM_MAP is unused, "-");
  - the VMCOREINFO note is kept (QEMU copies it with -device vmcoreinfo); with
    --no-vmcoreinfo it is dropped.

The new note segment is appended at the end of the file and PT_NOTE points at
it; the old bytes stay in the file unreferenced.

usage: qemu_elf.py VMCORE SYSTEM_MAP [--no-vmcoreinfo] [--bad-cr3] [--notes-out FILE]
  --bad-cr3         vCPU 0's QEMU note gets a CR3 outside the dump (a reader
                    must fall back to another vCPU's page tables)
  --notes-out FILE  also write the new note area to FILE (qemu_kdump.py puts
                    it into a kdump-compressed dump of the same crash)
"""
import struct
import sys

START_KERNEL_MAP = 0xffffffff80000000


def notes_parse(buf):
    out, off = [], 0
    while off + 12 <= len(buf):
        namesz, descsz, ntype = struct.unpack_from('<III', buf, off)
        name = buf[off + 12:off + 12 + namesz].rstrip(b'\0')
        d = off + 12 + ((namesz + 3) & ~3)
        out.append((name, ntype, bytes(buf[d:d + descsz])))
        off = d + ((descsz + 3) & ~3)
    return out


def note_pack(name, ntype, desc):
    n = name + b'\0'
    return (struct.pack('<III', len(n), len(desc), ntype) + n + b'\0' * (-len(n) % 4) +
            desc + b'\0' * (-len(desc) % 4))


def main():
    path, sysmap = sys.argv[1], sys.argv[2]
    keep_vmcoreinfo = '--no-vmcoreinfo' not in sys.argv[3:]
    notes_out = None
    if '--notes-out' in sys.argv[3:]:
        notes_out = sys.argv[sys.argv.index('--notes-out') + 1]
    f = open(path, 'r+b')
    eh = f.read(64)
    machine = struct.unpack_from('<H', eh, 18)[0]
    if eh[:4] != b'\x7fELF' or eh[4] != 2 or eh[5] != 1 or machine not in (62, 183):
        sys.exit('%s: not a little-endian ELF64 x86_64 or arm64 file' % path)
    phoff, = struct.unpack_from('<Q', eh, 32)
    phentsize, phnum = struct.unpack_from('<HH', eh, 54)
    f.seek(phoff)
    phdrs = [list(struct.unpack('<IIQQQQQQ', f.read(phentsize)[:56])) for _ in range(phnum)]
    note = [p for p in phdrs if p[0] == 4]
    loads = [p for p in phdrs if p[0] == 1]
    if len(note) != 1 or not loads:
        sys.exit('%s: expected one PT_NOTE and PT_LOADs' % path)
    f.seek(note[0][2])
    notes = notes_parse(f.read(note[0][5]))
    info = {}
    for name, ntype, desc in notes:
        if name == b'VMCOREINFO':
            for line in desc.decode('ascii', 'replace').splitlines():
                k, _, v = line.partition('=')
                info[k] = v

    def phys_to_off(pa):
        for p in loads:
            if p[4] <= pa < p[4] + p[6] and pa - p[4] < p[5]:
                return p[2] + pa - p[4]
        return None

    def read_phys(pa, n):
        o = phys_to_off(pa)
        if o is None:
            sys.exit('physical %#x not in the dump' % pa)
        f.seek(o)
        return f.read(n)

    if machine == 183:
        arm64(f, phoff, note[0], loads, notes, info, keep_vmcoreinfo, notes_out)
        return
    kaslr = int(info['KERNELOFFSET'], 16)
    phys_base = int(info['NUMBER(phys_base)'])
    phys_base &= (1 << 64) - 1
    top_pgt = int(info['SYMBOL(init_top_pgt)'], 16)
    cr3 = (top_pgt - START_KERNEL_MAP + phys_base) & ((1 << 64) - 1)
    pcpu_off = None
    for line in open(sysmap):
        a = line.split()
        if len(a) == 3 and a[2] == '__per_cpu_offset':
            pcpu_off = int(a[0], 16) + kaslr
    if pcpu_off is None:
        sys.exit('%s: no __per_cpu_offset' % sysmap)

    # kernel-text PT_LOAD: p_vaddr in __START_KERNEL_map (x86_64 kexec elfcorehdr)
    loads = [p for p in loads if not p[3] >= START_KERNEL_MAP]
    for p in loads:
        p[3] = 0
    prs = [n for n in notes if n[0] == b'CORE' and n[1] == 1]
    out = b''
    qemu = b''
    for i, (name, ntype, desc) in enumerate(prs):
        d = bytearray(desc)
        struct.pack_into('<I', d, 32, i + 1)	# pr_pid = cpu_index + 1
        out += note_pack(b'CORE', 1, bytes(d))
        # user_regs_struct at 112: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx
        # rdx rsi rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs
        r = struct.unpack_from('<27Q', d, 112)
        names = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx',
                 'rdx', 'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base',
                 'gs_base', 'ds', 'es', 'fs', 'gs']
        g = dict(zip(names, r))
        gs = struct.unpack('<Q', read_phys((pcpu_off + 8 * i - START_KERNEL_MAP + phys_base) &
                                           ((1 << 64) - 1), 8))[0]

        def seg(sel, base=0):
            return struct.pack('<IIIIQ', sel, 0xffffffff, 0, 0, base)
        st = struct.pack('<II', 1, 440)
        st += struct.pack('<18Q', g['rax'], g['rbx'], g['rcx'], g['rdx'], g['rsi'], g['rdi'],
                          g['rsp'], g['rbp'], g['r8'], g['r9'], g['r10'], g['r11'], g['r12'],
                          g['r13'], g['r14'], g['r15'], g['rip'], g['eflags'])
        st += seg(g['cs']) + seg(g['ds']) + seg(g['es']) + seg(g['fs']) + seg(g['gs'], gs) + seg(g['ss'])
        st += seg(0) * 4	# ldt tr gdt idt
        bad = i == 0 and '--bad-cr3' in sys.argv[3:]
        st += struct.pack('<5Q', 0x80050033, 0, 0, 0x7fff00000000 if bad else cr3, 0x3506f0)
        st += struct.pack('<Q', 0)	# kernel_gs_base (the user one while in the kernel)
        assert len(st) == 440
        qemu += note_pack(b'QEMU', 0, st)
    out += qemu
    if keep_vmcoreinfo:
        for name, ntype, desc in notes:
            if name == b'VMCOREINFO':
                out += note_pack(name, ntype, desc)
    finish(f, phoff, note[0], loads, out, notes_out)


def finish(f, phoff, note, loads, out, notes_out):
    """Appends the note area, rewrites the program headers: PT_NOTE + loads."""
    if notes_out:
        with open(notes_out, 'wb') as o:
            o.write(out)
    f.seek(0, 2)
    end = f.tell()
    end += -end % 4096
    f.seek(end)
    f.write(out)
    note[2] = end
    note[5] = note[6] = len(out)
    new = [note] + loads
    f.seek(phoff)
    for p in new:
        f.write(struct.pack('<IIQQQQQQ', *p))
    f.seek(56)
    f.write(struct.pack('<H', len(new)))
    f.close()


def arm64(f, phoff, note, loads, notes, info, keep_vmcoreinfo, notes_out):
    voff = int(info['NUMBER(kimage_voffset)'], 16)
    loads = [p for p in loads if (p[4] + voff) & ((1 << 64) - 1) != p[3]]
    for p in loads:
        p[3] = 0
    out = b''
    cpu = 0
    for name, ntype, desc in notes:
        if name == b'CORE' and ntype == 1:
            d = bytearray(desc)
            cpu += 1
            struct.pack_into('<I', d, 32, cpu)	# pr_pid = cpu_index + 1
            out += note_pack(b'CORE', 1, bytes(d))
            out += note_pack(b'CORE', 2, bytes(528))	# NT_PRFPREG
    if keep_vmcoreinfo:
        for name, ntype, desc in notes:
            if name == b'VMCOREINFO':
                out += note_pack(name, ntype, desc)
    finish(f, phoff, note, loads, out, notes_out)


if __name__ == '__main__':
    main()
