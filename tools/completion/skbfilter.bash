# bash completion for skbfilter(1)                          -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/skbfilter.
_skbfilter()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-w|--pcapng|-o|--json|-x|-m|--btf)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--tmpdir)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return ;;
	--scan) COMPREPLY=($(compgen -W "all" -- "$cur")); return ;;
	--threads) COMPREPLY=($(compgen -W "1 2 3 4 5 6 7 8" -- "$cur")); return ;;
	--snaplen|--skb|--filter) return ;;
	esac
	case $cur in
	--keep=*) COMPREPLY=($(compgen -P --keep= -W "evidence lean crash" -- "${cur#--keep=}")); return ;;
	--fail-on=*) COMPREPLY=($(compgen -P --fail-on= -W "error warning" -- "${cur#--fail-on=}")); return ;;
	-*)
		COMPREPLY=($(compgen -W "--info --backtrace --dump-dmesg --json --pcapng --keep= --scrub-payload
			--segment --snaplen --all-cpus --skb --scan --threads --btf --tmpdir --force --fail-on=
			--filter --list --json-lines --help --version -w -o -c -l -p -z -E -x -m -v -q -h" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace 2>/dev/null
		return ;;
	esac
	COMPREPLY=($(compgen -f -- "$cur"))
	compopt -o filenames 2>/dev/null
} &&
complete -F _skbfilter skbfilter
