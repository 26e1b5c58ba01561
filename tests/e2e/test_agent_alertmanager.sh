#!/usr/bin/env bash
# Alerts to a real Alertmanager (Debian's prometheus-alertmanager, started
# here on loopback with its own config and storage): a CLOSE_WAIT leaker,
# run in a cgroup named as a systemd service, raises close_wait; the
# Alertmanager API shows the alert with its labels (alertname, severity,
# node, key, unit), and its webhook receiver (a small HTTP server here)
# gets it firing, then resolved once the leaker exits. Then Alertmanager
# is stopped: the agent keeps running, counts failed posts
# (sockwatch_alerts_delivery_failures_total), and delivers the next alert
# once Alertmanager is back. The JSON-lines sink keeps working throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/leak_workload.py"

AMBIN=$(command -v prometheus-alertmanager || command -v alertmanager)
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$AMBIN" ] || [ -z "$CG2" ]; then
	not_ok "needs prometheus-alertmanager and a cgroup2 mount (tools/deps.sh)"
	finish
	exit 1
fi
TOP=sw-fleet-am-$$.slice
UNIT=sw-leaky-$$.service
mkdir -p "$CG2/$TOP/$UNIT"
am_cleanup() {
	[ -d "$CG2/$TOP" ] && find "$CG2/$TOP" -depth -type d -exec rmdir {} \; 2>/dev/null
}
trap '_cleanup; am_cleanup' EXIT

# ---- the webhook receiver: one JSON body per line ----
HOOK_PORT=$(free_port)
HOOK=$TMP/hook.jsonl
spawn python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open(sys.argv[2], "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
' "$HOOK_PORT" "$HOOK"

# ---- Alertmanager ----
AM_PORT=$(free_port)
AM=http://127.0.0.1:$AM_PORT
cat > "$TMP/am.yml" <<EOF
route:
  receiver: hook
  group_by: ['alertname', 'key']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:$HOOK_PORT/
        send_resolved: true
EOF
start_am() {
	spawn "$AMBIN" --config.file="$TMP/am.yml" --storage.path="$TMP/am-data" \
		--web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
		--log.level=warn > "$TMP/am.log" 2>&1
	AMPID=$LAST_PID
	wait_for 30 curl -sf -m 2 -o /dev/null "$AM/-/ready"
}
check "Alertmanager is up" start_am

# ---- the agent ----
cat > "$TMP/sw.ini" <<EOF
[leaks]
close_wait_seconds = 1

[alerts]
alertmanager_url = $AM
node = sw-test-node

; the default reconciliation period: other tests may hold 100,000s of
; sockets on this machine, and each pass walks them all
[agent]
ring_buffer_kb = 8192
EOF
start_agent agent --config "$TMP/sw.ini" --alerts "$TMP/alerts.jsonl" ||
	{ not_ok "agent did not start"; finish; exit 1; }
ok "agent ready, alerts to $AM"

# leaky PORT_FILE: the CLOSE_WAIT server, in the unit's cgroup
leaky() {
	spawn sh -c 'echo $$ > "$1/cgroup.procs" && exec python3 tests/e2e/helpers/leak_workload.py leaky 127.0.7.2 0' \
		sh "$CG2/$TOP/$UNIT" > "$1"
	LEAKY=$LAST_PID
}
leaky "$TMP/leaky.out"
P=$(ready_port "$TMP/leaky.out")
check "leaky server in $UNIT on port $P" test -n "$P"
spawn $WL drop 127.0.7.2 "$P" 2 10 > "$TMP/drop.out"
DROP=$LAST_PID

# ---- fired: in Alertmanager with its labels ----
am_alerts() { curl -s -m 3 "$AM/api/v2/alerts?filter=alertname%3D%22close_wait%22&filter=unit%3D%22$UNIT%22" > "$TMP/am.json"; }
am_has() { am_alerts && jq -e "$1" "$TMP/am.json" >/dev/null; }
check "Alertmanager received the leaker's close_wait alerts" \
	wait_for 30 am_has 'length >= 1'
jq -c '.[0] | {labels, startsAt, endsAt, status: .status.state}' "$TMP/am.json" | sed 's/^/    /'
check "...labels: alertname, severity, node, key_kind socket, key local->remote, unit" \
	jqt --arg u "$UNIT" --arg p ":$P->" 'length >= 1 and all(.[]; .labels.alertname == "close_wait" and
		.labels.severity == "warning" and .labels.node == "sw-test-node" and .labels.job == "sockwatch" and
		.labels.key_kind == "socket" and (.labels.key | contains($p)) and .labels.unit == $u)' "$TMP/am.json"
check "...annotations: summary, and the alert's own JSON as description" \
	jqt '.[0].annotations.summary | startswith("close_wait on sw-test-node")' "$TMP/am.json" &&
	jq -r '.[0].annotations.description' "$TMP/am.json" | jqt '.alert == "close_wait" and .state == "CLOSE_WAIT"'
check "...and the JSON-lines sink has them too" \
	jqt -s --arg u "$UNIT" 'map(select(.alert == "close_wait" and .unit == $u)) | length >= 1' "$TMP/alerts.jsonl"
hook_has() { [ -s "$HOOK" ] && jq -e -s "$1" "$HOOK" >/dev/null; }
check "the webhook receiver got them firing" \
	wait_for 30 hook_has 'map(select(.status == "firing" and .commonLabels.alertname == "close_wait")) | length >= 1'

# ---- resolved when the leaker exits ----
T0=$(date +%s)
stop "$LEAKY"
check "after the leaker exits, Alertmanager no longer lists the alerts" \
	wait_for 30 am_has 'length == 0'
check "...the webhook receiver got them resolved, with endsAt" \
	wait_for 30 hook_has 'map(select(.status == "resolved" and .commonLabels.alertname == "close_wait" and all(.alerts[]; .status == "resolved" and .labels.unit != null))) | length >= 1'
echo "    resolved $(( $(date +%s) - T0 )) s after the leaker exited (endsAt first sent: 2 minutes ahead)"
jq -c --arg u "$UNIT" 'select(.status == "resolved" and .commonLabels.alertname == "close_wait" and .commonLabels.unit == $u) | {status, alerts: [.alerts[] | {status, labels: {alertname: .labels.alertname, key: .labels.key, unit: .labels.unit}, startsAt, endsAt}]}' "$HOOK" | head -1 | sed 's/^/    /'
stop "$DROP"

# ---- Alertmanager down: the agent survives, counts, delivers later ----
metric() { api /metrics | awk -v k="$1" '$1 == k { print $2 }'; }
stop "$AMPID"
check "Alertmanager stopped" test -n "$AMPID"
before=$(metric sockwatch_alerts_delivery_failures_total)
leaky "$TMP/leaky2.out"
P2=$(ready_port "$TMP/leaky2.out")
spawn $WL drop 127.0.7.2 "$P2" 1 10 > "$TMP/drop2.out"
DROP=$LAST_PID
sink_has_p2() { jqt -s --arg p ":$P2->" 'map(select(.alert == "close_wait" and (.key | contains($p)))) | length >= 1' "$TMP/alerts.jsonl"; }
check "with Alertmanager down, the alert still goes to the JSON-lines sink" wait_for 30 sink_has_p2
failing() { [ "$(metric sockwatch_alerts_delivery_failures_total)" -gt "${before:-0}" ]; }
check "...sockwatch_alerts_delivery_failures_total rises ($before -> more)" wait_for 30 failing
echo "    $(api /metrics | grep -E '^sockwatch_alerts_(delivery|delivered|firing)' | xargs)"
check "...the agent keeps serving" json_is 200 /api/v1/status '.version != null'
grep -m1 'alertmanager' "$TMP/agent.err" | sed 's/^/    /'
check "Alertmanager back on the same address" start_am
p2_at_am() { curl -s -m 3 "$AM/api/v2/alerts?filter=alertname%3D%22close_wait%22" | jq -e --arg p ":$P2->" 'map(select(.labels.key | contains($p))) | length >= 1' >/dev/null; }
check "...the alert raised while it was down is delivered (retry with backoff)" wait_for 60 p2_at_am
queue_empty() { [ "$(metric sockwatch_alerts_delivery_queue)" = 0 ]; }
check "...and the queue drains" wait_for 30 queue_empty
stop "$LEAKY"
stop "$DROP"

check "agent still running" kill -0 "$AG"
stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
stop "$AMPID"
finish
