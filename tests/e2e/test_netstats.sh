#!/usr/bin/env bash
# Interface counters (issue 17): traffic the test sends over a veth pair
# into its own network namespace shows in /api/v1/netstats, with TCP
# connections by state; frames the stack drops on the veth (an unknown
# EtherType) make the interfaces check warn that drops grew, as a
# health_changed alert, and the next quiet run brings it back to ok.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
need "$SW"
NS=sw17ns$$
VA=sw17a$$
VB=sw17b$$
NET=10.217.$(( $$ % 250 ))
ALERTS=$TMP/alerts.json

make_netns "$NS" || { not_ok "netns"; finish; exit 1; }
ip link add "$VA" type veth peer name "$VB" || { not_ok "veth pair"; finish; exit 1; }
# deleting the namespace deletes $VB and with it $VA; delete $VA anyway
trap 'ip link del "$VA" 2>/dev/null; _cleanup' EXIT
ip link set "$VB" netns "$NS"
ip addr add "$NET.1/30" dev "$VA"
ip link set "$VA" up
ip -n "$NS" addr add "$NET.2/30" dev "$VB"
ip -n "$NS" link set "$VB" up

printf '[health]\ninterval_seconds = 1\n' > "$TMP/sw.ini"
start_agent agent --config "$TMP/sw.ini" --alerts "$ALERTS" ||
	{ not_ok "agent did not start"; finish; exit 1; }

# iface FILE NAME FIELD
iface() { jq -r --arg n "$2" ".interfaces[] | select(.name == \$n) | .$3" "$1"; }
# netstats FILE: a fresh /api/v1/netstats (it dumps every namespace's TCP
# sockets: on a loaded host a try may pass curl's 5 s, so retry)
netstats() {
	local f=$1
	_netstats_once() { api /api/v1/netstats > "$f"; }
	wait_for 60 _netstats_once
}
netstats "$TMP/before.json"
check "/api/v1/netstats lists $VA" [ "$(iface "$TMP/before.json" "$VA" up)" = true ]
rx0=$(iface "$TMP/before.json" "$VA" rx_bytes)
tx0=$(iface "$TMP/before.json" "$VA" tx_bytes)

# ---- 4 MB from the namespace to a listener on our side, and back 1 MB
MB=4
spawn python3 -c 'import socket,sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen()
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); n = 0
while n < int(sys.argv[2]):
    b = c.recv(65536)
    if not b: break
    n += len(b)
c.sendall(b"y" * 1048576); c.close(); print("got", n, flush=True)' "$NET.1" $((MB * 1048576)) > "$TMP/sink.out"
wait_for 10 grep -q '^[0-9]' "$TMP/sink.out"
port=$(head -1 "$TMP/sink.out")
ip netns exec "$NS" python3 -c 'import socket,sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
c.sendall(b"x" * int(sys.argv[3])); c.shutdown(socket.SHUT_WR)
n = 0
while True:
    b = c.recv(65536)
    if not b: break
    n += len(b)
print(n)' "$NET.1" "$port" $((MB * 1048576)) > "$TMP/client.out"
wait_for 10 grep -q "^got $((MB * 1048576))" "$TMP/sink.out"
check "the client got 1 MB back" [ "$(cat "$TMP/client.out")" = 1048576 ]
netstats "$TMP/after.json"
rx=$(( $(iface "$TMP/after.json" "$VA" rx_bytes) - rx0 ))
tx=$(( $(iface "$TMP/after.json" "$VA" tx_bytes) - tx0 ))
echo "  # $VA: +$rx bytes received, +$tx bytes sent, $(iface "$TMP/after.json" "$VA" rx_packets) packets received"
check "rx_bytes of $VA grew by at least $MB MB (+$rx)" [ "$rx" -ge $((MB * 1048576)) ]
check "tx_bytes of $VA grew by at least 1 MB (+$tx)" [ "$tx" -ge 1048576 ]
check "io totals in the seed's form" jqt '.io | .bytes_recv > 0 and .bytes_sent > 0 and (has("errors_in") and has("drops_out"))' "$TMP/after.json"
check "connections by state (TIME_WAIT of the test's connection among them)" \
	jqt '.connections.total > 0 and .connections.by_state.LISTEN > 0' "$TMP/after.json"
jq -c --arg n "$VA" '{interface: (.interfaces[] | select(.name == $n)), io, connections}' "$TMP/after.json" | sed 's/^/  # /'

# ---- drops: frames of an unknown EtherType, sent from the namespace,
# all in one sendmmsg call: a loop of sends in a slow (emulated) guest
# can straddle two runs of the check, each then seeing part of the burst
NDROP=50
ip netns exec "$NS" python3 -c 'import ctypes,socket,sys
class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
class msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32),
                ("iov", ctypes.POINTER(iovec)), ("iovlen", ctypes.c_size_t),
                ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]
class mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint)]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x17" + b"\x88\xb5" + b"sockwatch" * 6
buf = ctypes.create_string_buffer(frame, len(frame))
iov = iovec(ctypes.cast(buf, ctypes.c_void_p), len(frame))
n = int(sys.argv[2])
msgs = (mmsghdr * n)()
for m in msgs:
    m.hdr.iov, m.hdr.iovlen = ctypes.pointer(iov), 1
sent = ctypes.CDLL(None, use_errno=True).sendmmsg(s.fileno(), msgs, n, 0)
sys.exit("sendmmsg: %d of %d frames (%s)" % (sent, n, ctypes.get_errno()) if sent != n else 0)' "$VB" $NDROP
grew() {
	jq -e -s --arg n "$VA" 'map(select(.alert == "health_changed" and .key == "interfaces" and .to == "warning" and (.summary | contains($n)))) | length > 0' "$ALERTS" >/dev/null 2>&1
}
wait_for 15 grew
check "interfaces check warned that drops grew on $VA (health_changed alert)" grew
jq -c -s 'map(select(.alert == "health_changed" and .key == "interfaces"))[0]' "$ALERTS" | sed 's/^/  # /'
ndrops() {
	jq -s 'map(select(.alert == "health_changed" and .key == "interfaces" and .to == "warning"))[0].summary | capture("\\+(?<d>[0-9]+) drops").d | tonumber' "$ALERTS"
}
check "  ... by at least $NDROP drops ($(ndrops))" [ "$(ndrops)" -ge $NDROP ]
netstats "$TMP/drops.json"
drops=$(iface "$TMP/drops.json" "$VA" rx_dropped)
check "rx_dropped of $VA counts them ($drops)" [ "$drops" -ge $NDROP ]
calm() {
	jq -e -s 'map(select(.alert == "health_changed" and .key == "interfaces")) | last | .to == "ok"' "$ALERTS" >/dev/null 2>&1
}
wait_for 15 calm
check "the next quiet run is ok again" calm
stop "$AG"
finish
