#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside the debug-kernel VM: faults. Topology: topo.sh.
#  - auto mode: the node's address goes away under translated connections;
#    their conntrack entries are flushed (MASQUERADE's notifiers), the
#    untranslated ones stay.
#  - auto mode with no address to pick: dropped and counted as failed.
#  - no free source port: the NAT core hands back a clashing tuple;
#    vpcsnat drops the packet, counted as failed, before conntrack's
#    confirm would (insert_failed) and before an event names the port.
#  - conntrack table full: dropped by conntrack before NAT, nothing breaks.
#  - a table replace whose allocations fail one by one (fail-nth, with
#    failslab), in one message and in six (staged): the old table stays and
#    an error comes back, or the failure is absorbed and the new table is
#    in place; never anything in between. From nlfuzz, which arms fail-nth right before
#    it sends (snatctl makes too many allocations of its own before that).

# shellcheck disable=SC2154 # netns_new names $node, $pod1, $fault by reference
set -u
# shellcheck source=tests/kernel/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/kernel/topo.sh
. "$(dirname "$0")/topo.sh"
require_tools bc jq
make_tmp vpcsnat-faults

failed_ctr() { ctl "$node" -j status | jq -r .counters.failed; }
translated_ctr() { ctl "$node" -j status | jq -r .counters.translated; }
ct_stat() { # NAME: conntrack's statistic NAME in the node, summed over CPUs
	ip netns exec "$node" conntrack -S 2>/dev/null | grep -o "[[:space:]]$1=[0-9]*" | cut -d= -f2 | paste -sd+ | bc
}
ct_count() { # FILTER...: conntrack entries in the node matching
	ip netns exec "$node" conntrack -L "$@" 2>/dev/null | grep -c . || true
}

mark faults
load_vpcsnat || { fail "faults: insmod vpcsnat.ko"; exit 1; }
kmemleak_clear
topo_up 192.0.2.1
ip netns exec "$node" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=120
printf '10.0.0.0/16 vpc\n' >"$tmp/vpc"
ctl "$node" set snat-ip auto >/dev/null && ctl "$node" cidr replace -f "$tmp/vpc" >/dev/null &&
	ctl "$node" enable >/dev/null || { fail "faults: cannot configure the node"; exit 1; }

#
# 1. auto mode, the address goes away
#
for p in $pods; do
	probe "$p" 203.0.113.1 3 >>"$tmp/auto"
	probe "$p" 10.0.9.1 3 >>"$tmp/auto"
done
translated=$(ct_count -p udp -d 203.0.113.1 --reply-dst 192.0.2.1)
untranslated=$(ct_count -p udp -d 10.0.9.1)
seen=$(grep -c 'reply 192.0.2.1' "$tmp/auto")
ip -n "$node" addr del 192.0.2.1/24 dev up0
for _ in $(seq 1 20); do
	left=$(ct_count -p udp -d 203.0.113.1)
	[ "$left" = 0 ] && break
	sleep 0.5
done
kept=$(ct_count -p udp -d 10.0.9.1)
if [ "$seen" = 9 ] && [ "$translated" = 9 ] && [ "$left" = 0 ] && [ "$kept" = "$untranslated" ] && [ "$kept" -gt 0 ]; then
	pass "faults: auto mode: deleting the node address flushed its $translated translated conntrack entries and kept the $kept untranslated ones"
else
	fail "faults: auto mode address removal: $seen replies from 192.0.2.1, $translated translated entries before, $left after; untranslated $untranslated before, $kept after"
fi

#
# 2. auto mode, no address to pick: dropped, counted
#
ip -n "$node" route add 203.0.113.0/24 dev up0
before=$(failed_ctr)
replies=$(probe pod1 203.0.113.1 10 | grep -c '^reply' || true)
after=$(failed_ctr)
if [ "$replies" = 0 ] && [ $((after - before)) = 10 ]; then
	pass "faults: auto mode without an address: 10 new connections dropped, failed counter +10"
else
	fail "faults: auto mode without an address: $replies replies, failed counter +$((after - before)) (want 0 and +10)"
fi

#
# 3. no free source port: pod1 takes every port of the 1-511 range that
#    sources below 512 map to; pod2's connections from the same ports
#    then find none.
#
ip -n "$node" route del 203.0.113.0/24 dev up0
ip -n "$node" addr add 192.0.2.1/24 dev up0
ip -n "$node" route add 203.0.113.0/24 via 192.0.2.254
ip -n "$node" route add 10.0.9.0/24 via 192.0.2.254
ctl "$node" set snat-ip 192.0.2.1 >/dev/null && ctl "$node" set random none >/dev/null
taken=$(ip netns exec "$pod1" "$udpprobe" probe 203.0.113.1 7777 511 2000 1 | grep -c '^reply 192.0.2.1$' || true)
before=$(failed_ctr)
translated_before=$(translated_ctr)
stats_before=$(ct_stat insert_failed)
replies=$(ip netns exec "$pod2" "$udpprobe" probe 203.0.113.1 7777 30 1000 1 | grep -c '^reply' || true)
after=$(failed_ctr)
translated_after=$(translated_ctr)
stats_after=$(ct_stat insert_failed)
insert_failed=$((${stats_after:-0} - ${stats_before:-0}))
ip netns exec "$node" conntrack -F >/dev/null 2>&1
again=$(ip netns exec "$pod2" "$udpprobe" probe 203.0.113.1 7777 5 1000 1 | grep -c '^reply 192.0.2.1$' || true)
if [ "$taken" = 511 ] && [ "$replies" = 0 ] && [ $((after - before)) = 30 ] && [ "$insert_failed" = 0 ] &&
	[ $((translated_after - translated_before)) = 0 ] && [ "$again" = 5 ]; then
	pass "faults: no free source port: 30 connections dropped by vpcsnat, failed counter +30, translated +0, conntrack insert_failed +0; after conntrack -F the same ports translate again"
else
	fail "faults: no free source port: pod1 got $taken of 511 ports; pod2 got $replies replies of 30 (want 0), failed counter +$((after - before)) (want +30), translated +$((translated_after - translated_before)) (want +0), conntrack insert_failed +$insert_failed (want +0), after a flush $again of 5 answered"
fi
ctl "$node" set random prng >/dev/null
ip netns exec "$node" conntrack -F >/dev/null 2>&1

#
# 4. conntrack table full (nf_conntrack_max is global, set from init_net)
#
max=$(sysctl -n net.netfilter.nf_conntrack_max)
before=$(failed_ctr)
drop_before=$(ct_stat drop)
sysctl -qw net.netfilter.nf_conntrack_max=4
replies=$(ip netns exec "$pod1" "$udpprobe" probe 203.0.113.1 7777 20 300 | grep -c "^reply" || true)
sysctl -qw net.netfilter.nf_conntrack_max="$max"
after=$(failed_ctr)
drop_after=$(ct_stat drop)
drops=$((${drop_after:-0} - ${drop_before:-0}))
again=$(probe pod1 203.0.113.1 5 | grep -c '^reply 192.0.2.1$' || true)
if [ "$replies" -lt 20 ] && [ "$drops" = $((20 - replies)) ] && [ "$again" = 5 ] && [ "$after" = "$before" ]; then
	pass "faults: conntrack table full (max 4): $replies of 20 answered, the other $drops dropped by conntrack before NAT (its drop counter +$drops), vpcsnat failed unchanged, traffic fine afterwards"
else
	fail "faults: conntrack table full (max 4): $replies of 20 answered, conntrack drop +$drops (want $((20 - replies))), failed counter +$((after - before)), afterwards $again of 5 answered"
fi

#
# 5. a replace whose allocations fail, one at a time
#
netns_new fault
for i in 1 2 3; do echo "10.$i.0.0/16 vpc"; done >"$tmp/old"
# Small enough for one slab allocation each: a netlink message over a page
# is vmalloc'ed, and a failed vmalloc prints a warning with a stack trace.
for i in $(seq 0 119); do echo "100.64.$i.0/24 exclude"; done >"$tmp/new"
# failslab only: an injected page allocation failure prints a warning with
# a stack trace (warn_alloc), which reads like a splat.
d=/sys/kernel/debug/failslab
echo N >"$d/ignore-gfp-wait"
echo 0 >"$d/probability"
echo 0 >"$d/verbose"
# Every slab allocation of the replace path in turn, from one process that
# arms fail-nth right before sending.
if out=$(ip netns exec "$fault" "$nlfuzz" failnth "$tmp/old" "$tmp/new" 2>&1) && case "$out" in *" 0 refused"*) false ;; esac; then
	pass "faults: replace with the N-th allocation failing, every N: $out; never half-applied"
else
	fail "faults: replace with the N-th allocation failing: $out"
fi
# The same through staging: 600 entries in 6 messages, the first 5 with
# VPCSNAT_A_MORE (each small enough for a slab allocation, as above).
for i in $(seq 0 599); do echo "100.$((64 + i / 256)).$((i % 256)).0/24 exclude"; done >"$tmp/new600"
if out=$(ip netns exec "$fault" "$nlfuzz" failnth "$tmp/old" "$tmp/new600" 100 2>&1) && case "$out" in *" 0 refused"*) false ;; esac; then
	pass "faults: staged replace with the N-th allocation failing, every N: $out; never half-applied"
else
	fail "faults: staged replace with the N-th allocation failing: $out"
fi

echo Y >"$d/ignore-gfp-wait"

ctl "$node" disable >/dev/null
topo_down
netns_destroy "$fault"
unload_vpcsnat
check_clean faults "faults"
check_leaks "faults"
finish
