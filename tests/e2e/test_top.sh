#!/usr/bin/env bash
# sockwatch top (issue 16), driven in a real terminal (tmux: send-keys,
# capture-pane) with its real BPF programs, against real sockets:
#   127.0.16.2  a server that never closes what its clients closed (comm
#               leaky): NDROP sockets left in CLOSE_WAIT;
#   127.0.16.3  a well-behaved pair (sw-polite, sw-ask) exchanging all the
#               time.
# The screen: the leaker on the first row once sorted by CLOSE_WAIT, its
# drill-down lists its CLOSE_WAIT sockets with ages that grow, a resize to
# 60x15 still renders, q exits 0 and leaves no program attached. Batch:
# -b text, --json against an agent's /api/v1/processes, --agent with a
# wrong token, --agent over TLS with a client certificate and basic auth;
# --by unit; colours and NO_COLOR; the C locale; bad input.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/leak_workload.py"
NDROP=25		# more CLOSE_WAITs than other tests leave on a shared machine
TSOCK=sw-top-$$			# our own tmux server
T="tmux -L $TSOCK -f $TMP/tmux.conf"

need "$SW"
command -v tmux >/dev/null || { not_ok "tmux is not installed"; finish; exit 1; }

# ---------------------------------------------------------------- bad input
# bad ARGS... PATTERN: one line matching PATTERN on stderr, nothing on
# stdout, a non-zero exit (stdin and stdout are not a terminal here)
bad() {
	local pat=${*: -1}
	check "$pat" fails_with "$pat" "$SW" top "${@:1:$#-1}" < /dev/null
	# fails_with takes any non-zero exit: not one from a signal (a crash)
	timeout 60 "$SW" top "${@:1:$#-1}" < /dev/null > /dev/null 2>&1
	check "  ... exit $? is the program's, not a signal's" test $? -lt 124
}
bad -b --sort nosuch "^sockwatch top: unknown sort column 'nosuch' \\(columns: pid, comm, "
bad -b -i 0 "^sockwatch top: invalid interval '0'"
bad -b -i -1 "^sockwatch top: invalid interval '-1'"
bad -b -i soon "^sockwatch top: invalid interval 'soon'"
bad --sort close_wait "^sockwatch top: not a terminal: use -b"
bad -b --state SLEEPY "^sockwatch top: unknown state 'SLEEPY'"
bad -b -n 0 "^sockwatch top: invalid iteration count '0'"
bad -b --agent localhost:1 "^sockwatch top: --agent: expected http://HOST:PORT"
bad -b --by rack "^sockwatch top: invalid --by 'rack'"

# ---------------------------------------------------------------- workload
spawn $WL leaky 127.0.16.2 0 > "$TMP/leaky.out"
LEAKY=$LAST_PID
spawn $WL polite 127.0.16.3 0 > "$TMP/polite.out"
POLITE=$LAST_PID
P2=$(ready_port "$TMP/leaky.out") P3=$(ready_port "$TMP/polite.out")
[ -n "$P2" ] && [ -n "$P3" ] || { not_ok "servers did not start"; finish; exit 1; }

# ---------------------------------------------------------------- screen
cat > "$TMP/tmux.conf" <<'EOF'
set -g remain-on-exit on
EOF
# a CLOSE_WAIT older than 1 s is a leak here (the default is minutes)
printf '[leaks]\nclose_wait_seconds = 1\n' > "$TMP/sw.ini"
# The pane's shell keeps top's exit status in top.rc (tmux 3.3a may mark
# the pane dead, its pty closed, and never learn the status).
$T new-session -d -s top -x 120 -y 40 \
	"sh -c 'echo \$\$ > $TMP/top.pid; exec $SW top -i 0.5 -C $TMP/sw.ini'; echo \$? > $TMP/top.rc" ||
	{ not_ok "tmux did not start"; finish; exit 1; }
cleanup_tmux() { $T kill-server 2>/dev/null; }
trap 'cleanup_tmux; _cleanup' EXIT

screen() { $T capture-pane -p -t top; }
top_pid() { cat "$TMP/top.pid" 2>/dev/null; }
attached() { [ -n "$(prog_ids_of "$(top_pid)")" ]; }
screen_has() { screen | grep -q -- "$1"; }

wait_for 30 attached || { not_ok "top did not attach its programs"; screen; finish; exit 1; }
IDS=$(prog_ids_of "$(top_pid)")
ok "top (pid $(top_pid)) runs with programs $(echo $IDS)"
wait_for 20 screen_has " PID COMM" || not_ok "no process table on the screen"

# the clients, once top watches: the leaky server's peers close, it does not
spawn $WL drop 127.0.16.2 "$P2" "$NDROP" 50 > "$TMP/drop.out"
DROP=$LAST_PID
spawn $WL ask 127.0.16.3 "$P3" 1000000 20 > "$TMP/ask.out"
ASK=$LAST_PID

# leaky_first [FILE]: the first row is the leaker, with NDROP in the
# CL_WAIT column (wherever the layout put it); the screen by default
LEAKY_FIRST='/ PID COMM/ { for (i = 1; i <= NF; i++) if ($i ~ /CL_WAIT/) c = i; getline
	if ($1 == p && $2 == "leaky" && $c == n) ok = 1; exit }
	END { exit !ok }'
leaky_first() {
	if [ $# -gt 0 ]; then cat "$1"; else screen; fi |
		awk -v p="$LEAKY" -v n="$NDROP" "$LEAKY_FIRST"
}
$T send-keys -t top W
wait_for 30 leaky_first
check "sorted by CLOSE_WAIT (W): the leaker is on the first row with its $NDROP" leaky_first
check "the sort column is marked in the title" screen_has ">CL_WAIT"
leaky_flagged() { screen | awk -v p="$LEAKY" '$1 == p && $2 == "leaky" && $NF == "LEAK"' | grep -q .; }
check "the leaker's row is flagged LEAK once its CLOSE_WAITs pass 1 s" wait_for 20 leaky_flagged
no_suspects_zero() { ! screen_has "leak suspects 0"; }
check "the header counts the leak suspects" no_suspects_zero
# colours where the terminal has them (tmux's "screen": 8 colours)
COLOUR_SGR=$'\e\\[(3[0-7]|4[0-7])m'	# a foreground or background colour
coloured() { $T capture-pane -e -p -t top | grep -qE "$COLOUR_SGR"; }
check "colours on a terminal that has them" coloured
polite_shown() { screen | awk -v p="$POLITE" '$1 == p && $2 == "sw-polite"' | grep -q .; }
check "the well-behaved server is listed too" wait_for 10 polite_shown
screen > "$TMP/table.txt"

# drill-down: the selected (first) row's sockets
$T send-keys -t top Enter
wait_for 30 screen_has "Sockets of $LEAKY leaky" ||
	{ not_ok "no drill-down"; screen | sed 's/^/  #   /'; }
# ages of the CLOSE_WAIT lines, in seconds, from the AGE column
cw_ages() {
	screen | awk '$1 == "tcp" && $4 == "CLOSE_WAIT" { print $5 }' |
		awk '{ s = $1; t = 0
			if (s ~ /h/) { split(s, a, "h"); t += a[1] * 3600; s = a[2] }
			if (s ~ /m/) { split(s, a, "m"); t += a[1] * 60; s = a[2] }
			sub("s", "", s); t += s; print t }'
}
n_cw() { [ "$(cw_ages | wc -l)" -eq "$NDROP" ]; }
check "drill-down lists the $NDROP CLOSE_WAIT sockets" wait_for 30 n_cw
screen > "$TMP/drill1.txt"
A1=$(cw_ages | sort -n | tail -1)
older() { [ "$(cw_ages | sort -n | tail -1)" -gt "$A1" ]; }
check "their ages grow between two captures ($A1 s, then more)" wait_for 30 older
screen > "$TMP/drill2.txt"
echo "  # first capture:";  grep CLOSE_WAIT "$TMP/drill1.txt" | sed 's/^/  #   /'
echo "  # second capture:"; grep CLOSE_WAIT "$TMP/drill2.txt" | sed 's/^/  #   /'

$T send-keys -t top Escape
check "escape returns to the process table" wait_for 30 leaky_first

# a small terminal
$T resize-window -t top -x 60 -y 15
small() {
	local s
	s=$(screen)
	[ "$(printf '%s\n' "$s" | wc -l)" -le 15 ] &&
		! printf '%s\n' "$s" | awk 'length > 60 { bad = 1 } END { exit !bad }' &&
		printf '%s\n' "$s" | grep -q "^sockwatch top" &&
		leaky_first
}
check "resized to 60x15: header, title and the leaker's row still render" wait_for 30 small
screen > "$TMP/small.txt"
sed 's/^/  #   /' "$TMP/small.txt"

# help, then quit
$T send-keys -t top h
check "h shows the key table" wait_for 10 screen_has "sockwatch top: keys"
$T send-keys -t top Escape
$T resize-window -t top -x 120 -y 40
check "back to the table after help" wait_for 30 leaky_first
screen > "$TMP/full.txt"
# SW_TOP_CAPTURES=DIR keeps the screens (README's capture comes from here)
if [ -n "${SW_TOP_CAPTURES:-}" ]; then
	mkdir -p "$SW_TOP_CAPTURES"
	cp "$TMP"/table.txt "$TMP"/drill1.txt "$TMP"/drill2.txt "$TMP"/small.txt \
		"$TMP"/full.txt "$SW_TOP_CAPTURES"/
fi
$T send-keys -t top q
dead() { [ "$($T display -p -t top '#{pane_dead}')" = 1 ]; }
check "q ends top" wait_for 20 dead
wait_for 30 test -s "$TMP/top.rc"
ST=$(cat "$TMP/top.rc" 2>/dev/null)
check "top exited 0 (exit status '$ST'; 128+N for signal N)" test "$ST" = 0
check "no program of top's left attached" wait_for 10 ids_gone $IDS

# NO_COLOR: attributes (bold, reverse) but no colour; and the C locale
# with a command name that is not ASCII ("sw-été" in UTF-8): shown as '?'
spawn python3 -c 'import socket, time
open("/proc/self/comm", "wb").write("sw-\u00e9t\u00e9".encode())
s = socket.socket(); s.bind(("127.0.16.4", 0)); s.listen()
print("ready", s.getsockname()[1], flush=True); time.sleep(600)' > "$TMP/utf8.out"
UTF8=$LAST_PID
ready_port "$TMP/utf8.out" > /dev/null || not_ok "the UTF-8-named listener did not start"
$T new-session -d -s mono -x 120 -y 40 "NO_COLOR=1 LC_ALL=C exec $SW top -i 0.5 -p $UTF8"
mono_screen() { $T capture-pane -e -p -t mono; }
mono_up() { mono_screen | grep -q " PID COMM"; }
check "NO_COLOR=1: the screen renders" wait_for 30 mono_up
no_colour() { mono_screen > "$TMP/mono.txt" && ! grep -qE "$COLOUR_SGR" "$TMP/mono.txt"; }
check "NO_COLOR=1: no colour, only attributes" no_colour
mono_dead() { [ "$($T display -p -t mono '#{pane_dead}')" = 1 ]; }
ascii_name() { $T capture-pane -p -t mono | grep -qE "^ +$UTF8 sw-\?\?t\?\? +1 "; }
check "LC_ALL=C: a UTF-8 command name shows as printable ASCII ('sw-??t??')" wait_for 10 ascii_name
$T send-keys -t mono q
check "NO_COLOR=1: q ends it" wait_for 20 mono_dead
stop "$UTF8"
cleanup_tmux

# ---------------------------------------------------------------- batch text
timeout 60 "$SW" top -b -n 2 -i 0.5 --sort close_wait > "$TMP/batch.txt" 2> "$TMP/batch.err"
check "-b -n 2 exits 0" test $? -eq 0
check "-b -n 2 prints two screens" test "$(grep -c '^sockwatch top' "$TMP/batch.txt")" -eq 2
batch_first() {	# the first row of the last screen
	awk '/^sockwatch top/ { n++ } n == 2' "$TMP/batch.txt" > "$TMP/batch2.txt"
	leaky_first "$TMP/batch2.txt"
}
check "-b --sort close_wait: the same answer, the leaker first with $NDROP" batch_first ||
	sed 's/^/  #   /' "$TMP/batch2.txt"

# ---------------------------------------------------------------- --by unit
# Three listeners in two cgroups named as systemd names a service's (as
# tests/e2e/test_agent_workload.sh makes them where systemd is not PID 1):
# one row per unit, with the sums.
CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
CGTOP=$CG2/sw-top-$$.slice
UA=sw-top-a-$$.service UB=sw-top-b-$$.service
by_cleanup() {
	local d
	for d in "$CGTOP/system.slice/$UA" "$CGTOP/system.slice/$UB" "$CGTOP/system.slice" "$CGTOP"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
}
trap 'cleanup_tmux; _cleanup; by_cleanup' EXIT
listen_in() {	# listen_in CGROUP N: a listener on 127.0.16.5 in that cgroup
	spawn sh -c 'echo $$ > "$1/cgroup.procs" && exec python3 -c "
import socket, time
s = socket.socket(); s.bind((\"127.0.16.5\", 0)); s.listen()
print(\"ready\", s.getsockname()[1], flush=True); time.sleep(600)"' sh "$1" > "$TMP/in.$2.out"
}
if [ -n "$CG2" ] && mkdir -p "$CGTOP/system.slice/$UA" "$CGTOP/system.slice/$UB"; then
	BYP=()
	listen_in "$CGTOP/system.slice/$UA" 1; BYP+=("$LAST_PID")
	listen_in "$CGTOP/system.slice/$UA" 2; BYP+=("$LAST_PID")
	listen_in "$CGTOP/system.slice/$UB" 3; BYP+=("$LAST_PID")
	for i in 1 2 3; do
		ready_port "$TMP/in.$i.out" > /dev/null || not_ok "listener $i in its unit did not start"
	done
	timeout 60 "$SW" top --json -n 2 -i 0.5 --by unit > "$TMP/by.json" 2> "$TMP/by.err"
	check "--by unit exits 0" test $? -eq 0
	check "--by unit: one row for $UA, its 2 processes and 2 sockets" \
		jqt -s --arg u "$UA" '.[-1] | .by == "unit" and ([.processes[] | select(.key == $u)] | length == 1 and .[0].processes == 2 and .[0].sockets == 2 and .[0].listen == 2 and .[0].pid == null)' "$TMP/by.json"
	check "--by unit: one row for $UB, 1 process" \
		jqt -s --arg u "$UB" '.[-1] | [.processes[] | select(.key == $u)] | length == 1 and .[0].processes == 1 and .[0].sockets == 1' "$TMP/by.json" ||
		{ cat "$TMP/by.err"; jq -c -s '.[-1].processes[] | {key, processes, sockets}' "$TMP/by.json"; }
	for p in "${BYP[@]}"; do stop "$p"; done
	by_cleanup
else
	not_ok "--by unit: no cgroup2 mount to make units in"
fi

# ---------------------------------------------------------------- JSON vs the agent
umask 077
echo "top-test-token-$$" > "$TMP/token"
echo "wrong-token-$$" > "$TMP/wrong"
start_agent agent --token-file "$TMP/token" --alerts "$TMP/alerts.json" -C "$TMP/sw.ini" ||
	{ not_ok "agent did not start"; finish; exit 1; }
tapi() { curl -sf --max-time 5 -H "Authorization: Bearer $(cat "$TMP/token")" "http://$API$1"; }
agent_has_cw() {
	tapi "/api/v1/processes?pid=$LEAKY" | jq -e ".processes[0].tcp.CLOSE_WAIT == $NDROP" >/dev/null
}
check "the agent sees the leaker's $NDROP CLOSE_WAIT sockets" wait_for 20 agent_has_cw

timeout 60 "$SW" top --json -n 3 -i 1 --sort close_wait -C "$TMP/sw.ini" > "$TMP/top.json" 2> "$TMP/json.err"
check "--json -n 3 exits 0" test $? -eq 0
check "--json: three documents, each one line of JSON" \
	jqt -s 'length == 3 and all(has("header") and (.processes | type == "array"))' "$TMP/top.json"
# a busy machine may keep the agent from answering in 5 s: ask again
got_procs() { tapi /api/v1/processes > "$TMP/procs.json" && jqt '.processes | length > 0' "$TMP/procs.json"; }
wait_for 30 got_procs || not_ok "no answer from the agent's /api/v1/processes"
echo "  # top: $(jq -c -s ".[-1].processes[] | select(.pid == $LEAKY)" "$TMP/top.json")"
echo "  # agent: $(jq -c ".processes[] | select(.pid == $LEAKY) | del(.detector)" "$TMP/procs.json")"
# same_as_api PID: top's row for PID and the agent's entry agree
same_as_api() {
	jq -e -n --slurpfile t "$TMP/top.json" --slurpfile a "$TMP/procs.json" --argjson p "$1" '
		($t[-1].processes[] | select(.pid == $p)) as $r |
		($a[0].processes[] | select(.pid == $p)) as $q |
		$r.sockets == $q.open and $r.close_wait == ($q.tcp.CLOSE_WAIT // 0) and
		$r.listen == ($q.tcp.LISTEN // 0) and $r.comm == $q.comm and
		$r.leak == $q.suspect' >/dev/null
}
check "--json (standalone) matches the agent's /api/v1/processes for the leaker" same_as_api "$LEAKY"
check "--json: the leaker's row: its $NDROP, its oldest CLOSE_WAIT's age, flagged" \
	jqt -s ".[-1].processes[] | select(.pid == $LEAKY) | .close_wait == $NDROP and .cw_age > 1 and .leak" "$TMP/top.json"

timeout 60 "$SW" top --agent "http://$API" --token-file "$TMP/token" --json -n 2 -i 0.5 \
	--sort close_wait > "$TMP/remote.json" 2> "$TMP/remote.err"
check "--agent URL --json exits 0" test $? -eq 0
check "--agent: same columns as standalone" \
	jqt -n --slurpfile a "$TMP/top.json" --slurpfile b "$TMP/remote.json" \
		'($a[-1].processes[0] | keys) == ($b[-1].processes[0] | keys)'
check "--agent: the leaker's row as standalone" \
	jqt -n --slurpfile a "$TMP/top.json" --slurpfile b "$TMP/remote.json" --argjson p "$LEAKY" \
		'[$a[-1], $b[-1]] | map(.processes[] | select(.pid == $p) | {comm, sockets, close_wait, listen, leak}) |
		 length == 2 and .[0] == .[1]'
bad -b --agent "http://$API" --token-file "$TMP/wrong" \
	"^sockwatch top: /api/v1/status: the agent answered 401"

stop "$AG"
check "agent exits 0" test $? -eq 0

# ---------------------------------------------------------------- --agent over TLS
# An agent with a web config (TLS, a client certificate required, basic
# auth): top with the CA, its certificate and the password file reads it;
# without the certificate, or with a wrong password, one line and exit 1.
D=$TMP/pki
mkdir -p "$D"
. "$(dirname "$0")/helpers/pki.sh"
ca ca "sockwatch top test CA" &&
	cert server ca 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' /CN=localhost &&
	cert client ca 'extendedKeyUsage=clientAuth\n' /CN=top ||
	not_ok "openssl did not make the certificates"
chmod 600 "$D"/*.key
cat > "$TMP/web.yml" <<YML
tls_server_config:
  cert_file: pki/server.crt
  key_file: pki/server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: pki/ca.crt
basic_auth_users:
  top: '$(bcrypt top-pass-$$ 10)'
YML
echo "top:top-pass-$$" > "$TMP/basic"
echo "top:not-it-$$" > "$TMP/basic-wrong"
start_agent tls --web-config "$TMP/web.yml" -C "$TMP/sw.ini" --alerts /dev/null ||
	{ not_ok "TLS agent did not start"; finish; exit 1; }
TLS=(--agent "https://$API" --cacert "$D/ca.crt")
timeout 60 "$SW" top "${TLS[@]}" --cert "$D/client.crt" --key "$D/client.key" \
	--basic-auth-file "$TMP/basic" --json -n 1 --sort close_wait > "$TMP/tls.json" 2> "$TMP/tls.err"
check "--agent https:// with the CA, a client certificate and basic auth: exit 0" test $? -eq 0
check "  ... the leaker's row, as over plain HTTP" \
	jqt -s ".[-1].processes[] | select(.pid == $LEAKY) | .close_wait == $NDROP" "$TMP/tls.json"
bad -b "${TLS[@]}" --basic-auth-file "$TMP/basic" "^sockwatch top: https://$API/api/v1/status: "
bad -b "${TLS[@]}" --cert "$D/client.crt" --key "$D/client.key" \
	--basic-auth-file "$TMP/basic-wrong" "^sockwatch top: /api/v1/status: the agent answered 401"
bad -b --agent "https://$API" --cert "$D/client.crt" "^sockwatch top: --cert and --key go together"
stop "$AG"

for p in "$ASK" "$DROP" "$LEAKY" "$POLITE"; do
	stop "$p"
done
finish
