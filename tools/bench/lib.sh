# Helpers for tools/bench/run.sh: contenders, readiness, samples.
# shellcheck shell=bash
#
# Every measurement is appended to $RAW as one JSON line (a "sample" or a
# "skip"); report.py turns them into results.md and results.json. Keeping
# the raw samples means a figure can always be traced back to its rounds.

SW=${SOCKWATCH:-$BUILD/sockwatch}
# Another build of sockwatch (the commit before a change, say), run as the
# contenders agent-base and trace-base beside agent and trace: a change
# measured side by side with what it changes, in one run
# (SAT_CONTENDERS="baseline agent-base agent").
SW_BASE=${SOCKWATCH_BASE:-}
TOOLS=${TOOLS:-$BUILD/tools}
# The agent's readiness line ("attached and snapshot complete") on stderr.
READY_RE=${READY_RE:-ready}
# trace's line once its programs are attached, on stderr.
ATTACH_RE=${ATTACH_RE:-attached|tracing|ready}
AGENT_LISTEN=${AGENT_LISTEN-127.0.0.1:19465}
AGENT_ARGS=${AGENT_ARGS:---listen $AGENT_LISTEN}
# Also take /healthz answering (with a BPF link held) as the agent's
# readiness. Off by default: the agent prints its readiness line, and
# polling HTTP during its start-up is extra load on what is being timed.
READY_HTTP=${READY_HTTP:-}
# How long a tracer may take to become ready or to go away, in seconds.
READY_TIMEOUT=${READY_TIMEOUT:-60}
STOP_TIMEOUT=${STOP_TIMEOUT:-15}

TMPD=$(mktemp -d /tmp/sockwatch-bench.XXXXXX)
PIDS=()			# everything we started, for the exit trap

log() { printf 'bench: %s\n' "$*" >&2; }

# Microseconds since the epoch, without a fork (bash 5).
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# sample BENCH CONTENDER METRIC UNIT VALUE [ROUND]
sample() {
	jq -nc --arg b "$1" --arg c "$2" --arg m "$3" --arg u "$4" \
		--arg v "$5" --arg r "${6:-0}" \
		'{type:"sample", bench:$b, contender:$c, metric:$m, unit:$u,
		  value:($v|tonumber), round:($r|tonumber)}' >>"$RAW"
}

# skip BENCH CONTENDER REASON: say once why a figure is missing.
skip() {
	log "$1/$2: skipped: $3"
	jq -nc --arg b "$1" --arg c "$2" --arg why "$3" \
		'{type:"skip", bench:$b, contender:$c, reason:$why}' >>"$RAW"
}

# Does the sockwatch binary have this subcommand?
sw_has() {
	[ -x "$SW" ] || return 1
	"$SW" "$1" --help >/dev/null 2>&1
}

# available CONTENDER: empty output if usable, else the reason.
available() {
	case $1 in
	baseline) ;;
	agent | agent-perf | agent-shared | trace)
		[ -x "$SW" ] || { echo "$SW not built yet"; return; }
		sw_has "${1%-*}" || echo "'sockwatch ${1%-*}' not available yet"
		;;
	agent-base | trace-base)
		[ -n "$SW_BASE" ] && [ -x "$SW_BASE" ] || echo "SOCKWATCH_BASE names no sockwatch binary"
		;;
	tcpstates | tcplife)
		[ -x "/usr/sbin/$1" ] || echo "/usr/sbin/$1 missing (tools/bench/setup.sh installs libbpf-tools)"
		;;
	*) echo "unknown contender" ;;
	esac
}

# Copy stderr lines to FILE, each prefixed with the time it arrived (us),
# so that start-up is measured to the line and not to a polling interval.
stamp_lines() {
	local line
	while IFS= read -r line; do
		printf '%s %s\n' "${EPOCHREALTIME/./}" "$line" >>"$1"
	done
}

# bpf_fds PID KIND: the fdinfo paths of PID's fds of that kind
# ("bpf-map", "bpf-prog", "bpf_link").
bpf_fds() {
	find /proc/"$1"/fd -lname "anon_inode:$2" -printf "/proc/$1/fdinfo/%f\n" 2>/dev/null
}

# Ids of the BPF programs PID holds, from fdinfo: Debian's bpftool is built
# without the pid iterator, so `bpftool prog show` cannot name the owner.
prog_ids() {
	local f
	for f in $(bpf_fds "$1" bpf-prog); do
		awk '$1 == "prog_id:" { print $2 }' "$f" 2>/dev/null
	done | sort -u
}

# Bytes of locked memory of the BPF maps PID holds, each map counted once.
maps_memlock() {
	local f
	for f in $(bpf_fds "$1" bpf-map); do
		awk '$1 == "map_id:" { id = $2 } $1 == "memlock:" { m = $2 }
		     END { if (id != "") print id, m }' "$f" 2>/dev/null
	done | sort -u -k1,1 | awk '{ s += $2 } END { print s + 0 }'
}

# VmRSS or VmHWM of PID, in bytes.
vm_bytes() {
	awk -v k="$2:" '$1 == k { print $2 * 1024 }' /proc/"$1"/status
}

# Contender state, set by start_tracer.
TR_PID=
TR_OUT=
TR_ERR=
TR_T0=
TR_PROGS=

# The last lines of the tracer's stderr, without stamp_lines' arrival times.
err_tail() {
	tail -n "${1:-3}" "$TR_ERR" | sed -E 's/^[0-9]{16,} //' | tr '\n' ' '
}

# start_tracer CONTENDER: start it and wait until it is fully attached.
# Returns non-zero, with the reason logged, if it never gets there.
start_tracer() {
	local c=$1 deadline
	TR_PID= TR_PROGS=
	TR_OUT=$TMPD/$c.out TR_ERR=$TMPD/$c.err
	: >"$TR_OUT"
	: >"$TR_ERR"
	TR_T0=${EPOCHREALTIME/./}
	case $c in
	baseline) return 0 ;;
	agent | agent-base)
		# shellcheck disable=SC2086
		"$([ "$c" = agent ] && echo "$SW" || echo "$SW_BASE")" agent $AGENT_ARGS \
			>"$TR_OUT" 2> >(stamp_lines "$TR_ERR") &
		;;
	agent-perf | agent-shared)
		# the agent with its records through a perf buffer per CPU, or
		# through one ring shared by all CPUs (the default: a ring each)
		printf '[agent]\nevent_buffer = %s\n' \
			"$([ "$c" = agent-perf ] && echo perf || echo shared-ring)" >"$TMPD/$c.ini"
		# shellcheck disable=SC2086
		"$SW" agent $AGENT_ARGS --config "$TMPD/$c.ini" >"$TR_OUT" \
			2> >(stamp_lines "$TR_ERR") &
		;;
	trace | trace-base)
		"$([ "$c" = trace ] && echo "$SW" || echo "$SW_BASE")" trace --json \
			>/dev/null 2> >(stamp_lines "$TR_ERR") &
		;;
	tcpstates | tcplife)
		# Line-buffered so that the header, printed once attached,
		# shows up at once instead of with the first 4 KiB of output.
		stdbuf -oL "/usr/sbin/$c" >"$TR_OUT" 2>"$TR_ERR" &
		;;
	esac
	TR_PID=$!
	PIDS+=("$TR_PID")
	deadline=$(($(now_us) + READY_TIMEOUT * 1000000))
	until tracer_ready "$c"; do
		if ! kill -0 "$TR_PID" 2>/dev/null; then
			log "$c exited before it was ready: $(err_tail)"
			wait "$TR_PID" 2>/dev/null
			TR_PID=
			return 1
		fi
		if [ "$(now_us)" -gt "$deadline" ]; then
			log "$c not ready after ${READY_TIMEOUT}s: $(err_tail)"
			stop_tracer "$c"
			return 1
		fi
		sleep 0.005
	done
	TR_PROGS=$(prog_ids "$TR_PID")
	return 0
}

# The readiness condition of each contender: its own "attached" signal, and
# for the kernel tracers at least one BPF link held by the process.
tracer_ready() {
	case $1 in
	agent | agent-base | agent-perf | agent-shared)
		stamped_match "$READY_RE" "$TR_ERR" >/dev/null && return 0
		# An agent that says nothing is ready once /healthz answers.
		[ -n "$READY_HTTP" ] && [ -n "$AGENT_LISTEN" ] &&
			curl -fs -o /dev/null --max-time 1 "http://$AGENT_LISTEN/healthz" &&
			[ -n "$(bpf_fds "$TR_PID" bpf_link)" ]
		;;
	trace | trace-base) stamped_match "$ATTACH_RE" "$TR_ERR" >/dev/null ;;
	tcpstates | tcplife)
		[ -s "$TR_OUT" ] && [ -n "$(bpf_fds "$TR_PID" bpf_link)" ]
		;;
	esac
}

# stamped_match RE FILE: the arrival time of the first line of FILE (as
# written by stamp_lines) that matches the extended regex RE.
stamped_match() {
	awk -v re="$1" '{ t = $1; sub(/^[^ ]+ /, "") } $0 ~ re { print t; f = 1; exit }
		END { exit !f }' "$2"
}

# Start-up time of the last start_tracer: exec to the readiness line, in ms.
startup_ms() {
	local t
	t=$(stamped_match "$READY_RE" "$TR_ERR")
	[ -n "$t" ] || return 1
	echo "scale=3; ($t - $TR_T0) / 1000" | bc
}

# stop_tracer CONTENDER: SIGINT, wait, and check that the process and its
# BPF programs are gone. Returns non-zero if anything was left behind.
stop_tracer() {
	local c=$1 pid=$TR_PID i left
	TR_PID=
	[ -n "$pid" ] || return 0
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < STOP_TIMEOUT * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$c (pid $pid) ignored SIGINT for ${STOP_TIMEOUT}s: killing it"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	# Programs are freed once the last reference goes; give it a moment.
	[ -n "$TR_PROGS" ] || return 0
	for ((i = 0; i < 40; i++)); do
		left=$(comm -12 <(tr ' ' '\n' <<<"$TR_PROGS" | sort) \
			<(bpftool prog show -j 2>/dev/null | jq -r '.[].id' | sort) | tr '\n' ' ')
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	log "$c: BPF programs still loaded after exit: $left"
	return 1
}

# Kill whatever we started and is still running; remove temporary files;
# put kernel.bpf_stats_enabled back if a run was cut short with it on.
BPF_STATS_OLD=
cleanup() {
	local p
	[ -n "$BPF_STATS_OLD" ] && sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_OLD"
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null && kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$TMPD"
}

# median of the numbers on stdin
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) exit 1
		if (NR % 2) print v[(NR + 1) / 2]
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# hold_sockets N: start holdsocks and wait for "ready N". Sets HOLD_PID.
HOLD_PID=
hold_sockets() {
	local out=$TMPD/holdsocks.out i
	HOLD_PID=
	[ "$1" -gt 0 ] || return 0
	"$TOOLS/holdsocks" -n "$1" -t 1800 >"$out" &
	HOLD_PID=$!
	PIDS+=("$HOLD_PID")
	for ((i = 0; i < 1200; i++)); do
		grep -q '^ready' "$out" && return 0
		kill -0 "$HOLD_PID" 2>/dev/null || break
		sleep 0.05
	done
	log "holdsocks -n $1 did not get ready"
	release_sockets
	return 1
}

release_sockets() {
	[ -n "$HOLD_PID" ] || return 0
	kill -TERM "$HOLD_PID" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
	HOLD_PID=
}
