#!/bin/sh
# Installs the makedumpfile builds of Debian's newer suites (trixie, sid) beside
# Debian 12's own 1.7.2, which predates Linux 6.12 and 7.x, so the tests can
# check mini.core with them (tests/e2e/minicore.sh).  Nothing is built and
# nothing is installed system-wide: Debian's binary packages are downloaded
# with apt through a private list (it does not touch /etc/apt or dpkg's
# state) and unpacked into a cache directory outside the repository:
#
#   $DIR/bin/makedumpfile-<version>   one wrapper per suite's version
#   $DIR/bin/makedumpfile-<version>-arm64   the arm64 build under qemu-user (if installed),
#                                     for arm64 dumps
#   $DIR/<suite>/...                  the unpacked packages
#
# A build that needs a newer glibc than this machine has (sid's 1.7.8 uses
# glibc 2.38's __isoc23_strtol family; bookworm has 2.36) runs under trixie's
# libc6 through that libc's own loader; its other libraries (libdw, libelf,
# lzo, zstd, zlib) keep their sonames and come from this machine.
# (Debian's mirror here serves binary packages only, not the source
# packages, so the source route `apt-get source` cannot be taken.)
#
# DIR: $SKBFILTER_MAKEDUMPFILE_DIR, else /var/cache/skbfilter/makedumpfile as
# root, else ~/.cache/skbfilter/makedumpfile.  Prints the wrappers installed.
# Exit status 0 when at least one wrapper works.
set -eu
if [ -n "${SKBFILTER_MAKEDUMPFILE_DIR:-}" ]; then
	DIR=$SKBFILTER_MAKEDUMPFILE_DIR
elif [ "$(id -u)" -eq 0 ]; then
	DIR=/var/cache/skbfilter/makedumpfile
else
	DIR=${XDG_CACHE_HOME:-$HOME/.cache}/skbfilter/makedumpfile
fi
SUITES=${SKBFILTER_MAKEDUMPFILE_SUITES:-trixie sid}
MIRROR=${SKBFILTER_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ARCH=$(dpkg --print-architecture)
APT=$DIR/apt
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$DIR/bin" "$DIR/debs"
: >"$APT/sources.list"
for s in $SUITES; do
	echo "deb [arch=$ARCH] $MIRROR $s main" >>"$APT/sources.list"
done
# Only this list: not /etc/apt/sources.list.d, not the machine's own lists.
# (DIR must not contain spaces: the options are split on them.)
APTOPTS="-q -o Dir::Etc::SourceList=$APT/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$APT/lists -o Dir::Cache=$APT/cache -o APT::Sandbox::User=root"
apt-get $APTOPTS update >/dev/null

# download PKG VERSION: prints the .deb's path (cached in $DIR/debs)
download() {
	f=$(echo "$2" | sed 's/^[0-9]*://')
	deb=$(ls "$DIR/debs/$1_"*"${f}_$ARCH.deb" 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$DIR/debs" && apt-get $APTOPTS download "$1=$2" >/dev/null 2>&1) || return 1
		deb=$(ls "$DIR/debs/$1_"*"${f}_$ARCH.deb" | head -1)
	fi
	echo "$deb"
}
# version SUITE PKG: the version SUITE carries
version() {
	apt-cache $APTOPTS madison "$2" 2>/dev/null | awk -v s="$1" '$0 ~ " " s "/main" { print $3; exit }'
}

HOSTLIB=/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)
[ -d "$HOSTLIB" ] || HOSTLIB=/lib/x86_64-linux-gnu
LIBCDIR=
installed=0
for s in $SUITES; do
	v=$(version "$s" makedumpfile)
	[ -n "$v" ] || { echo "makedumpfile-debian: $s has no makedumpfile" >&2; continue; }
	uv=$(echo "$v" | sed 's/^[0-9]*://; s/-[^-]*$//')
	deb=$(download makedumpfile "$v") || { echo "makedumpfile-debian: cannot download makedumpfile $v ($s)" >&2; continue; }
	rm -rf "$DIR/$s" && mkdir -p "$DIR/$s" && dpkg-deb -x "$deb" "$DIR/$s"
	bin=$DIR/$s/usr/bin/makedumpfile
	[ -x "$bin" ] || bin=$DIR/$s/usr/sbin/makedumpfile
	w=$DIR/bin/makedumpfile-$uv
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$bin" >"$w"
	chmod +x "$w"
	if ! "$w" -v >/dev/null 2>&1; then
		# needs a newer glibc: the oldest newer suite's libc6, run through its loader
		if [ -z "$LIBCDIR" ]; then
			lv=$(version "$(echo $SUITES | cut -d' ' -f1)" libc6)
			ldeb=$(download libc6 "$lv") || { echo "makedumpfile-debian: cannot download libc6 $lv" >&2; rm -f "$w"; continue; }
			rm -rf "$DIR/libc6" && mkdir -p "$DIR/libc6" && dpkg-deb -x "$ldeb" "$DIR/libc6"
			LIBCDIR=$(dirname "$(find "$DIR/libc6" -name 'ld-linux*.so*' -path '*/lib/*' | head -1)")
		fi
		ld=$(find "$LIBCDIR" -maxdepth 1 -name 'ld-linux*.so*' | head -1)
		printf '#!/bin/sh\n# %s: this machine'"'"'s glibc is too old; run under libc6 %s'"'"'s loader\nexec "%s" --library-path "%s:%s:/usr%s" "%s" "$@"\n' \
			"makedumpfile $v" "$lv" "$ld" "$LIBCDIR" "$HOSTLIB" "$HOSTLIB" "$bin" >"$w"
	fi
	if "$w" -v >/dev/null 2>&1; then
		echo "$w ($("$w" -v 2>&1 | head -1))"
		installed=$((installed + 1))
	else
		echo "makedumpfile-debian: makedumpfile $v ($s) does not run here: $("$w" -v 2>&1 | head -1)" >&2
		rm -f "$w"
	fi
done

# Other architectures' builds: makedumpfile reads only dumps of the architecture it was built for,
# so an arm64 dump needs an arm64 makedumpfile.  With qemu-user installed, the first suite's
# arm64 build and the libraries it links (the closure of its lib* dependencies) are unpacked
# into a root of their own and run as `qemu-aarch64 -L ROOT`: makedumpfile-<version>-arm64.
for fa in ${SKBFILTER_MAKEDUMPFILE_FOREIGN-arm64}; do
	[ "$fa" = "$ARCH" ] && continue
	case $fa in arm64) qa=aarch64 ;; *) qa=$fa ;; esac
	q=$(command -v "qemu-$qa" || command -v "qemu-$qa-static" || true)
	[ -n "$q" ] || { echo "makedumpfile-debian: qemu-$qa not installed (qemu-user): no $fa makedumpfile" >&2; continue; }
	s=$(echo $SUITES | cut -d' ' -f1)
	FA=$DIR/apt-$fa
	mkdir -p "$FA/lists/partial"
	echo "deb [arch=$fa] $MIRROR $s main" >"$FA/sources.list"
	FOPTS="-q -o Dir::Etc::SourceList=$FA/sources.list -o Dir::Etc::SourceParts=/dev/null
 -o Dir::State::Lists=$FA/lists -o Dir::Cache=$APT/cache -o APT::Sandbox::User=root -o APT::Architectures::=$fa"
	apt-get $FOPTS update >/dev/null || { echo "makedumpfile-debian: no $fa package list for $s" >&2; continue; }
	todo=makedumpfile pkgs=
	while [ -n "$todo" ]; do
		set -- $todo
		p=$1 todo=${todo#"$p"} todo=${todo# }
		case " $pkgs " in *" $p "*) continue ;; esac
		pkgs="$pkgs $p"
		for d in $(apt-cache $FOPTS depends "$p:$fa" 2>/dev/null | sed -n 's/^ *|\{0,1\}Depends: \([^ <>]*\).*/\1/p'); do
			d=${d%:"$fa"}
			case $d in lib*|zlib1g) todo="$todo $d" ;; esac
		done
	done
	root=$DIR/$s-$fa
	rm -rf "$root" && mkdir -p "$root"
	ok=1
	for p in $pkgs; do
		(cd "$DIR/debs" && apt-get $FOPTS download "$p:$fa" >/dev/null 2>&1) || { echo "makedumpfile-debian: cannot download $p:$fa" >&2; ok=0; break; }
	done
	[ $ok -eq 1 ] || continue
	for p in $pkgs; do
		v=$(apt-cache $FOPTS show "$p:$fa" 2>/dev/null | sed -n 's/^Version: //p' | head -1 | sed 's/^[0-9]*://')
		dpkg-deb -x "$(ls "$DIR/debs/${p}_"*"${v}_$fa.deb" | head -1)" "$root"
	done
	# merged /usr: the loader is looked up as /lib/ld-linux-*.so.1
	[ -e "$root/lib" ] || ln -s usr/lib "$root/lib"
	v=$("$q" -L "$root" "$root/usr/bin/makedumpfile" -v 2>/dev/null | sed -n '1s/.*version \([^ ]*\).*/\1/p')
	if [ -n "$v" ]; then
		w=$DIR/bin/makedumpfile-$v-$fa
		printf '#!/bin/sh\n# Debian %s %s build of makedumpfile, under qemu-user\nexec "%s" -L "%s" "%s" "$@"\n' \
			"$s" "$fa" "$q" "$root" "$root/usr/bin/makedumpfile" >"$w"
		chmod +x "$w"
		echo "$w (makedumpfile $v, $fa, $q)"
		installed=$((installed + 1))
	else
		echo "makedumpfile-debian: the $fa makedumpfile does not run under $q" >&2
	fi
done
[ "$installed" -gt 0 ]
