#!/usr/bin/env bash
# A scrape must succeed while 2,000 idle connections and 100 slowloris
# clients hammer the HTTP server, from the scraper's own address too.
#
# Target: SW_ABUSE_TARGET=minimal (default) runs the unit test binary's
# minimal server (build/tests/test_http --serve); SW_ABUSE_TARGET=agent
# runs `sockwatch agent --listen 127.0.0.1:PORT` (needs root and BPF).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

# 2,100 client sockets here plus as many in the server
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

port=$(free_port)
case "${SW_ABUSE_TARGET:-minimal}" in
agent)
	start_agent server --listen "127.0.0.1:$port" || { not_ok "agent did not start"; finish; exit 1; }
	;;
*)
	[ -x "$BUILD/tests/test_http" ] || make -s BUILD="$BUILD" "$BUILD/tests/test_http" >/dev/null
	spawn "$BUILD/tests/test_http" --serve "127.0.0.1:$port" >"$TMP/server.log" 2>&1
	;;
esac
server=$LAST_PID

check "server answers /metrics" \
	wait_for 20 curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"

check "scrapes succeed under 2,000 idle connections and slowloris (another address: all; the flood's own: >= 80 %)" \
	timeout 60 python3 tests/e2e/helpers/http_abuse.py --port "$port" \
		--idle 2000 --slow 100 --seconds 8

check "server still alive" kill -0 "$server"
check "server answers after the abuse" \
	curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"
check "server stops cleanly on SIGTERM" stop "$server"
cat "$TMP/server.log" "$TMP/server.err" 2>/dev/null
finish
