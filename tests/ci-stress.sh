#!/usr/bin/env bash
# tests/ci-stress.sh CMD...: run CMD while one busy loop per CPU keeps the
# machine loaded; the loops are stopped when CMD ends, however it ends
# (exit, failure, ^C, SIGTERM). Exit status: CMD's.
set -u
ncpu=$(nproc)
busy=()
stop_busy() {
	local p
	for p in "${busy[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${busy[@]}"; do
		wait "$p" 2>/dev/null
	done
	busy=()
}
trap stop_busy EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for _ in $(seq "$ncpu"); do
	( trap - EXIT INT TERM; while :; do :; done ) &
	busy+=("$!")
done
echo "ci-stress: $ncpu busy loops (pids ${busy[*]}) while: $*"
start=$(date +%s)
"$@"
rc=$?
echo "ci-stress: '$*' exited $rc after $(( $(date +%s) - start ))s under load"
exit "$rc"
