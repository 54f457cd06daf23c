#!/usr/bin/env bash
# The exact engine end to end (issues 4 and 6):
#  - determinism: the same image and options give bit-identical guest
#    output and host-side counts on every run;
#  - the counted-loop fast path changes nothing: every guest test gives
#    the same output and counts with it (default) and with single-step
#    only (VPMU_NO_FASTLOOP=1);
#  - the fast path is really used (the engine's statistics say so).
# Without a usable /dev/kvm every check is reported as skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VPMU=$BUILD/vpmu
G=$BUILD/guest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# image|model: the guests whose counts are compared
CASES=(
	"count.elf|skylake"
	"count.elf|zen4"
	"count.elf|k10"
	"pmi.elf|skylake"
)

if [ ! -x "$VPMU" ] || [ ! -c /dev/kvm ]; then
	for c in "${CASES[@]}"; do
		echo "ok - engine: ${c%%|*} on ${c##*|} # SKIP no /dev/kvm or vpmu not built"
	done
	exit 0
fi

# Run one case; keep the guest output and the counts (wall times dropped).
run() {	# img model out [env...]
	local img=$1 model=$2 out=$3
	shift 3
	env "$@" "$VPMU" run --quiet --model "$model" --timeout 300 \
		--json "$out.json" "$G/$img" -- model="$model" >"$out.txt" 2>"$out.err"
	echo "status $?" >>"$out.txt"
	# counts only: no times, and not the engine's own statistics (the
	# fast path takes fewer steps by design); those are compared apart
	grep -v -e '_time_s' -e '_us"' -e '"engine": {' "$out.json" >"$out.counts" 2>/dev/null
	grep -o '"engine": {[^}]*}' "$out.json" >"$out.engine" 2>/dev/null
}

same() {	# label a b
	if cmp -s "$2.txt" "$3.txt" && cmp -s "$2.counts" "$3.counts"; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		diff "$2.txt" "$3.txt" | head -5 | sed 's/^/#   /'
		diff "$2.counts" "$3.counts" | head -5 | sed 's/^/#   /'
	fi
}

for c in "${CASES[@]}"; do
	IFS='|' read -r img model <<<"$c"
	base="$tmp/${img%.*}-$model"
	run "$img" "$model" "$base.a"
	run "$img" "$model" "$base.b"
	run "$img" "$model" "$base.step" VPMU_NO_FASTLOOP=1
	same "engine: $img on $model: two runs are identical" "$base.a" "$base.b"
	if cmp -s "$base.a.engine" "$base.b.engine"; then
		echo "ok - engine: $img on $model: two runs step identically"
	else
		echo "not ok - engine: $img on $model: engine statistics differ between runs"
	fi
	same "engine: $img on $model: fast path = single-step" "$base.a" "$base.step"
done

# The fast path runs loops free: count.elf's loop100 workload is one.
run count.elf skylake "$tmp/stats"
loops=$(sed -n 's/.*"loops_run_free": \([0-9]*\).*/\1/p' "$tmp/stats.engine")
if [ "${loops:-0}" -gt 0 ]; then
	echo "ok - engine: counted loops run free ($loops)"
else
	echo "not ok - engine: no counted loop ran free"
	sed 's/^/#   /' "$tmp/stats.engine" | head -5
fi
unexplained=$(sed -n 's/.*"unexplained": \([0-9]*\).*/\1/p' "$tmp/stats.engine")
if [ "${unexplained:-x}" = 0 ]; then
	echo "ok - engine: every step explained by a rule"
else
	echo "not ok - engine: $unexplained unexplained steps"
fi
