#!/bin/sh
# make fuzz FUZZ_SECONDS=N: builds every tests/fuzz/fuzz_*.c as a libFuzzer
# binary (clang -fsanitize=fuzzer,address,undefined) against the library
# sources, runs each for FUZZ_SECONDS on a scratch copy of its seed corpus
# tests/fuzz/corpus/<name>/ and reports crashes.  Exit 1 if any target crashed
# (or leaked, timed out, ran out of memory), 2 if something could not be built.
#
# Environment (the Makefile sets the first four):
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_BUILD     object/binary directory (default build/fuzz)
#   PKG_CFLAGS     pkg-config --cflags of the libraries
#   LIBS           libraries to link
#   FUZZ_TOTAL     smoke mode: a total budget in seconds split over the targets
#                  (e.g. FUZZ_TOTAL=10 for CI; overrides FUZZ_SECONDS)
#   FUZZ_JOBS      targets run in parallel (default 2)
#   FUZZ_TARGETS   space-separated subset of target names (e.g. "fuzz_kdump")
#   FUZZ_CPU_SECONDS  rerun each target on its grown corpus until it has used
#                  this many CPU seconds (campaign mode; needs /usr/bin/time)
#   FUZZ_REPORT    write a markdown table of the run there (e.g. docs/fuzzing.md),
#                  followed by tests/fuzz/findings.md (crashes found and fixed)
#   FUZZ_KEEP      directory to keep the grown corpora and artifacts (default:
#                  $FUZZ_BUILD/out; the directories of the targets run are
#                  wiped at start, the others kept for FUZZ_REPORT)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
FUZZ_JOBS=${FUZZ_JOBS:-2}
PKG_CFLAGS=${PKG_CFLAGS:-$(pkg-config --cflags libelf zlib lzo2 snappy libzstd libpcap libbpf 2>/dev/null)}
LIBS=${LIBS:-"$(pkg-config --libs libelf zlib lzo2 snappy libzstd libpcap libbpf 2>/dev/null) -lsnappy -lstdc++ -lm"}
CLANG=${CLANG:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS_F="-std=gnu11 -O1 -g -Iinclude -Isrc -D_FILE_OFFSET_BITS=64 -D_GNU_SOURCE $PKG_CFLAGS $SAN"

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: clang not found (apt-get install clang)"
	exit 2
fi
targets=""
for f in tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] || continue
	n=$(basename "$f" .c)
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in *" $n "*) ;; *) continue ;; esac
	fi
	targets="$targets $n"
done
if [ -z "$targets" ]; then
	echo "fuzz: no fuzz targets (tests/fuzz/fuzz_*.c) yet"
	exit 0
fi
ntargets=$(echo $targets | wc -w)
if [ -n "${FUZZ_TOTAL:-}" ]; then
	par=$FUZZ_JOBS
	[ "$ntargets" -lt "$par" ] && par=$ntargets
	FUZZ_SECONDS=$(( FUZZ_TOTAL * par / ntargets ))
	[ "$FUZZ_SECONDS" -ge 1 ] || FUZZ_SECONDS=1
fi

# ---- build: library objects with fuzzer-no-link, one binary per target
mkdir -p "$FUZZ_BUILD/obj" || exit 2
newest_hdr=$(ls -t include/skbfilter/*.h src/*/*.h 2>/dev/null | head -n 1)
objs=""
build_failed=0
compile() { # src obj extra-flags
	if [ ! -f "$2" ] || [ "$1" -nt "$2" ] || { [ -n "$newest_hdr" ] && [ "$newest_hdr" -nt "$2" ]; }; then
		mkdir -p "$(dirname "$2")"; rm -f "$2"
		# shellcheck disable=SC2086
		if ! $CLANG $CFLAGS_F $3 -c -o "$2" "$1"; then
			echo "fuzz: cannot compile $1"
			build_failed=1
		fi
	fi
}
echo "fuzz: building library objects into $FUZZ_BUILD"
for s in src/*/*.c arch/*.c; do
	[ -f "$s" ] || continue
	o="$FUZZ_BUILD/obj/${s%.c}.o"
	compile "$s" "$o" "-fsanitize=fuzzer-no-link" &
	# two compilers at a time
	if [ $(( $(echo $objs | wc -w) % 2 )) -eq 1 ]; then wait; fi
	objs="$objs $o"
done
wait
for o in $objs; do [ -f "$o" ] || build_failed=1; done
if [ $build_failed -ne 0 ]; then
	echo "fuzz: library build failed"
	exit 2
fi
rm -f "$FUZZ_BUILD/libskbfilter-fuzz.a"
ar rcs "$FUZZ_BUILD/libskbfilter-fuzz.a" $objs || exit 2
built=""
for n in $targets; do
	o="$FUZZ_BUILD/obj/tests/fuzz/$n.o"
	compile "tests/fuzz/$n.c" "$o" "-fsanitize=fuzzer"
	# shellcheck disable=SC2086
	if [ -f "$o" ] && $CLANG $SAN -fsanitize=fuzzer -o "$FUZZ_BUILD/$n" "$o" "$FUZZ_BUILD/libskbfilter-fuzz.a" $LIBS; then
		built="$built $n"
	else
		echo "FAIL fuzz $n: does not build"
		build_failed=1
	fi
done

# ---- run
out=${FUZZ_KEEP:-$FUZZ_BUILD/out}
# Only the targets run now start afresh: a campaign can rerun some targets
# (after a fix) and its report still lists the others' last runs.
for n in $built; do rm -rf "${out:?}/$n"; done
mkdir -p "$out" || exit 2
commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
echo "fuzz: $ntargets target(s), ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time; corpora and artifacts in $out"
run_target() {
	n=$1
	d="$out/$n"
	mkdir -p "$d/corpus" "$d/artifacts"
	if [ -d "tests/fuzz/corpus/$n" ]; then
		cp -R "tests/fuzz/corpus/$n/." "$d/corpus/" 2>/dev/null
	elif [ -d "tests/fuzz/corpus/${n#fuzz_}" ]; then
		cp -R "tests/fuzz/corpus/${n#fuzz_}/." "$d/corpus/" 2>/dev/null
	fi
	seeds=$(find "$d/corpus" -type f | wc -l)
	dict=""
	[ -f "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
	# libFuzzer's -max_total_time is wall time; on a shared machine a run
	# gets less CPU than that.  With FUZZ_CPU_SECONDS the target is rerun on
	# its grown corpus until its processes have used that much CPU.
	cpu=0 execs_total=0 round=0 rc=0
	: >"$d/log"
	while :; do
		round=$((round + 1))
		ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}" \
		UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}" \
		$timecmd "$FUZZ_BUILD/$n" $dict -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
			-malloc_limit_mb=1024 -max_len=1048576 -print_final_stats=1 \
			-artifact_prefix="$d/artifacts/" "$d/corpus" >"$d/log.$round" 2>&1
		rc=$?
		cat "$d/log.$round" >>"$d/log"
		e=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log.$round" | tail -n 1)
		execs_total=$((execs_total + ${e:-0}))
		if [ -n "$timecmd" ]; then
			c=$(tail -n 1 "$d/cpu.tmp" 2>/dev/null | awk '{ printf "%d", $1 + $2 }')
			cpu=$((cpu + ${c:-0}))
		fi
		rm -f "$d/log.$round"
		[ "$rc" -eq 0 ] || break
		[ -n "${FUZZ_CPU_SECONDS:-}" ] && [ -n "$timecmd" ] || break
		[ "$cpu" -lt "$FUZZ_CPU_SECONDS" ] || break
		[ "$round" -lt 20 ] || break
	done
	echo "$cpu" >"$d/cpu"
	echo "$commit" >"$d/commit"
	arts=$(find "$d/artifacts" -type f | wc -l)
	cov=$(grep -oE 'cov: [0-9]+' "$d/log" | tail -n 1)
	feat=$(grep -oE 'ft: [0-9]+' "$d/log" | tail -n 1)
	size=$(find "$d/corpus" -type f | wc -l)
	cpu_s=""
	[ -n "$timecmd" ] && cpu_s=", ${cpu} CPU s"
	if [ "$rc" -ne 0 ] || [ "$arts" -ne 0 ]; then
		echo "FAIL fuzz $n: exit $rc, $arts artifact(s) in $d/artifacts ($execs_total runs$cpu_s, seeds $seeds)" >"$d/result"
		grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$d/log" | sed 's/^/#   /' >>"$d/result"
		for a in "$d"/artifacts/*; do
			[ -f "$a" ] && echo "#   reproduce: $FUZZ_BUILD/$n $a  (or build/std/tests/fuzz/$n $a)" >>"$d/result"
		done
	else
		echo "ok fuzz $n: $execs_total runs in $round x ${FUZZ_SECONDS}s$cpu_s, ${cov:-cov: ?}, ${feat:-ft: ?}, corpus $seeds -> $size" >"$d/result"
	fi
}
timecmd=""
[ -x /usr/bin/time ] && timecmd=timed
timed() { # CPU seconds of the fuzzer (user, system) into $d/cpu.tmp
	/usr/bin/time -f "%U %S" -o "$d/cpu.tmp" "$@"
}
running=0
for n in $built; do
	run_target "$n" &
	running=$((running + 1))
	if [ $running -ge "$FUZZ_JOBS" ]; then wait; running=0; fi
done
wait
passed=0 failed=0
for n in $built; do
	cat "$out/$n/result"
	if grep -q '^ok ' "$out/$n/result"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
[ $build_failed -ne 0 ] && failed=$((failed + 1))
echo "$passed passed, $failed failed"
if [ -n "${FUZZ_REPORT:-}" ]; then
	{
		echo "# Fuzzing campaign"
		echo
		echo "Generated by \`make fuzz\` (tests/fuzz/run.sh with FUZZ_REPORT) on $(date -u '+%Y-%m-%d %H:%M') UTC,"
		echo "$(clang --version | head -n 1); the commit column says which code each target ran on."
		echo "Each target: libFuzzer with ASan + UBSan (halt on error, leak detection), -timeout=10,"
		echo "-rss_limit_mb=2048, -malloc_limit_mb=1024, seeded from tests/fuzz/corpus/ (generators and real"
		echo "fixtures), runs of ${FUZZ_SECONDS} s wall repeated on the grown corpus until the target has used"
		echo "${FUZZ_CPU_SECONDS:-(not set)} CPU seconds. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
		echo
		echo "| target | commit | CPU s | runs | coverage | features | corpus (seeds -> grown) | result |"
		echo "|---|---|---:|---:|---:|---:|---|---|"
		for r in "$out"/*/result; do
			[ -f "$r" ] || continue
			c=$(cat "$(dirname "$r")/commit" 2>/dev/null)
			sed -n '1s/^\(ok\|FAIL\) fuzz \([^:]*\): \([0-9]*\) runs in [^,]*, \([0-9]*\) CPU s, cov: \([0-9]*\), ft: \([0-9]*\), corpus \(.*\)$/| \2 | '"$c"' | \4 | \3 | \5 | \6 | \7 | \1 |/p' "$r"
			grep -q '^FAIL' "$r" && echo "| $(basename "$(dirname "$r")") | $c | | | | | | $(head -n 1 "$r" | sed 's/|/\\|/g') |"
		done
		echo
		if [ -f tests/fuzz/findings.md ]; then cat tests/fuzz/findings.md; fi
	} >"$FUZZ_REPORT.tmp" && mv "$FUZZ_REPORT.tmp" "$FUZZ_REPORT"
	echo "fuzz: report written to $FUZZ_REPORT"
fi
[ $failed -eq 0 ]
