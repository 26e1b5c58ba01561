#!/usr/bin/env bash
# Workload identity on real containers: runc runs a busybox bundle (built
# here from the host's static busybox) in cgroups named as the kubelet with
# containerd names them (systemd driver, burstable pod), as the kubelet's
# cgroupfs driver does (besteffort), and as docker does; the containers
# listen and connect on loopback. The agent must name container id,
# runtime, pod uid and QoS class for their sockets (plus the names
# containerd and docker keep on the node), in the API, its filters, the
# metrics and trace; and the systemd unit of a process in a transient unit
# (systemd-run where systemd is PID 1, else a cgroup made here with a
# .service name). Every cgroup made here lives under sw-fleet-PID.slice.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/helpers/agent.sh"
WL="python3 tests/e2e/helpers/workload.py"

CG2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$CG2" ] || ! command -v runc >/dev/null || [ ! -x /bin/busybox ]; then
	not_ok "needs a cgroup2 mount, runc and busybox-static (tools/deps.sh installs them)"
	finish
	exit 1
fi
TOP=sw-fleet-$$.slice
RUNC=(runc --root "$TMP/runc")
HOST=$TMP/host			# the agent's [agent] host_root
CTRS=()

fleet_cleanup() {
	local c h
	for c in "${CTRS[@]}"; do
		"${RUNC[@]}" kill "$c" KILL 2>/dev/null
		for _ in $(seq 50); do
			"${RUNC[@]}" state "$c" 2>/dev/null | grep -q '"status": "running"' || break
			sleep 0.1
		done
		"${RUNC[@]}" delete -f "$c" 2>/dev/null
	done
	[ -n "${UNIT_PID:-}" ] && kill "$UNIT_PID" 2>/dev/null
	[ -n "${SYSTEMD_UNIT:-}" ] && systemctl stop "$SYSTEMD_UNIT" 2>/dev/null
	sleep 0.2
	# every hierarchy (cgroup v1 controllers too, where runc made them)
	for h in /sys/fs/cgroup/*/"$TOP" /sys/fs/cgroup/"$TOP"; do
		[ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}
trap 'fleet_cleanup; _cleanup' EXIT

hex64() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# rootfs: static busybox and its applets, shared read-only by the bundles
ROOTFS=$TMP/rootfs
mkdir -p "$ROOTFS"/{bin,proc,dev,sys,tmp}
cp /bin/busybox "$ROOTFS/bin/"
for a in sh nc sleep cat; do ln -s busybox "$ROOTFS/bin/$a"; done

# bundle DIR NAME CGROUPS_PATH SCRIPT [ANNOTATIONS_JSON]: an OCI bundle in
# DIR (host network namespace, so that loopback is the test's).
bundle() {
	local dir=$1 cg=$3 script=$4 ann=${5:-'{}'}
	mkdir -p "$dir"
	(cd "$dir" && runc spec) || return 1
	jq --arg root "$ROOTFS" --arg cg "$cg" --arg s "$script" --argjson ann "$ann" '
		.process.terminal = false | .process.args = ["/bin/sh", "-c", $s] |
		.root = { path: $root, readonly: true } | .hostname = "sw-fleet" |
		.linux.namespaces = [.linux.namespaces[] | select(.type != "network")] |
		.linux.cgroupsPath = $cg | .annotations = $ann' \
		"$dir/config.json" > "$dir/config.tmp" && mv "$dir/config.tmp" "$dir/config.json"
}

# run_ctr NAME DIR: runc run in the background, remembered for clean-up.
# The make test-kernels guest's root is an initramfs, which pivot_root
# cannot leave: there runc jails the container as runc documents for a
# ramdisk root (--no-pivot); namespaces and cgroups are the same.
run_ctr() {
	CTRS+=("$1")
	spawn "${RUNC[@]}" run ${SW_E2E_GUEST:+--no-pivot} --bundle "$2" "$1"
}

# A server and a client of it in one container, both held open.
script_for() {
	# stdin a pipe that stays open: nc closes the connection at EOF
	echo "sleep 600 | nc -l -p $1 > /dev/null & sleep 0.3; sleep 600 | nc 127.0.0.1 $1; sleep 600"
}

CONF=$TMP/agent.conf
cat > "$CONF" <<EOF
[http]
top_k = 50

[agent]
host_root = $HOST
ring_buffer_kb = 16384
EOF

if ! start_agent agent --config "$CONF"; then
	not_ok "agent did not get ready"
	finish
	exit 1
fi
AGENT=$AG
ok "agent ready"

# ---- 1. Kubernetes + containerd, systemd driver, burstable ----
K_ID=$(hex64)
K_UID=$(cat /proc/sys/kernel/random/uuid)
K_PORT=$(free_port)
K_CG="/$TOP/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${K_UID//-/_}.slice/cri-containerd-$K_ID.scope"
# where containerd's shim keeps the bundle, with the CRI annotations
K_DIR=$HOST/run/containerd/io.containerd.runtime.v2.task/k8s.io/$K_ID
bundle "$K_DIR" k "$K_CG" "$(script_for "$K_PORT")" \
	'{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"web","io.kubernetes.cri.sandbox-name":"web-7d4b9","io.kubernetes.cri.sandbox-namespace":"shop"}' ||
	not_ok "bundle for the containerd container"

# trace, filtered to the pod, from before the container starts
spawn "$SW" trace --json --pod-uid "$K_UID" > "$TMP/trace.json" 2> "$TMP/trace.err"
TRACE=$LAST_PID
spawn "$SW" trace --workload --port "$K_PORT" > "$TMP/trace.txt" 2> "$TMP/trace.txt.err"
TRACE_TXT=$LAST_PID
wait_for 20 grep -q tracing "$TMP/trace.err" && wait_for 20 grep -q tracing "$TMP/trace.txt.err" ||
	not_ok "trace did not start"

run_ctr "k-$$" "$K_DIR"
k_socks() {
	status_is 200 "/api/v1/sockets?container=$K_ID" &&
		jq -e '[.sockets[] | select(.state == "ESTABLISHED")] | length >= 2' "$TMP/body" >/dev/null
}
check "containerd container: its connection (both ends) in /api/v1/sockets?container=ID" wait_for 20 k_socks
cp "$TMP/body" "$TMP/k.json"
jq -c '.sockets[0] | {comm, lport, rport, state, cgroup, unit, container_id, container_runtime, pod_uid, qos_class, container_name, pod_name, namespace}' "$TMP/k.json" |
	sed 's/^/    /'
check "...every one names container id, runtime containerd, pod uid and QoS burstable" \
	jqt --arg id "$K_ID" --arg uid "$K_UID" '.count >= 2 and all(.sockets[];
		.container_id == $id and .container_runtime == "containerd" and
		.pod_uid == $uid and .qos_class == "burstable" and .comm == "nc")' "$TMP/k.json"
check "...the unit is the container's scope, the cgroup its path" \
	jqt --arg id "$K_ID" --arg cg "$K_CG" '.count > 0 and all(.sockets[]; .unit == "cri-containerd-\($id).scope" and .cgroup == $cg)' "$TMP/k.json"
check "...and container, pod and namespace names come from containerd's bundle on the node" \
	jqt '.count > 0 and all(.sockets[]; .container_name == "web" and .pod_name == "web-7d4b9" and .namespace == "shop")' "$TMP/k.json"
# The connection's two ends stay for the container's life; its listener
# goes once nc has accepted, maybe between two queries on a busy machine:
# the filters are compared on the connection's sockets.
EST='[.sockets[] | select(.state == "ESTABLISHED") | .sock] | sort'
K_EST=$(jq -c "$EST" "$TMP/k.json")
check "pod_uid= selects the same sockets" \
	json_is 200 "/api/v1/sockets?pod_uid=$K_UID" "$EST == $K_EST"
check "...also written as the kubelet's systemd driver writes it (underscores)" \
	json_is 200 "/api/v1/sockets?pod_uid=${K_UID//-/_}" "$EST == $K_EST"
check "container= takes a 12-digit id prefix and the container name" \
	json_is 200 "/api/v1/sockets?container=${K_ID:0:12}" "$EST == $K_EST"
check "...and the name" json_is 200 "/api/v1/sockets?container=web" \
	"($EST) as \$est | $K_EST - \$est == []"
check "/api/v1/processes?pod_uid=: the container's processes, with identity" \
	json_is 200 "/api/v1/processes?pod_uid=$K_UID" \
	'.processes | length >= 1 and all(.[]; .comm == "nc" and .qos_class == "burstable" and .container_runtime == "containerd")'
check "a bad filter value is a 400 naming it" error_is 400 "/api/v1/sockets?pod_uid=a%0Ab"

# ---- 2. kubelet cgroupfs driver, besteffort, no metadata on the node ----
F_ID=$(hex64)
F_UID=$(cat /proc/sys/kernel/random/uuid)
F_PORT=$(free_port)
F_CG="/$TOP/kubepods/besteffort/pod$F_UID/$F_ID"
bundle "$TMP/f" f "$F_CG" "$(script_for "$F_PORT")" || not_ok "bundle for the cgroupfs container"
run_ctr "f-$$" "$TMP/f"
f_socks() { json_is 200 "/api/v1/sockets?container=$F_ID" '.count >= 2'; }
check "cgroupfs-driver container: found by id" wait_for 20 f_socks
check "...pod uid and QoS besteffort from kubepods/besteffort/pod<uid>; no runtime in such a path" \
	jqt --arg uid "$F_UID" '.count > 0 and all(.sockets[]; .pod_uid == $uid and .qos_class == "besteffort" and .container_runtime == null and .unit == null)' "$TMP/body"

# ---- 3. docker, systemd driver ----
D_ID=$(hex64)
D_PORT=$(free_port)
D_CG="/$TOP/system.slice/docker-$D_ID.scope"
mkdir -p "$HOST/var/lib/docker/containers/$D_ID"
echo '{"ID":"'"$D_ID"'","Name":"/sw-cache","Config":{"Labels":{}}}' > "$HOST/var/lib/docker/containers/$D_ID/config.v2.json"
bundle "$TMP/d" d "$D_CG" "$(script_for "$D_PORT")" || not_ok "bundle for the docker container"
run_ctr "d-$$" "$TMP/d"
d_socks() { json_is 200 "/api/v1/sockets?container=$D_ID" '.count >= 2'; }
check "docker container: found by id" wait_for 20 d_socks
check "...runtime docker, unit docker-<id>.scope, no pod, the name from docker's config.v2.json" \
	jqt --arg id "$D_ID" '.count > 0 and all(.sockets[]; .container_runtime == "docker" and .unit == "docker-\($id).scope" and .pod_uid == null and .qos_class == null and .container_name == "sw-cache")' "$TMP/body"

# ---- 4. a process in a transient systemd unit ----
U_PORT=$(free_port)
if [ "$(ps -p 1 -o comm=)" = systemd ]; then
	SYSTEMD_UNIT=sw-fleet-$$.service
	systemd-run --quiet --collect --unit="$SYSTEMD_UNIT" python3 "$PWD/tests/e2e/helpers/workload.py" hold "$U_PORT" ||
		not_ok "systemd-run"
	echo "    systemd is PID 1: systemd-run --unit=$SYSTEMD_UNIT"
else
	# no systemd here: the cgroup systemd would make for the unit
	SYSTEMD_UNIT=
	U_NAME=sw-fleet-hold-$$.service
	mkdir -p "$CG2/$TOP/system.slice/$U_NAME"
	echo "    PID 1 is $(ps -p 1 -o comm=), not systemd: a cgroup $TOP/system.slice/$U_NAME"
	spawn sh -c 'echo $$ > "$1/cgroup.procs" && exec python3 tests/e2e/helpers/workload.py hold "$2"' \
		sh "$CG2/$TOP/system.slice/$U_NAME" "$U_PORT" > /dev/null
	UNIT_PID=$LAST_PID
fi
UNIT=${SYSTEMD_UNIT:-$U_NAME}
u_socks() { json_is 200 "/api/v1/sockets?unit=$UNIT" ".count >= 1 and all(.sockets[]; .lport == $U_PORT and .state == \"LISTEN\")"; }
check "unit=$UNIT: its listener, and nothing else" wait_for 20 u_socks
check "...no container, no pod" jqt '.count > 0 and all(.sockets[]; .container_id == null and .pod_uid == null)' "$TMP/body"

# ---- metrics: one series per workload, bounded ----
curl -sf -m 5 "$BASE/metrics" > "$TMP/metrics"
series() { grep -E "^sockwatch_workload_sockets\{" "$TMP/metrics" | grep -F "$1"; }
check "sockwatch_workload_sockets: the containerd pod's series with its labels" \
	bash -c "grep -E '^sockwatch_workload_sockets\{' '$TMP/metrics' | grep -F 'container_id=\"$K_ID\"' | grep -F 'pod_uid=\"$K_UID\"' | grep -F 'qos_class=\"burstable\"' | grep -qF 'container_runtime=\"containerd\"'"
series "container_id=\"$K_ID\"" | sed 's/^/    /'
check "...the docker container's and the unit's" \
	bash -c "grep -E '^sockwatch_workload_sockets\{' '$TMP/metrics' | grep -qF 'container_id=\"$D_ID\"' &&
		 grep -E '^sockwatch_workload_sockets\{' '$TMP/metrics' | grep -qF 'unit=\"$UNIT\"'"
promtool check metrics < "$TMP/metrics" > "$TMP/promtool.out" 2>&1
check "promtool check metrics: exit 0, no output" test $? -eq 0 -a ! -s "$TMP/promtool.out"
sed 's/^/    promtool: /' "$TMP/promtool.out"
# deploy/README.md's join with kube-state-metrics, on this very series:
# its PromQL (taken from the README) must name the pod kube_pod_info names
JOIN=$(awk '/^```promql/ { on = 1; next } on && /^```/ { exit } on && !/^#/' deploy/README.md |
	sed 's/sockwatch_workload_close_wait_sockets/sockwatch_workload_sockets/')
SERIES=$(grep -E '^sockwatch_workload_sockets\{' "$TMP/metrics" | grep -F "pod_uid=\"$K_UID\"" | head -1 | sed 's/ [0-9.e+]*$//')
mkdir -p "$TMP/ksm"
{
	echo 'rule_files: [rules.yml]'
	echo 'tests:'
	echo '  - interval: 1m'
	echo '    input_series:'
	printf "      - series: '%s'\n        values: '2x3'\n" "$SERIES"
	printf "      - series: 'kube_pod_info{namespace=\"shop\",pod=\"web-7d4b9\",uid=\"%s\",node=\"n1\"}'\n        values: '1x3'\n" "$K_UID"
	echo '    promql_expr_test:'
	echo '      - expr: sw:join'
	echo '        eval_time: 2m'
	echo '        exp_samples:'
	echo "          - labels: 'sw:join{namespace=\"shop\",pod=\"web-7d4b9\"}'"
	echo '            value: 2'
} > "$TMP/ksm/test.yml"
{ echo 'groups:'; echo '  - name: j'; echo '    rules:'; echo '      - record: sw:join'; echo '        expr: |'
  sed 's/^/          /' <<<"$JOIN"; } > "$TMP/ksm/rules.yml"
check "deploy/README's pod_uid join with kube_pod_info names the pod (promtool test rules)" \
	bash -c "cd '$TMP/ksm' && promtool test rules test.yml"

# top_k = 2: at most 2 series and one "other" per family
kill -0 "$AGENT" && sed -i 's/^top_k = 50/top_k = 2/' "$CONF" && kill -HUP "$AGENT"
reloaded() { grep -q 'configuration reloaded' "$TMP/agent.err"; }
wait_for 30 reloaded || { not_ok "reload"; tail -5 "$TMP/agent.err"; }
curl -sf -m 5 "$BASE/metrics" > "$TMP/metrics2"
n_series=$(grep -cE '^sockwatch_workload_sockets\{' "$TMP/metrics2")
check "top_k = 2: $n_series series of sockwatch_workload_sockets (2 + other)" test "$n_series" -eq 3
check "...the rest summed under workload=\"other\"" grep -qE '^sockwatch_workload_sockets\{workload="other"' "$TMP/metrics2"

# ---- trace ----
stop "$TRACE"
stop "$TRACE_TXT"
check "trace --pod-uid: the pod's listen event with its identity" \
	jqt -s --arg uid "$K_UID" --arg id "$K_ID" --argjson p "$K_PORT" 'any(.[]; .event == "listen" and .lport == $p and .pod_uid == $uid and .container_id == $id and .container_runtime == "containerd" and .qos_class == "burstable")' "$TMP/trace.json"
check "...and only the pod's events" jqt -s --arg uid "$K_UID" 'length > 0 and all(.[]; .pod_uid == $uid)' "$TMP/trace.json"
grep -m1 '"event":"listen"' "$TMP/trace.json" | sed 's/^/    /'
check "trace --workload: the column names runtime and short id" \
	grep -qE "^.* listen .*containerd:${K_ID:0:12}\$" "$TMP/trace.txt"
head -1 "$TMP/trace.txt" | sed 's/^/    /'
grep -E " (listen|connect|accept) " "$TMP/trace.txt" | head -3 | sed 's/^/    /'

# ---- a container that is gone ----
"${RUNC[@]}" kill "f-$$" KILL 2>/dev/null
f_gone() { json_is 200 "/api/v1/sockets?container=$F_ID" '.count == 0'; }
check "a killed container's sockets leave the table" wait_for 20 f_gone

check "agent still running" kill -0 "$AGENT"
stop "$AGENT"
check "agent exits 0 on SIGTERM" test $? -eq 0
finish
