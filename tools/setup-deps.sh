#!/bin/sh
# Installs skbfilter's build and test dependencies (Debian 12 packages).
# As root it runs apt-get; otherwise it prints the exact command to run.
set -eu
PKGS="build-essential pkg-config libelf-dev zlib1g-dev liblzo2-dev libsnappy-dev libzstd-dev
liblzma-dev libbz2-dev xz-utils bzip2 libpcap-dev libbpf-dev libcurl4-openssl-dev nginx openssl clang zstd python3
tshark makedumpfile python3-libkdumpfile crash time strace qemu-user debhelper lintian dpkg-dev man-db"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# makedumpfile from Debian's newer suites, for the mini.core checks on 6.12+ dumps (cache outside the repo)
newer_makedumpfile() {
	[ "$(id -u)" -eq 0 ] || return 0
	ls /var/cache/skbfilter/makedumpfile/bin/makedumpfile-* >/dev/null 2>&1 ||
		sh "$(dirname "$0")/makedumpfile-debian.sh" >/dev/null ||
		echo "setup-deps: newer makedumpfile not installed; tests use makedumpfile $(makedumpfile -v 2>/dev/null | sed -n 's/.*version \([^ ]*\).*/\1/p')" >&2
}
[ -z "$missing" ] && { newer_makedumpfile; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
	echo "skbfilter needs:$missing"
	echo "run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq $missing >/dev/null
newer_makedumpfile
