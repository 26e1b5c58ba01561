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

# the state program is the one the attach plan chose (sock_ops on 5.10)
STATE=sw_state
curl -sf -m 5 "$BASE/api/v1/status" | jq -e '.attach_plan.state | startswith("sockops")' >/dev/null &&
	STATE=sw_state_ops
PROGRAMS="sw_sock_create sw_post_bind4 sw_connect4 $STATE sw_sock_release"
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
	case $name in sw_connect6 | sw_post_bind6) continue ;; esac	# no IPv6 traffic
	check "status --cost lists $name (id $id) with its runs" \
		awk -v id="$id" -v n="$name" '$1 == id && $2 == n && $3 > 0 { f = 1 } END { exit !f }' \
		"$TMP/cost.out"
done

stop "$AGENT"
check "agent exits 0 on SIGTERM" test $? -eq 0
check "no BPF program of the agent left attached" wait_for 10 ids_gone $PROGS
finish
