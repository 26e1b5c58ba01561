#!/usr/bin/env bash
# Safe clean-up of leaked sockets (issue 17). Three servers that never
# close what their clients closed, each on its own loopback address:
#   127.0.17.1  unprotected (comm sw-leak17): 6 sockets in CLOSE_WAIT
#   127.0.17.2  matches the infrastructure pattern (comm sw-infra17): 3
#   127.0.17.3  its clients sent more than active_bytes: 3
# with max_per_minute = 4. dry-run reports 4 would_destroy and changes
# nothing in ss; enforce destroys 4 of the unprotected ones (ss drops
# them, the server sees them aborted) and nothing else: not the
# infrastructure's, not the busy ones, not a listener, not a fifth one.
# Then, with idle_seconds = 1 and a higher rate: the last 2 and the
# server side of 2 idle connections (127.0.17.4, whose next read fails
# with ECONNABORTED); their client side matches the infrastructure
# pattern and stays. [cleanup] processes scopes the agent to the test's
# own processes: this machine is shared, and clean-up must never touch a
# socket of another test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
need "$SW"
CW="python3 tests/e2e/helpers/cleanup_workload.py"
ALERTS=$TMP/alerts.json
NLEAK=6 NINFRA=3 NBUSY=3 RATE=4

cat > "$TMP/base.ini" <<'INI'
[ewma]
interval_seconds = 0.2
[protection]
infrastructure_patterns = sw-infra17
active_bytes = 10000
min_age_seconds = 0
[agent]
reconcile_seconds = 1
ring_buffer_kb = 8192
INI
SCOPE=sw-leak17,sw-infra17,sw-busy17,sw-idle17,sw-infra17c
# config MODE [MAX_PER_MINUTE [IDLE_SECONDS]]
config() {
	cat "$TMP/base.ini"
	printf '[leaks]\nclose_wait_seconds = 1\nidle_seconds = %s\n' "${3:-300}"
	printf '[cleanup]\nmode = %s\nmin_age_seconds = 1\nmax_per_minute = %s\nprocesses = %s\n' \
		"$1" "${2:-$RATE}" "$SCOPE"
}

# cw ADDR: server-side CLOSE_WAIT sockets on ADDR, as ss sees them
cw() { ss -Htn state close-wait src "$1" | wc -l; }
listening() { [ "$(ss -Htln src "$1" | wc -l)" -eq 1 ]; }
n_alerts() { jq -s "map(select(.alert == \"$1\")) | length" "$ALERTS" 2>/dev/null || echo 0; }
alerts_ge() { [ "$(n_alerts "$1")" -ge "$2" ]; }
counts() { echo "leak=$(cw 127.0.17.1) infra=$(cw 127.0.17.2) busy=$(cw 127.0.17.3)"; }

# ---- bad configuration: one line, non-zero
printf '[cleanup]\nmode = sometimes\n' > "$TMP/bad.ini"
"$SW" agent --config "$TMP/bad.ini" --no-http > /dev/null 2> "$TMP/bad.err"
rc=$?
check "[cleanup] mode = sometimes: refused (rc $rc), one line" \
	bash -c "[ $rc -ne 0 ] && [ \$(wc -l < '$TMP/bad.err') -eq 1 ] && grep -q 'unknown mode' '$TMP/bad.err'"
printf '[cleanup]\nmax_per_minute = 0\n' > "$TMP/bad.ini"
"$SW" agent --config "$TMP/bad.ini" --no-http > /dev/null 2> "$TMP/bad.err"
check "[cleanup] max_per_minute = 0: refused" bash -c "[ $? -ne 0 ] && grep -q max_per_minute '$TMP/bad.err'"

# ---- the servers and their clients
spawn $CW serve sw-leak17 127.0.17.1 > "$TMP/leak.out"
LEAK=$LAST_PID
spawn $CW serve sw-infra17 127.0.17.2 > "$TMP/infra.out"
spawn $CW serve sw-busy17 127.0.17.3 > "$TMP/busy.out"
pl=$(ready_port "$TMP/leak.out") && pi=$(ready_port "$TMP/infra.out") &&
	pb=$(ready_port "$TMP/busy.out") || { not_ok "servers did not start"; finish; exit 1; }
$CW clients 127.0.17.1 "$pl" $NLEAK 10 > /dev/null
$CW clients 127.0.17.2 "$pi" $NINFRA 10 > /dev/null
$CW clients 127.0.17.3 "$pb" $NBUSY 100000 > /dev/null
settled() { [ "$(counts)" = "leak=$NLEAK infra=$NINFRA busy=$NBUSY" ]; }
wait_for 10 settled
before=$(counts)
check "CLOSE_WAIT in ss before: $before" settled

# ---- dry-run: reports, changes nothing
config dry-run > "$TMP/dry.ini"
start_agent dry --config "$TMP/dry.ini" --alerts "$ALERTS" ||
	{ not_ok "agent (dry-run) did not start"; finish; exit 1; }
wait_for 30 alerts_ge would_destroy $RATE
t0=$(date +%s%N)
# ten more leak scans (0.2 s each): the rate limit must still hold
more_scans() { [ $(( $(date +%s%N) - t0 )) -gt 2000000000 ]; }
wait_for 5 more_scans
nwd=$(n_alerts would_destroy)
check "dry-run: $RATE would_destroy alerts (rate limit $RATE/min; got $nwd)" [ "$nwd" -eq $RATE ]
check "  ... all for the unprotected server's sockets (127.0.17.1)" \
	bash -c "jq -e -s 'map(select(.alert == \"would_destroy\")) | all(.local | startswith(\"127.0.17.1:\"))' '$ALERTS' >/dev/null"
check "  ... carrying rule, mode and protection verdict" \
	bash -c "jq -e -s 'map(select(.alert == \"would_destroy\")) | all(.rule == \"close_wait\" and .mode == \"dry-run\" and .protection.reason == \"unprotected\" and .socket_age > 1)' '$ALERTS' >/dev/null"
grep '"would_destroy"' "$ALERTS" | head -1 | sed 's/^/  # /'
during=$(counts)
check "dry-run: nothing changed in ss ($during)" [ "$during" = "$before" ]
check "dry-run: no read failed in the server" bash -c "! grep -q read-failed '$TMP/leak.out'"
# cleanup_metric MODE FILE: the count in a scrape, once one answers (a
# scrape can take seconds on a busy machine)
cleanup_metric() {
	api /metrics | grep '^sockwatch_cleanup_total' > "$2" &&
		grep -q "^sockwatch_cleanup_total{mode=\"$1\",rule=\"close_wait\"} $RATE\$" "$2"
}
check "metric sockwatch_cleanup_total{mode=dry-run,rule=close_wait} $RATE" \
	wait_for 20 cleanup_metric dry-run "$TMP/dry.metrics"
stop "$AG"

# ---- enforce: the unprotected ones go, within the rate limit
config enforce > "$TMP/enf.ini"
start_agent enf --config "$TMP/enf.ini" --alerts "$ALERTS" ||
	{ not_ok "agent (enforce) did not start"; finish; exit 1; }
wait_for 30 alerts_ge socket_destroyed $RATE
t0=$(date +%s%N)
wait_for 5 more_scans
after=$(counts)
nsd=$(n_alerts socket_destroyed)
echo "  # ss CLOSE_WAIT before: $before; after enforce: $after"
check "enforce: $RATE socket_destroyed alerts (got $nsd)" [ "$nsd" -eq $RATE ]
check "enforce: ss shows $((NLEAK - RATE)) of the unprotected server's $NLEAK left (rate limit held)" \
	[ "$(cw 127.0.17.1)" -eq $((NLEAK - RATE)) ]
check "enforce: the infrastructure server's $NINFRA are untouched" [ "$(cw 127.0.17.2)" -eq $NINFRA ]
check "enforce: the busy server's $NBUSY are untouched" [ "$(cw 127.0.17.3)" -eq $NBUSY ]
check "enforce: every listener is still there" bash -c \
	"[ \$(ss -Htln src 127.0.17.1 | wc -l) -eq 1 ] && [ \$(ss -Htln src 127.0.17.2 | wc -l) -eq 1 ] && [ \$(ss -Htln src 127.0.17.3 | wc -l) -eq 1 ]"
nfail() { grep -c '^aborted ' "$1"; }
fails_ge() { [ "$(nfail "$1")" -ge "$2" ]; }
wait_for 5 fails_ge "$TMP/leak.out" $RATE
check "the server sees the $RATE destroyed sockets aborted (got $(nfail "$TMP/leak.out"))" [ "$(nfail "$TMP/leak.out")" -eq $RATE ]
check "  ... ECONNABORTED as their error (read: EOF, peer closed first)" \
	bash -c "[ \$(grep -c '^aborted [0-9]* ECONNABORTED so_error' '$TMP/leak.out') -eq $RATE ]"
# exactly the destroyed sockets (by client port)
jq -r -s 'map(select(.alert == "socket_destroyed")) | .[].remote | split(":")[1]' "$ALERTS" | sort > "$TMP/destroyed"
awk '/^aborted/ { print $2 }' "$TMP/leak.out" | sort > "$TMP/failed"
check "  ... and on exactly the sockets the alerts name" cmp -s "$TMP/destroyed" "$TMP/failed"
check "no socket of the infrastructure or busy server was ever destroyed" \
	bash -c "jq -e -s 'map(select(.alert == \"socket_destroyed\" or .alert == \"would_destroy\")) | all(.local | startswith(\"127.0.17.1:\"))' '$ALERTS' >/dev/null"
check "their close_wait alerts carry the protection that saved them" \
	bash -c "jq -e -s '[.[] | select(.alert == \"close_wait\" and (.local | startswith(\"127.0.17.2:\")))] | length > 0 and all(.protection.reason == \"infrastructure\")' '$ALERTS' >/dev/null &&
		 jq -e -s '[.[] | select(.alert == \"close_wait\" and (.local | startswith(\"127.0.17.3:\")))] | length > 0 and all(.protection.reason == \"active_traffic\")' '$ALERTS' >/dev/null"
grep '"socket_destroyed"' "$ALERTS" | head -1 | sed 's/^/  # /'
check "metric sockwatch_cleanup_total{mode=enforce,rule=close_wait} $RATE" \
	wait_for 20 cleanup_metric enforce "$TMP/enf.metrics"
stop "$AG"
agent_summary enf

# ---- idle connections, and the last two, at a higher rate
NIDLE=2
spawn $CW serve sw-idle17 127.0.17.4 > "$TMP/idle.out"
pd=$(ready_port "$TMP/idle.out") || { not_ok "idle server did not start"; finish; exit 1; }
spawn $CW idle sw-infra17c 127.0.17.4 "$pd" $NIDLE > "$TMP/idlecli.out"
wait_for 10 grep -q "^done $NIDLE" "$TMP/idlecli.out"
est() { ss -Htn state established src "$1" | wc -l; }
check "idle: $NIDLE connections, both ends established ($(est 127.0.17.4) sockets)" [ "$(est 127.0.17.4)" -eq $((2 * NIDLE)) ]
config enforce 10 1 > "$TMP/idle.ini"
start_agent idle --config "$TMP/idle.ini" --alerts "$ALERTS" ||
	{ not_ok "agent (idle) did not start"; finish; exit 1; }
want=$(( RATE + NLEAK - RATE + NIDLE ))
wait_for 30 alerts_ge socket_destroyed $want
t0=$(date +%s%N)
wait_for 5 more_scans
final=$(counts)
echo "  # ss after the second enforce run: $final, established on 127.0.17.4: $(est 127.0.17.4)"
check "the last $((NLEAK - RATE)) unprotected CLOSE_WAIT sockets are gone" [ "$(cw 127.0.17.1)" -eq 0 ]
check "the protected ones are still there (infra $NINFRA, busy $NBUSY)" \
	bash -c "[ \$(ss -Htn state close-wait src 127.0.17.2 | wc -l) -eq $NINFRA ] && [ \$(ss -Htn state close-wait src 127.0.17.3 | wc -l) -eq $NBUSY ]"
wait_for 5 fails_ge "$TMP/idle.out" $NIDLE
check "idle: the server's next read failed with ECONNABORTED on $NIDLE sockets" \
	bash -c "[ \$(grep -c '^aborted [0-9]* ECONNABORTED recv' '$TMP/idle.out') -eq $NIDLE ]"
check "idle: socket_destroyed alerts with rule idle, server side only" \
	bash -c "jq -e -s '[.[] | select(.alert == \"socket_destroyed\" and .rule == \"idle\")] | length == $NIDLE and all(.comm == \"sw-idle17\")' '$ALERTS' >/dev/null"
check "idle: the client side (infrastructure pattern) was never destroyed" \
	bash -c "! jq -e -s 'map(select((.alert == \"socket_destroyed\" or .alert == \"would_destroy\") and .comm == \"sw-infra17c\")) | length > 0' '$ALERTS' >/dev/null"
check "no listener was ever destroyed" \
	bash -c "[ \$(ss -Htln src 127.0.17.1 | wc -l) -eq 1 ] && [ \$(ss -Htln src 127.0.17.4 | wc -l) -eq 1 ] && ! grep -q '\"state\":\"LISTEN\".*destroy' '$ALERTS'"
stop "$AG"
finish
