#!/usr/bin/env bash
# Install the Debian packages sockwatch needs to build, test and benchmark,
# but only those missing, so that a machine set up once is not touched again.
set -euo pipefail

pkgs=(
	clang llvm bpftool libbpf-dev libelf-dev zlib1g-dev pkg-config make
	libcmocka-dev libmicrohttpd-dev libinih-dev libjansson-dev
	libtree-sitter-dev
	libncurses-dev
	libcurl4-gnutls-dev
	tmux
	iproute2 jq curl prometheus procps
	runc busybox-static
	libyaml-dev libcrypt-dev
	prometheus-alertmanager
	libclang-rt-dev
	libgnutls28-dev
	openssl
	qemu-system-x86 debootstrap cpio
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
# The machine image may carry its own Node.js; Debian's npm only when none is there.
command -v npm >/dev/null 2>&1 || missing+=(npm)
# The end-to-end tests drive sockets from python3 scripts (standard library).
command -v python3 >/dev/null 2>&1 || missing+=(python3)

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq -o DPkg::Lock::Timeout=600
	apt-get install -o DPkg::Lock::Timeout=600 -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Grammar sources for sockscan come from the npm registry, pinned and checked.
here=$(cd "$(dirname "$0")" && pwd)
if [ -x "$here/sockscan/fetch-grammars.sh" ]; then
	"$here/sockscan/fetch-grammars.sh"
fi
