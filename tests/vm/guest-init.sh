#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 on the host root inside the VM (see tests/vm/run.sh): finish the
# environment, run the command, check the kernel log, report the status on
# ttyS1 and power off.

set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp TERM=dumb LC_ALL=C
# shellcheck source=/dev/null
. /run/vpcsnat-vm/vm.conf

report() {
	echo 4 >/proc/sys/kernel/printk
	echo "VPCSNAT-VM-EXIT $1" >/dev/ttyS1
	sync
	busybox reboot -f
	sleep 30
	echo b >/proc/sysrq-trigger
}

mkdir -p /dev/pts /dev/shm /var/lib/nginx /var/log/nginx /var/tmp
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
ln -sf /run /var/run 2>/dev/null
hostname vpcsnat-vm 2>/dev/null || busybox hostname vpcsnat-vm
ip link set lo up
# Warnings and worse reach the console; boot chatter does not.
[ "$VERBOSE" = 1 ] || echo 5 >/proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/panic_on_oops
kmemleak=/sys/kernel/debug/kmemleak
[ ! -w "$kmemleak" ] || echo clear >"$kmemleak"

if [ "$VERBOSE" = 1 ]; then
	echo "vm: $(uname -r), up $(cut -d' ' -f1 /proc/uptime) s, running: $(tail -n 1 /run/vpcsnat-vm/cmd)"
fi
dmesg_before=$(dmesg | wc -l)
bash /run/vpcsnat-vm/cmd </dev/null
rc=$?

# A WARN or oops already panicked (panic_on_warn, oops=panic); this catches
# what does not: lockdep, RCU and refcount splats printed as BUG or Call Trace.
splat=$(dmesg | tail -n +"$((dmesg_before + 1))" |
	grep -E 'WARNING:|BUG:|Oops|Call Trace|UBSAN:|KASAN:|possible circular locking|suspicious RCU usage' |
	head -n 5)
if [ -n "$splat" ]; then
	echo "FAIL: vm: kernel log has a splat after the command:"
	printf '%s\n' "$splat" | sed 's/^/    /'
	dmesg | tail -n +"$((dmesg_before + 1))" | tail -n 60
	[ "$rc" != 0 ] || rc=1
fi
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(grep -c '^unreferenced object' "$kmemleak")
	if [ "$leaks" != 0 ]; then
		echo "FAIL: vm: kmemleak reports $leaks unreferenced objects"
		head -n 60 "$kmemleak"
		[ "$rc" != 0 ] || rc=1
	fi
fi
report "$rc"
