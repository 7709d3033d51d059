#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The folders are the pipeline (docs/architecture.md): tools/check-layers.sh
# passes on this tree, and fails on a copy with an include that points back
# (src/dump including a src/skb header), one into src/ from arch/, an
# unassigned public header, and a later stage (src/panic, src/skb) including
# src/kernel/kernel_int.h, whose struct kernel is private to src/kernel.
# Needs no fixtures.
. "$(dirname "$0")/lib.sh"
e2e_tmp layers

if out=$("$top/tools/check-layers.sh" 2>&1); then
	ok "layers: $(echo "$out" | tail -n 1)"
else
	fail "layers: $out"
fi

mkdir -p "$tmp/t"
(cd "$top" && tar cf - src arch include tools/check-layers.sh) | (cd "$tmp/t" && tar xf -)
printf '#include "skbfilter/skb.h"\n' >>"$tmp/t/src/dump/elf.c"
if out=$(LAYERS_ROOT=$tmp/t "$top/tools/check-layers.sh" 2>&1); then
	fail "layers: a backward include (dump -> skb) was not caught"
elif echo "$out" | grep -q 'src/dump/elf.c (dump) includes include/skbfilter/skb.h (skb), a later stage'; then
	ok "layers: a backward include (dump -> skb) is caught"
else
	fail "layers: backward include: $out"
fi

mkdir -p "$tmp/u" && (cd "$top" && tar cf - src arch include) | (cd "$tmp/u" && tar xf -)
printf '#include "mem/qemu.h"\n' >>"$tmp/u/arch/arch.c"
printf '/* new */\n' >"$tmp/u/include/skbfilter/newthing.h"
out=$(LAYERS_ROOT=$tmp/u "$top/tools/check-layers.sh" 2>&1)
if echo "$out" | grep -q 'arch/arch.c (arch) includes src/mem/qemu.h: arch/ includes nothing from src/' &&
	echo "$out" | grep -q 'include/skbfilter/newthing.h: no stage'; then
	ok "layers: arch including src/ and a header without a stage are caught"
else
	fail "layers: arch/src and unassigned header: $out"
fi

mkdir -p "$tmp/v" && (cd "$top" && tar cf - src arch include) | (cd "$tmp/v" && tar xf -)
printf '#include "kernel/kernel_int.h"\n' >>"$tmp/v/src/panic/panic.c"
printf '#include "kernel/kernel_int.h"\n' >>"$tmp/v/src/skb/find.c"
out=$(LAYERS_ROOT=$tmp/v "$top/tools/check-layers.sh" 2>&1)
if echo "$out" | grep -q 'src/panic/panic.c (panic) includes src/kernel/kernel_int.h: struct kernel.s fields are private' &&
	echo "$out" | grep -q 'src/skb/find.c (skb) includes src/kernel/kernel_int.h: struct kernel.s fields are private' &&
	echo "$out" | grep -q '^2 layer violations'; then
	ok "layers: kernel_int.h outside src/kernel is caught"
else
	fail "layers: kernel_int.h outside src/kernel: $out"
fi
finish
