#!/bin/sh
# /init of the test guest (tools/kernels/kernels.sh): mount what the
# agent and the tests need, print `sockwatch status`, run the end-to-end
# suite (sw.e2e= on the command line: comma-separated tests, or all), and
# power off. Everything goes to the serial console, which the host logs.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8
# an emulated CPU on a shared host: every deadline of the suite, longer
export E2E_TIME_SCALE=${E2E_TIME_SCALE:-6}
# tests that cannot run here say why and skip (skip_in_guest in lib.sh)
export SW_E2E_GUEST=1

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
# what udev would make: bash's <(...) needs /dev/fd
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
ip link set lo up
hostname sw-guest
# what an installed system has: the health check's DNS probe resolves these
printf '127.0.0.1\tlocalhost sw-guest\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
# what the kernel package's postinst would have done: modprobe (veth, and
# the sock_diag modules the kernel asks for) needs modules.dep
depmod -a
modprobe veth

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"; }

cd /sockwatch || exit 1
echo "=== kernel $(uname -r) ($(arg sw.kernel))"
echo "=== sockwatch status"
build/sockwatch status
echo "=== end of status"
tests=$(arg sw.e2e | tr ',' ' ')
E2E=$tests bash tests/e2e/run.sh </dev/null
echo "SW-E2E-DONE rc=$?"
sync
echo o >/proc/sysrq-trigger
sleep 10
