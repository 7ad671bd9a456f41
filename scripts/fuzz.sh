#!/bin/sh
# Runs each fuzz target named in the arguments for FUZZ_SECONDS (or the seconds after a colon: `chart:120`) with
# $FUZZ_BIN, one at a time, and prints per target the seconds, executions, corpus size and crashes. The committed corpus (Tests/Fuzz/Corpus/<target>) is read, never written:
# new inputs go to .build-fuzz/corpus/<target>, crash inputs to .build-fuzz/crashes/<target>.
# Exit status 1 when any target crashed.
set -u
: "${FUZZ_BIN:?FUZZ_BIN names the pollbot-fuzz binary}"
: "${FUZZ_SECONDS:=60}"
# Without this a crash report symbolizes for minutes.
export ASAN_OPTIONS="${ASAN_OPTIONS:-symbolize=0:detect_leaks=0}"
# Swift's own backtracer would run inside the crashed process and trip ASan; libFuzzer reports the crash instead.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
root=.build-fuzz
failed=0
total=0
printf '%-13s %8s %12s %8s %8s\n' target seconds executions corpus crashes
for spec in "$@"; do
	target=${spec%%:*}
	seconds=$FUZZ_SECONDS
	case $spec in *:*) seconds=${spec#*:} ;; esac
	mkdir -p "$root/corpus/$target" "$root/crashes/$target" "$root/logs"
	log="$root/logs/$target.log"
	before=$(ls "$root/crashes/$target" | wc -l)
	FUZZ_TARGET="$target" "$FUZZ_BIN" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$root/crashes/$target/" \
		"$root/corpus/$target" "Tests/Fuzz/Corpus/$target" >"$log" 2>&1
	status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(find "$root/corpus/$target" "Tests/Fuzz/Corpus/$target" -type f | wc -l)
	crashes=$(( $(ls "$root/crashes/$target" | wc -l) - before ))
	[ "$status" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	printf '%-13s %8s %12s %8s %8s\n' "$target" "$seconds" "${runs:-?}" "$corpus" "$crashes"
	total=$((total + ${runs:-0}))
	[ "$crashes" -ne 0 ] && { failed=1; echo "  see $log and $root/crashes/$target/"; }
done
echo "total executions: $total"
exit $failed
