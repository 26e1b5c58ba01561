#!/usr/bin/env bash
# The agent attributes accepted sockets to their listener's owner (the
# state program reports the child, the table names its listener's owner):
# for a listener opened after the agent started, and for one that was
# there before (found in /proc at start).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

# A server that accepts connections and keeps them until SIGTERM.
cat > "$TMP/holder.py" <<'PY'
import socket, sys
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(sys.argv[1])))
ls.listen(8)
print("ready", flush=True)
held = []
while True:
    held.append(ls.accept()[0])
PY
# before the agent
P1=$(free_port)
spawn python3 "$TMP/holder.py" "$P1" > "$TMP/before.out"
BEFORE=$LAST_PID
wait_for 10 grep -q ready "$TMP/before.out" || not_ok "first server did not start"

start_agent agent || { not_ok "agent did not start"; finish; exit 1; }
check "status: accept comes from the state program and the listener's owner" \
	jqt '.attach_plan.accept | test("listener")' <(api /api/v1/status)

# after the agent: another listener
P2=$(free_port)
spawn python3 "$TMP/holder.py" "$P2" > "$TMP/after.out"
AFTER=$LAST_PID
wait_for 10 grep -q ready "$TMP/after.out" || not_ok "second server did not start"

# A client that holds its connection open until the server has answered.
connect_and_check() {	# SERVER_PID PORT LABEL
	local srv=$1 port=$2 label=$3
	python3 - "$port" > "$TMP/cli$port.out" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
print("connected", s.getsockname()[1], flush=True)
s.sendall(b"x" * 10)
time.sleep(3)
PY
	CLI=$!
	PIDS+=("$CLI")
	wait_for 10 grep -q connected "$TMP/cli$port.out"
	accepted() {
		api "/api/v1/sockets?port=$port" |
			jq -e --argjson p "$srv" --argjson port "$port" \
			'.sockets | map(select(.lport == $port and .rport != 0 and .accepted and .pid == $p)) | length == 1' >/dev/null
	}
	check "$label: the accepted socket is owned by the server (pid $srv)" wait_for 10 accepted
	check "$label: the server's process counts it as accepted" \
		jqt --argjson p "$srv" '.processes | map(select(.pid == $p and .accepted >= 1)) | length == 1' \
		<(api "/api/v1/processes?pid=$srv")
	wait "$CLI"
}
connect_and_check "$BEFORE" "$P1" "listener older than the agent"
connect_and_check "$AFTER" "$P2" "listener younger than the agent"

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
finish
