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

# 1000 connected pairs at once: thousands of records into a 4 KiB ring,
# in a namespace of the test's own so that no neighbour shares its ports.
# The test stops the holder itself; its time limit (a safety net) must
# outlast every deadline below, which E2E_TIME_SCALE stretches too.
# The agent is stopped (SIGSTOP) for the burst, as a reader descheduled
# on a busy node: a reader that keeps up empties even a page-sized ring
# per CPU in time, and then nothing is dropped (the burst alone
# overflowed it in about half the runs).
NS=swrec$$
make_netns "$NS" || { not_ok "cannot create netns $NS"; finish; exit 1; }
kill -STOP "$AG"
spawn ip netns exec "$NS" "$BUILD/tools/holdsocks" -n 2000 -t $((600 * ${E2E_TIME_SCALE:-1})) > "$TMP/hold.out"
HOLD=$LAST_PID
wait_for 30 grep -q ready "$TMP/hold.out" || not_ok "holdsocks did not get ready"
kill -CONT "$AG"
HOLDERS="$HOLD $(pgrep -P "$HOLD")"

dropped() { status | jq -e '.events_dropped > 0' >/dev/null; }
check "the burst overflowed the ring (drops counted)" wait_for 10 dropped
# ESTABLISHED sockets the table gives to holdsocks (which spreads them
# over worker processes): counted by pid, since another holdsocks on the
# machine shares the name
held() {
	local p n=0
	for p in $HOLDERS; do
		n=$((n + $(api "/api/v1/sockets?pid=$p&state=ESTABLISHED&limit=1" | jq .matched)))
	done
	echo "$n"
}
# held_is N: held() is N (each poll logged for explain)
held_is() {
	local n
	n=$(held)
	echo "$(date +%T.%N | cut -c1-12) $n $(status | jq -c '[.reconciliations, .reconcile_owner_scans, .reconcile_ownerless, .events_dropped]')" >> "$TMP/held.log"
	[ "$n" -eq "$1" ]
}
# what to look at when the table and the kernel disagree
explain() {
	local nsino
	nsino=$(stat -L -c %i "/run/netns/$NS")
	ip netns exec "$NS" ss -tanpeH 2>/dev/null > "$TMP/ss.txt"
	api "/api/v1/sockets?limit=100000" |
		jq --argjson ns "$nsino" '[.sockets[] | select(.netns == $ns)]' > "$TMP/table.json"
	echo "    table: $(held) ESTABLISHED held by holdsocks," \
		"kernel: $(grep '^ESTAB' "$TMP/ss.txt" | grep -c '"holdsocks"')"
	echo "    status: $(status | jq -c '{sockets, events_dropped, reconciliations,
		reconciliation_repairs, reconcile_owner_scans, reconcile_ownerless}')"
	echo "    seen (time, held, [reconciliations, owner scans, ownerless, drops]):"
	uniq -f1 "$TMP/held.log" | tail -8 | sed 's/^/      /'
	# the namespace's sockets: in the kernel, not in the table, and back
	jq -r '.[].sock' "$TMP/table.json" | sort > "$TMP/table.ck"
	sed -n 's/.* sk:\([0-9a-f]*\).*/\1/p' "$TMP/ss.txt" |
		while read -r h; do echo $((16#$h)); done | sort > "$TMP/kernel.ck"
	echo "    kernel, not in the table:"
	comm -13 "$TMP/table.ck" "$TMP/kernel.ck" | head -3 | while read -r c; do
		grep " sk:$(printf %x "$c") " "$TMP/ss.txt" | sed 's/^/      /'
	done
	echo "    table, not in the kernel (by state, pid, flags):"
	comm -23 "$TMP/table.ck" "$TMP/kernel.ck" > "$TMP/stale.ck"
	jq -r --rawfile st "$TMP/stale.ck" '
		($st | split("\n") | map(select(length > 0) | tonumber)) as $s |
		.[] | select(.sock as $c | $s | index($c)) |
		"\(.state) pid=\(.pid) accepted=\(.accepted) recovered=\(.recovered) released=\(.released)"' \
		"$TMP/table.json" | sort | uniq -c | head -5 | sed 's/^/      /'
}
if wait_for 60 held_is 2000; then
	ok "after reconciliation every held socket is in the table with its owner"
else
	not_ok "after reconciliation every held socket is in the table with its owner"
	explain
fi
check "repairs are counted" jqt '.reconciliation_repairs > 0' <(status)
# /metrics can take seconds while reconciliation runs every 0.5 s on a busy
# machine: poll it with a deadline rather than trusting one 5 s request
repairs_metric() { api /metrics | grep -E '^sockwatch_reconcile_repairs_total [1-9]' >/dev/null; }
check "repairs are exported as a metric" wait_for 30 repairs_metric

# The other direction: sockets that closed while nothing was heard of it.
stop "$HOLD"
check "after the holder exits, reconciliation removes its sockets" wait_for 60 held_is 0

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
finish
