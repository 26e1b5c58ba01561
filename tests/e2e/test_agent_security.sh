#!/usr/bin/env bash
# sockwatch agent's HTTP endpoint under attack and off loopback:
#  - a non-loopback address without a token, or a token file others can
#    read, is refused at start with one line, before anything is attached;
#  - with a token, on a non-loopback address this test adds to lo in the
#    root namespace (a /32 of 198.18.0.0/15, the benchmarking range, that
#    routes nothing) and removes: 401 without or with a wrong token, 200
#    with it, /healthz open, the token rotated by SIGHUP;
#  - 2,000 idle connections and 100 slowloris clients do not stop scrapes,
#    oversized requests are rejected, and the agent keeps tracing meanwhile.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/workload.py"
# metric_ge SAMPLE MIN [CURL ARGS...]: /metrics has SAMPLE >= MIN
metric_ge() {
	local k=$1 min=$2
	shift 2
	_curl "$@" "$BASE/metrics" | awk -v k="$k" -v m="$min" '$1 == k && $2 >= m { f=1 } END { exit !f }'
}

# ---- refused at start ----
# refused NAME ARGS...: the agent must exit non-zero within 10 s with one
# line on stderr. -v would print libbpf's messages if anything were loaded.
refused() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s%N)
	timeout 10 "$SW" agent -v "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
	rc=$?
	REFUSED_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$(wc -l < "$TMP/$name.err")" -eq 1 ] &&
		! grep -q ready "$TMP/$name.err" ||
		{ echo "    exit $rc after $REFUSED_MS ms:"; sed 's/^/    | /' "$TMP/$name.err"; return 1; }
}
P=$(free_port)
check "0.0.0.0 without a token: refused, one line, non-zero exit" refused any4 --listen "0.0.0.0:$P"
check "  ... within seconds ($REFUSED_MS ms)" test "$REFUSED_MS" -lt 5000
check "  ... the line says why and what to do" \
	grep -qx "sockwatch: http: refusing to listen on non-loopback address 0.0.0.0:$P without TLS or a token file (set \[http\] web_config or token_file, or --web-config or --token-file)" "$TMP/any4.err"
sed 's/^/    | /' "$TMP/any4.err"
check "  ... nothing listens on the port" sh -c "! ss -Hltn 'sport = :$P' | grep -q ."
check "[::] without a token: refused" refused any6 --listen "[::]:$P"
check "  ... for the same reason" grep -q 'refusing to listen on non-loopback address \[::\]' "$TMP/any6.err"
printf '[http]\nlisten = 0.0.0.0:%s\n' "$P" > "$TMP/open.conf"
check "listen = 0.0.0.0 from the config file: refused" refused conf --config "$TMP/open.conf"
check "  ... for the same reason" grep -q 'refusing to listen on non-loopback address 0.0.0.0' "$TMP/conf.err"

TOKEN=sw-e2e-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
TOK=$TMP/token
( umask 077; echo "$TOKEN" > "$TOK" )
check "token file is mode 0600" test "$(stat -c %a "$TOK")" = 600
cp "$TOK" "$TMP/token.public"
chmod 0644 "$TMP/token.public"
check "a token file others can read: refused" refused public --listen "127.0.0.1:$P" --token-file "$TMP/token.public"
check "  ... saying so" grep -q 'accessible to other users (mode 0644)' "$TMP/public.err"
: > "$TMP/token.empty"
chmod 0600 "$TMP/token.empty"
check "an empty token file: refused" refused empty --listen "127.0.0.1:$P" --token-file "$TMP/token.empty"
check "a missing token file: refused" refused missing --listen "127.0.0.1:$P" --token-file "$TMP/nope"

# ---- with a token, off loopback ----
# The agent must run in the root namespace to see every socket: give its
# loopback device a /32 from the benchmarking range (not 127/8, so the agent
# treats it as any other address; routes nothing, carries no traffic), and
# take it away at exit.
ADDR=198.18.$(( ($$ >> 8) % 256 )).$(( $$ % 254 + 1 ))
trap 'ip addr del "$ADDR/32" dev lo 2>/dev/null; _cleanup' EXIT
check "address $ADDR/32 added to lo" ip addr add "$ADDR/32" dev lo
P=$(free_port)
if start_agent a --listen "$ADDR:$P" --token-file "$TOK"; then
	A=$AG
else
	not_ok "agent with a token on $ADDR did not get ready"
	finish
	exit 1
fi
ok "agent with a token listens on $ADDR:$P"
A_PROGS=$(prog_ids_of "$A")
check "no token: 401 JSON" error_is 401 /metrics
check "  ... with WWW-Authenticate: Bearer" \
	has_header /api/v1/status '^WWW-Authenticate: Bearer realm="sockwatch"'
check "wrong token: 401" error_is 401 /api/v1/status -H "Authorization: Bearer ${TOKEN}x"
check "token prefix: 401" error_is 401 /api/v1/status -H "Authorization: Bearer ${TOKEN%?}"
check "token as Basic credentials: 401" error_is 401 /api/v1/status -u "x:$TOKEN"
check "token in the query string: 401" error_is 401 "/api/v1/status?token=$TOKEN"
check "unknown path without a token: 401 (nothing leaks)" error_is 401 /nope
check "POST without a token: 401" error_is 401 /api/v1/sockets -X POST
AUTH=(-H "Authorization: Bearer $TOKEN")
check "right token: /metrics 200" status_is 200 /metrics
check "right token: /api/v1/status 200 JSON" json_is 200 /api/v1/status '.attach_plan.complete == true'
check "right token: /api/v1/sockets 200 JSON" json_is 200 /api/v1/sockets '.sockets | type == "array"'
check "right token, unknown path: 404" error_is 404 /nope
check "scheme is case-insensitive: 'bearer TOKEN' 200" status_is 200 /metrics -H "Authorization: bearer $TOKEN"
AUTH=()
check "/healthz without a token: 200" json_is 200 /healthz '.status == "ok"'
check "the 401s are counted in /metrics" \
	metric_ge 'sockwatch_http_requests_total{outcome="unauthorized"}' 7 -H "Authorization: Bearer $TOKEN"
check "not reachable on loopback" sh -c "! curl -s -m 2 -o /dev/null 'http://127.0.0.1:$P/healthz'"
# rotation: a new token on SIGHUP, the old one stops working
TOKEN2=$TOKEN-rotated
echo "$TOKEN2" > "$TOK"
kill -HUP "$A"
check "SIGHUP: the new token works" wait_for 20 status_is 200 /api/v1/status -H "Authorization: Bearer $TOKEN2"
check "SIGHUP: the old one is refused" error_is 401 /api/v1/status -H "Authorization: Bearer $TOKEN"
chmod 0644 "$TOK"
kill -HUP "$A"
check "SIGHUP with a token file others can read: rejected, logged" \
	wait_for 20 grep -q 'token: .*accessible to other users.*(keeping the old one)' "$TMP/a.err"
check "  ... the running token kept" status_is 200 /api/v1/status -H "Authorization: Bearer $TOKEN2"
chmod 0600 "$TOK"
stop "$A"
check "SIGTERM: exit 0" test $? -eq 0
check "SIGTERM: its BPF programs are gone" wait_for 10 ids_gone $A_PROGS
ip addr del "$ADDR/32" dev lo
check "address $ADDR removed" sh -c "! ip -4 addr show dev lo | grep -qF ' $ADDR/'"

# ---- abuse ----
# 2,100 attacker sockets and a scraper here, as many in the agent
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"
printf '[http]\ntimeout_seconds = 3\n\n[agent]\nring_buffer_kb = 16384\n' > "$TMP/b.conf"
# loopback with a token: the token applies wherever a token file is given
if start_agent b --config "$TMP/b.conf" --token-file "$TOK"; then
	B=$AG
	P=${API##*:}
else
	not_ok "agent for the abuse did not get ready"
	finish
	exit 1
fi
check "loopback with a token: 401 without it" error_is 401 /metrics
AUTH=(-H "Authorization: Bearer $TOKEN2")
check "loopback with a token: 200 with it" status_is 200 /metrics
idle_closed_after() {	# an idle connection is closed by the server: seconds
	python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(10)
t = time.monotonic()
try:
    while s.recv(1024):
        pass
except OSError:
    pass
print(round(time.monotonic() - t, 1))' "$P"
}
IDLE_S=$(idle_closed_after)
check "an idle connection is closed after timeout_seconds = 3 (${IDLE_S} s)" \
	awk -v s="$IDLE_S" 'BEGIN { exit !(s >= 2 && s <= 6) }'

# oversized REQ [CODES]: a 64 KiB URL or header; the status (000: closed)
# must be one of CODES (default: 414, 431 or 000)
oversized() {
	local code
	case $1 in
	url) code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$BASE/metrics?$(head -c 65536 /dev/zero | tr '\0' a)") ;;
	header) code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H "X-Big: $(head -c 65536 /dev/zero | tr '\0' a)" "$BASE/metrics") ;;
	esac
	echo "    oversized $1: HTTP $code"
	case " ${2:-414 431 000} " in *" $code "*) return 0 ;; esac
	return 1
}
check "64 KiB URL: 414" oversized url 414
check "64 KiB header: 431" oversized header 431
check "agent answers after them" status_is 200 /metrics

python3 tests/e2e/helpers/http_abuse.py --port "$P" --token "$TOKEN2" \
	--idle 2000 --slow 100 --seconds 10 --max-latency $((5 * ${E2E_TIME_SCALE:-1})) > "$TMP/abuse.out" 2>&1 &
ABUSE=$!
PIDS+=("$ABUSE")
check "attack under way (2,100 connections opened)" wait_for 10 grep -q 'http_abuse: attacking' "$TMP/abuse.out"
# during the abuse: a new listener, and oversized requests
LPORT=$(free_port)
spawn $WL hold "$LPORT" > "$TMP/hold.out"
HOLD=$LAST_PID
wait_for 10 grep -q ready "$TMP/hold.out" || not_ok "listener did not start"
check "64 KiB URL during the abuse: 414, 431 or closed (evicted)" oversized url
check "64 KiB header during the abuse: 414, 431 or closed (evicted)" oversized header
wait "$ABUSE"
ABUSE_RC=$?
# reaped: its pid may be reused, so it must not be signalled at exit
for i in "${!PIDS[@]}"; do [ "${PIDS[$i]}" = "$ABUSE" ] && unset 'PIDS[i]'; done
sed 's/^/    /' "$TMP/abuse.out"
check "the attackers were evicted and came back (reconnects > 0)" grep -qE 'scrapes ok, .* [1-9][0-9]* attacker reconnects' "$TMP/abuse.out"
# 5 s, not 2: the e2e tests may share two CPUs with other test runs (and
# times E2E_TIME_SCALE, as every deadline: 30 s in the emulated guest)
check "scrapes from another address all, from the flood's own address >= 80 %, succeeded within $((5 * ${E2E_TIME_SCALE:-1})) s under 2,000 idle + 100 slowloris connections" test "$ABUSE_RC" -eq 0
if kill -0 "$B" 2>/dev/null; then
	ok "agent alive after the abuse"
else
	wait "$B"
	not_ok "agent alive after the abuse: it exited with status $?"
	sed 's/^/    agent: /' "$TMP/b.err"
fi
check "agent answers after the abuse" status_is 200 /metrics
check "the listener opened during the abuse is in /api/v1/sockets" \
	wait_for 20 json_is 200 "/api/v1/sockets?port=$LPORT" ".sockets | map(select(.pid == $HOLD and .state == \"LISTEN\" and .comm == \"sw-pre\")) | length == 1"
check "the attack's connections were traced (accepts counted)" \
	json_is 200 /api/v1/status '.events.accept >= 2000 and .events.connect >= 2000'
check "connections were evicted to make room, and counted" \
	metric_ge 'sockwatch_http_connections_total{event="evicted"}' 1 -H "Authorization: Bearer $TOKEN2"
check "no bad records" json_is 200 /api/v1/status '.bad_records == 0'
check_no_drops
B_PROGS=$(prog_ids_of "$B")
stop "$B"
check "SIGTERM after the abuse: exit 0" test $? -eq 0
check "its BPF programs are gone" wait_for 10 ids_gone $B_PROGS
grep -v '^sockwatch: info:' "$TMP/b.err" | sed 's/^/    agent: /'
finish
