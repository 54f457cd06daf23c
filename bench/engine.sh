#!/usr/bin/env bash
# Exact-engine benchmark (issue 6): ns per counted guest instruction for
# loop bodies of 2/8/32 instructions, closed by LOOP (the counted-loop fast
# path) or by DEC+JNZ (basic blocks the engine single-steps), always as a
# ratio to the same guest free-running (nothing counting) in the same run.
# Boot time (n=0) is subtracted.  Median of 3.
#   bench/engine.sh [INSTRUCTIONS]     (default 400000 per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
V=$BUILD/vpmu
IMG=$BUILD/guest/bench_engine.elf
INSNS=${1:-400000}

ns_run() {	# args... -> wall ns of one run (median of 3)
	local t=()
	for _ in 1 2 3; do
		local a b
		a=$(date +%s%N)
		"$V" run --quiet --model skylake "$IMG" -- "$@" >/dev/null
		b=$(date +%s%N)
		t+=($((b - a)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n 2p
}

printf '%-6s %3s %10s %12s %12s %8s\n' shape K insns "free ns/i" "counted ns/i" ratio
for shape in loop blk; do
	for k in 2 8 32; do
		n=$((INSNS / k))
		base=$(ns_run shape=$shape K=$k n=0 counted=1)
		free=$(ns_run shape=$shape K=$k n=$n counted=0)
		cnt=$(ns_run shape=$shape K=$k n=$n counted=1)
		awk -v s=$shape -v k=$k -v i=$((n * k)) -v b="$base" -v f="$free" -v c="$cnt" \
			'BEGIN { fi = (f - b) / i; ci = (c - b) / i;
				 printf "%-6s %3d %10d %12.1f %12.1f %8.2f\n", s, k, i, fi, ci, ci / fi }'
	done
done
