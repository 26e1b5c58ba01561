#!/usr/bin/env bash
# sockwatch agent's HTTP API and /metrics against real sockets: every
# endpoint answers valid JSON, a listener the test opens shows up with its
# pid and port, query filters and errors, `promtool check metrics`, a real
# Prometheus scraping the agent, SIGHUP reloads (a broken config is
# rejected and the running one kept), and SIGTERM detaching everything.
# Loopback only; the agent's security is tests/e2e/test_agent_security.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/workload.py"

CONF=$TMP/agent.conf
cat > "$CONF" <<EOF
[http]
top_k = 5
timeout_seconds = 5

[leaks]
close_wait_seconds = 60

; room for bursts from other tests running on the same machine
[agent]
ring_buffer_kb = 16384
EOF

metric() {	# metric NAME{LABELS}: its value in the last scrape
	awk -v k="$1" '$1 == k { print $2 }' "$TMP/metrics"
}
scrape() { api /metrics > "$TMP/metrics"; }
# at least two TCP/IPv4 listeners in sockwatch_sockets
listeners_in_metrics() {
	scrape && awk '$1 ~ /^sockwatch_sockets\{state="LISTEN",proto="tcp",family="inet"\}$/ && $2 >= 2 { f=1 } END { exit !f }' "$TMP/metrics"
}

spawn_agent agent --config "$CONF"
AGENT=$AG
PORT=${API##*:}
T0=$(date +%s%N)
# Requests while it starts (HTTP is up before BPF is): refused or answered,
# never a crash. Until ready: no socket (000), or no route yet (404).
EARLY=""
while ! grep -q 'sockwatch: info: ready in' "$TMP/agent.err" && kill -0 "$AGENT" 2>/dev/null &&
	[ $(( $(date +%s%N) - T0 )) -lt 20000000000 ]; do
	EARLY+=" $(_curl -m 1 -o /dev/null -w '%{http_code}' "$BASE/api/v1/status")"
done
if ! agent_ready; then
	not_ok "agent did not get ready"
	finish
	exit 1
fi
ok "agent ready in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
early_ok() { [ -n "$EARLY" ] && ! tr ' ' '\n' <<<"$EARLY" | grep -qvxE '000|404|200|'; }
check "requests during start-up: only 000/404/200 ($(tr ' ' '\n' <<<"$EARLY" | grep . | sort | uniq -c | xargs))" early_ok
check "...and the agent survived them" kill -0 "$AGENT"
check "ready line names the listen address" grep -q "http 127.0.0.1:$PORT" "$TMP/agent.err"
PROGS=$(prog_ids_of "$AGENT")
check "agent holds attached BPF programs" test -n "$PROGS"

# ---- every endpoint ----
check "/healthz: 200 {\"status\":\"ok\"}" json_is 200 /healthz '.status == "ok"'
check "/api/v1/status: version, complete attach plan, counters" \
	json_is 200 /api/v1/status '(.version | type == "string") and .attach_plan.complete == true and (.events | type == "object") and .reload_errors == 0 and .config == "'"$CONF"'"'
# limited: the table holds every socket of the machine, other tests' too
check "/api/v1/sockets?limit=100: an array and its counts" \
	json_is 200 '/api/v1/sockets?limit=100' '(.sockets | type == "array") and .count == (.sockets | length) and .count <= 100 and .matched >= .count and .truncated == (.matched > .count)'
check "/api/v1/processes: an array" json_is 200 /api/v1/processes '.processes | type == "array"'
check "/api/v1/leaks: suspects and recent alerts" \
	json_is 200 /api/v1/leaks '(.suspects | type == "array") and (.recent_alerts | type == "array")'
check "/api/v1/detectors: keys by kind, overflow, samples" \
	json_is 200 /api/v1/detectors '(.overflow | type == "object") and (.samples | type == "number")'
# the first health check runs at start (DNS is bounded by 2 s): 503 until then
check "/api/v1/health: 200 JSON once the first check has run" \
	wait_for 10 json_is 200 /api/v1/health 'type == "object" and length > 0'

# ---- a listener the test opens ----
LPORT=$(free_port)
spawn $WL hold "$LPORT" > "$TMP/hold.out"
HOLD=$LAST_PID
wait_for 10 grep -q ready "$TMP/hold.out" || not_ok "listener did not start"
mine='.sockets | map(select(.pid == '"$HOLD"' and .lport == '"$LPORT"')) | length == 1'
check "listener in /api/v1/sockets with its pid and port (events batched <= 100 ms)" \
	wait_for 20 json_is 200 "/api/v1/sockets?port=$LPORT" "$mine"
check "listener's fields: comm, LISTEN, tcp, inet, 127.0.0.1, exact age, protection" \
	json_is 200 "/api/v1/sockets?port=$LPORT" '.sockets[0] | .comm == "sw-pre" and .state == "LISTEN" and .proto == "tcp" and .family == "inet" and .laddr == "127.0.0.1" and .age_exact == true and .preexisting == false and .protection == "listening"'
check "?pid= keeps only that process's sockets" \
	json_is 200 "/api/v1/sockets?pid=$HOLD" "($mine) and (.sockets | all(.pid == $HOLD))"
check "?port= keeps only that port" \
	json_is 200 "/api/v1/sockets?port=$LPORT" ".count >= 1 and (.sockets | all(.lport == $LPORT or .rport == $LPORT))"
check "?state=LISTEN&proto=tcp (any case) keeps TCP listeners only" \
	json_is 200 "/api/v1/sockets?state=listen&proto=tcp" "($mine) and (.sockets | all(.state == \"LISTEN\" and .proto == \"tcp\"))"
check "?proto=udp excludes the TCP listener" \
	json_is 200 "/api/v1/sockets?proto=udp&pid=$HOLD" '.count == 0 and .matched == 0'
check "?comm=sw-pre finds it" json_is 200 "/api/v1/sockets?comm=sw-pre&port=$LPORT" "$mine"
check "?limit=1: one socket, matched and truncated tell the rest" \
	json_is 200 "/api/v1/sockets?limit=1" '.count == 1 and (.sockets | length) == 1 and .matched >= 2 and .truncated == true'
check "/api/v1/processes?pid=: the listener's owner with its LISTEN socket" \
	json_is 200 "/api/v1/processes?pid=$HOLD" '.processes | length == 1 and .[0].comm == "sw-pre" and .[0].tcp.LISTEN == 1'

# ---- bad requests ----
for q in 'pid=abc' 'pid=0' 'state=NOPE' 'proto=sctp' 'bogus=1' 'limit=0' 'limit=x' 'port=70000' 'pid=1&pid=2'; do
	check "/api/v1/sockets?$q: 400 with a JSON error" error_is 400 "/api/v1/sockets?$q"
done
check "/api/v1/status?pid=1 (no parameters taken): 400" error_is 400 "/api/v1/status?pid=1"
check "unknown path: 404 JSON" error_is 404 /api/v1/nope
check "/ : 404 JSON" error_is 404 /
for m in POST PUT DELETE PATCH; do
	check "$m /api/v1/sockets: 405 JSON" error_is 405 /api/v1/sockets -X "$m"
done
check "405 names the allowed methods" \
	has_header /metrics '^Allow: GET, HEAD' -X POST
check "HEAD /metrics: 200" status_is 200 /metrics -I

# ---- /metrics ----
check "/metrics served as the Prometheus text format" \
	has_header /metrics '^Content-Type: text/plain; version=0\.0\.4'
check "/metrics counts the listener and its listen event" \
	wait_for 20 listeners_in_metrics
scrape
check "sockwatch_build_info{version,revision} is 1" \
	grep -qE '^sockwatch_build_info\{version="[^"]+",revision="[^"]+"\} 1$' "$TMP/metrics"
check "sockwatch_events_total{kind=\"listen\"} > 0" \
	awk '$1 == "sockwatch_events_total{kind=\"listen\"}" && $2 > 0 { f=1 } END { exit !f }' "$TMP/metrics"
check "sockwatch_events_total{kind=\"create\"} > 0" \
	awk '$1 == "sockwatch_events_total{kind=\"create\"}" && $2 > 0 { f=1 } END { exit !f }' "$TMP/metrics"
check "age histogram: +Inf bucket equals the count" \
	test "$(metric 'sockwatch_socket_age_seconds_bucket{le="+Inf"}')" = "$(metric sockwatch_socket_age_seconds_count)"
check "HTTP metrics count the 4xx answers above" \
	awk '$1 == "sockwatch_http_requests_total{outcome=\"client_error\"}" && $2 >= 15 { f=1 } END { exit !f }' "$TMP/metrics"
check "every sample line belongs to a sockwatch_ family with HELP and TYPE" \
	sh -c "! grep -vE '^(# (HELP|TYPE) )?sockwatch_' '$TMP/metrics' | grep -q ."

promtool check metrics < "$TMP/metrics" > "$TMP/promtool.out" 2>&1
PT_RC=$?
check "promtool check metrics: exit 0, no output" test "$PT_RC" -eq 0 -a ! -s "$TMP/promtool.out"
[ -s "$TMP/promtool.out" ] && sed 's/^/    promtool: /' "$TMP/promtool.out"

# ---- a real Prometheus scraping the agent ----
PPORT=$(free_port)
PBASE="http://127.0.0.1:$PPORT"
mkdir -p "$TMP/prom"
cat > "$TMP/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: sockwatch
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
spawn prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn > "$TMP/prom/log" 2>&1
PROM=$LAST_PID
# pquery NAME EXPR JQ: run EXPR, save the answer as $TMP/prom/NAME.json,
# succeed when JQ holds of it.
pquery() {
	curl -s -m 3 -G --data-urlencode "query=$2" "$PBASE/api/v1/query" > "$TMP/prom/$1.json" &&
		jq -e "$3" "$TMP/prom/$1.json" >/dev/null
}
check "Prometheus is up" wait_for 30 curl -sf -m 2 -o /dev/null "$PBASE/-/ready"
check "Prometheus: up{job=\"sockwatch\"} == 1" \
	wait_for 30 pquery up 'up{job="sockwatch"}' '.status == "success" and (.data.result | length == 1 and .[0].value[1] == "1")'
check "Prometheus: sockwatch_build_info scraped" \
	wait_for 15 pquery info 'sockwatch_build_info' '.data.result | length == 1 and .[0].value[1] == "1" and .[0].metric.job == "sockwatch" and (.[0].metric.version | length > 0)'
check "Prometheus: sum(sockwatch_sockets) > 0" \
	wait_for 15 pquery socks 'sum(sockwatch_sockets)' '.data.result | length == 1 and (.[0].value[1] | tonumber) > 0'
check "Prometheus: the listener counted among LISTEN sockets" \
	wait_for 15 pquery listen 'sockwatch_sockets{state="LISTEN",proto="tcp",family="inet"}' '.data.result | length == 1 and (.[0].value[1] | tonumber) >= 2'
check "Prometheus: sockwatch_events_total{kind=\"listen\"} > 0" \
	wait_for 15 pquery lev 'sockwatch_events_total{kind="listen"}' '.data.result | length == 1 and (.[0].value[1] | tonumber) > 0'
check "Prometheus: start time within the last 10 minutes" \
	wait_for 15 pquery start 'time() - sockwatch_start_time_seconds' '.data.result | length == 1 and ((.[0].value[1] | tonumber) | . > -5 and . < 600)'
check "Prometheus: scrape_samples_scraped > 20" \
	wait_for 15 pquery samples 'scrape_samples_scraped{job="sockwatch"}' '.data.result | length == 1 and (.[0].value[1] | tonumber) > 20'
echo "    prometheus: $(jq -c '.data.result' "$TMP/prom/info.json" 2>/dev/null)"
echo "    prometheus: sum(sockwatch_sockets) = $(jq -r '.data.result[0].value[1]' "$TMP/prom/socks.json" 2>/dev/null)," \
	"up = $(jq -r '.data.result[0].value[1]' "$TMP/prom/up.json" 2>/dev/null)"
stop "$PROM"
check "Prometheus stops on SIGTERM" test $? -eq 0
rm -rf "$TMP/prom"
check "Prometheus's data removed" test ! -e "$TMP/prom"

# ---- SIGHUP ----
printf 'this is [not an INI file\n' > "$CONF"
kill -HUP "$AGENT"
check "broken config on SIGHUP: reload rejected, logged" \
	wait_for 20 grep -q 'reload rejected, keeping the running configuration' "$TMP/agent.err"
check "the line before says what is wrong, with file and line" grep -q "sockwatch: $CONF:1:" "$TMP/agent.err"
check "agent still running" kill -0 "$AGENT"
check "/api/v1/status still answers: reload_errors >= 1, reloads 0, old config" \
	json_is 200 /api/v1/status '.reload_errors >= 1 and .reloads == 0 and .config == "'"$CONF"'"'
printf '[http]\ntop_k = 7\n\n[flood]\nconnections_per_second = 500\n' > "$CONF"
kill -HUP "$AGENT"
check "valid config on SIGHUP: reloaded" wait_for 20 grep -q "configuration reloaded from $CONF" "$TMP/agent.err"
check "/api/v1/status: reloads >= 1" json_is 200 /api/v1/status '.reloads >= 1 and .reload_errors >= 1'
check "still tracing after the reloads" \
	json_is 200 "/api/v1/sockets?pid=$HOLD" "$mine"

# ---- SIGTERM ----
check "no bad records" json_is 200 /api/v1/status '.bad_records == 0'
check_no_drops
T0=$(date +%s%N)
stop "$AGENT"
RC=$?
check "SIGTERM: agent exits 0" test "$RC" -eq 0
check "SIGTERM: exit within 5 s ($(( ($(date +%s%N) - T0) / 1000000 )) ms)" test $(( $(date +%s%N) - T0 )) -lt 5000000000
check "stopping line on stderr" grep -qE '^sockwatch: info: stopping: [0-9]+ events, [0-9]+ dropped' "$TMP/agent.err"
check "no BPF program of the agent left" wait_for 10 ids_gone $PROGS
check "the port is free again" sh -c "! curl -s -m 2 -o /dev/null '$BASE/healthz'"
check "no error on stderr besides the rejected reload" \
	sh -c "! grep -v -e '^sockwatch: info:' -e 'reload rejected' -e '^sockwatch: $CONF:1:' '$TMP/agent.err' | grep -q ."
grep -v '^sockwatch: info:' "$TMP/agent.err" | sed 's/^/    agent: /'
finish
