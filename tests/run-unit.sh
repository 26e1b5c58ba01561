#!/usr/bin/env bash
# Run each cmocka test binary given on the command line; print one summary.
set -u
pass=0 fail=0 failed=()
for t in "$@"; do
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed+=("$(basename "$t")")
	fi
done
echo
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }
