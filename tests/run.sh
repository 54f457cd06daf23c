#!/usr/bin/env bash
# vpmu test runner.  Runs every test program and totals their TAP output.
#
#   tests/run.sh [BUILD [SCRIPT...]]   (BUILD defaults to "build")
#
# With SCRIPT names (e.g. kut.sh), only those tests/t scripts run.
# Test programs: the cmocka binaries $BUILD/tests/test_*,
# $BUILD/clang/tests/test_* and $BUILD/asan/tests/test_* (ASan + UBSan
# build; run with TAP output), and the scripts
# tests/t/*.sh, which print TAP themselves (they get BUILD in the
# environment).  "ok" is a pass, "not ok ... # SKIP" or "ok ... # SKIP" a
# skip, any other "not ok" a failure; a program that exits non-zero
# without reporting a failure counts as one failure.  The last line is
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-${BUILD:-build}}
export BUILD
shift || true
only=("$@")
passed=0 failed=0 skipped=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run_one() {	# label, command...
	local label=$1; shift
	local p=0 f=0 s=0 rc
	"$@" >"$out" 2>&1 </dev/null
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*|"not ok "*"# SKIP"*|"ok "*"# skip"*) s=$((s + 1)) ;;
		"ok "*) p=$((p + 1)) ;;
		"not ok "*) f=$((f + 1)); echo "FAIL [$label] $line" ;;
		esac
	done <"$out"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL [$label] exited with status $rc"
	fi
	if [ "$f" -ne 0 ] || [ -n "${VERBOSE:-}" ]; then
		sed 's/^/    | /' "$out" | tail -n 60
	fi
	printf '%-6s %-40s %4d passed, %d failed, %d skipped\n' \
		"$([ "$f" -eq 0 ] && echo ok || echo FAILED)" "$label" "$p" "$f" "$s"
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
}

[ ${#only[@]} -gt 0 ] || for dir in "$BUILD/tests" "$BUILD/clang/tests" "$BUILD/asan/tests"; do
	[ -d "$dir" ] || continue
	for t in "$dir"/test_*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		run_one "${t#$BUILD/}" env CMOCKA_MESSAGE_OUTPUT=TAP "$t"
	done
done
for t in tests/t/*.sh; do
	[ -f "$t" ] || continue
	if [ ${#only[@]} -gt 0 ]; then
		[[ " ${only[*]} " == *" ${t#tests/t/} "* ]] || continue
	elif [ "${t#tests/t/}" = kut.sh ] && [ -n "${VPMU_KUT_DIR:-}" ]; then
		# the upstream suite takes long: `make kut` runs it, not make check
		echo "skip   t/kut.sh (VPMU_KUT_DIR is set: run it with 'make kut')"
		continue
	fi
	run_one "${t#tests/}" bash "$t"
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
