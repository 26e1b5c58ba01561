# shellcheck shell=bash
# sockwatch top's cost (issue 16), sourced by tools/bench/run.sh: CPU of
# `sockwatch top` at a 1 s refresh with TOP_SOCKETS (100,000) sockets held
# by holdsocks, as a share of one core, over TOP_WINDOW seconds. Each round
# runs, in turn:
#   agent      `sockwatch agent` alone: the engine top runs in-process,
#              at the agent's defaults (top's reconciles once a minute
#              unless the ring drops records, and skips the dear health
#              checks), so a comparison rather than a part of top's figure;
#   top        `sockwatch top -b -i 1` standalone (engine + top);
#   top_agent  `sockwatch top --agent URL -b -i 1` against a running agent:
#              top's own CPU, and the agent's meanwhile (agent_cpu_pct).
# Batch mode writes the same screen the terminal would show (to /dev/null
# here); the curses drawing of one screen is a few hundred bytes.

TOP_SOCKETS=${TOP_SOCKETS:-100000}
# 60 s: top's engine reconciles once a minute, so a shorter window may
# or may not hold a reconciliation and would flatter (or wrong) the figure
TOP_WINDOW=${TOP_WINDOW:-${QUICK:+10}}
TOP_WINDOW=${TOP_WINDOW:-60}

# CPU ticks (user + system) of PID so far.
cpu_ticks() {
	local st
	st=$(cat /proc/"$1"/stat 2>/dev/null) || return 1
	st=${st##*) }
	# shellcheck disable=SC2086
	set -- $st
	echo $((${12} + ${13}))
}

# cpu_pct PID...: percent of one core each PID used over TOP_WINDOW s.
cpu_pct() {
	local p a=() b=() t0 t1 i hz
	hz=$(getconf CLK_TCK)
	for p in "$@"; do a+=("$(cpu_ticks "$p")"); done
	t0=$(now_us)
	sleep "$TOP_WINDOW"
	for p in "$@"; do b+=("$(cpu_ticks "$p")"); done
	t1=$(now_us)
	for i in "${!a[@]}"; do
		[ -n "${a[i]}" ] && [ -n "${b[i]}" ] || { echo "-"; continue; }
		echo "scale=3; (${b[i]} - ${a[i]}) * 100 * 1000000 / $hz / ($t1 - $t0)" | bc
	done
}

# top_start ARGS...: sockwatch top -b -i 1 ARGS, waited for until its
# first screen. Sets TOP_PID.
top_start() {
	local out=$TMPD/top.out i
	"$SW" top -b -i 1 "$@" >"$out" 2>"$TMPD/top.err" &
	TOP_PID=$!
	PIDS+=("$TOP_PID")
	for ((i = 0; i < READY_TIMEOUT * 20; i++)); do
		grep -q '^sockwatch top' "$out" && return 0
		kill -0 "$TOP_PID" 2>/dev/null || break
		sleep 0.05
	done
	log "top did not show a screen: $(tail -1 "$TMPD/top.err")"
	top_stop
	return 1
}

# top_stop: SIGINT, wait; non-zero if it left BPF programs behind.
top_stop() {
	local progs i
	[ -n "$TOP_PID" ] || return 0
	progs=$(prog_ids "$TOP_PID")
	kill -INT "$TOP_PID" 2>/dev/null
	wait "$TOP_PID" 2>/dev/null
	TOP_PID=
	for ((i = 0; i < 100; i++)); do
		for p in $progs; do
			bpftool prog show id "$p" >/dev/null 2>&1 && continue 2
		done
		return 0
	done
	log "top left programs $progs behind"
	return 1
}

top_round() {
	local r=$1 n=$TOP_SOCKETS v w
	# the engine alone
	if start_tracer agent; then
		sleep "$SETTLE"
		v=$(cpu_pct "$TR_PID")
		[ "$v" != - ] && sample top agent cpu_pct percent "$v" "$r"
		log "top round $r: agent alone, $n sockets: $v % of a core"
		stop_tracer agent
	fi
	# standalone top
	if top_start; then
		sleep "$SETTLE"
		v=$(cpu_pct "$TOP_PID")
		[ "$v" != - ] && sample top top cpu_pct percent "$v" "$r"
		log "top round $r: top standalone, $n sockets: $v % of a core"
		top_stop || sample top top leftover count 1 "$r"
	fi
	# top reading a running agent
	if start_tracer agent && top_start --agent "http://$AGENT_LISTEN"; then
		sleep "$SETTLE"
		read -r -d '' v w < <(cpu_pct "$TOP_PID" "$TR_PID")
		[ "$v" != - ] && sample top top_agent cpu_pct percent "$v" "$r"
		[ "$w" != - ] && sample top top_agent agent_cpu_pct percent "$w" "$r"
		log "top round $r: top --agent $v %, the agent meanwhile $w % of a core"
		top_stop
	fi
	[ -n "$TR_PID" ] && stop_tracer agent
}

bench_top() {
	local why r
	why=$(available agent)
	[ -z "$why" ] && ! sw_has top && why="'sockwatch top' not available yet"
	if [ -n "$why" ]; then
		skip top top "$why"
		return
	fi
	if ! hold_sockets "$TOP_SOCKETS"; then
		skip top top "holdsocks -n $TOP_SOCKETS failed"
		return
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		top_round "$r"
	done
	release_sockets
}
