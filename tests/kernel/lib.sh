# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the scripts that run INSIDE the debug-kernel VM (see run.sh):
# tests/vm/lib.sh, the vocabulary of every VM test (pass/fail/skip, netns,
# veth, cleanup...), plus what only the debug kernel has: markers in its
# log, kmemleak, and the modules and helpers run.sh built for it.

# shellcheck disable=SC2034 # for the scripts that source this
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/vm/lib.sh
. "$here/../vm/lib.sh"
out=${VPCSNAT_KOUT:-$here/out}
ko=$out/vpcsnat.ko
test_ko=$out/vpcsnat_test.ko
udpprobe=$out/udpprobe
nlfuzz=$out/nlfuzz
kmemleak=/sys/kernel/debug/kmemleak
require_root
require_tools ip insmod rmmod dmesg

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

ctl() { # NETNS ARGS...: snatctl in that netns
	local ns=$1
	shift
	ip netns exec "$ns" "$snatctl" "$@"
}
