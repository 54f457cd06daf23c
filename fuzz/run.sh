#!/usr/bin/env bash
# Run libFuzzer targets for a bounded time each (make fuzz), or merge what
# they found into the committed corpora (make fuzz-merge).
#   fuzz/run.sh [--merge] DIR SECONDS TARGET...
# Prints, per target, the executions and new inputs; stops at the first
# finding, whose input is saved as fuzz/corpus-work/crash-TARGET-*.
set -uo pipefail
cd "$(dirname "$0")/.."
merge=0
[ "${1:-}" = --merge ] && { merge=1; shift; }
dir=$1 secs=$2
shift 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	mkdir -p "fuzz/corpus-work/$t" "fuzz/corpus/$t"
	if [ $merge -eq 1 ]; then
		before=$(ls "fuzz/corpus/$t" | wc -l)
		"$dir/fuzz_$t" -merge=1 "fuzz/corpus/$t" "fuzz/corpus-work/$t" >"$log" 2>&1 ||
			{ cat "$log"; exit 1; }
		echo "fuzz_$t: corpus $before -> $(ls "fuzz/corpus/$t" | wc -l) inputs"
		continue
	fi
	"$dir/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="fuzz/corpus-work/crash-$t-" \
		"fuzz/corpus-work/$t" "fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	new=$(sed -n 's/^stat::new_units_added: *//p' "$log")
	if [ $rc -ne 0 ]; then
		grep -E 'invariant broken|ERROR: |SUMMARY:|Test unit written' "$log" | head -20
		echo "fuzz_$t: FINDING after ${execs:-?} executions (exit $rc)"
		exit 1
	fi
	echo "fuzz_$t: ${secs} s, ${execs:-?} executions, ${new:-0} new inputs, no finding"
done
