#!/bin/sh
# Replays every seed and regression input of tests/fuzz/corpus/ through its
# fuzz target's file-replay build ($BUILD/tests/fuzz/fuzz_*; under `make
# check` that build has ASan+UBSan), so a fixed fuzzing finding stays fixed
# without clang's libFuzzer.  One check per target; each input gets 20 s.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build/std}
passed=0 failed=0 skipped=0
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
for bin in "$top/$BUILD"/tests/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	case "$bin" in *.o) continue ;; esac
	n=$(basename "$bin")
	dir="$top/tests/fuzz/corpus/$n"
	[ -d "$dir" ] || dir="$top/tests/fuzz/corpus/${n#fuzz_}"
	if [ ! -d "$dir" ]; then
		echo "skip $n: no corpus"
		skipped=$((skipped + 1))
		continue
	fi
	bad="" count=0
	for f in "$dir"/*; do
		[ -f "$f" ] || continue
		count=$((count + 1))
		if ! timeout 20 "$bin" "$f" >/dev/null 2>"$top/$BUILD/fuzz_replay.err"; then
			bad="$bad $(basename "$f")"
			sed -n '1,5p' "$top/$BUILD/fuzz_replay.err" | sed 's/^/#   /'
		fi
	done
	rm -f "$top/$BUILD/fuzz_replay.err"
	if [ -z "$bad" ]; then
		echo "ok $n: $count corpus inputs replayed"
		passed=$((passed + 1))
	else
		echo "FAIL $n: inputs failed:$bad"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
