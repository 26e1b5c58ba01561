#!/usr/bin/env bash
# sockwatch health: thresholds at their boundaries (just at / just over),
# per-namespace ephemeral exhaustion, exit codes, JSON, bad input.
. "$(dirname "$0")/lib.sh"

# The machine may run other workloads: lift the thresholds this test
# does not drive, so that the overall status is the one under test.
cat > "$TMP/quiet.ini" <<INI
[health]
connections_warning = 100000000
INI

# status of check NAME in a JSON report on stdin
check_status() {
	jq -r --arg n "$1" '.checks[] | select(.name == $n) | .status'
}

health_json() {
	"$SW" health --config "$TMP/quiet.ini" --json "$@"
}

# is_status NAME WANT ARGS...: health ARGS gives check NAME status WANT
is_status() {
	local name=$1 want=$2 got
	shift 2
	got=$(health_json "$@" | check_status "$name")
	[ "$got" = "$want" ] || { echo "    $name: got '$got', want '$want'" >&2; return 1; }
}

# ---- TIME_WAIT on a port: server closes first, so TIME_WAIT stays on it
cat > "$TMP/tw.py" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(64)
for _ in range(n):
    c = socket.create_connection(("127.0.0.1", port))
    a, _ = srv.accept()
    a.close()                  # active close: TIME_WAIT on the server side
    assert c.recv(1) == b""
    c.close()
srv.close()
PY
tw_count() {
	health_json --port "$1" | jq -r '.checks[] | select(.name == "time_wait") | .figures.count'
}
port=$(free_port)
python3 "$TMP/tw.py" "$port" 10
check "10 TIME_WAIT sockets counted on the port" [ "$(tw_count "$port")" = 10 ]
check "exactly 10 TIME_WAIT: ok" is_status time_wait ok --port "$port"
python3 "$TMP/tw.py" "$port" 1
check "11 TIME_WAIT: warning" is_status time_wait warning --port "$port"
"$SW" health --config "$TMP/quiet.ini" --port "$port" > "$TMP/out" 2>&1
rc=$?
check "exit code 1 on a warning (got $rc)" [ "$rc" -eq 1 ]
check "text names the count and gives a recommendation" \
	grep -q -- "11 TIME_WAIT sockets on port $port" "$TMP/out"
cat > "$TMP/tw11.ini" <<INI
[health]
connections_warning = 100000000
time_wait_warning = 11
INI
check "time_wait_warning from the config: 11 is not above 11" \
	[ "$("$SW" health --config "$TMP/tw11.ini" --json --port "$port" | check_status time_wait)" = ok ]

# ---- open-file limit: below nofile_warning (1024) is a warning
check "ulimit -n 1024: ok" bash -c "ulimit -n 1024; $(declare -f check_status health_json is_status); SW='$SW' TMP='$TMP' is_status process_file_limits ok"
check "ulimit -n 1023: warning" bash -c "ulimit -n 1023; $(declare -f check_status health_json is_status); SW='$SW' TMP='$TMP' is_status process_file_limits warning"

# ---- a held port: in use, with the holder's pid
port=$(free_port)
spawn python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); open(sys.argv[2], "w").close(); time.sleep(600)' "$port" "$TMP/held"
lpid=$LAST_PID
wait_for 10 test -f "$TMP/held"
health_json --port "$port" > "$TMP/held.json"
check "held port: holder pid is the listener's" \
	[ "$(jq -r '.checks[] | select(.name == "port_bind") | .holders[0].pid' "$TMP/held.json")" = "$lpid" ]
check "held port: cannot bind, but in use is not a warning" \
	[ "$(jq -r '.checks[] | select(.name == "port_bind") | "\(.figures.can_bind) \(.status)"' "$TMP/held.json")" = "0 ok" ]
stop "$lpid"

# ---- ephemeral exhaustion in a namespace with 10 ephemeral ports
NS=swh_eph$$
make_netns "$NS"
ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="40000 40009"
cat > "$TMP/eph.py" <<'PY'
# Listen on 127.0.0.1:8080; each SIGUSR1 opens one more connection to it
# and writes the count to the status file.
import signal, socket, sys, time
status = sys.argv[1]
srv = socket.socket()
srv.bind(("127.0.0.1", 8080))
srv.listen(100)
conns = []
def more(*_):
    conns.append(socket.create_connection(("127.0.0.1", 8080)))
    with open(status + ".tmp", "w") as f:
        f.write(str(len(conns)))
    import os; os.rename(status + ".tmp", status)
signal.signal(signal.SIGUSR1, more)
open(status, "w").write("0")
while True:
    time.sleep(1)
PY
spawn ip netns exec "$NS" python3 "$TMP/eph.py" "$TMP/eph"
epid=$LAST_PID
wait_for 10 grep -qx 0 "$TMP/eph"
grow_to() {
	while [ "$(cat "$TMP/eph")" -lt "$1" ]; do
		local n; n=$(cat "$TMP/eph")
		kill -USR1 "$epid"
		wait_for 10 grep -qx $((n + 1)) "$TMP/eph" || return 1
	done
}
ns_ino=$(stat -L -c %i "/run/netns/$NS")
eph_status() {
	health_json "$@" | jq -r --argjson ns "$ns_ino" '
		(.checks[] | select(.name == "ephemeral_ports")) as $c |
		($c.tuples[] | select(.netns == $ns and .destination_port == 8080)) as $t |
		"\($c.status) \($t.used)/\($t.available)"'
}
grow_to 6
check "6 of 10 (60%, not above): ok" [ "$(eph_status)" = "ok 6/10" ]
grow_to 7
check "7 of 10 (70%): warning" [ "$(eph_status)" = "warning 7/10" ]
grow_to 8
check "8 of 10 (80%, not above): warning" [ "$(eph_status)" = "warning 8/10" ]
grow_to 9
check "9 of 10 (90%): critical" [ "$(eph_status)" = "critical 9/10" ]
"$SW" health --config "$TMP/quiet.ini" > "$TMP/out" 2>&1
rc=$?
check "exit code 2 on critical (got $rc)" [ "$rc" -eq 2 ]
check "critical text names the tuple" grep -q "127.0.0.1 -> 127.0.0.1:8080 uses 9 of 10" "$TMP/out"
cat > "$TMP/eph.ini" <<INI
[health]
connections_warning = 100000000
ephemeral_warning_percent = 90
ephemeral_critical_percent = 95
INI
check "config thresholds: 90% is not above 90" \
	[ "$(eph_status --config "$TMP/eph.ini")" = "ok 9/10" ]
stop "$epid"

# ---- a namespace with nothing wrong: healthy, exit 0
NS2=swh_ok$$
make_netns "$NS2"
ip netns exec "$NS2" "$SW" health --config "$TMP/quiet.ini" --json > "$TMP/ok.json"
rc=$?
check "JSON parses" bash -c "jq -e .status '$TMP/ok.json' >/dev/null"
if [ "$rc" -ne 0 ]; then
	jq -c '.checks[] | select(.status != "ok") | {name, summary}' "$TMP/ok.json"
fi
check "healthy namespace: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "healthy status word" [ "$(jq -r .status "$TMP/ok.json")" = healthy ]

# ---- bad input: one line on stderr, exit 64
bad() {
	local want=$1 out rc
	shift
	out=$("$SW" health "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 64 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		printf '%s' "$out" | grep -q -- "$want" ||
		{ echo "    rc=$rc: $out" >&2; return 1; }
}
check "--port 70000 rejected" bad "70000 is out of range" --port 70000
check "--port 0 rejected" bad "out of range" --port 0
check "--port abc rejected" bad "'abc' is not a port number" --port abc
check "stray argument rejected" bad "unexpected argument" foo
echo "[health]
time_wait_warning = many" > "$TMP/bad.ini"
check "bad config rejected" bad "bad.ini" --config "$TMP/bad.ini"

finish
