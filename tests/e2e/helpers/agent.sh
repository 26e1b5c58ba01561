# shellcheck shell=bash disable=SC2034
# The one helper of every test of `sockwatch agent`: start it and wait for
# it, talk to its API, stop it. Source it after lib.sh:
#   . "$(dirname "$0")/lib.sh"
#   . "$(dirname "$0")/helpers/agent.sh"
#
#   start_agent NAME [ARGS...]   start, wait until ready (AG, API, BASE)
#   spawn_agent / agent_ready    the same in two steps (to watch start-up)
#   stop_agent                   SIGTERM, its exit code
#   api PATH                     GET, the body when 200
#   get PATH [CURL ARGS...]      GET, the status; the body in $TMP/body
#   status_is / json_is / error_is / has_header   assertions
# Requests carry the curl arguments in the AUTH array (a bearer token).
AUTH=()
AGENT_WRAP=()

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

# spawn_agent NAME [--listen ADDR] ARGS...: start `sockwatch agent`, its
# stdout and stderr in $TMP/NAME.out and .err, without waiting. The API
# listens on ADDR, by default on a free loopback port. Sets AG (its pid),
# AG_NAME, API (ADDR) and BASE (http://ADDR). A command in the AGENT_WRAP
# array runs the agent (e.g. in a mount namespace of its own).
spawn_agent() {
	AG_NAME=$1
	shift
	if [ "${1:-}" = --listen ]; then
		API=$2
		shift 2
	else
		API=127.0.0.1:$(free_port)
	fi
	BASE=http://$API
	spawn "${AGENT_WRAP[@]}" "$SW" agent --listen "$API" "$@" > "$TMP/$AG_NAME.out" 2> "$TMP/$AG_NAME.err"
	AG=$LAST_PID
}

# agent_ready: the agent logged its ready line; fails at once when it
# exited first, after 120 s otherwise (a start took over 30 s under
# make ci-stress on a shared machine), printing its stderr.
agent_ready() {
	_ready_or_dead() {
		grep -q 'sockwatch: info: ready in' "$TMP/$AG_NAME.err" || ! _ours "$AG"
	}
	wait_for 120 _ready_or_dead
	grep -q 'sockwatch: info: ready in' "$TMP/$AG_NAME.err" && return 0
	echo "    agent $AG_NAME: not ready ($(_ours "$AG" && echo "still starting after 120 s" || echo exited)); its stderr:"
	sed 's/^/    | /' "$TMP/$AG_NAME.err"
	return 1
}

# start_agent NAME [--listen ADDR] ARGS...: spawn_agent, then agent_ready.
start_agent() {
	spawn_agent "$@"
	agent_ready
}

# stop_agent: SIGTERM to the agent, its exit code.
stop_agent() {
	stop "$AG"
}

# agent_summary NAME: the agent's closing counts, for the log (a missed
# alert next to dropped events is a lost event, not a wrong detector).
agent_summary() {
	sed -n 's/^sockwatch: info: stopping: /  # agent: /p' "$TMP/$1.err"
}

# ---- the API client ----
# _curl ARGS...: every request to the agent goes through here. 30 s per
# request: an answer is what is checked, not its speed (benchmarks do
# that), and a sanitized agent on a loaded machine took over 5 s.
_curl() {
	curl -s -m 30 "${AUTH[@]}" "$@"
}

# api PATH: the body of GET PATH, failing unless the answer is 200.
api() {
	_curl -f "$BASE$1"
}

# get PATH [CURL ARGS...]: the body to $TMP/body, the status on stdout.
get() {
	local path=$1
	shift
	: > "$TMP/body"
	_curl -o "$TMP/body" -w '%{http_code}' "$@" "$BASE$path"
}

# status_is CODE PATH [CURL ARGS...]
status_is() {
	local want=$1 got
	shift
	got=$(get "$@")
	[ "$got" = "$want" ] || { echo "    $1: HTTP $got, want $want: $(head -c 300 "$TMP/body")"; return 1; }
}

# json_is CODE PATH FILTER: that status, a JSON body, FILTER true of it.
json_is() {
	status_is "$1" "$2" && jq -e "$3" "$TMP/body" >/dev/null ||
		{ echo "    $2: $(head -c 300 "$TMP/body")"; return 1; }
}

# error_is CODE PATH [CURL ARGS...]: that status and {"error": "..."}
error_is() {
	status_is "$@" && jq -e '.error | type == "string" and length > 0' "$TMP/body" >/dev/null
}

# has_header PATH REGEX [CURL ARGS...]: a response header matches REGEX
# (case-insensitive, anchored at the line's start by the caller).
has_header() {
	local path=$1 re=$2
	shift 2
	_curl -D - -o /dev/null "$@" "$BASE$path" | grep -qiE "$re"
}

# check_no_drops: /api/v1/status events_dropped == 0.
# The agent sees every socket on the machine: when it also saw a flood from
# elsewhere (another test run), drops are reported and not held against it.
check_no_drops() {
	local st
	st=$(api /api/v1/status)
	if jq -e '.events_dropped == 0' <<<"$st" >/dev/null; then
		ok "events_dropped stayed 0 ($(jq -r .events_submitted <<<"$st") events)"
	elif jq -e '.events_submitted > 1000000 or .sockets > 20000' <<<"$st" >/dev/null; then
		ok "events_dropped $(jq -r .events_dropped <<<"$st"): a foreign flood ($(jq -r .events_submitted <<<"$st") events, $(jq -r .sockets <<<"$st") sockets now), not counted"
	else
		not_ok "events_dropped stayed 0: $(jq -c '{events_submitted,events_dropped,sockets}' <<<"$st")"
	fi
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
