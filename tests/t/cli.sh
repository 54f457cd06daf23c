#!/usr/bin/env bash
# The vpmu command line: errors (exit status and one-line message), bad
# images, subcommands; with KVM also the exit-status mapping, dying
# guests, --timeout, --json and the HOST-KVM quirk-7 pin.
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
VPMU=$BUILD/vpmu
G=$BUILD/guest
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

if [ ! -x "$VPMU" ] || [ ! -f "$G/boot.elf" ]; then
	echo "not ok - cli: $VPMU or $G/boot.elf not built (make vmm guest)"
	exit 1
fi

# expect STATUS PATTERN NAME -- command...: exit status and a stderr of
# exactly one line matching the extended regex PATTERN
expect() {
	local want=$1 pat=$2 name=$3 rc err lines
	shift 4
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	err=$(cat "$T/err")
	lines=$(grep -c '' "$T/err")
	if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] && grep -Eq -- "$pat" "$T/err"; then
		echo "ok - cli: $name"
	else
		echo "not ok - cli: $name (status $rc, want $want; $lines stderr lines)"
		sed 's/^/#   /' "$T/err" | head -n 5
	fi
}

# expect_out STATUS PATTERN NAME -- command...: status and stdout match
expect_out() {
	local want=$1 pat=$2 name=$3 rc
	shift 4
	"$@" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	if [ "$rc" -eq "$want" ] && { [ -z "$pat" ] || grep -Eq -- "$pat" "$T/out"; }; then
		echo "ok - cli: $name"
	else
		echo "not ok - cli: $name (status $rc, want $want)"
		head -n 5 "$T/out" "$T/err" | sed 's/^/#   /'
	fi
}

# ---- images that must be refused (no KVM needed) ----
mkdir "$T/dir"
printf 'hello, not an ELF\n' >"$T/text"
: >"$T/notkvm"
head -c 40 "$G/boot.elf" >"$T/trunc-header"
head -c 6000 "$G/boot.elf" >"$T/trunc-segment"
cp "$G/boot.elf" "$T/arm"
printf '\267\000' | dd of="$T/arm" bs=1 seek=18 conv=notrunc status=none	# e_machine = 183
cp "$G/boot.elf" "$T/nomb"
off=$(od -A d -t x4 -w4 "$T/nomb" | awk '$2 == "1badb002" { print $1 + 0; exit }')
printf '\000\000\000\000' | dd of="$T/nomb" bs=1 seek="$off" conv=notrunc status=none
cp "$G/boot.elf" "$T/badsum"
printf '\001' | dd of="$T/badsum" bs=1 seek=$((off + 8)) conv=notrunc status=none

expect 2 "^vpmu: $T/missing.elf: No such file or directory$" "missing image" -- \
	"$VPMU" run "$T/missing.elf"
expect 2 "^vpmu: $T/dir: is a directory$" "directory as image" -- "$VPMU" run "$T/dir"
expect 2 "^vpmu: $T/text: not an ELF file$" "text file as image" -- "$VPMU" run "$T/text"
expect 2 "^vpmu: $T/trunc-header: truncated ELF header$" "truncated ELF header" -- \
	"$VPMU" run "$T/trunc-header"
expect 2 "^vpmu: $T/trunc-segment: segment [0-9]+ lies outside the file \(truncated\?\)$" \
	"ELF truncated inside a segment" -- "$VPMU" run "$T/trunc-segment"
expect 2 "^vpmu: $T/arm: ELF64 file for machine 183 \(AArch64\); need ELF32 i386 or ELF64 x86-64$" \
	"ELF of another machine" -- "$VPMU" run "$T/arm"
expect 2 "^vpmu: $T/nomb: no multiboot header in the first 8 KiB$" "no multiboot header" -- \
	"$VPMU" run "$T/nomb"
expect 2 "^vpmu: $T/badsum: multiboot header at offset 0x[0-9a-f]+ has a bad checksum$" \
	"multiboot header with a bad checksum" -- "$VPMU" run "$T/badsum"
expect 2 "^vpmu: $G/boot.elf: image does not fit in 2 MiB of RAM \(segment [0-9]+: 0x[0-9a-f]+-0x[0-9a-f]+\)$" \
	"image larger than memory" -- "$VPMU" run --mem 2 "$G/boot.elf"
expect 2 "^vpmu: /bin/sh: not an executable ELF file \(type 3\)$" "shared object as image" -- \
	"$VPMU" run /bin/sh

# ---- options ----
expect 2 "^vpmu: unknown model 'nosuch' \(valid: .*skylake.*zen4.*\)$" "unknown model" -- \
	"$VPMU" run --model nosuch "$G/boot.elf"
expect 2 "^vpmu: --cpus: '0' is not a number from 1 to [0-9]+$" "--cpus 0" -- \
	"$VPMU" run --cpus 0 "$G/boot.elf"
expect 2 "^vpmu: --cpus: 'two' is not a number from 1 to [0-9]+$" "--cpus two" -- \
	"$VPMU" run --cpus two "$G/boot.elf"
expect 2 "^vpmu: --cpus: '100000' is not a number from 1 to [0-9]+$" "--cpus too many" -- \
	"$VPMU" run --cpus 100000 "$G/boot.elf"
expect 2 "^vpmu: --mem: '12x' is not a number from [0-9]+ to [0-9]+$" "--mem 12x" -- \
	"$VPMU" run --mem 12x "$G/boot.elf"
expect 2 "^vpmu: --timeout: '-1' is not a number of seconds$" "--timeout -1" -- \
	"$VPMU" run --timeout -1 "$G/boot.elf"
expect 2 "^vpmu: --timeout: '1e-10' is below 1 ms$" "--timeout below 1 ms" -- \
	"$VPMU" run --timeout 1e-10 "$G/boot.elf"
head -c 700000 /dev/zero >"$T/bigenv"
expect 2 "^vpmu: --env $T/bigenv: larger than [0-9]+ KiB$" "--env too large (before KVM)" -- \
	"$VPMU" run --env "$T/bigenv" "$G/boot.elf"
expect 2 "^vpmu: --env $T/noenv: No such file or directory$" "--env missing (before KVM)" -- \
	"$VPMU" run --env "$T/noenv" "$G/boot.elf"
expect 2 "^vpmu: guest command line longer than [0-9]+ bytes$" "command line too long (before KVM)" -- \
	"$VPMU" run "$G/boot.elf" -- "$(head -c 40000 /dev/zero | tr '\0' a)"
expect 2 "^vpmu: --filter: '0xc4' is not EVENT\[/UMASK\] or fixed=MASK \(hex\)$" "--filter 0x prefix" -- \
	"$VPMU" run --filter deny:0xc4 "$G/boot.elf"
expect 2 "^vpmu: --filter: 'block:c4' does not start with allow: or deny:$" "--filter action" -- \
	"$VPMU" run --filter block:c4 "$G/boot.elf"
expect 2 "^vpmu: --engine: unknown engine 'warp' \(valid: none.*\)$" "unknown engine" -- \
	"$VPMU" run --engine warp "$G/boot.elf"
expect 2 "^vpmu: run: unknown option '--bogus' \(see 'vpmu run --help'\)$" "unknown option" -- \
	"$VPMU" run --bogus "$G/boot.elf"
expect 2 "^vpmu: run: option '--model' needs a value$" "option without its value" -- \
	"$VPMU" run --model
expect 2 "^vpmu: run: no IMAGE given" "no image" -- "$VPMU" run
expect 2 "^vpmu: unknown command 'fly' \(see 'vpmu help'\)$" "unknown command" -- "$VPMU" fly
expect 2 "^vpmu: unknown model 'p4'" "cpuid of an unknown model" -- "$VPMU" cpuid p4
VPMU_KVM_DEVICE=$T/nokvm expect 125 "^vpmu: $T/nokvm: No such file or directory \(KVM not available\)$" \
	"KVM not available" -- env VPMU_KVM_DEVICE="$T/nokvm" "$VPMU" run "$G/boot.elf"
expect 125 "^vpmu: $T/notkvm: not a KVM device \(Inappropriate ioctl for device\)$" \
	"a regular file as the KVM device" -- env VPMU_KVM_DEVICE="$T/notkvm" "$VPMU" run "$G/boot.elf"
# permission errors: run as an unprivileged user (root reads anything)
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ] &&
	setpriv --reuid=65534 --regid=65534 --clear-groups "$VPMU" --version >/dev/null 2>&1; then
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	chmod 755 "$T"
	cp "$G/boot.elf" "$T/private.elf" && chmod 600 "$T/private.elf"
	cp "$G/boot.elf" "$T/public.elf" && chmod 644 "$T/public.elf"
	expect 2 "^vpmu: $T/private.elf: Permission denied$" "unreadable image" -- \
		nobody "$VPMU" run "$T/private.elf"
	mknod "$T/kvm600" c 10 232 && chmod 600 "$T/kvm600"
	expect 125 "^vpmu: $T/kvm600: Permission denied \(KVM not available\)$" \
		"unreadable KVM device" -- nobody env VPMU_KVM_DEVICE="$T/kvm600" "$VPMU" run "$T/public.elf"
else
	echo "ok - cli: unreadable image and KVM device # SKIP needs root, setpriv and a build nobody can run"
fi

# ---- subcommands ----
expect_out 0 '^skylake +Intel' "models lists skylake" -- "$VPMU" models
expect_out 0 '^zen4 +AMD' "models lists zen4" -- "$VPMU" models
expect_out 0 '^0x0000000a\.0 +0x07300404 0x00000000 0x00000000 0x00000603$' \
	"cpuid skylake: leaf 0AH" -- "$VPMU" cpuid skylake
expect_out 0 '^0x80000022\.0 +0x00000001 0x00000006' "cpuid zen4: leaf 8000_0022H" -- \
	"$VPMU" cpuid zen4
expect_out 0 '^vpmu [0-9]+\.[0-9]+' "--version" -- "$VPMU" --version
expect_out 0 '^usage: vpmu <command>' "help" -- "$VPMU" help
expect_out 0 '^usage: vpmu run ' "run --help" -- "$VPMU" run --help
expect_out 0 '^usage: vpmu models' "models --help" -- "$VPMU" models --help
expect_out 0 '^usage: vpmu cpuid' "cpuid --help" -- "$VPMU" cpuid --help

# ---- with KVM ----
if ! { [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
	"$VPMU" run --quiet --timeout 20 "$G/exitcode.elf" -- code=0 >/dev/null 2>&1; }; then
	echo "ok - cli: KVM runs # SKIP no /dev/kvm"
	exit 0
fi
for c in 0:0 1:1 3:3 38:77 125:125 126:125 4000000000:125; do
	expect_out "${c#*:}" '' "guest exit code ${c%:*} -> status ${c#*:}" -- \
		"$VPMU" run --quiet "$G/exitcode.elf" -- code="${c%:*}"
done
expect 125 "^vpmu: guest died: triple fault \(KVM_EXIT_SHUTDOWN\) on vCPU 0 at RIP 0x[0-9a-f]+ " \
	"triple fault -> 125 with RIP" -- "$VPMU" run --quiet "$G/exitcode.elf" -- crash=triple
expect 125 "^vpmu: guest halted with interrupts disabled" "CLI;HLT -> 125" -- \
	"$VPMU" run --quiet --timeout 30 "$G/exitcode.elf" -- crash=hlt
expect 125 "^vpmu: guest halted with interrupts disabled \(all 2 vCPUs\)" \
	"CLI;HLT with a never-started AP -> 125" -- \
	"$VPMU" run --quiet --cpus 2 --timeout 30 "$G/exitcode.elf" -- crash=hlt
expect 124 "^vpmu: timeout: guest still running after 1 s$" "--timeout 1 -> 124" -- \
	"$VPMU" run --quiet --timeout 1 "$G/exitcode.elf" -- crash=spin
# quirk 7: without the filter KVM answers these PMU MSRs itself
expect_out 0 '^SUMMARY: 12 tests, 0 unexpected failures' \
	"quirk 7: without the MSR filter KVM answers 0xC1-2, 0x186-7, 0xC0010000-7" -- \
	"$VPMU" run --quiet --no-msr-filter "$G/quirk7.elf" -- expect=kvm
expect_out 0 '^SUMMARY: 12 tests, 0 unexpected failures' \
	"quirk 7: with the MSR filter they reach libvpmu" -- \
	"$VPMU" run --quiet "$G/quirk7.elf" -- expect=vpmu model=skylake
# --env becomes the one multiboot module; summary on stderr; --json
printf 'NR_CPUS=1\n' >"$T/env"
expect_out 0 'SUMMARY: 13 tests, 0 unexpected' "--env FILE boots" -- \
	"$VPMU" run --quiet --env "$T/env" "$G/boot.elf" -- hello=world
"$VPMU" run --json "$T/run.json" "$G/rdpmc.elf" -- model=skylake >/dev/null 2>"$T/err"
if grep -q 'Performance counter stats' "$T/err" && grep -q '"exit_status": 0' "$T/run.json" &&
	grep -q '"uncounted_time_s"' "$T/run.json" && grep -q '"wall_time_s"' "$T/run.json"; then
	echo "ok - cli: summary on stderr and --json FILE"
else
	echo "not ok - cli: summary on stderr and --json FILE"
fi
"$VPMU" run --quiet "$G/rdpmc.elf" -- model=skylake >/dev/null 2>"$T/err"
if [ ! -s "$T/err" ]; then echo "ok - cli: --quiet prints nothing on stderr"; else
	echo "not ok - cli: --quiet prints nothing on stderr"; fi
