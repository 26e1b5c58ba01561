#!/usr/bin/env bash
# The attach plan is what this kernel loads: `sockwatch status` names one
# loaded variant per event; every variant of the state and accept events,
# forced in turn with SOCKWATCH_FORBID, either feeds the same records
# (owner, states, accept) or, where this kernel rejects it, makes trace
# exit non-zero with one line naming the missing feature, before anything
# is attached. So each fallback is tested on whatever kernel this runs on
# (the 5.10 ones natively under `make test-kernels`).
. "$(dirname "$0")/lib.sh"
WL="python3 tests/e2e/helpers/workload.py"

"$SW" status > "$TMP/status" 2>&1
check "status exits 0 with a complete plan" grep -q '^attach plan (complete' "$TMP/status"
for ev in create bind connect state accept close; do
	# the event's candidates: the lines after it, up to the next event
	awk -v ev="$ev" '$1 == ev { on = 1; next } /^  [a-z]/ { on = 0 } on' "$TMP/status" > "$TMP/cand.$ev"
	check "status: $ev has exactly one chosen variant, and it loads" \
		test "$(grep -c '^ *\* .* ok ' "$TMP/cand.$ev")" = 1
	check "status: every $ev variant says what became of it" \
		bash -c "! grep -q 'not tried' '$TMP/cand.$ev'"
done
cat "$TMP/status"

# run_forced EVENT VARIANT OTHERS: trace with OTHERS forbidden.
run_forced() {
	local ev=$1 want=$2 forbid=$3 port out=$TMP/trace.$2 rc srv cli
	SOCKWATCH_FORBID=$forbid "$SW" status > "$TMP/st.$want" 2>&1
	if ! awk -v ev="$ev" '$1 == ev { on = 1; next } /^  [a-z]/ { on = 0 } on' "$TMP/st.$want" |
		grep -q "^ *\* $want.* ok "; then
		# this kernel rejects the variant: trace must say so and stop
		SOCKWATCH_FORBID=$forbid timeout 60 "$SW" trace --json > /dev/null 2> "$TMP/err.$want"
		rc=$?
		check "$ev via $want only: does not load here, trace exits non-zero (rc $rc)" \
			test "$rc" -ne 0 -a "$rc" -ne 124
		check "$ev via $want only: one line naming the missing kernel feature" \
			bash -c "[ \$(wc -l < '$TMP/err.$want') = 1 ] && grep -qE 'cannot feed the $ev events: it lacks .*Linux [0-9.]+\)' '$TMP/err.$want'"
		cat "$TMP/err.$want"
		return
	fi
	spawn env SOCKWATCH_FORBID="$forbid" "$SW" trace --json > "$out" 2> "$TMP/trace.err"
	local trace=$LAST_PID
	wait_for 30 grep -q tracing "$TMP/trace.err" || { cat "$TMP/trace.err"; not_ok "$ev via $want: trace did not start"; return; }
	port=$(free_port)
	spawn $WL serve 4 "$port" 1 > "$TMP/srv.$want"
	srv=$LAST_PID
	wait_for 10 grep -q ready "$TMP/srv.$want"
	$WL client 4 "$port" &
	cli=$!
	wait "$cli"
	wait "$srv"
	# everyone's sockets are traced: keep the lines of this port
	seen() {
		grep -E "\"[lr]port\":$port," "$out" > "$out.mine"
		jq -e -s "map(select($1)) | length > 0" "$out.mine" >/dev/null
	}
	wait_for 30 seen ".event == \"close\" and .pid == $srv and .lport == $port" ||
		not_ok "$ev via $want: the server's close not seen in time"
	stop "$trace"
	check "$ev via $want: listen, with the server's pid" \
		seen ".event == \"listen\" and .pid == $srv and .lport == $port"
	check "$ev via $want: client SYN_SENT -> ESTABLISHED, with its pid" \
		seen ".event == \"state\" and .pid == $cli and .old_state == \"SYN_SENT\" and .new_state == \"ESTABLISHED\" and .rport == $port"
	check "$ev via $want: accept attributed to the server" \
		seen ".event == \"accept\" and .pid == $srv and .lport == $port"
	check "$ev via $want: the accepted socket's later states carry the server's pid" \
		seen ".event == \"state\" and .pid == $srv and .lport == $port and .rport != 0 and .new_state != \"ESTABLISHED\""
	check "$ev via $want: the client sees CLOSE_WAIT" \
		seen ".event == \"state\" and .pid == $cli and .new_state == \"CLOSE_WAIT\""
}

run_forced state tp_btf sockops
run_forced state sockops tp_btf
run_forced accept fexit tracepoint
run_forced accept tracepoint fexit

# Nothing left for an event: one line, non-zero, nothing attached.
SOCKWATCH_FORBID=tp_btf,sockops timeout 60 "$SW" agent --listen 127.0.0.1:0 > /dev/null 2> "$TMP/none.err"
rc=$?
check "agent with no state variant left: exits non-zero (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
check "agent with no state variant left: one line naming the feature" \
	bash -c "[ \$(wc -l < '$TMP/none.err') = 1 ] && grep -q 'no state events: SOCKWATCH_FORBID forbids every variant' '$TMP/none.err'"
cat "$TMP/none.err"
finish
