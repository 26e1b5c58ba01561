# shellcheck shell=bash disable=SC2034
# Helpers for the tests of `sockwatch agent`. Source it after lib.sh:
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/helpers/agent_lib.sh"

# stop PID: as lib.sh's, but forgets exactly PID. lib.sh removes it with
# "${PIDS[@]/$p}", a substring substitution: stopping 1234 turns a
# remembered 51234 into 5, a stranger the exit cleanup then kills.
stop() {
	local p=$1 rc i
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rc=$?
	for i in "${!PIDS[@]}"; do
		[ "${PIDS[i]}" = "$p" ] && unset 'PIDS[i]'
	done
	return $rc
}

# need BINARY...: each one is built, or the test fails at once.
need() {
	local b
	for b in "$@"; do
		[ -x "$b" ] || { not_ok "$b is not built"; finish; exit 1; }
	done
}

# is_critical PORT: one of the default critical ports (docs/config.md),
# where a socket is protected.
is_critical() {
	local p=$1
	[ "$p" -le 1023 ] && return 0
	[ "$p" -ge 8000 ] && [ "$p" -le 8005 ] && return 0
	local singles=" 1433 1521 2049 3000 3001 3306 3389 4000 5000 5432 5900 6379 8080 8888 9000 9090 11211 27017 "
	[[ $singles == *" $p "* ]]
}

# not_critical PORT...: none of them is a critical port.
not_critical() {
	local p
	for p in "$@"; do
		is_critical "$p" && return 1
	done
	return 0
}

# pick_port: a free loopback TCP port that is not a critical one.
pick_port() {
	local p
	for _ in 1 2 3 4 5; do
		p=$(free_port)
		is_critical "$p" || { echo "$p"; return 0; }
	done
	return 1
}

# start_agent NAME ARGS...: `sockwatch agent ARGS` with its own API port,
# stdout and stderr in $TMP/NAME.out and .err, waited for until ready.
# Sets $AG (its pid) and $API (its address).
start_agent() {
	local name=$1
	shift
	API=127.0.0.1:$(free_port)
	spawn "$SW" agent --listen "$API" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
	AG=$LAST_PID
	wait_for 30 grep -q "info: ready in" "$TMP/$name.err" && return 0
	cat "$TMP/$name.err"
	return 1
}

# agent_summary NAME: the agent's closing counts, for the log (a missed
# alert next to dropped events is a lost event, not a wrong detector).
agent_summary() {
	sed -n 's/^sockwatch: info: stopping: /  # agent: /p' "$TMP/$1.err"
}

# api PATH: GET from the agent's API.
api() {
	curl -sf --max-time 5 "http://$API$1"
}

# agent_sees_listener PORT: a TCP listener on PORT is in the agent's table.
agent_sees_listener() {
	api "/api/v1/sockets?port=$1&state=LISTEN" | jq -e '.matched > 0' >/dev/null
}

# ready_port FILE: the port a leak_workload.py server printed ("ready
# PORT"), once it has (servers given port 0 let the kernel pick: no race
# with other tests for a free port).
ready_port() {
	wait_for 10 grep -q "^ready [0-9]" "$1" || return 1
	awk '/^ready [0-9]/ { print $2; exit }' "$1"
}

# barrier NAME: open a marker listener and wait until the agent has it.
# The ring buffer is in order (and reconciliation repairs what it drops),
# so the agent has then taken in every event from before the call.
MARKERS=()
barrier() {
	local m
	spawn python3 tests/e2e/helpers/leak_workload.py hold 127.0.0.1 0 > "$TMP/$1.out"
	MARKERS+=("$LAST_PID")
	m=$(ready_port "$TMP/$1.out") || return 1
	wait_for 20 agent_sees_listener "$m"
}

# stop_markers: stop the barriers' listeners.
stop_markers() {
	local m
	for m in "${MARKERS[@]}"; do
		stop "$m"
	done
	MARKERS=()
}
