# The CPU-saturated benchmarks, sourced by tools/bench/run.sh:
#   saturated   throughput and CPU time per socket lifecycle with every CPU
#               busy, each contender in turn, SAT_ROUNDS rounds;
#   prog_cost   runs and ns/run of each BPF program of each contender, from
#               the kernel's BPF statistics, over the same workload.
# shellcheck shell=bash
#
# Why saturated: a one-client ping-pong churn is bound by wake-up latency,
# and a tracer that keeps the other CPU out of idle makes it faster. With
# enough workers to keep every CPU busy, what a tracer costs shows up as
# CPU time taken from the workload: fewer sockets per second, more CPU
# microseconds per socket. The CPU time is the whole machine's (/proc/stat,
# all CPUs), so the tracer's own process, its ring-buffer reader and the
# softirq work of the loopback traffic are all counted.

SAT_SECS=${SAT_SECS:-${QUICK:+2}}
SAT_SECS=${SAT_SECS:-4}
SAT_ROUNDS=${SAT_ROUNDS:-${QUICK:+2}}
SAT_ROUNDS=${SAT_ROUNDS:-7}
# TCP workers are a client and a server thread each, half of the time
# waiting for the other: two per CPU keep every CPU busy. UDP workers never
# wait.
SAT_TCP_JOBS=${SAT_TCP_JOBS:-$(($(nproc) * 2))}
SAT_UDP_JOBS=${SAT_UDP_JOBS:-$(nproc)}
PROG_ROUNDS=${PROG_ROUNDS:-${QUICK:+1}}
PROG_ROUNDS=${PROG_ROUNDS:-3}
SAT_CONTENDERS=${SAT_CONTENDERS:-baseline agent agent-shared agent-perf trace tcpstates tcplife}
HZ=$(getconf CLK_TCK)

# Busy jiffies of all CPUs: user nice system irq softirq (not idle, iowait,
# steal: time the hypervisor gave to someone else is nobody's cost here).
cpu_busy() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat
}

# Jiffies PID has run (utime + stime, its threads included); 0 if none.
proc_jiffies() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
	# The command name may hold spaces: count fields after its ')'.
	sed -E 's/^.*\) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# sat_run BENCH CONTENDER ROUND PROTO: one saturated run under the tracer
# already started; records rate, CPU us per lifecycle, the tracer's share.
sat_run() {
	local bench=$1 c=$2 r=$3 proto=$4 flag= jobs=$SAT_TCP_JOBS
	local b0 b1 t0 t1 out n busy
	if [ "$proto" = udp ]; then
		flag=--udp jobs=$SAT_UDP_JOBS
	fi
	t0=$(proc_jiffies "$TR_PID")
	b0=$(cpu_busy)
	out=$("$TOOLS/churn" $flag -j "$jobs" -d "$SAT_SECS" -t $((SAT_SECS * 4 + 30))) || return 1
	b1=$(cpu_busy)
	t1=$(proc_jiffies "$TR_PID")
	# "churn: tcp N connections in T s: R connections/s"
	n=$(awk '{ print $3 }' <<<"$out")
	busy=$((b1 - b0))
	[ "$n" -gt 0 ] && [ "$busy" -gt 0 ] || return 1
	sample "$bench" "$c" rate "/s" "$(awk '{ print $(NF - 1) }' <<<"$out")" "$r"
	sample "$bench" "$c" cpu_us "us" "$(echo "scale=4; $busy * 1000000 / $HZ / $n" | bc)" "$r"
	sample "$bench" "$c" tracer_share "fraction" "$(echo "scale=5; ($t1 - $t0) / $busy" | bc)" "$r"
	log "$bench round $r $c: $out; $busy busy jiffies, tracer $((t1 - t0))"
}

bench_saturated() {
	local c r proto run=() why
	local -A failed=()
	for c in $SAT_CONTENDERS; do
		why=$(available "$c")
		if [ -n "$why" ]; then
			skip saturated_tcp "$c" "$why"
			continue
		fi
		run+=("$c")
	done
	log "saturated: ${run[*]}; $SAT_ROUNDS rounds of ${SAT_SECS} s, TCP $SAT_TCP_JOBS workers, UDP $SAT_UDP_JOBS"
	for ((r = 1; r <= SAT_ROUNDS; r++)); do
		for c in "${run[@]}"; do
			[ -n "${failed[$c]:-}" ] && continue
			if ! start_tracer "$c"; then
				skip saturated_tcp "$c" "round $r: did not attach: $(err_tail 1)"
				failed[$c]=1
				continue
			fi
			for proto in tcp udp; do
				# tcpstates and tcplife see TCP only.
				[ "$proto" = udp ] && [[ $c == tcp* ]] && continue
				sat_run "saturated_$proto" "$c" "$r" "$proto" ||
					skip "saturated_$proto" "$c" "round $r: churn failed"
			done
			stop_tracer "$c" || sample saturated_tcp "$c" leftover count 1 "$r"
		done
	done
}

# --- prog_cost: the kernel's own accounting of each program --------------

# "id name run_cnt run_time_ns" of each program in TR_PROGS.
prog_stats() {
	# shellcheck disable=SC2086
	[ -n "$TR_PROGS" ] || return 0
	bpftool prog show -j 2>/dev/null | jq -r --arg ids "$TR_PROGS" '
		($ids | split("\n") | map(select(. != "") | tonumber)) as $want
		| .[] | select(.id as $i | $want | index($i))
		| "\(.id) \(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# prog_cost_run CONTENDER PROTO ROUND: per-program deltas over one run.
prog_cost_run() {
	local c=$1 proto=$2 r=$3 flag= jobs=$SAT_TCP_JOBS before after out n
	[ "$proto" = udp ] && flag=--udp jobs=$SAT_UDP_JOBS
	before=$(prog_stats)
	out=$("$TOOLS/churn" $flag -j "$jobs" -d "$SAT_SECS" -t $((SAT_SECS * 4 + 30))) || return 1
	after=$(prog_stats)
	n=$(awk '{ print $3 }' <<<"$out")
	# Programs with several instances (v4/v6, accept/accept4) are summed
	# by name; those that did not run are left out.
	join <(sort <<<"$before") <(sort <<<"$after") |
		awk -v n="$n" '{ runs[$2] += $6 - $3; ns[$2] += $7 - $4 }
			END { for (p in runs) if (runs[p] > 0)
				printf "%s %d %.1f %.2f\n", p, runs[p], ns[p] / runs[p], runs[p] / n }' |
		while read -r prog runs nsrun per; do
			sample "prog_cost_$proto" "$c:$prog" ns_per_run ns "$nsrun" "$r"
			sample "prog_cost_$proto" "$c:$prog" runs_per_op runs "$per" "$r"
			log "prog_cost $proto round $r $c $prog: $runs runs, $nsrun ns/run, $per per lifecycle"
		done
}

bench_prog_cost() {
	local old c r proto why
	old=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null) ||
		{ skip prog_cost sockwatch "no kernel.bpf_stats_enabled sysctl"; return; }
	BPF_STATS_OLD=$old
	sysctl -qw kernel.bpf_stats_enabled=1 ||
		{ skip prog_cost sockwatch "could not enable kernel.bpf_stats_enabled"; return; }
	for c in $SAT_CONTENDERS; do
		[ "$c" = baseline ] && continue
		why=$(available "$c")
		if [ -n "$why" ]; then
			skip prog_cost "$c" "$why"
			continue
		fi
		for ((r = 1; r <= PROG_ROUNDS; r++)); do
			if ! start_tracer "$c"; then
				skip prog_cost "$c" "did not attach: $(err_tail 1)"
				break
			fi
			for proto in tcp udp; do
				[ "$proto" = udp ] && [[ $c == tcp* ]] && continue
				prog_cost_run "$c" "$proto" "$r" ||
					skip prog_cost "$c" "round $r: churn failed"
			done
			stop_tracer "$c"
		done
	done
	sysctl -qw kernel.bpf_stats_enabled="$old"
	BPF_STATS_OLD=
}
