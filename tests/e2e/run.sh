#!/usr/bin/env bash
# Run every end-to-end test (tests/e2e/test_*.sh, or those named in $E2E),
# each in its own bash, and print one summary line. They need root.
set -u
cd "$(dirname "$0")/../.."
if [ "$(id -u)" -ne 0 ]; then
	echo "e2e: the end-to-end tests load BPF programs and need root" >&2
	exit 1
fi
tests=(${E2E:-tests/e2e/test_*.sh})
pass=0 fail=0 skip=0 failed=()
for t in "${tests[@]}"; do
	echo "=== $t"
	start=$(date +%s)
	timeout --kill-after=10 $(( 600 * ${E2E_TIME_SCALE:-1} )) bash "$t"
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "=== $t: ok ($(( $(date +%s) - start ))s)"
	elif [ "$rc" -eq 77 ]; then
		skip=$((skip + 1))
		echo "=== $t: skipped ($(( $(date +%s) - start ))s)"
	else
		fail=$((fail + 1))
		failed+=("$t")
		echo "=== $t: FAILED ($(( $(date +%s) - start ))s)"
	fi
done
echo
echo "e2e: $pass passed, $fail failed$([ "$skip" -eq 0 ] || echo ", $skip skipped")"
[ "$fail" -eq 0 ] || { printf 'failed: %s\n' "${failed[@]}"; exit 1; }
