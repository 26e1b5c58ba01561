#!/usr/bin/env bash
# Records through a perf buffer per CPU ([agent] event_buffer = perf,
# trace --event-buffer perf), merged back into time order. The agent's
# table says what it says with the ring: owners, accepted children, a UDP
# socket's bind, a CLOSE_WAIT after the accept, and a close that removes
# the socket. trace prints a socket's records in order, also those made
# just before it exits. A kernel that refuses the perf buffer falls back
# to the ring with one warning line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

printf '[agent]\nevent_buffer = perf\n' > "$TMP/perf.ini"
start_agent perf --config "$TMP/perf.ini" || { not_ok "agent did not start"; finish; exit 1; }
buf=$(api /api/v1/status | jq -r .event_buffer)
if [ "$buf" = ring ]; then
	check "a refused perf buffer is said in one warning line" \
		grep -q 'warning: the kernel rejected the programs with a perf buffer' "$TMP/perf.err"
else
	check "status: records come through the perf buffer" test "$buf" = perf
fi

# A server that accepts one connection and keeps it open (never closes it:
# the client's close leaves it in CLOSE_WAIT), with a bound UDP socket.
P=$(free_port)
U=$(free_port)
cat > "$TMP/server.py" <<'PY'
import socket, sys, time
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(sys.argv[1])))
ls.listen(8)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", int(sys.argv[2])))
print("ready", flush=True)
c, _ = ls.accept()
print("accepted", flush=True)
time.sleep(3600)
PY
spawn python3 "$TMP/server.py" "$P" "$U" > "$TMP/server.out"
SRV=$LAST_PID
wait_for 10 grep -q ready "$TMP/server.out" || not_ok "server did not start"

# A client that connects, says it, and closes when its stdin does.
mkfifo "$TMP/cli.in"
python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
print("connected", s.getsockname()[1], flush=True)
sys.stdin.read()
s.close()
print("closed", flush=True)
' "$P" < "$TMP/cli.in" > "$TMP/cli.out" &
CLI=$!
PIDS+=("$CLI")
exec 7> "$TMP/cli.in"
wait_for 10 grep -q connected "$TMP/cli.out" || not_ok "client did not connect"
CPORT=$(awk '/connected/ { print $2 }' "$TMP/cli.out")

sockets() { api "/api/v1/sockets?limit=1000"; }
has() {	# JQ-FILTER over the sockets: true once some socket matches
	sockets | jq -e "[.sockets[] | select($1)] | length == 1" > /dev/null
}
check "the listener is the server's" \
	wait_for 10 has ".pid == $SRV and .lport == $P and .state == \"LISTEN\""
check "the accepted socket is the server's, ESTABLISHED" \
	wait_for 10 has ".pid == $SRV and .lport == $P and .rport == $CPORT and .accepted and .state == \"ESTABLISHED\""
check "the client's socket is the client's, ESTABLISHED" \
	wait_for 10 has ".pid == $CLI and .lport == $CPORT and .rport == $P and .state == \"ESTABLISHED\""
check "the bound UDP socket is the server's" \
	wait_for 10 has ".pid == $SRV and .proto == \"udp\" and .lport == $U"

# The client closes: its socket leaves the table, the server's goes to
# CLOSE_WAIT (its state record comes after the accept's).
exec 7>&-
wait_for 10 grep -q closed "$TMP/cli.out" || not_ok "client did not close"
check "the server's accepted socket is in CLOSE_WAIT" \
	wait_for 10 has ".pid == $SRV and .rport == $CPORT and .state == \"CLOSE_WAIT\""
gone() { sockets | jq -e "[.sockets[] | select(.pid == $CLI)] | length == 0" > /dev/null; }
check "the client's closed socket has left the table" wait_for 10 gone
check "no record was malformed" \
	jqt '.bad_records == 0' <(api /api/v1/status)

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0

# trace: a UDP socket's three records, in order. trace is stopped right
# after the socket is closed, within the 20 ms a record waits for older
# ones: only its last drain, which takes every record, prints them.
"$SW" trace --event-buffer fast > /dev/null 2> "$TMP/bad.err"
rc=$?
check "trace: a bad --event-buffer exits non-zero ($rc)" test "$rc" -ne 0
check "trace: ... with one line naming it" \
	test "$(cat "$TMP/bad.err")" = "sockwatch trace: invalid event buffer 'fast': expected ring or perf"
spawn "$SW" trace --json --event-buffer perf -d 60 > "$TMP/trace.json" 2> "$TMP/trace.err"
TR=$LAST_PID
wait_for 10 grep -q tracing "$TMP/trace.err" || not_ok "trace did not start"
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.close()
' "$U" &
UDP=$!
wait "$UDP"
kill -INT "$TR"
# its summary line is the last thing it does
check "trace stops on SIGINT" wait_for 10 grep -q 'events seen' "$TMP/trace.err"
seq=$(jq -r --argjson p "$UDP" 'select(.pid == $p) | .event' "$TMP/trace.json" | paste -sd ' ')
check "trace: the socket's records, in order: create, connect, close ($seq)" \
	test "$seq" = "create connect close"
finish
