#!/usr/bin/env bash
# sockwatch ports: the inventory names the holder; --free skips held
# ports; exposure; JSON; exit codes; bad input.
. "$(dirname "$0")/lib.sh"

# listen ADDR PORT READYFILE: a TCP listener that stays until stopped
listen() {
	spawn python3 -c 'import socket,sys,time
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam); s.bind((sys.argv[1], int(sys.argv[2]))); s.listen()
open(sys.argv[3], "w").close(); time.sleep(600)' "$@"
	wait_for 10 test -f "$3"
}

# ---- a loopback listener: pid, state, address, not exposed
port=$(free_port)
listen 127.0.0.1 "$port" "$TMP/l1"
lpid=$LAST_PID
"$SW" ports "$port" --json > "$TMP/p.json"
check "ports --json parses" bash -c "jq -e .ports '$TMP/p.json' >/dev/null"
row() { jq -r --argjson p "$port" ".ports[] | select(.port == \$p and .proto == \"tcp\") | $1" "$TMP/p.json"; }
check "holder pid is the listener's" [ "$(row .pid)" = "$lpid" ]
check "state LISTEN on 127.0.0.1" [ "$(row '"\(.state) \(.address)"')" = "LISTEN 127.0.0.1" ]
check "loopback is not all interfaces" [ "$(row .all_interfaces)" = false ]
check "command line names the program" bash -c "jq -r '.ports[].cmdline' '$TMP/p.json' | grep -q 'python3 -c import socket'"
check "since is an RFC 3339 time" bash -c "[[ '$(row .since)' =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]"
check "text output lists it" bash -c "'$SW' ports '$port' | grep -qE '^$port +tcp +127.0.0.1 +LISTEN +$lpid '"
check "a range without it omits it" \
	[ "$("$SW" ports "$((port == 65535 ? 1 : port + 1))-65535" --json | jq --argjson p "$port" '[.ports[] | select(.port == $p)] | length')" = 0 ]

# ---- --free skips the held port
free=$("$SW" ports --free "$port-$((port + 20))")
rc=$?
check "--free finds a port (rc $rc)" [ "$rc" -eq 0 ]
check "--free skips the held port $port (got $free)" \
	bash -c "[ '$free' -gt '$port' ] && [ '$free' -le $((port + 20)) ]"
"$SW" ports --free "$port" > "$TMP/out" 2> "$TMP/err"
rc=$?
check "--free on a held single port: exit 1 (got $rc)" [ "$rc" -eq 1 ]
check "--free says none is free" grep -q "no free port in $port-$port" "$TMP/err"
stop "$lpid"

# ---- all interfaces: exposure in ports and in health
port=$(free_port)
listen 0.0.0.0 "$port" "$TMP/l2"
apid=$LAST_PID
check "0.0.0.0 listener is all interfaces" \
	[ "$("$SW" ports "$port" --json | jq -r '.ports[0].all_interfaces')" = true ]
"$SW" health --json > "$TMP/h.json"
check "health lists it as an exposure finding" \
	[ "$(jq --argjson p "$port" --argjson pid "$apid" '[.checks[] | select(.name == "exposure") | .listeners[] | select(.port == $p and .pid == $pid)] | length' "$TMP/h.json")" = 1 ]
stop "$apid"

# ---- another namespace's listener is listed with its netns
NS=swp_ns$$
make_netns "$NS"
listen_ns() {
	spawn ip netns exec "$NS" python3 -c 'import socket,sys,time
s = socket.socket(); s.bind(("127.0.0.1", 8123)); s.listen()
open(sys.argv[1], "w").close(); time.sleep(600)' "$1"
	wait_for 10 test -f "$1"
}
listen_ns "$TMP/l3"
npid=$LAST_PID
ns_ino=$(stat -L -c %i "/run/netns/$NS")
check "listener in a netns is found with its netns and pid" \
	[ "$("$SW" ports 8123 --json | jq -r --argjson ns "$ns_ino" '.ports[] | select(.netns == $ns) | .pid')" = "$npid" ]
stop "$npid"

# ---- bad input: one line on stderr, exit 64
bad() {
	local want=$1 out rc
	shift
	out=$("$SW" ports "$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 64 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
		printf '%s' "$out" | grep -q -- "$want" ||
		{ echo "    rc=$rc: $out" >&2; return 1; }
}
check "reversed range rejected" bad "9000-8000 is reversed" 9000-8000
check "reversed --free range rejected" bad "reversed" --free 9000-8000
check "port 70000 rejected" bad "70000 is out of range" 70000
check "garbage rejected" bad "'abc' is not a port number" abc
check "two ranges rejected" bad "only one RANGE" 80 90
check "half a range rejected" bad "not a port number" 8000-

finish
