#!/usr/bin/env bash
# The agent's own kernel-side cost: with `[agent] self_stats = true`,
# /metrics has sockwatch_bpf_program_runs_total and
# sockwatch_bpf_program_run_seconds_total for each of its BPF programs, and
# both grow with real TCP and UDP traffic; `sockwatch status --cost` lists
# each of the agent's programs with its runs. Loopback only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"

CONF=$TMP/agent.conf
cat > "$CONF" <<EOF
[agent]
self_stats = true
; room for bursts from other tests running on the same machine
ring_buffer_kb = 16384
EOF

scrape() { api /metrics > "$TMP/metrics.$1"; }
# value N FAMILY PROGRAM: the sample of that program in scrape N
value() {
	awk -v k="$2{program=\"$3\"}" '$1 == k { print $2 }' "$TMP/metrics.$1"
}

start_agent agent --config "$CONF" || { not_ok "agent did not get ready"; finish; exit 1; }
AGENT=$AG
PROGS=$(prog_ids_of "$AGENT")

# each event's program is the one the attach plan chose: fentry/fexit
# where the kernel allows them (Debian's 6.1), cgroup hooks here, sock_ops
# for the state on 5.10
NAMES=$(for id in $PROGS; do bpftool prog show id "$id" -j | jq -r .name; done)
chosen() {	# chosen NAME...: the first of the names the agent loaded
	local n
	for n in "$@"; do
		grep -qx "$n" <<<"$NAMES" && { echo "$n"; return; }
	done
	echo "$1"
}
PROGRAMS="$(chosen sw_inet_create sw_sock_create) $(chosen sw_inet_bind sw_post_bind4)
	$(chosen sw_stream_conn sw_connect4) $(chosen sw_state sw_state_ops)
	$(chosen sw_inet_release sw_sock_release)"
# fentry has one connect program per socket type (UDP's is the other)
grep -qx sw_dgram_conn <<<"$NAMES" && PROGRAMS="$PROGRAMS sw_dgram_conn"
echo "# the agent's programs per event: $(echo $PROGRAMS)"
check "first scrape" scrape 1
for p in $PROGRAMS; do
	check "$p: runs metric present" test -n "$(value 1 sockwatch_bpf_program_runs_total "$p")"
	check "$p: run seconds metric present" test -n "$(value 1 sockwatch_bpf_program_run_seconds_total "$p")"
done

# 300 TCP connections (create, connect, state changes, release) and 300
# UDP sockets (create, bind, connect, release).
check "TCP churn" "$BUILD/tools/churn" -n 300
check "UDP churn" "$BUILD/tools/churn" --udp -n 300

grown() {	# grown PROGRAM: both counters went up, by at least 300 runs
	scrape 2 || return 1
	awk -v a="$(value 1 sockwatch_bpf_program_runs_total "$1")" \
	    -v b="$(value 2 sockwatch_bpf_program_runs_total "$1")" \
	    -v s="$(value 1 sockwatch_bpf_program_run_seconds_total "$1")" \
	    -v t="$(value 2 sockwatch_bpf_program_run_seconds_total "$1")" \
	    'BEGIN { exit !(b - a >= 300 && t > s) }'
}
for p in $PROGRAMS; do
	check "$p: runs and run time grow with traffic" wait_for 10 grown "$p"
done

check "status --cost exits 0" sh -c "'$SW' status --cost > '$TMP/cost.out'"
for id in $PROGS; do
	name=$(bpftool prog show id "$id" -j | jq -r .name)
	case $name in sw_connect6 | sw_post_bind6 | sw_inet6_*) continue ;; esac	# no IPv6 traffic
	check "status --cost lists $name (id $id) with its runs" \
		awk -v id="$id" -v n="$name" '$1 == id && $2 == n && $3 > 0 { f = 1 } END { exit !f }' \
		"$TMP/cost.out"
done

stop "$AGENT"
check "agent exits 0 on SIGTERM" test $? -eq 0
check "no BPF program of the agent left attached" wait_for 10 ids_gone $PROGS
finish
