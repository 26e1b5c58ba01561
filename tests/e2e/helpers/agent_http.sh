# HTTP helpers for the agent's end-to-end tests, sourced after lib.sh.
# Requests go to $BASE (http://ADDR:PORT) with the curl arguments in the
# AUTH array (e.g. a bearer token header); bodies land in $TMP/body.
AUTH=()

# get PATH [CURL ARGS...]: the body to $TMP/body, the status on stdout.
get() {
	local path=$1
	shift
	: > "$TMP/body"
	curl -s -m 5 -o "$TMP/body" -w '%{http_code}' "${AUTH[@]}" "$@" "$BASE$path"
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
# check_no_drops: /api/v1/status events_dropped == 0.
# The agent sees every socket on the machine: when it also saw a flood from
# elsewhere (another test run), drops are reported and not held against it.
check_no_drops() {
	local st
	st=$(curl -s -m 5 "${AUTH[@]}" "$BASE/api/v1/status")
	if jq -e '.events_dropped == 0' <<<"$st" >/dev/null; then
		ok "events_dropped stayed 0 ($(jq -r .events_submitted <<<"$st") events)"
	elif jq -e '.events_submitted > 1000000 or .sockets > 20000' <<<"$st" >/dev/null; then
		ok "events_dropped $(jq -r .events_dropped <<<"$st"): a foreign flood ($(jq -r .events_submitted <<<"$st") events, $(jq -r .sockets <<<"$st") sockets now), not counted"
	else
		not_ok "events_dropped stayed 0: $(jq -c '{events_submitted,events_dropped,sockets}' <<<"$st")"
	fi
}
# wait_ready PID ERRFILE: the agent logged its ready line; fails at once if
# the process is gone, after 20 s otherwise.
wait_ready() {
	local pid=$1 err=$2
	_ready_or_dead() { grep -q 'sockwatch: info: ready in' "$err" || ! kill -0 "$pid" 2>/dev/null; }
	wait_for 20 _ready_or_dead && grep -q 'sockwatch: info: ready in' "$err"
}
