#!/usr/bin/env bash
# Faults the agent must survive (issue 10):
#  - killed with SIGKILL: nothing stays attached (its programs and links
#    go with its fds) and a new agent starts cleanly;
#  - /proc unreadable (an empty tmpfs over it, in a mount namespace of the
#    agent's own): it starts, says so, counts it; sockets get their owner
#    from events only, never a guessed one, and reconciliation does not
#    take the missing /proc for "every socket closed";
#  - network namespaces deleted while reconciliation reads them: no error,
#    their sockets leave the table;
#  - processes exiting while reconciliation resolves their owners (a ring
#    buffer too small for the churn forces it): counted, and no socket is
#    left to an owner that is gone.
# The ring overflow itself (drops counted and repaired) is
# tests/e2e/test_agent_reconcile.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
need "$SW" "$BUILD/tools/churn"

status() { api /api/v1/status; }
reconciled() {	# reconciled N: at least N reconciliations so far
	status | jq -e --argjson n "$1" '.reconciliations >= $n' >/dev/null
}
# links_of_gone PROG_ID...: no BPF link refers to any of them
links_gone() {
	! bpftool link show -j 2>/dev/null | jq -e --arg ids " $* " \
		'map(select(.prog_id as $p | $ids | contains(" \($p) "))) | length > 0' >/dev/null
}

# ---- SIGKILL ----------------------------------------------------------
start_agent killed || { not_ok "agent did not start"; finish; exit 1; }
PROGS=$(prog_ids_of "$AG")
check "agent holds BPF programs ($(wc -w <<<"$PROGS"))" test -n "$PROGS"
check "  ... and links to them" sh -c "bpftool link show -j | jq -e 'length > 0' >/dev/null"
kill -KILL "$AG"
stop "$AG"
check "SIGKILL: killed by signal 9 (exit 137)" test $? -eq 137
check "SIGKILL: its programs are freed with its fds" wait_for 10 ids_gone $PROGS
# shellcheck disable=SC2086 # ids are words
check "SIGKILL: no BPF link refers to them" wait_for 10 links_gone $PROGS
check "SIGKILL: nothing pinned under /sys/fs/bpf" sh -c "! find /sys/fs/bpf -name '*sockwatch*' | grep -q ."
start_agent after_kill || { not_ok "a new agent did not start after SIGKILL"; finish; exit 1; }
check "new agent: complete attach plan" jqt '.attach_plan.complete == true' <(status)
spawn python3 tests/e2e/helpers/leak_workload.py hold 127.0.0.1 0 > "$TMP/hold1.out"
H1=$LAST_PID
P1=$(ready_port "$TMP/hold1.out")
check "new agent: sees a new listener with its owner" \
	wait_for 20 json_is 200 "/api/v1/sockets?port=$P1&state=LISTEN" ".sockets | map(select(.pid == $H1)) | length == 1"
PROGS=$(prog_ids_of "$AG")
stop_agent
check "new agent: exit 0 on SIGTERM" test $? -eq 0
check "new agent: programs freed" wait_for 10 ids_gone $PROGS

# ---- /proc unreadable ---------------------------------------------------
printf '[agent]\nreconcile_seconds = 0.5\n' > "$TMP/fast.ini"
# a listener from before the agent: its owner is only in /proc
check "listener before the agent: port $P1 (pid $H1)" test -n "$P1"
# shellcheck disable=SC2016 # for the inner shell
AGENT_WRAP=(unshare -m --propagation private sh -c 'mount -t tmpfs sw-noproc /proc && exec "$@"' sh)
start_agent noproc --config "$TMP/fast.ini" || { not_ok "agent without /proc did not start"; finish; exit 1; }
AGENT_WRAP=()
check "no /proc: starts, says the snapshot failed" \
	grep -q "warning: snapshot of existing sockets failed" "$TMP/noproc.err"
check "no /proc: counted (scan_faults.proc_unreadable >= 1)" \
	jqt '.scan_faults.proc_unreadable >= 1 and .snapshot_sockets == 0' <(status)
check "no /proc: logged" wait_for 20 grep -q "owner scan: proc_unreadable" "$TMP/noproc.err"
spawn python3 tests/e2e/helpers/leak_workload.py hold 127.0.0.1 0 > "$TMP/hold2.out"
H2=$LAST_PID
P2=$(ready_port "$TMP/hold2.out")
check "no /proc: a new listener gets its owner from the events" \
	wait_for 20 json_is 200 "/api/v1/sockets?port=$P2&state=LISTEN" ".sockets | map(select(.pid == $H2)) | length == 1"
check "no /proc: reconciliations run" wait_for 20 reconciled 4
check "  ... without errors (own namespace read without /proc)" jqt '.reconcile_errors == 0' <(status)
check "  ... and the new listener stays, with its owner" \
	json_is 200 "/api/v1/sockets?port=$P2&state=LISTEN" ".sockets | map(select(.pid == $H2)) | length == 1"
check "  ... the older listener is not given a guessed owner" \
	json_is 200 "/api/v1/sockets?port=$P1&state=LISTEN" '.matched == 0'
stop_agent
NP_RC=$?
# In the sanitized build, LeakSanitizer's check at exit needs /proc (the
# sanitizers even read their options from /proc/self/environ), so there
# the one failure allowed is LeakSanitizer saying it could not run.
lsan_without_proc() {
	ldd "$SW" 2>/dev/null | grep -q libasan &&
		grep -q "LeakSanitizer has encountered a fatal error" "$TMP/noproc.err" &&
		! grep -E "ERROR: (AddressSanitizer|LeakSanitizer: detected)|runtime error" "$TMP/noproc.err"
}
check "no /proc: exit 0 on SIGTERM, or in the sanitized build only LeakSanitizer unable to run (got $NP_RC)" eval '[ "$NP_RC" -eq 0 ] || lsan_without_proc'
stop "$H1"
stop "$H2"

# ---- namespaces deleted while read ------------------------------------
printf '[agent]\nreconcile_seconds = 0.1\n' > "$TMP/ns.ini"
start_agent netns --config "$TMP/ns.ini" || { not_ok "agent did not start"; finish; exit 1; }
NSPIDS=()
NSNAMES=()
for i in $(seq 20); do
	ns=swfault$$-$i
	make_netns "$ns" || continue
	# a listener in it, then the namespace's name deleted under it
	spawn ip netns exec "$ns" python3 tests/e2e/helpers/leak_workload.py hold 127.0.0.1 0 > "$TMP/ns$i.out"
	NSPIDS+=("$LAST_PID")
	NSNAMES+=("$(stat -L -c %i "/run/netns/$ns")")
	ready_port "$TMP/ns$i.out" > /dev/null
	ip netns del "$ns"
done
for p in "${NSPIDS[@]}"; do stop "$p"; done
check "netns: 20 namespaces made, listened in and deleted" test "${#NSNAMES[@]}" -eq 20
N0=$(status | jq .reconciliations)
check "netns: reconciliation goes on" wait_for 20 reconciled $((N0 + 3))
ns_left() {	# sockets the table still has in those namespaces
	api "/api/v1/sockets?limit=100000" | jq --arg ns " ${NSNAMES[*]} " \
		'[.sockets[] | select(.netns as $n | $ns | contains(" \($n) "))] | length'
}
ns_left_is_0() { [ "$(ns_left)" = 0 ]; }
check "netns: none of their sockets is left in the table" wait_for 60 ns_left_is_0
check "netns: no reconciliation error" jqt '.reconcile_errors == 0' <(status)
echo "    # netns_vanished: $(status | jq .scan_faults.netns_vanished) (a race: not required)"
stop_agent
check "netns: exit 0 on SIGTERM" test $? -eq 0

# ---- processes exiting while their owners are resolved -----------------
printf '[agent]\nring_buffer_kb = 4\nreconcile_seconds = 0.1\n' > "$TMP/churn.ini"
start_agent churn --config "$TMP/churn.ini" || { not_ok "agent did not start"; finish; exit 1; }
: > "$TMP/churn.pids"
churn_loop() {	# short-lived processes, each churning sockets, for 10 s
	# (scaled as every deadline: under TCG a churn takes seconds)
	local end=$(( $(date +%s) + 10 * ${E2E_TIME_SCALE:-1} ))
	while [ "$(date +%s)" -lt "$end" ]; do
		"$BUILD/tools/churn" -n 300 -t 10 > /dev/null 2>&1 &
		echo $! >> "$TMP/churn.pids"
		wait $!
	done
}
churn_loop & C1=$!
churn_loop & C2=$!
PIDS+=("$C1" "$C2")
wait "$C1" "$C2"
check "churn: $(wc -l < "$TMP/churn.pids") processes came and went" test "$(wc -l < "$TMP/churn.pids")" -gt 10
check "churn: the ring overflowed (reconciliation had owners to resolve)" \
	jqt '.events_dropped > 0' <(status)
N0=$(status | jq .reconciliations)
wait_for 20 reconciled $((N0 + 3))
stale() {	# sockets still owned by one of the exited churn processes
	api /api/v1/processes | jq --slurpfile p <(jq -s . "$TMP/churn.pids") \
		'[.processes[] | select(.pid as $x | $p[0] | index($x))] | length'
}
stale_is_0() { [ "$(stale)" = 0 ]; }
check "churn: no socket left to a process that is gone" wait_for 60 stale_is_0 ||
	api /api/v1/processes | jq -c --slurpfile p <(jq -s . "$TMP/churn.pids") \
		'.processes[] | select(.pid as $x | $p[0] | index($x))' | head -3 | sed 's/^/    /'
check "churn: no reconciliation error" jqt '.reconcile_errors == 0' <(status)
V=$(status | jq .scan_faults.pid_vanished)
echo "    # pid_vanished: $V (processes that exited during their scan)"
if [ "$V" -gt 0 ]; then
	check "churn: vanished processes are logged" grep -q "owner scan: pid_vanished" "$TMP/churn.err"
fi
stop_agent
check "churn: exit 0 on SIGTERM" test $? -eq 0
finish
