#!/usr/bin/env bash
# plan_ab.sh [FORBID] [SECONDS] [ROUNDS]: what the attach plan this kernel
# chooses costs against the plan SOCKWATCH_FORBID=FORBID leaves (default
# "fentry": the cgroup hooks in place of fentry/fexit), and against no
# agent at all, under CPU-saturated churn (tools/bench/saturated.sh's
# method): each round runs TCP then UDP churn with no agent, with the
# agent on the chosen plan, and with the agent on the forced plan, in a
# rotating order, and prints the whole machine's CPU microseconds per
# socket lifecycle (/proc/stat, all CPUs), then the median of each.
#
# Where both plans are the same (fentry does not load here) it says so
# and exits 0. It runs on any kernel, also in a `make test-kernels`
# guest: make test-kernels KERNELS=6.1 E2E=tools/bench/plan_ab.sh
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
FORBID=${1:-fentry}
SECS=${2:-4}
ROUNDS=${3:-5}
SW=${SW:-build/sockwatch}
CHURN=${TOOLS:-build/tools}/churn
HZ=$(getconf CLK_TCK)
TMPD=$(mktemp -d /tmp/sockwatch-plan-ab.XXXXXX)
AGENT=

cleanup() {
	[ -n "$AGENT" ] && kill -INT "$AGENT" 2>/dev/null && wait "$AGENT" 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || { echo "plan_ab: needs root" >&2; exit 1; }
[ -x "$CHURN" ] || make -s bench-tools || exit 1

# The hook of each event, as `sockwatch status` (with FORBID) chooses it;
# not accept: status shows trace's, and the agent loads no accept program.
plan() {
	SOCKWATCH_FORBID=$1 "$SW" status 2>/dev/null |
		awk '/^attach plan/ { on = 1; next }
		     on && /^  [a-z]/ && $1 != "accept" { printf "%s=%s ", $1, $2 }'
}
CHOSEN=$(plan "")
FORCED=$(plan "$FORBID")
echo "plan_ab: chosen: $CHOSEN"
echo "plan_ab: SOCKWATCH_FORBID=$FORBID: $FORCED"
if [ "$CHOSEN" = "$FORCED" ]; then
	echo "plan_ab: both plans are the same on this kernel: nothing to compare"
	exit 0
fi

busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }

# start CONTENDER: the agent on that plan, ready (none: no agent)
start() {
	local i forbid=
	AGENT=
	[ "$1" = none ] && return 0
	[ "$1" = forced ] && forbid=$FORBID
	SOCKWATCH_FORBID=$forbid "$SW" agent --listen 127.0.0.1:0 >/dev/null 2>"$TMPD/agent.err" &
	AGENT=$!
	for ((i = 0; i < 1200; i++)); do
		grep -q ready "$TMPD/agent.err" && return 0
		kill -0 "$AGENT" 2>/dev/null || break
		sleep 0.1
	done
	echo "plan_ab: the $1 agent did not get ready: $(tail -n 1 "$TMPD/agent.err")" >&2
	return 1
}

stop() {
	[ -z "$AGENT" ] && return 0
	kill -INT "$AGENT" && wait "$AGENT"
	AGENT=
}

# run CONTENDER PROTO ROUND: one saturated churn, one sample line
run() {
	local args=(-j $(($(nproc) * 2)) -d "$SECS") b0 b1 out n
	[ "$2" = udp ] && args=(--udp -j "$(nproc)" -d "$SECS")
	b0=$(busy)
	out=$("$CHURN" "${args[@]}") || return 1
	b1=$(busy)
	n=$(awk '{ print $3 }' <<<"$out")
	awk -v c="$1" -v p="$2" -v r="$3" -v b=$((b1 - b0)) -v n="$n" -v hz="$HZ" \
		'BEGIN { printf "%s %s %d %.2f\n", p, c, r, b * 1e6 / hz / n }' | tee -a "$TMPD/samples"
}

order=(none chosen forced)
for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < 3; i++)); do
		c=${order[(i + r) % 3]}
		start "$c" || exit 1
		run "$c" tcp "$r" && run "$c" udp "$r" || { echo "plan_ab: churn failed" >&2; exit 1; }
		stop
	done
done
echo "plan_ab: median CPU us per socket lifecycle (proto, contender, median, rounds)"
sort -k1,1 -k2,2 -k4,4n "$TMPD/samples" |
	awk '{ k = $1 " " $2; v[k, ++n[k]] = $4 }
	     END { for (k in n) { m = n[k]; med = m % 2 ? v[k, (m + 1) / 2] : (v[k, m / 2] + v[k, m / 2 + 1]) / 2
		   printf "  %-16s %8.2f us  (%d rounds)\n", k, med, m } }' | sort
