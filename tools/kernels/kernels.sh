#!/usr/bin/env bash
# Run the end-to-end suite on Debian's own kernels under qemu (TCG).
#
#   tools/kernels/kernels.sh [KERNEL...]     (default: 5.10 6.1)
#
# For each pinned kernel below: fetch its Debian package with apt-get
# download (through a private apt configuration under build/kernels/apt:
# the system's sources are never touched), boot it under
# qemu-system-x86_64 with a Debian root filesystem (debootstrap, cached)
# and the project's build as the initramfs, run `sockwatch status` and the
# end-to-end suite inside, and print one pass/fail line per kernel.
#
# Environment: E2E (tests to run, as for `make e2e`), KERNEL_TIMEOUT
# (seconds per kernel, default 1800 with E2E, 7200 for the whole suite,
# which takes about an hour under TCG), KERNEL_SMP (default 2), KERNEL_MEM
# (MiB, default 3072), KERNEL_CPU (qemu -cpu, default max), KERNEL_APPEND
# (kernel arguments in place of `quiet loglevel=5`, e.g. `loglevel=7` to
# see every message on the console), HANG_REPORTS (soft lockups reported
# with no test output between them before a guest is called hung and
# stopped, default 5), KERNEL_NICE (niceness of debootstrap and qemu,
# default 0: the guest's deadlines are scaled for an emulated CPU, not for
# one starved by the host's other work: beside two busy loops a guest at
# nice 10 got about 14 % of a CPU and one test ran 15 minutes, not 2;
# raise it to keep a guest from slowing what runs beside it).
#
# The cloud kernels carry no 9p and load virtio_blk as a module, so the
# whole tree (root filesystem, the kernel's modules, the project) is one
# uncompressed initramfs: nothing to mount, nothing to build in the guest.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${BUILD:-build}
W=$ROOT/$BUILD/kernels
SUITE=bookworm		# the root filesystem: the release the host builds on
MIRROR=http://deb.debian.org/debian

# Pinned kernels: name, suite, package, version. Debian's cloud flavour
# (what cloud images boot); no backports kernel lies between 5.10 and 6.1
# in the archive any more, 6.12 is bookworm-backports' newer one.
KERNELS_PINNED="
5.10 bullseye linux-image-5.10.0-32-cloud-amd64 5.10.223-1
6.1 bookworm linux-image-6.1.0-50-cloud-amd64 6.1.176-1
6.12 bookworm-backports linux-image-6.12.95+deb12-cloud-amd64 6.12.95-1~bpo12+1
"
# What the end-to-end tests run in the guest (tools/deps.sh, runtime
# half); the libraries the build links come from build_lib_pkgs. nodejs,
# node-js-yaml and systemd (systemd-analyze) are for deploy/check.sh, which
# fetches js-yaml from npm where there is a network and the guest has none.
ROOTFS_PKGS=python3,iproute2,jq,curl,bpftool,procps,prometheus,util-linux,kmod,ca-certificates,openssl,runc,busybox-static,prometheus-alertmanager,tmux,nodejs,node-js-yaml,systemd

KERNEL_TIMEOUT=${KERNEL_TIMEOUT:-$([ -n "${E2E:-}" ] && echo 1800 || echo 7200)}

die() { echo "test-kernels: $*" >&2; exit 2; }

check_tools() {
	local t missing=()
	for t in qemu-system-x86_64 debootstrap cpio apt-get dpkg-deb timeout; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	[ ${#missing[@]} -eq 0 ] ||
		die "missing ${missing[*]}: run tools/deps.sh as root (it installs qemu-system-x86, debootstrap, cpio)"
	[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, and the suite in the guest)"
	[ -x "$BUILD/sockwatch" ] || die "$BUILD/sockwatch is not built: run make first"
}

# apt-get with a private configuration: sources, lists and cache under
# build/kernels/apt; the host's dpkg status only answers "what is installed".
APT_DIR=$W/apt
apt_priv() {
	apt-get -o Dir::Etc="$APT_DIR/etc" \
		-o Dir::Etc::sourcelist="$APT_DIR/etc/sources.list" \
		-o Dir::Etc::sourceparts="$APT_DIR/etc/sources.list.d" \
		-o Dir::Etc::preferencesparts="$APT_DIR/etc/preferences.d" \
		-o Dir::State="$APT_DIR" -o Dir::State::Lists="$APT_DIR/lists" \
		-o Dir::Cache="$APT_DIR/cache" -o Dir::State::status=/var/lib/dpkg/status \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}

apt_setup() {
	local suites s
	suites=$(awk 'NF == 4 { print $2 }' <<<"$KERNELS_PINNED" | sort -u)
	mkdir -p "$APT_DIR"/{etc/sources.list.d,etc/preferences.d,lists/partial,cache/archives/partial}
	for s in $suites; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $s main"
	done > "$APT_DIR/etc/sources.list.new"
	if ! cmp -s "$APT_DIR/etc/sources.list.new" "$APT_DIR/etc/sources.list" ||
	   [ -z "$(find "$APT_DIR/lists" -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
		mv "$APT_DIR/etc/sources.list.new" "$APT_DIR/etc/sources.list"
		apt_priv -qq update >"$W/apt-update.log" 2>&1 ||
			die "apt-get update for $(echo $suites) failed (see $W/apt-update.log)"
	fi
}

# fetch NAME: the kernel's package, unpacked under build/kernels/NAME.
fetch_kernel() {
	local name=$1 line suite pkg ver dir deb
	line=$(awk -v n="$name" '$1 == n' <<<"$KERNELS_PINNED")
	[ -n "$line" ] || die "no pinned kernel '$name' (known: $(awk 'NF { printf "%s ", $1 }' <<<"$KERNELS_PINNED"))"
	read -r _ suite pkg ver <<<"$line"
	dir=$W/$name
	[ -f "$dir/.unpacked" ] && return 0
	mkdir -p "$dir/debs"
	deb=$(ls "$dir"/debs/"${pkg}"_*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		apt_setup
		(cd "$dir/debs" && apt_priv -qq download "$pkg=$ver") >"$dir/download.log" 2>&1 ||
			die "$pkg $ver is not in $suite at $MIRROR any more ($(tail -1 "$dir/download.log")): update the pin in tools/kernels/kernels.sh"
		deb=$(ls "$dir"/debs/"${pkg}"_*.deb | head -1)
	fi
	rm -rf "$dir/root"
	dpkg-deb -x "$deb" "$dir/root" || die "cannot unpack $deb"
	touch "$dir/.unpacked"
}

# The root filesystem, made once (debootstrap takes minutes) and kept as
# an uncompressed cpio archive.
ROOTFS=$W/rootfs
ROOTFS_CPIO=$W/rootfs.cpio
# The Debian packages of the shared libraries the build links (the guest
# runs the host's binaries: the tools and the unit test binaries some
# end-to-end tests run too, e.g. test_http --serve, which links cmocka),
# comma-separated.
build_lib_pkgs() {
	local l p
	for l in $(ldd "$BUILD"/sockwatch "$BUILD"/sockscan "$BUILD"/tools/* "$BUILD"/tests/test_* 2>/dev/null |
		   awk '/=> \// { print $3 }' | sort -u); do
		p=$(readlink -f "$l")
		dpkg -S "$p" 2>/dev/null || dpkg -S "${p#/usr}" 2>/dev/null || dpkg -S "$l" 2>/dev/null
	done | cut -d: -f1 | sort -u | paste -sd,
}

make_rootfs() {
	local stamp
	ROOTFS_PKGS=$ROOTFS_PKGS,$(build_lib_pkgs)
	stamp="$SUITE $ROOTFS_PKGS"
	if [ -f "$ROOTFS_CPIO" ] && [ "$(cat "$W/rootfs.stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	echo "test-kernels: building the $SUITE root filesystem (debootstrap, once)"
	rm -rf "$ROOTFS.tmp"
	nice -n "${KERNEL_NICE:-0}" debootstrap --variant=minbase --include="$ROOTFS_PKGS" \
		"$SUITE" "$ROOTFS.tmp" "$MIRROR" >"$W/debootstrap.log" 2>&1 ||
		die "debootstrap $SUITE failed (see $W/debootstrap.log)"
	# what the guest never reads: package caches, documentation
	rm -rf "$ROOTFS.tmp"/var/cache/apt/archives/*.deb "$ROOTFS.tmp"/var/lib/apt/lists/* \
		"$ROOTFS.tmp"/usr/share/{doc,man,info,locale}
	rm -rf "$ROOTFS" && mv "$ROOTFS.tmp" "$ROOTFS"
	(cd "$ROOTFS" && find . -xdev | cpio -o -H newc --quiet) >"$ROOTFS_CPIO.tmp" ||
		die "cannot archive the root filesystem"
	mv "$ROOTFS_CPIO.tmp" "$ROOTFS_CPIO"
	echo "$stamp" >"$W/rootfs.stamp"
}

# The project as the guest sees it: /sockwatch (sources as committed or
# staged, and the build's binaries) and /init.
make_project_cpio() {
	local stage=$W/project
	rm -rf "$stage" && mkdir -p "$stage/sockwatch/$BUILD"
	git ls-files -z --cached --others --exclude-standard |
		(cd "$ROOT" && cpio -0 -pdm --quiet "$stage/sockwatch") 2>/dev/null
	(cd "$ROOT/$BUILD" && find sockwatch sockscan tests tools -maxdepth 1 -type f -perm -u+x 2>/dev/null |
		cpio -pdm --quiet "$stage/sockwatch/$BUILD")
	install -m 0755 tools/kernels/init.sh "$stage/init"
	(cd "$stage" && find . | cpio -o -H newc --quiet) >"$W/project.cpio"
}

# guest_hung LOG: the guest's kernel has reported a soft lockup (a task
# that has not left the CPU for 20 s) HANG_REPORTS times (default 5,
# about two minutes) with no line from a test since: stuck for good, not
# a vCPU the busy host starved once. Under TCG one such hang would
# otherwise hold CI until KERNEL_TIMEOUT.
guest_hung() {
	tr -d '\r' 2>/dev/null <"$1" |
		awk -v max="${HANG_REPORTS:-5}" '/^(  |=== )/ { n = 0 } /BUG: soft lockup/ { n++ }
			END { exit !(n >= max) }'
}

# run NAME: boot the kernel, run the suite; prints the table row.
run_kernel() {
	local name=$1 dir=$W/$1 kver vmlinuz log start rc result st qemu hung
	kver=$(ls "$dir/root/lib/modules")
	vmlinuz=$dir/root/boot/vmlinuz-$kver
	log=$dir/console.log
	if [ ! -f "$dir/modules.cpio" ]; then
		(cd "$dir/root" && find lib/modules | cpio -o -H newc --quiet) >"$dir/modules.cpio"
	fi
	cat "$ROOTFS_CPIO" "$dir/modules.cpio" "$W/project.cpio" >"$dir/initrd.cpio"
	# never a result read from the last run's log
	rm -f "$log" "$dir/status.txt"
	start=$(date +%s)
	# -no-reboot: the guest's final sysrq power-off (or a panic) ends qemu;
	# timeout ends it if the guest hangs silently, guest_hung sooner if
	# its kernel says it is stuck. no_timer_check: an emulated CPU on a
	# busy host fails the boot-time IO-APIC timer check (a panic).
	# loglevel=5 after quiet lets a lockup's stacks reach the console.
	timeout --kill-after=10 "$KERNEL_TIMEOUT" \
		nice -n "${KERNEL_NICE:-0}" qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -cpu "${KERNEL_CPU:-max}" \
		-smp "${KERNEL_SMP:-2}" -m "${KERNEL_MEM:-3072}" \
		-kernel "$vmlinuz" -initrd "$dir/initrd.cpio" \
		-append "console=ttyS0 rdinit=/init panic=-1 ${KERNEL_APPEND:-quiet loglevel=5} softlockup_all_cpu_backtrace=1 no_timer_check sw.e2e=$(echo ${E2E:-} | tr ' ' ,) sw.kernel=$name" \
		-display none -monitor none -serial "file:$log" -nic none -no-reboot \
		</dev/null >"$dir/qemu.log" 2>&1 &
	qemu=$!
	hung=
	while kill -0 $qemu 2>/dev/null; do
		if guest_hung "$log"; then
			hung=$(grep -a -m 1 'BUG: soft lockup' "$log" | sed 's/.*\(stuck for\)/\1/' | tr -d '\r')
			kill $qemu
			break
		fi
		sleep 5
	done
	wait $qemu
	rc=$?
	rm -f "$dir/initrd.cpio"
	result=$(grep -a '^e2e: [0-9]* passed' "$log" | tail -1 | tr -d '\r')
	sed -n '/^=== sockwatch status/,/^=== end of status/p' "$log" | tr -d '\r' >"$dir/status.txt"
	st=$(grep -a 'attach plan (' "$dir/status.txt" | head -1 | sed 's/:$//')
	if [ -n "$hung" ]; then
		result="HUNG: soft lockup, $hung"
	elif [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		result="TIMEOUT after ${KERNEL_TIMEOUT}s${result:+ ($result)}"
	elif [ -z "$result" ]; then
		result="NO RESULT (qemu exit $rc; see $log)"
	fi
	printf '%-6s %-28s %-24s %-34s %5ss\n' "$name" "$kver" "${st:-no plan}" "$result" \
		"$(( $(date +%s) - start ))"
	# under the row, each failed test's own output (its checks, FAIL
	# lines and diagnostics, at most 120 lines): a CI log then says why
	# without the console log
	tr -d '\r' <"$log" | awk '/^=== [^ ]*$/ { t = $2; n = 0; delete out }
		/^  / && t != "" && n < 120 { out[n++] = $0 }
		/^=== .*: FAILED/ { print "       " t ":"; for (i = 0; i < n; i++) print "       " out[i] }
		/^failed: / { print "       " $0 }'
	# a hang: the test's last lines and the kernel's first report, stacks
	# included, so that the CI log says where it stuck
	[ -n "$hung" ] && tr -d '\r' <"$log" |
		awk '/^(  |=== )/ { last = $0 } /BUG: soft lockup|rcu: INFO/ && !n { print "       last test line: " last }
			/BUG: soft lockup|rcu: INFO/ { n++ } n && n <= 2 && c++ < 80 { print "       " $0 }'
	[ -z "$hung" ] && grep -aq '^SW-E2E-DONE rc=0' "$log"
}

main() {
	local k fails=0 rows=() kernels=("$@")
	[ ${#kernels[@]} -gt 0 ] || kernels=(5.10 6.1)
	check_tools
	mkdir -p "$W"
	for k in "${kernels[@]}"; do
		fetch_kernel "$k"
	done
	# one preparation at a time (two runs may share build/kernels)
	exec 9>"$W/.lock"
	flock 9
	make_rootfs
	make_project_cpio
	flock -u 9
	printf '%-6s %-28s %-24s %-34s %6s\n' kernel release "sockwatch status" "end-to-end suite" time
	for k in "${kernels[@]}"; do
		run_kernel "$k" || fails=$((fails + 1))
	done
	echo "(console logs: $W/KERNEL/console.log; status: $W/KERNEL/status.txt)"
	[ "$fails" -eq 0 ]
}

# one line, then exit: bash reads a script as it runs, and a run goes on
# for an hour, during which the file may be edited
main "$@"; exit
