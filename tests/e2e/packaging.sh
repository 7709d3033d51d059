#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install and packaging (issue #14):
#   - make install PREFIX=/usr DESTDIR=... installs the binary, the man page and
#     the bash completion; the installed binary runs and the completion loads;
#   - the .deb builds with dpkg-buildpackage -us -uc -b from a clean copy of the
#     tree, lintian reports no error, and skbfilter --version runs from the
#     unpacked package.  Skips the .deb when debhelper is not installed.
set -u
. "$(dirname "$0")/lib.sh"

e2e_tmp packaging
cd "$top" || exit 1
# (like the package build below, install takes nothing from the make that runs the tests)
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE -u BUILD make -s install PREFIX=/usr DESTDIR="$tmp/root" >"$tmp/install.log" 2>&1; then
	for f in usr/bin/skbfilter usr/share/man/man1/skbfilter.1 usr/share/bash-completion/completions/skbfilter; do
		[ -f "$tmp/root/$f" ] && ok "make install: /$f" || fail "make install: /$f missing"
	done
	"$tmp/root/usr/bin/skbfilter" --version | grep -q '^skbfilter [0-9]' && ok "installed skbfilter --version runs" ||
		fail "installed skbfilter --version"
	if command -v bash >/dev/null 2>&1; then
		out=$(bash -c ". '$tmp/root/usr/share/bash-completion/completions/skbfilter' && complete -p skbfilter &&
			COMP_WORDS=(skbfilter --fail); COMP_CWORD=1; _skbfilter; echo \"\${COMPREPLY[*]}\"" 2>&1)
		case $out in *"-F _skbfilter"*"--fail-on="*) ok "bash completion loads and completes --fail-on=" ;;
			*) fail "bash completion: $out" ;; esac
	fi
	if command -v man >/dev/null 2>&1; then
		w=$(MANWIDTH=80 man --warnings -l "$tmp/root/usr/share/man/man1/skbfilter.1" 2>&1 >/dev/null)
		[ -z "$w" ] && ok "man page renders without warnings" || fail "man page: $w"
		MANWIDTH=80 man -l "$tmp/root/usr/share/man/man1/skbfilter.1" 2>/dev/null | grep -q '^EXAMPLES' &&
			ok "man page has EXAMPLES" || fail "man page has no EXAMPLES section"
	fi
else
	fail "make install: $(tail -n 3 "$tmp/install.log")"
fi

if ! command -v dpkg-buildpackage >/dev/null 2>&1 || ! command -v dh >/dev/null 2>&1; then
	skip "packaging: dpkg-buildpackage/debhelper not installed (tools/setup-deps.sh installs them)"
	finish
fi
mkdir -p "$tmp/src/skbfilter"
# a clean copy: what is tracked by git, or the tree without build products
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -z | (cd "$top" && xargs -0 tar cf -) | tar xf - -C "$tmp/src/skbfilter"
else
	(cd "$top" && tar cf - --exclude=./build --exclude=./skbfilter .) | tar xf - -C "$tmp/src/skbfilter"
fi
# (a package build takes nothing from the make that runs the tests: `make check` exports
# SANITIZE and BUILD, and its MAKEFLAGS would reach debian/rules' make)
if (cd "$tmp/src/skbfilter" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE -u BUILD dpkg-buildpackage -us -uc -b) >"$tmp/deb.log" 2>&1; then
	deb=$(ls "$tmp"/src/skbfilter_*.deb 2>/dev/null | head -n 1)
	ok "dpkg-buildpackage -us -uc -b: $(basename "$deb")"
	dpkg-deb -x "$deb" "$tmp/debroot"
	"$tmp/debroot/usr/bin/skbfilter" --version | grep -q '^skbfilter [0-9]' && ok ".deb: skbfilter --version runs" ||
		fail ".deb: skbfilter --version"
	dpkg-deb -c "$deb" >"$tmp/deb.list"
	grep -q 'bash-completion/completions/skbfilter' "$tmp/deb.list" && ok ".deb: carries the bash completion" ||
		fail ".deb: no bash completion"
	if command -v lintian >/dev/null 2>&1; then
		lintian "$deb" >"$tmp/lintian.out" 2>&1
		if grep -q '^E:' "$tmp/lintian.out"; then fail "lintian errors: $(grep '^E:' "$tmp/lintian.out" | head -n 5 | tr '\n' ' ')"
		else ok "lintian: no errors ($(grep -c '^W:' "$tmp/lintian.out") warnings)"; fi
	else
		skip "packaging: lintian not installed"
	fi
else
	fail "dpkg-buildpackage: $(tail -n 5 "$tmp/deb.log" | tr '\n' ' ')"
fi
finish
