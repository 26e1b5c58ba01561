#!/usr/bin/env bash
# The deployment files: deploy/check.sh (promtool check config and rules,
# the rules' unit tests, systemd-analyze, YAML, DaemonSet and dashboard
# structure), then every metric that the alerting rules and the Grafana
# dashboard query is one a real agent exports (read from its /metrics), so
# that renaming a metric cannot silently blind an alert or a panel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
need "$SW"

echo "# deploy/check.sh"
if bash deploy/check.sh > "$TMP/check.out" 2>&1; then
	ok "deploy/check.sh: $(tail -n 1 "$TMP/check.out")"
else
	cat "$TMP/check.out"
	not_ok "deploy/check.sh failed"
fi

# close_wait after one second, so that a real leak trips the rule at once;
# a detector sample every second, so that the detector families have rows
# (a family with no sample is not written at all)
cat > "$TMP/sw.ini" <<'INI'
[leaks]
close_wait_seconds = 1
[ewma]
interval_seconds = 1
INI
start_agent agent --config "$TMP/sw.ini" || { not_ok "agent did not start"; finish; exit 1; }
# The health families appear once the watchdog's first run is done, the
# detector families once the first sample has keys.
scraped_all() {
	curl -sf --max-time 10 "$BASE/metrics" > "$TMP/metrics" &&
		grep -q '^sockwatch_health_status' "$TMP/metrics" &&
		grep -q '^sockwatch_detector_state{' "$TMP/metrics"
}
check "a scrape with the health checks' and detectors' results" wait_for 60 scraped_all
awk '$1 == "#" && $2 == "TYPE" { print $3 }' "$TMP/metrics" | sort -u > "$TMP/exported"
check "the scrape lists metric families" test -s "$TMP/exported"

# metrics_named FILE: the sockwatch_ metric names a rules or dashboard file
# queries (recording-rule names, which contain colons, left out; histogram
# series by their family name).
metrics_named() {
	python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
names = set(re.findall(r'(?<![\w:])sockwatch_[a-z0-9_]+(?![\w:])', text))
for n in sorted(names):
	print(re.sub(r'_(bucket|sum|count)$', '', n) if n.endswith(('_bucket', '_sum', '_count')) else n)
PY
}

# all_exported FILE: every metric FILE names is in the agent's scrape.
all_exported() {
	local m missing=0
	metrics_named "$1" > "$TMP/named"
	[ -s "$TMP/named" ] || { echo "    no metric found in $1"; return 1; }
	while read -r m; do
		grep -qx "$m" "$TMP/exported" || { echo "    $1 names $m, which the agent does not export"; missing=1; }
	done < "$TMP/named"
	echo "    $(wc -l < "$TMP/named") metrics named in $1"
	return $missing
}

check "every metric the alerting rules query is exported" all_exported deploy/sockwatch-rules.yml
check "every metric the dashboard queries is exported" all_exported deploy/grafana/sockwatch-dashboard.json

# ---- a real Prometheus evaluating the rules against the agent ----
# A server that never closes what its clients closed leaves CLOSE_WAIT
# sockets: SockwatchCloseWaitLeak must go pending (its `for` is 10 minutes,
# so firing is the unit tests' job) and end once the server is gone.
WL="python3 tests/e2e/helpers/leak_workload.py"
ADDR=127.0.9.$((RANDOM % 250 + 2))
spawn $WL leaky "$ADDR" 0 > "$TMP/leaky.out"
LEAKY=$LAST_PID
LPORT=$(ready_port "$TMP/leaky.out")
[ -n "$LPORT" ] || { not_ok "leaky server did not start"; finish; exit 1; }
spawn $WL drop "$ADDR" "$LPORT" 3 0 > "$TMP/drop.out"

PPORT=$(free_port)
PBASE="http://127.0.0.1:$PPORT"
mkdir -p "$TMP/prom"
# A scrape and an evaluation every second, or every E2E_TIME_SCALE
# seconds where everything is that much slower (an emulated guest's
# scrape can take more than a second, and would fail the target).
PIVAL=${E2E_TIME_SCALE:-1}s
# The recording group is evaluated every 30 s in production; here as
# often as the scrape, or its first result may come only after the wait
# for it has ended (its first run, at a random offset, saw no scrape yet).
sed "s/^    interval: .*/    interval: $PIVAL/" deploy/sockwatch-rules.yml > "$TMP/prom/sockwatch-rules.yml"
grep -q "^    interval: $PIVAL\$" "$TMP/prom/sockwatch-rules.yml" ||
	not_ok "no group interval to shorten in deploy/sockwatch-rules.yml"
cat > "$TMP/prom/prometheus.yml" <<YML
global:
  scrape_interval: $PIVAL
  scrape_timeout: $PIVAL
  evaluation_interval: $PIVAL
rule_files: [sockwatch-rules.yml]
scrape_configs:
  - job_name: sockwatch
    static_configs:
      - targets: ['$API']
YML
spawn prometheus --config.file="$TMP/prom/prometheus.yml" --storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn > "$TMP/prom/log" 2>&1
PROM=$LAST_PID
check "Prometheus is up with the rules loaded" wait_for 30 curl -sf -m 2 -o /dev/null "$PBASE/-/ready"

# papi NAME PATH JQ [QUERY]: GET PATH (with QUERY as query=), keep the
# answer as $TMP/prom/NAME.json, succeed when JQ holds of it.
papi() {
	local args=()
	[ $# -ge 4 ] && args=(-G --data-urlencode "query=$4")
	curl -s -m 3 "${args[@]}" "$PBASE$2" > "$TMP/prom/$1.json" &&
		jq -e "$3" "$TMP/prom/$1.json" >/dev/null
}
all_rules_ok='[.data.groups[].rules[]] | length == 13 and all(.health == "ok" and .lastEvaluation != "0001-01-01T00:00:00Z")'
check "Prometheus evaluates all 13 rules without error" wait_for 30 papi rules /api/v1/rules "$all_rules_ok"
# prom_check DESC SECS NAME PATH JQ [QUERY]: papi until it holds, with a
# deadline; on failure, what Prometheus says of its scrapes and rules,
# and its last answer.
prom_check() {
	local d=$1 secs=$2
	shift 2
	if wait_for "$secs" papi "$@"; then
		ok "$d"
		return
	fi
	not_ok "$d"
	curl -s -m 3 "$PBASE/api/v1/targets" |
		jq -c '.data.activeTargets[] | {health, lastError, lastScrape}' | sed 's/^/    target: /'
	curl -s -m 3 "$PBASE/api/v1/rules" |
		jq -c '.data.groups[] | {name, interval, lastEvaluation}' | sed 's/^/    group: /'
	sed 's/^/    last answer: /' "$TMP/prom/$1.json"
	echo
}
prom_check "the recording rule instance_state_proto:sockwatch_sockets:sum has the agent's LISTEN sockets" \
	30 rec /api/v1/query '.data.result | any(.metric.state == "LISTEN" and (.value[1] | tonumber) >= 1)' \
	'instance_state_proto:sockwatch_sockets:sum{instance="'"$API"'"}'
pending='.data.alerts | any(.labels.alertname == "SockwatchCloseWaitLeak" and .state == "pending" and .labels.instance == "'"$API"'" and .labels.severity == "warning")'
prom_check "a real CLOSE_WAIT leak makes SockwatchCloseWaitLeak pending" 60 alerts /api/v1/alerts "$pending"
jq -c '.data.alerts[] | select(.labels.alertname == "SockwatchCloseWaitLeak")' "$TMP/prom/alerts.json" | sed 's/^/    /'
stop "$LEAKY"
gone='.data.alerts | all(.labels.alertname != "SockwatchCloseWaitLeak")'
prom_check "the alert ends once the leaking server is gone" 60 alerts2 /api/v1/alerts "$gone"
stop "$PROM"
stop_agent

# The checker itself: a renamed metric must be caught.
sed 's/sockwatch_leak_suspects/sockwatch_leak_suspect/' deploy/sockwatch-rules.yml > "$TMP/renamed.yml"
check "a rule naming a metric the agent does not export is caught" \
	eval '! all_exported "$TMP/renamed.yml" >/dev/null'
finish
