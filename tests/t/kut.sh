#!/usr/bin/env bash
# The upstream kvm-unit-tests PMU tests under vpmu (issue 5), unmodified.
#
#   VPMU_KUT_DIR=/path/to/kvm-unit-tests make kut
#
# VPMU_KUT_DIR is a kvm-unit-tests tree built with its own configure and
# make (x86/pmu.flat etc.; never part of this repository).  Each image and
# model is one test: pmu.flat must end with exit status 0 and a SUMMARY
# line with no unexpected failure; pmu_lbr/pmu_pebs must skip cleanly
# (status 77: vpmu advertises no LBR and PEBS format 0).  Without
# VPMU_KUT_DIR, or without /dev/kvm, every test is reported skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VPMU=$BUILD/vpmu
DIR=${VPMU_KUT_DIR:-}
TIMEOUT=${VPMU_KUT_TIMEOUT:-3600}

# image|model|expected exit status
RUNS=(
	"pmu.flat|lean|0"
	"pmu.flat|skylake|0"
	"pmu.flat|icelake|0"
	"pmu.flat|zen4|0"
	"pmu.flat|zen2|0"
	"pmu_lbr.flat|skylake|77"
	"pmu_pebs.flat|skylake|77"
)

why=
[ -n "$DIR" ] || why="VPMU_KUT_DIR not set (path to a kvm-unit-tests build)"
[ -z "$why" ] && [ ! -f "$DIR/x86/pmu.flat" ] && why="$DIR/x86/pmu.flat not found"
[ -z "$why" ] && [ ! -c /dev/kvm ] && why="no /dev/kvm"
[ -z "$why" ] && [ ! -x "$VPMU" ] && why="$VPMU not built"

for r in "${RUNS[@]}"; do
	IFS='|' read -r img model want <<<"$r"
	label="kut: $img on $model"
	if [ -n "$why" ]; then
		echo "ok - $label # SKIP $why"
		continue
	fi
	log=$BUILD/kut/${img%.flat}-$model.log
	mkdir -p "$BUILD/kut"
	start=$(date +%s)
	"$VPMU" run --model "$model" --timeout "$TIMEOUT" --json "$log.json" \
		"$DIR/x86/$img" >"$log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	summary=$(grep -m1 '^SUMMARY:' "$log")
	if [ "$rc" -eq "$want" ] && [ -n "$summary" ] &&
	   ! grep -q '[1-9][0-9]* unexpected failures' <<<"$summary"; then
		echo "ok - $label: $summary (${secs}s)"
	else
		echo "not ok - $label: exit $rc, want $want; ${summary:-no SUMMARY} (${secs}s, log $log)"
		grep -E '^FAIL' "$log" | head -n 10 | sed 's/^/#   /'
	fi
done
