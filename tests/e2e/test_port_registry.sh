#!/usr/bin/env bash
# The port allocation registry (issue 17): 50 allocations racing from
# parallel processes get 50 distinct, bindable ports; a port bound by a
# listener (here, or in a namespace of the test) is never handed out;
# leases, release, JSON; a corrupt or unwritable state file gets one line
# and a non-zero exit and is left as it was; the agent's watchdog
# releases a lease whose pid exited and keeps one whose port is bound.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
need "$SW"

ST=$TMP/reg/ports.json
# a range of our own, below the ephemeral range, from our pid
BASE=$(( 20000 + ($$ % 100) * 100 ))
HI=$(( BASE + 99 ))
NS=sw17reg$$

# listen [NETNS] PORT READYFILE: a TCP listener on 127.0.0.1 until stopped
listen() {
	local pre=()
	[ $# -eq 3 ] && { pre=(ip netns exec "$1"); shift; }
	spawn "${pre[@]}" python3 -c 'import socket,sys,time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
open(sys.argv[2], "w").close(); time.sleep(600)' "$@"
	wait_for 10 test -f "$2"
}

# ---- ports held here and in another namespace are never handed out
listen "$BASE" "$TMP/l0" || not_ok "listener on $BASE"
make_netns "$NS"
listen "$NS" $((BASE + 1)) "$TMP/l1" || not_ok "listener in $NS on $((BASE + 1))"

# ---- 50 parallel allocations
N=50
t0=$(date +%s%N)
for i in $(seq $N); do
	"$SW" ports --allocate "$BASE-$HI" --service "race$i" --purpose "race test" \
		--pid $$ --state "$ST" > "$TMP/a.$i" 2> "$TMP/a.$i.err" &
	echo $! >> "$TMP/race.pids"
done
rcs=0
while read -r p; do wait "$p" || rcs=$((rcs + 1)); done < "$TMP/race.pids"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
for i in $(seq $N); do cat "$TMP/a.$i"; done | sort -n > "$TMP/ports"
got=$(wc -l < "$TMP/ports")
distinct=$(sort -u "$TMP/ports" | wc -l)
echo "  # race: $N parallel --allocate in ${ms} ms: $got ports, $distinct distinct, $rcs failed, range $(head -1 "$TMP/ports")-$(tail -1 "$TMP/ports")"
check "all $N allocations succeeded" [ "$rcs" -eq 0 ]
check "$N ports printed ($got)" [ "$got" -eq $N ]
check "$N distinct ports ($distinct)" [ "$distinct" -eq $N ]
check "the port held here ($BASE) was not handed out" bash -c "! grep -qx $BASE '$TMP/ports'"
check "the port held in netns $NS ($((BASE + 1))) was not handed out" bash -c "! grep -qx $((BASE + 1)) '$TMP/ports'"
check "every port within $BASE-$HI" awk -v lo="$BASE" -v hi="$HI" '$1 < lo || $1 > hi { exit 1 }' "$TMP/ports"
bindable=$(python3 -c 'import socket,sys
n = 0
for p in map(int, open(sys.argv[1]).read().split()):
    s = socket.socket(); s.bind(("0.0.0.0", p)); s.close(); n += 1
print(n)' "$TMP/ports" 2>&1)
check "each allocated port is bindable ($bindable of $N)" [ "$bindable" = "$N" ]
check "state file has $N leases" [ "$(jq '.leases | length' "$ST")" -eq $N ]
check "leases record service, purpose, pid, user, time" \
	jqt --argjson pid $$ '.leases | all(.service != "" and .purpose == "race test" and .pid == $pid and .user == "root" and .since > 1700000000)' "$ST"
check "no temporary file left beside the state" bash -c "[ -z \"\$(ls '$TMP/reg' | grep -v -e '^ports.json\$' -e '^ports.json.lock\$')\" ]"

# ---- --allocations: bound now, and by whom; another holder is flagged
first=$(head -1 "$TMP/ports")
listen "$first" "$TMP/l2"
other=$LAST_PID
"$SW" ports --allocations --json --state "$ST" > "$TMP/alloc.json"
check "--allocations --json lists $N leases" [ "$(jq '.leases | length' "$TMP/alloc.json")" -eq $N ]
check "lease of $first: bound by the listener, flagged as another holder" \
	jqt --argjson p "$first" --argjson o "$other" '.leases[] | select(.port == $p) | .bound and .holder_pid == $o and .held_by_other' "$TMP/alloc.json"
check "the others are not bound" \
	jqt --argjson p "$first" '[.leases[] | select(.port != $p and .bound)] | length == 0' "$TMP/alloc.json"
"$SW" ports --allocations --state "$ST" > "$TMP/alloc.txt"
check "text listing flags the other holder" grep -qE "^$first +race[0-9]+ .*\[OTHER\]" "$TMP/alloc.txt"
sed -n '1,3p' "$TMP/alloc.txt" | sed 's/^/  # /'
stop "$other"

# ---- --prefer, release
p=$("$SW" ports --allocate "$BASE-$HI" --service pref --prefer "$HI" --pid $$ --state "$ST" 2>/dev/null)
check "--prefer gives the preferred free port ($p)" [ "$p" = "$HI" ]
p2=$("$SW" ports --allocate "$BASE-$HI" --service pref2 --prefer "$HI" --pid $$ --state "$ST" 2>/dev/null)
check "--prefer of a leased port gives another ($p2)" bash -c "[ -n '$p2' ] && [ '$p2' != '$HI' ]"
check "--release PORT" bash -c "'$SW' ports --release '$HI' --state '$ST' | grep -q 'released $HI (pref)'"
"$SW" ports --release "$HI" --state "$ST" 2> "$TMP/err"
check "--release of a port without a lease: exit 1" [ $? -eq 1 ]
check "--release-service" bash -c "'$SW' ports --release-service race7 --state '$ST' | grep -q '(race7)'"
check "leases left: $((N - 1 + 1))" [ "$(jq '.leases | length' "$ST")" -eq $N ]

# ---- bad input: one line, exit 64
"$SW" ports --allocate "$BASE-$HI" --state "$ST" > /dev/null 2> "$TMP/err"
check "--allocate without --service: exit 64, one line" bash -c "[ $? -eq 64 ] && [ \$(wc -l < '$TMP/err') -eq 1 ]"
"$SW" ports --allocate "$BASE-$HI" --service x --pid 2147483647 --state "$ST" > /dev/null 2> "$TMP/err"
check "--pid of no process: exit 64, one line" bash -c "[ $? -eq 64 ] && [ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q 'no such process' '$TMP/err'"
"$SW" ports --allocate "$BASE-$HI" --service $'a\tb' --state "$ST" > /dev/null 2> "$TMP/err"
check "control character in --service: exit 64" [ $? -eq 64 ]
check "  ... named in one line" grep -q "control character 0x09" "$TMP/err"

# ---- a corrupt state file: one line, exit 3, left as it was
cp "$ST" "$TMP/good.json"
printf '{"version":1,"leases":[{"port":' > "$ST"
cp "$ST" "$TMP/corrupt.json"
for args in "--allocate $BASE-$HI --service x" "--release $first" "--release-service race1" "--allocations"; do
	# shellcheck disable=SC2086
	"$SW" ports $args --state "$ST" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	check "corrupt state, ports $args: exit 3 (got $rc), one line" \
		bash -c "[ $rc -eq 3 ] && [ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q 'not valid JSON' '$TMP/err'"
	check "  ... and the file is untouched" cmp -s "$ST" "$TMP/corrupt.json"
done
head -1 "$TMP/err" | sed 's/^/  # /'

# ---- an unwritable state file (read-only file system): one line, exit 3
RO=$TMP/ro
mkdir -p "$RO"
if mount -t tmpfs -o size=1m "sw17ro$$" "$RO"; then
	cp "$TMP/good.json" "$RO/ports.json"
	mount -o remount,ro "$RO"
	"$SW" ports --allocate "$BASE-$HI" --service x --state "$RO/ports.json" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	check "read-only state: exit 3 (got $rc), one line" \
		bash -c "[ $rc -eq 3 ] && [ \$(wc -l < '$TMP/err') -eq 1 ] && grep -q 'Read-only file system' '$TMP/err'"
	check "  ... and the file is untouched" cmp -s "$RO/ports.json" "$TMP/good.json"
	check "reading a read-only state still works" bash -c "'$SW' ports --allocations --json --state '$RO/ports.json' | jq -e '.leases | length == $N' >/dev/null"
	umount "$RO"
else
	not_ok "cannot mount a tmpfs for the read-only test"
fi
cp "$TMP/good.json" "$ST"

# ---- the agent's watchdog: a dead pid's free port is released, a bound one kept
cat > "$TMP/sw.ini" <<INI
[health]
interval_seconds = 1
[ports]
state_file = $ST
INI
spawn sleep 600
dead1=$LAST_PID
spawn sleep 600
dead2=$LAST_PID
rel=$("$SW" ports --allocate "$BASE-$HI" --service short-lived --pid "$dead1" --state "$ST" 2>/dev/null)
kept=$("$SW" ports --allocate "$BASE-$HI" --service still-bound --pid "$dead2" --state "$ST" 2>/dev/null)
listen "$kept" "$TMP/l3"
start_agent agent --config "$TMP/sw.ini" --alerts "$TMP/alerts.json" ||
	{ not_ok "agent did not start"; finish; exit 1; }
# get_to FILE PATH: the API's answer, retried (a loaded host may pass curl's 5 s)
get_to() {
	local f=$1 p=$2
	_get_once() { api "$p" > "$f"; }
	wait_for 60 _get_once
}
get_to "$TMP/aa.json" /api/v1/ports/allocations
check "/api/v1/ports/allocations lists the leases" \
	jqt --argjson p "$rel" '.leases | any(.port == $p and .pid_alive)' "$TMP/aa.json"
get_to "$TMP/pr.json" "/api/v1/ports?range=$kept-$kept"
check "/api/v1/ports: owner, failed bind, TIME_WAIT count, lease of $kept" \
	jqt --argjson p "$kept" '.ports[0] | .port == $p and (.owners[0].comm == "python3") and (.bind.ok | not) and .time_wait == 0 and .lease.service == "still-bound"' "$TMP/pr.json"
jq -c '.ports[0]' "$TMP/pr.json" | sed 's/^/  # /'
check "/api/v1/ports without range: 400" bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' http://$API/api/v1/ports) = 400 ]"
check "/api/v1/ports?range=1-65535: 400 (too many)" bash -c "[ \$(curl -s -o /dev/null -w '%{http_code}' 'http://$API/api/v1/ports?range=1-65535') = 400 ]"
# a lease whose pid is alive but is another process now (reused pid: the
# start time differs), its port free: released too. Written as a writer
# would, under the lock and by rename.
REUSED=$((HI - 1))
flock "$ST.lock" bash -c "jq --argjson p $REUSED --argjson pid $$ '.leases += [{port: \$p, service: \"reused\", purpose: \"\", pid: \$pid, pid_start: 1, since: 1, user: \"root\"}]' '$ST' > '$ST.t' && mv '$ST.t' '$ST'"
reused_gone() { ! jq -e --argjson p "$REUSED" '.leases | any(.port == $p)' "$ST" >/dev/null; }
wait_for 20 reused_gone
check "a lease whose pid was reused (alive, another start time) is released" reused_gone
reused_alert() { grep -q '"service":"reused".*"reason":"pid reused by another process and port not bound"' "$TMP/alerts.json"; }
wait_for 20 reused_alert
check "  ... with a port_lease_expired alert saying so" reused_alert
stop "$dead1"
stop "$dead2"
t0=$(date +%s%N)
released() { ! jq -e --argjson p "$rel" '.leases | any(.port == $p)' "$ST" >/dev/null; }
wait_for 20 released
ok_rel=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "the lease of the exited pid ($rel) is released (${ms} ms, interval 1000 ms + one health run)" [ $ok_rel -eq 0 ]
# the alert is written after the release: wait for it
check "port_lease_expired alert for $rel" wait_for 10 \
	bash -c "jq -e -s --argjson p $rel 'map(select(.alert == \"port_lease_expired\" and .port == \$p and .service == \"short-lived\")) | length == 1' '$TMP/alerts.json' >/dev/null"
grep port_lease_expired "$TMP/alerts.json" | head -1 | sed 's/^/  # /'
# two more watchdog passes: the bound one stays
n0=$(grep -c health_changed "$TMP/alerts.json")
sleep_until() { [ "$(jq -s 'length' "$TMP/alerts.json")" -ge 0 ] && [ $(( $(date +%s%N) - t0 )) -gt $(( ms * 1000000 + 3000000000 )) ]; }
wait_for 10 sleep_until
check "the lease whose port is still bound ($kept) is kept" \
	jqt --argjson p "$kept" '.leases | any(.port == $p)' "$ST"
check "no alert for it" bash -c "! grep -q '\"key\":\"$kept\"' '$TMP/alerts.json'"
stop "$AG"
finish
