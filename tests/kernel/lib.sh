# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the scripts that run INSIDE the debug-kernel VM (see run.sh).

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=tests/vm/lib.sh
. "$repo/tests/vm/lib.sh"	# wait_for
out=${VPCSNAT_KOUT:-$here/out}
ko=$out/vpcsnat.ko
test_ko=$out/vpcsnat_test.ko
snatctl=$repo/userspace/snatctl
udpprobe=$out/udpprobe
nlfuzz=$out/nlfuzz
kmemleak=/sys/kernel/debug/kmemleak
failed=0

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; failed=1; }
skip() { echo "SKIP: $*"; }
note() { echo "    $*"; }

# A marker in the kernel log; splats_since reads what follows it.
mark() {
	echo "vpcsnat-test: begin $1" >/dev/kmsg
}

splats_since() {
	dmesg | sed -n "/vpcsnat-test: begin $1\$/,\$p" |
		grep -E 'BUG:|WARNING:|KASAN|Call Trace|circular locking|suspicious RCU|UBSAN|ODEBUG|list_(add|del) corruption|refcount_t:|kernel BUG|Oops' |
		head -n 8
}

# check_clean NAME WHAT: a PASS or FAIL line for the kernel log since mark NAME.
check_clean() {
	local s
	s=$(splats_since "$1")
	if [ -z "$s" ]; then
		pass "$2: no KASAN, lockdep, RCU or WARN splat"
	else
		fail "$2: kernel splat:"
		printf '%s\n' "$s" | sed 's/^/    /'
		dmesg | sed -n "/vpcsnat-test: begin $1\$/,\$p" | grep -A30 -m1 -E 'BUG:|WARNING:|KASAN' | sed 's/^/    /'
	fi
}

kmemleak_clear() {
	[ -w "$kmemleak" ] && echo clear >"$kmemleak"
}

# check_leaks WHAT: scan twice (objects must be old enough), one line.
check_leaks() {
	local n
	if [ ! -w "$kmemleak" ]; then
		skip "$1: kmemleak not available"
		return
	fi
	echo scan >"$kmemleak"
	sleep 6
	echo scan >"$kmemleak"
	n=$(grep -c '^unreferenced object' "$kmemleak")
	if [ "$n" = 0 ]; then
		pass "$1: kmemleak finds no leak"
	else
		fail "$1: kmemleak reports $n unreferenced objects"
		head -n 40 "$kmemleak" | sed 's/^/    /'
	fi
	echo clear >"$kmemleak"
}

load_vpcsnat() {
	[ -e /sys/module/vpcsnat ] && return 0
	modprobe -q nf_nat 2>/dev/null	# a stock kernel; built in on the debug one
	insmod "$ko"
}

unload_all() {
	[ ! -e /sys/module/vpcsnat_test ] || rmmod vpcsnat_test
	[ ! -e /sys/module/vpcsnat ] || rmmod vpcsnat
}

ctl() { # NETNS ARGS...: snatctl in that netns
	local ns=$1
	shift
	ip netns exec "$ns" "$snatctl" "$@"
}

# veth NS1 IF1 NS2 IF2: a veth pair between two netns, both ends up.
veth() {
	local tmp1=vt$RANDOM$RANDOM tmp2=vt$RANDOM$RANDOM
	ip link add "$tmp1" type veth peer name "$tmp2"
	ip link set "$tmp1" netns "$1"
	ip link set "$tmp2" netns "$3"
	ip -n "$1" link set "$tmp1" name "$2"
	ip -n "$3" link set "$tmp2" name "$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

netns_new() {
	ip netns add "$1"
	ip -n "$1" link set lo up
}
