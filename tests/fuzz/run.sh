#!/usr/bin/env bash
# Run libFuzzer harnesses: tests/fuzz/run.sh BUILD SECONDS NAME:SEEDS...
#
# For each harness: replay its seed corpus (regression inputs included),
# then, when SECONDS > 0, fuzz it that long on a working copy of the
# corpus in BUILD/corpus/NAME. A crash, leak, sanitizer report or timeout
# is a finding: its input is kept in BUILD/artifacts/NAME/ and the run
# fails. One summary line per harness: executions, coverage, findings.
set -uo pipefail
build=$1 secs=$2
shift 2
# libFuzzer's -timeout handler calls malloc and can deadlock when the alarm
# lands inside malloc: a run that outlives its time by this much is stopped
# and counted as a finding (rc 124/137), so that a hang cannot block CI.
HANG_MARGIN=${FUZZ_HANG_MARGIN:-120}
REPLAY_LIMIT=600
fails=0
for spec in "$@"; do
	name=${spec%%:*} seeds=${spec#*:}
	bin=$build/fuzz/$name
	work=$build/corpus/$name art=$build/artifacts/$name
	log=$build/fuzz-$name.log
	mkdir -p "$work" "$art"
	dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	opts=(-artifact_prefix="$art/" -timeout=10 -rss_limit_mb=2048
	      -max_len=4096 -print_final_stats=1 "${dict[@]}")
	# replay: every seed once (libFuzzer runs the files given)
	if ! timeout -k 10 "$REPLAY_LIMIT" "$bin" "${opts[@]}" -runs=0 "$seeds" > "$log" 2>&1; then
		echo "fuzz $name: FINDING while replaying $seeds (see $log)"
		grep -m3 -E "ERROR|runtime error|Test unit written|ALARM|hung past" "$log" | sed 's/^/  /'
		fails=$((fails + 1))
		continue
	fi
	if [ "$secs" -le 0 ]; then
		echo "fuzz $name: $(ls "$seeds" | wc -l) corpus inputs replayed, no finding"
		continue
	fi
	timeout -k 10 $((secs + HANG_MARGIN)) \
		"$bin" "${opts[@]}" -max_total_time="$secs" "$work" "$seeds" > "$log" 2>&1
	rc=$?
	[ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] &&
		echo "the fuzzer itself hung past ${secs}s + ${HANG_MARGIN}s (its timeout handler can deadlock in malloc): stopped" >> "$log"
	execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	found=$(ls "$art" | wc -l)
	if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
		echo "fuzz $name: FINDING after ${execs:-?} executions (rc $rc; inputs in $art; log $log)"
		grep -m3 -E "ERROR|runtime error|Test unit written|ALARM|hung past" "$log" | sed 's/^/  /'
		fails=$((fails + 1))
	else
		echo "fuzz $name: ${execs:-?} executions in ${secs}s, cov ${cov:-?} ft ${ft:-?}, corpus $(ls "$work" | wc -l), no finding"
	fi
done
[ "$fails" -eq 0 ]
