#!/usr/bin/env bash
# sockwatch agent, connection_flood (issue 5): a test network namespace
# joined to the root one by a veth pair (198.18.7.0/29, benchmarking
# space); a server in the root namespace on 198.18.7.1 answers and closes.
# A slow client from 198.18.7.3 (below the rate) raises nothing; a burst
# from 198.18.7.2 raises one connection_flood keyed by that address.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/leak_workload.py"
ALERTS=$TMP/alerts.json
NS=swflood-$$
VR=swfl$$r		# root end (deleting the namespace deletes the other)
VN=swfl$$n
SRV_IP=198.18.7.1 FLOOD_IP=198.18.7.2 SLOW_IP=198.18.7.3
CPS=20 WINDOW=2		# the limit: more than 40 connections in 2 s
NFLOOD=150		# as fast as they go
NSLOW=15 SLOW_RATE=5	# 3 s at a quarter of the limit

trap 'ip link del "$VR" 2>/dev/null; _cleanup' EXIT

need "$SW"

# ---------------------------------------------------------------- network
make_netns "$NS" || { not_ok "cannot make namespace $NS"; finish; exit 1; }
ip link del "$VR" 2>/dev/null
ip link add "$VR" type veth peer name "$VN" netns "$NS" &&
	ip addr add "$SRV_IP/29" dev "$VR" &&
	ip link set "$VR" up &&
	ip -n "$NS" addr add "$FLOOD_IP/29" dev "$VN" &&
	ip -n "$NS" addr add "$SLOW_IP/29" dev "$VN" &&
	ip -n "$NS" link set "$VN" up ||
	{ not_ok "veth pair $VR/$VN"; finish; exit 1; }

# ---------------------------------------------------------------- agent
cat > "$TMP/sw.ini" <<INI
[flood]
connections_per_second = $CPS
window_seconds = $WINDOW

[agent]
ring_buffer_kb = 8192
reconcile_seconds = 1
INI
start_agent agent --config "$TMP/sw.ini" --alerts "$ALERTS" ||
	{ not_ok "agent did not start"; finish; exit 1; }

floods_from() {
	jq -s --arg k "$1" 'map(select(.alert == "connection_flood" and .key == $k)) | length' "$ALERTS" 2>/dev/null || echo 0
}

spawn $WL polite "$SRV_IP" 0 > "$TMP/polite.out"
SRV=$LAST_PID
P=$(ready_port "$TMP/polite.out") || { not_ok "server on $SRV_IP did not start"; finish; exit 1; }
check "server port $P is not critical" not_critical "$P"

# ---------------------------------------------------------------- slow
ip netns exec "$NS" env SW_SRC="$SLOW_IP" $WL ask-done "$SRV_IP" "$P" "$NSLOW" "$SLOW_RATE" > "$TMP/slow.out"
check "slow client: $NSLOW exchanges from $SLOW_IP" grep -q "^done $NSLOW" "$TMP/slow.out"
check "agent has seen everything up to after the slow client" barrier mark1
check "slow client ($SLOW_RATE/s < $CPS/s) raises no connection_flood" test "$(floods_from "$SLOW_IP")" -eq 0

# ---------------------------------------------------------------- flood
ip netns exec "$NS" env SW_SRC="$FLOOD_IP" $WL ask-done "$SRV_IP" "$P" "$NFLOOD" 0 > "$TMP/flood.out"
check "flood: $NFLOOD exchanges from $FLOOD_IP" grep -q "^done $NFLOOD" "$TMP/flood.out"
flooded() {
	[ "$(floods_from "$FLOOD_IP")" -ge 1 ]
}
check "connection_flood raised for $FLOOD_IP" wait_for 10 flooded
check "agent has seen everything up to after the flood" barrier mark2

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
agent_summary agent
F="select(.alert == \"connection_flood\" and .key == \"$FLOOD_IP\")"
check "one connection_flood for the burst: one episode, one alert" test "$(floods_from "$FLOOD_IP")" -eq 1
check "connection_flood figures: rate over the limit, window, count, server port" \
	jqt -s "map($F) | .[0] | .key_kind == \"remote_addr\" and .rate > .threshold and .threshold == $CPS and .window == $WINDOW and .count > $((CPS * WINDOW)) and .lport == $P" "$ALERTS"
check "connection_flood names the accepting process" \
	jqt -s "map($F) | .[0] | .pid == $SRV and .comm == \"sw-polite\"" "$ALERTS"
check "still nothing for the slow client's address" test "$(floods_from "$SLOW_IP")" -eq 0
check "no alert at all for the test network but the flood" \
	jqt -s "map(select((.key // \"\") | test(\"198\\\\.18\\\\.7\\\\.\")) | select(.key != \"$FLOOD_IP\")) | length == 0" "$ALERTS"
[ -n "${SW_KEEP_ALERTS:-}" ] && jq -c "select((.key // \"\") | test(\"198\\\\.18\\\\.7\\\\.\"))" "$ALERTS" > "$SW_KEEP_ALERTS"

stop "$SRV"
stop_markers
finish
