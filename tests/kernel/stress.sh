#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM: traffic from three pods (every probe a new
# UDP conntrack) while the table is replaced REPLACES times (default 600),
# external SNAT, enable and snat-ip flip, and netns come and go; then rmmod
# mid-traffic and insmod again. Topology: topo.sh.
#
# What must hold: 10.0.9.1 (vpc in every table) is never translated, the
# other servers see the pod or one of the snat-ips in force, each quiet
# phase gives exactly the expected answers, and the kernel log stays clean
# and kmemleak finds nothing.

set -u
# shellcheck source=tests/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/kernel/topo.sh
. "$(dirname "$0")/topo.sh"
require_tools awk
replaces=${REPLACES:-600}
budget=${STRESS_SECONDS:-600}	# the churn phase stops by itself after this
make_tmp vpcsnat-stress

mark stress
load_vpcsnat || { fail "stress: insmod vpcsnat.ko"; exit 1; }
kmemleak_clear
topo_up

# Two tables, both with 10.0.0.0/16 vpc and 10.0.9.2/32 snat, otherwise different.
mktable() { # FILE EXTRA
	{
		echo "10.0.0.0/16 vpc"
		echo "10.0.9.2/32 snat"
		for i in $(seq 1 "$2"); do
			echo "100.$((64 + i / 256)).$((i % 256)).0/24 exclude"
		done
	} >"$1"
}
mktable "$tmp/a" 40
mktable "$tmp/b" 90

configure() { # SNAT_IP TABLE
	ctl "$node" set snat-ip "$1" >/dev/null &&
		ctl "$node" set external-snat off >/dev/null &&
		ctl "$node" cidr replace -f "$2" >/dev/null &&
		ctl "$node" enable >/dev/null
}

configure 192.0.2.2 "$tmp/a" || { fail "stress: cannot configure the node"; exit 1; }
expect_exact "stress: before the churn (snat-ip 192.0.2.2)" pod 192.0.2.2 192.0.2.2 5

# start_probers TAG, stop_probers TAG: the latter stops them and gathers
# $tmp/TAG.POD, lines "DST reply ADDR" or "DST noreply".
start_probers() {
	local p d
	for p in $pods; do
		for d in $dsts; do
			UDPPROBE_GAP_MS=20 ip netns exec "${!p}" "$udpprobe" probe "$d" 7777 100000000 2000 >"$tmp/$1.$p.$d" &
			echo $! >>"$tmp/$1.pids"
		done
	done
}

stop_probers() {
	local p d
	# shellcheck disable=SC2046
	kill $(cat "$tmp/$1.pids") 2>/dev/null
	# shellcheck disable=SC2046
	wait $(cat "$tmp/$1.pids") 2>/dev/null
	rm -f "$tmp/$1.pids"
	for p in $pods; do
		for d in $dsts; do
			sed "s|^|$d |" "$tmp/$1.$p.$d"
		done >"$tmp/$1.$p"
	done
}

#
# The churn: everything at once, the replacer sets the pace.
#
start=$SECONDS
(
	# Mostly from one process (nlfuzz replace), every 50th through snatctl.
	n=0
	while [ "$n" -lt "$replaces" ] && [ $((SECONDS - start)) -lt "$budget" ]; do
		k=$((replaces - n < 50 ? replaces - n : 50))
		if ip netns exec "$node" "$nlfuzz" replace "$tmp/a" "$tmp/b" "$k" >/dev/null; then
			n=$((n + k))
		else
			echo "nlfuzz replace failed after $n" >>"$tmp/errors"
		fi
		[ "$n" -lt "$replaces" ] || break
		if ctl "$node" cidr replace -f "$tmp/$([ $((n % 100)) = 0 ] && echo b || echo a)" >/dev/null; then
			n=$((n + 1))
			echo x >>"$tmp/by-snatctl"
		else
			echo "snatctl replace failed after $n" >>"$tmp/errors"
		fi
	done
	echo "$n" >"$tmp/replaced"
) &
replacer=$!
churn=$replacer
# alongside NAME STEP: STEP 1, STEP 2, ... every half second while the
# replacer runs, in the background; the count goes to $tmp/NAME, each step
# that fails to $tmp/errors.
alongside() {
	(
		i=0
		while kill -0 "$replacer" 2>/dev/null; do
			i=$((i + 1))
			"$2" "$i" >/dev/null || echo "$1 $i failed" >>"$tmp/errors"
			sleep 0.5
		done
		echo "$i" >"$tmp/$1"
	) &
	churn="$churn $!"
}
toggle() {
	case $(($1 % 4)) in
	0) ctl "$node" set external-snat on ;;
	1) ctl "$node" set external-snat off ;;
	2) ctl "$node" disable ;;
	3) ctl "$node" enable ;;
	esac
}
flip() {
	ctl "$node" set snat-ip "192.0.2.$((2 + $1 % 2))"
}
netns_churn() { # a netns that enables vpcsnat, sees a connection, goes
	local ns rc
	netns_new ns "churn$1"
	ctl "$ns" cidr add 10.0.0.0/8 && ctl "$ns" enable
	rc=$?
	ip netns exec "$ns" "$udpprobe" probe 127.0.0.1 7777 1 10
	netns_destroy "$ns"
	return "$rc"
}
alongside toggled toggle
alongside flipped flip
alongside netns netns_churn
# One long-lived prober per pod and server: every probe a new socket.
start_probers traffic
# shellcheck disable=SC2086
wait $churn
stop_probers traffic

# judge TAG FILES...: lines "DST reply ADDR" / "DST noreply"; allowed addresses
# per destination: 10.0.9.1 only the pod; the others the pod or a snat-ip.
judge() {
	local tag=$1 p file bad=0 total=0 noreply=0 t nr b
	shift
	for p in $pods; do
		file=$tmp/$tag.$p
		[ -s "$file" ] || continue
		t=$(wc -l <"$file")
		nr=$(grep -c noreply "$file")
		b=$(awk -v pod="$(pod_ip "$p")" -v snat="$*" '
			$2 != "reply" { next }
			$1 == "10.0.9.1" && $3 != pod { print; next }
			$1 != "10.0.9.1" && $3 != pod && index(" " snat " ", " " $3 " ") == 0 { print }
		' "$file")
		total=$((total + t))
		noreply=$((noreply + nr))
		if [ -n "$b" ]; then
			bad=1
			note "$p: wrong answers: $(echo "$b" | sort | uniq -c | head -n 5 | tr -s ' ' | tr '\n' ';')"
		fi
	done
	echo "$total $noreply $bad"
}

read -r total noreply bad < <(judge traffic 192.0.2.2 192.0.2.3)
summary="$(cat "$tmp/replaced" 2>/dev/null || echo 0) replaces ($(wc -l <"$tmp/by-snatctl" 2>/dev/null || echo 0) by snatctl), $(cat "$tmp/toggled" 2>/dev/null || echo 0) toggles, $(cat "$tmp/flipped" 2>/dev/null || echo 0) snat-ip flips, $(cat "$tmp/netns" 2>/dev/null || echo 0) netns created and destroyed, $total probes ($noreply without reply) in $((SECONDS - start)) s"
if [ "$bad" = 0 ] && [ "$total" -gt 0 ] && [ $((noreply * 10)) -le "$total" ] && [ ! -s "$tmp/errors" ]; then
	pass "stress: churn: $summary; 10.0.9.1 never translated, others only the pod or a snat-ip"
else
	fail "stress: churn: $summary"
	[ ! -s "$tmp/errors" ] || note "errors: $(head -n 5 "$tmp/errors" | tr '\n' ';')"
	judge traffic 192.0.2.2 192.0.2.3 >/dev/null
fi
[ "$(cat "$tmp/replaced" 2>/dev/null)" = "$replaces" ] ||
	note "the churn stopped at its time budget ($budget s) before $replaces replaces"

configure 192.0.2.3 "$tmp/b" || fail "stress: cannot configure the node after the churn"
expect_exact "stress: after the churn (snat-ip 192.0.2.3)" pod 192.0.2.3 192.0.2.3 5

#
# rmmod while the pods send, insmod again.
#
# probed N: every prober has printed at least N lines
probed() {
	local f
	for f in "$tmp"/traffic.pod*.*; do
		[ "$(wc -l <"$f")" -ge "$1" ] || return 1
	done
}
# Each phase (loaded, unloaded, loaded again) lasts until every pod has
# probed every server 100 more times.
rm -f "$tmp"/traffic.*
start_probers traffic
wait_for 120 probed 100 || note "the probers were slow before rmmod"
rmmod_rc=0
rmmod vpcsnat || rmmod_rc=$?
wait_for 120 probed 200 || note "the probers were slow with the module out"
insmod_rc=0
insmod "$ko" || insmod_rc=$?
configure 192.0.2.2 "$tmp/a" || insmod_rc=1
wait_for 120 probed 300 || note "the probers were slow after insmod"
stop_probers traffic
read -r total noreply bad < <(judge traffic 192.0.2.2 192.0.2.3)
if [ "$rmmod_rc" = 0 ] && [ "$insmod_rc" = 0 ] && [ "$bad" = 0 ] && [ "$total" -gt 0 ]; then
	pass "stress: rmmod mid-traffic and insmod again: $total probes ($noreply without reply), no wrong answer"
else
	fail "stress: rmmod mid-traffic (rmmod $rmmod_rc, insmod $insmod_rc): $total probes, $noreply without reply, wrong answers: $bad"
fi
expect_exact "stress: after insmod again (snat-ip 192.0.2.2)" pod 192.0.2.2 192.0.2.2 5

ctl "$node" disable >/dev/null
topo_down
unload_vpcsnat
check_clean stress "stress"
check_leaks "stress"
finish
