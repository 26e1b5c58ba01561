# Shared helpers for the end-to-end tests. Source it first thing:
#   . "$(dirname "$0")/lib.sh"
# Every process started with `spawn` is stopped on exit, every namespace
# made with `make_netns` is deleted, and the scratch directory is removed.
set -u
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# BUILD: the build directory under test (build-san for the sanitized run)
BUILD=${BUILD:-build}
SW=${SW:-$PWD/$BUILD/sockwatch}
TMP=$(mktemp -d /tmp/sw-e2e.XXXXXX)
PIDS=()
NETNS=()
T_PASS=0
T_FAIL=0

# Is pid p still a child of this shell? A pid that was reaped may have been
# reused by a stranger's process, which must never get our signals.
_ours() {
	local st
	st=$(cat /proc/"$1"/stat 2>/dev/null) || return 1
	st=${st##*) }
	set -- $st
	[ "$2" = "$$" ]
}

_cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		_ours "$p" && kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		# give each a moment to detach cleanly, then insist
		for _ in $(seq 50); do _ours "$p" || break; sleep 0.1; done
		_ours "$p" && kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	for p in "${NETNS[@]}"; do
		ip netns del "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap _cleanup EXIT

# spawn CMD...: run in the background, remember the pid in $LAST_PID.
spawn() {
	"$@" &
	LAST_PID=$!
	PIDS+=("$LAST_PID")
}

# stop PID: SIGTERM, wait for it, return its exit code.
stop() {
	local p=$1 rc q keep=()
	kill -TERM "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	rc=$?
	for q in "${PIDS[@]}"; do
		[ "$q" = "$p" ] || keep+=("$q")
	done
	PIDS=("${keep[@]}")
	return $rc
}

# wait_for SECONDS CMD...: poll CMD every 50 ms until it succeeds.
# E2E_TIME_SCALE multiplies every deadline: set where everything is many
# times slower (emulated guests of make test-kernels).
wait_for() {
	local limit=$(( $1 * ${E2E_TIME_SCALE:-1} )) deadline
	shift
	deadline=$(( $(date +%s%N) + limit * 1000000000 ))
	while [ "$(date +%s%N)" -lt "$deadline" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# make_netns NAME: a fresh network namespace with loopback up.
make_netns() {
	ip netns del "$1" 2>/dev/null
	ip netns add "$1" || return 1
	NETNS+=("$1")
	ip -n "$1" link set lo up
}

ok() {
	T_PASS=$((T_PASS + 1))
	echo "  ok   $*"
}

not_ok() {
	T_FAIL=$((T_FAIL + 1))
	echo "  FAIL $*"
}

# check DESCRIPTION CMD...: ok when CMD succeeds.
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# A TCP port free now, for a server the test starts later. Not one the
# kernel picks (bind to 0): that comes from the ephemeral range, where any
# connect() of the host may take it before the server binds it ("Address
# already in use" under load). A random one in 10000-19999, below the
# ephemeral range and the port-registry test's 20000-29999, that binds on
# every address (dual-stack ::, else 0.0.0.0) without SO_REUSEADDR, so no
# listener or TIME_WAIT holds it; never one this test was given before.
free_port() {
	python3 - "$TMP/.free_ports" <<'PY'
import random, socket, sys
given = set()
try:
    given = {int(l) for l in open(sys.argv[1])}
except OSError:
    pass
for _ in range(500):
    port = random.randint(10000, 19999)
    if port in given:
        continue
    try:
        s = socket.socket(socket.AF_INET6)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        addr = ("::", port)
    except OSError:
        s, addr = socket.socket(), ("0.0.0.0", port)
    try:
        s.bind(addr)
    except OSError:
        continue
    finally:
        s.close()
    open(sys.argv[1], "a").write("%d\n" % port)
    print(port)
    sys.exit(0)
sys.exit("free_port: no free port in 10000-19999 after 500 tries")
PY
}

# BPF program ids held by process PID (from its fds' fdinfo: works with
# any bpftool, and names only this process's programs).
prog_ids_of() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ { print $2 }' | sort -un
}

# ids_gone ID...: none of these program ids exists any more. The kernel
# frees a program after an RCU grace period once its last fd is closed, so
# callers poll this with wait_for rather than checking it once.
ids_gone() {
	local id
	for id in "$@"; do
		bpftool prog show id "$id" >/dev/null 2>&1 && return 1
	done
	return 0
}

# jqt ARGS...: jq -e, quietly (for check).
jqt() {
	jq -e "$@" >/dev/null
}

# fails_with [--hint] [--out] PATTERN CMD...: CMD exits non-zero (not by
# timeout) with nothing on stdout (--out: stdout may hold what came before
# the bad input); the first stderr line matches the extended regular
# expression PATTERN; then nothing more, or with --hint only argp's hint
# (which argp may wrap). stdin is the caller's.
fails_with() {
	local want_hint=0 any_out=0 pat rc rest
	[ "$1" = --hint ] && { want_hint=1; shift; }
	[ "$1" = --out ] && { any_out=1; shift; }
	pat=$1
	shift
	timeout 10 "$@" > "$TMP/out" 2> "$TMP/err"
	rc=$?
	rest=$(tail -n +2 "$TMP/err" | tr '\n' ' ')
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && { [ "$any_out" = 1 ] || [ ! -s "$TMP/out" ]; } &&
	   head -n 1 "$TMP/err" | grep -qE -- "$pat"; then
		if [ "$want_hint" = 1 ]; then
			[[ $rest == "Try "?"sockwatch "*"--help' "* ]] && return 0
		else
			[ -z "$rest" ] && return 0
		fi
	fi
	echo "    rc=$rc stdout: $(head -c 200 "$TMP/out")"
	echo "    stderr: $(cat "$TMP/err")"
	return 1
}

# Under E2E_TIME_SCALE, curl's own deadlines (-m, --max-time) stretch as
# wait_for's do: in an emulated guest, curl's start-up alone takes seconds.
if [ "${E2E_TIME_SCALE:-1}" -gt 1 ]; then
	curl() {
		local a=() x scale=0
		for x in "$@"; do
			if [ "$scale" = 1 ]; then
				x=$(awk -v t="$x" -v s="$E2E_TIME_SCALE" 'BEGIN { print t * s }')
				scale=0
			fi
			case $x in -m | --max-time) scale=1 ;; esac
			a+=("$x")
		done
		command curl "${a[@]}"
	}
fi

# skip_in_guest REASON: under make test-kernels (tools/kernels/init.sh
# sets SW_E2E_GUEST), end this test as skipped (exit 77), saying why.
skip_in_guest() {
	[ -n "${SW_E2E_GUEST:-}" ] || return 0
	echo "  skip in the test guest: $*"
	exit 77
}

finish() {
	echo "$(basename "$0"): $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
