#!/usr/bin/env bash
# Guest tests: every $BUILD/guest/*.elf test under `vpmu run` for each
# model it applies to.  The guest's TAP lines come out prefixed with
# "<model>/<test>: ", plus one line per run for its exit status: 0 when
# all passed, 1 when some failed (those lines are already "not ok"), 77
# when everything was skipped; anything else is a failure.  Without a
# usable /dev/kvm every run is reported as skipped.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VPMU=$BUILD/vpmu
G=$BUILD/guest

# test image, models, extra guest arguments.  hidden=0x5c: the arch events
# the exact engine marks unavailable in CPUID.0AH.EBX (engine/engine_step.c).
RUNS=(
	"boot.elf|skylake|hello=world"
	"boot32.flat|skylake|hello=world"
	"msr.elf|lean skylake icelake core2 zen4 zen2 k10|"
	"cpuid.elf|lean skylake icelake core2 zen4 zen2 k10|hidden=0x5c"
	"rdpmc.elf|lean skylake icelake core2 zen4 zen2 k10|"
	"user.elf|skylake zen4|"
	"pmi.elf|lean skylake icelake zen4|"
	"count.elf|lean skylake icelake core2 zen4 zen2 k10|"
	"demo.elf|skylake lean zen4|"
	"count.elf|skylake zen4|cpi=3|--cpi 3"
	"filter.elf|skylake|want=14,7,14,14|"
	"filter.elf|skylake|want=14,0,14,14|--filter deny:c4"
	"filter.elf|skylake|want=14,7,0,14|--filter allow:c0,c4,fixed=0x2"
	"filter.elf|skylake|want=0,7,14,0|--filter deny:c0,fixed=0x2"
	"filter.elf|zen4|want=14,0|--filter deny:c2"
	"filter.elf|zen4|want=14,7|--filter deny:1c2"
	"quirk7.elf|skylake zen4|expect=vpmu"
	"smp.elf|skylake zen4||--cpus 2"
)

kvm_usable() {
	[ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	"$VPMU" run --quiet --timeout 20 "$G/exitcode.elf" -- code=0 >/dev/null 2>&1
}

if [ ! -x "$VPMU" ] || [ ! -f "$G/msr.elf" ]; then
	echo "not ok - guest tests: $VPMU or $G/*.elf not built (make vmm guest)"
	exit 1
fi
skip=
kvm_usable || skip="no /dev/kvm"

run_one() {	# image model args opts
	local img=$1 model=$2 args=$3 opts=$4 label out rc fails=0 skips=0 total=0
	label="$model/${img%.*}"
	[ "$img" = boot32.flat ] && label="$model/boot32"
	if [ -n "$skip" ]; then
		echo "ok - $label # SKIP $skip"
		return
	fi
	out=$("$VPMU" run --quiet --model "$model" --timeout 300 $opts "$G/$img" -- \
		model="$model" $args 2>&1)
	rc=$?
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"*) skips=$((skips + 1)); total=$((total + 1)) ;;
		"not ok "*) fails=$((fails + 1)); total=$((total + 1)) ;;
		"ok "*) total=$((total + 1)) ;;
		*) continue ;;
		esac
		# "ok 12 - name" -> "ok - model/test: name"
		echo "$line" | sed -E "s/^(ok|not ok) [0-9]+ - /\\1 - $(printf '%s' "$label" | sed 's/[\/&]/\\&/g'): /"
	done <<<"$out"
	local want=0
	[ "$fails" -gt 0 ] && want=1
	[ "$fails" -eq 0 ] && [ "$total" -gt 0 ] && [ "$skips" -eq "$total" ] && want=77
	if [ "$total" -eq 0 ] || [ "$rc" -ne "$want" ] || ! grep -q '^SUMMARY: ' <<<"$out"; then
		echo "not ok - $label: exit status $rc (expected $want from $total results)"
		grep -v '^ok ' <<<"$out" | tail -n 5 | sed 's/^/#   /'
	else
		echo "ok - $label: exit status $rc"
	fi
}

for r in "${RUNS[@]}"; do
	IFS='|' read -r img models args opts <<<"$r"
	for m in $models; do
		run_one "$img" "$m" "$args" "$opts"
	done
done
