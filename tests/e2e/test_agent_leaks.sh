#!/usr/bin/env bash
# sockwatch agent against real leaks (issue 3), all at once under one agent,
# each scenario on its own loopback address (so that its local_ip key is
# its own whatever else the machine does on 127.0.0.1):
#   127.0.7.1  a client that never closes its connections: the process
#              detector reports it (breach started, then confirmed), the
#              server it talks to is never named;
#   127.0.7.2  a server that never closes what its clients closed:
#              close_wait for each of its sockets, with its pid;
#   127.0.7.3  a busy well-behaved pair at the same rate: nothing;
# the --on-breach exec: action receives the confirmed breach's JSON; and
# every kind of invalid configuration is refused before attaching.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/leak_workload.py"
ALERTS=$TMP/alerts.json
N=100		# connections per client
RATE=20		# per second: 5 s of traffic
NDROP=5		# connections the close_wait server is left holding

need "$SW"

# has_alert FILTER: some alert so far matches the jq FILTER
has_alert() {
	jq -e -s "map(select($1)) | length > 0" "$ALERTS" >/dev/null 2>&1
}
# n_alerts FILTER: how many alerts match
n_alerts() {
	jq -s "map(select($1)) | length" "$ALERTS"
}

samples() {
	api /api/v1/detectors | jq -e .samples
}
samples_past() {
	[ "$(samples)" -ge "$1" ]
}

# ---------------------------------------------------------------- config
cat > "$TMP/sw.ini" <<'INI'
; small and fast: a test of seconds
[ewma]
min_ports = 5
short_samples = 3
long_samples = 10
interval_seconds = 0.2
breach_seconds = 1

[leaks]
close_wait_seconds = 1

; other tests may run beside this one: room for bursts, and quick repair
; of whatever the ring buffer still drops
[agent]
ring_buffer_kb = 8192
reconcile_seconds = 1
INI

# The action: the alert JSON on stdin and the environment, to files
# (one pair per run: one runs per confirmed key).
mkdir -p "$TMP/act"
cat > "$TMP/on-breach.sh" <<SH
#!/bin/sh
d=$TMP/act
cat > "\$d/alert.\$\$.tmp"
printf '%s %s %s\n' "\$SOCKWATCH_ALERT" "\$SOCKWATCH_KEY" "\$SOCKWATCH_PID" > "\$d/env.\$\$"
mv "\$d/alert.\$\$.tmp" "\$d/alert.\$\$.json"
SH
chmod +x "$TMP/on-breach.sh"

start_agent agent --config "$TMP/sw.ini" --alerts "$ALERTS" \
	--on-breach "exec:$TMP/on-breach.sh" ||
	{ not_ok "agent did not start"; finish; exit 1; }
ok "agent ready with the test configuration"

# ---------------------------------------------------------------- servers
spawn $WL hold 127.0.7.1 0 > "$TMP/hold.out"
HOLD=$LAST_PID
spawn $WL leaky 127.0.7.2 0 > "$TMP/leaky.out"
LEAKY=$LAST_PID
spawn $WL polite 127.0.7.3 0 > "$TMP/polite.out"
POLITE=$LAST_PID
P1=$(ready_port "$TMP/hold.out") P2=$(ready_port "$TMP/leaky.out") P3=$(ready_port "$TMP/polite.out")
[ -n "$P1" ] && [ -n "$P2" ] && [ -n "$P3" ] || { not_ok "servers did not start"; finish; exit 1; }
check "server ports $P1 $P2 $P3 are not critical ones (that would protect them)" \
	not_critical "$P1" "$P2" "$P3"
# The close_wait server's command line must match no default pattern.
PATS="fastapi uvicorn server listen accept gunicorn django flask tornado service daemon"
cmd_clean() {
	local cmd
	cmd="$(tr '\0' ' ' < /proc/"$1"/cmdline) $(cat /proc/"$1"/comm)"
	for p in $PATS; do
		case "${cmd,,}" in *"$p"*) echo "    '$cmd' contains '$p'"; return 1 ;; esac
	done
}
check "close_wait server (comm leaky) matches no infrastructure pattern" cmd_clean "$LEAKY"

# ---------------------------------------------------------------- clients
spawn $WL leak 127.0.7.1 "$P1" "$N" "$RATE" > "$TMP/leak.out"
LEAKER=$LAST_PID
spawn $WL ask 127.0.7.3 "$P3" "$N" "$RATE" > "$TMP/ask.out"
ASK=$LAST_PID
spawn $WL drop 127.0.7.2 "$P2" "$NDROP" "$RATE" > "$TMP/drop.out"
DROP=$LAST_PID

# (1) the leaker: breach started, then confirmed, for its process key
LK="(.key_kind == \"process\" and .pid == $LEAKER and .key == \"$LEAKER\")"
wait_for 20 has_alert "$LK and .alert == \"ewma_breach_confirmed\"" ||
	not_ok "no confirmed breach for the leaker in time"
check "leaker: ewma_breach_started for its process key" \
	has_alert "$LK and .alert == \"ewma_breach_started\" and .state == \"armed\" and .fail and .count >= 5 and .rd >= .threshold"
check "leaker: ewma_breach_confirmed for its process key, with its figures" \
	has_alert "$LK and .alert == \"ewma_breach_confirmed\" and .comm == \"sw-leaker\" and .state == \"confirmed\" and .count >= 5 and .short > .long and .rd >= 0.2 and .threshold == 0.2 and .age >= 1 and .breach_seconds == 1 and .sockets == .count and .inbound == 0"
check "leaker: started before confirmed; a confirmation only right after its start" \
	jqt -s "[.[] | select($LK) | .alert] | . as \$s | (index(\"ewma_breach_started\") < index(\"ewma_breach_confirmed\")) and all(range(1; length); \$s[.] != \"ewma_breach_confirmed\" or \$s[. - 1] == \"ewma_breach_started\")" "$ALERTS"

# (4) the action got the confirmed breach on stdin
action_ran() {
	local f
	for f in "$TMP"/act/alert.*.json; do
		jq -e --argjson p "$LEAKER" 'select(.alert == "ewma_breach_confirmed" and .key_kind == "process" and .pid == $p)' "$f" >/dev/null 2>&1 &&
			{ ACT=$f; return 0; }
	done
	return 1
}
ACT=
wait_for 10 action_ran
check "on-breach exec: received the leaker's confirmed breach as JSON" test -n "$ACT"
if [ -n "$ACT" ]; then
	check "on-breach exec: stdin is one JSON object, the alert line as written" \
		grep -qxF "$(cat "$ACT")" "$ALERTS"
	id=${ACT##*/alert.}
	check "on-breach exec: SOCKWATCH_ALERT, _KEY, _PID in its environment" \
		grep -qx "ewma_breach_confirmed $LEAKER $LEAKER" "$TMP/act/env.${id%.json}"
fi

# (2) close_wait for each socket the leaky server holds
CW="(.alert == \"close_wait\" and .pid == $LEAKY)"
all_close_waits() {
	[ "$(n_alerts "$CW" 2>/dev/null)" -ge "$NDROP" ]
}
wait_for 15 all_close_waits ||
	not_ok "close_wait alerts for the leaky server not in time"
check "close_wait: $NDROP alerts, one per leaked socket (distinct cookies)" \
	jqt -s "[.[] | select($CW) | .cookie] | (length == $NDROP) and (unique | length == $NDROP)" "$ALERTS"
check "close_wait: the server's side, in CLOSE_WAIT past the threshold" \
	jqt -s "[.[] | select($CW)] | all(.key_kind == \"socket\" and .comm == \"leaky\" and .state == \"CLOSE_WAIT\" and .local == \"127.0.7.2:$P2\" and (.remote | startswith(\"127.0.7.2:\")) and .inbound == true and .age > 1 and .threshold == 1 and .rx_bytes >= 32)" "$ALERTS"
check "close_wait: key is local->remote" \
	jqt -s "[.[] | select($CW)] | all(.key == .local + \"->\" + .remote)" "$ALERTS"

# (3) the well-behaved pair: let both clients finish, prove the agent has
# taken in everything up to then (barrier), let enough samples pass for a breach to start and be confirmed
# (breach_seconds / interval = 5; 10 to be sure), then look.
wait_for 20 grep -q "^done $N" "$TMP/ask.out" || not_ok "well-behaved client did not finish"
wait_for 20 grep -q "^done $N" "$TMP/leak.out" || not_ok "leaker did not finish"
check "agent has taken in every event up to after the traffic" barrier mark
S0=$(samples)
check "10 more detector samples after all the traffic" wait_for 30 samples_past $((S0 + 10))
polite_seen() {	# the agent tracked the pair's connections: server's inbound
	api "/api/v1/processes?pid=$POLITE" | jq -e '.processes[0].comm == "sw-polite"' >/dev/null
}
check "agent tracks the well-behaved server" polite_seen

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
agent_summary agent
check "agent stopped with its summary line" grep -q "info: stopping: [0-9]* events" "$TMP/agent.err"
check "alerts file is JSON lines" jqt -s 'all(has("time") and has("alert") and has("key_kind") and has("key"))' "$ALERTS"

check "the leaker's server (pid $HOLD) is named by no alert" \
	jqt -s "map(select(.pid == $HOLD)) | length == 0" "$ALERTS"
check "local_ip 127.0.7.1 breach names the leaker, not its server" \
	jqt -s "map(select(.key_kind == \"local_ip\" and .key == \"127.0.7.1\")) | length > 0 and all(.pid == $LEAKER)" "$ALERTS"
check "well-behaved server (pid $POLITE) is named by no alert" \
	jqt -s "map(select(.pid == $POLITE)) | length == 0" "$ALERTS"
check "well-behaved client (pid $ASK) is named by no alert" \
	jqt -s "map(select(.pid == $ASK)) | length == 0" "$ALERTS"
check "nothing at all on the well-behaved pair's address" \
	jqt -s 'map(select((.key // "") | test("127\\.0\\.7\\.3"))) | length == 0' "$ALERTS"
check "no close_wait for anyone but the leaky server among the test's" \
	jqt -s "map(select(.alert == \"close_wait\" and (.pid == $LEAKER or .pid == $HOLD or .pid == $ASK or .pid == $POLITE or .pid == $DROP))) | length == 0" "$ALERTS"
for p in "$LEAKER" "$ASK" "$DROP" "$HOLD" "$LEAKY" "$POLITE"; do
	stop "$p"
done
stop_markers

# Keep the alerts of the test's own processes for the record.
if [ -n "${SW_KEEP_ALERTS:-}" ]; then
	jq -c "select(.pid as \$p | [$LEAKER, $ASK, $DROP, $HOLD, $LEAKY, $POLITE] | index(\$p))" "$ALERTS" > "$SW_KEEP_ALERTS"
fi

# ---------------------------------------------------------------- bad configs
# Each: non-zero exit, one line naming file:line and the reason, and
# nothing opened (the alerts file is created only once the config is good).
bad_config() {	# bad_config DESCRIPTION "FILE:LINE: PATTERN" CONTENT
	local d=$1 want=$2 rc
	printf '%b' "$3" > "$TMP/bad.ini"
	rm -f "$TMP/bad-alerts.json"
	(cd "$TMP" && timeout 20 "$SW" agent --config bad.ini --no-http \
		--alerts "$TMP/bad-alerts.json" > "$TMP/bad.out" 2> "$TMP/bad.err")
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$(wc -l < "$TMP/bad.err")" -eq 1 ] &&
	   grep -q -- "^sockwatch: $want" "$TMP/bad.err" && [ ! -e "$TMP/bad-alerts.json" ] &&
	   ! grep -q ready "$TMP/bad.err"; then
		ok "bad config: $d"
	else
		not_ok "bad config: $d (rc=$rc, stderr: $(head -3 "$TMP/bad.err"))"
	fi
}
bad_config "unknown section" "bad.ini:3: unknown section 'bogus'" \
	'[ewma]\nmin_ports = 5\n[bogus]\nx = 1\n'
bad_config "unknown key" "bad.ini:2: unknown key 'min_port' in \[ewma\]" \
	'[ewma]\nmin_port = 5\n'
bad_config "bad number" "bad.ini:3: \[leaks\] close_wait_seconds: bad number '1s'" \
	'; comment\n[leaks]\nclose_wait_seconds = 1s\n'
bad_config "negative number" "bad.ini:2: \[ewma\] min_ports: bad number '-5'" \
	'[ewma]\nmin_ports = -5\n'
bad_config "min_ports >= max_ports" "bad.ini:3: \[ewma\] max_ports (100) must be greater than min_ports (100)" \
	'[ewma]\nmin_ports = 100\nmax_ports = 100\n'
bad_config "max_ports < min_ports, in either order" "bad.ini:4: \[ewma\] max_ports (50) must be greater than min_ports (100)" \
	'[ewma]\nmax_ports = 50\n\nmin_ports = 100\n'
bad_config "short >= long" "bad.ini:3: \[ewma\] short_samples (10) must be less than long_samples (10)" \
	'[ewma]\nshort_samples = 10\nlong_samples = 10\n'
bad_config "syntax error" "bad.ini:2: syntax error" \
	'[ewma]\nmin_ports 5\n'
"$SW" agent --config "$TMP/missing.ini" --no-http > /dev/null 2> "$TMP/bad.err"
rc=$?
check "missing config file: non-zero exit, one line naming it" \
	test "$rc" -ne 0 -a "$(wc -l < "$TMP/bad.err")" -eq 1 -a -n "$(grep "missing.ini" "$TMP/bad.err")"

finish
