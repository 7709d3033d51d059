#!/bin/sh
# Quick start on a fresh Debian machine: install what is missing (as root; otherwise print the
# apt-get line), build, and run skbfilter's main job on the sample dump in samples/.
set -eu
cd "$(dirname "$0")/.."
./tools/setup-deps.sh
make -j"$(nproc)"
out=${TMPDIR:-/tmp}/skbfilter-sample
mkdir -p "$out"
sample=samples/tx-vxlan-tcp.mini.core
echo "+ ./skbfilter --force -w $out/packets.pcap --json $out/report.json $sample"
./skbfilter --force -w "$out/packets.pcap" --json "$out/report.json" "$sample" || rc=$?
echo "pcap: $out/packets.pcap  report: $out/report.json"
exit "${rc:-0}"
