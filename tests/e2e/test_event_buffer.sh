#!/usr/bin/env bash
# Each event buffer: a ring buffer per CPU (the default, which every other
# test uses too), a perf buffer per CPU ([agent] event_buffer = perf, trace
# --event-buffer perf) and one ring shared by all CPUs (shared-ring). With
# each, the agent's table says the same: owners, accepted children, a UDP
# socket's bind, a CLOSE_WAIT after the accept, and a close that removes
# the socket, and no record is lost while it starts. trace, with the default and the
# perf buffer, prints a socket's records in order (records per CPU are
# merged by time), also those made just before it exits. A kernel that
# refuses a buffer per CPU falls back to the shared ring with one warning.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

sockets() { api "/api/v1/sockets?limit=1000"; }
has() {	# JQ-FILTER over the sockets: true once some socket matches
	sockets | jq -e "[.sockets[] | select($1)] | length == 1" > /dev/null
}
status_has() { api /api/v1/status | jq -e "$1" > /dev/null; }
gone() { sockets | jq -e "[.sockets[] | select(.pid == $CLI)] | length == 0" > /dev/null; }

# table_checks BUFFER: the agent's table, with records through BUFFER
table_checks() {
	local buf
	printf '[agent]\nevent_buffer = %s\nring_buffer_kb = 16384\n' "$1" > "$TMP/$1.ini"
	# Sockets made while it starts: none of their records is lost (the
	# buffer is ready before the programs are attached).
	spawn python3 "$TMP/pace.py" 5000
	PACE=$LAST_PID
	start_agent "$1" --config "$TMP/$1.ini" || { not_ok "$1: agent did not start"; return 1; }
	wait_for 10 status_has '.events_submitted > 100' ||
		echo "    $1: few records while it started"
	stop "$PACE"
	check "$1: no record dropped while it started" \
		jqt '.events_dropped == 0' <(api /api/v1/status)
	buf=$(api /api/v1/status | jq -r .event_buffer)
	if [ "$1" != shared-ring ] && [ "$buf" = shared-ring ]; then
		check "$1: a refused buffer per CPU is said in one warning line" \
			grep -q 'warning: the kernel rejected the programs with a' "$TMP/$1.err"
	else
		check "$1: status says the records come through it" test "$buf" = "$1"
	fi

	# A server that accepts one connection and keeps it open (never closes it:
	# the client's close leaves it in CLOSE_WAIT), with a bound UDP socket.
	P=$(free_port)
	U=$(free_port)
	cat > "$TMP/server.py" <<-'PY'
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
	cat > "$TMP/client.py" <<-'PY'
	import socket, sys
	s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
	print("connected", s.getsockname()[1], flush=True)
	sys.stdin.read()
	s.close()
	print("closed", flush=True)
	PY
	rm -f "$TMP/cli.in"
	mkfifo "$TMP/cli.in"
	python3 "$TMP/client.py" "$P" < "$TMP/cli.in" > "$TMP/cli.out" &
	CLI=$!
	PIDS+=("$CLI")
	exec 7> "$TMP/cli.in"
	wait_for 10 grep -q connected "$TMP/cli.out" || not_ok "client did not connect"
	CPORT=$(awk '/connected/ { print $2 }' "$TMP/cli.out")

	check "$1: the listener is the server's" \
		wait_for 10 has ".pid == $SRV and .lport == $P and .state == \"LISTEN\""
	check "$1: the accepted socket is the server's, ESTABLISHED" \
		wait_for 10 has ".pid == $SRV and .lport == $P and .rport == $CPORT and .accepted and .state == \"ESTABLISHED\""
	check "$1: the client's socket is the client's, ESTABLISHED" \
		wait_for 10 has ".pid == $CLI and .lport == $CPORT and .rport == $P and .state == \"ESTABLISHED\""
	check "$1: the bound UDP socket is the server's" \
		wait_for 10 has ".pid == $SRV and .proto == \"udp\" and .lport == $U"

	# The client closes: its socket leaves the table, the server's goes to
	# CLOSE_WAIT (its state record comes after the accept's).
	exec 7>&-
	wait_for 10 grep -q closed "$TMP/cli.out" || not_ok "client did not close"
	check "$1: the server's accepted socket is in CLOSE_WAIT" \
		wait_for 10 has ".pid == $SRV and .rport == $CPORT and .state == \"CLOSE_WAIT\""
	check "$1: the client's closed socket has left the table" wait_for 10 gone
	check "$1: no record was malformed" \
		jqt '.bad_records == 0' <(api /api/v1/status)

	stop_agent
	check "$1: agent exits 0 on SIGTERM" test $? -eq 0
	kill "$SRV" 2>/dev/null
	wait "$SRV" 2>/dev/null
}

# One UDP socket opened and closed every 1/RATE s, until stopped.
cat > "$TMP/pace.py" <<'PY'
import socket, sys, time
rate = float(sys.argv[1])
t = time.monotonic()
while True:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
    t += 1 / rate
    time.sleep(max(0.0, t - time.monotonic()))
PY

table_checks ring
table_checks perf
table_checks shared-ring

# trace: a UDP socket's three records, in order. trace is stopped right
# after the socket is closed, within the 20 ms a record waits for older
# ones: only its last drain, which takes every record, prints them.
"$SW" trace --event-buffer fast > /dev/null 2> "$TMP/bad.err"
rc=$?
check "trace: a bad --event-buffer exits non-zero ($rc)" test "$rc" -ne 0
check "trace: ... with one line naming it" \
	test "$(cat "$TMP/bad.err")" = "sockwatch trace: invalid event buffer 'fast': expected ring, shared-ring or perf"
for buf in ring perf; do
	spawn "$SW" trace --json --event-buffer "$buf" -d 60 > "$TMP/trace.json" 2> "$TMP/trace.err"
	TR=$LAST_PID
	wait_for 10 grep -q tracing "$TMP/trace.err" || not_ok "trace did not start"
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.close()' "$U" &
	UDP=$!
	wait "$UDP"
	kill -INT "$TR"
	# its summary line is the last thing it does
	check "trace, $buf: stops on SIGINT" wait_for 10 grep -q 'events seen' "$TMP/trace.err"
	seq=$(jq -r --argjson p "$UDP" 'select(.pid == $p) | .event' "$TMP/trace.json" | paste -sd ' ')
	check "trace, $buf: the socket's records, in order: create, connect, close ($seq)" \
		test "$seq" = "create connect close"
done
finish
