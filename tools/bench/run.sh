#!/usr/bin/env bash
# sockwatch benchmark suite: `make bench` (or `make bench QUICK=1`).
#
# Runs every benchmark whose contenders exist, writes the raw samples to
# build/bench/raw.jsonl, and the report to build/bench/results.md and
# build/bench/results.json (tools/bench/report.py). A contender that is not
# there (sockwatch not built yet, a subcommand missing) is reported as
# skipped with the reason, never silently left out. See tools/bench/README.md.
#
# Environment (defaults in brackets; QUICK=1 lowers the counts):
#   QUICK=1            smoke run, under 2 minutes
#   ROUNDS             rounds of each A/B comparison [5]
#   BENCHES (or BENCH) which sections to run [saturated prog_cost churn_tcp
#                      churn_udp pipeline agent_sockets drops sockscan top];
#                      BENCH=saturated runs the CPU-saturated figures alone
#   SAT_ROUNDS, SAT_SECS rounds and seconds per run of the saturated churn [7, 4]
#   SAT_TCP_JOBS, SAT_UDP_JOBS  its parallel workers [2 x CPUs, CPUs]
#   PROG_ROUNDS        rounds of the per-program cost [3]
#   CHURN_N, UDP_N     cycles per churn run [20000, 50000]
#   SOCK_COUNTS        pre-existing sockets for memory/start-up/scrape
#                      [0 10000 100000]
#   READY_RE           the agent's readiness line on stderr [ready]
#   ATTACH_RE          trace's "attached" line on stderr [attached|tracing|ready]
#   AGENT_LISTEN       where the agent serves HTTP [127.0.0.1:19465]
#   AGENT_ARGS         the agent's arguments [--listen $AGENT_LISTEN]
#   DROPS_USING        trace (its exit summary) or agent (/api/v1/status) [trace]
#   DROPS_JQ           jq filter for the drop counter in /api/v1/status
#   PROBE_TRIALS       bursts per probe of the drop search [2; QUICK 1]
#   READY_HTTP=1       also take /healthz answering as the agent's readiness
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
OUT=${BENCH_OUT:-$BUILD/bench}
RAW=$OUT/raw.jsonl
QUICK=${QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=

# shellcheck source=tools/bench/lib.sh
. tools/bench/lib.sh
# shellcheck source=tools/bench/top_bench.sh
. tools/bench/top_bench.sh
# shellcheck source=tools/bench/saturated.sh
. tools/bench/saturated.sh

if [ -n "$QUICK" ]; then
	CHURN_N=${CHURN_N:-3000}
	UDP_N=${UDP_N:-5000}
	STARTUP_ROUNDS=${STARTUP_ROUNDS:-1}
	SCRAPES=${SCRAPES:-3}
	SETTLE=${SETTLE:-0.5}
	BURST_MAX=${BURST_MAX:-20000}
	BISECT_STEPS=${BISECT_STEPS:-1}
	PROBE_TRIALS=${PROBE_TRIALS:-1}
	PIPE_EVENTS=${PIPE_EVENTS:-500000}
else
	CHURN_N=${CHURN_N:-20000}
	UDP_N=${UDP_N:-50000}
	STARTUP_ROUNDS=${STARTUP_ROUNDS:-5}
	SCRAPES=${SCRAPES:-11}
	SETTLE=${SETTLE:-2}
	BURST_MAX=${BURST_MAX:-640000}
	BISECT_STEPS=${BISECT_STEPS:-5}
	PROBE_TRIALS=${PROBE_TRIALS:-2}
	PIPE_EVENTS=${PIPE_EVENTS:-5000000}
fi
ROUNDS=${ROUNDS:-5}
SOCK_COUNTS=${SOCK_COUNTS:-0 10000 100000}
BURST_START=${BURST_START:-5000}
BURST_THREADS=${BURST_THREADS:-4}
BENCHES=${BENCHES:-${BENCH:-saturated prog_cost churn_tcp churn_udp pipeline agent_sockets drops sockscan top}}
# "saturated" alone is the saturated table and the per-program table.
[ "$BENCHES" = saturated ] && BENCHES="saturated prog_cost"
DROPS_JQ=${DROPS_JQ:-'.events_dropped // .drops // .ring.drops // empty'}

# --- churn: connections/s with each tracer attached, A B A B ... ---------

bench_churn() {
	local proto=$1 n=$2 bench=churn_$1 unit=connections/s flag=
	local list=(baseline agent trace tcpstates tcplife) run=() c r out why rc
	local -A failed=()
	if [ "$proto" = udp ]; then
		# tcpstates and tcplife see TCP only: on UDP they would measure nothing.
		list=(baseline agent trace)
		unit=sockets/s flag=--udp
	fi
	for c in "${list[@]}"; do
		why=$(available "$c")
		if [ -n "$why" ]; then
			skip "$bench" "$c" "$why"
			continue
		fi
		run+=("$c")
	done
	log "$bench: ${#run[@]} contenders (${run[*]}), $ROUNDS rounds of $n cycles"
	for ((r = 1; r <= ROUNDS; r++)); do
		for c in "${run[@]}"; do
			[ -n "${failed[$c]:-}" ] && continue
			if ! start_tracer "$c"; then
				# Once is enough: do not pay its timeout every round.
				skip "$bench" "$c" "round $r: did not attach: $(err_tail 1)"
				failed[$c]=1
				continue
			fi
			out=$("$TOOLS/churn" $flag -n "$n")
			rc=$?
			stop_tracer "$c" || sample "$bench" "$c" leftover count 1 "$r"
			if [ $rc -ne 0 ]; then
				skip "$bench" "$c" "round $r: churn failed ($rc)"
				continue
			fi
			sample "$bench" "$c" rate "$unit" "$(awk '{ print $(NF - 1) }' <<<"$out")" "$r"
			log "$bench round $r $c: $out"
		done
	done
}

# --- event pipeline: ns/event through decode, table, detectors -----------

bench_pipeline() {
	local r out
	if [ ! -x "$TOOLS/pipeline_bench" ]; then
		if [ ! -f user/detect/detectors.h ]; then
			skip pipeline pipeline "user/detect/detectors.h not there yet"
		else
			skip pipeline pipeline "$TOOLS/pipeline_bench not built (make $TOOLS/pipeline_bench)"
		fi
		return
	fi
	for ((r = 1; r <= ROUNDS; r++)); do
		if ! out=$("$TOOLS/pipeline_bench" -n "$PIPE_EVENTS"); then
			skip pipeline pipeline "round $r: pipeline_bench failed"
			continue
		fi
		log "pipeline round $r: $out"
		# "pipeline: N events in T s: X ns/event, Y events/s (detector ticks Z ns/event of it, ..."
		local re='^[^:]*: [^:]*: ([0-9.]+) ns/event, ([0-9.]+) events/s \(detector ticks ([0-9.]+) ns/event.*'
		sample pipeline pipeline ns_per_event ns "$(sed -nE "s|$re|\1|p" <<<"$out")" "$r"
		sample pipeline pipeline events_per_s events/s "$(sed -nE "s|$re|\2|p" <<<"$out")" "$r"
		sample pipeline pipeline tick_ns_per_event ns "$(sed -nE "s|$re|\3|p" <<<"$out")" "$r"
		# trace --json's formatting and writing, CPU time per record
		if out=$("$TOOLS/pipeline_bench" -F -n "$((PIPE_EVENTS / 5))"); then
			log "format round $r: $out"
			sample pipeline format ns_per_event ns \
				"$(sed -nE 's|.*: ([0-9.]+) ns/event.*|\1|p' <<<"$out")" "$r"
		fi
	done
}

# --- agent with N pre-existing sockets: start-up, memory, scrape ---------

# scrape PATH LABEL: time SCRAPES requests of PATH, in ms.
scrape() {
	local i res code m
	for ((i = 1; i <= SCRAPES; i++)); do
		res=$(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_total}' \
			"http://$AGENT_LISTEN$1")
		code=${res%% *}
		if [ "$code" != 200 ]; then
			skip scrape "$2" "GET $1 answered ${code:-nothing}"
			return
		fi
		m=${1##*/}
		sample scrape "$2" "${m%%\?*}_ms" ms "$(echo "${res#* } * 1000" | bc -l)" "$i"
	done
}

agent_with_sockets() {
	local n=$1 r ms rss hwm maps self why
	if ! hold_sockets "$n"; then
		skip memory "$n" "holdsocks -n $n failed"
		skip startup "$n" "holdsocks -n $n failed"
		return
	fi
	for ((r = 1; r <= STARTUP_ROUNDS; r++)); do
		if ! start_tracer agent; then
			why="round $r: agent did not get ready: $(err_tail 1)"
			skip memory "$n" "$why"
			skip startup "$n" "$why"
			skip scrape "$n" "$why"
			break
		fi
		if ms=$(startup_ms); then
			sample startup "$n" startup_ms ms "$ms" "$r"
		elif [ "$r" = 1 ]; then
			skip startup "$n" "no line matching READY_RE='$READY_RE' on the agent's stderr"
		fi
		sleep "$SETTLE"
		rss=$(vm_bytes "$TR_PID" VmRSS)
		hwm=$(vm_bytes "$TR_PID" VmHWM)
		maps=$(maps_memlock "$TR_PID")
		sample memory "$n" rss bytes "$rss" "$r"
		sample memory "$n" hwm bytes "$hwm" "$r"
		sample memory "$n" maps bytes "$maps" "$r"
		sample memory "$n" total bytes "$((rss + maps))" "$r"
		# Other processes' sockets are in the agent's table too.
		sample memory "$n" host_tcp_sockets sockets \
			"$(awk '$1 == "TCP:" { print $3 }' /proc/net/sockstat)" "$r"
		log "agent with $n sockets, round $r: start-up ${ms:-?} ms, RSS $((rss >> 10)) KiB, maps $((maps >> 10)) KiB"
		# The agent's own view of its start-up, for comparison.
		if [ -n "$AGENT_LISTEN" ]; then
			self=$(curl -fs --max-time 5 "http://$AGENT_LISTEN/api/v1/status" |
				jq -r '.startup_seconds // empty' 2>/dev/null)
			[ -n "$self" ] && sample startup "$n" self_reported_ms ms "$(echo "$self * 1000" | bc -l)" "$r"
		fi
		if [ "$r" = 1 ] && [ -n "$AGENT_LISTEN" ]; then
			scrape /metrics "$n"
			# the whole table, not the first page (default limit)
			scrape "/api/v1/sockets?limit=100000" "$n"
		fi
		stop_tracer agent || sample agent_sockets "$n" leftover count 1 "$r"
	done
	release_sockets
}

bench_agent_sockets() {
	local why n
	why=$(available agent)
	if [ -n "$why" ]; then
		skip memory agent "$why"
		skip startup agent "$why"
		skip scrape agent "$why"
		return
	fi
	for n in $SOCK_COUNTS; do
		agent_with_sockets "$n"
	done
}

# --- drops: the largest burst with no ring-buffer drops ------------------

# Drops seen by the running agent so far, from /api/v1/status.
agent_drops() {
	curl -fs --max-time 5 "http://$AGENT_LISTEN/api/v1/status" | jq -r "$DROPS_JQ"
}

# probe_once USING SIZE: run a burst of SIZE connections, print the drops.
probe_once() {
	local using=$1 size=$2 before after i line
	if [ "$using" = agent ]; then
		before=$(agent_drops) || return 1
		"$TOOLS/burst" -n "$size" -j "$BURST_THREADS" >/dev/null || return 1
		after=$(agent_drops) || return 1
		echo $((after - before))
		return
	fi
	start_tracer trace || return 1
	"$TOOLS/burst" -n "$size" -j "$BURST_THREADS" >/dev/null
	stop_tracer trace
	# The summary is written on exit: "... N events, M dropped".
	for ((i = 0; i < 40; i++)); do
		line=$(grep -E '[0-9]+ dropped' "$TR_ERR" | tail -n 1)
		[ -n "$line" ] && break
		sleep 0.05
	done
	[ -n "$line" ] || { log "trace printed no '... N dropped' summary"; return 1; }
	sed -nE 's/.*[^0-9]([0-9]+) dropped.*/\1/p' <<<"$line"
}

# probe_drops USING SIZE: the most drops of PROBE_TRIALS bursts. Whether a
# burst overflows depends on when the reader gets a CPU, so one lucky
# trial must not make a size look safe.
probe_drops() {
	local t d max=0
	for ((t = 0; t < PROBE_TRIALS; t++)); do
		d=$(probe_once "$1" "$2") || return 1
		[ "$d" -gt "$max" ] && max=$d
	done
	echo "$max"
}

bench_drops() {
	local using lo=0 hi= s d step mid
	if [ "${DROPS_USING:-trace}" = trace ] && [ -z "$(available trace)" ]; then
		using=trace
	elif [ -z "$(available agent)" ]; then
		using=agent
		start_tracer agent || { skip drops agent "agent did not get ready"; return; }
		if [ -z "$(agent_drops)" ]; then
			skip drops agent "no drop counter in /api/v1/status (DROPS_JQ)"
			stop_tracer agent
			return
		fi
	else
		skip drops sockwatch "$(available trace)"
		return
	fi
	s=$BURST_START
	while [ "$s" -le "$BURST_MAX" ]; do
		d=$(probe_drops "$using" "$s") || { skip drops "$using" "probe of $s failed"; break; }
		log "drops: burst of $s connections: $d dropped"
		sample drops "$using" probe_drops events "$d" "$s"
		if [ "$d" -gt 0 ]; then
			hi=$s
			break
		fi
		lo=$s
		s=$((s * 2))
	done
	if [ -n "$hi" ]; then
		for ((step = 0; step < BISECT_STEPS; step++)); do
			mid=$(((lo + hi) / 2))
			d=$(probe_drops "$using" "$mid") || break
			log "drops: burst of $mid connections: $d dropped"
			sample drops "$using" probe_drops events "$d" "$mid"
			if [ "$d" -gt 0 ]; then hi=$mid; else lo=$mid; fi
		done
	fi
	if [ "$lo" -gt 0 ] || [ -n "$hi" ]; then
		sample drops "$using" max_burst_no_drops connections "$lo"
		[ -n "$hi" ] || sample drops "$using" max_burst_capped count 1
	fi
	if [ "$lo" -gt 0 ]; then
		if d=$(probe_drops "$using" $((lo * 2))); then
			log "drops: twice that, $((lo * 2)) connections: $d dropped"
			sample drops "$using" drops_at_2x events "$d" $((lo * 2))
		fi
	fi
	[ "$using" = agent ] && stop_tracer agent
}

# --- the static analyzer's benchmark, if its author has added it ---------

bench_sockscan() {
	if [ ! -f tools/bench/sockscan_bench.sh ]; then
		skip sockscan sockscan "tools/bench/sockscan_bench.sh not there yet"
		return
	fi
	# Its own Markdown goes into the report next to its JSON.
	QUICK=$QUICK BENCH_OUT=$OUT bash tools/bench/sockscan_bench.sh >"$OUT/sockscan.md" ||
		skip sockscan sockscan "sockscan_bench.sh failed"
}

# --- main ----------------------------------------------------------------

machine_info() {
	local cmd="bash tools/bench/run.sh"
	[ -n "$QUICK" ] && cmd="QUICK=1 $cmd"
	[ -n "${MAKELEVEL:-}" ] && cmd="make bench${QUICK:+ QUICK=1}"
	[ "$BENCHES" = "saturated prog_cost" ] && cmd="$cmd BENCH=saturated"
	jq -n --arg nproc "$(nproc)" --arg kernel "$(uname -r)" \
		--arg cpu "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
		--arg mem "$(awk '/^MemTotal/ { print $2 * 1024 }' /proc/meminfo)" \
		--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg cmd "$cmd" \
		--arg rev "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
		--arg quick "${QUICK:+1}" --arg rounds "$ROUNDS" \
		--arg churn "$CHURN_N" --arg udp "$UDP_N" \
		--arg sat "$SAT_ROUNDS $SAT_SECS $SAT_TCP_JOBS $SAT_UDP_JOBS $PROG_ROUNDS" \
		'{nproc: ($nproc|tonumber), kernel: $kernel, cpu: $cpu,
		  mem_bytes: ($mem|tonumber), date: $date, command: $cmd,
		  git_rev: $rev, loadavg_at_start: $load, quick: ($quick == "1"),
		  rounds: ($rounds|tonumber), churn_n: ($churn|tonumber),
		  udp_n: ($udp|tonumber),
		  saturated: ($sat | split(" ") | map(tonumber)
			| {rounds: .[0], secs: .[1], tcp_jobs: .[2], udp_jobs: .[3],
			   prog_rounds: .[4]})}' >"$OUT/machine.json"
}

main() {
	local b t0
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: needs root (BPF tracers)" >&2
		exit 1
	fi
	mkdir -p "$OUT"
	exec 9>"$OUT/.lock"
	flock -n 9 || { echo "bench: another run holds $OUT/.lock" >&2; exit 1; }
	bash tools/bench/setup.sh || exit 1
	if [ ! -x "$TOOLS/churn" ] || [ ! -x "$TOOLS/holdsocks" ] || [ ! -x "$TOOLS/burst" ]; then
		make -s bench-tools || exit 1
	fi
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	: >"$RAW"
	rm -f "$OUT/sockscan.json" "$OUT/sockscan.md"
	machine_info
	t0=$SECONDS
	for b in $BENCHES; do
		local ts=$SECONDS
		case $b in
		saturated) bench_saturated ;;
		prog_cost) bench_prog_cost ;;
		churn_tcp) bench_churn tcp "$CHURN_N" ;;
		churn_udp) bench_churn udp "$UDP_N" ;;
		pipeline) bench_pipeline ;;
		agent_sockets) bench_agent_sockets ;;
		drops) bench_drops ;;
		sockscan) bench_sockscan ;;
		top) bench_top ;;
		*) log "unknown benchmark '$b'" ;;
		esac
		log "$b: $((SECONDS - ts)) s"
	done
	log "done in $((SECONDS - t0)) s"
	jq --arg s "$((SECONDS - t0))" '.duration_s = ($s|tonumber)' \
		"$OUT/machine.json" >"$OUT/machine.json.tmp" && mv "$OUT/machine.json.tmp" "$OUT/machine.json"
	python3 tools/bench/report.py "$OUT" || exit 1
	cat "$OUT/results.md"
}

main "$@"
