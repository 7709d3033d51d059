#!/bin/sh
# Installs skbfilter's build and test dependencies (Debian 12 packages).
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
PKGS="build-essential pkg-config libelf-dev zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev
libpcap-dev libbpf-dev libcurl4-openssl-dev nginx openssl clang zstd python3 tshark makedumpfile python3-libkdumpfile crash time"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "skbfilter needs:$missing"
	echo "run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
