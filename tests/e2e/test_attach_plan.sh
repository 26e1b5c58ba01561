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

# chosen STATUS EVENT PATTERN: the event's loaded variant matches PATTERN
chosen() {
	awk -v ev="$2" '$1 == ev { on = 1; next } /^  [a-z]/ { on = 0 } on' "$1" |
		grep -q "^ *\* $3.* ok "
}

# run_forced LABEL FORBID EVENT:VARIANT...: trace with FORBID forbidden,
# which must leave each EVENT fed by VARIANT (a pattern of its hook), or,
# where this kernel rejects one of them, make trace stop with one line.
run_forced() {
	local label=$1 forbid=$2 port out=$TMP/trace.$1 rc srv cli udp evs pair
	shift 2
	SOCKWATCH_FORBID=$forbid "$SW" status > "$TMP/st.$label" 2>&1
	evs=$(printf '%s\n' "$@" | cut -d: -f1 | paste -sd'|')
	for pair in "$@"; do
		chosen "$TMP/st.$label" "${pair%%:*}" "${pair#*:}" && continue
		# this kernel rejects the variant: trace must say so and stop
		SOCKWATCH_FORBID=$forbid timeout 60 "$SW" trace --json > /dev/null 2> "$TMP/err.$label"
		rc=$?
		check "$label: does not load here, trace exits non-zero (rc $rc)" \
			test "$rc" -ne 0 -a "$rc" -ne 124
		check "$label: one line naming the missing kernel feature" \
			bash -c "[ \$(wc -l < '$TMP/err.$label') = 1 ] && grep -qE 'cannot feed the ($evs) events: it lacks .*Linux [0-9.]+\)' '$TMP/err.$label'"
		cat "$TMP/err.$label"
		return
	done
	spawn env SOCKWATCH_FORBID="$forbid" "$SW" trace --json > "$out" 2> "$TMP/trace.err"
	local trace=$LAST_PID
	wait_for 30 grep -q tracing "$TMP/trace.err" || { cat "$TMP/trace.err"; not_ok "$label: trace did not start"; return; }
	port=$(free_port)
	spawn $WL serve 4 "$port" 1 > "$TMP/srv.$label"
	srv=$LAST_PID
	wait_for 10 grep -q ready "$TMP/srv.$label"
	$WL client 4 "$port" &
	cli=$!
	wait "$cli"
	wait "$srv"
	$WL udp 4 > /dev/null &
	udp=$!
	wait "$udp"
	# everyone's sockets are traced: keep the lines of this port, or of
	# the processes of this test where a record has no port yet
	seen() {
		grep -E "\"[lr]port\":$port,|\"pid\":($srv|$cli|$udp)," "$out" > "$out.mine"
		jq -e -s "map(select($1)) | length > 0" "$out.mine" >/dev/null
	}
	wait_for 30 seen ".event == \"close\" and .pid == $udp" ||
		not_ok "$label: the UDP socket's close not seen in time"
	check "$label: the server's close, with its pid" \
		wait_for 30 seen ".event == \"close\" and .pid == $srv and .lport == $port"
	stop "$trace"
	check "$label: the server's socket created, with its pid" \
		seen ".event == \"create\" and .pid == $srv and .proto == \"tcp\""
	check "$label: bind, with the server's pid and port" \
		seen ".event == \"bind\" and .pid == $srv and .lport == $port"
	check "$label: listen, with the server's pid" \
		seen ".event == \"listen\" and .pid == $srv and .lport == $port"
	check "$label: connect, with the client's pid and the server's port" \
		seen ".event == \"connect\" and .pid == $cli and .rport == $port"
	check "$label: client SYN_SENT -> ESTABLISHED, with its pid" \
		seen ".event == \"state\" and .pid == $cli and .old_state == \"SYN_SENT\" and .new_state == \"ESTABLISHED\" and .rport == $port"
	check "$label: accept attributed to the server" \
		seen ".event == \"accept\" and .pid == $srv and .lport == $port"
	check "$label: the accepted socket's later states carry the server's pid" \
		seen ".event == \"state\" and .pid == $srv and .lport == $port and .rport != 0 and .new_state != \"ESTABLISHED\""
	check "$label: the client sees CLOSE_WAIT" \
		seen ".event == \"state\" and .pid == $cli and .new_state == \"CLOSE_WAIT\""
	check "$label: the client's close, with its pid and the server's port" \
		seen ".event == \"close\" and .pid == $cli and .rport == $port"
	udp_seen() {
		local ev
		for ev in create bind connect close; do
			seen ".event == \"$ev\" and .pid == $udp and .proto == \"udp\"" || return 1
		done
		seen ".event == \"connect\" and .pid == $udp and .rport == 9"
	}
	check "$label: UDP create, bind, connect (port 9) and close, with the pid" udp_seen
}

run_forced state-tp_btf sockops state:tp_btf
run_forced state-sockops tp_btf state:sockops
run_forced accept-fexit tracepoint accept:fexit
run_forced accept-tracepoint fexit accept:tracepoint
# fentry/fexit for every event that has them, then the cgroup hooks
run_forced fentry cgroup,tracepoint create:fexit bind:fexit connect:fentry close:fentry accept:fexit
run_forced cgroup fentry create:cgroup bind:cgroup connect:cgroup close:cgroup accept:tracepoint

# Nothing left for an event: one line, non-zero, nothing attached.
SOCKWATCH_FORBID=tp_btf,sockops timeout 60 "$SW" agent --listen 127.0.0.1:0 > /dev/null 2> "$TMP/none.err"
rc=$?
check "agent with no state variant left: exits non-zero (rc $rc)" test "$rc" -ne 0 -a "$rc" -ne 124
check "agent with no state variant left: one line naming the feature" \
	bash -c "[ \$(wc -l < '$TMP/none.err') = 1 ] && grep -q 'no state events: SOCKWATCH_FORBID forbids every variant' '$TMP/none.err'"
cat "$TMP/none.err"
finish
