#!/usr/bin/env bash
# Install what the benchmarks need beyond the build's own dependencies
# (tools/deps.sh): Debian's libbpf-tools for the tcpstates and tcplife
# contenders, and the small tools the harness calls. Installs only what is
# missing, so a machine set up once is not touched again.
set -euo pipefail

declare -A need=(
	[/usr/sbin/tcpstates]=libbpf-tools
	[/usr/sbin/tcplife]=libbpf-tools
	[/usr/sbin/bpftool]=bpftool
	[/usr/bin/jq]=jq
	[/usr/bin/curl]=curl
	[/usr/bin/bc]=bc
	[/usr/bin/stdbuf]=coreutils
	[/usr/bin/flock]=util-linux
	[/usr/share/go/src/net/net.go]=golang-src	# sockscan's throughput corpus
)

missing=()
for f in "${!need[@]}"; do
	[ -e "$f" ] || missing+=("${need[$f]}")
done
[ ${#missing[@]} -gt 0 ] || exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
	echo "bench setup: missing ${missing[*]} (run as root to install them)" >&2
	exit 1
fi
echo "bench setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
