#!/usr/bin/env bash
# Replays every committed fuzz input (fuzz/corpus/TARGET/) through its
# target built with ASan + UBSan ($BUILD/fuzz/replay_TARGET, `make
# fuzz-replay`): an input that ever crashed stays a regression test, and
# the invariants of each target are checked on the whole corpus.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
for t in msr snapshot loader; do
	bin=$BUILD/fuzz/replay_$t
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz replay $t: $bin not built (make fuzz-replay)"
		continue
	fi
	out=$("$bin" "fuzz/corpus/$t" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [ $rc -eq 0 ] && [[ $last == "ok 1 - "* ]]; then
		echo "ok - fuzz replay $t: ${last#ok 1 - replay_$t: } under ASan+UBSan"
	else
		echo "not ok - fuzz replay $t (exit $rc)"
		printf '%s\n' "$out" | grep -v '^# fuzz/' | head -n 30 | sed 's/^/#   /'
	fi
done
