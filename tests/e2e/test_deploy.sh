#!/usr/bin/env bash
# The deployment files: deploy/check.sh (promtool check config and rules,
# the rules' unit tests, systemd-analyze, YAML, DaemonSet and dashboard
# structure), then every metric that the alerting rules and the Grafana
# dashboard query is one a real agent exports (read from its /metrics), so
# that renaming a metric cannot silently blind an alert or a panel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent_lib.sh"
need "$SW"

echo "# deploy/check.sh"
if bash deploy/check.sh > "$TMP/check.out" 2>&1; then
	ok "deploy/check.sh: $(tail -n 1 "$TMP/check.out")"
else
	cat "$TMP/check.out"
	not_ok "deploy/check.sh failed"
fi

start_agent agent || { not_ok "agent did not start"; finish; exit 1; }
# The health families appear once the watchdog's first run is done.
scraped_all() {
	curl -sf --max-time 10 "http://$API/metrics" > "$TMP/metrics" &&
		grep -q '^sockwatch_health_status' "$TMP/metrics"
}
check "a scrape with the health checks' results" wait_for 60 scraped_all
stop "$AG"
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

# The checker itself: a renamed metric must be caught.
sed 's/sockwatch_leak_suspects/sockwatch_leak_suspect/' deploy/sockwatch-rules.yml > "$TMP/renamed.yml"
check "a rule naming a metric the agent does not export is caught" \
	eval '! all_exported "$TMP/renamed.yml" >/dev/null'
finish
