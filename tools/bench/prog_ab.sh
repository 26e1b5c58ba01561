#!/usr/bin/env bash
# prog_ab.sh OLD NEW [SECONDS] [ROUNDS]: the cost of each BPF program of two
# sockwatch binaries, side by side, measured at the same time.
#
# Both agents are attached at once, so every socket of the workload runs
# through both sets of programs under exactly the same load; the kernel's
# BPF statistics (kernel.bpf_stats_enabled, turned on for the runs and put
# back) say how often each program ran and for how long. On a shared
# machine, where throughput figures drift by more than the effect being
# measured, this comparison still holds: whatever else runs slows both
# sides alike. It counts the programs' own run time, not what the kernel
# does for them outside (freeing socket storage, for instance), which the
# saturated benchmark (BENCH=saturated) measures.
#
# Prints, per round and protocol, runs per socket lifecycle, ns per run and
# ns per lifecycle of each program, and the total per lifecycle of each
# side; then each side's median total. Rounds alternate which side is
# attached first (the second one reads cheaper: warm caches), so use an
# even number of them.
# Example: tools/bench/prog_ab.sh /tmp/sockwatch.main build/sockwatch
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
OLD=${1:?usage: prog_ab.sh OLD NEW [SECONDS] [ROUNDS]}
NEW=${2:?usage: prog_ab.sh OLD NEW [SECONDS] [ROUNDS]}
SECS=${3:-4}
ROUNDS=${4:-4}
CHURN=${TOOLS:-build/tools}/churn
TMPD=$(mktemp -d /tmp/sockwatch-prog-ab.XXXXXX)
PIDS=()
OLD_STATS=

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -INT "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	[ -n "$OLD_STATS" ] && sysctl -qw kernel.bpf_stats_enabled="$OLD_STATS"
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_agent BINARY PORT NAME: started and ready, its pid in $TMPD/NAME.pid
start_agent() {
	local i
	"$1" agent --listen "127.0.0.1:$2" >/dev/null 2>"$TMPD/$3.err" &
	PIDS+=($!)
	echo $! >"$TMPD/$3.pid"
	for ((i = 0; i < 600; i++)); do
		grep -q 'ready' "$TMPD/$3.err" && return 0
		kill -0 "$!" 2>/dev/null || break
		sleep 0.1
	done
	echo "prog_ab: $1 did not get ready: $(tail -n 1 "$TMPD/$3.err")" >&2
	return 1
}

# "side name run_cnt run_time_ns" of both agents' programs, one snapshot.
snapshot() {
	local ids_old ids_new
	ids_old=$(cat /proc/"$(cat "$TMPD/old.pid")"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ { print $2 }' | sort -un | paste -sd,)
	ids_new=$(cat /proc/"$(cat "$TMPD/new.pid")"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ { print $2 }' | sort -un | paste -sd,)
	bpftool prog show -j | jq -r --arg o "[$ids_old]" --arg n "[$ids_new]" '
		($o | fromjson) as $o | ($n | fromjson) as $n | .[]
		| (if (.id as $i | $o | index($i)) then "old"
		   elif (.id as $i | $n | index($i)) then "new" else empty end) as $side
		| "\($side) \(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"' | sort
}

[ "$(id -u)" -eq 0 ] || { echo "prog_ab: needs root" >&2; exit 1; }
[ -x "$CHURN" ] || make -s bench-tools || exit 1
# stop_agents: both, each detached before the next round starts them again.
stop_agents() {
	local p
	for p in "$TMPD"/old.pid "$TMPD"/new.pid; do
		[ -f "$p" ] || continue
		kill -INT "$(cat "$p")" 2>/dev/null
		while kill -0 "$(cat "$p")" 2>/dev/null; do sleep 0.05; done
		rm -f "$p"
	done
}

OLD_STATS=$(sysctl -n kernel.bpf_stats_enabled) || exit 1
sysctl -qw kernel.bpf_stats_enabled=1 || exit 1
for ((r = 1; r <= ROUNDS; r++)); do
	# The program attached second to a hook runs on what the first one
	# brought into the caches and reads cheaper (by 5 to 40 % here): the
	# rounds alternate which side is attached first.
	if ((r % 2)); then
		first=old
		start_agent "$OLD" 19481 old || exit 1
		start_agent "$NEW" 19482 new || exit 1
	else
		first=new
		start_agent "$NEW" 19482 new || exit 1
		start_agent "$OLD" 19481 old || exit 1
	fi
	for proto in tcp udp; do
		if [ "$proto" = tcp ]; then
			args=(-j $(($(nproc) * 2)) -d "$SECS")
		else
			args=(--udp -j "$(nproc)" -d "$SECS")
		fi
		snapshot >"$TMPD/s0"
		out=$("$CHURN" "${args[@]}") || { echo "prog_ab: churn failed" >&2; exit 1; }
		snapshot >"$TMPD/s1"
		n=$(awk '{ print $3 }' <<<"$out")
		echo "round $r $proto ($first attached first): $out"
		join -j 1 <(awk '{ print $1 ":" $2, $3, $4 }' "$TMPD/s0") \
			<(awk '{ print $1 ":" $2, $3, $4 }' "$TMPD/s1") |
			awk -v n="$n" '{ split($1, k, ":"); r = $4 - $2; t = $5 - $3
				if (r / n < 0.05) next
				printf "  %-4s %-16s %5.2f runs/lifecycle %6.0f ns/run %6.0f ns/lifecycle\n",
					k[1], k[2], r / n, t / r, t / n
				tot[k[1]] += t / n }
				END { printf "  total: old %.0f ns, new %.0f ns per lifecycle\n", tot["old"], tot["new"] }' |
			tee -a "$TMPD/$proto.out"
	done
	stop_agents
done
# Over the rounds: the median of each side's total, both orders counted.
for proto in tcp udp; do
	awk -v p="$proto" '/total:/ { gsub(/,/, ""); o[++n] = $3; w[n] = $6 }
		function med(a, n,  i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		END { if (n) printf "%s: median over %d rounds: old %.0f ns, new %.0f ns per lifecycle\n",
			p, n, med(o, n), med(w, n) }' <(grep total "$TMPD/$proto.out")
done
