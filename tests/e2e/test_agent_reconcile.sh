#!/usr/bin/env bash
# Reconciliation: with a ring buffer far too small for a burst, events are
# dropped; the periodic comparison with the kernel must repair the table
# (every socket the burst left open shows up, with its owner) and count it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
CONF=$TMP/agent.ini
cat > "$CONF" <<INI
[agent]
; one page: a few dozen records
ring_buffer_kb = 4
reconcile_seconds = 0.5
INI

status() { api /api/v1/status; }
start_agent agent --config "$CONF" || { not_ok "agent did not start"; finish; exit 1; }

# 1000 connected pairs at once: thousands of records into a 4 KiB ring.
# The test stops the holder itself; its time limit (a safety net) must
# outlast every deadline below, which E2E_TIME_SCALE stretches too.
spawn "$BUILD/tools/holdsocks" -n 2000 -t $((300 * ${E2E_TIME_SCALE:-1})) > "$TMP/hold.out"
HOLD=$LAST_PID
wait_for 30 grep -q ready "$TMP/hold.out" || not_ok "holdsocks did not get ready"

dropped() { status | jq -e '.events_dropped > 0' >/dev/null; }
check "the burst overflowed the ring (drops counted)" wait_for 10 dropped
# holdsocks spreads its sockets over worker processes: count by name
held_by() { api "/api/v1/sockets?comm=$1&state=ESTABLISHED" | jq -e ".matched == $2" >/dev/null; }
if wait_for 60 held_by holdsocks 2000; then
	ok "after reconciliation every held socket is in the table with its owner"
else
	not_ok "after reconciliation every held socket is in the table with its owner"
	echo "    holdsocks's ESTABLISHED sockets in the table: $(api "/api/v1/sockets?comm=holdsocks&state=ESTABLISHED" | jq .matched) of 2000"
fi
check "repairs are counted" jqt '.reconciliation_repairs > 0' <(status)
# /metrics can take seconds while reconciliation runs every 0.5 s on a busy
# machine: poll it with a deadline rather than trusting one 5 s request
repairs_metric() { api /metrics | grep -E '^sockwatch_reconcile_repairs_total [1-9]' >/dev/null; }
check "repairs are exported as a metric" wait_for 30 repairs_metric

# The other direction: sockets that closed while nothing was heard of it.
stop "$HOLD"
check "after the holder exits, reconciliation removes its sockets" wait_for 60 held_by holdsocks 0

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
finish
