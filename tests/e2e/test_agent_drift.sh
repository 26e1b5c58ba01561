#!/usr/bin/env bash
# Manifest drift (issue 6): build/sockscan writes the manifest of a small
# Python service "swdrift" that listens on port A. Then, with the agent
# running on that manifest:
#   the service listening on A (its script in swdrift/)      nothing;
#   the service listening on B (another script in swdrift/)  manifest_drift;
#   the service listening on C (a process whose comm is swdrift) drift;
#   a process the manifest does not name, listening on D     nothing.
# sockwatch check-manifest reports B and C (exit 1), and nothing once only
# A is left (exit 0). Bad manifests: one line, non-zero exit, for both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
SCAN=${SOCKSCAN:-$(dirname "$SW")/sockscan}
ALERTS=$TMP/alerts.json
MAN=$TMP/manifest.json

need "$SW" "$SCAN"
PA=$(pick_port)	# a literal in the scanned code; the others: the kernel picks

# ---------------------------------------------------------------- manifest
# The scanned service: one literal listener on A.
mkdir -p "$TMP/src/swdrift" "$TMP/run/swdrift" "$TMP/run/other"
cat > "$TMP/src/swdrift/app.py" <<PY
import signal
import socket

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", $PA))
sock.listen(8)
print("ready", flush=True)
signal.pause()
PY
"$SCAN" "$TMP/src" > "$MAN" 2> "$TMP/scan.err"
check "sockscan writes the manifest (exit 0)" test $? -eq 0
check "manifest: service swdrift, ingress on port $PA" \
	jqt --argjson p "$PA" '.findings | length == 1 and .[0].service == "swdrift" and .[0].direction == "ingress" and .[0].port == $p and .[0].resolution == "literal"' "$MAN"

# Not scanned: the same service opening B (script in a directory named
# after the service), a process whose comm is the service's name opening
# C, and a process of no service opening D.
cat > "$TMP/run/listen_on.py" <<'PY'
import signal
import socket
import sys

if len(sys.argv) > 2:
    with open("/proc/self/comm", "w") as f:
        f.write(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", int(sys.argv[1])))
sock.listen(8)
print("ready", sock.getsockname()[1], flush=True)
signal.pause()
PY
cp "$TMP/run/listen_on.py" "$TMP/run/swdrift/extra.py"
cp "$TMP/run/listen_on.py" "$TMP/run/other/tool.py"

# start NAME CMD...: a listener, ready
start() {
	local name=$1
	shift
	spawn "$@" > "$TMP/$name.out"
	wait_for 10 grep -q ready "$TMP/$name.out" || not_ok "$name did not start"
}

# E: the service already listening on an unlisted port when the agent
# starts: judged from the agent's snapshot, not from an event.
start pre python3 "$TMP/run/listen_on.py" 0 swdrift
PRE=$LAST_PID
PE=$(ready_port "$TMP/pre.out")

# ---------------------------------------------------------------- agent
# drift is judged on the listen event: room in the ring buffer for the
# bursts of other tests that may run beside this one
printf '[agent]\nring_buffer_kb = 8192\n' > "$TMP/sw.ini"
start_agent agent --config "$TMP/sw.ini" --manifest "$MAN" --alerts "$ALERTS" ||
	{ not_ok "agent did not start"; finish; exit 1; }
ok "agent ready with --manifest"
drift() {	# drift PORT: the manifest_drift alerts for PORT so far
	jq -s --argjson p "$1" 'map(select(.alert == "manifest_drift" and .port == $p))' "$ALERTS" 2>/dev/null
}
has_drift() {	# has_drift PORT: some manifest_drift alert for PORT
	drift "$1" | jq -e 'length > 0' >/dev/null
}

check "manifest_drift for E, listening before the agent started" \
	wait_for 20 has_drift "$PE"
check "manifest_drift E: its pid, ingress" \
	jqt --argjson pid "$PRE" 'length == 1 and (.[0] | .key == "swdrift" and .direction == "ingress" and .pid == $pid)' <(drift "$PE")
stop "$PRE"
wait_for 10 bash -c "! ss -Hltn 'sport = :$PE' | grep -q ."

start app python3 "$TMP/src/swdrift/app.py"
APP=$LAST_PID
start other python3 "$TMP/run/other/tool.py" 0
OTHER=$LAST_PID
PD=$(ready_port "$TMP/other.out")
check "agent has seen the listener on D" wait_for 20 agent_sees_listener "$PD"
check "agent has seen the listener on A" wait_for 20 agent_sees_listener "$PA"

"$SW" check-manifest "$MAN" > "$TMP/cm0.out" 2> "$TMP/cm0.err"
rc=$?
check "check-manifest: exit 0 while only A is open (got $rc)" test "$rc" -eq 0
check "check-manifest: says it checked the service's socket and found no drift" \
	grep -qE "^[1-9][0-9]* sockets of manifest services checked, 0 not in the manifest" "$TMP/cm0.out"

start extra python3 "$TMP/run/swdrift/extra.py" 0
EXTRA=$LAST_PID
start named python3 "$TMP/run/listen_on.py" 0 swdrift
NAMED=$LAST_PID
PB=$(ready_port "$TMP/extra.out") PC=$(ready_port "$TMP/named.out")

check "manifest_drift for B (service by script directory)" \
	wait_for 20 has_drift "$PB"
check "manifest_drift for C (service by comm)" \
	wait_for 20 has_drift "$PC"
check "manifest_drift B: key swdrift, ingress, its pid" \
	jqt --argjson pid "$EXTRA" 'length == 1 and (.[0] | .key_kind == "service" and .key == "swdrift" and .direction == "ingress" and .proto == "tcp" and .pid == $pid and .comm == "python3")' <(drift "$PB")
check "manifest_drift C: key swdrift, ingress, its pid and comm" \
	jqt --argjson pid "$NAMED" 'length == 1 and (.[0] | .key == "swdrift" and .direction == "ingress" and .pid == $pid and .comm == "swdrift")' <(drift "$PC")

"$SW" check-manifest "$MAN" > "$TMP/cm1.out" 2> "$TMP/cm1.err"
rc=$?
check "check-manifest: exit 1 with B and C open (got $rc)" test "$rc" -eq 1
check "check-manifest: names B" \
	grep -q "^drift: service swdrift (pid $EXTRA, python3) tcp listens on port $PB, not in the manifest" "$TMP/cm1.out"
check "check-manifest: names C" \
	grep -q "^drift: service swdrift (pid $NAMED, swdrift) tcp listens on port $PC, not in the manifest" "$TMP/cm1.out"
check "check-manifest: nothing about A or D" \
	test -z "$(grep -E "port ($PA|$PD)\b" "$TMP/cm1.out")"
"$SW" check-manifest --json "$MAN" > "$TMP/cm1.json"
check "check-manifest --json: exactly B and C, ingress, no host" \
	jqt --argjson b "$PB" --argjson c "$PC" '[.drift[] | select(.service == "swdrift")] | (map(.port) | sort) == ([$b, $c] | sort) and all(.direction == "ingress" and .host == null and .proto == "tcp")' "$TMP/cm1.json"

stop "$EXTRA"
stop "$NAMED"
gone() { ! api "/api/v1/sockets?port=$1&state=LISTEN" | jq -e '.matched > 0' >/dev/null; }
wait_for 10 gone "$PB"
"$SW" check-manifest "$MAN" > "$TMP/cm2.out"
rc=$?
check "check-manifest: exit 0 again once only A is left (got $rc)" test "$rc" -eq 0

stop_agent
check "agent exits 0 on SIGTERM" test $? -eq 0
agent_summary agent
check "no alert about A (listed) or D (no service), nor naming their pids" \
	jqt -s "map(select(.pid == $APP or .pid == $OTHER or (.alert == \"manifest_drift\" and (.port == $PA or .port == $PD)))) | length == 0" "$ALERTS"
check "manifest_drift alerts: only for B, C and E" \
	jqt -s "map(select(.alert == \"manifest_drift\" and .key == \"swdrift\") | .port) | sort == ([$PB, $PC, $PE] | sort)" "$ALERTS"
[ -n "${SW_KEEP_ALERTS:-}" ] && jq -c 'select(.alert == "manifest_drift")' "$ALERTS" > "$SW_KEEP_ALERTS"
stop "$APP"
stop "$OTHER"

# ---------------------------------------------------------------- bad manifests
# one line on stderr naming the file, non-zero exit; the agent attaches nothing
printf '{"findings": [\n' > "$TMP/trunc.json"
printf '{"tool": "sockscan"}\n' > "$TMP/nofindings.json"
printf '{"findings": [{"service": "x", "direction": "sideways", "resolution": "literal"}]}\n' > "$TMP/baddir.json"
mkdir -p "$TMP/adir.json"
bad_manifest() {	# bad_manifest DESCRIPTION FILE PATTERN
	local d=$1 f=$2 pat=$3 rc
	"$SW" check-manifest "$f" > /dev/null 2> "$TMP/e1"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$(wc -l < "$TMP/e1")" -eq 1 ] && grep -q -- "$pat" "$TMP/e1"; then
		ok "check-manifest, $d: exit $rc, $(cat "$TMP/e1")"
	else
		not_ok "check-manifest, $d: rc=$rc stderr: $(head -3 "$TMP/e1")"
	fi
	timeout 20 "$SW" agent --manifest "$f" --no-http --alerts "$TMP/bad-alerts.json" > /dev/null 2> "$TMP/e2"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$(wc -l < "$TMP/e2")" -eq 1 ] && grep -q -- "$pat" "$TMP/e2"; then
		ok "agent --manifest, $d: exit $rc, $(cat "$TMP/e2")"
	else
		not_ok "agent --manifest, $d: rc=$rc stderr: $(head -3 "$TMP/e2")"
	fi
}
bad_manifest "bad JSON" "$TMP/trunc.json" "trunc.json: line 2: .*expected"
bad_manifest "not sockscan's JSON" "$TMP/nofindings.json" "nofindings.json: no \"findings\" array"
bad_manifest "bad finding" "$TMP/baddir.json" "baddir.json: findings\[0\]: 'direction'"
bad_manifest "missing file" "$TMP/missing.json" "missing.json: cannot open: No such file or directory"
bad_manifest "unreadable (a directory)" "$TMP/adir.json" "adir.json: cannot read: Is a directory"
# unreadable for its reader: check-manifest as nobody (root reads anything)
cp "$TMP/trunc.json" "$TMP/secret.json"
chmod 600 "$TMP/secret.json"
chmod 755 "$TMP"
if setpriv --reuid 65534 --regid 65534 --clear-groups "$SW" --version > /dev/null 2>&1; then
	setpriv --reuid 65534 --regid 65534 --clear-groups "$SW" check-manifest "$TMP/secret.json" > /dev/null 2> "$TMP/e3"
	rc=$?
	check "check-manifest, unreadable file: exit $rc, one line: $(head -1 "$TMP/e3")" \
		test "$rc" -ne 0 -a "$rc" -ne 1 -a "$(wc -l < "$TMP/e3")" -eq 1 -a -n "$(grep "secret.json: cannot open: Permission denied" "$TMP/e3")"
else
	echo "  skip unreadable file as nobody: $SW is not runnable by nobody"
fi

finish
